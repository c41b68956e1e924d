"""Fake Zalo Official Account servers on 127.0.0.1: OA API v3 messages, OAuth v4 and ZNS.

One aiohttp server answers all three paths, so ``[zalo_oa] api_base_url``,
``[zalo_oa] oauth_base_url`` and ``[zalo_zns] base_url`` all point at ``api.url``. It keeps
Zalo's token rules: the refresh token is single-use (only the newest is accepted), access
tokens can be expired on demand (-216, or -220 with ``expired_code``), and every call is
recorded. ``signed_event`` builds a webhook request signed as Zalo signs it.
"""

from __future__ import annotations

import asyncio
import hashlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientSession, web

from tests.fakes.loopback import LoopbackServer

JSON = dict[str, Any]
SIGNATURE_HEADER = "X-ZEvent-Signature"
OA_ERRORS = {
    -201: "Parameters are invalid",
    -211: "Out of quota",
    -213: "User has not followed the OA",
    -216: "Access token is invalid",
    -220: "Access token has expired or been removed",
    -230: "User has not interacted with the OA in the past 7 days",
    -232: "User has not interacted or the interaction has expired",
    -233: "Message type is not supported",
}
ZNS_ERRORS = {
    -108: "Phone number is invalid",
    -124: "Access token is invalid",
    -133: "ZNS cannot be sent at night (22:00-06:00)",
    -1121: "A parameter is longer than the template allows",
}


@dataclass
class OpenCall:
    """One recorded call: which API, its headers of interest, its body, and the answer."""

    api: str  # "cs" | "oauth" | "zns"
    headers: dict[str, str]
    body: JSON
    answer: JSON = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        if self.api == "oauth":
            return "access_token" in self.answer
        return self.answer.get("error") == 0


def signature(app_id: str, raw_body: str, timestamp: str, oa_secret_key: str) -> str:
    """``mac=<hex>``: plain SHA-256 of app_id + raw body + timestamp + OA secret key."""
    digest = hashlib.sha256((app_id + raw_body + timestamp + oa_secret_key).encode()).hexdigest()
    return f"mac={digest}"


def oa_event(
    app_id: str,
    user_id: str,
    event_name: str = "user_send_text",
    text: str = "",
    *,
    msg_id: str = "",
    timestamp_ms: int | None = None,
    oa_id: str = "579745863508352884",
) -> JSON:
    """A webhook event in Zalo's shape (all ids strings, ``timestamp`` a string of ms)."""
    event: JSON = {
        "app_id": app_id,
        "user_id_by_app": f"app-{user_id}",
        "event_name": event_name,
        "timestamp": str(timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)),
        "sender": {"id": user_id},
        "recipient": {"id": oa_id},
    }
    if event_name.startswith("user_send"):
        event["message"] = {"msg_id": msg_id or f"msg-{time.monotonic_ns()}", "text": text}
    return event


def signed_event(
    event: JSON, oa_secret_key: str, *, app_id: str | None = None
) -> tuple[str, dict[str, str]]:
    """The raw body and headers Zalo would POST for ``event``."""
    raw = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
    mac = signature(app_id or str(event["app_id"]), raw, str(event["timestamp"]), oa_secret_key)
    return raw, {SIGNATURE_HEADER: mac, "Content-Type": "application/json"}


async def post_raw(url: str, raw: str, headers: dict[str, str]) -> tuple[int, str]:
    """POST a prepared body verbatim (a signature covers the exact bytes)."""
    async with (
        ClientSession() as session,
        session.post(url, data=raw.encode(), headers=headers) as r,
    ):
        return r.status, await r.text()


