"""API routes of the dossiers context, mounted under /api/v1/."""

urlpatterns: list = []
