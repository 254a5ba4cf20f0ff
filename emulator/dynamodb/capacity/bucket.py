"""A token bucket on the world's clock: the unit of every throughput limit in the capacity model.

A bucket fills at ``rate`` units per second up to ``rate * burst_seconds`` units and is drained by
what requests consume. AWS describes provisioned capacity this way: unused capacity is kept for up
to 300 seconds ("burst capacity") and spent when consumption exceeds the provisioned rate; a
partition's hard ceiling (3,000 RCU / 1,000 WCU per second) is a bucket of one second.

Design decisions:

* **Admit while positive, then debit.** A request is admitted when the bucket holds more than zero
  units, and its whole cost is taken even if that leaves the bucket in debt. AWS does not document
  the rule for a request bigger than what is left; this choice lets a 400 KB item through a
  1-WCU table (it then pays the debt back at 1 unit per second), where "admit only if the whole cost
  fits" would throttle it for ever.
* **Time only from the clock.** ``now`` is passed in by the caller (the world's clock), so on the
  virtual clock everything is deterministic and a refill takes no real time.
* **A new bucket starts full**, as a table that has been idle for 300 seconds would be.

Runtime complexity: O(1) per call.
"""

from __future__ import annotations

#: AWS: "DynamoDB currently retains up to 5 minutes (300 seconds) of unused read and write capacity."
BURST_SECONDS = 300.0


class TokenBucket:
    """``rate`` units per second, holding at most ``rate * burst_seconds``."""

    __slots__ = ("rate", "burst_seconds", "tokens", "stamp")

    def __init__(self, rate: float, now: float, burst_seconds: float = BURST_SECONDS) -> None:
        self.rate = float(rate)
        self.burst_seconds = burst_seconds
        self.tokens = self.rate * burst_seconds
        self.stamp = now

    @property
    def capacity(self) -> float:
        return self.rate * self.burst_seconds

    def refill(self, now: float) -> None:
        """Add what the rate earned since the last call (never beyond the capacity)."""
        elapsed = now - self.stamp
        if elapsed > 0:
            self.tokens = min(self.capacity, self.tokens + elapsed * self.rate)
        self.stamp = now

    def set_rate(self, rate: float, now: float) -> None:
        """A new rate from ``now`` on (UpdateTable): what was earned so far is kept, trimmed to the
        new capacity."""
        self.refill(now)
        self.rate = float(rate)
        self.tokens = min(self.tokens, self.capacity)

    def available(self, now: float) -> bool:
        """Whether a request may start now (the bucket is not empty)."""
        self.refill(now)
        return self.tokens > 0

    def take(self, units: float) -> None:
        """Debit ``units`` (after :meth:`available` said yes; may leave the bucket in debt)."""
        self.tokens -= units
