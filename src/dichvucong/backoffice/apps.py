from django.apps import AppConfig


class BackofficeConfig(AppConfig):
    name = "dichvucong.backoffice"
    label = "backoffice"
