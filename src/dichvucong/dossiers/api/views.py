"""Dossier API (API.md "Dossiers"): thin views over `submission`, `services` and `selectors`."""

from django.http import FileResponse, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.common.errors import NotFoundError
from dichvucong.common.http_cache import make_etag, not_modified, validated
from dichvucong.common.printing import printable_pdf
from dichvucong.common.throttling import LookupThrottle

from .. import selectors
from ..actions import dossier_actions, dossier_perform_action, request_serializers
from ..personal_data import record_personal_data_read
from ..submission import dossier_create, dossier_update_draft, request_fingerprint
from ..uploads import check_declared_upload_size, upload_create
from .rows import LIST_COLUMNS, dossier_list_rows
from .serializers import (
    ActionNameSerializer,
    ActionSerializer,
    DossierCreateSerializer,
    DossierDetailSerializer,
    DossierSerializer,
    DraftUpdateSerializer,
    LookupSerializer,
    UploadRequestSerializer,
    UploadSerializer,
    dossier_detail_data,
)


class UploadCreateApi(APIView):
    """Upload one file (before the dossier exists). Content is sniffed; unused uploads expire."""

    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": UploadRequestSerializer},
        responses={201: UploadSerializer},
        summary="Tải tệp lên (trước khi nộp hồ sơ)",
    )
    def post(self, request):
        check_declared_upload_size(request.META.get("CONTENT_LENGTH"))  # before the body is read
        data = UploadRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = upload_create(actor=request.user, file=data.validated_data["file"])
        return Response(UploadSerializer(upload).data, status=status.HTTP_201_CREATED)


def _detail(dossier, request) -> dict:
    return DossierDetailSerializer(dossier, context={"request": request}).data


def _reload(request, dossier):
    return selectors.dossier_get_for(user=request.user, reference=dossier.reference)


#: Conditional GET (docs/adr/0019): send back the ETag / Last-Modified of the last answer; 304 when unchanged.
CONDITIONAL_PARAMETERS = [
    OpenApiParameter("If-None-Match", location=OpenApiParameter.HEADER, description="ETag của lần đọc trước"),
    OpenApiParameter(
        "If-Modified-Since", location=OpenApiParameter.HEADER, description="Last-Modified của lần đọc trước"
    ),
]

LIST_PARAMETERS = [
    OpenApiParameter("status", description="Trạng thái (có thể nhiều, cách nhau dấu phẩy)"),
    OpenApiParameter("channel", enum=["counter", "online", "postal"]),
    OpenApiParameter("procedure", description="Mã thủ tục"),
    OpenApiParameter("agency", description="Mã cơ quan"),
    OpenApiParameter(
        "organised",
        enum=["then", "now"],
        description="Với agency: then (mặc định) chỉ hồ sơ của cơ quan đó; now gồm cả các cơ quan đã sáp nhập vào nó",
    ),
    OpenApiParameter("due_soon", OpenApiTypes.BOOL),
    OpenApiParameter("overdue", OpenApiTypes.BOOL),
    OpenApiParameter("q", description="Mã hồ sơ, tên hoặc CCCD người nộp"),
]


