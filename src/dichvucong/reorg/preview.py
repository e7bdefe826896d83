"""What a plan will do, before approval (a read: nothing is written): agencies before → after, open dossiers and
work items that move, offerings and processes to re-map, officers whose roles move, procedures left without a
handling agency (blocking), with counts and lists; exportable as an Excel workbook (`preview_workbook`)."""

import io

from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook

from dichvucong.accounts.models import RoleAssignment
from dichvucong.agencies.models import Agency
from dichvucong.catalog.models import Offering
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import FINAL_STATUSES, Status
from dichvucong.workflows.models import DECIDED_STATUSES, Process, ProcessScope, ProcessStatus, WorkItem

from .models import Plan
from .spec import COMMUNE, resolve


def _unit(agency: Agency | None) -> dict | None:
    if agency is None:
        return None
    return {
        "code": agency.code,
        "name": agency.name,
        "tier": agency.tier,
        "parent": agency.parent.code if agency.parent_id else None,
    }


def _agency_rows(resolved) -> list[dict]:
    rows = []
    for new in resolved.creates:
        rows.append(
            {
                "change": "create",
                "before": None,
                "after": {"code": new.code, "name": new.name, "tier": new.tier, "parent": new.parent},
            }
        )
    for code, name, _short_name in resolved.renames:
        agency = resolved.agencies[code]
        rows.append({"change": "rename", "before": _unit(agency), "after": {**_unit(agency), "name": name}})
    for code, parent in resolved.moves:
        agency = resolved.agencies[code]
        rows.append({"change": "move", "before": _unit(agency), "after": {**_unit(agency), "parent": parent}})
    for code, route in resolved.routes.items():
        agency = resolved.agencies[code]
        rows.append(
            {
                "change": route.kind,
                "before": _unit(agency),
                "after": None,
                "successor": route.primary,
                "successor_name": resolved.name_of(route.primary),
                "also": sorted(route.targets - {route.primary}),
            }
        )
    return rows


def plan_preview(plan: Plan) -> dict:
    resolved = resolve(plan)
    day = plan.effective_on
    routes = resolved.routes
    sources = [a for code, a in resolved.agencies.items() if code in routes]
    dossiers = []
    for dossier in (
        open_dossiers_of(sources).select_related("procedure", "agency").order_by("agency__code", "created_at", "pk")
    ):
        target = routes[dossier.agency.code].target_for(dossier.procedure.code)
        dossiers.append(
            {
                "code": dossier.code or "",
                "draft": dossier.status == Status.DRAFT,
                "procedure": dossier.procedure.code,
                "status": dossier.status,
                "status_label": str(Status(dossier.status).label),
                "from": dossier.agency.code,
                "to": target,
                "to_name": resolved.name_of(target),
                "due_at": timezone.localtime(dossier.due_at).isoformat() if dossier.due_at else None,
            }
        )
    work_items = [
        {
            "dossier": item.run.dossier.code or "",
            "step": item.step.name,
            "role": item.role,
            "assignee": item.assignee.username if item.assignee_id else "",
            "from": item.agency.code,
            "to": routes[item.agency.code].target_for(item.run.dossier.procedure.code),
            "due_at": timezone.localtime(item.due_at).isoformat(),
        }
        for item in WorkItem.objects.filter(completed_at__isnull=True, agency__in=sources)
        .select_related("run__dossier__procedure", "step", "agency", "assignee")
        .order_by("agency__code", "due_at", "pk")
    ]
    offerings = [
        {
            "procedure": row.procedure.code,
            "procedure_name": row.procedure.name,
            "from": row.agency.code,
            "to": routes[row.agency.code].target_for(row.procedure.code),
            "level": row.online_level,
            "exception": row.is_exception,
        }
        for row in Offering.objects.active_on(day)
        .filter(agency__in=sources)
        .select_related("procedure", "agency")
        .order_by("agency__code", "procedure__code")
    ]
    processes = [
        {
            "procedure": process.procedure.code,
            "version": process.version,
            "status": process.status,
            "from": process.agency.code,
            "to": routes[process.agency.code].target_for(process.procedure.code),
        }
        for process in Process.objects.filter(scope=ProcessScope.AGENCY, agency__in=sources)
        .exclude(status=ProcessStatus.RETIRED)
        .select_related("procedure", "agency")
        .order_by("agency__code", "procedure__code", "version")
    ]
    for abolition in resolved.abolitions:
        for row in (
            Offering.objects.active_on(day)
            .filter(agency__isnull=True, tier=abolition.tier)
            .select_related("procedure")
            .order_by("procedure__code")
        ):
            dest = abolition.procedures.get(row.procedure.code) or abolition.default
            offerings.append(
                {
                    "procedure": row.procedure.code,
                    "procedure_name": row.procedure.name,
                    "from": f"tier:{abolition.tier}",
                    "to": f"tier:{COMMUNE}" if dest == COMMUNE else (dest or ""),
                    "level": row.online_level,
                    "exception": False,
                }
            )
        for process in (
            Process.objects.filter(scope=ProcessScope.TIER, tier=abolition.tier)
            .filter(Q(status__in=DECIDED_STATUSES) | Q(status=ProcessStatus.DRAFT))
            .exclude(status=ProcessStatus.RETIRED)
            .select_related("procedure")
        ):
            dest = abolition.procedures.get(process.procedure.code) or abolition.default
            processes.append(
                {
                    "procedure": process.procedure.code,
                    "version": process.version,
                    "status": process.status,
                    "from": f"tier:{abolition.tier}",
                    "to": f"tier:{COMMUNE}" if dest == COMMUNE else (dest or ""),
                }
            )
    officers = [
        {
            "username": row.user.username,
            "name": row.user.display_name,
            "role": row.role,
            "from": row.agency.code,
            "to": routes[row.agency.code].primary,
            "active": row.active,
        }
        for row in RoleAssignment.objects.filter(agency__in=sources)
        .select_related("user", "agency")
        .order_by("agency__code", "user__username", "role")
    ]
    issues = [{"code": i.code, "detail": i.detail, "blocking": i.blocking} for i in resolved.issues]
    return {
        "plan": {
            "uuid": str(plan.uuid),
            "title": plan.title,
            "legal_basis": plan.legal_basis,
            "effective_on": plan.effective_on.isoformat(),
            "status": plan.status,
        },
        "counts": {
            "agencies_closed": len(routes),
            "agencies_created": len(resolved.creates),
            "agencies_renamed": len(resolved.renames),
            "agencies_moved": len(resolved.moves),
            "dossiers": len(dossiers),
            "work_items": len(work_items),
            "offerings": len(offerings),
            "processes": len(processes),
            "officers": len({o["username"] for o in officers}),
            "procedures_without_agency": sum(1 for i in issues if i["code"] == "procedure_without_agency"),
            "blocking": sum(1 for i in issues if i["blocking"]),
        },
        "agencies": _agency_rows(resolved),
        "dossiers": dossiers,
        "work_items": work_items,
        "offerings": offerings,
        "processes": processes,
        "officers": officers,
        "procedures_without_agency": [i for i in issues if i["code"] == "procedure_without_agency"],
        "issues": issues,
        "can_approve": not any(i["blocking"] for i in issues),
    }


