"""The API's JSON renderer: every aware datetime in local time with its offset (API.md: ISO 8601, +07:00), also
those returned by hand-built dicts (`SerializerMethodField`, `JSONField`) that bypass DRF's `DateTimeField`."""

import datetime

from django.utils import timezone
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder


class LocalTimeJSONEncoder(JSONEncoder):
    def default(self, obj):
        if isinstance(obj, datetime.datetime) and timezone.is_aware(obj):
            return timezone.localtime(obj).isoformat()
        return super().default(obj)


class LocalTimeJSONRenderer(JSONRenderer):
    encoder_class = LocalTimeJSONEncoder
