"""What the editor's form shows, read from a draft's data: each question with its kind, its
choices and its skip rule, the sections, the choice lists (inside the one question that uses
a list, or with the shared lists when several do).

A skip rule's chooser offers only the questions above with choices, and only the chosen
question's real answers; a rule that names a question no longer above is still shown (and
marked) so that posting the form never quietly changes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.flow_admin.checker import Problem
from bot.flow_admin.flow_form import HOWS, Data, Note
from bot.flow_admin.names import section
from flows.loader import TEXT_KEYS
from flows.model import CHOICE_KINDS, KINDS, LOCALES
from flows.texts import PHRASES


def texts_of(raw: Any, default: str) -> dict[str, str]:
    if isinstance(raw, str):
        return {default: raw}
    if isinstance(raw, dict):
        return {loc: str(raw.get(loc, "")) for loc in LOCALES}
    return {}


@dataclass
class ChoiceRow:
    row: int
    value: str
    texts: dict[str, str]
    not_applicable: bool
    satisfied: str  # "", "true" or "false"


@dataclass
class SetView:
    index: int
    name: str
    choices: list[ChoiceRow]
    used_by: list[str]


@dataclass
class RuleView:
    question: str = ""  # "" when the question is always asked
    how: str = "equals"
    values: set[str] = field(default_factory=set)
    offered: list[tuple[str, str]] = field(default_factory=list)  # earlier questions
    answers: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    missing: bool = False  # the named question is not above any more


@dataclass
class QuestionView:
    index: int
    origin: int | None
    id: str
    texts: dict[str, str]
    kind: str
    section: str
    factor: str
    choices: str
    numbers: dict[str, str]
    required: bool
    profile: bool
    rule: RuleView
    own_set: SetView | None
    problems: list[str] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        """Where the question list jumps to: by its code, which bookmarks keep."""
        return f"q-{self.id}" if self.id else f"q{self.index}"

    @property
    def has_choices(self) -> bool:
        return self.kind in CHOICE_KINDS


@dataclass
class FormView:
    general: list[tuple[str, str, dict[str, str]]]  # (what it is, field prefix, texts)
    sections: list[tuple[str, dict[str, str]]]
    factors: list[str]
    sets: list[SetView]  # shared by several questions, or used by none
    questions: list[QuestionView]
    problems: list[Problem]
    notes: list[Note]
    set_names: list[str]  # every list, in the file's order (the form's numbering)
    users: dict[str, list[str]]  # list name -> the questions using it


def _answers(question: Data | None, sets: Data, default: str) -> list[tuple[str, str]]:
    if question is None:
        return []
    name = question.get("choices")
    raw = sets.get(name, {}).get("choices") if isinstance(name, str) else None
    if raw is None and question.get("kind") == "yes_no":
        raw = [{"value": 1, "label": dict(PHRASES["yes"])}, {"value": 2, "label": PHRASES["no"]}]
    rows = [c for c in raw or [] if isinstance(c, dict)]
    return [(str(c.get("value")), texts_of(c.get("label"), default).get(default, "")) for c in rows]


def _rule(data: Data, index: int, sets: Data, default: str) -> RuleView:
    questions = data.get("questions", [])
    above = [
        q for q in questions[:index] if q.get("kind", "scale5") in CHOICE_KINDS and q.get("id")
    ]
    offered = [(str(q["id"]), texts_of(q.get("text"), default).get(default, "")) for q in above]
    raw = questions[index].get("show_if")
    if not isinstance(raw, dict) or not raw.get("question"):
        return RuleView(offered=offered)
    other = str(raw["question"])
    how = next((h for h in HOWS if h in raw), "equals")
    given = raw.get(how)
    values = {str(v) for v in (given if isinstance(given, list) else [given])}
    chosen = next((q for q in questions[:index] if str(q.get("id")) == other), None)
    missing = other not in {q for q, _text in offered}
    return RuleView(other, how, values, offered, _answers(chosen, sets, default), missing)


def _set(index: int, name: str, body: Any, users: list[str], default: str) -> SetView:
    rows = []
    for row, choice in enumerate(body.get("choices", []) if isinstance(body, dict) else []):
        satisfied = choice.get("satisfied")
        rows.append(
            ChoiceRow(
                row,
                str(choice.get("value", "")),
                texts_of(choice.get("label"), default),
                choice.get("not_applicable") is True,
                "" if not isinstance(satisfied, bool) else str(satisfied).lower(),
            )
        )
    return SetView(index, name, rows, users)


def build(
    data: Data,
    base: Data,
    locale: str,
    problems: list[Problem] | None = None,
    notes: list[Note] | None = None,
) -> FormView:
    default = str(data.get("flow", {}).get("default_locale", "vi"))
    title = texts_of(data.get("flow", {}).get("title"), default)
    general = [(section("title", locale), "title", title)]
    texts = data.get("texts", {})
    general += [
        (section(f"texts.{key}", locale), f"texts.{key}", texts_of(texts.get(key), default))
        for key in TEXT_KEYS
    ]
    factors = data.get("factors", [])
    general += [
        (section(f"factor {f.get('id')}", locale), f"factor.{i}", texts_of(f.get("name"), default))
        for i, f in enumerate(factors)
    ]
    questions = data.get("questions", [])
    sets = data.get("choice_sets", {})
    users: dict[str, list[str]] = {}
    for question in questions:
        if question.get("kind", "scale5") in CHOICE_KINDS and question.get("choices"):
            users.setdefault(str(question["choices"]), []).append(str(question.get("id")))
    set_views = [
        _set(k, name, body, users.get(name, []), default)
        for k, (name, body) in enumerate(sets.items() if isinstance(sets, dict) else [])
    ]
    own = {s.name: s for s in set_views if len(s.used_by) == 1}
    origins = {str(q.get("id")): i for i, q in enumerate(base.get("questions", []))}
    views = []
    for index, question in enumerate(questions):
        kind = str(question.get("kind", "scale5"))
        name = str(question.get("choices", ""))
        alone = own.get(name) if kind in CHOICE_KINDS else None
        if alone is not None and alone.used_by != [str(question.get("id"))]:
            alone = None
        views.append(
            QuestionView(
                index=index,
                origin=origins.get(str(question.get("id"))),
                id=str(question.get("id", "")),
                texts=texts_of(question.get("text"), default),
                kind=kind if kind in KINDS else "scale5",
                section=str(question.get("section", "")),
                factor=str(question.get("factor", "")),
                choices=name,
                numbers={k: str(question.get(k, "")) for k in ("min", "max", "max_length")},
                required=question.get("required", not question.get("profile", False)) is True,
                profile=question.get("profile") is True,
                rule=_rule(data, index, sets, default),
                own_set=alone,
            )
        )
    for problem in problems or []:
        if problem.number is not None and 0 < problem.number <= len(views):
            views[problem.number - 1].problems.append(problem.message)
    shown_alone = {q.own_set.name for q in views if q.own_set is not None}
    return FormView(
        general=general,
        sections=[
            (str(s.get("id", "")), texts_of(s.get("title"), default))
            for s in data.get("sections", [])
        ],
        factors=[str(f.get("id")) for f in factors],
        sets=[s for s in set_views if s.name not in shown_alone],
        questions=views,
        problems=problems or [],
        notes=notes or [],
        set_names=[s.name for s in set_views],
        users=users,
    )
