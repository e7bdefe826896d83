"""Idempotent demo data of the results context, called by dichvucong.demo.loader.load_demo.

Result templates for two demo procedures: the extract of civil status records (trích lục hộ tịch, with the
e-form's fields) and the birth registration certificate. Other procedures use the default template.
"""

from dichvucong.catalog.models import Procedure

from .models import ResultTemplate, TemplateLayout

TEMPLATES = {
    "2.000635": dict(
        title="TRÍCH LỤC HỘ TỊCH (BẢN SAO)", subtitle="Số hồ sơ: {{ dossier_code }}", layout=TemplateLayout.EXTRACT,
        body=("{{ agency_name }} cấp bản sao trích lục hộ tịch theo yêu cầu của:\n"
              "Ông/Bà: {{ applicant_name }} – Số định danh cá nhân: {{ applicant_id_number }}\n"
              "Nơi cư trú: {{ applicant_address }}\n"
              "Nội dung trích lục theo Sổ hộ tịch:")),
    "1.001193": dict(
        title="GIẤY KHAI SINH", subtitle="Số hồ sơ: {{ dossier_code }}", layout=TemplateLayout.CERTIFICATE,
        body=("Họ, chữ đệm, tên: {{ form.child_name }}\n"
              "Ngày, tháng, năm sinh: {{ form.birth_date }}\n"
              "Giới tính: {{ form.gender }}\n"
              "Người yêu cầu đăng ký: {{ applicant_name }} – Số định danh cá nhân: {{ applicant_id_number }}\n"
              "Nơi đăng ký: {{ agency_name }}")),
}


def load_demo(agencies: dict) -> None:
    for code, fields in TEMPLATES.items():
        procedure = Procedure.objects.filter(code=code).first()
        if procedure is not None and not ResultTemplate.objects.filter(procedure=procedure).exists():
            ResultTemplate.objects.create(procedure=procedure, **fields)
