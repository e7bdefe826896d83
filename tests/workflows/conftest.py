import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.catalog.models import Field, Procedure
from dichvucong.workflows import services
from tests.factories import AgencyFactory, StaffFactory

_codes = itertools.count(1)

#: reception 0.5 d → specialist 3 d → division head 1 d → leader signs 1 d → clerk releases 0.5 d = 6 days
STANDARD_STEPS = [
    {
        "key": "tiep-nhan",
        "name": "Tiếp nhận, chuyển hồ sơ",
        "role": "reception",
        "duration_days": "0.5",
        "actions": ["forward"],
    },
    {
        "key": "tham-dinh",
        "name": "Thẩm định hồ sơ",
        "role": "specialist",
        "duration_days": "3",
        "actions": ["forward", "return", "consult", "transfer", "request_payment"],
    },
    {
        "key": "duyet",
        "name": "Lãnh đạo phòng duyệt",
        "role": "division_head",
        "duration_days": "1",
        "actions": ["approve", "return"],
    },
    {"key": "ky", "name": "Lãnh đạo cơ quan ký", "role": "leader", "duration_days": "1", "actions": ["sign", "return"]},
    {
        "key": "phat-hanh",
        "name": "Văn thư đóng dấu, phát hành",
        "role": "clerk",
        "duration_days": "0.5",
        "actions": ["deliver"],
    },
]


def make_procedure(*, days="7", tiers=("district",), code=None) -> Procedure:
    field, _ = Field.objects.get_or_create(code="TP", defaults={"name": "Tư pháp"})
    return Procedure.objects.create(
        code=code or f"9.{next(_codes):06d}",
        name="Chứng thực bản sao từ bản chính",
        field=field,
        tiers="," + ",".join(tiers) + ",",
        processing_days=Decimal(days),
        online_level=4,
    )


class World:
    """A province with the Provincial Office, a department, two districts, their officers and a procedure."""

    def __init__(self):
        self.province = AgencyFactory.province()
        self.office = AgencyFactory.department(name="Văn phòng UBND tỉnh")
        self.department = AgencyFactory.department(name="Sở Tư pháp")
        self.district = AgencyFactory.district(name="UBND huyện Văn Lâm")
        self.district2 = AgencyFactory.district(name="UBND huyện Văn Giang")
        self.commune = AgencyFactory.commune(district=self.district, name="UBND xã Lạc Đạo")
        self.procedure = make_procedure(days="7", tiers=("district", "commune"))
        self.admin = StaffFactory(
            username="vp.admin", roles=[(Role.PROVINCE_ADMIN, None), (Role.AGENCY_ADMIN, self.office)]
        )
        self.outside_admin = StaffFactory(username="tinh.admin", roles=[(Role.PROVINCE_ADMIN, None)])
        self.dept_leader = StaffFactory(username="stp.leader", roles=[(Role.LEADER, self.department)])
        self.dept_specialist = StaffFactory(username="stp.specialist", roles=[(Role.SPECIALIST, self.department)])
        self.staff = {}
        for agency, prefix in ((self.district, "vl"), (self.district2, "vg"), (self.commune, "ld")):
            for role in (Role.RECEPTION, Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER, Role.CLERK):
                self.staff[f"{prefix}.{role}"] = StaffFactory(username=f"{prefix}.{role}", roles=[(role, agency)])

    def draft(
        self, *, steps=None, owner=None, scope="tier", tier="district", agency=None, justification="", procedure=None
    ):
        owner = owner or self.department
        actor = (
            self.dept_leader
            if owner == self.department
            else self.staff[{self.district: "vl", self.district2: "vg", self.commune: "ld"}[owner] + ".leader"]
        )
        return services.process_create(
            actor=actor,
            procedure=procedure or self.procedure,
            owner_agency=owner,
            scope=scope,
            tier=tier if scope == "tier" else "",
            agency=agency,
            justification=justification,
            steps=steps or STANDARD_STEPS,
        )

    def approve(self, process, *, active_from=None, submitter=None):
        today = timezone.localdate()
        submitter = submitter or (
            self.dept_leader
            if process.owner_agency == self.department
            else self.staff[
                {self.district: "vl", self.district2: "vg", self.commune: "ld"}[process.owner_agency] + ".leader"
            ]
        )
        services.process_submit(actor=submitter, process=process)
        services.process_review(actor=self.admin, process=process, note="Đạt yêu cầu")
        return services.process_approve(
            actor=self.admin,
            process=process,
            decision_number="123/QĐ-UBND",
            decision_date=today - datetime.timedelta(days=1),
            decision_signer="Chủ tịch UBND tỉnh",
            active_from=active_from or today,
        )

    def active_template(self, tier="district", steps=None):
        return self.approve(self.draft(tier=tier, steps=steps))


@pytest.fixture
def world(db):
    return World()


_dossier_seq = itertools.count(1)


def accepted_dossier(world, *, agency=None, procedure=None):
    """A dossier accepted at the one-stop desk (created directly: the dossiers app owns submission)."""
    from dichvucong.dossiers.models import Dossier

    agency = agency or world.district
    now = timezone.now()
    return Dossier.objects.create(
        code=f"{agency.code}-{now:%y%m%d}-{next(_dossier_seq):04d}",
        procedure=procedure or world.procedure,
        agency=agency,
        applicant_name="Nguyễn Văn An",
        applicant_id_number="033090001234",
        status="accepted",
        submitted_at=now,
        received_at=now,
        accepted_at=now,
        due_at=now + datetime.timedelta(days=10),
    )


def start(world, dossier, actor=None):
    """The reception officer hands the dossier over for processing (dossiers service → workflows hook)."""
    from dichvucong.dossiers.services import dossier_start_processing

    prefix = {world.district: "vl", world.district2: "vg", world.commune: "ld"}[dossier.agency]
    return dossier_start_processing(actor=actor or world.staff[f"{prefix}.reception"], dossier=dossier)
