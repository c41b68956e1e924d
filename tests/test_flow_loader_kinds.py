"""The checker for the new parts of a flow file: every mistake in kinds, skip rules,
sections, the profile and per-choice scoring is reported, all at once, at the line of the
key an admin must change (never the `[[questions]]` header), in English and Vietnamese."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.loader import FlowError, load_flow_file, parse_flow
from flows.problems import PROBLEMS

DATA = Path(__file__).parent.parent / "flows" / "data"
QD1001_SOURCE = (DATA / "qd1001.toml").read_text(encoding="utf-8")


def line_of(source: str, needle: str, occurrence: int = 1) -> int:
    found = [n for n, line in enumerate(source.splitlines(), start=1) if needle in line]
    return found[occurrence - 1]


def problems(source: str) -> list[tuple[int, str]]:
    with pytest.raises(FlowError) as caught:
        parse_flow(source, "broken.toml")
    assert all(p.file == "broken.toml" for p in caught.value.problems)
    return [(p.line, p.key) for p in caught.value.problems]


def broken(*replacements: tuple[str, str]) -> str:
    source = QD1001_SOURCE
    for old, new in replacements:
        assert old in source, old
        source = source.replace(old, new, 1)
    return source


@pytest.mark.parametrize("name", ["qd1001", "desk"])
def test_the_shipped_flows_are_valid(name: str) -> None:
    flow = load_flow_file(DATA / f"{name}.toml")
    assert flow.key == name
    assert all(q.text.get("en") for q in flow.questions)


def test_the_1001_form_asks_the_profile_last_and_never_requires_it() -> None:
    flow = load_flow_file(DATA / "qd1001.toml")
    profile = [q for q in flow.questions if q.profile]
    assert [q.id for q in profile] == ["age", "sex", "occupation"]
    assert flow.questions[-len(profile) :] == tuple(profile)
    assert not any(q.required or q.scored for q in profile)
    kinds = {q.kind for q in flow.questions}
    assert kinds == {"scale5", "yes_no", "single", "multi", "number"}


@pytest.mark.parametrize(
    ("old", "new", "needle", "key"),
    [
        ('kind = "multi"', 'kind = "many"', 'kind = "many"', "bad_kind"),
        ('kind = "number"\nmin = 1', 'kind = "number"\nmin = 30', "min = 30", "bad_bounds"),
        ('section = "online"', 'section = "onlin"', '"onlin"', "unknown_section"),
        (
            'show_if = { question = "fee_paid", equals = 1 }',
            'show_if = { question = "on_time", equals = 1 }',
            'question = "on_time"',
            "show_if_later",
        ),
        (
            'show_if = { question = "fee_paid", equals = 1 }',
            'show_if = { question = "fee_paid", equals = 7 }',
            "equals = 7",
            "show_if_value",
        ),
        (
            'show_if = { question = "fee_paid", equals = 1 }',
            'show_if = { question = "fee_paid", contains = 1 }',
            "contains = 1",
            "show_if_contains",
        ),
        (
            'show_if = { question = "fee_paid", equals = 1 }',
            'show_if = { question = "visits", equals = 1 }',
            'question = "visits"',
            "show_if_later",
        ),
        (
            'show_if = { question = "fee_paid", equals = 1 }',
            'show_if = { question = "fee_gone", equals = 1 }',
            'question = "fee_gone"',
            "show_if_unknown",
        ),
        (
            'show_if = { question = "fee_paid", equals = 1 }',
            'show_if = { when = "fee_paid" }',
            'when = "fee_paid"',
            "show_if_shape",
        ),
        ('choices = "age"\nprofile = true', 'choices = "age"\nprofile = true\nrequired = true',
         "required = true", "profile_required"),
        ('kind = "number"', 'kind = "number"\nfactor = "F2"  # here', "# here", "scored_kind"),
        ('kind = "multi"\nchoices = "improve"', 'kind = "multi"', 'id = "improve"',
         "question_no_choices"),
        ('kind = "number"', 'kind = "number"\nchoices = "scale"  # here', "# here",
         "needless_choices"),
        ('{ value = 2, label = { vi = "Không", en = "No" }, satisfied = true }',
         '{ value = 2, label = { vi = "Không", en = "No" }, satisfied = "yes" }',
         'satisfied = "yes"', "bad_flag"),
        ('{ value = 3, label = { vi = "Qua bưu điện"', '{ value = 2, label = { vi = "Qua bưu điện"',
         "Qua bưu điện", "choice_twice"),
    ],
)  # fmt: skip
def test_each_mistake_is_reported_at_its_line(old: str, new: str, needle: str, key: str) -> None:
    source = broken((old, new))
    assert (line_of(source, needle), key) in problems(source)


def test_a_profile_question_before_the_criteria_is_out_of_order() -> None:
    question = 'id = "gave_feedback"\nsection = "feedback"'
    source = broken((question, f"{question}\nprofile = true"))
    found = problems(source)
    assert (line_of(source, 'id = "feedback_handled"'), "profile_order") in found


def test_every_problem_is_reported_at_once() -> None:
    source = broken(
        ('kind = "multi"', 'kind = "many"'),
        ('section = "online"', 'section = "onlin"'),
        ('kind = "number"\nmin = 1', 'kind = "number"\nmin = 30'),
    )
    keys = [key for _, key in problems(source)]
    assert {"bad_kind", "unknown_section", "bad_bounds"} <= set(keys)


def test_problems_read_in_both_languages() -> None:
    source = broken(('section = "online"', 'section = "onlin"'))
    with pytest.raises(FlowError) as caught:
        parse_flow(source, "broken.toml")
    problem = caught.value.problems[0]
    assert problem.message == problem.text("en")
    assert problem.text("vi") == (
        "câu 'portal_easy': không có phần 'onlin' (khai báo nó trong [[sections]])"
    )
    line = line_of(source, '"onlin"')
    assert str(problem).startswith(f"broken.toml:{line}: question ")
    assert all(set(texts) == {"vi", "en"} for texts in PROBLEMS.values())


def test_a_rule_on_a_multiple_choice_may_list_several_answers() -> None:
    rule = 'show_if = { question = "improve", contains = [2, 5] }'
    source = broken(('id = "age"\n', f'id = "age"\n{rule}\n'))
    age = parse_flow(source).question("age")
    assert age is not None and age.show_if is not None
    assert age.show_if.values == frozenset({2, 5})
