from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "dichvucong.signing"
    label = "signing"
