"""The report as plain text for a terminal or a message: the same figures as the JSON, with
n and the 95 % interval beside every index and "not enough responses" instead of a rank.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from reports.exports.words import word
from reports.formatting import day, number, percent


def _interval(entry: Mapping[str, Any], n: int | None, locale: str) -> str:
    parts = [f"n = {number(n or 0, 0, locale)}"]
    if entry.get("low") is not None and entry.get("high") is not None:
        parts.append(f"{percent(entry['low'], locale)} – {percent(entry['high'], locale)}")
    return f"{percent(entry.get('value'), locale)} ({'; '.join(parts)})"


def _dates(period: Mapping[str, str]) -> str:
    start, end = (date.fromisoformat(period[key]) for key in ("from", "to"))
    return f"{day(start)} – {day(end)}"


def render(report: Mapping[str, Any], locale: str) -> bytes:
    responses = report["responses"]
    lines = [
        word("title", locale),
        f"{word('unit', locale)}: {report['unit']['name']} ({report['unit']['code']})",
        f"{word('period', locale)}: {report['period']['label']} ({_dates(report['period'])})",
        f"{word('counted', locale)}: {number(responses['counted'], 0, locale)}; "
        f"{word('excluded', locale).lower()}: {number(responses['excluded'], 0, locale)}",
    ]
    if not report["sufficient"]:
        lines.append(
            f"⚠️ {word('not_enough', locale)} "
            f"({number(responses['counted'], 0, locale)}/{number(report['required'], 0, locale)})"
        )
    lines += [
        "",
        f"{word('sipas', locale)}: {_interval(report['sipas'], report['sipas'].get('n'), locale)}",
    ]
    for factor in report["factors"]:
        lines.append(f"• {factor['name']}: {_interval(factor, factor['n'], locale)}")
    lines.append("")
    for c in report["criteria"]:
        lines.append(f"{c['id']} {c['text']}: {_interval(c, c['n'], locale)}")
    if report.get("unanswered"):
        lines.append(word("unanswered", locale, ids=", ".join(report["unanswered"])))
    if report["children"]:
        lines += ["", word("children", locale) + ":"]
        for child in report["children"]:
            rank = (
                f"{child['rank']}."
                if child.get("rank")
                else f"– ({word('not_enough', locale) if not child['sufficient'] else '—'})"
            )
            lines.append(
                f"{rank} {child['unit']['name']}: "
                f"{_interval(child['sipas'], child['responses']['counted'], locale)}"
            )
    if len(report.get("trend", [])) > 1:
        lines += ["", word("trend", locale) + ":"]
        for entry in report["trend"]:
            change = f" · {word(entry['change'], locale)}" if entry["change"] else ""
            shown = _interval(entry["sipas"], entry["n"], locale)
            lines.append(f"{entry['period']['label']}: {shown}{change}")
    return ("\n".join(lines) + "\n").encode("utf-8")
