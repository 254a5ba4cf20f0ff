"""The tables pages: every table of the partition, one table's items a page at a time (Scan with
``ExclusiveStartKey``; the "next page" link carries ``LastEvaluatedKey``), and a Query form whose
inputs become a key condition on the table or one of its indexes."""

from __future__ import annotations

from typing import Any

from .items import cell, decode_key, encode_key, key_value
from .layout import esc, href, link, row, table
from .view import Fragment, NotFound, View, page

PAGE_SIZE = 25
MAX_PAGE_SIZE = 1000

#: The sort key operators of a key condition: form value → expression (``#sk``, ``:sk``, ``:sk2``).
SORT_CONDITIONS = {
    "=": "#sk = :sk",
    "<": "#sk < :sk",
    "<=": "#sk <= :sk",
    ">": "#sk > :sk",
    ">=": "#sk >= :sk",
    "between": "#sk BETWEEN :sk AND :sk2",
    "begins_with": "begins_with(#sk, :sk)",
}


@page("tables")
def tables_page(view: View) -> Fragment:
    name, _, sub = view.rest.partition("/")
    if not name:
        return _all_tables(view)
    if sub == "query":
        return _query(view, name)
    if sub:
        raise NotFound(f"no table page {sub!r}")
    return _items(view, name)


def table_names(view: View) -> list[str]:
    """Every table name of the view's partition (ListTables, followed to its last page)."""
    ddb, names, start = view.client("dynamodb"), [], None
    while True:
        answer = ddb.list_tables(**({"ExclusiveStartTableName": start} if start else {}))
        names += answer["TableNames"]
        start = answer.get("LastEvaluatedTableName")
        if not start:
            return names


def _all_tables(view: View) -> Fragment:
    ddb, rows = view.client("dynamodb"), []
    for name in table_names(view):
        t = ddb.describe_table(TableName=name)["Table"]
        keys = ", ".join(f"{k['AttributeName']} ({k['KeyType']})" for k in t["KeySchema"])
        stream = t.get("LatestStreamArn")
        rows.append(
            row(
                link(href(f"tables/{name}", view.partition_query()), name),
                esc(t["TableStatus"]),
                esc(keys),
                esc(t.get("ItemCount", 0)),
                link(href(f"streams/{stream}"), "stream") if stream else "",
            )
        )
    body = table(["Table", "Status", "Key", "Items", "Stream"], rows) if rows else "<p>No tables.</p>"
    return Fragment("Tables", f"<h1>Tables</h1>{body}")


def _describe(view: View, name: str) -> dict[str, Any]:
    return view.client("dynamodb").describe_table(TableName=name)["Table"]


def _items_table(t: dict[str, Any], items: list[dict[str, Any]]) -> str:
    """Items as a table: the key attributes first, then every other attribute name, sorted."""
    keys = [k["AttributeName"] for k in t["KeySchema"]]
    others = sorted({n for item in items for n in item} - set(keys))
    columns = keys + others
    rows = [
        "<tr>"
        + "".join(f'<td class="value">{esc(cell(i[c])) if c in i else ""}</td>' for c in columns)
        + "</tr>"
        for i in items
    ]
    return table(columns, rows, "items") if items else "<p>No items.</p>"


def _limit(view: View) -> int:
    try:
        return max(1, min(int(view.query.get("limit", PAGE_SIZE)), MAX_PAGE_SIZE))
    except ValueError:
        raise ValueError(f"limit is a number: {view.query['limit']!r}") from None


def _pager(view: View, path: str, answer: dict[str, Any]) -> str:
    """The "first page" and "next page" links of one page of items."""
    links = []
    base = {k: v for k, v in view.query.items() if k != "start"}
    if "start" in view.query:
        links.append(link(href(path, base), "first page"))
    last = answer.get("LastEvaluatedKey")
    if last:
        links.append(link(href(path, {**base, "start": encode_key(last)}), "next page", "next"))
    return f"<p>{' · '.join(links)}</p>" if links else ""


