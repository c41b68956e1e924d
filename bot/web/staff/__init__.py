"""The staff web: login, the clerk's link pages and bulk import, and the admin pages.

Server-rendered (Jinja2), working without JavaScript, Vietnamese with an English switch.
Access decisions live in ``access``; sessions and CSRF in ``security``.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.staff import (
    admin_flows,
    admin_settings,
    admin_units,
    admin_users,
    auth,
    clerk,
    complaints,
    desk_reports,
    desks,
    funnel,
    imports,
    integrity,
    paper,
    publishing,
    rechecks,
    reports,
    slips,
)
from bot.web.staff.pages import staff_errors
from bot.web.staff.security import StaffSessions, csrf_protection

MODULES = (
    auth,
    slips,  # its /staff/links/slips.pdf must come before clerk's /staff/links/{token}
    clerk,
    complaints,
    imports,
    reports,
    publishing,
    rechecks,
    paper,
    funnel,
    integrity,
    desks,
    desk_reports,
    admin_units,
    admin_users,
    admin_flows,
    admin_settings,
)


def middlewares() -> list:  # type: ignore[type-arg]
    """Outermost first: sessions, then kind error pages, then the CSRF check."""
    return [StaffSessions().middleware, staff_errors, csrf_protection]


def setup(app: web.Application) -> None:
    for module in MODULES:
        module.setup(app)
