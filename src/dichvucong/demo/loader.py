"""Idempotent demo loader: running it twice leaves the database as after one run."""

from django.conf import settings
from django.db import transaction

from dichvucong.accounts import services as account_services
from dichvucong.accounts.models import RoleAssignment, User
from dichvucong.agencies import services as agency_services
from dichvucong.agencies.models import Agency, AgencyKind, Tier
from dichvucong.catalog import demo as catalog_demo
from dichvucong.dossiers import demo as dossiers_demo
from dichvucong.guidance import demo as guidance_demo
from dichvucong.payments import demo as payments_demo
from dichvucong.results import demo as results_demo
from dichvucong.signing import demo as signing_demo
from dichvucong.wallet import demo as wallet_demo
from dichvucong.workdays import demo as workdays_demo
from dichvucong.workflows import demo as workflows_demo

from .data import hung_yen_2021 as hy

DEMO_ACTOR = "demo-loader"


def _ensure_agency(*, code: str, name: str, short_name: str, tier: str, kind: str, parent: Agency | None) -> Agency:
    existing = Agency.objects.filter(code=code).first()
    if existing is None:
        return agency_services.agency_create(
            actor=DEMO_ACTOR, code=code, name=name, short_name=short_name, tier=tier, kind=kind, parent=parent
        )
    if (existing.name, existing.short_name) != (name, short_name):
        agency_services.agency_update(actor=DEMO_ACTOR, agency=existing, name=name, short_name=short_name)
    return existing


def _commune_short_name(name: str) -> str:
    for prefix in ("thị trấn ", "phường ", "xã "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def load_agencies() -> dict[str, Agency]:
    agency_services.province_settings_set(actor=DEMO_ACTOR, name="Hưng Yên", code_suffix=hy.PROVINCE_SUFFIX)
    code, name, short, kind = hy.PROVINCE
    province = _ensure_agency(code=code, name=name, short_name=short, tier=Tier.PROVINCE, kind=kind, parent=None)
    agencies = {code: province}
    for code, name, short, kind in hy.PROVINCIAL_AGENCIES:
        agencies[code] = _ensure_agency(
            code=code, name=name, short_name=short, tier=Tier.PROVINCE, kind=kind, parent=province
        )
    for code, name, short in hy.DISTRICTS:
        agencies[code] = _ensure_agency(
            code=code,
            name=name,
            short_name=short,
            tier=Tier.DISTRICT,
            kind=AgencyKind.PEOPLES_COMMITTEE,
            parent=province,
        )
    for district_code, communes in hy.COMMUNES.items():
        district = agencies[district_code]
        for index, commune in enumerate(communes, start=1):
            code = hy.commune_code(district_code, index)
            agencies[code] = _ensure_agency(
                code=code,
                name=f"Ủy ban nhân dân {commune}",
                short_name=_commune_short_name(commune),
                tier=Tier.COMMUNE,
                kind=AgencyKind.PEOPLES_COMMITTEE,
                parent=district,
            )
    return agencies


def load_accounts(agencies: dict[str, Agency]) -> None:
    password = settings.DEMO_PASSWORD
    for username, full_name, job_title, roles in hy.STAFF:
        user = User.objects.filter(username=username).first() or account_services.staff_create(
            actor=DEMO_ACTOR,
            username=username,
            password=password,
            full_name=full_name,
            job_title=job_title,
            skip_password_validation=True,
        )
        for role, agency_code in roles:
            account_services.role_assign(
                actor=DEMO_ACTOR, user=user, role=role, agency=agencies[agency_code] if agency_code else None
            )
    for username, role, agency_code in hy.STAFF_ROLES_WITHDRAWN:
        for assignment in RoleAssignment.objects.filter(
            user__username=username, role=role, active=True, agency__code=agency_code
        ):
            account_services.role_revoke(actor=DEMO_ACTOR, assignment=assignment)
    for username, full_name, id_number, phone, address in hy.CITIZENS:
        if not User.objects.filter(username=username).exists():
            account_services.user_register_citizen(
                actor=DEMO_ACTOR,
                username=username,
                password=password,
                full_name=full_name,
                id_number=id_number,
                phone=phone,
                address=address,
                email=f"{username}@example.vn",
                skip_password_validation=True,
            )
    for username, organisation, tax_code, representative in hy.BUSINESSES:
        if not User.objects.filter(username=username).exists():
            account_services.user_register_business(
                actor=DEMO_ACTOR,
                username=username,
                password=password,
                organisation_name=organisation,
                tax_code=tax_code,
                full_name=representative,
                skip_password_validation=True,
            )


@transaction.atomic
def load_demo(*, national_catalog: bool = False) -> dict[str, Agency]:
    """`national_catalog`: also the ≈1,550 procedures of the national portal (`manage.py load_demo` does; the test
    suite's shared demo does not, to stay fast)."""
    agencies = load_agencies()
    load_accounts(agencies)
    # Each context's idempotent loader, in dependency order.
    workdays_demo.load_demo(agencies)
    catalog_demo.load_demo(agencies)
    if national_catalog:
        catalog_demo.load_national_catalog(agencies)
    guidance_demo.load_demo(agencies)
    workflows_demo.load_demo(agencies)
    # Signing keys before the demo dossiers: a leader's `sign` step signs the electronic result (results app).
    signing_demo.load_demo(agencies)
    results_demo.load_demo(agencies)
    dossiers_demo.load_demo(agencies)
    payments_demo.load_demo(agencies)
    wallet_demo.load_demo(agencies)
    return agencies
