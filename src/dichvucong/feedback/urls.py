"""HTML routes of the feedback context, mounted at the site root (namespace "feedback")."""

from django.urls import path

from . import views

urlpatterns = [
    path("ho-so/cua-toi/<str:reference>/danh-gia/", views.rate, name="rate"),
    path("danh-gia/", views.ratings, name="ratings"),
    path("phan-anh/", views.public, name="public"),
    path("phan-anh/gui/", views.create, name="create"),
    path("phan-anh/quan-ly/", views.office_list, name="office-list"),
    path("phan-anh/thoi-han/", views.policy, name="policy"),
    path("phan-anh/<uuid:uuid>/", views.detail, name="detail"),
]
