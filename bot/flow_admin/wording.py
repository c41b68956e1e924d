"""Wording fixes without touching TOML: the texts of a flow as form fields, and the same
flow source with some texts replaced.

Only the string literal of the changed text is rewritten, on its own line, so comments,
layout and every other value stay exactly as the admin's flow file had them. A text written
in a shape this does not handle (e.g. a multi-line string) is simply not offered: the full
text editor remains for it. After the change the flow is parsed again and each new text is
checked to read back as typed, so a rewrite can never silently produce something else.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from flows.loader import FlowError, line_of, parse_flow
from flows.model import Flow, Localized

_KEY = re.compile(r"([A-Za-z0-9_-]+)\s*=\s*(?=[\"'])")


@dataclass(frozen=True)
class WordingField:
    name: str  # form field name: "<locale>|<path>"
    path: tuple[Any, ...]
    locale: str
    label: str  # what the text is: a question id, "texts.intro", "factor F1"...
    value: str


class WordingError(Exception):
    """A text could not be changed this way; the message names it."""


def _texts(flow: Flow) -> list[tuple[tuple[Any, ...], str, Localized]]:
    found: list[tuple[tuple[Any, ...], str, Localized]] = [(("flow", "title"), "title", flow.title)]
    for key in (
        "intro",
        "consent",
        "declined",
        "comment",
        "complaint_offer",
        "complaint",
        "thanks",
    ):
        found.append((("texts", key), f"texts.{key}", getattr(flow.texts, key)))
    for index, factor in enumerate(flow.factors):
        found.append((("factors", index, "name"), f"factor {factor.id}", factor.name))
    for index, question in enumerate(flow.questions):
        found.append((("questions", index, "text"), question.id, question.text))
    return found


def _literals(line: str) -> dict[str, tuple[int, int]]:
    """Keys of the line's string values outside any string, with each literal's span."""
    spans: dict[str, tuple[int, int]] = {}
    position = 0
    while position < len(line):
        char = line[position]
        if char in "\"'":
            position = _literal_end(line, position)
            continue
        if char == "#":
            break
        match = _KEY.match(line, position)
        if match and (
            position == 0 or not (line[position - 1].isalnum() or line[position - 1] == "_")
        ):
            start = match.end()
            end = _literal_end(line, start)
            spans.setdefault(match.group(1), (start, end))
            position = end
            continue
        position += 1
    return spans


def _literal_end(line: str, start: int) -> int:
    quote = line[start]
    if line.startswith(quote * 3, start):
        raise WordingError("multi-line text")
    position = start + 1
    while position < len(line):
        if quote == '"' and line[position] == "\\":
            position += 2
            continue
        if line[position] == quote:
            return position + 1
        position += 1
    raise WordingError("unterminated text")


def _span(
    lines: list[str], source: str, path: tuple[Any, ...], locale: str
) -> tuple[int, int, int]:
    number = line_of(source, *path)
    line = lines[number - 1]
    spans = _literals(line)
    key = str(path[-1])
    if locale in spans and re.search(rf"\b{re.escape(key)}\s*=\s*\{{", line):
        return (number - 1, *spans[locale])
    if key in spans and locale == "vi":
        return (number - 1, *spans[key])  # a plain text = "..." (the default language)
    raise WordingError(f"text at line {number}")


def fields(flow: Flow, source: str) -> list[WordingField]:
    """Every text the wording form can change (both languages where present)."""
    lines = source.splitlines()
    offered: list[WordingField] = []
    for path, label, text in _texts(flow):
        for locale, value in text.values.items():
            try:
                _span(lines, source, path, locale)
            except (WordingError, IndexError):
                continue
            name = f"{locale}|{'/'.join(str(p) for p in path)}"
            offered.append(WordingField(name, path, locale, label, value))
    return offered


def apply(flow: Flow, source: str, changes: dict[str, str]) -> str:
    """``source`` with the changed texts (field name → new text); raises WordingError."""
    lines = source.splitlines(keepends=True)
    plain = source.splitlines()
    by_name = {f.name: f for f in fields(flow, source)}
    edits: list[tuple[int, int, int, str, WordingField]] = []
    for name, new in changes.items():
        field = by_name.get(name)
        if field is None:
            raise WordingError(f"unknown text {name!r}")
        new = " ".join(new.split())  # one line: no line breaks inside a text
        if not new:
            raise WordingError(f"{field.label} ({field.locale}) is empty")
        if new == field.value:
            continue
        number, start, end = _span(plain, source, field.path, field.locale)
        edits.append((number, start, end, json.dumps(new, ensure_ascii=False), field))
    for number, start, end, literal, _field in sorted(edits, key=lambda e: (e[0], -e[1])):
        lines[number] = lines[number][:start] + literal + lines[number][end:]
    result = "".join(lines)
    try:
        changed = parse_flow(result, "flow")
    except FlowError as error:
        raise WordingError(str(error.problems[0].message)) from None
    for _number, _start, _end, literal, field in edits:
        if _read(changed, field.path).values.get(field.locale) != json.loads(literal):
            raise WordingError(f"{field.label} ({field.locale})")
    return result


def _read(flow: Flow, path: tuple[Any, ...]) -> Localized:
    for candidate, _label, text in _texts(flow):
        if candidate == path:
            return text
    raise WordingError(f"unknown text {path!r}")
