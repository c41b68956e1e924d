"""The HTTP API for the one-stop software: ``POST /api/v1/dossiers`` and its OpenAPI document.

The routes live in a sub-application under /api/ whose middleware turns every failure into
the same JSON error, ``{"error": {"code": ..., "message": ...}}``, with a 4xx/5xx status.
"""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any, Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, StrictStr, ValidationError, field_validator
from sqlalchemy.exc import DBAPIError, OperationalError

from bot.dossiers import fields as dossier_fields
from bot.staff import api_keys
from bot.web.keys import SERVICES
from bot.web.openapi import document
from reports.periods import PeriodError, parse_period
from reports.report import build_report
from storage.db import DatabaseUnavailable
from storage.repos.errors import NotFound

log = logging.getLogger(__name__)

MAX_BODY = 64 * 1024
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "body_too_large"}
NOT_FOUND = "no such API route; the API is described at /api/openapi.json"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field


def json_response(
    data: Any, status: int = 200, headers: dict[str, str] | None = None
) -> web.Response:
    """JSON with Vietnamese left readable (no \\u escapes) for people reading it with curl."""
    return web.json_response(data, status=status, headers=headers, dumps=_dumps)


def _dumps(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False)


def error_response(error: ApiError, headers: dict[str, str] | None = None) -> web.Response:
    body: dict[str, Any] = {"code": error.code, "message": error.message}
    if error.field is not None:
        body["field"] = error.field
    return json_response({"error": body}, status=error.status, headers=headers)


@web.middleware
async def json_errors(request: web.Request, handler: web.Handler) -> web.StreamResponse:
    try:
        return await handler(request)
    except ApiError as error:
        log.info("API %s %s answered %d %s", request.method, request.path, error.status, error.code)
        return error_response(error)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        code = HTTP_CODES.get(exc.status, "http_error")
        message = NOT_FOUND if exc.status == 404 else exc.reason
        allow = {"Allow": exc.headers["Allow"]} if "Allow" in exc.headers else None
        return error_response(ApiError(exc.status, code, message), allow)
    except (DatabaseUnavailable, OperationalError, DBAPIError, OSError) as exc:
        log.warning("API request failed, database unavailable: %s", exc)
        message = "the database is unavailable; nothing was created, please retry shortly"
        return error_response(ApiError(503, "unavailable", message), {"Retry-After": "30"})


def _checked(field: str, check: Any) -> Any:
    """A pydantic validator running one of bot.dossiers.fields' checks on ``field``."""
    return field_validator(field)(classmethod(lambda cls, value: check(value)))


class DossierRequest(BaseModel):
    """The body of ``POST /api/v1/dossiers``; unknown keys are ignored."""

    model_config = ConfigDict(extra="ignore")

    dossier_code: Annotated[
        StrictStr,
        Field(
            description="The dossier's code in the one-stop software; one link per unit and code.",
            json_schema_extra={
                "pattern": dossier_fields.CODE_PATTERN,
                "maxLength": dossier_fields.MAX_CODE,
            },
            examples=["000.00.19.H12-261124-0001"],
        ),
    ]
    form: Literal["citizen", "organization"] = Field(
        "citizen", description="citizen: Mẫu 01; organization: Mẫu 02"
    )
    flow: StrictStr | None = Field(
        None,
        description="A published flow by id (e.g. qd1001) instead of the unit's default for "
        "the form; the flow's own form then applies.",
        examples=["mau01"],
    )
    procedure: StrictStr | None = Field(
        None,
        description="The administrative procedure or field. Runs of whitespace become one "
        f"space and control characters are dropped; then at most "
        f"{dossier_fields.MAX_PROCEDURE} characters.",
        json_schema_extra={"maxLength": dossier_fields.MAX_PROCEDURE},
    )
    phone: StrictStr | None = Field(
        None,
        description="The respondent's Vietnamese phone number (0912345678, +84 912 345 678); "
        "spaces, dots, dashes and brackets between the digits are also accepted.",
        json_schema_extra={"pattern": dossier_fields.PHONE_PATTERN},
        examples=["0912345678"],
    )
    unit: StrictStr | None = Field(
        None,
        description="Unit code; defaults to the key's unit. A key may also serve the units "
        "below its unit (a province key for its communes).",
        json_schema_extra={"pattern": dossier_fields.UNIT_CODE_PATTERN},
        examples=["XA-HOATHANH"],
    )

    _dossier_code = _checked("dossier_code", dossier_fields.dossier_code)
    _procedure = _checked("procedure", dossier_fields.procedure)
    _phone = _checked("phone", dossier_fields.phone)
    _unit = _checked("unit", lambda value: value and dossier_fields.unit_code(value))


