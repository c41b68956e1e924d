"""Large imports go a chunk at a time: the same links, problems and messages as one by one,
across chunk boundaries, with short codes kept unique by redrawing only what collides."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from bot.dossiers.bulk_import import (
    SHOWN,
    ImportResult,
    TableError,
    import_table,
    parse_chunks,
    result_csv,
)
from bot.dossiers.import_rows import check_table
from bot.dossiers.links import LinkService
from bot.dossiers.tables import MAX_CELL
from bot.services import Services
from storage.models import Dossier, SurveyLink
from storage.repos import audit

UNIT = "XA-HOATHANH"


def table(codes: list[str], header: str = "Mã hồ sơ,Loại,Số điện thoại") -> bytes:
    lines = [header, *(f"{code},Công dân,0912345678" for code in codes)]
    return "\n".join(lines).encode()


async def imported(
    links: LinkService, content: bytes, chunk_rows: int, filename: str = "lon.csv"
) -> ImportResult:
    return await import_table(
        links,
        unit_code=UNIT,
        filename=filename,
        content=content,
        actor="web:clerk1",
        chunk_rows=chunk_rows,
    )


def csv_lines(result: ImportResult) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(result_csv(result).decode("utf-8-sig"))))


async def count(services: Services, model: type[Dossier] | type[SurveyLink]) -> int:
    async with services.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def test_rows_come_in_chunks_of_the_size_asked() -> None:
    codes = [f"HS-{n:05d}" for n in range(2500)]
    chunks = list(parse_chunks("lon.csv", table(codes), chunk_rows=1000))
    assert [len(rows) for rows, _ in chunks] == [1000, 1000, 500]
    assert [row.dossier_code for rows, _ in chunks for row in rows] == codes
    assert chunks[1][0][0].row == 1002  # numbered as in the spreadsheet (header = row 1)


async def test_chunk_boundaries_repeats_and_dossiers_already_there(services: Services) -> None:
    """2,500 rows in chunks of 1,000: two dossiers exist before the import (one in each of
    two chunks), two codes repeat an earlier row of another chunk, one row is invalid."""
    codes = [f"HS-{n:05d}" for n in range(2500)]
    codes[1500] = codes[10]  # row 1502 repeats row 12, a chunk earlier
    codes[2499] = codes[999]  # the last row repeats the first chunk's last (row 1001)
    codes[1200] = "mã sai!"  # row 1202
    before = [await services.links.create(unit_code=UNIT, dossier_code=c) for c in codes[5:6]]
    before.append(await services.links.create(unit_code=UNIT, dossier_code=codes[2000]))

    result = await imported(services.links, table(codes), chunk_rows=1000)

    assert (result.created, result.existing, result.error_count) == (2495, 2, 3)
    assert [(e.row, e.reason) for e in result.errors] == [
        (1202, "Mã hồ sơ “mã sai!” chỉ được gồm chữ không dấu, chữ số và các dấu . _ / -"),
        (1502, "Mã hồ sơ “HS-00010” trùng với dòng 12"),
        (2501, "Mã hồ sơ “HS-00999” trùng với dòng 1001"),
    ]
    assert await count(services, Dossier) == 2497 and await count(services, SurveyLink) == 2497
    lines = csv_lines(result)
    assert [int(line["row"]) for line in lines] == list(range(2, 2502))
    statuses = {int(line["row"]): line["status"] for line in lines}
    assert statuses[7] == statuses[2002] == "existing"
    assert [statuses[n] for n in (1202, 1502, 2501)] == ["error"] * 3
    existing = {line["web_link"] for line in lines if line["status"] == "existing"}
    assert existing == {services.links.web_url(info.link.token) for info in before}
    assert len({line["web_link"] for line in lines if line["web_link"]}) == 2497
    assert len(result.links) == SHOWN  # the page lists the first links only
    assert [i.dossier.code for i in result.links[:3]] == codes[:3]
    # stored dates read back as the link service's own (same manual clock, same expiry)
    stamps = {(i.link.created_at, i.link.expires_at, i.dossier.created_at) for i in result.links}
    assert stamps == {(before[0].link.created_at, before[0].link.expires_at, services.now())}

    async with services.db.transaction() as session:
        chunks = await audit.entries(session, "link.create")
        (summary,) = await audit.entries(session, "link.import")
    # a chunk is 1,000 rows, problems included: 1,000 less one that existed; 1,000 less two
    # errors; the last 500 less one error and one that existed
    assert [e.detail["created"] for e in chunks if e.actor == "web:clerk1"] == [999, 998, 498]
    assert summary.detail == {
        "file": "lon.csv",
        "created": 2495,
        "existing": 2,
        "errors": 3,
        "warnings": 0,
    }

    again = await imported(services.links, table(codes), chunk_rows=700)
    assert (again.created, again.existing, again.error_count) == (0, 2497, 3)
    assert [line["web_link"] for line in csv_lines(again)] == [line["web_link"] for line in lines]


def drawn(values: list[str]) -> tuple[Iterator[str], list[str]]:
    """A short code source that hands out ``values`` in order and records each draw."""
    taken: list[str] = []

    def source() -> Iterator[str]:
        for value in values:
            taken.append(value)
            yield value
        raise AssertionError("more short codes drawn than expected")

    return source(), taken


@pytest.mark.parametrize(
    ("chunk_rows", "draws", "expected"),
    [
        # one chunk: AAAAAA is already a link's, the second BBBBBB repeats the first
        (1000, ["AAAAAA", "BBBBBB", "BBBBBB", "CCCCCC", "DDDDDD"], ["CCCCCC", "BBBBBB", "DDDDDD"]),
        # chunks of two: AAAAAA is taken; then the next chunk draws the previous one's BBBBBB
        (2, ["AAAAAA", "BBBBBB", "EEEEEE", "BBBBBB", "CCCCCC"], ["EEEEEE", "BBBBBB", "CCCCCC"]),
    ],
    ids=["within-a-chunk", "across-chunks"],
)
async def test_a_colliding_short_code_is_redrawn_alone(
    services: Services, chunk_rows: int, draws: list[str], expected: list[str]
) -> None:
    """A drawn short code that is taken (in the database, or earlier in the chunk) is drawn
    again, alone: the source is asked exactly once more for each collision."""
    links = services.links
    links.code_source = lambda: "AAAAAA"  # the injected source of short codes
    first = await links.create(unit_code=UNIT, dossier_code="HS-OLD")
    assert first.link.short_code == "AAAAAA"
    codes, taken = drawn(draws)
    links.code_source = lambda: next(codes)

    result = await imported(links, table(["HS-1", "HS-2", "HS-3"]), chunk_rows=chunk_rows)

    assert [i.link.short_code for i in result.links] == expected
    assert taken == draws
    lines = csv_lines(result)
    assert [line["status"] for line in lines] == ["created"] * 3


async def test_a_file_refused_near_its_end_creates_nothing(services: Services) -> None:
    """Chunks are linked while the rest of the file is still being parsed: a limit that
    refuses the file in its last row (a cell too long) still leaves no dossier, no link and
    no audit entry behind."""
    codes = [f"HS-{n:05d}" for n in range(2500)]
    codes[-1] = "HS-" + "9" * MAX_CELL
    with pytest.raises(TableError) as refused:
        await imported(services.links, table(codes), chunk_rows=1000)
    assert "Dòng 2501" in refused.value.text("vi")
    assert await count(services, Dossier) == 0 and await count(services, SurveyLink) == 0
    async with services.db.transaction() as session:
        assert await audit.entries(session, "link.create") == []
        assert await audit.entries(session, "link.import") == []


def test_checking_a_file_counts_its_dossier_rows_without_reading_their_fields() -> None:
    codes = [f"HS-{n:05d}" for n in range(2500)]
    codes[7] = "mã sai!"  # a row error, not the file's: counted all the same
    content = table(codes).replace(b"\n", b"\n\n", 3)  # blank lines are not dossier rows
    assert check_table("lon.csv", content) == 2500
