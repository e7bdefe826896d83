"""Reports API (issue 13 "API"): `/api/v1/reports/{procedures,dossiers,targets,scorecard}/`, `?format=xlsx`.

Monitors and the province admin see the province (any `agency=`); an agency's officers their agency and the units
below it; anyone else is refused (403 `report_forbidden`); citizens have the public statistics page."""

from urllib.parse import urlencode

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.catalog.models import Procedure
from dichvucong.common.api.pagination import StandardPagination
from dichvucong.common.errors import PermissionDeniedError, ValidationFailed
from dichvucong.dossiers.models import Dossier

from .. import monthly, reports, services
from ..access import report_scope
from ..exports import (
    monthly_pdf,
    monthly_xlsx,
    report_pdf,
    report_xlsx,
    scorecard_pdf,
    table_xlsx,
    targets_pdf,
    waits_pdf,
    waits_xlsx,
)
from ..public import public_statistics
from ..scorecard import scorecard
from ..targets import RAG_LABELS, plan_by_number, plan_targets
from ..waits import step_waits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class XlsxRenderer(BaseRenderer):
    """Lets `?format=xlsx` through DRF's content negotiation; the views answer with the workbook themselves."""

    media_type = XLSX
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data if isinstance(data, bytes) else b""


class PdfRenderer(XlsxRenderer):
    media_type = "application/pdf"
    format = "pdf"


RENDERERS = [JSONRenderer, BrowsableAPIRenderer, XlsxRenderer, PdfRenderer]


def pdf_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}-{timezone.localdate():%Y%m%d}.xlsx"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _wants_xlsx(request) -> bool:
    return request.query_params.get("format") == "xlsx"


def _wants_pdf(request) -> bool:
    return request.query_params.get("format") == "pdf"


def _organised(params) -> str:
    """`organised=then` (default: as organised when handled) or `now` (rolled up into today's successors)."""
    return reports.parse_choice(params.get("organised"), reports.ORGANISED, field="organised", default="then")


COMMON = [
    OpenApiParameter("agency", str, description="mã cơ quan (gồm cả đơn vị trực thuộc)"),
    OpenApiParameter("organised", str, enum=list(reports.ORGANISED), description="then (mặc định) | now"),
    OpenApiParameter("format", str, enum=["json", "xlsx", "pdf"]),
]


class ProcedureReportApi(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = RENDERERS

    @extend_schema(
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE),
            OpenApiParameter("group_by", str, enum=list(reports.PROCEDURE_GROUPS)),
            *COMMON,
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Thủ tục theo mức độ DVCTT (Phụ lục 01)",
    )
    def get(self, request):
        params = request.query_params
        scope = report_scope(request.user, params.get("agency"))
        as_of = reports.parse_date(params.get("as_of"), field="as_of", default=timezone.localdate())
        group_by = reports.parse_choice(
            params.get("group_by"), reports.PROCEDURE_GROUPS, field="group_by", default="tier"
        )
        organised = _organised(params)
        report = reports.procedure_report(scope=scope, as_of=as_of, group_by=group_by, organised=organised)
        if _wants_xlsx(request):
            return xlsx_response(report_xlsx(report, sheet_title="Phu luc 01"), "bao-cao-thu-tuc")
        if _wants_pdf(request):
            return pdf_response(report_pdf(report), "bao-cao-thu-tuc")
        base = {"as_of": as_of.isoformat(), "group_by": group_by, "organised": organised}
        if params.get("agency"):
            base["agency"] = params["agency"]
        data = report.as_dict()
        for row in data["rows"]:
            row["links"] = _procedure_links(request, base, row["key"])
        data["totals"]["links"] = _procedure_links(request, base, None)
        return Response(data)


def _procedure_links(request, params: dict, key) -> dict:
    base = reverse("api:report-procedure-items")
    query = {**params, **({"key": key} if key is not None else {})}
    return {
        measure: request.build_absolute_uri(f"{base}?{urlencode({**query, 'measure': measure})}")
        for measure in reports.PROCEDURE_MEASURES
    }


