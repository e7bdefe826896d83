"""Mẫu 01 "Thành phần hồ sơ": the files of an online dossier are counted as the catalogue asks (the tờ khai is an
original: Bản chính 1 / Bản sao 0; it was printed as 0 / 1), each required document once; paper documents checked
at the counter keep the counts recorded."""

import subprocess

import pytest

from dichvucong.dossiers import services
from dichvucong.dossiers.pdf_forms import render_dossier_form
from dichvucong.dossiers.submission import record_received_documents

from .conftest import submit_online, upload

pytestmark = pytest.mark.django_db


def document_rows(dossier) -> dict[str, tuple[str, str]]:
    """{document name: (originals, copies)} from the first copy of the receipt, read with pdftotext -layout."""
    pdf = render_dossier_form(dossier, "receipt")
    text = subprocess.run(
        ["pdftotext", "-layout", "-l", "1", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    rows = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) >= 4 and parts[0].isdigit() and parts[-1].isdigit() and parts[-2].isdigit():
            rows[" ".join(parts[1:-2])] = (parts[-2], parts[-1])
    return rows


def test_online_files_are_counted_as_the_catalogue_says(world):
    birth_certificate = world.docs[1]
    birth_certificate.originals, birth_certificate.copies = 0, 2
    birth_certificate.save()
    dossier = submit_online(
        world,
        attachments=[
            {"upload": str(upload(world.citizen).uuid), "document": world.docs[0].pk},
            {"upload": str(upload(world.citizen, name="trang-1.pdf").uuid), "document": birth_certificate.pk},
            {"upload": str(upload(world.citizen, name="trang-2.pdf").uuid), "document": birth_certificate.pk},
        ],
    )
    dossier = services.dossier_accept(actor=world.reception, dossier=dossier)

    rows = document_rows(dossier)

    assert (world.docs[0].originals, world.docs[0].copies) == (1, 0)  # the catalogue's default for a tờ khai
    assert rows == {"Tờ khai đăng ký khai sinh": ("1", "0"), "Giấy chứng sinh": ("0", "2")}


def test_a_paper_document_checked_at_the_counter_keeps_its_counts_and_is_not_listed_twice(world):
    dossier = submit_online(world)  # files of the tờ khai and of the Giấy chứng sinh
    record_received_documents(dossier=dossier, items=[{"document": world.docs[1].pk, "originals": 1, "copies": 1}])
    dossier = services.dossier_accept(actor=world.reception, dossier=dossier)

    rows = document_rows(dossier)

    assert rows == {"Giấy chứng sinh": ("1", "1"), "Tờ khai đăng ký khai sinh": ("1", "0")}
