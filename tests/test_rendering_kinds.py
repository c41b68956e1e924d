"""The new question kinds on a channel without buttons (Zalo): a multiple choice is a
numbered list with its ticks and "Xong" under a number, an optional question lists "Bỏ qua",
a number question asks to type; and typing those numbers answers, with no adapter code."""

from __future__ import annotations

from bot.channels.protocol import Capabilities
from bot.conversation.rendering import adapt
from bot.flow_admin.catalog import DEFAULT_FLOWS
from flows import engine
from flows.engine import Phase, State
from flows.loader import load_flow_file
from flows.outbound import Message

QD1001 = load_flow_file(DEFAULT_FLOWS / "qd1001.toml")
PLAIN = Capabilities(buttons=False, edits=False, max_text=2000)


def shown(state: State, event: engine.Inbound) -> tuple[State, str]:
    step = engine.step(QD1001, state, event)
    texts = [m.text for m in adapt(step.messages, PLAIN, "vi") if isinstance(m, Message)]
    return step.state, texts[-1]


def at(question: str, **answers: int) -> State:
    position = QD1001.question_index(question)
    assert position is not None
    return State(Phase.ASKING, position, {"filed": 1, **answers}, "vi")


def test_a_multiple_choice_as_a_numbered_list_answered_by_typing() -> None:
    state, text = shown(at("improve"), engine.Choose("improve", "2"))
    lines = text.splitlines()
    assert "1. ☐ Rút ngắn thời gian giải quyết" in lines
    assert "2. ☑ Giảm giấy tờ phải nộp" in lines
    assert "7. ✔ Xong" in lines
    state, text = shown(state, engine.Text("7"))  # "Xong" by its number
    assert "✓ Đã chọn: Giảm giấy tờ phải nộp" in text and "Ông/Bà thuộc nhóm tuổi nào?" in text
    state, text = shown(at("improve"), engine.Text("1 3"))
    assert text.startswith("✓ Đã chọn: Rút ngắn thời gian giải quyết, Thái độ")


def test_optional_and_number_questions_without_buttons() -> None:
    state, text = shown(at("on_time", fee_paid=2), engine.Text("4"))
    assert "bao nhiêu lần" in text and "0. Bỏ qua" in text.splitlines()
    state, text = shown(state, engine.Text("0"))
    assert text.startswith("✓ Đã chọn: Bỏ qua")
    state, text = shown(at("sex"), engine.Text("3"))  # "Bỏ qua" is the number after the choices
    assert text.startswith("✓ Đã chọn: Bỏ qua")
