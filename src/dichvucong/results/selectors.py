"""Reads of the results context, with the visibility rules of API.md ("owner and handling officers")."""

from django.conf import settings
from django.utils.translation import gettext as _

from dichvucong.catalog.models import OnlineMode
from dichvucong.catalog.selectors import offering_for
from dichvucong.common.errors import NotFoundError
from dichvucong.dossiers.access import dossier_access
from dichvucong.dossiers.selectors import dossier_get_for

from .models import SIGNED_STATUSES, ElectronicResult, ResultDelivery, ResultStatus, ResultTemplate


def result_is_electronic(dossier) -> bool:
    """Whether the leader's `sign` issues an electronic result for this dossier.

    Decree 42/2022/NĐ-CP art. 11: a procedure offered "toàn trình" (level 4) returns its result online, so its
    dossiers get a signed electronic result. `RESULTS_ELECTRONIC_SCOPE=all` issues one for every dossier (the
    leaders must then all hold a certificate), `none` for no dossier.
    """
    scope = getattr(settings, "RESULTS_ELECTRONIC_SCOPE", "full_online")
    if scope in ("all", "none"):
        return scope == "all"
    offering = offering_for(procedure=dossier.procedure, agency=dossier.agency)
    return offering is not None and offering.online_mode == OnlineMode.FULL


def template_for(procedure) -> ResultTemplate | None:
    return ResultTemplate.objects.filter(procedure=procedure, active=True).first()


def _result_visible(access, result: ElectronicResult | None) -> bool:
    if result is None:
        return False
    if access.see_signed_result:
        return result.status in SIGNED_STATUSES
    return access.own and result.status == ResultStatus.ISSUED


def may_see_result(user, dossier, result: ElectronicResult | None) -> bool:
    """The owner once issued; the handling officers (`DossierAccess.see_signed_result`) as soon as the leader
    has signed."""
    return _result_visible(dossier_access(user, dossier), result)


def dossier_for_result(*, user, reference: str):
    """The dossier of the result page and its delivery: its owner and handling officers (`open_files`); 404
    `dossier_not_found` for anyone else, those who see the dossier without its files included (monitors)."""
    return _dossier_and_access(user, reference)[0]


def _dossier_and_access(user, reference: str):
    dossier = dossier_get_for(user=user, reference=reference)
    access = dossier_access(user, dossier)
    if not access.open_files:
        raise NotFoundError(_("Không tìm thấy hồ sơ."), code="dossier_not_found")
    return dossier, access


def result_get_for(*, user, reference: str) -> ElectronicResult:
    """The signed result of the dossier; 404 `dossier_not_found` for a dossier the user may not see (or only
    see, like a province monitor: no files), 404 `result_not_available` while there is no result for them yet."""
    dossier, access = _dossier_and_access(user, reference)
    result = ElectronicResult.objects.select_related("dossier").filter(dossier=dossier).first()
    if not _result_visible(access, result):
        raise NotFoundError(_("Hồ sơ chưa có kết quả điện tử."), code="result_not_available")
    return result


def delivery_for(dossier) -> ResultDelivery | None:
    return ResultDelivery.objects.filter(dossier=dossier).first()
