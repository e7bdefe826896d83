"""HTML routes of the payments context, mounted at the site root (namespace "payments")."""

urlpatterns: list = []
