"""One stream record per effective change (reference ST2-ST4).

A :class:`StreamRecord` is built when the change is committed (inside the write funnel's listener
call) and turned into boto3's ``Record`` shape only when GetRecords reads it.

Design decisions:

* **No-op writes make no record (ST4).** The funnel already logs nothing when ``mutate`` returns
  the stored item itself (a delete of a missing item, an update that removes a missing attribute
  on a missing item). A PutItem or UpdateItem that stores an *equal* item still produces a change
  record, so :func:`is_noop` compares the two images with AWS equality (numbers by value, sets
  order-free, maps key-order-free) and the listener drops equal pairs.
* Images are the stored items themselves (stored items are immutable, see ``engine/table.py``);
  they are copied on the way out, so a reader mutating a record cannot change the table.
* ``SizeBytes`` is the S1 size of the parts the view type keeps (keys and the images present)
  [INF: AWS does not document its formula]. Computed when a record is read (once per record in a
  GetRecords answer), so writes stay cheap.
* ``eventID`` is 32 hexadecimal characters from the world's seeded RNG (reproducible runs).
* ``userIdentity`` (botocore's ``Identity``: ``Type``, ``PrincipalId``) is present only on records
  of service-made changes: a TTL delete carries ``{"Type": "Service", "PrincipalId":
  "dynamodb.amazonaws.com"}`` (TL3), taken from the change record's ``principal``.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass
from typing import Any, ClassVar

from ...clock import UTC
from ..values import copy_item, item_size, values_equal

Item = dict[str, Any]

EVENT_VERSION = "1.1"
EVENT_SOURCE = "aws:dynamodb"

#: view type → (keeps NewImage, keeps OldImage)  (ST3)
VIEW_TYPES: dict[str, tuple[bool, bool]] = {
    "KEYS_ONLY": (False, False),
    "NEW_IMAGE": (True, False),
    "OLD_IMAGE": (False, True),
    "NEW_AND_OLD_IMAGES": (True, True),
}


def is_noop(old: Item | None, new: Item | None) -> bool:
    """Whether a change changed nothing (ST4): both absent, or equal items by AWS equality.

    Runtime complexity: O(s) for items of s bytes (a deep comparison)."""
    if old is None or new is None:
        return old is new
    return old is new or values_equal({"M": old}, {"M": new})  # an item compares as a map does


def event_name(old: Item | None, new: Item | None) -> str:
    """INSERT (no old item), REMOVE (no new item) or MODIFY (ST4).

    Runtime complexity: O(1)."""
    if old is None:
        return "INSERT"
    if new is None:
        return "REMOVE"
    return "MODIFY"


@dataclass(frozen=True, slots=True)
class StreamRecord:
    """One committed change as the stream keeps it. ``seq`` is the integer sequence number."""

    seq: int
    time: float
    event_id: str
    event_name: str
    keys: Item
    new_image: Item | None
    old_image: Item | None
    #: Who made the change when the service did (TL3); None (a class attribute) for user writes.
    principal: ClassVar[str | None] = None

    def size_bytes(self) -> int:
        """SizeBytes: keys plus the images kept (at least 1, as the model requires).

        Runtime complexity: O(s) for s bytes of keys and images."""
        size = item_size(self.keys)
        if self.new_image is not None:
            size += item_size(self.new_image)
        if self.old_image is not None:
            size += item_size(self.old_image)
        return max(1, size)

    def to_wire(self, view_type: str, region: str, size_bytes: int) -> dict[str, Any]:
        """boto3's ``Record`` shape (native: ApproximateCreationDateTime is a datetime, ST2), with
        ``size_bytes`` (:meth:`size_bytes`, which the reader has already computed for its 1 MB limit).

        Runtime complexity: O(s) for s bytes of keys and images (copied)."""
        body: dict[str, Any] = {
            # "rounded down to the closest second" (ST2)
            "ApproximateCreationDateTime": _dt.datetime.fromtimestamp(math.floor(self.time), UTC),
            "Keys": copy_item(self.keys),
        }
        if self.new_image is not None:
            body["NewImage"] = copy_item(self.new_image)
        if self.old_image is not None:
            body["OldImage"] = copy_item(self.old_image)
        body["SequenceNumber"] = format_sequence_number(self.seq)
        body["SizeBytes"] = size_bytes
        body["StreamViewType"] = view_type
        record = {
            "eventID": self.event_id,
            "eventName": self.event_name,
            "eventVersion": EVENT_VERSION,
            "eventSource": EVENT_SOURCE,
            "awsRegion": region,
            "dynamodb": body,
        }
        if self.principal is not None:
            record["userIdentity"] = {"Type": "Service", "PrincipalId": self.principal}  # TL3
        return record


@dataclass(frozen=True, slots=True)
class ServiceStreamRecord(StreamRecord):
    """The record of a change the service made itself (a TTL delete): it has ``userIdentity``."""

    principal: str | None = None  # type: ignore[misc]  # the instance field shadows the ClassVar


def make_record(
    seq: int,
    time: float,
    event_id: str,
    key: Item,
    old: Item | None,
    new: Item | None,
    view_type: str,
    principal: str | None = None,
) -> StreamRecord:
    """The stream record of one change, keeping only the images ``view_type`` asks for (ST3);
    ``principal`` names the service that made the change (TL3), None for user writes.

    Runtime complexity: O(1)."""
    keep_new, keep_old = VIEW_TYPES[view_type]
    if principal is None:
        return StreamRecord(
            seq,
            time,
            event_id,
            event_name(old, new),
            key,
            new if keep_new else None,
            old if keep_old else None,
        )
    return ServiceStreamRecord(
        seq,
        time,
        event_id,
        event_name(old, new),
        key,
        new if keep_new else None,
        old if keep_old else None,
        principal,
    )


#: Sequence numbers are decimal strings of 21..40 digits (ST2); the integer n is shown as
#: SEQUENCE_BASE + n, 21 digits without leading zeros for the first 9 * 10**20 numbers.
SEQUENCE_BASE = 10**20


def format_sequence_number(seq: int) -> str:
    """The SequenceNumber string of integer ``seq`` (ST2).

    Runtime complexity: O(1)."""
    return str(SEQUENCE_BASE + seq)


def parse_sequence_number(text: str) -> int | None:
    """The integer behind a SequenceNumber string, None when it is not one of ours.

    Runtime complexity: O(len) of the string."""
    if not (21 <= len(text) <= 40) or not text.isdigit() or not text.isascii():
        return None
    return int(text) - SEQUENCE_BASE
