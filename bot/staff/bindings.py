"""The channels a staff member can bind a chat on (``users bind --channel``, the admin page).

Its own light module so the CLI can offer the choices without importing the account code.
The integrator replaces this tuple with the channel registry's names.
"""

from __future__ import annotations

BINDING_CHANNELS: tuple[str, ...] = ("telegram", "zalo_bot")
