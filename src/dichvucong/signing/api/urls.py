"""API routes of the signing context, mounted under /api/v1/."""

from django.urls import path

from .views import SignatureVerifyApi, SigningCertificateListApi, TrustAnchorPemApi

urlpatterns = [
    path("signatures/verify/", SignatureVerifyApi.as_view(), name="signature-verify"),
    path("signing/ca.pem", TrustAnchorPemApi.as_view(), name="signing-ca-pem"),
    path("signing/certificates/", SigningCertificateListApi.as_view(), name="signing-certificate-list"),
]
