"""archlib/notebook_template.py: every committed notebook is what the one template gives for
its decision; each extra output gets a section of its own; a decision's own sections land
where it says; the parameters cell comes from the model; a decision defined outside archlib
gets a notebook that runs."""

from __future__ import annotations

import ast
import dataclasses
import importlib
import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import jupytext
import nbformat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from archlib import decisions
from archlib import notebook as nb
from archlib._engine import evaluate
from archlib._model import NotebookSection, Placement
from archlib.authoring import Placements, PriceTable, Sweep
from archlib.decisions import quicksight, s3_endpoints
from archlib.notebook_template import (
    GENERATED_NOTE,
    SECTION_IDS,
    _literal,
    _standard_sections,
    generate_notebook,
    notebook_script,
)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ALL = decisions.all_decisions()


def stem(decision: Any) -> str:
    return Path(decision.notebook).stem


def cells(script: str) -> list[tuple[str, str, tuple[str, ...]]]:
    nb = jupytext.reads(script, fmt="py:percent")
    return [(c.cell_type, c.source, tuple(c.metadata.get("tags", ()))) for c in nb.cells]


def headings(script: str) -> list[str]:
    return [source.splitlines()[0] for kind, source, _ in cells(script)
            if kind == "markdown" and source.startswith("## ")]


def parameters(script: str) -> str:
    (source,) = [source for _, source, tags in cells(script) if "parameters" in tags]
    return source


# --- the committed notebooks are generated ---------------------------------------------------


@pytest.mark.parametrize("decision", ALL, ids=lambda d: d.id)
def test_committed_script_is_what_the_template_gives(decision: Any) -> None:
    committed = (NOTEBOOKS / f"{stem(decision)}.py").read_text(encoding="utf-8")
    assert committed == notebook_script(decision), (
        f"notebooks/{stem(decision)}.py differs from the template: run `make notebooks`")


@pytest.mark.parametrize("decision", ALL, ids=lambda d: d.id)
def test_committed_ipynb_has_the_template_cells(decision: Any) -> None:
    """The executed notebook users open holds exactly the template's cells, in order, with
    the stable ids `make notebooks` gives them (nbval then compares their outputs)."""
    nb = nbformat.read(NOTEBOOKS / decision.notebook, as_version=4)
    committed = [(c.cell_type, c.source, tuple(c.metadata.get("tags", ()))) for c in nb.cells]
    assert committed == cells(notebook_script(decision)), "run `make notebooks`"
    assert [c.id for c in nb.cells] == [f"{stem(decision)}-{i}" for i in range(len(nb.cells))]


def test_every_committed_notebook_belongs_to_a_decision() -> None:
    """Every notebook but the fleet summary (issue 20: written by hand, not per decision) is a
    decision's, generated from the template."""
    expected = {stem(d) for d in ALL} | {"fleet"}
    assert {p.stem for p in NOTEBOOKS.glob("*.py")} == expected
    assert {p.stem for p in NOTEBOOKS.glob("*.ipynb")} == expected


@pytest.mark.parametrize("decision", ALL, ids=lambda d: d.id)
def test_notebook_says_it_is_generated(decision: Any) -> None:
    nb = nbformat.read(NOTEBOOKS / decision.notebook, as_version=4)
    setup = [c for c in nb.cells if c.cell_type == "code"][1]  # the one after the parameters
    assert setup.source.startswith(GENERATED_NOTE)
    assert "make notebooks" in GENERATED_NOTE


# --- sections --------------------------------------------------------------------------------

STANDARD = ["## Recommendation", "## Options", "## Monthly cost against data volume",
            "## Scores by weighted criterion", "## Robustness",
            "## Diagram of the recommended option", "## Cost items",
            "## Assumptions and sources", "## Explore"]


