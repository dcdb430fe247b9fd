"""archlib.evaluate_scenario: scenario + --set overrides -> an evaluation, as an API call
(the CLI only prints it); errors located once, at the file or the flag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import archlib
from archlib.cli import app

HYBRID = Path(__file__).parents[1] / "scenarios" / "hybrid-file-gateway.yaml"


def test_the_cli_prints_what_the_api_computes() -> None:
    sets = ["vpc_count=3", "weights.monthly_cost=2", "prices.interface_endpoint_gb=0.02"]
    ev = archlib.evaluate_scenario("s3-endpoints", HYBRID, sets, ["gateway"])
    args = ["evaluate", "s3-endpoints", "--scenario", str(HYBRID), "--format", "json",
            "--exclude", "gateway", *[a for s in sets for a in ("--set", s)]]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == ev.to_dict()
    assert ev.params.vpc_count == 3 and ev.excluded == ("gateway",)
    assert ev.prices["interface_endpoint_gb"].value == 0.02


def test_scenario_evaluate_is_the_same_path() -> None:
    scenario = archlib.load_scenario(HYBRID)
    direct = archlib.evaluate_scenario("s3-endpoints", scenario, ["vpc_count=2"])
    assert scenario.evaluate("s3-endpoints", ["vpc_count=2"]).to_dict() == direct.to_dict()


@pytest.mark.parametrize(("sets", "exclude", "where", "field"), [
    (["vpc_count=0"], None, "--set vpc_count=0", "vpc_count"),
    (["weights.speed=1"], None, "--set weights.speed=1", "weights"),
    (["prices.nope=1"], None, "--set prices.nope=1", "prices.nope"),
    ([], ["nat"], "--exclude nat", "exclude"),
    (["vpc_count"], None, "--set vpc_count", ""),
])
def test_errors_name_the_flag(sets: list[str], exclude: list[str] | None, where: str,
                              field: str) -> None:
    with pytest.raises(archlib.InputError) as info:
        archlib.evaluate_scenario("s3-endpoints", None, sets, exclude)
    assert info.value.where == where
    assert info.value.field.startswith(field)


def test_errors_from_the_scenario_name_the_file() -> None:
    with pytest.raises(archlib.InputError) as info:
        archlib.evaluate_scenario("sqlserver-ha-dr", HYBRID)
    assert info.value.where == str(HYBRID) and info.value.field == "decisions"
    assert "has no section for 'sqlserver-ha-dr'" in str(info.value)
