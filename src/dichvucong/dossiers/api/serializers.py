"""API representations of dossiers (read) and of submission / action requests (input shape only: the rules
live in the services)."""

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..actions import action_kinds
from ..dossier_deadlines import due_soon_limit
from ..models import Dossier, Upload
from ..selectors import deadline_flags, dossier_timeline
from ..state_machine import Channel, Status
from ..submission import APPLICANT_MAX_LENGTHS, SUMMARY_MAX_LENGTH
from .rows import api_time, dossier_row


class UploadSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    name = serializers.CharField(source="original_name", read_only=True)

    class Meta:
        model = Upload
        fields = ["id", "name", "size", "content_type", "sha256", "expires_at"]


class UploadRequestSerializer(serializers.Serializer):
    file = serializers.FileField()


class ApplicantSerializer(serializers.Serializer):
    """Shape and lengths (for the schema); the service checks them again with the phone's and e-mail's form
    (`submission.check_applicant_values`), so pages and API give the same answer."""

    full_name = serializers.CharField(required=False, allow_blank=True, max_length=APPLICANT_MAX_LENGTHS["full_name"])
    id_number = serializers.CharField(required=False, allow_blank=True, max_length=APPLICANT_MAX_LENGTHS["id_number"])
    phone = serializers.CharField(required=False, allow_blank=True, max_length=APPLICANT_MAX_LENGTHS["phone"])
    email = serializers.CharField(required=False, allow_blank=True, max_length=APPLICANT_MAX_LENGTHS["email"])
    address = serializers.CharField(required=False, allow_blank=True, max_length=APPLICANT_MAX_LENGTHS["address"])
    organisation = serializers.CharField(
        required=False, allow_blank=True, max_length=APPLICANT_MAX_LENGTHS["organisation"]
    )
    tax_code = serializers.CharField(required=False, allow_blank=True, max_length=APPLICANT_MAX_LENGTHS["tax_code"])


class DossierCreateSerializer(serializers.Serializer):
    procedure = serializers.CharField(help_text="Mã thủ tục (quốc gia)")
    agency = serializers.CharField(
        required=False,
        allow_blank=True,
        allow_null=True,
        help_text="Mã QCVN 102 của cơ quan tiếp nhận (trực tuyến: bắt buộc)",
    )
    channel = serializers.ChoiceField(choices=Channel.values, default=Channel.ONLINE)
    applicant = ApplicantSerializer(required=False)
    form_data = serializers.DictField(required=False, default=dict)
    attachments = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        default=list,
        help_text='Mã tệp tải lên, hoặc {"upload": id, "document": id thành phần}',
    )
    received_documents = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        default=list,
        help_text="Cán bộ một cửa: id thành phần hồ sơ giấy đã kiểm tra",
    )
    draft = serializers.BooleanField(required=False, default=False)
    accept = serializers.BooleanField(
        required=False, default=False, help_text="Cán bộ một cửa: tiếp nhận ngay khi đăng ký"
    )
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=SUMMARY_MAX_LENGTH)
    on_behalf_of = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Cán bộ một cửa nộp trực tuyến thay công dân: số CCCD của tài khoản công dân (chủ hồ sơ)",
    )
    sets_count = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Cán bộ một cửa (counter/postal): số bộ hồ sơ giấy đã nhận, 1-20 "
        "(mặc định 1; trực tuyến luôn là 1); in trên Mẫu 01 và Mẫu 06",
    )


class DraftUpdateSerializer(serializers.Serializer):
    applicant = ApplicantSerializer(required=False)
    form_data = serializers.DictField(required=False)
    attachments = serializers.ListField(child=serializers.JSONField(), required=False)


class ActionNameSerializer(serializers.Serializer):
    """The `action` of `POST .../actions/`; the rest of the body is checked by that action's own serializer
    (`dossiers.actions.request_serializers`, one per action in the OpenAPI schema)."""

    action = serializers.CharField()


class ActionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text='Giá trị gửi lại trong POST .../actions/ {"action": name}')
    kind = serializers.ChoiceField(
        choices=action_kinds(),
        help_text="Các loại của API.md, thêm `submit` (chủ hồ sơ nộp bản nháp đã lưu) và `stop` (dừng xử lý, trạng "
        "thái quốc gia 8); xem docs/api-notes.md",
    )
    label = serializers.CharField()
    step = serializers.BooleanField(help_text="Thao tác ở bước xử lý hiện tại của quy trình nội bộ")


def _limit(context):
    if "due_soon_limit" not in context:
        context["due_soon_limit"] = due_soon_limit(timezone.now())
    return context["due_soon_limit"]


class DossierSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="uuid", read_only=True)
    status_label = serializers.SerializerMethodField()
    national_status = serializers.IntegerField(read_only=True, allow_null=True)
    national_channel = serializers.IntegerField(read_only=True)
    procedure = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()
    applicant = serializers.SerializerMethodField()
    due_date = serializers.DateField(read_only=True, allow_null=True)
    overdue = serializers.SerializerMethodField()
    due_soon = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "code",
            "id",
            "status",
            "status_label",
            "national_status",
            "channel",
            "national_channel",
            "procedure",
            "agency",
            "applicant",
            "summary",
            "submitted_at",
            "received_at",
            "accepted_at",
            "due_at",
            "due_date",
            "finished_at",
            "returned_at",
            "timeliness",
            "current_step",
            "overdue",
            "due_soon",
            "created_at",
        ]

    def get_status_label(self, obj) -> str:
        return str(Status(obj.status).label)

    @extend_schema_field({"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}})
    def get_procedure(self, obj):
        return {
            "code": obj.procedure.code,
            "name": obj.procedure.name,
            "processing_days": str(obj.procedure.processing_days),
        }

    @extend_schema_field({"type": "object", "properties": {"code": {"type": "string"}, "name": {"type": "string"}}})
    def get_agency(self, obj):
        return {"code": obj.agency.code, "name": obj.agency.name}

    @extend_schema_field(ApplicantSerializer)
    def get_applicant(self, obj):
        return {
            "full_name": obj.applicant_name,
            "id_number": obj.applicant_id_number,
            "phone": obj.applicant_phone,
            "email": obj.applicant_email,
            "address": obj.applicant_address,
            "organisation": obj.applicant_organisation,
            "tax_code": obj.applicant_tax_code,
        }

    def get_overdue(self, obj) -> bool:
        return deadline_flags(obj, limit=_limit(self.context))["overdue"]

    def get_due_soon(self, obj) -> bool:
        return deadline_flags(obj, limit=_limit(self.context))["due_soon"]


class EventSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor_label")
    action = serializers.CharField()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    note = serializers.CharField()


def _apology_data(obj) -> dict | None:
    apology = getattr(obj, "apology", None) if hasattr(obj, "apology") else None
    if apology is None:
        return None
    return {
        "reason": apology.reason,
        "previous_due_at": apology.previous_due_at,
        "new_due_at": apology.new_due_at,
        "issued_at": apology.issued_at,
    }


def attachment_data(att, reference: str) -> dict:
    """One attachment as the detail shows it (the serializer and the status read's hand-made body)."""
    return {
        "id": str(att.uuid),
        "name": att.original_name,
        "size": att.size,
        "content_type": att.content_type,
        "sha256": att.sha256,
        "document": att.required_document_id,
        "document_name": att.required_document.name if att.required_document_id else "",
        "url": reverse("api:dossier-attachment", args=[reference, att.uuid]),
    }


class DossierDetailSerializer(DossierSerializer):
    form_data = serializers.JSONField(read_only=True)
    attachments = serializers.SerializerMethodField()
    received_documents = serializers.SerializerMethodField()
    supplement_requests = serializers.SerializerMethodField()
    apology = serializers.SerializerMethodField()
    history = EventSerializer(source="events", many=True, read_only=True)

    class Meta(DossierSerializer.Meta):
        fields = [
            *DossierSerializer.Meta.fields,
            "sets_count",
            "form_data",
            "attachments",
            "received_documents",
            "supplement_requests",
            "apology",
            "history",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_attachments(self, obj):
        return [attachment_data(att, obj.reference) for att in obj.attachments.all()]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_received_documents(self, obj):
        return [
            {"document": row.required_document_id, "name": row.name, "originals": row.originals, "copies": row.copies}
            for row in obj.received_documents.all()
        ]

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_supplement_requests(self, obj):
        return [
            {
                "items": row.items,
                "note": row.note,
                "requested_at": row.requested_at,
                "supplemented_at": row.supplemented_at,
            }
            for row in obj.supplement_requests.all()
        ]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_apology(self, obj):
        return _apology_data(obj)


class LookupSerializer(serializers.Serializer):
    """What the public may see: no applicant data beyond what they typed, no files."""

    code = serializers.CharField()
    procedure = serializers.CharField(source="procedure.name")
    agency = serializers.CharField(source="agency.name")
    status = serializers.CharField()
    status_label = serializers.SerializerMethodField()
    national_status = serializers.IntegerField(allow_null=True)
    received_at = serializers.DateTimeField(allow_null=True)
    due_date = serializers.DateField(allow_null=True)
    returned_at = serializers.DateTimeField(allow_null=True)
    timeline = serializers.SerializerMethodField()

    def get_status_label(self, obj) -> str:
        return str(Status(obj.status).label)

    @extend_schema_field(serializers.ListField(child=serializers.DictField()))
    def get_timeline(self, obj):
        return [{key: item[key] for key in ("at", "action", "label", "to_status")} for item in dossier_timeline(obj)]


def dossier_detail_data(dossier, *, limit=None) -> dict:
    """`DossierDetailSerializer(dossier).data`, written by hand for the status read (docs/adr/0025-lean-status-read.md):
    the serializer builds its ~30 fields anew on every call, which cost more than the read's SQL. Same keys in the
    same order, same values; tests/dossiers/test_status_read.py compares the two on every state it builds, so a
    field added to the serializer must be added here (the test fails otherwise). `limit`: `due_soon_limit(now)`."""
    if limit is None:
        limit = due_soon_limit(timezone.now())
    reference = dossier.reference
    labels = {dossier.status: str(Status(dossier.status).label)}
    return {
        **dossier_row(dossier, limit=limit, zone=timezone.get_current_timezone(), labels=labels),
        "sets_count": int(dossier.sets_count),
        "form_data": dossier.form_data,
        "attachments": [attachment_data(att, reference) for att in dossier.attachments.all()],
        "received_documents": [
            {"document": row.required_document_id, "name": row.name, "originals": row.originals, "copies": row.copies}
            for row in dossier.received_documents.all()
        ],
        "supplement_requests": [
            {
                "items": row.items,
                "note": row.note,
                "requested_at": row.requested_at,
                "supplemented_at": row.supplemented_at,
            }
            for row in dossier.supplement_requests.all()
        ],
        "apology": _apology_data(dossier),
        "history": [
            {
                "at": api_time(event.at, timezone.get_current_timezone()),
                "actor": _text(event.actor_label),
                "action": _text(event.action),
                "from_status": _text(event.from_status),
                "to_status": _text(event.to_status),
                "note": _text(event.note),
            }
            for event in dossier.events.all()
        ],
    }


def _text(value) -> str | None:
    return None if value is None else str(value)
