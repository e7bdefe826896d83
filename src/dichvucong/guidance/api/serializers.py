from rest_framework import serializers

from ..models import ContentKind, ContentPage, SurveyReason


class AssistantResultSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    why = serializers.CharField()
    score = serializers.FloatField()
    url = serializers.CharField()


class ClarifyOptionSerializer(serializers.Serializer):
    label = serializers.CharField()
    q = serializers.CharField()


class ClarifySerializer(serializers.Serializer):
    facet = serializers.CharField()
    question = serializers.CharField()
    options = ClarifyOptionSerializer(many=True)


class LifeEventSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    name_en = serializers.CharField()


class ContentLinkSerializer(serializers.Serializer):
    kind = serializers.CharField()
    title = serializers.CharField()
    url = serializers.CharField()
    procedure_code = serializers.CharField(allow_blank=True)


class AssistantAnswerSerializer(serializers.Serializer):
    query = serializers.CharField()
    results = AssistantResultSerializer(many=True)
    clarify = ClarifySerializer(many=True)
    life_events = LifeEventSerializer(many=True)
    content = ContentLinkSerializer(many=True)
    message = serializers.CharField(allow_blank=True)
    understood = serializers.DictField(required=False)


class ContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContentPage
        fields = [
            "uuid", "kind", "slug", "title", "summary", "body", "body_html", "procedure_code", "published",
            "published_at",
        ]  # fmt: skip
        read_only_fields = ["uuid", "body_html"]


class ContentWriteSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ContentKind.choices)
    slug = serializers.CharField(max_length=120)
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    body = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=False)
    procedure_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    published = serializers.BooleanField(required=False, default=False)
    published_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class SurveySerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=SurveyReason.choices)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=1000)
    procedure_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=30)
