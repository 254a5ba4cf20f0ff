"""``mock_aws()``: answer boto3/botocore clients of DynamoDB, Streams, Step Functions and S3 in-process.

Usage::

    with emulator.mock_aws() as aws:          # a fresh Emulator; or mock_aws(existing)
        boto3.client("dynamodb").list_tables()

    @emulator.mock_aws                        # or @emulator.mock_aws(), or on a class
    def test_it():
        aws = emulator.wire.boto.active_emulator()

The hook
--------
While at least one ``mock_aws`` is active, ``botocore.endpoint.Endpoint._send`` — the one method
through which every botocore client hands a prepared request to its HTTP session — is replaced by
a function that answers requests whose ``X-Amz-Target`` belongs to one of our services with
:func:`emulator.wire.awsjson.handle` (the very code the HTTP server runs), wrapped in a real
``botocore.awsrequest.AWSResponse`` (S3's: :mod:`emulator.wire.s3_hook`). Requests of any other
service go to the original method. Leaving the last context puts botocore back exactly as it was.

Why this hook (the candidates were measured, see ``benchmarks/suite_wire.py``):

* It sits where a ``before-send`` handler answers (the design's option a): botocore still
  validates, serializes and signs the request, emits ``before-send`` (so a user's own stubs keep
  precedence), parses our bytes with its own JSON parser, checks ``x-amz-crc32`` and runs its retry
  handler with AWS's retry rules. Errors therefore reach the user as botocore's own ``ClientError``
  subclasses, and retries behave as against AWS. The cost over a canned ``before-send`` stub is our
  JSON work and the operation itself.
* Short-circuiting at ``before-call`` with an already parsed response (option b) would skip
  parsing, CRC32 and retries — not "as against AWS" — so it is not used.
* Patching the method on the class (rather than registering a handler on each client) also covers
  clients created *before* entering the context, needs no hook into client creation, costs nothing
  per client, and is undone by one attribute assignment.

The parse hand-off. For a Query returning 100 items, botocore's JSON *parsing* alone costs several
times what the emulator spends answering (it walks every AttributeValue as a modelled
structure), which would cap the hook far below the Query target. So for successful answers of the
DynamoDB data-plane operations (:data:`HANDOFF_OPERATIONS`) the body we return is a ``bytes``
subclass carrying the native answer as well, and while mocked, ``JSONParser._do_parse`` — again a
class attribute, restored exactly — returns that native answer (plus botocore's own
``ResponseMetadata``) instead of re-parsing the bytes. Everything else is untouched: the bytes,
``x-amz-crc32`` and its check, status codes, retries, error parsing and every event still happen.
This is safe because native shapes *are* boto3's parsed shapes (``tests/wire`` checks, as a
property, that botocore parses our bytes back to exactly the native answer, and that every
hand-off operation answers the same with and without it), and because those operations return
fresh copies of items, so the caller owns what it gets. Control-plane and Step Functions answers,
rarely hot, are parsed from the bytes as usual.

Signing. An in-process answer has nothing to authenticate, and SigV4 signing is about a third of
botocore's per-call cost, so while mocked ``SigV4Auth.add_auth`` (restored exactly, like the
others) skips requests to our services; credentials are still resolved, ``before-sign`` still
fires, and a client without credentials still fails with ``NoCredentialsError`` as against AWS.
Instead of a signature, the hook writes the credential scope (access key id, signing region) as
the ``Authorization`` header, which routes the request to the client's own (account, region)
partition exactly as the HTTP server routes a signed request (:mod:`emulator.wire.scope`).
Requests to other services are signed as usual.

A fourth patch, on ``botocore.session.Session.get_credentials``, notes every session that
resolves credentials while mocked; on leaving, those that cached the fake keys forget them, so a
session made before the context (a module-level ``boto3.Session()``) finds the user's real
credentials afterwards instead of keeping ``testing``.

Credentials and region: see :mod:`emulator.wire.environment` — fake keys (like moto) and a
default region while active, restored on exit. A fresh Emulator takes the region the
environment names (``AWS_DEFAULT_REGION``, else ``AWS_REGION``), so the ARNs it answers with name
the region the clients send to; without one, clients get the Emulator's region (us-east-1). No
socket is opened: credentials come from the environment, so botocore never probes the
instance-metadata endpoint.

Other clients of botocore. Libraries that subclass or intercept botocore get an adapter module of
ours (:data:`LIBRARY_ADAPTERS`): :mod:`emulator.wire.aio` for aiobotocore/aioboto3 (whose
endpoint, parser and session are async subclasses of botocore's) and
:mod:`emulator.wire.moto_coexistence` for moto's ``mock_aws`` (whose ``before-send`` handler
would otherwise answer our services before ``Endpoint._send`` is reached). The core never imports
them: an adapter's patches are applied, with the four above and undone with them, once its library
is loaded — on entering the context, or at the first request of ours after it was imported.

Seams. ``Endpoint._send`` and ``JSONParser._do_parse`` are private, so pyproject.toml bounds botocore
from above and each patch names the signature it expects (:mod:`emulator.wire.patches`; checked by
``tests/wire/test_boto_hook_seams.py``). A patch whose seam no longer fits is not applied: without
``_send`` the hook answers from a handler of the public ``before-send`` event instead (registered
for sessions made from then on and on boto3's default session; a client made earlier from another
session is then not answered), without ``_do_parse`` botocore parses our bytes, without the
``add_auth`` patch requests are signed as usual (their credential scope still routes them).

Nesting: the innermost active context answers. Contexts are process-wide (not per thread), like
moto's, so clients used from worker threads inside the context are answered too.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import sys
import threading
import warnings
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSResponse
from botocore.endpoint import Endpoint
from botocore.exceptions import NoCredentialsError
from botocore.handlers import BUILTIN_HANDLERS
from botocore.parsers import JSONParser
from botocore.session import Session as BotocoreSession

from ..world import Emulator
from .awsjson import JSON_10, handle
from .environment import FAKE_ACCESS_KEY, FakeEnvironment, emulator_for_environment
from .patches import ClassPatch, Seam
from .s3_hook import answer_s3, is_s3
from .scope import scope_header
from .targets import is_ours

__all__ = ["mock_aws", "MockAWS", "active_emulator", "HANDOFF_OPERATIONS", "LIBRARY_ADAPTERS"]

# Operations whose successful native answers are handed to botocore without re-parsing the bytes.
HANDOFF_OPERATIONS: frozenset[str] = frozenset(
    {
        "DynamoDB_20120810.GetItem",
        "DynamoDB_20120810.PutItem",
        "DynamoDB_20120810.UpdateItem",
        "DynamoDB_20120810.DeleteItem",
        "DynamoDB_20120810.Query",
        "DynamoDB_20120810.Scan",
        "DynamoDB_20120810.BatchGetItem",
        "DynamoDB_20120810.BatchWriteItem",
        "DynamoDB_20120810.TransactGetItems",
        "DynamoDB_20120810.TransactWriteItems",
        "DynamoDB_20120810.ExecuteStatement",
        "DynamoDB_20120810.BatchExecuteStatement",
        "DynamoDB_20120810.ExecuteTransaction",
        "DynamoDBStreams_20120810.GetRecords",
    }
)

F = TypeVar("F", bound=Callable[..., Any])

_lock = threading.RLock()
_active: list[Emulator] = []  # innermost last


class _Raw:
    """The ``raw`` of our AWSResponse: the body is already in memory."""

    __slots__ = ("_body",)

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any):
        yield self._body

    def read(self, *_: Any) -> bytes:
        body, self._body = self._body, b""
        return body


class _NativeBody(bytes):
    """The response bytes, plus the native answer they encode (for the parse hand-off)."""

    native: dict[str, Any]


try:  # botocore's case-insensitive header key: lets _target read a HeadersDict's dict directly
    from botocore.awsrequest import _HeaderKey

    _TARGET_KEY: Any = _HeaderKey("X-Amz-Target")
    _AUTHORIZATION_KEY: Any = _HeaderKey("Authorization")
except ImportError:  # pragma: no cover - another botocore layout: the public lookup below
    _TARGET_KEY = _AUTHORIZATION_KEY = None


def _header(headers: Any, key: Any, name: str) -> str | None:
    """One header of a request (``key``: its ``_HeaderKey``, ``name``: its name).

    A prepared request holds a ``HeadersDict``, whose ``_dict`` is keyed by ``_HeaderKey``: one
    dict lookup instead of the generic mapping lookup (which builds a key object per call).
    Anything else takes the public ``get``.
    """
    table = getattr(headers, "_dict", None)
    if table is not None and key is not None:
        value = table.get(key)
    else:
        value = headers.get(name)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return value


def _target(headers: Any) -> str | None:
    """The ``X-Amz-Target`` of a request's headers."""
    return _header(headers, _TARGET_KEY, "X-Amz-Target")


