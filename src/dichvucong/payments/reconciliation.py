"""Đối soát: the system's paid transactions of one agency and day against the platform's settlement file.

Decree 11/2020/NĐ-CP (State Treasury procedures) and Circular 74/2022/TT-BTC on collecting fees and charges:
the collecting unit reconciles what was collected with what the payment intermediary credited, and reports the
differences to the Treasury. Each run is kept (who, when, what was found) and exported to Excel.

Only online payments are compared with the platform's file; the fees collected at the desk (cash, POS, transfer)
never pass through the platform: they are listed as `desk` items, checked against the day's cash book (same
totals), and both kinds are summed per budget code (chương, tiểu mục) for the Treasury.
"""

import datetime
import io
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.audit.services import audit_record
from dichvucong.common.errors import DomainError

from .cash_book import budget_split, day_bounds
from .gateway import GatewayError, SettlementRow, get_gateway
from .models import (
    DESK_METHODS,
    Payment,
    PaymentMethod,
    PaymentStatus,
    Reconciliation,
    ReconciliationItem,
    ReconciliationKind,
)
from .selectors import check_may_reconcile


@dataclass(frozen=True)
class _Line:
    kind: str
    payment: Payment | None
    row: SettlementRow | None
    note: str = ""


def _paid(*, agency, day: datetime.date):
    start, end = day_bounds(day)
    return (
        Payment.objects.filter(agency=agency, status=PaymentStatus.PAID, paid_at__gte=start, paid_at__lt=end)
        .select_related("dossier")
        .order_by("paid_at", "pk")
    )


def system_paid(*, agency, day: datetime.date) -> list[Payment]:
    """The day's payments through the platform (those its settlement file must list)."""
    return list(_paid(agency=agency, day=day).filter(method=PaymentMethod.ONLINE))


def desk_paid(*, agency, day: datetime.date) -> list[Payment]:
    """The day's fees collected at the desk (in the cash book, never in the platform's file)."""
    return list(_paid(agency=agency, day=day).filter(method__in=DESK_METHODS))


def compare(payments: list[Payment], rows: list[SettlementRow]) -> list[_Line]:
    """Match by the platform's transaction id: matched, amount differences, missing on either side."""
    by_txn = {row.transaction_id: row for row in rows}
    lines, seen = [], set()
    for payment in payments:
        row = by_txn.get(payment.gateway_txn_id or "")
        if row is None:
            lines.append(_Line(ReconciliationKind.MISSING_AT_GATEWAY, payment, None))
            continue
        seen.add(row.transaction_id)
        kind = ReconciliationKind.MATCHED if row.amount == payment.amount else ReconciliationKind.AMOUNT_MISMATCH
        lines.append(_Line(kind, payment, row))
    unmatched = [row for row in rows if row.transaction_id not in seen]
    others = {
        p.gateway_txn_id: p
        for p in Payment.objects.filter(gateway_txn_id__in=[row.transaction_id for row in unmatched]).select_related(
            "dossier"
        )
    }
    for row in unmatched:
        known = others.get(row.transaction_id)
        note = f"Trên hệ thống: {known.get_status_display()}" if known else "Không có giao dịch trên hệ thống"
        lines.append(_Line(ReconciliationKind.MISSING_IN_SYSTEM, known, row, note))
    return lines


def _fetch(day: datetime.date) -> list[SettlementRow]:
    try:
        return get_gateway().fetch_settlement(day)
    except GatewayError as exc:
        raise DomainError(
            _("Không lấy được bảng kê giao dịch từ nền tảng thanh toán."),
            code="settlement_unavailable",
            status_code=502,
        ) from exc


def reconciliation_run(*, actor, agency, day: datetime.date) -> Reconciliation:
    """Fetch the day's settlement file (outside the transaction), compare, and record the run with its items."""
    check_may_reconcile(actor, agency)
    rows = [row for row in _fetch(day) if row.beneficiary_code == agency.code]
    return _record(actor=actor, agency=agency, day=day, rows=rows)


