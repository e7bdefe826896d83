from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "dichvucong.catalog"
    label = "catalog"
