import pytest
from django.db import connection

from dichvucong.catalog.selectors import procedure_search
from tests.catalog.conftest import load_records, procedure_record


@pytest.fixture
def catalog(tree):
    load_records(
        procedure_record("1.001193", "Đăng ký khai sinh", tiers=["commune"]),
        procedure_record("1.000689", "Đăng ký khai sinh kết hợp đăng ký nhận cha, mẹ, con", tiers=["commune"]),
        procedure_record("1.000894", "Đăng ký kết hôn", tiers=["commune"]),
        procedure_record("1.001612", "Đăng ký thành lập hộ kinh doanh", field="ho-kinh-doanh"),
    )
    return tree


def codes(qs):
    return [p.code for p in qs]


def test_diacritic_free_lower_case_query_finds_the_vietnamese_name(catalog):
    assert codes(procedure_search("dang ky khai sinh"))[0] == "1.001193"


def test_upper_case_and_extra_spaces_do_not_matter(catalog):
    assert "1.001193" in codes(procedure_search("  ĐĂNG KÝ   Khai SINH "))


def test_words_in_another_order_still_match(catalog):
    assert set(codes(procedure_search("khai sinh dang ky"))) == {"1.001193", "1.000689"}


def test_exact_name_ranks_before_longer_names_containing_it(catalog):
    assert codes(procedure_search("Đăng ký khai sinh")) == ["1.001193", "1.000689"]


def test_every_word_must_match(catalog):
    assert codes(procedure_search("ket hon")) == ["1.000894"]
    assert codes(procedure_search("khai sinh ket hon")) == []


def test_search_by_code_and_filter_by_field(catalog):
    assert codes(procedure_search("1.001612")) == ["1.001612"]
    assert codes(procedure_search("dang ky", field="ho-kinh-doanh")) == ["1.001612"]


def test_filter_by_agency_only_lists_what_it_offers(catalog):
    assert codes(procedure_search("dang ky", agency=catalog["van_lam"])) == ["1.001612"]
    assert "1.001193" in codes(procedure_search("dang ky", agency=catalog["lac_dao"]))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm index exists only on PostgreSQL")
def test_postgresql_has_the_trigram_index(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_procedure_search_trgm'")
        row = cursor.fetchone()
    assert row is not None and "gin_trgm_ops" in row[0]
