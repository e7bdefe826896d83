"""What the signed result says: titled with the procedure's result (the variant the e-form asks for, e.g. "PHIẾU LÝ
LỊCH TƯ PHÁP SỐ 1", not the catalogue's "số 1 hoặc số 2"), dates as dd/mm/yyyy, the signing leader's name under
the signer's title, a header that keeps "HƯNG YÊN" on one line, stamps with diacritics; the demo templates of the
common procedures (birth registration, criminal record certificate, business household registration) filled from
the demo catalogue's e-forms. Text read with pdftotext (-layout), as people see it."""

import re
import subprocess

import pytest

from dichvucong.catalog.demo import load_data
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services import dossier_accept, dossier_start_processing
from dichvucong.dossiers.submission import dossier_create
from dichvucong.results import demo as results_demo
from dichvucong.results.drafting import result_draft_save
from dichvucong.results.models import ElectronicResult, ResultTemplate
from dichvucong.signing.selectors import officer_certificate_for
from dichvucong.signing.verification import pdf_verify
from dichvucong.workflows.processing import step_perform_action

from .conftest import PDF, upload

pytestmark = pytest.mark.django_db

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def pdf_lines(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    return [" ".join(line.split()) for line in text.decode().splitlines() if line.strip()]


def flat(lines: list[str]) -> str:
    return "\n".join(lines)


def as_demo_procedure(world, code: str) -> dict:
    """Give the world's procedure the demo catalogue's code, e-form and result description of `code`."""
    data = load_data()
    item = next(entry for entry in data["procedures"] if entry["code"] == code)
    procedure = world.procedure
    procedure.code, procedure.result_description = code, item["result"]
    procedure.form_schema = data["forms"][item.get("form", "generic")]
    procedure.save()
    return item


def sign_result(
    world, form_data: dict, *, seal: bool = True, drafted: dict | None = None
) -> tuple[ElectronicResult, bytes]:
    """A dossier with `form_data`, walked to the leader's signature (and the clerk's seal); its result. `drafted`:
    what the specialist enters for the template's fields no data source fills (results.drafting)."""
    attachments = [
        {"upload": str(upload(world.citizen, PDF + f"% {doc.pk}\n".encode()).uuid), "document": doc.pk}
        for doc in world.docs[:2]
    ]
    dossier = dossier_create(
        actor=world.citizen,
        procedure_code=world.procedure.code,
        agency_code=world.agency.code,
        form_data=form_data,
        attachments=attachments,
    ).dossier
    dossier = dossier_accept(actor=world.reception, dossier=dossier)
    dossier = dossier_start_processing(actor=world.reception, dossier=dossier)
    step_perform_action(actor=world.specialist, dossier=dossier, action="forward", data={})
    if drafted:
        result_draft_save(actor=world.specialist, dossier=Dossier.objects.get(pk=dossier.pk), values=drafted)
    step_perform_action(actor=world.head, dossier=dossier, action="approve", data={"assignee": world.leader.username})
    step_perform_action(actor=world.leader, dossier=dossier, action="sign", data={})
    if seal:
        step_perform_action(actor=world.clerk, dossier=dossier, action="deliver", data={})
    result = ElectronicResult.objects.get(dossier=dossier)
    with result.file.open("rb") as handle:
        return result, handle.read()


CRIMINAL_RECORD_FORM = {
    "full_name": "Nguyễn Văn An",
    "birth_date": "1990-05-12",
    "permanent_address": "xã Lạc Đạo, huyện Văn Lâm, tỉnh Hưng Yên",
    "form_type": "Phiếu lý lịch tư pháp số 1",
    "copies": 2,
    "purpose": "Bổ sung hồ sơ xin việc",
}


def test_the_default_template_is_titled_with_the_requested_variant_and_prints_dates_as_people_write_them(world):
    as_demo_procedure(world, "3.000333")

    result, pdf = sign_result(world, CRIMINAL_RECORD_FORM)

    lines = pdf_lines(pdf)
    text = flat(lines)
    assert "PHIẾU LÝ LỊCH TƯ PHÁP SỐ 1" in lines and result.title == "PHIẾU LÝ LỊCH TƯ PHÁP SỐ 1"
    assert "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" not in text
    assert "Kết quả: Phiếu lý lịch tư pháp số 1" in text and "hoặc số 2" not in text
    assert re.search(r"Ngày sinh 12/05/1990", text), text
    assert not ISO_DATE.search(text), ISO_DATE.findall(text)


def test_a_result_without_variants_is_titled_with_the_catalogues_name_of_it(world):
    world.procedure.result_description = "Giấy khai sinh (bản chính); bản sao Giấy khai sinh nếu có yêu cầu"
    world.procedure.save()

    result, pdf = sign_result(world, {"child_name": "Nguyễn Văn Bé", "birth_date": "2021-03-01", "gender": "Nam"})

    text = flat(pdf_lines(pdf))
    assert result.title == "GIẤY KHAI SINH" and "GIẤY KHAI SINH" in text
    assert "Kết quả: Giấy khai sinh" in text and "nếu có yêu cầu" not in text
    assert "01/03/2021" in text and "2021-03-01" not in text


def test_without_a_result_in_the_catalogue_the_generic_title_stays(world):
    result, pdf = sign_result(world, {"child_name": "Nguyễn Văn Bé", "birth_date": "2021-03-01"}, seal=False)

    text = flat(pdf_lines(pdf))
    assert result.title == "KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"
    assert f"Kết quả: {world.procedure.name}" in text


def test_the_signing_leaders_name_is_printed_under_the_title_and_the_stamps_have_diacritics(world):
    world.leader.full_name, world.leader.job_title = "Vũ Đức Thắng", "Phó Giám đốc Sở Tư pháp"
    world.leader.save()

    _, pdf = sign_result(world, {"child_name": "Nguyễn Văn Bé", "birth_date": "2021-03-01"})

    lines = pdf_lines(pdf)
    signature = [line for line in lines if line in ("KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký số)", "Vũ Đức Thắng")]
    assert signature == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "(Đã ký số)", "Vũ Đức Thắng"], lines
    text = flat(lines)
    assert "THỦ TRƯỞNG CƠ QUAN" not in text
    leader_certificate = officer_certificate_for(world.leader).common_name  # issued before the rename above
    assert f"Ký bởi: {leader_certificate}" in text and "Ký bởi: Sở Tư pháp" in text and "Ky boi" not in text
    assert re.search(r"Thời gian: \d\d/\d\d/\d{4} \d\d:\d\d:\d\d", text)
    verification = pdf_verify(pdf)
    assert (verification.valid, verification.intact, verification.trusted) == (True, True, True)
    assert len(verification.signers) == 2


