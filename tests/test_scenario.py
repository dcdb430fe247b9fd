"""archlib._scenario: load_scenario / parse_scenario."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import archlib
from archlib import InputError, load_scenario
from archlib._scenario import parse_scenario

VALID = textwrap.dedent("""\
    name: Branch offices reach S3
    description: Two VPCs, on-premises callers over Direct Connect.
    prices:
      interface_endpoint_az_hour: 0.02
    decisions:
      s3-endpoints:
        vpc_count: 2
        az_count: 2
        on_prem_access: true
        monthly_gb_in_vpc: 1000
        monthly_gb_on_prem: 250.5
        weights:
          monthly_cost: 0.5
    """)


def _write(tmp_path: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_valid_file(tmp_path: Path) -> None:
    path = _write(tmp_path, VALID, "branch-offices.yaml")
    scenario = load_scenario(path)
    assert isinstance(scenario, archlib.Scenario)
    assert scenario.name == "Branch offices reach S3"
    assert scenario.description.startswith("Two VPCs")
    assert scenario.path == str(path)
    assert scenario.slug == "branch-offices"
    assert dict(scenario.prices) == {"interface_endpoint_az_hour": 0.02}
    assert dict(scenario.decisions["s3-endpoints"]) == {
        "vpc_count": 2, "az_count": 2, "on_prem_access": True, "monthly_gb_in_vpc": 1000,
        "monthly_gb_on_prem": 250.5, "weights": {"monthly_cost": 0.5}}


def test_valid_file_evaluates(tmp_path: Path) -> None:
    scenario = load_scenario(_write(tmp_path, VALID))
    ev = archlib.evaluate("s3-endpoints", scenario.decisions["s3-endpoints"],
                          prices=scenario.prices)
    # per-VPC interface endpoints at the scenario's $0.02 per AZ-hour, 2 VPCs x 2 AZs,
    # processing (1000 + 250.5) GB at $0.01 (first tier) = $12.505, billed half up as $12.51
    assert ev.option("interface").monthly_cost_usd == pytest.approx(
        2 * 2 * 0.02 * 730 + 12.51)


def test_description_is_optional() -> None:
    text = "name: minimal\ndecisions:\n  s3-endpoints: {}\n"
    scenario = parse_scenario(text, where="minimal.yaml")
    assert scenario.description == ""
    assert dict(scenario.decisions) == {"s3-endpoints": {}}


def test_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(InputError) as info:
        load_scenario(missing)
    assert str(info.value).startswith(str(missing))
    assert "no such scenario file" in str(info.value)


def test_broken_yaml(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: x\ndecisions:\n  s3-endpoints: {vpc_count: [1, 2\n")
    with pytest.raises(InputError) as info:
        load_scenario(path)
    line = str(info.value)
    assert line.startswith(f"{path}: ")
    assert "broken YAML" in line
    assert "line " in line and "column " in line
    assert "\n" not in line


def test_broken_yaml_line_number() -> None:
    # the tab on line 3 is not allowed in YAML indentation
    with pytest.raises(InputError) as info:
        parse_scenario("name: x\ndecisions:\n\ts3-endpoints: {}\n", where="tab.yaml")
    assert "line 3, column 1" in str(info.value)


ERROR_CASES = [
    # (id, YAML text, field the error names, words in the message)
    ("unknown top-level field",
     "name: x\nowner: me\ndecisions:\n  s3-endpoints: {}\n", "owner", ["unknown field"]),
    ("missing name", "decisions:\n  s3-endpoints: {}\n", "name", []),
    ("no decisions", "name: x\ndecisions: {}\n", "decisions", []),
    ("unknown decision id",
     "name: x\ndecisions:\n  s3-endpoint: {}\n", "decisions.s3-endpoint", ["s3-endpoints"]),
    ("wrong type is rejected (strict)",
     'name: x\ndecisions:\n  s3-endpoints:\n    vpc_count: "3"\n',
     "decisions.s3-endpoints.vpc_count", []),
    ("negative volume",
     "name: x\ndecisions:\n  s3-endpoints:\n    monthly_gb_in_vpc: -5\n",
     "decisions.s3-endpoints.monthly_gb_in_vpc", []),
    ("unknown parameter",
     "name: x\ndecisions:\n  s3-endpoints:\n    vpcs: 3\n",
     "decisions.s3-endpoints.vpcs", ["unknown field"]),
    ("unknown criterion weight",
     "name: x\ndecisions:\n  s3-endpoints:\n    weights: {speed: 1}\n",
     "decisions.s3-endpoints.weights", ["speed"]),
    ("!!binary value",
     "name: !!binary aGVsbG8=\ndecisions:\n  s3-endpoints: {}\n", "name", []),
    ("!!binary value in a decision",
     "name: x\ndecisions:\n  s3-endpoints:\n    region: !!binary aGVsbG8=\n",
     "decisions.s3-endpoints.region", []),
    ("date value",
     "name: x\ndescription: 2024-05-01\ndecisions:\n  s3-endpoints: {}\n", "description",
     ["date"]),
    ("date value in a decision",
     "name: x\ndecisions:\n  s3-endpoints:\n    region: 2024-05-01\n",
     "decisions.s3-endpoints.region", ["date"]),
    ("non-string key",
     "name: x\ndecisions:\n  s3-endpoints:\n    1: 2\n", "decisions.s3-endpoints",
     ["keys must be strings"]),
    ("unknown option excluded",
     "name: x\ndecisions:\n  s3-endpoints:\n    exclude: [gateway, nosuch]\n",
     "decisions.s3-endpoints.exclude", ["'nosuch'", "valid: gateway, interface"]),
    ("price as a string",
     'name: x\nprices:\n  nat_gateway_hour: "0.05"\ndecisions:\n  s3-endpoints: {}\n',
     "prices.nat_gateway_hour", []),
]


@pytest.mark.parametrize(("text", "field", "words"), [c[1:] for c in ERROR_CASES],
                         ids=[c[0] for c in ERROR_CASES])
def test_invalid_scenarios(tmp_path: Path, text: str, field: str, words: list[str]) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    error = info.value
    assert error.where == str(path)
    assert error.field == field
    line = str(error)
    assert line.startswith(f"{path}: {field}: ")
    assert "\n" not in line
    for word in words:
        assert word in line


@pytest.mark.parametrize("text", ["- a\n- b\n", "just text\n", "", "42\n"])
def test_not_a_mapping(text: str) -> None:
    with pytest.raises(InputError) as info:
        parse_scenario(text, where="odd.yaml")
    assert str(info.value).startswith("odd.yaml: ")


def test_exponent_numbers_read_as_numbers() -> None:
    # YAML 1.1 (PyYAML) reads 2e4 as text; scenario files accept it as 20,000.
    from archlib._scenario import parse_scenario

    scenario = parse_scenario(
        "name: x\ndecisions:\n  s3-endpoints: {monthly_gb_in_vpc: 2e4}\n", where="t.yaml")
    assert scenario.decisions["s3-endpoints"]["monthly_gb_in_vpc"] == 20000.0


def test_exclude_in_a_decision_section(tmp_path: Path) -> None:
    path = _write(tmp_path, "name: x\ndecisions:\n  s3-endpoints:\n    exclude: [gateway]\n")
    scenario = load_scenario(path)
    ev = archlib.evaluate("s3-endpoints", scenario.decisions["s3-endpoints"])
    assert ev.option("gateway").excluded
    assert ev.recommended == "interface"  # the other feasible option by default
