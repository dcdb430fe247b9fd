"""archlib.fleet: evaluate_frame as a table of inventory rows and the results each must give
(costs hand-checked from the README's worked examples, arithmetic written out), invalid rows,
pass-through columns, savings arithmetic, read_inventory, Evaluation.to_frame."""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import archlib
from archlib import InputError, fleet
from archlib._executors import InProcess, LocalProcesses
from archlib._inventory import generate_inventory
from archlib._money import cents
from archlib.fleet import RESULT_COLUMNS, evaluate_frame, read_inventory

S3, QS, VMC, SQL = "s3-endpoints", "quicksight-connectivity", "vmware-sddc", "sqlserver-ha-dr"
EMPTY = ""

# (inventory row, expected results). Every cost is a README worked example, its arithmetic
# written out beside it.
HAND_CHECKED: list[tuple[dict[str, Any], dict[str, Any]]] = [
    # 1 VPC, 2 AZs, 1,000 GB: interface = 2 x 0.01 x 730 + 1,000 x 0.01 = 24.60; gateway $0.
    ({"decision": S3, "vpc_count": "1", "monthly_gb_in_vpc": "1000",
      "current_option": "interface"},
     {"recommended": "gateway", "recommended_monthly_usd": 0.0, "current_monthly_usd": 24.60,
      "monthly_saving_usd": 24.60, "current_status": "outscored", "flagged": True}),
    # 3 VPCs, 3,000 GB: the Transit Gateway hub = 14.60 + 30.00 + 60.00 + 4 x 36.50 = 250.60.
    ({"decision": S3, "vpc_count": "3", "monthly_gb_in_vpc": "3000",
      "current_option": "interface-centralized"},
     {"recommended": "gateway", "current_monthly_usd": 250.60, "monthly_saving_usd": 250.60,
      "current_status": "outscored", "flagged": True}),
    # The current option is the recommendation: nothing to save, nothing to review.
    ({"decision": S3, "current_option": "gateway"},
     {"recommended": "gateway", "current_monthly_usd": 0.0, "monthly_saving_usd": 0.0,
      "current_status": "recommended", "why_not_current": None, "verdict": "clear",
      "flagged": False}),
    # QuickSight defaults (50 GB, across AZs): transit-gateway = 0.05 x 730 + 50 x 0.02 +
    # 50 x 2 x 0.01 = 38.50, ruled out without a Transit Gateway path; vpc-sharing = 50 x 2 x
    # 0.01 = 1.00. Saving 38.50 - 1.00 = 37.50.
    ({"decision": QS, "monthly_gb": "50", "current_option": "transit-gateway"},
     {"recommended": "vpc-sharing", "recommended_monthly_usd": 1.00,
      "current_monthly_usd": 38.50, "monthly_saving_usd": 37.50,
      "current_status": "ruled-out", "flagged": True}),
    # Standard edition has no VPC connection: every option is ruled out (seed 370).
    ({"decision": QS, "quicksight_edition": "standard", "current_option": "vpc-peering"},
     {"recommended": None, "verdict": None, "monthly_saving_usd": None,
      "current_status": "ruled-out", "flagged": True}),
    # scenarios/vmware-migration.yaml: tgw-vpn = 36.50 + 36.50 + 4,000 x 0.02 = 153.00; the
    # transit VPC (73.00 + 80.00 + 36.50 + 80.00 = 269.50) is ruled out. 269.50 - 153.00.
    ({"decision": VMC, "other_vpc_count": "3", "reach_via_existing_tgw": "true",
      "existing_transit_gateway": "true", "needs_central_egress": "true",
      "required_gbps": "2.0", "monthly_gb_cross_vpc": "4000", "services": "s3; fsx; rds; elb",
      "current_option": "transit-vpc"},
     {"recommended": "tgw-vpn", "recommended_monthly_usd": 153.00,
      "current_monthly_usd": 269.50, "monthly_saving_usd": 116.50,
      "current_status": "ruled-out", "flagged": True}),
    # Standard with cross-Region DR and a $0 SIOS quote (README, review F5): fci-sios costs
    # $2,347.52 (its licences 1,938.88 + 8 x 0.046 x 730 = 2,207.52, plus storage and
    # transfer) against $7,515.92 for either availability-group option: 7,515.92 - 2,347.52
    # = 5,168.40.
    ({"decision": SQL, "cross_region_dr": "true", "sios_monthly_usd_per_node": "0",
      "current_option": "availability-groups"},
     {"recommended": "fci-sios", "recommended_monthly_usd": 2347.52,
      "current_monthly_usd": 7515.92, "monthly_saving_usd": 5168.40,
      "current_status": "outscored", "flagged": True}),
    # No current option: no saving, flagged only when too close to call.
    ({"decision": S3},
     {"recommended": "gateway", "current_option": None, "monthly_saving_usd": None,
      "current_status": None, "flagged": False}),
]