class DossierCollectionApi(generics.GenericAPIView):
    """GET: the dossiers the caller may see. POST: submit online, register at the counter, or save a draft.

    - `attachments`: upload ids, or `{"upload": id, "document": required_document_id}`; plain ids cover the
      required documents not yet covered, in order (mandatory first). Every mandatory document must be covered
      (by an attachment, or at the counter by `received_documents`), else 400 `missing_mandatory_document`.
    - `"draft": true` saves a draft (status `draft`, no code, not counted); resume it with
      `PATCH /api/v1/dossiers/<id>/` and submit it with `POST /api/v1/dossiers/<id>/actions/ {"action": "submit"}`.
    - `Idempotency-Key` header: a retry with the same key returns the same dossier (201, header
      `Idempotent-Replayed: true`); the same key with another body is 422 `idempotency_key_reused`.
    - Counter/postal (`channel`): reception officers only, registered at their agency (`agency` chooses one when
      they serve several); `"accept": true` accepts it at once (due date fixed).
    - Online on a citizen's behalf: a reception officer sends `"channel": "online"` with `"on_behalf_of": CCCD`;
      the citizen's account owns the dossier (it is in their "my dossiers"), the officer is recorded as creator.
    """

    permission_classes = [IsAuthenticated]
    serializer_class = DossierSerializer

    @extend_schema(parameters=LIST_PARAMETERS, responses=DossierSerializer(many=True), summary="Danh sách hồ sơ")
    def get(self, request):
        params = request.query_params
        qs = selectors.dossier_list(
            user=request.user,
            status=params.get("status"),
            channel=params.get("channel"),
            procedure=params.get("procedure"),
            due_soon=params.get("due_soon"),
            overdue=params.get("overdue"),
            agency=params.get("agency"),
            q=params.get("q"),
            organised=params.get("organised"),
        )
        page = self.paginate_queryset(qs.only(*LIST_COLUMNS))
        return self.get_paginated_response(dossier_list_rows(page))  # = DossierSerializer's output, ADR 0018

    @extend_schema(
        request=DossierCreateSerializer,
        responses={201: DossierDetailSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", location=OpenApiParameter.HEADER, description="Gửi lại cùng khóa: trả về cùng hồ sơ"
            )
        ],
        summary="Nộp hồ sơ / tiếp nhận tại một cửa / lưu nháp",
    )
    def post(self, request):
        data = DossierCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        key = request.headers.get("Idempotency-Key", "")
        result = dossier_create(
            actor=request.user,
            procedure_code=values["procedure"],
            agency_code=values.get("agency"),
            applicant=values.get("applicant"),
            form_data=values.get("form_data"),
            attachments=values.get("attachments"),
            received_documents=values.get("received_documents"),
            channel=values["channel"],
            draft=values["draft"],
            accept=values["accept"],
            summary=values["summary"],
            on_behalf_of=values["on_behalf_of"],
            sets_count=values.get("sets_count"),
            idempotency_key=key,
            fingerprint=request_fingerprint(request.data) if key else "",
        )
        # A dossier created by this request is answered from what was written (its creator sees it by construction:
        # owner or receiving officer); a replayed or a just-accepted one is read back through the visibility rule.
        dossier = result.dossier if getattr(result.dossier, "fresh", False) else _reload(request, result.dossier)
        response = Response(_detail(dossier, request), status=status.HTTP_201_CREATED)
        if not result.created:
            response["Idempotent-Replayed"] = "true"
        return response


class DossierDetailApi(APIView):
    """GET a dossier (code, or UUID for a draft) with its history; PATCH a draft (resume later)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        responses={200: DossierDetailSerializer, 304: None},
        parameters=CONDITIONAL_PARAMETERS,
        summary="Chi tiết hồ sơ",
    )
    def get(self, request, reference: str):
        # Access first (404 for anyone who may not see it), then the validator: a 304 reveals nothing more.
        # A request without validators will render: its body's rows come with the head (docs/adr/0025).
        conditional = "HTTP_IF_NONE_MATCH" in request.META or "HTTP_IF_MODIFIED_SINCE" in request.META
        dossier = selectors.dossier_status_head(user=request.user, reference=reference, with_children=not conditional)
        record_personal_data_read(user=request.user, dossier=dossier, via="api:dossier-detail")
        etag = make_etag("dossier", request.accepted_media_type, *selectors.dossier_validator(dossier))
        modified = selectors.dossier_last_modified(dossier)
        unchanged = not_modified(request, etag=etag, last_modified=modified)
        if unchanged is not None:
            return unchanged
        # The same body as `DossierDetailSerializer`, built by hand (docs/adr/0025-lean-status-read.md).
        response = Response(dossier_detail_data(selectors.dossier_status_load(dossier)))
        return validated(response, etag=etag, last_modified=modified)

    @extend_schema(request=DraftUpdateSerializer, responses=DossierDetailSerializer, summary="Sửa bản nháp")
    def patch(self, request, reference: str):
        dossier = selectors.dossier_get_for(user=request.user, reference=reference)
        data = DraftUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        dossier = dossier_update_draft(actor=request.user, dossier=dossier, **data.validated_data)
        return Response(_detail(_reload(request, dossier), request))


class DossierActionsApi(APIView):
    """GET the actions the caller may take now; POST one of them (`{"action", "note", ...}`).

    One API for the whole life of the dossier: its own transitions (accept, request_supplement, refuse, withdraw,
    start_processing, deliver, pay, ...) and, while it runs through its internal process, the actions of the
    current step (`"step": true`: forward, return, approve, sign, request_payment, consult, transfer, deliver),
    offered only to the officer holding that step (after a transfer, at the receiving agency).
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=ActionSerializer(many=True), summary="Thao tác được phép")
    def get(self, request, reference: str):
        dossier = selectors.dossier_get_for(user=request.user, reference=reference)
        actions = dossier_actions(user=request.user, dossier=dossier)
        return Response([{"name": a.name, "kind": a.kind, "label": a.label, "step": a.step} for a in actions])

    @extend_schema(
        request=PolymorphicProxySerializer(
            component_name="DossierAction", serializers=request_serializers, resource_type_field_name="action"
        ),
        responses=DossierDetailSerializer,
        summary="Thực hiện thao tác",
    )
    def post(self, request, reference: str):
        dossier = selectors.dossier_get_for(user=request.user, reference=reference)
        name = ActionNameSerializer(data=request.data)
        name.is_valid(raise_exception=True)
        dossier = dossier_perform_action(
            actor=request.user, dossier=dossier, action=name.validated_data["action"], data=request.data
        )
        return Response(_detail(_reload(request, dossier), request))


