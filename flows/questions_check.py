"""The questions part of the flow checker: kinds, choices, scoring, skip rules, the profile.

Split from flows/loader.py so each file keeps one job; it reports through the loader's
validator, so every problem still carries its file, line and phrase.
"""

from __future__ import annotations

from typing import Any

from flows.model import (
    CHOICE_KINDS,
    EMPTY_CHOICES,
    KINDS,
    Choice,
    ChoiceSet,
    Condition,
    Localized,
    Question,
    Section,
)
from flows.texts import PHRASES

NUMBER_LIMIT = 32000  # answers are stored in a small integer
SCORABLE = ("scale5", "yes_no", "single")


def yes_no_set() -> ChoiceSet:
    """The choices of a yes/no question that names no choice set: 1 yes (satisfied), 2 no."""
    return ChoiceSet(
        "_yes_no",
        (
            Choice(1, Localized(dict(PHRASES["yes"])), satisfied=True),
            Choice(2, Localized(dict(PHRASES["no"])), satisfied=False),
        ),
    )


def check_questions(
    v: Any,
    choice_sets: dict[str, ChoiceSet],
    factor_ids: set[str],
    sections: tuple[Section, ...],
) -> tuple[Question, ...]:
    """Every [[questions]] table as a Question; problems go to the validator ``v``."""
    raw_questions = v.data.get("questions")
    if not isinstance(raw_questions, list) or not raw_questions:
        v.problem("no_questions", ())
        return ()
    checker = _QuestionChecker(v, choice_sets, factor_ids, {s.id for s in sections})
    for index, raw in enumerate(raw_questions):
        checker.check(index, raw if isinstance(raw, dict) else {})
    return tuple(checker.questions)


