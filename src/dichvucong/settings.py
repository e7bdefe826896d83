"""Settings: everything comes from the environment (12-factor), with embedded defaults for `make run`.

DJANGO_ENV selects the mode: `development` (default: SQLite under var/, eager Celery, filesystem storage),
`test`, or `production` (refuses to start without a real SECRET_KEY, with DEBUG on, or with open ALLOWED_HOSTS).
"""

import json
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
# Throttles and rate limits count in the cache: in production every process must share it (Redis), else each
# worker counts on its own and the limits multiply by the number of workers.
REDIS_URL = ENV.get("REDIS_URL", "")
check_production_settings(
    environment=ENVIRONMENT,
    secret_key=SECRET_KEY,
    debug=DEBUG,
    allowed_hosts=ALLOWED_HOSTS,
    shared_cache=bool(REDIS_URL) or env_bool(ENV, "ALLOW_PROCESS_LOCAL_CACHE", False),
    audit_keys=ENV.get("AUDIT_HMAC_KEYS", ""),
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
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
    "dichvucong.guidance",
    "dichvucong.payments",
    "dichvucong.signing",
    "dichvucong.identity",
    "dichvucong.results",
    "dichvucong.wallet",
    "dichvucong.integrations",
    "dichvucong.feedback",
    "dichvucong.monitoring",
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
    # NUL characters, oversized bodies, JSON nested too deep: refused before any view (common/request_guard.py).
    "dichvucong.common.request_guard.RequestGuardMiddleware",
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
# Behind PgBouncer in transaction pooling a server-side cursor (`QuerySet.iterator()`) cannot outlive its
# transaction: DB_DISABLE_SERVER_SIDE_CURSORS=1 there (docs/deployment.md).
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env_bool(ENV, "DB_DISABLE_SERVER_SIDE_CURSORS", False)
# PostgreSQL's JIT compiles the monitoring reports' larger GROUP BYs once the data passes ~10M dossiers and makes them
# 4x slower (148 vs 34 ms, docs/benchmarks.md (e), run D): off per connection by default. PgBouncer refuses the
# `options` startup parameter: there set DB_JIT=server and `ALTER DATABASE … SET jit = off` (docs/deployment.md).
if DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql") and ENV.get("DB_JIT", "off") == "off":
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# psycopg's C loader for timestamptz instead of Django's pure-Python one (same values; docs/adr/0028).
DB_FAST_TIMESTAMPTZ = env_bool(ENV, "DB_FAST_TIMESTAMPTZ", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and security -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Every password check (our login page, the API token, the Django admin login) passes the login throttle.
AUTHENTICATION_BACKENDS = [
    "dichvucong.accounts.backends.ThrottledModelBackend",
    # Single sign-on with the national identity provider (identity/oidc.py; OpenID Connect, see docs/identity.md).
    "dichvucong.identity.oidc.NationalIdentityBackend",
]
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
# Failed logins within the window: per account (past it even the right password is refused) and per client address
# (much higher; past it wrong passwords are refused as throttled, the right one passes). accounts/login_throttle.py
LOGIN_FAILURE_LIMIT = int(ENV.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_ADDRESS_FAILURE_LIMIT = int(ENV.get("LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
LOGIN_FAILURE_WINDOW_SECONDS = int(ENV.get("LOGIN_FAILURE_WINDOW_SECONDS", "900"))

# Self-registration: the account stays inactive until the e-mailed link (valid this long) is followed.
ACCOUNT_VERIFICATION_MAX_AGE_HOURS = int(ENV.get("ACCOUNT_VERIFICATION_MAX_AGE_HOURS", "48"))
# Registration and password reset pages (they send e-mail) per client address.
ACCOUNT_MAIL_THROTTLE_RATE = ENV.get("ACCOUNT_MAIL_THROTTLE_RATE", "10/hour")
# Password reset links (Django's token generator) are valid this long.
PASSWORD_RESET_TIMEOUT = int(ENV.get("PASSWORD_RESET_TIMEOUT", str(3 * 3600)))

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

# --- Audit chain (audit/keys.py, audit/checkpoints.py): HMAC keys outside the database, first one current --------
AUDIT_HMAC_KEYS = ENV.get("AUDIT_HMAC_KEYS", "" if IS_PRODUCTION else "dev:" + INSECURE_KEY_PREFIX + "audit-chain-key")
# Signed checkpoints of the chain's head: mount this on storage the database's administrators cannot write.
AUDIT_CHECKPOINT_DIR = Path(ENV.get("AUDIT_CHECKPOINT_DIR", VAR_DIR / "audit"))

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
        "BACKEND": "dichvucong.common.staticfiles.ForgivingManifestStaticFilesStorage"
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
# Any request body larger than this (by its declared Content-Length) is refused with a 413 before it is read
# (common/request_guard.py); default: one dossier's files + 1 MB. JSON bodies nest at most REQUEST_JSON_MAX_DEPTH.
REQUEST_MAX_BYTES = int(ENV.get("REQUEST_MAX_BYTES", str(DOSSIER_MAX_BYTES + 1024 * 1024)))
REQUEST_JSON_MAX_DEPTH = int(ENV.get("REQUEST_JSON_MAX_DEPTH", "32"))
# Office files (DOCX/XLSX) are ZIP packages: refuse one that inflates beyond this size or ratio (a zip bomb).
UPLOAD_MAX_INFLATED_BYTES = int(ENV.get("UPLOAD_MAX_INFLATED_BYTES", str(50 * 1024 * 1024)))
UPLOAD_MAX_INFLATE_RATIO = int(ENV.get("UPLOAD_MAX_INFLATE_RATIO", "100"))
# Files on disk under the uploads folder that no row names, older than this, are removed by `uploads_cleanup`.
UPLOAD_ORPHAN_GRACE_HOURS = int(ENV.get("UPLOAD_ORPHAN_GRACE_HOURS", "1"))
# The database unreachable: pages and API answer 503 with this Retry-After (common/error_pages.py).
OUTAGE_RETRY_AFTER_SECONDS = int(ENV.get("OUTAGE_RETRY_AFTER_SECONDS", "30"))

# --- Cache (login throttling, rate limits; REDIS_URL is read above) ------------------------------------------
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
CELERY_TASK_DEFAULT_QUEUE = ENV.get("CELERY_TASK_DEFAULT_QUEUE", "celery")
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
    # The outbox (issue 14): deliver what is due (retries after a backoff, messages of a crashed worker) and pull the
    # dossiers submitted on the National Public Service Portal.
    "integrations-deliver-due": {"task": "integrations.deliver_due", "schedule": 15},
    "integrations-pull-national-portal": {"task": "integrations.pull_national_portal", "schedule": 60},
    "integrations-sync-catalog": {"task": "integrations.sync_catalog", "schedule": crontab(minute=30, hour=1)},
    "audit-checkpoint": {"task": "audit.checkpoint", "schedule": 3600},
    # Reorganisation plans take effect at the start of their day (after the catalogue's versions, before the
    # processes activated that day), and a plan stopped half-way resumes.
    "reorg-apply-due-plans": {"task": "reorg.apply_due_plans", "schedule": crontab(minute=3, hour=0)},
    # The monthly reporting cycle (issue 13): each agency's draft of the month, generated from the data of the 20th.
    "monitoring-generate-monthly-drafts": {
        "task": "monitoring.generate_monthly_drafts",
        "schedule": crontab(minute=30, hour=0, day_of_month="20-31"),
    },
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

# API tokens (accounts/tokens.py): stored hashed, revocable by their owner, valid this many hours after issue.
API_TOKEN_TTL_HOURS = int(ENV.get("API_TOKEN_TTL_HOURS", "720"))

# An officer's reads of a dossier's personal data are audited (dossiers/personal_data.py): one row per officer,
# dossier and page/endpoint within this window.
PERSONAL_DATA_READ_AUDIT_WINDOW_SECONDS = int(ENV.get("PERSONAL_DATA_READ_AUDIT_WINDOW_SECONDS", "900"))

# --- API ---------------------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "dichvucong.accounts.tokens.HashedTokenAuthentication",
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
    # Times with the +07:00 offset everywhere, also in hand-built dicts (common/api/renderers.py).
    "DEFAULT_RENDERER_CLASSES": [
        "dichvucong.common.api.renderers.LocalTimeJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dichvucong API",
    "DESCRIPTION": "Public API v1 of the provincial online public services and one-stop system.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "PaymentMethodEnum": "dichvucong.payments.models.PaymentMethod.choices",
        "DeskPaymentMethodEnum": "dichvucong.payments.models.DESK_METHOD_CHOICES",
        "DeliveryMethodEnum": "dichvucong.results.models.DeliveryMethod.choices",
    },
    # Swagger UI assets are served from our own static files (no CDN: works offline and under a strict CSP).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# Public lookup by code + CCCD (API and page share it), per client address (common/throttling.py).
LOOKUP_THROTTLE_RATE = ENV.get("LOOKUP_THROTTLE_RATE", "30/min")
# The procedure assistant (`/api/v1/assistant/` and its page share one allowance per client address).
ASSISTANT_THROTTLE_RATE = ENV.get("ASSISTANT_THROTTLE_RATE", "60/min")
# Phản ánh / kiến nghị filed anonymously (feedback app): per client address.
FEEDBACK_THROTTLE_RATE = ENV.get("FEEDBACK_THROTTLE_RATE", "10/hour")

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

# --- Results sent by post (results app): the postal carrier's public-service API, or the local simulator ----------
# `python -m dichvucong.results.postal_simulator --port 8773` (started by `make run`). Empty URL: no carrier API, the
# desk types the tracking number and records the post's answer by hand (docs/results.md).
POSTAL_CARRIER_URL = ENV.get("POSTAL_CARRIER_URL", "")
POSTAL_CARRIER_SECRET = ENV.get("POSTAL_CARRIER_SECRET", "" if IS_PRODUCTION else "dev-only-postal-secret")
POSTAL_CARRIER_TIMEOUT = float(ENV.get("POSTAL_CARRIER_TIMEOUT", "15"))
# This site as the carrier sees it (its delivered / failed callbacks).
POSTAL_PUBLIC_BASE_URL = ENV.get("POSTAL_PUBLIC_BASE_URL", PAYMENT_PUBLIC_BASE_URL)

# --- Single sign-on: the national identity provider (VNeID / national portal SSO), or the local one ----------------
# `python simulators/idp/serve.py --port 8771` (started by `make run`) serves the development default. Empty
# OIDC_PROVIDER_URL disables the «Đăng nhập bằng định danh điện tử» button (production must set it explicitly).
OIDC_PROVIDER_URL = ENV.get("OIDC_PROVIDER_URL", "" if IS_PRODUCTION else "http://127.0.0.1:8771").rstrip("/")
OIDC_ENABLED = bool(OIDC_PROVIDER_URL)
OIDC_OP_ISSUER = ENV.get("OIDC_OP_ISSUER", f"{OIDC_PROVIDER_URL}/o")
OIDC_OP_AUTHORIZATION_ENDPOINT = ENV.get("OIDC_OP_AUTHORIZATION_ENDPOINT", f"{OIDC_OP_ISSUER}/authorize/")
OIDC_OP_TOKEN_ENDPOINT = ENV.get("OIDC_OP_TOKEN_ENDPOINT", f"{OIDC_OP_ISSUER}/token/")
OIDC_OP_USER_ENDPOINT = ENV.get("OIDC_OP_USER_ENDPOINT", f"{OIDC_OP_ISSUER}/userinfo/")
OIDC_OP_JWKS_ENDPOINT = ENV.get("OIDC_OP_JWKS_ENDPOINT", f"{OIDC_OP_ISSUER}/.well-known/jwks.json")
OIDC_OP_END_SESSION_ENDPOINT = ENV.get("OIDC_OP_END_SESSION_ENDPOINT", f"{OIDC_OP_ISSUER}/logout/")
OIDC_RP_CLIENT_ID = ENV.get("OIDC_RP_CLIENT_ID", "dichvucong")
OIDC_RP_CLIENT_SECRET = ENV.get("OIDC_RP_CLIENT_SECRET", "" if IS_PRODUCTION else "dev-only-oidc-secret")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid profile email phone"
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_STORE_ID_TOKEN = True
OIDC_TIMEOUT = float(ENV.get("OIDC_TIMEOUT", "10"))
OIDC_CLOCK_SKEW_SECONDS = int(ENV.get("OIDC_CLOCK_SKEW_SECONDS", "60"))
OIDC_AUTHENTICATION_CALLBACK_URL = "identity:oidc-callback"
OIDC_TRUSTED_LOGOUT_HOSTS = [urlsplit(OIDC_OP_END_SESSION_ENDPOINT).netloc] if OIDC_ENABLED else []
if OIDC_ENABLED:  # the logout form's redirect goes to the provider: the CSP's form-action must allow it
    CSP_FORM_ACTION_ORIGINS.append(
        f"{urlsplit(OIDC_OP_END_SESSION_ENDPOINT).scheme}://{urlsplit(OIDC_OP_END_SESSION_ENDPOINT).netloc}"
    )

# --- National population database (through the LGSP), or the local simulator -----------------------------------
# `python simulators/population_registry/server.py --port 8772` (started by `make run`) serves the default.
POPULATION_REGISTRY_URL = ENV.get("POPULATION_REGISTRY_URL", "" if IS_PRODUCTION else "http://127.0.0.1:8772")
POPULATION_REGISTRY_API_KEY = ENV.get("POPULATION_REGISTRY_API_KEY", "" if IS_PRODUCTION else "dev-only-registry-key")
POPULATION_REGISTRY_TIMEOUT = float(ENV.get("POPULATION_REGISTRY_TIMEOUT", "10"))

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

# --- Integration platform (issue 14; docs/adr/0009-integration-outbox.md) ------------------------------------------
# Who delivers the outbox: "celery" (workers on CELERY_BROKER_URL, RabbitMQ in production), "thread" (an in-process
# worker thread: the embedded default without a broker), "manual" (nobody; tests and commands call deliver_due).
INTEGRATIONS_DELIVERY = ENV.get("INTEGRATIONS_DELIVERY", "")
INTEGRATIONS_RETRY_BASE_SECONDS = float(ENV.get("INTEGRATIONS_RETRY_BASE_SECONDS", "10"))
INTEGRATIONS_RETRY_CEILING_SECONDS = float(ENV.get("INTEGRATIONS_RETRY_CEILING_SECONDS", "3600"))
INTEGRATIONS_MAX_ATTEMPTS = int(ENV.get("INTEGRATIONS_MAX_ATTEMPTS", "60"))
INTEGRATIONS_LEASE_SECONDS = float(ENV.get("INTEGRATIONS_LEASE_SECONDS", "120"))
INTEGRATIONS_TIMEOUT_SECONDS = float(ENV.get("INTEGRATIONS_TIMEOUT_SECONDS", "10"))
INTEGRATIONS_SWEEP_SECONDS = float(ENV.get("INTEGRATIONS_SWEEP_SECONDS", "10"))
# The National Public Service Portal (through the LGSP): packets out, dossiers in (pull, and pushes signed with
# NATIONAL_PORTAL_PUSH_SECRET). The development defaults are those of its simulator (port 8766).
NATIONAL_PORTAL_URL = ENV.get("NATIONAL_PORTAL_URL", "http://127.0.0.1:8766")
NATIONAL_PORTAL_TOKEN = ENV.get("NATIONAL_PORTAL_TOKEN", "" if IS_PRODUCTION else "dev-only-lgsp-token")
NATIONAL_PORTAL_PUSH_SECRET = ENV.get(
    "NATIONAL_PORTAL_PUSH_SECRET", "" if IS_PRODUCTION else "dev-only-national-push-secret"
)
NATIONAL_PORTAL_MAX_FILE_BYTES = int(ENV.get("NATIONAL_PORTAL_MAX_FILE_BYTES", str(20 * 1024 * 1024)))
# SMS gateway (its simulator on port 8767 in development).
SMS_GATEWAY_URL = ENV.get("SMS_GATEWAY_URL", "http://127.0.0.1:8767")
SMS_API_KEY = ENV.get("SMS_API_KEY", "" if IS_PRODUCTION else "dev-only-sms-key")
SMS_SENDER = ENV.get("SMS_SENDER", "DVC-HUNGYEN")
# Ministry systems reached through the generic JSON adapter: JSON {"<code>": {"name", "url", "secret"}}.
MINISTRY_SYSTEMS = json.loads(ENV.get("MINISTRY_SYSTEMS", "{}") or "{}")
