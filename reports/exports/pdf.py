"""The report as an A4 PDF a department can print, file and pin on a notice board.

It carries the unit and the period, the SIPAS index with n and its 95 % interval, the factor
chart, the criteria table with the flow's wording, the trend, and the units below with whether
they may be ranked. Greys and black only, so it reads printed in black and white; DejaVu Sans
is embedded for the diacritics.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from reports.chart import interval_chart, trend_chart
from reports.exports.words import labels
from reports.formatting import day, number, percent
from reports.pdf_fonts import add_fonts

MARGIN = 15
BODY = 9.5


def render_pdf(report: Mapping[str, Any], locale: str = "vi") -> bytes:
    """The PDF's bytes."""
    from fpdf import FPDF

    words = labels(locale)

    class ReportPdf(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(family, "", 8)
            footer = f"{report['unit']['name']} · {report['period']['label']} · " + words[
                "page"
            ].format(page=self.page_no(), pages="{nb}")
            self.cell(0, 6, footer, align="C")

    pdf = ReportPdf(format="A4")
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=True, margin=16)
    family = add_fonts(pdf)
    pdf.set_title(f"{words['report_title']} {report['unit']['name']} {report['period']['label']}")
    pdf.add_page()
    _heading(pdf, family, report, words, locale)
    _summary(pdf, family, report, words, locale)
    _factor_chart(pdf, report, words, locale)
    _criteria(pdf, family, report, words, locale)
    _trend(pdf, family, report, words, locale)
    _children(pdf, family, report, words, locale)
    pdf.ln(3)
    pdf.set_font(family, "", 8)
    _line(pdf, 4, words["method"])
    return bytes(pdf.output())


def _heading(
    pdf: Any, family: str, report: Mapping[str, Any], words: Mapping[str, str], locale: str
) -> None:
    period = report["period"]
    pdf.set_font(family, "B", 15)
    _line(pdf, 8, words["report_title"])
    pdf.set_font(family, "B", 12)
    _line(pdf, 7, report["unit"]["name"])
    pdf.set_font(family, "", BODY)
    span = f"{_date(period['from'])} – {_date(period['to'])}"
    _line(pdf, 5, f"{words['period']}: {period['label']} ({span})")
    generated = report.get("generated_at")
    if generated:
        _line(pdf, 5, f"{words['generated']}: {_date(str(generated))}")
    pdf.ln(2)


def _summary(
    pdf: Any, family: str, report: Mapping[str, Any], words: Mapping[str, str], locale: str
) -> None:
    responses = report["responses"]
    sipas = report.get("sipas") or {}
    pdf.set_font(family, "B", 13)
    if report.get("sufficient"):
        headline = f"{words['sipas']}: {percent(sipas.get('value'), locale)}"
    else:
        headline = (
            f"{words['sipas']}: {percent(sipas.get('value'), locale)} ({words['not_enough']})"
        )
    _line(pdf, 7, headline)
    pdf.set_font(family, "", BODY)
    lines = [
        f"{words['interval']}: {_interval(sipas, locale)}",
        f"{words['counted']}: {number(responses['counted'], 0, locale)}",
        f"{words['excluded']}: {number(responses['excluded'], 0, locale)}",
    ]
    for flag, count in sorted((responses.get("by_flag") or {}).items()):
        lines.append(f"   – {words.get('flag_' + flag, flag)}: {number(count, 0, locale)}")
    sources = [
        f"{words.get('source_' + s, s)} {number(c, 0, locale)}"
        for s, c in (responses.get("by_source") or {}).items()
        if c
    ]
    if sources:
        lines.append(f"{words['by_source']}: " + ", ".join(sources))
    recheck = report.get("recheck") or {}
    if recheck.get("drawn"):
        share = recheck.get("confirmed_share")
        lines.append(
            words["recheck_line"].format(
                drawn=number(recheck["drawn"], 0, locale),
                confirmed=number(recheck.get("confirmed", 0), 0, locale),
                denied=number(recheck.get("denied", 0), 0, locale),
                unreachable=number(recheck.get("unreachable", 0), 0, locale),
                share=percent(share, locale) if share is not None else "—",
            )
        )
    funnel = report.get("funnel") or {}
    if funnel.get("created"):
        lines.append(
            words["funnel_line"].format(
                **{
                    k: number(funnel.get(k, 0), 0, locale)
                    for k in ("created", "opened", "consented", "completed")
                }
            )
        )
    for line in lines:
        _line(pdf, 5, line)
    pdf.ln(2)