@pytest.mark.parametrize(("decision_id", "expected"), [
    ("s3-endpoints", STANDARD),
    # no volume parameters: the cost chart is bars per option, not lines over volume
    ("sqlserver-ha-dr", [h.replace("against data volume", "per option") for h in STANDARD]),
    # a section per extra output, after the options, with no notebook_sections
    ("quicksight-connectivity", [*STANDARD[:2], "## Reconstructed summary table", *STANDARD[2:]]),
    ("vmware-sddc", [*STANDARD[:2], "## Service placements", *STANDARD[2:]]),
])
def test_sections_in_template_order(decision_id: str, expected: list[str]) -> None:
    assert headings(notebook_script(decisions.get(decision_id))) == expected


def with_sections(*sections: NotebookSection, **changes: Any) -> Any:
    return dataclasses.replace(s3_endpoints.DECISION, notebook_sections=sections, **changes)


@pytest.mark.parametrize("decision_id", ["quicksight-connectivity", "vmware-sddc"])
def test_no_bundled_decision_writes_notebook_code_for_its_extra_outputs(decision_id: str) -> None:
    assert decisions.get(decision_id).notebook_sections == ()


#: A grid over the S3 decision's VPC count (any decision can declare one).
BY_VPCS = Sweep(id="by-vpcs", title="Preferred option by VPC count", axes={"vpc_count": (1, 5)},
                description="One evaluation per VPC count,\nthe rest as given.")


def test_an_extra_output_gets_a_section_with_no_notebook_code() -> None:
    found = cells(notebook_script(with_sections(extra_outputs=(BY_VPCS,))))
    start = found.index(("markdown", "## Preferred option by VPC count\nOne evaluation per "
                                     "VPC count,\nthe rest as given.", ()))
    assert found[start + 1] == ("code", 'nb.extra_output(ev, "by-vpcs")', ())
    # right after the options table, before the cost chart
    assert found[start - 1] == ("code", "nb.option_table(ev)", ())
    assert found[start + 2][1] == "## Monthly cost against data volume"
    assert found[:start] + found[start + 2:] == cells(notebook_script(with_sections()))


def placed_nowhere(p: s3_endpoints.Params, prices: PriceTable) -> tuple[Placement, ...]:
    return (Placement("s3", "the VPC", "gateway endpoint", "seed-s3-endpoint-cost"),)


def test_a_placement_model_gets_the_placements_section_first() -> None:
    """Without a Placements of its own the decision gets the generic one (its title and
    description), before its other extra outputs; its own sections come after those."""
    own = NotebookSection("Mine", "", ("1",))
    found = headings(notebook_script(with_sections(own, placements=placed_nowhere,
                                                   extra_outputs=(BY_VPCS,))))
    assert found[1:5] == ["## Options", "## Service placements",
                          "## Preferred option by VPC count", "## Mine"]
    script = notebook_script(with_sections(placements=placed_nowhere))
    assert ("# ## Service placements\n# Where each service should live, why, and what it saves "
            "against the\n# next-best placement where the sources give one.\n\n# %%\n"
            'nb.extra_output(ev, "placements")\n') in script


def test_a_placements_output_of_its_own_replaces_the_generic_one() -> None:
    worded = Placements(title="Where things go", description="Said my way.")
    decision = with_sections(placements=placed_nowhere, extra_outputs=(BY_VPCS, worded))
    assert headings(notebook_script(decision))[2:4] == ["## Preferred option by VPC count",
                                                        "## Where things go"]


def test_the_helper_draws_one_extra_output_by_id() -> None:
    ev = evaluate(quicksight.DECISION)
    shown = nb.extra_output(ev, "summary-table")
    # the view's table, with the report's styles inline (issue 18, D12)
    assert shown.body == nb.lab_styled(quicksight.SUMMARY_TABLE.html(ev)) and shown.text == (
        "Reconstructed summary table")
    assert 'class="archlib-grid"' in shown.body
    with pytest.raises(ValueError) as error:
        nb.extra_output(ev, "summary")
    assert str(error.value) == ("decision 'quicksight-connectivity' has no extra output "
                                "'summary' (known: summary-table)")


