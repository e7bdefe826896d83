from django.apps import AppConfig


class ReorgConfig(AppConfig):
    name = "dichvucong.reorg"
    label = "reorg"
    verbose_name = "Sắp xếp tổ chức bộ máy, đơn vị hành chính"
