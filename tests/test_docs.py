"""The README documents what exists: its first code block is the two set-up commands, every
CLI command, decision, option and JSON key is described, and Makefile targets it names exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import archlib
from archlib import decisions
from archlib.cli import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_first_code_block_is_exactly_the_two_commands() -> None:
    first = re.search(r"```[a-z]*\n(.*?)```", README, re.S)
    assert first is not None
    assert first.group(1).splitlines() == ["make report", "make test"]


def test_makefile_has_the_documented_targets() -> None:
    makefile = (ROOT / "Makefile").read_text()
    for target in ("report", "test", "lab", "help", "lint", "notebooks"):
        assert re.search(rf"^{target}:", makefile, re.M), target
        assert f"make {target}" in README, target


def test_every_cli_command_is_documented() -> None:
    names = [c.name for c in app.registered_commands]
    assert set(names) == {"list", "evaluate", "report", "adr", "init", "fleet"}
    for name in names:
        assert f"`archlib {name}" in README, name



def test_every_prices_command_is_documented() -> None:
    from archlib.cli_prices import prices_app

    names = [c.name for c in prices_app.registered_commands]
    assert set(names) == {"update", "list", "show"}
    for name in names:
        assert f"`archlib prices {name}" in README, name
    for variable in ("ARCHLIB_PRICE_CACHE", "ARCHLIB_PRICE_MAX_AGE_DAYS"):
        assert variable in README, variable


def test_every_decision_and_option_is_documented() -> None:
    for decision in decisions.all_decisions():
        assert f"`{decision.id}`" in README
        for option_id in decision.option_ids:
            assert f"`{option_id}`" in README, option_id
        for field in decision.params_model.model_fields:
            assert f"`{field}`" in README, field


def test_every_json_key_is_documented() -> None:
    ev = archlib.evaluate("s3-endpoints")
    data = ev.to_dict()
    for key in data:
        assert f"`{key}`" in README, key
    for key in data["options"][0]:
        assert f"`{key}`" in README, key
    for key in data["requirements"][0]:
        assert f"`{key}`" in README, key
    for key in data["requirements"][0]["cells"][0]:
        assert f"`{key}`" in README, key


def test_every_variant_and_results_key_is_documented(tmp_path: Path) -> None:
    from archlib.report.jobs import ReportOutcome, ReportRow
    from archlib.report.results import results_json
    from archlib.variants import evaluate_variants

    scenario = archlib.load_scenario(ROOT / "scenarios" / "multi-account-hub.yaml")
    ev = archlib.evaluate_scenario("s3-endpoints", scenario)
    variant = evaluate_variants(scenario, "s3-endpoints", ev)[0].to_dict()
    for key in [*variant, *variant["changes"][0]]:
        assert f"`{key}`" in README, key
    row = ReportRow("x.yaml", "x", "s3-endpoints", True, recommended=ev.recommended,
                    evaluation=ev, report_id="x/s3-endpoints")
    data = json.loads(results_json(ReportOutcome(tmp_path, (row,)), "now"))
    for key in [*data, *data["reports"][0]]:
        assert f"`{key}`" in README, key


def test_ci_runs_the_readme_test_command_on_the_oldest_and_newest_python() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    runs = re.findall(r"^make test (.*)$", ci, re.M)
    # The whole suite on the oldest; on the newest, all but the integration modules.
    assert runs == ['PYTHON="$oldest"',
                    'PYTHON="$newest" VENV=.venv-py3.13 PYTEST_ARGS="-m \'not integration\'"']
    assert "oldest=$(python_for 3.11)" in ci and "newest=$(python_for 3.13)" in ci
    classifiers = re.findall(r'"Programming Language :: Python :: (3\.\d+)"',
                             (ROOT / "pyproject.toml").read_text())
    assert (classifiers[0], classifiers[-1]) == ("3.11", "3.13")


def test_the_install_section_covers_pip_conda_and_init() -> None:
    section = README.split("## Installing", 1)[1].split("\n## ", 1)[0]
    for text in ("pip install", "conda env create -f environment.yml", "conda activate archlib",
                 "archlib init", "jupyter lab", "archlib --version", "python -m archlib",
                 "make report", "make test"):
        assert text in section, text
