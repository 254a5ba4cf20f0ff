"""botocore's service models, loaded once per process and shared by every door.

The wire layer needs the models for two things only: which operations a service has (so that an
unknown ``X-Amz-Target`` gets AWS's answer) and the input shapes (to type-check JSON and to turn
base64 blobs and epoch timestamps into the native bytes and datetimes). Loading a model costs a
few tens of milliseconds, so it happens lazily, on the first request for that service, under a
lock, and never at ``import emulator`` time.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

_lock = threading.Lock()
_models: dict[str, ServiceModel] = {}
_loader: Any = None


def service_model(name: str) -> ServiceModel:
    """The botocore :class:`ServiceModel` of a service (``dynamodb``, ``stepfunctions``, ...)."""
    model = _models.get(name)
    if model is None:
        with _lock:
            model = _models.get(name)
            if model is None:
                global _loader
                from botocore.loaders import create_loader
                from botocore.model import ServiceModel

                if _loader is None:
                    _loader = create_loader()
                model = ServiceModel(_loader.load_service_model(name, "service-2"), service_name=name)
                _models[name] = model
    return model


def operation_model(service: str, operation: str) -> OperationModel | None:
    """The operation's model, or ``None`` if the service has no such operation."""
    model = service_model(service)
    if operation not in model.operation_names:
        return None
    return model.operation_model(operation)
