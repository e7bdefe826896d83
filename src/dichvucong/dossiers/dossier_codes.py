"""Dossier codes (mã hồ sơ), Circular 01/2018/TT-VPCP art. 19.

`<receiving agency code (QCVN 102)>-<YYMMDD of receipt>-<4-digit sequence of the day>`, e.g.
`000.00.04.H31-210315-0001`. The sequence is the gap-free series `dossier-code/<agency id>/<YYYY-MM-DD>` of
`common.sequences`, taken inside the caller's transaction: a rolled-back submission rolls its number back too, so
the book has no gaps (the locking is described there).
"""

import datetime

from django.db import transaction

from dichvucong.agencies.models import Agency
from dichvucong.common.sequences import next_value


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


def sequence_key(agency_id: int, day: datetime.date) -> str:
    """The series of `day` at the receiving agency (one per agency and day, art. 19)."""
    return f"dossier-code/{agency_id}/{day:%Y-%m-%d}"


@transaction.atomic(savepoint=False)  # inside the submission's transaction: no savepoint (one statement)
def next_dossier_code(*, agency: Agency, day: datetime.date) -> str:
    """Reserve the next number of `day` at `agency` and return the full code (unique under concurrency)."""
    return format_dossier_code(agency.code, day, next_value(sequence_key(agency.pk, day)))
