"""Fixtures of the dossier tests: a small catalogue, two agencies with their officers, two citizens, uploads."""

import datetime
import io
import zipfile
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dichvucong.agencies.models import AgencyKind, Tier
from dichvucong.agencies.services import agency_create
from dichvucong.catalog.models import Field, Offering, Procedure, RequiredDocument
from dichvucong.dossiers.submission import dossier_create
from dichvucong.dossiers.uploads import upload_create
from tests.factories import AgencyFactory, CitizenFactory, StaffFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452") + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200

SCHEMA = [
    {"name": "child_name", "label": "Họ tên người được khai sinh", "type": "text", "required": True},
    {"name": "birth_date", "label": "Ngày sinh", "type": "date", "required": True},
    {"name": "gender", "label": "Giới tính", "type": "select", "required": False, "choices": ["Nam", "Nữ"]},
]
FORM = {"child_name": "Nguyễn Văn Bé", "birth_date": "2021-03-01", "gender": "Nam"}


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def make_procedure(code="1.001193", name="Đăng ký khai sinh", days=Decimal(3), level=4, tiers=",province,district,"):
    field, _ = Field.objects.get_or_create(code="HT", defaults={"name": "Hộ tịch"})
    procedure = Procedure.objects.create(code=code, name=name, field=field, tiers=tiers, processing_days=days,
                                         online_level=level, form_schema=SCHEMA)
    RequiredDocument.objects.create(procedure=procedure, order=1, name="Tờ khai đăng ký khai sinh", mandatory=True)
    RequiredDocument.objects.create(procedure=procedure, order=2, name="Giấy chứng sinh", mandatory=True)
    RequiredDocument.objects.create(procedure=procedure, order=3, name="Văn bản ủy quyền", mandatory=False)
    return procedure


def offer(procedure, agency, level=4):
    return Offering.objects.create(procedure=procedure, agency=agency, online_level=level,
                                   valid_from=datetime.date(2000, 1, 1))


def department(code, name):
    # Own codes (the shared factory's running number overflows after many parametrised tests).
    return agency_create(actor="test", code=code, name=name, tier=Tier.PROVINCE, kind=AgencyKind.DEPARTMENT,
                         parent=AgencyFactory.province())


@pytest.fixture
def world(db):
    agency = department("000.00.04.H31", "Sở Tư pháp")
    other = department("000.00.05.H31", "Sở Xây dựng")
    procedure = make_procedure()
    offer(procedure, agency)
    offer(procedure, other)
    counter_only = make_procedure(code="1.000001", name="Chứng thực bản sao", level=2)
    offer(counter_only, agency, level=2)
    docs = list(procedure.required_documents.order_by("order"))
    return SimpleNamespace(
        agency=agency, other=other, procedure=procedure, counter_only=counter_only, docs=docs,
        citizen=CitizenFactory(full_name="Nguyễn Văn An"), citizen2=CitizenFactory(full_name="Trần Thị Bình"),
        reception=StaffFactory(roles=[("reception", agency)]),
        specialist=StaffFactory(roles=[("specialist", agency)]),
        head=StaffFactory(roles=[("division_head", agency)]),
        leader=StaffFactory(roles=[("leader", agency)]),
        clerk=StaffFactory(roles=[("clerk", agency)]),
        other_reception=StaffFactory(roles=[("reception", other)]),
        monitor=StaffFactory(roles=[("monitor", None)]),
    )


def upload(user, name="giay-to.pdf", content=PDF):
    return upload_create(actor=user, file=SimpleUploadedFile(name, content, content_type="application/pdf"))


def submit_online(world, user=None, **kwargs):
    user = user or world.citizen
    params = {"procedure_code": world.procedure.code, "agency_code": world.agency.code, "form_data": FORM,
              "attachments": [{"upload": str(upload(user).uuid), "document": world.docs[0].pk},
                              {"upload": str(upload(user).uuid), "document": world.docs[1].pk}]}
    params.update(kwargs)
    return dossier_create(actor=user, **params).dossier
