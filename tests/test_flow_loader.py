"""Flow files: the defaults are valid, and every kind of mistake is reported at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.loader import FlowError, load_flow_file, parse_flow
from tests.support.cli import InProcessCli

DATA = Path(__file__).parent.parent / "flows" / "data"
MAU01_SOURCE = (DATA / "mau01.toml").read_text(encoding="utf-8")


def line_of(source: str, needle: str, occurrence: int = 1) -> int:
    count = 0
    for number, line in enumerate(source.splitlines(), start=1):
        if needle in line:
            count += 1
            if count == occurrence:
                return number
    raise AssertionError(needle)


def problems(source: str) -> list[tuple[int, str]]:
    with pytest.raises(FlowError) as caught:
        parse_flow(source, "broken.toml")
    assert all(p.file == "broken.toml" for p in caught.value.problems)
    return [(p.line, p.message) for p in caught.value.problems]


@pytest.mark.parametrize("name", ["mau01", "mau02"])
def test_default_flows_have_22_criteria_in_5_factors(name: str) -> None:
    flow = load_flow_file(DATA / f"{name}.toml")
    assert flow.total == 22
    assert [len(flow.questions_of(f.id)) for f in flow.factors] == [4, 5, 6, 3, 4]
    assert flow.questions[9].text.get("vi") == "Công chức có thái độ giao tiếp lịch sự"
    assert all(q.text.get("en") for q in flow.questions)


def test_a_duplicate_id_is_reported_at_its_line() -> None:
    source = MAU01_SOURCE.replace('id = "1.2"', 'id = "1.1"')
    assert (line_of(source, 'id = "1.1"', 2), "duplicate question id '1.1'") in problems(source)


def test_a_missing_id_is_reported_at_the_question() -> None:
    source = MAU01_SOURCE.replace('id = "2.3"\n', "")
    line = line_of(MAU01_SOURCE, 'id = "2.3"')  # its first key, not the [[questions]] header
    assert (line, "question number 7 has no id") in problems(source)


def test_a_question_without_a_factor() -> None:
    source = MAU01_SOURCE.replace('id = "3.1"\nfactor = "F3"\n', 'id = "3.1"\n')
    found = problems(source)
    assert any(message == "question '3.1' has no factor" for _, message in found)


def test_an_unknown_choice_set() -> None:
    source = MAU01_SOURCE.replace(
        'id = "4.1"\nfactor = "F4"\nchoices = "scale"',
        'id = "4.1"\nfactor = "F4"\nchoices = "scal"',
    )
    line = line_of(source, 'choices = "scal"')
    assert (
        line,
        "question '4.1': unknown choice set 'scal' (known: scale, scale_fee, scale_na)",
    ) in problems(source)


def test_a_bad_scoring_rule() -> None:
    source = MAU01_SOURCE.replace("satisfied = [4, 5]", 'satisfied = "4 and 5"')
    line = line_of(source, "satisfied =")
    assert (
        line,
        "scoring.satisfied must list the levels that count as satisfied, e.g. [4, 5]",
    ) in problems(source)
    source = MAU01_SOURCE.replace('overall = "mean"', 'overall = "median"')
    assert (
        line_of(source, 'overall = "median"'),
        "scoring.overall must be one of mean, weighted_mean, not 'median'",
    ) in problems(source)


def test_invalid_toml_names_the_line() -> None:
    source = MAU01_SOURCE.replace('id = "1.3"', 'id = "1.3')
    ((line, message),) = problems(source)
    assert line == line_of(source, 'id = "1.3')
    assert message.startswith("not valid TOML")


def test_a_missing_vietnamese_text() -> None:
    source = MAU01_SOURCE.replace(
        'text = { vi = "Công chức có thái độ giao tiếp lịch sự", ',
        "text = { ",
    )
    assert (
        line_of(source, "The officials communicate politely"),
        "question 3.1 text has no vi text",
    ) in problems(source)


def test_the_cli_checks_files_and_reports_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text(MAU01_SOURCE.replace('id = "1.2"', 'id = "1.1"'), encoding="utf-8")
    good = DATA / "mau02.toml"
    result = InProcessCli()("flows", "check", str(good), str(broken))
    assert result.returncode == 1
    line = line_of(broken.read_text("utf-8"), 'id = "1.1"', 2)
    assert result.stderr.strip() == f"{broken}:{line}: duplicate question id '1.1'"
    assert "ok (mau02, organization, 22 questions)" in result.stdout
