from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "dichvucong.workdays"
    label = "workdays"

    def ready(self) -> None:
        from . import signals  # noqa: F401
