"""Reset: empty a world's services (all, or one) and keep the world itself.

``aws.reset()`` (and ``POST /_emulator/reset`` on the server) gives back a world that answers like a
new ``Emulator`` with the same options, without building a new one: test suites that share one
world (the pytest plugin's ``emulator_server``) reset it between tests instead of restarting it.

What a reset keeps, and why:

* the world's options, clock, seed, default region and account: they were chosen by whoever built
  the world, not by the tests that filled it. The clock is **not** moved back (time on a clock
  never runs backwards; a test that needs a known time moves a virtual clock itself);
* what stands in for code rather than data: the Python callables registered for task ARNs
  (``@sfn.task``), the HTTP endpoints registered for HTTP Tasks and a loaded Step Functions Local
  mock configuration (the world's shared objects named in :data:`KEPT_SHARED`);
* the native clients already handed out: ``ddb = aws.dynamodb`` before a reset keeps working after
  it, on the new, empty service (each client is re-pointed at its partition's new service).

What goes: every table, stream, backup, global table, state machine, execution, activity, task
token, bucket and object of the services reset, in every (account, region) partition, with their
timers on the clock (cancelled) and the TTL sweeps that followed the clock (unsubscribed). Stream
consumers registered with ``ddb.stream_consumer`` go with their tables (they are bound to a
table's stream, which no longer exists). A
service that depends on another's data goes with it (:data:`DEPENDENTS`: DynamoDB Streams reads
DynamoDB's tables). Services are rebuilt lazily, as in a new world.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["DEPENDENTS", "KEPT_SHARED", "SHARED_STATE", "reset_world", "services_to_reset"]

#: A service reset resets these too (their state is a view of the first's).
DEPENDENTS: dict[str, tuple[str, ...]] = {"dynamodb": ("dynamodbstreams",)}

#: The world's shared objects (``world.shared(key, ...)``) that hold a service's data: dropped by
#: its reset. Any other shared object is kept (:data:`KEPT_SHARED` names the known ones).
SHARED_STATE: dict[str, tuple[str, ...]] = {
    "dynamodb": ("dynamodb.global-tables",),
    "s3": ("s3.objects",),
}

#: Shared objects a reset keeps: registered code and configuration, not data.
KEPT_SHARED = ("stepfunctions.tasks", "stepfunctions.http_endpoints", "stepfunctions.mock_config")


def services_to_reset(known: Iterable[str], service: str | None) -> list[str]:
    """The service names a reset of ``service`` (None: all ``known``) empties; ValueError for a
    name not known."""
    known = list(known)
    if service is None:
        return known
    if service not in known:
        raise ValueError(f"unknown service {service!r}: one of {', '.join(known)}")
    return [service, *DEPENDENTS.get(service, ())]


def _retire(world: Any, svc: Any) -> None:
    """Stop what an old service object still does: its timers, TTL sweeps, background work."""
    world.clock.scheduler.cancel_all(svc.lock)
    sweeper = getattr(getattr(svc, "catalog", None), "ttl_sweeper", None)
    if sweeper is not None:
        sweeper.stop()
    close = getattr(svc, "close", None)
    if close is not None:
        close()


def reset_world(world: Any, known: Iterable[str], service: str | None = None) -> list[str]:
    """Empty ``service`` (None: every ``known`` service) in every partition of ``world``; the
    names reset."""
    names = services_to_reset(known, service)
    for name in names:
        old = [svc for svc in world.services() if svc.name == name]
        for key in [k for k, svc in world._services.items() if svc.name == name]:
            del world._services[key]
        for key in [k for k in world._partition_services if k[0] == name]:
            del world._partition_services[key]
        for key in SHARED_STATE.get(name, ()):
            world._shared.pop(key, None)
        for svc in old:
            _retire(world, svc)
        for (client_name, partition), client in list(world._clients.items()):
            if client_name == name:
                client.rebind(world.service_in(name, partition))
    return names
