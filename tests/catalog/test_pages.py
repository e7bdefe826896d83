import pytest

from dichvucong.catalog.services import change_request_submit
from tests.catalog.conftest import load_records, procedure_record


@pytest.fixture
def catalog(tree):
    exception = {
        "agency": tree["van_giang"].code,
        "tier": "",
        "online_level": 2,
        "is_exception": True,
        "justification": "Chưa số hóa hồ sơ địa chính",
        "valid_from": "2021-01-01",
    }
    load_records(
        procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh"),
        procedure_record(
            "1.013978",
            "Cấp Giấy chứng nhận lần đầu",
            level=3,
            offerings=[{"agency": None, "tier": "district", "online_level": 3, "valid_from": "2021-01-01"}, exception],
        ),
        procedure_record("1.001193", "Đăng ký khai sinh", tiers=["commune"], level=2),
        procedure_record(
            "3.000333", "Cấp Phiếu lý lịch tư pháp", tiers=["province"], agencies=[tree["department"].code]
        ),
    )
    return tree


def test_list_page_searches_without_diacritics(catalog, client):
    html = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    assert "Đăng ký khai sinh" in html and "hộ kinh doanh" not in html


def test_list_page_shows_the_level_at_the_chosen_agency_including_exceptions(catalog, client):
    html = client.get("/thu-tuc/", {"agency": catalog["van_giang"].code}).content.decode()
    assert "Cấp Giấy chứng nhận lần đầu" in html and "Mức 2" in html


def test_list_page_as_of_a_past_date_is_empty_before_the_catalogue(catalog, client):
    html = client.get("/thu-tuc/", {"as_of": "2020-01-01"}).content.decode()
    assert "Không tìm thấy thủ tục phù hợp." in html


def test_detail_page_has_submit_online_button_with_agency(catalog, client):
    html = client.get("/thu-tuc/3.000333/").content.decode()
    assert f'href="/ho-so/nop/3.000333/?agency={catalog["department"].code}"' in html
    assert "Nộp trực tuyến" in html and "Thành phần hồ sơ" in html and "Luật Hộ tịch 2014" in html


def test_detail_page_of_a_level_2_procedure_has_no_submit_button(catalog, client):
    assert "Nộp trực tuyến" not in client.get("/thu-tuc/1.001193/").content.decode()
    assert client.get("/thu-tuc/KHONG.CO/").status_code == 404


def test_detail_page_lists_the_exception_with_its_reason(catalog, client):
    html = client.get("/thu-tuc/1.013978/").content.decode()
    assert "Ngoại lệ" in html and "Chưa số hóa hồ sơ địa chính" in html


def test_exceptions_page_lists_every_exception(catalog, client):
    html = client.get("/thu-tuc/ngoai-le/").content.decode()
    assert "Ủy ban nhân dân huyện Văn Giang" in html and "1.013978" in html


def test_online_services_page_lists_level_4_of_one_agency(catalog, client):
    html = client.get("/dich-vu-cong-truc-tuyen/", {"agency": catalog["van_lam"].code}).content.decode()
    assert "1.001612" in html and "1.013978" not in html


def test_list_page_query_count_is_constant(catalog, client, django_assert_num_queries):
    load_records(*[procedure_record(f"T.{i:03d}", f"Thủ tục {i}") for i in range(5)])
    with django_assert_num_queries(5) as first:  # agency, count, page, fields, agencies
        client.get("/thu-tuc/", {"agency": catalog["van_lam"].code})
    load_records(*[procedure_record(f"U.{i:03d}", f"Thủ tục {i}") for i in range(30)])
    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/thu-tuc/", {"agency": catalog["van_lam"].code})


def test_change_request_page_shows_age_to_the_province_admin_only(catalog, client, make_staff):
    submitter = make_staff("agency_admin", catalog["van_lam"])
    change_request_submit(
        actor=submitter, agency=catalog["van_lam"], kind="change", procedure_code="1.001612", summary="Nâng mức độ"
    )
    client.force_login(make_staff("province_admin"))
    assert "Nâng mức độ" in client.get("/can-bo/danh-muc/de-nghi/").content.decode()
    client.force_login(make_staff("agency_admin", catalog["van_giang"]))
    assert "Nâng mức độ" not in client.get("/can-bo/danh-muc/de-nghi/").content.decode()


def test_change_request_page_refuses_citizens(catalog, client, citizen):
    client.force_login(citizen)
    assert client.get("/can-bo/danh-muc/de-nghi/").status_code == 403
