"""API routes of the payments context, mounted under /api/v1/."""

urlpatterns: list = []
