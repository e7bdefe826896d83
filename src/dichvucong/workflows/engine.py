"""The workflow engine as the dossiers context sees it (`dossiers.registry.ProcessEngine`), registered in
`dossier_hooks.py`. Dossiers never import this app: they ask `registry.engine`."""

from django.db.models import OuterRef, Q, Subquery

from .models import Consultation, ProcessRun, RunStatus, WorkItem
from .processing import allowed_actions, current_item, open_run, step_receivers

OPEN_RUN_STATUSES = (RunStatus.RUNNING, RunStatus.WAITING_CONSULTATION, RunStatus.WAITING_PAYMENT)


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
        """Dossiers that `agency_ids` handle(d) in an internal process: their run (after a transfer), a step held
        there (inter-agency step) and, unless `handling`, a consultation addressed to them. Subqueries: no
        duplicate rows, no extra query; `in_array` (common.lookups) runs each subquery once, so the agency
        condition keeps its index."""
        ids = list(agency_ids)
        q = Q(pk__in_array=ProcessRun.objects.filter(agency_id__in=ids).values("dossier_id")) | Q(
            pk__in_array=WorkItem.objects.filter(agency_id__in=ids).values("run__dossier_id")
        )
        if not handling:
            q |= Q(pk__in_array=Consultation.objects.filter(agency_id__in=ids).values("run__dossier_id"))
        return q

    def involved_agency_ids(self, dossier, *, handling: bool) -> set[int]:
        ids = set(ProcessRun.objects.filter(dossier=dossier).values_list("agency_id", flat=True))
        ids |= set(WorkItem.objects.filter(run__dossier=dossier).values_list("agency_id", flat=True))
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
