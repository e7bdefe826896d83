"""Role × endpoint matrix on the demo data: nobody sees or changes what is not theirs.

Project rule: "Every endpoint and page has a test that another citizen, another agency's officer, or a wrong role
is refused" — 404 for objects they may not see (never reveal that they exist), 403 for actions their role does not
allow. Demo dossiers (see conftest.py): `citizen`'s at Sở Tư pháp (000.00.04.H31) and at Văn Lâm (000.00.23.H31),
`citizen2`'s at Văn Lâm; `vangiang.reception` works at Văn Giang (000.00.24.H31), `sotttt.monitor` is the
read-only province monitoring role, `vpubnd.admin` the Provincial Office.

One line per endpoint: `E(key, method, path, data, ok=(actor, status), refused={actor: status})`. `ok` is the
positive control (the right person gets through — so a refusal below is not just a wrong URL); `refused` lists the
wrong people and the exact status they must get. Every refused write is also checked to have changed nothing.
"""

from dataclasses import dataclass, field

import pytest

from tests.conftest import auth_client

from .conftest import user

C, C2, BIZ = "citizen", "citizen2", "doanhnghiep"
SOTP_REC, SOTP_SPEC, SOTP_LEAD = "sotp.reception", "sotp.specialist", "sotp.leader"
VL_REC, VL_SPEC, VL_LEAD = "vanlam.reception", "vanlam.specialist", "vanlam.leader"
VG_REC, MONITOR, ADMIN = "vangiang.reception", "sotttt.monitor", "vpubnd.admin"


@dataclass(frozen=True)
class E:
    key: str
    method: str
    path: str
    data: dict | None = None
    ok: tuple[str, int] | None = None
    refused: dict = field(default_factory=dict)
    fmt: str = "json"


