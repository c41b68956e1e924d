"""A unit's desk results as plain text (``sipas-bot desks report``), in Vietnamese or English,
from the JSON of ``reports.desks.build_desk_report``."""

from __future__ import annotations

from typing import Any

from flows.texts import lookup
from reports.formatting import number, percent

PHRASES: dict[str, dict[str, str]] = {
    "title": {
        "vi": "Kết quả đánh giá tại quầy · {unit} · {period}",
        "en": "Desk rating results · {unit} · {period}",
    },
    "minimum": {
        "vi": "Mỗi quầy cần ít nhất {required} phiếu được tính trong kỳ để được xếp hạng.",
        "en": "A desk needs at least {required} counted ratings in the period to be ranked.",
    },
    "none": {"vi": "Đơn vị chưa có quầy nào.", "en": "The unit has no desk."},
    "desk": {"vi": "{name} ({code})", "en": "{name} ({code})"},
    "counted": {
        "vi": "  Phiếu được tính: {counted} (không tính {excluded} phiếu cần xem xét); góp ý: "
        "{comments}",
        "en": "  Ratings counted: {counted} ({excluded} awaiting review left out); comments: "
        "{comments}",
    },
    "index": {
        "vi": "  Chỉ số hài lòng: {value} (khoảng tin cậy 95 %: {low} – {high}); hạng {rank}",
        "en": "  Satisfaction index: {value} (95% interval {low} – {high}); rank {rank}",
    },
    "not_enough": {
        "vi": "  Chưa đủ phiếu ({counted}/{required}): không xếp hạng",
        "en": "  Not enough responses ({counted}/{required}): not ranked",
    },
    "share": {
        "vi": "    hài lòng {value} ({low} – {high}, n = {n})",
        "en": "    satisfied {value} ({low} – {high}, n = {n})",
    },
    "share_too_few": {
        "vi": "    hài lòng: chưa đủ phiếu (n = {n})",
        "en": "    satisfied: not enough responses (n = {n})",
    },
    "skipped": {"vi": "bỏ qua", "en": "skipped"},
}


def _t(key: str, locale: str, **values: object) -> str:
    return lookup(PHRASES, key, locale, **values)


def _question(question: dict[str, Any], locale: str) -> list[str]:
    def num(value: int) -> str:
        return number(value, 0, locale)

    answers = [f"{a['label'] or a['value']}: {num(a['count'])}" for a in question["answers"]]
    if question["skipped"]:
        answers.append(f"{_t('skipped', locale)}: {num(question['skipped'])}")
    lines = [f"  - {question['text']}", f"    {' · '.join(answers)}"]
    share = question["satisfied"]
    if share is not None and question["sufficient"]:
        low, high = percent(share["low"], locale), percent(share["high"], locale)
        value = percent(share["value"], locale)
        lines.append(_t("share", locale, value=value, low=low, high=high, n=num(share["n"])))
    elif share is not None:
        lines.append(_t("share_too_few", locale, n=num(share["n"])))
    return lines


def _desk(desk: dict[str, Any], locale: str) -> list[str]:
    def num(value: int) -> str:
        return number(value, 0, locale)

    counted = desk["responses"]["counted"]
    lines = [
        _t("desk", locale, **desk["desk"]),
        _t(
            "counted",
            locale,
            counted=num(counted),
            excluded=num(desk["responses"]["excluded"]),
            comments=num(desk["comments"]),
        ),
    ]
    if desk["sufficient"]:
        index = desk["index"]
        lines.append(
            _t(
                "index",
                locale,
                value=percent(index["value"], locale),
                low=percent(index["low"], locale),
                high=percent(index["high"], locale),
                rank=desk["rank"] or "—",
            )
        )
    else:
        lines.append(_t("not_enough", locale, counted=num(counted), required=desk["required"]))
    for question in desk["questions"]:
        lines.extend(_question(question, locale))
    return lines


def desk_report_text(report: dict[str, Any], locale: str) -> str:
    lines = [
        _t("title", locale, unit=report["unit"]["name"], period=report["period"]["label"]),
        _t("minimum", locale, required=report["required"]),
    ]
    if not report["desks"]:
        lines.append(_t("none", locale))
    for desk in report["desks"]:
        lines.append("")
        lines.extend(_desk(desk, locale))
    return "\n".join(lines) + "\n"
