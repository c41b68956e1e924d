"""What a draft changes, before it is published: the changed lines of the flow file (difflib)
and the changed texts named the way an admin knows them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from flows.loader import TEXT_KEYS
from flows.model import Flow, Localized, Question


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed", "added" or "gap" (unchanged lines left out)
    old: int | None  # line number in the published version
    new: int | None  # line number in the draft
    text: str


@dataclass(frozen=True)
class TextChange:
    label: str  # what the text is ("texts.intro", "factor F1", a question id): see texts()
    locale: str
    before: str | None
    after: str | None


def diff(old: str, new: str, context: int = 1) -> list[DiffLine]:
    """The changed lines with ``context`` unchanged lines around each change."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if rows:
            rows.append(DiffLine("gap", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                rows += [DiffLine("same", i + 1, j1 + i - i1 + 1, a[i]) for i in range(i1, i2)]
                continue
            rows += [DiffLine("removed", i + 1, None, a[i]) for i in range(i1, i2)]
            rows += [DiffLine("added", None, j + 1, b[j]) for j in range(j1, j2)]
    return rows


def texts(flow: Flow) -> dict[str, Localized]:
    """Every text a respondent can read, by its label: "title", "texts.intro", "factor F1",
    "section access", a question id, "choice filed 2" (a list shared by questions once)."""
    found = {"title": flow.title}
    found |= {f"texts.{k}": getattr(flow.texts, k) for k in TEXT_KEYS}
    found |= {f"factor {f.id}": f.name for f in flow.factors}
    found |= {f"section {s.id}": s.title for s in flow.sections}
    for question in flow.questions:
        found[question.id] = question.text
        for choice in question.choice_set.choices:
            found[f"choice {question.choice_set.id} {choice.value}"] = choice.label
    return found


def text_changes(old: Flow, new: Flow) -> list[TextChange]:
    """Every text that differs between the two versions, in each language."""
    before = {(label, loc): v for label, t in texts(old).items() for loc, v in t.values.items()}
    after = {(label, loc): v for label, t in texts(new).items() for loc, v in t.values.items()}
    changed = []
    for key in list(before) + [k for k in after if k not in before]:
        if before.get(key) != after.get(key):
            changed.append(TextChange(key[0], key[1], before.get(key), after.get(key)))
    return changed


@dataclass(frozen=True)
class QuestionChange:
    question: str
    what: str  # added, removed, kind, rule, choices, section, required, scored, limits


def _shape(question: Question) -> dict[str, object]:
    """What a question is apart from its texts (those are text_changes)."""
    return {
        "kind": question.kind,
        "rule": question.show_if,
        "choices": [(c.value, c.not_applicable, c.satisfied) for c in question.choice_set.choices],
        "section": question.section,
        "required": question.required,
        "scored": question.factor,
        "limits": (question.minimum, question.maximum, question.max_length),
    }


def question_changes(old: Flow, new: Flow) -> list[QuestionChange]:
    """Questions added, removed, or changed in kind, skip rule, choices, part, ... in the
    draft's order (removed ones last)."""
    before = {q.id: q for q in old.questions}
    found = []
    for question in new.questions:
        was = before.get(question.id)
        if was is None:
            found.append(QuestionChange(question.id, "added"))
            continue
        then, now = _shape(was), _shape(question)
        found += [QuestionChange(question.id, what) for what in now if now[what] != then[what]]
    kept = {q.id for q in new.questions}
    found += [QuestionChange(q.id, "removed") for q in old.questions if q.id not in kept]
    return found
