"""Map-only members: ``ProcessorConfig``, ``Label``, ``ItemReader`` (+ ``ReaderConfig``),
``ItemBatcher``, ``ResultWriter`` (ASL-MAP-01/02, MAP-08..11; mostly Distributed Map, P2).

AWS measured (floci-io/floci #3733): the number members refuse values below 0 (``Minimum value is
0``), ``ReaderConfig.MaxItems`` above 100000000, a literal together with its ``...Path`` twin
(``There should only be one of the following fields: [MaxItems, MaxItemsPath]``), a ``...Path``
member in a JSONata state machine (the usual "only supported for the 'JSONPath' QueryLanguage"
text; inside these sub-objects it is located at the member, e.g. ``/States/M/ResultWriter/Parameters``,
as a public emulator test pins it — INF) and a ``...Path`` that is not a Reference Path or reads the
context object. ``Label`` texts are
LocalStack's (ASL-MAP-02). Resource values of ItemReader/ResultWriter are a closed set.

``Items`` (JSONata Map, JA-12): a literal JSON array, a literal JSON object (iterated, each
property an item with ``$states.context.Map.Item.Key``) or a JSONata string evaluating to one of
them; ``{% %}`` strings nested at any depth inside a literal are checked as JSONata. Anything else
is ``Expected value of type [ARRAY]`` (INF: AWS's text for a number or a plain string).
"""

from __future__ import annotations

from typing import Any

from . import validate_jsonata as jsonata_check
from . import validate_messages as msg
from . import validate_paths as paths
from . import validate_values as values
from .validate_context import StateView
from .validate_fields import (
    ITEM_BATCHER_FIELDS,
    ITEM_READER_FIELDS,
    JSONATA,
    JSONPATH,
    MAX_LABEL,
    PROCESSOR_CONFIG_FIELDS,
    RESULT_WRITER_FIELDS,
)
from .validate_report import Loc, Report

READER_CONFIG_FIELDS = frozenset(
    {
        "InputType",
        "CSVHeaderLocation",
        "CSVHeaders",
        "CSVDelimiter",
        "MaxItems",
        "MaxItemsPath",
        "Transformation",
        "ManifestType",
        "ItemsPointer",
    }
)
MAX_READER_ITEMS = 100_000_000
_LABEL_FORBIDDEN = frozenset(' ?*<>{}[]:;,\\^~$#%&"|`')


