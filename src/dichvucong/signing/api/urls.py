"""API routes of the signing context, mounted under /api/v1/."""

urlpatterns: list = []