def _invalid(exc: ValidationError) -> ApiError:
    first = exc.errors(include_url=False)[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, dossier_fields.FieldProblem):
        message = cause.text("en")
    else:
        message = f"{field}: {first['msg']}"
    return ApiError(422, "invalid_field", message, field)


async def _body(request: web.Request) -> bytes:
    too_large = ApiError(413, "body_too_large", f"the body is larger than {MAX_BODY} bytes")
    if request.content_length is not None and request.content_length > MAX_BODY:
        raise too_large
    data = bytearray()
    async for chunk in request.content.iter_chunked(16 * 1024):
        data += chunk
        if len(data) > MAX_BODY:
            raise too_large
    return bytes(data)


async def _parse(request: web.Request) -> DossierRequest:
    kind = request.content_type
    if kind != "application/json" and not (
        kind.startswith("application/") and kind.endswith("+json")
    ):
        raise ApiError(415, "unsupported_media_type", "send the body as application/json")
    raw = await _body(request)
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise ApiError(400, "malformed_json", "the body is not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        message = f"the body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        raise ApiError(400, "malformed_json", message) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise ApiError(400, "malformed_json", "the body has a number that is too long") from None
    except RecursionError:
        raise ApiError(400, "malformed_json", "the body is nested too deeply") from None
    if not isinstance(data, dict):
        raise ApiError(400, "malformed_json", "the body must be a JSON object")
    try:
        return DossierRequest.model_validate(data)
    except ValidationError as exc:
        raise _invalid(exc) from None


async def _key(request: web.Request) -> tuple[Any, Any]:
    """The request's active API key and its unit (401 when missing or not valid)."""
    services = request.config_dict[SERVICES]
    key = request.headers.get("X-API-Key", "").strip()
    if not key:
        raise ApiError(401, "missing_api_key", "send the unit's API key in the X-API-Key header")
    found = await api_keys.authenticate(services.db, key)
    if found is None:
        raise ApiError(401, "invalid_api_key", "the API key is not valid or has been revoked")
    return found


async def create_dossier(request: web.Request) -> web.Response:
    services = request.config_dict[SERVICES]
    api_key, key_unit = await _key(request)
    body = await _parse(request)
    unit_code = body.unit.strip() if body.unit else key_unit.code
    if not await api_keys.may_serve(services.db, key_unit, unit_code):
        message = f"this key may create links for {key_unit.code} and its units, not {unit_code}"
        raise ApiError(403, "unit_forbidden", message, "unit")
    try:
        info = await services.links.create(
            unit_code=unit_code,
            dossier_code=body.dossier_code,
            form=body.form,
            procedure=body.procedure,
            phone=body.phone,
            actor=f"api:{api_key.prefix}",
            flow=body.flow.strip() if body.flow else None,
        )
    except NotFound as exc:
        raise ApiError(422, "invalid_field", str(exc), "flow" if body.flow else "unit") from None
    data = services.links.as_json(info, services.settings.locale.language)
    return json_response(data, status=201 if info.created else 200)


async def unit_report(request: web.Request) -> web.Response:
    """``GET /api/v1/reports/{unit}?period=P``: the report JSON of a unit the key serves."""
    services = request.config_dict[SERVICES]
    _api_key, key_unit = await _key(request)
    unit_code = request.match_info["unit"]
    if not await api_keys.may_serve(services.db, key_unit, unit_code):
        message = f"this key may read the reports of {key_unit.code} and its units, not {unit_code}"
        raise ApiError(403, "unit_forbidden", message, "unit")
    now = services.now()
    try:
        period = parse_period(
            request.query.get("period"), today=now.astimezone(services.zone).date()
        )
    except PeriodError as exc:
        raise ApiError(422, "invalid_period", str(exc), "period") from None
    async with services.db.transaction() as session:
        report = await build_report(
            session,
            unit_code,
            period,
            now=now,
            locale=services.settings.locale.language,
            zone=services.zone,
            flows=services.catalog.get,
        )
    return json_response(report)


async def openapi(request: web.Request) -> web.Response:
    services = request.config_dict[SERVICES]
    schema = DossierRequest.model_json_schema(ref_template="#/components/schemas/{model}")
    return json_response(
        document(services.settings.web.public_url, schema, services.plugins.link_keys())
    )


def setup(app: web.Application) -> None:
    api = web.Application(middlewares=[json_errors])
    api.router.add_post("/v1/dossiers", create_dossier)
    api.router.add_get("/v1/reports/{unit}", unit_report)
    api.router.add_get("/openapi.json", openapi)
    app.add_subapp("/api/", api)
