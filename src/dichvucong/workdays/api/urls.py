"""API routes of the workdays context, mounted under /api/v1/."""

from django.urls import path

from .views import WorkdayAddApi, WorkdayYearApi

urlpatterns = [
    path("workdays/", WorkdayYearApi.as_view(), name="workdays-year"),
    path("workdays/add/", WorkdayAddApi.as_view(), name="workdays-add"),
]
