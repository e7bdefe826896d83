"""Adapter of the national population database (Cơ sở dữ liệu quốc gia về dân cư), reached through the provincial
LGSP: one lookup by CCCD returning name, date of birth, sex, permanent and current address, and household.

Production-shaped: JSON over HTTPS with the LGSP key in `X-LGSP-Key`, a request id per lookup, a timeout; every
failure is an `IdentityError` with a stable code (registry_unavailable, registry_not_found, registry_wrong_person,
registry_bad_answer). The CCCD's structure is checked by the caller before any call (services.registry_prefill).
The local simulator (simulators/population_registry) speaks the same protocol.
"""

import datetime
from dataclasses import asdict, dataclass

import requests
from django.conf import settings
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .errors import IdentityError

#: Fields of a lookup, as shown in the consent statement.
REGISTRY_FIELDS = {
    "full_name": gettext_lazy("Họ, chữ đệm và tên"),
    "birthdate": gettext_lazy("Ngày, tháng, năm sinh"),
    "gender": gettext_lazy("Giới tính"),
    "permanent_address": gettext_lazy("Nơi thường trú"),
    "current_address": gettext_lazy("Nơi ở hiện tại"),
    "household": gettext_lazy("Thông tin hộ gia đình"),
}


class RegistryError(IdentityError):
    status_code = 502
    default_code = "registry_unavailable"


@dataclass(frozen=True)
class ResidentRecord:
    citizen_id: str
    full_name: str
    birthdate: datetime.date | None
    gender: str  # "male" | "female"
    permanent_address: str
    current_address: str
    household: dict

    def values(self, fields) -> dict:
        data = asdict(self)
        data["birthdate"] = self.birthdate.isoformat() if self.birthdate else ""
        return {name: data[name] for name in fields}


_GENDERS = {"Nam": "male", "Nữ": "female"}


class PopulationRegistryClient:
    def __init__(self, base_url: str | None = None, api_key: str | None = None, timeout: float | None = None):
        self.base_url = (base_url or settings.POPULATION_REGISTRY_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else settings.POPULATION_REGISTRY_API_KEY
        self.timeout = timeout or settings.POPULATION_REGISTRY_TIMEOUT

    def lookup(self, citizen_id: str, *, request_id: str, purpose: str) -> ResidentRecord:
        if not self.base_url:
            raise RegistryError(_("Chưa cấu hình kết nối CSDL quốc gia về dân cư."), code="registry_not_configured")
        try:
            response = requests.post(
                f"{self.base_url}/api/v1/cong-dan/tra-cuu",
                json={"so_dinh_danh": citizen_id, "ma_yeu_cau": request_id, "muc_dich": purpose},
                headers={"X-LGSP-Key": self.api_key},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise RegistryError(
                _("Không kết nối được CSDL quốc gia về dân cư. Vui lòng nhập thông tin hoặc thử lại sau.")
            ) from exc
        if response.status_code == 404:
            raise IdentityError(
                _("CSDL quốc gia về dân cư không có công dân với số CCCD này."),
                code="registry_not_found",
                status_code=404,
            )
        if response.status_code != 200:
            raise RegistryError(
                _("CSDL quốc gia về dân cư trả lỗi (%(status)s).") % {"status": response.status_code},
                code="registry_unavailable",
            )
        try:
            data = response.json()
            record = ResidentRecord(
                citizen_id=str(data["so_dinh_danh"]),
                full_name=str(data["ho_ten"]),
                birthdate=parse_date(str(data.get("ngay_sinh") or "")),
                gender=_GENDERS.get(data.get("gioi_tinh"), ""),
                permanent_address=str(data.get("noi_thuong_tru") or ""),
                current_address=str(data.get("noi_o_hien_tai") or ""),
                household=data.get("ho_gia_dinh") or {},
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise RegistryError(
                _("Câu trả lời của CSDL dân cư không đúng định dạng."), code="registry_bad_answer"
            ) from exc
        if record.citizen_id != citizen_id or data.get("ma_yeu_cau", request_id) != request_id:
            raise RegistryError(
                _("CSDL dân cư trả thông tin của một người khác: không dùng để điền tờ khai."),
                code="registry_wrong_person",
            )
        return record
