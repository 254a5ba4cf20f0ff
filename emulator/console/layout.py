"""The console's page shell and HTML helpers: every text that reaches a page goes through
:func:`esc` (``html.escape``, quotes included), so a table name or an item value holding markup is
shown, never run. CSS and the script are inline: the console fetches nothing but its own pages.

The script is the whole of the console's JavaScript: a live page's ``<main>`` names its JSON twin
in ``data-live``; the script fetches it about once a second, swaps in the server-rendered ``html``
when it changed, and stops when the twin says ``final`` (an execution that has finished).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from urllib.parse import quote, urlencode

__all__ = ["LIST_KINDS", "ROOT", "error", "esc", "href", "link", "row", "shell", "table"]

ROOT = "/_emulator/ui"

#: The list pages, in the navigation bar's order: (kind, label).
NAV = (("", "Overview"), ("tables", "Tables"), ("streams", "Streams"), ("statemachines", "State machines"))
LIST_KINDS = frozenset(kind for kind, _ in NAV)

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#16191f;background:#f8f8f8}
header{background:#232f3e;color:#fff;padding:.5em 1em}header a{color:#fff;margin-right:1em}
header a.current{font-weight:bold;text-decoration:underline}
nav.partitions{padding:.3em 1em;background:#eaeded;font-size:12px}nav.partitions a{margin-right:1em}
nav.partitions a.current{font-weight:bold}
main{padding:1em}table{border-collapse:collapse;background:#fff;margin:.5em 0}
th,td{border:1px solid #d5dbdb;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f2f3f3}td.value{font-family:monospace;white-space:pre-wrap;max-width:40em}
pre{background:#fff;border:1px solid #d5dbdb;padding:.5em;overflow:auto;max-height:30em}
.status{font-weight:bold}.SUCCEEDED,.succeeded{color:#1d8102}.RUNNING,.running{color:#0073bb}
.FAILED,.TIMED_OUT,.ABORTED{color:#d13212}
tr.failed td{background:#fde8e8;color:#d13212;font-weight:bold}tr.running td{background:#e6f2fb}
p.error{color:#d13212}p.note{color:#545b64;font-style:italic}form label{margin-right:1em}
.picture svg{max-width:100%;height:auto;background:#fff;border:1px solid #d5dbdb}
"""

SCRIPT = """
(function(){const m=document.querySelector("main[data-live]");if(!m)return;
let last=m.innerHTML;
async function tick(){try{const r=await fetch(m.dataset.live,{cache:"no-store"});
const d=await r.json();if(d.html!==last){last=d.html;m.innerHTML=d.html;}
if(d.final){m.removeAttribute("data-live");return;}}catch(e){}setTimeout(tick,1000);}
setTimeout(tick,1000);})();
"""


def esc(value: object) -> str:
    """``value`` as HTML text (``&``, ``<``, ``>`` and both quotes escaped)."""
    return html.escape(str(value), quote=True)


def href(path: str, query: dict[str, str] | None = None) -> str:
    """The console URL of ``path`` (below ``/_emulator/ui``; ARNs keep their ``:`` and ``/``)."""
    url = f"{ROOT}/{quote(path, safe=':/@')}" if path else ROOT
    return url + (f"?{urlencode(query)}" if query else "")


def link(url: str, text: object, css: str = "") -> str:
    """An ``<a>`` to ``url`` showing ``text`` (both escaped)."""
    cls = f' class="{esc(css)}"' if css else ""
    return f'<a href="{esc(url)}"{cls}>{esc(text)}</a>'


def table(headers: Iterable[str], rows: Iterable[str], css: str = "") -> str:
    """A ``<table>`` with escaped ``headers`` and ``rows`` that are already ``<tr>`` HTML."""
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    cls = f' class="{esc(css)}"' if css else ""
    return f"<table{cls}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def row(*cells: str, css: str = "", attrs: str = "") -> str:
    """A ``<tr>`` of cells that are already HTML."""
    cls = f' class="{esc(css)}"' if css else ""
    return f"<tr{cls}{attrs}>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


def error(message: str) -> str:
    return f'<p class="error">{esc(message)}</p>'


def shell(
    title: str, body: str, kind: str, *, live: str | None, partitions: list[tuple[str, str, bool]]
) -> str:
    """The whole page: the navigation, the partition links, ``body`` in ``<main>``."""
    nav = "".join(link(href(k), label, "current" if k == kind else "") for k, label in NAV)
    parts = "".join(link(url, label, "current" if current else "") for label, url, current in partitions)
    live_attr = f' data-live="{esc(live)}"' if live else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)} · emulator console</title><style>{CSS}</style></head><body>"
        f'<header>{nav}</header><nav class="partitions">Partitions: {parts}</nav>'
        f'<main id="live"{live_attr}>{body}</main><script>{SCRIPT}</script></body></html>\n'
    )
