"""Map ``ItemReader`` (MAP-09): turn an S3 object (or a bucket listing) into the Map's items.

Pure functions over bytes and the ``ReaderConfig`` object; the S3 objects come from
:mod:`.s3objects`. Failures raise :class:`ItemReaderError` whose ``cause`` becomes the cause of
``States.ItemReaderFailed`` (ERRN-07).

* ``InputType`` is a registry (``PARSERS``): ``JSON`` (the object is one JSON array, or holds one
  at ``ItemsPointer``, an RFC 6901 pointer; anything else is AWS's ``Attempting to map over
  non-iterable node.``), ``JSONL`` (one JSON value per non-blank
  line), ``CSV`` (``CSVHeaderLocation`` ``FIRST_ROW`` or ``GIVEN`` + ``CSVHeaders``;
  ``CSVDelimiter`` COMMA | PIPE | SEMICOLON | SPACE | TAB). ``PARQUET``/``MANIFEST`` are refused
  with an ItemReaderFailed cause (not supported here).
* CSV rows become objects of strings. AWS builds them as Java ``HashMap``s, so their key order is
  the HashMap iteration order, not the column order — the recorded executions show exactly that
  order (``{"0":…,"{}":…,"True":…}`` for headers ``0,True,{}``; ``{"":…,"H1":…}``).
  :func:`java_hashmap_order` reproduces it (INF, from those recordings). AWS DG "How Step
  Functions parses input CSV files": fields beyond the headers are dropped and missing trailing
  fields are ``""`` (recorded case ``csv_first_row_extra_fields``, whose header row ``H1,`` has
  two columns, the second named ``""``). Empty lines are skipped (INF); a line of blanks is data.
* ``MaxItems`` (resolved by the caller): 0 or absent reads everything; n > 0 keeps the first n.
* ``listObjectsV2`` items are the object listings (:func:`.s3objects.listing`), key order.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from .. import messages as M
from .s3objects import S3ObjectStore, S3ReadError, listing

GET_OBJECT = "arn:aws:states:::s3:getObject"
LIST_OBJECTS = "arn:aws:states:::s3:listObjectsV2"
DELIMITERS = {"COMMA": ",", "PIPE": "|", "SEMICOLON": ";", "SPACE": " ", "TAB": "\t"}


class ItemReaderError(Exception):
    def __init__(self, cause: str) -> None:
        super().__init__(cause)
        self.cause = cause


# --- Java HashMap iteration order -------------------------------------------------------------
def _java_hash(text: str) -> int:
    """``String.hashCode()`` over UTF-16 code units, as an unsigned 32-bit value."""
    h = 0
    data = text.encode("utf-16-be")
    for i in range(0, len(data), 2):
        h = (31 * h + ((data[i] << 8) | data[i + 1])) & 0xFFFFFFFF
    return h


def java_hashmap_order(keys: list[str]) -> list[str]:
    """The iteration order of a ``java.util.HashMap`` into which ``keys`` (distinct) were put in
    this order: buckets ascending (``(h ^ h>>>16) & (capacity-1)``, capacity 16 doubled while
    size > 0.75·capacity), insertion order within a bucket."""
    capacity = 16
    while len(keys) > capacity * 0.75:
        capacity *= 2
    mask = capacity - 1

    def bucket(k: str) -> int:
        h = _java_hash(k)
        return (h ^ (h >> 16)) & mask

    return sorted(keys, key=bucket)  # stable: insertion order inside a bucket


# --- parsers ----------------------------------------------------------------------------------
def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ItemReaderError(M.NOT_UTF8) from None


def _parse_json(body: bytes, config: dict) -> list:
    try:
        value = json.loads(_text(body))
    except ValueError:
        raise ItemReaderError(M.NON_ITERABLE) from None  # INF: AWS's text for invalid JSON
    pointer = config.get("ItemsPointer")
    if isinstance(pointer, str) and pointer:
        value = _point(value, pointer)
    if not isinstance(value, list):
        raise ItemReaderError(M.NON_ITERABLE)
    return value


def _point(value: Any, pointer: str) -> Any:
    """RFC 6901 JSON pointer (``ReaderConfig.ItemsPointer``); a miss is non-iterable (INF)."""
    for raw in pointer.split("/")[1:]:
        token = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        else:
            raise ItemReaderError(M.NON_ITERABLE)
    return value


def _parse_jsonl(body: bytes, config: dict) -> list:
    items = []
    for line in _text(body).splitlines():
        if not line.strip():
            continue
        try:
            items.append(json.loads(line))
        except ValueError:
            raise ItemReaderError(M.jsonl_unparsable(line)) from None
    return items


def _parse_csv(body: bytes, config: dict) -> list:
    delimiter = DELIMITERS.get(config.get("CSVDelimiter", "COMMA"), ",")
    rows = [r for r in csv.reader(io.StringIO(_text(body), newline=""), delimiter=delimiter) if r]
    if config.get("CSVHeaderLocation", "FIRST_ROW") == "GIVEN":
        headers = [str(h) for h in config.get("CSVHeaders") or []]
    else:
        if not rows:
            return []
        headers, rows = rows[0], rows[1:]
    if len(set(headers)) != len(headers):
        raise ItemReaderError(M.DUPLICATE_HEADERS)
    items = []
    order = java_hashmap_order(list(headers))
    for row in rows:
        values = dict(zip(headers, row))  # fields beyond the headers are dropped
        items.append({k: values.get(k, "") for k in order})
    return items


PARSERS: dict[str, Callable[[bytes, dict], list]] = {
    "JSON": _parse_json,
    "JSONL": _parse_jsonl,
    "CSV": _parse_csv,
}


# --- the reader -------------------------------------------------------------------------------
def read_items(store: S3ObjectStore, resource: str, params: Any, config: dict, max_items: int | None) -> list:
    """The items of one ItemReader, first ``max_items`` of them (0/None: all)."""
    if not isinstance(params, dict) or not isinstance(params.get("Bucket"), str):
        raise ItemReaderError(M.BUCKET_REQUIRED)
    bucket = params["Bucket"]
    try:
        if resource == LIST_OBJECTS:
            prefix = params.get("Prefix", "")
            items: list = [listing(o) for o in store.list(bucket, prefix if isinstance(prefix, str) else "")]
        else:
            key = params.get("Key")
            if not isinstance(key, str):
                raise ItemReaderError(M.KEY_REQUIRED)
            input_type = config.get("InputType", "JSON")
            parser = PARSERS.get(input_type)
            if parser is None:
                raise ItemReaderError(M.input_type_unsupported(input_type))
            items = parser(store.get(bucket, key), config)
    except S3ReadError as exc:
        raise ItemReaderError(exc.cause) from None
    if max_items:
        items = items[:max_items]
    return items
