"""HTML routes of the dossiers context, mounted at the site root (namespace "dossiers")."""

urlpatterns: list = []
