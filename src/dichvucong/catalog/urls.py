"""HTML routes of the catalog context, mounted at the site root (namespace "catalog")."""

urlpatterns: list = []
