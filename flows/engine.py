"""The pure flow engine: (flow, state, one inbound event) -> (new state, messages, effects).

No I/O, no clock, no randomness: the same input always gives the same output. The
conversation glue persists the effects in one transaction and only then sends the messages,
so a crash can at most repeat a question, never lose or double an answer.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from flows.model import Flow, Question
from flows.outbound import AnswerEcho, Message, Option, Outbound
from flows.texts import phrase

# --- inbound events ----------------------------------------------------------------------


@dataclass(frozen=True)
class Start:
    """The respondent opened the survey (a deep link, the web page, /start)."""


@dataclass(frozen=True)
class Choose:
    """A button was pressed; ``prompt_id`` is the question the button belonged to."""

    prompt_id: str
    value: str


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Back:
    pass


@dataclass(frozen=True)
class Unsupported:
    """A sticker, photo, voice message... anything the survey cannot read."""

    kind: str


Inbound = Start | Choose | Text | Back | Unsupported

# --- state -------------------------------------------------------------------------------


class Phase(StrEnum):
    INTRO = "intro"
    DECLINED = "declined"
    ASKING = "asking"
    COMMENT = "comment"
    COMPLAINT_OFFER = "complaint_offer"
    COMPLAINT = "complaint"
    DONE = "done"


CONSENT = "_consent"
COMMENT = "_comment"
COMPLAINT_OFFER = "_complaint_offer"
COMPLAINT = "_complaint"
RESUME = "_resume"  # the "continue" button of a reminder


@dataclass(frozen=True)
class State:
    phase: Phase = Phase.INTRO
    position: int = 0
    answers: Mapping[str, int] = field(default_factory=dict)
    locale: str = "vi"

    @property
    def answered(self) -> int:
        return len(self.answers)


# --- effects -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordAnswer:
    question_id: str
    value: int


@dataclass(frozen=True)
class RecordConsent:
    given: bool


@dataclass(frozen=True)
class RecordComment:
    text: str
    is_complaint: bool


@dataclass(frozen=True)
class Complete:
    pass


Effect = RecordAnswer | RecordConsent | RecordComment | Complete


@dataclass(frozen=True)
class Step:
    state: State
    messages: tuple[Outbound, ...] = ()
    effects: tuple[Effect, ...] = ()


# --- public functions --------------------------------------------------------------------


def initial_state(locale: str = "vi") -> State:
    return State(phase=Phase.INTRO, position=0, answers={}, locale=locale)


def render(flow: Flow, state: State) -> tuple[Message, ...]:
    """What the respondent should see now, without changing anything (page loads, resumes)."""
    return _Turn(flow, state).prompt()


def step(flow: Flow, state: State, event: Inbound) -> Step:
    """Apply one inbound event. Pure: it reads nothing but its arguments."""
    turn = _Turn(flow, state)
    match event:
        case Start():
            return turn.on_start()
        case Back():
            return turn.on_back()
        case Unsupported():
            return turn.reprompt(phrase("unsupported", state.locale))
        case Choose(prompt_id=prompt_id, value=value):
            return turn.on_choose(prompt_id, value)
        case Text(text=text):
            return turn.on_text(text)
    raise TypeError(f"not an inbound event: {event!r}")


# --- the work ----------------------------------------------------------------------------


BACK_WORDS = frozenset({"quay lại", "quay lai", "back", "↩ quay lại", "↩ back"})


def _normalize(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).strip().casefold()
    return " ".join(folded.rstrip(".!").split())


class _Turn:
    """One engine call: the flow, the state, and the helpers to build the next step."""

    def __init__(self, flow: Flow, state: State) -> None:
        self.flow = flow
        self.state = state
        self.locale = state.locale if state.locale in flow.locales else flow.default_locale

    # prompts --------------------------------------------------------------------------
    def t(self, key: str, **values: object) -> str:
        return phrase(key, self.locale, **values)

    def prompt_id(self) -> str | None:
        return {
            Phase.INTRO: CONSENT,
            Phase.DECLINED: CONSENT,
            Phase.ASKING: self.current_question().id if self.state.phase == Phase.ASKING else "",
            Phase.COMMENT: COMMENT,
            Phase.COMPLAINT_OFFER: COMPLAINT_OFFER,
            Phase.COMPLAINT: COMPLAINT,
        }.get(self.state.phase)

    def current_question(self) -> Question:
        return self.flow.questions[self.state.position]

    def options(self) -> tuple[Option, ...]:
        phase = self.state.phase
        if phase in (Phase.INTRO, Phase.DECLINED):
            return (
                Option(self.t("agree"), "yes", "1"),
                Option(self.t("disagree"), "no", "2"),
            )
        if phase == Phase.ASKING:
            return tuple(
                Option(c.label.get(self.locale), str(c.value), str(c.value))
                for c in self.current_question().choice_set.choices
            )
        if phase == Phase.COMPLAINT_OFFER:
            return (Option(self.t("yes"), "yes", "1"), Option(self.t("no"), "no", "2"))
        if phase in (Phase.COMMENT, Phase.COMPLAINT):
            return (Option(self.t("skip"), "skip", "0"),)
        return ()

    def prompt(self, lead: str | None = None) -> tuple[Message, ...]:
        """The current prompt, optionally preceded by a short notice."""
        texts = self.flow.texts
        phase = self.state.phase
        notice = (Message(lead, notice=True),) if lead else ()
        if phase == Phase.INTRO:
            intro = Message(texts.intro.get(self.locale))
            consent = Message(texts.consent.get(self.locale), CONSENT, self.options())
            return (*notice, intro, consent)
        if phase == Phase.DECLINED:
            return (*notice, Message(texts.declined.get(self.locale), CONSENT, self.options()))
        if phase == Phase.DONE:
            return (*notice, Message(texts.thanks.get(self.locale)))
        if phase == Phase.ASKING:
            return (*notice, self.question_message())
        text = {
            Phase.COMMENT: texts.comment,
            Phase.COMPLAINT_OFFER: texts.complaint_offer,
            Phase.COMPLAINT: texts.complaint,
        }[phase].get(self.locale)
        return (
            *notice,
            Message(
                text,
                self.prompt_id(),
                self.options(),
                back_label=self.t("back"),
                accepts_text=phase in (Phase.COMMENT, Phase.COMPLAINT),
            ),
        )

    def question_message(self) -> Message:
        question = self.current_question()
        n, total = self.state.position + 1, self.flow.total
        earlier = self.state.answers.get(question.id)
        return Message(
            question.text.get(self.locale),
            question.id,
            self.options(),
            header=self.t("progress", n=n, total=total),
            progress=(n, total),
            back_label=self.t("back") if self.state.position > 0 else None,
            selected=str(earlier) if earlier is not None else None,
        )

    # transitions ----------------------------------------------------------------------
    def moved(self, **changes: object) -> _Turn:
        return _Turn(self.flow, replace(self.state, **changes))  # type: ignore[arg-type]

    def reprompt(self, notice: str) -> Step:
        """Anything unexpected: a kind reminder of what is expected, nothing changes."""
        return Step(self.state, self.prompt(notice))

    def on_start(self) -> Step:
        phase = self.state.phase
        if phase == Phase.INTRO:
            return Step(self.state, self.prompt())
        if phase == Phase.DECLINED:
            return Step(self.moved(phase=Phase.INTRO).state, self.moved(phase=Phase.INTRO).prompt())
        if phase == Phase.DONE:
            return Step(self.state, (Message(self.t("already_done")),))
        return Step(self.state, self.prompt(self.t("welcome_back")))

    def on_back(self) -> Step:
        phase = self.state.phase
        if phase == Phase.ASKING:
            if self.state.position == 0:
                return self.reprompt(self.t("first_question"))
            return self.ask_again(self.state.position - 1)
        if phase == Phase.COMMENT:
            return self.ask_again(self.flow.total - 1)
        if phase == Phase.COMPLAINT_OFFER:
            if self.flow.closing.comment:
                after = self.moved(phase=Phase.COMMENT)
                return Step(after.state, after.prompt())
            return self.ask_again(self.flow.total - 1)
        if phase == Phase.COMPLAINT:
            after = self.moved(phase=Phase.COMPLAINT_OFFER)
            return Step(after.state, after.prompt())
        return self.unexpected()

    def ask_again(self, position: int) -> Step:
        """Re-ask an earlier question; answering it again replaces the stored answer."""
        after = self.moved(phase=Phase.ASKING, position=position)
        question = after.current_question()
        earlier = self.state.answers.get(question.id)
        choice = question.choice_set.by_value(earlier) if earlier is not None else None
        lead = after.t("current_answer", label=choice.label.get(self.locale)) if choice else None
        return Step(after.state, after.prompt(lead))

    def unexpected(self) -> Step:
        if self.state.phase == Phase.DONE:
            return Step(self.state, (Message(self.t("already_done")),))
        return self.reprompt(self.hint())

    def hint(self) -> str:
        if self.state.phase == Phase.ASKING:
            choices = self.current_question().choice_set.choices
            has_na = any(c.not_applicable for c in choices)
            values = sorted(c.value for c in choices if not c.not_applicable)
            if values == [1, 2, 3, 4, 5]:
                na = self.t("choose_scale_na") if has_na else ""
                return self.t("choose_scale", na=na)
        keys = ", ".join(o.key for o in self.options())
        return self.t("choose_option", keys=keys)

    def on_choose(self, prompt_id: str, value: str) -> Step:
        if prompt_id == RESUME:
            return self.on_start()
        if self.state.phase == Phase.DONE:
            return self.unexpected()
        if prompt_id != self.prompt_id():
            return self.reprompt(self.t("stale"))
        option = next((o for o in self.options() if o.value == value), None)
        if option is None:
            return self.unexpected()
        return self.accept(option)

    def on_text(self, text: str) -> Step:
        phase = self.state.phase
        if phase == Phase.DONE:
            return self.unexpected()
        wanted = _normalize(text)
        option = next((o for o in self.options() if wanted in (o.key, _normalize(o.label))), None)
        if option is not None:
            return self.accept(option)
        if self.typed_back(wanted):
            return self.on_back()
        if phase in (Phase.COMMENT, Phase.COMPLAINT) and text.strip():
            limit = self.flow.closing.max_length
            if len(text) > limit:
                return self.reprompt(self.t("too_long", limit=limit))
            return self.accept_text(text.strip())
        return self.unexpected()

    def typed_back(self, wanted: str) -> bool:
        """ "quay lại" / "back" typed, or "0" where no choice is 0: the typed "↩ Quay lại" of
        channels without buttons (the numbered list says so)."""
        if self.state.phase in (Phase.INTRO, Phase.DECLINED, Phase.DONE):
            return False
        if self.state.phase == Phase.ASKING and self.state.position == 0:
            return wanted in BACK_WORDS
        return wanted in BACK_WORDS or wanted == "0"

    def accept(self, option: Option) -> Step:
        phase = self.state.phase
        if phase in (Phase.INTRO, Phase.DECLINED):
            if option.value == "yes":
                after = self.moved(phase=Phase.ASKING, position=0)
                return Step(after.state, after.prompt(), (RecordConsent(True),))
            after = self.moved(phase=Phase.DECLINED)
            return Step(after.state, after.prompt(), (RecordConsent(False),))
        if phase == Phase.ASKING:
            question = self.current_question()
            value = int(option.value)
            answers = {**self.state.answers, question.id: value}
            echo = AnswerEcho(question.id, self.t("chosen", label=option.label))
            effect = RecordAnswer(question.id, value)
            return self.advance_from_question(answers, echo, effect)
        if phase == Phase.COMPLAINT_OFFER:
            if option.value == "yes":
                after = self.moved(phase=Phase.COMPLAINT)
                return Step(after.state, after.prompt())
            return self.finish(())
        # COMMENT / COMPLAINT: the only option is "skip"
        return self.after_closing_text(())

    def accept_text(self, text: str) -> Step:
        is_complaint = self.state.phase == Phase.COMPLAINT
        effect = RecordComment(text, is_complaint)
        ack = Message(self.t("complaint_received" if is_complaint else "comment_received"))
        return self.after_closing_text((effect,), ack)

    def after_closing_text(self, effects: tuple[Effect, ...], ack: Message | None = None) -> Step:
        acks = (ack,) if ack else ()
        if self.state.phase == Phase.COMMENT and self.flow.closing.complaint:
            after = self.moved(phase=Phase.COMPLAINT_OFFER)
            return Step(after.state, (*acks, *after.prompt()), effects)
        return self.finish(effects, acks)

    def advance_from_question(
        self, answers: dict[str, int], echo: AnswerEcho, effect: RecordAnswer
    ) -> Step:
        position = self.state.position + 1
        if position < self.flow.total:
            after = self.moved(position=position, answers=answers)
            return Step(after.state, (echo, *after.prompt()), (effect,))
        closing = self.flow.closing
        if closing.comment or closing.complaint:
            phase = Phase.COMMENT if closing.comment else Phase.COMPLAINT_OFFER
            after = self.moved(phase=phase, answers=answers)
            return Step(after.state, (echo, *after.prompt()), (effect,))
        return self.moved(answers=answers).finish((effect,), (echo,))

    def finish(self, effects: tuple[Effect, ...], before: tuple[Outbound, ...] = ()) -> Step:
        after = self.moved(phase=Phase.DONE)
        return Step(after.state, (*before, *after.prompt()), (*effects, Complete()))
