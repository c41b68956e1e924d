"""Zalo OA webhook signatures: ``X-ZEvent-Signature: mac=<hex>`` where
``hex = sha256(app_id + raw body + timestamp + oa_secret_key)`` — a plain SHA-256 of the
concatenation, not an HMAC — and ``timestamp`` is the body's own string field (ms), hashed
verbatim. Checked in constant time before anything in the body is trusted.

A correctly signed event older than ``max_event_age`` is *stale*: the route answers 200 and
drops it, because Zalo retries non-200 answers for hours and may switch the webhook off.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any

HEADER = "X-ZEvent-Signature"


class Verdict(Enum):
    FORGED = "forged"  # missing, malformed or wrong signature: answer 403, change nothing
    STALE = "stale"  # signed but too old: answer 200, drop it
    FRESH = "fresh"  # handle it


@dataclass(frozen=True)
class CheckedEvent:
    verdict: Verdict
    event: dict[str, Any] | None = None  # the decoded body when the signature is good


def parse_mac(header: str | None) -> str | None:
    """The lowercase hex digest of ``mac=<hex>``, or None when the header is absent or odd."""
    if not header:
        return None
    name, _, value = header.strip().partition("=")
    value = value.strip().lower()
    if name.strip().lower() != "mac" or len(value) != 64:
        return None
    if any(c not in "0123456789abcdef" for c in value):
        return None
    return value


def expected_mac(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    digest = hashlib.sha256()
    for part in (app_id.encode(), raw_body, timestamp.encode(), oa_secret_key.encode()):
        digest.update(part)
    return digest.hexdigest()


def event_time(event: dict[str, Any]) -> datetime | None:
    """The event's ``timestamp`` (a string of ms since the epoch) as an aware UTC datetime."""
    try:
        return datetime.fromtimestamp(int(str(event["timestamp"])) / 1000, UTC)
    except (KeyError, ValueError, OverflowError, OSError):
        return None


def check_event(
    raw_body: bytes,
    header: str | None,
    *,
    app_id: str,
    oa_secret_key: str,
    max_age: timedelta,
    now: datetime,
) -> CheckedEvent:
    """Verify the signature of a raw webhook body, then its age."""
    mac = parse_mac(header)
    if mac is None or not app_id or not oa_secret_key:
        return CheckedEvent(Verdict.FORGED)
    try:
        event = json.loads(raw_body)
    except ValueError:
        return CheckedEvent(Verdict.FORGED)
    if not isinstance(event, dict) or not isinstance(event.get("timestamp"), str | int):
        return CheckedEvent(Verdict.FORGED)
    wanted = expected_mac(app_id, raw_body, str(event["timestamp"]), oa_secret_key)
    if not hmac.compare_digest(mac, wanted):
        return CheckedEvent(Verdict.FORGED)
    sent_at = event_time(event)
    if sent_at is None or now - sent_at > max_age:
        return CheckedEvent(Verdict.STALE, event)
    return CheckedEvent(Verdict.FRESH, event)