@transaction.atomic
def _record(*, actor, agency, day: datetime.date, rows: list[SettlementRow]) -> Reconciliation:
    payments = system_paid(agency=agency, day=day)
    desk = desk_paid(agency=agency, day=day)
    lines = compare(payments, rows)
    matched = sum(1 for line in lines if line.kind == ReconciliationKind.MATCHED)
    run = Reconciliation.objects.create(
        agency=agency,
        day=day,
        run_by=actor if getattr(actor, "is_authenticated", False) else None,
        system_count=len(payments),
        system_total=sum(p.amount for p in payments),
        gateway_count=len(rows),
        gateway_total=sum(row.amount for row in rows),
        desk_count=len(desk),
        desk_total=sum(p.amount for p in desk),
        matched=matched,
        differences=len(lines) - matched,
    )
    ReconciliationItem.objects.bulk_create(
        [
            ReconciliationItem(
                reconciliation=run,
                kind=line.kind,
                payment=line.payment,
                transaction_id=(line.row.transaction_id if line.row else line.payment.gateway_txn_id) or "",
                order_id=line.row.order_id if line.row else str(line.payment.uuid),
                dossier_code=(line.payment.dossier.code or "") if line.payment else "",
                system_amount=line.payment.amount if line.payment and line.kind != "missing_in_system" else None,
                gateway_amount=line.row.amount if line.row else None,
                paid_at=line.row.paid_at if line.row else line.payment.paid_at,
                note=line.note,
            )
            for line in lines
        ]
        + [
            ReconciliationItem(
                reconciliation=run,
                kind=ReconciliationKind.DESK,
                payment=payment,
                transaction_id=payment.reference,
                order_id=str(payment.uuid),
                dossier_code=payment.dossier.code or "",
                system_amount=payment.amount,
                paid_at=payment.paid_at,
                note=str(PaymentMethod(payment.method).label),
            )
            for payment in desk
        ]
    )
    audit_record(
        actor=actor,
        action="reconciliation.run",
        obj=run,
        object_id=str(run.uuid),
        after={
            "agency": agency.code,
            "day": day.isoformat(),
            "matched": matched,
            "differences": run.differences,
            "system_total": run.system_total,
            "gateway_total": run.gateway_total,
            "desk_total": run.desk_total,
        },
    )
    return run


def budget_totals(run: Reconciliation) -> list[tuple[str, str, int, int]]:
    """[(chương, tiểu mục, desk amount, online amount)] of the system's paid payments of the run (online payments
    found on the system, matched or not, and the desk's), sorted by code."""
    desk, online = {}, {}
    items = run.items.exclude(kind=ReconciliationKind.MISSING_IN_SYSTEM).exclude(payment=None)
    payments = Payment.objects.filter(pk__in=items.values("payment")).prefetch_related("assessment__lines")
    for payment in payments:
        target = desk if payment.method in DESK_METHODS else online
        for chapter, subsection, amount in budget_split(payment):
            target[(chapter, subsection)] = target.get((chapter, subsection), 0) + amount
    return [(c, s, desk.get((c, s), 0), online.get((c, s), 0)) for c, s in sorted(set(desk) | set(online))]


def reconciliation_xlsx(run: Reconciliation) -> bytes:
    """The run as an Excel workbook for the State Treasury: a summary sheet and one row per transaction."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    summary = book.active
    summary.title = "Tong hop"
    bold = Font(bold=True)
    summary.append(["BẢNG ĐỐI SOÁT GIAO DỊCH THU PHÍ, LỆ PHÍ TRỰC TUYẾN"])
    summary["A1"].font = bold
    for label, value in [
        ("Cơ quan", f"{run.agency.name} ({run.agency.code})"),
        ("Ngày", run.day.strftime("%d/%m/%Y")),
        ("Số giao dịch trực tuyến trên hệ thống", run.system_count),
        ("Tổng tiền trực tuyến trên hệ thống", run.system_total),
        ("Số giao dịch trong bảng kê", run.gateway_count),
        ("Tổng tiền trong bảng kê", run.gateway_total),
        ("Số khoản thu tại quầy (sổ thu)", run.desk_count),
        ("Tổng tiền thu tại quầy", run.desk_total),
        ("Tổng thu trong ngày", run.system_total + run.desk_total),
        ("Khớp", run.matched),
        ("Chênh lệch", run.differences),
        ("Thời điểm đối soát", timezone.localtime(run.created_at).strftime("%d/%m/%Y %H:%M")),
    ]:
        summary.append([label, value])
    detail = book.create_sheet("Chi tiet")
    detail.append(
        [
            "Kết quả",
            "Mã giao dịch",
            "Mã đơn hàng",
            "Mã hồ sơ",
            "Số tiền hệ thống",
            "Số tiền bảng kê",
            "Chênh lệch",
            "Thời điểm thanh toán",
            "Ghi chú",
        ]
    )
    for cell in detail[1]:
        cell.font = bold
    for item in run.items.all():
        difference = (item.gateway_amount or 0) - (item.system_amount or 0)
        paid_at = timezone.localtime(item.paid_at).strftime("%d/%m/%Y %H:%M:%S") if item.paid_at else ""
        detail.append(
            [
                str(ReconciliationKind(item.kind).label),
                item.transaction_id,
                item.order_id,
                item.dossier_code,
                item.system_amount,
                item.gateway_amount,
                difference,
                paid_at,
                item.note,
            ]
        )
    codes = book.create_sheet("Muc luc ngan sach")
    codes.append(["Chương", "Tiểu mục", "Thu tại quầy (đồng)", "Thu trực tuyến (đồng)", "Cộng (đồng)"])
    for cell in codes[1]:
        cell.font = bold
    for chapter, subsection, desk, online in budget_totals(run):
        codes.append([chapter, subsection, desk, online, desk + online])
    for sheet in (summary, detail, codes):
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
