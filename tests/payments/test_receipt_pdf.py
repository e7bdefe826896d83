"""The receipt PDF (biên lai): the agency's name printed whole, broken between word groups (never "HƯNG / YÊN"),
left of the series and number; times as dd/mm/yyyy; read back with `pdftotext -layout`."""

import datetime
import re
import subprocess
import uuid

import pytest
from django.utils import timezone

from dichvucong.payments.models import FeeAssessment, Payment, PaymentStatus
from dichvucong.payments.receipts import receipt_issue, render_receipt_pdf
from tests.factories import AgencyFactory

from .conftest import make_dossier

pytestmark = pytest.mark.django_db

LONG_AGENCY = "Bộ phận Tiếp nhận và Trả kết quả - Sở Lao động - Thương binh và Xã hội tỉnh Hưng Yên"


def layout_lines(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [" ".join(line.split()) for line in text.decode().splitlines()]


def receipt_for(world, agency):
    dossier = make_dossier(procedure=world.procedure, agency=agency, owner=world.owner)
    assessment = FeeAssessment.objects.create(dossier=dossier, total=50_000)
    payment = Payment.objects.create(
        dossier=dossier,
        assessment=assessment,
        agency=agency,
        payer=world.owner,
        amount=50_000,
        status=PaymentStatus.PAID,
        gateway_txn_id=f"NPP{uuid.uuid4().hex[:10]}",
        paid_at=timezone.make_aware(datetime.datetime(2030, 5, 12, 9, 30)),
    )
    return receipt_issue(actor="test", payment=payment)


def test_a_long_agency_name_is_printed_whole_between_word_groups(world):
    receipt = receipt_for(world, AgencyFactory.department(name=LONG_AGENCY))

    lines = layout_lines(render_receipt_pdf(receipt))

    head = lines[:6]
    assert any("TỈNH HƯNG YÊN" in line for line in head), head
    assert not any(line.endswith("HƯNG") or line.startswith("YÊN") for line in lines), head
    assert any(line.startswith("BỘ PHẬN TIẾP NHẬN") for line in head), head
    assert any("THƯƠNG BINH VÀ XÃ HỘI" in line for line in head), head
    assert any(line.endswith(f"Ký hiệu: {receipt.series}") for line in head), head
    assert any(line.endswith(f"Số: {receipt.receipt_no}") for line in head), head


def test_a_short_name_stays_on_one_line_and_the_time_is_dd_mm_yyyy(world):
    receipt = receipt_for(world, world.agency)

    lines = layout_lines(render_receipt_pdf(receipt))

    assert lines[0].startswith("SỞ TƯ PHÁP") and lines[0].endswith(f"Ký hiệu: {receipt.series}")
    assert any("Thời điểm: 12/05/2030 09:30" in line for line in lines)
    assert not any(re.search(r"\d{4}-\d\d-\d\d", line) for line in lines)
