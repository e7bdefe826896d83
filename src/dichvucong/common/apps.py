from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "dichvucong.common"
    label = "common"

    def ready(self):
        from . import lookups  # noqa: F401  (registers the `in_array` lookup)
