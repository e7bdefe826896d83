from django.apps import AppConfig


class WorkflowsConfig(AppConfig):
    name = "dichvucong.workflows"
    label = "workflows"
