"""Agency identifier codes of QCVN 102:2016/BTTTT: `V1V2V3.Z1Z2.Y1Y2.MX1X2`.

`MX1X2` identifies the province (or ministry) — a letter and two digits, e.g. `H31`; `Y1Y2` a level-1 unit
(department, district-level People's Committee), `Z1Z2` a level-2 unit (commune, or a division of a department),
`V1V2V3` a level-3 unit. Unused levels are written `00`/`000`, and a level may only be used when the level above
it is: `000.00.00.H31` is the province itself, `000.00.12.H31` a department, `000.05.21.H31` a commune of
district 21.
"""

import re
from dataclasses import dataclass

from dichvucong.common.errors import ValidationFailed

CODE_RE = re.compile(r"^(?P<v>\d{3})\.(?P<z>\d{2})\.(?P<y>\d{2})\.(?P<m>[A-Z]\d{2})$")


@dataclass(frozen=True)
class AgencyCode:
    v: str
    z: str
    y: str
    m: str

    @property
    def level(self) -> int:
        """0 = the province/ministry itself, 1 = department/district, 2 = commune/division, 3 = below."""
        if self.v != "000":
            return 3
        if self.z != "00":
            return 2
        if self.y != "00":
            return 1
        return 0

    def __str__(self) -> str:
        return f"{self.v}.{self.z}.{self.y}.{self.m}"

    def is_child_of(self, parent: "AgencyCode") -> bool:
        """True when this code sits exactly one level below `parent` in the same branch."""
        if self.m != parent.m or self.level != parent.level + 1:
            return False
        if parent.level >= 1 and self.y != parent.y:
            return False
        return not (parent.level >= 2 and self.z != parent.z)


def parse_agency_code(value: str) -> AgencyCode:
    """Parse and validate a QCVN 102 code; raise ValidationFailed (code `invalid_agency_code`) if malformed."""
    match = CODE_RE.match(value or "")
    if not match:
        raise ValidationFailed(
            f"Mã cơ quan «{value}» không đúng cấu trúc QCVN 102:2016 (V1V2V3.Z1Z2.Y1Y2.MX1X2, ví dụ 000.00.12.H31).",
            code="invalid_agency_code",
        )
    code = AgencyCode(**match.groupdict())
    if code.z != "00" and code.y == "00":
        raise ValidationFailed(
            f"Mã cơ quan «{value}»: cấp Z1Z2 chỉ dùng khi đã có cấp Y1Y2.", code="invalid_agency_code"
        )
    if code.v != "000" and code.z == "00":
        raise ValidationFailed(
            f"Mã cơ quan «{value}»: cấp V1V2V3 chỉ dùng khi đã có cấp Z1Z2.", code="invalid_agency_code"
        )
    return code


def is_valid_agency_code(value: str) -> bool:
    try:
        parse_agency_code(value)
    except ValidationFailed:
        return False
    return True
