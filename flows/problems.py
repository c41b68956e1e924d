"""What the flow checker says about a broken flow file, in every locale, each with a fix hint.

The CLI prints the English text (``FlowProblem.message``); the admin editor shows the
Vietnamese one (``FlowProblem.text("vi")``). Placeholders are filled from the problem's values.
"""

from __future__ import annotations

from flows.texts import Phrasebook, lookup

PROBLEMS: Phrasebook = {
    "unreadable": {
        "vi": "không đọc được tệp: {error}",
        "en": "cannot read the file: {error}",
    },
    "toml": {
        "vi": "sai cú pháp TOML: {error} (kiểm tra dấu ngoặc kép, dấu ngoặc và dấu bằng)",
        "en": "not valid TOML: {error}",
    },
    "table_missing": {
        "vi": "thiếu bảng [{name}] (thêm dòng [{name}] và các khóa của nó)",
        "en": "the [{name}] table is missing",
    },
    "not_table": {"vi": "{name} phải là một bảng", "en": "{name} must be a table"},
    "key_missing": {
        "vi": 'thiếu {key} (thêm dòng {key} = "...")',
        "en": "{key} is missing",
    },
    "key_empty": {
        "vi": "{key} phải là một đoạn chữ không rỗng",
        "en": "{key} must be a non-empty text",
    },
    "bad_form": {
        "vi": "form phải là một trong {allowed}, không phải {value!r}",
        "en": "form must be one of {allowed}, not {value!r}",
    },
    "bad_locale": {
        "vi": "default_locale phải là một trong {allowed}",
        "en": "default_locale must be one of {allowed}",
    },
    "text_missing": {
        "vi": '{what} bị thiếu hoặc rỗng (viết {what} = {{ vi = "...", en = "..." }})',
        "en": '{what} is missing or empty (write {what} = {{ vi = "...", en = "..." }})',
    },
    "unknown_language": {
        "vi": "{what}: ngôn ngữ {locale!r} không được hỗ trợ (dùng vi hoặc en)",
        "en": "{what}: unknown language {locale!r} (use vi or en)",
    },
    "text_empty": {
        "vi": "{what}: nội dung {locale} đang rỗng",
        "en": "{what}: the {locale} text is empty",
    },
    "text_no_default": {
        "vi": "{what} chưa có nội dung tiếng {locale}",
        "en": "{what} has no {locale} text",
    },
    "set_empty": {
        "vi": "bộ lựa chọn {set!r} chưa có lựa chọn nào (thêm choices = [ ... ])",
        "en": "choice set {set!r} has no choices (add choices = [ ... ])",
    },
    "choice_not_table": {
        "vi": "bộ lựa chọn {set!r}: mỗi lựa chọn phải có dạng {{ value = 1, label = ... }}",
        "en": "choice set {set!r}: each choice must be a table like {{ value = 1, label = ... }}",
    },
    "choice_value": {
        "vi": "bộ lựa chọn {set!r}: value phải là số nguyên từ 0 đến 9",
        "en": "choice set {set!r}: value must be a whole number from 0 to 9",
    },
    "choice_twice": {
        "vi": "bộ lựa chọn {set!r}: giá trị {value} xuất hiện hai lần (đổi một giá trị khác)",
        "en": "choice set {set!r}: value {value} appears twice (give it another value)",
    },
    "no_factors": {
        "vi": "chưa khai báo [[factors]] nào (mỗi câu có chấm điểm cần một yếu tố)",
        "en": "no [[factors]] are defined",
    },
    "factor_id": {
        "vi": "yếu tố này chưa có id hợp lệ (chữ, số, . _ -)",
        "en": "this factor has no valid id (letters, digits, . _ -)",
    },
    "factor_twice": {
        "vi": "id yếu tố {id!r} bị trùng (mỗi yếu tố cần id riêng)",
        "en": "duplicate factor id {id!r}",
    },
    "factor_weight": {
        "vi": "yếu tố {id!r}: weight phải là số dương, ví dụ 1.0",
        "en": "factor {id!r}: weight must be a positive number, e.g. 1.0",
    },
    "factor_unused": {
        "vi": "yếu tố {id!r} không có câu hỏi nào (gán factor = {id!r} cho một câu hoặc xóa nó)",
        "en": "factor {id!r} has no questions",
    },
    "no_questions": {
        "vi": "bộ câu hỏi chưa có câu hỏi nào (trong tệp: thêm ít nhất một bảng [[questions]])",
        "en": "the flow has no questions (in the file: add at least one [[questions]] table)",
    },
    "question_no_id": {
        "vi": 'câu hỏi thứ {number} chưa có id (thêm id = "...")',
        "en": "question number {number} has no id",
    },
    "question_id": {
        "vi": "id câu hỏi {id!r} không hợp lệ (chữ, số, . _ -)",
        "en": "question id {id!r} is not valid (letters, digits, . _ -)",
    },
    "question_twice": {
        "vi": "id câu hỏi {id!r} bị trùng (đổi thành một id chưa dùng)",
        "en": "duplicate question id {id!r}",
    },
    "question_no_factor": {
        "vi": "câu {id!r} chưa có factor (câu thang 5 mức luôn được chấm điểm)",
        "en": "question {id!r} has no factor",
    },
    "unknown_factor": {
        "vi": "câu {id!r}: không có yếu tố {factor!r} (các yếu tố: {known})",
        "en": "question {id!r}: unknown factor {factor!r} (known: {known})",
    },
    "question_no_choices": {
        "vi": "câu {id!r} chưa có choices (ghi tên một bộ lựa chọn)",
        "en": "question {id!r} has no choices (name a choice set)",
    },
    "unknown_set": {
        "vi": "câu {id!r}: không có bộ lựa chọn {set!r} (hiện có: {known})",
        "en": "question {id!r}: unknown choice set {set!r} (known: {known})",
    },
    "bad_kind": {
        "vi": "câu {id!r}: kind {kind!r} không hợp lệ (dùng một trong {allowed})",
        "en": "question {id!r}: unknown kind {kind!r} (use one of {allowed})",
    },
    "needless_choices": {
        "vi": "câu {id!r}: loại {kind} không dùng choices (xóa dòng choices)",
        "en": "question {id!r}: a {kind} question takes no choices (remove the choices line)",
    },
    "scale_levels": {
        "vi": (
            "câu {id!r}: thang 5 mức cần đúng các giá trị 1 đến 5 (có thể thêm 0 = không có ý kiến)"
        ),
        "en": "question {id!r}: a scale5 question needs the values 1 to 5 (plus 0 for no opinion)",
    },
    "scored_kind": {
        "vi": "câu {id!r}: loại {kind} không chấm điểm được (bỏ factor)",
        "en": "question {id!r}: a {kind} question cannot be scored (remove the factor)",
    },
    "nothing_satisfied": {
        "vi": "câu {id!r}: không lựa chọn nào được tính là hài lòng (thêm satisfied = true)",
        "en": "question {id!r}: no choice counts as satisfied (mark one with satisfied = true)",
    },
    "bad_bounds": {
        "vi": "câu {id!r}: min và max phải là số nguyên từ 0 đến 32000, min nhỏ hơn max",
        "en": "question {id!r}: min and max must be whole numbers from 0 to 32000, min below max",
    },
    "bad_max_length": {
        "vi": "câu {id!r}: max_length phải là số từ 1 đến 500",
        "en": "question {id!r}: max_length must be a number from 1 to 500",
    },
    "bad_flag": {
        "vi": "câu {id!r}: {key} phải là true hoặc false",
        "en": "question {id!r}: {key} must be true or false",
    },
    "unknown_section": {
        "vi": "câu {id!r}: không có phần {section!r} (khai báo nó trong [[sections]])",
        "en": "question {id!r}: unknown section {section!r} (declare it in [[sections]])",
    },
    "section_id": {
        "vi": "phần này chưa có id hợp lệ hoặc id bị trùng",
        "en": "this section has no valid id, or the id is used twice",
    },
    "show_if_shape": {
        "vi": (
            'câu {id!r}: show_if phải có dạng {{ question = "2.3", equals = 1 }}'
            " (hoặc is_one_of = [1, 2], contains = 1)"
        ),
        "en": (
            'question {id!r}: show_if must look like {{ question = "2.3", equals = 1 }}'
            " (or is_one_of = [1, 2], contains = 1)"
        ),
    },
    "show_if_later": {
        "vi": (
            "câu {id!r}: show_if chỉ được dựa vào một câu đứng"
            " trước ({other!r} chưa có ở phía trên)"
        ),
        "en": "question {id!r}: show_if must name an earlier question ({other!r} is not above it)",
    },
    "show_if_unknown": {
        "vi": (
            "câu {id!r}: show_if dựa vào câu {other!r} nhưng bộ câu hỏi không còn câu này"
            " (câu đã bị xóa hoặc đổi mã: chọn câu khác hoặc bỏ điều kiện)"
        ),
        "en": (
            "question {id!r}: show_if names question {other!r}, which the flow no longer has"
            " (removed or renamed: choose another question or drop the condition)"
        ),
    },
    "show_if_kind": {
        "vi": "câu {id!r}: show_if chỉ dựa được vào câu có lựa chọn ({other!r} là loại {kind})",
        "en": (
            "question {id!r}: show_if can only name a question with"
            " choices ({other!r} is a {kind} question)"
        ),
    },
    "show_if_value": {
        "vi": "câu {id!r}: câu {other!r} không có lựa chọn {value}",
        "en": "question {id!r}: question {other!r} has no choice {value}",
    },
    "show_if_contains": {
        "vi": "câu {id!r}: contains chỉ dùng với câu nhiều lựa chọn; dùng equals hoặc is_one_of",
        "en": "question {id!r}: contains is for multiple-choice questions; use equals or is_one_of",
    },
    "profile_required": {
        "vi": "câu {id!r}: câu thông tin người trả lời không được bắt buộc (ghi required = false)",
        "en": "question {id!r}: a profile question is never required (write required = false)",
    },
    "profile_order": {
        "vi": "câu {id!r}: câu thông tin người trả lời phải đứng sau mọi câu đánh giá",
        "en": "question {id!r}: profile questions come after every other question",
    },
    "profile_scored": {
        "vi": "câu {id!r}: câu thông tin người trả lời không được chấm điểm (bỏ factor)",
        "en": "question {id!r}: a profile question is never scored (remove the factor)",
    },
    "satisfied_levels": {
        "vi": "scoring.satisfied phải liệt kê các mức được tính là hài lòng, ví dụ [4, 5]",
        "en": "scoring.satisfied must list the levels that count as satisfied, e.g. [4, 5]",
    },
    "bad_rollup": {
        "vi": "scoring.{key} phải là một trong {allowed}, không phải {value!r}",
        "en": "scoring.{key} must be one of {allowed}, not {value!r}",
    },
    "bad_closing_length": {
        "vi": "closing.max_length phải là số từ 10 đến 4000",
        "en": "closing.max_length must be a number from 10 to 4000",
    },
}


def problem_text(key: str, locale: str, values: dict[str, object]) -> str:
    return lookup(PROBLEMS, key, locale, **values)
