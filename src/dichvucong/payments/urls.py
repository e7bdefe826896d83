"""HTML routes of the payments context, mounted at the site root (namespace "payments")."""

from django.urls import path

from . import views

urlpatterns = [
    path("ho-so/<str:code>/thanh-toan/", views.PaymentPageView.as_view(), name="pay"),
    path("thanh-toan/<uuid:uuid>/ket-qua/", views.PaymentReturnView.as_view(), name="return"),
    path("thanh-toan/<uuid:uuid>/kiem-tra/", views.PaymentCheckView.as_view(), name="check"),
    path("so-thu-phi/", views.CashBookView.as_view(), name="cash-book"),
    path("doi-soat/", views.ReconciliationView.as_view(), name="reconciliation"),
    path("doi-soat/<uuid:uuid>/", views.ReconciliationDetailView.as_view(), name="reconciliation-detail"),
]
