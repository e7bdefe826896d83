from django.apps import AppConfig


class IdentityConfig(AppConfig):
    name = "dichvucong.identity"
    label = "identity"
    verbose_name = "Định danh điện tử và cơ sở dữ liệu dân cư"
