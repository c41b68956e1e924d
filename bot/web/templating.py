"""Jinja2 templates with autoescaping, and small Vietnamese/English formatting filters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from aiohttp import web
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATES = Path(__file__).parent / "templates"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
    # Templates do not change while the server runs: no stat() of every template (and of
    # each one it extends or includes) on every page.
    auto_reload=False,
)


def render(
    template: str,
    context: dict[str, Any],
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> web.Response:
    body = environment.get_template(template).render(**context)
    return web.Response(
        text=body, status=status, content_type="text/html", charset="utf-8", headers=headers
    )
