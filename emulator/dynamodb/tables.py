"""The table catalog: each table's metadata (schema, billing, tags, timestamps) and its storage.

A :class:`TableMeta` is what the control plane creates, describes, updates and deletes; its
``store`` is the engine :class:`~emulator.dynamodb.engine.Table` that holds the items. The
:class:`Catalog` maps names to tables and resolves table ARNs (reference W11: every ``TableName``
also accepts the table's ARN).

Design decisions:

* **Status.** The real service reports ``CREATING`` for a while after CreateTable and ``UPDATING``
  after UpdateTable (CT6, UT1). By default the emulator finishes both at once: every response,
  including the CreateTable and UpdateTable responses, says ``ACTIVE``, so tests never wait or
  poll, and waiters succeed on their first call; DeleteTable answers ``DELETING`` and the table is
  gone immediately. ``Emulator(table_transition_seconds=T)`` makes each transition last T seconds
  on the clock (``lifecycle.py``); :meth:`Catalog.get` then refuses CREATING and DELETING tables.
* **Resource policies** (``operations/policies.py``) live on the table, keyed by the table's or its
  stream's ARN, so a deleted table takes its policies with it.
* ``ItemCount`` and ``TableSizeBytes`` are exact and current (AWS refreshes them about every
  6 hours; exact values are a legal instance of "eventually").
* ``TableSizeBytes`` counts the 100-byte per-item storage overhead, as AWS bills it (S4).
* Timestamps come from the world's clock; ``TableId`` from the world's seeded RNG, so a seeded
  run describes identical tables.
"""

from __future__ import annotations

import datetime as _dt
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..clock import UTC
from . import messages as M
from .errors import ResourceNotFoundException
from .streams import StreamHub

if TYPE_CHECKING:
    from ..service import Service
    from ..world import Emulator

ITEM_OVERHEAD_BYTES = 100


@dataclass(slots=True)
class TableMeta:
    """One table: its description fields and its item storage (``store``)."""

    name: str
    arn: str
    table_id: str
    created: float
    key_schema: list[dict[str, str]]
    attribute_definitions: list[dict[str, str]]
    store: Any
    schema: Any  # keys.KeySchema: the table's key names and types
    billing_mode: str = "PROVISIONED"
    billing_mode_given: bool = False
    read_capacity: int = 0
    write_capacity: int = 0
    last_increase: float | None = None
    last_decrease: float | None = None
    decreases_today: int = 0
    last_update_to_pay_per_request: float | None = None
    deletion_protection: bool = False
    table_class: str | None = None
    stream_specification: dict[str, Any] | None = None
    stream_label: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    status: str = "ACTIVE"
    indexes: dict[str, Any] = field(default_factory=dict)  # name → indexes.SecondaryIndex
    key_plan: tuple[tuple[str, str, int], ...] = ()
    ttl: Any = None  # ttl.TimeToLive once UpdateTimeToLive has been called (§15)
    index_status: dict[str, tuple[str, bool]] = field(default_factory=dict)  # GSI → (status, backfilling)
    policies: dict[str, Any] = field(default_factory=dict)  # table or stream ARN → policies.Policy
    pitr: Any = None  # backups.ContinuousBackups while point-in-time recovery is on
    restore_summary: dict[str, Any] | None = None  # a restored table's RestoreSummary
    replica: Any = None  # global_tables.Replica while the table is a global table's member

    def __post_init__(self) -> None:
        # (name, type, max characters that are certainly within the K2/K3 byte limits)
        schema = self.schema
        plan = [(schema.hash_name, schema.hash_type, 512)]
        if schema.range_name is not None and schema.range_type is not None:
            plan.append((schema.range_name, schema.range_type, 256))
        self.key_plan = tuple(plan)

    @property
    def hash_name(self) -> str:
        return self.schema.hash_name

    @property
    def range_name(self) -> str | None:
        return self.schema.range_name

    @property
    def has_local_index(self) -> bool:
        """Whether the table has an LSI (only those tables report ItemCollectionMetrics, I8)."""
        return any(not index.is_global for index in self.indexes.values())

    @property
    def key_names(self) -> tuple[str, ...]:
        return self.schema.key_names

    def describe(self, world: Emulator, *, status: str | None = None) -> dict[str, Any]:
        """The ``TableDescription`` (reference §13.4), in boto3's native shape."""

        def dt(epoch: float) -> _dt.datetime:
            return _dt.datetime.fromtimestamp(epoch, UTC)

        throughput: dict[str, Any] = {}
        if self.last_increase is not None:
            throughput["LastIncreaseDateTime"] = dt(self.last_increase)
        if self.last_decrease is not None:
            throughput["LastDecreaseDateTime"] = dt(self.last_decrease)
        throughput["NumberOfDecreasesToday"] = self.decreases_today
        throughput["ReadCapacityUnits"] = self.read_capacity
        throughput["WriteCapacityUnits"] = self.write_capacity
        store = self.store
        item_count = store.item_count
        desc: dict[str, Any] = {
            "AttributeDefinitions": [dict(d) for d in self.attribute_definitions],
            "TableName": self.name,
            "KeySchema": [dict(k) for k in self.key_schema],
            "TableStatus": status or self.status,
            "CreationDateTime": dt(self.created),
            "ProvisionedThroughput": throughput,
            "TableSizeBytes": store.size_bytes + ITEM_OVERHEAD_BYTES * item_count,
            "ItemCount": item_count,
            "TableArn": self.arn,
            "TableId": self.table_id,
        }
        if status == "DELETING":  # DT1: DeleteTable's reduced description
            for name in _NOT_IN_DELETE_ANSWER:
                del desc[name]
        else:
            for index in self.indexes.values():
                index.catch_up(world.clock.now())
            lsis = [i.describe() for i in self.indexes.values() if not i.is_global]
            gsis = [i.describe() for i in self.indexes.values() if i.is_global]
            if lsis:
                desc["LocalSecondaryIndexes"] = lsis
            if gsis:
                desc["GlobalSecondaryIndexes"] = gsis
                if self.index_status or self.status == "CREATING":
                    self._index_statuses(gsis)
        if self.billing_mode == "PAY_PER_REQUEST" or self.billing_mode_given:
            summary: dict[str, Any] = {"BillingMode": self.billing_mode}
            if self.last_update_to_pay_per_request is not None:
                summary["LastUpdateToPayPerRequestDateTime"] = dt(self.last_update_to_pay_per_request)
            desc["BillingModeSummary"] = summary
        if self.stream_specification is not None:
            desc["StreamSpecification"] = dict(self.stream_specification)
            if self.stream_label is not None:
                desc["LatestStreamLabel"] = self.stream_label
                desc["LatestStreamArn"] = f"{self.arn}/stream/{self.stream_label}"
        if self.table_class is not None:
            desc["TableClassSummary"] = {"TableClass": self.table_class}
        if self.restore_summary is not None:
            desc["RestoreSummary"] = dict(self.restore_summary)
        desc["DeletionProtectionEnabled"] = self.deletion_protection
        if self.replica is not None and status != "DELETING":
            desc.update(self.replica.group.describe_for(self.replica.region))
        return desc

    def _index_statuses(self, gsis: list[dict[str, Any]]) -> None:
        """LC1, LC3: GSIs are CREATING while their table is; one UpdateTable creates is CREATING and
        Backfilling until its transition ends (``lifecycle.py``)."""
        default = ("CREATING", False) if self.status == "CREATING" else ("ACTIVE", False)
        for gsi in gsis:
            status, backfilling = self.index_status.get(gsi["IndexName"], default)
            gsi["IndexStatus"] = status
            if backfilling:
                gsi["Backfilling"] = True


