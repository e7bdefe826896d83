"""Catalogue pages after the new-user browser test: phone layout hooks, where-to-submit select, fees, history."""

import re

import pytest

from tests.catalog.conftest import load_records, procedure_record


@pytest.fixture
def catalog(tree):
    load_records(
        procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh"),
        procedure_record(
            "1.001193",
            "Đăng ký khai sinh",
            tiers=["commune"],
            level=4,
            fees=[
                {"name": "Lệ phí", "kind": "fixed", "amount": 200000, "max_amount": None, "notes": ""},
                {"name": "Phí cấp bản sao", "kind": "per_copy", "amount": 5000, "max_amount": 1000000, "notes": ""},
            ],
        ),
    )
    return tree


def _options(html: str, select_id: str) -> str:
    return re.search(rf'<select id="{select_id}".*?</select>', html, re.S).group(0)


def test_list_filters_fold_under_a_summary_and_rows_become_cards(catalog, client):
    html = client.get("/thu-tuc/").content.decode()
    assert '<details class="filter-panel" open data-collapse-narrow>' in html
    assert "<summary>Bộ lọc</summary>" in html
    assert 'class="catalog-table stack"' in html and 'data-label="Tên thủ tục"' in html
    assert '<script src="/static/js/site.js" defer>' in html
    # the search box stays outside the folded filters
    assert html.index('id="q"') < html.index("<details")


def test_list_summary_counts_the_filters_set(catalog, client):
    html = client.get("/thu-tuc/", {"q": "khai sinh", "tier": "commune", "online_level": "4"}).content.decode()
    assert "(2 đang chọn)" in html


def test_agency_filter_lists_the_province_then_each_district_with_its_communes(catalog, client):
    select = _options(client.get("/thu-tuc/").content.decode(), "f-agency")
    groups = re.findall(r'<optgroup label="([^"]+)">', select)
    assert groups == ["Cấp tỉnh", "Huyện Văn Lâm", "Huyện Văn Giang"] or groups == [
        "Cấp tỉnh",
        "Huyện Văn Giang",
        "Huyện Văn Lâm",
    ]
    assert select.index("Sở Tư pháp") < select.index("huyện Văn Lâm") < select.index("xã Lạc Đạo")
    van_lam = select[select.index('label="Huyện Văn Lâm"') :]
    van_lam = van_lam[: van_lam.index("</optgroup>")]
    assert "Ủy ban nhân dân huyện Văn Lâm" in van_lam and "xã Lạc Đạo" in van_lam and "Xuân Quan" not in van_lam


def test_where_to_submit_preselects_nothing_and_groups_communes_by_district(catalog, client):
    select = _options(client.get("/thu-tuc/1.001193/").content.decode(), "submit-agency")
    assert select.count(" selected") == 1 and '<option value="" selected>' in select
    assert 'label="Huyện Văn Lâm"' in select and 'label="Huyện Văn Giang"' in select
    assert re.search(r'label="Huyện Văn Lâm">\s*<option value="[^"]+">Ủy ban nhân dân xã Lạc Đạo', select)


def test_fees_read_with_thousands_separator_and_dong(catalog, client):
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert "200.000 đồng" in html and "5.000 đồng/bản" in html and "tối đa 1.000.000 đồng" in html
    assert " đ<" not in html


def test_history_names_the_publication_not_the_import_file(catalog, client):
    html = client.get("/thu-tuc/1.001193/").content.decode()
    history = html[html.index('id="history-title"') :]
    assert "Nhập từ tệp" not in history
    assert "Công bố mới" in history


def test_online_services_rows_become_cards_on_a_phone(catalog, client):
    html = client.get("/dich-vu-cong-truc-tuyen/", {"agency": catalog["van_lam"].code}).content.decode()
    assert '<table class="stack">' in html and 'data-label="Mã"' in html
    assert '<optgroup label="Cấp tỉnh">' in html


def test_procedure_tables_become_cards_on_a_phone(catalog, client):
    html = client.get("/thu-tuc/1.001193/").content.decode()
    assert html.count('<table class="stack">') == 2
    assert 'data-label="Giấy tờ"' in html and 'data-label="Bản sao"' in html and 'data-label="Cơ quan"' in html
