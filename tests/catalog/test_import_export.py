import io

import pytest
from openpyxl import load_workbook

from dichvucong.catalog.models import FeeRule, Offering, Procedure, RequiredDocument
from dichvucong.catalog.services import ImportRejected, catalog_export_records, catalog_import
from dichvucong.catalog.transfer import dump_json, dump_xlsx, read_json, read_xlsx
from tests.catalog.conftest import load_records, procedure_record


@pytest.fixture
def catalog(tree):
    exception = {
        "agency": tree["van_giang"].code,
        "tier": "",
        "online_level": 2,
        "is_exception": True,
        "justification": "Chưa số hóa",
        "valid_from": "2021-01-01",
    }
    load_records(
        procedure_record(
            "1.001612",
            "Đăng ký thành lập hộ kinh doanh",
            processing_days="2.5",
            form_schema=[{"name": "capital", "label": "Vốn", "type": "number", "required": True}],
            fees=[
                {
                    "name": "Chứng thực",
                    "kind": "per_page",
                    "amount": 2000,
                    "max_amount": 200000,
                    "notes": "tối đa 200.000",
                }
            ],
            offerings=[
                {
                    "agency": None,
                    "tier": "district",
                    "online_level": 4,
                    "valid_from": "2021-01-01",
                    "valid_to": "2021-12-31",
                },
                exception,
            ],
        ),
        procedure_record(
            "3.000333",
            "Cấp Phiếu lý lịch tư pháp",
            tiers=["province"],
            agencies=[tree["department"].code],
            applicant_types=["citizen", "business"],
        ),
    )
    return tree


def snapshot():
    return (
        list(Procedure.objects.order_by("code").values("code", "name", "processing_days", "online_level")),
        Offering.objects.count(),
        RequiredDocument.objects.count(),
        FeeRule.objects.count(),
    )


def import_file(records, problems=()):
    return catalog_import(actor="test", records=records, problems=list(problems))


def test_json_round_trip_is_lossless(catalog):
    exported = catalog_export_records()
    Procedure.objects.all().delete()
    import_file(*read_json(dump_json(exported)))
    assert catalog_export_records() == exported


def test_excel_round_trip_is_lossless(catalog):
    exported = catalog_export_records()
    Procedure.objects.all().delete()
    import_file(*read_xlsx(dump_xlsx(exported)))
    assert catalog_export_records() == exported


def test_reimporting_the_same_file_keeps_document_ids(catalog):
    ids = list(RequiredDocument.objects.order_by("id").values_list("id", flat=True))
    import_file(*read_json(dump_json(catalog_export_records())))
    assert list(RequiredDocument.objects.order_by("id").values_list("id", flat=True)) == ids


def test_json_import_with_one_bad_row_changes_nothing_and_names_the_row(catalog):
    before = snapshot()
    records = catalog_export_records()
    records[0]["name"] = "Tên đã sửa"
    records.append(procedure_record("NEW.1", "Thủ tục mới"))
    records.append(procedure_record("NEW.2", "Thủ tục lỗi", processing_days="ba ngày"))
    with pytest.raises(ImportRejected) as exc:
        import_file(*read_json(dump_json(records)))
    assert exc.value.fields["rows"] == [
        {"row": "4", "field": "processing_days", "reason": "«ba ngày» không phải số ngày."}
    ]
    assert snapshot() == before


def test_excel_import_reports_every_bad_row_with_its_sheet_row(catalog):
    before = snapshot()
    workbook = load_workbook(io.BytesIO(dump_xlsx(catalog_export_records())))
    workbook["thu_tuc"]["M2"] = 7  # online_level of the first procedure
    workbook["phi_le_phi"].append(["KHONG.CO", "Phí", "fixed", 1000, None, ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRejected) as exc:
        import_file(*read_xlsx(buffer.getvalue()))
    rows = {(row["row"], row["field"]) for row in exc.value.fields["rows"]}
    assert ("thu_tuc!2", "online_level") in rows
    assert ("phi_le_phi!4", "procedure_code") in rows
    assert snapshot() == before


def test_child_row_errors_point_at_the_child_sheet_row(catalog):
    workbook = load_workbook(io.BytesIO(dump_xlsx(catalog_export_records())))
    workbook["co_quan_thuc_hien"]["H2"] = ""  # justification of the Văn Giang exception
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportRejected) as exc:
        import_file(*read_xlsx(buffer.getvalue()))
    assert exc.value.fields["rows"][0]["row"] == "co_quan_thuc_hien!2"


def test_import_with_duplicate_codes_is_rejected(catalog):
    record = procedure_record("X.1", "A")
    with pytest.raises(ImportRejected):
        import_file([("1", record), ("2", record)])


def test_management_commands_export_and_import(catalog, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "catalog.xlsx"
    call_command("catalog_export", str(path))
    Procedure.objects.all().delete()
    out = io.StringIO()
    call_command("catalog_import", str(path), stdout=out)
    assert "2/2" in out.getvalue() and Procedure.objects.count() == 2
