from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "dichvucong.accounts"
    label = "accounts"
    verbose_name = "Tài khoản và vai trò"
