"""The sipas-bot command line as an IT officer uses it: commands run in-process through
``bot.cli.main`` (same exit status and output as the real process), and a few through the
real entry point in a subprocess for what only a process shows (exit codes, no traceback)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support.cli import InProcessCli, SubprocessCli


def _env(workdir: Path) -> dict[str, str]:
    return {
        "SIPAS__DATABASE__URL": f"sqlite+aiosqlite:///{workdir / 'cli.sqlite3'}",
        "SIPAS__WEB__PUBLIC_URL": "https://khaosat.hoathanh.example.vn",
    }


@pytest.fixture
def cli(tmp_path: Path) -> InProcessCli:
    return InProcessCli(env=_env(tmp_path))


@pytest.fixture
def process(tmp_path: Path) -> SubprocessCli:
    return SubprocessCli(tmp_path, env=_env(tmp_path))


def test_db_upgrade(cli: InProcessCli, tmp_path: Path) -> None:
    result = cli("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cli.sqlite3").exists()


def test_newcomer_path_units_then_links_json(cli: InProcessCli) -> None:
    assert cli("units", "add", "TINH-X", "Tỉnh X").returncode == 0
    added = cli(
        "units",
        "add",
        "XA-HOATHANH",
        "UBND xã Hòa Thành",
        "--parent",
        "TINH-X",
        "--annual-dossiers",
        "10450",
    )
    assert added.returncode == 0, added.stderr
    result = cli(
        "links",
        "create",
        "--unit",
        "XA-HOATHANH",
        "--dossier",
        "HS-2026-000123",
        "--form",
        "citizen",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    token = data["token"]
    assert re.fullmatch(r"[A-Za-z0-9_-]{22,64}", token)
    assert data["unit"] == "XA-HOATHANH" and data["dossier"] == "HS-2026-000123"
    assert data["form"] == "citizen" and data["status"] == "created"
    assert data["expires_at"].endswith("+07:00")
    assert data["links"] == {
        "web": f"https://khaosat.hoathanh.example.vn/s/{token}",
        "telegram": None,
        "zalo": None,
    }
    assert data["qr_png"] == f"https://khaosat.hoathanh.example.vn/s/{token}/qr.png"
    assert "UBND xã Hòa Thành" in data["text"] and data["links"]["web"] in data["text"]
    again = json.loads(
        cli(
            "links", "create", "--unit", "XA-HOATHANH", "--dossier", "HS-2026-000123", "--json"
        ).stdout
    )
    assert again["token"] == token
    units = json.loads(cli("units", "list", "--json").stdout)
    assert {"code": "XA-HOATHANH", "minimum_sample": 500}.items() <= units[1].items()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("links", "create", "--unit", "NOPE", "--dossier", "HS-1"), "unknown unit 'NOPE'"),
        (("units", "add", "A", "B", "--parent", "NOPE"), "unknown unit 'NOPE'"),
        (("links", "create", "--unit", "X", "--dossier", "bad code!"), "may contain only"),
        (("users", "add", "clerk1", "--role", "clerk"), "a clerk needs --unit CODE"),
    ],
)
def test_user_errors_are_one_line_and_exit_1(
    cli: InProcessCli, args: tuple[str, ...], message: str
) -> None:
    result = cli(*args)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr


def test_wrong_usage_exits_2(process: SubprocessCli) -> None:
    result = process("links", "create", "--unit")
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_a_duplicate_unit_is_a_user_error(cli: InProcessCli) -> None:
    cli("units", "add", "XA-A", "A")
    result = cli("units", "add", "XA-A", "A")
    assert result.returncode == 1
    assert result.stderr.strip() == "sipas-bot: error: unit 'XA-A' already exists"


def test_users_add_with_password_from_stdin(cli: InProcessCli) -> None:
    cli("units", "add", "XA-A", "A")
    result = cli(
        "users",
        "add",
        "admin",
        "--role",
        "admin",
        "--password-stdin",
        stdin="a long enough password\n",
    )
    assert result.returncode == 0, result.stderr
    short = cli(
        "users",
        "add",
        "clerk",
        "--role",
        "clerk",
        "--unit",
        "XA-A",
        "--password-stdin",
        stdin="short\n",
    )
    assert short.returncode == 1 and "at least 10 characters" in short.stderr
    bind = cli("users", "bind", "admin", "--channel", "telegram", "--json")
    assert bind.returncode == 0, bind.stderr
    assert json.loads(bind.stdout)["code"].startswith("b_")


def test_an_unreachable_database_is_one_line(process: SubprocessCli) -> None:
    """The real process: one line on stderr, exit 1, no traceback."""
    process.env["SIPAS__DATABASE__URL"] = "postgresql+asyncpg://nobody@127.0.0.1:1/none"
    result = process("units", "add", "XA-A", "A")
    assert result.returncode == 1
    assert result.stderr.startswith("sipas-bot: error: cannot use the database")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_a_user_error_from_the_real_process_is_one_line(process: SubprocessCli) -> None:
    result = process("links", "create", "--unit", "NOPE", "--dossier", "HS-1")
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "sipas-bot: error: unknown unit 'NOPE'\n"


def test_help_names_no_platform(cli: InProcessCli) -> None:
    """Which chat apps exist is the channel registry's business, not the help text's."""
    result = cli("--help")
    assert result.returncode == 0
    assert "web chat, chat apps" in result.stdout
    assert "Telegram" not in result.stdout
