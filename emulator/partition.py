"""Where a resource lives: one (account, region) of the emulated world.

AWS keeps every table, stream, state machine, execution and activity in one account and one
region: a client of ``us-west-2`` does not see the tables of ``us-east-1``, the same table name may
exist in both, and every ARN names its account and region. An :class:`~emulator.Emulator` holds any
number of such partitions; each service object (``dynamodb.service.DynamoDB``,
``stepfunctions.service.StepFunctions``, ...) serves exactly one of them, so the service code never
looks a partition up: names stay plain dictionary keys inside a service, and the partition only
shows in ARNs, endpoints and seeds.

How a request finds its partition:

* native: ``aws.client("dynamodb", region_name=..., account_id=...)``; ``aws.dynamodb`` is the
  default partition's client;
* boto3 hook and HTTP: the SigV4 credential scope of the ``Authorization`` header names the
  region; an access key id of 12 digits names the account (as LocalStack does), any other key the
  Emulator's default account (see :mod:`emulator.wire.partition_of`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Partition", "check_region", "check_account_id"]

# botocore's own rule for a region name (botocore.utils.validate_region_name): a DNS label.
_REGION = re.compile(r"^[a-zA-Z0-9](?:[a-zA-Z0-9\-]{0,61}[a-zA-Z0-9])?$")
_ACCOUNT = re.compile(r"^\d{12}$")


def check_region(region: str) -> str:
    """``region`` if it is a valid region name (botocore's rule), else ``ValueError``."""
    if not isinstance(region, str) or not _REGION.match(region):
        raise ValueError(f"invalid region name {region!r}: a region is a DNS label such as 'us-east-1'")
    return region


def check_account_id(account_id: str) -> str:
    """``account_id`` if it is 12 decimal digits, else ``ValueError``."""
    if not isinstance(account_id, str) or not _ACCOUNT.match(account_id):
        raise ValueError(f"invalid account id {account_id!r}: an AWS account id is 12 digits")
    return account_id


@dataclass(frozen=True, slots=True)
class Partition:
    """One (account, region) of the world. Hashable: the key of a world's service objects."""

    account_id: str
    region: str

    def arn(self, service: str, resource: str) -> str:
        """``arn:aws:<service>:<region>:<account>:<resource>``, e.g. ``arn("dynamodb", "table/T")``."""
        return f"arn:aws:{service}:{self.region}:{self.account_id}:{resource}"

    def seed_purpose(self, purpose: str, default: Partition) -> str:
        """The RNG purpose of ``purpose`` in this partition: unchanged in the default partition (so
        a seeded single-region run draws exactly what it drew before partitions existed), and
        qualified by account and region elsewhere, so two partitions never draw the same ids."""
        if self == default:
            return purpose
        return f"{purpose}@{self.account_id}:{self.region}"
