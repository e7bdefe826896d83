"""HTML routes of the workdays context, mounted at the site root (namespace "workdays")."""

urlpatterns: list = []
