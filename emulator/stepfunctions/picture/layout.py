"""Where every box and line of the SVG goes, computed with grandalf (the ``picture`` extra).

Each scope (the machine, a Parallel branch, a Map's item processor) is laid out on its own with
grandalf's Sugiyama layout (layers top to bottom, crossings reduced, back edges of loops
handled); a Map or Parallel is then one big vertex of its parent's layout whose size is that of its
inner layout, so clusters nest without the layout library knowing about them. Transitions never
leave their scope in ASL, so no edge crosses a cluster's border. Graphviz would do as well, but a
pure-Python library installs everywhere ``pip`` does and gives the same output on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .labels import Label, ended_at, label
from .model import Graph, Node
from .overlay import Overlay

CHAR_W, LINE_H, PAD = 7.0, 16.0, 12.0
LABEL_CHAR_W = 6.0  # an edge label's characters (10px)
X_SPACE, Y_SPACE, GAP = 40.0, 44.0, 40.0
TERMINAL = (72.0, 30.0)


class MissingExtra(ImportError):
    """grandalf is not installed: the SVG and HTML pictures need the ``picture`` extra."""


@dataclass
class Box:
    """A drawn rectangle: a state, a cluster (Map/Parallel), a branch frame or Start/End."""

    key: str
    kind: str  # state, cluster, branch, terminal
    x: float
    y: float
    w: float
    h: float
    text: Label
    node: Node | None = None


@dataclass
class Line:
    """A drawn transition: points from border to border, dashed for a Catch, bold when taken."""

    points: list[tuple[float, float]]
    kind: str
    text: str
    taken: bool
    loop: bool = False


@dataclass
class Placement:
    w: float
    h: float
    boxes: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)

    def moved(self, dx: float, dy: float) -> Placement:
        boxes = [Box(b.key, b.kind, b.x + dx, b.y + dy, b.w, b.h, b.text, b.node) for b in self.boxes]
        lines = [
            Line([(x + dx, y + dy) for x, y in ln.points], ln.kind, ln.text, ln.taken, ln.loop)
            for ln in self.lines
        ]
        return Placement(self.w, self.h, boxes, lines)


def _grandalf() -> Any:
    try:
        import grandalf.graphs
        import grandalf.layouts
    except ImportError as exc:
        raise MissingExtra(
            "drawing an SVG or HTML picture needs grandalf: pip install 'dynamodb-stepfunctions-emulator[picture]'"
            " (format='mermaid' needs nothing)"
        ) from exc
    return grandalf


def layout(graph: Graph, overlay: Overlay | None) -> Placement:
    """The whole picture: the machine's scope with Start and End, nested scopes inside."""
    start = Box(
        "start",
        "terminal",
        0,
        0,
        *TERMINAL,
        Label(("Start",), ("path",) if overlay and overlay.first else ()),
    )
    end_marks = ("path",) if any(ended_at(n, overlay) for n in graph.nodes) else ()
    end = Box("end", "terminal", 0, 0, *TERMINAL, Label(("End",), end_marks))
    extra = {("start", graph.start_at): bool(overlay and overlay.first)}
    extra.update({(n.name, "end"): ended_at(n, overlay) for n in graph.nodes if n.end})
    whole = _scope(graph, overlay, [start, end], extra)
    out = whole.moved(PAD, PAD)
    out.w, out.h = whole.w + 2 * PAD, whole.h + 2 * PAD
    return out


def _scope(
    graph: Graph,
    overlay: Overlay | None,
    terminals: list[Box] | None = None,
    extra: dict[tuple[str, str], bool] | None = None,
) -> Placement:
    """One scope's layout, its top-left corner at (0, 0)."""
    inner: dict[str, Placement] = {}
    boxes: dict[str, Box] = {}
    for node in graph.nodes:
        text = label(node, overlay)
        if node.cluster:
            inner[node.name] = _cluster(node, text, overlay)
            w, h = inner[node.name].w, inner[node.name].h
        else:
            w, h = _text_size(text)
        boxes[node.name] = Box(node.id, "cluster" if node.cluster else "state", 0, 0, w, h, text, node)
    for t in terminals or []:
        boxes[t.key] = t
    links = _links(graph, overlay, extra or {})
    _place(boxes, links)
    out = _normalised(boxes, links)
    for name, placement in inner.items():
        box = boxes[name]
        moved = placement.moved(box.x, box.y)
        out.boxes.extend(moved.boxes)
        out.lines.extend(moved.lines)
    return out


