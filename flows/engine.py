"""The pure flow engine: (flow, state, one inbound event) -> (new state, messages, effects).

No I/O, no clock, no randomness: the same input always gives the same output. The
conversation glue persists the effects in one transaction and only then sends the messages,
so a crash can at most repeat a question, never lose or double an answer.
"""

from __future__ import annotations

from dataclasses import replace

from flows import asking, paths
from flows.answering import BACK_WORDS, Answering, normalize
from flows.model import SKIPPED, Flow, Question
from flows.outbound import Message, Option, Outbound
from flows.steps import (
    COMMENT,
    COMPLAINT,
    COMPLAINT_OFFER,
    CONSENT,
    RESUME,
    Back,
    Choose,
    Complete,
    Effect,
    ForgetAnswer,
    Inbound,
    Phase,
    RecordAnswer,
    RecordComment,
    RecordConsent,
    Start,
    State,
    Step,
    Text,
    Unsupported,
)
from flows.texts import phrase

__all__ = [
    "COMMENT",
    "COMPLAINT",
    "COMPLAINT_OFFER",
    "CONSENT",
    "RESUME",
    "Back",
    "Choose",
    "Complete",
    "Effect",
    "ForgetAnswer",
    "Inbound",
    "Phase",
    "RecordAnswer",
    "RecordComment",
    "RecordConsent",
    "Start",
    "State",
    "Step",
    "Text",
    "Unsupported",
    "initial_state",
    "render",
    "step",
]

SKIP = "skip"  # a closing step's "Bỏ qua, gửi phiếu": send the response as it is
WRITE_COMPLAINT = "complaint"  # "Gửi phản ánh, kiến nghị": go on to write it

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


class _Turn(Answering):
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
            question = self.current_question()
            return asking.options(question, self.locale, self.state.answers.get(question.id))
        if phase in (Phase.COMMENT, Phase.COMPLAINT_OFFER, Phase.COMPLAINT):
            return self.closing_options()
        return ()

    def closing_options(self) -> tuple[Option, ...]:
        """One tap sends the response from any closing step ("Bỏ qua, gửi phiếu", or "Gửi
        phiếu" where the report / petition is offered alone: after a written comment, or in
        a flow without comment); where the flow offers a report / petition and it is not
        being written yet, a second choice opens it. So a respondent with nothing to add
        taps once after the last question, not twice (skip the comment, then "no" to an
        offer)."""
        phase = self.state.phase
        finish = Option(
            self.t("send" if phase == Phase.COMPLAINT_OFFER else "skip_send"), SKIP, "0"
        )
        if phase == Phase.COMPLAINT or not self.flow.closing.complaint:
            return (finish,)
        return (finish, Option(self.t("send_complaint"), WRITE_COMPLAINT, "1"))

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
        if phase == Phase.COMMENT and self.flow.closing.complaint:
            text = f"{text}\n{texts.complaint_offer.get(self.locale)}"
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
        answers, position = self.state.answers, self.state.position
        n, total = paths.progress(self.flow, position, answers)
        header = self.t("progress", n=n, total=total)
        section = self.flow.section(question.section)
        if section is not None and paths.entering_section(self.flow, position, answers):
            header = f"{section.title.get(self.locale)}\n{header}"
        earlier = answers.get(question.id)
        selected = None
        if earlier is not None and question.kind != "multi":
            selected = asking.SKIP if earlier == SKIPPED else str(earlier)
        return Message(
            question.text.get(self.locale),
            question.id,
            self.options(),
            header=header,
            progress=(n, total),
            back_label=self.t("back") if self.previous() is not None else None,
            accepts_text=question.kind in ("number", "text"),
            selected=selected,
        )

    def previous(self, before: int | None = None) -> int | None:
        """The question shown before position ``before`` (the current one by default)."""
        at = self.state.position if before is None else before
        return paths.previous_index(self.flow, at, self.state.answers)

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
            before = self.previous()
            if before is None:
                return self.reprompt(self.t("first_question"))
            return self.ask_again(before)
        last = self.previous(self.flow.total)
        if phase == Phase.COMPLAINT_OFFER and self.flow.closing.comment:
            after = self.moved(phase=Phase.COMMENT)
            return Step(after.state, after.prompt())
        if phase in (Phase.COMMENT, Phase.COMPLAINT_OFFER) and last is not None:
            return self.ask_again(last)
        if phase == Phase.COMPLAINT:
            # back to the step that offered it: the comment, or the offer alone
            offer = Phase.COMMENT if self.flow.closing.comment else Phase.COMPLAINT_OFFER
            after = self.moved(phase=offer)
            return Step(after.state, after.prompt())
        return self.unexpected()

    def ask_again(self, position: int) -> Step:
        """Re-ask an earlier question; answering it again replaces the stored answer."""
        after = self.moved(phase=Phase.ASKING, position=position)
        question = after.current_question()
        earlier = self.state.answers.get(question.id)
        label = asking.answer_label(question, earlier, self.locale) if earlier is not None else None
        lead = after.t("current_answer", label=label) if label else None
        return Step(after.state, after.prompt(lead))

    def unexpected(self) -> Step:
        if self.state.phase == Phase.DONE:
            return Step(self.state, (Message(self.t("already_done")),))
        return self.reprompt(self.hint())

    def hint(self) -> str:
        keys = ", ".join(o.key for o in self.options() if o.key)
        if self.state.phase == Phase.ASKING:
            return asking.hint(self.current_question(), self.locale, keys)
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
        wanted = normalize(text)
        option = next((o for o in self.options() if wanted in (o.key, normalize(o.label))), None)
        if phase == Phase.ASKING and option is None and text.strip():
            typed = self.typed_answer(text)
            if typed is not None:
                return typed
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
        if self.state.phase == Phase.ASKING:
            question = self.current_question()
            if self.previous() is None or question.kind == "number":
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
            return self.accept_option(self.current_question(), option)
        # a closing step: write the report / petition, or send the response as it is
        if option.value == WRITE_COMPLAINT:
            after = self.moved(phase=Phase.COMPLAINT)
            return Step(after.state, after.prompt())
        return self.finish(())

    def accept_text(self, text: str) -> Step:
        """A written report / petition sends the response. A written comment does too,
        unless the flow offers a report / petition: then it is offered once more beside
        "Gửi phiếu", so one response can carry both (a comment for the report, a report /
        petition for the chair)."""
        is_complaint = self.state.phase == Phase.COMPLAINT
        effect = RecordComment(text, is_complaint)
        ack = Message(self.t("complaint_received" if is_complaint else "comment_received"))
        if not is_complaint and self.flow.closing.complaint:
            after = self.moved(phase=Phase.COMPLAINT_OFFER)
            return Step(after.state, (ack, *after.prompt()), (effect,))
        return self.finish((effect,), (ack,))

    def finish(self, effects: tuple[Effect, ...], before: tuple[Outbound, ...] = ()) -> Step:
        after = self.moved(phase=Phase.DONE)
        return Step(after.state, (*before, *after.prompt()), (*effects, Complete()))
