"""The OpenAPI 3.1 document of ``/api/v1/*``.

The request schema is generated from the model the handler validates with (bot.web.api), so
the document cannot drift from what the server accepts; the link schema describes
``LinkService.as_json`` and a test checks real answers against it.
"""

from __future__ import annotations

import copy
from typing import Any

from bot.dossiers.fields import FORMS
from bot.web.openapi_report import REPORT, REPORT_ERRORS, report_path
from storage.repos.links import STATUSES
from storage.repos.result_notices import FAILED, PENDING, SENT, WAITING

NOTICE_STATUSES = (PENDING, SENT, WAITING, FAILED)

URL = {"type": "string", "format": "uri"}

LINK = {
    "type": "object",
    "description": "A survey link (INTERFACES.md). A channel that is not configured is null.",
    "required": [
        "token",
        "unit",
        "dossier",
        "form",
        "status",
        "expires_at",
        "links",
        "qr_png",
        "text",
    ],
    "properties": {
        "token": {"type": "string", "pattern": "^[A-Za-z0-9_-]{22,64}$"},
        "unit": {"type": "string"},
        "dossier": {"type": "string"},
        "form": {"type": "string", "enum": list(FORMS)},
        "status": {"type": "string", "enum": list(STATUSES)},
        "expires_at": {"type": "string", "format": "date-time"},
        "links": {
            "type": "object",
            "required": ["web"],
            "properties": {"web": URL},
            "description": "The web chat, and one link per installed chat channel (null when "
            "the channel is off)",
        },
        "qr_png": {**URL, "description": "PNG image of the web link's QR code"},
        "text": {"type": "string", "description": "Ready-to-send invitation with the link"},
        "notice": {
            "type": ["object", "null"],
            "description": "The result notice sent by Zalo ZNS to the dossier's phone; null "
            "when ZNS is not configured or the dossier has no phone. Sent once per dossier; "
            "waiting ones (the night ban 22:00-06:00, retries) are sent later by themselves.",
            "required": ["status", "error"],
            "properties": {
                "status": {"type": "string", "enum": list(NOTICE_STATUSES)},
                "error": {"type": ["string", "null"], "description": "Why it failed or waits"},
            },
        },
    },
}

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "examples": ["invalid_field"]},
                "message": {"type": "string"},
                "field": {"type": "string", "description": "The invalid field (422, 403)"},
            },
        }
    },
}

ERRORS = {
    "400": "The body is not a JSON object (code malformed_json).",
    "401": "The X-API-Key header is missing (missing_api_key), unknown or revoked "
    "(invalid_api_key).",
    "403": "The unit is neither the key's unit nor below it (unit_forbidden).",
    "413": "The body is larger than 64 KiB (body_too_large).",
    "415": "The body is not sent as application/json (unsupported_media_type).",
    "422": "A field is invalid (invalid_field); `field` names it, `message` says why.",
    "503": "The database is unavailable; nothing was created, retry later (unavailable).",
}


def _json(schema_name: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


def link_schema(link_keys: list[str]) -> dict[str, Any]:
    """The Link schema with the installed channels' keys (from the channel registry)."""
    schema = copy.deepcopy(LINK)
    links = schema["properties"]["links"]
    for key in link_keys:
        links["properties"][key] = {"type": ["string", "null"], "format": "uri"}
        links["required"].append(key)
    return schema


def document(
    public_url: str, request_schema: dict[str, Any], link_keys: list[str]
) -> dict[str, Any]:
    responses = {
        "201": _json("Link", "A new link was created for the dossier."),
        "200": _json("Link", "The dossier already had a link: the same link is returned."),
        **{status: _json("Error", text) for status, text in ERRORS.items()},
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "SIPAS survey links and reports API",
            "version": "1.0.0",
            "description": "Creates the satisfaction-survey link of a resolved dossier, for the "
            "one-stop software. Repeating a call for the same unit and dossier code returns the "
            "same link. Reads a unit's results for a period.",
        },
        "servers": [{"url": public_url}],
        "security": [{"ApiKey": []}],
        "paths": {
            "/api/v1/dossiers": {
                "post": {
                    "operationId": "createDossierLink",
                    "summary": "Create (or return) the survey link of a dossier",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/DossierRequest"}
                            }
                        },
                    },
                    "responses": responses,
                }
            },
            "/api/v1/reports/{unit}": report_path(
                {status: _json("Error", text) for status, text in REPORT_ERRORS.items()}
            ),
        },
        "components": {
            "securitySchemes": {
                "ApiKey": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "X-API-Key",
                    "description": "Created with `sipas-bot apikeys create --unit CODE`.",
                }
            },
            "schemas": {
                "DossierRequest": request_schema,
                "Link": link_schema(link_keys),
                "Error": ERROR,
                "Report": REPORT,
            },
        },
    }
