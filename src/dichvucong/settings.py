"""Settings: everything comes from the environment (12-factor), with embedded defaults for `make run`.

DJANGO_ENV selects the mode: `development` (default: SQLite under var/, eager Celery, filesystem storage),
`test`, or `production` (refuses to start without a real SECRET_KEY, with DEBUG on, or with open ALLOWED_HOSTS).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from .settings_guard import INSECURE_KEY_PREFIX, check_production_settings, env_bool, env_list

ENV = os.environ
BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(ENV.get("DCV_PROJECT_DIR", BASE_DIR.parent.parent))
VAR_DIR = Path(ENV.get("DCV_VAR_DIR", PROJECT_DIR / "var"))

ENVIRONMENT = ENV.get("DJANGO_ENV", "development")
IS_PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool(ENV, "DEBUG", default=not IS_PRODUCTION and ENVIRONMENT != "test")
SECRET_KEY = ENV.get("SECRET_KEY", "" if IS_PRODUCTION else INSECURE_KEY_PREFIX + "change-me-in-production-0123456789")
ALLOWED_HOSTS = env_list(ENV, "ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list(ENV, "CSRF_TRUSTED_ORIGINS")
check_production_settings(environment=ENVIRONMENT, secret_key=SECRET_KEY, debug=DEBUG, allowed_hosts=ALLOWED_HOSTS)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "dichvucong.common",
    "dichvucong.audit",
    "dichvucong.agencies",
    "dichvucong.accounts",
    "dichvucong.workdays",
    "dichvucong.catalog",
    "dichvucong.workflows",
    "dichvucong.dossiers",
    "dichvucong.payments",
    "dichvucong.signing",
    "dichvucong.results",
    "dichvucong.wallet",
    "dichvucong.reorg",
    "dichvucong.portal",
    "dichvucong.backoffice",
    "dichvucong.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dichvucong.common.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dichvucong.common.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "dichvucong.urls"
WSGI_APPLICATION = "dichvucong.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dichvucong.common.context_processors.site",
                "dichvucong.agencies.vocabulary.vocabulary",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        ENV.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(ENV.get("DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 30, "transaction_mode": "IMMEDIATE"})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Every password check (our login page, the API token, the Django admin login) passes the login throttle.
AUTHENTICATION_BACKENDS = ["dichvucong.accounts.backends.ThrottledModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:after-login"
LOGOUT_REDIRECT_URL = "portal:home"
# Failed logins per (username) and per (client IP) within the window before the account/IP is throttled.
LOGIN_FAILURE_LIMIT = int(ENV.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW_SECONDS = int(ENV.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(ENV.get("SESSION_COOKIE_AGE", str(8 * 3600)))
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_COOKIES = env_bool(ENV, "SECURE_COOKIES", IS_PRODUCTION)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool(ENV, "SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(ENV.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content-Security-Policy sent on every response (see common.middleware).
CONTENT_SECURITY_POLICY = ENV.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)

# --- Internationalisation: Vietnamese first ------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

# --- Static and uploaded files -------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(ENV.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_ROOT = Path(ENV.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGE_BACKEND = ENV.get("STORAGE_BACKEND", "filesystem")  # filesystem | s3
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if STORAGE_BACKEND == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ENV.get("S3_BUCKET", "dichvucong"),
            "endpoint_url": ENV.get("S3_ENDPOINT_URL") or None,
            "access_key": ENV.get("S3_ACCESS_KEY_ID"),
            "secret_key": ENV.get("S3_SECRET_ACCESS_KEY"),
            "region_name": ENV.get("S3_REGION", "us-east-1"),
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# Uploads of dossiers (dossiers/uploads.py): per file, per dossier, and how long an unused upload is kept.
UPLOAD_MAX_BYTES = int(ENV.get("UPLOAD_MAX_BYTES", str(10 * 1024 * 1024)))
DOSSIER_MAX_BYTES = int(ENV.get("DOSSIER_MAX_BYTES", str(50 * 1024 * 1024)))
UPLOAD_TTL_HOURS = int(ENV.get("UPLOAD_TTL_HOURS", "24"))

# --- Cache (login throttling, rate limits) -------------------------------------------------------------------
REDIS_URL = ENV.get("REDIS_URL", "")
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "dichvucong"}
}

# --- Background work -----------------------------------------------------------------------------------------
CELERY_BROKER_URL = ENV.get("CELERY_BROKER_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool(ENV, "CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# `celery -A dichvucong beat`: periodic work (tests/integration/test_settings_tasks.py checks every task exists).
CELERY_BEAT_SCHEDULE = {
    "dossiers-uploads-cleanup": {"task": "dossiers.uploads_cleanup", "schedule": 3600},
    "dossiers-flag-deadlines": {
        "task": "dossiers.flag_deadlines",
        "schedule": crontab(minute=0, hour="7,13", day_of_week="mon-sat"),
    },
    "payments-poll-pending": {"task": "payments.poll_pending", "schedule": 300},
    "workflows-activate-due-processes": {
        "task": "workflows.activate_due_processes",
        "schedule": crontab(minute=5, hour=0),
    },
    "catalog-apply-due-versions": {"task": "catalog.apply_due_versions", "schedule": crontab(minute=1, hour=0)},
    # Reorganisation plans take effect at the start of their day (after the catalogue's versions, before the
    # processes activated that day), and a plan stopped half-way resumes.
    "reorg-apply-due-plans": {"task": "reorg.apply_due_plans", "schedule": crontab(minute=3, hour=0)},
}

# --- E-mail (deadline alerts to officers) -----------------------------------------------------------------------
EMAIL_BACKEND = ENV.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if IS_PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = ENV.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(ENV.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = ENV.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = ENV.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool(ENV, "EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = ENV.get("DEFAULT_FROM_EMAIL", "dichvucong@localhost")

# --- API ---------------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Fail closed: an API view that forgets `permission_classes` needs a signed-in caller. Public views say
    # `AllowAny` explicitly, and tests/security/test_route_matrix.py makes each of them a deliberate choice.
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "dichvucong.common.api.pagination.StandardPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "dichvucong.common.api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"auth_token": ENV.get("AUTH_TOKEN_THROTTLE", "10/min")},
    # Trusted reverse proxies in front of the site: throttles take the client address from the right-most
    # NUM_PROXIES entries of X-Forwarded-For (0: REMOTE_ADDR only; a spoofed header never buys a new allowance).
    "NUM_PROXIES": int(ENV.get("NUM_PROXIES", "0")),
    "DATETIME_FORMAT": "iso-8601",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dichvucong API",
    "DESCRIPTION": "Public API v1 of the provincial online public services and one-stop system.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI assets are served from our own static files (no CDN: works offline and under a strict CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Public lookup by code + CCCD (API and page share it), per client address (common/throttling.py).
LOOKUP_THROTTLE_RATE = ENV.get("LOOKUP_THROTTLE_RATE", "30/min")

# --- Digital signatures (see docs/signing.md) --------------------------------------------------------------------
SIGNING_KEYSTORE_DIR = Path(ENV.get("SIGNING_KEYSTORE_DIR", VAR_DIR / "keys"))
SIGNING_KEYSTORE_PASSPHRASE = ENV.get("SIGNING_KEYSTORE_PASSPHRASE", "" if IS_PRODUCTION else "demo-keystore")
SIGNING_TRUST_ANCHORS = env_list(ENV, "SIGNING_TRUST_ANCHORS")  # PEM files; default: <keystore>/ca.pem
SIGNING_PKCS11_MODULE = ENV.get("SIGNING_PKCS11_MODULE", "")
SIGNING_PKCS11_PIN = ENV.get("SIGNING_PKCS11_PIN", "")
SIGNING_VERIFY_MAX_BYTES = int(ENV.get("SIGNING_VERIFY_MAX_BYTES", str(20 * 1024 * 1024)))

# --- Online payment (payments app): the national payment platform, or the local simulator -------------------
# `python -m dichvucong.payments.simulator --port 8765` (or `make simulators`) serves the development default.
PAYMENT_GATEWAY_CLASS = ENV.get("PAYMENT_GATEWAY_CLASS", "dichvucong.payments.gateway.NationalPaymentPlatformClient")
PAYMENT_GATEWAY_URL = ENV.get("PAYMENT_GATEWAY_URL", "http://127.0.0.1:8765")
# The payer's browser goes (form POST, then redirect) to the platform: the CSP's form-action must allow its origin.
CSP_FORM_ACTION_ORIGINS = [
    f"{_gateway.scheme}://{_gateway.netloc}" for _gateway in [urlsplit(PAYMENT_GATEWAY_URL)] if _gateway.netloc
]
PAYMENT_MERCHANT_CODE = ENV.get("PAYMENT_MERCHANT_CODE", "HUNGYEN-DVC")
PAYMENT_SHARED_SECRET = ENV.get("PAYMENT_SHARED_SECRET", "" if IS_PRODUCTION else "dev-only-payment-secret")
PAYMENT_GATEWAY_TIMEOUT = float(ENV.get("PAYMENT_GATEWAY_TIMEOUT", "15"))
# Absolute base URL the platform calls back and redirects the payer to (this site as seen from outside).
PAYMENT_PUBLIC_BASE_URL = ENV.get("PAYMENT_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# A pending payment whose callback has not come after this many minutes is queried (payment_poll_pending).
PAYMENT_POLL_AFTER_MINUTES = int(ENV.get("PAYMENT_POLL_AFTER_MINUTES", "10"))
# The payer's return page (and the payment page) asks the platform about a payment still pending this long after it
# was created: the demo settles without Celery beat when the callback is lost (docs/payments.md).
PAYMENT_RETURN_POLL_AFTER_SECONDS = int(ENV.get("PAYMENT_RETURN_POLL_AFTER_SECONDS", "5"))

# --- Demo data ---------------------------------------------------------------------------------------------------
DEMO_PASSWORD = ENV.get("DEMO_PASSWORD", "demo")
PROVINCE_NAME = ENV.get("PROVINCE_NAME", "Hưng Yên")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": ENV.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Working days (see dichvucong/workdays/office_hours.py) ----------------------------------------------------------
WORKDAY_OFFICE_HOURS = ENV.get("WORKDAY_OFFICE_HOURS", "07:30-11:30,13:00-17:00")
WORKDAY_CUTOFF = ENV.get(
    "WORKDAY_CUTOFF", "16:30"
)  # online submissions at or after this count from the next working day