class AttachmentDownloadApi(APIView):
    """The file of an attachment: the owner and the officers handling the dossier only (others: 404)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="Tải tệp đính kèm")
    def get(self, request, reference: str, attachment: str):
        item = selectors.attachment_get_for(user=request.user, reference=reference, attachment_uuid=attachment)
        record_personal_data_read(user=request.user, dossier=item.dossier, via="api:dossier-attachment")
        response = FileResponse(
            item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class DossierFormPdfApi(APIView):
    """Forms of Circular 01/2018/TT-VPCP as PDF: receipt (01), supplement-request (02), refusal (03),
    apology (04), control-slip (05)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Biểu mẫu PDF")
    def get(self, request, reference: str, form: str):
        from ..pdf_forms import render_dossier_form

        dossier = selectors.dossier_form_get_for(user=request.user, reference=reference)
        content = render_dossier_form(dossier, form, request=request)
        return printable_pdf(content, f"{dossier.reference}-{form}.pdf")


class TrackingBookApi(APIView):
    """Mẫu 06 (TT 01/2018/TT-VPCP): the agency's tracking book over `from`..`to` (inclusive, default this month), as
    PDF or Excel. The agency's own officers and the province roles only (others 403)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "fmt", location=OpenApiParameter.PATH, enum=["pdf", "xlsx"], description="pdf (A4 ngang) hoặc xlsx"
            ),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
            OpenApiParameter(
                "organised",
                enum=["then", "now"],
                description="then: hồ sơ cơ quan này tiếp nhận; now: cả hồ sơ của các cơ quan đã sáp nhập vào nó",
            ),
        ],
        responses={
            (200, "application/pdf"): OpenApiTypes.BINARY,
            (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY,
        },
        summary="Sổ theo dõi hồ sơ (Mẫu 06) của cơ quan",
    )
    def get(self, request, code: str, fmt: str):
        from ..tracking_book import FORMATS, render_tracking_book_file, tracking_book

        if fmt not in FORMATS:
            raise NotFoundError("Định dạng không hỗ trợ (pdf, xlsx).", code="format_not_supported")
        data = tracking_book(
            user=request.user,
            agency_code=code,
            start=request.query_params.get("from"),
            end=request.query_params.get("to"),
            organised=request.query_params.get("organised"),
        )
        response = HttpResponse(render_tracking_book_file(data, fmt), content_type=FORMATS[fmt])
        name = f"so-theo-doi-{code}-{data.period_start:%Y%m%d}-{data.period_end:%Y%m%d}.{fmt}"
        response["Content-Disposition"] = f'{"inline" if fmt == "pdf" else "attachment"}; filename="{name}"'
        return response


class DossierLookupApi(APIView):
    """Public lookup by dossier code + the applicant's CCCD; 404 when the pair does not match."""

    permission_classes = [AllowAny]
    throttle_classes = [LookupThrottle]

    @extend_schema(
        parameters=[
            OpenApiParameter("code", required=True),
            OpenApiParameter("id_number", required=True),
            *CONDITIONAL_PARAMETERS,
        ],
        responses={200: LookupSerializer, 304: None},
        summary="Tra cứu hồ sơ (công khai)",
    )
    def get(self, request):
        # The pair must match before any validator is computed: a 304 is only ever an answer to a right pair.
        dossier = selectors.dossier_lookup_head(
            code=request.query_params.get("code", ""), id_number=request.query_params.get("id_number", "")
        )
        etag = make_etag("lookup", request.accepted_media_type, *selectors.dossier_validator(dossier))
        modified = selectors.dossier_last_modified(dossier)
        unchanged = not_modified(request, etag=etag, last_modified=modified)
        if unchanged is not None:
            return unchanged
        response = Response(LookupSerializer(selectors.dossier_lookup_load(dossier)).data)
        return validated(response, etag=etag, last_modified=modified)