D = "/api/v1/dossiers"
ENDPOINTS = [
    # --- dossiers: citizen's dossier at Sở Tư pháp ------------------------------------------------------------------
    E(
        "dossier-detail",
        "get",
        D + "/{d_sotp_new}/",
        ok=(C, 200),
        refused={C2: 404, BIZ: 404, VG_REC: 404, VL_REC: 404},
    ),
    E(
        "dossier-detail-vanlam",
        "get",
        D + "/{d_vanlam_c2}/",
        ok=(VL_REC, 200),
        refused={C: 404, VG_REC: 404, SOTP_REC: 404},
    ),
    E("draft-detail", "get", D + "/{draft}/", ok=(C, 200), refused={C2: 404, SOTP_REC: 404, MONITOR: 404, ADMIN: 404}),
    E("draft-patch", "patch", D + "/{draft}/", {"form_data": {}}, refused={C2: 404, SOTP_REC: 404, MONITOR: 404}),
    E(
        "dossier-actions-get",
        "get",
        D + "/{d_sotp_new}/actions/",
        ok=(SOTP_REC, 200),
        refused={C2: 404, VG_REC: 404, VL_REC: 404},
    ),
    E(
        "dossier-actions-withdraw",
        "post",
        D + "/{d_sotp_new}/actions/",
        {"action": "withdraw", "note": "x"},
        refused={C2: 404, VL_REC: 404, VG_REC: 404, MONITOR: 403, SOTP_SPEC: 403},
    ),
    E(
        "dossier-actions-accept",
        "post",
        D + "/{d_sotp_new}/actions/",
        {"action": "accept"},
        refused={C: 403, C2: 404, VL_REC: 404, MONITOR: 403, ADMIN: 403, SOTP_SPEC: 403},
    ),
    E(
        "dossier-actions-vanlam",
        "post",
        D + "/{d_vanlam_counter}/actions/",
        {"action": "start_processing"},
        refused={VG_REC: 404, SOTP_REC: 404, C2: 404, MONITOR: 403, C: 403},
    ),
    E(
        "attachment",
        "get",
        D + "/{d_sotp_new}/attachments/{attachment}/",
        ok=(C, 200),
        refused={C2: 404, VL_REC: 404, VG_REC: 404, MONITOR: 404},
    ),
    E(
        "form-receipt-pdf",
        "get",
        D + "/{d_sotp_proc}/forms/receipt.pdf",
        ok=(C, 200),
        # the province roles see the dossier but not its files: generated forms carry name and CCCD (issue 12, 6)
        refused={C2: 404, VG_REC: 404, VL_REC: 404, MONITOR: 404, ADMIN: 404},
    ),
    E(
        "form-control-slip-pdf",
        "get",
        D + "/{d_vanlam_counter}/forms/control-slip.pdf",
        ok=(VL_REC, 200),
        refused={C2: 404, VG_REC: 404, SOTP_REC: 404, MONITOR: 404, ADMIN: 404},
    ),
    E(
        "tracking-book",
        "get",
        "/api/v1/agencies/{vanlam}/tracking-book.xlsx",
        ok=(VL_REC, 200),
        refused={VG_REC: 403, SOTP_REC: 403, C: 403},
    ),
    # --- results --------------------------------------------------------------------------------------------------
    E(
        "result-detail",
        "get",
        D + "/{d_vanlam_c2_done}/result/",
        refused={C: 404, VG_REC: 404, SOTP_REC: 404, MONITOR: 404},
    ),
    E(
        "result-pdf",
        "get",
        D + "/{d_vanlam_c2_done}/result.pdf",
        refused={C: 404, VG_REC: 404, SOTP_REC: 404, MONITOR: 404},
    ),
    E(
        "result-delivery-choose",
        "put",
        D + "/{d_vanlam_c2}/result/delivery/",
        {"method": "counter"},
        refused={C: 404, VG_REC: 404, MONITOR: 404},
    ),
    E(
        "result-shipment-sent",
        "post",
        D + "/{d_vanlam_c2}/result/delivery/sent/",
        {"carrier": "VNPost", "tracking_number": "X1"},
        refused={C: 404, VG_REC: 404, MONITOR: 404},
    ),
    E(
        "result-shipment-delivered",
        "post",
        D + "/{d_vanlam_c2}/result/delivery/delivered/",
        refused={C: 404, VG_REC: 404, MONITOR: 404},
    ),
    # --- payments (dossier being processed at Sở Tư pháp, paid) ------------------------------------------------------
    E(
        "payments-list",
        "get",
        D + "/{d_sotp_proc}/payments/",
        ok=(C, 200),
        refused={C2: 404, VL_REC: 404, VG_REC: 404, MONITOR: 404},
    ),
    E(
        "payments-start",
        "post",
        D + "/{d_sotp_proc}/payments/",
        refused={C2: 404, VL_REC: 404, MONITOR: 404, SOTP_REC: 403},
    ),
    E("fees", "get", D + "/{d_sotp_proc}/fees/", ok=(SOTP_SPEC, 200), refused={C2: 404, VG_REC: 404}),
    E(
        "payment-request",
        "post",
        D + "/{d_sotp_proc}/payment-request/",
        {},
        refused={C: 403, C2: 404, VL_REC: 404, MONITOR: 404},
    ),
    E(
        "payment-detail",
        "get",
        "/api/v1/payments/{payment}/",
        ok=(C, 200),
        refused={C2: 404, VL_REC: 404, VG_REC: 404, MONITOR: 404},
    ),
    E(
        "receipt-pdf",
        "get",
        "/api/v1/receipts/{receipt}.pdf",
        ok=(SOTP_REC, 200),
        refused={C2: 404, VL_REC: 404, MONITOR: 404},
    ),
    E(
        "reconciliation-run",
        "post",
        "/api/v1/reconciliations/",
        {"agency": "{sotp}", "date": "{today}"},
        refused={C: 403, VL_REC: 403, VG_REC: 403, MONITOR: 403},
    ),
    E(
        "reconciliation-detail",
        "get",
        "/api/v1/reconciliations/{reconciliation}/",
        ok=(ADMIN, 200),
        refused={C: 404, VL_REC: 404, VG_REC: 404, MONITOR: 404},
    ),
    E(
        "reconciliation-export",
        "get",
        "/api/v1/reconciliations/{reconciliation}/export.xlsx",
        ok=(SOTP_REC, 200),
        refused={C: 404, VL_REC: 404, MONITOR: 404},
    ),
    # --- processing and queues ----------------------------------------------------------------------------------------
    E(
        "processing",
        "get",
        "/api/v1/processing/{d_sotp_proc}/",
        ok=(SOTP_SPEC, 200),
        refused={C: 403, VG_REC: 404, VL_SPEC: 404},
    ),
    E(
        "processing-action",
        "post",
        "/api/v1/processing/{d_sotp_proc}/actions/",
        {"action": "forward"},
        refused={C: 403, VG_REC: 404, VL_SPEC: 404, MONITOR: 403, SOTP_REC: 403},
    ),
    E("queue", "get", "/api/v1/queues/", ok=(SOTP_SPEC, 200), refused={C: 403, BIZ: 403}),
    E(
        "queue-load",
        "get",
        "/api/v1/queues/load/?agency={sotp}",
        ok=(SOTP_LEAD, 200),
        refused={C: 403, VL_LEAD: 403, SOTP_SPEC: 403},
    ),
    E(
        "queue-assign",
        "post",
        "/api/v1/queues/assign/",
        {"items": ["{missing_uuid}"], "assignee": SOTP_SPEC},
        refused={C: 403, VL_LEAD: 404},
    ),
    E("consultation-answer", "post", "/api/v1/consultations/{missing_uuid}/answer/", {"answer": "x"}, refused={C: 403}),
    # --- processes -------------------------------------------------------------------------------------------------
    E("process-list", "get", "/api/v1/processes/", ok=(SOTP_LEAD, 200), refused={C: 403, C2: 403}),
    E("process-detail", "get", "/api/v1/processes/{process_sotp}/", ok=(VG_REC, 200), refused={C: 403}),
    E(
        "process-draft-detail",
        "get",
        "/api/v1/processes/{process_draft}/",
        ok=(SOTP_LEAD, 200),
        refused={C: 403, VL_LEAD: 404, VG_REC: 404},
    ),
    E("process-diagram", "get", "/api/v1/processes/{process_sotp}/diagram.svg", ok=(SOTP_SPEC, 200), refused={C: 403}),
    E(
        "process-create",
        "post",
        "/api/v1/processes/",
        {
            "procedure": "{procedure}",
            "owner_agency": "{sotp}",
            "scope": "agency",
            "agency": "{sotp}",
            "steps": [{"key": "a", "name": "A", "role": "reception", "duration_hours": 8, "actions": ["deliver"]}],
        },
        refused={C: 403, VL_LEAD: 403, MONITOR: 403},
    ),
    E(
        "process-steps",
        "put",
        "/api/v1/processes/{process_draft}/steps/",
        {"steps": []},
        refused={C: 403, VL_LEAD: 404, VG_REC: 404},
    ),
    E(
        "process-submit",
        "post",
        "/api/v1/processes/{process_draft}/submit/",
        {},
        refused={C: 403, VL_LEAD: 404, MONITOR: 403, SOTP_SPEC: 403},
    ),
    E(
        "process-approve",
        "post",
        "/api/v1/processes/{process_draft}/approve/",
        {"decision_number": "1/QĐ", "decision_date": "{today}", "decision_signer": "X", "active_from": "{today}"},
        refused={C: 403, MONITOR: 403, SOTP_LEAD: 403},
    ),
    E(
        "process-new-version",
        "post",
        "/api/v1/processes/{process_sotp}/new-version/",
        {},
        refused={C: 403, MONITOR: 403, VG_REC: 403},
    ),
    # --- catalogue administration (the Provincial Office only) -------------------------------------------------------
    E(
        "catalog-decision-create",
        "post",
        "/api/v1/catalog/decisions/",
        {"number": "9/QĐ", "title": "x", "signed_on": "{today}", "signer": "X", "effective_on": "{today}"},
        refused={C: 403, SOTP_LEAD: 403, MONITOR: 403},
    ),
    E(
        "catalog-decision-publish",
        "post",
        "/api/v1/catalog/decisions/{missing_uuid}/publish/",
        refused={C: 403, SOTP_LEAD: 403, MONITOR: 403},
    ),
    E("catalog-import", "post", "/api/v1/catalog/import/", refused={C: 403, SOTP_LEAD: 403, MONITOR: 403}),
    E(
        "catalog-change-request-submit",
        "post",
        "/api/v1/catalog/change-requests/",
        {"agency": "{vanlam}", "kind": "change", "procedure_code": "{procedure}", "summary": "x"},
        refused={C: 403, SOTP_LEAD: 403, MONITOR: 403},
    ),
    # --- signing, wallet ---------------------------------------------------------------------------------------------
    E("signing-certificates", "get", "/api/v1/signing/certificates/", ok=(SOTP_LEAD, 200), refused={C: 403, C2: 403}),
    E(
        "wallet-item-file",
        "get",
        "/api/v1/wallet/{wallet_item}/file/",
        ok=(C, 200),
        refused={C2: 404, SOTP_REC: 404, MONITOR: 404, ADMIN: 404},
    ),
    # --- HTML pages -------------------------------------------------------------------------------------------------
    E(
        "page-my-detail",
        "get",
        "/ho-so/cua-toi/{d_sotp_new}/",
        ok=(C, 200),
        refused={C2: 404, SOTP_REC: 404, MONITOR: 404},
    ),
    E(
        "page-my-detail-post",
        "post",
        "/ho-so/cua-toi/{d_sotp_new}/",
        {"action": "withdraw", "note": "x"},
        refused={C2: 404, SOTP_REC: 404},
        fmt="form",
    ),
    E("page-draft-edit", "get", "/ho-so/nhap/{draft}/", ok=(C, 200), refused={C2: 404, SOTP_REC: 404}),
    E(
        "page-draft-review",
        "post",
        "/ho-so/nhap/{draft}/xem-lai/",
        ok=None,
        refused={C2: 404, SOTP_REC: 404},
        fmt="form",
    ),
    E(
        "page-office-detail",
        "get",
        "/mot-cua/ho-so/{d_vanlam_c2}/",
        ok=(VL_REC, 200),
        refused={VG_REC: 404, SOTP_REC: 404, C2: 403},
    ),
    E(
        "page-office-action",
        "post",
        "/mot-cua/ho-so/{d_vanlam_counter}/",
        {"action": "start_processing"},
        refused={VG_REC: 404, C: 403},
        fmt="form",
    ),
    E("page-office-list", "get", "/mot-cua/ho-so/", ok=(VL_REC, 200), refused={C: 403}),
    E("page-counter", "get", "/mot-cua/tiep-nhan/", ok=(VL_REC, 200), refused={C: 403, MONITOR: 404, VL_SPEC: 404}),
    E(
        "page-assisted",
        "get",
        "/mot-cua/nop-truc-tuyen-thay/",
        ok=(VL_REC, 200),
        refused={C: 403, MONITOR: 404, VL_SPEC: 404},
    ),
    E(
        "page-pay",
        "get",
        "/ho-so/{d_sotp_proc}/thanh-toan/",
        ok=(C, 200),
        refused={C2: 404, SOTP_REC: 404, MONITOR: 404},
    ),
    E("page-payment-return", "get", "/thanh-toan/{payment}/ket-qua/", ok=(C, 200), refused={C2: 404, SOTP_REC: 404}),
    E("page-reconciliation", "get", "/doi-soat/", ok=(SOTP_REC, 200), refused={C: 403, MONITOR: 403}),
    E(
        "page-reconciliation-detail",
        "get",
        "/doi-soat/{reconciliation}/",
        ok=(SOTP_REC, 200),
        refused={C: 404, VL_REC: 404, MONITOR: 404},
    ),
    E(
        "page-result",
        "get",
        "/ho-so/{d_vanlam_c2_done}/ket-qua/",
        ok=(C2, 200),
        refused={C: 404, VG_REC: 404, SOTP_REC: 404, MONITOR: 404},
    ),
    E("page-process-detail", "get", "/can-bo/quy-trinh/{process_sotp}/", ok=(SOTP_SPEC, 200), refused={C: 403}),
    E(
        "page-process-approval",
        "get",
        "/can-bo/quy-trinh/{process_draft}/phe-duyet/",
        ok=(SOTP_LEAD, 200),
        refused={C: 403, VL_LEAD: 404},
    ),
    E(
        "page-process-transition",
        "post",
        "/can-bo/quy-trinh/{process_draft}/phe-duyet/submit/",
        refused={C: 403, VL_LEAD: 404},
        fmt="form",
    ),
    E(
        "page-consultation-answer",
        "post",
        "/can-bo/xin-y-kien/{missing_uuid}/tra-loi/",
        {"answer": "x"},
        refused={C: 403, VG_REC: 404},
        fmt="form",
    ),
    E("page-queue", "get", "/can-bo/cong-viec/", ok=(SOTP_SPEC, 200), refused={C: 403}),
    E(
        "page-queue-assign",
        "post",
        "/can-bo/cong-viec/phan-cong/",
        {"items": ["{work_item}"], "assignee": SOTP_SPEC},
        ok=(SOTP_LEAD, 302),
        refused={C: 403, VL_LEAD: 404, SOTP_SPEC: 403, MONITOR: 403, ADMIN: 403},
        fmt="form",
    ),
    E(
        "page-queue-filters",
        "post",
        "/can-bo/cong-viec/bo-loc/",
        {"kind": "accept"},
        ok=(SOTP_SPEC, 302),
        refused={C: 403, BIZ: 403},
        fmt="form",
    ),
    E("page-backoffice", "get", "/can-bo/", ok=(SOTP_SPEC, 200), refused={C: 403, BIZ: 403}),
    E("page-change-requests", "get", "/can-bo/danh-muc/de-nghi/", ok=(ADMIN, 200), refused={C: 403}),
]


