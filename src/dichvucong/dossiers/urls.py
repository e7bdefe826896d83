"""HTML routes of the dossiers context, mounted at the site root (namespace "dossiers")."""

from django.urls import path

from . import views

urlpatterns = [
    path("ho-so/nop/<str:procedure_code>/", views.submit_wizard, name="submit"),
    path("ho-so/nhap/<uuid:draft>/", views.draft_edit, name="draft-edit"),
    path("ho-so/nhap/<uuid:draft>/xem-lai/", views.draft_review, name="review"),
    path("ho-so/cua-toi/", views.my_dossiers, name="my-list"),
    path("ho-so/cua-toi/<str:reference>/", views.my_dossier_detail, name="my-detail"),
    path("tra-cuu/", views.lookup, name="lookup"),
    path("mot-cua/tiep-nhan/", views.counter_reception, name="counter"),
    path("mot-cua/nop-truc-tuyen-thay/", views.assisted_online, name="assisted"),
    path("mot-cua/ho-so/", views.office_list, name="office-list"),
    path("mot-cua/ho-so/<str:reference>/", views.office_detail, name="office-detail"),
]