class _QuestionChecker:
    def __init__(
        self, v: Any, choice_sets: dict[str, ChoiceSet], factors: set[str], sections: set[str]
    ) -> None:
        self.v = v
        self.choice_sets = choice_sets
        self.factors = factors
        self.sections = sections
        self.questions: list[Question] = []
        self.seen: set[str] = set()
        self.profile_started = False

    def check(self, index: int, raw: dict[str, Any]) -> None:
        v = self.v
        path = ("questions", index)
        question_id = raw.get("id")
        if question_id is None:
            v.problem("question_no_id", path, at_key=False, number=index + 1)
            return
        from flows.loader import ID_PATTERN

        if not isinstance(question_id, str) or not ID_PATTERN.match(question_id):
            v.problem("question_id", (*path, "id"), id=question_id)
            return
        if question_id in self.seen:
            v.problem("question_twice", (*path, "id"), id=question_id)
            return
        self.seen.add(question_id)
        kind = raw.get("kind", "scale5")
        if kind not in KINDS:
            v.problem(
                "bad_kind", (*path, "kind"), id=question_id, kind=kind, allowed=", ".join(KINDS)
            )
            return
        choice_set = self.choices(path, question_id, kind, raw)
        factor = self.factor(path, question_id, kind, raw, choice_set)
        profile = v.flag(raw, "profile", False, path, question_id)
        required = v.flag(raw, "required", not profile, path, question_id)
        self.check_profile(path, question_id, profile, required, factor)
        section = raw.get("section")
        if section is not None and section not in self.sections:
            v.problem("unknown_section", (*path, "section"), id=question_id, section=section)
        text = v.localized(raw.get("text"), (*path, "text"), f"question {question_id} text")
        minimum, maximum = self.bounds(path, question_id, kind, raw)
        max_length = raw.get("max_length", 200)
        if (
            not isinstance(max_length, int)
            or isinstance(max_length, bool)
            or not 1 <= max_length <= 500
        ):
            v.problem("bad_max_length", (*path, "max_length"), id=question_id)
            max_length = 200
        show_if = self.condition(path, question_id, raw.get("show_if"))
        if choice_set is None:
            return
        self.questions.append(
            Question(
                question_id,
                factor,
                text,
                choice_set,
                kind=kind,
                required=required,
                show_if=show_if,
                section=section if section in self.sections else None,
                minimum=minimum,
                maximum=maximum,
                max_length=max_length,
                profile=profile,
            )
        )

    def choices(
        self, path: tuple[Any, ...], question_id: str, kind: str, raw: dict[str, Any]
    ) -> ChoiceSet | None:
        v = self.v
        set_id = raw.get("choices")
        if kind not in CHOICE_KINDS:
            if set_id is not None:
                v.problem("needless_choices", (*path, "choices"), id=question_id, kind=kind)
            return EMPTY_CHOICES
        if set_id is None:
            if kind == "yes_no":
                return yes_no_set()
            v.problem("question_no_choices", (*path, "id"), id=question_id)
            return None
        choice_set = self.choice_sets.get(set_id) if isinstance(set_id, str) else None
        if choice_set is None:
            known = ", ".join(sorted(self.choice_sets)) or "none defined"
            v.problem("unknown_set", (*path, "choices"), id=question_id, set=set_id, known=known)
            return None
        if kind == "scale5":
            levels = sorted(c.value for c in choice_set.choices if not c.not_applicable)
            if levels != [1, 2, 3, 4, 5]:
                v.problem("scale_levels", (*path, "choices"), id=question_id)
        return choice_set

    def factor(
        self,
        path: tuple[Any, ...],
        question_id: str,
        kind: str,
        raw: dict[str, Any],
        choice_set: ChoiceSet | None,
    ) -> str | None:
        v = self.v
        factor = raw.get("factor")
        if factor is None:
            if kind == "scale5" and self.factors and not raw.get("profile"):
                v.problem("question_no_factor", (*path, "id"), id=question_id)
            return None
        if factor not in self.factors:
            known = ", ".join(sorted(self.factors)) or "none defined"
            v.problem(
                "unknown_factor", (*path, "factor"), id=question_id, factor=factor, known=known
            )
            return None
        if kind not in SCORABLE:
            v.problem("scored_kind", (*path, "factor"), id=question_id, kind=kind)
            return None
        if choice_set is not None:
            probe = Question(question_id, factor, Localized({}), choice_set, kind=kind)  # type: ignore[arg-type]
            valid = {c.value for c in choice_set.choices if not c.not_applicable}
            if not probe.satisfied_values(v.levels) & valid:
                v.problem("nothing_satisfied", (*path, "choices"), id=question_id)
        return factor

    def check_profile(
        self,
        path: tuple[Any, ...],
        question_id: str,
        profile: bool,
        required: bool,
        factor: str | None,
    ) -> None:
        v = self.v
        if profile:
            self.profile_started = True
            if required:
                v.problem("profile_required", (*path, "required"), id=question_id)
            if factor is not None:
                v.problem("profile_scored", (*path, "factor"), id=question_id)
        elif self.profile_started:
            v.problem("profile_order", (*path, "id"), id=question_id)

    def bounds(
        self, path: tuple[Any, ...], question_id: str, kind: str, raw: dict[str, Any]
    ) -> tuple[int | None, int | None]:
        if kind != "number":
            return None, None
        minimum, maximum = raw.get("min", 0), raw.get("max", 999)
        fine = all(
            isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= NUMBER_LIMIT
            for b in (minimum, maximum)
        )
        if not fine or minimum >= maximum:
            key = "min" if "min" in raw else "max"
            self.v.problem("bad_bounds", (*path, key), id=question_id)
            return 0, 999
        return minimum, maximum

    def condition(self, path: tuple[Any, ...], question_id: str, raw: Any) -> Condition | None:
        if raw is None:
            return None
        v = self.v
        at = (*path, "show_if")
        other_id = raw.get("question") if isinstance(raw, dict) else None
        given = [
            k for k in ("equals", "is_one_of", "contains") if isinstance(raw, dict) and k in raw
        ]
        if not isinstance(other_id, str) or len(given) != 1:
            v.problem("show_if_shape", at, id=question_id)
            return None
        other = next((q for q in self.questions if q.id == other_id), None)
        if other is None:
            named = v.data.get("questions")
            exists = any(isinstance(q, dict) and q.get("id") == other_id for q in named)
            key = "show_if_later" if exists else "show_if_unknown"
            v.problem(key, at, id=question_id, other=other_id)
            return None
        if not other.has_choices:
            v.problem("show_if_kind", at, id=question_id, other=other_id, kind=other.kind)
            return None
        how = given[0]
        if (how == "contains") != (other.kind == "multi"):
            v.problem("show_if_contains", at, id=question_id)
            return None
        # contains may list several answers: shown when any of them was ticked
        several = how == "is_one_of" or (how == "contains" and isinstance(raw[how], list))
        wanted = raw[how] if several else [raw[how]]
        if not isinstance(wanted, list) or not wanted:
            v.problem("show_if_shape", at, id=question_id)
            return None
        for value in wanted:
            if other.choice_set.by_value(value) is None:
                v.problem("show_if_value", at, id=question_id, other=other_id, value=value)
                return None
        return Condition(other_id, frozenset(wanted))
