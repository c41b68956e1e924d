"""``python -m bot`` is the same as the ``sipas-bot`` command."""

from bot.cli import main

raise SystemExit(main())
