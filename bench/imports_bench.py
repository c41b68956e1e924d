"""Imports of dossiers from CSV and XLSX, end to end (bot/dossiers/bulk_import.py): the
time from upload to result for every row, and peak memory, each in a process of its own."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from bench import findings
from bench.dataset import sqlite_url
from bench.measure import ms
from bench.product import ROOT
from bench.results import Section

HEADER = ["STT", "Mã hồ sơ", "Thủ tục", "Số điện thoại", "Loại"]


def rows(count: int) -> list[list[str]]:
    return [
        [str(n), f"H{n:08d}", "Đăng ký khai sinh", f"09{n % 100_000_000:08d}", "Công dân"]
        for n in range(1, count + 1)
    ]


def write_csv(path: Path, count: int) -> None:
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADER)
    writer.writerows(rows(count))
    path.write_bytes(text.getvalue().encode("utf-8-sig"))


def write_xlsx(path: Path, count: int) -> None:
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Hồ sơ")
    sheet.append(HEADER)
    for row in rows(count):
        sheet.append(row)
    book.save(path)


def measure(path: Path, db_url: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.import_worker", str(path), db_url],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise RuntimeError(f"the import of {path.name} failed: {done.stderr[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_imports(count: int) -> Section:
    """Each file imported end to end into a fresh SQLite database: every row's link is
    created and timed, nothing extrapolated."""
    section = Section("Imports")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind, write in (("CSV", write_csv), ("XLSX", write_xlsx)):
            path = folder / f"dossiers.{kind.lower()}"
            began = time.perf_counter()
            write(path, count)
            made = time.perf_counter() - began
            found = measure(path, sqlite_url(folder, f"{kind}.sqlite3"))
            seconds = found["seconds"]
            section.add(
                f"{kind}: {count:,} dossiers ({found['bytes'] / 2**20:.1f} MiB file), read + "
                f"every link created + result CSV",
                f"{seconds:.2f} s ({ms(seconds / max(count, 1))} a row), "
                f"{int(found['created']):,} links created",
                "≤ 10 s",
                seconds <= 10 and found["created"] == count,
            )
            section.add(
                f"{kind}: CPU of the import",
                f"{found['cpu'] + found['parser_cpu']:.1f} s: parser process "
                f"{found['parser_cpu']:.1f} s (start included), event loop thread "
                f"{found['loop_cpu']:.1f} s, database thread "
                f"{found['cpu'] - found['loop_cpu']:.1f} s",
            )
            section.add(
                f"{kind}: memory",
                f"import process RSS {found['rss_before'] / 2**20:,.0f} MiB before, peak "
                f"{found['rss_peak'] / 2**20:,.0f} MiB; parser process peak "
                f"{found['parser_peak'] / 2**20:,.0f} MiB; result CSV "
                f"{found['result_bytes'] / 2**20:,.1f} MiB",
            )
            section.note(
                f"{kind} file of {count:,} rows written in {made:.1f} s; the parser process "
                f"started in {found['warm_up']:.1f} s before the import was timed (once per "
                f"server)."
            )
    section.findings(findings.IMPORTS)
    return section
