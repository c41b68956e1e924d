"""Read and validate flow files (TOML), reporting every problem with its file and line.

tomllib gives no positions for values, so a small line scanner records where each table
and key starts; validation errors point at the nearest line an admin can fix.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flows.model import (
    FORMS,
    LOCALES,
    Choice,
    ChoiceSet,
    Closing,
    Factor,
    Flow,
    Localized,
    ScoringRule,
    Section,
    Texts,
)
from flows.problems import problem_text

TEXT_KEYS = ("intro", "consent", "declined", "comment", "complaint_offer", "complaint", "thanks")
ROLLUPS = ("mean", "weighted_mean")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")
Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class FlowProblem:
    """One mistake: where it is, and what to do about it (``key`` names the phrase in
    flows.problems so the admin editor can say it in Vietnamese)."""

    file: str
    line: int
    message: str
    key: str = ""
    values: tuple[tuple[str, object], ...] = ()

    def text(self, locale: str) -> str:
        """The explanation in ``locale`` (the English ``message`` when it has no phrase)."""
        if not self.key:
            return self.message
        return problem_text(self.key, locale, dict(self.values))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class FlowError(Exception):
    """A flow file cannot be used; ``problems`` lists every reason found."""

    def __init__(self, problems: list[FlowProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_.\"-]+)\s*=")


class _Positions:
    """Maps a path such as ("questions", 3, "factor") to the line where it is written; the
    tables of an inline array written one per line (``choices = [ {...}, ... ]``) are
    mapped too, as ("choice_sets", "scale", "choices", 2)."""

    def __init__(self, source: str) -> None:
        self.lines: dict[tuple[Any, ...], int] = {}
        counters: dict[str, int] = {}
        table: tuple[Any, ...] = ()
        array: tuple[Any, ...] | None = None
        items = 0
        in_multiline = False
        for number, raw in enumerate(source.splitlines(), start=1):
            if in_multiline:
                if raw.count('"""') % 2 == 1 or raw.count("'''") % 2 == 1:
                    in_multiline = False
                continue
            stripped = raw.strip()
            if array is not None:
                if stripped.startswith("{"):
                    self.lines.setdefault((*array, items), number)
                    items += 1
                    continue
                if stripped.startswith("]"):
                    array = None
                    continue
            header = _HEADER.match(raw)
            if header and not raw.lstrip().startswith(("[{", '["')):
                parts = tuple(p.strip().strip('"') for p in header.group(2).split("."))
                if header.group(1) == "[[":
                    name = ".".join(parts)
                    index = counters.get(name, -1) + 1
                    counters[name] = index
                    table = (*parts, index)
                else:
                    table = parts
                self.lines.setdefault(table, number)
                continue
            key = _KEY.match(raw)
            if key:
                path = (*table, *(p.strip('"') for p in key.group(1).split(".")))
                self.lines.setdefault(path, number)
                if raw.count('"""') % 2 == 1 or raw.count("'''") % 2 == 1:
                    in_multiline = True
                if raw.split("#", 1)[0].rstrip().endswith("["):
                    array, items = path, 0

    def line(self, *path: Any) -> int:
        """The line of the longest known prefix of ``path`` (1 if nothing matches)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1

    def first_line_in(self, *path: Any) -> int:
        """The first key written inside the table at ``path`` (its header when empty): where a
        mistake about the whole question is shown, rather than at ``[[questions]]``."""
        inside = [line for known, line in self.lines.items() if known[: len(path)] == path]
        keys = [line for line in inside if line != self.lines.get(path)]
        return min(keys) if keys else self.line(*path)


def line_of(source: str, *path: Any) -> int:
    """The line where ``path`` (e.g. "questions", 3, "text") is written in ``source``."""
    return _Positions(source).line(*path)


def load_flow_file(path: str | Path) -> Flow:
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        values = (("error", str(exc)),)
        message = problem_text("unreadable", "en", dict(values))
        raise FlowError([FlowProblem(str(path), 1, message, "unreadable", values)]) from None
    return parse_flow(source, str(path))


def parse_flow(source: str, filename: str = "<flow>") -> Flow:
    """Parse and validate a flow; raises FlowError listing every problem found."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        values = (("error", getattr(exc, "msg", None) or str(exc)),)
        message = problem_text("toml", "en", dict(values))
        raise FlowError([FlowProblem(filename, line, message, "toml", values)]) from None
    except RecursionError:
        values = (("error", "nested too deeply"),)
        message = problem_text("toml", "en", dict(values))
        raise FlowError([FlowProblem(filename, 1, message, "toml", values)]) from None
    from flows.questions_check import check_questions

    validator = _Validator(data, filename, _Positions(source))
    return validator.build(check_questions)


