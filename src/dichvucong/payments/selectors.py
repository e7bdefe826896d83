"""Reads of the payments context, with who-may-see-what rules (objects one may not see are 404)."""

from django.db.models import QuerySet

from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies, user_has_role
from dichvucong.agencies.models import Agency
from dichvucong.common.errors import NotFoundError, PermissionDeniedError
from dichvucong.dossiers.access import dossier_access
from dichvucong.dossiers.models import Dossier

from .models import Payment, PaymentStatus, Receipt, Reconciliation

_NOT_FOUND = "Không tìm thấy hồ sơ."


def dossier_for_payments(*, user, code: str) -> Dossier:
    """The dossier if `user` may see its payments (`open_files`: the owner and the handling officers, also at an
    agency handling it after a transfer); 404 otherwise (never reveal it exists)."""
    dossier = Dossier.objects.select_related("agency", "procedure", "owner").filter(code=code).first()
    if dossier is None or not dossier_access(user, dossier).open_files:
        raise NotFoundError(_NOT_FOUND)
    return dossier


def dossier_for_owner(*, user, code: str) -> Dossier:
    """The citizen's own dossier (`pay`); anybody else's is 404."""
    dossier = Dossier.objects.select_related("agency", "procedure").filter(code=code).first()
    if dossier is None or not dossier_access(user, dossier).pay:
        raise NotFoundError(_NOT_FOUND)
    return dossier


def payments_of_dossier(dossier: Dossier) -> QuerySet[Payment]:
    return dossier.payments.select_related("receipt").order_by("-created_at")


def pending_payment_of(dossier: Dossier) -> Payment | None:
    return dossier.payments.filter(status=PaymentStatus.PENDING).first()


def payment_visible(*, user, uuid) -> Payment:
    payment = Payment.objects.select_related("dossier__agency", "receipt", "agency").filter(uuid=uuid).first()
    if payment is None or not dossier_access(user, payment.dossier).open_files:
        raise NotFoundError("Không tìm thấy giao dịch thanh toán.")
    return payment


def receipt_visible(*, user, uuid) -> Receipt:
    receipt = (
        Receipt.objects.select_related("payment__dossier__agency", "payment__dossier__procedure", "agency")
        .filter(uuid=uuid)
        .first()
    )
    if receipt is None or not dossier_access(user, receipt.payment.dossier).open_files:
        raise NotFoundError("Không tìm thấy biên lai.")
    return receipt


# --- Reconciliation: the province's administrators, or the staff of the agency itself --------------------------
def may_reconcile(user, agency) -> bool:
    if user_has_role(user, Role.PROVINCE_ADMIN):
        return True
    return agency is not None and any(a.pk == agency.pk for a in user_agencies(user))


def reconciliation_agencies(user):
    """The agencies `user` may reconcile (all for a province administrator)."""
    if user_has_role(user, Role.PROVINCE_ADMIN):
        return list(Agency.objects.order_by("code"))
    return user_agencies(user)


def check_may_reconcile(user, agency) -> None:
    if not may_reconcile(user, agency):
        raise PermissionDeniedError(
            "Bạn không có quyền đối soát giao dịch của cơ quan này.", code="reconciliation_forbidden"
        )


def reconciliation_visible(*, user, uuid) -> Reconciliation:
    run = Reconciliation.objects.select_related("agency").filter(uuid=uuid).first()
    if run is None or not may_reconcile(user, run.agency):
        raise NotFoundError("Không tìm thấy kết quả đối soát.")
    return run
