"""Words of the staff side of published results: the publish and withdraw buttons."""

from __future__ import annotations

from flows.texts import Phrasebook

WORDS: Phrasebook = {
    "publish_heading": {"vi": "Công bố kết quả", "en": "Publish the results"},
    "publish_help": {
        "vi": "Công bố đưa chỉ số, các yếu tố và số phiếu của kỳ này lên trang công khai "
        "{url} (không có ý kiến, mã hồ sơ hay số điện thoại).",
        "en": "Publishing puts this period's index, factors and response count on the public "
        "page {url} (never a comment, a dossier code or a phone).",
    },
    "publish_button": {"vi": "Công bố kỳ {period}", "en": "Publish {period}"},
    "withdraw_button": {"vi": "Gỡ kỳ {period} khỏi trang công khai", "en": "Withdraw {period}"},
    "results_published": {
        "vi": "Đã công bố kết quả kỳ {period} tại {url}.",
        "en": "Results for {period} published at {url}.",
    },
    "withdrawn": {
        "vi": "Đã gỡ kết quả kỳ {period} khỏi trang công khai.",
        "en": "Results for {period} withdrawn from the public page.",
    },
    "publish_unchanged": {
        "vi": "Không có gì thay đổi: kỳ {period} đã ở trạng thái đó.",
        "en": "Nothing changed: {period} already was in that state.",
    },
    "bad_period": {
        "vi": "Kỳ báo cáo không đúng dạng (ví dụ 2026-12, 2026-Q4, 2026).",
        "en": "The period is not valid (e.g. 2026-12, 2026-Q4, 2026).",
    },
}
