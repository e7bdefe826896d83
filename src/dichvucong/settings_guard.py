"""Refuse to start production with unsafe settings (12-factor: everything from the environment)."""

from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

INSECURE_KEY_PREFIX = "insecure-dev-only-"


def check_production_settings(
    *,
    environment: str,
    secret_key: str,
    debug: bool,
    allowed_hosts: list[str],
    shared_cache: bool = True,
    audit_keys: str | None = None,
) -> None:
    """Raise ImproperlyConfigured when a production process would run with unsafe settings."""
    if environment != "production":
        return
    problems = []
    if not secret_key or secret_key.startswith(INSECURE_KEY_PREFIX) or len(secret_key) < 32:
        problems.append("SECRET_KEY must be set to a random value of at least 32 characters")
    if debug:
        problems.append("DEBUG must be off in production")
    if not allowed_hosts or "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS must list the real host names")
    if audit_keys is not None:
        secrets = [pair.partition(":")[2].strip() for pair in audit_keys.split(",") if pair.strip()]
        if not secrets or any(len(secret) < 32 or secret.startswith(INSECURE_KEY_PREFIX) for secret in secrets):
            problems.append(
                "AUDIT_HMAC_KEYS must hold key_id:secret pairs with random secrets of at least 32 characters"
            )
    if not shared_cache:
        problems.append(
            "REDIS_URL must name the cache shared by every process (login throttling and rate limits); "
            "ALLOW_PROCESS_LOCAL_CACHE=1 only for a single-process deployment"
        )
    if problems:
        raise ImproperlyConfigured("Refusing to start in production: " + "; ".join(problems))


def env_bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    value = env.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(env: Mapping[str, str], name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env.get(name, default).split(",") if item.strip()]
