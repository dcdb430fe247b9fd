"""Hostile and odd input to the ``archlib`` command: one sanitized line, exit 2 (issue 21:
D1, D3, D6, D9, D10, D12, D13, D14, D15, D17, D18 and the --workers bound)."""

from __future__ import annotations

import json
import os
import re
import stat
import textwrap
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from archlib import InputError, evaluate, report
from archlib._errors import MAX_LINE, MAX_PROBLEMS, from_validation_error, one_line, printable
from archlib._prices import MAX_PRICE_USD
from archlib._scenario import _ScenarioFile, parse_scenario
from archlib.cli import app
from archlib.report import files as report_files
from archlib.report import planning as report_planning

S3 = "s3-endpoints"
runner = CliRunner()
#: What a terminal or a log must never receive raw from an error line.
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _one_error_line(*args: str, exit_code: int = 2) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("archlib: ")
    assert not RAW_CONTROL.search(lines[0])
    assert "Traceback" not in result.stderr
    return lines[0]


# --- D1: the same breakers through --set ----------------------------------------------------

@pytest.mark.parametrize(("value", "words"), [
    ("9" * 5000, ["a number of 5000 characters is too long"]),
    ("[" * 1000 + "]" * 1000, ["nested more than"]),
    ("&a [*a]", ["a cycle"]),
])
def test_parser_breakers_through_set_are_one_line(value: str, words: list[str]) -> None:
    line = _one_error_line("evaluate", S3, "--set", f"weights={value}")
    assert "--set weights=" in line
    for word in words:
        assert word in line
    assert len(line) < MAX_LINE + 60


# --- D10: overflowing numbers -------------------------------------------------------------------

def test_a_price_that_would_overflow_is_refused() -> None:
    line = _one_error_line("evaluate", S3, "--set", "prices.interface_endpoint_az_hour=1e308",
                           "--set", "vpc_count=1000", "--set", "az_count=6")
    assert "prices.interface_endpoint_az_hour: price must be a number from 0 to 100,000" in line


def test_huge_weights_are_refused_not_scored_zero() -> None:
    args = ["evaluate", S3]
    for name in ("monthly_cost", "operational_complexity", "private_path_control",
                 "throughput_headroom"):
        args += ["--set", f"weights.{name}=1e308"]
    assert "must be a number from 0 to 1,000,000" in _one_error_line(*args)


def test_largest_inputs_give_finite_strict_json() -> None:
    # Every price at its bound, volumes at theirs: costs stay finite and the JSON standard.
    from archlib._prices import load_prices

    prices = dict.fromkeys(load_prices("us-east-1").items, MAX_PRICE_USD)
    ev = evaluate(S3, {"vpc_count": 1000, "az_count": 6, "monthly_gb_in_vpc": 1e8,
                       "monthly_gb_on_prem": 1e8, "on_prem_access": True,
                       "weights": {"monthly_cost": 1e6}}, prices=prices)

    def refuse(constant: str) -> Any:
        raise AssertionError(f"non-standard JSON constant {constant}")

    data = json.loads(json.dumps(ev.to_dict(), allow_nan=False), parse_constant=refuse)
    assert all(o["monthly_cost_usd"] is None or o["monthly_cost_usd"] > 0
               for o in data["options"])


def test_a_non_finite_cost_is_an_input_error() -> None:
    import dataclasses

    from archlib import decisions
    from archlib._engine import evaluate as evaluate_decision

    decision = decisions.get(S3)

    def overflowing(params: Any, prices: Any) -> Any:
        costs = decision.cost(params, prices)
        costs["interface"] = {**costs["interface"], "endpoints": float("inf")}
        return costs

    broken = dataclasses.replace(decision, cost=overflowing)
    with pytest.raises(InputError, match=r"cost of interface \(endpoints\) is not a finite"):
        evaluate_decision(broken, {}, where="t.yaml")


@pytest.mark.parametrize("value", [float("inf"), float("nan"), -1.0, 1e309])
def test_model_floats_refuse_non_finite_numbers_from_the_api(value: float) -> None:
    with pytest.raises(InputError):
        evaluate(S3, {"monthly_gb_in_vpc": value})
    with pytest.raises(InputError):
        evaluate(S3, {}, prices={"nat_gateway_hour": value})


# --- D12 in --set -----------------------------------------------------------------------------

def test_sexagesimal_set_value_is_text_not_sixty() -> None:
    assert "vpc_count: Input should be a valid integer (got '1:00')" in _one_error_line(
        "evaluate", S3, "--set", "vpc_count=1:00")
    result = runner.invoke(app, ["evaluate", S3, "--set", "vpc_count=017", "--format",
                                 "json"])
    assert json.loads(result.stdout)["params"]["vpc_count"] == 17


# --- D13: control characters ------------------------------------------------------------------

def test_newline_in_a_set_item_stays_on_one_line() -> None:
    line = _one_error_line("evaluate", S3, "--set", "vpc_count=2\nregion: x")
    assert line.startswith("archlib: --set vpc_count=2\\nregion: x: ")


