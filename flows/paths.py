"""Which questions a respondent sees, given the answers so far (skip logic).

Pure functions over a flow and an answer mapping: the engine moves forward and back with
them, progress ("Câu 5/22") counts with them, and answers to questions that a changed
answer has hidden are pruned with them, so a hidden question is never scored.
"""

from __future__ import annotations

from collections.abc import Mapping

from flows.model import SKIPPED, Flow, Question, ticked

Answers = Mapping[str, int]


def condition_met(flow: Flow, question: Question, answers: Answers) -> bool:
    """True when ``question`` has no ``show_if`` or the earlier answer matches it."""
    condition = question.show_if
    if condition is None:
        return True
    answer = answers.get(condition.question_id)
    if answer is None or answer == SKIPPED:
        return False
    other = flow.question(condition.question_id)
    if other is not None and other.kind == "multi":
        return any(value in condition.values for value in ticked(answer))
    return answer in condition.values


def prune(flow: Flow, answers: Answers) -> dict[str, int]:
    """The answers whose questions are still shown (in flow order; a hidden question's
    answer also stops counting for the questions that depend on it)."""
    kept: dict[str, int] = {}
    for question in flow.questions:
        if question.id in answers and condition_met(flow, question, kept):
            kept[question.id] = answers[question.id]
    return kept


def next_index(flow: Flow, after: int, answers: Answers) -> int | None:
    """The first question after position ``after`` that is shown, or None at the end."""
    for index in range(after + 1, len(flow.questions)):
        if condition_met(flow, flow.questions[index], answers):
            return index
    return None


def previous_index(flow: Flow, before: int, answers: Answers) -> int | None:
    """The last question before position ``before`` that was shown, or None."""
    for index in range(min(before, len(flow.questions)) - 1, -1, -1):
        if condition_met(flow, flow.questions[index], answers):
            return index
    return None


def progress(flow: Flow, position: int, answers: Answers) -> tuple[int, int]:
    """(n, total): the current question's number among the questions this respondent sees,
    and how many they will see given the answers so far (a question whose condition names
    a question not reached yet is counted: it may still be shown)."""
    shown = 0
    total = 0
    for index, question in enumerate(flow.questions):
        condition = question.show_if
        if index <= position or condition is None:
            visible = condition_met(flow, question, answers)
        else:
            controller = flow.question_index(condition.question_id)
            undecided = controller is not None and controller >= position
            visible = undecided and condition.question_id not in answers
            visible = visible or condition_met(flow, question, answers)
        if visible:
            total += 1
            if index <= position:
                shown += 1
    return shown, total


def entering_section(flow: Flow, position: int, answers: Answers) -> bool:
    """True when the question at ``position`` opens a section for this respondent."""
    section = flow.questions[position].section
    if section is None:
        return False
    before = previous_index(flow, position, answers)
    return before is None or flow.questions[before].section != section


def standing(flow: Flow, answers: Answers) -> tuple[int, int]:
    """(answered, total) for a reminder: the questions answered among those shown, and how
    many this respondent will see (a condition on an unanswered question counts as met)."""
    answered = sum(1 for q in flow.questions if q.id in answers and condition_met(flow, q, answers))
    total = 0
    for question in flow.questions:
        condition = question.show_if
        undecided = condition is not None and condition.question_id not in answers
        if undecided or condition_met(flow, question, answers):
            total += 1
    return answered, total
