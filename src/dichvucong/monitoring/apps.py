from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "dichvucong.monitoring"
    label = "monitoring"
    verbose_name = "Theo dõi, báo cáo thực hiện kế hoạch"
