"""Every text the wire layer itself puts on the wire, in one place.

These are the protocol-level answers of AWS's JSON front end (Coral), which the services never
see: a JSON value of the wrong type (docs/rules/dynamodb.md W5), a bad base64 blob, a request that
is not JSON at all, an unknown ``X-Amz-Target`` (W6), an over-size request (W7).

Sources: the type-error table is the one dynalite's test helpers assert verbatim against live
DynamoDB (``assertType`` in dynalite's ``test/helpers.js``): note AWS's own spelling
("dectected") and its mixed punctuation. Texts marked ``[INF]`` have no public source; they are
our best guess and say so here.
"""

from __future__ import annotations

# --- namespaces and codes of protocol-level errors (W2) ---------------------------------------
CORAL_SERVICE = "com.amazon.coral.service"
SERIALIZATION = "SerializationException"
UNKNOWN_OPERATION = "UnknownOperationException"
INTERNAL_FAILURE = "InternalFailure"

# --- W5: a JSON value of the wrong type -------------------------------------------------------
# ``{kind}`` is the JSON value's kind as Jackson names it; ``{java}`` the target's Java type.
SCALAR_NOT_CONVERTIBLE = "{kind} cannot be converted to {java}"
STRING_TO_BOOLEAN = "Unexpected token received from parser"
MAP_NOT_EXPECTED = "Start of structure or map found where not expected"
COLLECTION_TYPE_CLASS = "Unrecognized collection type class {java}"
COLLECTION_TYPE_MAP = "Unrecognized collection type {java}"
UNEXPECTED_FIELD_TYPE = "Unexpected field type"
UNEXPECTED_VALUE_TYPE = "Unexpected value type in payload"

# --- W5: blobs --------------------------------------------------------------------------------
BLOB_NOT_STRING = "only base-64-encoded strings are convertible to bytes"
BASE64_LENGTH = "Base64 encoded length is expected a multiple of 4 bytes but found: {length}"
BASE64_LAST_CHARACTER = "Invalid last non-pad Base64 character dectected"  # sic, AWS's spelling
BASE64_ILLEGAL_CHARACTER = "Invalid Base64 character: '{char}'"  # [INF]

# --- timestamps (JSON 1.0 sends epoch seconds) ------------------------------------------------
TIMESTAMP_NOT_NUMBER = "{kind} cannot be converted to Date"  # [INF] by analogy with the table above

# --- front-end answers ------------------------------------------------------------------------
# W12: ``GET /`` names the host the client called (its Host header), trailing space kept (AWS
# capture of 2019-09-18: 42 bytes, x-amz-crc32 1920725165 for dynamodb.us-west-2.amazonaws.com).
HEALTH = "healthy: {host} "
HEALTH_HOST = "dynamodb.{region}.amazonaws.com"  # [INF] a request without a Host header (HTTP/1.0)
# W13: a non-POST or a foreign Content-Type (dynalite's assert404, the first of AWS's two bodies) ...
NOT_FOUND_BODY = "<UnknownOperationException/>\n"
# ... and a GET off the root path (AWS capture of 2019-09-18: ``GET /aaa``, 404, 272 bytes).
NOT_FOUND_PAGE = (
    '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" '
    '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">\n'
    '<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">\n'
    "<head>\n  <title>Page Not Found</title>\n</head>\n<body>Page Not Found</body>\n</html>"
)
# Jackson's InputCoercionException for a number outside an integer member's range ([INF] wording
# from jackson-core's ParserBase.reportOverflowInt / reportOverflowLong).
NUMBER_OUT_OF_RANGE = "Numeric value ({value}) out of range of {type} ({low} - {high})"
