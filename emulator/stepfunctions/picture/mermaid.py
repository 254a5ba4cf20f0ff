"""The picture as Mermaid flowchart text: no dependency, pastes into a Markdown file or an issue.

Map and Parallel states are subgraphs (a Parallel's branches nested subgraphs); Catch edges are
dotted; the marks of :mod:`labels` are ``classDef``s, and the edges on the path are thick
(``linkStyle``). Node ids are the model's (``n0``...), so the text is stable from run to run.
"""

from __future__ import annotations

from .labels import Label, ended_at, label
from .model import Edge, Graph, Node
from .overlay import Overlay

CLASS_DEFS = {
    "path": "fill:#e9f7ec,stroke:#1d8102,color:#16191f",
    "notrun": "fill:#f2f3f3,stroke:#aab7b8,color:#687078",
    "running": "fill:#e6f2fa,stroke:#0073bb,stroke-width:3px,color:#16191f",
    "retried": "stroke:#ff9900,stroke-width:3px",
    "caught": "fill:#fff4e0,stroke:#ff9900,color:#16191f",
    "failed": "fill:#fde8e8,stroke:#d13212,stroke-width:3px,color:#16191f",
}
PATH_LINK = "stroke:#1d8102,stroke-width:3px"


def render(graph: Graph, overlay: Overlay | None) -> str:
    """Mermaid text of ``graph``, marked with ``overlay`` when there is one."""
    out = _Writer(graph, overlay)
    out.line("flowchart TD")
    out.line('  start(("Start"))')
    out.line('  finish(("End"))')
    out.scope(graph, "  ")
    out.link(
        "start",
        out.ids[graph.start_at],
        "",
        dashed=False,
        taken=overlay is not None and overlay.first is not None,
    )
    for node in graph.nodes:
        if node.end:
            out.link(node.id, "finish", "", dashed=False, taken=ended_at(node, overlay))
    for name, style in CLASS_DEFS.items():
        out.line(f"  classDef {name} {style}")
    for mark in CLASS_DEFS:
        ids = [nid for nid, marks in out.marks if mark in marks]
        if ids:
            out.line(f"  class {','.join(ids)} {mark}")
    if out.taken:
        out.line(f"  linkStyle {','.join(map(str, out.taken))} {PATH_LINK}")
    return "\n".join(out.lines) + "\n"


class _Writer:
    def __init__(self, graph: Graph, overlay: Overlay | None) -> None:
        self.overlay = overlay
        self.ids = {n.name: n.id for n in graph.walk()}
        self.lines: list[str] = []
        self.links = 0
        self.taken: list[int] = []
        self.marks: list[tuple[str, tuple[str, ...]]] = []

    def line(self, text: str) -> None:
        self.lines.append(text)

    def scope(self, graph: Graph, indent: str) -> None:
        for node in graph.nodes:
            self.node(node, indent)
        names = {n.name for n in graph.nodes}
        for edge in graph.edges:
            if edge.target in names:
                self.edge(edge)

    def node(self, node: Node, indent: str) -> None:
        text = label(node, self.overlay)
        self.marks.append((node.id, text.marks))
        if not node.cluster:
            self.line(f'{indent}{node.id}["{_text(text)}"]')
            return
        # one line: Mermaid draws a subgraph's title over its first node when the title wraps
        self.line(f'{indent}subgraph {node.id} ["{_text(text, " · ")}"]')
        self.line(f"{indent}  direction TB")
        if node.type == "Parallel":
            for i, branch in enumerate(node.branches, 1):
                self.line(f'{indent}  subgraph {node.id}_b{i} ["Branch {i}"]')
                self.scope(branch, indent + "    ")
                self.line(f"{indent}  end")
        else:
            self.scope(node.branches[0], indent + "  ")
        self.line(f"{indent}end")

    def edge(self, edge: Edge) -> None:
        taken = (
            self.overlay is not None
            and (edge.source, edge.target, edge.kind == "catch") in self.overlay.taken
        )
        self.link(self.ids[edge.source], self.ids[edge.target], edge.label, edge.kind == "catch", taken)

    def link(self, source: str, target: str, text: str, dashed: bool, taken: bool) -> None:
        arrow = "-.->" if dashed else "-->"
        middle = f'|"{_escape(text)}"|' if text else ""
        self.line(f"  {source} {arrow}{middle} {target}")
        if taken:
            self.taken.append(self.links)
        self.links += 1


def _text(text: Label, between: str = "<br/>") -> str:
    return between.join(_escape(line) for line in text.lines)


def _escape(text: str) -> str:
    """Mermaid's entity codes for the characters that end a quoted label."""
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
