"""The CLI starts fast because building its parser loads no heavy library: the Telegram
adapter, matplotlib, openpyxl, argon2, Jinja2, aiohttp's server, segno and Alembic are
imported by the commands that need them, when they run."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.support.cli import ROOT

HEAVY = (
    "telegram",
    "matplotlib",
    "openpyxl",
    "argon2",
    "jinja2",
    "aiohttp.web",
    "segno",
    "alembic",
    "sqlalchemy",
)


def _loaded_after(code: str) -> set[str]:
    probe = f"import json, sys\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_importing_the_cli_loads_no_heavy_library() -> None:
    loaded = _loaded_after("import bot.cli")
    assert "telegram" not in loaded and "matplotlib" not in loaded
    assert sorted(loaded & set(HEAVY)) == []


def test_building_the_parser_loads_no_heavy_library() -> None:
    loaded = _loaded_after("import bot.cli\nbot.cli.build_parser()")
    assert sorted(loaded & set(HEAVY)) == []