def _send(endpoint: Endpoint, request: Any) -> Any:
    """``Endpoint._send`` while mocked: our services in-process, everything else unchanged."""
    target = _target(request.headers)
    if _active and (is_ours(target) or is_s3(target, endpoint)):
        return _answer(request, target)
    return _SEND.original(endpoint, request)


def _before_send(request: Any, event_name: str = "", **_: Any) -> Any:
    """The ``before-send`` handler of the fallback (``Endpoint._send`` gone): ours, or None."""
    target = _target(request.headers)
    if _active and (is_ours(target) or (target is None and event_name.startswith("before-send.s3."))):
        return _answer(request, target)
    return None


def _answer(request: Any, target: str | None) -> Any:
    """The in-process answer to one prepared request of ours, as botocore's ``AWSResponse``."""
    if target is None:  # S3: REST-XML, routed by method and URL (emulator/wire/s3_hook.py)
        return answer_s3(_active[-1], request)
    body = request.body
    if type(body) is not bytes:
        if body is None:
            body = b""
        elif isinstance(body, str):
            body = body.encode("utf-8")
        elif isinstance(body, bytearray):
            body = bytes(body)
        else:
            body = body.read()
    # botocore always sends JSON 1.0 to these services; no need to read the header back.
    answer = handle(
        _active[-1],
        target,
        body,
        content_type=JSON_10,
        keep_native=_handoff[0] and target in HANDOFF_OPERATIONS,
        authorization=_header(request.headers, _AUTHORIZATION_KEY, "Authorization"),
    )
    content: bytes = answer.body
    if answer.native is not None:
        content = _NativeBody(content)
        content.native = answer.native  # type: ignore[attr-defined]
    response = AWSResponse(request.url, answer.status, answer.headers, _Raw(content))
    response._content = content
    return response