def test_a_leader_without_job_title_signs_as_head_of_the_agency(world):
    _, pdf = sign_result(world, {"child_name": "Nguyễn Văn Bé", "birth_date": "2021-03-01"}, seal=False)

    lines = pdf_lines(pdf)
    title = next(index for index, line in enumerate(lines) if line.endswith("THỦ TRƯỞNG CƠ QUAN"))
    assert world.leader.display_name in lines[title + 1 : title + 3]


def test_the_header_keeps_the_province_on_one_line(world):
    _, pdf = sign_result(world, {"child_name": "Nguyễn Văn Bé", "birth_date": "2021-03-01"}, seal=False)

    lines = pdf_lines(pdf)
    assert lines[0].startswith("UBND TỈNH HƯNG YÊN") and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines[0]
    assert lines[1].startswith("SỞ TƯ PHÁP")
    assert not any(line.endswith("HƯNG") or line.startswith("YÊN") for line in lines)


# --- the demo templates ---------------------------------------------------------------------------------------


def with_demo_template(world, code: str) -> None:
    as_demo_procedure(world, code)
    results_demo.load_demo({})
    assert ResultTemplate.objects.filter(procedure=world.procedure).count() == 1


def test_demo_birth_certificate_reads_like_the_real_one(world):
    with_demo_template(world, "1.001193")

    result, pdf = sign_result(
        world,
        {
            "child_full_name": "Nguyễn Minh Khang",
            "child_birth_date": "2024-05-12",
            "child_gender": "Nam",
            "birth_place": "Bệnh viện Đa khoa tỉnh Hưng Yên",
            "mother_full_name": "Trần Thị Lan",
            "father_full_name": "Nguyễn Văn An",
            "relationship": "Cha",
        },
    )

    text = flat(pdf_lines(pdf))
    assert result.title == "GIẤY KHAI SINH"
    for line in (
        "Họ, chữ đệm, tên: Nguyễn Minh Khang",
        "Ngày, tháng, năm sinh: 12/05/2024",
        "Giới tính: Nam",
        "Nơi sinh: Bệnh viện Đa khoa tỉnh Hưng Yên",
        "Họ, chữ đệm, tên người mẹ: Trần Thị Lan",
        "Họ, chữ đệm, tên người cha: Nguyễn Văn An",
        "Nơi đăng ký khai sinh: Sở Tư pháp",
        "Quan hệ với người được khai sinh: Cha",
    ):
        assert line in text, line
    assert re.search(r"Ngày, tháng, năm đăng ký: \d\d/\d\d/\d{4}", text)
    assert "……" not in text and not ISO_DATE.search(text)


