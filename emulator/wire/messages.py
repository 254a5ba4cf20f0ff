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
HEALTH = "healthy: {service}.{region}.amazonaws.com "  # dynalite's GET / answer, trailing space kept
NOT_FOUND_BODY = "<UnknownOperationException/>\n"  # non-POST or foreign Content-Type (dynalite)
# Jackson's InputCoercionException for a number outside an integer member's range ([INF] wording
# from jackson-core's ParserBase.reportOverflowInt / reportOverflowLong).
NUMBER_OUT_OF_RANGE = "Numeric value ({value}) out of range of {type} ({low} - {high})"