def _do_parse(parser: Any, response: dict[str, Any], shape: Any) -> Any:
    """``JSONParser._do_parse`` while mocked: hand over the native answer if there is one."""
    body = response.get("body")
    if type(body) is _NativeBody:
        parsed = body.native
        parser._inject_response_metadata(parsed, response["headers"])
        return parsed
    return _DO_PARSE.original(parser, response, shape)


def _add_auth(auth: Any, request: Any) -> None:
    """``SigV4Auth.add_auth`` while mocked: nothing to sign for an in-process answer, but the
    credential scope (access key id, region) is written as the ``Authorization`` header, so the
    answer comes from the client's own partition, as over HTTP (:mod:`emulator.wire.scope`)."""
    target = _target(request.headers)
    region, service = getattr(auth, "_region_name", None), getattr(auth, "_service_name", None)
    if _active and is_ours(target) and region is not None and service is not None:
        if _unadopted and len(sys.modules) != _modules_seen:
            _adopt_loaded_libraries()  # a library imported inside the context: adapt before sending
        credentials = auth.credentials
        if credentials is None:
            raise NoCredentialsError()  # as against AWS: no credentials, no request
        request.headers["Authorization"] = scope_header(credentials.access_key, region, service)
        return
    _ADD_AUTH.original(auth, request)


