"""S3's additional checksums: ``x-amz-checksum-<algorithm>`` on PutObject, kept with the object and
given back by GetObject/HeadObject when asked (``ChecksumMode=ENABLED``).

Rules (https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html,
read 2026-12-08):

* A checksum value sent with PutObject (``ChecksumCRC32``, ``ChecksumSHA256``, ...: the base64 of
  the digest, big-endian for CRCs) is checked against the body: a mismatch is ``BadDigest`` (400)
  "The <ALGORITHM> you specified did not match the calculated checksum." (S3's answer as SDKs
  quote it). ``ChecksumAlgorithm`` alone asks S3 to compute it.
* The object keeps its checksum; PutObject answers it with ``ChecksumType: FULL_OBJECT``; GetObject
  and HeadObject answer it only with ``ChecksumMode=ENABLED`` (a ranged GET does not).
* CRC32, SHA1, SHA256, SHA512 and MD5 are computed here (the standard library). CRC32C, CRC64NVME
  and the XXHASH ones need ``awscrt`` (botocore's own optional helper): without it a value sent is
  kept unchecked and an algorithm alone computes nothing [INF].

botocore's SDK computes and sends a CRC32 by default since 1.36 (in the header over HTTP, in an
``aws-chunked`` trailer over HTTPS, which the wire door folds back into the headers).
"""

from __future__ import annotations

import base64
import hashlib
import zlib
from collections.abc import Callable
from typing import Any

from . import errors as E

#: Request/response member → the algorithm name S3 uses in texts and ``ChecksumAlgorithm``.
MEMBERS = {
    "ChecksumCRC32": "CRC32",
    "ChecksumCRC32C": "CRC32C",
    "ChecksumCRC64NVME": "CRC64NVME",
    "ChecksumSHA1": "SHA1",
    "ChecksumSHA256": "SHA256",
    "ChecksumSHA512": "SHA512",
    "ChecksumMD5": "MD5",
    "ChecksumXXHASH64": "XXHASH64",
    "ChecksumXXHASH3": "XXHASH3",
    "ChecksumXXHASH128": "XXHASH128",
}
BY_ALGORITHM = {algorithm: member for member, algorithm in MEMBERS.items()}


def _crc32(body: bytes) -> bytes:
    return (zlib.crc32(body) & 0xFFFFFFFF).to_bytes(4, "big")


def _hashlib(name: str) -> Callable[[bytes], bytes]:
    return lambda body: hashlib.new(name, body).digest()


def _crt(name: str) -> Callable[[bytes], bytes] | None:
    try:
        import botocore.httpchecksum as checksums  # the algorithms only, never the transport

        cls = getattr(checksums, name)
        cls()  # raises without awscrt
    except Exception:  # noqa: BLE001 - no awscrt: the algorithm is not computed
        return None

    def digest(body: bytes) -> bytes:
        checksum = cls()
        checksum.update(body)
        return bytes(checksum.digest())

    return digest


DIGESTS: dict[str, Callable[[bytes], bytes] | None] = {
    "CRC32": _crc32,
    "SHA1": _hashlib("sha1"),
    "SHA256": _hashlib("sha256"),
    "SHA512": _hashlib("sha512"),
    "MD5": _hashlib("md5"),
}


def _digest_of(algorithm: str) -> Callable[[bytes], bytes] | None:
    if algorithm not in DIGESTS:
        crt = {"CRC32C": "CrtCrc32cChecksum", "CRC64NVME": "CrtCrc64NvmeChecksum"}.get(algorithm)
        DIGESTS[algorithm] = _crt(crt) if crt else None
    return DIGESTS[algorithm]


def compute(algorithm: str, body: bytes) -> str | None:
    """The base64 checksum of ``body`` (None when this algorithm cannot be computed here)."""
    digest = _digest_of(algorithm)
    return None if digest is None else base64.b64encode(digest(body)).decode("ascii")


def of_request(request: dict, body: bytes) -> dict[str, str]:
    """The checksums a PutObject keeps: the values sent, each checked against the body
    (``BadDigest`` on a mismatch), else the one ``ChecksumAlgorithm`` asks for. UploadPart checks
    its part with it and keeps nothing (multipart objects keep no checksum [INF])."""
    kept: dict[str, str] = {}
    for member, algorithm in MEMBERS.items():
        sent = request.get(member)
        if sent is None:
            continue
        expected = compute(algorithm, body)
        if expected is not None and expected != sent:
            raise E.error(
                "BadDigest", f"The {algorithm} you specified did not match the calculated checksum."
            )
        kept[member] = str(sent)
    asked = str(request.get("ChecksumAlgorithm") or "").upper()
    if not kept and asked in BY_ALGORITHM:
        value = compute(asked, body)
        if value is not None:
            kept[BY_ALGORITHM[asked]] = value
    return kept


def answer(checksums: dict[str, str]) -> dict[str, Any]:
    """The checksum members of an answer (none when the object has none)."""
    if not checksums:
        return {}
    return {**checksums, "ChecksumType": "FULL_OBJECT"}
