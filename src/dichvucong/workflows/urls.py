"""HTML routes of the workflows context, mounted at the site root (namespace "workflows")."""

urlpatterns: list = []
