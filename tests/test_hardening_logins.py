"""Audit findings about logins: the limit is atomic (a flood of concurrent wrong attempts
gets no more evaluations than the limit), per account and per address, with a back-off that
ends by itself rather than a lock-out; password hashing is capped; the audit log is pruned."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.services import Services
from bot.web.staff.auth import ACCOUNT_FREE_ATTEMPTS, ADDRESS_LIMIT, WINDOW
from scheduler.clock import ManualClock
from storage.repos import audit, rate_limits
from tests.support.staff import StaffClient, add_staff


async def audited(services: Services, action: str) -> int:
    async with services.db.transaction() as session:
        return len(await audit.entries(session, action))


async def test_forty_concurrent_wrong_attempts_evaluate_at_most_the_limit(
    services: Services, server: str
) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    clients = [StaffClient(server) for _ in range(40)]
    try:
        for client in clients:
            await client.get("/login")
        answers = await asyncio.gather(
            *(
                client.post("/login", {"username": "thu.clerk", "password": "wrong-password"})
                for client in clients
            )
        )
    finally:
        for client in clients:
            await client.http.close()
    statuses = [status for status, _ in answers]
    assert statuses.count(401) <= ACCOUNT_FREE_ATTEMPTS
    assert statuses.count(401) + statuses.count(429) == 40
    assert await audited(services, "login.failure") <= ACCOUNT_FREE_ATTEMPTS
    refused = next(body for status, body in answers if status == 429)
    assert "Xin vui lòng thử lại sau" in refused


async def test_the_account_backs_off_then_lets_the_real_user_in(
    services: Services, server: str, clock: ManualClock
) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as attacker:
        for _ in range(ACCOUNT_FREE_ATTEMPTS):
            status, _ = await attacker.login("thu.clerk", "not the password")
            assert status == 401
        status, body = await attacker.login("thu.clerk", "not the password")
        assert status == 429 and "giây" in body  # a pause of seconds, not a lock-out
    clock.advance(seconds=2)
    async with StaffClient(server) as real_user:
        status, body = await real_user.login("thu.clerk")
        assert status == 200 and "Đang đăng nhập: thu.clerk" in body


async def attempts_so_far(services: Services, count: int) -> None:
    """``count`` earlier attempts from the test client's address (127.0.0.1), as the login
    handler counts them, without paying for argon2 each time."""
    async with services.db.transaction() as session:
        for _ in range(count):
            await rate_limits.count(
                session, "login-address:127.0.0.1", window=WINDOW, now=services.now()
            )


async def test_one_address_is_limited_across_usernames(services: Services, server: str) -> None:
    await attempts_so_far(services, ADDRESS_LIMIT - 2)
    async with StaffClient(server) as client:
        statuses = [(await client.login(f"nobody{i}", "not the password"))[0] for i in range(3)]
    assert statuses == [401, 401, 429]


async def test_old_login_entries_leave_the_audit_log(
    services: Services, clock: ManualClock
) -> None:
    from scheduler.jobs import KEEP_LOGIN_AUDIT
    from storage.repos.audit import forget_logins_before

    async with services.db.transaction() as session:
        for action in ("login.failure", "login.success", "user.add"):
            await audit.record(session, actor="x", action=action, now=clock(), subject="x")
    clock.advance(days=KEEP_LOGIN_AUDIT.days + 1)
    async with services.db.transaction() as session:
        pruned = await forget_logins_before(session, clock() - KEEP_LOGIN_AUDIT)
        left = {entry.action for entry in await audit.entries(session)}
    assert pruned == 2
    assert "user.add" in left and "login.failure" not in left and "login.success" not in left
    assert isinstance(KEEP_LOGIN_AUDIT, timedelta)


async def test_colleagues_behind_one_address_are_not_refused(
    services: Services, server: str
) -> None:
    """Successful logins do not use up the address's allowance (one office, one address)."""
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    await attempts_so_far(services, ADDRESS_LIMIT - 2)
    async with StaffClient(server) as client:
        for _ in range(3):
            status, _ = await client.login("thu.clerk")
            assert status == 200
        status, _ = await client.login("nobody", "not the password")
        assert status == 401
