"""The flow checker's findings as an admin who is not a programmer reads them: in Vietnamese
(or English), naming the question by its id and number, at the line to fix.

The loader (``flows.loader``) reports each problem with a line and a phrase key that
``flows.problems`` says in Vietnamese or English; here the part of the file it names is said
in words too, and the question the line belongs to is found. A problem without a key is shown
as the loader wrote it, so a new loader rule is never hidden.
New question kinds add their message shapes to ``PATTERNS`` (and words to ``MESSAGES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.flow_admin.names import from_loader
from flows.loader import FlowError, FlowProblem, parse_flow
from flows.model import Flow
from flows.problems import problem_text


@dataclass(frozen=True)
class Problem:
    line: int
    message: str  # in the admin's language
    text: str  # the line as written, to find it in the editor
    question: str | None = None  # "2.1", the question the line belongs to
    number: int | None = None  # its position, 1-based


def _said(problem: FlowProblem, locale: str) -> str:
    """The problem in ``locale``, with the part of the file it names said in words too."""
    if not problem.key:  # a rule the loader has no phrase for yet: as it wrote it
        return problem.message
    values = dict(problem.values)
    if isinstance(values.get("what"), str):
        values["what"] = from_loader(str(values["what"]), locale)
    return problem_text(problem.key, locale, values)


def question_at(source: str, line: int) -> tuple[int, str | None] | None:
    """(number, id) of the ``[[questions]]`` block that holds ``line``, if any."""
    number = 0
    current: tuple[int, str | None] | None = None
    for index, raw in enumerate(source.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("["):
            if stripped.startswith("[[questions]]"):
                number += 1
                current = (number, None)
            elif not stripped.startswith(("[{", '["')):
                current = None
        elif current is not None and current[1] is None:
            found = re.match(r"""id\s*=\s*["']([^"']*)["']""", stripped)
            if found:
                current = (current[0], found.group(1))
        if index >= line:
            break
    if current is not None and current[1] is None:  # the id may come after the line
        for raw in source.splitlines()[line:]:
            stripped = raw.strip()
            if stripped.startswith("["):
                break
            found = re.match(r"""id\s*=\s*["']([^"']*)["']""", stripped)
            if found:
                return current[0], found.group(1)
    return current


def explain(problems: list[FlowProblem], source: str, locale: str) -> list[Problem]:
    lines = source.splitlines()
    explained = []
    for problem in problems:
        text = lines[problem.line - 1].strip() if 0 < problem.line <= len(lines) else ""
        where = question_at(source, problem.line)
        explained.append(
            Problem(
                problem.line,
                _said(problem, locale),
                text[:160],
                where[1] if where else None,
                where[0] if where else None,
            )
        )
    return explained


def check(source: str, locale: str = "vi") -> tuple[Flow | None, list[Problem]]:
    """The parsed flow, or the problems that keep it from being used."""
    try:
        return parse_flow(source, "flow"), []
    except FlowError as error:
        return None, explain(error.problems, source, locale)
