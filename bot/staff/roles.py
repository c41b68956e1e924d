"""Staff roles and what each may do: the one place that decides it for the web pages, the chat
commands and the CLI.

The four role names are defined here. ``storage.repos.users.ROLES`` keeps its own copy of the
names because storage may not import ``bot`` (it only refuses to store an unknown role); the
scheduler's ``DIGEST_ROLES`` is in the same position. ``tests/test_roles.py`` fails when either
copy drifts from this module, so a new role or a changed permission is decided here.

Where the old copies disagreed, the narrower grant won: the chat command ``/link`` used to
admit chairs while the web pages did not; making links is the one-stop desk's job (clerks, and
admins), so a chair now gets the same refusal in the chat as on the pages.

This module imports nothing heavy: the CLI builds ``users add --role`` from it at start.
"""

from __future__ import annotations

ADMIN = "admin"  # manages units, staff, flows and settings (a province admin publishes flows)
CLERK = "clerk"  # one-stop desk: creates survey links, imports dossiers
CHAIR = "chair"  # commune chairman: weekly digest, the unit's report
VIEWER = "viewer"  # reads a unit's (and its descendants') report and digest

ROLES: tuple[str, ...] = (ADMIN, CLERK, CHAIR, VIEWER)

# Permissions: which roles may do each thing, wherever it is done (web page or chat command).
EVERYONE: tuple[str, ...] = ROLES  # log in, see recent links of their units
MAKE_LINKS: tuple[str, ...] = (ADMIN, CLERK)  # survey links, QR codes, bulk import
READ_REPORTS: tuple[str, ...] = (ADMIN, CHAIR, VIEWER)  # the weekly report page, /baocao
RECEIVE_DIGEST: tuple[str, ...] = (CHAIR, VIEWER)  # the weekly digest in a bound chat
ADMINISTER: tuple[str, ...] = (ADMIN,)  # units, users, flows, run-time settings
MANAGE_DESKS: tuple[str, ...] = (ADMIN, CHAIR)  # desks with a standing QR code, their posters

# Unit scope: these roles cover their unit and every unit below it; the others their unit only.
# An admin without a unit covers everything.
COVERS_DESCENDANTS: tuple[str, ...] = (ADMIN, VIEWER)
