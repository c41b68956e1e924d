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
    Question,
    ScoringRule,
    Texts,
)

TEXT_KEYS = ("intro", "consent", "declined", "comment", "complaint_offer", "complaint", "thanks")
ROLLUPS = ("mean", "weighted_mean")
ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")


@dataclass(frozen=True)
class FlowProblem:
    file: str
    line: int
    message: str

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
    """Maps a path such as ("questions", 3, "factor") to the line where it is written."""

    def __init__(self, source: str) -> None:
        self.lines: dict[tuple[Any, ...], int] = {}
        counters: dict[str, int] = {}
        table: tuple[Any, ...] = ()
        in_multiline = False
        for number, raw in enumerate(source.splitlines(), start=1):
            if in_multiline:
                if raw.count('"""') % 2 == 1 or raw.count("'''") % 2 == 1:
                    in_multiline = False
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

    def line(self, *path: Any) -> int:
        """The line of the longest known prefix of ``path`` (1 if nothing matches)."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def line_of(source: str, *path: Any) -> int:
    """The line where ``path`` (e.g. "questions", 3, "text") is written in ``source``."""
    return _Positions(source).line(*path)


def load_flow_file(path: str | Path) -> Flow:
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FlowError([FlowProblem(str(path), 1, f"cannot read the file: {exc}")]) from None
    return parse_flow(source, str(path))


def parse_flow(source: str, filename: str = "<flow>") -> Flow:
    """Parse and validate a flow; raises FlowError listing every problem found."""
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None) or _line_from_message(str(exc))
        message = getattr(exc, "msg", None) or str(exc)
        raise FlowError([FlowProblem(filename, line, f"not valid TOML: {message}")]) from None
    except RecursionError:
        raise FlowError([FlowProblem(filename, 1, "not valid TOML: nested too deeply")]) from None
    return _Validator(data, filename, _Positions(source)).build()


def _line_from_message(message: str) -> int:
    found = re.search(r"line (\d+)", message)
    return int(found.group(1)) if found else 1


class _Validator:
    def __init__(self, data: dict[str, Any], filename: str, positions: _Positions) -> None:
        self.data = data
        self.filename = filename
        self.positions = positions
        self.problems: list[FlowProblem] = []
        self.default_locale = "vi"

    def problem(self, message: str, *path: Any) -> None:
        self.problems.append(FlowProblem(self.filename, self.positions.line(*path), message))

    def build(self) -> Flow:
        meta = self.table("flow")
        key = self.string(meta, "key", ("flow",))
        form = self.string(meta, "form", ("flow",))
        if form and form not in FORMS:
            self.problem(f"form must be one of {', '.join(FORMS)}, not {form!r}", "flow", "form")
        self.default_locale = str(meta.get("default_locale", "vi"))
        if self.default_locale not in LOCALES:
            self.problem(
                f"default_locale must be one of {', '.join(LOCALES)}", "flow", "default_locale"
            )
        locales = tuple(meta.get("locales", [self.default_locale]))
        title = self.localized(meta.get("title"), ("flow", "title"), "title")
        texts = self.texts()
        choice_sets = self.choice_sets()
        factors = self.factors()
        questions = self.questions(choice_sets, {f.id for f in factors})
        scoring = self.scoring()
        closing = self.closing()
        if not self.problems and factors:
            for factor in factors:
                if not any(q.factor == factor.id for q in questions):
                    self.problem(
                        f"factor {factor.id!r} has no questions", "factors", factors.index(factor)
                    )
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
        )

    # -- small typed readers -------------------------------------------------------------
    def table(self, name: str) -> dict[str, Any]:
        value = self.data.get(name)
        if value is None:
            self.problem(f"the [{name}] table is missing")
            return {}
        if not isinstance(value, dict):
            self.problem(f"{name} must be a table", name)
            return {}
        return value

    def string(self, table: dict[str, Any], key: str, path: tuple[Any, ...]) -> str:
        value = table.get(key)
        if value is None:
            self.problem(f"{key} is missing", *path)
            return ""
        if not isinstance(value, str) or not value.strip():
            self.problem(f"{key} must be a non-empty text", *path, key)
            return ""
        return value

    def localized(self, value: Any, path: tuple[Any, ...], what: str) -> Localized:
        if isinstance(value, str):
            return Localized({self.default_locale: value}, self.default_locale)
        if not isinstance(value, dict) or not value:
            self.problem(
                f'{what} is missing or empty (write {what} = {{ vi = "...", en = "..." }})',
                *path,
            )
            return Localized({}, self.default_locale)
        for locale, text in value.items():
            if locale not in LOCALES:
                self.problem(f"{what}: unknown language {locale!r} (use vi or en)", *path)
            elif not isinstance(text, str) or not text.strip():
                self.problem(f"{what}: the {locale} text is empty", *path)
        if self.default_locale not in value:
            self.problem(f"{what} has no {self.default_locale} text", *path)
        return Localized(dict(value), self.default_locale)

    # -- sections ------------------------------------------------------------------------
    def texts(self) -> Texts:
        table = self.table("texts")
        values = {
            key: self.localized(table.get(key), ("texts", key), f"texts.{key}") for key in TEXT_KEYS
        }
        return Texts(**values)

    def choice_sets(self) -> dict[str, ChoiceSet]:
        table = self.table("choice_sets")
        result: dict[str, ChoiceSet] = {}
        for set_id, body in table.items():
            path = ("choice_sets", set_id)
            raw_choices = body.get("choices") if isinstance(body, dict) else None
            if not isinstance(raw_choices, list) or not raw_choices:
                self.problem(f"choice set {set_id!r} has no choices", *path)
                continue
            choices: list[Choice] = []
            for raw in raw_choices:
                if not isinstance(raw, dict):
                    self.problem(f"choice set {set_id!r}: each choice must be a table", *path)
                    continue
                value = raw.get("value")
                if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= 9:
                    self.problem(
                        f"choice set {set_id!r}: value must be a whole number from 0 to 9",
                        *path,
                    )
                    continue
                if any(c.value == value for c in choices):
                    self.problem(f"choice set {set_id!r}: value {value} appears twice", *path)
                label = self.localized(raw.get("label"), path, f"choice {value} label")
                choices.append(Choice(value, label, bool(raw.get("not_applicable", False))))
            result[set_id] = ChoiceSet(set_id, tuple(choices))
        return result

    def factors(self) -> tuple[Factor, ...]:
        raw_factors = self.data.get("factors")
        if not isinstance(raw_factors, list) or not raw_factors:
            self.problem("no [[factors]] are defined")
            return ()
        factors: list[Factor] = []
        for index, raw in enumerate(raw_factors):
            path = ("factors", index)
            factor_id = raw.get("id")
            if not isinstance(factor_id, str) or not ID_PATTERN.match(factor_id):
                self.problem("this factor has no valid id (letters, digits, . _ -)", *path, "id")
                continue
            if any(f.id == factor_id for f in factors):
                self.problem(f"duplicate factor id {factor_id!r}", *path, "id")
                continue
            weight = raw.get("weight", 1.0)
            if not isinstance(weight, int | float) or weight <= 0:
                self.problem(f"factor {factor_id!r}: weight must be a positive number", *path)
                weight = 1.0
            name = self.localized(raw.get("name"), (*path, "name"), f"factor {factor_id} name")
            factors.append(Factor(factor_id, name, float(weight)))
        return tuple(factors)

    def questions(
        self, choice_sets: dict[str, ChoiceSet], factor_ids: set[str]
    ) -> tuple[Question, ...]:
        raw_questions = self.data.get("questions")
        if not isinstance(raw_questions, list) or not raw_questions:
            self.problem("no [[questions]] are defined")
            return ()
        questions: list[Question] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_questions):
            path = ("questions", index)
            question_id = raw.get("id")
            if question_id is None:
                self.problem(f"question number {index + 1} has no id", *path)
                continue
            if not isinstance(question_id, str) or not ID_PATTERN.match(question_id):
                self.problem(
                    f"question id {question_id!r} is not valid (letters, digits, . _ -)",
                    *path,
                    "id",
                )
                continue
            if question_id in seen:
                self.problem(f"duplicate question id {question_id!r}", *path, "id")
                continue
            seen.add(question_id)
            factor = raw.get("factor")
            if factor is None:
                self.problem(f"question {question_id!r} has no factor", *path)
            elif factor not in factor_ids:
                self.problem(
                    f"question {question_id!r}: unknown factor {factor!r}", *path, "factor"
                )
            set_id = raw.get("choices")
            choice_set = choice_sets.get(set_id) if isinstance(set_id, str) else None
            if set_id is None:
                self.problem(f"question {question_id!r} has no choices (name a choice set)", *path)
            elif choice_set is None:
                known = ", ".join(sorted(choice_sets)) or "none defined"
                self.problem(
                    f"question {question_id!r}: unknown choice set {set_id!r} (known: {known})",
                    *path,
                    "choices",
                )
            text = self.localized(raw.get("text"), (*path, "text"), f"question {question_id} text")
            if factor in factor_ids and choice_set is not None:
                questions.append(Question(question_id, factor, text, choice_set))
        return tuple(questions)

    def scoring(self) -> ScoringRule:
        table = self.table("scoring")
        satisfied = table.get("satisfied")
        levels: frozenset[int] = frozenset()
        if (
            not isinstance(satisfied, list)
            or not satisfied
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in satisfied)
        ):
            self.problem(
                "scoring.satisfied must list the levels that count as satisfied, e.g. [4, 5]",
                "scoring",
                "satisfied",
            )
        else:
            levels = frozenset(satisfied)
        rollups: dict[str, str] = {}
        for key, allowed in (("factor", ("mean",)), ("overall", ROLLUPS)):
            value = table.get(key, "mean")
            if value not in allowed:
                self.problem(
                    f"scoring.{key} must be one of {', '.join(allowed)}, not {value!r}",
                    "scoring",
                    key,
                )
                value = "mean"
            rollups[key] = value
        return ScoringRule(levels, rollups["overall"])  # type: ignore[arg-type]

    def closing(self) -> Closing:
        table = self.data.get("closing", {})
        max_length = table.get("max_length", 2000)
        if not isinstance(max_length, int) or not 10 <= max_length <= 4000:
            self.problem("closing.max_length must be a number from 10 to 4000", "closing")
            max_length = 2000
        return Closing(
            comment=bool(table.get("comment", True)),
            complaint=bool(table.get("complaint", True)),
            max_length=max_length,
        )
