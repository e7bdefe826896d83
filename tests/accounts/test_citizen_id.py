import datetime

import pytest

from dichvucong.accounts.identity import is_valid_citizen_id, parse_citizen_id, validate_tax_code
from dichvucong.common.errors import ValidationFailed


def test_a_valid_cccd_tells_province_gender_and_birth_year():
    parsed = parse_citizen_id("033090001234")
    assert (parsed.province_code, parsed.province_name, parsed.gender, parsed.birth_year) == (
        "033",
        "Hưng Yên",
        "male",
        1990,
    )
    female_2000s = parse_citizen_id("001305123456")
    assert (female_2000s.gender, female_2000s.birth_year) == ("female", 2005)
    assert parse_citizen_id("033195004321").gender == "female"


@pytest.mark.parametrize(
    "value,reason",
    [
        ("03309000123", "11 digits"),
        ("0330900012345", "13 digits"),
        ("03309000123a", "a letter"),
        ("", "empty"),
        ("003090001234", "province 003 does not exist"),
        ("099090001234", "province 099 does not exist"),
        ("033499001234", "born in 2199: century digit 4 is in the future"),
        ("033299001234", "born in 2099: in the future"),
    ],
)
def test_malformed_cccd_is_rejected(value, reason):
    assert not is_valid_citizen_id(value), reason
    with pytest.raises(ValidationFailed) as excinfo:
        parse_citizen_id(value)
    assert excinfo.value.code == "invalid_id_number"
    assert "id_number" in excinfo.value.fields


def test_birth_year_in_the_future_depends_on_today():
    assert parse_citizen_id("033224001234", today=datetime.date(2026, 1, 1)).birth_year == 2024
    with pytest.raises(ValidationFailed):
        parse_citizen_id("033227001234", today=datetime.date(2026, 1, 1))


def test_tax_code_check_digit():
    assert validate_tax_code("0900100102") == "0900100102"
    assert validate_tax_code("0900100102-001") == "0900100102-001"
    for bad in ["0900100109", "090010010", "abcdefghij", "0900100102-1"]:
        with pytest.raises(ValidationFailed):
            validate_tax_code(bad)
