import pytest

from tests.catalog.factories import load_records, procedure_record  # noqa: F401 (the tests import them from here)
from tests.factories import AgencyFactory


@pytest.fixture
def tree(db):
    """Province, a department, two districts with a commune each."""
    province = AgencyFactory.province()
    van_lam = AgencyFactory.district(name="Ủy ban nhân dân huyện Văn Lâm", parent=province)
    van_giang = AgencyFactory.district(name="Ủy ban nhân dân huyện Văn Giang", parent=province)
    return {
        "province": province,
        "department": AgencyFactory.department(name="Sở Tư pháp", parent=province),
        "van_lam": van_lam,
        "van_giang": van_giang,
        "lac_dao": AgencyFactory.commune(district=van_lam, name="Ủy ban nhân dân xã Lạc Đạo"),
        "xuan_quan": AgencyFactory.commune(district=van_giang, name="Ủy ban nhân dân xã Xuân Quan"),
    }
