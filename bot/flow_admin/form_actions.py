"""The form's buttons that change the draft's shape: add, remove or move a question, a
section or a choice, and give a question a choice list of its own.

Each is a plain edit of the draft's data (``flow_form``); the page is then shown again from
the edited draft. None of them checks anything: the loader does that when the admin
continues, so a removed question that a skip rule still names is reported there.
"""

from __future__ import annotations

import re
from typing import Any

from bot.flow_admin.flow_form import Data
from flows.model import CHOICE_KINDS
from flows.texts import PHRASES


def _unique(base: str, taken: set[str]) -> str:
    if base not in taken:
        return base
    number = 2
    while f"{base}_{number}" in taken:
        number += 1
    return f"{base}_{number}"


def _move(items: list[Any], index: int, step: int) -> int:
    target = index + step
    if 0 <= index < len(items) and 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        return target
    return index


def _own_set(data: Data, index: int) -> str:
    """A copy of the question's choices under a new name, used by that question alone."""
    question = data["questions"][index]
    sets = data.setdefault("choice_sets", {})
    raw_id = re.sub(r"[^A-Za-z0-9_-]", "_", str(question.get("id") or "cau"))
    name = _unique(f"cau_{raw_id}", set(sets))
    current = sets.get(question.get("choices"), {}).get("choices")
    if current:
        choices = [dict(c) for c in current]
    elif question.get("kind") == "yes_no":
        choices = [
            {"value": 1, "label": dict(PHRASES["yes"]), "satisfied": True},
            {"value": 2, "label": dict(PHRASES["no"]), "satisfied": False},
        ]
    else:
        choices = [{"value": 1, "label": {"vi": ""}}, {"value": 2, "label": {"vi": ""}}]
    sets[name] = {"choices": choices}
    question["choices"] = name
    if question.get("kind", "scale5") not in CHOICE_KINDS:
        question["kind"] = "single"
    return name


def _new_question(data: Data, after: int) -> Data:
    questions = data["questions"]
    taken = {str(q.get("id")) for q in questions}
    item: Data = {"id": _unique(f"cau{len(questions) + 1}", taken)}
    previous = questions[after] if 0 <= after < len(questions) else None
    if previous is not None and previous.get("section"):
        item["section"] = previous["section"]
    item |= {"kind": "yes_no", "text": {"vi": ""}}
    return item


def apply(action: str, data: Data) -> str | None:
    """Do ``action`` ("add_q:3", "del_choice:0:2"...) to ``data``; returns the id of the
    field to put the cursor in afterwards (None: unknown action, nothing done)."""
    name, _, rest = action.partition(":")
    args = [int(a) for a in rest.split(":") if a.isdigit()]
    questions: list[Data] = data.setdefault("questions", [])
    sections: list[Data] = data.setdefault("sections", [])
    sets: Data = data.setdefault("choice_sets", {})
    names = list(sets)
    focus: str | None = None
    if name == "add_q" and args:
        at = min(args[0] + 1, len(questions))
        questions.insert(at, _new_question(data, args[0]))
        focus = f"q{at}-vi"
    elif name == "del_q" and args and args[0] < len(questions):
        del questions[args[0]]
        focus = f"q{min(args[0], len(questions) - 1)}-id" if questions else "questions"
    elif name in ("up_q", "down_q") and args:
        focus = f"q{_move(questions, args[0], -1 if name == 'up_q' else 1)}-id"
    elif name == "own_set" and args and args[0] < len(questions):
        _own_set(data, args[0])
        focus = f"set{list(sets).index(questions[args[0]]['choices'])}-0-vi"
    elif name == "add_section":
        taken = {str(s.get("id")) for s in sections}
        sections.append({"id": _unique(f"phan{len(sections) + 1}", taken), "title": {"vi": ""}})
        focus = f"section{len(sections) - 1}-vi"
    elif name == "del_section" and args and args[0] < len(sections):
        del sections[args[0]]
        focus = "sections"
    elif name.endswith("_choice") and args and args[0] < len(names):
        focus = _choice_action(name, sets[names[args[0]]].setdefault("choices", []), args)
    for key, empty in (("sections", sections), ("choice_sets", sets)):
        if not empty:
            data.pop(key, None)
    return focus


def _choice_action(name: str, choices: list[Data], args: list[int]) -> str | None:
    where = args[0]
    if name == "add_choice":
        used = {c.get("value") for c in choices}
        value = next((v for v in (*range(1, 10), 0) if v not in used), 9)
        choices.append({"value": value, "label": {"vi": ""}})
        return f"set{where}-{len(choices) - 1}-vi"
    if len(args) < 2 or args[1] >= len(choices):
        return None
    if name == "del_choice":
        del choices[args[1]]
        return f"set{where}-add"
    if name in ("up_choice", "down_choice"):
        return f"set{where}-{_move(choices, args[1], -1 if name == 'up_choice' else 1)}-vi"
    return None
