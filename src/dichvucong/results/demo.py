"""Idempotent demo data of the results context, called by dichvucong.demo.loader.load_demo.

Result templates of the common demo procedures, worded like the real documents and filled from the e-form of
the demo catalogue (`catalog/data/demo_procedures.json`): the birth certificate (Giấy khai sinh, TT 04/2020/TT-BTP),
the criminal record certificate (Phiếu lý lịch tư pháp số 1/số 2, TT 06/2013/TT-BTP: the title is the variant
the applicant asked for), the business household registration certificate (Giấy chứng nhận đăng ký hộ kinh doanh,
TT 01/2021/TT-BKHĐT) and the copy of a civil status extract (with the e-form's fields). Other procedures use the
default template, titled with the procedure's result.
"""

from dichvucong.catalog.models import Procedure

from .models import ResultTemplate, TemplateLayout

TEMPLATES = {
    "2.000635": dict(
        title="TRÍCH LỤC HỘ TỊCH (BẢN SAO)",
        subtitle="Số hồ sơ: {{ dossier_code }}",
        layout=TemplateLayout.EXTRACT,
        body=(
            "{{ agency_name }} cấp bản sao trích lục hộ tịch theo yêu cầu của:\n"
            "Ông/Bà: {{ applicant_name }} – Số định danh cá nhân: {{ applicant_id_number }}\n"
            "Nơi cư trú: {{ applicant_address }}\n"
            "Nội dung trích lục theo Sổ hộ tịch:"
        ),
    ),
    "1.001193": dict(
        title="GIẤY KHAI SINH",
        subtitle="Số hồ sơ: {{ dossier_code }}",
        layout=TemplateLayout.CERTIFICATE,
        body=(
            "Họ, chữ đệm, tên: {{ form.child_full_name }}\n"
            "Ngày, tháng, năm sinh: {{ form.child_birth_date }}\n"
            "Giới tính: {{ form.child_gender }}\n"
            "Nơi sinh: {{ form.birth_place }}\n"
            "Họ, chữ đệm, tên người mẹ: {{ form.mother_full_name }}\n"
            "Họ, chữ đệm, tên người cha: {{ form.father_full_name }}\n"
            "Nơi đăng ký khai sinh: {{ agency_name }}\n"
            "Ngày, tháng, năm đăng ký: {{ issued_on }}\n"
            "Người đi khai sinh: {{ applicant_name }} – Số định danh cá nhân: {{ applicant_id_number }}\n"
            "Quan hệ với người được khai sinh: {{ form.relationship }}"
        ),
    ),
    "3.000333": dict(
        title="{{ result_name }}",
        subtitle="Số hồ sơ: {{ dossier_code }}",
        layout=TemplateLayout.CERTIFICATE,
        body=(
            "Căn cứ Luật Lý lịch tư pháp ngày 17 tháng 6 năm 2009;\n"
            "Căn cứ Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp của Ông/Bà {{ applicant_name }} "
            "ngày {{ received_on }};\n"
            "{{ agency_name }} xác nhận:\n"
            "1. Họ và tên: {{ form.full_name }}\n"
            "2. Ngày, tháng, năm sinh: {{ form.birth_date }}\n"
            "3. Nơi thường trú: {{ form.permanent_address }}\n"
            "4. Số định danh cá nhân: {{ applicant_id_number }}\n"
            "5. Tình trạng án tích: {{ form.criminal_record_status }}\n"
            "Mục đích sử dụng phiếu: {{ form.purpose }}\n"
            "Số lượng phiếu: {{ form.copies }}"
        ),
    ),
    "1.001612": dict(
        title="GIẤY CHỨNG NHẬN ĐĂNG KÝ HỘ KINH DOANH",
        subtitle="Số: {{ result_number }}",
        layout=TemplateLayout.CERTIFICATE,
        body=(
            "Đăng ký lần đầu, {{ issued_date }}\n"
            "1. Tên hộ kinh doanh: {{ form.business_name }}\n"
            "2. Địa chỉ địa điểm kinh doanh: {{ form.address }}\n"
            "3. Ngành, nghề kinh doanh: {{ form.trade }}\n"
            "4. Vốn kinh doanh: {{ form.capital }} đồng\n"
            "5. Số lượng lao động: {{ form.employees }}\n"
            "6. Chủ hộ kinh doanh: {{ applicant_name }} – Số định danh cá nhân: {{ applicant_id_number }}\n"
            "Nơi thường trú: {{ applicant_address }}"
        ),
    ),
}

#: Bodies of earlier demo versions (e.g. the birth certificate that read fields the e-form does not have): a demo
#: template still carrying one is brought up to date; a template an administrator wrote is left alone.
STALE_BODIES = {
    "1.001193": (
        "Họ, chữ đệm, tên: {{ form.child_name }}\n"
        "Ngày, tháng, năm sinh: {{ form.birth_date }}\n"
        "Giới tính: {{ form.gender }}\n"
        "Người yêu cầu đăng ký: {{ applicant_name }} – Số định danh cá nhân: {{ applicant_id_number }}\n"
        "Nơi đăng ký: {{ agency_name }}"
    ),
}


def load_demo(agencies: dict) -> None:
    for code, fields in TEMPLATES.items():
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is None:
            continue
        stale = STALE_BODIES.get(code)
        if stale and ResultTemplate.objects.filter(procedure=procedure, active=True, body=stale).update(**fields):
            continue
        if not ResultTemplate.objects.filter(procedure=procedure).exists():
            ResultTemplate.objects.create(procedure=procedure, **fields)
