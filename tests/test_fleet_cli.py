"""``archlib fleet``: each inventory format through the command, the files it writes
(results.csv, results.parquet, the summary, reports for the flagged rows), bad input as one
line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pandas as pd
import pytest
from typer.testing import CliRunner

from archlib.cli import app

S3, QS = "s3-endpoints", "quicksight-connectivity"
runner = CliRunner()
#: Three workloads: one already on its recommendation, one paying for a hub it does not need
#: (3 VPCs, 3,000 GB: 14.60 + 30.00 + 60.00 + 4 x 36.50 = $250.60 against the $0 gateway
#: endpoints), one invalid.
ROWS: list[dict[str, Any]] = [
    {"account": "a-1", "owner": "payments", "decision": S3, "vpc_count": "1",
     "current_option": "gateway"},
    {"account": "a-2", "owner": "retail", "decision": S3, "vpc_count": "3",
     "monthly_gb_in_vpc": "3000", "current_option": "interface-centralized"},
    {"account": "a-3", "owner": "retail", "decision": QS, "monthly_gb": "lots"},
]


def _frame() -> pd.DataFrame:
    columns = sorted({k for r in ROWS for k in r}, key=lambda c: (c not in ("account",
                                                                            "owner"), c))
    return pd.DataFrame([{c: r.get(c, "") for c in columns} for r in ROWS])


def write_inventory(path: Path) -> Path:
    frame = _frame()
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        import yaml

        path.write_text(yaml.safe_dump([{k: v for k, v in r.items() if v != ""}
                                        for r in ROWS], sort_keys=False))
    return path


def _run(*args: str) -> Any:
    return runner.invoke(app, ["fleet", *args])


@pytest.fixture(scope="module")
def reviewed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same inventory in each format, reviewed without reports."""
    outs = {}
    folder = tmp_path_factory.mktemp("fleet-formats")
    for suffix in (".csv", ".xlsx", ".parquet", ".yaml"):
        inventory = write_inventory(folder / f"inventory{suffix}")
        out = folder / f"out{suffix}"
        result = _run(str(inventory), "--out", str(out), "--reports", "none", "--quiet")
        assert result.exit_code == 1, result.stderr  # the invalid row: exit 1, all written
        assert "row 3: monthly_gb: " in result.stderr
        outs[suffix] = out
    return outs


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".yaml"])
def test_each_format_writes_the_same_results(reviewed: dict[str, Path], suffix: str) -> None:
    out = reviewed[suffix]
    results = pd.read_csv(out / "results.csv", dtype=str, keep_default_na=False)
    assert results["account"].tolist() == ["a-1", "a-2", "a-3"]
    assert results["recommended"].tolist() == ["gateway", "gateway", ""]
    assert results["monthly_saving_usd"].tolist()[:2] == ["0.0", "250.6"]
    assert results["flagged"].tolist() == ["False", "True", "False"]
    assert results["error"].tolist()[2].startswith("row 3: monthly_gb: ")
    assert results["report"].tolist() == ["", "", ""]  # --reports none
    parquet = pd.read_parquet(out / "results.parquet")
    assert parquet["monthly_saving_usd"].tolist()[:2] == [0.0, 250.6]
    if suffix != ".csv":
        csv = (reviewed[".csv"] / "results.csv").read_bytes()
        assert (out / "results.csv").read_bytes() == csv


def test_summary_page_totals_and_is_offline(reviewed: dict[str, Path]) -> None:
    out = reviewed[".csv"]
    page = (out / "index.html").read_text("utf-8")
    assert "archlib fleet review" in page and "inventory.csv" in page
    assert "$250.60" in page  # the one saving: 250.60 - 0.00
    for heading in ("Totals", "Savings by decision", "Savings by group", "Verdicts",
                    "Workloads"):
        assert f">{heading}" in page, heading
    assert 'src="assets/plotly.min.js"' in page and (out / "assets/plotly.min.js").exists()
    assert "https://cdn" not in page and "<script src=\"http" not in page
    assert str(out) not in page and "site-packages" not in page
    nb = nbformat.read(out / "fleet.ipynb", as_version=4)
    injected = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert 'results_path = "results.parquet"' in injected.source  # relative: no absolute path
    assert 'group_by = "account"' in injected.source  # the first own column by default


def test_flagged_reports_and_links(tmp_path: Path) -> None:
    inventory = write_inventory(tmp_path / "inventory.csv")
    out = tmp_path / "out"
    result = _run(str(inventory), "--out", str(out), "--group-by", "owner", "--quiet")
    assert result.exit_code == 1, result.stderr  # the invalid row
    results = pd.read_csv(out / "results.csv", dtype=str, keep_default_na=False)
    # Only the flagged row (a-2) gets a report; the invalid row none.
    assert results["report"].tolist() == ["", f"reports/row-00002/{S3}.html", ""]
    report = out / "reports" / "row-00002" / f"{S3}.html"
    assert report.exists() and "row 2: a-2, retail" in report.read_text("utf-8")
    assert not (out / "reports" / "row-00001").exists()
    page = (out / "index.html").read_text("utf-8")
    assert f'href="reports/row-00002/{S3}.html"' in page
    assert 'href="reports/index.html"' in page
    assert "1 written (flagged)" in page
    assert "summary:" in result.stderr and "1 report(s) written, 0 failed" in result.stderr


@pytest.mark.parametrize(("args", "start"), [
    (["missing.csv"], "archlib: missing.csv: no such inventory file"),
    (["inventory.csv", "--reports", "some"], "archlib: --reports: some: must be one of"),
    (["inventory.csv", "--group-by", "team"], "archlib: --group-by: team: is not one of"),
    (["inventory.csv", "--executor", "cloud"], "archlib: --executor: must be one of"),
    (["inventory.csv", "--scheduler", "tcp://x:1"], "archlib: --scheduler: needs --executor"),
    (["nodecision.csv"], "archlib: nodecision.csv: decision: has no 'decision' column"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          args: list[str], start: str) -> None:
    monkeypatch.chdir(tmp_path)
    write_inventory(tmp_path / "inventory.csv")
    (tmp_path / "nodecision.csv").write_text("account\na-1\n")
    result = _run(*args, "--out", "out", "--quiet")
    assert result.exit_code == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(start), lines
    assert "Traceback" not in result.stderr


def test_results_parquet_keeps_the_types(reviewed: dict[str, Path]) -> None:
    parquet = pd.read_parquet(reviewed[".parquet"] / "results.parquet")
    assert str(parquet["flagged"].dtype) == "bool"
    assert str(parquet["monthly_saving_usd"].dtype) == "float64"
    assert json.loads(parquet[["account"]].to_json(orient="values")) == [["a-1"], ["a-2"],
                                                                        ["a-3"]]


def test_a_review_that_fails_after_starting_its_workers_fork_server_stops_it(
        tmp_path: Path) -> None:
    """An inventory big enough for worker processes starts their fork server before it is
    checked; when the check fails (a column named like a result column), the review stops
    the server as it raises: no process is left behind for the next call."""
    from archlib import InputError
    from archlib._prestart import fork_server_pid
    from archlib.fleet import PARTITION_ROWS
    from archlib.fleet_review import review_inventory

    rows = PARTITION_ROWS + 1
    inventory = tmp_path / "inventory.csv"
    pd.DataFrame({"decision": ["s3-endpoints"] * rows,
                  "recommended": ["gateway"] * rows}).to_csv(inventory, index=False)
    with pytest.raises(InputError, match="result column"):
        review_inventory(inventory, tmp_path / "out", reports="none")
    assert fork_server_pid() is None
