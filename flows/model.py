"""The in-memory shape of a question flow, as loaded from a flow file.

A flow is data that admins edit (wording, choice sets, the scoring rule); the engine and the
scoring read it and never hard-code the 22 SIPAS criteria, so another methodology is a new
flow file rather than new code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

# citizen: Mẫu 01; organization: Mẫu 02; desk: the quick rating a desk's QR code opens
Form = Literal["citizen", "organization", "desk"]
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


@dataclass(frozen=True)
class Question:
    id: str
    factor: str
    text: Localized
    choice_set: ChoiceSet


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

    @property
    def total(self) -> int:
        return len(self.questions)

    def question_index(self, question_id: str) -> int | None:
        for index, question in enumerate(self.questions):
            if question.id == question_id:
                return index
        return None

    def factor(self, factor_id: str) -> Factor:
        return next(f for f in self.factors if f.id == factor_id)

    def questions_of(self, factor_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.factor == factor_id)