@pytest.mark.parametrize(("after", "next_heading"), [
    ("recommendation", "## Options"),
    ("robustness", "## Diagram of the recommended option"),
    ("diagrams", "## Cost items"),  # after the other options' diagrams, not between
    ("explore", None),  # the last cells of the notebook
])
def test_a_declared_section_lands_after_the_section_it_names(after: str,
                                                              next_heading: str | None) -> None:
    section = NotebookSection("Extra grid", "Line one\nline two.",
                              ("x = 1", "nb.Html(f'<p>{x}</p>')"), after=after)
    found = cells(notebook_script(with_sections(section)))
    start = found.index(("markdown", "## Extra grid\nLine one\nline two.", ()))
    assert found[start + 1:start + 3] == [("code", "x = 1", ()),
                                          ("code", "nb.Html(f'<p>{x}</p>')", ())]
    rest = found[start + 3:]
    assert (rest[0][1].splitlines()[0] if rest else None) == next_heading
    # everything else is the standard notebook, unchanged
    assert found[:start] + rest == cells(notebook_script(with_sections()))


def test_sections_after_the_same_one_keep_their_order() -> None:
    script = notebook_script(with_sections(NotebookSection("First", "", ("1",)),
                                           NotebookSection("Second", "", ("2",))))
    assert headings(script)[1:4] == ["## Options", "## First", "## Second"]


def test_a_section_after_an_unknown_one_is_refused() -> None:
    with pytest.raises(ValueError) as error:
        notebook_script(with_sections(NotebookSection("Grid", "", ("1",), after="nowhere")))
    assert str(error.value) == (
        "decision 's3-endpoints': notebook section 'Grid' follows unknown section 'nowhere' "
        "(known: recommendation, options, cost, scores, robustness, diagrams, cost-items, "
        "assumptions, explore)")
    assert len(SECTION_IDS) == 9


def test_the_opening_paragraph_defaults_to_the_question() -> None:
    question = " ".join(["Which way?"] * 30)
    decision = with_sections(notebook_intro="", question=question)
    title, intro = cells(notebook_script(decision))[0][1].split("\n\n")
    assert title == f"# {decision.title}"
    lines = intro.split("\n")
    assert max(map(len, lines)) <= 92 and len(lines) > 3
    assert " ".join(lines) == (f"{question} The options are checked against sourced "
                               "rules, costed at the stated prices, scored on weighted criteria "
                               "and drawn below; every rule, price and judgement names its "
                               "source.")


# --- the parameters cell ---------------------------------------------------------------------


def comments(source: str) -> dict[str, str]:
    """name -> its comment (the one beside it, or the lines above it)."""
    found, above = {}, []
    for line in source.splitlines():
        if line.startswith("# "):
            above.append(line[2:])
            continue
        code, _, beside = line.partition("  # ")
        found[code.split(" = ")[0]] = beside or " ".join(above)
        above = []
    return found


def test_parameters_are_commented_from_the_model() -> None:
    source = parameters(notebook_script(s3_endpoints.DECISION))
    said = comments(source)
    fields = s3_endpoints.Params.model_fields
    assert said["vpc_count"] == fields["vpc_count"].description == "VPCs whose workloads use S3."
    assert said["on_prem_dns"] == (fields["on_prem_dns"].description
                                   + ' One of: "endpoint-names", "private-dns".')
    assert said["weights"].endswith(
        "Criteria: monthly_cost, operational_complexity, private_path_control, "
        "throughput_headroom.")
    assert said["exclude"].endswith(f"Options: {', '.join(s3_endpoints.DECISION.option_ids)}.")
    # the notebook's own parameters first, then the decision's fields, then the shared ones
    names = list(said)
    assert names[:4] == ["scenario_name", "scenario_description", "prices", "interactive"]
    assert names[-3:] == ["weights", "exclude", "cost_materiality_usd"]
    assert all(len(line) <= 100 for line in source.splitlines())


def test_allowed_values_are_not_repeated_when_the_description_names_them() -> None:
    """VMware's services description lists every service already; SQL Server's edition
    description names none of them."""
    vmware = comments(parameters(notebook_script(decisions.get("vmware-sddc"))))
    assert "Any of" not in vmware["services"]
    sql = comments(parameters(notebook_script(decisions.get("sqlserver-ha-dr"))))
    assert sql["sql_edition"].endswith('One of: "standard", "enterprise".')


