"""Flows by id from the command line: `flows list --json` names what `links create --flow`
accepts; a link made with --flow runs that flow; an unknown id is a one-line user error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.cli import InProcessCli


@pytest.fixture
def cli(tmp_path: Path) -> InProcessCli:
    return InProcessCli(
        env={
            "SIPAS__DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}",
            "SIPAS__WEB__PUBLIC_URL": "https://khaosat.example.vn",
        }
    )


def test_flows_list_names_every_shipped_flow(cli: InProcessCli) -> None:
    result = cli("flows", "list", "--json")
    assert result.returncode == 0, result.stderr
    flows = {row["id"]: row for row in json.loads(result.stdout)}
    assert set(flows) == {"desk", "mau01", "mau02", "qd1001"}
    assert flows["mau02"] == {
        "id": "mau02",
        "title": "Phiếu khảo sát sự hài lòng của tổ chức (Mẫu 02)",
        "form": "organization",
        "questions": 22,
        "scored": True,
        "version": 1,
    }
    assert flows["desk"]["questions"] == 5
    assert flows["qd1001"]["form"] == "citizen"


def test_links_create_with_a_flow_id(cli: InProcessCli) -> None:
    assert cli("units", "add", "XA-A", "UBND xã A").returncode == 0
    made = cli(
        "links", "create", "--unit", "XA-A", "--dossier", "HS-1", "--flow", "mau02", "--json"
    )
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["form"] == "organization"  # the flow's own form

    unknown = cli("links", "create", "--unit", "XA-A", "--dossier", "HS-2", "--flow", "nope")
    assert unknown.returncode == 1
    assert unknown.stderr.strip().splitlines() == [
        "sipas-bot: error: no published flow 'nope' (see: sipas-bot flows list)"
    ]


def test_units_add_takes_a_place_name(cli: InProcessCli) -> None:
    place = "Trung tâm Phục vụ hành chính công"
    added = cli("units", "add", "PHUONG-B", "UBND phường B", "--place", place)
    assert added.returncode == 0, added.stderr
