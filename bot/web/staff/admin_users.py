"""Staff accounts for admins: list the accounts of the units in scope, add one (the admin
sets the first password, and a new one when it is forgotten), deactivate or reactivate, and
create one-time chat binding links for any chat channel (the same logic as
``sipas-bot users bind``: bot.staff.accounts).
"""

from __future__ import annotations

import re

from aiohttp import web

from bot.staff import accounts as staff_accounts
from bot.staff.passwords import MIN_LENGTH
from bot.staff.roles import ADMIN, ADMINISTER, ROLES
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import flash, form_fields, page
from storage.models import User
from storage.repos import users
from storage.repos.errors import StorageUserError

USERNAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")


def _visible(who: Principal, user: User) -> bool:
    return who.covers(user.unit_id) or (user.unit_id is None and who.unit is None)


async def _list_page(
    request: web.Request,
    who: Principal,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        accounts = [u for u in await users.all_users(session) if _visible(who, u)]
        chats = await users.bindings_of(session, [u.id for u in accounts])
    units = {u.id: u for u in who.scope}
    context = {
        "accounts": accounts,
        "chats": chats,
        "units": units,
        "values": values or {"role": "clerk", "unit": who.scope[0].code if who.scope else ""},
        "errors": errors or {},
        "roles": ROLES,
        "channels": services.plugins.bindable(),
        "channel_labels": services.plugins.labels(),
        "min_length": MIN_LENGTH,
        "can_add_unitless": who.unit is None,
    }
    return await page(request, who, "users.html", context, status=status)


@staff_route(*ADMINISTER)
async def list_users(request: web.Request, who: Principal) -> web.Response:
    return await _list_page(request, who)


@staff_route(*ADMINISTER)
async def add_user(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    values = await form_fields(request, "username", "role", "unit")
    password = str((await request.post()).get("password", ""))
    errors: dict[str, str] = {}
    if not USERNAME_PATTERN.match(values["username"]):
        errors["username"] = "invalid_username"
    if len(password) < MIN_LENGTH:
        errors["password"] = "password_rule"
    if values["role"] not in ROLES:
        errors["role"] = "invalid_form"
    if values["unit"]:
        who.unit_by_code(values["unit"])  # 403 outside the scope
    elif not (values["role"] == ADMIN and who.unit is None):
        errors["unit"] = "invalid_unit"
    if not errors:
        try:
            await staff_accounts.add_user(
                services,
                username=values["username"],
                password=password,
                role=values["role"],
                unit_code=values["unit"] or None,
                actor=who.username,
            )
        except StorageUserError:
            errors["username"] = "username_taken"
    if errors:
        return await _list_page(request, who, values, errors, status=422)
    await flash(request, "user_added", user=values["username"])
    raise web.HTTPSeeOther("/staff/admin/users")


async def _target(request: web.Request, who: Principal) -> User:
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        user = await users.by_username(session, request.match_info["username"])
    if user is None or not _visible(who, user):
        raise web.HTTPNotFound()
    return user


@staff_route(*ADMINISTER)
async def set_active(request: web.Request, who: Principal) -> web.StreamResponse:
    user = await _target(request, who)
    form = await request.post()
    active = form.get("active") == "1"
    if user.id == who.user_id and not active:
        raise web.HTTPForbidden(text="an admin cannot deactivate their own account")
    await staff_accounts.set_active(
        request.app[SERVICES], username=user.username, active=active, actor=who.username
    )
    await flash(request, "saved")
    raise web.HTTPSeeOther("/staff/admin/users")


@staff_route(*ADMINISTER)
async def set_password(request: web.Request, who: Principal) -> web.StreamResponse:
    user = await _target(request, who)
    password = str((await request.post()).get("password", ""))
    if len(password) < MIN_LENGTH:
        await flash(request, "password_rule", n=MIN_LENGTH)
    else:
        await staff_accounts.set_password(
            request.app[SERVICES], username=user.username, password=password, actor=who.username
        )
        await flash(request, "password_set", user=user.username)
    raise web.HTTPSeeOther("/staff/admin/users")


@staff_route(*ADMINISTER)
async def unbind(request: web.Request, who: Principal) -> web.StreamResponse:
    user = await _target(request, who)
    raw = str((await request.post()).get("binding", ""))
    try:
        await staff_accounts.unbind(
            request.app[SERVICES],
            username=user.username,
            binding_id=int(raw) if raw.isdigit() else 0,
            actor=who.username,
        )
    except StorageUserError:
        raise web.HTTPNotFound() from None
    await flash(request, "saved")
    raise web.HTTPSeeOther("/staff/admin/users")


@staff_route(*ADMINISTER)
async def bind(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    user = await _target(request, who)
    form = await request.post()
    channel = str(form.get("channel", ""))
    if channel not in services.plugins.bindable():
        raise web.HTTPBadRequest(text="unknown channel")
    try:
        binding = await staff_accounts.new_binding(
            services, username=user.username, channel=channel, actor=who.username
        )
    except StorageUserError:
        raise web.HTTPNotFound() from None
    return await page(request, who, "binding.html", {"binding": binding})


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/admin/users", list_users)
    app.router.add_post("/staff/admin/users", add_user)
    app.router.add_post("/staff/admin/users/{username}/active", set_active)
    app.router.add_post("/staff/admin/users/{username}/bind", bind)
    app.router.add_post("/staff/admin/users/{username}/password", set_password)
    app.router.add_post("/staff/admin/users/{username}/unbind", unbind)