@pytest.mark.parametrize("decision", ALL, ids=lambda d: d.id)
def test_parameters_are_the_defaults(decision: Any) -> None:
    assigned = {}
    for node in ast.parse(parameters(notebook_script(decision))).body:
        assert isinstance(node, ast.Assign)
        (target,) = node.targets
        assert isinstance(target, ast.Name)
        assigned[target.id] = ast.literal_eval(node.value)
    defaults = decision.params_model().model_dump()
    assert {k: assigned[k] for k in defaults} == defaults
    assert assigned["interactive"] is True and assigned["prices"] == {}


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12)


@given(JSONISH)
def test_a_default_reads_back_as_itself(value: Any) -> None:
    assert ast.literal_eval(_literal(value)) == value


def test_a_default_with_no_literal_is_refused() -> None:
    with pytest.raises(TypeError, match="no literal for a default of type object"):
        _literal(object())


# --- files -----------------------------------------------------------------------------------


def test_generating_twice_leaves_the_file_untouched(tmp_path: Path) -> None:
    (script,) = generate_notebook(s3_endpoints.DECISION, tmp_path, execute=False)
    first, stamp = script.read_bytes(), script.stat().st_mtime_ns
    assert generate_notebook(s3_endpoints.DECISION, tmp_path, execute=False) == [script]
    assert script.read_bytes() == first and script.stat().st_mtime_ns == stamp
    assert first.decode("utf-8") == notebook_script(s3_endpoints.DECISION)


OUTSIDE = '''\
"""A decision defined outside archlib: the S3 decision under another id."""
import dataclasses

from archlib import decisions
from archlib.decisions import s3_endpoints


class Params(s3_endpoints.Params):
    """The same parameters, declared here."""


DECISION = dataclasses.replace(s3_endpoints.DECISION, id="s3-outside", params_model=Params)
# The explorer finds a decision by id: the module registers it when imported.
decisions._REGISTRY[DECISION.id] = DECISION
'''


def test_a_decision_defined_outside_archlib_gets_a_notebook_that_runs(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "outside_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "copy_decision.py").write_text(OUTSIDE)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        [str(tmp_path), *filter(None, [os.environ.get("PYTHONPATH")])]))  # for the kernel
    monkeypatch.setattr(decisions, "_REGISTRY", dict(decisions._REGISTRY))  # undone after
    try:
        decision = importlib.import_module("outside_pkg.copy_decision").DECISION
        script, ipynb = generate_notebook(decision, tmp_path / "nb")
    finally:
        for name in ("outside_pkg.copy_decision", "outside_pkg"):
            sys.modules.pop(name, None)
    text = script.read_text(encoding="utf-8")
    assert textwrap.dedent("""\
        from archlib import notebook as nb
        from outside_pkg.copy_decision import DECISION

        ev = nb.evaluate_from(globals(), DECISION)
        """) in text
    nb = nbformat.read(ipynb, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    outputs = [o for c in code for o in c.outputs]
    assert not [o for o in outputs if o["output_type"] == "error"], json.dumps(outputs)[:2000]
    recommendation = next(c for c in code if c.source == "nb.recommendation(ev)")
    # the S3 defaults: one VPC, 1,000 GB/month, nothing on-premises: the free gateway
    assert "Recommended: Gateway endpoint per VPC <small" in (
        recommendation.outputs[0].data["text/html"])


def test_a_decision_that_is_no_module_level_name_is_refused() -> None:
    unnamed = dataclasses.replace(s3_endpoints.DECISION, id="nowhere")
    with pytest.raises(ValueError, match="'nowhere': define it as a module-level name"):
        notebook_script(unnamed)


@pytest.mark.parametrize("decision", ALL, ids=lambda d: d.id)
def test_section_ids_name_the_template_sections(decision: Any) -> None:
    """SECTION_IDS (what `after` may name) are the template's sections, in order."""
    assert tuple(_standard_sections(decision)) == SECTION_IDS
