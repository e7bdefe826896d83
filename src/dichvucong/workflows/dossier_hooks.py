"""What the workflow engine adds to the dossier lifecycle (dossiers.registry, ADR 0005)."""

from dichvucong.dossiers.registry import registry

from .engine import WorkflowEngine
from .queues import consultations_for

registry.set_engine(WorkflowEngine())


def consultations_panel(request, dossier) -> dict | None:
    """The officer's dossier page: the requests for the opinion of the officer's agencies, each with its form."""
    consultations = consultations_for(request.user, dossier)
    return {"consultations": consultations} if consultations else None


registry.panel("office_detail", template="workflows/_dossier_consultations.html", context=consultations_panel)
