"""Prices the usage reports estimate costs with: data in one place, with their source and date.

Only us-east-1 list prices (USD), without free tiers, reserved capacity or Savings Plans; the
reports say "estimated" for that reason. Sources (read 2026-12-08):

* DynamoDB on-demand (after AWS's November 2024 reduction): https://aws.amazon.com/dynamodb/pricing/on-demand/
* DynamoDB provisioned: https://aws.amazon.com/dynamodb/pricing/provisioned/
* Step Functions (standard: per state transition; express: per request and per GB-second, duration
  rounded up to 100 ms, memory billed in 64 MB chunks): https://aws.amazon.com/step-functions/pricing/

Change a number here and every report follows; nothing else in the emulator holds a price.
"""

from __future__ import annotations

PRICES_DATE = "2026-12-08"
REGION = "us-east-1"

#: Hours AWS's pricing pages use for a month.
HOURS_PER_MONTH = 730.0
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600.0

DYNAMODB_SOURCE = "https://aws.amazon.com/dynamodb/pricing/"
DYNAMODB: dict[str, float] = {
    "write_request_unit": 0.625 / 1_000_000,  # on-demand, per WRU
    "read_request_unit": 0.125 / 1_000_000,  # on-demand, per RRU
    "wcu_hour": 0.00065,  # provisioned, per WCU-hour
    "rcu_hour": 0.00013,  # provisioned, per RCU-hour
    "storage_gb_month": 0.25,  # Standard table class
}

STEPFUNCTIONS_SOURCE = "https://aws.amazon.com/step-functions/pricing/"
STEPFUNCTIONS: dict[str, float] = {
    "state_transition": 0.025 / 1000,  # standard workflows
    "express_request": 1.00 / 1_000_000,
    "express_gb_second": 0.00001667,  # first tier
    "express_duration_step_ms": 100,
    "express_memory_step_mb": 64,
}
