from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "dichvucong.integrations"
    label = "integrations"
    verbose_name = "Kết nối hệ thống ngoài (Cổng DVCQG, bộ ngành, thông báo, webhook)"
