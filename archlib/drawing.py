"""Diagrams as SVG: a :class:`DiagramSpec` (pure data) drawn with mingrammer ``diagrams``.

The SVG is deterministic (the same spec gives the same bytes, in any process) and offline-safe:
every icon is embedded once per SVG as a ``data:`` URI in ``<defs>`` and placed with ``<use>``,
so it shows both inline in HTML and as ``<img src="data:image/svg+xml;base64,...">``, where a
browser loads nothing from outside the SVG.

``diagrams`` and ``graphviz`` are imported inside the functions: importing this module is cheap.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import html
import importlib
import math
import os
import re
import struct
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._model import DiagramSpec

if TYPE_CHECKING:
    from ._engine import Evaluation

__all__ = ["DIAGRAM_CACHE_ENV", "diagram_svg", "drawing_package_versions", "graphviz_version",
           "read_cache_entry", "render_svg", "svg_outline", "write_cache_entry"]

#: A folder of SVGs Graphviz drew, by what it was given (batch reports set it per batch).
DIAGRAM_CACHE_ENV = "ARCHLIB_DIAGRAM_CACHE"

#: ``provider.module.Class`` below ``diagrams.``, e.g. ``aws.network.Endpoint``.
_KIND = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+\.[A-Za-z][A-Za-z0-9_]*\Z")
#: What may stay in a graphviz id: the rest becomes ``_``. Ids of clusters, edges and icons
#: carry a ``.``, which node ids never do, so they cannot collide with a node's id.
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9_-]+")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
#: Diagram-wide graphviz attributes on top of diagrams' defaults (its pad is 2 inches a side).
#: ``splines=spline``, not diagrams' ``ortho``: Graphviz cannot place labels on orthogonal
#: edges (they float away from their edge), while ordinary splines route each edge past its
#: label. ``newrank``: nodes are ranked across clusters as one graph, so an edge from one
#: cluster into another never loops back around a node placed in the same rank.
_GRAPH_ATTRS = {"pad": "0.3", "id": "graph.root", "splines": "spline", "newrank": "true",
                "nodesep": "0.4", "ranksep": "0.4", "fontsize": "18"}
#: Icon side in points: smaller than diagrams' 1.4 inch, so a diagram stays narrow enough that
#: its text is at least 11 px when a report column (about 1,050 px) scales it down.
_ICON_PT = 60
#: Nodes are their HTML-like label alone (no box of their own); edges start and end on the
#: icon cell (the port ``icon``), never on empty space above it or beside a wide label.
_FONT = {"fontsize": "17", "fontname": "Sans-Serif", "fontcolor": "#2D3436"}
_NODE_ATTRS = {"shape": "plain", "fixedsize": "false", "width": "0", "height": "0",
               "margin": "0", **_FONT}
_CLUSTER_ATTRS = {"fontsize": "17", "margin": "10"}
_EDGE_ATTRS = {"tailport": "icon", "headport": "icon", **_FONT}
#: An edge label farther than this many ems from its own edge (Graphviz's label placement
#: can fail for an edge between clusters) is drawn again joined to its edge by a leader line.
MAX_LABEL_GAP_EM = 1.0

_IMAGE = re.compile(r"<image\b([^>]*?)/?>(?:\s*</image>)?")
_ATTR = re.compile(r'([A-Za-z_:][-A-Za-z0-9_:.]*)="([^"]*)"')
_COMMENT = re.compile(r"<!--.*?-->\n?", re.DOTALL)
_HREF = re.compile(r'\bhref="([^"]*)"')


def render_svg(spec: DiagramSpec) -> str:
    """The SVG text of ``spec``: no XML prolog, no comments, a ``<title>`` and an accessible
    name; icons embedded once each. Raises ValueError for an unknown node kind or a spec whose
    edges, nodes or clusters point at ids it does not declare."""
    plan = _plan(spec)
    raw = _render(spec, plan, frozenset())
    far = _far_labels(raw)
    if far:  # rare: the same layout again, those labels joined to their edges
        raw = _render(spec, plan, far)
    return _finish(raw, spec.title, plan.icons)


def diagram_svg(ev: Evaluation, option_id: str | None = None) -> str:
    """SVG of one option of an evaluation; default: the recommended option, or the first option
    when none is feasible. ``= render_svg(ev.decision.diagram(ev.params, option_id))``"""
    decision = ev.decision
    if option_id is None:
        option_id = ev.recommended or ev.options[0].id
    else:
        decision.option(option_id)  # KeyError naming the known options
    return render_svg(decision.diagram(ev.params, option_id))


_SVG_NS = "{http://www.w3.org/2000/svg}"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"


def svg_outline(svg: str) -> str:
    """What a drawn diagram shows, without where: its title, then one line per cluster
    (label), node (icon and label) and edge (ends, label, dashed or not), each kind sorted.
    Coordinates, sizes and font metrics are left out, so the same spec drawn with other fonts
    or another Graphviz has the same outline; the notebooks compare diagrams by it."""
    from xml.etree import ElementTree

    # The icons' <symbol>s (most of the bytes, embedded images) say nothing the outline
    # shows: left unparsed (unless the <defs> hold groups, which no drawn diagram's do).
    start, end = svg.find("<defs>"), svg.find("</defs>")
    if 0 <= start < end and "<g" not in svg[start:end]:
        svg = svg[:start] + svg[end + len("</defs>"):]
    root = ElementTree.fromstring(svg)

    def texts(group: ElementTree.Element) -> str:
        return " / ".join(" ".join((t.text or "").split())
                          for t in group.iter(f"{_SVG_NS}text"))

    lines: dict[str, list[str]] = {"cluster": [], "node": [], "edge": []}
    for group in root.iter(f"{_SVG_NS}g"):
        kind = group.get("class", "")
        if kind not in lines:
            continue
        title = group.findtext(f"{_SVG_NS}title", "").replace("->", " -> ")
        if kind == "node":
            icons = ",".join(u.get("href") or u.get(_XLINK_HREF) or ""
                             for u in group.iter(f"{_SVG_NS}use"))
            lines[kind].append(f"node {title} [{icons}]: {texts(group)}")
        elif kind == "edge":
            dashed = any(p.get("stroke-dasharray") for p in group.iter(f"{_SVG_NS}path"))
            label = texts(group)
            lines[kind].append(f"edge {title}{' (dashed)' if dashed else ''}"
                               + (f": {label}" if label else ""))
        else:
            lines[kind].append(f"{title}: {texts(group)}")
    head = f"diagram: {root.findtext(f'{_SVG_NS}title', '')}"
    return "\n".join([head, *(line for kind in lines for line in sorted(lines[kind]))])


# --- validating the spec ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Plan:
    node_ids: Mapping[str, str]  # spec node id -> graphviz/SVG id
    cluster_ids: Mapping[str, str]  # spec cluster id -> SVG id
    classes: Mapping[str, type[Any]]  # spec node id -> diagrams node class
    icons: frozenset[str]  # icon files the nodes use


def _plan(spec: DiagramSpec) -> _Plan:
    if spec.direction not in ("LR", "TB"):
        raise ValueError(f"diagram direction must be 'LR' or 'TB', not {spec.direction!r}")
    clusters = {c.id: c for c in spec.clusters}
    if len(clusters) != len(spec.clusters):
        raise ValueError(f"duplicate cluster ids in diagram {spec.title!r}")
    for cluster in spec.clusters:
        seen = {cluster.id}
        parent = cluster.parent
        while parent is not None:
            if parent not in clusters:
                raise ValueError(f"cluster {cluster.id!r}: unknown parent cluster {parent!r}")
            if parent in seen:
                raise ValueError(f"cluster {cluster.id!r}: parent clusters form a cycle")
            seen.add(parent)
            parent = clusters[parent].parent

    taken: set[str] = set()
    node_ids: dict[str, str] = {}
    classes: dict[str, type[Any]] = {}
    icons: set[str] = set()
    for node in spec.nodes:
        if node.id in node_ids:
            raise ValueError(f"duplicate node id {node.id!r} in diagram {spec.title!r}")
        if node.cluster is not None and node.cluster not in clusters:
            raise ValueError(f"node {node.id!r}: unknown cluster {node.cluster!r}")
        node_ids[node.id] = _safe_id(node.id, taken)
        cls = _node_class(node.kind)
        classes[node.id] = cls
        icons.add(_icon_path(cls))
    for edge in spec.edges:
        for end in (edge.source, edge.target):
            if end not in node_ids:
                raise ValueError(f"edge {edge.source!r} -> {edge.target!r}: unknown node {end!r}")
        if edge.style not in ("solid", "dashed"):
            raise ValueError(f"edge {edge.source!r} -> {edge.target!r}: style must be "
                             f"'solid' or 'dashed', not {edge.style!r}")
    cluster_taken: set[str] = set()
    cluster_ids = {c.id: "cluster." + _safe_id(c.id, cluster_taken) for c in spec.clusters}
    return _Plan(node_ids, cluster_ids, classes, frozenset(icons))


def _safe_id(raw: str, taken: set[str]) -> str:
    """``raw`` with every run of characters graphviz or SVG could trip on replaced by ``_``,
    made unique among ``taken`` with a ``-2``, ``-3``... suffix."""
    base = _UNSAFE_ID.sub("_", raw) or "_"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    taken.add(candidate)
    return candidate


@functools.cache
def _node_class(kind: str) -> type[Any]:
    """The diagrams class for ``kind`` (``aws.storage.S3`` -> ``diagrams.aws.storage.S3``)."""
    cls: Any = None
    if isinstance(kind, str) and _KIND.match(kind):
        import diagrams

        module_name, _, class_name = kind.rpartition(".")
        try:
            module = importlib.import_module(f"diagrams.{module_name}")
        except ImportError:
            module = None
        cls = getattr(module, class_name, None)
        if not (isinstance(cls, type) and issubclass(cls, diagrams.Node)
                and getattr(cls, "_icon", None)):
            cls = None
    if cls is None:
        raise ValueError(f"unknown diagram node kind {kind!r}: expected a diagrams node class "
                         "path below 'diagrams.' with an icon, e.g. 'aws.storage.S3'")
    return cls  # type: ignore[no-any-return]


def _icon_path(cls: type[Any]) -> str:
    # Node._load_icon only joins class attributes; it needs no initialised instance.
    return str(cls._load_icon(object.__new__(cls)))


@functools.cache
def _icon(path: str) -> tuple[str, str, int, int]:
    """``(svg id, data URI, width px, height px)`` of a PNG icon file, read once."""
    data = Path(path).read_bytes()
    if data[:8] != _PNG_MAGIC or data[12:16] != b"IHDR":
        raise ValueError(f"diagram icon is not a PNG file: {path}")
    width, height = struct.unpack(">II", data[16:24])
    digest = hashlib.sha256(data).hexdigest()[:12]
    uri = "data:image/png;base64," + base64.b64encode(data).decode("ascii")
    return f"icon.{digest}", uri, width, height


# --- drawing ---------------------------------------------------------------------------------


def _render(spec: DiagramSpec, plan: _Plan, decorated: frozenset[int]) -> str:
    """Graphviz's SVG for ``spec``, drawn in a temporary directory that is removed after;
    the labels of the edges numbered in ``decorated`` are joined to their edge by a line."""
    import diagrams

    # graphviz (a dependency of diagrams) ships no type information.
    escape = importlib.import_module("graphviz").escape

    def text(value: str) -> str:
        # Literal text for graphviz: never an HTML-like label, backslashes kept as they are.
        return escape(value)  # type: ignore[no-any-return]

    children: dict[str | None, list[str]] = {}
    for cluster in spec.clusters:
        children.setdefault(cluster.parent, []).append(cluster.id)
    members: dict[str | None, list[str]] = {}
    for node in spec.nodes:
        members.setdefault(node.cluster, []).append(node.id)
    labels = {c.id: c.label for c in spec.clusters}
    nodes = {n.id: n for n in spec.nodes}

    def draw(graph: Any, cluster_id: str | None) -> None:
        for node_id in members.get(cluster_id, ()):
            svg_id = plan.node_ids[node_id]
            icon = _icon_path(plan.classes[node_id])
            graph.node(svg_id, label=_node_label(icon, nodes[node_id].label), id=svg_id,
                       **_NODE_ATTRS)
        for child in children.get(cluster_id, ()):
            svg_id = plan.cluster_ids[child]
            with diagrams.Cluster(text(labels[child]),
                                  graph_attr={"id": svg_id, **_CLUSTER_ATTRS}) as group:
                # diagrams names the subgraph "cluster_<label>", so equal labels would merge
                # two clusters into one; name it after the unique id (graphviz needs only the
                # "cluster" prefix).
                group.dot.name = svg_id
                draw(group.dot, child)

    with tempfile.TemporaryDirectory(prefix="archlib-diagram-") as tmp:
        target = Path(tmp) / "diagram"
        with _diagram_class()(text(spec.title), filename=str(target),
                              direction=spec.direction, outformat="svg", show=False,
                              graph_attr=dict(_GRAPH_ATTRS)) as diagram:
            draw(diagram.dot, None)
            for number, edge in enumerate(spec.edges, start=1):
                attrs = dict(_EDGE_ATTRS, id=f"edge.{number}")
                if edge.label:
                    attrs["label"] = text(edge.label)
                    if number in decorated:
                        attrs["decorate"] = "true"
                if edge.style == "dashed":
                    attrs["style"] = "dashed"
                diagram.dot.edge(plan.node_ids[edge.source], plan.node_ids[edge.target],
                                 **attrs)
        return target.with_suffix(".svg").read_text(encoding="utf-8")


def _node_label(icon: str, label: str) -> str:
    """A node as an HTML-like label: the icon in a cell named ``icon`` (edges end on it, see
    ``_EDGE_ATTRS``), the label's lines below it. The label's size is part of the node's,
    so the layout keeps a long label clear of its neighbours and of the canvas edge."""
    cell = (f'<TD PORT="icon" FIXEDSIZE="TRUE" WIDTH="{_ICON_PT}" HEIGHT="{_ICON_PT}">'
            f'<IMG SRC="{html.escape(icon, quote=True)}" SCALE="TRUE"/></TD>')
    rows = [f"<TR>{cell}</TR>"]
    if label:
        lines = "<BR/>".join(html.escape(line, quote=False) for line in label.split("\n"))
        rows.append(f"<TR><TD>{lines}</TD></TR>")
    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2">'
            + "".join(rows) + "</TABLE>>")


_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _far_labels(raw: str) -> frozenset[int]:
    """Numbers of the edges (``edge.N``) whose label lies more than MAX_LABEL_GAP_EM from
    the edge's own curve in Graphviz's SVG ``raw``."""
    from xml.etree import ElementTree

    root = ElementTree.fromstring(raw[raw.find("<svg"):])
    far: set[int] = set()
    for group in root.iter(f"{_SVG_NS}g"):
        path = group.find(f"{_SVG_NS}path")
        if group.get("class") != "edge" or path is None:
            continue
        curve = _curve_points(path.get("d", ""))
        for label in group.iter(f"{_SVG_NS}text"):
            box, size = _text_box(label)
            if min(_distance(box, p) for p in curve) > MAX_LABEL_GAP_EM * size:
                far.add(int(group.get("id", "edge.0").rpartition(".")[2]))
    return frozenset(far)


def _curve_points(d: str) -> list[tuple[float, float]]:
    """Points along a Graphviz edge path (``M x,y C x1,y1 x2,y2 x3,y3 ...``), 16 per cubic
    Bezier segment."""
    numbers = [float(n) for n in _NUMBER.findall(d)]
    knots = list(zip(numbers[0::2], numbers[1::2], strict=False))
    points = knots[:1]
    for i in range(1, len(knots) - 2, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[-1], *knots[i:i + 3]
        for step in range(1, 17):
            t = step / 16
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t ** 3
            points.append((a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3))
    return points


def _text_box(text: Any) -> tuple[tuple[float, float, float, float], float]:
    """An SVG ``<text>``'s box (x0, y0, x1, y1), its width estimated at 0.6 em a character
    (SVG text carries no width), and its font size."""
    size = float(text.get("font-size", "14"))
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    width = 0.6 * size * len(text.text or "")
    anchor = text.get("text-anchor", "start")
    left = x - width / 2 if anchor == "middle" else x - width if anchor == "end" else x
    return (left, y - 0.8 * size, left + width, y + 0.2 * size), size


def _distance(box: tuple[float, float, float, float], point: tuple[float, float]) -> float:
    x0, y0, x1, y1 = box
    return math.hypot(max(x0 - point[0], 0.0, point[0] - x1),
                      max(y0 - point[1], 0.0, point[1] - y1))


@functools.cache
def graphviz_version() -> str:
    """The Graphviz that draws (``dot -V``), e.g. ``2.43.0``."""
    graphviz = importlib.import_module("graphviz")
    return ".".join(str(part) for part in graphviz.version())


@functools.cache
def drawing_package_versions() -> tuple[str, str]:
    """The diagrams and graphviz packages' versions, read once per process: each reading
    searches every installed distribution (a few ms, paid per diagram before)."""
    from importlib.metadata import version

    return version("diagrams"), version("graphviz")


def _cache_key(engine: str, outformat: str, source: str) -> str:
    """What decides Graphviz's output: its version, the diagrams and graphviz packages that
    wrote the DOT text (icon paths included), the engine, the format and the text itself."""
    parts = (graphviz_version(), *drawing_package_versions(), engine, outformat, source)
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


#: The first line of a diagram cache entry, before the SVG: the checksum of key and SVG.
_ENTRY_HEAD = b"archlib-diagram sha256="


def _entry_sum(key: str, svg: bytes) -> bytes:
    return hashlib.sha256(key.encode("ascii") + b"\0" + svg).hexdigest().encode("ascii")


def read_cache_entry(path: Path, key: str) -> bytes | None:
    """The SVG of a diagram cache entry, or None unless the entry is intact: a file whose
    checksum line matches its key and its SVG. Anything else (missing, truncated, garbled,
    another entry's content, a folder in its place) is a miss: Graphviz draws again."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    head, newline, svg = data.partition(b"\n")
    if not newline or head != _ENTRY_HEAD + _entry_sum(key, svg):
        return None
    return svg


def write_cache_entry(path: Path, key: str, svg: bytes) -> None:
    """Leave ``svg`` as the entry for ``key`` (through a temporary name and a rename:
    readers never see half an entry). A cache that cannot be written is no cache."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        partial.write_bytes(_ENTRY_HEAD + _entry_sum(key, svg) + b"\n" + svg)
        os.replace(partial, path)


@functools.cache
def _diagram_class() -> type[Any]:
    """``diagrams.Diagram`` that, when :data:`DIAGRAM_CACHE_ENV` names a folder, takes the
    SVG from it when Graphviz has drawn the same DOT text before (content-addressed: the key
    is everything that decides the output), and leaves what it draws there. Every entry is
    verified as it is read (:func:`read_cache_entry`): a notebook that damaged the folder
    costs a Graphviz run, never a wrong diagram in a later report."""
    import diagrams

    class CachedDiagram(diagrams.Diagram):  # type: ignore[misc]
        def render(self) -> None:
            folder = os.environ.get(DIAGRAM_CACHE_ENV)
            if not folder or self.outformat != "svg":
                super().render()
                return
            key = _cache_key(self.dot.engine, "svg", self.dot.source)
            cached = Path(folder) / f"{key}.svg"
            drawn = Path(f"{self.filename}.svg")
            svg = read_cache_entry(cached, key)
            if svg is None:
                super().render()
                with contextlib.suppress(OSError):
                    write_cache_entry(cached, key, drawn.read_bytes())
                return
            self.dot.save()  # the DOT file diagrams removes after rendering
            drawn.write_bytes(svg)

    return CachedDiagram


# --- making it offline-safe and inlinable ----------------------------------------------------


def _finish(raw: str, title: str, icons: frozenset[str]) -> str:
    start = raw.find("<svg")
    if start < 0:
        raise RuntimeError("graphviz wrote no <svg> element")
    # edges name their ends' icon port ("a:icon->b"): the outline names the nodes alone
    svg = (_COMMENT.sub("", raw[start:]).replace("&#45;", "-")
           .replace(":icon-&gt;", "-&gt;").replace(":icon</title>", "</title>"))

    used: dict[str, tuple[str, str, int, int]] = {}  # icon id -> icon, in order of first use

    def place(match: re.Match[str]) -> str:
        attrs: dict[str, str] = dict(_ATTR.findall(match.group(1)))
        ref = html.unescape(attrs.get("xlink:href", attrs.get("href", "")))
        if ref not in icons:
            raise RuntimeError(f"graphviz referenced an unexpected image: {ref!r}")
        icon = _icon(ref)
        used.setdefault(icon[0], icon)
        box = "".join(f' {k}="{attrs[k]}"' for k in ("x", "y", "width", "height") if k in attrs)
        return f'<use href="#{icon[0]}" xlink:href="#{icon[0]}"{box}/>'

    svg = _IMAGE.sub(place, svg)
    root_end = svg.index(">") + 1
    name = html.escape(title, quote=True)
    head = svg[: root_end - 1] + f' role="img" aria-label="{name}">'
    defs = "".join(_symbols(used.values()))
    svg = f"{head}\n<title>{name}</title>\n<defs>\n{defs}</defs>{svg[root_end:]}"

    for ref in _HREF.findall(svg):
        if not ref.startswith(("data:", "#")):
            raise RuntimeError(f"SVG still references an external resource: {ref!r}")
    return svg


def _symbols(icons: Iterable[tuple[str, str, int, int]]) -> Iterator[str]:
    """One ``<symbol>`` per icon, scaled into each ``<use>`` box the way graphviz placed the
    image (``preserveAspectRatio="xMinYMin meet"``)."""
    for icon_id, uri, width, height in icons:
        yield (f'<symbol id="{icon_id}" viewBox="0 0 {width} {height}" '
               f'preserveAspectRatio="xMinYMin meet"><image width="{width}" height="{height}" '
               f'xlink:href="{uri}"/></symbol>\n')
