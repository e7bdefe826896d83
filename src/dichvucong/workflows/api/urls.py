"""API routes of the workflows context, mounted under /api/v1/."""

urlpatterns: list = []