def check_items(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    """JSONata ``Items`` (JA-12): literal array, literal object, or a JSONata expression."""
    if isinstance(value, (list, dict)) or jsonata_check.is_expression(value):
        jsonata_check.check_value(value, loc, report)
    else:
        values.expect(report, loc, "ARRAY")


def check_processor_config(cfg: Any, loc: Loc, report: Report) -> None:
    if not values.check_object(cfg, loc, report):
        return
    distributed = cfg.get("Mode") == "DISTRIBUTED"
    allowed = PROCESSOR_CONFIG_FIELDS if distributed else PROCESSOR_CONFIG_FIELDS - {"ExecutionType"}
    values.check_fields(cfg, loc, report, allowed, ("ExecutionType",) if distributed else ())
    if "Mode" in cfg:
        values.check_enum(cfg["Mode"], loc.key("Mode"), report, ("INLINE", "DISTRIBUTED"))
    if distributed and "ExecutionType" in cfg:
        values.check_enum(cfg["ExecutionType"], loc.key("ExecutionType"), report, ("STANDARD", "EXPRESS"))


def check_label(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if not values.check_string(value, loc, report):
        return
    if not value:
        report.schema(msg.LABEL_EMPTY, loc)
    elif len(value) > MAX_LABEL:
        report.schema(msg.LABEL_TOO_LONG, loc)
    else:
        for c in value:
            if c in _LABEL_FORBIDDEN or ord(c) <= 0x1F or 0x7F <= ord(c) <= 0x9F:
                report.schema(msg.LABEL_CHAR.format(char=c), loc)
                break


def _members(view: StateView, obj: dict, loc: Loc, report: Report, allowed: frozenset[str]) -> None:
    """Unknown members, ``...Path`` members in JSONata, and ``Parameters``/``Arguments`` by language."""
    for name in obj:
        if name not in allowed:
            report.schema(msg.NOT_SUPPORTED.format(field=name), loc)
        elif view.jsonata and (name.endswith("Path") or name == "Parameters"):
            report.schema(
                msg.LANGUAGE_ONLY.format(language=JSONATA, field=name, other=JSONPATH), loc.key(name)
            )
        elif not view.jsonata and name == "Arguments":
            report.schema(
                msg.LANGUAGE_ONLY.format(language=JSONPATH, field=name, other=JSONATA), loc.key(name)
            )
    if (
        not view.jsonata
        and "Parameters" in obj
        and values.check_object(obj["Parameters"], loc.key("Parameters"), report)
    ):
        paths.check_template(obj["Parameters"], loc.key("Parameters"), report)
    if view.jsonata and "Arguments" in obj:
        jsonata_check.check_value(obj["Arguments"], loc.key("Arguments"), report)


def _resource(obj: dict, loc: Loc, report: Report, allowed: tuple[str, ...]) -> None:
    if "Resource" not in obj:
        return
    here = loc.key("Resource")
    resource = obj["Resource"]
    if not values.check_string(resource, here, report):
        return
    if not (resource.startswith("arn:") and any(resource.endswith(f":states:::{r}") for r in allowed)):
        report.schema(msg.ENUM.format(values=", ".join(f"arn:aws:states:::{r}" for r in allowed)), here)


def _number_pair(
    view: StateView, obj: dict, loc: Loc, report: Report, name: str, *, maximum: int | None = None
) -> None:
    """A non-negative integer member and its ``...Path`` twin."""
    twin = f"{name}Path"
    if name in obj and twin in obj:
        report.schema(msg.ONLY_ONE_OF.format(fields=f"{name}, {twin}"), loc.key(name))
    if name in obj:
        value = obj[name]
        if view.jsonata and jsonata_check.is_expression(value):
            jsonata_check.check_value(value, loc.key(name), report)
        else:
            values.check_int(value, loc.key(name), report, minimum=0, maximum=maximum)
    if twin in obj and not view.jsonata:
        paths.check_reference_path(obj[twin], loc.key(twin), report, allow_context=False)


def check_item_reader(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if not values.check_object(value, loc, report):
        return
    _members(view, value, loc, report, ITEM_READER_FIELDS)
    _resource(value, loc, report, ("s3:getObject", "s3:listObjectsV2"))
    config = value.get("ReaderConfig")
    if config is None:
        return
    here = loc.key("ReaderConfig")
    if not values.check_object(config, here, report):
        return
    _members(view, config, here, report, READER_CONFIG_FIELDS)
    if "InputType" in config:
        values.check_enum(
            config["InputType"],
            here.key("InputType"),
            report,
            ("CSV", "JSON", "JSONL", "PARQUET", "MANIFEST"),
        )
    _number_pair(view, config, here, report, "MaxItems", maximum=MAX_READER_ITEMS)


def check_item_batcher(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if not values.check_object(value, loc, report):
        return
    _members(view, value, loc, report, ITEM_BATCHER_FIELDS)
    limits = (
        "MaxItemsPerBatch",
        "MaxItemsPerBatchPath",
        "MaxInputBytesPerBatch",
        "MaxInputBytesPerBatchPath",
    )
    if not any(name in value for name in limits):  # spec: at least one limit (ASL-VAL-12)
        report.schema(msg.AT_LEAST_ONE_OF.format(fields=", ".join(limits)), loc)
    _number_pair(view, value, loc, report, "MaxItemsPerBatch")
    _number_pair(view, value, loc, report, "MaxInputBytesPerBatch")
    if "BatchInput" in value:
        if view.jsonata:
            jsonata_check.check_value(value["BatchInput"], loc.key("BatchInput"), report)
        elif values.check_object(value["BatchInput"], loc.key("BatchInput"), report):
            paths.check_template(value["BatchInput"], loc.key("BatchInput"), report)


def check_result_writer(view: StateView, value: Any, loc: Loc, report: Report) -> None:
    if not values.check_object(value, loc, report):
        return
    _members(view, value, loc, report, RESULT_WRITER_FIELDS)
    _resource(value, loc, report, ("s3:putObject",))
    # MAP-18: WriterConfig alone (no export), Resource with Parameters/Arguments, or all three.
    exports = "Resource" in value or "Parameters" in value or "Arguments" in value
    if "WriterConfig" not in value or exports:
        args = "Arguments" if view.jsonata else "Parameters"
        missing = [f for f in ("Resource", args) if f not in value]
        if missing:  # [INF] the text: LocalStack's required-fields form
            report.schema(msg.REQUIRED.format(fields=", ".join(missing)), loc)
    config = value.get("WriterConfig")
    if config is None:
        return
    here = loc.key("WriterConfig")
    if not values.check_object(config, here, report):
        return
    _members(view, config, here, report, frozenset({"Transformation", "OutputType"}))
    if "Transformation" in config:
        values.check_enum(
            config["Transformation"], here.key("Transformation"), report, ("NONE", "COMPACT", "FLATTEN")
        )
    if "OutputType" in config:
        values.check_enum(config["OutputType"], here.key("OutputType"), report, ("JSON", "JSONL"))
