"""The console's first page: what the partition holds, with links to each list."""

from __future__ import annotations

from .layout import esc, href, link
from .tables import table_names
from .view import Fragment, View, page


@page("")
def overview_page(view: View) -> Fragment:
    tables = table_names(view)
    answer = view.client("stepfunctions").list_state_machines()
    q = view.partition_query()
    p = view.partition
    body = (
        f"<h1>Emulator console</h1><p>Account {esc(p.account_id)}, region {esc(p.region)}.</p><ul>"
        f"<li>{link(href('tables', q), 'Tables')}: {esc(len(tables))}</li>"
        f"<li>{link(href('streams', q), 'Streams')}</li>"
        f"<li>{link(href('statemachines', q), 'State machines')}: {esc(len(answer['stateMachines']))}"
        + (" or more" if "nextToken" in answer else "")
        + "</li></ul>"
    )
    return Fragment("Overview", body, live=True)
