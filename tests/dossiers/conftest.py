"""Fixtures of the dossier tests: a small catalogue, two agencies with their officers, two citizens, uploads."""

from types import SimpleNamespace

import pytest

from tests.dossiers.factories import (  # noqa: F401 (the tests import these from here)
    ELF,
    FORM,
    PDF,
    PE,
    PNG,
    SCHEMA,
    department,
    docx_bytes,
    make_procedure,
    offer,
    submit_online,
    upload,
)
from tests.factories import CitizenFactory, StaffFactory


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


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
        agency=agency,
        other=other,
        procedure=procedure,
        counter_only=counter_only,
        docs=docs,
        citizen=CitizenFactory(full_name="Nguyễn Văn An"),
        citizen2=CitizenFactory(full_name="Trần Thị Bình"),
        reception=StaffFactory(roles=[("reception", agency)]),
        specialist=StaffFactory(roles=[("specialist", agency)]),
        head=StaffFactory(roles=[("division_head", agency)]),
        leader=StaffFactory(roles=[("leader", agency)]),
        clerk=StaffFactory(roles=[("clerk", agency)]),
        other_reception=StaffFactory(roles=[("reception", other)]),
        monitor=StaffFactory(roles=[("monitor", None)]),
    )
