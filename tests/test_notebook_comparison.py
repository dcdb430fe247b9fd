"""How the committed notebooks are compared (nbval with tests/nbval_sanitize.cfg): for what
they say, not for how Graphviz laid a diagram out with this machine's fonts; and `make
notebooks` rewrites the same bytes when nothing changed."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Any

import nbformat

from archlib.report import refresh_notebooks

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "s3_endpoints.ipynb"
SANITIZE = ROOT / "tests" / "nbval_sanitize.cfg"
SVG_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")
NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
#: SVG attributes that hold lengths or coordinates (what other font metrics move)
GEOMETRY = ("x", "y", "width", "height", "points", "d", "viewBox", "transform", "font-size")


def other_metrics(svg: str) -> str:
    """The same diagram as if drawn with wider fonts: every coordinate and length moved,
    another font family named. (Graphviz with Liberation instead of DejaVu moves the same
    attributes; the nodes, edges and labels stay.)"""
    def stretch(match: re.Match[str]) -> str:
        return f"{float(match.group(0)) * 1.13 + 1.5:.2f}"

    def attr(match: re.Match[str]) -> str:
        name, value = match.group(1), match.group(2)
        if name == "font-family":
            return f'{name}="Liberation Sans"'
        return f'{name}="{NUMBER.sub(stretch, value)}"' if name in GEOMETRY else match.group(0)

    return re.sub(r'([A-Za-z:-]+)="([^"]*)"', attr, svg)


def cell_with(nb: Any, source: str) -> Any:
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and c.source.strip() == source]
    return cell


def with_other_font_metrics(nb: Any) -> None:
    changed = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            page = output.get("data", {}).get("text/html", "")

            def redraw(match: re.Match[str]) -> str:
                nonlocal changed
                svg = base64.b64decode(match.group(1)).decode("utf-8")
                moved = other_metrics(svg)
                ET.fromstring(moved)  # still a well-formed SVG
                assert moved != svg
                changed += 1
                return "data:image/svg+xml;base64," + base64.b64encode(
                    moved.encode("utf-8")).decode("ascii")

            if "data:image/svg+xml" in page:
                output["data"]["text/html"] = SVG_URI.sub(redraw, page)
    assert changed >= 6  # the recommended option's diagram and the five others


def with_another_price(nb: Any) -> None:
    output = cell_with(nb, "nb.option_table(ev)").outputs[0]
    assert "$24.60" in output.data["text/html"]  # interface: 2 x 0.01 x 730 + 1,000 x 0.01
    output.data["text/html"] = output.data["text/html"].replace("$24.60", "$24.61")


def with_another_recommendation(nb: Any) -> None:
    output = cell_with(nb, "nb.recommendation(ev)").outputs[0]
    page = output.data["text/html"]
    assert "Recommended: Gateway endpoint per VPC <small" in page
    output.data["text/html"] = page.replace("Recommended: Gateway endpoint per VPC <small",
                                            "Recommended: Interface endpoint per VPC <small")


def with_an_edge_missing(nb: Any) -> None:
    output = cell_with(nb, "nb.diagram(ev)").outputs[0]
    lines = output.data["text/plain"].splitlines()
    edges = [line for line in lines if line.startswith("edge ")]
    assert edges
    output.data["text/plain"] = "\n".join(line for line in lines if line != edges[0])


VARIANTS: dict[str, tuple[Callable[[Any], None], set[str]]] = {
    # variant -> (change to the committed outputs, the sources of the cells nbval must fail)
    "fonts": (with_other_font_metrics, set()),
    "price": (with_another_price, {"nb.option_table(ev)"}),
    "recommendation": (with_another_recommendation, {"nb.recommendation(ev)"}),
    "diagram": (with_an_edge_missing, {"nb.diagram(ev)"}),
}


def failing_cells(junit: Path, notebook: Path) -> set[str]:
    """The sources of the cells of ``notebook`` that nbval reported as failed."""
    nb = nbformat.read(notebook, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]  # nbval numbers code cells only
    sources = {f"Cell {i}": c.source.strip() for i, c in enumerate(code)}
    failed = set()
    for case in ET.parse(junit).getroot().iter("testcase"):
        mine = notebook.stem in case.get("classname", "") + case.get("file", "")
        if mine and (case.find("failure") is not None or case.find("error") is not None):
            name = case.get("name", "").split("::")[-1]
            failed.add(sources.get(name, name))
    return failed


def test_nbval_compares_what_a_notebook_says_not_the_diagram_layout(tmp_path: Path) -> None:
    paths = {}
    for name, (change, _) in VARIANTS.items():
        nb = nbformat.read(NOTEBOOK, as_version=4)
        change(nb)
        paths[name] = tmp_path / f"s3_endpoints_{name}.ipynb"
        nbformat.write(nb, paths[name])
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    junit = tmp_path / "junit.xml"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval",
         "--nbval-sanitize-with", str(SANITIZE), f"--junitxml={junit}",
         "-o", "junit_family=xunit1", *map(str, paths.values())],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False)
    assert junit.exists(), run.stdout[-2000:] + run.stderr[-2000:]
    cases = list(ET.parse(junit).getroot().iter("testcase"))
    assert len(cases) >= 4 * 15, run.stdout[-2000:]  # every cell of every copy was compared
    for name, (_, expected) in VARIANTS.items():
        assert failing_cells(junit, paths[name]) == expected, (name, run.stdout[-3000:])


def test_refreshing_an_unchanged_notebook_rewrites_the_same_bytes(tmp_path: Path) -> None:
    """`make notebooks` twice leaves git status clean: no timestamps, random widget ids or
    Python version in the file. The refreshed notebook also says what the committed one says
    (the committed outputs are current), diagrams compared as nbval compares them."""
    for suffix in (".py", ".ipynb"):
        shutil.copy(NOTEBOOK.with_suffix(suffix), tmp_path)
    (target,) = refresh_notebooks(["s3_endpoints"], folder=tmp_path)
    first = target.read_bytes()
    refresh_notebooks(["s3_endpoints"], folder=tmp_path)
    assert target.read_bytes() == first
    text = first.decode("utf-8")
    assert '"iopub.execute_input"' not in text and '"version": "3.' not in text

    def sanitized(page: str) -> str:
        return SVG_URI.sub("SVG", page)

    assert sanitized(text) == sanitized(NOTEBOOK.read_text(encoding="utf-8"))


def test_other_metrics_moves_every_coordinate() -> None:
    moved = other_metrics('<svg xmlns="http://www.w3.org/2000/svg" width="10pt" '
                          'font-family="Sans"><text x="1" y="-2">a</text></svg>')
    # 10 x 1.13 + 1.5 = 12.80; 1 x 1.13 + 1.5 = 2.63; -2 x 1.13 + 1.5 = -0.76
    assert moved == ('<svg xmlns="http://www.w3.org/2000/svg" width="12.80pt" '
                     'font-family="Liberation Sans"><text x="2.63" y="-0.76">a</text></svg>')
