"""Imports of dossiers from CSV and XLSX: parse time, peak memory, and the rate of link
creation behind them (bot/dossiers/bulk_import.py), each in a process of its own."""

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


def measure(path: Path, count: int, db_url: str, sample: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.import_worker", str(path), str(count), db_url, str(sample)],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    return json.loads(out.strip().splitlines()[-1])


def bench_imports(count: int, sample: int) -> Section:
    section = Section("Imports")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for kind, write in (("CSV", write_csv), ("XLSX", write_xlsx)):
            path = folder / f"dossiers.{kind.lower()}"
            began = time.perf_counter()
            write(path, count)
            made = time.perf_counter() - began
            found = measure(path, count, sqlite_url(folder, f"{kind}.sqlite3"), sample)
            per_link = found["link_seconds"] / max(found["linked"], 1)
            total = found["parse_seconds"] + per_link * count
            section.add(
                f"{kind}: {count:,} dossiers, parse ({found['bytes'] / 2**20:.1f} MiB file)",
                f"{found['parse_seconds']:.2f} s, {found['rows']:,} rows",
            )
            section.add(
                f"{kind}: parse + links (links: {ms(per_link)} each, measured on "
                f"{int(found['linked']):,})",
                f"{total:,.0f} s (extrapolated)",
                "≤ 10 s",
                total <= 10,
            )
            section.add(
                f"{kind}: memory of the import process",
                f"RSS {found['rss_before'] / 2**20:,.0f} MiB before parsing, peak "
                f"{found['rss_after_parse'] / 2**20:,.0f} MiB after it",
            )
            section.note(f"{kind} file of {count:,} rows written in {made:.1f} s.")
    section.note(
        "Today `bulk_import.MAX_ROWS` = 5,000 refuses a 100,000-row file outright; the bench "
        "lifts the limit in its worker to measure the cost."
    )
    section.findings(findings.IMPORTS)
    return section
