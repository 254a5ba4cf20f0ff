"""S3's error codes as :class:`~emulator.errors.AWSError` subclasses, with S3's texts and statuses.

Codes, texts and statuses are those of S3's error list
(https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html). The wire writes them as S3's
``<Error><Code/><Message/>...</Error>`` document; the ``extra`` fields (``BucketName``, ``Key``, ...)
become further elements, as S3 sends them. A HEAD request's error has no body, so botocore reports
its status as the code (``"404"``, message ``"Not Found"``); the HEAD operations raise
:data:`NOT_FOUND` so that the native door says the same.
"""

from __future__ import annotations

from typing import Any

from ..errors import AWSError
from ..service import error_table

NS = "com.amazonaws.s3"


class S3Error(AWSError):
    """An S3 error: its extra fields sit inside ``Error``, where botocore's REST-XML parser puts them."""

    message_key = "Message"

    @property  # type: ignore[override]
    def response(self) -> dict[str, Any]:
        error: dict[str, Any] = {"Code": self.code, "Message": self.message, **self.extra}
        return {"Error": error, "ResponseMetadata": {"HTTPStatusCode": self.status}}


ERRORS: dict[str, type[AWSError]] = error_table(
    NS,
    ("NoSuchBucket", {"status": 404, "base": S3Error, "message_key": "Message"}),
    ("NoSuchKey", {"status": 404, "base": S3Error, "message_key": "Message"}),
    ("NoSuchUpload", {"status": 404, "base": S3Error, "message_key": "Message"}),
    ("NoSuchCORSConfiguration", {"status": 404, "base": S3Error, "message_key": "Message"}),
    ("404", {"status": 404, "base": S3Error, "message_key": "Message"}),
    ("304", {"status": 304, "base": S3Error, "message_key": "Message"}),
    ("BucketAlreadyExists", {"status": 409, "base": S3Error, "message_key": "Message"}),
    ("BucketAlreadyOwnedByYou", {"status": 409, "base": S3Error, "message_key": "Message"}),
    ("BucketNotEmpty", {"status": 409, "base": S3Error, "message_key": "Message"}),
    ("InvalidBucketName", {"base": S3Error, "message_key": "Message"}),
    ("InvalidArgument", {"base": S3Error, "message_key": "Message"}),
    ("InvalidRequest", {"base": S3Error, "message_key": "Message"}),
    ("InvalidPart", {"base": S3Error, "message_key": "Message"}),
    ("InvalidPartOrder", {"base": S3Error, "message_key": "Message"}),
    ("EntityTooSmall", {"base": S3Error, "message_key": "Message"}),
    ("BadDigest", {"base": S3Error, "message_key": "Message"}),
    ("MalformedXML", {"base": S3Error, "message_key": "Message"}),
    ("IllegalLocationConstraintException", {"base": S3Error, "message_key": "Message"}),
    ("InvalidLocationConstraint", {"base": S3Error, "message_key": "Message"}),
    ("InvalidRange", {"status": 416, "base": S3Error, "message_key": "Message"}),
    ("PreconditionFailed", {"status": 412, "base": S3Error, "message_key": "Message"}),
    ("MethodNotAllowed", {"status": 405, "base": S3Error, "message_key": "Message"}),
    ("NotImplemented", {"status": 501, "sender_fault": False, "base": S3Error, "message_key": "Message"}),
    ("InternalError", {"status": 500, "sender_fault": False, "base": S3Error, "message_key": "Message"}),
)
ERRORS["InternalServerError"] = ERRORS["InternalError"]

NO_SUCH_BUCKET = "The specified bucket does not exist"
NO_SUCH_KEY = "The specified key does not exist."
NO_SUCH_UPLOAD = (
    "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
    "aborted or completed."
)
BUCKET_NOT_EMPTY = "The bucket you tried to delete is not empty"
ALREADY_OWNED = "Your previous request to create the named bucket succeeded and you already own it."
ALREADY_EXISTS = (
    "The requested bucket name is not available. The bucket namespace is shared by all users of the "
    "system. Please select a different name and try again."
)
INVALID_BUCKET_NAME = "The specified bucket is not valid."
INVALID_RANGE = "The requested range is not satisfiable"
INVALID_PART = (
    "One or more of the specified parts could not be found.  The part may not have been uploaded, or "
    "the specified entity tag may not match the part's entity tag."
)
INVALID_PART_ORDER = (
    "The list of parts was not in ascending order. The parts list must be specified in order by part number."
)
ENTITY_TOO_SMALL = "Your proposed upload is smaller than the minimum allowed size"
MALFORMED_XML = "The XML you provided was not well-formed or did not validate against our published schema"
NOT_IMPLEMENTED = "A header you provided implies functionality that is not implemented"
ILLEGAL_LOCATION = (
    "The unspecified location constraint is incompatible for the region specific endpoint this request "
    "was sent to."
)
INVALID_LOCATION = "The specified location-constraint is not valid"
COPY_TO_ITSELF = (
    "This copy request is illegal because it is trying to copy an object to itself without changing the "
    "object's metadata, storage class, website redirect location or encryption attributes."
)
BAD_CONTINUATION = "The continuation token provided is incorrect"
PRECONDITION_FAILED = "At least one of the pre-conditions you specified did not hold"


def error(code: str, message: str, **extra: object) -> AWSError:
    """One S3 error by code."""
    return ERRORS[code](message, **extra)


def no_such_bucket(name: str) -> AWSError:
    return error("NoSuchBucket", NO_SUCH_BUCKET, BucketName=name)


def no_such_key(key: str) -> AWSError:
    return error("NoSuchKey", NO_SUCH_KEY, Key=key)


def not_found() -> AWSError:
    """A HEAD request's 404 (no body on the wire, so botocore names it by its status)."""
    return error("404", "Not Found")