def test_demo_criminal_record_certificate_is_the_requested_form(world):
    with_demo_template(world, "3.000333")

    result, pdf = sign_result(
        world,
        {**CRIMINAL_RECORD_FORM, "form_type": "Phiếu lý lịch tư pháp số 2"},
        drafted={"criminal_record_status": "Không có án tích"},
    )

    text = flat(pdf_lines(pdf))
    assert result.title == "PHIẾU LÝ LỊCH TƯ PHÁP SỐ 2"
    one_line = " ".join(text.split())  # the sentence wraps
    assert re.search(
        r"Căn cứ Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp của Ông/Bà Nguyễn Văn An ngày "
        r"\d\d/\d\d/\d{4};",
        one_line,
    ), one_line
    for line in (
        "Căn cứ Luật Lý lịch tư pháp ngày 17 tháng 6 năm 2009;",
        "1. Họ và tên: Nguyễn Văn An",
        "2. Ngày, tháng, năm sinh: 12/05/1990",
        "5. Tình trạng án tích: Không có án tích",
        "Mục đích sử dụng phiếu: Bổ sung hồ sơ xin việc",
        "Số lượng phiếu: 2",
    ):
        assert line in text, line
    assert "hoặc" not in text and not ISO_DATE.search(text)


def test_demo_business_household_certificate_prints_the_capital_as_an_amount(world):
    with_demo_template(world, "1.001612")

    result, pdf = sign_result(
        world,
        {
            "business_name": "Hộ kinh doanh Tạp hóa An Bình",
            "address": "Thôn Đông, xã Lạc Đạo, huyện Văn Lâm, tỉnh Hưng Yên",
            "trade": "Bán lẻ lương thực, thực phẩm",
            "capital": 150000000,
            "employees": 3,
        },
    )

    text = flat(pdf_lines(pdf))
    assert result.title == "GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH"
    for line in (
        "1. Tên hộ kinh doanh: Hộ kinh doanh Tạp hóa An Bình",
        "4. Vốn kinh doanh: 150.000.000 đồng",
        "5. Số lượng lao động: 3",
        "6. Chủ hộ kinh doanh: Nguyễn Văn An",
    ):
        assert line in text, line
    assert re.search(r"Đăng ký lần đầu, ngày \d\d tháng \d\d năm \d{4}", text)


def test_a_stale_demo_birth_template_is_brought_up_to_date_but_an_edited_one_is_kept(world):
    as_demo_procedure(world, "1.001193")
    stale = ResultTemplate.objects.create(
        procedure=world.procedure,
        title="GIẤY KHAI SINH",
        body=results_demo.STALE_BODIES["1.001193"],
        layout="certificate",
    )
    results_demo.load_demo({})
    stale.refresh_from_db()
    assert stale.body == results_demo.TEMPLATES["1.001193"]["body"]

    stale.body = "Mẫu do quản trị viên sửa: {{ form.child_full_name }}"
    stale.save()
    results_demo.load_demo({})
    stale.refresh_from_db()
    assert stale.body.startswith("Mẫu do quản trị viên sửa")
