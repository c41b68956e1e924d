"""What a draft changes, before it is published: the changed lines of the flow file (difflib)
and the changed texts named the way an admin knows them."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from bot.flow_admin import wording
from flows.model import Flow


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "same", "removed", "added" or "gap" (unchanged lines left out)
    old: int | None  # line number in the published version
    new: int | None  # line number in the draft
    text: str


@dataclass(frozen=True)
class TextChange:
    label: str  # wording label ("texts.intro", "factor F1", a question id)
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


def text_changes(old: Flow, old_source: str, new: Flow, new_source: str) -> list[TextChange]:
    """Every text the wording form knows that differs between the two versions."""
    before = {(f.label, f.locale): f.value for f in wording.fields(old, old_source)}
    after = {(f.label, f.locale): f.value for f in wording.fields(new, new_source)}
    changed = []
    for key in list(before) + [k for k in after if k not in before]:
        if before.get(key) != after.get(key):
            changed.append(TextChange(key[0], key[1], before.get(key), after.get(key)))
    return changed