def _frame(rows: list[dict[str, Any]], **extra: Any) -> pd.DataFrame:
    columns = sorted({k for r in rows for k in r})
    return pd.DataFrame([{c: r.get(c, EMPTY) for c in columns} for r in rows], **extra)


def _check(got: pd.Series, expected: dict[str, Any]) -> None:
    for key, value in expected.items():
        cell = got[key]
        if value is None:
            assert cell is None or (isinstance(cell, float) and math.isnan(cell)), (key, cell)
        elif isinstance(value, float):
            assert cell == pytest.approx(value, abs=0.005), (key, cell)
        else:
            assert cell == value, (key, cell)


@pytest.mark.parametrize(("row", "expected"), HAND_CHECKED,
                         ids=[f"{r['decision']}-{i}" for i, (r, _) in enumerate(HAND_CHECKED)])
def test_hand_checked_rows(row: dict[str, Any], expected: dict[str, Any]) -> None:
    results = evaluate_frame(_frame([row]))
    assert list(results.columns) == list(RESULT_COLUMNS)
    _check(results.iloc[0], {"error": None, **expected})


def test_one_inventory_mixes_decisions_and_every_row_evaluates_as_alone() -> None:
    rows = [r for r, _ in HAND_CHECKED]
    together = evaluate_frame(_frame(rows))
    for i, (row, expected) in enumerate(HAND_CHECKED):
        _check(together.iloc[i], expected)
        alone = evaluate_frame(_frame([row])).iloc[0]
        assert together.iloc[i].equals(alone)


def test_empty_cells_are_the_defaults() -> None:
    got = evaluate_frame(_frame([{"decision": QS, "monthly_gb": "", "vpc_count": ""}])).iloc[0]
    ev = archlib.evaluate(QS)
    assert got["recommended"] == ev.recommended and got["runner_up"] == ev.runner_up
    assert got["recommended_monthly_usd"] == ev.option(ev.recommended).monthly_cost_usd


def test_weights_prices_and_exclude_columns_reach_the_evaluation() -> None:
    row = {"decision": S3, "vpc_count": "3", "monthly_gb_in_vpc": "3000",
           "exclude": "gateway, interface", "prices.interface_endpoint_az_hour": "0.02",
           "weights.monthly_cost": "5"}
    got = evaluate_frame(_frame([row])).iloc[0]
    ev = archlib.evaluate(S3, {"vpc_count": 3, "monthly_gb_in_vpc": 3000.0,
                               "weights": {"monthly_cost": 5.0}},
                          prices={"interface_endpoint_az_hour": 0.02},
                          exclude=["gateway", "interface"])
    assert got["recommended"] == ev.recommended not in ("gateway", "interface")
    assert got["recommended_monthly_usd"] == ev.option(ev.recommended).monthly_cost_usd


#: Every price the s3-endpoints model reads, at their us-east-1 values
#: (data/prices/us-east-1.yaml), as ``prices.*`` cells: the whole table for a Region that has
#: no price file.
S3_PRICE_CELLS = {"prices.gateway_endpoint_gb": "0", "prices.gateway_endpoint_hour": "0",
                  "prices.interface_endpoint_az_hour": "0.01",
                  "prices.interface_endpoint_gb": "0.01", "prices.nat_gateway_gb": "0.045",
                  "prices.nat_gateway_hour": "0.045", "prices.peering_cross_az_gb": "0.01",
                  "prices.tgw_attachment_hour": "0.05", "prices.tgw_gb": "0.02"}