def test_file_name_with_newline_and_escape_is_escaped(tmp_path: Path) -> None:
    path = tmp_path / "bad\nFAKE: ok\x1b[2J.yaml"
    path.write_text("a: [\n")
    line = _one_error_line("evaluate", S3, "--scenario", str(path))
    assert "bad\\nFAKE: ok\\x1b[2J.yaml: line 2, column 1: broken YAML" in line


@pytest.mark.parametrize(("field", "text"), [
    ("name", '"nul\\0in name"'), ("name", '"esc \\e[31m red"'),
    ("description", '"bell \\a"'), ("description", '"cr \\r over"'),
    ("description", '"c1 \\x85 next line"'),
])
def test_control_characters_in_scenario_text_are_refused(field: str, text: str) -> None:
    other = "description: ok" if field == "name" else "name: ok"
    with pytest.raises(InputError) as info:
        parse_scenario(f"{field}: {text}\n{other}\ndecisions:\n  {S3}: {{}}\n",
                       where="f.yaml")
    assert info.value.field == field and "control character" in info.value.problem


def test_tabs_and_newlines_in_scenario_text_are_kept() -> None:
    scenario = parse_scenario('name: "a\\tb\\nc"\ndescription: "x\\ny\\tz"\n'
                              f"decisions:\n  {S3}: {{}}\n", where="f.yaml")
    assert scenario.name == "a\tb\nc" and scenario.description == "x\ny\tz"


def test_printable_escapes_every_control_and_line_separator() -> None:
    assert printable("a\nb\tc\x1b[0m\x00\x7f\x85\u2028\u202e") == (
        "a\\nb\\tc\\x1b[0m\\x00\\x7f\\x85\\u2028\\u202e")
    assert printable("plain text, ünïcode, 中文") == "plain text, ünïcode, 中文"


# --- D14: bounded error lines -----------------------------------------------------------------

def test_error_line_lists_a_few_problems_and_counts_the_rest() -> None:
    raw = {"name": "x", "decisions": {S3: {}}, **{f"k{i}": 1 for i in range(5000)}}
    with pytest.raises(ValidationError) as info:
        _ScenarioFile.model_validate(raw)
    line = from_validation_error(info.value, where="many.yaml").line()
    assert line == ("many.yaml: k0: unknown field (got 1); k1: unknown field (got 1); "
                    f"k2: unknown field (got 1); and {5000 - MAX_PROBLEMS} more problem(s)")


def test_one_line_cuts_and_counts() -> None:
    text = "x" * (MAX_LINE + 1234)
    assert one_line(text) == "x" * MAX_LINE + "... (1234 more characters)"


def test_a_huge_key_is_cut_in_the_error_line(tmp_path: Path) -> None:
    path = tmp_path / "k.yaml"
    path.write_text(f"name: x\n{'k' * 1000}: 1\ndecisions:\n  {S3}: {{}}\n")
    line = _one_error_line("evaluate", S3, "--scenario", str(path))
    assert "unknown field" in line and "k" * 200 not in line


def test_a_passwd_like_file_is_not_echoed_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "passwd"
    path.write_text("".join(f"user{i}:x:{i}:{i}::/home/u{i}:/bin/sh\n" for i in range(300)))
    line = _one_error_line("evaluate", S3, "--scenario", str(path))
    assert "user299" not in line and len(line) < MAX_LINE + 100


def test_scenario_files_over_a_mebibyte_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("name: x\ndecisions:\n  s3-endpoints: {}\n" + "#" * (1 << 20))
    assert "larger than 1024 KiB" in _one_error_line("evaluate", S3, "--scenario", str(path))


# --- D15: the Region pattern -------------------------------------------------------------------

@pytest.mark.parametrize("region", ["us-east-1\n", "us-east-2\n", "\nus-east-1"])
def test_region_with_a_newline_is_refused(region: str) -> None:
    with pytest.raises(InputError, match="is not an AWS Region name"):
        evaluate(S3, {"region": region})


# --- D17: --date ---------------------------------------------------------------------------------

@pytest.mark.parametrize("date", ["2024-13-45", "0000-00-00", "2023-02-29",
                                  "\u0662\u0660\u0662\u0664-\u0660\u0661-\u0660\u0661"])
def test_adr_date_must_be_a_real_ascii_date(date: str) -> None:
    line = _one_error_line("adr", S3, "--date", date)
    assert line.endswith("must be a date as YYYY-MM-DD")


def test_adr_date_accepts_a_leap_day() -> None:
    result = runner.invoke(app, ["adr", S3, "--date", "2024-02-29"])
    assert result.exit_code == 0 and "date: 2024-02-29" in result.stdout


# --- D3 through the command ---------------------------------------------------------------------

def test_adr_out_dash_prints_and_fifo_stays_a_fifo(tmp_path: Path) -> None:
    result = runner.invoke(app, ["adr", S3, "--out", "-"])
    assert result.exit_code == 0 and result.stdout.startswith("---\n")
    (tmp_path / "dir").mkdir()
    line = _one_error_line("adr", S3, "--out", str(tmp_path / "dir"))
    assert "is a folder" in line


