"""Answering the current question, for every kind: a button (or its typed key or label), a
multiple choice ticked and confirmed, a typed list, number or short text; then moving on to
the next question this respondent is shown (skip logic), forgetting answers a change hid.

A mixin of flows/engine.py's turn: it relies on the turn's ``state``, ``flow``, ``locale``,
``t``, ``moved``, ``prompt``, ``reprompt``, ``hint``, ``current_question`` and ``finish``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from flows import asking, paths
from flows.model import SKIPPED, Question
from flows.outbound import AnswerEcho, Option
from flows.steps import Effect, ForgetAnswer, Phase, RecordAnswer, Step

BACK_WORDS = frozenset({"quay lại", "quay lai", "back", "↩ quay lại", "↩ back"})
MARKS = "✔☑☐✓ "  # a button's mark ("✔ Xong", "☑ ...") is not typed


def normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    return " ".join(folded.rstrip(".!").lstrip(MARKS).split())


class Answering:
    state: Any
    flow: Any
    locale: str

    def accept_option(self, question: Question, option: Option) -> Step:
        """A button (or its typed key/label) at a question of any kind with buttons."""
        if option.value == asking.SKIP:
            return self.answer(question, SKIPPED, self.t("chosen", label=option.label))
        if question.kind == "multi":
            return self.tick(question, option.value)
        label = asking.answer_label(question, int(option.value), self.locale) or option.label
        return self.answer(question, int(option.value), self.t("chosen", label=label))

    def tick(self, question: Question, value: str) -> Step:
        """Multiple choice with buttons: a choice toggles its mark, "Xong" confirms."""
        mask = max(self.state.answers.get(question.id, 0), 0)
        if value == asking.DONE:
            if mask:
                label = asking.answer_label(question, mask, self.locale)
                return self.answer(question, mask, self.t("chosen", label=label))
            if question.required:
                return self.reprompt(self.t("need_one"))
            return self.answer(question, SKIPPED, self.t("chosen", label=self.t("skip")))
        mask ^= 1 << int(value)
        after = self.moved(answers={**self.state.answers, question.id: mask})
        return Step(after.state, after.prompt(), (RecordAnswer(question.id, mask),))

    def typed_answer(self, text: str) -> Step | None:
        """A typed answer that is not a button: "1,3" at a multiple choice, a number, a
        short text. None when the text is none of these (the caller hints)."""
        question = self.current_question()
        if question.kind == "multi":
            mask = asking.typed_choices(question, text)
            if mask is None:
                return None
            label = asking.answer_label(question, mask, self.locale)
            return self.answer(question, mask, self.t("chosen", label=label))
        if question.kind == "number":
            number = asking.typed_number(question, text)
            if number is None:
                return None if normalize(text) in BACK_WORDS else self.reprompt(self.hint())
            return self.answer(question, number, self.t("chosen", label=str(number)))
        if question.kind == "text" and normalize(text) not in BACK_WORDS:
            words = text.strip()
            if len(words) > question.max_length:
                return self.reprompt(self.t("too_long", limit=question.max_length))
            return self.answer(question, 1, self.t("text_received"), words)
        return None

    def answer(
        self, question: Question, value: int, echo_text: str, text: str | None = None
    ) -> Step:
        """Record the answer to the current question and move to the next one shown."""
        answers = {**self.state.answers, question.id: value}
        kept = paths.prune(self.flow, answers)
        forgotten = tuple(ForgetAnswer(q) for q in answers if q not in kept)
        effects: tuple[Effect, ...] = (RecordAnswer(question.id, value, text), *forgotten)
        echo = AnswerEcho(question.id, echo_text)
        position = paths.next_index(self.flow, self.state.position, kept)
        if position is not None:
            after = self.moved(position=position, answers=kept)
            return Step(after.state, (echo, *after.prompt()), effects)
        closing = self.flow.closing
        if closing.comment or closing.complaint:
            phase = Phase.COMMENT if closing.comment else Phase.COMPLAINT_OFFER
            after = self.moved(phase=phase, answers=kept)
            return Step(after.state, (echo, *after.prompt()), effects)
        return self.moved(answers=kept).finish(effects, (echo,))