def _format(value, ids):
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_format(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: _format(item, ids) for key, item in value.items()}
    return value


def _call(endpoint: E, username: str, ids: dict):
    from django.test import Client

    path = endpoint.path.format(**ids)
    data = _format(endpoint.data or {}, ids)
    account = user(username)
    if not path.startswith("/api/"):  # pages: a real session
        client = Client()
        client.force_login(account)
        if endpoint.fmt == "form" or endpoint.method == "get":
            return getattr(client, endpoint.method)(path, data=data)
        return getattr(client, endpoint.method)(path, data=data, content_type="application/json")
    client = auth_client(account)
    return getattr(client, endpoint.method)(path, data=data, format="json")


def _snapshot():
    """What a refused write must leave untouched: every dossier's status and history, payments, processes."""
    from dichvucong.audit.models import AuditEntry
    from dichvucong.dossiers.models import Dossier, DossierEvent
    from dichvucong.payments.models import Payment
    from dichvucong.workflows.models import Process

    return (
        sorted(Dossier.objects.values_list("pk", "status", "current_step")),
        DossierEvent.objects.count(),
        Payment.objects.count(),
        sorted(Process.objects.values_list("pk", "status")),
        AuditEntry.objects.count(),
    )


def _cases():
    for endpoint in ENDPOINTS:
        for username, status in endpoint.refused.items():
            yield pytest.param(endpoint, username, status, id=f"{endpoint.key}-{username}")


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "username", "status"), list(_cases()))
def test_wrong_person_is_refused(world, endpoint, username, status):
    before = _snapshot() if endpoint.method != "get" else None
    response = _call(endpoint, username, world.ids)
    assert response.status_code == status, (
        f"{endpoint.method.upper()} {endpoint.path} as {username}: {response.status_code} "
        f"{getattr(response, 'content', b'')[:300]!r}"
    )
    if endpoint.method != "get":
        assert _snapshot() == before, f"a refused {endpoint.key} by {username} changed something"
    if response.status_code in (403, 404) and response.get("Content-Type", "").startswith("application/json"):
        body = response.json()
        assert body["code"] and body["detail"], body  # a stable code and a message for people


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", [pytest.param(e, id=e.key) for e in ENDPOINTS if e.ok])
def test_the_right_person_gets_through(world, endpoint):
    """Positive control: the refusals above are refusals, not wrong URLs."""
    username, status = endpoint.ok
    response = _call(endpoint, username, world.ids)
    assert response.status_code == status, (
        f"{endpoint.method.upper()} {endpoint.path} as {username}: {response.status_code} "
        f"{getattr(response, 'content', b'')[:300]!r}"
    )


