"""``python -m bench.import_worker FILE ROWS DB_URL LINK_SAMPLE``: one import measured in a
process of its own, so its memory (RSS before parsing, peak after) is the import's alone.
Prints JSON.

Today ``bulk_import.MAX_ROWS`` refuses files over 5,000 rows (and the table reader's
``MAX_LINES`` and ``MAX_UNPACKED`` bound what it reads); the bench lifts those limits in this
process only, to measure what a 100,000-row file costs. The reader's 30-second deadline
stays. Parsing covers the whole file;
link creation (``import_table``'s per-row ``links.create``) is measured on the first
LINK_SAMPLE rows and its rate reported.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from pathlib import Path

from bench.dataset import UNIT, prepare
from bench.measure import process_rss
from bench.product import ROOT, product_env
from bot.dossiers import bulk_import, tables
from bot.services import build_services
from bot.settings import load_settings
from scheduler.clock import system_clock
from storage.db import Database


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


async def create_links(db_url: str, rows: list[bulk_import.ImportRow]) -> float:
    await prepare(db_url, 0)
    database = Database(db_url)
    settings = load_settings(ROOT / "settings.toml", product_env(db_url, 8080))
    services = build_services(settings, system_clock, database)
    began = time.perf_counter()
    for row in rows:
        await services.links.create(unit_code=UNIT, dossier_code=row.dossier_code, form=row.form,
                                    procedure=row.procedure, phone=row.phone)  # fmt: skip
    elapsed = time.perf_counter() - began
    await database.dispose()
    return elapsed


def main(path: Path, rows: int, db_url: str, sample: int) -> None:
    content = path.read_bytes()
    before = process_rss(os.getpid())
    bulk_import.MAX_ROWS = rows + 1
    bulk_import.MAX_LINES = 2 * bulk_import.MAX_ROWS
    tables.MAX_UNPACKED = max(tables.MAX_UNPACKED, 40 * len(content))
    began = time.perf_counter()
    found, errors = bulk_import.parse_table(path.name, content)
    parsed = time.perf_counter() - began
    parse_peak = peak_rss()
    links = asyncio.run(create_links(db_url, found[:sample])) if sample else 0.0
    print(json.dumps({
        "rows": len(found), "errors": len(errors), "parse_seconds": parsed,
        "link_seconds": links, "linked": min(sample, len(found)), "bytes": len(content),
        "rss_before": before, "rss_after_parse": parse_peak, "rss_peak": peak_rss(),
    }))  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
