"""Report renderers by format: ``renderer(report_dict, locale) -> bytes``.

A format maps to ``"module:function"`` and is imported only when used, so that a heavy
library (openpyxl, a PDF engine) costs nothing to commands that do not export. To add a
format, write a module here with ``render(report: dict, locale: str) -> bytes`` and add one
line to ``RENDERERS``; ``sipas-bot report --format``, the staff page and the API find it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

Renderer = Callable[[Mapping[str, Any], str], bytes]

RENDERERS: dict[str, str] = {
    "json": "reports.exports.json_export:render",
    "csv": "reports.exports.csv_export:render",
    "text": "reports.exports.text_export:render",
    "xlsx": "reports.exports.xlsx:render_xlsx",
    "pdf": "reports.exports.pdf:render_pdf",
}
# Formats the command line accepts; those without a renderer above are refused clearly.
KNOWN = ("text", "json", "csv", "xlsx", "pdf")
BINARY = ("xlsx", "pdf")  # written to a file, never to a terminal
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "text": "text/plain; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def available() -> list[str]:
    return [name for name in KNOWN if name in RENDERERS] + sorted(set(RENDERERS) - set(KNOWN))


def renderer_for(name: str) -> Renderer | None:
    """The renderer of a format, or None when this installation has none."""
    target = RENDERERS.get(name)
    if target is None:
        return None
    module, function = target.split(":")
    renderer: Renderer = getattr(importlib.import_module(module), function)
    return renderer
