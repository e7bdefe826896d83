"""Helpers of the end-to-end tests: the demo (Hưng Yên) walked over the public API by the demo accounts (also used by
tests/payments)."""

from django.db.models import Sum

from dichvucong.accounts.models import User
from dichvucong.agencies.models import Agency
from dichvucong.catalog.models import Procedure
from dichvucong.catalog.selectors import offering_for
from tests.factories import auth_client

VANLAM, VANGIANG = "000.00.23.H31", "000.00.24.H31"
CITIZEN_CCCD = "033090001234"


def client(username):
    return auth_client(User.objects.get(username=username))


def sample_value(field: dict):
    kind = field.get("type", "text")
    return {"date": "2021-03-01", "number": 1, "checkbox": True, "select": (field.get("choices") or ["x"])[0]}.get(
        kind, "Nội dung mẫu"
    )


def sample_form(procedure) -> dict:
    return {f["name"]: sample_value(f) for f in procedure.form_schema if f.get("required")}


def district_procedure(*, with_fee: bool = False) -> Procedure:
    """A demo procedure Văn Lâm carries out (district tier template process), optionally with a fee to pay."""
    agency = Agency.objects.get(code=VANLAM)
    qs = Procedure.objects.for_tier("district").filter(offerings__tier="district").distinct().order_by("code")
    if with_fee:
        qs = qs.annotate(fee_total=Sum("fees__amount")).filter(fee_total__gt=0)
    for procedure in qs:
        if offering_for(procedure=procedure, agency=agency) is not None:
            return procedure
    raise AssertionError("no demo procedure fits")


def counter_dossier(procedure, *, accept=True) -> str:
    """vanlam.reception registers (and accepts) a walk-in dossier of the demo citizen (owner found by CCCD)."""
    payload = {
        "procedure": procedure.code,
        "channel": "counter",
        "accept": accept,
        "form_data": sample_form(procedure),
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": CITIZEN_CCCD, "phone": "0912000111"},
        "received_documents": [d.pk for d in procedure.required_documents.all()],
    }
    response = client("vanlam.reception").post("/api/v1/dossiers/", payload, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["code"]


def actions(username, code) -> dict:
    response = client(username).get(f"/api/v1/dossiers/{code}/actions/")
    assert response.status_code == 200, response.json()
    return {a["name"]: a for a in response.json()}


def act(username, code, action, **data):
    return client(username).post(f"/api/v1/dossiers/{code}/actions/", {"action": action, **data}, format="json")
