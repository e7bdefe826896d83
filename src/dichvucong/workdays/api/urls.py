"""API routes of the workdays context, mounted under /api/v1/."""

urlpatterns: list = []