# --- the read-only province role never changes a dossier -----------------------------------------------------------


def _transitions_from(status: str) -> list[str]:
    from dichvucong.dossiers.state_machine import TRANSITIONS

    return sorted(name for name, t in TRANSITIONS.items() if status in t.sources)


@pytest.mark.django_db
@pytest.mark.parametrize("dossier_key", ["d_sotp_new", "d_sotp_proc", "d_sotp_supp", "d_vanlam_counter", "d_vanlam_c2"])
def test_monitor_sees_but_cannot_act(world, dossier_key):
    code = world.ids[dossier_key]
    client = auth_client(user(MONITOR))
    assert client.get(f"{D}/{code}/").status_code == 200
    offered = client.get(f"{D}/{code}/actions/").json()
    assert offered == [], f"actions offered to the monitor on {code}: {offered}"
    status = world.dossiers[dossier_key].status
    for action in _transitions_from(status):
        before = _snapshot()
        response = client.post(
            f"{D}/{code}/actions/",
            {"action": action, "note": "x", "items": ["x"], "new_due_date": "2099-01-01"},
            format="json",
        )
        assert response.status_code == 403, f"monitor {action} on {code}: {response.status_code} {response.content!r}"
        assert _snapshot() == before


# --- lists only ever contain what is yours -------------------------------------------------------------------------