class ProcedureFigureApi(APIView):
    """The procedures behind one figure of the procedure report (`links` of each row), paginated."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("measure", str, enum=list(reports.PROCEDURE_MEASURES), required=True),
            OpenApiParameter("as_of", OpenApiTypes.DATE),
            OpenApiParameter("group_by", str, enum=list(reports.PROCEDURE_GROUPS)),
            OpenApiParameter("key", str),
            OpenApiParameter("agency", str),
            OpenApiParameter("organised", str, enum=list(reports.ORGANISED)),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Danh sách thủ tục của một số liệu báo cáo (Phụ lục 01)",
    )
    def get(self, request):
        params = request.query_params
        scope = report_scope(request.user, params.get("agency"))
        as_of = reports.parse_date(params.get("as_of"), field="as_of", default=timezone.localdate())
        group_by = reports.parse_choice(
            params.get("group_by"), reports.PROCEDURE_GROUPS, field="group_by", default="tier"
        )
        ids = reports.figure_procedure_ids(
            scope=scope,
            as_of=as_of,
            measure=params.get("measure", ""),
            group_by=group_by,
            key=params.get("key"),
            organised=_organised(params),
        )
        qs = Procedure.objects.filter(pk__in=ids).select_related("field").order_by("code", "pk")
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(
            [
                {"code": p.code, "name": p.name, "field": p.field.code if p.field_id else "", "tiers": p.tier_list}
                for p in page
            ]
        )


def _figure_links(request, params: dict, group_by: str, key) -> dict:
    base = reverse("api:report-dossier-items")
    links = {}
    for measure in reports.FIGURE_MEASURES:
        query = {**params, "measure": measure}
        if key not in (None, "total"):
            query.update(group_by=group_by, key=key)
        links[measure] = request.build_absolute_uri(f"{base}?{urlencode(query)}")
    return links


class DossierReportApi(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = RENDERERS

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
            OpenApiParameter("group_by", str, enum=list(reports.DOSSIER_GROUPS)),
            *COMMON,
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Tình hình tiếp nhận, giải quyết hồ sơ (Phụ lục 02-03)",
    )
    def get(self, request):
        params = request.query_params
        scope = report_scope(request.user, params.get("agency"))
        start, end = reports.parse_period(params.get("from"), params.get("to"))
        group_by = reports.parse_choice(
            params.get("group_by"), reports.DOSSIER_GROUPS, field="group_by", default="agency"
        )
        organised = _organised(params)
        report = reports.dossier_report(scope=scope, start=start, end=end, group_by=group_by, organised=organised)
        if _wants_xlsx(request):
            return xlsx_response(report_xlsx(report, sheet_title="Phu luc 02"), "bao-cao-ho-so")
        if _wants_pdf(request):
            return pdf_response(report_pdf(report), "bao-cao-ho-so")
        base = {"from": start.isoformat(), "to": end.isoformat(), "organised": organised}
        if params.get("agency"):
            base["agency"] = params["agency"]
        data = report.as_dict()
        for row in data["rows"]:
            row["links"] = _figure_links(request, base, group_by, row["key"])
        data["totals"]["links"] = _figure_links(request, base, group_by, None)
        return Response(data)


class DossierFigureApi(APIView):
    """The dossiers behind one figure of the dossier report (`links` of each row), paginated."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("measure", str, enum=list(reports.FIGURE_MEASURES), required=True),
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
            OpenApiParameter("group_by", str, enum=list(reports.DOSSIER_GROUPS)),
            OpenApiParameter("key", str),
            OpenApiParameter("agency", str),
            OpenApiParameter("organised", str, enum=list(reports.ORGANISED)),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Danh sách hồ sơ của một số liệu báo cáo",
    )
    def get(self, request):
        params = request.query_params
        scope = report_scope(request.user, params.get("agency"))
        start, end = reports.parse_period(params.get("from"), params.get("to"))
        group_by = params.get("group_by") or None
        if group_by is not None:
            group_by = reports.parse_choice(group_by, reports.DOSSIER_GROUPS, field="group_by", default="agency")
        organised = _organised(params)
        ids = reports.figure_dossier_ids(
            scope=scope,
            start=start,
            end=end,
            measure=params.get("measure", ""),
            group_by=group_by,
            key=params.get("key"),
            organised=organised,
        )
        qs = (
            Dossier.objects.visible_to(request.user)
            .filter(pk__in=ids)
            .select_related("procedure", "agency")
            .order_by("-received_at", "-pk")
        )
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response(
            [
                {
                    "code": d.code,
                    "procedure": d.procedure.code,
                    "procedure_name": d.procedure.name,
                    "agency": d.agency.code,
                    "channel": d.channel,
                    "status": d.status,
                    "received_at": d.received_at,
                    "due_at": d.due_at,
                    "finished_at": d.finished_at,
                    "timeliness": d.timeliness,
                }
                for d in page
            ]
        )


