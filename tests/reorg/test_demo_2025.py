"""`manage.py demo_reorganise_2025` on the loaded demo: the merged province's 104 communes, the merged departments,
no district tier — the demo's open dossiers, officers and offerings carried over; idempotent."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from dichvucong.accounts.models import RoleAssignment
from dichvucong.agencies.models import Agency, TierModel
from dichvucong.agencies.selectors import province_settings, successor_map
from dichvucong.catalog.selectors import offering_for, procedures_offered_by
from dichvucong.demo.data import hung_yen_2025 as hy2025
from dichvucong.demo.loader import load_demo
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.state_machine import FINAL_STATUSES
from dichvucong.reorg.models import Plan, PlanStatus

pytestmark = pytest.mark.django_db


def test_the_data_file_has_104_units_with_their_source():
    communes = hy2025.communes_2025()
    assert len(communes) == 104
    assert sum(1 for c in communes if c["kind"] == "xa") == 93
    assert sum(1 for c in communes if c["kind"] == "phuong") == 11
    assert len({c["agency_code"] for c in communes}) == 104
    assert len({c["gso_code"] for c in communes}) == 104
    header = (hy2025._CSV).read_text(encoding="utf-8")
    assert "Sources" in header and "github.com/khanhk8a/vn-geo" in header


def test_demo_reorganise_2025(demo):
    today = timezone.localdate()
    open_before = {
        d.pk: (d.code, d.agency.code, d.due_at)
        for d in Dossier.objects.exclude(status__in=list(FINAL_STATUSES)).select_related("agency")
    }
    finished_before = dict(Dossier.objects.filter(status__in=list(FINAL_STATUSES)).values_list("pk", "agency_id"))
    out = io.StringIO()
    call_command("demo_reorganise_2025", stdout=out)
    assert "Applied" in out.getvalue()
    plan = Plan.objects.get(title=hy2025.TITLE)
    assert plan.status == PlanStatus.APPLIED

    active = Agency.objects.active_on(today)
    assert active.filter(tier="commune").count() == 104
    assert not active.filter(tier="district").exists()
    assert not active.filter(
        code__in=["000.00.05.H31", "000.00.09.H31", "000.00.11.H31", "000.00.12.H31", "000.00.13.H31"]
    ).exists()
    assert Agency.objects.get(code="000.00.08.H31").name == "Sở Nông nghiệp và Môi trường tỉnh Hưng Yên"
    assert province_settings().tier_model == TierModel.TWO_TIER

    # Open dossiers: same code and deadline, now at an active unit; finished ones stay where they were handled.
    for dossier in Dossier.objects.filter(pk__in=open_before).select_related("agency"):
        code, old_agency, due_at = open_before[dossier.pk]
        assert (dossier.code, dossier.due_at) == (code, due_at)
        assert dossier.agency.is_active_on(today), (code, old_agency, dossier.agency.code)
    assert dict(Dossier.objects.filter(pk__in=finished_before).values_list("pk", "agency_id")) == finished_before
    # Officers hold their roles at active units only.
    assert not RoleAssignment.objects.filter(active=True, agency__valid_to__lt=today).exists()
    # Văn Lâm's work went to Như Quỳnh (the commune of its seat); its communes too.
    nhu_quynh = next(c for c in hy2025.communes_2025() if c["name"] == "Như Quỳnh")["agency_code"]
    mapping = successor_map()
    nq = Agency.objects.get(code=nhu_quynh)
    assert mapping[demo["000.00.23.H31"].pk] == nq.pk
    assert mapping[Agency.objects.get(code="000.01.23.H31").pk] == nq.pk
    # The district tier's procedures are offered by every commune (Thái Bình's too).
    thai_binh_ward = Agency.objects.get(
        code=next(c for c in hy2025.communes_2025() if c["name"] == "Thái Bình")["agency_code"]
    )
    assert procedures_offered_by(thai_binh_ward).count() >= procedures_offered_by(nq).count() > 0
    for procedure in procedures_offered_by(nq)[:5]:
        assert offering_for(procedure=procedure, agency=thai_binh_ward) is not None

    # Idempotent: a second run changes nothing.
    again = io.StringIO()
    call_command("demo_reorganise_2025", stdout=again)
    assert "already applied" in again.getvalue()
    # `make run` loads the demo again on start: the reorganised demo is kept.
    load_demo()
    assert province_settings().tier_model == TierModel.TWO_TIER
    assert Agency.objects.active_on(today).filter(tier="commune").count() == 104


def test_demo_reorganise_2025_preview_changes_nothing(demo, tmp_path):
    target = tmp_path / "preview.xlsx"
    call_command("demo_reorganise_2025", preview=str(target), stdout=io.StringIO())
    assert target.read_bytes()[:2] == b"PK"
    assert Plan.objects.get(title=hy2025.TITLE).status == PlanStatus.DRAFT
    assert Agency.objects.active_on(timezone.localdate()).filter(tier="district").count() == 10


def test_after_2025_the_moved_officers_work_at_the_new_commune(demo):
    from dichvucong.accounts.models import User
    from dichvucong.catalog.models import Procedure
    from dichvucong.dossiers import services as dossier_services

    call_command("demo_reorganise_2025", stdout=io.StringIO())
    nhu_quynh = Agency.objects.get(
        code=next(c for c in hy2025.communes_2025() if c["name"] == "Như Quỳnh")["agency_code"]
    )
    reception = User.objects.get(username="nhuquynh.reception")
    assert RoleAssignment.objects.filter(user=reception, agency=nhu_quynh, role="reception", active=True).exists()
    assert offering_for(procedure=Procedure.objects.get(code="1.001193"), agency=nhu_quynh) is not None
    # The demo's counter dossier received by UBND huyện Văn Lâm in 2021 continues at xã Như Quỳnh, with its code,
    # and the district's reception officer (moved there) sends it to processing.
    carried = Dossier.objects.filter(agency=nhu_quynh, status="accepted").first()
    assert carried is not None and carried.code.startswith("000.00.23.H31-")
    assert offering_for(procedure=carried.procedure, agency=nhu_quynh) is not None
    started = dossier_services.dossier_start_processing(
        actor=User.objects.get(username="vanlam.reception"), dossier=carried
    )
    assert started.status == "processing" and started.agency_id == nhu_quynh.pk
