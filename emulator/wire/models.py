"""botocore's service models, read once per process and shared by every door.

The wire layer needs the models for two things only: which operations a service has (so that an
unknown ``X-Amz-Target`` gets AWS's answer) and the input shapes (to type-check JSON and to turn
base64 blobs and epoch timestamps into the native bytes and datetimes). The native clients read
each operation's parameter names from the same models (``native_client.py``).

Design decision: the model files are read straight from botocore's data directory
(``botocore/data/<service>/<version>/service-2.json[.gz]``, found without importing botocore),
and wrapped in the few shape attributes the compiler uses. Importing botocore's loader and model
classes costs more than the whole rest of the server's start-up, and the HTTP server otherwise
never needs botocore; ``emulator serve`` answers its first request sooner this way. The files are
the same ones botocore reads, so the shapes are the same (``tests/wire`` compares them).
Loading happens lazily, on the first request for a service, under a lock.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import threading
from typing import Any

_lock = threading.Lock()
_models: dict[str, ServiceModel] = {}


class Shape:
    """One named shape of a model: ``name``, ``type_name`` and, by type, ``members`` (structure),
    ``member`` (list) or ``value`` (map), resolved lazily."""

    __slots__ = ("_model", "name", "type_name", "_spec", "_members")

    def __init__(self, model: ServiceModel, name: str) -> None:
        spec = model.raw_shapes[name]
        self._model = model
        self.name = name
        self.type_name: str = spec["type"]
        self._spec = spec
        self._members: dict[str, Shape] | None = None

    @property
    def members(self) -> dict[str, Shape]:
        if self._members is None:
            self._members = {
                name: self._model.shape(ref["shape"]) for name, ref in self._spec.get("members", {}).items()
            }
        return self._members

    @property
    def member(self) -> Shape:
        return self._model.shape(self._spec["member"]["shape"])

    @property
    def value(self) -> Shape:
        return self._model.shape(self._spec["value"]["shape"])

    @property
    def serialization(self) -> dict[str, Any]:
        return {k: v for k, v in self._spec.items() if k in ("timestampFormat", "locationName")}


class Operation:
    """An operation's input and output shapes (``None`` when the model declares none)."""

    __slots__ = ("name", "input_shape", "output_shape")

    def __init__(self, model: ServiceModel, name: str) -> None:
        spec = model.raw_operations[name]
        self.name = name
        self.input_shape = model.shape(spec["input"]["shape"]) if "input" in spec else None
        self.output_shape = model.shape(spec["output"]["shape"]) if "output" in spec else None


class ServiceModel:
    """A service's ``service-2`` model, as botocore ships it."""

    def __init__(self, raw: dict[str, Any]) -> None:
        self.metadata: dict[str, Any] = raw["metadata"]
        self.raw_operations: dict[str, Any] = raw["operations"]
        self.raw_shapes: dict[str, Any] = raw["shapes"]
        self.operation_names = frozenset(self.raw_operations)
        self._shapes: dict[str, Shape] = {}

    def shape(self, name: str) -> Shape:
        shape = self._shapes.get(name)
        if shape is None:
            shape = self._shapes[name] = Shape(self, name)
        return shape


def botocore_data_dir() -> str:
    """botocore's bundled ``data`` directory, found without importing botocore."""
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("botocore is required by emulator.wire")
    return os.path.join(list(spec.submodule_search_locations)[0], "data")


def _read_model(service: str) -> dict[str, Any]:
    service_dir = os.path.join(botocore_data_dir(), service)
    version = max(v for v in os.listdir(service_dir) if os.path.isdir(os.path.join(service_dir, v)))
    base = os.path.join(service_dir, version, "service-2.json")
    if os.path.exists(base):
        with open(base, "rb") as f:
            return json.loads(f.read())
    with gzip.open(base + ".gz", "rb") as f:
        return json.loads(f.read())


def service_model(name: str) -> ServiceModel:
    """The model of a service (``dynamodb``, ``dynamodbstreams``, ``stepfunctions``)."""
    model = _models.get(name)
    if model is None:
        with _lock:
            model = _models.get(name)
            if model is None:
                model = _models[name] = ServiceModel(_read_model(name))
    return model


def operation_model(service: str, operation: str) -> Operation | None:
    """The operation's model, or ``None`` if the service has no such operation."""
    model = service_model(service)
    if operation not in model.operation_names:
        return None
    return Operation(model, operation)
