"""The pure flow engine, exhaustively: every question reached, every edge, and properties
that must hold for any sequence of events.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows import engine
from flows.engine import (
    COMMENT,
    COMPLAINT,
    COMPLAINT_OFFER,
    CONSENT,
    RESUME,
    Back,
    Choose,
    Complete,
    Phase,
    RecordAnswer,
    RecordComment,
    RecordConsent,
    Start,
    State,
    Text,
    Unsupported,
)
from flows.loader import load_flow_file
from flows.model import Flow
from flows.outbound import AnswerEcho, Message

DATA = Path(__file__).parent.parent / "flows" / "data"
MAU01 = load_flow_file(DATA / "mau01.toml")
MAU02 = load_flow_file(DATA / "mau02.toml")


def consented(flow: Flow = MAU01, locale: str = "vi") -> State:
    return engine.step(flow, engine.initial_state(locale), Choose(CONSENT, "yes")).state


def prompts(step: engine.Step) -> list[Message]:
    return [m for m in step.messages if isinstance(m, Message) and m.prompt_id]


def last_prompt(step: engine.Step) -> Message:
    return prompts(step)[-1]


def test_start_greets_and_asks_for_consent() -> None:
    step = engine.step(MAU01, engine.initial_state(), Start())
    texts = [m.text for m in step.messages if isinstance(m, Message)]
    assert "22 câu" in texts[0] and "bí mật" in texts[0]
    consent = last_prompt(step)
    assert consent.prompt_id == CONSENT
    assert [o.label for o in consent.options] == ["Đồng ý", "Không đồng ý"]
    assert step.effects == ()
    assert step.state.phase == Phase.INTRO


def test_declining_consent_stores_nothing_and_can_be_reconsidered() -> None:
    step = engine.step(MAU01, engine.initial_state(), Choose(CONSENT, "no"))
    assert step.state.phase == Phase.DECLINED
    assert step.effects == (RecordConsent(False),)
    again = engine.step(MAU01, step.state, Choose(CONSENT, "yes"))
    assert again.state.phase == Phase.ASKING
    assert last_prompt(again).prompt_id == "1.1"


@pytest.mark.parametrize("flow", [MAU01, MAU02], ids=["mau01", "mau02"])
def test_every_question_is_reached_in_order_with_progress(flow: Flow) -> None:
    state = consented(flow)
    for index, question in enumerate(flow.questions):
        shown = engine.render(flow, state)[-1]
        assert shown.prompt_id == question.id
        assert shown.header == f"Câu {index + 1}/22"
        assert shown.progress == (index + 1, 22)
        assert (shown.back_label is not None) == (index > 0)
        labels = [o.label for o in shown.options]
        assert labels[:5] == [
            "Rất không hài lòng",
            "Không hài lòng",
            "Bình thường",
            "Hài lòng",
            "Rất hài lòng",
        ]
        assert ("Không có ý kiến" in labels) == (question.factor == "F5")
        step = engine.step(flow, state, Choose(question.id, "4"))
        assert step.effects == (RecordAnswer(question.id, 4),)
        assert isinstance(step.messages[0], AnswerEcho)
        assert step.messages[0].text == "✓ Đã chọn: Hài lòng"
        state = step.state
    assert state.phase == Phase.COMMENT
    assert len(state.answers) == 22


def test_typing_a_digit_is_the_same_as_pressing() -> None:
    state = consented()
    pressed = engine.step(MAU01, state, Choose("1.1", "5"))
    typed = engine.step(MAU01, state, Text(" 5 "))
    assert pressed == typed
    assert engine.step(MAU01, state, Text("５")).effects == (RecordAnswer("1.1", 5),)
    assert engine.step(MAU01, state, Text("Hài lòng")).effects == (RecordAnswer("1.1", 4),)


def test_zero_means_no_opinion_only_where_the_flow_allows_it() -> None:
    state = consented()
    assert engine.step(MAU01, state, Text("0")).effects == ()
    at_f5 = State(Phase.ASKING, MAU01.question_index("5.1") or 0, {}, "vi")
    assert engine.step(MAU01, at_f5, Text("0")).effects == (RecordAnswer("5.1", 0),)


@pytest.mark.parametrize(
    "event", [Text("hello"), Text("9"), Text(""), Unsupported("sticker"), Choose("1.1", "7")]
)
def test_unexpected_input_reprompts_kindly_and_changes_nothing(event: engine.Inbound) -> None:
    state = consented()
    step = engine.step(MAU01, state, event)
    assert step.state == state
    assert step.effects == ()
    notice = step.messages[0]
    assert isinstance(notice, Message) and notice.notice
    assert last_prompt(step).prompt_id == "1.1"


def test_back_re_asks_the_previous_question_and_replaces_its_answer() -> None:
    state = consented()
    state = engine.step(MAU01, state, Choose("1.1", "2")).state
    back = engine.step(MAU01, state, Back())
    assert back.state.position == 0
    assert back.effects == ()
    assert "Không hài lòng" in back.messages[0].text  # the earlier answer is shown
    assert last_prompt(back).selected == "2"
    again = engine.step(MAU01, back.state, Choose("1.1", "5"))
    assert again.effects == (RecordAnswer("1.1", 5),)
    assert again.state.answers["1.1"] == 5
    assert again.state.position == 1


def test_back_on_the_first_question_says_so() -> None:
    step = engine.step(MAU01, consented(), Back())
    assert step.state.position == 0
    assert "đầu tiên" in step.messages[0].text


def test_a_button_of_an_old_question_cannot_change_a_newer_answer() -> None:
    state = consented()
    state = engine.step(MAU01, state, Choose("1.1", "4")).state
    stale = engine.step(MAU01, state, Choose("1.1", "1"))
    assert stale.effects == ()
    assert stale.state == state
    assert "đã qua" in stale.messages[0].text
    assert last_prompt(stale).prompt_id == "1.2"


def test_closing_comment_complaint_and_thanks() -> None:
    state = State(Phase.COMMENT, 21, {q.id: 4 for q in MAU01.questions}, "vi")
    step = engine.step(MAU01, state, Text("Cán bộ nhiệt tình"))
    assert step.effects == (RecordComment("Cán bộ nhiệt tình", False),)
    assert last_prompt(step).prompt_id == COMPLAINT_OFFER
    assert [o.value for o in last_prompt(step).options] == ["skip", "complaint"]
    step = engine.step(MAU01, step.state, Choose(COMPLAINT_OFFER, "complaint"))
    assert last_prompt(step).prompt_id == COMPLAINT and last_prompt(step).accepts_text
    step = engine.step(MAU01, step.state, Text("Ông X hẹn trả hồ sơ trễ"))
    assert step.effects == (RecordComment("Ông X hẹn trả hồ sơ trễ", True), Complete())
    assert step.state.phase == Phase.DONE
    assert "cảm ơn" in step.messages[-1].text


def test_one_tap_at_the_comment_sends_the_response() -> None:
    state = State(Phase.COMMENT, 21, {q.id: 3 for q in MAU01.questions}, "vi")
    labels = [o.label for o in engine.render(MAU01, state)[-1].options]
    assert labels == ["Bỏ qua, gửi phiếu", "Gửi phản ánh, kiến nghị"]
    step = engine.step(MAU01, state, Choose(COMMENT, "skip"))
    assert step.effects == (Complete(),)
    assert step.state.phase == Phase.DONE


def test_the_report_is_offered_at_the_comment_and_ends_the_survey() -> None:
    state = State(Phase.COMMENT, 21, {q.id: 3 for q in MAU01.questions}, "vi")
    step = engine.step(MAU01, state, Choose(COMMENT, "complaint"))
    assert (step.state.phase, step.effects) == (Phase.COMPLAINT, ())
    assert [o.label for o in last_prompt(step).options] == ["Bỏ qua, gửi phiếu"]
    step = engine.step(MAU01, step.state, Text("Chờ quá lâu"))
    assert step.effects == (RecordComment("Chờ quá lâu", True), Complete())


def test_too_long_comment_is_refused_kindly() -> None:
    state = State(Phase.COMMENT, 21, {}, "vi")
    step = engine.step(MAU01, state, Text("x" * 2001))
    assert step.effects == ()
    assert "2000" in step.messages[0].text


def test_back_through_the_closing_questions() -> None:
    state = State(Phase.COMPLAINT, 21, {}, "vi")
    state = engine.step(MAU01, state, Back()).state
    assert state.phase == Phase.COMMENT  # where the report / petition was offered
    offer = engine.step(MAU01, State(Phase.COMPLAINT_OFFER, 21, {}, "vi"), Back()).state
    assert offer.phase == Phase.COMMENT
    state = engine.step(MAU01, state, Back()).state
    assert (state.phase, state.position) == (Phase.ASKING, 21)


def test_a_finished_survey_ignores_further_answers_politely() -> None:
    done = State(Phase.DONE, 21, {q.id: 5 for q in MAU01.questions}, "vi")
    for event in (Text("5"), Choose("1.1", "1"), Back(), Unsupported("photo"), Start()):
        step = engine.step(MAU01, done, event)
        assert step.state == done and step.effects == ()
        assert "đã hoàn thành" in step.messages[-1].text


def test_start_in_the_middle_welcomes_back_at_the_same_question() -> None:
    state = engine.step(MAU01, consented(), Choose("1.1", "4")).state
    step = engine.step(MAU01, state, Start())
    assert step.state == state
    assert "Chào mừng trở lại" in step.messages[0].text
    assert last_prompt(step).prompt_id == "1.2"
    assert engine.step(MAU01, state, Choose(RESUME, "go")) == step


def test_english_locale() -> None:
    step = engine.step(MAU01, engine.initial_state("en"), Choose(CONSENT, "yes"))
    question = last_prompt(step)
    assert question.header == "Question 1/22"
    assert question.text == "The waiting area at {place} has enough seats"  # filled per unit
    assert question.options[4].label == "Very satisfied"


def test_organisation_form_addresses_the_organisation() -> None:
    texts = " ".join(q.text.get("vi") for q in MAU02.questions)
    assert "Ông/Bà" not in texts
    assert "Quý cơ quan, tổ chức" in texts


EVENTS = st.one_of(
    st.just(Start()),
    st.just(Back()),
    st.builds(Unsupported, st.sampled_from(["sticker", "photo", "voice"])),
    st.builds(Text, st.sampled_from(["1", "2", "3", "4", "5", "0", "x", "Hài lòng", "góp ý"])),
    st.builds(
        Choose,
        st.sampled_from([CONSENT, COMMENT, COMPLAINT_OFFER, COMPLAINT, "1.1", "2.3", "5.4"]),
        st.sampled_from(["yes", "no", "skip", "1", "3", "5", "0"]),
    ),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(EVENTS, max_size=80))
def test_properties_hold_for_any_sequence_of_events(events: list[engine.Inbound]) -> None:
    state = engine.initial_state()
    completed = 0
    for event in events:
        step = engine.step(MAU01, state, event)
        assert step == engine.step(MAU01, state, event)  # deterministic
        assert step.messages, "the respondent always gets an answer"
        for effect in step.effects:
            if isinstance(effect, RecordAnswer):
                question = MAU01.questions[state.position]
                assert effect.question_id == question.id  # only the current question
                assert question.choice_set.by_value(effect.value) is not None
            if isinstance(effect, Complete):
                completed += 1
                assert len(step.state.answers) == 22
        if state.phase == Phase.DONE:
            assert step.state == state and step.effects == ()
        assert 0 <= step.state.position < MAU01.total
        state = step.state
    assert completed <= 1
