"""S3's REST-XML protocol, server side, read from botocore's S3 service model.

botocore's ``RestXMLSerializer`` turns a client's parameters into method, URI, query, headers and
an XML or raw payload; its ``RestXMLParser`` turns S3's answer back. This module is the mirror image
of both, driven by the same model (``botocore/data/s3/.../service-2.json``, loaded as in
:mod:`emulator.wire.models` and wrapped in botocore's own ``ServiceModel`` for the shape traits:
``location``, ``locationName``, ``payload``, ``flattened``, ``timestampFormat``):

* :func:`route`: (method, bucket?, key?, query, headers) → operation name. Each operation's
  ``requestUri`` gives its method, whether it names a key, and its literal query (``?uploads``,
  ``?list-type=2``); its required query and header members tell apart operations that share a URI
  (PutObject / CopyObject by ``x-amz-copy-source`` / UploadPart by ``partNumber&uploadId``). The
  most specific match wins; among equals, an operation the emulator implements.
* :func:`read_request`: the native (boto3-shaped) parameters, from the URI, query, headers
  (``x-amz-meta-*`` into ``Metadata``) and the payload (raw bytes for a blob, the model-shaped
  XML document for a structure).
* :func:`write_response`: status, headers and body of a native answer, the other way round;
  :func:`write_error`: S3's ``<Error>`` document (none for a HEAD request).

Only the operations' shapes come from the model; the XML root names of answers that have no
payload member are S3's (:data:`ROOT_NAMES`), because the model does not name them.
"""

from __future__ import annotations

import base64
import datetime as _dt
import email.utils
import threading
from typing import Any
from xml.etree import ElementTree as ET

from botocore.model import ServiceModel, Shape

from .models import _read_model

XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/"
#: The root element of answers whose XML body is the output shape itself (S3's names).
ROOT_NAMES = {
    "ListObjectsV2": "ListBucketResult",
    "ListObjects": "ListBucketResult",
    "ListBuckets": "ListAllMyBucketsResult",
    "CreateMultipartUpload": "InitiateMultipartUploadResult",
    "CompleteMultipartUpload": "CompleteMultipartUploadResult",
    "DeleteObjects": "DeleteResult",
    "ListParts": "ListPartsResult",
    "GetBucketCors": "CORSConfiguration",
}

#: Answers whose whole XML document is one element holding the answer's one value (botocore
#: reads its text with a handler of its own: the model cannot describe it).
BARE_ROOTS = {"GetBucketLocation": "LocationConstraint"}

_lock = threading.Lock()
_model: list[Any] = []  # [ServiceModel, routes]


class Route:
    """One operation's place in the URI space."""

    __slots__ = ("name", "method", "has_bucket", "has_key", "literals", "required_query", "required_headers")

    def __init__(self, model: ServiceModel, name: str) -> None:
        op = model.operation_model(name)
        http = op.http
        path, _, query = http["requestUri"].partition("?")
        self.name = name
        self.method = http["method"]
        self.has_bucket = "{Bucket}" in path
        self.has_key = "{Key+}" in path
        self.literals = dict(
            (part.split("=", 1) + [None])[:2]
            for part in query.split("&")
            if part  # type: ignore[misc]
        )
        self.required_query: list[str] = []
        self.required_headers: list[str] = []
        shape = op.input_shape
        for member in shape.required_members if shape is not None else ():
            ser = shape.members[member].serialization  # type: ignore[union-attr]
            if ser.get("location") == "querystring":
                self.required_query.append(ser["name"])
            elif ser.get("location") == "header":
                self.required_headers.append(ser["name"].lower())

    def matches(self, method: str, has_bucket: bool, has_key: bool, query: dict, headers: dict) -> bool:
        if method != self.method or has_key != self.has_key or has_bucket != self.has_bucket:
            return False
        for name, value in self.literals.items():
            if name not in query or (value is not None and query[name][0] != value):
                return False
        return all(q in query for q in self.required_query) and all(
            h in headers for h in self.required_headers
        )

    @property
    def weight(self) -> int:
        return len(self.literals) + len(self.required_query) + len(self.required_headers)


def model() -> tuple[ServiceModel, list[Route]]:
    """S3's model and its routes, read once per process."""
    if not _model:
        with _lock:
            if not _model:
                loaded = ServiceModel(_read_model("s3"), "s3")
                routes = [Route(loaded, name) for name in loaded.operation_names]
                _model.extend([loaded, routes])
    return _model[0], _model[1]


def route(method: str, has_bucket: bool, has_key: bool, query: dict, headers: dict, known: Any) -> str | None:
    """The operation a request names (``None``: no S3 operation has this method and URI)."""
    _, routes = model()
    best = [r for r in routes if r.matches(method, has_bucket, has_key, query, headers)]
    if not best:
        return None
    best.sort(key=lambda r: (-r.weight, r.name not in known, r.name))
    return best[0].name


# -- reading a request ------------------------------------------------------------------------------
def _scalar(text: str, shape: Shape) -> Any:
    kind = shape.type_name
    if kind in ("integer", "long"):
        return int(text)
    if kind == "boolean":
        return text.strip().lower() == "true"
    if kind == "timestamp":
        return _parse_time(text)
    if kind == "blob":
        return base64.b64decode(text)
    return text


