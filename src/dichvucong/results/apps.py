from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "dichvucong.results"
    label = "results"

    def ready(self):
        from dichvucong.workflows.processing import register_step_action_hook

        from .workflow_hooks import on_step_action

        register_step_action_hook(on_step_action)
