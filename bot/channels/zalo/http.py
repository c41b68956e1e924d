"""HTTP to Zalo: one aiohttp session per client (opened on first use, closed by ``close``),
timeouts on every call, and network failures turned into ``ZaloTemporaryError``.

``ZaloBotClient`` speaks the Bot API's envelope ``{ok, result, error_code, description}``;
``OpenApiHttp`` posts to the OA API, OAuth and ZNS, whose errors arrive as HTTP 200 with an
``error`` field and are interpreted by the callers (oa_api, oa_tokens, zns).
"""

from __future__ import annotations

import json
from typing import Any, NamedTuple

import aiohttp

from bot.channels.zalo.errors import ZaloApiError, ZaloTemporaryError

JSON = dict[str, Any]
DEFAULT_TIMEOUT = 15.0
POLL_GRACE = 10.0  # a long poll may legitimately take its whole timeout, plus this


class _Session:
    """A lazily created aiohttp ClientSession shared by every call of one client."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    def session(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    async def post(
        self, url: str, *, what: str, seconds: float | None = None, **kwargs: Any
    ) -> tuple[int, Any]:
        """POST and decode the JSON answer; (HTTP status, decoded body or None). An HTTP 429
        or 5xx without JSON is a ``ZaloTemporaryError`` carrying the ``Retry-After`` header."""
        answer = await self.post_answer(url, what=what, seconds=seconds, **kwargs)
        return answer.status, answer.body

    async def post_answer(
        self, url: str, *, what: str, seconds: float | None = None, **kwargs: Any
    ) -> Answer:
        options: JSON = dict(kwargs)
        if seconds is not None:
            options["timeout"] = aiohttp.ClientTimeout(total=seconds)
        try:
            async with self.session().post(url, **options) as response:
                text = await response.text()
                status = response.status
                retry_after = _seconds(response.headers.get("Retry-After"))
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise ZaloTemporaryError(f"{what}: Zalo unreachable ({type(exc).__name__})") from None
        try:
            return Answer(status, json.loads(text) if text else None, retry_after)
        except ValueError:
            if status >= 500 or status == 429:
                raise ZaloTemporaryError(
                    f"{what}: Zalo answered HTTP {status}", retry_after
                ) from None
            return Answer(status, None, retry_after)


class Answer(NamedTuple):
    status: int
    body: Any
    retry_after: float | None  # seconds, from a ``Retry-After`` header (HTTP's own way)


def _seconds(header: str | None) -> float | None:
    """``Retry-After: <seconds>`` (the HTTP-date form is not worth parsing for a retry)."""
    try:
        return max(0.0, float(header)) if header else None
    except ValueError:
        return None


class ZaloBotClient:
    """The Zalo Bot API at ``<base_url><token>/<method>`` (``base_url`` ends in ``/bot``)."""

    def __init__(self, base_url: str, token: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._url = f"{base_url.rstrip('/')}{token}/"
        self._http = _Session(timeout)

    async def close(self) -> None:
        await self._http.close()

    async def call(
        self, method: str, params: JSON | None = None, *, seconds: float | None = None
    ) -> Any:
        """The envelope's ``result``; ``ZaloApiError`` when ``ok`` is not true."""
        status, body, retry_after = await self._http.post_answer(
            self._url + method, json=params or {}, what=method, seconds=seconds
        )
        if isinstance(body, dict) and body.get("ok") is True:
            return body.get("result")
        if status == 429 or status >= 500:
            raise ZaloTemporaryError(f"{method}: Zalo answered HTTP {status}", retry_after)
        if not isinstance(body, dict):
            raise ZaloApiError(status, f"HTTP {status} without a Bot API envelope")
        code = body.get("error_code")
        description = str(body.get("description") or "no description")
        raise ZaloApiError(code if isinstance(code, int) else status, description)

    async def get_me(self) -> JSON:
        return dict(await self.call("getMe"))

    async def get_updates(self, poll_seconds: int = 30) -> list[JSON]:
        """The updates of one long poll: Zalo documents one object; a list is taken as well.
        Empty when the poll ended without one (HTTP 408 is not an error)."""
        try:
            result = await self.call(
                "getUpdates", {"timeout": str(poll_seconds)}, seconds=poll_seconds + POLL_GRACE
            )
        except ZaloApiError as exc:
            if exc.error_code == 408:
                return []
            raise
        if isinstance(result, list):
            return [item for item in result if isinstance(item, dict) and item]
        return [result] if isinstance(result, dict) and result else []

    async def set_webhook(self, url: str, secret_token: str) -> Any:
        return await self.call("setWebhook", {"url": url, "secret_token": secret_token})

    async def delete_webhook(self) -> Any:
        return await self.call("deleteWebhook")

    async def get_webhook_info(self) -> JSON | None:
        """The webhook, or None when none is set (Zalo answers 404 then)."""
        try:
            result = await self.call("getWebhookInfo")
        except ZaloApiError as exc:
            if exc.error_code == 404:
                return None
            raise
        return result if isinstance(result, dict) and result.get("url") else None

    async def send_message(self, chat_id: str, text: str) -> JSON:
        return dict(await self.call("sendMessage", {"chat_id": chat_id, "text": text}) or {})

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> JSON:
        params: JSON = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            params["caption"] = caption
        return dict(await self.call("sendPhoto", params) or {})

    async def send_sticker(self, chat_id: str, sticker: str) -> JSON:
        return dict(await self.call("sendSticker", {"chat_id": chat_id, "sticker": sticker}) or {})

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action})


class OpenApiHttp:
    """JSON and form POSTs to the OA API, OAuth and ZNS; answers are returned as dicts."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT) -> None:
        self._http = _Session(timeout)

    async def close(self) -> None:
        await self._http.close()

    async def post_json(self, url: str, body: JSON, headers: dict[str, str], *, what: str) -> JSON:
        status, answer = await self._http.post(url, json=body, headers=headers, what=what)
        return self._answer(status, answer, what)

    async def post_form(
        self,
        url: str,
        form: dict[str, str],
        headers: dict[str, str],
        *,
        what: str,
        seconds: float | None = None,
    ) -> JSON:
        status, answer = await self._http.post(
            url, data=form, headers=headers, what=what, seconds=seconds
        )
        return self._answer(status, answer, what)

    @staticmethod
    def _answer(status: int, answer: Any, what: str) -> JSON:
        if status == 429 or status >= 500:
            raise ZaloTemporaryError(f"{what}: Zalo answered HTTP {status}")
        if not isinstance(answer, dict):
            raise ZaloTemporaryError(f"{what}: Zalo answered HTTP {status} without JSON")
        return answer
