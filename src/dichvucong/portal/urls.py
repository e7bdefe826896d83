from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("sau-dang-nhap/", views.after_login, name="after-login"),
]
