"""DynamoDB Streams' model (reference §14): stream records, shards, streams and shard iterators.

The operations live in ``emulator/dynamodb/streams_service.py``; this package holds the concepts,
one per module:

* ``records.py``   — turning one engine :class:`~emulator.dynamodb.engine.changelog.ChangeRecord`
  into a stream record (event name, images per view type, the no-op rule ST4);
* ``shard.py``     — one shard: ordered records, 24-hour retention, open/closed;
* ``stream.py``    — one stream and the :class:`StreamHub` that owns every stream of a world;
* ``iterators.py`` — shard iterators: opaque strings that carry their position and birth time.

Records are fed by the table's change log as a push listener (the single write funnel, no second
write path). A table without a stream has no listener, so the write funnel pays nothing.
"""

from .stream import StreamHub

__all__ = ["StreamHub"]
