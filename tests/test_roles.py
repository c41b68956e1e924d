"""``bot.staff.roles`` decides the roles and their permissions; the copies that lower rooms
must keep (storage's list of valid names, the scheduler's digest recipients) stay equal to it,
and the web pages and chat commands use its permissions."""

from __future__ import annotations

from bot.conversation import staff_commands
from bot.staff import roles
from bot.web.staff import clerk, imports, reports
from scheduler import jobs
from storage.repos import users


def test_storage_knows_exactly_the_roles_defined_here() -> None:
    assert users.ROLES == roles.ROLES


def test_the_scheduler_sends_digests_to_the_roles_that_receive_them() -> None:
    assert jobs.DIGEST_ROLES == roles.RECEIVE_DIGEST


def test_chat_commands_and_web_pages_agree_on_who_makes_links_and_reads_reports() -> None:
    assert staff_commands.LINK_ROLES == roles.MAKE_LINKS
    assert staff_commands.REPORT_ROLES == roles.READ_REPORTS
    assert clerk.create_link.staff_roles == roles.MAKE_LINKS  # type: ignore[attr-defined]
    assert imports.LINK_MAKERS == roles.MAKE_LINKS
    assert reports.report.staff_roles == roles.READ_REPORTS  # type: ignore[attr-defined]


def test_every_permission_names_only_known_roles() -> None:
    for name in (
        "EVERYONE",
        "MAKE_LINKS",
        "READ_REPORTS",
        "RECEIVE_DIGEST",
        "ADMINISTER",
        "HANDLE_COMPLAINTS",
        "REVIEW_FLAGS",
        "ERASE_PERSONAL_DATA",
    ):
        granted = getattr(roles, name)
        assert granted and set(granted) <= set(roles.ROLES), name
    assert roles.CLERK in roles.MAKE_LINKS and roles.CHAIR not in roles.MAKE_LINKS
    assert roles.CLERK not in roles.READ_REPORTS and roles.VIEWER in roles.RECEIVE_DIGEST
