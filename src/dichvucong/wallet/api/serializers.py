from django.urls import reverse
from rest_framework import serializers

from ..models import WalletItem


class WalletItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    source_dossier = serializers.CharField(source="source_code", read_only=True)
    document = serializers.IntegerField(source="required_document_id", read_only=True, allow_null=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = WalletItem
        fields = [
            "id",
            "kind",
            "title",
            "original_name",
            "content_type",
            "size",
            "sha256",
            "source_dossier",
            "document",
            "created_at",
            "download_url",
        ]

    def get_download_url(self, obj) -> str:
        return reverse("api:wallet-item-file", args=[obj.uuid])