def _codes(client, path: str) -> set[str]:
    rows = client.get(path).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    return {row.get("code") or row.get("dossier") for row in rows}


@pytest.mark.django_db
def test_dossier_lists_are_scoped(world):
    ids = world.ids
    mine = _codes(auth_client(user(C)), f"{D}/?page_size=200")
    assert ids["d_sotp_new"] in mine and ids["d_vanlam_counter"] in mine
    assert ids["d_vanlam_c2"] not in mine and ids["d_vanlam_c2_done"] not in mine
    theirs = _codes(auth_client(user(C2)), f"{D}/?page_size=200")
    assert theirs and not theirs & {ids["d_sotp_new"], ids["d_sotp_proc"], ids["d_vanlam_counter"]}
    van_giang = _codes(auth_client(user(VG_REC)), f"{D}/?page_size=200")
    assert not van_giang & {world.ids[key] for key in world.dossiers}
    sotp = _codes(auth_client(user(SOTP_REC)), f"{D}/?page_size=200")
    assert ids["d_sotp_new"] in sotp and not sotp & {ids["d_vanlam_c2"], ids["d_vanlam_counter"]}
    # a filter on another agency does not widen what the officer sees
    assert _codes(auth_client(user(SOTP_REC)), f"{D}/?agency={ids['vanlam']}") == set()


