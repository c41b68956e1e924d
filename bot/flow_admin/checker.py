"""The flow checker's findings as an admin who is not a programmer reads them: in Vietnamese
(or English), naming the question by its id and number, at the line to fix.

The loader (``flows.loader``) reports each problem with a line and, for the rules it names,
a phrase key that ``FlowProblem.text`` says in Vietnamese or English (``flows.problems``).
A problem without a key is matched here by its English shape and said again through the
phrasebook ``MESSAGES``; a shape not listed is shown as the loader wrote it, so a new loader
rule is never hidden.
New question kinds add their message shapes to ``PATTERNS`` (and words to ``MESSAGES``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.flow_admin.names import from_loader
from flows.loader import FlowError, FlowProblem, parse_flow
from flows.model import Flow
from flows.problems import problem_text
from flows.texts import Phrasebook, lookup

_ID = r"'(?P<id>[^']*)'"
PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(f"^{pattern}$"), key)
    for pattern, key in (
        (r"not valid TOML: (?P<detail>.*)", "toml"),
        (r"the \[(?P<name>[^\]]+)\] table is missing", "table_missing"),
        (r"(?P<name>\S+) must be a table", "not_table"),
        (r"(?P<key>\w+) is missing", "key_missing"),
        (r"(?P<key>\w+) must be a non-empty text", "key_empty"),
        (r"form must be one of (?P<allowed>.*), not '(?P<value>[^']*)'", "form"),
        (r"(?P<what>.+) is missing or empty \(write .*\)", "text_missing"),
        (r"(?P<what>.+): unknown language '(?P<locale>[^']*)' \(use vi or en\)", "language"),
        (r"(?P<what>.+): the (?P<locale>\w+) text is empty", "text_empty"),
        (r"(?P<what>.+) has no (?P<locale>\w+) text", "text_missing_locale"),
        (rf"choice set {_ID} has no choices", "set_empty"),
        (rf"choice set {_ID}: each choice must be a table", "choice_table"),
        (rf"choice set {_ID}: value must be a whole number from 0 to 9", "choice_value"),
        (rf"choice set {_ID}: value (?P<value>\d+) appears twice", "choice_twice"),
        (r"no \[\[factors\]\] are defined", "no_factors"),
        (r"this factor has no valid id \(letters, digits, \. _ -\)", "factor_id"),
        (rf"duplicate factor id {_ID}", "factor_twice"),
        (rf"factor {_ID}: weight must be a positive number", "factor_weight"),
        (rf"factor {_ID} has no questions", "factor_unused"),
        (r"no \[\[questions\]\] are defined", "no_questions"),
        (r"question number (?P<number>\d+) has no id", "question_no_id"),
        (r"question id '(?P<id>[^']*)' is not valid \(letters, digits, \. _ -\)", "question_id"),
        (rf"duplicate question id {_ID}", "question_twice"),
        (rf"question {_ID} has no factor", "question_no_factor"),
        (rf"question {_ID}: unknown factor '(?P<factor>[^']*)'", "question_factor"),
        (rf"question {_ID} has no choices \(name a choice set\)", "question_no_choices"),
        (
            rf"question {_ID}: unknown choice set '(?P<set>[^']*)' \(known: (?P<known>.*)\)",
            "question_choices",
        ),
        (r"scoring\.satisfied must list .*", "satisfied"),
        (r"scoring\.(?P<key>\w+) must be one of (?P<allowed>.*), not '(?P<value>[^']*)'", "rollup"),
        (r"closing\.max_length must be a number from 10 to 4000", "max_length"),
    )
)

MESSAGES: Phrasebook = {
    "toml": {
        "vi": "Sai cú pháp tệp (thiếu dấu ngoặc kép, dấu bằng hoặc dấu ngoặc?): {detail}",
        "en": "The file's syntax is broken (a missing quote, equals sign or bracket?): {detail}",
    },
    "table_missing": {"vi": "Thiếu phần [{name}].", "en": "The [{name}] part is missing."},
    "not_table": {"vi": "{name} phải là một phần [..].", "en": "{name} must be a [..] part."},
    "key_missing": {"vi": "Thiếu mục {key}.", "en": "{key} is missing."},
    "key_empty": {"vi": "Mục {key} không được để trống.", "en": "{key} must not be empty."},
    "form": {
        "vi": "Loại phiếu phải là một trong {allowed}, không phải '{value}'.",
        "en": "The form must be one of {allowed}, not '{value}'.",
    },
    "text_missing": {
        "vi": 'Thiếu nội dung {what} (viết {{ vi = "...", en = "..." }}).',
        "en": 'The text {what} is missing (write {{ vi = "...", en = "..." }}).',
    },
    "language": {
        "vi": "{what}: ngôn ngữ '{locale}' không dùng được (chỉ vi hoặc en).",
        "en": "{what}: unknown language '{locale}' (use vi or en).",
    },
    "text_empty": {
        "vi": "{what}: nội dung {locale} đang trống.",
        "en": "{what}: the {locale} text is empty.",
    },
    "text_missing_locale": {
        "vi": "{what} chưa có nội dung {locale}.",
        "en": "{what} has no {locale} text.",
    },
    "set_empty": {
        "vi": "Bộ lựa chọn '{id}' chưa có lựa chọn nào.",
        "en": "The choice set '{id}' has no choices.",
    },
    "choice_table": {
        "vi": "Bộ lựa chọn '{id}': mỗi lựa chọn phải viết dạng {{ value = ..., label = ... }}.",
        "en": "Choice set '{id}': write each choice as {{ value = ..., label = ... }}.",
    },
    "choice_value": {
        "vi": "Bộ lựa chọn '{id}': giá trị phải là số nguyên từ 0 đến 9.",
        "en": "Choice set '{id}': a value must be a whole number from 0 to 9.",
    },
    "choice_twice": {
        "vi": "Bộ lựa chọn '{id}': giá trị {value} bị lặp lại.",
        "en": "Choice set '{id}': the value {value} appears twice.",
    },
    "no_factors": {"vi": "Chưa có nhóm tiêu chí nào.", "en": "No factor is defined."},
    "factor_id": {
        "vi": "Nhóm tiêu chí này chưa có mã hợp lệ (chữ, số, dấu . _ -).",
        "en": "This factor has no valid id (letters, digits, . _ -).",
    },
    "factor_twice": {
        "vi": "Mã nhóm tiêu chí '{id}' bị trùng.",
        "en": "The factor id '{id}' is used twice.",
    },
    "factor_weight": {
        "vi": "Nhóm '{id}': trọng số phải là số dương.",
        "en": "Factor '{id}': the weight must be a positive number.",
    },
    "factor_unused": {
        "vi": "Nhóm '{id}' chưa có câu hỏi nào.",
        "en": "Factor '{id}' has no questions.",
    },
    "no_questions": {"vi": "Chưa có câu hỏi nào.", "en": "No question is defined."},
    "question_no_id": {"vi": "Câu hỏi này chưa có mã (id).", "en": "This question has no id."},
    "question_id": {
        "vi": "Mã câu hỏi '{id}' không hợp lệ (chỉ chữ, số, dấu . _ -).",
        "en": "The question id '{id}' is not valid (letters, digits, . _ -).",
    },
    "question_twice": {
        "vi": "Mã câu hỏi '{id}' bị trùng với một câu trước.",
        "en": "The question id '{id}' is used by an earlier question.",
    },
    "question_no_factor": {
        "vi": "Câu hỏi chưa thuộc nhóm tiêu chí nào (thêm factor = ...).",
        "en": "The question belongs to no factor (add factor = ...).",
    },
    "question_factor": {
        "vi": "Nhóm tiêu chí '{factor}' không tồn tại.",
        "en": "There is no factor '{factor}'.",
    },
    "question_no_choices": {
        "vi": "Câu hỏi chưa có bộ lựa chọn (thêm choices = ...).",
        "en": "The question has no choice set (add choices = ...).",
    },
    "question_choices": {
        "vi": "Bộ lựa chọn '{set}' không tồn tại (đang có: {known}).",
        "en": "There is no choice set '{set}' (known: {known}).",
    },
    "satisfied": {
        "vi": "scoring.satisfied phải liệt kê các mức được tính là hài lòng, ví dụ [4, 5].",
        "en": "scoring.satisfied must list the levels that count as satisfied, e.g. [4, 5].",
    },
    "rollup": {
        "vi": "scoring.{key} phải là một trong {allowed}, không phải '{value}'.",
        "en": "scoring.{key} must be one of {allowed}, not '{value}'.",
    },
    "max_length": {
        "vi": "closing.max_length phải là số từ 10 đến 4000.",
        "en": "closing.max_length must be a number from 10 to 4000.",
    },
}


@dataclass(frozen=True)
class Problem:
    line: int
    message: str  # in the admin's language
    text: str  # the line as written, to find it in the editor
    question: str | None = None  # "2.1", the question the line belongs to
    number: int | None = None  # its position, 1-based


def say(message: str, locale: str) -> str:
    """The loader's English message in ``locale`` (as written when its shape is unknown)."""
    for pattern, key in PATTERNS:
        found = pattern.match(message)
        if found:
            values = found.groupdict()
            if "what" in values:
                values["what"] = from_loader(values["what"], locale)
            return lookup(MESSAGES, key, locale, **values)
    return message


