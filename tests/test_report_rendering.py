"""One report's rendering (archlib/report/rendering.py): the diagrams inlined with one icon
sprite, and the per-report checks papermill and nbclient repeat left out, the notebook
still checked once (issue 23)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from hypothesis import given
from hypothesis import strategies as st
from report_batch import s3_notebooks_with

from archlib import report
from archlib.report import rendering

S3 = "s3-endpoints"
#: The pattern the sprite's symbols were cut with before issue 23: the same matches, slower.
LAZY_SYMBOL = re.compile(r'<symbol id="(?P<id>icon\.[0-9a-f]+)".*?</symbol>', re.S)

_PIECES = st.sampled_from(['<symbol id="icon.0a">', '<symbol id="icon.ff" x="1">',
                           "</symbol>", "</symbol", "<", "</", "/symbol>", "<image/>",
                           "x", "\n", '"', "<symbol", "</symbo>", "</symbol>>"])


@given(st.lists(_PIECES, max_size=30))
def test_the_symbol_pattern_cuts_what_the_lazy_one_cut(pieces: list[str]) -> None:
    text = "".join(pieces)
    assert ([m.group(0) for m in rendering._SYMBOL.finditer(text)]
            == [m.group(0) for m in LAZY_SYMBOL.finditer(text)])


def test_papermill_still_writes_a_notebook_it_is_given_a_path_for(tmp_path: Path) -> None:
    """Only the write to nowhere is left out: papermill used with an output path (by a
    notebook, in the same process) still writes it."""
    nbformat_, _, _, _ = rendering.export_machinery()
    import papermill.execute

    nb = nbformat_.v4.new_notebook(cells=[nbformat_.v4.new_code_cell("1")])
    papermill.execute.write_ipynb(nb, None)  # nothing to write, nothing written
    path = tmp_path / "out.ipynb"
    papermill.execute.write_ipynb(nb, str(path))
    assert nbformat.read(path, as_version=4).cells[0].source == "1"


INVALID_OUTPUT_CELL = """\
from IPython.display import publish_display_data
if scenario_name == "invalid":
    publish_display_data({"text/plain": 5})  # not a string: no valid notebook output
"""


def test_an_invalid_output_still_fails_its_row(tmp_path: Path) -> None:
    """Outputs are no longer checked one by one as they arrive: the renderer's one strict
    check of the whole notebook fails the row instead, and only that row."""
    notebooks = s3_notebooks_with(tmp_path, INVALID_OUTPUT_CELL)
    paths = []
    for name in ("first", "invalid", "after"):
        path = tmp_path / f"{name}.yaml"
        path.write_text(f"name: {name}\ndecisions:\n  {S3}: {{}}\n")
        paths.append(path)
    out = tmp_path / "out"
    outcome = report.build_reports(paths, out, workers=1, notebook_dir=notebooks)
    reasons = {r.scenario_name: r.reason for r in outcome.rows}
    assert reasons["first"] == reasons["after"] == ""
    assert "ValidationError" in reasons["invalid"] and "5" in reasons["invalid"]
    assert (out / "after" / f"{S3}.html").exists()
    assert not (out / "invalid").exists() or not list((out / "invalid").iterdir())