@pytest.mark.django_db
def test_work_queues_are_scoped(world):
    """The Sở Tư pháp dossier in its internal process is in its team's queue, in nobody else's."""

    def queue(username, view):
        response = auth_client(user(username)).get(f"/api/v1/queues/?view={view}&page_size=200")
        assert response.status_code == 200
        return {row.get("dossier") for row in response.json()["results"]}

    assert world.ids["d_sotp_proc"] in queue(SOTP_SPEC, "team")
    for view in ("mine", "team", "due_today", "overdue"):
        for username in (VL_SPEC, VL_LEAD, VG_REC):
            assert world.ids["d_sotp_proc"] not in queue(username, view), (username, view)


@pytest.mark.django_db
def test_wallet_lists_only_the_owners_items(world):
    assert world.ids["wallet_item"] in {
        row["id"] for row in auth_client(user(C)).get("/api/v1/wallet/").json()["results"]
    }
    for username in (C2, SOTP_REC, MONITOR):
        rows = auth_client(user(username)).get("/api/v1/wallet/").json()["results"]
        assert world.ids["wallet_item"] not in {row["id"] for row in rows}, username


@pytest.mark.django_db
def test_signing_certificates_are_scoped(world):
    from django.db.models import Q

    from dichvucong.signing.models import SigningCertificate

    sotp = world.agencies[world.ids["sotp"]]
    sotp_certs = set(
        SigningCertificate.objects.filter(Q(agency=sotp) | Q(owner_user__username__startswith="sotp.")).values_list(
            "fingerprint", flat=True
        )
    )
    assert sotp_certs, "the demo has Sở Tư pháp certificates"
    own = auth_client(user(SOTP_LEAD)).get("/api/v1/signing/certificates/").json()
    assert {row["fingerprint"] for row in (own["results"] if isinstance(own, dict) else own)} & sotp_certs
    for username in (VL_LEAD, VG_REC):
        rows = auth_client(user(username)).get("/api/v1/signing/certificates/").json()
        rows = rows["results"] if isinstance(rows, dict) else rows
        assert not {row.get("fingerprint") for row in rows} & sotp_certs, username


