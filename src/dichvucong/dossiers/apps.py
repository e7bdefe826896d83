from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dichvucong.dossiers"
    label = "dossiers"
