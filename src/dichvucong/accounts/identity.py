"""Citizen identity numbers (căn cước công dân, CCCD): 12 digits.

Structure (Circular 07/2016/TT-BCA, now 59/2021/TT-BCA): digits 1-3 the province of birth registration,
digit 4 century and gender (0/1: 20th century male/female, 2/3: 21st, 4/5: 22nd ...), digits 5-6 the last two
digits of the birth year, digits 7-12 a random number.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from dichvucong.common.errors import ValidationFailed

# Province codes of birth registration (63 provinces before the 2025 mergers).
PROVINCE_CODES = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

_CCCD_RE = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class CitizenId:
    number: str
    province_code: str
    province_name: str
    gender: str  # "male" | "female"
    birth_year: int


def parse_citizen_id(value: str, *, today: datetime.date | None = None) -> CitizenId:
    """Validate a CCCD by structure and return what it encodes; raise ValidationFailed(code=invalid_id_number)."""
    value = (value or "").strip()
    if not _CCCD_RE.match(value):
        raise ValidationFailed(
            _("Số CCCD phải gồm đúng 12 chữ số."),
            code="invalid_id_number",
            fields={"id_number": [_("Số CCCD phải gồm đúng 12 chữ số.")]},
        )
    province = value[:3]
    if province not in PROVINCE_CODES:
        msg = _("Số CCCD có mã tỉnh nơi đăng ký khai sinh «%(code)s» không tồn tại.") % {"code": province}
        raise ValidationFailed(msg, code="invalid_id_number", fields={"id_number": [msg]})
    century_gender = int(value[3])
    birth_year = 1900 + 100 * (century_gender // 2) + int(value[4:6])
    today = today or datetime.date.today()  # noqa: DTZ011 - a calendar year is all we need
    if birth_year > today.year:
        msg = _("Số CCCD có năm sinh (chữ số thứ 4-6) ở tương lai.")
        raise ValidationFailed(msg, code="invalid_id_number", fields={"id_number": [msg]})
    return CitizenId(
        number=value,
        province_code=province,
        province_name=PROVINCE_CODES[province],
        gender="female" if century_gender % 2 else "male",
        birth_year=birth_year,
    )


def is_valid_citizen_id(value: str) -> bool:
    try:
        parse_citizen_id(value)
    except ValidationFailed:
        return False
    return True


_TAX_CODE_RE = re.compile(r"^\d{10}(-\d{3})?$")
_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def validate_tax_code(value: str) -> str:
    """Enterprise tax code (mã số thuế): 10 digits with a check digit, optionally `-NNN` for a branch."""
    value = (value or "").strip()
    if not _TAX_CODE_RE.match(value):
        raise ValidationFailed(
            _("Mã số thuế phải gồm 10 chữ số (hoặc 10 chữ số, dấu gạch và 3 chữ số)."),
            code="invalid_tax_code",
            fields={"tax_code": [_("Mã số thuế không hợp lệ.")]},
        )
    digits = value[:10]
    check = 10 - sum(int(d) * w for d, w in zip(digits[:9], _TAX_WEIGHTS, strict=True)) % 11
    if check != int(digits[9]):
        raise ValidationFailed(
            _("Mã số thuế sai chữ số kiểm tra."),
            code="invalid_tax_code",
            fields={"tax_code": [_("Mã số thuế sai chữ số kiểm tra.")]},
        )
    return value