_ONE_VPC = {"decision": S3, "vpc_count": "1", "monthly_gb_in_vpc": "1000",
            "current_option": "interface"}
# One batch (one partition: one cache of price tables), rows that must not share a table.
# Interface, 1 VPC in 2 AZs, 1,000 GB: 2 x (az-hour) x 730 + 1,000 x 0.01.
PRICE_ROWS: list[tuple[dict[str, Any], float | None]] = [
    ({**_ONE_VPC, "prices.interface_endpoint_az_hour": "0.02"}, 2 * 0.02 * 730 + 10.0),  # 39.20
    (_ONE_VPC, 2 * 0.01 * 730 + 10.0),  # 24.60: the shipped table, no override
    ({**_ONE_VPC, "prices.interface_endpoint_az_hour": "0.03"}, 2 * 0.03 * 730 + 10.0),  # 53.80
    ({**_ONE_VPC, "prices.interface_endpoint_az_hour": "0.02"}, 2 * 0.02 * 730 + 10.0),  # again
    # eu-west-1 has no price file: with every price given it evaluates, without it cannot.
    ({**_ONE_VPC, "region": "eu-west-1", **S3_PRICE_CELLS,
      "prices.interface_endpoint_az_hour": "0.04"}, 2 * 0.04 * 730 + 10.0),  # 68.40
    ({**_ONE_VPC, "region": "eu-west-1"}, None),
    ({**_ONE_VPC, **S3_PRICE_CELLS}, 2 * 0.01 * 730 + 10.0),  # each at its listed value
]


#: A price cache folder that cannot exist (below a file): no refreshed prices anywhere.
NO_PRICE_CACHE = {"ARCHLIB_PRICE_CACHE": str(Path(__file__) / "no-price-cache")}


