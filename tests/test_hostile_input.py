"""Property: whatever YAML document or ``--set`` string arrives, ``archlib evaluate`` and
``archlib report`` answer with exit code 0 (it was valid) or 2 (one sanitized line on stderr,
no traceback) - a report batch may also exit 1 with the scenario as a failed row - and
nothing is written outside the output folder (issue 21)."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from archlib.cli import app

S3 = "s3-endpoints"
runner = CliRunner()
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
#: No database (it would be a folder in the checkout), no deadline (no wall clock).
def _property(max_examples: int) -> settings:
    return settings(max_examples=max_examples, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

# YAML-significant characters, so random text hits the scanner, parser and composer.
YAML_TEXT = st.text(alphabet=st.sampled_from(list("[]{}:,-&*!|>'\"#%@?~ \n\t.0123456789eE+_"
                                                  "abxyz\\\x00\x1b\u2028é")), max_size=200)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                    st.sampled_from(["017", "1:00", "0o17", "0x1f", ".inf", "1e999",
                                     "9" * 60, "yes", "2024-13-45", "!!binary aGk="]))
PLAIN = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
PARAM_NAMES = st.sampled_from(["vpc_count", "az_count", "monthly_gb_in_vpc", "region",
                               "weights", "peak_gbps", "on_prem_access", "proxy_count"])
SCENARIOS = st.fixed_dictionaries(
    {"name": st.one_of(st.text(max_size=10), SCALARS),
     "decisions": st.one_of(
         st.fixed_dictionaries({S3: st.dictionaries(PARAM_NAMES, PLAIN, max_size=3)}),
         PLAIN)},
    optional={"description": PLAIN, "prices": st.dictionaries(
        st.sampled_from(["nat_gateway_hour", "interface_endpoint_az_hour", "x"]), SCALARS,
        max_size=2), "extra": PLAIN})


def _dumped(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None)


DOCUMENTS = st.one_of(YAML_TEXT, SCENARIOS.map(_dumped), PLAIN.map(_dumped),
                      # structural attacks, small: nesting, aliases, duplicates, tags
                      st.integers(1, 60).map(lambda n: "name: x\ndecisions: " + "[" * n
                                             + "]" * n),
                      st.sampled_from(["a: &a [*a]\n", "name: a\nname: b\n",
                                       "name: !!python/name:os.system\n",
                                       "x: &x [1,1,1,1,1,1,1,1,1,1]\ny: &y [*x,*x,*x,*x,*x,*x,"
                                       "*x,*x,*x,*x]\nz: [*y,*y,*y,*y,*y,*y,*y,*y,*y,*y]\n"]))
SETS = st.lists(st.one_of(
    st.tuples(PARAM_NAMES, YAML_TEXT).map("=".join),
    st.text(max_size=40),
    st.tuples(st.sampled_from(["prices.nat_gateway_hour", "weights.monthly_cost"]),
              st.sampled_from(["1e308", "-1", ".nan", "1:00", "[", "&a [*a]"])).map("=".join),
), max_size=3)


def _files_under(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def _check(result: Any, *, allowed: tuple[int, ...]) -> None:
    assert result.exit_code in allowed, (result.exit_code, result.stderr, result.exception)
    assert "Traceback" not in result.stderr
    if result.exception is not None:
        assert isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("archlib: ")
        assert not RAW_CONTROL.search(lines[0])


def _scenario_in(root: Path, document: str) -> Path:
    """``document`` written as ``root/in/scenario.yaml`` (lone surrogates kept as bytes)."""
    scenario = root / "in" / "scenario.yaml"
    scenario.parent.mkdir()
    scenario.write_text(document, encoding="utf-8", errors="surrogatepass")
    return scenario


@_property(max_examples=200)
@given(document=DOCUMENTS, sets=SETS)
def test_evaluate_answers_any_document_and_set_with_one_line(document: str,
                                                             sets: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        scenario = _scenario_in(root, document)
        before = _files_under(root)
        args = ["evaluate", S3, "--scenario", str(scenario), "--format", "json"]
        for item in sets:
            args += ["--set", item]
        _check(runner.invoke(app, args), allowed=(0, 2))
        assert _files_under(root) == before


@_property(max_examples=25)  # each example may start a batch of notebooks: kept modest
@given(document=DOCUMENTS)
def test_report_answers_any_document_with_a_line_or_a_failed_row(document: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        scenario = _scenario_in(root, document)
        before = _files_under(root)
        old = os.environ.get("SOURCE_DATE_EPOCH")
        os.environ["SOURCE_DATE_EPOCH"] = "1700000000"
        try:
            result = runner.invoke(app, ["report", str(scenario), "--out", str(root / "out"),
                                         "--quiet", "--workers", "1"])
        finally:
            if old is None:
                del os.environ["SOURCE_DATE_EPOCH"]
            else:
                os.environ["SOURCE_DATE_EPOCH"] = old
        _check(result, allowed=(0, 1, 2))
        if result.exit_code == 1:  # the scenario is a failed row of the index
            assert result.stderr.startswith(f"FAILED  {scenario}")
            assert (root / "out" / "index.html").is_file()
        outside = {f for f in _files_under(root) - before if not f.startswith("out")}
        assert outside == set()
        assert not [f for f in _files_under(root) if f.endswith(".tmp")]
