"""HTML routes of the signing context, mounted at the site root (namespace "signing")."""

urlpatterns: list = []
