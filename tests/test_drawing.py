"""archlib.drawing: DiagramSpec -> deterministic, offline-safe SVG."""

from __future__ import annotations

import base64
import dataclasses
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path
from typing import Any

import pytest

import archlib
from archlib import decisions
from archlib._model import Cluster, DiagramSpec, Edge, Node
from archlib.drawing import diagram_svg, drawing_package_versions, render_svg, svg_outline

S3 = "s3-endpoints"
SVG = "{http://www.w3.org/2000/svg}"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
REPO = Path(__file__).resolve().parents[1]

PARAM_SETS: dict[str, dict[str, Any]] = {
    "default": {},
    "large": {"on_prem_access": True, "cross_region_access": True, "vpc_count": 5,
              "transit_gateway": True},
}
OPTION_IDS = decisions.get(S3).option_ids
CASES = [(name, option) for name in PARAM_SETS for option in OPTION_IDS]


@cache
def _evaluation(name: str) -> archlib.Evaluation:
    return archlib.evaluate(S3, PARAM_SETS[name])


@cache
def _case(name: str, option_id: str) -> tuple[DiagramSpec, str]:
    ev = _evaluation(name)
    spec = ev.decision.diagram(ev.params, option_id)
    return spec, render_svg(spec)


def _ids(root: ET.Element) -> set[str]:
    return {e.attrib["id"] for e in root.iter() if "id" in e.attrib}


def _refs(root: ET.Element) -> list[str]:
    return [e.attrib[a] for e in root.iter() for a in ("href", XLINK_HREF) if a in e.attrib]


def _icon_b64(kind: str) -> str:
    """Base64 of the icon file of a diagrams class, read independently of archlib.drawing."""
    module_name, _, class_name = kind.rpartition(".")
    cls = getattr(__import__(f"diagrams.{module_name}", fromlist=[class_name]), class_name)
    resources = Path(sys.modules["diagrams"].__file__ or "").resolve().parent.parent
    return base64.b64encode((resources / cls._icon_dir / cls._icon).read_bytes()).decode()


def _without_data(svg: str) -> str:
    return re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "data:", svg)


# --- every option renders, and everything it references is inside ----------------------


@pytest.mark.parametrize(("params", "option_id"), CASES)
def test_every_option_renders_with_node_ids(params: str, option_id: str) -> None:
    spec, svg = _case(params, option_id)
    root = ET.fromstring(svg)
    ids = _ids(root)
    assert {n.id for n in spec.nodes} <= ids
    assert {f"cluster.{c.id}" for c in spec.clusters} <= ids
    assert {f"edge.{i}" for i in range(1, len(spec.edges) + 1)} <= ids
    groups = {g.attrib["id"]: g for g in root.iter(f"{SVG}g")}
    for node in spec.nodes:  # every node carries its icon
        assert groups[node.id].attrib["class"] == "node"
        assert groups[node.id].find(f"{SVG}use") is not None, node.id
    assert len([g for g in groups.values() if g.get("class") == "edge"]) == len(spec.edges)
    assert len([g for g in groups.values() if g.get("class") == "node"]) == len(spec.nodes)


@pytest.mark.parametrize(("params", "option_id"), CASES)
def test_no_external_references(params: str, option_id: str) -> None:
    _, svg = _case(params, option_id)
    root = ET.fromstring(svg)
    ids = _ids(root)
    refs = _refs(root)
    assert refs, "expected icon references"
    for ref in refs:
        assert ref.startswith(("data:image/png;base64,", "#")), ref
        if ref.startswith("#"):  # internal references resolve inside this same SVG
            assert ref[1:] in ids, ref
    # no absolute path or file: URL anywhere, in any attribute or text
    for element in root.iter():
        for value in element.attrib.values():
            assert not value.startswith(("/", "file:")), value
    assert "file:" not in svg
    assert "site-packages" not in svg
    assert not re.search(r'="/', _without_data(svg))
    for image in root.iter(f"{SVG}image"):  # every raster is inlined
        assert image.attrib[XLINK_HREF].startswith("data:image/png;base64,")


