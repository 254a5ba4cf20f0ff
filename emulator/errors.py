"""The one root of every AWS-visible error.

An :class:`AWSError` carries what every door needs to present it the way AWS does:

* ``code``: the error code (``ValidationException``), which is also botocore's ``Error.Code``;
* ``message``: AWS's exact text;
* ``namespace``: the prefix of the wire ``__type`` (``com.amazonaws.dynamodb.v20120810``);
* ``status``: the HTTP status (400 for client errors, 500 for faults);
* ``sender_fault``: client (True) or server (False) fault;
* ``message_key``: the member name AWS uses for the text on the wire (``message`` or ``Message``);
* ``extra``: other top-level members of the error shape (``Item``, ``CancellationReasons``), in
  their native (boto3) form.

Native calls raise these directly; their ``.response`` and ``.operation_name`` are shaped like
botocore's ``ClientError`` so user code written against boto3 reads them unchanged. Each service
declares subclasses per code (see ``dynamodb/errors.py`` and ``stepfunctions/errors.py``) and the
facade exposes them as ``client.exceptions.<Code>``.

Design decision: :class:`AWSError` *is* a ``botocore.exceptions.ClientError`` (botocore is a runtime
dependency anyway), so ``except ClientError`` in application code catches native errors exactly as
it catches boto3's, and botocore's own machinery that relies on it (waiters turn a ``ClientError``
into its ``.response``) works on native clients. ``ClientError.__init__`` is deliberately not
called: ``response`` is built on demand from the error's fields (raising stays cheap), and
``str()``, pickling and the wire encoding are this class's own, as before.
"""

from __future__ import annotations

from typing import Any, ClassVar

from botocore.exceptions import ClientError


class AWSError(ClientError):
    """Root of all errors the emulator reports as AWS errors."""

    code: ClassVar[str] = "InternalServerError"
    namespace: ClassVar[str] = "com.amazonaws.emulator"
    status: ClassVar[int] = 400
    sender_fault: ClassVar[bool] = True
    message_key: ClassVar[str] = "message"
    _operation_name: str | None = None  # set by Service.call, for botocore-like str()

    def __init__(self, message: str = "", **extra: Any) -> None:
        Exception.__init__(self, message)  # not ClientError.__init__: see the module docstring
        self.message = message
        self.extra: dict[str, Any] = extra

    @property
    def wire_type(self) -> str:
        """The ``__type`` value of the JSON error envelope."""
        return f"{self.namespace}#{self.code}"

    @property  # type: ignore[override]  # ClientError stores a dict; ours is built when read
    def response(self) -> dict[str, Any]:
        """botocore's ``ClientError.response`` shape."""
        resp: dict[str, Any] = {
            "Error": {"Code": self.code, "Message": self.message},
            "ResponseMetadata": {"HTTPStatusCode": self.status},
        }
        if self.extra:
            resp.update(self.extra)
        return resp

    @property  # type: ignore[override]
    def operation_name(self) -> str | None:
        return self._operation_name

    def __str__(self) -> str:
        op = self._operation_name
        if op:
            return f"An error occurred ({self.code}) when calling the {op} operation: {self.message}"
        return f"{self.code}: {self.message}"

    def __reduce__(self):  # keep picklable across processes with extra fields
        return (_rebuild, (type(self), self.message, self.extra))


def _rebuild(cls: type[AWSError], message: str, extra: dict[str, Any]) -> AWSError:
    return cls(message, **extra)


class InternalServerError(AWSError):
    """A bug in the emulator surfaced as AWS's fault, never as a traceback."""

    code = "InternalServerError"
    status = 500
    sender_fault = False


def error_class(
    code: str,
    namespace: str,
    *,
    status: int = 400,
    sender_fault: bool = True,
    message_key: str = "message",
    base: type[AWSError] = AWSError,
) -> type[AWSError]:
    """Build an :class:`AWSError` subclass for one error code (used by services' error tables)."""
    return type(
        code,
        (base,),
        {
            "code": code,
            "namespace": namespace,
            "status": status,
            "sender_fault": sender_fault,
            "message_key": message_key,
            "__module__": base.__module__,
            "__doc__": f"AWS error ``{code}`` ({namespace}).",
        },
    )
