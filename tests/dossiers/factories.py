"""Dossiers built through the dossier services (submission, transitions, the workflow engine, payments), so their
events, audit rows, deadlines and process runs are the real ones.

    DossierFactory()                                  # submitted online by a new citizen: status `new`
    DossierFactory(accepted=True)                     # … accepted at the desk (deadline fixed)
    DossierFactory(processing=True, counter=True)     # a counter dossier in processing
    DossierFactory(paid=True, agency=a, procedure=p)  # fees requested and paid (receipt issued), processing again
    DossierFactory(overdue=True)                      # processing, its deadline passed yesterday

Traits: draft, accepted, processing, supplement_requested, payment_requested, paid, processed, returned, overdue;
counter (channel). Officers of the agency are made (or given: `officers={role: user}`); with an approved process
(`tests/workflows/factories.py`), `processing` opens its run and `processed` walks it to the end (the leader's
`sign` step needs the signers' TEST certificates: `demo_pki_init`, as tests/results does).
"""

import datetime
import io
import zipfile
from decimal import Decimal

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dichvucong.accounts.models import User
from dichvucong.accounts.roles import Role
from dichvucong.catalog.models import Field, Offering, Procedure, RequiredDocument
from dichvucong.dossiers import services
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.submission import dossier_create
from dichvucong.dossiers.uploads import upload_create
from dichvucong.workflows.processing import current_item, open_run, step_perform_action
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.agencies.factories import AgencyFactory
from tests.catalog.factories import ProcedureFactory
from tests.payments.factories import fees_requested, paid_payment

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = bytes.fromhex("89504E470D0A1A0A0000000D49484452") + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200

SCHEMA = [
    {"name": "child_name", "label": "Họ tên người được khai sinh", "type": "text", "required": True},
    {"name": "birth_date", "label": "Ngày sinh", "type": "date", "required": True},
    {"name": "gender", "label": "Giới tính", "type": "select", "required": False, "choices": ["Nam", "Nữ"]},
]
FORM = {"child_name": "Nguyễn Văn Bé", "birth_date": "2020-03-01", "gender": "Nam"}

#: Where each trait leaves the dossier, as the steps that lead there.
STEPS = {
    "draft": [],
    "new": [],
    "accepted": ["accept"],
    "supplement_requested": ["accept", "request_supplement"],
    "processing": ["accept", "start_processing"],
    "payment_requested": ["accept", "start_processing", "request_payment"],
    "paid": ["accept", "start_processing", "request_payment", "pay"],
    "processed": ["accept", "start_processing", "finish"],
    "returned": ["accept", "start_processing", "finish", "deliver"],
}
OFFICER_ROLES = (Role.RECEPTION, Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER, Role.CLERK)


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(user, name="giay-to.pdf", content=PDF):
    return upload_create(actor=user, file=SimpleUploadedFile(name, content, content_type="application/pdf"))


def department(code, name):
    """A department with a fixed code (the running numbers of `AgencyFactory` overflow after many tests)."""
    return AgencyFactory.department(name=name, code=code)


def make_procedure(code="1.001193", name="Đăng ký khai sinh", days=Decimal(3), level=4, tiers=",province,district,"):
    """The birth-registration procedure of the dossier tests (form fields `SCHEMA`, two mandatory documents)."""
    field, _ = Field.objects.get_or_create(code="HT", defaults={"name": "Hộ tịch"})
    procedure = Procedure.objects.create(
        code=code, name=name, field=field, tiers=tiers, processing_days=days, online_level=level, form_schema=SCHEMA
    )
    RequiredDocument.objects.create(procedure=procedure, order=1, name="Tờ khai đăng ký khai sinh", mandatory=True)
    RequiredDocument.objects.create(procedure=procedure, order=2, name="Giấy chứng sinh", mandatory=True)
    RequiredDocument.objects.create(procedure=procedure, order=3, name="Văn bản ủy quyền", mandatory=False)
    return procedure


def offer(procedure, agency, level=4):
    return Offering.objects.create(
        procedure=procedure, agency=agency, online_level=level, valid_from=datetime.date(2000, 1, 1)
    )


def submit_online(world, user=None, **kwargs):
    """`world.citizen` (or `user`) submits `world.procedure` at `world.agency` online, both documents attached."""
    user = user or world.citizen
    params = {
        "procedure_code": world.procedure.code,
        "agency_code": world.agency.code,
        "form_data": FORM,
        "attachments": [
            {"upload": str(upload(user).uuid), "document": world.docs[0].pk},
            {"upload": str(upload(user).uuid), "document": world.docs[1].pk},
        ],
    }
    params.update(kwargs)
    return dossier_create(actor=user, **params).dossier