def _cluster(node: Node, text: Label, overlay: Overlay | None) -> Placement:
    """The inside of a Map (its item processor) or a Parallel (its branches, side by side)."""
    head = _text_size(text)[1]
    if node.type == "Map":
        body = _scope(node.branches[0], overlay).moved(PAD, head)
        parts = [body]
    else:
        parts, x = [], PAD
        for i, branch in enumerate(node.branches, 1):
            scope = _scope(branch, overlay)
            frame = Placement(scope.w + 2 * PAD, scope.h + LINE_H + 2 * PAD)
            branch_label = Label((f"Branch {i}",), ())
            frame.boxes.append(Box(f"{node.id}_b{i}", "branch", 0, 0, frame.w, frame.h, branch_label))
            inside = scope.moved(PAD, LINE_H + PAD)
            frame.boxes.extend(inside.boxes)
            frame.lines.extend(inside.lines)
            parts.append(frame.moved(x, head))
            x += frame.w + PAD
    w = max([_text_size(text)[0]] + [p.boxes[0].x + p.w + PAD if p.boxes else 0 for p in parts])
    w = max(w, max((b.x + b.w + PAD for p in parts for b in p.boxes), default=0))
    h = max((b.y + b.h + PAD for p in parts for b in p.boxes), default=head + PAD)
    out = Placement(w, h)
    for p in parts:
        out.boxes.extend(p.boxes)
        out.lines.extend(p.lines)
    return out


def _text_size(text: Label) -> tuple[float, float]:
    widest = max(len(line) for line in text.lines)
    return max(120.0, widest * CHAR_W + 2 * PAD), len(text.lines) * LINE_H + PAD


@dataclass
class _Link:
    source: str
    target: str
    kind: str
    text: str
    taken: bool
    points: list[tuple[float, float]] = field(default_factory=list)


def _links(graph: Graph, overlay: Overlay | None, extra: dict[tuple[str, str], bool]) -> list[_Link]:
    names = {n.name for n in graph.nodes}
    links = [_Link(source, target, "next", "", taken) for (source, target), taken in extra.items()]
    for e in graph.edges:
        if e.target in names:
            taken = overlay is not None and (e.source, e.target, e.kind == "catch") in overlay.taken
            links.append(_Link(e.source, e.target, e.kind, e.label, taken))
    return links


class _View:
    """What grandalf reads (w, h) and writes (xy, the centre) for a vertex."""

    def __init__(self, w: float, h: float) -> None:
        self.w, self.h, self.xy = w, h, (0.0, 0.0)


class _EdgeView:
    def __init__(self) -> None:
        self.points: list[tuple[float, float]] = []

    def setpath(self, points: list[tuple[float, float]]) -> None:
        self.points = [(float(x), float(y)) for x, y in points]


def _place(boxes: dict[str, Box], links: list[_Link]) -> None:
    """Lay the boxes out with grandalf (one Sugiyama layout per connected part, side by side) and
    give each link its route through the layers, centre to centre."""
    g = _grandalf()
    vertices = {key: g.graphs.Vertex(key) for key in boxes}
    for key, v in vertices.items():
        v.view = _View(boxes[key].w, boxes[key].h)
    edges = {}
    for link in links:
        pair = (link.source, link.target)
        if link.source != link.target and pair not in edges and (link.target, link.source) not in edges:
            edges[pair] = g.graphs.Edge(vertices[pair[0]], vertices[pair[1]])
            edges[pair].view = _EdgeView()
    whole = g.graphs.Graph(list(vertices.values()), list(edges.values()))
    order = list(boxes)
    x = 0.0
    for part in sorted(whole.C, key=lambda c: min(order.index(v.data) for v in c.sV)):
        sug = g.layouts.SugiyamaLayout(part)
        sug.xspace, sug.yspace = X_SPACE, Y_SPACE
        sug.init_all(roots=[_root(part, order)])
        sug.draw()
        left = min(v.view.xy[0] - v.view.w / 2 for v in part.sV)
        right = max(v.view.xy[0] + v.view.w / 2 for v in part.sV)
        for v in part.sV:
            box = boxes[v.data]
            box.x, box.y = v.view.xy[0] - box.w / 2 - left + x, v.view.xy[1] - box.h / 2
        for e in part.sE:
            e.view.points = [(px - left + x, py) for px, py in e.view.points]
        x += right - left + GAP
    for link in links:
        pair = (link.source, link.target)
        if pair in edges:
            link.points = list(edges[pair].view.points)
        elif (link.target, link.source) in edges:
            link.points = list(reversed(edges[(link.target, link.source)].view.points))


