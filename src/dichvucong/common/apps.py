from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "dichvucong.common"
    label = "common"