# botocore sessions that resolved (and cached) credentials while mocked: the fake ones.
_resolved_while_mocked: weakref.WeakSet[Any] = weakref.WeakSet()


def _get_credentials(session: Any) -> Any:
    """``botocore.session.Session.get_credentials`` while mocked: note who caches the fake keys."""
    had = getattr(session, "_credentials", None) is not None
    credentials = _GET_CREDENTIALS.original(session)
    if not had and credentials is not None:
        _resolved_while_mocked.add(session)
    return credentials


def _forget_fake_credentials() -> None:
    """After the last context: a session that cached the fake keys resolves its own again."""
    for session in list(_resolved_while_mocked):
        credentials = getattr(session, "_credentials", None)
        if credentials is not None and getattr(credentials, "access_key", None) == FAKE_ACCESS_KEY:
            session._credentials = None
    _resolved_while_mocked.clear()


_SEND = ClassPatch(Endpoint, "_send", _send, ("self", "request"))
_DO_PARSE = ClassPatch(
    JSONParser,
    "_do_parse",
    _do_parse,
    ("self", "response", "shape"),
    uses=(Seam(JSONParser, "_inject_response_metadata", ("self", "parsed", "headers")),),
)
_ADD_AUTH = ClassPatch(SigV4Auth, "add_auth", _add_auth, ("self", "request"))
_GET_CREDENTIALS = ClassPatch(BotocoreSession, "get_credentials", _get_credentials, ("self",))
_PATCHES = (_SEND, _DO_PARSE, _ADD_AUTH, _GET_CREDENTIALS)
_BEFORE_SEND = ("before-send", _before_send)  # the fallback's entry in botocore's BUILTIN_HANDLERS
_handoff = [False]  # whether the parse hand-off is on (``_DO_PARSE`` applied)

# A library that subclasses or intercepts botocore → the module of ours whose ``PATCHES`` (a
# sequence of _ClassPatch) adapt the hook to it. Keyed by the library module those patches touch.
LIBRARY_ADAPTERS: dict[str, str] = {
    "aiobotocore.endpoint": "emulator.wire.aio",
    "moto.core.botocore_stubber": "emulator.wire.moto_coexistence",
}
_unadopted: dict[str, str] = dict(LIBRARY_ADAPTERS)  # libraries not (yet) adapted while mocked
_adopted: list[ClassPatch] = []  # their patches, applied while mocked
_modules_seen = 0  # len(sys.modules) at the last look: a cheap "was anything imported since?"


def _adopt_loaded_libraries() -> None:
    """Apply the adapters of the libraries loaded by now (only while mocked)."""
    global _modules_seen
    with _lock:
        if not _active:
            return
        for library, adapter in list(_unadopted.items()):
            if library in sys.modules:
                del _unadopted[library]
                try:
                    patches = importlib.import_module(adapter).PATCHES
                except (ImportError, AttributeError) as exc:  # a release laid out otherwise
                    warnings.warn(
                        f"emulator.mock_aws cannot adapt to this version of {library} ({exc}); "
                        f"it is left alone",
                        RuntimeWarning,
                        stacklevel=2,
                    )
                    continue
                for patch in patches:
                    if patch.apply():
                        _adopted.append(patch)
        _modules_seen = len(sys.modules)


def _push(world: Emulator) -> None:
    with _lock:
        if not _active:
            for patch in _PATCHES:
                patch.apply()
            _handoff[0] = _DO_PARSE.applied
            if not _SEND.applied:
                _register_before_send()
        _active.append(world)
        _adopt_loaded_libraries()


