"""The ``archlib`` command (archlib/cli.py)."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from archlib import decisions
from archlib.cli import app, parse_sets
from archlib.decisions import s3_endpoints

S3 = "s3-endpoints"
TOP_KEYS = {"decision", "title", "params", "recommended", "ranking", "options", "actions",
            "verdict", "requirements",
            "assumptions", "sources", "prices_as_of", "placements", "robustness"}
runner = CliRunner()


def _run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _json(*args: str) -> dict[str, Any]:
    result = _run("evaluate", S3, "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def _command() -> list[str]:
    found = shutil.which("archlib", path=str(Path(sys.executable).parent))
    if found:
        return [found]
    return [sys.executable, "-c", "from archlib.cli import main; main()"]


def _process(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*_command(), *args], capture_output=True, text=True, timeout=60,
                          cwd=cwd, check=False)


# --- list ------------------------------------------------------------------------------------


def test_list() -> None:
    result = _run("list")
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if x.startswith(S3))
    for option in ("gateway", "interface", "interface-centralized", "gateway-plus-interface",
                   "gateway-proxy-fleet", "nat-gateway"):
        assert option in line


# --- decisions of your own: --decisions-module, ARCHLIB_DECISIONS ----------------------------

OWN_MODULE = """\
import dataclasses

from archlib import decisions
from archlib.decisions import s3_endpoints


class Params(s3_endpoints.Params):
    \"\"\"The S3 decision's parameters, declared here.\"\"\"


DECISION = decisions.register(dataclasses.replace(
    s3_endpoints.DECISION, id="{id}", title="{id} copy", params_model=Params))
"""


@pytest.fixture
def own_modules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Package ``own`` with modules ``a`` and ``b`` (each registers a copy of the S3 decision,
    ``s3-a`` and ``s3-b``) and ``broken`` (a rule naming an option that does not exist)."""
    package = tmp_path / "own"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("a", "b"):
        (package / f"{name}.py").write_text(OWN_MODULE.format(id=f"s3-{name}"))
    (package / "broken.py").write_text(OWN_MODULE.format(id="s3-broken").replace(
        "params_model=Params", "params_model=Params, volume_fields=('monthly_tb',)"))
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(decisions, "_REGISTRY", dict(decisions._REGISTRY))  # undone after
    yield tmp_path
    for module in [m for m in sys.modules if m.split(".")[0] == "own"]:
        del sys.modules[module]


def _ids(result: Any) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return [line.split("\t")[0] for line in result.stdout.splitlines()]


def test_decisions_modules_from_the_option_are_listed(own_modules: Path) -> None:
    bundled = list(decisions.ids())
    ids = _ids(_run("--decisions-module", "own.a", "--decisions-module", "own.b", "list"))
    assert ids == [*bundled, "s3-a", "s3-b"]  # after archlib's own


@pytest.mark.parametrize("value", ["own.a,own.b", "own.a own.b", " own.a, own.b ,"])
def test_decisions_modules_from_the_environment(own_modules: Path, value: str) -> None:
    bundled = list(decisions.ids())
    ids = _ids(runner.invoke(app, ["list"], env={"ARCHLIB_DECISIONS": value}))
    assert ids == [*bundled, "s3-a", "s3-b"]


def test_a_decision_of_your_own_evaluates_from_the_command_line(own_modules: Path) -> None:
    result = runner.invoke(app, ["evaluate", "s3-a", "--format", "json", "--set",
                                 "vpc_count=1"], env={"ARCHLIB_DECISIONS": "own.a"})
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    # the S3 decision's answer for one VPC and nothing on-premises: the free gateway
    assert (data["decision"], data["recommended"]) == ("s3-a", "gateway")


@pytest.mark.parametrize(("args", "env", "line"), [
    (["--decisions-module", "own.nothing", "list"], {},
     "archlib: --decisions-module: no decision module 'own.nothing' (install it, or put the "
     "folder holding it on PYTHONPATH)"),
    (["list"], {"ARCHLIB_DECISIONS": "own.a,elsewhere.mod"},
     "archlib: ARCHLIB_DECISIONS: no decision module 'elsewhere.mod' (install it, or put the "
     "folder holding it on PYTHONPATH)"),
    (["--decisions-module", "own.broken", "list"], {},
     "archlib: --decisions-module: decision module 'own.broken' cannot be imported (decision "
     "'s3-broken': volume field 'monthly_tb' is not a parameter of Params)"),
])
def test_a_decisions_module_that_does_not_import_is_one_line(
        own_modules: Path, args: list[str], env: dict[str, str], line: str) -> None:
    result = runner.invoke(app, args, env=env)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", line + "\n")


