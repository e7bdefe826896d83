from django.conf import settings


def site(request):
    return {"PROVINCE_NAME": settings.PROVINCE_NAME, "ENVIRONMENT": settings.ENVIRONMENT}
