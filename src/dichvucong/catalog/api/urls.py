"""API routes of the catalog context, mounted under /api/v1/."""

urlpatterns: list = []
