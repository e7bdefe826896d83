from django.apps import AppConfig


class GuidanceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dichvucong.guidance"
    verbose_name = "Hướng dẫn, trợ lý tìm thủ tục"
