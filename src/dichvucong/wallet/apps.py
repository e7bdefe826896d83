from django.apps import AppConfig


class WalletConfig(AppConfig):
    name = "dichvucong.wallet"
    label = "wallet"
