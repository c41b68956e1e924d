"""Words of the editor's form: question kinds, choice lists, sections and skip rules, said
for an admin who has never seen the flow file."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "form_help": {
        "vi": (
            "Sửa câu chữ, loại câu hỏi, các lựa chọn, các phần và điều kiện hiển thị ngay tại "
            "đây (dựa trên phiên bản {version}). Các nút Thêm, Xóa, Lên, Xuống chỉ đổi biểu mẫu "
            "này; chưa có gì được lưu cho đến khi Ông/Bà bấm Tiếp tục, kiểm tra và công bố."
        ),
        "en": (
            "Change the wording, the question kinds, the choices, the parts and when a question "
            "is shown, right here (starting from version {version}). Add, Remove, Up and Down "
            "only change this form; nothing is saved until you continue, check and publish."
        ),
    },
    "form_refresh": {"vi": "Cập nhật biểu mẫu", "en": "Update the form"},
    "form_problems": {
        "vi": "Chưa tiếp tục được: {n} điều cần sửa",
        "en": "Cannot continue yet: {n} things to fix",
    },
    "form_line": {"vi": "dòng {line} trong tệp", "en": "line {line} of the file"},
    "if_no_values": {
        "vi": "Câu {id}: chọn ít nhất một câu trả lời trong điều kiện hiển thị.",
        "en": "Question {id}: tick at least one answer in the condition for showing it.",
    },
    "if_pick_values": {
        "vi": (
            "Câu {id}: đã đổi câu làm điều kiện; các câu trả lời của câu đó đã hiện ra, "
            "xin chọn câu trả lời làm điều kiện."
        ),
        "en": (
            "Question {id}: the condition's question changed; its answers are now shown, "
            "please tick the answers that show this question."
        ),
    },
    "form_unwritable": {
        "vi": "Không ghi được bộ câu hỏi từ biểu mẫu này; xin sửa trong khung nội dung tệp.",
        "en": "The flow cannot be written from this form; please use the flow file editor.",
    },
    "see_lines": {
        "vi": "Xem các dòng này trong tệp (nâng cao)",
        "en": "See these lines in the flow file (advanced)",
    },
    "sections_heading": {"vi": "Các phần của bộ câu hỏi", "en": "Parts of the flow"},
    "sections_help": {
        "vi": "Mỗi phần có một tiêu đề, hiện cho người trả lời khi bắt đầu phần đó.",
        "en": "Each part has a title, shown to the respondent when the part begins.",
    },
    "section_n": {"vi": "Phần {id}", "en": "Part {id}"},
    "section_id": {"vi": "Mã phần (chữ, số, . _ -)", "en": "Code of the part (letters, digits)"},
    "add_section": {"vi": "Thêm một phần", "en": "Add a part"},
    "remove_section": {"vi": "Xóa phần này", "en": "Remove this part"},
    "question_id": {"vi": "Mã câu hỏi (chữ, số, . _ -)", "en": "Code of the question"},
    "question_text": {"vi": "Nội dung câu hỏi", "en": "The question"},
    "kind": {"vi": "Loại câu hỏi", "en": "Kind of question"},
    "kind_scale5": {
        "vi": "Thang 5 mức hài lòng (chấm điểm)",
        "en": "Five-level satisfaction scale (scored)",
    },
    "kind_yes_no": {"vi": "Có / Không", "en": "Yes / No"},
    "kind_single": {"vi": "Chọn một trong danh sách", "en": "One choice from a list"},
    "kind_multi": {"vi": "Chọn nhiều trong danh sách", "en": "Several choices from a list"},
    "kind_number": {"vi": "Một con số", "en": "A number"},
    "kind_text": {"vi": "Trả lời ngắn bằng chữ", "en": "A short written answer"},
    "kind_refresh": {
        "vi": "Cập nhật câu {id} theo loại và điều kiện đã chọn",
        "en": "Update question {id} for the kind and condition chosen",
    },
    "in_section": {"vi": "Thuộc phần", "en": "Part"},
    "no_section": {"vi": "(không thuộc phần nào)", "en": "(no part)"},
    "factor_of": {"vi": "Nhóm tiêu chí chấm điểm", "en": "Scored under the factor"},
    "not_scored": {"vi": "(không chấm điểm)", "en": "(not scored)"},
    "choice_list": {"vi": "Danh sách lựa chọn", "en": "List of choices"},
    "default_yes_no": {"vi": "(Có / Không mặc định)", "en": "(the default Yes / No)"},
    "own_list": {
        "vi": "Tạo danh sách lựa chọn riêng cho câu {id}",
        "en": "Give question {id} a list of its own",
    },
    "shared_list": {
        "vi": "Danh sách này dùng chung cho các câu: {ids}. Sửa ở mục Danh sách dùng chung.",
        "en": "This list is shared by the questions {ids}. Change it under Shared lists.",
    },
    "go_to_list": {"vi": "Đến danh sách “{name}”", "en": "Go to the list “{name}”"},
    "number_min": {"vi": "Số nhỏ nhất được nhận", "en": "Smallest number accepted"},
    "number_max": {"vi": "Số lớn nhất được nhận", "en": "Largest number accepted"},
    "text_max": {"vi": "Số ký tự tối đa (1–500)", "en": "Longest answer in characters (1–500)"},
    "empty_default": {"vi": "Để trống: {n}", "en": "Empty: {n}"},
    "required": {"vi": "Bắt buộc trả lời", "en": "An answer is required"},
    "profile": {
        "vi": "Câu hỏi về người trả lời (tuổi, giới tính…), hỏi sau cùng, không bắt buộc",
        "en": "About the respondent (age, sex…), asked last, never required",
    },
    "show_rule": {"vi": "Khi nào hỏi câu này", "en": "When this question is asked"},
    "if_question": {"vi": "Chỉ hỏi khi câu trả lời của câu", "en": "Ask only when the answer to"},
    "always": {"vi": "Luôn hỏi câu này", "en": "Always ask this question"},
    "not_above": {"vi": "không còn ở phía trên", "en": "no longer above"},
    "if_how": {"vi": "Cách so sánh", "en": "How it is compared"},
    "how_equals": {"vi": "bằng", "en": "equals"},
    "how_is_one_of": {"vi": "là một trong", "en": "is one of"},
    "how_contains": {
        "vi": "có chọn (câu chọn nhiều)",
        "en": "includes (several-choice question)",
    },
    "if_values": {"vi": "Câu trả lời", "en": "Answers"},
    "if_choose_first": {
        "vi": "Chọn câu làm điều kiện rồi bấm Cập nhật để thấy các câu trả lời của câu đó.",
        "en": "Choose the question, then press Update to see its answers.",
    },
    "move_up": {"vi": "Lên", "en": "Up"},
    "move_down": {"vi": "Xuống", "en": "Down"},
    "remove": {"vi": "Xóa", "en": "Remove"},
    "add_question_after": {"vi": "Thêm câu hỏi sau câu này", "en": "Add a question after this"},
    "add_question_first": {"vi": "Thêm câu hỏi ở đầu", "en": "Add a question at the start"},
    "sr_question": {"vi": " câu {id}", "en": " question {id}"},
    "sr_choice": {"vi": " lựa chọn {n} của “{name}”", "en": " choice {n} of “{name}”"},
    "shared_lists": {"vi": "Danh sách dùng chung", "en": "Shared lists"},
    "shared_lists_help": {
        "vi": "Sửa một danh sách ở đây là sửa cho mọi câu dùng nó.",
        "en": "A change here applies to every question that uses the list.",
    },
    "list_named": {"vi": "Danh sách “{name}”", "en": "The list “{name}”"},
    "list_users": {"vi": "dùng cho: {ids}", "en": "used by: {ids}"},
    "list_unused": {"vi": "chưa câu nào dùng", "en": "not used yet"},
    "choice_n": {"vi": "Lựa chọn {n}", "en": "Choice {n}"},
    "choice_value": {"vi": "Số ghi nhận (0–9)", "en": "Stored number (0–9)"},
    "choice_label_vi": {"vi": "Nhãn tiếng Việt", "en": "Vietnamese label"},
    "choice_label_en": {"vi": "Nhãn tiếng Anh", "en": "English label"},
    "not_applicable": {
        "vi": "Không tính điểm (ví dụ “Không có ý kiến”, “Không phải nộp phí”)",
        "en": "Not counted in scores (e.g. “No opinion”, “No fee was payable”)",
    },
    "satisfied": {"vi": "Tính là hài lòng?", "en": "Counts as satisfied?"},
    "satisfied_default": {
        "vi": "Theo các mức hài lòng chung của bộ câu hỏi",
        "en": "As the flow's satisfied levels say",
    },
    "satisfied_true": {"vi": "Có, tính là hài lòng", "en": "Yes, satisfied"},
    "satisfied_false": {"vi": "Không, tính là không hài lòng", "en": "No, not satisfied"},
    "add_choice": {"vi": "Thêm lựa chọn", "en": "Add a choice"},
}