class TargetsApi(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = RENDERERS

    @extend_schema(
        parameters=[OpenApiParameter("plan", str, description="số kế hoạch, mặc định kế hoạch mới nhất"), *COMMON],
        responses={200: OpenApiTypes.OBJECT},
        summary="Chỉ tiêu kế hoạch và tiến độ (xanh / vàng / đỏ)",
    )
    def get(self, request):
        scope = report_scope(request.user, request.query_params.get("agency"))
        plan = plan_by_number(request.query_params.get("plan"))
        data = plan_targets(plan=plan, scope=scope)
        if _wants_xlsx(request):
            rows = [
                [
                    t["label"],
                    t["tier"],
                    t["target"],
                    t["deadline"],
                    t["actual"],
                    t["actual_now"],
                    str(RAG_LABELS[t["status"]]),
                ]
                for t in data["targets"]
            ]
            rows += [[]] + [
                [
                    i["annex"],
                    i["agency_name"],
                    i["procedure"],
                    i["procedure_name"],
                    i["stage_label"],
                    i["online_due"],
                    str(RAG_LABELS[i["status"]]),
                ]
                for i in data["items"]
            ]
            headers = [
                "Chỉ tiêu / Phụ lục",
                "Cấp / Cơ quan",
                "Giá trị / Mã TTHC",
                "Thời hạn / Tên TTHC",
                "Thực hiện",
                "Hiện nay / Hạn",
                "Đánh giá",
            ]
            return xlsx_response(table_xlsx(f"Kế hoạch {plan.number}", headers, rows), "chi-tieu-ke-hoach")
        if _wants_pdf(request):
            return pdf_response(targets_pdf(data, scope_label=scope.label), "chi-tieu-ke-hoach")
        return Response(data)


class ScorecardApi(APIView):
    permission_classes = [IsAuthenticated]
    renderer_classes = RENDERERS

    @extend_schema(
        parameters=[OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE), *COMMON],
        responses={200: OpenApiTypes.OBJECT},
        summary="Bộ chỉ số QĐ 766/QĐ-TTg và xếp hạng cơ quan",
    )
    def get(self, request):
        params = request.query_params
        scope = report_scope(request.user, params.get("agency"))
        start, end = reports.parse_period(params.get("from"), params.get("to"))
        organised = _organised(params)
        data = scorecard(scope=scope, start=start, end=end, organised=organised)
        if _wants_xlsx(request):
            rows = [[i["label"], i["formula"], i["max_points"], i["rate"], i["points"]] for i in data["indicators"]]
            rows += [["Tổng điểm", "", data["max_points"], data["score"], data["points"]], []]
            rows += [[r["rank"], r["label"], r["max_points"], r["score"], r["points"]] for r in data["ranking"]]
            headers = ["Chỉ số / Hạng", "Công thức / Cơ quan", "Điểm tối đa", "Tỷ lệ (%) / Điểm chuẩn hóa", "Điểm"]
            return xlsx_response(table_xlsx(data["title"], headers, rows, params=data["params"]), "bo-chi-so")
        if _wants_pdf(request):
            return pdf_response(scorecard_pdf(data), "bo-chi-so")
        return Response(data)


class PublicStatisticsApi(APIView):
    """The province's headline figures, for everyone (no login): the plan's transparency."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Số liệu công khai của tỉnh")
    def get(self, request):
        return Response(public_statistics())


# --- the monthly reporting cycle -------------------------------------------------------------------------------------


def _monthly(report) -> dict:
    return {
        "uuid": str(report.uuid),
        "agency": report.agency.code,
        "agency_name": report.agency.name,
        "month": report.month.isoformat()[:7],
        "version": report.version,
        "status": report.status,
        "note": report.note,
        "generated_at": report.generated_at,
        "submitted_at": report.submitted_at,
        "late": report.late,
        "data": report.data,
    }


class MonthlyReportListApi(APIView):
    """GET the monthly reports one may see; POST `{agency, month}` generates (or refreshes the draft of) one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT}, summary="Báo cáo tháng của cơ quan")
    def get(self, request):
        qs = monthly.reports_visible_to(request.user)
        if request.query_params.get("month"):
            qs = qs.filter(month=services.month_start(request.query_params["month"]))
        paginator = StandardPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        return paginator.get_paginated_response([{k: v for k, v in _monthly(r).items() if k != "data"} for r in page])

    @extend_schema(request=OpenApiTypes.OBJECT, responses={201: OpenApiTypes.OBJECT}, summary="Lập báo cáo tháng")
    def post(self, request):
        scope = report_scope(request.user, request.data.get("agency"))
        if not scope.agencies or len(scope.agencies) != 1:
            raise ValidationFailed("Cần chọn một cơ quan.", code="agency_required", fields={"agency": ["Bắt buộc."]})
        report = services.monthly_report_generate(
            actor=request.user, agency=scope.agencies[0], month=str(request.data.get("month") or "")
        )
        return Response(_monthly(report), status=201)


