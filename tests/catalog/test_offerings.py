import datetime

import pytest

from dichvucong.catalog.models import Procedure
from dichvucong.catalog.selectors import offering_exceptions, offering_for, procedures_offered_by
from dichvucong.catalog.services import ImportRejected
from tests.catalog.conftest import load_records, procedure_record

EXCEPTION = {
    "agency": None,
    "tier": "",
    "online_level": 2,
    "is_exception": True,
    "justification": "Chưa số hóa hồ sơ địa chính",
    "valid_from": "2021-01-01",
}


@pytest.fixture
def catalog(tree):
    exception = {**EXCEPTION, "agency": tree["van_giang"].code}
    load_records(
        procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh"),
        procedure_record(
            "1.013978",
            "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
            level=3,
            offerings=[{"agency": None, "tier": "district", "online_level": 3, "valid_from": "2021-01-01"}, exception],
        ),
        procedure_record("1.001193", "Đăng ký khai sinh", tiers=["commune"]),
        procedure_record(
            "3.000333", "Cấp Phiếu lý lịch tư pháp", tiers=["province"], agencies=[tree["department"].code]
        ),
    )
    return tree


def listing(agency):
    return {(p.code, p.offered_level) for p in procedures_offered_by(agency)}


def test_two_districts_list_identical_tier_procedures(catalog):
    van_lam = {code for code, _ in listing(catalog["van_lam"])}
    van_giang = {code for code, _ in listing(catalog["van_giang"])}
    assert van_lam == van_giang == {"1.001612", "1.013978"}


def test_a_new_district_offers_the_tier_set_without_any_new_record(catalog):
    from tests.factories import AgencyFactory

    new_district = AgencyFactory.district(name="Ủy ban nhân dân huyện Yên Mỹ", parent=catalog["province"])
    assert listing(new_district) == listing(catalog["van_lam"])


def test_an_exception_shows_its_level_in_the_list_and_in_the_exceptions_report(catalog):
    assert ("1.013978", 3) in listing(catalog["van_lam"])
    assert ("1.013978", 2) in listing(catalog["van_giang"])
    rows = list(offering_exceptions())
    assert [(o.agency.code, o.procedure.code, o.justification) for o in rows] == [
        (catalog["van_giang"].code, "1.013978", "Chưa số hóa hồ sơ địa chính")
    ]


def test_offering_for_honours_templates_exceptions_and_tiers(catalog):
    land = Procedure.objects.get(code="1.013978")
    assert offering_for(procedure=land, agency=catalog["van_lam"]).is_template
    assert offering_for(procedure=land, agency=catalog["van_giang"]).online_level == 2
    assert offering_for(procedure=land, agency=catalog["lac_dao"]) is None
    record = Procedure.objects.get(code="3.000333")
    assert offering_for(procedure=record, agency=catalog["department"]).online_level == 4
    assert offering_for(procedure=record, agency=catalog["van_lam"]) is None


def test_offering_for_before_the_procedure_existed_is_none(catalog):
    birth = Procedure.objects.get(code="1.001193")
    assert offering_for(procedure=birth, agency=catalog["lac_dao"], on=datetime.date(2020, 6, 1)) is None


def test_a_unit_that_does_not_carry_out_a_procedure_must_be_an_explicit_exception(catalog):
    excluded = {**EXCEPTION, "agency": catalog["xuan_quan"].code, "offered": False, "online_level": 1}
    load_records(
        procedure_record(
            "1.001193",
            "Đăng ký khai sinh",
            tiers=["commune"],
            offerings=[{"agency": None, "tier": "commune", "online_level": 4, "valid_from": "2021-01-01"}, excluded],
        )
    )
    assert "1.001193" in {code for code, _ in listing(catalog["lac_dao"])}
    assert "1.001193" not in {code for code, _ in listing(catalog["xuan_quan"])}


def test_a_district_row_without_exception_flag_is_refused(catalog):
    plain_row = {"agency": catalog["van_lam"].code, "tier": "", "online_level": 4, "valid_from": "2021-01-01"}
    with pytest.raises(ImportRejected) as exc:
        load_records(procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", offerings=[plain_row]))
    assert "mẫu dùng chung" in exc.value.fields["rows"][0]["reason"]


def test_an_exception_without_justification_is_refused(catalog):
    row = {**EXCEPTION, "agency": catalog["van_lam"].code, "justification": ""}
    with pytest.raises(ImportRejected) as exc:
        load_records(procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", offerings=[row]))
    assert exc.value.fields["rows"][0]["field"] == "offerings[1].justification"