def _factor_chart(
    pdf: Any, report: Mapping[str, Any], words: Mapping[str, str], locale: str
) -> None:
    factors = report.get("factors") or []
    if not factors:
        return
    png = interval_chart(
        [_short(f"{f['id']}. {f.get('name', '')}", 34) for f in factors],
        [f.get("value") for f in factors],
        [f.get("low") for f in factors],
        [f.get("high") for f in factors],
        title=f"{words['factors']} ({words['interval']})",
        locale=locale,
    )
    pdf.image(io.BytesIO(png), w=pdf.epw)
    pdf.ln(2)


def _criteria(
    pdf: Any, family: str, report: Mapping[str, Any], words: Mapping[str, str], locale: str
) -> None:
    criteria = report.get("criteria") or []
    if not criteria:
        return
    _section(pdf, family, words["criteria"])
    widths = (12, 88, 14, 20, 30, 16)
    header = (
        words["criterion"],
        words["wording"],
        words["n"],
        words["index"],
        words["interval"],
        words["mean"],
    )
    pdf.set_font(family, "", 8)
    with pdf.table(
        col_widths=widths,
        text_align=("LEFT", "LEFT", "RIGHT", "RIGHT", "CENTER", "RIGHT"),
        line_height=4.2,
        first_row_as_headings=True,
        headings_style=_bold(family),
    ) as table:
        table.row(header)
        for criterion in criteria:
            table.row(
                (
                    criterion["id"],
                    criterion.get("text", ""),
                    _count(criterion.get("n"), locale),
                    percent(criterion.get("value"), locale),
                    _interval(criterion, locale),
                    _mean(criterion.get("mean"), locale),
                )
            )
    pdf.ln(3)


def _trend(
    pdf: Any, family: str, report: Mapping[str, Any], words: Mapping[str, str], locale: str
) -> None:
    points: Sequence[Mapping[str, Any]] = report.get("trend") or []
    if len(points) < 2:
        return
    _section(pdf, family, words["trend"])
    png = trend_chart(
        [p["period"]["label"] for p in points],
        [(p.get("sipas") or {}).get("value") for p in points],
        [(p.get("sipas") or {}).get("low") for p in points],
        [(p.get("sipas") or {}).get("high") for p in points],
        title=words["sipas"],
        locale=locale,
    )
    pdf.image(io.BytesIO(png), w=pdf.epw)
    pdf.set_font(family, "", 8)
    with pdf.table(
        col_widths=(30, 25, 45, 20, 60),
        line_height=4.2,
        first_row_as_headings=True,
        headings_style=_bold(family),
    ) as table:
        table.row((words["period"], words["index"], words["interval"], words["n"], words["change"]))
        for point in points:
            change = point.get("change")
            table.row(
                (
                    point["period"]["label"],
                    percent((point.get("sipas") or {}).get("value"), locale),
                    _interval(point.get("sipas") or {}, locale),
                    _count(point.get("n"), locale),
                    words[change] if change else "",
                )
            )
    pdf.ln(3)


def _children(
    pdf: Any, family: str, report: Mapping[str, Any], words: Mapping[str, str], locale: str
) -> None:
    children = report.get("children") or []
    if not children:
        return
    _section(pdf, family, words["children"])
    pdf.set_font(family, "", 8)
    with pdf.table(
        col_widths=(70, 20, 25, 45, 30),
        line_height=4.2,
        first_row_as_headings=True,
        headings_style=_bold(family),
    ) as table:
        table.row(
            (words["unit"], words["counted"], words["index"], words["interval"], words["rankable"])
        )
        for child in children:
            sipas = child.get("sipas") or {}
            table.row(
                (
                    child["unit"]["name"],
                    _count(child["responses"]["counted"], locale),
                    percent(sipas.get("value"), locale),
                    _interval(sipas, locale),
                    words["yes"] if child.get("sufficient") else words["not_enough"],
                )
            )


def _line(pdf: Any, height: float, text: str) -> None:
    """A paragraph across the page, leaving the cursor at the left margin of the next line."""
    pdf.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")


def _section(pdf: Any, family: str, title: str) -> None:
    pdf.set_font(family, "B", 11)
    _line(pdf, 7, title)
    pdf.set_font(family, "", BODY)


def _bold(family: str) -> Any:
    from fpdf.fonts import FontFace

    return FontFace(family=family, emphasis="BOLD")


def _interval(block: Mapping[str, Any], locale: str) -> str:
    low, high = block.get("low"), block.get("high")
    if low is None or high is None:
        return "—"
    return f"{number(low, 1, locale)} – {number(high, 1, locale)}"


def _count(value: int | None, locale: str) -> str:
    return "—" if value is None else number(value, 0, locale)


def _mean(value: float | None, locale: str) -> str:
    return "—" if value is None else number(value, 2, locale)


def _date(iso: str) -> str:
    from datetime import date

    return day(date.fromisoformat(iso[:10]))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
