"""Retrying calls to other people's servers (job callbacks, webhooks): when to retry, and how long to wait.

One place for the policy, so a job's callback and a webhook delivery back off the same way: exponential
delays, optionally jittered so that many senders failing together do not retry in lockstep, capped, and
overridden by the receiver's `Retry-After` when it names one.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def backoff_delay(
    attempt: int,
    base_s: float = 0.5,
    cap_s: float = 3600.0,
    jitter: float = 0.0,
    retry_after_s: float | None = None,
) -> float:
    """Seconds to wait after failed attempt number `attempt` (0 = the first attempt failed).

    `base_s * 2**attempt`, capped at `cap_s`; `jitter` (0..1) takes up to that fraction off at random
    ("equal jitter"), so a delay never drops below `(1 - jitter)` of its nominal value. A receiver's
    `Retry-After` wins when it asks for longer (never beyond the cap).
    """
    delay = min(cap_s, base_s * 2.0**attempt)
    if jitter:
        delay -= delay * jitter * random.random()
    if retry_after_s is not None:
        delay = max(delay, min(cap_s, retry_after_s))
    return delay


def retryable_status(status: int) -> bool:
    """Whether an HTTP answer is worth retrying: a server error or "too many requests".

    Any other 4xx says the request itself is wrong (or unwanted): sending it again cannot help.
    """
    return status >= 500 or status == 429


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A `Retry-After` header (seconds or an HTTP date) as seconds from now; `None` if absent or bad."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