#: DT1: what DeleteTable's answer leaves out (besides the index descriptions): AWS answers with
#: neither the schema nor the creation time (ALT test_table.py::test_delete_table_description).
_NOT_IN_DELETE_ANSWER = ("AttributeDefinitions", "KeySchema", "CreationDateTime")


class Catalog:
    """Table name → :class:`TableMeta`, plus ARN resolution. One per DynamoDB service."""

    def __init__(self, service: Service) -> None:
        world = service.world
        self.world = world
        self.tables: dict[str, TableMeta] = {}
        self._arn_prefix = service.arn("dynamodb", "table/")
        self._ids = service.rng("dynamodb.table-id")
        self.streams = StreamHub(
            world, service.rng("dynamodb.streams")
        )  # every stream of these tables, live or disabled (§14)
        self.ttl_sweeper: Any = None  # ttl.Sweeper, created when a table first enables TTL (§15)
        self.backups: Any = None  # backups.Vault, created by the first backup (CreateBackup)
        self.exports: dict[str, Any] = {}  # exports.Export by ARN, in creation order
        self.imports: dict[str, Any] = {}  # imports.Import by ARN, in creation order
        #: Global-table members here with replicated writes due but not yet applied (their writer
        #: found this service busy: ``global_tables.Replica.receive``); delivered at the next lookup.
        self.deferred: list[Any] = []

    def defer(self, replica: Any) -> None:
        """Deliver ``replica``'s due writes before the next table lookup here."""
        self.deferred.append(replica)

    def deliver_deferred(self) -> None:
        """Apply the deferred replicated writes (the caller holds this service's lock)."""
        deferred, self.deferred = self.deferred, []
        for replica in deferred:
            if replica.meta.replica is replica:
                replica.deliver()

    def arn_for(self, name: str) -> str:
        return self._arn_prefix + name

    def new_table_id(self) -> str:
        return str(uuid.UUID(int=self._ids.getrandbits(128), version=4))

    def name_of(self, name_or_arn: str) -> str:
        """A ``TableName`` member's table name (the member may hold the table's ARN, W11)."""
        if name_or_arn.startswith("arn:"):
            if name_or_arn.startswith(self._arn_prefix):
                return name_or_arn[len(self._arn_prefix) :]
            return name_or_arn  # an ARN of another account/region: no such table here
        return name_or_arn

    def get(self, name_or_arn: str) -> TableMeta:
        """The table for a data-plane request, or ResourceNotFoundException (data-plane text)."""
        if self.deferred:
            self.deliver_deferred()
        table = self.tables.get(name_or_arn)
        if table is None:
            table = self.tables.get(self.name_of(name_or_arn))
            if table is None:
                raise ResourceNotFoundException(M.RESOURCE_NOT_FOUND)
        if table.status != "ACTIVE" and table.status != "UPDATING":  # LC1, LC4: not ready, or going
            raise ResourceNotFoundException(M.RESOURCE_NOT_FOUND)
        return table

    def get_for_control(self, name_or_arn: str) -> TableMeta:
        """The table for a control-plane request, or ResourceNotFoundException naming it (§17)."""
        if self.deferred:
            self.deliver_deferred()
        name = self.name_of(name_or_arn)
        table = self.tables.get(name)
        if table is None:
            raise ResourceNotFoundException(M.table_not_found(name))
        return table

    def by_arn(self, arn: str) -> TableMeta | None:
        if arn.startswith(self._arn_prefix):
            return self.tables.get(arn[len(self._arn_prefix) :])
        return None
