"""Idempotent demo data of the dossiers context, called by dichvucong.demo.loader.load_demo.

A few dossiers in various states for `citizen` and `citizen2` at Sở Tư pháp (000.00.04.H31) and UBND huyện Văn
Lâm (000.00.23.H31), created through the real services. Each demo dossier carries an Idempotency-Key
("demo-..."): a second run finds it and changes nothing.
"""

import hashlib
import logging

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dichvucong.accounts.models import User
from dichvucong.catalog.models import Procedure

from . import services
from .actions import dossier_perform_action, process_running
from .models import Dossier, Upload
from .registry import registry
from .submission import dossier_create
from .uploads import upload_ttl

logger = logging.getLogger(__name__)

SOTP, VANLAM = "000.00.04.H31", "000.00.23.H31"
DEMO_FILE = "dossiers/demo/giay-to-mau.pdf"
DEMO_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# (key, owner, procedure, agency, channel, steps after creation)
DEMO = [
    ("demo-1", "citizen", "3.000333", SOTP, "online", []),
    ("demo-2", "citizen", "3.000333", SOTP, "online", ["accept", "start_processing"]),
    ("demo-3", "citizen", "3.000333", SOTP, "online", ["request_supplement"]),
    ("demo-4", "citizen2", "2.000635", VANLAM, "online", ["accept", "start_processing", "mark_processed", "deliver"]),
    ("demo-5", "citizen2", "2.000635", VANLAM, "online", ["accept", "start_processing", "mark_processed"]),
    ("demo-6", "citizen", "2.000635", VANLAM, "counter", []),
]
OFFICERS = {SOTP: ("sotp.reception", "sotp.specialist"), VANLAM: ("vanlam.reception", "vanlam.specialist")}


def _sample_value(field: dict, owner: User):
    kind, label = field.get("type"), (field.get("label") or "").lower()
    if kind == "select":
        return (field.get("choices") or [""])[0]
    if kind == "text" and ("trú" in label or "địa chỉ" in label):
        return owner.address
    if kind == "text" and ("tên" in label or "họ" in label):
        return owner.full_name
    return {"date": "1990-07-01", "number": "1", "checkbox": True}.get(kind, "Bổ sung hồ sơ xin việc")


def _sample_form(procedure: Procedure, owner: User) -> dict:
    return {field["name"]: _sample_value(field, owner) for field in procedure.form_schema or []}


def _demo_upload(owner: User) -> Upload:
    """An upload row pointing at one shared sample file (written once), so loading the demo again and again (as
    the tests do) does not fill the storage with copies."""
    if not default_storage.exists(DEMO_FILE):
        default_storage.save(DEMO_FILE, ContentFile(DEMO_PDF))
    return Upload.objects.create(
        owner=owner,
        file=DEMO_FILE,
        original_name="giay-to-mau.pdf",
        size=len(DEMO_PDF),
        content_type="application/pdf",
        sha256=hashlib.sha256(DEMO_PDF).hexdigest(),
        expires_at=timezone.now() + upload_ttl(),
    )


def _attachments(owner: User, procedure: Procedure) -> list[dict]:
    return [
        {"upload": str(_demo_upload(owner).uuid), "document": document.pk}
        for document in procedure.required_documents.all()
    ]


def _create(key, owner, procedure, agency_code, channel):
    if channel == "online":
        return dossier_create(
            actor=owner,
            procedure_code=procedure.code,
            agency_code=agency_code,
            form_data=_sample_form(procedure, owner),
            attachments=_attachments(owner, procedure),
            idempotency_key=key,
        ).dossier
    reception = User.objects.get(username=OFFICERS[agency_code][0])
    return dossier_create(
        actor=reception,
        procedure_code=procedure.code,
        agency_code=agency_code,
        channel="counter",
        applicant={
            "full_name": owner.full_name,
            "id_number": owner.id_number,
            "phone": owner.phone,
            "address": owner.address,
        },
        form_data=_sample_form(procedure, owner),
        received_documents=[doc.pk for doc in procedure.required_documents.all()],
        idempotency_key=key,
        accept=True,
    ).dossier


def _advance(dossier: Dossier, steps: list[str], agency_code: str) -> None:
    reception, specialist = (User.objects.get(username=name) for name in OFFICERS[agency_code])
    for step in steps:
        if step == "request_supplement":
            dossier = services.dossier_request_supplement(
                actor=reception,
                dossier=dossier,
                items=["Bản sao CCCD có chứng thực"],
                note="Bản sao CCCD bị mờ, đề nghị nộp lại.",
            )
        elif step == "mark_processed":
            dossier = _finish_processing(dossier, specialist)
        else:
            dossier = getattr(services, f"dossier_{step}")(actor=reception, dossier=dossier)


#: Step actions that move a demo dossier on through its internal process, in order of preference.
_FORWARD_ACTIONS = ("forward", "approve", "sign", "deliver")


def _finish_processing(dossier: Dossier, specialist: User) -> Dossier:
    """Walk the dossier through its internal process as the officers holding each step would (the process ends
    with the clerk's `deliver`: processed); without a process, the specialist marks it processed."""
    for _ in range(20):  # a demo process has a handful of steps; never loop forever
        if not process_running(dossier):
            break
        holder = next(iter(registry.engine.step_holders(dossier)), None)
        offered = registry.engine.step_actions(holder, dossier) if holder is not None else []
        action = next((a for a in _FORWARD_ACTIONS if a in offered), None)
        if action is None:
            logger.info("demo dossier %s left at step %s", dossier.code, dossier.current_step)
            return dossier
        dossier = dossier_perform_action(actor=holder, dossier=dossier, action=action, data={"note": "Đồng ý"})
    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.status == "processing" and not process_running(dossier):
        dossier = services.dossier_mark_processed(actor=specialist, dossier=dossier)
    return dossier


def load_demo(agencies: dict) -> None:
    for key, username, procedure_code, agency_code, channel, steps in DEMO:
        owner = User.objects.filter(username=username).first()
        procedure = Procedure.objects.filter(code=procedure_code).first()
        if owner is None or procedure is None or agency_code not in agencies:
            logger.info("demo dossier %s skipped: catalogue or accounts missing", key)
            continue
        creator = owner if channel == "online" else User.objects.get(username=OFFICERS[agency_code][0])
        if Dossier.objects.filter(created_by=creator, idempotency_key=key).exists():
            continue
        dossier = _create(key, owner, procedure, agency_code, channel)
        _advance(dossier, steps, agency_code)
