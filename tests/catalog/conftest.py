import pytest

from dichvucong.catalog.services import catalog_import
from tests.factories import AgencyFactory


def procedure_record(code: str, name: str, *, tiers=("district",), level: int = 4, field: str = "ho-tich",
                     agencies=(), valid_from: str = "2021-01-01", **extra) -> dict:
    """A valid procedure record (docs/catalog-format.md); tier templates unless `agencies` are given."""
    offerings = ([{"agency": code_, "tier": "", "online_level": level} for code_ in agencies] if agencies
                 else [{"agency": None, "tier": tier, "online_level": level} for tier in tiers])
    record = {
        "code": code, "name": name, "field_code": field, "field_name": "Hộ tịch", "tiers": list(tiers),
        "applicant_types": ["citizen"], "description": "Bước 1", "processing_days": "3", "processing_note": "",
        "legal_basis": "Luật Hộ tịch 2014", "result_description": "Giấy tờ", "conditions": "",
        "online_level": level, "online_mode": None, "form_schema": [], "source_url": "", "valid_from": valid_from,
        "valid_to": None,
        "required_documents": [{"name": "Tờ khai", "originals": 1, "copies": 0, "mandatory": True}],
        "fees": [{"name": "Lệ phí", "kind": "fixed", "amount": 10000, "max_amount": None, "notes": ""}],
        "offerings": [{**row, "valid_from": valid_from} for row in offerings],
    }
    record.update(extra)
    return record


def load_records(*records: dict) -> dict:
    return catalog_import(actor="test", records=[(str(i), r) for i, r in enumerate(records, start=1)])


@pytest.fixture
def tree(db):
    """Province, a department, two districts with a commune each."""
    province = AgencyFactory.province()
    van_lam = AgencyFactory.district(name="Ủy ban nhân dân huyện Văn Lâm", parent=province)
    van_giang = AgencyFactory.district(name="Ủy ban nhân dân huyện Văn Giang", parent=province)
    return {
        "province": province,
        "department": AgencyFactory.department(name="Sở Tư pháp", parent=province),
        "van_lam": van_lam, "van_giang": van_giang,
        "lac_dao": AgencyFactory.commune(district=van_lam, name="Ủy ban nhân dân xã Lạc Đạo"),
        "xuan_quan": AgencyFactory.commune(district=van_giang, name="Ủy ban nhân dân xã Xuân Quan"),
    }
