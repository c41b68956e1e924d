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
PUBLISH_RESULTS: tuple[str, ...] = (ADMIN, CHAIR)  # a unit's results on its public page
# Re-verification (phúc tra): everyone sees the call list and the share confirmed; the phone
# numbers, and so the calls and their outcomes, are for the desk that took the dossiers
# (clerks) and admins; chairs and viewers see no phone. Drawing a sample is an admin's act.
SEE_PHONES: tuple[str, ...] = (ADMIN, CLERK)
RECORD_RECHECKS: tuple[str, ...] = SEE_PHONES
DRAW_RECHECKS: tuple[str, ...] = (ADMIN,)
ENTER_PAPER: tuple[str, ...] = (ADMIN, CLERK)  # data entry of post-round paper forms
# Reports / petitions of the units in scope: read all, assign, publish (any staff member may
# also read and answer the ones assigned to them). Chairs also get the immediate alert.
HANDLE_COMPLAINTS: tuple[str, ...] = (ADMIN, CHAIR)
# Keep or exclude flagged responses (admins: their scope; chairs: their unit and the units
# below it, whatever COVERS_DESCENDANTS says for the other pages).
REVIEW_FLAGS: tuple[str, ...] = (ADMIN, CHAIR)
ERASE_PERSONAL_DATA: tuple[str, ...] = (ADMIN,)  # erase a dossier's phone and chat ids
MANAGE_DESKS: tuple[str, ...] = (ADMIN, CHAIR)  # desks with a standing QR code, their posters

# Unit scope: these roles cover their unit and every unit below it; the others their unit only.
# An admin without a unit covers everything.
COVERS_DESCENDANTS: tuple[str, ...] = (ADMIN, VIEWER)
