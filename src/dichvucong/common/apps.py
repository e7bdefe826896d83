from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "dichvucong.common"
    label = "common"

    def ready(self):
        from . import checks, db, lookups  # noqa: F401  (registers the deploy checks and the `in_array` lookup)

        db.connect_signals()
