import pytest

from dichvucong.agencies.codes import is_valid_agency_code, parse_agency_code
from dichvucong.common.errors import ValidationFailed


@pytest.mark.parametrize(
    "code,level",
    [
        ("000.00.00.H31", 0),
        ("000.00.04.H31", 1),
        ("000.05.23.H31", 2),
        ("012.05.23.H31", 3),
        ("000.00.12.G01", 1),
    ],
)
def test_well_formed_codes_parse_with_their_level(code, level):
    assert parse_agency_code(code).level == level
    assert str(parse_agency_code(code)) == code


@pytest.mark.parametrize(
    "code",
    [
        "",
        "H31",
        "000.00.04",
        "00.00.04.H31",
        "000.0.04.H31",
        "000.00.04.h31",
        "000.00.04.31H",
        "000.00.04.HH1",
        "000-00-04-H31",
        " 000.00.04.H31",
        "000.00.04.H31 ",
        "000.00.04.H314",
        "000.05.00.H31",  # commune level used without a district level
        "001.00.04.H31",  # level 3 used without level 2
    ],
)
def test_malformed_codes_are_rejected_with_a_stable_code(code):
    assert not is_valid_agency_code(code)
    with pytest.raises(ValidationFailed) as excinfo:
        parse_agency_code(code)
    assert excinfo.value.code == "invalid_agency_code"


def test_child_codes_must_sit_one_level_below_in_the_same_branch():
    province = parse_agency_code("000.00.00.H31")
    district = parse_agency_code("000.00.23.H31")
    assert district.is_child_of(province)
    assert parse_agency_code("000.01.23.H31").is_child_of(district)
    assert not parse_agency_code("000.01.24.H31").is_child_of(district)  # another district's commune
    assert not parse_agency_code("000.01.23.H31").is_child_of(province)  # skips a level
    assert not parse_agency_code("000.00.23.H30").is_child_of(province)  # another province
