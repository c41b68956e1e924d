"""The editor's form for an admin who does not read TOML: the posted fields turned back into
the flow's data (what ``tomllib`` reads from a flow file), ready for ``toml_writer``.

The form carries the whole draft every time it is posted, so adding a question, moving a
choice or changing a skip rule's question re-shows the form with everything typed kept, and
nothing is stored until the result has passed the loader's checks. Whatever is typed goes
into the data as typed (a number field holding "abc" stays "abc"), so the loader's own
checks report it, in Vietnamese and at its line, like any other mistake in a flow file.
Keys the form does not show (scoring, closing, a factor's weight...) are copied from the
version the draft started from.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flows.loader import TEXT_KEYS
from flows.model import CHOICE_KINDS, KINDS, LOCALES

Data = dict[str, Any]
HOWS = ("equals", "is_one_of", "contains")
# A question's keys in the shipped files' order; a key the admin adds goes in its place here.
QUESTION_KEYS = (
    "id",
    "section",
    "kind",
    "factor",
    "choices",
    "min",
    "max",
    "max_length",
    "required",
    "profile",
    "show_if",
    "text",
)


@dataclass
class Note:
    """A mistake only the form can make (a skip rule without an answer picked)."""

    question: int | None  # index in the draft's questions (None: the whole form)
    key: str  # words key (bot.web.staff.words.flow_form)


@dataclass
class Draft:
    data: Data
    notes: list[Note] = field(default_factory=list)


def _typed(form: Mapping[str, Any], name: str) -> str | None:
    raw = form.get(name)
    return raw.replace("\r\n", "\n").strip() if isinstance(raw, str) else None


def localized(form: Mapping[str, Any], prefix: str, base: Any, default: str) -> Any:
    """A text from its ``<prefix>.vi`` / ``<prefix>.en`` fields, written the way the base
    version wrote it (a plain string when only the default language is given)."""
    texts = {loc: _typed(form, f"{prefix}.{loc}") or "" for loc in LOCALES}
    # an empty default language is kept: the loader then says which text is empty
    given = {loc: text for loc, text in texts.items() if text or loc == default}
    if isinstance(base, str) and list(given) == [default] and given[default]:
        return given[default]
    return given


def whole(raw: str | None) -> int | str | None:
    """A typed number as an int; anything else as typed (the loader reports it); None when
    the field is empty."""
    if not raw:
        return None
    return int(raw) if re.fullmatch(r"-?\d{1,9}", raw) else raw


def arranged(item: Data, like: Mapping[str, Any], order: tuple[str, ...]) -> Data:
    """``item`` with its keys in the order ``like`` wrote them; new keys where ``order``
    puts them (so a rewritten table differs from the old one only where it changed)."""
    keys = [k for k in like if k in item]
    for name in item:
        if name in keys:
            continue
        rank = order.index(name) if name in order else len(order)
        before = [i for i, k in enumerate(keys) if k in order and order.index(k) < rank]
        keys.insert(before[-1] + 1 if before else 0, name)
    return {k: item[k] for k in keys}


def _count(form: Mapping[str, Any], name: str) -> int:
    raw = form.get(name, "0")
    return min(int(raw), 500) if isinstance(raw, str) and raw.isdigit() else 0


def _all(form: Any, name: str) -> list[str]:
    getall = getattr(form, "getall", None)
    values = getall(name, []) if getall else [form[name]] if name in form else []
    return [v for v in values if isinstance(v, str)]


def parse(form: Any, base: Data) -> Draft:
    """The draft the form describes, starting from the base version's data."""
    data = copy.deepcopy(base)
    default = str(base.get("flow", {}).get("default_locale", "vi"))
    meta = data.setdefault("flow", {})
    meta["title"] = localized(form, "title", meta.get("title"), default)
    texts = data.setdefault("texts", {})
    for name in TEXT_KEYS:
        texts[name] = localized(form, f"texts.{name}", texts.get(name), default)
    for index, factor in enumerate(data.get("factors", [])):
        factor["name"] = localized(form, f"factor.{index}", factor.get("name"), default)
    _sections(form, data, base, default)
    _choice_sets(form, data, base, default)
    draft = Draft(data)
    questions = base.get("questions", [])
    data["questions"] = [
        _question(form, index, questions, default, draft)
        for index in range(_count(form, "q_count"))
    ]
    if not data["questions"]:
        del data["questions"]  # the loader says a flow needs questions
    _follow_renames(form, data)
    return draft


def _renamed(form: Any, prefix: str, count: str) -> dict[str, str]:
    """Codes changed in this post: ``<prefix>.<n>.was`` (as shown) → ``<prefix>.<n>.id``."""
    renamed = {}
    for index in range(_count(form, count)):
        was, now = _typed(form, f"{prefix}.{index}.was"), _typed(form, f"{prefix}.{index}.id")
        if was and now and was != now:
            renamed[was] = now
    return renamed