@pytest.mark.django_db
def test_change_requests_list_is_empty_for_people_without_a_role(world):
    from dichvucong.catalog.services import change_request_submit

    change_request_submit(
        actor=user(VL_LEAD),
        agency=world.agencies[world.ids["vanlam"]],
        kind="change",
        procedure_code=world.ids["procedure"],
        summary="Sửa thời hạn",
    )
    assert auth_client(user(ADMIN)).get("/api/v1/catalog/change-requests/").json()["results"]
    for username in (C, SOTP_LEAD, VG_REC):
        response = auth_client(user(username)).get("/api/v1/catalog/change-requests/")
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            assert response.json()["results"] == [], username


def test_the_office_page_offers_no_form_or_file_link_to_the_province_roles(world):
    """Policy (issue 12, item 6): the monitor and the province admin read the dossier, never its files or the
    generated forms that carry the applicant's name and CCCD; the page does not offer dead links to them."""
    from django.test import Client

    for username in (MONITOR, ADMIN):
        client = Client()
        client.force_login(user(username))
        page = client.get(f"/mot-cua/ho-so/{world.ids['d_sotp_proc']}/").content.decode()
        assert "/forms/receipt.pdf" not in page and "/attachments/" not in page, username
        assert "chỉ do chủ hồ sơ và cán bộ xử lý mở được" in page
    handler = Client()
    handler.force_login(user(SOTP_REC))
    page = handler.get(f"/mot-cua/ho-so/{world.ids['d_sotp_proc']}/").content.decode()
    assert "/forms/receipt.pdf" in page
