"""The results side of the workflow's step actions (effects in `dossiers.registry`, ADR 0005; they run inside the
step action's transaction).

- `sign` on a step that is not the clerk's (the leader's "ký duyệt"): the electronic result is generated (if the
  dossier gets one: `selectors.result_is_electronic`) and signed by the officer who signs. The agency seal is
  required when the process has a clerk (văn thư) step after the signing step.
- any forward-going action on a clerk step (`sign`, `deliver`, `forward`, `approve`): the clerk adds the agency's
  seal signature to a result the leader has signed.
- `deliver` (the process ends at this agency): the result is issued to the applicant.
- `result.issued`, after the commit: a result the applicant chose to receive by post is handed to the postal carrier
  (its API creates the shipment: `postal.result_delivery_ship`) when `POSTAL_CARRIER_URL` is set.
"""

import logging

from dichvucong.common.errors import DomainError
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.registry import LifecycleEvent, registry
from dichvucong.workflows.models import ActionKind, StepRole

from .delivery import CLOSED_STATUSES, may_choose
from .drafting import check_ready_to_sign, may_draft, needed_fields
from .models import DeliveryMethod, ElectronicResult, ResultStatus
from .postal import carrier_enabled, result_delivery_ship
from .selectors import delivery_for, result_is_electronic
from .services import result_issue, result_seal, result_sign_by_leader

logger = logging.getLogger(__name__)

CLERK_SEALING_ACTIONS = (ActionKind.SIGN, ActionKind.DELIVER, ActionKind.FORWARD, ActionKind.APPROVE)


def _clerk_step_after(step) -> bool:
    return step.process.steps.filter(order__gt=step.order, role=StepRole.CLERK).exists()


@registry.on(*(f"step.{kind}" for kind in ActionKind.values))
def on_step_action(event: LifecycleEvent) -> None:
    run, step, action, actor = event.data["run"], event.data["step"], event.action, event.actor
    dossier = run.dossier
    if step.role == StepRole.CLERK and action in CLERK_SEALING_ACTIONS:
        result = ElectronicResult.objects.filter(dossier=dossier).only("status", "seal_required").first()
        if result is not None and result.status == ResultStatus.SIGNED_BY_LEADER and result.seal_required:
            result_seal(actor=actor, dossier=dossier, agency=run.agency)
    elif action == ActionKind.SIGN and result_is_electronic(dossier):
        check_ready_to_sign(dossier)  # the fields no data source fills were drafted (drafting.py)
        result_sign_by_leader(actor=actor, dossier=dossier, agency=run.agency, seal_required=_clerk_step_after(step))
    if (
        action == ActionKind.DELIVER
        and ElectronicResult.objects.filter(
            dossier=dossier, status__in=(ResultStatus.SIGNED_BY_LEADER, ResultStatus.SEALED)
        ).exists()
    ):
        result_issue(actor=actor, dossier=dossier)


@registry.on("result.issued", after_commit=True)
def ship_by_post(event: LifecycleEvent) -> None:
    """The issued result goes to the post at once when the applicant chose the post (not when the desk must hand it
    over by hand: no carrier API configured). A refusal leaves the result at the desk, which may hand it over again."""
    if not carrier_enabled():
        return
    delivery = delivery_for(event.dossier)
    if delivery is None or delivery.method != DeliveryMethod.POSTAL or delivery.sent_at is not None:
        return
    try:
        result_delivery_ship(actor=event.actor, dossier=Dossier.objects.get(pk=event.dossier.pk))
    except DomainError as exc:
        logger.warning("result of %s not handed to the post: %s (%s)", event.dossier.code, exc.code, exc.detail)


def delivery_choice_panel(request, dossier) -> dict | None:
    """The owner's dossier page, from submission until the result leaves: how to receive the result (online, at the
    desk, by post), chosen at once rather than after the result (issue 18 item 5)."""
    if dossier.status == "draft" or dossier.status in CLOSED_STATUSES or not may_choose(request.user, dossier):
        return None
    delivery = delivery_for(dossier)
    if delivery is not None and delivery.sent_at is not None:
        return None
    return {
        "dossier": dossier,
        "methods": DeliveryMethod.choices,
        "chosen": delivery.method if delivery else "",
        "address": (delivery.address if delivery else "") or dossier.applicant_address,
    }


registry.panel("my_detail", template="results/_delivery_choice.html", context=delivery_choice_panel, order=20)


def result_panel(request, dossier) -> dict | None:
    """The officers' dossier page: the result being prepared (fields to draft, the exact PDF inline before the head
    approves and the leader signs), then the signed document itself."""
    if not dossier.code or not result_is_electronic(dossier):
        return None
    result = ElectronicResult.objects.filter(dossier=dossier).first()
    if result is not None and result.status in (
        ResultStatus.SIGNED_BY_LEADER,
        ResultStatus.SEALED,
        ResultStatus.ISSUED,
    ):
        return {"dossier": dossier, "result": result}
    if dossier.status != "processing":
        return None
    return {
        "dossier": dossier,
        "result": None,
        "fields": needed_fields(dossier),
        "may_draft": may_draft(request.user, dossier),
    }


registry.panel("office_detail", template="results/_result_panel.html", context=result_panel, order=30)
