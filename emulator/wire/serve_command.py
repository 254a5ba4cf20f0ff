"""``emulator serve``: DynamoDB, DynamoDB Streams and Step Functions over HTTP on one port.

    emulator serve [--host 127.0.0.1] [--port 8000] [--clock system|virtual] [--region us-east-1]
                   [--seed DIR] [--random-seed N] [--table-transition-seconds 0] [--idle-timeout 60]
                   [--max-connections 4096] [--log-level LEVEL] [--verbose]
                   [--cors ORIGIN] [--auth --credentials KEY:SECRET|FILE]

The server's Emulator uses the system clock by default, so HTTP clients see real timestamps and
Step Functions' waits run in real time on its scheduler thread; ``--clock virtual`` freezes time
(for replaying a scenario). One startup line names the address it listens on (``0.0.0.0`` when it
listens on every interface); bound beyond loopback, a warning on stderr says that anyone who can
reach it has full access, unless ``--auth`` makes every request prove one of ``--credentials``
(:mod:`emulator.wire.sigv4`); ``--cors`` names the origins whose browser pages may call
(:mod:`emulator.wire.cors`). SIGINT and SIGTERM stop it cleanly (the listening socket is closed and
the Emulator's background work stopped) with exit status 0.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from typing import Any


def port_number(text: str) -> int:
    """``--port``: an integer 0..65535 (0 picks a free port); anything else is a usage error."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid port: {text!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"invalid port: {port} (must be 0-65535)")
    return port


