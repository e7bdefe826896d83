"""The workflow engine as the dossiers context sees it (`dossiers.registry.ProcessEngine`), registered in
`dossier_hooks.py`. Dossiers never import this app: they ask `registry.engine`."""

from django.db.models import OuterRef, Q, Subquery

from .models import Consultation, ProcessRun, RunStatus, StepRole, WorkItem
from .processing import allowed_actions, current_item, open_run, step_receivers

OPEN_RUN_STATUSES = (RunStatus.RUNNING, RunStatus.WAITING_CONSULTATION, RunStatus.WAITING_PAYMENT)


def _transferred_runs(agency_ids):
    return ProcessRun.objects.filter(agency_id__in=agency_ids, transferred_from__isnull=False).order_by()


def _other_agency_items(agency_ids):
    return WorkItem.objects.filter(agency_id__in=agency_ids, role=StepRole.OTHER_AGENCY).order_by()


class WorkflowEngine:
    def is_running(self, dossier) -> bool:
        return (
            dossier.pk is not None
            and ProcessRun.objects.filter(dossier_id=dossier.pk, status__in=OPEN_RUN_STATUSES).exists()
        )

    def step_actions(self, user, dossier) -> list[str]:
        """The current step's actions `user` holds; no fee request for a procedure without fees (catalogue)."""
        actions = allowed_actions(user, open_run(dossier))
        if "request_payment" in actions and not dossier.procedure.fees.filter(amount__gt=0).exists():
            actions = [name for name in actions if name != "request_payment"]
        return actions

    def involved_agencies_q(self, agency_ids, *, handling: bool) -> Q:
        """Dossiers that `agency_ids` handle(d) in an internal process **away from their receiving agency**: a
        run opened there by a transfer, an inter-agency step (`other_agency`) held there and, unless `handling`, a
        consultation addressed to them (ADR 0026). Runs and steps at the receiving agency are left out: the
        receiving agency's officers see the dossier through the visibility rule's agency branch, so the id array
        grows with the agencies' inter-agency work only, not with every dossier they processed. Each subquery
        reads one range of a partial index (`wf_run_agency_transferred`, `wf_item_agency_other`) or of the
        consultations' agency index; `in_array` (common.lookups) runs each once."""
        ids = list(agency_ids)
        q = Q(pk__in_array=_transferred_runs(ids).values("dossier_id")) | Q(
            pk__in_array=_other_agency_items(ids).values("run__dossier_id")
        )
        if not handling:
            q |= Q(pk__in_array=Consultation.objects.filter(agency_id__in=ids).order_by().values("run__dossier_id"))
        return q

    def involved_agency_ids(self, dossier, *, handling: bool) -> set[int]:
        """The same rule for one dossier (runs opened by a transfer, inter-agency steps, consultations)."""
        runs = ProcessRun.objects.filter(dossier=dossier, transferred_from__isnull=False)
        ids = set(runs.values_list("agency_id", flat=True))
        items = WorkItem.objects.filter(run__dossier=dossier, role=StepRole.OTHER_AGENCY)
        ids |= set(items.values_list("agency_id", flat=True))
        if not handling:
            ids |= set(Consultation.objects.filter(run__dossier=dossier).values_list("agency_id", flat=True))
        return ids

    def handling_agency_name(self):
        """For `.annotate()` on Dossier: the name of the agency of its latest process run (a transfer moves the
        run to another agency), NULL without a run."""
        runs = ProcessRun.objects.filter(dossier=OuterRef("pk")).order_by("-started_at", "-id")
        return Subquery(runs.values("agency__name")[:1])

    def step_holders(self, dossier) -> list:
        item = (
            WorkItem.objects.filter(run__dossier=dossier, run__status__in=OPEN_RUN_STATUSES, completed_at__isnull=True)
            .select_related("assignee")
            .first()
        )
        return [item.assignee] if item is not None and item.assignee_id else []

    def step_receivers(self, dossier, action: str) -> list:
        run = open_run(dossier)
        item = current_item(run) if run is not None else None
        return step_receivers(item, action) if item is not None else []
