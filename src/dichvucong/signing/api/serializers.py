from rest_framework import serializers

from dichvucong.signing.models import SigningCertificate


class VerifyRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="Tệp PDF đã ký số (tối đa SIGNING_VERIFY_MAX_BYTES, mặc định 20 MB)")


class SignerSerializer(serializers.Serializer):
    name = serializers.CharField()
    signed_at = serializers.DateTimeField(allow_null=True)
    serial = serializers.CharField()
    issuer = serializers.CharField()
    fingerprint = serializers.CharField()
    field = serializers.CharField()
    reason = serializers.CharField()
    location = serializers.CharField()
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()
    valid = serializers.BooleanField()
    covers_whole_file = serializers.BooleanField()


class VerificationResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    intact = serializers.BooleanField()
    trusted = serializers.BooleanField()
    signers = SignerSerializer(many=True)
    problems = serializers.ListField(child=serializers.CharField())


class SigningCertificateSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    owner = serializers.CharField(source="owner_user.username", default=None, allow_null=True, read_only=True)
    agency = serializers.CharField(source="agency.code", default=None, allow_null=True, read_only=True)

    class Meta:
        model = SigningCertificate
        fields = [
            "id",
            "kind",
            "owner",
            "agency",
            "common_name",
            "subject",
            "issuer",
            "serial",
            "not_before",
            "not_after",
            "fingerprint",
            "backend",
            "active",
        ]