def test_rows_with_other_prices_or_regions_never_share_a_price_table(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARCHLIB_PRICE_CACHE", NO_PRICE_CACHE["ARCHLIB_PRICE_CACHE"])
    got = evaluate_frame(_frame([row for row, _ in PRICE_ROWS]))
    for (_, cost), (_, result) in zip(PRICE_ROWS, got.iterrows(), strict=True):
        if cost is None:
            assert "no prices for Region 'eu-west-1'" in result["error"]
        else:
            assert pd.isna(result["error"])
            assert result["current_monthly_usd"] == pytest.approx(cost, abs=0.005)


_ALONE: dict[int, pd.Series] = {}


def _alone(index: int) -> pd.Series:
    """Row ``index`` of PRICE_ROWS in a batch of its own (computed once per test run)."""
    if index not in _ALONE:
        with mock.patch.dict(os.environ, NO_PRICE_CACHE):
            _ALONE[index] = evaluate_frame(_frame([PRICE_ROWS[index][0]])).iloc[0]
    return _ALONE[index][list(RESULT_COLUMNS)]


@settings(max_examples=40)
@given(picks=st.lists(st.sampled_from(range(len(PRICE_ROWS))), min_size=2, max_size=6))
def test_a_batch_gives_each_row_what_it_gives_alone(picks: list[int]) -> None:
    """Any mix and order of those rows in one batch: each result row is the row's result
    in a batch of its own (a price table cached for one row never serves another)."""
    with mock.patch.dict(os.environ, NO_PRICE_CACHE):
        together = evaluate_frame(_frame([PRICE_ROWS[i][0] for i in picks]))
    for n, index in enumerate(picks):
        here = together.iloc[n][list(RESULT_COLUMNS)].copy()
        # the error names the row: row n + 1 here, row 1 alone
        here["error"] = (None if pd.isna(here["error"]) else
                         here["error"].replace(f"row {n + 1}:", "row 1:", 1))
        assert here.equals(_alone(index)), (n, index)


def test_excluded_current_option_says_so() -> None:
    row = {"decision": S3, "exclude": "gateway", "current_option": "gateway"}
    got = evaluate_frame(_frame([row])).iloc[0]
    assert (got["current_status"], got["why_not_current"]) == (
        "excluded", "excluded by you (exclude)")
    assert got["recommended"] != "gateway" and got["flagged"]


def test_ruled_out_current_option_gives_the_rules_and_their_sources() -> None:
    row = {"decision": QS, "quicksight_edition": "standard", "current_option": "vpc-peering"}
    why = evaluate_frame(_frame([row])).iloc[0]["why_not_current"]
    ev = archlib.evaluate(QS, {"quicksight_edition": "standard"})
    for violation in ev.option("vpc-peering").violations:
        assert f"{violation.message} [{violation.source}]" in why


# (row, the error's row number and field)
INVALID: list[tuple[dict[str, Any], str]] = [
    ({"decision": S3, "vpc_count": "three"}, "row 1: vpc_count: "),
    ({"decision": "no-such-decision"}, "row 1: decision: unknown decision 'no-such-decision'"),
    ({"decision": ""}, "row 1: decision: is empty"),
    ({"decision": QS, "vpc_count": "2"}, f"row 1: vpc_count: is not a parameter of {QS}"),
    ({"decision": S3, "current_option": "teleport"}, "row 1: current_option: unknown option"),
    ({"decision": S3, "weights.no_such": "1"}, "row 1: weights: unknown criterion"),
    ({"decision": S3, "weights.monthly_cost": "heavy"}, "row 1: weights.monthly_cost: must be"),
    ({"decision": S3, "prices.no_such_item": "1"}, "row 1: prices.no_such_item: "),
    ({"decision": S3, "exclude": "teleport"}, "row 1: exclude: unknown option 'teleport'"),
    ({"decision": S3, "az_count": "9"}, "row 1: az_count: "),
]


@pytest.mark.parametrize(("row", "start"), INVALID, ids=[s for _, s in INVALID])
def test_invalid_row_has_one_line_error_and_the_others_still_evaluate(
        row: dict[str, Any], start: str) -> None:
    good = {"decision": S3, "current_option": "interface"}
    results = evaluate_frame(_frame([row, good]))
    error = results.iloc[0]["error"]
    assert isinstance(error, str) and "\n" not in error
    assert error.startswith(start), error
    assert results.iloc[0]["recommended"] is None or math.isnan(results.iloc[0]["recommended"])
    assert not results.iloc[0]["flagged"]
    assert results.iloc[1]["error"] is None or pd.isna(results.iloc[1]["error"])
    assert results.iloc[1]["recommended"] == "gateway"


def test_error_names_the_row_number_in_the_inventory() -> None:
    rows = [{"decision": S3}] * 4 + [{"decision": S3, "vpc_count": "-1"}]
    results = evaluate_frame(_frame(rows))
    assert results["error"].notna().tolist() == [False] * 4 + [True]
    assert results.iloc[4]["error"].startswith("row 5: vpc_count: ")


def test_pass_through_columns_keep_their_values_order_and_the_index() -> None:
    frame = pd.DataFrame({"owner": ["payments", "retail"], "decision": [S3, QS],
                          "account": ["111111111111", "222222222222"], "cost_centre": [7, 9]},
                         index=pd.Index(["w-1", "w-2"], name="workload"))
    results = evaluate_frame(frame)
    assert list(results.columns[:3]) == ["owner", "account", "cost_centre"]
    assert list(results.columns[3:]) == list(RESULT_COLUMNS)
    assert results.index.equals(frame.index)
    assert results["account"].tolist() == ["111111111111", "222222222222"]
    assert results["cost_centre"].tolist() == [7, 9]


@pytest.mark.parametrize(("frame", "problem"), [
    (pd.DataFrame({"vpc_count": [1]}), "has no 'decision' column"),
    (pd.DataFrame([[S3, "x"]], columns=["decision", "recommended"]),
     "column 'recommended' is a result column"),
    (pd.DataFrame([[S3, 1, 2]], columns=["decision", "a", "a"]), "column 'a' appears twice"),
])
def test_frame_that_is_no_inventory_is_an_input_error(frame: pd.DataFrame,
                                                      problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        evaluate_frame(frame)


def test_typed_cells_from_parquet_or_excel_are_read_like_text() -> None:
    text = evaluate_frame(_frame([{"decision": S3, "vpc_count": "3", "peering_same_az": "true",
                                   "monthly_gb_in_vpc": "3000"}]))
    import numpy as np

    typed = evaluate_frame(pd.DataFrame({"decision": [S3], "vpc_count": [np.float64(3.0)],
                                         "peering_same_az": [np.bool_(True)],
                                         "monthly_gb_in_vpc": [np.int64(3000)]}))
    assert text.equals(typed)


@given(vpcs=st.integers(1, 20), gb=st.floats(0, 1e6, allow_nan=False),
       on_prem=st.booleans(), current=st.sampled_from(archlib.decisions.get(S3).option_ids))
def test_saving_is_current_minus_recommended_to_the_cent(vpcs: int, gb: float, on_prem: bool,
                                                         current: str) -> None:
    row = {"decision": S3, "vpc_count": str(vpcs), "monthly_gb_in_vpc": repr(gb),
           "on_prem_access": str(on_prem).lower(), "current_option": current}
    got = evaluate_frame(_frame([row])).iloc[0]
    ev = archlib.evaluate(S3, {"vpc_count": vpcs, "monthly_gb_in_vpc": gb,
                               "on_prem_access": on_prem})
    assert got["recommended"] == ev.recommended
    mine = ev.option(current).monthly_cost_usd
    best = ev.option(ev.recommended).monthly_cost_usd
    assert got["current_monthly_usd"] == mine
    assert got["monthly_saving_usd"] == cents(mine - best)
    differs = current != ev.recommended
    assert got["flagged"] == (differs or ev.verdict.level == "too-close-to-call")
    assert (got["current_status"] == "recommended") == (not differs)


# Hand-counted: 10,000 rows are 18 jobs of 500, then quarters of what is left (1,000: 250;
# 750: 188; 562: 141; 421: 106; then no fewer than 100), the last 15 joining the 100 before.
@pytest.mark.parametrize(("rows", "size", "sizes"), [
    (0, 500, []),
    (1, 500, [1]),
    (500, 500, [500]),
    (10_000, 500, [500] * 18 + [250, 188, 141, 106, 100, 100, 115]),
    (30, 7, [7, 7, 7, 3, 2, 2, 2]),
    (3, 2, [1, 1, 1]),
])
def test_the_last_jobs_are_smaller(rows: int, size: int, sizes: list[int]) -> None:
    assert [end - start for start, end in fleet._partition_bounds(rows, size)] == sizes


@given(rows=st.integers(0, 20_000), size=st.integers(1, 1_000))
def test_jobs_cover_every_row_once_in_order(rows: int, size: int) -> None:
    bounds = fleet._partition_bounds(rows, size)
    assert [start for start, _ in bounds] == [0, *(end for _, end in bounds)][:len(bounds)]
    assert (bounds[-1][1] if bounds else 0) == rows
    assert all(0 < end - start <= size for start, end in bounds)
    smallest = max(1, -(-size // 5))
    assert rows <= size or all(end - start >= smallest for start, end in bounds)


def test_partitions_on_worker_processes_give_the_same_frame(monkeypatch: pytest.MonkeyPatch
                                                            ) -> None:
    inventory = generate_inventory(rows=24, seed=3)
    monkeypatch.setattr(fleet, "PARTITION_ROWS", 5)  # 9 partitions over 2 workers
    here = evaluate_frame(inventory, executor=InProcess())
    spread = evaluate_frame(inventory, executor=LocalProcesses(2))
    pd.testing.assert_frame_equal(here, spread)
    assert here["error"].isna().all()


def test_generated_inventory_covers_every_decision_and_evaluates() -> None:
    inventory = generate_inventory(rows=40, seed=1)
    assert set(inventory["decision"]) == set(archlib.decisions.ids())
    assert generate_inventory(rows=40, seed=1).equals(inventory)  # seeded
    assert evaluate_frame(inventory)["error"].isna().all()


def test_bundled_inventory_is_the_generator_output() -> None:
    """Re-run `python -m archlib._inventory` after adding a decision (this fails until)."""
    from archlib._inventory import DEFAULT_ROWS, DEFAULT_SEED
    from archlib.fleet_summary import example_path

    bundled = read_inventory(example_path())
    assert len(bundled) == DEFAULT_ROWS
    expected = generate_inventory(DEFAULT_ROWS, DEFAULT_SEED).fillna("").astype(str)
    pd.testing.assert_frame_equal(bundled, expected, check_dtype=False)


# --- inventory files -------------------------------------------------------------------------

ROWS = [{"account": "a-1", "decision": S3, "vpc_count": "3", "monthly_gb_in_vpc": "3000",
         "current_option": "interface-centralized"},
        {"account": "a-2", "decision": VMC, "services": "s3; rds", "current_option": ""}]


def _write(path: Path, rows: list[dict[str, Any]]) -> Path:
    frame = _frame(rows)
    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".xlsx":
        frame.to_excel(path, index=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        import yaml

        path.write_text(yaml.safe_dump([{k: v for k, v in r.items() if v != ""} for r in rows]))
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".parquet", ".yaml"])
def test_every_format_reads_to_the_same_results(tmp_path: Path, suffix: str) -> None:
    results = evaluate_frame(read_inventory(_write(tmp_path / f"inv{suffix}", ROWS)))
    assert results["recommended"].tolist() == ["gateway", "connected-vpc"]
    assert results.iloc[0]["monthly_saving_usd"] == pytest.approx(250.60)
    assert results["account"].tolist() == ["a-1", "a-2"]


def test_yaml_nested_weights_and_prices_become_columns(tmp_path: Path) -> None:
    path = tmp_path / "inv.yaml"
    path.write_text(f"rows:\n  - decision: {S3}\n    weights: {{monthly_cost: 5}}\n"
                    "    prices: {interface_endpoint_az_hour: 0.02}\n")
    frame = read_inventory(path)
    assert {"weights.monthly_cost", "prices.interface_endpoint_az_hour"} <= set(frame.columns)
    assert evaluate_frame(frame)["error"].isna().all()


@pytest.mark.parametrize(("name", "content", "problem"), [
    ("inv.txt", "x", "unknown inventory format '.txt'"),
    ("missing.csv", None, "no such inventory file"),
    ("inv.yaml", "decision: [", "broken YAML"),
    ("inv.yaml", "just text", "a YAML inventory is a list of rows"),
    ("inv.parquet", "not parquet", "cannot read as parquet"),
    ("inv.xlsx", "not a zip", "cannot read as xlsx"),
])
def test_unreadable_inventory_is_one_line_naming_the_file(tmp_path: Path, name: str,
                                                          content: str | None,
                                                          problem: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(InputError) as caught:
        read_inventory(path)
    line = str(caught.value)
    assert line.startswith(str(path)) and problem in line and "\n" not in line


# --- Evaluation.to_frame -------------------------------------------------------------------


def test_to_frame_is_the_option_table() -> None:
    ev = archlib.evaluate(S3, {"vpc_count": 3, "monthly_gb_in_vpc": 3000.0})
    table = ev.to_frame()
    assert list(table.index) == list(ev.decision.option_ids)
    # the README's 3-VPC example: 14.60 + 30.00 + 60.00 + 4 x 36.50 = 250.60
    hub = table.loc["interface-centralized"]
    assert hub["monthly_cost_usd"] == pytest.approx(250.60)
    items = [c for c in table.columns if c.startswith("cost.")]
    assert hub[items].sum() == pytest.approx(250.60)
    assert table.loc["gateway", "rank"] == 1
    assert pd.isna(table.loc["nat-gateway", "rank"]) and not table.loc["nat-gateway", "feasible"]
    assert "internet-path-not-allowed" in table.loc["nat-gateway", "ruled_out_by"]
    ranked = table.dropna(subset=["rank"]).sort_values("rank")
    assert list(ranked.index) == list(ev.ranking)
    assert {f"criterion.{c.id}" for c in ev.decision.criteria} <= set(table.columns)
