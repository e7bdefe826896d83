from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "dichvucong.workflows"
    label = "workflows"

    def ready(self):
        from dichvucong.dossiers.signals import dossier_status_changed

        from .signals import resume_after_payment

        dossier_status_changed.connect(resume_after_payment, dispatch_uid="workflows.resume_after_payment")
