"""DynamoDB Streams (``dynamodbstreams``): the service's place, with no operation implemented yet.

The change log every table write goes through (``engine/changelog.py``) is where stream records
will come from. Until ListStreams, DescribeStream, GetShardIterator and GetRecords are built, every
call — through the native client, the boto3 hook or the HTTP server — answers
``UnknownOperationException``, the error AWS gives for an operation it does not know, rather than a
Python error. ``UpdateTable``'s ``StreamSpecification`` is accepted and described by DynamoDB.
"""

from __future__ import annotations

from ..api_operations import DYNAMODB_STREAMS
from ..service import OperationRegistry, Service
from .errors import ERRORS, UnknownOperationException

STREAMS_ERROR_CODES = ("ExpiredIteratorException", "InternalServerError", "LimitExceededException",
                       "ResourceNotFoundException", "TrimmedDataAccessException",
                       "UnknownOperationException", "ValidationException", "SerializationException")


class DynamoDBStreams(Service):
    """Amazon DynamoDB Streams, in process (no operations yet: see the module docstring)."""

    name = "dynamodbstreams"
    api_operations = DYNAMODB_STREAMS
    registry = OperationRegistry()
    errors = {code: ERRORS[code] for code in STREAMS_ERROR_CODES}
    unknown_operation = UnknownOperationException
