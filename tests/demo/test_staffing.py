"""The demo can be walked: every demo procedure has, at some agency that offers it, an officer for every step of
the process that applies there; and a dossier of a commune and of a department procedure walks to the result."""

import pytest

from dichvucong.accounts.models import User
from dichvucong.accounts.selectors import officers_with_role
from dichvucong.agencies.models import Agency
from dichvucong.catalog.models import Procedure
from dichvucong.workflows.models import StepRole
from dichvucong.workflows.processing import AGENCY_HANDLERS
from dichvucong.workflows.selectors import process_for
from tests.conftest import auth_client

pytestmark = pytest.mark.django_db
NHU_QUYNH, VAN_GIANG = "000.01.23.H31", "000.00.24.H31"


def offering_agencies(procedure: Procedure) -> list[Agency]:
    """Units that offer the procedure: its own rows (departments, exceptions) and every unit of a tier template."""
    agencies = {o.agency for o in procedure.offerings.all() if o.agency_id}
    tiers = [o.tier for o in procedure.offerings.all() if not o.agency_id]
    agencies |= set(Agency.objects.filter(tier__in=tiers))
    return sorted(agencies, key=lambda a: a.code)


class Staffing:
    def __init__(self):
        self.cache = {}

    def has(self, agency: Agency, roles) -> bool:
        key = (agency.pk, tuple(roles))
        if key not in self.cache:
            self.cache[key] = any(officers_with_role(agency=agency, role=role).exists() for role in roles)
        return self.cache[key]

    def step_staffed(self, step, agency: Agency) -> bool:
        if step.role == StepRole.OTHER_AGENCY:
            return step.other_agency_id is not None and self.has(step.other_agency, AGENCY_HANDLERS)
        return self.has(agency, (step.role,))

    def walkable_at(self, procedure: Procedure) -> Agency | None:
        """The first offering agency where the process that applies has an officer for every step, if any."""
        for agency in offering_agencies(procedure):
            process = process_for(procedure=procedure, agency=agency)
            if process is not None and all(self.step_staffed(step, agency) for step in process.steps.all()):
                return agency
        return None


def test_every_step_role_of_every_demo_procedure_has_an_officer_at_an_offering_agency(demo):
    staffing = Staffing()
    procedures = list(Procedure.objects.prefetch_related("offerings__agency").order_by("code"))
    assert len(procedures) == 70
    unwalkable = [p.code for p in procedures if staffing.walkable_at(p) is None]
    assert unwalkable == []


def test_the_new_demo_units_have_the_five_roles(demo):
    for prefix, code in [
        ("vangiang", VAN_GIANG),
        ("nhuquynh", NHU_QUYNH),
        ("sokhdt", "000.00.05.H31"),
        ("sogtvt", "000.00.09.H31"),
        ("soxd", "000.00.10.H31"),
        ("soldtbxh", "000.00.13.H31"),
        ("sogddt", "000.00.16.H31"),
        ("soyte", "000.00.17.H31"),
    ]:
        for suffix, role in [
            ("reception", "reception"),
            ("specialist", "specialist"),
            ("head", "division_head"),
            ("leader", "leader"),
            ("clerk", "clerk"),
        ]:
            officer = User.objects.get(username=f"{prefix}.{suffix}")
            assert officer.full_name and officer.job_title
            assert list(officers_with_role(agency=demo[code], role=role)) == [officer]
    assert demo[NHU_QUYNH].name == "Ủy ban nhân dân thị trấn Như Quỳnh"


def _value(field: dict):
    kind = field.get("type", "text")
    return {"date": "2021-03-01", "number": 1, "checkbox": True, "select": (field.get("choices") or ["x"])[0]}.get(
        kind, "Nội dung mẫu"
    )


def client(username):
    return auth_client(User.objects.get(username=username))


def walk(procedure_code: str, prefix: str) -> str:
    """Counter reception → processing → each step's assignee takes the step's forward action → processed (9)."""
    procedure = Procedure.objects.get(code=procedure_code)
    payload = {
        "procedure": procedure.code,
        "channel": "counter",
        "accept": True,
        "form_data": {f["name"]: _value(f) for f in procedure.form_schema if f.get("required")},
        "applicant": {"full_name": "Nguyễn Văn An", "id_number": "033090001234", "phone": "0912000111"},
        "received_documents": [d.pk for d in procedure.required_documents.all()],
    }
    response = client(f"{prefix}.reception").post("/api/v1/dossiers/", payload, format="json")
    assert response.status_code == 201, response.json()
    code = response.json()["code"]
    response = client(f"{prefix}.reception").post(
        f"/api/v1/dossiers/{code}/actions/", {"action": "start_processing"}, format="json"
    )
    assert response.status_code == 200, response.json()
    for _ in range(6):
        state = client(f"{prefix}.specialist").get(f"/api/v1/processing/{code}/").json()
        if state["current_step_key"] is None:
            break
        assert state["assignee"], f"step {state['current_step_key']} has no officer"
        actions = client(state["assignee"]).get(f"/api/v1/processing/{code}/").json()["actions"]
        action = next(a for a in ("forward", "approve", "sign", "deliver") if a in actions)
        response = client(state["assignee"]).post(
            f"/api/v1/processing/{code}/actions/", {"action": action}, format="json"
        )
        assert response.status_code == 200, (state["assignee"], response.json())
    return code


@pytest.mark.parametrize(
    ("procedure_code", "prefix"),
    [
        ("1.001193", "nhuquynh"),  # Đăng ký khai sinh: commune, level 4 (the leader signs an electronic result)
        ("2.001610", "sokhdt"),  # Đăng ký thành lập doanh nghiệp tư nhân: Sở KH&ĐT, level 4
        ("2.000635", "vangiang"),  # Cấp bản sao trích lục hộ tịch: district
    ],
)
def test_a_dossier_walks_to_processed_at_a_newly_staffed_unit(demo, settings, tmp_path, procedure_code, prefix):
    settings.MEDIA_ROOT = tmp_path
    code = walk(procedure_code, prefix)
    assert client(f"{prefix}.reception").get(f"/api/v1/dossiers/{code}/").json()["national_status"] == 9
