"""What each text of a flow is, said the way an admin thinks of it ("Lời chào", "Câu 2.1"),
for the editor's form, what changed before publishing and the checker's messages; never
internal keys."""

from __future__ import annotations

import re

from flows.texts import Phrasebook, lookup

NAMES: Phrasebook = {
    "title": {"vi": "Tên bộ câu hỏi", "en": "Title of the flow"},
    "intro": {"vi": "Lời chào đầu khảo sát", "en": "Greeting at the start"},
    "consent": {"vi": "Câu hỏi đồng ý tham gia", "en": "Asking for consent"},
    "declined": {"vi": "Lời đáp khi không đồng ý", "en": "Answer when consent is refused"},
    "comment": {"vi": "Mời góp ý", "en": "Inviting a comment"},
    "complaint_offer": {
        "vi": "Mời gửi phản ánh, kiến nghị",
        "en": "Offering a report or petition",
    },
    "complaint": {"vi": "Nhập phản ánh, kiến nghị", "en": "Typing the report or petition"},
    "thanks": {"vi": "Lời cảm ơn cuối khảo sát", "en": "Thanks at the end"},
    "factor": {"vi": "Tên nhóm tiêu chí {id}", "en": "Name of the factor {id}"},
    "question": {"vi": "Câu {id}", "en": "Question {id}"},
    "choice": {"vi": "Nhãn lựa chọn {id}", "en": "Label of choice {id}"},
    "choice_in": {
        "vi": "Lựa chọn {value} trong danh sách “{set}”",
        "en": "Choice {value} of the list “{set}”",
    },
    "part": {"vi": "Tiêu đề phần {id}", "en": "Title of the part {id}"},
}

# The loader's English names of texts ("question 2.1 text", "texts.intro", "factor F1 name")
_LOADER_NAMES = (
    (re.compile(r"^question (?P<id>\S+) text$"), "question"),
    (re.compile(r"^factor (?P<id>\S+) name$"), "factor"),
    (re.compile(r"^choice (?P<id>\S+) label$"), "choice"),
    (re.compile(r"^texts\.(?P<key>\w+)$"), ""),
    (re.compile(r"^(?P<key>title)$"), ""),
)


def name(key: str, locale: str, **values: object) -> str:
    return lookup(NAMES, key, locale, **values)


def from_loader(what: str, locale: str) -> str:
    """A text's name as the loader writes it, said for an admin (unchanged when unknown)."""
    for pattern, key in _LOADER_NAMES:
        found = pattern.match(what)
        if found:
            values = found.groupdict()
            return name(key or values.pop("key"), locale, **values)
    return what


def section(label: str, locale: str) -> str:
    """A text's label ("texts.intro", "factor F1", "section access", "choice filed 2",
    "2.1") said for an admin."""
    if label == "title":
        return name("title", locale)
    if label.startswith("texts."):
        return name(label.removeprefix("texts."), locale)
    if label.startswith("factor "):
        return name("factor", locale, id=label.removeprefix("factor "))
    if label.startswith("section "):
        return name("part", locale, id=label.removeprefix("section "))
    if label.startswith("choice "):
        set_id, _, value = label.removeprefix("choice ").rpartition(" ")
        return name("choice_in", locale, value=value, set=set_id)
    return name("question", locale, id=label)
