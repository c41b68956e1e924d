"""``python -m bench.import_worker FILE DB_URL``: one import measured end to end in a process
of its own, so its memory is the import's alone. Prints JSON.

The real path, as the staff import page takes it: ``bulk_import.import_table`` reads the file
in its worker process (chunks through a temporary file) and creates every row's link a chunk
at a time, then ``result_csv`` gives the clerk's download. The worker process is started
first and timed apart: a server starts it once, at its first import, and keeps it. Nothing
is lifted or extrapolated: the product's own limits apply. Peak memory is reported for this
process and, separately, for the parser process (its children's peak).
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
from bot.dossiers import bulk_import
from bot.dossiers.import_worker import start_parsers, stop_parsers
from bot.services import build_services
from bot.settings import load_settings
from scheduler.clock import system_clock
from storage.db import Database


def peak_rss(who: int = resource.RUSAGE_SELF) -> int:
    return resource.getrusage(who).ru_maxrss * 1024


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


async def run(path: Path, content: bytes, db_url: str) -> dict[str, float]:
    await prepare(db_url, 0)
    database = Database(db_url)
    settings = load_settings(ROOT / "settings.toml", product_env(db_url, 8080))
    services = build_services(settings, system_clock, database)
    began = time.perf_counter()
    await start_parsers()  # as a server has since its first import
    warm_up = time.perf_counter() - began
    before = process_rss(os.getpid())
    began, cpu, loop_cpu = time.perf_counter(), time.process_time(), time.thread_time()
    result = await bulk_import.import_table(
        services.links, unit_code=UNIT, filename=path.name, content=content, actor="bench"
    )
    table = bulk_import.result_csv(result)
    elapsed = time.perf_counter() - began
    cpu, loop_cpu = time.process_time() - cpu, time.thread_time() - loop_cpu
    await database.dispose()
    stop_parsers()  # reaped: its peak memory now counts among this process's children
    return {
        "seconds": elapsed, "warm_up": warm_up, "created": result.created,
        "existing": result.existing, "errors": result.error_count, "bytes": len(content),
        "result_bytes": len(table), "rss_before": before, "rss_peak": peak_rss(),
        "parser_peak": peak_rss(resource.RUSAGE_CHILDREN), "cpu": cpu, "loop_cpu": loop_cpu,
        "parser_cpu": children_cpu(),
    }  # fmt: skip


if __name__ == "__main__":
    file = Path(sys.argv[1])
    print(json.dumps(asyncio.run(run(file, file.read_bytes(), sys.argv[2]))))
