from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "dichvucong.payments"
    label = "payments"
