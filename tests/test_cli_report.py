"""``sipas-bot report``: every text format, the default period, files, one-line errors, and
CSV that Excel reads (BOM) and that cannot smuggle a formula."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.services import build_services
from reports.exports import csv_export
from scheduler.clock import ManualClock
from storage.repos import units
from tests.support.environment import START, fresh_database, make_settings
from tests.support.scheduler import complete_response


async def _prepare(url: str) -> None:
    database = await fresh_database(url)
    services = build_services(make_settings(url, 8080), ManualClock(START), database)
    try:
        async with database.transaction() as session:
            await units.add(session, "TINH", "Tỉnh", now=START)
            await units.add(session, "XA-A", "UBND xã A", now=START, parent_code="TINH", quota=2)
            await units.add(session, "XA-B", "UBND xã B", now=START, parent_code="TINH")
        await complete_response(services, "c1", "HS-1", [4] * 22, unit="XA-A")
        await complete_response(services, "c2", "HS-2", [2] * 20 + [0, 0], unit="XA-A")
    finally:
        await database.dispose()


@pytest.fixture
def cli_db(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("SIPAS__DATABASE__URL", sqlite_url)
    asyncio.run(_prepare(sqlite_url))
    return sqlite_url


def test_json_report_of_a_month(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--unit", "TINH", "--period", "2026-11", "--format", "json"]) == 0
    out, _err = capsys.readouterr()
    report = json.loads(out)
    assert report["period"] == {"label": "2026-11", "from": "2026-11-01", "to": "2026-11-30"}
    assert report["responses"]["counted"] == 2
    child = report["children"][0]
    # A quota of 2 a year: 2 responses are enough for XA-A, which may be ranked.
    assert (child["unit"]["code"], child["sufficient"], child["rank"]) == ("XA-A", True, 1)
    # 5.3 and 5.4: one valid answer (4): 100 %, so F5 = 75 and SIPAS = (4 x 50 + 75) / 5.
    assert child["sipas"]["value"] == 55.0


def test_text_report_says_not_enough(cli_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--unit", "TINH", "--period", "2026-W48"]) == 0
    out, _err = capsys.readouterr()
    assert "Kỳ báo cáo: 2026-W48 (23/11/2026 – 29/11/2026)" in out
    assert "Chỉ số SIPAS: 55,0 % (n = 2" in out
    assert "1. UBND xã A: 55,0 %" in out
    assert "– (chưa đủ phiếu) UBND xã B: — (n = 0)" in out
    assert main(["report", "--unit", "XA-B", "--period", "2026-W48"]) == 0
    assert "⚠️ chưa đủ phiếu (0/30)" in capsys.readouterr().out


def test_csv_to_a_file(cli_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "bao-cao.csv"
    assert (
        main(
            [
                "report",
                "--unit",
                "XA-A",
                "--period",
                "2026",
                "--format",
                "csv",
                "--out",
                str(target),
            ]
        )
        == 0
    )
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[1] == ["Đơn vị", "UBND xã A", "XA-A"]
    sipas = next(r for r in rows if r and r[0] == "Chỉ số SIPAS")
    assert sipas[3] == "55.0"
    criterion = next(r for r in rows if r[:2] == ["Tiêu chí", "5.4"])
    assert criterion[6] == "1" and criterion[-1] == "1"  # one level given, one "no opinion"


def test_default_period_is_the_last_complete_month(
    cli_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--unit", "XA-A", "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["period"]["to"] < report["generated_at"][:10]
    assert report["period"]["from"].endswith("-01")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--unit", "NOPE"], "unknown unit 'NOPE'"),
        (["--unit", "XA-A", "--period", "2026-13"], "'2026-13' is not a valid period: a month"),
        (["--unit", "XA-A", "--format", "pdf"], "--format pdf is a file: give --out FILE"),
        (["--unit", "XA-A", "--format", "xlsx", "--out", "/nonexistent/x.xlsx"], "cannot write"),
    ],
)
def test_user_errors_are_one_line(
    cli_db: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["report", *argv]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and message in err


def test_csv_cells_cannot_be_formulas() -> None:
    report = {
        "unit": {"code": "=HYPERLINK(1)", "name": "+cmd|' /C calc'!A0"},
        "period": {"label": "@SUM(1)", "from": "-1", "to": "\tx"},
        "responses": {"counted": 0, "excluded": 0, "by_flag": {}},
        "sufficient": False,
        "required": 30,
        "sipas": {"value": None, "low": None, "high": None, "n": 0},
        "factors": [],
        "criteria": [],
        "children": [],
        "trend": [],
        "generated_at": "\rnow",
    }
    text = csv_export.render(report, "vi").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    for dangerous in ("=HYPERLINK(1)", "+cmd|' /C calc'!A0", "@SUM(1)", "-1", "\tx", "\rnow"):
        assert dangerous not in cells and "'" + dangerous in cells
