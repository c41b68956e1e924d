"""The in-memory shape of a question flow, as loaded from a flow file.

A flow is data that admins edit (wording, choice sets, the scoring rule); the engine and the
scoring read it and never hard-code the 22 SIPAS criteria, so another methodology is a new
flow file rather than new code.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

# citizen: Mẫu 01; organization: Mẫu 02; desk: the quick rating a desk's QR code opens
Form = Literal["citizen", "organization", "desk"]
Kind = Literal["scale5", "yes_no", "single", "multi", "number", "text"]
KINDS: tuple[Kind, ...] = ("scale5", "yes_no", "single", "multi", "number", "text")
CHOICE_KINDS: tuple[Kind, ...] = ("scale5", "yes_no", "single", "multi")
SKIPPED = -1  # the stored value of an optional question the respondent skipped
FORMS: tuple[Form, ...] = ("citizen", "organization", "desk")
LOCALES: tuple[str, ...] = ("vi", "en")


@dataclass(frozen=True)
class Localized:
    """A text in several locales; falls back to the flow's default locale."""

    values: Mapping[str, str]
    default_locale: str = "vi"

    def get(self, locale: str) -> str:
        if locale in self.values:
            return self.values[locale]
        if self.default_locale in self.values:
            return self.values[self.default_locale]
        return next(iter(self.values.values()), "")


@dataclass(frozen=True)
class Choice:
    """One answer option; ``value`` is what is stored, typing it (as digits) selects it."""

    value: int
    label: Localized
    not_applicable: bool = False
    satisfied: bool | None = None  # declared per choice; None: the flow's satisfied levels


@dataclass(frozen=True)
class ChoiceSet:
    id: str
    choices: tuple[Choice, ...]

    def by_value(self, value: int) -> Choice | None:
        return next((c for c in self.choices if c.value == value), None)


@dataclass(frozen=True)
class Factor:
    id: str
    name: Localized
    weight: float = 1.0


EMPTY_CHOICES = ChoiceSet("", ())


@dataclass(frozen=True)
class Condition:
    """``show_if``: the question is shown only when an earlier answer is one of ``values``
    (for a multiple choice: when any of ``values`` was ticked)."""

    question_id: str
    values: frozenset[int]


@dataclass(frozen=True)
class Section:
    id: str
    title: Localized


@dataclass(frozen=True)
class Question:
    """One question. ``factor`` None means unscored (its answers are only counted).

    Multiple-choice answers are stored as a bit set of the ticked values (``1 << value``),
    numbers as themselves, short texts as 1 (the words go to the answer's text column).
    """

    id: str
    factor: str | None
    text: Localized
    choice_set: ChoiceSet = EMPTY_CHOICES
    kind: Kind = "scale5"
    required: bool = True
    show_if: Condition | None = None
    section: str | None = None
    minimum: int | None = None
    maximum: int | None = None
    max_length: int = 200
    profile: bool = False

    @property
    def scored(self) -> bool:
        return self.factor is not None

    @property
    def has_choices(self) -> bool:
        return self.kind in ("scale5", "yes_no", "single", "multi")

    def satisfied_values(self, default: frozenset[int]) -> frozenset[int]:
        """The choices that count as satisfied: declared per choice, else the flow's levels."""
        declared = [c for c in self.choice_set.choices if c.satisfied is not None]
        if declared:
            return frozenset(c.value for c in declared if c.satisfied)
        return default


def ticked(mask: int) -> tuple[int, ...]:
    """The values ticked in a multiple-choice answer (its bit set)."""
    if mask < 0:
        return ()
    return tuple(value for value in range(10) if mask & (1 << value))


def mask_of(values: Iterable[int]) -> int:
    mask = 0
    for value in values:
        mask |= 1 << value
    return mask


@dataclass(frozen=True)
class ScoringRule:
    """How answers roll up: which levels count as satisfied, how factors combine.

    A factor's index is the plain mean of its criteria's indices; the overall index is the
    ``mean`` of the factor indices or their ``weighted_mean`` (using each factor's ``weight``).
    """

    satisfied: frozenset[int]
    overall_rollup: Literal["mean", "weighted_mean"] = "mean"


@dataclass(frozen=True)
class Closing:
    comment: bool = True
    complaint: bool = True
    max_length: int = 2000


@dataclass(frozen=True)
class Texts:
    intro: Localized
    consent: Localized
    declined: Localized
    comment: Localized
    complaint_offer: Localized
    complaint: Localized
    thanks: Localized


@dataclass(frozen=True)
class Flow:
    key: str
    form: Form
    title: Localized
    default_locale: str
    locales: tuple[str, ...]
    texts: Texts
    factors: tuple[Factor, ...]
    questions: tuple[Question, ...]
    scoring: ScoringRule
    closing: Closing = field(default_factory=Closing)
    sections: tuple[Section, ...] = ()
    standard: bool = False  # the default flow of its form for units that chose none

    @property
    def total(self) -> int:
        return len(self.questions)

    def question_index(self, question_id: str) -> int | None:
        for index, question in enumerate(self.questions):
            if question.id == question_id:
                return index
        return None

    def question(self, question_id: str) -> Question | None:
        index = self.question_index(question_id)
        return None if index is None else self.questions[index]

    def section(self, section_id: str | None) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    @property
    def scored_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.scored)

    def factor(self, factor_id: str) -> Factor:
        return next(f for f in self.factors if f.id == factor_id)

    def questions_of(self, factor_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.factor == factor_id)