def _items(view: View, name: str) -> Fragment:
    t = _describe(view, name)
    request: dict[str, Any] = {"TableName": name, "Limit": _limit(view)}
    if "start" in view.query:
        request["ExclusiveStartKey"] = decode_key(view.query["start"])
    answer = view.client("dynamodb").scan(**request)
    query_link = link(href(f"tables/{name}/query", view.partition_query()), "Query")
    body = (
        f"<h1>Table {esc(name)}</h1><p>{esc(t['TableStatus'])} · {esc(t.get('ItemCount', 0))} items · "
        f"{query_link}</p><h2>Items (Scan)</h2>"
        + _items_table(t, answer["Items"])
        + _pager(view, f"tables/{name}", answer)
    )
    return Fragment(f"Table {name}", body)


def _indexes(t: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    """The key schema of the table ("") and of each index, by index name."""
    found = {"": t["KeySchema"]}
    for ix in t.get("GlobalSecondaryIndexes", []) + t.get("LocalSecondaryIndexes", []):
        found[ix["IndexName"]] = ix["KeySchema"]
    return found


def _query_form(view: View, name: str, indexes: dict[str, list[dict[str, str]]]) -> str:
    q = view.query

    def option(value: str, label: str, chosen: str) -> str:
        selected = " selected" if value == chosen else ""
        return f'<option value="{esc(value)}"{selected}>{esc(label)}</option>'

    index_options = "".join(
        option(ix, f"{ix or 'table'} ({', '.join(k['AttributeName'] for k in ks)})", q.get("index", ""))
        for ix, ks in indexes.items()
    )
    ops = "".join(option(op, op, q.get("skop", "=")) for op in SORT_CONDITIONS)
    hidden = "".join(
        f'<input type="hidden" name="{esc(k)}" value="{esc(v)}">' for k, v in view.partition_query().items()
    )

    def field(label: str, key: str) -> str:
        return f'<label>{label} <input name="{key}" value="{esc(q.get(key, ""))}"></label>'

    return (
        f'<form method="get" action="{esc(href(f"tables/{name}/query"))}" class="query">{hidden}'
        f'<label>index <select name="index">{index_options}</select></label>'
        + field("partition key =", "pk")
        + f'<label>sort key <select name="skop">{ops}</select></label>'
        + field("value", "sk")
        + field("and (between)", "sk2")
        + '<label><input type="checkbox" name="desc" value="1"'
        + (" checked" if q.get("desc") else "")
        + "> descending</label>"
        + field("limit", "limit")
        + '<button type="submit">Query</button></form>'
    )


def _query_request(view: View, t: dict[str, Any], schema: list[dict[str, str]]) -> dict[str, Any]:
    """The Query request the form's inputs describe."""
    q = view.query
    types = {d["AttributeName"]: d["AttributeType"] for d in t["AttributeDefinitions"]}
    pk = next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH")
    sk = next((k["AttributeName"] for k in schema if k["KeyType"] == "RANGE"), None)
    names, values = {"#pk": pk}, {":pk": key_value(types[pk], q["pk"])}
    condition = "#pk = :pk"
    if sk is not None and q.get("sk"):
        op = q.get("skop", "=")
        if op not in SORT_CONDITIONS:
            raise ValueError(f"unknown sort key condition {op!r}")
        names["#sk"] = sk
        values[":sk"] = key_value(types[sk], q["sk"])
        if op == "between":
            values[":sk2"] = key_value(types[sk], q.get("sk2", ""))
        condition += " AND " + SORT_CONDITIONS[op]
    request: dict[str, Any] = {
        "TableName": t["TableName"],
        "KeyConditionExpression": condition,
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
        "ScanIndexForward": not q.get("desc"),
        "Limit": _limit(view),
    }
    if q.get("index"):
        request["IndexName"] = q["index"]
    if "start" in q:
        request["ExclusiveStartKey"] = decode_key(q["start"])
    return request


def _query(view: View, name: str) -> Fragment:
    t = _describe(view, name)
    indexes = _indexes(t)
    if view.query.get("index", "") not in indexes:
        raise NotFound(f"table {name} has no index {view.query['index']!r}")
    body = f"<h1>Query {link(href(f'tables/{name}', view.partition_query()), name)}</h1>"
    body += _query_form(view, name, indexes)
    if view.query.get("pk"):
        answer = view.client("dynamodb").query(
            **_query_request(view, t, indexes[view.query.get("index", "")])
        )
        body += f"<h2>{esc(answer['Count'])} items</h2>" + _items_table(t, answer["Items"])
        body += _pager(view, f"tables/{name}/query", answer)
    return Fragment(f"Query {name}", body)