def officers_at(agency, roles=OFFICER_ROLES) -> dict:
    """The agency's officer for each role: an existing one, or a new one."""
    found = {}
    for role in roles:
        user = User.objects.filter(
            role_assignments__role=role, role_assignments__agency=agency, role_assignments__active=True
        ).order_by("pk").first() or StaffFactory(roles=[(role, agency)])
        found[role] = user
    return found


def walk_process(dossier, *, fallback):
    """Move the dossier through its open process run as the holder of each step would (forward, approve, sign,
    deliver); without a run, `fallback` (a handling officer) marks it processed."""
    for _ in range(20):
        run = open_run(dossier)
        if run is None:
            break
        item = current_item(run)
        action = next(a for a in ("forward", "approve", "sign", "deliver") if a in item.step.actions)
        step_perform_action(actor=item.assignee, dossier=dossier, action=action, data={"note": "Đồng ý"})
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.status == "processing":
        dossier = services.dossier_mark_processed(actor=fallback, dossier=dossier)
    return dossier


class DossierFactory(factory.Factory):
    class Meta:
        model = Dossier

    agency = factory.LazyFunction(lambda: AgencyFactory.department())
    procedure = factory.LazyAttribute(lambda o: ProcedureFactory(agencies=[o.agency.code]))
    owner = factory.LazyFunction(CitizenFactory)
    channel = "online"
    status = "new"
    late = False
    officers = None
    form_data = factory.LazyFunction(dict)

    class Params:
        draft = factory.Trait(status="draft")
        accepted = factory.Trait(status="accepted")
        processing = factory.Trait(status="processing")
        supplement_requested = factory.Trait(status="supplement_requested")
        payment_requested = factory.Trait(status="payment_requested")
        paid = factory.Trait(status="paid")
        processed = factory.Trait(status="processed")
        returned = factory.Trait(status="returned")
        overdue = factory.Trait(status="processing", late=True)
        counter = factory.Trait(channel="counter")

    @classmethod
    def _create(cls, model_class, *, agency, procedure, owner, channel, status, late, officers, form_data):
        officers = officers or officers_at(agency)
        reception = officers[Role.RECEPTION]
        documents = list(procedure.required_documents.order_by("order"))
        if channel == "counter":
            dossier = dossier_create(
                actor=reception,
                procedure_code=procedure.code,
                agency_code=agency.code,
                channel="counter",
                applicant={
                    "full_name": owner.full_name,
                    "id_number": owner.id_number,
                    "phone": owner.phone,
                    "address": owner.address,
                },
                form_data=form_data,
                received_documents=[d.pk for d in documents],
            ).dossier
        else:
            attachments = [{"upload": str(upload(owner).uuid), "document": d.pk} for d in documents if d.mandatory]
            dossier = dossier_create(
                actor=owner,
                procedure_code=procedure.code,
                agency_code=agency.code,
                form_data=form_data,
                attachments=attachments,
                draft=status == "draft",
            ).dossier
        for step in STEPS[status]:
            dossier = cls._step(dossier, step, officers)
        if late:
            # Time is not a service: the deadline is moved to yesterday, as if the dossier had been accepted long ago.
            Dossier.objects.filter(pk=dossier.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
        return Dossier.objects.get(pk=dossier.pk)

    @staticmethod
    def _step(dossier, step, officers):
        reception, specialist = officers[Role.RECEPTION], officers[Role.SPECIALIST]
        if step == "accept":
            return services.dossier_accept(actor=reception, dossier=dossier)
        if step == "start_processing":
            return services.dossier_start_processing(actor=reception, dossier=dossier)
        if step == "request_supplement":
            return services.dossier_request_supplement(
                actor=reception, dossier=dossier, items=["Bản sao CCCD có chứng thực"]
            )
        if step == "request_payment":
            item = current_item(open_run(dossier)) if open_run(dossier) else None
            fees_requested(dossier, officer=item.assignee if item else specialist)
        elif step == "pay":
            paid_payment(Dossier.objects.get(pk=dossier.pk))
        elif step == "finish":
            return walk_process(dossier, fallback=specialist)
        elif step == "deliver":
            return services.dossier_deliver(actor=reception, dossier=dossier)
        return Dossier.objects.get(pk=dossier.pk)

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("dossiers are created through the services, not built")
