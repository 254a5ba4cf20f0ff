"""The DynamoDB storage engine: tables, partitions, item collections, change log, read replicas.

Public surface (docs/internals.md): :class:`Table` (``get``, the single write funnel ``write``,
``query``/``scan`` iterators, ``item_count``, ``size_bytes``, ``change_log``, ``_check``),
:class:`ChangeLog` / :class:`ChangeRecord` for consumers of the log.
"""

from __future__ import annotations

from .changelog import ChangeLog, ChangeRecord, Cursor
from .table import DEFAULT_PARTITIONS, DEFAULT_REPLICAS, Table

__all__ = ["Table", "ChangeLog", "ChangeRecord", "Cursor", "DEFAULT_PARTITIONS", "DEFAULT_REPLICAS"]
