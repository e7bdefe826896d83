"""Public working-day API (API.md "Working days"): thin views over `calendar.py`."""

import datetime
from decimal import Decimal, InvalidOperation

from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from dichvucong.common.errors import ValidationFailed
from dichvucong.workdays.calendar import (
    MAX_YEAR,
    MIN_YEAR,
    add_working_days,
    non_working_days,
    working_weekend_days,
)

MAX_DAYS = 3650


def _parse_date(value: str | None, name: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value or "")
    except ValueError as exc:
        raise ValidationFailed(
            f"Ngày «{(value or '')[:40]}» không hợp lệ (định dạng YYYY-MM-DD).",
            code=f"workdays_invalid_{name}",
            fields={name: ["Ngày không hợp lệ."]},
        ) from exc
    if not MIN_YEAR <= day.year <= MAX_YEAR:  # the calendar's range: year 9999 is a typing error, not a 500
        raise ValidationFailed(
            f"Năm {day.year} nằm ngoài phạm vi lịch ({MIN_YEAR}-{MAX_YEAR}).",
            code="workdays_year_out_of_range",
            fields={name: ["Ngày nằm ngoài phạm vi lịch."]},
        )
    return day


def _parse_days(value: str | None) -> Decimal:
    try:
        days = Decimal((value or "").strip())
    except InvalidOperation:
        days = None
    if days is None or not days.is_finite() or not 0 < days <= MAX_DAYS:
        raise ValidationFailed(
            f"Số ngày làm việc «{(value or '')[:40]}» không hợp lệ (số lớn hơn 0, tối đa {MAX_DAYS}).",
            code="workdays_invalid_days",
            fields={"days": ["Số ngày không hợp lệ."]},
        )
    return days


def _day_rows(days) -> list[dict]:
    return [
        {"date": info.date, "reason": info.reason, "source": info.source, "decision": info.decision or None}
        for info in days.values()
    ]


class SpecialDaySerializer(serializers.Serializer):
    date = serializers.DateField()
    reason = serializers.CharField()
    source = serializers.ChoiceField(["statutory", "decision"])
    decision = serializers.CharField(allow_null=True, help_text="Số, ký hiệu văn bản (nguồn decision)")


@extend_schema(
    summary="Ngày làm việc thứ N sau một ngày (public)",
    parameters=[
        OpenApiParameter("start", OpenApiTypes.DATE, required=True),
        OpenApiParameter(
            "days", OpenApiTypes.NUMBER, required=True, description="Số ngày làm việc (> 0; số lẻ được làm tròn lên)"
        ),
    ],
    responses=inline_serializer(
        "WorkdayAdd",
        {"start": serializers.DateField(), "days": serializers.CharField(), "date": serializers.DateField()},
    ),
)
class WorkdayAddApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        start = _parse_date(request.query_params.get("start"), "start")
        days = _parse_days(request.query_params.get("days"))
        return Response({"start": start, "days": str(days), "date": add_working_days(start, days)})


@extend_schema(
    summary="Ngày nghỉ trong tuần và ngày làm bù cuối tuần của một năm (public)",
    parameters=[OpenApiParameter("year", OpenApiTypes.INT, required=True)],
    responses=inline_serializer(
        "WorkdayYear",
        {
            "year": serializers.IntegerField(),
            "non_working_days": SpecialDaySerializer(many=True),
            "working_weekend_days": SpecialDaySerializer(many=True),
        },
    ),
)
class WorkdayYearApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request):
        raw = request.query_params.get("year", "")
        if not raw.isdigit() or not MIN_YEAR <= int(raw) <= MAX_YEAR:
            raise ValidationFailed(
                f"Năm «{raw}» không hợp lệ ({MIN_YEAR}-{MAX_YEAR}).",
                code="workdays_invalid_year",
                fields={"year": ["Năm không hợp lệ."]},
            )
        year = int(raw)
        return Response(
            {
                "year": year,
                "non_working_days": _day_rows(non_working_days(year)),
                "working_weekend_days": _day_rows(working_weekend_days(year)),
            }
        )
