from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "dichvucong.results"
    label = "results"
