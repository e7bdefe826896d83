from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "dichvucong.portal"
    label = "portal"
