from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dichvucong.dossiers"
    label = "dossiers"

    def ready(self) -> None:
        from .registry import autodiscover

        autodiscover()  # every installed app's `dossier_hooks` module (actions, effects, the process engine)