def _root(part: Any, order: list[str]) -> Any:
    """Where a part's layers start: Start, else its first state that nothing enters."""
    ranked = sorted(part.sV, key=lambda v: order.index(v.data))
    if ranked[0].data == "start" or len(ranked) == 1:
        return ranked[0]
    return next((v for v in ranked if not v.e_in()), ranked[0])


def _normalised(boxes: dict[str, Box], links: list[_Link]) -> Placement:
    """Shift the scope to (0, 0), clip each route to its boxes' borders, draw self-loops."""
    if not boxes:
        return Placement(0, 0)
    left = min(b.x for b in boxes.values())
    top = min(b.y for b in boxes.values())
    for b in boxes.values():
        b.x, b.y = b.x - left, b.y - top
    out = Placement(max(b.x + b.w for b in boxes.values()), max(b.y + b.h for b in boxes.values()))
    out.boxes = list(boxes.values())
    by_key = {k: b for k, b in boxes.items()}
    for link in links:
        source, target = by_key[link.source], by_key[link.target]
        if link.source == link.target:
            points = _self_loop(source)
            out.w = max(out.w, source.x + source.w + 2 * PAD)
        else:
            points = [(x - left, y - top) for x, y in link.points]
            points[0] = _border(source, points[1])
            points[-1] = _border(target, points[-2])
            points = _apart(points, link, links)
        out.lines.append(Line(points, link.kind, link.text, link.taken, loop=link.source == link.target))
        if link.text:  # the label starts at the route's middle: the scope is as wide as it reaches
            out.w = max(out.w, middle(points)[0] + 4 + len(link.text) * LABEL_CHAR_W)
    return out


def middle(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Where a route's label goes: the middle of its middle segment."""
    i = max(len(points) // 2 - 1, 0)
    (x0, y0), (x1, y1) = points[i], points[min(i + 1, len(points) - 1)]
    return (x0 + x1) / 2, (y0 + y1) / 2


def _border(box: Box, toward: tuple[float, float]) -> tuple[float, float]:
    """Where the segment from ``box``'s centre toward a point leaves the box."""
    cx, cy = box.x + box.w / 2, box.y + box.h / 2
    dx, dy = toward[0] - cx, toward[1] - cy
    if dx == 0 and dy == 0:
        return cx, cy
    scale = min(box.w / 2 / abs(dx) if dx else float("inf"), box.h / 2 / abs(dy) if dy else float("inf"))
    return round(cx + dx * scale, 1), round(cy + dy * scale, 1)


def _self_loop(box: Box) -> list[tuple[float, float]]:
    right, top = box.x + box.w, box.y
    return [
        (right, top + box.h * 0.3),
        (right + 2 * PAD, top + box.h * 0.3),
        (right + 2 * PAD, top + box.h * 0.7),
        (right, top + box.h * 0.7),
    ]


def _apart(points: list[tuple[float, float]], link: _Link, links: list[_Link]) -> list[tuple[float, float]]:
    """Two links between the same states (a loop's way back, a Next beside a Catch) would share
    one route: each is moved sideways, to the right of its own direction."""
    pair = {link.source, link.target}
    same = [other for other in links if {other.source, other.target} == pair]
    if len(same) < 2:
        return points
    along = [other for other in same if other.source == link.source]
    (x0, y0), (x1, y1) = points[0], points[-1]
    length = max(((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5, 1e-9)
    shift = 6.0 * (along.index(link) + 1)
    nx, ny = -(y1 - y0) / length * shift, (x1 - x0) / length * shift
    return [(round(x + nx, 1), round(y + ny, 1)) for x, y in points]