class MonthlyReportDetailApi(APIView):
    permission_classes = [IsAuthenticated]

    renderer_classes = RENDERERS

    @extend_schema(
        parameters=[OpenApiParameter("format", str, enum=["json", "xlsx", "pdf"])],
        responses={200: OpenApiTypes.OBJECT},
        summary="Một báo cáo tháng (số liệu đã chốt)",
    )
    def get(self, request, uuid):
        report = monthly.report_get_for(request.user, uuid)
        name = f"bao-cao-thang-{report.month:%Y-%m}-{report.agency.code}-v{report.version}"
        if _wants_xlsx(request):
            return xlsx_response(monthly_xlsx(report), name)
        if _wants_pdf(request):
            return pdf_response(monthly_pdf(report), name)
        return Response(_monthly(report))


class MonthlyReportAnnotateApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=OpenApiTypes.OBJECT, responses={200: OpenApiTypes.OBJECT}, summary="Nhận xét báo cáo")
    def post(self, request, uuid):
        report = monthly.report_get_for(request.user, uuid)
        report = services.monthly_report_annotate(
            actor=request.user, report=report, note=str(request.data.get("note") or "")
        )
        return Response(_monthly(report))


class MonthlyReportSubmitApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT}, summary="Gửi báo cáo tháng (chốt số liệu)")
    def post(self, request, uuid):
        report = monthly.report_get_for(request.user, uuid)
        return Response(_monthly(services.monthly_report_submit(actor=request.user, report=report)))


class ProvinceMonthlyApi(APIView):
    """The monitor's view of a month: each agency's submitted (frozen) figures, who has not submitted, the
    province's totals; `?format=xlsx` for the consolidated report."""

    permission_classes = [IsAuthenticated]
    renderer_classes = RENDERERS

    @extend_schema(
        parameters=[OpenApiParameter("month", str, description="YYYY-MM"), OpenApiParameter("format", str)],
        responses={200: OpenApiTypes.OBJECT},
        summary="Tổng hợp báo cáo tháng của tỉnh",
    )
    def get(self, request):
        if not report_scope(request.user).province_wide:
            raise PermissionDeniedError(
                "Chỉ Tổ công tác và Văn phòng UBND tỉnh tổng hợp báo cáo tỉnh.", code="report_forbidden"
            )
        month = services.month_start(request.query_params.get("month") or timezone.localdate().isoformat()[:7])
        data = monthly.province_month(month)
        if _wants_xlsx(request):
            report = reports.Report(
                f"Báo cáo tháng {month:%m/%Y} (tổng hợp các cơ quan đã gửi)",
                {"month": data["month"], "missing": ", ".join(m["label"] for m in data["missing"])},
                reports.DOSSIER_FIELDS,
                data["rows"],
                data["totals"],
            )
            return xlsx_response(report_xlsx(report, sheet_title="Bao cao thang"), f"bao-cao-thang-{data['month']}")
        if _wants_pdf(request):
            report = reports.Report(
                f"Báo cáo tháng {month:%m/%Y}",
                {"month": data["month"]},
                reports.DOSSIER_FIELDS,
                data["rows"],
                data["totals"],
            )
            return pdf_response(report_pdf(report), f"bao-cao-thang-{data['month']}")
        return Response(data)


class StepWaitsApi(APIView):
    """Where dossiers wait: median / p90 hours per process step, agency and month; how many wait now."""

    permission_classes = [IsAuthenticated]
    renderer_classes = RENDERERS

    @extend_schema(
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE),
            OpenApiParameter("to", OpenApiTypes.DATE),
            OpenApiParameter("agency", str),
            OpenApiParameter("format", str, enum=["json", "xlsx", "pdf"]),
        ],
        responses={200: OpenApiTypes.OBJECT},
        summary="Hồ sơ chờ ở bước nào (trung vị, p90, đang chờ)",
    )
    def get(self, request):
        params = request.query_params
        scope = report_scope(request.user, params.get("agency"))
        start, end = reports.parse_period(params.get("from"), params.get("to"))
        data = step_waits(scope=scope, start=start, end=end)
        if _wants_xlsx(request):
            return xlsx_response(waits_xlsx(data), "thoi-gian-cho")
        if _wants_pdf(request):
            return pdf_response(waits_pdf(data, scope_label=scope.label), "thoi-gian-cho")
        return Response(data)
