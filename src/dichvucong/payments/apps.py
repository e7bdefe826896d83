from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "dichvucong.payments"
    label = "payments"

    def ready(self) -> None:
        from dichvucong.dossiers.services import register_action_handler

        from .services import action_pay, action_request_payment

        # `POST /api/v1/dossiers/<code>/actions/ {"action": "request_payment" | "pay", ...}` is served here.
        register_action_handler("request_payment", action_request_payment)
        register_action_handler("pay", action_pay)
