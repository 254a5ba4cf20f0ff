"""One console request (:class:`View`), the registry of pages, and the dispatch from a path below
``/_emulator/ui`` to a page and to its JSON twin under ``/_emulator/ui/api/``.

A page is a function ``View -> Fragment`` registered under the first segment of its path
(``tables``, ``executions``, ...); the dispatch wraps the fragment in the page shell, or, for the
``api/`` twin, in JSON. Pages read the world only through its native clients, in the partition the
view names: ``?account=&region=`` (default: the world's default partition), or the partition an ARN
in the path names (an execution page is always in its execution's partition).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import unquote, urlencode

from ..errors import AWSError
from ..partition import Partition, check_account_id, check_region
from . import layout

__all__ = ["Answer", "Fragment", "NotFound", "View", "page", "render"]

ROOT = layout.ROOT


@dataclass
class View:
    """What a page may read: the world, the path below its kind (unquoted), the query, and the
    partition it shows."""

    world: Any
    kind: str
    rest: str
    query: dict[str, str]
    partition: Partition

    def client(self, name: str) -> Any:
        """The native client of ``name`` in this view's partition."""
        return self.world.client(
            name, region_name=self.partition.region, account_id=self.partition.account_id
        )

    def in_partition_of(self, arn: str) -> View:
        """This view moved to the partition ``arn`` names (``arn:aws:<svc>:<region>:<account>:...``)."""
        parts = arn.split(":")
        if len(parts) < 6 or parts[0] != "arn":
            raise NotFound(f"not an ARN: {arn}")
        try:
            return replace(self, partition=Partition(check_account_id(parts[4]), check_region(parts[3])))
        except ValueError as exc:
            raise NotFound(str(exc)) from None

    def partition_query(self) -> dict[str, str]:
        """The query that names this view's partition (empty for the world's default)."""
        if self.partition == self.world.default_partition:
            return {}
        return {"account": self.partition.account_id, "region": self.partition.region}


@dataclass
class Fragment:
    """A page's content: its title and HTML; ``live`` pages poll their JSON twin, which carries
    ``html`` and ``final`` (stop polling) plus ``data``."""

    title: str
    html: str
    live: bool = False
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Answer:
    status: int
    content_type: str
    text: str


class NotFound(Exception):
    """A page for something the world does not hold (or a path no page has)."""


PAGES: dict[str, Callable[[View], Fragment]] = {}


def page(kind: str) -> Callable[[Callable[[View], Fragment]], Callable[[View], Fragment]]:
    """Register a page for the paths ``/_emulator/ui/<kind>[/...]`` (``""``: the overview)."""

    def register(fn: Callable[[View], Fragment]) -> Callable[[View], Fragment]:
        if kind in PAGES:
            raise ValueError(f"console page {kind!r} is registered twice")
        PAGES[kind] = fn
        return fn

    return register


def known_partitions(world: Any) -> list[Partition]:
    """The default partition and every partition some service was built in, sorted."""
    found = {world.default_partition, *(svc.partition for svc in world.services())}
    return sorted(found, key=lambda p: (p.account_id, p.region))


def _partition(world: Any, query: dict[str, str]) -> Partition:
    """The partition ``?account=&region=`` names (``ValueError`` for a malformed one)."""
    if "account" not in query and "region" not in query:
        return world.default_partition
    return world.partition(query.get("account"), query.get("region"))


def render(world: Any, path: str, query: dict[str, str]) -> Answer:
    """The answer for ``path`` (below ``/_emulator/ui``) and its query."""
    api = path.startswith("/api/") or path == "/api"
    below = path[len("/api") :] if api else path
    kind, _, rest = below.strip("/").partition("/")
    view = View(world, kind, unquote(rest), query, _partition(world, query))
    try:
        fn = PAGES.get(kind)
        if fn is None:
            raise NotFound(f"no console page at {ROOT}{path}")
        fragment = fn(view)
        status = 200
    except NotFound as exc:
        fragment, status = Fragment("Not found", layout.error(str(exc))), 404
    except ValueError as exc:  # a query parameter the page could not read
        fragment, status = Fragment("Bad request", layout.error(str(exc))), 400
    except AWSError as exc:
        code = exc.response["Error"]["Code"]
        status = 404 if "NotFound" in code or "DoesNotExist" in code else 400
        fragment = Fragment(code, layout.error(f"{code}: {exc.response['Error']['Message']}"))
    if api:
        body = {"title": fragment.title, "final": not fragment.live, **fragment.data, "html": fragment.html}
        return Answer(status, "application/json", json.dumps(body))
    twin = f"{ROOT}/api{below}" + (f"?{urlencode(query)}" if query else "")
    shell = layout.shell(
        fragment.title, fragment.html, kind, live=twin if fragment.live else None, partitions=_links(view)
    )
    return Answer(status, "text/html; charset=utf-8", shell)


def _links(view: View) -> list[tuple[str, str, bool]]:
    """(label, href, current) for each known partition: the same kind of page in another partition."""
    href = f"{ROOT}/{view.kind}" if view.kind in layout.LIST_KINDS else ROOT
    links = []
    for p in known_partitions(view.world):
        query = replace(view, partition=p).partition_query()
        links.append(
            (
                f"{p.account_id} {p.region}",
                href + (f"?{urlencode(query)}" if query else ""),
                p == view.partition,
            )
        )
    return links
