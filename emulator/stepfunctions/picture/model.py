"""The graph of a state machine, read from its definition: what the picture draws before any run.

A :class:`Graph` is one scope of states (the machine, a Parallel branch, a Map's item processor):
its nodes in definition order and its edges (``Next``, a Choice rule's ``Next`` and ``Default``,
and ``Catch`` — drawn dashed). A Parallel or Map node holds its inner graphs, which the renderers
draw as clusters. The definition is read as plain JSON rather than through ``asl/model.py``'s
loader, so a definition the runtime would reject (or that uses a field the loader does not model)
still draws. State names are unique across a whole machine (AWS's rule), so a name identifies a
node in every scope; node ids (``n0``, ``n1``, ...) follow definition order, so output is stable.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Edge:
    """A transition the definition allows. ``kind``: next, choice, default or catch."""

    source: str
    target: str
    kind: str
    label: str = ""


@dataclass
class Node:
    """One state. ``branches`` are a Parallel's branches or a Map's one item processor."""

    id: str
    name: str
    type: str
    end: bool
    branches: list[Graph] = field(default_factory=list)
    distributed: bool = False

    @property
    def cluster(self) -> bool:
        return bool(self.branches)


@dataclass
class Graph:
    """One scope: the states of a machine, a branch or an item processor."""

    start_at: str
    nodes: list[Node]
    edges: list[Edge]

    def walk(self) -> Iterator[Node]:
        """Every node of this scope and of the scopes nested in it, in definition order."""
        for node in self.nodes:
            yield node
            for branch in node.branches:
                yield from branch.walk()


def load_definition(definition: str | Mapping[str, Any]) -> Graph:
    """The graph of a definition given as ASL JSON text or an already parsed dict."""
    data = json.loads(definition) if isinstance(definition, str) else definition
    if not isinstance(data, Mapping) or not isinstance(data.get("States"), Mapping):
        raise ValueError("not a state machine definition: it needs a States object")
    counter = iter(range(1_000_000))
    return _scope(data, counter)


def _scope(data: Mapping[str, Any], counter: Iterator[int]) -> Graph:
    nodes: list[Node] = []
    edges: list[Edge] = []
    for name, state in data.get("States", {}).items():
        state = state if isinstance(state, Mapping) else {}
        kind = str(state.get("Type", "?"))
        node = Node(f"n{next(counter)}", name, kind, _ends(state))
        nodes.append(node)
        if kind == "Parallel":
            node.branches = [_scope(b, counter) for b in state.get("Branches", []) if isinstance(b, Mapping)]
        elif kind == "Map":
            inner = state.get("ItemProcessor") or state.get("Iterator") or {}
            if isinstance(inner, Mapping):
                node.branches = [_scope(inner, counter)]
                mode = (inner.get("ProcessorConfig") or {}).get("Mode")
                node.distributed = mode == "DISTRIBUTED"
        edges.extend(_edges(name, state))
    return Graph(str(data.get("StartAt", "")), nodes, edges)


def _ends(state: Mapping[str, Any]) -> bool:
    return bool(state.get("End")) or state.get("Type") in ("Succeed", "Fail")


def _edges(name: str, state: Mapping[str, Any]) -> Iterator[Edge]:
    if isinstance(state.get("Next"), str):
        yield Edge(name, state["Next"], "next")
    for i, rule in enumerate(state.get("Choices") or [], 1):
        if isinstance(rule, Mapping) and isinstance(rule.get("Next"), str):
            yield Edge(name, rule["Next"], "choice", f"rule {i}")
    if isinstance(state.get("Default"), str):
        yield Edge(name, state["Default"], "default", "Default")
    for catcher in state.get("Catch") or []:
        if isinstance(catcher, Mapping) and isinstance(catcher.get("Next"), str):
            errors = catcher.get("ErrorEquals") or []
            yield Edge(name, catcher["Next"], "catch", "Catch " + ", ".join(map(str, errors)))
