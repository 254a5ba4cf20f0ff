"""Shard iterators (reference ST7): opaque strings that carry a position and a birth time.

An iterator is ``<StreamArn>|1|<base64>`` like AWS's; the base64 part encodes the shard id, the
position ("after sequence number n") and the clock time it was issued. Nothing is stored on the
server, so iterators cost no memory and never need cleaning up; GetRecords checks the age
(15 minutes, ``ExpiredIteratorException``) against the world's clock.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

MAX_AGE_SECONDS = 15 * 60  # ST7


@dataclass(frozen=True, slots=True)
class ShardIterator:
    stream_arn: str
    shard_id: str
    position: int  # records with a sequence number greater than this come next
    issued: float  # clock time the iterator was handed out

    def encode(self) -> str:
        """The opaque ShardIterator string handed to the caller.

        Runtime complexity: O(len) of the ARN."""
        payload = f"{self.shard_id}|{self.position}|{self.issued!r}".encode()
        return f"{self.stream_arn}|1|{base64.b64encode(payload).decode('ascii')}"

    def expired(self, now: float) -> bool:
        """Whether the iterator is older than 15 minutes at clock time ``now`` (ST7).

        Runtime complexity: O(1)."""
        return now - self.issued > MAX_AGE_SECONDS


def decode(text: str) -> ShardIterator | None:
    """The iterator a string encodes, or None when it is not one of ours.

    Runtime complexity: O(len) of the string."""
    arn, sep, rest = text.rpartition("|")
    arn, sep2, version = arn.rpartition("|")
    if not sep or not sep2 or version != "1":
        return None
    try:
        shard_id, position, issued = base64.b64decode(rest, validate=True).decode().split("|")
        return ShardIterator(arn, shard_id, int(position), float(issued))
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
