"""The words pages use for the one-stop desk and online service levels, from a setting with a date.

Before `ProvinceSettings.vocabulary_2025_since`: "Bộ phận một cửa", "Mức độ 3/4" (NĐ 61/2018, NĐ 43/2011). From it:
"Trung tâm phục vụ hành chính công" (NĐ 118/2025) and "dịch vụ công trực tuyến toàn trình / một phần" (NĐ 42/2022),
with the old level kept in brackets so that statistics and people read both views.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from .selectors import province_settings


@dataclass(frozen=True)
class Vocabulary:
    uses_2025: bool

    @property
    def one_stop(self) -> str:
        return _("Trung tâm phục vụ hành chính công") if self.uses_2025 else _("Bộ phận một cửa")

    def level(self, level, *, short: bool = False) -> str:
        """ "Mức độ 4" ("Mức 4" in a table cell, `short`), or "DVCTT toàn trình (mức độ 4)" in the 2025 wording."""
        try:
            level = int(level)
        except (TypeError, ValueError):
            return ""
        if not self.uses_2025:
            return (_("Mức %(level)s") if short else _("Mức độ %(level)s")) % {"level": level}
        mode = {4: _("DVCTT toàn trình"), 3: _("DVCTT một phần")}.get(level, _("Cung cấp thông tin"))
        return _("%(mode)s (mức độ %(level)s)") % {"mode": mode, "level": level}

    @property
    def full_online(self) -> str:
        if self.uses_2025:
            return _("Dịch vụ công trực tuyến toàn trình")
        return _("Dịch vụ công trực tuyến mức độ 4")


def vocabulary_on(day: datetime.date | None = None) -> Vocabulary:
    return Vocabulary(uses_2025=province_settings().uses_2025_vocabulary(day or timezone.localdate()))


def vocabulary(request) -> dict:
    """Context processor: `vocabulary` (read on first use only: pages that do not show it pay no query)."""
    return {"vocabulary": SimpleLazyObject(vocabulary_on)}
