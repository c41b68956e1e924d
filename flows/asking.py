"""How each kind of question is offered and read: its buttons, typed answers, and how an
answer is said back. Pure helpers of flows/engine.py, one place per question kind."""

from __future__ import annotations

import re

from flows.model import SKIPPED, Question, mask_of, ticked
from flows.outbound import Option
from flows.texts import phrase

SKIP = "skip"  # the value of the "Bỏ qua" button of an optional question
DONE = "done"  # the value of the "Xong" button of a multiple choice
TICKED, UNTICKED = "☑", "☐"
_LIST = re.compile(r"^\s*\d(\s*[,;\s]\s*\d)*\s*$")


def spare_key(question: Question) -> str:
    """A digit no choice uses (after the highest), typed for "Bỏ qua" or "Xong"."""
    used = {c.value for c in question.choice_set.choices}
    after = max(used, default=0) + 1
    free = [d for d in (*range(after, 10), *range(1, after)) if d not in used]
    return str(free[0]) if free else ""


def skip_key(question: Question) -> str:
    if question.kind == "text":
        return "0"
    if question.kind == "number":  # "0" unless 0 is an answer
        return "0" if (question.minimum or 0) > 0 else "-"
    return spare_key(question)


def options(question: Question, locale: str, answer: int | None) -> tuple[Option, ...]:
    """The buttons under ``question`` (multiple choice: ☑/☐ marks and "Xong")."""
    found: list[Option] = []
    if question.kind == "multi":
        chosen = set(ticked(answer)) if answer is not None else set()
        for choice in question.choice_set.choices:
            mark = TICKED if choice.value in chosen else UNTICKED
            label = f"{mark} {choice.label.get(locale)}"
            found.append(Option(label, str(choice.value), str(choice.value)))
        found.append(Option(phrase("done", locale), DONE, spare_key(question)))
        return tuple(found)
    for choice in question.choice_set.choices:
        found.append(Option(choice.label.get(locale), str(choice.value), str(choice.value)))
    if not question.required:
        found.append(Option(phrase("skip", locale), SKIP, skip_key(question)))
    return tuple(found)


def typed_choices(question: Question, text: str) -> int | None:
    """A typed list of a multiple choice ("1,3", "1 3") as its bit set, else None."""
    if not _LIST.match(text):
        return None
    values = {int(d) for d in re.findall(r"\d", text)}
    if not values or any(question.choice_set.by_value(v) is None for v in values):
        return None
    return mask_of(values)


def typed_number(question: Question, text: str) -> int | None:
    """A typed whole number within the question's bounds, else None."""
    cleaned = text.strip().replace(".", "").replace(" ", "")
    if not cleaned.isdigit():
        return None
    value = int(cleaned)
    low = question.minimum if question.minimum is not None else 0
    high = question.maximum if question.maximum is not None else 999
    return value if low <= value <= high else None


def answer_label(question: Question, value: int, locale: str) -> str | None:
    """An answer said back ("Hài lòng", "Nông nghiệp, Buôn bán", "3"); None for a text."""
    if value == SKIPPED:
        return phrase("skip", locale)
    if question.kind == "number":
        return str(value)
    if question.kind == "text":
        return None
    if question.kind == "multi":
        labels = [
            c.label.get(locale) for c in question.choice_set.choices if c.value in ticked(value)
        ]
        return ", ".join(labels) or None
    choice = question.choice_set.by_value(value)
    return choice.label.get(locale) if choice else None


def hint(question: Question, locale: str, keys: str) -> str:
    """What to do at ``question`` when the respondent did something unexpected."""
    if question.kind == "multi":
        return phrase("choose_many", locale)
    if question.kind == "number":
        low = question.minimum if question.minimum is not None else 0
        high = question.maximum if question.maximum is not None else 999
        return phrase("enter_number", locale, low=low, high=high)
    if question.kind == "text":
        return phrase("enter_text", locale, limit=question.max_length)
    choices = question.choice_set.choices
    values = sorted(c.value for c in choices if not c.not_applicable)
    if question.kind == "scale5" and values == [1, 2, 3, 4, 5] and question.required:
        has_na = any(c.not_applicable for c in choices)
        na = phrase("choose_scale_na", locale) if has_na else ""
        return phrase("choose_scale", locale, na=na)
    return phrase("choose_option", locale, keys=keys)
