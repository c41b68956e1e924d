"""Who may do what: the one place that decides role and unit scope for staff pages.

Every staff handler is wrapped by ``staff_route(roles...)``: it loads the logged-in, active
user from the database (a deactivated account loses access at once; a session opened before
the user's last logout or password reset is refused), checks the role, and
passes a ``Principal`` whose ``covers(unit_id)`` answers the unit-scope question. Which roles
may do what, and which cover the units below their own, is decided in ``bot.staff.roles``.
The authorization matrix test enumerates the routes and fails for any staff route without
this wrapper.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from urllib.parse import quote

from aiohttp import web
from aiohttp_session import get_session

from bot.services import Services
from bot.staff.roles import ADMIN, COVERS_DESCENDANTS
from bot.web.keys import SERVICES
from storage.models import Unit, User
from storage.repos import units

SESSION_USER = "uid"
SESSION_GENERATION = "gen"  # the user's session_generation when the session was opened

StaffHandler = Callable[[web.Request, "Principal"], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: str
    unit: Unit | None
    scope: tuple[Unit, ...]  # every unit covered, the own unit first
    locale: str

    def covers(self, unit_id: int | None) -> bool:
        return unit_id is not None and any(u.id == unit_id for u in self.scope)

    @property
    def unit_ids(self) -> list[int]:
        return [u.id for u in self.scope]

    @property
    def is_top_admin(self) -> bool:
        """An admin of the whole system or of a root unit (a province): may publish flows."""
        return self.role == ADMIN and (self.unit is None or self.unit.parent_id is None)

    def unit_by_code(self, code: str) -> Unit:
        """A unit in scope by code, else 403 (a foreign unit is never revealed)."""
        for unit in self.scope:
            if unit.code == code:
                return unit
        raise web.HTTPForbidden(text="unit out of scope")


async def scope_of(services: Services, user: User) -> tuple[Unit | None, tuple[Unit, ...]]:
    async with services.db.transaction() as session:
        if user.unit_id is None:
            everything = await units.all_units(session)
            return None, tuple(everything) if user.role == ADMIN else ()
        unit = await session.get(Unit, user.unit_id)
        if unit is None:
            return None, ()
        if user.role in COVERS_DESCENDANTS:
            below = await units.descendants(session, unit.id)
            return unit, (unit, *sorted(below, key=lambda u: u.code))
        return unit, (unit,)


async def current_principal(request: web.Request) -> Principal | None:
    session = await get_session(request)
    user_id = session.get(SESSION_USER)
    if not isinstance(user_id, int):
        return None
    services = request.app[SERVICES]
    async with services.db.transaction() as db_session:
        user = await db_session.get(User, user_id)
    if (
        user is None
        or not user.active
        or session.get(SESSION_GENERATION) != user.session_generation
    ):
        session.invalidate()  # deactivated, logged out, or the password was reset
        return None
    unit, scope = await scope_of(services, user)
    locale = session.get("locale") or user.locale
    return Principal(user.id, user.username, user.role, unit, scope, locale)


def login_redirect(request: web.Request) -> web.HTTPException:
    target = request.path_qs if request.method == "GET" else "/staff/"
    return web.HTTPSeeOther(f"/login?next={quote(target, safe='/')}")


def staff_route(
    *roles: str,
) -> Callable[[StaffHandler], Callable[..., Awaitable[web.StreamResponse]]]:
    """Require a logged-in user with one of ``roles``; the handler gets the Principal."""

    def wrap(handler: StaffHandler) -> Callable[..., Awaitable[web.StreamResponse]]:
        @wraps(handler)
        async def checked(request: web.Request) -> web.StreamResponse:
            who = await current_principal(request)
            if who is None:
                raise login_redirect(request)
            if who.role not in roles:
                raise web.HTTPForbidden(text="role not allowed")
            return await handler(request, who)

        checked.staff_roles = tuple(roles)  # type: ignore[attr-defined]
        return checked

    return wrap


def public_route(
    handler: Callable[..., Awaitable[web.StreamResponse]],
) -> Callable[..., Awaitable[web.StreamResponse]]:
    """Mark a staff-area handler that anyone may call (login, logout, language)."""
    handler.staff_roles = ()  # type: ignore[attr-defined]
    return handler


def roles_of(handler: object) -> Iterable[str] | None:
    """The roles a handler admits; None when it carries no access decision (a bug)."""
    return getattr(handler, "staff_roles", None)