def _follow_renames(form: Any, data: Data) -> None:
    """A part or a question whose code the admin changed is followed by the questions that
    name it (their part, their skip rule), as the admin means; a removed one is not."""
    sections = _renamed(form, "section", "section_count")
    questions = _renamed(form, "q", "q_count")
    for item in data.get("questions", []):
        if item.get("section") in sections:
            item["section"] = sections[item["section"]]
        rule = item.get("show_if")
        if isinstance(rule, dict) and rule.get("question") in questions:
            rule["question"] = questions[rule["question"]]


def _sections(form: Any, data: Data, base: Data, default: str) -> None:
    old = {s.get("id"): s for s in base.get("sections", []) if isinstance(s, dict)}
    sections = []
    for index in range(_count(form, "section_count")):
        section_id = _typed(form, f"section.{index}.id") or ""
        like = old.get(section_id, {})
        title = localized(form, f"section.{index}", like.get("title"), default)
        sections.append({**like, "id": section_id, "title": title})
    if sections:
        data["sections"] = sections
    else:
        data.pop("sections", None)


def _choice_sets(form: Any, data: Data, base: Data, default: str) -> None:
    old_sets = base.get("choice_sets", {})
    sets: Data = {}
    for index in range(_count(form, "set_count")):
        name = _typed(form, f"set.{index}.name") or f"set{index}"
        like = old_sets.get(name, {}) if isinstance(old_sets, dict) else {}
        old = {c.get("value"): c for c in like.get("choices", []) if isinstance(c, dict)}
        choices = []
        for row in range(_count(form, f"set.{index}.count")):
            at = f"set.{index}.{row}"
            value = whole(_typed(form, f"{at}.value"))
            before = old.get(value, {})
            choice: Data = {"value": "" if value is None else value}
            choice["label"] = localized(form, at, before.get("label"), default)
            if form.get(f"{at}.na") or "not_applicable" in before:
                choice["not_applicable"] = bool(form.get(f"{at}.na"))
            satisfied = form.get(f"{at}.satisfied", "")
            if satisfied in ("true", "false"):
                choice["satisfied"] = satisfied == "true"
            choices.append(arranged(choice, before, ("value", "label", "not_applicable")))
        sets[name] = {**like, "choices": choices}
    if sets:
        data["choice_sets"] = sets
    else:
        data.pop("choice_sets", None)


def _question(form: Any, index: int, questions: list[Any], default: str, draft: Draft) -> Data:
    at = f"q.{index}"
    origin_raw = _typed(form, f"{at}.origin") or ""
    origin: Data = {}
    if origin_raw.isdigit() and int(origin_raw) < len(questions):
        origin = questions[int(origin_raw)]
    kind = _typed(form, f"{at}.kind") or "scale5"
    item: Data = {"id": _typed(form, f"{at}.id") or ""}
    for name in ("section", "factor"):
        chosen = _typed(form, f"{at}.{name}")
        if chosen:
            item[name] = chosen
    if kind != "scale5" or "kind" in origin or kind not in KINDS:
        item["kind"] = kind
    if kind in CHOICE_KINDS:
        chosen = _typed(form, f"{at}.choices")
        chosen = origin.get("choices") if chosen is None else chosen
        if chosen:
            item["choices"] = chosen
    bounds = {"number": ("min", "max"), "text": ("max_length",)}.get(kind, ())
    for name in bounds:
        typed = _typed(form, f"{at}.{name}")
        number = whole(typed) if typed is not None else origin.get(name)
        if number is not None:
            item[name] = number
    profile = bool(form.get(f"{at}.profile"))
    required = bool(form.get(f"{at}.required"))
    if required == profile or "required" in origin:
        item["required"] = required
    if profile or "profile" in origin:
        item["profile"] = profile
    rule = _rule(form, at, index, draft)
    if rule is not None:
        item["show_if"] = rule
    item["text"] = localized(form, at, origin.get("text"), default)
    return arranged(item, origin, QUESTION_KEYS)


def _rule(form: Any, at: str, index: int, draft: Draft) -> Data | None:
    """The skip rule: the values ticked count only if they were shown for the question now
    chosen (changing the question re-shows its own answers to pick from)."""
    other = _typed(form, f"{at}.if_question")
    if not other:
        return None
    how = _typed(form, f"{at}.if_how")
    how = how if how in HOWS else "equals"
    values: list[Any] = []
    if _typed(form, f"{at}.if_for") == other:
        values = [whole(v) for v in _all(form, f"{at}.if_value") if v]
        if not values:
            draft.notes.append(Note(index, "if_no_values"))
    else:
        draft.notes.append(Note(index, "if_pick_values"))
    if how == "is_one_of" or not values:
        return {"question": other, how: values}
    if len(values) == 1:
        return {"question": other, how: values[0]}
    return {"question": other, "is_one_of" if how == "equals" else how: values}
