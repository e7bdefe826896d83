"""Mẫu 05 (control slip) from the process hand-overs, and Mẫu 06 (tracking book) per agency, PDF and Excel."""

import io
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from dichvucong.workflows.models import Handover

from .conftest import VANLAM, act, client, counter_dossier, district_procedure

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def walked(demo, media):
    """A dossier walked through the Văn Lâm process to the returned result."""
    code = counter_dossier(district_procedure())
    for username, action in [
        ("vanlam.reception", "start_processing"),
        ("vanlam.specialist", "forward"),
        ("vanlam.head", "approve"),
        ("vanlam.leader", "sign"),
        ("vanlam.clerk", "deliver"),
        ("vanlam.reception", "deliver"),
    ]:
        assert act(username, code, action).status_code == 200, (username, action)
    return code


def test_the_control_slip_lists_every_process_hand_over(walked):
    response = client("vanlam.reception").get(f"/api/v1/dossiers/{walked}/forms/control-slip.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ" in text
    handovers = list(Handover.objects.filter(dossier__code=walked).select_related("from_user", "to_user"))
    assert len(handovers) == 5
    # Every giver and receiver of the process hand-overs (the specialist, head, leader and clerk) is on the slip,
    # with the step results; the first row is the reception from the applicant, the last the return to them.
    for name in ("Trần Văn Hùng", "Hoàng Thị Nga", "Bùi Văn Long", "Đặng Thị Yến", "Nguyễn Thị Mai"):
        assert name in text, name
    assert "Nguyễn Văn An" in text
    assert "Văn thư đóng dấu" in text  # the step the clerk received the dossier at
    assert "Đúng hạn" in text or "Trước hạn" in text
    rows = re.findall(r"(?:^| )(\d) Ủy ban nhân dân huyện Văn Lâm", text)
    assert rows == ["1", "2", "3", "4", "5", "6", "7"], rows  # reception + 5 hand-overs + return


def test_the_control_slip_of_another_agency_is_not_found(walked):
    assert client("vangiang.reception").get(f"/api/v1/dossiers/{walked}/forms/control-slip.pdf").status_code == 404


def test_the_tracking_book_of_an_agency_as_pdf_and_excel(walked, django_assert_max_num_queries):
    second = counter_dossier(district_procedure())
    officer = client("vanlam.reception")
    with django_assert_max_num_queries(12):
        response = officer.get(f"/api/v1/agencies/{VANLAM}/tracking-book.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "SỔ THEO DÕI HỒ SƠ" in text
    assert walked.replace(" ", "") in text.replace(" ", "") and second.replace(" ", "") in text.replace(" ", "")

    response = officer.get(f"/api/v1/agencies/{VANLAM}/tracking-book.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert walked in cells and second in cells
    assert "Nguyễn Văn An" in cells


def test_the_tracking_book_period_filters_and_bad_input(walked):
    officer = client("vanlam.leader")
    empty = officer.get(f"/api/v1/agencies/{VANLAM}/tracking-book.xlsx", {"from": "2020-01-01", "to": "2020-01-31"})
    cells = [str(c.value) for row in load_workbook(io.BytesIO(empty.content)).active.iter_rows() for c in row]
    assert walked not in cells
    bad = officer.get(f"/api/v1/agencies/{VANLAM}/tracking-book.pdf", {"from": "01/02/2021"})
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_date")
    reversed_period = officer.get(
        f"/api/v1/agencies/{VANLAM}/tracking-book.pdf", {"from": "2021-03-01", "to": "2021-02-01"}
    )
    assert (reversed_period.status_code, reversed_period.json()["code"]) == (400, "invalid_period")
    assert officer.get(f"/api/v1/agencies/{VANLAM}/tracking-book.csv").status_code == 404
    assert officer.get("/api/v1/agencies/999.99.99.H99/tracking-book.pdf").status_code == 404


def test_the_tracking_book_is_refused_to_other_agencies_and_citizens(walked):
    for username in ("vangiang.reception", "sotp.leader", "citizen"):
        response = client(username).get(f"/api/v1/agencies/{VANLAM}/tracking-book.pdf")
        assert (response.status_code, response.json()["code"]) == (403, "permission_denied"), username
    assert client("sotttt.monitor").get(f"/api/v1/agencies/{VANLAM}/tracking-book.pdf").status_code == 200
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/v1/agencies/{VANLAM}/tracking-book.pdf").status_code in (401, 403)


def test_the_agency_dossier_page_links_the_tracking_book(demo):
    from django.test import Client

    from dichvucong.accounts.models import User

    browser = Client()
    browser.force_login(User.objects.get(username="vanlam.reception"))
    page = browser.get("/mot-cua/ho-so/").content.decode()
    assert f"/api/v1/agencies/{VANLAM}/tracking-book.pdf" in page
    assert f"/api/v1/agencies/{VANLAM}/tracking-book.xlsx" in page
