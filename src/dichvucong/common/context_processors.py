from django.conf import settings
from django.utils import translation


def _own_name(code: str, name) -> str:
    with translation.override(code):
        return str(name)


def site(request):
    # Each language named in itself ("Tiếng Việt", "English"), whatever the language of the page.
    languages = [(code, _own_name(code, name)) for code, name in settings.LANGUAGES]
    return {"PROVINCE_NAME": settings.PROVINCE_NAME, "ENVIRONMENT": settings.ENVIRONMENT, "LANGUAGE_CHOICES": languages}
