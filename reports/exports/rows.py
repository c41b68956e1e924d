"""The report as rows of cells (shared by the CSV export and any tabular renderer): labelled
in the reader's language, numbers left as numbers, ``None`` where there is nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reports.exports.words import word

Cell = str | int | float | None


def _sufficient(flag: bool, locale: str) -> str:
    return word("yes" if flag else "not_enough", locale)


def summary(report: Mapping[str, Any], locale: str) -> list[list[Cell]]:
    responses = report["responses"]
    rows: list[list[Cell]] = [
        [word("title", locale)],
        [word("unit", locale), report["unit"]["name"], report["unit"]["code"]],
        [word("period", locale), report["period"]["label"]],
        [
            word("from", locale),
            report["period"]["from"],
            word("to", locale),
            report["period"]["to"],
        ],
        [word("counted", locale), responses["counted"]],
        [word("excluded", locale), responses["excluded"]],
        *([f"  {flag}", count] for flag, count in responses.get("by_flag", {}).items()),
        [word("required", locale), report.get("required")],
        [word("sufficient", locale), _sufficient(report["sufficient"], locale)],
        [word("generated", locale), report.get("generated_at")],
    ]
    return rows


def level_keys(report: Mapping[str, Any]) -> list[str]:
    keys: set[str] = set()
    for criterion in report["criteria"]:
        keys.update(criterion["levels"])
    return sorted(keys, key=int)


def indices(report: Mapping[str, Any], locale: str) -> list[list[Cell]]:
    """SIPAS, factors and criteria with value, interval, n, mean and people per level."""
    levels = level_keys(report)
    header: list[Cell] = [
        word("measure", locale),
        word("id", locale),
        word("name", locale),
        word("value", locale),
        word("low", locale),
        word("high", locale),
        word("n", locale),
        word("mean", locale),
        *(word("level", locale, level=level) for level in levels),
        word("not_applicable", locale),
    ]
    sipas = report["sipas"]
    rows: list[list[Cell]] = [
        header,
        [
            word("sipas", locale),
            "SIPAS",
            "",
            sipas["value"],
            sipas["low"],
            sipas["high"],
            sipas.get("n"),
        ],
    ]
    for factor in report["factors"]:
        rows.append(
            [
                word("factor", locale),
                factor["id"],
                factor["name"],
                factor["value"],
                factor["low"],
                factor["high"],
                factor["n"],
                factor.get("mean"),
            ]
        )
    for c in report["criteria"]:
        rows.append(
            [
                word("criterion", locale),
                c["id"],
                c["text"],
                c["value"],
                c["low"],
                c["high"],
                c["n"],
                c["mean"],
                *(c["levels"].get(level, 0) for level in levels),
                c["not_applicable"],
            ]
        )
    return rows


def children(report: Mapping[str, Any], locale: str) -> list[list[Cell]]:
    if not report["children"]:
        return []
    rows: list[list[Cell]] = [
        [word("children", locale)],
        [
            word("unit", locale),
            word("id", locale),
            word("counted", locale),
            word("sufficient", locale),
            word("value", locale),
            word("low", locale),
            word("high", locale),
            word("rank", locale),
        ],
    ]
    for child in report["children"]:
        sipas = child["sipas"]
        rows.append(
            [
                child["unit"]["name"],
                child["unit"]["code"],
                child["responses"]["counted"],
                _sufficient(child["sufficient"], locale),
                sipas["value"],
                sipas["low"],
                sipas["high"],
                child.get("rank"),
            ]
        )
    return rows


def trend(report: Mapping[str, Any], locale: str) -> list[list[Cell]]:
    """SIPAS and each factor per period of the trend, oldest first."""
    factors = [(f["id"], f["name"]) for f in report["factors"]]
    rows: list[list[Cell]] = [
        [word("trend", locale)],
        [
            word("period", locale),
            word("value", locale),
            word("low", locale),
            word("high", locale),
            word("counted", locale),
            word("change", locale),
            *(name for _, name in factors),
        ],
    ]
    for entry in report.get("trend", []):
        change = entry["change"]
        values = {f["id"]: f["value"] for f in entry.get("factors", [])}
        rows.append(
            [
                entry["period"]["label"],
                entry["sipas"]["value"],
                entry["sipas"]["low"],
                entry["sipas"]["high"],
                entry["n"],
                word(change, locale) if change else None,
                *(values.get(factor_id) for factor_id, _ in factors),
            ]
        )
    return rows


def all_rows(report: Mapping[str, Any], locale: str) -> list[list[Cell]]:
    blocks = [
        summary(report, locale),
        indices(report, locale),
        children(report, locale),
        trend(report, locale),
    ]
    rows: list[list[Cell]] = []
    for block in blocks:
        if block:
            rows += [*block, []]
    return rows[:-1]
