"""The one money formatter (`common.money.format_vnd`) and the template filters built on it."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from dichvucong.common.money import format_vnd, group_thousands


def test_amounts_read_with_a_dot_between_thousands_and_the_unit():
    assert format_vnd(56000) == "56.000 đồng"
    assert format_vnd(1_000_000) == "1.000.000 đồng"
    assert format_vnd(0) == "0 đồng"
    assert format_vnd(999) == "999 đồng"


def test_without_the_unit_only_the_number():
    assert format_vnd(56000, unit=False) == "56.000"


def test_a_price_per_unit():
    assert format_vnd(5000, per="bản") == "5.000 đồng/bản"


def test_decimals_and_numeric_strings_are_rounded_to_whole_dong():
    assert format_vnd(Decimal("56000.00")) == "56.000 đồng"
    assert format_vnd("1500000") == "1.500.000 đồng"
    assert format_vnd(Decimal("0.5")) == format_vnd(Decimal("0.4")) == "0 đồng"  # half to even
    assert format_vnd(Decimal("1.6")) == "2 đồng"


def test_no_amount_is_a_dash_and_text_stays_as_given():
    assert format_vnd(None) == format_vnd("") == format_vnd(None, unit=False) == "—"
    assert format_vnd("miễn phí") == "miễn phí"
    assert format_vnd("NaN") == "NaN"


def test_the_dot_whatever_the_language():
    with translation.override("en"):
        assert format_vnd(56000) == "56.000 đồng"  # documents and records stay Vietnamese
        assert format_vnd(56000, localized=True) == "56.000 VND"  # a page in English
    with translation.override("vi"):
        assert format_vnd(56000, localized=True) == "56.000 đồng"


def test_negative_numbers_keep_their_sign():
    assert group_thousands(-1234567) == "-1.234.567"


def test_the_template_filters_use_it():
    template = Template("{% load common_tags payments_tags %}{{ a|dong }}|{{ a|dong:'bản' }}|{{ a|vnd }}|{{ n|dong }}")
    with translation.override("vi"):
        assert template.render(Context({"a": 5000, "n": None})) == "5.000 đồng|5.000 đồng/bản|5.000|—"
