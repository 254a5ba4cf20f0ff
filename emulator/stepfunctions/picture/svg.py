"""The picture as a standalone SVG: boxes and lines from :mod:`layout`, coloured as the AWS
console colours an execution (green path, red failure, orange caught error, grey not run).

Every state is a ``<g class="state ..." data-state="Name">`` holding its ``<rect>`` and text, so
the HTML page can find it and tests can check marks and geometry. The style sheet is inline and
numbers are rounded, so the same run draws the same bytes.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from .layout import LINE_H, PAD, Box, Line, Placement, layout, middle
from .model import Graph
from .overlay import Overlay

STYLE = """
  .state rect, .terminal rect { fill: #ffffff; stroke: #545b64; stroke-width: 1.2; }
  .cluster > rect { fill: #f8f8f8; stroke: #879596; stroke-width: 1.2; }
  .branch > rect { fill: none; stroke: #aab7b8; stroke-dasharray: 4 3; }
  .path > rect { fill: #e9f7ec; stroke: #1d8102; stroke-width: 2; }
  .cluster.path > rect { fill: #f3fbf4; }
  .notrun > rect { fill: #f2f3f3; stroke: #aab7b8; }
  .notrun text { fill: #687078; }
  .running > rect { fill: #e6f2fa; stroke: #0073bb; stroke-width: 2.5; }
  .caught > rect { fill: #fff4e0; stroke: #ff9900; stroke-width: 2; }
  .retried > rect { stroke: #ff9900; stroke-width: 2.5; }
  .failed > rect { fill: #fde8e8; stroke: #d13212; stroke-width: 2.5; }
  .failed .mark { fill: #d13212; font-weight: bold; }
  text { font-family: Helvetica, Arial, sans-serif; font-size: 12px; fill: #16191f; }
  .name { font-weight: bold; }
  .edge { fill: none; stroke: #879596; stroke-width: 1.3; }
  .edge.catch { stroke-dasharray: 5 4; }
  .edge.taken { stroke: #1d8102; stroke-width: 2.5; }
  .edge.catch.taken { stroke: #ff9900; }
  .edge-label { font-size: 10px; fill: #545b64; }
"""


def render(graph: Graph, overlay: Overlay | None) -> str:
    """SVG text of ``graph``, marked with ``overlay`` when there is one."""
    return draw(layout(graph, overlay))


def draw(placement: Placement) -> str:
    w, h = _n(placement.w), _n(placement.h)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"'
        ' class="stepfunctions-graph">',
        f"<style>{STYLE}</style>",
        "<defs>",
        _marker("arrow", "#879596"),
        _marker("arrow-taken", "#1d8102"),
        _marker("arrow-caught", "#ff9900"),
        "</defs>",
    ]
    for box in placement.boxes:
        out.append(_box(box))
    for line in placement.lines:
        out.append(_line(line))
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _marker(name: str, colour: str) -> str:
    return (
        f'<marker id="{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse"'
        f' orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="{colour}"/></marker>'
    )


def _box(box: Box) -> str:
    classes = " ".join((box.kind if box.kind != "cluster" else "state cluster", *box.text.marks))
    attrs = f"class={quoteattr(classes)}"
    if box.node is not None:
        attrs += f" data-state={quoteattr(box.node.name)} data-type={quoteattr(box.node.type)} id={quoteattr(box.key)}"
    rx = 15 if box.kind == "terminal" else 6
    parts = [
        f"<g {attrs}>",
        f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.w)}" height="{_n(box.h)}" rx="{rx}"/>',
    ]
    centred = box.kind in ("state", "terminal")
    for i, text in enumerate(box.text.lines):
        x = box.x + box.w / 2 if centred else box.x + PAD
        y = box.y + PAD / 2 + LINE_H * (i + 0.75)
        cls = "name" if i == 0 else ("mark" if text.startswith(("✗", "↻", "⤷", "…")) else "detail")
        anchor = ' text-anchor="middle"' if centred else ""
        parts.append(f'<text x="{_n(x)}" y="{_n(y)}" class="{cls}"{anchor}>{escape(text)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _line(line: Line) -> str:
    classes = ["edge", line.kind] + (["taken"] if line.taken else [])
    if line.loop:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = line.points
        d = f"M {_n(x0)} {_n(y0)} C {_n(x1)} {_n(y1)} {_n(x2)} {_n(y2)} {_n(x3)} {_n(y3)}"
    else:
        d = "M " + " L ".join(f"{_n(x)} {_n(y)}" for x, y in line.points)
    marker = (
        "arrow-caught" if line.taken and line.kind == "catch" else "arrow-taken" if line.taken else "arrow"
    )
    out = f'<path class="{" ".join(classes)}" d="{d}" marker-end="url(#{marker})"/>'
    if line.text:
        mx, my = middle(line.points)
        out += f'<text class="edge-label" x="{_n(mx + 4)}" y="{_n(my - 3)}">{escape(line.text)}</text>'
    return out


def _n(value: float) -> str:
    """A coordinate with at most one decimal, no trailing zeros: stable text for equal pictures."""
    text = f"{round(value, 1):.1f}"
    return text[:-2] if text.endswith(".0") else text
