"""Words of the pages that make figures defensible: the re-verification (phúc tra) call list,
keyed paper forms, and the response funnel ("Tình hình thu phiếu").

One phrasebook entry per key, ``{"vi": ..., "en": ...}``, read through
``flows.texts.lookup`` like every other user-facing text.
"""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    # --- the period chooser shared by the pages ---
    "period": {"vi": "Kỳ", "en": "Period"},
    "period_hint": {
        "vi": "Ví dụ: 2026-W49, 2026-12, 2026-Q4, 2026 hoặc 2026-10-01..2026-12-31",
        "en": "For example: 2026-W49, 2026-12, 2026-Q4, 2026 or 2026-10-01..2026-12-31",
    },
    "period_invalid": {
        "vi": "Kỳ chưa đúng dạng. Xin nhập theo một trong các ví dụ bên dưới ô.",
        "en": "The period is not in a known form. Please use one of the examples below the box.",
    },
    "show": {"vi": "Xem", "en": "Show"},
    # --- re-verification ---
    "rechecks": {"vi": "Phúc tra", "en": "Re-verification"},
    "rechecks_title": {
        "vi": "Phúc tra phiếu khảo sát qua điện thoại",
        "en": "Re-verifying responses by phone",
    },
    "rechecks_intro": {
        "vi": (
            "Một mẫu ngẫu nhiên các phiếu được tính (mặc định 10 %) được gọi lại để xác nhận "
            "người dân đã thực sự trả lời. Phiếu bị phủ nhận được đánh dấu và không được tính."
        ),
        "en": (
            "A random sample of counted responses (10 % by default) is called back to confirm "
            "that the person really answered. A denied response is flagged and not counted."
        ),
    },
    "recheck_summary": {
        "vi": "Kết quả phúc tra các phiếu hoàn thành trong kỳ",
        "en": "Re-verification of the responses completed in the period",
    },
    "recheck_drawn": {"vi": "Phiếu cần gọi", "en": "Responses to call"},
    "outcome_confirmed": {"vi": "Xác nhận đã trả lời", "en": "Confirmed answering"},
    "outcome_denied": {"vi": "Phủ nhận đã trả lời", "en": "Denied answering"},
    "outcome_unreachable": {"vi": "Không liên lạc được", "en": "Unreachable"},
    "outcome_pending": {"vi": "Chưa gọi", "en": "Not called yet"},
    "confirmed_share": {"vi": "Tỷ lệ xác nhận", "en": "Share confirmed"},
    "confirmed_share_hint": {
        "vi": "Trên số người đã liên lạc được (xác nhận hoặc phủ nhận).",
        "en": "Of the people reached (confirmed or denied).",
    },
    "no_value": {"vi": "chưa có", "en": "none yet"},
    "percent": {"vi": "{value} %", "en": "{value} %"},
    "draws": {"vi": "Các lần chọn mẫu", "en": "Samples drawn"},
    "no_draws": {"vi": "Chưa chọn mẫu phúc tra nào.", "en": "No sample has been drawn yet."},
    "draw_when": {"vi": "Ngày chọn", "en": "Drawn on"},
    "draw_population": {"vi": "Số phiếu được tính", "en": "Counted responses"},
    "draw_share": {"vi": "Tỷ lệ mẫu", "en": "Share"},
    "draw_seed": {"vi": "Số khởi tạo (seed)", "en": "Seed"},
    "draw_open": {"vi": "Mở danh sách gọi", "en": "Open the call list"},
    "draw_new": {"vi": "Chọn mẫu phúc tra mới", "en": "Draw a new sample"},
    "draw_share_label": {"vi": "Tỷ lệ mẫu (%)", "en": "Share (%)"},
    "draw_seed_label": {
        "vi": "Số khởi tạo (để trống: hệ thống tự chọn)",
        "en": "Seed (empty: the system picks one)",
    },
    "draw_button": {"vi": "Chọn mẫu", "en": "Draw the sample"},
    "draw_done": {
        "vi": "Đã chọn {count} phiếu trên {population} phiếu (số khởi tạo {seed}).",
        "en": "Drew {count} of {population} responses (seed {seed}).",
    },
    "share_invalid": {
        "vi": "Tỷ lệ mẫu là một số nguyên từ 1 đến 100.",
        "en": "The share is a whole number from 1 to 100.",
    },
    "seed_invalid": {
        "vi": "Số khởi tạo là một số nguyên không âm, hoặc để trống.",
        "en": "The seed is a whole number of 0 or more, or empty.",
    },
    "call_list": {"vi": "Danh sách cần gọi", "en": "Call list"},
    "call_list_for": {
        "vi": "Phúc tra {unit}, kỳ {period}",
        "en": "Re-verification of {unit}, period {period}",
    },
    "phones_hidden": {
        "vi": "Số điện thoại chỉ hiển thị cho quản trị và cán bộ một cửa.",
        "en": "Phone numbers are shown to admins and clerks only.",
    },
    "completed_on": {"vi": "Hoàn thành lúc", "en": "Completed at"},
    "phone_number": {"vi": "Số điện thoại", "en": "Phone number"},
    "no_phone": {"vi": "không có số", "en": "no number"},
    "response_source": {"vi": "Nguồn", "en": "Source"},
    "outcome": {"vi": "Kết quả gọi", "en": "Call outcome"},
    "outcome_for": {"vi": "Kết quả gọi hồ sơ {dossier}", "en": "Call outcome for {dossier}"},
    "replaces": {"vi": "thay cho {dossier}", "en": "instead of {dossier}"},
    "outcome_saved": {
        "vi": "Đã ghi kết quả cho hồ sơ {dossier}.",
        "en": "Outcome saved for dossier {dossier}.",
    },
    "outcome_saved_next": {
        "vi": "Đã ghi kết quả cho hồ sơ {dossier}; hồ sơ dự phòng {next} được thêm vào danh sách.",
        "en": "Outcome saved for dossier {dossier}; reserve dossier {next} was added to the list.",
    },
    "outcome_saved_no_reserve": {
        "vi": "Đã ghi kết quả cho hồ sơ {dossier}; không còn hồ sơ dự phòng.",
        "en": "Outcome saved for dossier {dossier}; no reserve is left.",
    },
    "outcome_refused": {
        "vi": "Hồ sơ này đã có kết quả gọi hoặc không có trong danh sách cần gọi.",
        "en": "This item already has an outcome or is not on the call list.",
    },
    "reserve_left": {"vi": "Còn {count} hồ sơ dự phòng.", "en": "{count} reserve items left."},
    "source_web": {"vi": "Trang web", "en": "Web"},
    "source_telegram": {"vi": "Telegram", "en": "Telegram"},
    "source_zalo_bot": {"vi": "Zalo", "en": "Zalo"},
    "source_zalo_oa": {"vi": "Zalo OA", "en": "Zalo OA"},
    "source_paper": {"vi": "Phiếu giấy", "en": "Paper"},
    # --- paper forms ---
    "paper": {"vi": "Nhập phiếu giấy", "en": "Key in paper forms"},
    "paper_title": {"vi": "Nhập phiếu khảo sát giấy", "en": "Key in a paper survey form"},
    "paper_intro": {
        "vi": (
            "Nhập đúng như trên phiếu người dân đã điền. Phiếu được tính cùng các phiếu trả lời "
            "qua tin nhắn và ghi nguồn là phiếu giấy."
        ),
        "en": (
            "Key in exactly what the person filled in. The form is counted with the chat "
            "answers and marked as paper."
        ),
    },
    "paper_choose": {"vi": "Chọn đơn vị và mẫu phiếu", "en": "Choose the unit and the form"},
    "paper_choose_button": {"vi": "Dùng mẫu phiếu này", "en": "Use this form"},
    "paper_dossier": {"vi": "Mã hồ sơ (nếu có trên phiếu)", "en": "Dossier code (if on the form)"},
    "paper_criteria": {"vi": "Mức độ hài lòng", "en": "Satisfaction levels"},
    "paper_comment": {"vi": "Góp ý (không bắt buộc)", "en": "Comment (optional)"},
    "paper_complaint": {
        "vi": "Phản ánh, kiến nghị (không bắt buộc)",
        "en": "Complaint or petition (optional)",
    },
    "paper_save": {"vi": "Lưu phiếu", "en": "Save the form"},
    "paper_saved": {
        "vi": "Đã lưu phiếu giấy của hồ sơ {dossier}.",
        "en": "Paper form of dossier {dossier} saved.",
    },
    "paper_errors": {
        "vi": "Phiếu chưa được lưu: còn {count} chỗ cần sửa (đánh dấu bên dưới).",
        "en": "The form was not saved: {count} places need a fix (marked below).",
    },
    "paper_level_missing": {
        "vi": "Chưa chọn mức cho tiêu chí {id}.",
        "en": "No level chosen for criterion {id}.",
    },
    "paper_level_invalid": {
        "vi": "Mức đã chọn không dùng được cho tiêu chí {id}.",
        "en": "The chosen level does not apply to criterion {id}.",
    },
    "paper_text_too_long": {
        "vi": "Nội dung dài quá {limit} ký tự; xin rút gọn.",
        "en": "The text is longer than {limit} characters; please shorten it.",
    },
    "paper_already_answered": {
        "vi": (
            "Hồ sơ {dossier} đã có phiếu khảo sát (qua tin nhắn hoặc phiếu giấy), nên không "
            "nhập thêm được. Mỗi hồ sơ chỉ tính một phiếu."
        ),
        "en": (
            "Dossier {dossier} already has a response (by chat or on paper), so no other can "
            "be keyed. Each dossier counts once."
        ),
    },
    "paper_being_answered": {
        "vi": (
            "Người dân đang trả lời khảo sát của hồ sơ {dossier} qua tin nhắn, nên không nhập "
            "phiếu giấy được. Mỗi hồ sơ chỉ tính một phiếu."
        ),
        "en": (
            "The survey of dossier {dossier} is being answered by chat, so no paper form can "
            "be keyed. Each dossier counts once."
        ),
    },
    # --- the funnel ---
    "funnel": {"vi": "Tình hình thu phiếu", "en": "Response funnel"},
    "funnel_intro": {
        "vi": (
            "Các đường liên kết tạo trong kỳ (không kể hồ sơ nhập phiếu giấy): bao nhiêu người "
            "mở, đồng ý, hoàn thành, và người chưa hoàn thành dừng ở câu nào."
        ),
        "en": (
            "The links created in the period (paper forms left out): how many people opened "
            "them, agreed, finished, and where those who did not finish stopped."
        ),
    },
    "funnel_step": {"vi": "Bước", "en": "Step"},
    "funnel_count": {"vi": "Số lượng", "en": "Count"},
    "funnel_share": {"vi": "Tỷ lệ so với số tạo", "en": "Share of created"},
    "funnel_created": {"vi": "Đường liên kết đã tạo", "en": "Links created"},
    "funnel_opened": {"vi": "Đã mở", "en": "Opened"},
    "funnel_consented": {"vi": "Đồng ý tham gia", "en": "Agreed to take part"},
    "funnel_completed": {"vi": "Hoàn thành", "en": "Completed"},
    "stopped_title": {
        "vi": "Người chưa hoàn thành dừng ở đâu (kể cả người đang trả lời)",
        "en": "Where those who did not finish stopped (including those still answering)",
    },
    "stopped_question": {"vi": "Câu hỏi cuối cùng được hiển thị", "en": "Last question shown"},
    "stopped_none": {"vi": "Không có ai dừng giữa chừng.", "en": "Nobody stopped part-way."},
    "stop__consent": {"vi": "Lời mời và câu hỏi đồng ý", "en": "The invitation and consent"},
    "stop__comment": {"vi": "Góp ý cuối phiếu", "en": "The closing comment"},
    "stop__complaint_offer": {
        "vi": "Lời mời gửi phản ánh, kiến nghị (sau góp ý)",
        "en": "The offer of a report / petition (after a comment)",
    },
    "stop__complaint": {"vi": "Nội dung phản ánh", "en": "The complaint text"},
}
