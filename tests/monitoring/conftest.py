"""A small hand-built province for the report tests: every kind of outcome, built through the services."""

import datetime
from types import SimpleNamespace

import pytest
import time_machine
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.dossiers import dossier_deadlines, services
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import Origin
from dichvucong.dossiers.submission import dossier_create
from dichvucong.payments.services import payment_collect
from dichvucong.workflows.processing import current_item, open_run, step_perform_action
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.agencies.factories import AgencyFactory
from tests.catalog.factories import ProcedureFactory
from tests.dossiers.factories import DossierFactory, officers_at, upload, walk_process
from tests.workflows.factories import ApprovedProcessFactory


def set_due(dossier, due_at):
    """Time is not a service: move the appointment as if the dossier had been accepted earlier (tests only)."""
    Dossier.objects.filter(pk=dossier.pk).update(due_at=due_at)
    return Dossier.objects.get(pk=dossier.pk)


def next_working_day(day: datetime.date) -> datetime.date:
    day += datetime.timedelta(days=1)
    while not dossier_deadlines.is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def build_world():
    """Dept (Sở Tư pháp) and a district with one commune; P4 (level 4) and P3 (level 3) at the dept, PD (level 4) at
    the district and the commune. Dossiers (all received today):

    d_early      online P4 dept, processed before its due date                       → early
    d_on_time    counter P4 dept, due today, processed today                          → on time
    d_late       online P3 dept, due yesterday, processed                            → late
    d_supp2      online P4 dept, two supplement requests, processed before due date   → late (QĐ 766 rule)
    d_apology    online P4 dept, apology (new date), processed before it              → early, apologised
    d_withdrawn  online P4 dept, withdrawn by the owner                               → withdrawn
    d_refused    online P4 dept, refused at reception                                 → returned
    d_stopped    counter P4 dept, stopped                                              → stopped
    d_open       online P4 dept, accepted, due ahead                                   → in progress
    d_open_late  online P4 dept, processing, due yesterday                             → in progress, late
    d_district   counter PD district, returned (delivered) early                      → early
    d_commune    online PD commune, new (not yet accepted)                            → in progress
    d_draft      a draft at the dept                                                   → not counted

    A second department (Sở Xây dựng, procedure PF level 4 with a fee) and a second district with one commune
    (procedure PT level 4, with internal processes: the commune's ends in a transfer to the district):

    d_national   online PF dept2, submitted on the National Public Service Portal      → in progress; online (full)
                                                                                         and national portal
    d_pay_online online PF dept2, fees paid through the payment platform               → in progress; paid online
    d_pay_desk   counter PF dept2, fees paid at the desk by POS                         → in progress; paid at desk
    d_transfer   online PT commune2, transferred (liên thông) to district2, which       → received AND resolved
                 resolves it; returned by the commune's desk                              (early) at commune2, the
                                                                                          receiving agency (ADR 0015)
    """
    dept = AgencyFactory.department(name="Sở Tư pháp (báo cáo)")
    district = AgencyFactory.district(name="Ủy ban nhân dân huyện Kiểm Tra")
    commune = AgencyFactory.commune(district=district, name="Ủy ban nhân dân xã Kiểm Tra")
    p4 = ProcedureFactory(agencies=[dept.code], tiers=("province",), level=4, field="ho-tich", days="5")
    p3 = ProcedureFactory(agencies=[dept.code], tiers=("province",), level=3, field="chung-thuc", days="5")
    pd = ProcedureFactory(tiers=("district", "commune"), level=4, field="ho-tich", days="5")
    officers = officers_at(dept)
    officers_d = officers_at(district)
    officers_c = officers_at(commune)
    rec, spec, head = officers[Role.RECEPTION], officers[Role.SPECIALIST], officers[Role.DIVISION_HEAD]
    now = timezone.now()
    yesterday = now - datetime.timedelta(days=1)
    w = SimpleNamespace(dept=dept, district=district, commune=commune, p4=p4, p3=p3, pd=pd, officers=officers)

    def online(procedure, agency=dept, officers_=officers, **kw):
        return DossierFactory(agency=agency, procedure=procedure, officers=officers_, **kw)

    w.d_early = online(p4, processed=True)
    d = DossierFactory(agency=dept, procedure=p4, officers=officers, counter=True, processing=True)
    set_due(d, now)
    w.d_on_time = services.dossier_mark_processed(actor=spec, dossier=d)
    d = online(p3, processing=True)
    set_due(d, yesterday)
    w.d_late = services.dossier_mark_processed(actor=spec, dossier=d)
    d = online(p4, processing=True)
    for _ in range(2):
        d = services.dossier_request_supplement(actor=spec, dossier=d, items=["Bản sao CCCD"])
        d = services.dossier_supplement(actor=rec, dossier=d, note="Đã bổ sung tại quầy")
    w.d_supp2 = services.dossier_mark_processed(actor=spec, dossier=d)
    d = online(p4, processing=True)
    d = services.dossier_apologize(
        actor=rec, dossier=d, reason="Cần xác minh thêm", new_due_date=next_working_day(d.due_date)
    )
    w.d_apology = services.dossier_mark_processed(actor=spec, dossier=d)
    d = online(p4)
    w.d_withdrawn = services.dossier_withdraw(actor=d.owner, dossier=d, reason="Không còn nhu cầu")
    d = online(p4)
    w.d_refused = services.dossier_refuse(actor=rec, dossier=d, reason="Không thuộc thẩm quyền")
    d = DossierFactory(agency=dept, procedure=p4, officers=officers, counter=True, processing=True)
    w.d_stopped = services.dossier_stop(actor=head, dossier=d, reason="Quá hạn bổ sung")
    w.d_open = online(p4, accepted=True)
    d = set_due(online(p4, accepted=True), yesterday)
    # the next transition picks up the moved due date (the rollups read the locked row at every transition)
    w.d_open_late = services.dossier_start_processing(actor=rec, dossier=d)
    w.d_district = DossierFactory(agency=district, procedure=pd, officers=officers_d, counter=True, returned=True)
    w.d_commune = DossierFactory(agency=commune, procedure=pd, officers=officers_c)
    w.d_draft = DossierFactory(agency=dept, procedure=p4, officers=officers, draft=True)
    _second_department(w)
    _transfer_pair(w)
    w.monitor = StaffFactory(roles=[(Role.MONITOR, None)])
    w.province_admin = StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])
    w.dept_officer = officers[Role.SPECIALIST]
    w.district_admin = StaffFactory(roles=[(Role.AGENCY_ADMIN, district)])
    w.commune_officer = officers_c[Role.RECEPTION]
    w.citizen = CitizenFactory()
    return w


