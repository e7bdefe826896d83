"""System checks of the deployment (`manage.py check --deploy`; every management command runs the others)."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.staticfiles, deploy=True)
def static_manifest_present(app_configs=None, **kwargs):
    """In production the static files must have been collected (`manage.py collectstatic --noinput`)."""
    if not getattr(settings, "IS_PRODUCTION", False):
        return []
    manifest = settings.STATIC_ROOT / "staticfiles.json"
    if manifest.exists():
        return []
    return [
        Warning(
            f"No static manifest at {manifest}: run `manage.py collectstatic --noinput` before starting the server.",
            hint="Pages still render (common/staticfiles.py) but without their styles and scripts.",
            id="dichvucong.W001",
        )
    ]