def _said(problem: FlowProblem, locale: str) -> str:
    """The problem in ``locale``, with the part of the file it names said in words too."""
    if not problem.key:
        return say(problem.message, locale)
    values = dict(problem.values)
    if isinstance(values.get("what"), str):
        values["what"] = from_loader(str(values["what"]), locale)
    return problem_text(problem.key, locale, values)


def question_at(source: str, line: int) -> tuple[int, str | None] | None:
    """(number, id) of the ``[[questions]]`` block that holds ``line``, if any."""
    number = 0
    current: tuple[int, str | None] | None = None
    for index, raw in enumerate(source.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("["):
            if stripped.startswith("[[questions]]"):
                number += 1
                current = (number, None)
            elif not stripped.startswith(("[{", '["')):
                current = None
        elif current is not None and current[1] is None:
            found = re.match(r"""id\s*=\s*["']([^"']*)["']""", stripped)
            if found:
                current = (current[0], found.group(1))
        if index >= line:
            break
    if current is not None and current[1] is None:  # the id may come after the line
        for raw in source.splitlines()[line:]:
            stripped = raw.strip()
            if stripped.startswith("["):
                break
            found = re.match(r"""id\s*=\s*["']([^"']*)["']""", stripped)
            if found:
                return current[0], found.group(1)
    return current


def explain(problems: list[FlowProblem], source: str, locale: str) -> list[Problem]:
    lines = source.splitlines()
    explained = []
    for problem in problems:
        text = lines[problem.line - 1].strip() if 0 < problem.line <= len(lines) else ""
        where = question_at(source, problem.line)
        explained.append(
            Problem(
                problem.line,
                _said(problem, locale),
                text[:160],
                where[1] if where else None,
                where[0] if where else None,
            )
        )
    return explained


def check(source: str, locale: str = "vi") -> tuple[Flow | None, list[Problem]]:
    """The parsed flow, or the problems that keep it from being used."""
    try:
        return parse_flow(source, "flow"), []
    except FlowError as error:
        return None, explain(error.problems, source, locale)