def _pop(world: Emulator) -> None:
    with _lock:
        for i in range(len(_active) - 1, -1, -1):
            if _active[i] is world:
                del _active[i]
                break
        if not _active:
            for patch in _PATCHES:
                patch.undo()
            _unregister_before_send()
            while _adopted:
                _adopted.pop().undo()
            _unadopted.update(LIBRARY_ADAPTERS)
            _forget_fake_credentials()


def _register_before_send() -> None:
    """The fallback: answer from the public ``before-send`` event of sessions made from now on
    (botocore registers its ``BUILTIN_HANDLERS`` on every new session) and of boto3's default one."""
    if _BEFORE_SEND not in BUILTIN_HANDLERS:
        BUILTIN_HANDLERS.append(_BEFORE_SEND)
    default = _boto3_default_session()
    if default is not None:
        default.events.register("before-send", _before_send, unique_id="emulator.mock_aws")


def _unregister_before_send() -> None:
    while _BEFORE_SEND in BUILTIN_HANDLERS:
        BUILTIN_HANDLERS.remove(_BEFORE_SEND)
    default = _boto3_default_session()
    if default is not None:
        default.events.unregister("before-send", _before_send, unique_id="emulator.mock_aws")


def _boto3_default_session() -> Any:
    boto3 = sys.modules.get("boto3")
    return getattr(boto3, "DEFAULT_SESSION", None) if boto3 is not None else None


def active_emulator() -> Emulator | None:
    """The Emulator answering boto3 right now (the innermost ``mock_aws``), or ``None``."""
    return _active[-1] if _active else None


class MockAWS:
    """A reusable mock: a context manager and a decorator.

    ``MockAWS()`` starts a fresh :class:`~emulator.Emulator` on every entry (keyword arguments are
    passed to it); ``MockAWS(world)`` answers with that Emulator every time.
    """

    def __init__(self, world: Emulator | None = None, **emulator_options: Any) -> None:
        if world is not None and not isinstance(world, Emulator):
            raise TypeError(f"mock_aws() takes an Emulator, not {type(world).__name__}")
        self._world = world
        self._options = emulator_options
        self._activations: list[tuple[Emulator, FakeEnvironment]] = []

    # -- context manager --------------------------------------------------------------------------
    def start(self) -> Emulator:
        """Activate; return the Emulator that answers."""
        world = self._world if self._world is not None else emulator_for_environment(**self._options)
        env = FakeEnvironment()
        with _lock:
            env.apply(world.region)
            _push(world)
            self._activations.append((world, env))
        return world

    def stop(self) -> None:
        """Deactivate the most recent activation and restore what it changed."""
        with _lock:
            if not self._activations:
                raise RuntimeError("mock_aws is not active")
            world, env = self._activations.pop()
            _pop(world)
            env.restore()
        if self._world is None:
            world.close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- decorator ------------------------------------------------------------------------------
    def __call__(self, target: Any) -> Any:
        if inspect.isclass(target):
            return self._decorate_class(target)
        if not callable(target):
            raise TypeError("mock_aws decorates functions and classes")
        return self._decorate_function(target)

    def _decorate_function(self, func: F) -> F:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return await func(*args, **kwargs)

            return run_async  # type: ignore[return-value]
        if inspect.isgeneratorfunction(func):
            # A generator (e.g. a yield-fixture) runs its body when iterated, not when called:
            # the mock spans the iteration, so setup and teardown around the yield are mocked.
            @functools.wraps(func)
            def run_generator(*args: Any, **kwargs: Any) -> Any:
                with self:
                    return (yield from func(*args, **kwargs))

            return run_generator  # type: ignore[return-value]
        if inspect.isasyncgenfunction(func):

            @functools.wraps(func)
            async def run_async_generator(*args: Any, **kwargs: Any) -> Any:
                with self:
                    async for item in func(*args, **kwargs):
                        yield item

            return run_async_generator  # type: ignore[return-value]

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return run  # type: ignore[return-value]

    def _decorate_class(self, cls: type) -> type:
        import unittest

        if issubclass(cls, unittest.TestCase):
            # One fresh Emulator per test, active from setUp to the end of tearDown.
            original_setup = cls.setUp

            def setUp(test: Any) -> None:  # noqa: N802 - unittest's name
                self.start()
                test.addCleanup(self.stop)
                original_setup(test)

            cls.setUp = setUp  # type: ignore[method-assign,assignment]
            return cls
        if callable(getattr(cls, "setup_method", None)):
            self._decorate_setup_method(cls)
        for name, value in list(vars(cls).items()):
            if name.startswith("test") and inspect.isfunction(value):
                setattr(cls, name, self._decorate_test_method(value))
        return cls

    def _decorate_setup_method(self, cls: type) -> None:
        """A pytest-style class with ``setup_method``: one Emulator from it to ``teardown_method``.

        pytest runs ``setup_method`` before each test and ``teardown_method`` after it; the mock is
        started before the class's own ``setup_method`` (so what it creates through boto3 lands in
        the test's Emulator) and stopped after its ``teardown_method`` (added if the class has
        none), so setup, test and teardown share one fresh Emulator, as they do with moto.
        """
        original_setup = cls.setup_method  # type: ignore[attr-defined]
        original_teardown = getattr(cls, "teardown_method", None)

        def setup(test: Any, *args: Any) -> None:
            self.start()
            try:
                original_setup(test, *args)
            except BaseException:
                self.stop()
                raise

        def teardown(test: Any, *args: Any) -> None:
            try:
                if original_teardown is not None:
                    original_teardown(test, *args)
            finally:
                if self._activations:
                    self.stop()

        # pytest passes the test method only to a setup/teardown_method that takes it (it counts
        # the positional parameters), so each wrapper takes exactly what the original takes.
        cls.setup_method = _same_arity(setup, original_setup)  # type: ignore[attr-defined]
        cls.teardown_method = _same_arity(teardown, original_teardown)  # type: ignore[attr-defined]

    def _decorate_test_method(self, func: F) -> F:
        """A test method: mocked by its own activation, unless ``setup_method`` already started one."""
        wrapped = self._decorate_function(func)
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                if self._activations:
                    return await func(*args, **kwargs)
                return await wrapped(*args, **kwargs)

            return run_async  # type: ignore[return-value]

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            if self._activations:
                return func(*args, **kwargs)
            return wrapped(*args, **kwargs)

        return run  # type: ignore[return-value]