def test_adr_out_keeps_the_mode_of_the_file_it_rewrites(tmp_path: Path) -> None:
    target = tmp_path / "rec.md"
    target.write_text("old")
    target.chmod(0o600)
    result = runner.invoke(app, ["adr", S3, "--out", str(target)])
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


# --- D18: usage errors ---------------------------------------------------------------------------

@pytest.mark.parametrize(("args", "words"), [
    (["report", "--workers", "abc", "x.yaml"], ["archlib: report: ", "--workers",
                                                "integer"]),
    (["evaluate", "--frob"], ["archlib: evaluate: No such option: --frob",
                              "(see archlib evaluate --help)"]),
    (["evaluate"], ["Missing argument"]),
    (["nope"], ["No such command"]),
])
def test_usage_errors_are_one_line(args: list[str], words: list[str]) -> None:
    line = _one_error_line(*args)
    for word in words:
        assert word in line


# --- D6: SOURCE_DATE_EPOCH ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["abc", "1e9", "-1", "99999999999999999999",
                                   "253402300800", "\u0661\u0667\u0660\u0660"])
def test_malformed_source_date_epoch_is_one_line(value: str, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    scenario = tmp_path / "s.yaml"
    scenario.write_text(f"name: s\ndecisions:\n  {S3}: {{}}\n")
    line = _one_error_line("report", str(scenario), "--out", str(tmp_path / "o"), "--quiet")
    assert line.startswith("archlib: SOURCE_DATE_EPOCH: must be whole seconds since 1970")
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize(("value", "stamp"), [("", None), ("253402300799",
                                                           "9999-12-31T23:59:59Z")])
def test_source_date_epoch_bounds(value: str, stamp: str | None,
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    got = report.generated_at()
    assert got == stamp if stamp else re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", got)


# --- D9: an unusable output folder ----------------------------------------------------------------

def _scenario(tmp_path: Path) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: s\ndecisions:\n  {S3}: {{}}\n")
    return path


def test_out_that_is_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("")
    line = _one_error_line("report", str(_scenario(tmp_path)), "--out",
                           str(tmp_path / "afile"), "--quiet")
    assert line == f"archlib: --out: {tmp_path / 'afile'}: cannot write: it is a file, not a folder"


def test_out_under_proc_is_one_line(tmp_path: Path) -> None:
    line = _one_error_line("report", str(_scenario(tmp_path)), "--out",
                           "/proc/nonexistent/out", "--quiet")
    assert line.startswith("archlib: --out: /proc/nonexistent/out: cannot write: ")


def test_assets_being_a_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "o").mkdir()
    (tmp_path / "o" / "assets").write_text("")
    line = _one_error_line("report", str(_scenario(tmp_path)), "--out", str(tmp_path / "o"),
                           "--quiet")
    assert line.endswith("cannot write: assets: is a file, not a folder archlib made; "
                         "not written through")


def test_an_unwritable_index_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A failing scenario runs no notebook; the index is the only write, and a FIFO is there.
    (tmp_path / "o").mkdir()
    os.mkfifo(tmp_path / "o" / "index.html")
    bad = tmp_path / "bad.yaml"
    bad.write_text(textwrap.dedent(f"""\
        name: bad
        decisions:
          {S3}: {{vpc_count: 0}}
        """))
    line = _one_error_line("report", str(bad), "--out", str(tmp_path / "o"), "--quiet")
    assert line.endswith("cannot write: index.html: is a FIFO; not replaced")


# --- --workers: bounded by the machine ---------------------------------------------------------

def test_workers_are_capped_at_four_per_core(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []

    def fake_run(jobs: Any, settings: Any, pool_size: int) -> Any:
        seen.append(pool_size)
        return iter(())

    monkeypatch.setattr(report_planning, "run_jobs", fake_run)
    monkeypatch.setattr(report_planning, "default_workers", lambda: 2)
    monkeypatch.setattr(report_files, "plotly_js", lambda: "js")
    paths = []
    for i in range(12):
        paths.append(tmp_path / f"s{i}.yaml")
        paths[-1].write_text(f"name: s{i}\ndecisions:\n  {S3}: {{}}\n")
    report.build_reports(paths, tmp_path / "o", workers=200)
    report.build_reports(paths[:3], tmp_path / "o", workers=200)
    assert report.max_workers() == 8
    assert seen == [8, 3]  # 4 per core, and never more than the jobs


def test_index_shows_a_file_name_with_control_characters_escaped(tmp_path: Path) -> None:
    path = tmp_path / "esc\x1b[31m\x07.yaml"
    path.write_text("a: [\n")
    outcome = report.build_reports([path], tmp_path / "o")
    page = (tmp_path / "o" / "index.html").read_text()
    assert "esc\\x1b[31m\\x07.yaml" in page
    assert "\x1b" not in page and "\x07" not in page
    assert not outcome.ok
