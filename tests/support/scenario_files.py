"""Reading scenario files (tests/scenarios/**/*.toml): their events, and the checks every step
may ask for. Shared by the engine runner (tests/test_scenarios.py) and the conversation runner
(tests/test_conversation_scenarios.py), so both folders speak the same little language, which
tests/scenarios/README.md documents for people who do not read Python.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from flows import engine
from flows.outbound import AnswerEcho, Message, Outbound

SCENARIOS = Path(__file__).parent.parent / "scenarios"
NO_PROMPT = "none"  # `prompt = "none"`: nothing waits for an answer (the survey is over)
LONG = 200  # a recorded text longer than this is written "(N characters)" in `effects`

Raw = dict[str, Any]


def read(path: Path) -> Raw:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def event_of(raw: Raw) -> engine.Inbound:
    """The engine event a step's ``event = {...}`` describes."""
    if "start" in raw:
        return engine.Start()
    if "choose" in raw:
        prompt, value = raw["choose"]
        return engine.Choose(str(prompt), str(value))
    if "text" in raw:
        return engine.Text(raw["text"])
    if "text_of_length" in raw:
        return engine.Text("x" * int(raw["text_of_length"]))
    if "back" in raw:
        return engine.Back()
    if "unsupported" in raw:
        return engine.Unsupported(raw["unsupported"])
    raise ValueError(f"unknown event {raw!r}")


def _shown(text: str) -> str:
    return f"({len(text)} characters)" if len(text) > LONG else text


def effect_line(effect: engine.Effect) -> str:
    """An effect as the ``effects = [...]`` lines write it."""
    match effect:
        case engine.RecordConsent(given=given):
            return f"consent {'yes' if given else 'no'}"
        case engine.RecordAnswer(question_id=question, value=value, text=None):
            return f"answer {question}={value}"
        case engine.RecordAnswer(question_id=question, value=value, text=text):
            return f"answer {question}={value} {_shown(text or '')}"
        case engine.ForgetAnswer(question_id=question):
            return f"forget {question}"
        case engine.RecordComment(text=text, is_complaint=complaint):
            return f"{'complaint' if complaint else 'comment'} {_shown(text)}"
        case engine.Complete():
            return "complete"
    raise AssertionError(effect)


def shown_texts(messages: Sequence[Outbound]) -> list[str]:
    """What the respondent reads, message by message (a question's header included)."""
    texts = []
    for item in messages:
        if isinstance(item, Message):
            texts.append(f"{item.header}\n{item.text}" if item.header else item.text)
        elif isinstance(item, AnswerEcho):
            texts.append(item.text)
    return texts


def current_prompt(messages: Sequence[Outbound]) -> str:
    """The id of the question the messages end on, or ``none``."""
    prompts = [m.prompt_id for m in messages if isinstance(m, Message) and m.prompt_id]
    return prompts[-1] if prompts else NO_PROMPT


def buttons(messages: Sequence[Outbound]) -> list[str]:
    """The values of the buttons under the last question, then ``back`` when it has one."""
    asked = [m for m in messages if isinstance(m, Message) and m.prompt_id]
    if not asked:
        return []
    values = [option.value for option in asked[-1].options]
    return [*values, "back"] if asked[-1].back_label else values


def check_step(expected: Raw, messages: Sequence[Outbound], where: str) -> None:
    """The checks shared by both runners: ``prompt``, ``texts`` (in order), ``buttons``."""
    if "prompt" in expected:
        assert current_prompt(messages) == expected["prompt"], where
    texts = shown_texts(messages)
    position = 0
    for wanted in expected.get("texts", []):
        found = [i for i, t in enumerate(texts) if i >= position and wanted in t]
        assert found, f"{where}: {wanted!r} not in {texts[position:]}"
        position = found[0]
    if "buttons" in expected:
        assert buttons(messages) == expected["buttons"], where
