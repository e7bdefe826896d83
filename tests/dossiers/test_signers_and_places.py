"""Signers and places (issue 11, item 5): Mẫu 04 is issued in the name of the agency's head, signed by its leader
(or a deputy "KT."), not by the officer who clicked; a commune's documents are dated at the commune's place name
(Decree 30/2020/NĐ-CP, Appendix I: the địa danh of a commune-level body is the commune's name)."""

import io
from types import SimpleNamespace

import pytest
from django.utils import timezone
from pypdf import PdfReader

from dichvucong.agencies.models import Tier
from dichvucong.dossiers import pdf_forms, services
from dichvucong.pdf.layout import place_name
from dichvucong.workdays.calendar import add_working_days
from tests.accounts.factories import StaffFactory
from tests.agencies.factories import AgencyFactory
from tests.catalog.factories import ProcedureFactory
from tests.conftest import auth_client
from tests.dossiers.factories import DossierFactory

pytestmark = pytest.mark.django_db


def _text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _apologize(dossier, actor):
    return services.dossier_apologize(
        actor=actor,
        dossier=dossier,
        reason="Cần xác minh thêm",
        new_due_date=add_working_days(timezone.localdate(), 30),
    )


def test_the_apology_is_signed_by_the_agencys_head_not_the_desk_officer():
    agency = AgencyFactory.department(name="Sở Tư pháp")
    desk = StaffFactory(roles=[("reception", agency)], full_name="Lê Thị Quầy")
    deputy = StaffFactory(roles=[("leader", agency)], full_name="Phạm Văn Phó", job_title="Phó Giám đốc Sở Tư pháp")
    head = StaffFactory(roles=[("leader", agency)], full_name="Trần Văn Trưởng", job_title="Giám đốc Sở Tư pháp")
    dossier = DossierFactory(agency=agency, procedure=ProcedureFactory(agencies=[agency.code]), accepted=True)

    dossier = _apologize(dossier, desk)

    assert (dossier.apology.issued_by, dossier.apology.signed_by) == (desk, head)
    pdf = auth_client(desk).get(f"/api/v1/dossiers/{dossier.code}/forms/apology.pdf")
    assert pdf.status_code == 200
    text = _text(pdf.content)
    assert "Trần Văn Trưởng" in text and "GIÁM ĐỐC" in text
    assert "Lê Thị Quầy" not in text
    assert deputy != head


def test_a_deputy_leader_who_issues_it_signs_on_behalf_of_the_head():
    agency = AgencyFactory.department(name="Sở Tư pháp")
    StaffFactory(roles=[("leader", agency)], full_name="Trần Văn Trưởng", job_title="Giám đốc Sở Tư pháp")
    deputy = StaffFactory(roles=[("leader", agency)], full_name="Phạm Văn Phó", job_title="Phó Giám đốc Sở Tư pháp")
    dossier = DossierFactory(agency=agency, procedure=ProcedureFactory(agencies=[agency.code]), accepted=True)

    dossier = _apologize(dossier, deputy)

    assert dossier.apology.signed_by == deputy
    text = _text(auth_client(deputy).get(f"/api/v1/dossiers/{dossier.code}/forms/apology.pdf").content)
    assert "KT. GIÁM ĐỐC" in text and "Phạm Văn Phó" in text


@pytest.mark.parametrize(
    ("tier", "name", "short_name", "place"),
    [
        (Tier.COMMUNE, "Ủy ban nhân dân xã Lạc Đạo", "Lạc Đạo", "Lạc Đạo"),
        (Tier.COMMUNE, "Ủy ban nhân dân phường Hiến Nam", "", "Hiến Nam"),
        (Tier.COMMUNE, "UBND thị trấn Như Quỳnh", "", "Như Quỳnh"),
        (Tier.DISTRICT, "Ủy ban nhân dân huyện Văn Lâm", "", "Văn Lâm"),
        (Tier.PROVINCE, "Sở Tư pháp tỉnh Hưng Yên", "Sở Tư pháp", "Hưng Yên"),
    ],
)
def test_the_place_name_of_a_document(tier, name, short_name, place):
    agency = SimpleNamespace(tier=tier, name=name, short_name=short_name)
    assert place_name(agency, "Hưng Yên") == place


def test_a_communes_forms_are_dated_at_the_commune(settings):
    district = AgencyFactory.district(name="Ủy ban nhân dân huyện Văn Lâm")
    commune = AgencyFactory.commune(district=district, name="Ủy ban nhân dân xã Lạc Đạo")
    procedure = ProcedureFactory(tiers=("commune",))  # offered by every commune (tier template)
    dossier = DossierFactory(agency=commune, procedure=procedure, accepted=True)
    assert pdf_forms._common(dossier)["place"] == "Lạc Đạo"
    text = _text(pdf_forms.render_dossier_form(dossier, "receipt"))
    assert "Lạc Đạo, ngày" in text and "Hưng Yên, ngày" not in text
