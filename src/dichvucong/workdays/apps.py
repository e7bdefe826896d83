from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "dichvucong.workdays"
    label = "workdays"