class FakeZaloOpenAPI(LoopbackServer):
    """OA API + OAuth + ZNS. Use as ``async with FakeZaloOpenAPI() as api:``."""

    def __init__(
        self,
        app_id: str = "1234567890",
        app_secret: str = "app-secret",
        refresh_token: str = "rt-0",
    ) -> None:
        self.app_id, self.app_secret = app_id, app_secret
        self.newest_refresh_token = refresh_token
        self.valid_access: set[str] = set()
        self.expired_code = -216
        self.user_errors: dict[str, int] = {}
        self.quota_exceeded = False
        self.refresh_failure: JSON | None = None
        self.refresh_delay = 0.0
        self.zns_errors: list[int] = []
        self.calls: list[OpenCall] = []
        self._seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.url = ""

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v3.0/oa/message/cs", self._cs)
        app.router.add_post("/v4/oa/access_token", self._oauth)
        app.router.add_post("/message/template", self._zns)

    # ----- switches and inspection ----------------------------------------------------------
    def expire_access_tokens(self) -> None:
        """Every access token issued so far stops working (answers ``expired_code``)."""
        self.valid_access.clear()

    def fail_refresh(
        self,
        error: int = -14014,
        name: str = "invalid_grant",
        description: str = "Refresh token is invalid or expired",
    ) -> None:
        self.refresh_failure = {
            "error": error,
            "error_name": name,
            "error_description": description,
        }

    def calls_to(self, api: str) -> list[OpenCall]:
        return [c for c in self.calls if c.api == api]

    def sent_texts(self, user_id: str) -> list[str]:
        return [
            str(c.body["message"]["text"])
            for c in self.calls_to("cs")
            if c.answer.get("error") == 0 and c.body["recipient"]["user_id"] == user_id
        ]

    # ----- handlers --------------------------------------------------------------------------
    async def _body(self, request: web.Request) -> JSON:
        try:
            body = await request.json()
        except ValueError:
            return {}
        return body if isinstance(body, dict) else {}

    def _record(self, api: str, request: web.Request, body: JSON, answer: JSON) -> web.Response:
        wanted = ("access_token", "secret_key", "Content-Type")
        headers = {k: request.headers[k] for k in wanted if k in request.headers}
        self.calls.append(OpenCall(api, headers, body, answer))
        return web.json_response(answer)

    @staticmethod
    def _error(code: int, table: dict[int, str]) -> JSON:
        return {"error": code, "message": table.get(code, "Error")}

    async def _cs(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        user = str((body.get("recipient") or {}).get("user_id") or "")
        text = (body.get("message") or {}).get("text")
        if request.headers.get("access_token") not in self.valid_access:
            answer = self._error(self.expired_code, OA_ERRORS)
        elif not user or not isinstance(text, str) or not 1 <= len(text) <= 2000:
            answer = self._error(-201, OA_ERRORS)
        elif self.quota_exceeded:
            answer = self._error(-211, OA_ERRORS)
        elif user in self.user_errors:
            answer = self._error(self.user_errors[user], OA_ERRORS)
        else:
            msg_id = f"oa-{next(self._seq):06d}"
            answer = {
                "error": 0,
                "message": "Success",
                "data": {"message_id": msg_id, "user_id": user},
            }
        return self._record("cs", request, body, answer)

    async def _oauth(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        body: JSON = {k: str(v) for k, v in form.items()}
        if self.refresh_delay:
            await asyncio.sleep(self.refresh_delay)  # lets tests start a second refresh meanwhile
        if self.refresh_failure is not None:
            answer = dict(self.refresh_failure)
        elif (
            request.headers.get("secret_key") != self.app_secret
            or body.get("app_id") != self.app_id
        ):
            answer = {
                "error": -14002,
                "error_name": "invalid_client",
                "error_description": "Application id or secret key is wrong",
            }
        elif body.get("grant_type") != "refresh_token":
            answer = {
                "error": -14001,
                "error_name": "unsupported_grant_type",
                "error_description": "grant_type must be refresh_token",
            }
        elif body.get("refresh_token") != self.newest_refresh_token:
            answer = {
                "error": -14014,
                "error_name": "invalid_grant",
                "error_description": "Refresh token is invalid or already used",
            }
        else:
            n = next(self._seq)
            access, self.newest_refresh_token = f"at-{n}", f"rt-{n}"
            self.valid_access.add(access)
            answer = {
                "access_token": access,
                "refresh_token": self.newest_refresh_token,
                "expires_in": "90000",
            }
        return self._record("oauth", request, body, answer)

    async def _zns(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        phone, tracking = str(body.get("phone") or ""), str(body.get("tracking_id") or "")
        valid_shape = (
            phone.startswith("84")
            and phone.isdigit()
            and body.get("template_id")
            and isinstance(body.get("template_data"), dict)
            and 1 <= len(tracking) <= 48
        )
        if request.headers.get("access_token") not in self.valid_access:
            answer = self._error(-124, ZNS_ERRORS)
        elif self.zns_errors:
            answer = self._error(self.zns_errors.pop(0), ZNS_ERRORS)
        elif not valid_shape:
            answer = self._error(-108 if not phone.startswith("84") else -1121, ZNS_ERRORS)
        else:
            answer = {
                "error": 0,
                "message": "Success",
                "data": {
                    "msg_id": f"zns-{next(self._seq):06d}",
                    "sent_time": str(int(time.time() * 1000)),
                    "quota": {"dailyQuota": "500", "remainingQuota": "499"},
                },
            }
        return self._record("zns", request, body, answer)