@pytest.mark.parametrize("params", list(PARAM_SETS))
def test_xml_title_and_inlinable(params: str) -> None:
    spec, svg = _case(params, OPTION_IDS[0])
    assert svg.startswith("<svg")
    assert "<?xml" not in svg
    assert "<!DOCTYPE" not in svg
    assert "<!--" not in svg
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root[0].tag == f"{SVG}title"
    assert root[0].text == spec.title
    assert root.attrib["role"] == "img"
    assert root.attrib["aria-label"] == spec.title
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert 'xmlns:xlink="http://www.w3.org/1999/xlink"' in svg


# --- determinism ---------------------------------------------------------------------------


def test_same_spec_same_bytes() -> None:
    spec, first = _case("large", "interface-centralized")
    assert render_svg(spec) == first
    assert render_svg(spec) == first


def test_no_random_ids() -> None:
    for name, option_id in CASES:
        _, svg = _case(name, option_id)
        assert not re.search(r"[0-9a-f]{32}", _without_data(svg)), (name, option_id)


def test_subprocess_render_equals_in_process(tmp_path: Path) -> None:
    code = (
        "import sys, archlib\n"
        "from archlib.drawing import diagram_svg\n"
        f"ev = archlib.evaluate({S3!r}, {PARAM_SETS['large']!r})\n"
        "sys.stdout.buffer.write(diagram_svg(ev, 'gateway-proxy-fleet').encode('utf-8'))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                         capture_output=True, check=True, timeout=120)
    assert out.stdout.decode("utf-8") == _case("large", "gateway-proxy-fleet")[1]
    assert list(tmp_path.iterdir()) == []


def test_import_is_cheap() -> None:
    code = ("import sys, archlib.drawing\n"
            "print(sorted(m for m in ('diagrams', 'graphviz') if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         check=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]"


# --- files ---------------------------------------------------------------------------------


def test_writes_nothing_into_cwd_and_cleans_up(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    work, temp = tmp_path / "cwd", tmp_path / "tmp"
    work.mkdir()
    temp.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    spec = _case("default", "gateway")[0]
    svg = render_svg(spec)
    assert "<svg" in svg
    assert list(work.iterdir()) == []
    assert list(temp.iterdir()) == []  # the rendering directory is gone too


# --- icons embedded once -------------------------------------------------------------------


def test_shared_icon_embedded_once_in_option() -> None:
    spec, svg = _case("large", "gateway-proxy-fleet")
    for kind in ("aws.compute.EC2", "aws.network.Endpoint"):  # the spec really shares them
        assert len([n for n in spec.nodes if n.kind == kind]) >= 3, kind
    for kind in {n.kind for n in spec.nodes}:
        assert svg.count(_icon_b64(kind)) == 1, kind
    root = ET.fromstring(svg)
    symbols = root.findall(f"{SVG}defs/{SVG}symbol")
    assert len(symbols) == len({n.kind for n in spec.nodes})
    uses = [u.attrib["href"] for u in root.iter(f"{SVG}use")]
    assert len(uses) == len(spec.nodes)
    assert svg.count("data:image/png;base64,") == len(symbols)


def test_shared_icon_embedded_once_synthetic() -> None:
    spec = DiagramSpec(
        title="four buckets",
        nodes=(*(Node(f"b{i}", f"bucket {i}", "aws.storage.S3") for i in range(4)),
               Node("ep", "endpoint", "aws.network.Endpoint")),
        edges=tuple(Edge("ep", f"b{i}") for i in range(4)),
    )
    svg = render_svg(spec)
    assert svg.count(_icon_b64("aws.storage.S3")) == 1
    assert svg.count(_icon_b64("aws.network.Endpoint")) == 1
    root = ET.fromstring(svg)
    s3_symbol = [s.attrib["id"] for s in root.iter(f"{SVG}symbol")
                 if _icon_b64("aws.storage.S3") in s[0].attrib[XLINK_HREF]]
    assert len(s3_symbol) == 1
    hrefs = [u.attrib["href"] for u in root.iter(f"{SVG}use")]
    assert hrefs.count(f"#{s3_symbol[0]}") == 4
    for use in root.iter(f"{SVG}use"):  # graphviz's placement is kept
        assert {"x", "y", "width", "height"} <= use.attrib.keys()
        assert use.attrib["href"] == use.attrib[XLINK_HREF]


# --- errors and edge cases ---------------------------------------------------------------


@pytest.mark.parametrize("kind", ["aws.network.NoSuchThing", "nosuch.module.S3", "S3",
                                  "aws.network._AWS", "custom.Custom", "../etc.passwd"])
def test_unknown_kind_is_value_error(kind: str) -> None:
    spec = DiagramSpec("bad", (Node("x", "x", "aws.storage.S3"), Node("y", "y", kind)))
    with pytest.raises(ValueError, match=re.escape(repr(kind))):
        render_svg(spec)


@pytest.mark.parametrize(("spec", "message"), [
    (DiagramSpec("t", (Node("a", "a", "aws.storage.S3"),), (Edge("a", "zz"),)), "'zz'"),
    (DiagramSpec("t", (Node("a", "a", "aws.storage.S3", "nope"),)), "'nope'"),
    (DiagramSpec("t", (Node("a", "a", "aws.storage.S3"), Node("a", "b", "aws.storage.S3"))),
     "duplicate node id 'a'"),
    (DiagramSpec("t", (Node("a", "a", "aws.storage.S3", "c"),),
                 clusters=(Cluster("c", "c", "d"), Cluster("d", "d", "c"))), "cycle"),
])
def test_inconsistent_spec_is_value_error(spec: DiagramSpec, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        render_svg(spec)


def test_clusters_with_equal_labels_stay_apart() -> None:
    # diagrams names a cluster after its label; two "VPC" clusters must still be two
    spec = DiagramSpec(
        title="two VPCs",
        nodes=(Node("a", "a", "aws.compute.EC2", "v1"), Node("b", "b", "aws.compute.EC2", "v2")),
        clusters=(Cluster("v1", "VPC"), Cluster("v2", "VPC")),
    )
    root = ET.fromstring(render_svg(spec))
    clusters = [g for g in root.iter(f"{SVG}g") if g.get("class") == "cluster"]
    assert sorted(g.attrib["id"] for g in clusters) == ["cluster.v1", "cluster.v2"]


def test_labels_are_literal_text_and_ids_sanitised() -> None:
    spec = DiagramSpec(
        title='<b>A & "B"</b>',
        nodes=(Node("x:y z", "<i>html?</i>\nsecond line", "aws.storage.S3"),
               Node("x_y_z", "clash", "aws.storage.S3")),
        edges=(Edge("x:y z", "x_y_z", "<edge>", "dashed"),),
        direction="TB",
    )
    svg = render_svg(spec)
    root = ET.fromstring(svg)
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "<i>html?</i>" in texts
    assert "second line" in texts
    assert "<edge>" in texts
    assert root[0].text == spec.title
    nodes = sorted(g.attrib["id"] for g in root.iter(f"{SVG}g") if g.get("class") == "node")
    assert nodes == ["x_y_z", "x_y_z-2"]
    edge = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "edge")
    assert "stroke-dasharray" in edge.find(f"{SVG}path").attrib  # type: ignore[union-attr]


# --- diagram_svg ---------------------------------------------------------------------------


def test_diagram_svg_defaults_to_recommended() -> None:
    ev = _evaluation("large")
    assert ev.recommended is not None
    assert ev.recommended != ev.options[0].id  # else the default would prove nothing
    assert diagram_svg(ev) == _case("large", ev.recommended)[1]
    assert diagram_svg(ev, "nat-gateway") == _case("large", "nat-gateway")[1]


def test_diagram_svg_falls_back_to_first_option() -> None:
    ev = dataclasses.replace(_evaluation("default"), ranking=())
    assert ev.recommended is None
    first = ev.options[0].id
    assert diagram_svg(ev) == render_svg(ev.decision.diagram(ev.params, first))


def test_diagram_svg_unknown_option() -> None:
    with pytest.raises(KeyError, match="no-such-option"):
        diagram_svg(_evaluation("default"), "no-such-option")


# --- geometry: every bundled diagram reads (issue 18, D2, D16) ----------------------------
#: The report column at 1280 px: report.css's body max-width 1100 px less 1.5 rem (24 px)
#: padding a side. A diagram wider than this is scaled down to it.
COLUMN_PX = 1100 - 2 * 24
#: SVG user units are points: 4/3 px each at the diagram's natural size.
PX_PER_UNIT = 4 / 3
NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _bundled_diagrams() -> list[tuple[str, str]]:
    """(case id, SVG) of every option of every decision of every bundled scenario."""
    cases = []
    for path in sorted((REPO / "scenarios").glob("*.yaml")):
        scenario = archlib.load_scenario(path)
        for decision_id, params in scenario.decisions.items():
            ev = archlib.evaluate(decision_id, params, prices=scenario.prices)
            for option in ev.options:
                cases.append((f"{path.stem}-{option.id}", diagram_svg(ev, option.id)))
    return cases


@cache
def _bundled() -> dict[str, str]:
    return dict(_bundled_diagrams())


def _curve(d: str, steps: int = 60) -> list[tuple[float, float]]:
    """Points along an SVG path of cubic Beziers (what Graphviz writes for an edge)."""
    values = [float(v) for v in NUMBER.findall(d)]
    knots = list(zip(values[0::2], values[1::2], strict=False))
    out = [knots[0]]
    for i in range(1, len(knots) - 2, 3):
        p0, p1, p2, p3 = out[-1], knots[i], knots[i + 1], knots[i + 2]
        for k in range(1, steps + 1):
            t = k / steps
            out.append(tuple(  # type: ignore[arg-type]
                (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t * t * c + t ** 3 * e
                for a, b, c, e in zip(p0, p1, p2, p3, strict=True)))
    return out


def _box_of_text(text: ET.Element) -> tuple[tuple[float, float, float, float], float]:
    """A text's box, its width over-estimated at 0.6 em a character, and its font size."""
    size = float(text.attrib["font-size"])
    x, y = float(text.attrib["x"]), float(text.attrib["y"])
    width = 0.6 * size * len(text.text or "")
    left = {"middle": x - width / 2, "end": x - width}.get(text.get("text-anchor", ""), x)
    return (left, y - 0.8 * size, left + width, y + 0.2 * size), size


def _gap(box: tuple[float, float, float, float], point: tuple[float, float]) -> float:
    x0, y0, x1, y1 = box
    dx = max(x0 - point[0], 0.0, point[0] - x1)
    dy = max(y0 - point[1], 0.0, point[1] - y1)
    return float((dx * dx + dy * dy) ** 0.5)


def _icon_boxes(root: ET.Element) -> dict[str, tuple[float, float, float, float]]:
    boxes = {}
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            use = group.find(f"{SVG}use")
            assert use is not None
            x, y, w, h = (float(use.attrib[k].removesuffix("px"))
                          for k in ("x", "y", "width", "height"))
            boxes[group.findtext(f"{SVG}title", "")] = (x, y, x + w, y + h)
    return boxes


def _edges(root: ET.Element) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == "edge"]


BUNDLED_IDS = [case for case, _ in _bundled_diagrams()]


@pytest.mark.parametrize("case", BUNDLED_IDS)
def test_every_edge_label_lies_on_its_own_edge(case: str) -> None:
    """Each label is within 1 em of its own edge's curve, or joined to it by a leader line
    that starts at the label and ends on that curve."""
    root = ET.fromstring(_bundled()[case])
    for edge in _edges(root):
        lines = [_box_of_text(t) for t in edge.iter(f"{SVG}text")]
        if not lines:
            continue
        em = max(size for _, size in lines)  # the label's lines as one block
        box = (min(b[0] for b, _ in lines), min(b[1] for b, _ in lines),
               max(b[2] for b, _ in lines), max(b[3] for b, _ in lines))
        curve = _curve(edge.find(f"{SVG}path").attrib["d"])  # type: ignore[union-attr]
        gap = min(_gap(box, p) for p in curve)
        if gap <= em:
            continue
        title = edge.findtext(f"{SVG}title")
        leader = edge.find(f"{SVG}polyline")
        assert leader is not None, (f"{case}: the label of {title} is {gap:.0f} units from "
                                    "its edge, with no leader line")
        points = [tuple(map(float, p.split(","))) for p in leader.attrib["points"].split()]
        assert min(_gap(box, p) for p in points) <= em, (case, title, "leader start")
        end = points[-1]
        assert min(_gap((*end, *end), p) for p in curve) <= 2.0, (case, title, "leader end")


#: An edge ends on the icon cell, whose padding puts it a few units outside the icon image.
END_TOLERANCE = 6.0


@pytest.mark.parametrize("case", BUNDLED_IDS)
def test_every_edge_starts_and_ends_on_its_nodes_icons(case: str) -> None:
    root = ET.fromstring(_bundled()[case])
    icons = _icon_boxes(root)
    for edge in _edges(root):
        tail, head = edge.findtext(f"{SVG}title", "").split("->")
        curve = _curve(edge.find(f"{SVG}path").attrib["d"])  # type: ignore[union-attr]
        arrow = edge.find(f"{SVG}polygon")
        assert arrow is not None, (case, tail, head)
        tip = [tuple(map(float, p.split(","))) for p in arrow.attrib["points"].split()]
        assert min(_gap(icons[head], p) for p in tip) <= END_TOLERANCE, (case, tail, head)
        # Graphviz may write a backward edge's path from head to tail: either end may be the tail
        assert min(_gap(icons[tail], curve[0]), _gap(icons[tail], curve[-1])) <= END_TOLERANCE, \
            (case, tail, head)


@pytest.mark.parametrize("case", BUNDLED_IDS)
def test_text_at_least_11_px_in_a_report_at_1280(case: str) -> None:
    root = ET.fromstring(_bundled()[case])
    width = float(root.attrib["viewBox"].split()[2])
    scale = min(PX_PER_UNIT, COLUMN_PX / width)  # max-width: 100% in the report column
    for text in root.iter(f"{SVG}text"):
        size = float(text.attrib["font-size"])
        assert size * scale >= 11, (case, text.text, f"{size * scale:.1f} px")


#: Every text's box as the browser lays it out (real glyph widths), in the SVG's viewBox
#: coordinates, and the viewBox.
TEXT_BOXES_JS = """() => {
  const svg = document.querySelector('svg');
  const view = svg.viewBox.baseVal;
  return {width: view.width, height: view.height,
          texts: [...svg.querySelectorAll('text')].map(t => {
            const box = t.getBBox(), m = t.getCTM(), s = svg.getScreenCTM().inverse();
            const p = new DOMPoint(box.x, box.y).matrixTransform(m).matrixTransform(s);
            const q = new DOMPoint(box.x + box.width, box.y + box.height)
              .matrixTransform(m).matrixTransform(s);
            return {text: t.textContent, x0: p.x, y0: p.y, x1: q.x, y1: q.y};
          })};
}"""


def test_no_text_clipped_by_the_canvas(chromium: Any) -> None:
    """Laid out by a browser, every text of every bundled diagram lies inside its SVG."""
    page = chromium.new_page()
    try:
        clipped = []
        for case, svg in _bundled().items():
            page.set_content(f"<!DOCTYPE html><html><body style='margin:0'>{svg}</body></html>")
            facts = page.evaluate(TEXT_BOXES_JS)
            assert facts["texts"], case
            clipped += [(case, t["text"]) for t in facts["texts"]
                        if t["x0"] < 0 or t["y0"] < 0 or t["x1"] > facts["width"]
                        or t["y1"] > facts["height"]]
        assert not clipped
    finally:
        page.close()


# --- the batch's diagram cache: every entry verified as it is read (issue 23) ----------------

_KEY = "ab" * 32
_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><text>drawn</text></svg>'


def _damage_none(path: Path) -> None:
    pass


@pytest.mark.parametrize(("damage", "intact"), [
    (_damage_none, True),
    (lambda p: p.unlink(), False),  # gone
    (lambda p: p.write_bytes(_SVG), False),  # a bare SVG: no checksum line
    (lambda p: p.write_bytes(p.read_bytes()[:-5]), False),  # truncated
    (lambda p: p.write_bytes(p.read_bytes().replace(b"drawn", b"drawN")), False),  # garbled
    (lambda p: p.write_bytes(p.read_bytes() + b"\n"), False),  # appended to
    (lambda p: p.write_bytes(b""), False),  # emptied
    (lambda p: (p.unlink(), p.mkdir()), False),  # a folder in its place
])
def test_a_diagram_cache_entry_is_read_only_when_intact(tmp_path: Path, damage: Any,
                                                         intact: bool) -> None:
    from archlib.drawing import read_cache_entry, write_cache_entry

    entry = tmp_path / "cache" / f"{_KEY}.svg"
    write_cache_entry(entry, _KEY, _SVG)
    damage(entry)
    assert read_cache_entry(entry, _KEY) == (_SVG if intact else None)


def test_a_diagram_cache_entry_belongs_to_its_key(tmp_path: Path) -> None:
    """Another key's entry copied in place of this one's is a miss."""
    from archlib.drawing import read_cache_entry, write_cache_entry

    other = "cd" * 32
    write_cache_entry(tmp_path / f"{other}.svg", other, _SVG)
    (tmp_path / f"{_KEY}.svg").write_bytes((tmp_path / f"{other}.svg").read_bytes())
    assert read_cache_entry(tmp_path / f"{other}.svg", other) == _SVG
    assert read_cache_entry(tmp_path / f"{_KEY}.svg", _KEY) is None


def test_a_cache_that_cannot_be_written_is_no_cache(tmp_path: Path) -> None:
    from archlib.drawing import read_cache_entry, write_cache_entry

    (tmp_path / "cache").write_text("a file where the folder should be")
    entry = tmp_path / "cache" / f"{_KEY}.svg"
    write_cache_entry(entry, _KEY, _SVG)  # no error
    assert read_cache_entry(entry, _KEY) is None


# --- the outline (what the notebooks compare diagrams by) -----------------------------------


@pytest.mark.parametrize(("params", "option_id"), CASES)
def test_the_outline_skips_the_icons_and_says_the_same(params: str, option_id: str) -> None:
    """The outline leaves the icons' <defs> unparsed (most of the bytes): it is the outline of
    the whole SVG parsed (a renamed "<defs >" is not skipped, and is the same XML)."""
    _, svg = _case(params, option_id)
    assert svg.count("<defs>") == 1
    whole = svg_outline(svg.replace("<defs>", "<defs >"))
    assert svg_outline(svg) == whole
    assert whole.startswith("diagram: ") and "\nnode " in whole


def test_the_outline_reads_groups_inside_defs() -> None:
    """<defs> holding a group is parsed like the rest (no drawn diagram has one)."""
    svg = ('<svg xmlns="http://www.w3.org/2000/svg"><title>t</title><defs>'
           '<g class="node"><title>a</title><text>A</text></g></defs></svg>')
    assert svg_outline(svg) == "diagram: t\nnode a []: A"


def test_the_diagram_cache_key_reads_package_versions_once() -> None:
    """Part of every cache key: read once per process (it searched every installed
    distribution for each diagram), the installed versions."""
    from importlib.metadata import version

    assert drawing_package_versions() == (version("diagrams"), version("graphviz"))
    assert drawing_package_versions() is drawing_package_versions()
