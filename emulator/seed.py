"""Seed directories: tables, state machines and S3 objects loaded from files into a world.

``emulator serve --seed DIR`` and ``aws.load_seed(DIR)`` read one layout, a directory per service::

    DIR/dynamodb/<Table>.json          a CreateTable request (DynamoDB JSON), plus "Items": [...]
    DIR/stepfunctions/<name>.asl.json  a state machine definition (Amazon States Language)
    DIR/stepfunctions/<name>.json      a CreateStateMachine request ("definition" as text or object)
    DIR/s3/<bucket>/<key...>           one object per file; the bucket is created if missing
    DIR/<region>/dynamodb/...          the same layout for another region (``DIR/eu-west-1/...``)

Everything goes through the services' own operations (the native clients), so a seeded table or
state machine is validated exactly as one created by a client, in the world's default partition
(or the named region's, in the default account). A loader per service directory sits in
:data:`LOADERS`; a directory that is neither a service nor a region is an error (a typo such as
``dynamo/`` must not be ignored in silence), a top-level file (a README) is not.

Loading is idempotent: loading the same directory twice gives the same world. A table or bucket
that exists is kept (its seeded items and objects are written again, which changes nothing); a
state machine that exists with another definition or role is updated to the file's.

Any problem is a :class:`SeedError` whose message starts with the file it comes from: a file that
is not JSON, a request the service refuses (with the service's error code and message), an item
the table refuses (with its index in ``Items``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from os import PathLike
from pathlib import Path
from typing import Any

from .dynamodb.item_json import item_from_json
from .errors import AWSError

__all__ = ["LOADERS", "SeedError", "load_seed"]

DEFAULT_ROLE = "arn:aws:iam::{account}:role/emulator-seed"  # a state machine file without roleArn


class SeedError(ValueError):
    """A seed file (or directory) that cannot be loaded; ``path`` names it."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"seed file {path}: {reason}")
        self.path = str(path)
        self.reason = reason


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SeedError(path, f"cannot be read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise SeedError(path, f"is not JSON ({exc})") from None


def _refused(path: Path, exc: Exception, what: str = "") -> SeedError:
    """The SeedError for a request the service refused (its error code and message)."""
    if isinstance(exc, AWSError):
        reason = f"{exc.code}: {exc.message}"
    else:  # botocore's ParamValidationError: a parameter the operation does not have
        reason = str(exc)
    return SeedError(path, f"{what}{reason}")


class Region:
    """What a loader writes through: the native clients of one region of the world (the
    default one, or a region directory's), in the world's default account."""

    def __init__(self, world: Any, region: str | None = None) -> None:
        self.world = world
        self.region = region or world.region
        self.account_id = world.account_id

    @property
    def dynamodb(self) -> Any:
        return self.world.client("dynamodb", region_name=self.region)

    @property
    def stepfunctions(self) -> Any:
        return self.world.client("stepfunctions", region_name=self.region)

    @property
    def s3(self) -> Any:
        return self.world.client("s3", region_name=self.region)

    def arn(self, service: str, resource: str) -> str:
        return str(self.world.partition(region=self.region).arn(service, resource))


def _files(directory: Path) -> list[Path]:
    """The visible files directly in ``directory``, by name."""
    return sorted(p for p in directory.iterdir() if p.is_file() and not p.name.startswith("."))


# -- DynamoDB ----------------------------------------------------------------------------------


def _create_table(world: Any, path: Path, request: dict[str, Any]) -> str:
    """Create the table of ``request`` unless it exists; its name."""
    client = world.dynamodb
    name = request.setdefault("TableName", path.name[: -len(".json")])
    try:
        status = client.create_table(**request)["TableDescription"]["TableStatus"]
    except AWSError as exc:
        if exc.code != "ResourceInUseException":
            raise _refused(path, exc) from None
        status = client.describe_table(TableName=name)["Table"]["TableStatus"]
    except Exception as exc:  # ParamValidationError
        raise _refused(path, exc) from None
    if status != "ACTIVE":  # --table-transition-seconds: items can be written once it is ACTIVE
        client.get_waiter("table_exists").wait(TableName=name)
    return name


def load_table(world: Any, path: Path) -> None:
    """One ``dynamodb/<Table>.json``: create the table, then put its ``Items``."""
    spec = _read_json(path)
    if not isinstance(spec, dict):
        raise SeedError(path, "must be a JSON object: a CreateTable request with an optional Items list")
    items = spec.pop("Items", [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise SeedError(path, "Items must be a list of items in DynamoDB JSON")
    name = _create_table(world, path, spec)
    put = world.dynamodb.put_item
    for index, item in enumerate(items):
        try:
            put(TableName=name, Item=item_from_json(item))  # ImportTable's DynamoDB JSON reader
        except (AWSError, ValueError) as exc:  # ValueError: item_json.BadItem
            raise _refused(path, exc, f"Items[{index}]: ") from None


def _load_json_files(world: Any, directory: Path, load: Callable[[Any, Path], None], naming: str) -> int:
    """Load every file of ``directory`` with ``load``; each must be a ``.json`` file (``naming``
    says how one is named); how many were loaded."""
    files = _files(directory)
    for path in files:
        if not path.name.endswith(".json"):
            raise SeedError(path, naming)
        load(world, path)
    return len(files)


def load_dynamodb(world: Any, directory: Path) -> int:
    return _load_json_files(world, directory, load_table, "a table file is <TableName>.json")


# -- Step Functions ----------------------------------------------------------------------------
def _state_machine_request(world: Any, path: Path) -> dict[str, Any]:
    data = _read_json(path)
    if path.name.endswith(".asl.json"):
        request: dict[str, Any] = {"name": path.name[: -len(".asl.json")], "definition": data}
    elif isinstance(data, dict):
        request = {"name": path.name[: -len(".json")], **data}
    else:
        raise SeedError(path, "must be a JSON object: a CreateStateMachine request")
    if not isinstance(request.get("definition"), str):
        request["definition"] = json.dumps(request.get("definition"))
    request.setdefault("roleArn", DEFAULT_ROLE.format(account=world.account_id))
    return request


def load_state_machine(world: Any, path: Path) -> None:
    """One ``stepfunctions/<name>.asl.json`` (a definition) or ``<name>.json`` (a request)."""
    request = _state_machine_request(world, path)
    sfn = world.stepfunctions
    try:
        sfn.create_state_machine(**request)
    except AWSError as exc:
        if exc.code != "StateMachineAlreadyExists":
            raise _refused(path, exc) from None
        arn = world.arn("states", f"stateMachine:{request['name']}")
        try:
            sfn.update_state_machine(
                stateMachineArn=arn, definition=request["definition"], roleArn=request["roleArn"]
            )
        except AWSError as again:
            raise _refused(path, again) from None
    except Exception as exc:  # ParamValidationError
        raise _refused(path, exc) from None


def load_stepfunctions(world: Any, directory: Path) -> int:
    naming = "a state machine file is <name>.asl.json or <name>.json"
    return _load_json_files(world, directory, load_state_machine, naming)


# -- S3 ----------------------------------------------------------------------------------------
def load_bucket(world: Any, directory: Path) -> int:
    """One ``s3/<bucket>/``: the bucket (created if missing) and one object per file below it."""
    s3 = world.s3
    request: dict[str, Any] = {"Bucket": directory.name}
    if world.region != "us-east-1":
        request["CreateBucketConfiguration"] = {"LocationConstraint": world.region}
    try:
        s3.create_bucket(**request)
    except AWSError as exc:
        if exc.code != "BucketAlreadyOwnedByYou":
            raise _refused(directory, exc) from None
    count = 0
    for path in sorted(p for p in directory.rglob("*") if p.is_file()):
        key = path.relative_to(directory).as_posix()
        try:
            s3.put_object(Bucket=directory.name, Key=key, Body=path.read_bytes())
        except (AWSError, OSError) as exc:
            raise _refused(path, exc) from None
        count += 1
    return count


def load_s3(world: Any, directory: Path) -> int:
    count = 0
    for entry in sorted(directory.iterdir()):
        if entry.name.startswith("."):
            continue
        if not entry.is_dir():
            raise SeedError(entry, "an S3 object lives in s3/<bucket>/<key>")
        count += load_bucket(world, entry)
    return count


#: Service directory → its loader (the world, the directory) → how many things it loaded.
LOADERS: dict[str, Callable[[Any, Path], int]] = {
    "dynamodb": load_dynamodb,
    "stepfunctions": load_stepfunctions,
    "s3": load_s3,
}


#: A region directory's name: AWS's region form (``us-east-1``, ``eu-central-2``, ``us-gov-west-1``),
#: stricter than a valid region name, so that a misspelt service directory is still an error.
_REGION_DIR = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")


def _is_region(name: str) -> bool:
    return bool(_REGION_DIR.match(name))


def load_seed(world: Any, directory: str | PathLike[str]) -> dict[str, int]:
    """Load a seed directory into ``world``: {service directory: tables, state machines or
    objects loaded} (``"<region>/<service>"`` for a region directory's). :class:`SeedError`
    names the first file that cannot be loaded."""
    root = Path(directory)
    if not root.is_dir():
        raise SeedError(root, "is not a directory")
    regions = []
    for entry in sorted(root.iterdir()):
        if not entry.is_dir() or entry.name.startswith(".") or entry.name in LOADERS:
            continue
        if not _is_region(entry.name):
            raise SeedError(entry, f"unknown seed directory: one of {', '.join(LOADERS)}, or a region's")
        regions.append(entry)
    loaded = _load_services(Region(world), root, "")
    for entry in regions:
        for name in (
            n for n in sorted(p.name for p in entry.iterdir() if p.is_dir()) if not n.startswith(".")
        ):
            if name not in LOADERS:
                raise SeedError(entry / name, f"unknown seed directory: one of {', '.join(LOADERS)}")
        loaded.update(_load_services(Region(world, entry.name), entry, f"{entry.name}/"))
    return loaded


def _load_services(region: Region, root: Path, prefix: str) -> dict[str, int]:
    return {
        prefix + name: loader(region, root / name)
        for name, loader in LOADERS.items()
        if (root / name).is_dir()
    }
