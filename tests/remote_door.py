"""The remote door: the door tests' bodies against a real endpoint (AWS, DynamoDB Local, Alternator).

Why: a test passing on the emulator says what the emulator does; running the same body against
the real service says whether the test means the same thing there. The remote door is a fourth
parametrization of the ``ddb``/``sfn``/``streams`` fixtures (see ``tests/conftest.py``), present
only when :data:`ENV` is set, so default runs are unchanged.

Configuration (environment):

* ``EMULATOR_REMOTE_ENDPOINT`` — ``aws`` for the real service (boto3's normal credential chain
  and region), or a URL (``http://localhost:8000``) for anything that speaks the AWS protocol;
* ``EMULATOR_REMOTE_ENDPOINT_DYNAMODB`` / ``_DYNAMODBSTREAMS`` / ``_STEPFUNCTIONS`` — a per-service
  override of the same form, or ``off`` when that endpoint does not serve the service (DynamoDB
  Local has no Step Functions): the remote door of that service's tests is then skipped.

For a URL endpoint the credentials come from boto3's chain when it finds any, else ``testing``;
the region is boto3's (``AWS_DEFAULT_REGION``...) or us-east-1, the region the tests' ARNs assume.

A real service is shared, slow and asynchronous, while the test bodies use fixed names and
expect the emulator's synchronous control plane. So a remote client (:class:`RemoteCalls`):

* waits after CreateTable/UpdateTable until the table and its indexes are ACTIVE, and after
  DeleteTable until the table is gone (the response returned to the test is the service's own);
* on a name clash with a resource this test did not create (a leftover of an interrupted run),
  deletes the leftover and creates again — a clash with the test's own resource is the test's;
* records the tables, state machines, activities and executions the test creates, and removes
  them when the test ends (executions stopped, tables' deletion protection lifted first).

Runs against one endpoint must therefore not overlap (no ``-n`` with xdist on a shared account).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

ENV = "EMULATOR_REMOTE_ENDPOINT"
SERVICES = ("dynamodb", "dynamodbstreams", "stepfunctions")
_OFF = ("", "off", "none", "no")
WAIT_SECONDS = 600.0  # the longest we wait for a table/index/state machine to settle


def endpoint_for(service: str) -> str | None:
    """``"aws"``, a URL, or None when the remote door is off for ``service``."""
    value = os.environ.get(f"{ENV}_{service.upper()}", os.environ.get(ENV, "")).strip()
    return None if value.lower() in _OFF else value


def enabled() -> bool:
    """Whether the remote door is parametrized at all (some service has an endpoint)."""
    return any(endpoint_for(s) is not None for s in SERVICES)


# --- clients ----------------------------------------------------------------------------------------

_CLIENTS: dict[tuple[str, str], Any] = {}


def raw_client(service: str) -> Any:
    """A cached boto3 client of ``service`` at its remote endpoint (the endpoint must be on)."""
    endpoint = endpoint_for(service)
    assert endpoint is not None, f"the remote door is off for {service}"
    key = (service, endpoint)
    client = _CLIENTS.get(key)
    if client is None:
        import boto3
        from botocore.config import Config

        session = boto3.session.Session()
        real = endpoint.lower() == "aws"
        if not real and session.get_credentials() is None:
            session = boto3.session.Session(
                aws_access_key_id="testing", aws_secret_access_key="testing", region_name=session.region_name
            )
        # Server-side validation is what the tests compare, as on the other wire doors; retries only
        # where throttling is real.
        config = Config(
            region_name=session.region_name or "us-east-1",
            parameter_validation=False,
            retries={"mode": "standard", "total_max_attempts": 4 if real else 1},
            inject_host_prefix=real,
        )
        client = session.client(service, endpoint_url=None if real else endpoint, config=config)
        _CLIENTS[key] = client
    return client


def code_of(exc: BaseException) -> str | None:
    response = getattr(exc, "response", None)
    return response.get("Error", {}).get("Code") if isinstance(response, dict) else None


def _poll(done: Callable[[], bool], what: str) -> None:
    """Call ``done`` until it is true (first at once, then backing off to 5 s)."""
    deadline = time.monotonic() + WAIT_SECONDS
    delay = 0.1
    while not done():
        if time.monotonic() > deadline:
            raise TimeoutError(f"remote door: gave up waiting for {what}")
        time.sleep(delay)
        delay = min(delay * 2, 5.0)


# --- DynamoDB control plane ---------------------------------------------------------------------------


def _table(client: Any, name: str) -> dict | None:
    try:
        return client.describe_table(TableName=name)["Table"]
    except Exception as exc:
        if code_of(exc) == "ResourceNotFoundException":
            return None
        raise


def _table_settled(client: Any, name: str) -> bool:
    table = _table(client, name)
    if table is None:
        return False  # a just-created table may not be visible yet
    indexes = table.get("GlobalSecondaryIndexes", [])
    return table["TableStatus"] == "ACTIVE" and all(
        i.get("IndexStatus", "ACTIVE") == "ACTIVE" for i in indexes
    )


def wait_table_active(client: Any, name: str) -> None:
    _poll(lambda: _table_settled(client, name), f"table {name} to become ACTIVE")


def wait_table_gone(client: Any, name: str) -> None:
    _poll(lambda: _table(client, name) is None, f"table {name} to be deleted")


def delete_table(client: Any, name: str, *, wait: bool) -> None:
    """Delete ``name`` if it exists (lifting deletion protection first); optionally wait."""
    table = _table(client, name)
    if table is None:
        return
    if table["TableStatus"] != "DELETING":
        if table.get("DeletionProtectionEnabled"):
            client.update_table(TableName=name, DeletionProtectionEnabled=False)
        if table["TableStatus"] != "ACTIVE":
            wait_table_active(client, name)
        try:
            client.delete_table(TableName=name)
        except Exception as exc:
            if code_of(exc) != "ResourceNotFoundException":
                raise
    if wait:
        wait_table_gone(client, name)


# --- Step Functions control plane -------------------------------------------------------------------


def _state_machine_arn(client: Any, name: str) -> str | None:
    for page in client.get_paginator("list_state_machines").paginate():
        for machine in page.get("stateMachines", []):
            if machine["name"] == name:
                return machine["stateMachineArn"]
    return None


def _state_machine_gone(client: Any, arn: str) -> bool:
    try:
        return client.describe_state_machine(stateMachineArn=arn).get("status") == "DELETING"
    except Exception as exc:
        if code_of(exc) == "StateMachineDoesNotExist":
            return True
        raise


def delete_state_machine(client: Any, name: str) -> None:
    """Delete the state machine called ``name`` (a leftover) and wait until it is gone."""
    arn = _state_machine_arn(client, name)
    if arn is not None:
        client.delete_state_machine(stateMachineArn=arn)
        _poll(lambda: _state_machine_gone(client, arn), f"state machine {name} to be deleted")


# --- one test's calls -----------------------------------------------------------------------------


class RemoteCalls:
    """Every call a test makes through the remote door: settle, clear leftovers, record, clean up.

    One per test, shared by its remote clients (``invoke`` is what the door client calls).
    """

    def __init__(self) -> None:
        self.tables: dict[str, Any] = {}  # name -> client that created it
        self.state_machines: dict[str, Any] = {}  # name -> client
        self.arns: list[tuple[Any, str, str]] = []  # (client, "execution"|"activity"|"state_machine", arn)

    def invoke(
        self, service: str, client: Any, name: str, method: Callable[..., Any], args: tuple, kwargs: dict
    ) -> Any:
        hook = _HOOKS.get((service, name))
        if hook is None:
            return method(*args, **kwargs)
        return hook(self, client, method, args, kwargs)

    def cleanup(self) -> None:
        """Remove what the test created (errors here are reported, not swallowed, except 'gone')."""
        failures: list[str] = []
        for client, kind, arn in reversed(self.arns):
            try:
                if kind == "execution":
                    status = client.describe_execution(executionArn=arn)["status"]
                    if status == "RUNNING":
                        client.stop_execution(executionArn=arn)
                elif kind == "activity":
                    client.delete_activity(activityArn=arn)
                else:
                    client.delete_state_machine(stateMachineArn=arn)
            except Exception as exc:
                if code_of(exc) is None:
                    failures.append(f"{kind} {arn}: {exc!r}")
        for name, client in self.tables.items():
            try:
                delete_table(client, name, wait=False)
            except Exception as exc:
                failures.append(f"table {name}: {exc!r}")
        if failures:
            raise RuntimeError("remote door: could not clean up " + "; ".join(failures))

    # hooks (registered in _HOOKS below) ------------------------------------------------------------

    def _create_table(self, client: Any, method: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        name = kwargs.get("TableName")
        try:
            response = method(*args, **kwargs)
        except Exception as exc:
            if code_of(exc) != "ResourceInUseException" or not isinstance(name, str) or name in self.tables:
                raise
            delete_table(client, name, wait=True)  # a leftover of an interrupted run
            response = method(*args, **kwargs)
        self.tables[name] = client
        wait_table_active(client, name)
        return response

    def _update_table(self, client: Any, method: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        response = method(*args, **kwargs)
        wait_table_active(client, kwargs["TableName"])
        return response

    def _delete_table(self, client: Any, method: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        response = method(*args, **kwargs)
        wait_table_gone(client, kwargs["TableName"])
        return response

    def _create_state_machine(
        self, client: Any, method: Callable[..., Any], args: tuple, kwargs: dict
    ) -> Any:
        name = kwargs.get("name")
        ours = not isinstance(name, str) or name in self.state_machines
        response: dict = {}

        def created() -> bool:
            try:
                response.update(method(*args, **kwargs))
                return True
            except Exception as exc:
                code = code_of(exc)
                if ours or code not in ("StateMachineAlreadyExists", "StateMachineDeleting"):
                    raise
                if code == "StateMachineAlreadyExists":
                    delete_state_machine(client, str(name))  # a leftover of an interrupted run
                return False

        _poll(created, f"state machine {name} to be created")
        if not ours:
            self.state_machines[str(name)] = client
            self.arns.append((client, "state_machine", response["stateMachineArn"]))
        return response


def _recording(kind: str, key: str) -> Callable[..., Any]:
    """A hook that records the ARN ``response[key]`` of a ``kind`` for the cleanup."""

    def hook(calls: RemoteCalls, client: Any, method: Callable[..., Any], args: tuple, kwargs: dict) -> Any:
        response = method(*args, **kwargs)
        calls.arns.append((client, kind, response[key]))
        return response

    return hook


_HOOKS: dict[tuple[str, str], Callable[..., Any]] = {
    ("dynamodb", "create_table"): RemoteCalls._create_table,
    ("dynamodb", "update_table"): RemoteCalls._update_table,
    ("dynamodb", "delete_table"): RemoteCalls._delete_table,
    ("stepfunctions", "create_state_machine"): RemoteCalls._create_state_machine,
    ("stepfunctions", "start_execution"): _recording("execution", "executionArn"),
    ("stepfunctions", "create_activity"): _recording("activity", "activityArn"),
}
