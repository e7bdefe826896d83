"""Idempotent demo data of the workdays context, called by dichvucong.demo.loader.load_demo.

Two real decisions, entered as an administrator would. Both agree with what `holidays.VN` already knows, so they
document the legal basis without changing any deadline:

- Official Dispatch 2450/VPCP-KGVX (Government Office, 2024): Monday 29/4/2024 off, Saturday 4/5/2024 worked.
- Announcement 6150/TB-BLĐTBXH (Ministry of Labour, 2024): Tết Ất Tỵ for civil servants from Saturday 25/1 to
  Sunday 2/2/2025 (9 days). The 5 statutory days include Saturday 1/2 (mùng 4), compensated by Monday 27/1; no
  make-up Saturday was set (a swap with Saturday 15/2/2025 was discussed in the proposals but is not in the
  announcement as encoded by `holidays` 0.109 — verify against the original text before relying on it).
"""

import datetime

from .models import CalendarDecision, DayKind
from .services import calendar_decision_create

DEMO_ACTOR = "demo-loader"

DECISIONS = [
    {
        "number": "2450/VPCP-KGVX",
        "issuer": "Văn phòng Chính phủ",
        "title": "Hoán đổi ngày làm việc dịp nghỉ lễ Ngày Chiến thắng 30/4 và Ngày Quốc tế Lao động 1/5 năm 2024",
        "days": [
            {
                "date": datetime.date(2024, 4, 29),
                "kind": DayKind.DAY_OFF,
                "note": "Nghỉ hoán đổi (làm bù thứ Bảy 04/05/2024)",
            },
            {
                "date": datetime.date(2024, 5, 4),
                "kind": DayKind.WORKING_DAY,
                "note": "Làm việc bù cho thứ Hai 29/04/2024",
            },
        ],
    },
    {
        "number": "6150/TB-BLĐTBXH",
        "issuer": "Bộ Lao động - Thương binh và Xã hội",
        "title": "Lịch nghỉ Tết Âm lịch Ất Tỵ năm 2025 của cán bộ, công chức, viên chức (25/01 - 02/02/2025)",
        "days": [
            {
                "date": datetime.date(2025, 1, 27),
                "kind": DayKind.DAY_OFF,
                "note": "Nghỉ bù cho mùng 4 Tết trùng thứ Bảy 01/02/2025",
            },
        ],
    },
]


def load_demo(agencies: dict) -> None:
    for decision in DECISIONS:
        if not CalendarDecision.objects.filter(number=decision["number"]).exists():
            calendar_decision_create(actor=DEMO_ACTOR, **decision)
