"""The electronic result through the workflow: the leader's `sign` generates and signs it (PAdES), the clerk's
`deliver` adds the agency seal as a second signature and issues it; both verify against the province's TEST CA."""

import hashlib

import pytest
from pypdf import PdfReader

from dichvucong.audit.models import AuditEntry
from dichvucong.common.errors import ConflictError
from dichvucong.common.models import Sequence
from dichvucong.dossiers.models import Dossier
from dichvucong.results.models import ElectronicResult, ResultTemplate
from dichvucong.signing.selectors import agency_seal_certificate_for, officer_certificate_for
from dichvucong.signing.verification import pdf_verify
from dichvucong.workflows.models import WorkItem
from dichvucong.workflows.processing import open_run, step_perform_action

from .conftest import at_leader_step, issued, signed

pytestmark = pytest.mark.django_db


def _bytes(result: ElectronicResult) -> bytes:
    with result.file.open("rb") as handle:
        return handle.read()


def _text(pdf: bytes) -> str:
    import io

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_leaders_sign_generates_the_result_and_signs_it_validly(world):
    dossier = signed(world)

    result = ElectronicResult.objects.get(dossier=dossier)
    pdf = _bytes(result)
    verification = pdf_verify(pdf)
    assert (verification.valid, verification.intact, verification.trusted) == (True, True, True)
    [signature] = verification.signers
    assert signature.serial == officer_certificate_for(world.leader).serial
    assert (result.status, result.seal_required) == ("signed_by_leader", True)
    assert result.sha256 == hashlib.sha256(pdf).hexdigest()
    assert result.number.endswith("/KQ") and result.number.startswith("0001/")
    assert [s["kind"] for s in result.signatures] == ["leader"]
    text = _text(pdf)
    assert dossier.code in text and "Nguyễn Văn Bé" in text  # the dossier code and the e-form's data
    assert f"/tra-cuu/?code={dossier.code}" in text.replace("\n", "")
    assert open_run(dossier).current_step.role == "clerk"


def test_the_clerk_adds_the_agency_seal_as_a_second_valid_signature_and_issues(world):
    dossier = issued(world)

    result = ElectronicResult.objects.get(dossier=dossier)
    verification = pdf_verify(_bytes(result))
    assert (verification.valid, verification.intact, verification.trusted) == (True, True, True)
    assert [s.serial for s in verification.signers] == [
        officer_certificate_for(world.leader).serial,
        agency_seal_certificate_for(world.agency).serial,
    ]
    assert all(s.valid and s.intact and s.trusted for s in verification.signers)
    assert result.status == "issued" and result.issued_at is not None
    assert [s["kind"] for s in result.signatures] == ["leader", "seal"]
    assert Dossier.objects.get(pk=dossier.pk).status == "processed"
    assert list(
        AuditEntry.objects.filter(action__startswith="electronic_result.")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["electronic_result.sign", "electronic_result.seal", "electronic_result.issue"]


def test_a_leader_without_certificate_gets_the_clear_error_and_nothing_is_written(world):
    dossier = at_leader_step(world, leader=world.leader2)
    item_before = WorkItem.objects.get(run__dossier=dossier, completed_at__isnull=True)

    with pytest.raises(ConflictError) as error:
        step_perform_action(actor=world.leader2, dossier=dossier, action="sign", data={})

    assert error.value.code == "no_signing_certificate"
    assert "chưa có chứng thư số" in error.value.detail
    assert not ElectronicResult.objects.exists()
    assert not Sequence.objects.filter(key__startswith="result-number/", value__gt=0).exists()
    item = WorkItem.objects.get(pk=item_before.pk)
    assert item.completed_at is None and item.step.role == "leader"  # the step action rolled back too


def test_the_procedures_template_is_used_with_its_placeholders(world):
    ResultTemplate.objects.create(
        procedure=world.procedure,
        title="Giấy chứng nhận khai sinh",
        body="Họ tên: {{ form.child_name }}\nNgười yêu cầu: {{ applicant_name }}\nKhông có: {{ unknown }}",
        layout="certificate",
    )
    dossier = signed(world)

    text = _text(_bytes(ElectronicResult.objects.get(dossier=dossier)))
    assert "GIẤY CHỨNG NHẬN KHAI SINH" in text
    assert "Họ tên: Nguyễn Văn Bé" in text and "Người yêu cầu: Nguyễn Văn An" in text
    assert "{{" not in text and "Không có: ……" in text


def test_results_are_numbered_per_agency_and_year(world):
    first, second = signed(world), signed(world, world.citizen2)

    numbers = [ElectronicResult.objects.get(dossier=d).number for d in (first, second)]
    assert [n.split("/")[0] for n in numbers] == ["0001", "0002"]


def test_signing_again_after_a_return_regenerates_under_the_same_number(world):
    dossier = signed(world)
    first = ElectronicResult.objects.get(dossier=dossier)
    from dichvucong.results.services import result_sign_by_leader

    # e.g. a process whose clerk may return the dossier to the leader: the hook calls the service again

    again = result_sign_by_leader(actor=world.leader, dossier=dossier, agency=world.agency, seal_required=True)
    assert again.pk == first.pk and again.number == first.number and again.sha256 != first.sha256
    assert pdf_verify(_bytes(again)).valid


def test_a_dossier_without_full_online_offering_gets_no_electronic_result(world, settings):
    settings.RESULTS_ELECTRONIC_SCOPE = "none"
    dossier = issued(world)

    assert not ElectronicResult.objects.filter(dossier=dossier).exists()
    assert Dossier.objects.get(pk=dossier.pk).status == "processed"


def test_an_issued_result_cannot_be_signed_again(world):
    dossier = issued(world)
    from dichvucong.results.services import result_sign_by_leader

    with pytest.raises(ConflictError) as error:
        result_sign_by_leader(actor=world.leader, dossier=dossier, agency=world.agency, seal_required=True)
    assert error.value.code == "result_already_issued"
