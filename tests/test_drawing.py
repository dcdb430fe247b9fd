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
from archlib.drawing import diagram_svg, render_svg

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
