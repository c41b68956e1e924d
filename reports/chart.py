"""The digest's chart: factor indices this week against last week, as PNG bytes.

Built on a bare matplotlib Figure with the Agg canvas (no pyplot global state), so charts can
be drawn from the event loop's thread without a display. matplotlib is imported inside
``factor_chart``, when a chart is really drawn: importing it takes over half a second, which
commands that only print figures (or never touch reports) should not pay.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Sequence

from reports.formatting import number

LABEL_WIDTH = 18  # factor names are written out under their bars, wrapped


def factor_chart(
    labels: Sequence[str],
    this_week: Sequence[float | None],
    last_week: Sequence[float | None],
    *,
    title: str,
    legend: tuple[str, str],
    locale: str = "vi",
) -> bytes:
    """A grouped bar chart (0-100 %); a missing index is drawn as no bar."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 4.0), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(labels)))
    width = 0.38
    for offset, values, name, colour in (
        (-width / 2, last_week, legend[1], "#9db4cc"),
        (width / 2, this_week, legend[0], "#1f5f99"),
    ):
        heights = [v if v is not None else 0.0 for v in values]
        bars = axes.bar([p + offset for p in positions], heights, width, label=name, color=colour)
        for bar, value in zip(bars, values, strict=True):
            if value is not None:
                axes.annotate(
                    number(value, 1, locale),
                    (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                    ha="center",
                    va="bottom",
                    fontsize=8,
                )
    axes.set_xticks(positions, [textwrap.fill(label, LABEL_WIDTH) for label in labels], fontsize=7)
    axes.set_ylim(0, 110)
    axes.set_ylabel("%")
    axes.set_title(title, fontsize=10)
    axes.legend(loc="lower right", fontsize=8)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _png(figure)


def interval_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    *,
    title: str,
    locale: str = "vi",
) -> bytes:
    """Horizontal bars with their 95 % intervals, in greys and black only, so the chart still
    reads when a report is printed in black and white (the PDF export); no value, no bar."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 0.55 * len(labels) + 1.0), dpi=150)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    rows = list(range(len(labels)))[::-1]
    for row, value, low, high in zip(rows, values, lows, highs, strict=True):
        if value is None:
            axes.text(1, row, "—", va="center", fontsize=9)
            continue
        axes.barh(row, value, height=0.6, color="#bdbdbd", edgecolor="#000000", linewidth=0.6)
        if low is not None and high is not None:
            axes.errorbar(
                value,
                row,
                xerr=[[value - low], [high - value]],
                fmt="none",
                ecolor="#000000",
                capsize=3,
                linewidth=1,
            )
        axes.text(
            min((high if high is not None else value) + 2, 101),
            row,
            number(value, 1, locale),
            va="center",
            fontsize=9,
        )
    axes.set_yticks(rows, list(labels), fontsize=9)
    axes.set_xlim(0, 112)
    axes.set_xlabel("%")
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _png(figure)


def _png(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})  # type: ignore[attr-defined]
    return buffer.getvalue()


def trend_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    lows: Sequence[float | None],
    highs: Sequence[float | None],
    *,
    title: str,
    locale: str = "vi",
) -> bytes:
    """SIPAS over periods with its 95 % intervals as error bars (no point where no value)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7.5, 3.2), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    shown = [i for i, v in enumerate(values) if v is not None]
    ys = [values[i] or 0.0 for i in shown]
    below = [ys[k] - (lows[i] if lows[i] is not None else ys[k]) for k, i in enumerate(shown)]
    above = [(highs[i] if highs[i] is not None else ys[k]) - ys[k] for k, i in enumerate(shown)]
    axes.errorbar(shown, ys, yerr=[below, above], fmt="o-", color="#1f5f99", capsize=3)
    for x, y in zip(shown, ys, strict=True):
        axes.annotate(
            number(y, 1, locale),
            (x, y),
            textcoords="offset points",
            xytext=(0, 6),
            ha="center",
            fontsize=7,
        )
    axes.set_xticks(list(range(len(labels))), list(labels), fontsize=7, rotation=30)
    axes.set_xlim(-0.5, len(labels) - 0.5)
    axes.set_ylim(0, 110)
    axes.set_ylabel("%")
    axes.set_title(title, fontsize=10)
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    return _png(figure)
