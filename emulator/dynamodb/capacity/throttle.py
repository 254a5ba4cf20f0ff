"""The errors a throttled request answers, with AWS's texts and ``ThrottlingReasons``.

* Provisioned tables: ``ProvisionedThroughputExceededException``, "The level of configured
  provisioned throughput for the table was exceeded. ..." (or its global-secondary-index variant
  when an index is what ran out), as AWS answers item operations.
* On-demand tables: ``ThrottlingException``, "Throughput exceeds the current capacity of your table
  or index. ..." (docs/rules/dynamodb.md TH3).

Both carry the reasons member botocore's model has (``ThrottlingReasons`` on the provisioned error,
``throttlingReasons`` on the on-demand one): ``<Table|Index><Read|Write><cause>`` and the ARN of the
table or index, where the cause is ``ProvisionedThroughputExceeded`` (the table's or index's own
limit), ``KeyRangeThroughputExceeded`` (a partition's 3,000 RCU / 1,000 WCU) or
``AccountLimitExceeded`` (an on-demand table past the per-table quota).
"""

from __future__ import annotations

from typing import Any

from ...errors import AWSError
from .. import messages as M
from ..errors import ERRORS, ProvisionedThroughputExceededException

ThrottlingException = ERRORS["ThrottlingException"]

TABLE_LIMIT = "ProvisionedThroughputExceeded"
KEY_RANGE = "KeyRangeThroughputExceeded"
ACCOUNT_LIMIT = "AccountLimitExceeded"


def reason(resource: Any, direction: int, cause: str) -> dict[str, str]:
    """One ``ThrottlingReason``: what ran out, and the ARN of the table or index it belongs to."""
    kind = "Index" if resource.index is not None else "Table"
    verb = "Read" if direction == 0 else "Write"
    if cause == TABLE_LIMIT and not resource.provisioned:
        cause = ACCOUNT_LIMIT
    return {"reason": f"{kind}{verb}{cause}", "resource": resource.arn}


def throttled(resource: Any, direction: int, cause: str) -> AWSError:
    """The error for a request that ``resource`` could not admit."""
    reasons = [reason(resource, direction, cause)]
    if not resource.provisioned:
        return ThrottlingException(M.THROTTLED_ON_DEMAND, throttlingReasons=reasons)
    text = (
        M.INDEX_PROVISIONED_THROUGHPUT_EXCEEDED
        if resource.index is not None
        else M.PROVISIONED_THROUGHPUT_EXCEEDED
    )
    return ProvisionedThroughputExceededException(text, ThrottlingReasons=reasons)