def _second_department(w):
    w.dept2 = AgencyFactory.department(name="Sở Xây dựng (báo cáo)")
    w.pf = ProcedureFactory(agencies=[w.dept2.code], tiers=("province",), level=4, field="xay-dung", days="5")
    officers = officers_at(w.dept2)
    w.officers2 = officers
    owner = CitizenFactory()
    attachments = [
        {"upload": str(upload(owner).uuid), "document": d.pk} for d in w.pf.required_documents.filter(mandatory=True)
    ]
    w.d_national = dossier_create(
        actor=owner,
        procedure_code=w.pf.code,
        agency_code=w.dept2.code,
        attachments=attachments,
        origin=Origin.NATIONAL_PORTAL,
    ).dossier
    w.d_pay_online = DossierFactory(agency=w.dept2, procedure=w.pf, officers=officers, paid=True)
    d = DossierFactory(agency=w.dept2, procedure=w.pf, officers=officers, counter=True, payment_requested=True)
    payment_collect(actor=officers[Role.RECEPTION], dossier=d, method="pos", reference="POS-000123")
    w.d_pay_desk = Dossier.objects.get(pk=d.pk)


TRANSFER_STEPS_COMMUNE = [
    {"key": "cc", "name": "Công chức xem xét", "role": "specialist", "duration_days": "1", "actions": ["transfer"]},
]
TRANSFER_STEPS_DISTRICT = [
    {
        "key": "td",
        "name": "Phòng chuyên môn thẩm định",
        "role": "specialist",
        "duration_days": "2",
        "actions": ["forward"],
    },
    {"key": "ky", "name": "Lãnh đạo huyện ký", "role": "leader", "duration_days": "1", "actions": ["deliver"]},
]


def _transfer_pair(w):
    w.district2 = AgencyFactory.district(name="Ủy ban nhân dân huyện Liên Thông")
    w.commune2 = AgencyFactory.commune(district=w.district2, name="Ủy ban nhân dân xã Liên Thông")
    w.pt = ProcedureFactory(tiers=("district", "commune"), level=4, field="dat-dai", days="5")
    # the tiers' common processes (district and commune processes are the same everywhere)
    ApprovedProcessFactory(procedure=w.pt, owner_agency=w.district2, tier="commune", steps=TRANSFER_STEPS_COMMUNE)
    ApprovedProcessFactory(procedure=w.pt, owner_agency=w.district2, tier="district", steps=TRANSFER_STEPS_DISTRICT)
    officers_c2 = officers_at(w.commune2)
    officers_at(w.district2)
    d = DossierFactory(agency=w.commune2, procedure=w.pt, officers=officers_c2, processing=True)
    item = current_item(open_run(d))
    step_perform_action(
        actor=item.assignee, dossier=d, action="transfer", data={"agency": w.district2.code, "note": "Liên thông"}
    )
    d = walk_process(Dossier.objects.get(pk=d.pk), fallback=officers_c2[Role.SPECIALIST])
    w.d_transfer = services.dossier_deliver(actor=officers_c2[Role.RECEPTION], dossier=d)


@pytest.fixture(autouse=True)
def office_morning():
    """The reports count dossiers by their legal receipt time: an online dossier sent after the daily cut-off (or on a
    day off) is received the next working day (ADR 0011), so a dataset built "today" in the evening would fall outside
    today's period. The report tests run at 09:30 of the current working day (the last one on a day off), the clock
    ticking from there."""
    day = timezone.localdate()
    while not dossier_deadlines.is_working_day(day):
        day -= datetime.timedelta(days=1)
    morning = datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(morning, tick=True):
        yield morning


@pytest.fixture
def world(db):
    return build_world()
