"""The picture of a state machine or of one execution (issue 15, "Seeing what ran").

``aws.stepfunctions.render(execution_arn_or_definition, format="svg" | "html" | "mermaid")`` and
``emulator run --graph FILE`` draw the machine as the AWS console does: the path taken
highlighted, failed, caught and retried states marked, Map iteration counts, each state's
duration on the execution's clock. The parts, one concept each:

* ``model.py`` — the graph of a definition (states, transitions, nested scopes);
* ``overlay.py`` — what an execution's history did to that graph;
* ``labels.py`` — what each node says and which marks it carries;
* ``mermaid.py`` (no dependency), ``layout.py`` + ``svg.py`` (grandalf, the ``picture`` extra),
  ``html.py`` (the SVG in a standalone page with each state's input and output on click);
* ``source.py`` — reading an execution ARN, a state machine ARN or a definition through a client.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from . import html, mermaid, svg
from .layout import MissingExtra
from .model import Graph, load_definition
from .overlay import Overlay, read_history

RENDERERS: dict[str, Callable[[Graph, Overlay | None], str]] = {
    "svg": svg.render,
    "html": html.render,
    "mermaid": mermaid.render,
}
# ``emulator run --graph FILE``: the format by the file's suffix (.md wraps Mermaid in a fence)
SUFFIXES = {
    ".svg": "svg",
    ".html": "html",
    ".htm": "html",
    ".mmd": "mermaid",
    ".mermaid": "mermaid",
    ".md": "md",
}

__all__ = ["RENDERERS", "SUFFIXES", "MissingExtra", "draw", "load_definition", "read_history"]


def draw(
    definition: str | Mapping[str, Any],
    events: list | None = None,
    *,
    format: str = "svg",  # noqa: A002 - the name the API has
    map_runs: Mapping[str, Any] | None = None,
) -> str:
    """The picture of ``definition``, with the execution of ``events`` (its history) over it."""
    renderer = RENDERERS.get(format)
    if renderer is None:
        raise ValueError(f"unknown picture format {format!r}: one of {', '.join(sorted(RENDERERS))}")
    graph = load_definition(definition)
    overlay = None if events is None else read_history(graph, events, map_runs)
    if overlay is not None and overlay.first and overlay.first not in {n.name for n in graph.nodes}:
        # a Distributed Map's child execution runs the item processor only: draw that scope
        graph = _scope_holding(graph, overlay.first) or graph
        overlay = read_history(graph, events or [], map_runs)
    return renderer(graph, overlay)


def _scope_holding(graph: Graph, name: str) -> Graph | None:
    """The nested scope (a branch or an item processor) whose states include ``name``."""
    for node in graph.walk():
        for branch in node.branches:
            if any(n.name == name for n in branch.nodes):
                return branch
    return None
