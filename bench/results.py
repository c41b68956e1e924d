"""What a bench reports: figures against goals, and findings (profiles, causes, levers).

Each bench returns a ``Section``; ``__main__`` prints every section as a table and writes
``bench/RESULTS.md``. A figure's ``met`` is ``None`` when it has no goal (a peer's figure,
a detail shown for comparison).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Figure:
    name: str
    value: str
    goal: str = ""
    met: bool | None = None


@dataclass
class Section:
    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # markdown paragraphs: causes, levers

    def add(self, name: str, value: str, goal: str = "", met: bool | None = None) -> None:
        self.figures.append(Figure(name, value, goal, met))

    def note(self, text: str) -> None:
        self.notes.append(text)

    def findings(self, text: str) -> None:
        """The cause of a missed goal (found with the profiler) and what would close it:
        written when some goal of the section is not met."""
        if any(figure.met is False for figure in self.figures):
            self.notes.append(text)


def verdict(met: bool | None) -> str:
    return {True: "met", False: "NOT met", None: ""}[met]


def table_rows(sections: list[Section]) -> list[tuple[str, str, str, str, str]]:
    return [
        (section.title, f.name, f.value, f.goal, verdict(f.met))
        for section in sections
        for f in section.figures
    ]


def print_table(sections: list[Section]) -> None:
    rows = [("bench", "figure", "measured", "goal", ""), *table_rows(sections)]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for number, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
        if number == 0:
            print("  ".join("-" * width for width in widths))


CONDITIONS = """The machine is shared: 2 cores, on which other work (other builds, tests and
agents) may run during a bench, so the load average above is part of every figure and a
figure can move between runs by more than any change made. The host changes too (this
machine reported an Intel Xeon one morning and an AMD EPYC that afternoon, where the same code
ran three times slower): the CPU speed rows, a fixed loop timed at the start and at the end
of the run, let runs be compared. The load generator, the fake platforms and PostgreSQL run
on the same cores as the product. The benchmark servers run with
`SIPAS__INTEGRITY__MIN_SECONDS_PER_ANSWER=0`: their respondents answer flat out, and with the
default 2.0 s every response would be flagged `too_fast` and left out of the counters;
`SIPAS__WEB__SECRET_KEY` is set so that no key file is written. The table is this run; the
paragraphs under each section were written by hand during the work, and the figures they quote
are before/after pairs measured then, under the load they state."""


def markdown(sections: list[Section], machine: list[tuple[str, str]]) -> str:
    lines = ["# Benchmark results", "", "Written by `python -m bench` (`make bench`).", ""]
    lines += [CONDITIONS, ""]
    lines += ["## Machine and versions", "", "| | |", "| --- | --- |"]
    lines += [f"| {key} | {value} |" for key, value in machine]
    lines += ["", "## Figures", "", "| bench | figure | measured | goal | |"]
    lines += ["| --- | --- | --- | --- | --- |"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |"
              for row in table_rows(sections)]  # fmt: skip
    for section in sections:
        if section.notes:
            lines += ["", f"## {section.title}", ""]
            for text in section.notes:
                lines += [text, ""]
    return "\n".join(lines).rstrip() + "\n"