def test_a_report_without_the_decisions_notebook_fails_its_row(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: S\ndecisions:\n  s3-endpoints: {}\n")
    (tmp_path / "empty").mkdir()
    result = _run("report", str(scenario), "--notebooks", str(tmp_path / "empty"),
                  "--out", str(tmp_path / "out"), "--quiet")
    assert result.exit_code == 1
    assert ("s3-endpoints: no notebook s3_endpoints.ipynb in the notebooks folder "
            "(archlib.notebook_template.generate_notebook writes it)") in result.stderr
    missing = _run("report", str(scenario), "--notebooks", str(tmp_path / "nowhere"))
    assert missing.exit_code == 2
    assert missing.stderr == f"archlib: --notebooks: no folder '{tmp_path / 'nowhere'}'\n"


# --- evaluate --------------------------------------------------------------------------------


def test_evaluate_json_contract() -> None:
    data = _json()
    assert set(data) == TOP_KEYS
    assert data["decision"] == S3
    assert data["recommended"] == "gateway"


def test_set_on_prem_changes_the_recommendation() -> None:
    assert _json()["recommended"] == "gateway"
    assert _json("--set", "on_prem_access=true")["recommended"] == "gateway-plus-interface"


def test_set_weight() -> None:
    data = _json("--set", "weights.monthly_cost=0")
    assert data["params"]["weights"] == {"monthly_cost": 0.0}
    weights = next(a for a in data["assumptions"] if a["id"] == "weights")
    assert "Monthly cost 0.00" in weights["text"]


def test_set_several_weights_and_params() -> None:
    data = _json("--set", "weights.monthly_cost=0", "--set", "weights.throughput_headroom=0",
                 "--set", "weights.operational_complexity=0", "--set", "vpc_count=2")
    # All weight on private path and control: interface endpoints (5) beat gateway (4); the
    # hub over peering (14.60 + 10 + 500 GB across AZs x 0.02 = 34.60), the per-VPC interface
    # endpoints (2 VPC x 2 AZ x 0.01 x 730 + 1000 x 0.01 = 39.20) and the Transit Gateway hub
    # (14.60 + 10 + 1000 x 0.02 + 3 x 0.05 x 730 = 154.10) tie, and rank by cost.
    assert data["recommended"] == "interface-hub-peering"
    assert data["ranking"][:3] == ["interface-hub-peering", "interface", "interface-centralized"]
    assert data["params"]["vpc_count"] == 2


def test_set_values_parse_as_yaml() -> None:
    data = _json("--set", "on_prem_access=true", "--set", "vpc_count=3",
                 "--set", "peak_gbps=2.5", "--set", "monthly_gb_in_vpc=1000",
                 "--set", "region=us-east-1")
    params = data["params"]
    assert params["on_prem_access"] is True
    assert params["vpc_count"] == 3
    assert params["peak_gbps"] == 2.5
    assert params["monthly_gb_in_vpc"] == 1000.0
    assert params["region"] == "us-east-1"


@pytest.mark.parametrize(
    ("item", "key", "value"),
    [
        ("on_prem_access=true", "on_prem_access", True),
        ("on_prem_access=false", "on_prem_access", False),
        ("vpc_count=3", "vpc_count", 3),
        ("peak_gbps=2.5", "peak_gbps", 2.5),
        ('vpc_count="3"', "vpc_count", "3"),  # quoted: a string (then rejected by the model)
        ("region=eu-west-1", "region", "eu-west-1"),
        ("weights.monthly_cost=0", "weights.monthly_cost", 0),
        ("services=[s3, rds]", "services", ["s3", "rds"]),
        (" vpc_count = 4", "vpc_count", 4),
    ],
)
def test_parse_sets(item: str, key: str, value: Any) -> None:
    ((given, parsed_key, parsed_value),) = parse_sets([item])
    assert given == item
    assert parsed_key == key
    assert parsed_value == value
    assert type(parsed_value) is type(value)


def test_markdown() -> None:
    result = _run("evaluate", S3, "--format", "markdown")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    header = next(i for i, x in enumerate(lines) if x.startswith("| rank |"))
    assert lines[header + 1].startswith("|---|")
    end = lines.index("", header)  # the options table ends at the first blank line
    rows = lines[header + 2:end]
    assert len(rows) == 8  # one per option
    assert rows[0].startswith("| 1 | `gateway` |")
    # The robustness section follows, with its own tables.
    section = lines.index("## Robustness")
    assert lines[section + 2].startswith("Gateway endpoint per VPC wins in ")
    # (0.75 - S) / (1.25 - S / 0.8), S = 0.4 x 100 / 124.6 + 0.3375 (tests/test_robustness.py)
    assert "| Private path and control | 0.20 | +0.2143 | `interface` |" in lines
    assert "**How firm:** Clear. Gateway endpoint per VPC wins" in "\n".join(lines)


def test_table_format() -> None:
    result = _run("evaluate", S3)
    assert result.exit_code == 0
    assert "gateway" in result.stdout
    assert "Recommended: gateway" in result.stdout
    # the table says how firm the answer is, in the same words as the reports
    assert "How firm: Clear. Gateway endpoint per VPC wins" in " ".join(result.stdout.split())
    assert "Robustness: Gateway endpoint per VPC wins in" in " ".join(result.stdout.split())


# --- scenarios -------------------------------------------------------------------------------

SCENARIO = textwrap.dedent("""\
    name: On-premises analytics
    prices:
      interface_endpoint_az_hour: 0.02
    decisions:
      s3-endpoints:
        on_prem_access: true
        monthly_gb_in_vpc: 100000
        monthly_gb_on_prem: 1000
    """)


def test_exclude_is_repeatable_and_shown_as_excluded_by_you() -> None:
    data = _json("--set", "on_prem_access=true", "--exclude", "gateway-proxy-fleet",
                 "--exclude", "interface")
    assert data["ranking"] == ["gateway-plus-interface"]
    assert data["params"]["exclude"] == ["gateway-proxy-fleet", "interface"]
    excluded = {o["id"] for o in data["options"] if o["excluded"]}
    assert excluded == {"gateway-proxy-fleet", "interface"}
    assert data["verdict"]["level"] == "clear"  # the only option left
    table = _run("evaluate", S3, "--exclude", "interface")
    assert table.exit_code == 0
    assert "excluded by you" in table.stdout


@pytest.mark.parametrize("command", ["evaluate", "adr"])
def test_exclude_of_an_unknown_option_is_one_line_exit_2(command: str) -> None:
    result = _run(command, S3, "--exclude", "nosuch")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("archlib: --exclude nosuch: exclude: unknown option 'nosuch'")
    assert "valid: gateway, interface, interface-centralized" in lines[0]


def test_adr_with_exclude() -> None:
    result = _run("adr", S3, "--exclude", "interface")
    assert result.exit_code == 0, result.stderr
    assert "* `interface`: Interface endpoint per VPC (excluded by you)" in result.stdout
    assert "    exclude:\n    - interface\n" in result.stdout


def test_scenario_section_is_used(tmp_path: Path) -> None:
    path = tmp_path / "analytics.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    data = _json("--scenario", str(path))
    assert data["recommended"] == "gateway-plus-interface"
    assert data["params"]["monthly_gb_in_vpc"] == 100000
    mixed = next(o for o in data["options"] if o["id"] == "gateway-plus-interface")
    # the scenario's price: 2 AZ x $0.02 x 730 + 1,000 GB x $0.01
    assert mixed["monthly_cost_usd"] == round(2 * 0.02 * 730 + 1000 * 0.01, 2)  # 39.20


def test_set_overrides_the_scenario(tmp_path: Path) -> None:
    path = tmp_path / "analytics.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    data = _json("--scenario", str(path), "--set", "on_prem_access=false")
    assert data["params"]["on_prem_access"] is False
    assert data["params"]["monthly_gb_in_vpc"] == 100000
    assert data["recommended"] == "gateway"


def test_scenario_without_the_decision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Only s3-endpoints is registered, so register a second decision for this test: a scenario
    # that covers only the other one has no section for s3-endpoints.
    other = dataclasses.replace(s3_endpoints.DECISION, id="other-decision")
    monkeypatch.setitem(decisions._REGISTRY, "other-decision", other)
    path = tmp_path / "other.yaml"
    path.write_text("name: other\ndecisions:\n  other-decision: {}\n", encoding="utf-8")
    result = _run("evaluate", S3, "--scenario", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert str(path) in lines[0]
    assert S3 in lines[0]
    assert result.stdout == ""


# --- input errors: exit 2, one line on stderr ------------------------------------------------

SET_ERRORS = [
    # (--set item, words the line must contain besides the item)
    ("vpc_count=0", ["vpc_count"]),
    ('vpc_count="3"', ["vpc_count"]),
    ("vpc_count=abc", ["vpc_count"]),
    ("monthly_gb_in_vpc=-1", ["monthly_gb_in_vpc"]),
    ("nosuch=1", ["nosuch", "unknown field"]),
    ("weights.nosuch=1", ["weights", "nosuch"]),
    ("weights.monthly_cost=-1", ["weights"]),
    ("region=mars", ["region"]),
    ("region=eu-west-1", ["region", "eu-west-1", "prices:"]),
    ("vpc_count", ["name=value"]),
    ("vpc_count=[1", ["vpc_count", "YAML"]),
    ("vpc_count=2024-01-01", ["vpc_count", "date"]),
]


@pytest.mark.parametrize(("item", "words"), SET_ERRORS)
def test_set_errors(item: str, words: list[str]) -> None:
    result = _run("evaluate", S3, "--set", item)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert f"--set {item}" in lines[0]
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_unknown_decision() -> None:
    result = _run("evaluate", "no-such-decision")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "no-such-decision" in line and S3 in line


def test_bad_format() -> None:
    result = _run("evaluate", S3, "--format", "xml")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert "--format" in line


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("name: x\ndecisions:\n  s3-endpoints:\n    vpc_count: -1\n",
         ["decisions.s3-endpoints.vpc_count"]),
        ("name: x\ndecisions:\n  s3-endpoints: {vpc_count: [1\n", ["broken YAML", "line "]),
        ("name: x\ndecisions:\n  nope: {}\n", ["decisions.nope", S3]),
        ("name: x\nprices:\n  nosuch: 1\ndecisions:\n  s3-endpoints: {}\n", ["prices.nosuch"]),
        ("name: x\ndecisions:\n  s3-endpoints:\n    region: mars\n", ["region"]),
    ],
)
def test_scenario_errors(tmp_path: Path, text: str, words: list[str]) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    result = _run("evaluate", S3, "--scenario", str(path))
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(path) in lines[0]
    for word in words:
        assert word in lines[0]


def test_missing_scenario_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.yaml"
    result = _run("evaluate", S3, "--scenario", str(missing))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert str(missing) in line


# --- the installed command: exit codes and stderr --------------------------------------------


def test_process_json_exit_0() -> None:
    done = _process("evaluate", S3, "--format", "json", "--set", "on_prem_access=true")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == TOP_KEYS
    assert data["recommended"] == "gateway-plus-interface"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["evaluate", S3, "--set", "vpc_count=0"], ["--set vpc_count=0", "vpc_count"]),
        (["evaluate", "nope"], ["nope", S3]),
    ],
)
def test_process_input_error(args: list[str], words: list[str]) -> None:
    done = _process(*args)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("archlib: ")
    for word in words:
        assert word in lines[0]
    assert "Traceback" not in done.stderr


def test_process_scenario_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text('name: x\ndecisions:\n  s3-endpoints:\n    vpc_count: "3"\n',
                    encoding="utf-8")
    done = _process("evaluate", S3, "--scenario", str(path))
    assert done.returncode == 2
    (line,) = done.stderr.splitlines()
    assert str(path) in line and "decisions.s3-endpoints.vpc_count" in line
    assert "Traceback" not in done.stderr
