from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "dichvucong.demo"
    label = "demo"
    verbose_name = "Dữ liệu mẫu"
