"""Signed ``aws-chunked`` uploads under ``--auth`` (rule AU9): every chunk carries a signature.

SDKs that upload to S3 over plain HTTP with a signed payload (the AWS SDK for Java, among others;
botocore sends unsigned trailers instead) declare ``x-amz-content-sha256:
STREAMING-AWS4-HMAC-SHA256-PAYLOAD`` (or ``...-PAYLOAD-TRAILER``) and frame the body as
``<hex size>;chunk-signature=<sig>\\r\\n<data>\\r\\n`` chunks, ending with an empty one. The header's
signature is the *seed*; each chunk's signature signs, with the same signing key::

    AWS4-HMAC-SHA256-PAYLOAD \\n <request date> \\n <credential scope> \\n <previous signature> \\n
    <SHA-256 of the empty string> \\n <SHA-256 of the chunk's data>

so a chunk changed, dropped or reordered after signing breaks the chain. With trailers, the
trailing headers (``x-amz-checksum-crc32: ...``) are signed last, by
``x-amz-trailer-signature``, over ``AWS4-HMAC-SHA256-TRAILER`` and the SHA-256 of the trailer lines
(each ``name:value\\n``). A broken chain is S3's ``SignatureDoesNotMatch`` (403).
The keys are derived by botocore's own signer (``signature()``), as for the seed.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterator

__all__ = ["SIGNED_STREAMING", "check", "chunk_size", "frames"]

SIGNED_STREAMING = ("STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER")
_EMPTY = hashlib.sha256(b"").hexdigest()

Sign = Callable[[str], str]  # string to sign → hex signature, with the request's signing key
_HEX = re.compile(rb"[0-9A-Fa-f]+")


def chunk_size(text: bytes) -> int:
    """A chunk header's size: hex digits only (``int(..., 16)`` alone takes ``-6``, ``0x5``, `` 5``,
    and a negative size sends a reader back over the same header forever); else ValueError."""
    if not _HEX.fullmatch(text):
        raise ValueError(f"a chunk size that is not hexadecimal: {text.decode('latin-1')!r}")
    return int(text, 16)


def frames(body: bytes) -> Iterator[tuple[str, bytes, list[str]]]:
    """The chunks of an ``aws-chunked`` body in order, each (its header's extension, such as
    ``chunk-signature=...``; its data; the trailer lines after it, ``x-amz-checksum-crc32:...``,
    for the empty last chunk only), read as they are needed: a chunk before a defect is read
    before the ValueError for a body cut short or a size that is not hexadecimal. The one reader
    of the framing: decoding (s3_door) and checking signatures use it."""
    at = 0
    while True:
        end = body.find(b"\r\n", at)
        if end < 0:
            raise ValueError("an aws-chunked body that ends inside a chunk header")
        size_text, _, extension = body[at:end].partition(b";")
        size = chunk_size(size_text)
        data = body[end + 2 : end + 2 + size]
        if size == 0:
            rest = body[end + 2 :].decode("latin-1").split("\r\n")
            yield extension.decode("latin-1"), data, [line for line in rest if line.strip()]
            return
        yield extension.decode("latin-1"), data, []
        at = end + 2 + size + 2


def check(sign: Sign, stamp: str, scope: str, seed: str, body: bytes) -> tuple[str, str] | None:
    """None if every chunk (and the trailer, if any) is signed in order from ``seed``; else
    (the string to sign that failed, the signature provided)."""
    previous = seed
    trailer: list[str] = []
    try:
        for extension, data, lines in frames(body):
            trailer = lines  # the last chunk's: what follows the chunks
            provided = extension.partition("chunk-signature=")[2].strip()
            string_to_sign = "\n".join(
                ("AWS4-HMAC-SHA256-PAYLOAD", stamp, scope, previous, _EMPTY, hashlib.sha256(data).hexdigest())
            )
            if not hmac.compare_digest(sign(string_to_sign).encode(), provided.encode("utf-8", "replace")):
                return string_to_sign, provided
            previous = provided
    except ValueError as exc:
        return "", f"({exc})"
    return _trailer(sign, stamp, scope, previous, trailer)


def _trailer(sign: Sign, stamp: str, scope: str, previous: str, lines: list[str]) -> tuple[str, str] | None:
    """The trailer after the last chunk: nothing to check, or its lines and their signature."""
    if not lines:
        return None
    signed, provided = [], ""
    for line in lines:
        name, _, value = line.partition(":")
        if name.strip().lower() == "x-amz-trailer-signature":
            provided = value.strip()
        else:
            signed.append(f"{name.strip()}:{value.strip()}\n")
    digest = hashlib.sha256("".join(signed).encode("latin-1")).hexdigest()
    string_to_sign = "\n".join(("AWS4-HMAC-SHA256-TRAILER", stamp, scope, previous, digest))
    if hmac.compare_digest(sign(string_to_sign).encode(), provided.encode("utf-8", "replace")):
        return None
    return string_to_sign, provided
