"""Errors of the Zalo clients, in two kinds the conversation layer understands: temporary
(try again later, maybe after ``retry_after`` seconds) and permanent (``Undeliverable``: this
user cannot be reached this way; record it and stop). The adapters map them onto the
channel protocol's ``SendFailed`` and ``Undeliverable``.
"""

from __future__ import annotations

from bot.channels import protocol


class ZaloError(Exception):
    """Anything a Zalo call can fail with; ``str()`` is one line without secrets or ids."""

    temporary = False


class ZaloTemporaryError(ZaloError):
    """The network, a timeout, a server error or a quota: worth trying again later."""

    temporary = True

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason, self.retry_after = reason, retry_after


class ZaloApiError(ZaloError):
    """The Bot API answered ``ok: false`` (HTTP 200 is not success)."""

    def __init__(self, error_code: int, description: str) -> None:
        super().__init__(f"Zalo Bot API error {error_code}: {description}")
        self.error_code, self.description = error_code, description
        self.temporary = error_code == 429 or error_code >= 500


class Undeliverable(ZaloError):
    """Zalo refuses this recipient for good (not following, no interaction within the window,
    an unsupported message type, an invalid phone): record ``reason`` and do not retry."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"undeliverable ({code}): {reason}")
        self.code, self.reason = code, reason


class TokenRefreshFailed(ZaloError):
    """The OA access token could not be refreshed. ``temporary`` when Zalo was unreachable;
    otherwise the refresh token was refused and an admin must grant access again
    (``sipas-bot zalo-oa set-token``)."""

    def __init__(self, reason: str, *, temporary: bool) -> None:
        super().__init__(reason)
        self.reason, self.temporary = reason, temporary


NOT_OURS = 401  # the Bot API refused our token: our configuration, not the person's chat
UNTIL_AN_ADMIN_ACTS = 600.0  # seconds: a refused OA refresh token waits for set-token


def as_send_failure(exc: ZaloError) -> protocol.SendFailed:
    """A Zalo failure in the channel protocol's terms, for both adapters: a refusal of this
    recipient → ``Undeliverable`` (recorded, never retried); anything else (network, 5xx,
    quota, a refused token or failed refresh that an admin will fix) → ``SendFailed``."""
    if isinstance(exc, Undeliverable):
        return protocol.Undeliverable(exc.reason, str(exc.code))
    if isinstance(exc, ZaloTemporaryError):
        return protocol.SendFailed(exc.reason, exc.retry_after)
    if isinstance(exc, TokenRefreshFailed) and not exc.temporary:
        # retrying at once cannot help: the outbox queues it for the scheduler's back-off
        return protocol.SendFailed(exc.reason, UNTIL_AN_ADMIN_ACTS)
    if isinstance(exc, ZaloApiError) and not exc.temporary and exc.error_code != NOT_OURS:
        return protocol.Undeliverable(exc.description, str(exc.error_code))
    return protocol.SendFailed(str(exc))
