"""What the workflow engine adds to the dossier lifecycle (dossiers.registry, ADR 0005)."""

from dichvucong.dossiers.registry import registry

from .engine import WorkflowEngine

registry.set_engine(WorkflowEngine())
