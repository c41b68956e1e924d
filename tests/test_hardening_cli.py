"""Audit finding "the CLI accepts any code": unit codes, dossier codes and flow ids go through
the same checks as the staff pages and the API (``bot.dossiers.fields``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dossiers import fields
from tests.support.cli import InProcessCli

LONG = "X" * 5000


@pytest.fixture
def cli(tmp_path: Path) -> InProcessCli:
    return InProcessCli(env={"SIPAS__DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'c.db'}"})


@pytest.mark.parametrize(
    "args",
    [
        ("units", "add", "xã hòa thành!", "UBND xã Hòa Thành"),
        ("units", "add", LONG, "Đơn vị"),
        ("units", "add", "XA-A", "A", "--parent", "tinh\x00x"),
        ("units", "add", "XA-B", "  "),
        ("links", "create", "--unit", "XA A", "--dossier", "HS-1"),
        ("links", "create", "--unit", "XA-A", "--dossier", LONG),
        ("apikeys", "create", "--unit", "<script>"),
        ("users", "add", "clerk1", "--role", "clerk", "--unit", "xa-a", "--password-stdin"),
        ("digest", "--unit", "XA/../A"),
    ],
)
def test_bad_codes_are_one_line_user_errors(cli: InProcessCli, args: tuple[str, ...]) -> None:
    result = cli(*args)
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and any(w in lines[0] for w in ("may contain", "too long", "name")), (
        lines
    )
    assert "Traceback" not in result.stderr and len(lines[0]) < 300


@pytest.mark.parametrize(
    ("check", "good", "bad"),
    [
        (fields.unit_code, "XA-HOATHANH", ["xa-hoathanh", "-XA", "XA HOA", "X" * 65, ""]),
        (fields.flow_id, "mau01", ["mau 01", ".mau", "m" * 65, "mẫu01"]),
        (fields.dossier_code, "000.00.19.H12-261124-0001", ["bad code!", "H" * 65, ""]),
    ],
)
def test_one_rule_per_kind_of_code(check, good: str, bad: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert check(f" {good} ") == good
    if check is fields.flow_id:
        assert check("  ") is None  # no flow picked: the unit's default
    for value in bad:
        with pytest.raises(fields.FieldProblem):
            check(value)
