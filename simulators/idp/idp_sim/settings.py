"""Settings of the local identity provider: everything comes from the environment set by `serve.py`."""

import os
from pathlib import Path

ENV = os.environ
BASE_DIR = Path(__file__).resolve().parent

SECRET_KEY = ENV.get("IDP_SECRET_KEY", "local-identity-provider-not-secret")  # noqa: S105 - a local simulator
DEBUG = False
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "idp_sim.urls"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "oauth2_provider",
    "idp_sim",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": ENV.get("IDP_DB", str(BASE_DIR.parent / "idp.sqlite3")),
        "OPTIONS": {"timeout": 30},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher"]
LANGUAGE_CODE = "vi"
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = False
USE_TZ = True
LOGIN_URL = "/dang-nhap/"
# The relying party runs on the same host (127.0.0.1) on another port: cookies are per host, not per port, so the
# provider's cookies must not share the relying party's names.
SESSION_COOKIE_NAME = "idp_sessionid"
CSRF_COOKIE_NAME = "idp_csrftoken"

ISSUER = ENV.get("IDP_ISSUER", "http://127.0.0.1:8771/o")
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_ISS_ENDPOINT": ISSUER,
    "OIDC_RSA_PRIVATE_KEY": ENV.get("IDP_RSA_PRIVATE_KEY", ""),
    "PKCE_REQUIRED": True,
    "OAUTH2_VALIDATOR_CLASS": "idp_sim.validators.NationalIdentityValidator",
    "SCOPES": {
        "openid": "Định danh",
        "profile": "Họ tên, ngày sinh, giới tính, số định danh",
        "email": "Thư điện tử",
        "phone": "Số điện thoại",
    },
    "DEFAULT_SCOPES": ["openid"],
    "ID_TOKEN_EXPIRE_SECONDS": 300,
    "ACCESS_TOKEN_EXPIRE_SECONDS": 300,
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OIDC_RP_INITIATED_LOGOUT_STRICT_REDIRECT_URIS": True,
}