def _line_from_message(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1


class _Validator:
    """Reads a parsed flow file into a Flow, collecting every problem before giving up."""

    def __init__(self, data: dict[str, Any], filename: str, positions: _Positions) -> None:
        self.data = data
        self.filename = filename
        self.positions = positions
        self.problems: list[FlowProblem] = []
        self.default_locale = "vi"
        self.levels: frozenset[int] = frozenset()

    def problem(self, key: str, path: Path_, /, at_key: bool = True, **values: object) -> None:
        """Record problem ``key`` (flows.problems) at ``path``; ``at_key=False`` points at the
        first line inside that table instead of a key (a missing key has no line)."""
        line = self.positions.line(*path) if at_key else self.positions.first_line_in(*path)
        pairs = tuple(values.items())
        message = problem_text(key, "en", values)
        self.problems.append(FlowProblem(self.filename, line, message, key, pairs))

    def build(self, check_questions: Any) -> Flow:
        meta = self.table("flow")
        key = self.string(meta, "key", ("flow",))
        form = self.string(meta, "form", ("flow",))
        if form and form not in FORMS:
            self.problem("bad_form", ("flow", "form"), allowed=", ".join(FORMS), value=form)
        self.default_locale = str(meta.get("default_locale", "vi"))
        if self.default_locale not in LOCALES:
            self.problem("bad_locale", ("flow", "default_locale"), allowed=", ".join(LOCALES))
        locales = tuple(meta.get("locales", [self.default_locale]))
        title = self.localized(meta.get("title"), ("flow", "title"), "title")
        texts = self.texts()
        choice_sets = self.choice_sets()
        factors = self.factors()
        sections = self.sections()
        scoring = self.scoring()
        self.levels = scoring.satisfied
        questions = check_questions(self, choice_sets, {f.id for f in factors}, sections)
        closing = self.closing()
        if not self.problems:
            for index, factor in enumerate(factors):
                if not any(q.factor == factor.id for q in questions):
                    self.problem("factor_unused", ("factors", index, "id"), id=factor.id)
        if self.problems:
            raise FlowError(self.problems)
        return Flow(
            key=key,
            form=form,  # type: ignore[arg-type]
            title=title,
            default_locale=self.default_locale,
            locales=locales,
            texts=texts,
            factors=factors,
            questions=questions,
            scoring=scoring,
            closing=closing,
            sections=sections,
            standard=meta.get("standard") is True,
        )

    # -- small typed readers -------------------------------------------------------------
    def table(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        if value is None:
            self.problem("table_missing", (), name=name)
            return {}
        if not isinstance(value, dict):
            self.problem("not_table", (name,), name=name)
            return {}
        return value

    def string(self, table: dict[str, Any], key: str, path: Path_) -> str:
        value = table.get(key)
        if value is None:
            self.problem("key_missing", path, key=key)
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem("key_empty", (*path, key), key=key)
            return ""
        return value

    def localized(self, value: Any, path: Path_, what: str) -> Localized:
        if isinstance(value, str):
            return Localized({self.default_locale: value}, self.default_locale)
        if not isinstance(value, dict) or not value:
            self.problem("text_missing", path, what=what)
            return Localized({}, self.default_locale)
        for locale, text in value.items():
            if locale not in LOCALES:
                self.problem("unknown_language", path, what=what, locale=locale)
            elif not isinstance(text, str) or not text.strip():
                self.problem("text_empty", path, what=what, locale=locale)
        if self.default_locale not in value:
            self.problem("text_no_default", path, what=what, locale=self.default_locale)
        return Localized(dict(value), self.default_locale)

    def flag(self, raw: dict[str, Any], key: str, default: bool, path: Path_, owner: str) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.problem("bad_flag", (*path, key), id=owner, key=key)
            return default
        return value

    # -- sections ------------------------------------------------------------------------
    def texts(self) -> Texts:
        table = self.table("texts")
        values = {
            key: self.localized(table.get(key), ("texts", key), f"texts.{key}") for key in TEXT_KEYS
        }
        return Texts(**values)

    def choice_sets(self) -> dict[str, ChoiceSet]:
        if "choice_sets" not in self.data:
            return {}  # yes/no, numbers and texts need none; a question naming one is told
        table = self.table("choice_sets")
        result: dict[str, ChoiceSet] = {}
        for set_id, body in table.items():
            path = ("choice_sets", set_id)
            raw_choices = body.get("choices") if isinstance(body, dict) else None
            if not isinstance(raw_choices, list) or not raw_choices:
                self.problem("set_empty", path, set=set_id)
                continue
            choices: list[Choice] = []
            for index, raw in enumerate(raw_choices):
                at = (*path, "choices", index)
                if not isinstance(raw, dict):
                    self.problem("choice_not_table", at, set=set_id)
                    continue
                value = raw.get("value")
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 9:
                    self.problem("choice_value", at, set=set_id)
                    continue
                if any(c.value == value for c in choices):
                    self.problem("choice_twice", at, set=set_id, value=value)
                label = self.localized(raw.get("label"), at, f"choice {value} label")
                na = self.flag(raw, "not_applicable", False, at, set_id)
                satisfied = raw.get("satisfied")
                if satisfied is not None and not isinstance(satisfied, bool):
                    self.problem("bad_flag", at, id=set_id, key="satisfied")
                    satisfied = None
                choices.append(Choice(value, label, na, satisfied))
            result[set_id] = ChoiceSet(set_id, tuple(choices))
        return result

    def factors(self) -> tuple[Factor, ...]:
        raw_factors = self.data.get("factors")
        if raw_factors is None:
            return ()  # a flow without scoring (e.g. a plain questionnaire)
        if not isinstance(raw_factors, list) or not raw_factors:
            self.problem("no_factors", ())
            return ()
        factors: list[Factor] = []
        for index, raw in enumerate(raw_factors):
            path = ("factors", index)
            factor_id = raw.get("id")
            if not isinstance(factor_id, str) or not ID_PATTERN.match(factor_id):
                self.problem("factor_id", (*path, "id"))
                continue
            if any(f.id == factor_id for f in factors):
                self.problem("factor_twice", (*path, "id"), id=factor_id)
                continue
            weight = raw.get("weight", 1.0)
            if not isinstance(weight, int | float) or isinstance(weight, bool) or weight <= 0:
                self.problem("factor_weight", (*path, "weight"), id=factor_id)
                weight = 1.0
            name = self.localized(raw.get("name"), (*path, "name"), f"factor {factor_id} name")
            factors.append(Factor(factor_id, name, float(weight)))
        return tuple(factors)

    def sections(self) -> tuple[Section, ...]:
        raw_sections = self.data.get("sections", [])
        sections: list[Section] = []
        for index, raw in enumerate(raw_sections if isinstance(raw_sections, list) else []):
            path = ("sections", index)
            section_id = raw.get("id") if isinstance(raw, dict) else None
            if (
                not isinstance(section_id, str)
                or not ID_PATTERN.match(section_id)
                or any(s.id == section_id for s in sections)
            ):
                self.problem("section_id", (*path, "id"))
                continue
            title = self.localized(raw.get("title"), (*path, "title"), f"section {section_id}")
            sections.append(Section(section_id, title))
        return tuple(sections)

    def scoring(self) -> ScoringRule:
        table = self.data.get("scoring")
        if table is None and "factors" not in self.data:
            return ScoringRule(frozenset({4, 5}))  # nothing is scored
        table = self.table("scoring")
        satisfied = table.get("satisfied")
        levels: frozenset[int] = frozenset()
        if (
            not isinstance(satisfied, list)
            or not satisfied
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in satisfied)
        ):
            self.problem("satisfied_levels", ("scoring", "satisfied"))
        else:
            levels = frozenset(satisfied)
        rollups: dict[str, str] = {}
        for key, allowed in (("factor", ("mean",)), ("overall", ROLLUPS)):
            value = table.get(key, "mean")
            if value not in allowed:
                self.problem(
                    "bad_rollup", ("scoring", key), key=key, allowed=", ".join(allowed), value=value
                )
                value = "mean"
            rollups[key] = value
        return ScoringRule(levels, rollups["overall"])  # type: ignore[arg-type]

    def closing(self) -> Closing:
        table = self.data.get("closing", {})
        max_length = table.get("max_length", 2000)
        if not isinstance(max_length, int) or not 10 <= max_length <= 4000:
            self.problem("bad_closing_length", ("closing", "max_length"))
            max_length = 2000
        return Closing(
            comment=bool(table.get("comment", True)),
            complaint=bool(table.get("complaint", True)),
            max_length=max_length,
        )
