"""The engine's vocabulary: inbound events, the respondent's state, and the effects a step
asks the conversation glue to record. Plain data, shared by flows/engine.py (which re-exports
every name) and flows/answering.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from flows.outbound import Outbound

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
    """``value``: the choice, the ticked bit set, the number, -1 skipped, 1 a text
    (whose words are ``text``)."""

    question_id: str
    value: int
    text: str | None = None


@dataclass(frozen=True)
class ForgetAnswer:
    """A changed answer hid this question: its earlier answer no longer counts."""

    question_id: str


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


Effect = RecordAnswer | ForgetAnswer | RecordConsent | RecordComment | Complete


@dataclass(frozen=True)
class Step:
    state: State
    messages: tuple[Outbound, ...] = ()
    effects: tuple[Effect, ...] = ()