def positive_seconds(text: str) -> float:
    """``--idle-timeout``: a positive number of seconds."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid number of seconds: {text!r}") from None
    if not 0 < seconds < float("inf"):
        raise argparse.ArgumentTypeError(f"invalid number of seconds: {text} (must be more than 0)")
    return seconds


def positive_count(text: str) -> int:
    """``--max-connections``: an integer of at least 1."""
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid count: {text!r}") from None
    if count < 1:
        raise argparse.ArgumentTypeError(f"invalid count: {count} (must be at least 1)")
    return count


def add_arguments(parser: argparse.ArgumentParser) -> None:
    from .server import DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS

    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="interface to bind (default 127.0.0.1; without --auth the server accepts any credentials)",
    )
    parser.add_argument(
        "--port", type=port_number, default=8000, help="port (default 8000; 0 picks a free one)"
    )
    parser.add_argument(
        "--clock",
        choices=("system", "virtual"),
        default="system",
        help="system (default): real time; virtual: time moves only when told",
    )
    parser.add_argument(
        "--region",
        default="us-east-1",
        help="default region: answers requests whose signature names none (default us-east-1); "
        "a signed request is answered in the region of its credential scope",
    )
    parser.add_argument(
        "--account-id",
        default="123456789012",
        help="default account id; a 12-digit access key id names its own account",
    )
    parser.add_argument(
        "--table-transition-seconds",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="how long a DynamoDB table stays CREATING, UPDATING or DELETING (default 0: at once)",
    )
    parser.add_argument(
        "--idle-timeout",
        type=positive_seconds,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help=f"close a connection silent for this long (default {DEFAULT_IDLE_TIMEOUT:g})",
    )
    parser.add_argument(
        "--max-connections",
        type=positive_count,
        default=DEFAULT_MAX_CONNECTIONS,
        metavar="N",
        help=f"open client connections at most; more wait to be accepted (default {DEFAULT_MAX_CONNECTIONS})",
    )
    add_loading_arguments(parser)
    add_state_arguments(parser)
    add_access_arguments(parser)
    add_data_arguments(parser)
    parser.add_argument(
        "--capacity",
        choices=("enforce", "track"),
        default=None,
        help="DynamoDB's capacity model: enforce (throttle as AWS does) or track (count usage only); "
        "read the usage with emulator report",
    )


def add_access_arguments(parser: argparse.ArgumentParser) -> None:
    """Who may call: browser pages (CORS) and, with ``--auth``, holders of the given keys."""
    parser.add_argument(
        "--cors",
        action="append",
        default=None,
        metavar="ORIGIN",
        help="origin whose browser pages may call the server (repeatable; '*' for any, 'none' for no "
        "CORS); default: any origin on loopback, none beyond",
    )
    parser.add_argument(
        "--auth",
        action="store_true",
        help="check every request's SigV4 signature against --credentials, with AWS's errors",
    )
    parser.add_argument(
        "--credentials",
        action="append",
        default=[],
        metavar="KEY:SECRET|FILE",
        help="access key id and secret the server accepts (repeatable; implies --auth), or a file of "
        "KEY:SECRET lines or AWS profiles",
    )


def access_options(args: argparse.Namespace) -> dict[str, Any]:
    """``cors`` and ``credentials`` for :class:`~emulator.wire.server.EmulatorServer` (ValueError
    for --auth without credentials, or credentials that cannot be read)."""
    from .sigv4 import read_credentials

    credentials = None
    if args.auth or args.credentials:
        credentials = read_credentials(args.credentials)
        if not credentials:
            raise ValueError("--auth needs --credentials KEY:SECRET (or a file of them)")
    return {"cors": "auto" if args.cors is None else args.cors, "credentials": credentials}


def add_state_arguments(parser: argparse.ArgumentParser) -> None:
    """What the server starts with (a seed directory, a random seed) and what it logs."""
    parser.add_argument(
        "--seed",
        type=seed_value,
        default=None,
        metavar="DIR",
        help="load tables, state machines and S3 objects from DIR at startup (see the README); "
        "an integer seeds every random choice, as --random-seed",
    )
    parser.add_argument("--random-seed", type=int, default=None, metavar="N", help="seed every random choice")
    parser.add_argument(
        "--log-level",
        type=str.upper,
        choices=("DEBUG", "INFO", "WARNING", "ERROR"),
        default=None,
        help="INFO: one line per request (operation, table or ARN, status, error code, latency) and "
        "per execution start and end; DEBUG adds request and response bodies (default WARNING)",
    )
    parser.add_argument("--verbose", action="store_true", help="the same as --log-level INFO")


def seed_value(text: str) -> str | int:
    """``--seed``: a seed directory, or (as before seed directories) an integer random seed."""
    if os.path.isdir(text):
        return text
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"no such seed directory: {text!r}") from None


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """Where the server keeps its world (emulator/durable/): nowhere, or a data directory."""
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=None,
        help="keep every table, item, stream, state machine and execution durable in DIR "
        "(SQLite); a restart on the same DIR restores the world (default: in memory only)",
    )
    parser.add_argument(
        "--data-sync",
        choices=("full", "normal"),
        default="normal",
        help="normal (default): commits reach the OS before answering, surviving a killed server but "
        "not a power loss; full: sync every commit to disk before answering (slower)",
    )


def add_loading_arguments(parser: argparse.ArgumentParser) -> None:
    """What the server loads at startup: task code and a Step Functions Local mock configuration."""
    parser.add_argument(
        "--tasks",
        action="append",
        default=[],
        metavar="MODULE",
        help="module or .py file backing task ARNs with Python callables, as for emulator run: "
        "register(aws) or TASKS = {arn: fn} (repeatable)",
    )
    parser.add_argument(
        "--mock-config",
        metavar="FILE",
        default=None,
        help="Step Functions Local mock configuration file (AWS's format); StartExecution on "
        "<state machine arn>#<test case> runs that test case (default: $SFN_MOCK_CONFIG)",
    )


def _warm_up(world: Any, server: Any) -> None:
    """Load the models and the services while the first client connects.

    DynamoDB first (the usual first request); Step Functions only once the first request has
    been answered (or after a second), so that its imports do not compete with that answer.
    """
    from . import shapes

    for service, operation in (("dynamodb", "GetItem"), ("stepfunctions", "StartExecution")):
        if service == "stepfunctions":
            server.answered.wait(1.0)
        try:
            shapes.codec(service, operation)
            world.service(service)
        except Exception:  # pragma: no cover - warming is best effort
            pass


def _missing_models() -> str | None:
    """Why the server could not answer (botocore's service models are not installed), or None.

    Checked before listening: without the models every request would be a 500.
    """
    from .models import botocore_data_dir

    try:
        data = botocore_data_dir()
    except (ImportError, ValueError):
        data = None
    if data is None or not os.path.isdir(os.path.join(data, "dynamodb")):
        return (
            "the HTTP server reads the AWS service models bundled with botocore, "
            "which is not installed (pip install botocore)"
        )
    return None


def _raise_open_files_limit(connections: int) -> None:
    """Let this process hold ``connections`` sockets: the soft open-files limit (often 1024, 256
    on macOS) is raised toward the hard one. Best effort; the server pauses accepting when out."""
    try:
        import resource
    except ImportError:  # pragma: no cover - Windows
        return
    try:
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = connections + 64
        if hard != resource.RLIM_INFINITY:
            wanted = min(wanted, hard)
        if soft != resource.RLIM_INFINITY and soft < wanted:
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    except (OSError, ValueError):  # pragma: no cover
        pass


def banner(server: Any, world: Any, data_dir: str | None) -> str:
    """The line serve prints once it listens: what it serves, where, and the settings that decide
    who may call it (signatures, browser origins) and what it keeps."""
    facts = [f"region {world.region}", f"{'virtual' if world.clock.virtual else 'system'} clock"]
    if data_dir:
        facts.append(f"data in {data_dir}")
    facts.append(f"auth: {len(server.auth.credentials)} key(s)" if server.auth is not None else "auth: off")
    cors = server.cors
    facts.append(
        "CORS: off" if cors is None else f"CORS: {'*' if cors.any else ', '.join(sorted(cors.origins))}"
    )
    return (
        "emulator: serving DynamoDB, DynamoDB Streams, Step Functions and S3 on "
        f"{server.url} ({'; '.join(facts)}); Ctrl-C to stop"
    )


def exposure_warning(server: Any) -> str | None:
    """The warning for a server reachable from other machines, or None on loopback.

    With ``--auth`` there is none: every request must then be signed with the given keys."""
    if server.loopback_only or server.auth is not None:
        return None
    return (
        f"emulator: warning: listening on {server.url}, beyond this machine's loopback. The server "
        "accepts any credentials: anyone who can reach this address can read, change and delete "
        "every table, state machine and bucket. Use --host 127.0.0.1, or --auth --credentials "
        "KEY:SECRET to require signed requests."
    )


def _world(emulator_class: Any, args: argparse.Namespace) -> Any:
    """The server's Emulator from the command line (ValueError for a malformed option)."""
    return emulator_class(
        region=args.region,
        account_id=args.account_id,
        clock=args.clock,
        seed=args.random_seed if args.random_seed is not None else _random_seed(args.seed),
        table_transition_seconds=args.table_transition_seconds,
        **({"capacity": args.capacity} if args.capacity else {}),
        **({"data_sync": args.data_sync} if args.data_dir else {}),
    )


def _random_seed(seed: str | int | None) -> int | None:
    """``--seed N`` (an integer, not a directory) as the random seed."""
    return seed if isinstance(seed, int) else None


def load_seed_dir(world: Any, args: argparse.Namespace) -> str | None:
    """Load the ``--seed`` directory into the server's Emulator; the message for a bad file
    (naming it), or None."""
    from ..seed import SeedError

    if not isinstance(args.seed, str):
        return None
    try:
        world.load_seed(args.seed)
    except SeedError as err:
        return str(err)
    return None


def load_task_code(world: Any, args: argparse.Namespace) -> str | None:
    """Load every ``--tasks`` module into the server's Emulator (as ``emulator run`` does) and
    the mock configuration; the message for a startup error (naming the file), or None."""
    from ..stepfunctions.run_command import TasksLoadError, load_tasks

    try:
        for spec in args.tasks:
            load_tasks(spec, world)
    except TasksLoadError as err:
        return str(err)
    return load_mock_config(world, args.mock_config or os.environ.get("SFN_MOCK_CONFIG") or None)


def load_mock_config(world: Any, path: str | None) -> str | None:
    """Load ``--mock-config`` (else ``$SFN_MOCK_CONFIG``, as Step Functions Local reads it) into
    the server's Emulator; the message for a startup error (naming the file), or None."""
    from ..stepfunctions.mock_config import MockConfigError

    if path is None:
        return None
    try:
        world.stepfunctions.load_mock_config(path)
    except MockConfigError as err:
        return str(err)
    return None


def _loaded_world(emulator_class: Any, args: argparse.Namespace) -> Any:
    """The server's Emulator with its task code and mock configuration loaded; None (after
    saying why on stderr) for a malformed option or a module or file that cannot load."""
    from ..durable.store import DataDirError

    try:
        world = _world(emulator_class, args)
    except ValueError as exc:  # a malformed --region, --account-id or --table-transition-seconds
        print(f"emulator serve: {exc}", file=sys.stderr)
        return None
    problem = load_task_code(world, args)
    if not problem and args.data_dir:  # after the task code: replay runs workflows with it
        try:
            world.attach_data_dir(args.data_dir)
        except DataDirError as exc:
            problem = str(exc)
    problem = problem or load_seed_dir(world, args)  # after the data dir: seeding is logged (and idempotent)
    if problem:
        print(f"emulator serve: {problem}", file=sys.stderr)
        world.close()
        return None
    return world


def _listening_server(server_class: Any, world: Any, args: argparse.Namespace) -> Any:
    """The server listening as ``args`` ask, or the exit status when it cannot be (a message said why)."""
    try:
        access = access_options(args)
    except (OSError, ValueError) as exc:
        print(f"emulator serve: {exc}", file=sys.stderr)
        return 2
    try:
        _raise_open_files_limit(args.max_connections)
        return server_class(
            world,
            host=args.host,
            port=args.port,
            idle_timeout=args.idle_timeout,
            max_connections=args.max_connections,
            **access,
        )
    except OSError as exc:  # address in use, unknown host, ... (the port range is checked by argparse)
        print(
            f"emulator serve: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}",
            file=sys.stderr,
        )
        return 1


def run(args: argparse.Namespace) -> int:
    from ..world import Emulator
    from .server import EmulatorServer

    problem = _missing_models()
    if problem:
        print(f"emulator serve: {problem}", file=sys.stderr)
        return 1
    from ..logs import configure

    configure(args.log_level or ("INFO" if args.verbose else None), fast=True)
    world = _loaded_world(Emulator, args)
    if world is None:
        return 2
    server = _listening_server(EmulatorServer, world, args)
    if isinstance(server, int):
        world.close()
        return server
    stop = threading.Event()

    def on_signal(signum: int, frame: Any) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    server.start()
    threading.Thread(target=_warm_up, args=(world, server), name="emulator-warm-up", daemon=True).start()
    print(banner(server, world, args.data_dir), flush=True)
    warning = exposure_warning(server)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    try:
        while not stop.wait(0.25):
            pass
    finally:
        server.stop()
        world.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("emulator: stopped", flush=True)
    return 0
