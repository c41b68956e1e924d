"""The OpenAPI description of ``GET /api/v1/reports/{unit}`` and of the report JSON
(INTERFACES.md "A report as JSON", built by ``reports.report.build_report``); tests check
real answers against it.
"""

from __future__ import annotations

from typing import Any

PERCENT = {"type": ["number", "null"], "minimum": 0, "maximum": 100}
COUNT = {"type": "integer", "minimum": 0}
INDEX = {
    "type": "object",
    "description": "A percentage (one decimal) with its 95 % interval over respondents; null "
    "where nobody answered (no interval below two respondents).",
    "required": ["value", "low", "high"],
    "properties": {"value": PERCENT, "low": PERCENT, "high": PERCENT, "n": COUNT},
}
PERIOD = {
    "type": "object",
    "required": ["label", "from", "to"],
    "properties": {
        "label": {"type": "string", "examples": ["2026-Q4"]},
        "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"},
    },
}
UNIT = {
    "type": "object",
    "required": ["code", "name"],
    "properties": {"code": {"type": "string"}, "name": {"type": "string"}},
}
COUNTS = {"type": "object", "additionalProperties": COUNT}
COUNTED = {
    "type": "object",
    "required": ["counted", "excluded"],
    "properties": {"counted": COUNT, "excluded": COUNT},
}

REPORT: dict[str, Any] = {
    "type": "object",
    "description": "A unit's results for a period. Parent units combine their children "
    "weighted by annual dossiers; `sufficient` is false below the period's minimum sample, "
    "and then the unit is not ranked.",
    "required": [
        "unit",
        "period",
        "responses",
        "sufficient",
        "sipas",
        "factors",
        "criteria",
        "children",
        "trend",
        "generated_at",
        "flow",
    ],
    "properties": {
        "unit": UNIT,
        "period": PERIOD,
        "responses": {
            "type": "object",
            "required": ["counted", "excluded", "by_flag", "by_source"],
            "properties": {
                "counted": COUNT,
                "excluded": COUNT,
                "by_flag": COUNTS,
                "by_source": COUNTS,
            },
        },
        "sufficient": {"type": "boolean"},
        "required": {**COUNT, "description": "Counted responses the period needs"},
        "sipas": INDEX,
        "factors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "name", "value", "low", "high", "n", "mean"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "value": PERCENT,
                    "low": PERCENT,
                    "high": PERCENT,
                    "n": COUNT,
                    "mean": {"type": ["number", "null"]},
                },
            },
        },
        "criteria": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "value",
                    "n",
                    "text",
                    "factor",
                    "low",
                    "high",
                    "mean",
                    "levels",
                    "not_applicable",
                ],
                "properties": {
                    "id": {"type": "string"},
                    "value": PERCENT,
                    "n": {**COUNT, "description": "Respondents who gave a level"},
                    "text": {"type": "string"},
                    "factor": {"type": "string"},
                    "low": PERCENT,
                    "high": PERCENT,
                    "mean": {"type": ["number", "null"]},
                    "levels": {**COUNTS, "description": "People per level"},
                    "not_applicable": COUNT,
                },
            },
        },
        "unanswered": {"type": "array", "items": {"type": "string"}},
        "children": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["unit", "responses", "sufficient", "sipas", "rank"],
                "properties": {
                    "unit": UNIT,
                    "responses": COUNTED,
                    "sufficient": {"type": "boolean"},
                    "required": COUNT,
                    "sipas": INDEX,
                    "rank": {"type": ["integer", "null"], "minimum": 1},
                },
            },
        },
        "trend": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["period", "sipas", "n", "change"],
                "properties": {
                    "period": PERIOD,
                    "sipas": INDEX,
                    "n": COUNT,
                    "change": {"enum": ["rise", "fall", "steady", None]},
                    "factors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["id", "value", "low", "high"],
                            "properties": {
                                "id": {"type": "string"},
                                "value": PERCENT,
                                "low": PERCENT,
                                "high": PERCENT,
                            },
                        },
                    },
                },
            },
        },
        "generated_at": {"type": "string", "format": "date-time"},
        "flow": {
            "type": ["object", "null"],
            "required": ["id", "title", "version"],
            "properties": {
                "id": {"type": "string"},
                "title": {"type": "string"},
                "version": {"type": ["integer", "null"]},
            },
        },
        "locale": {"type": "string"},
        "desks": {
            "type": "array",
            "description": "The unit's own desks (standing QR codes): their ratings are "
            "outside every figure above; ranked by index among desks with `required` ratings.",
            "items": {
                "type": "object",
                "required": ["desk", "responses", "comments", "sufficient", "index", "rank"],
                "properties": {
                    "desk": UNIT,
                    "responses": COUNTED,
                    "comments": COUNT,
                    "sufficient": {"type": "boolean"},
                    "required": COUNT,
                    "index": INDEX,
                    "rank": {"type": ["integer", "null"], "minimum": 1},
                },
            },
        },
    },
}

REPORT_ERRORS = {
    "401": "The X-API-Key header is missing (missing_api_key), unknown or revoked "
    "(invalid_api_key).",
    "403": "The unit is neither the key's unit nor below it, or unknown (unit_forbidden).",
    "422": "The period cannot be read (invalid_period); `message` says what is expected.",
    "503": "The database is unavailable; retry later (unavailable).",
}


def report_path(responses: dict[str, Any]) -> dict[str, Any]:
    """The path item of ``/api/v1/reports/{unit}``; ``responses`` holds the error answers."""
    return {
        "get": {
            "operationId": "unitReport",
            "summary": "A unit's results for a period (index, factors, criteria, children)",
            "parameters": [
                {"name": "unit", "in": "path", "required": True, "schema": {"type": "string"}},
                {
                    "name": "period",
                    "in": "query",
                    "required": False,
                    "description": "2026-W49, 2026-12, 2026-Q4, 2026 or 2026-10-01..2026-12-31; "
                    "default the last complete month",
                    "schema": {"type": "string"},
                },
            ],
            "responses": {
                "200": {
                    "description": "The report",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Report"}}
                    },
                },
                **responses,
            },
        }
    }