def _same_arity(wrapper: Callable[..., None], original: Any) -> Callable[..., None]:
    """``wrapper(self, *args)`` as a function of ``(self)`` or ``(self, method)``, like ``original``."""
    code = getattr(original, "__code__", None)
    takes_method = original is None or (code is not None and code.co_argcount >= 2)
    if takes_method:

        def with_method(test: Any, method: Any = None) -> None:
            wrapper(test, method)

        result: Callable[..., None] = with_method
    else:

        def without_method(test: Any) -> None:
            wrapper(test)

        result = without_method
    if original is not None:
        functools.update_wrapper(result, original)
        del result.__wrapped__  # type: ignore[attr-defined]  # pytest must count *these* parameters
    return result


def mock_aws(*args: Any, **kwargs: Any) -> Any:
    """``with mock_aws() as aws``, ``mock_aws(existing)``, ``@mock_aws`` or ``@mock_aws()``.

    Every boto3/botocore client of ``dynamodb``, ``dynamodbstreams`` and ``stepfunctions`` —
    created inside or before, aiobotocore's and aioboto3's too — is answered in-process by the
    Emulator while active, also when moto's ``mock_aws`` is active as well (moto keeps the rest).
    """
    if (
        len(args) == 1
        and not kwargs
        and not isinstance(args[0], Emulator)
        and (inspect.isclass(args[0]) or callable(args[0]))
    ):
        return MockAWS()(args[0])  # bare @mock_aws
    if len(args) > 1:
        raise TypeError("mock_aws() takes at most one Emulator")
    return MockAWS(*args, **kwargs)