def _parse_time(text: str) -> Any:
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        try:
            return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return text


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def from_xml(element: Any, shape: Shape) -> Any:
    """A model-shaped XML element as native Python values."""
    kind = shape.type_name
    if kind == "structure":
        out: dict[str, Any] = {}
        for name, member in shape.members.items():  # type: ignore[attr-defined]
            tag = member.serialization.get("name", name)
            children = [c for c in element if _local(c.tag) == tag]
            if not children:
                continue
            if member.type_name == "list" and member.serialization.get("flattened"):
                out[name] = [from_xml(c, member.member) for c in children]  # type: ignore[attr-defined]
            else:
                out[name] = from_xml(children[0], member)
        return out
    if kind == "list":
        item = shape.member  # type: ignore[attr-defined]
        tag = item.serialization.get("name", "member")
        return [from_xml(c, item) for c in element if _local(c.tag) == tag]
    return _scalar(element.text or "", shape)


def read_request(op_name: str, bucket: str, key: str, query: dict, headers: dict, body: bytes) -> dict:
    """The native parameters of one request (``headers`` with lower-case names)."""
    service_model, _ = model()
    shape = service_model.operation_model(op_name).input_shape
    params: dict[str, Any] = {}
    if shape is None:
        return params
    payload = shape.serialization.get("payload")
    for name, member in shape.members.items():
        ser = member.serialization
        where = ser.get("location")
        wire_name = ser.get("name", name)
        if where == "uri":
            value: Any = bucket if wire_name == "Bucket" else key
            if value:
                params[name] = value
        elif where == "querystring" and wire_name in query:
            values = query[wire_name]
            params[name] = (
                [_scalar(v, member.member) for v in values]
                if member.type_name == "list"
                else _scalar(values[0], member)
            )
        elif where == "header" and wire_name.lower() in headers:
            params[name] = _scalar(headers[wire_name.lower()], member)
        elif where == "headers":
            prefix = wire_name.lower()
            found = {h[len(prefix) :]: v for h, v in headers.items() if h.startswith(prefix)}
            if found:
                params[name] = found
        elif name == payload:
            if member.type_name in ("blob", "string"):
                params[name] = body
            elif body.strip():
                params[name] = from_xml(ET.fromstring(body), member)
    return params


# -- writing an answer ------------------------------------------------------------------------------
def _text(value: Any, shape: Shape, *, header: bool) -> str:
    kind = shape.type_name
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "timestamp" and isinstance(value, _dt.datetime):
        if header:
            return email.utils.format_datetime(value.astimezone(_dt.timezone.utc), usegmt=True)
        return value.astimezone(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if kind == "blob" and isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return str(value)


def to_xml(parent: Any, tag: str, value: Any, shape: Shape) -> None:
    """Append ``value`` to ``parent`` as the model's XML for ``shape``."""
    kind = shape.type_name
    if kind == "list":
        item = shape.member  # type: ignore[attr-defined]
        if shape.serialization.get("flattened"):
            for entry in value:
                to_xml(parent, tag, entry, item)
            return
        wrapper = ET.SubElement(parent, tag)
        for entry in value:
            to_xml(wrapper, item.serialization.get("name", "member"), entry, item)
        return
    element = ET.SubElement(parent, tag)
    if kind == "structure":
        for name, member in shape.members.items():  # type: ignore[attr-defined]
            if name in value and value[name] is not None:
                to_xml(element, member.serialization.get("name", name), value[name], member)
    else:
        element.text = _text(value, shape, header=False)


def _document(root: Any) -> bytes:
    root.set("xmlns", XMLNS)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(
        root, encoding="utf-8", xml_declaration=False
    )


def write_response(op_name: str, answer: dict) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of a native answer."""
    service_model, _ = model()
    shape = service_model.operation_model(op_name).output_shape
    status = int((answer.get("ResponseMetadata") or {}).get("HTTPStatusCode", 200))
    headers: dict[str, str] = {}
    body = b""
    if shape is None:
        return status, headers, body
    bare = BARE_ROOTS.get(op_name)
    if bare is not None:
        element = ET.Element(bare)
        element.text = answer.get(bare)
        return status, {"Content-Type": "application/xml"}, _document(element)
    payload = shape.serialization.get("payload")
    body_members: dict[str, Any] = {}
    for name, member in shape.members.items():
        value = answer.get(name)
        if value is None:
            continue
        ser = member.serialization
        where = ser.get("location")
        if where == "header":
            headers[ser.get("name", name)] = _text(value, member, header=True)
        elif where == "headers":
            for suffix, item in value.items():
                headers[ser.get("name", name) + suffix] = str(item)
        elif where == "statusCode":
            status = int(value)
        elif name == payload:
            if member.type_name in ("blob", "string"):
                body = value if isinstance(value, bytes) else str(value).encode("utf-8")
            else:
                root = ET.Element("root")
                to_xml(root, member.serialization.get("name", name), value, member)
                body = _document(root[0])
                headers["Content-Type"] = "application/xml"
        elif where is None:
            body_members[name] = value
    if body_members and payload is None:
        root = ET.Element("root")
        to_xml(root, ROOT_NAMES.get(op_name, shape.name), body_members, shape)
        body = _document(root[0])
        headers["Content-Type"] = "application/xml"
    return status, headers, body


def write_error(code: str, message: str, extra: dict, request_id: str) -> bytes:
    """S3's error document."""
    root = ET.Element("Error")
    for tag, text in (("Code", code), ("Message", message), *extra.items(), ("RequestId", request_id)):
        ET.SubElement(root, tag).text = str(text)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")
