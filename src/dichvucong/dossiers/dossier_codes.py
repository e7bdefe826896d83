"""Dossier codes (mã hồ sơ), Circular 01/2018/TT-VPCP art. 19.

`<receiving agency code (QCVN 102)>-<YYMMDD of receipt>-<4-digit sequence of the day>`, e.g.
`000.00.04.H31-210315-0001`. The sequence is one row per (agency, day), incremented by a single
`UPDATE ... SET last = last + 1` inside the caller's transaction: the row lock serialises concurrent callers on
PostgreSQL, and SQLite runs write transactions one at a time (`transaction_mode = IMMEDIATE`). A rolled-back
submission rolls its number back too, so the book has no gaps.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from dichvucong.agencies.models import Agency

from .models import DossierCodeSequence


def format_dossier_code(agency_code: str, day: datetime.date, sequence: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{sequence:04d}"


def book_entry(code: str | None) -> str:
    """Where the dossier stands in the tracking book (Sổ theo dõi hồ sơ, Mẫu 06), as printed on its receipt
    (Mẫu 01 "Vào Sổ theo dõi hồ sơ, Quyển số ... Số thứ tự ..."): the book of its receiving day (YYMMDD) and its
    number in that day, both read from the code (art. 19: the daily sequence has no gaps, see `next_dossier_code`).
    Empty when the code is not one of ours (the form then prints dots to fill in by hand)."""
    parts = (code or "").rsplit("-", 2)
    if len(parts) != 3 or not (parts[1].isdigit() and len(parts[1]) == 6 and parts[2].isdigit()):
        return ""
    return f"Quyển số: {parts[1]}, Số thứ tự: {parts[2]}"


def _increment(agency: Agency, day: datetime.date) -> bool:
    return DossierCodeSequence.objects.filter(agency=agency, day=day).update(last=F("last") + 1) == 1


@transaction.atomic
def next_dossier_code(*, agency: Agency, day: datetime.date) -> str:
    """Reserve the next number of `day` at `agency` and return the full code (unique under concurrency)."""
    if not _increment(agency, day):
        try:
            with transaction.atomic():  # savepoint: a concurrent first insert of the day loses the race cleanly
                DossierCodeSequence.objects.create(agency=agency, day=day, last=1)
        except IntegrityError:
            _increment(agency, day)
    last = DossierCodeSequence.objects.filter(agency=agency, day=day).values_list("last", flat=True).get()
    return format_dossier_code(agency.code, day, last)
