"""A report in the pinned JSON shape, for the renderers' tests (the builder has its own).

The numbers follow sipas.md's worked example where it gives one (criterion 3.1 answered
5, 4, 3, 2 → 50.0 %, mean 3.50); names carry diacritics and one starts like a formula, so
the exports are checked for both.
"""

from __future__ import annotations

from typing import Any

CRITERIA = [
    ("1.1", "F1", "Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi"),
    ("2.4", "F2", "Phí/lệ phí mà Ông/Bà phải nộp là đúng quy định"),
    ("3.1", "F3", "Công chức có thái độ giao tiếp lịch sự"),
]


def sample_report() -> dict[str, Any]:
    return {
        "unit": {"code": "XA-HOATHANH", "name": "UBND xã Hòa Thạnh"},
        "period": {"label": "2026-Q4", "from": "2026-10-01", "to": "2026-12-31"},
        "generated_at": "2027-01-02T08:00:00+07:00",
        "flow": {"id": "mau01", "title": "Mẫu 01", "version": 1},
        "responses": {
            "counted": 4,
            "excluded": 2,
            "by_flag": {"too_fast": 1, "staff_chat": 1},
            "by_source": {"web": 2, "telegram": 1, "zalo_bot": 0, "zalo_oa": 0, "paper": 1},
        },
        "sufficient": True,
        "sipas": {"value": 76.0, "low": 61.3, "high": 87.2},
        "factors": [
            {
                "id": "F1",
                "name": "Tiếp cận dịch vụ",
                "value": 75.0,
                "low": 30.1,
                "high": 95.4,
                "mean": 3.75,
                "n": 4,
            },
            {
                "id": "F3",
                "name": "Công chức trực tiếp giải quyết công việc",
                "value": 50.0,
                "low": 15.0,
                "high": 85.0,
                "mean": 3.5,
                "n": 4,
            },
        ],
        "criteria": [
            {
                "id": "1.1",
                "factor": "F1",
                "text": CRITERIA[0][2],
                "value": 75.0,
                "low": 30.1,
                "high": 95.4,
                "mean": 3.75,
                "n": 4,
                "levels": {"1": 0, "2": 0, "3": 1, "4": 3, "5": 0},
                "not_applicable": 0,
            },
            {
                "id": "2.4",
                "factor": "F2",
                "text": CRITERIA[1][2],
                "value": None,
                "low": None,
                "high": None,
                "mean": None,
                "n": 0,
                "levels": {"1": 0, "2": 0, "3": 0, "4": 0, "5": 0},
                "not_applicable": 4,
            },
            {
                "id": "3.1",
                "factor": "F3",
                "text": CRITERIA[2][2],
                "value": 50.0,
                "low": 15.0,
                "high": 85.0,
                "mean": 3.5,
                "n": 4,
                "levels": {"1": 0, "2": 1, "3": 1, "4": 1, "5": 1},
                "not_applicable": 0,
            },
        ],
        "children": [
            {
                "unit": {"code": "TO-1", "name": '=HYPERLINK("http://evil")'},
                "responses": {"counted": 3, "excluded": 0},
                "sufficient": False,
                "sipas": {"value": 70.0, "low": 41.0, "high": 90.0},
            },
            {
                "unit": {"code": "TO-2", "name": "Tổ một cửa số 2"},
                "responses": {"counted": 120, "excluded": 1},
                "sufficient": True,
                "sipas": {"value": 81.5, "low": 77.0, "high": 86.0},
            },
        ],
        "recheck": {
            "drawn": 3,
            "confirmed": 2,
            "denied": 0,
            "unreachable": 1,
            "confirmed_share": 100.0,
        },
        "funnel": {
            "created": 9,
            "opened": 7,
            "consented": 6,
            "completed": 4,
            "stopped_at": [{"question": "2.1", "count": 1}],
        },
        "trend": [
            {
                "period": {"label": "2026-Q2", "from": "2026-04-01", "to": "2026-06-30"},
                "sipas": {"value": None, "low": None, "high": None},
                "n": 0,
                "change": None,
            },
            {
                "period": {"label": "2026-Q3", "from": "2026-07-01", "to": "2026-09-30"},
                "sipas": {"value": 60.0, "low": 50.0, "high": 70.0},
                "n": 30,
                "change": None,
            },
            {
                "period": {"label": "2026-Q4", "from": "2026-10-01", "to": "2026-12-31"},
                "sipas": {"value": 76.0, "low": 71.0, "high": 81.0},
                "n": 4,
                "change": "rise",
            },
        ],
    }
