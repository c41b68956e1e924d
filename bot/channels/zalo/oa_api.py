"""Customer-service messages of the Official Account (``POST /v3.0/oa/message/cs``).

Zalo answers errors with HTTP 200 and an ``error`` code. They fall in three groups:
- the access token (-216 invalid, -220 expired or removed): refresh once, retry once;
- the recipient (not following, no interaction within the window, blocked, unsupported
  message type): ``Undeliverable`` with the reason, never retried;
- quota and the rest: ``ZaloTemporaryError`` with a back-off hint.
Every failure is one log line with the code, never the user's id or the text.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.channels.zalo.errors import Undeliverable, ZaloTemporaryError
from bot.channels.zalo.http import OpenApiHttp
from bot.channels.zalo.oa_tokens import TokenKeeper
from bot.settings import ZaloOaSettings

log = logging.getLogger(__name__)
MAX_TEXT = 2000
CS_PATH = "/v3.0/oa/message/cs"
TOKEN_ERRORS = frozenset({-216, -220})
UNDELIVERABLE = {
    -213: "the user does not follow the Official Account",
    -217: "the user has blocked messages from the Official Account",
    -227: "the user's Zalo account is inactive or banned",
    -230: "the user has not interacted with the Official Account in the past 7 days",
    -232: "the user has not interacted with the Official Account, or the interaction expired",
    -233: "this message type is not supported for the user",
}
QUOTA_ERRORS = {-32: 60.0, -211: 3600.0}  # code -> seconds to wait before trying again


class OaClient:
    """Sends customer-service texts with the keeper's access token."""

    def __init__(
        self, settings: ZaloOaSettings, keeper: TokenKeeper, http: OpenApiHttp | None = None
    ) -> None:
        self.settings, self.keeper = settings, keeper
        self.http = http or keeper.http

    async def send_text(self, user_id: str, text: str) -> str:
        """Send ``text`` (1-2000 characters; split longer texts before) to the user; the
        message id Zalo gives it. Raises Undeliverable, ZaloTemporaryError or
        TokenRefreshFailed."""
        if not 1 <= len(text) <= MAX_TEXT:
            raise ValueError(f"an OA text must be 1-{MAX_TEXT} characters, not {len(text)}")
        body = {"recipient": {"user_id": user_id}, "message": {"text": text}}
        return await self._send(body)

    async def _send(self, body: dict[str, Any]) -> str:
        url = self.settings.api_base_url.rstrip("/") + CS_PATH
        token = await self.keeper.access_token()
        answer = await self._post(url, body, token)
        if answer.get("error") in TOKEN_ERRORS:
            token = await self.keeper.after_rejection(token)
            answer = await self._post(url, body, token)
        return self._result(answer)

    async def _post(self, url: str, body: dict[str, Any], token: str) -> dict[str, Any]:
        try:
            return await self.http.post_json(url, body, {"access_token": token}, what="OA send")
        except ZaloTemporaryError as exc:
            log.warning("Zalo OA send failed: %s", exc.reason)
            raise

    @staticmethod
    def _result(answer: dict[str, Any]) -> str:
        code = answer.get("error")
        if code == 0:
            return str((answer.get("data") or {}).get("message_id") or "")
        message = str(answer.get("message") or "no message")
        if code in UNDELIVERABLE:
            log.warning("Zalo OA send undeliverable: %s %s", code, UNDELIVERABLE[code])
            raise Undeliverable(int(code), UNDELIVERABLE[code])
        if code in QUOTA_ERRORS:
            log.warning("Zalo OA send over quota: %s %s", code, message)
            raise ZaloTemporaryError(f"Zalo OA quota ({code} {message})", QUOTA_ERRORS[code])
        if code in TOKEN_ERRORS:
            log.error("Zalo OA rejected a freshly refreshed access token: %s", code)
            raise ZaloTemporaryError(f"Zalo OA rejected the access token twice ({code})", 300.0)
        log.warning("Zalo OA send failed: %s %s", code, message)
        raise ZaloTemporaryError(f"Zalo OA error ({code} {message})", 60.0)
