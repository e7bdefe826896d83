"""Results test data: Sở Tư pháp with a full-online (level 4) procedure, its approved process (reception → specialist
→ head → leader signs → clerk releases), officers with TEST certificates (the leader and the clerk's agency seal),
a second leader without a certificate, another department, two citizens; and helpers that walk a dossier to
any step through the real services (submitted → at the leader's step → signed → issued)."""

from decimal import Decimal
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from dichvucong.accounts.roles import Role
from dichvucong.dossiers.services import dossier_accept, dossier_start_processing
from dichvucong.dossiers.submission import dossier_create
from dichvucong.dossiers.uploads import upload_create
from dichvucong.signing.demo_pki import demo_pki_init
from dichvucong.workflows.demo import standard_steps
from dichvucong.workflows.processing import step_perform_action
from tests.accounts.factories import CitizenFactory, StaffFactory, staff_of
from tests.dossiers.factories import FORM, department, make_procedure, offer
from tests.workflows.factories import ApprovedProcessFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
SIGNERS = ("stp.leader", "stp.clerk", "sxd.leader", "sxd.clerk")


def results_settings(settings, *, keystore_dir, media_root) -> None:
    """The TEST keystore of the session (keys generated once) and the test's media folder."""
    settings.SIGNING_KEYSTORE_DIR = keystore_dir
    settings.SIGNING_KEYSTORE_PASSPHRASE = "test-keystore-passphrase"
    settings.SIGNING_TRUST_ANCHORS = []
    settings.MEDIA_ROOT = media_root


def _process(procedure, agency):
    return ApprovedProcessFactory(procedure=procedure, agency=agency, steps=standard_steps(procedure.processing_days))


def _officers(agency, prefix: str) -> dict:
    return staff_of(agency, prefix, (Role.RECEPTION, Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER, Role.CLERK))


def results_world() -> SimpleNamespace:
    """Sở Tư pháp and Sở Xây dựng with the procedure, its approved process, officers with TEST certificates."""
    agency = department("000.00.04.H31", "Sở Tư pháp")
    other = department("000.00.05.H31", "Sở Xây dựng")
    procedure = make_procedure(days=Decimal(7))
    offer(procedure, agency, level=4)
    offer(procedure, other, level=4)
    _process(procedure, agency)
    _process(procedure, other)
    staff = _officers(agency, "stp")
    others = _officers(other, "sxd")
    leader2 = StaffFactory(
        username="stp.leader2", full_name="Lãnh đạo chưa có chứng thư", roles=[(Role.LEADER, agency)]
    )
    demo_pki_init(usernames=SIGNERS)
    return SimpleNamespace(
        agency=agency,
        other=other,
        procedure=procedure,
        docs=list(procedure.required_documents.order_by("order")),
        reception=staff[Role.RECEPTION],
        specialist=staff[Role.SPECIALIST],
        head=staff[Role.DIVISION_HEAD],
        leader=staff[Role.LEADER],
        clerk=staff[Role.CLERK],
        leader2=leader2,
        other_reception=others[Role.RECEPTION],
        other_leader=others[Role.LEADER],
        monitor=StaffFactory(roles=[(Role.MONITOR, None)]),
        citizen=CitizenFactory(full_name="Nguyễn Văn An"),
        citizen2=CitizenFactory(full_name="Trần Thị Bình"),
    )


def upload(user, content: bytes = PDF, name: str = "giay-to.pdf"):
    return upload_create(actor=user, file=SimpleUploadedFile(name, content, content_type="application/pdf"))


def submitted(world, user=None):
    user = user or world.citizen
    attachments = [
        {"upload": str(upload(user, PDF + f"% {user.pk}-{doc.pk}\n".encode()).uuid), "document": doc.pk}
        for doc in world.docs[:2]
    ]
    return dossier_create(
        actor=user,
        procedure_code=world.procedure.code,
        agency_code=world.agency.code,
        form_data=FORM,
        attachments=attachments,
    ).dossier


def at_leader_step(world, user=None, *, leader=None):
    """A dossier accepted, started and approved by the head: it waits at the leader's `sign` step."""
    dossier = submitted(world, user)
    dossier = dossier_accept(actor=world.reception, dossier=dossier)
    dossier = dossier_start_processing(actor=world.reception, dossier=dossier)
    step_perform_action(actor=world.specialist, dossier=dossier, action="forward", data={})
    step_perform_action(
        actor=world.head, dossier=dossier, action="approve", data={"assignee": (leader or world.leader).username}
    )
    return dossier


def signed(world, user=None):
    dossier = at_leader_step(world, user)
    step_perform_action(actor=world.leader, dossier=dossier, action="sign", data={"note": "Đồng ý"})
    return dossier


def issued(world, user=None):
    dossier = signed(world, user)
    step_perform_action(actor=world.clerk, dossier=dossier, action="deliver", data={})
    return dossier
