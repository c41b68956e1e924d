"""The survey the peer bots ask: Mẫu 01's texts, read from the flow file (the peers import
nothing of the product), and the callback-data format ``<step>|<value>`` they share."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

FLOW_FILE = Path(__file__).resolve().parents[2] / "flows" / "data" / "mau01.toml"


@dataclass(frozen=True)
class Question:
    number: int
    text: str
    choices: tuple[tuple[str, str], ...]  # (value, label)

    def keyboard(self) -> list[tuple[str, str]]:
        """(label, callback data) per button, one button per row in the peers."""
        return [(f"{value}. {label}", f"{self.number}|{value}") for value, label in self.choices]

    def echo(self, text: str, value: str) -> str:
        label = dict(self.choices).get(value, value)
        return f"{text}\n\n✓ Đã chọn: {label}"


@dataclass(frozen=True)
class Survey:
    intro: str
    consent: str
    comment: str
    complaint_offer: str
    thanks: str
    questions: tuple[Question, ...]


def load() -> Survey:
    data = tomllib.loads(FLOW_FILE.read_text(encoding="utf-8"))
    sets = {
        name: tuple((str(c["value"]), c["label"]["vi"]) for c in spec["choices"])
        for name, spec in data["choice_sets"].items()
    }
    total = len(data["questions"])
    questions = tuple(
        Question(
            number,
            f"Câu {number}/{total}\n{spec['text']['vi']}",
            sets[spec.get("choices", "scale")],
        )
        for number, spec in enumerate(data["questions"], start=1)
    )
    texts = {key: value["vi"] for key, value in data["texts"].items()}
    return Survey(
        texts["intro"],
        texts["consent"],
        texts["comment"],
        texts["complaint_offer"],
        texts["thanks"],
        questions,
    )


CONSENT_BUTTONS = [("Đồng ý", "consent|yes"), ("Không đồng ý", "consent|no")]
SKIP_BUTTON = [("Bỏ qua", "comment|skip")]
OFFER_BUTTONS = [("Có", "offer|yes"), ("Không", "offer|no")]
