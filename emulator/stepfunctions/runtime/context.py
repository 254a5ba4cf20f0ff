"""The context object (``$$`` in JSONPath, ``$states.context`` in JSONata), reference §9.

The execution part (``Execution``, ``StateMachine``) is built once per execution and shared; each
state entry adds a small ``State`` dict. Key order follows what AWS serialises (CTX-15):
``Execution{Id, Input, StartTime, Name, RoleArn, RedriveCount}``, ``StateMachine{Id, Name}``,
``State{Name, EnteredTime[, RetryCount]}``, ``Task{Token}``.
"""

from __future__ import annotations

from typing import Any

from .history import api_datetime

_last_ts: list[Any] = [None, ""]


def iso_millis(epoch: float) -> str:
    """``2019-03-26T20:14:13.192Z`` (CTX-06). Cached for repeated equal times (a Pass chain on a
    virtual clock enters every state at the same instant)."""
    if _last_ts[0] == epoch:
        return _last_ts[1]
    text = api_datetime(epoch).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    _last_ts[0] = epoch
    _last_ts[1] = text
    return text


def execution_part(
    *,
    execution_arn: str,
    input_value: Any,
    start: float,
    name: str,
    role_arn: str,
    state_machine_arn: str,
    state_machine_name: str,
    redrive: bool = True,
) -> dict:
    ex: dict[str, Any] = {
        "Id": execution_arn,
        "Input": input_value,
        "StartTime": iso_millis(start),
        "Name": name,
        "RoleArn": role_arn,
    }
    if redrive:
        ex["RedriveCount"] = 0
    return {"Execution": ex, "StateMachine": {"Id": state_machine_arn, "Name": state_machine_name}}


def state_context(base: dict, name: str, entered: float, retry_count: int | None = None) -> dict:
    """A fresh context object for one state entry (``RetryCount`` only for Task/Map/Parallel)."""
    st: dict[str, Any] = {"Name": name, "EnteredTime": iso_millis(entered)}
    if retry_count is not None:
        st["RetryCount"] = retry_count
    return {"Execution": base["Execution"], "StateMachine": base["StateMachine"], "State": st}


def with_map_item(ctx: dict, index: int, value: Any, key: str | None = None) -> dict:
    item: dict[str, Any] = {"Index": index, "Value": value}
    if key is not None:
        item["Key"] = key
    out = dict(ctx)
    out["Map"] = {"Item": item}
    return out


def with_task_token(ctx: dict, token: str) -> dict:
    out = dict(ctx)
    out["Task"] = {"Token": token}
    return out
