"""The report as an Excel workbook a department can file and paste from.

Sheets: a summary (index, factors, n and interval), the level counts of every criterion, the
units below, and the trend. Figures are written as numbers with a number format, never as
text, so they add up in Excel; every text cell is neutralised against formulas and stored as
an explicit string cell.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reports.exports.cells import neutralise
from reports.exports.words import labels

PERCENT_FORMAT = "0.0"
MEAN_FORMAT = "0.00"
LEVELS = ("1", "2", "3", "4", "5")


def render_xlsx(report: Mapping[str, Any], locale: str = "vi") -> bytes:
    """The workbook's bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    words = labels(locale)
    book = Workbook()
    sheets = [
        (book.active, words["sheet_summary"], _summary_rows(report, words)),
        (book.create_sheet(), words["sheet_levels"], _level_rows(report, words)),
        (book.create_sheet(), words["sheet_children"], _children_rows(report, words)),
        (book.create_sheet(), words["sheet_trend"], _trend_rows(report, words)),
    ]
    bold = Font(bold=True)
    for sheet, title, rows in sheets:
        sheet.title = title[:31]
        for row in rows:
            sheet.append([None] * len(row))
            for column, value in enumerate(row, start=1):
                _write(sheet.cell(row=sheet.max_row, column=column), value)
        for cell in sheet[1]:
            cell.font = bold
        _fit_columns(sheet)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class Figure:
    """A number with its Excel format (percent with one decimal, a mean with two)."""

    value: float | int | None
    format: str


def _pct(value: float | None) -> Figure:
    return Figure(value, PERCENT_FORMAT)


def _write(cell: Any, value: object) -> None:
    if isinstance(value, Figure):
        cell.value = value.value
        if value.value is not None:
            cell.number_format = value.format
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "DD/MM/YYYY"
    elif isinstance(value, str):
        cell.value = neutralise(value)
        cell.data_type = "s"
    else:
        cell.value = value


def _day(iso: str) -> date:
    return date.fromisoformat(iso)


def _fit_columns(sheet: Any) -> None:
    from openpyxl.utils import get_column_letter

    for index, column in enumerate(sheet.iter_cols(values_only=True), start=1):
        longest = max((len(str(v)) for v in column if v is not None), default=8)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 80)


def _interval(block: Mapping[str, Any] | None) -> list[Figure]:
    block = block or {}
    return [_pct(block.get("value")), _pct(block.get("low")), _pct(block.get("high"))]


def _summary_rows(report: Mapping[str, Any], words: Mapping[str, str]) -> list[list[object]]:
    unit, period, responses = report["unit"], report["period"], report["responses"]
    rows: list[list[object]] = [
        [words["report_title"], ""],
        [words["unit"], unit["name"]],
        [words["unit_code"], unit["code"]],
        [words["period"], period["label"]],
        [words["from"], _day(period["from"])],
        [words["to"], _day(period["to"])],
        [words["generated"], str(report.get("generated_at") or "")],
        [words["counted"], responses["counted"]],
        [words["excluded"], responses["excluded"]],
    ]
    for flag, count in sorted((responses.get("by_flag") or {}).items()):
        rows.append([f"  {words.get('flag_' + flag, flag)}", count])
    for source, count in (responses.get("by_source") or {}).items():
        rows.append([f"{words['by_source']}: {words.get('source_' + source, source)}", count])
    rows.append([words["sufficient"], words["yes"] if report.get("sufficient") else words["no"]])
    recheck = report.get("recheck") or {}
    if recheck.get("drawn"):
        rows.append([words["recheck_share"], _pct(recheck.get("confirmed_share"))])
    funnel = report.get("funnel") or {}
    for step in ("created", "opened", "consented", "completed"):
        if step in funnel:
            rows.append([words[f"funnel_{step}"], funnel[step]])
    rows.append([])
    rows.append(["", words["index"], words["low"], words["high"], words["mean"], words["n"]])
    rows.append([words["sipas"], *_interval(report.get("sipas")), None, responses["counted"]])
    for factor in report.get("factors", []):
        rows.append(
            [
                f"{factor['id']}. {factor.get('name', '')}",
                *_interval(factor),
                Figure(factor.get("mean"), MEAN_FORMAT),
                factor.get("n"),
            ]
        )
    rows.append([])
    rows.append([words["method"]])
    return rows


def _level_rows(report: Mapping[str, Any], words: Mapping[str, str]) -> list[list[object]]:
    header: list[object] = [
        words["criterion"],
        words["wording"],
        words["factor"],
        *(words[f"level_{level}"] for level in LEVELS),
        words["not_applicable"],
        words["n"],
        words["index"],
        words["low"],
        words["high"],
        words["mean"],
    ]
    rows = [header]
    for criterion in report.get("criteria", []):
        counts = criterion.get("levels") or {}
        rows.append(
            [
                criterion["id"],
                criterion.get("text", ""),
                criterion.get("factor", ""),
                *(int(counts.get(level, 0)) for level in LEVELS),
                criterion.get("not_applicable", 0),
                criterion.get("n"),
                *_interval(criterion),
                Figure(criterion.get("mean"), MEAN_FORMAT),
            ]
        )
    return rows


def _children_rows(report: Mapping[str, Any], words: Mapping[str, str]) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            words["unit_code"],
            words["unit"],
            words["counted"],
            words["excluded"],
            words["index"],
            words["low"],
            words["high"],
            words["rankable"],
        ]
    ]
    for child in report.get("children", []):
        sufficient = bool(child.get("sufficient"))
        rows.append(
            [
                child["unit"]["code"],
                child["unit"]["name"],
                child["responses"]["counted"],
                child["responses"].get("excluded", 0),
                *_interval(child.get("sipas")),
                words["yes"] if sufficient else words["not_enough"],
            ]
        )
    return rows


def _trend_rows(report: Mapping[str, Any], words: Mapping[str, str]) -> list[list[object]]:
    rows: list[list[object]] = [
        [
            words["period"],
            words["from"],
            words["to"],
            words["index"],
            words["low"],
            words["high"],
            words["n"],
            words["change"],
        ]
    ]
    for point in _points(report.get("trend")):
        change = point.get("change")
        rows.append(
            [
                point["period"]["label"],
                _day(point["period"]["from"]),
                _day(point["period"]["to"]),
                *_interval(point.get("sipas")),
                point.get("n"),
                words[change] if change else "",
            ]
        )
    return rows


def _points(trend: Sequence[Mapping[str, Any]] | None) -> Iterable[Mapping[str, Any]]:
    return trend or ()