def open_dossiers_of(agencies):
    """Open dossiers (not finished, drafts included) of any of `agencies` (what `carryover.move_dossiers` moves)."""
    return Dossier.objects.filter(agency__in=agencies).exclude(status__in=list(FINAL_STATUSES))


_SHEETS = (
    ("Cơ quan", "agencies", ("change", "before", "after", "successor", "successor_name")),
    ("Hồ sơ chuyển", "dossiers", ("code", "procedure", "status_label", "from", "to", "to_name", "due_at")),
    ("Công việc chuyển", "work_items", ("dossier", "step", "role", "assignee", "from", "to", "due_at")),
    ("Thủ tục cần gán lại", "offerings", ("procedure", "procedure_name", "from", "to", "level", "exception")),
    ("Quy trình cần gán lại", "processes", ("procedure", "version", "status", "from", "to")),
    ("Cán bộ chuyển", "officers", ("username", "name", "role", "from", "to", "active")),
    ("Vấn đề", "issues", ("code", "detail", "blocking")),
)


def _cell(value):
    if isinstance(value, dict):
        return f"{value.get('code', '')} {value.get('name', '')}".strip()
    if isinstance(value, bool):
        return "x" if value else ""
    return value if value is not None else ""


def preview_workbook(preview: dict) -> bytes:
    """The preview as an .xlsx: a summary sheet, then one sheet per list."""
    book = Workbook()
    summary = book.active
    summary.title = "Tổng hợp"
    summary.append(["Phương án", preview["plan"]["title"]])
    summary.append(["Căn cứ", preview["plan"]["legal_basis"]])
    summary.append(["Hiệu lực từ", preview["plan"]["effective_on"]])
    summary.append([])
    for key, value in preview["counts"].items():
        summary.append([key, value])
    for title, key, columns in _SHEETS:
        sheet = book.create_sheet(title)
        sheet.append(list(columns))
        for row in preview[key]:
            sheet.append([_cell(row.get(column)) for column in columns])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
