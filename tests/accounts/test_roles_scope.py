import pytest
from django.db import IntegrityError, transaction

from dichvucong.accounts.models import RoleAssignment, User
from dichvucong.accounts.roles import Role
from dichvucong.accounts.selectors import user_agencies, user_has_role, user_roles_by_agency
from dichvucong.accounts.services import role_assign, role_revoke, user_register_business
from dichvucong.audit.models import AuditEntry
from dichvucong.common.errors import ValidationFailed


@pytest.mark.django_db
class TestRoleScope:
    def test_a_van_lam_officer_cannot_act_as_a_van_giang_officer(self, demo):
        officer = User.objects.get(username="vanlam.reception")
        assert user_has_role(officer, Role.RECEPTION, agency=demo["000.00.23.H31"])
        assert not user_has_role(officer, Role.RECEPTION, agency=demo["000.00.24.H31"])
        assert not user_has_role(officer, Role.LEADER, agency=demo["000.00.23.H31"])

    def test_a_district_role_does_not_reach_its_communes_or_the_province(self, demo):
        leader = User.objects.get(username="vanlam.leader")
        commune = demo["000.00.23.H31"].children.first()
        assert not user_has_role(leader, Role.LEADER, agency=commune)
        assert not user_has_role(leader, Role.LEADER, agency=demo["000.00.00.H31"])

    @pytest.mark.parametrize(
        "username,role,agency_code",
        [
            ("sotp.reception", Role.RECEPTION, "000.00.04.H31"),
            ("sotp.specialist", Role.SPECIALIST, "000.00.04.H31"),
            ("sotp.head", Role.DIVISION_HEAD, "000.00.04.H31"),
            ("sotp.leader", Role.LEADER, "000.00.04.H31"),
            ("vanlam.specialist", Role.SPECIALIST, "000.00.23.H31"),
            ("vanlam.head", Role.DIVISION_HEAD, "000.00.23.H31"),
            ("vangiang.reception", Role.RECEPTION, "000.00.24.H31"),
            ("sotp.clerk", Role.CLERK, "000.00.04.H31"),
            ("vanlam.clerk", Role.CLERK, "000.00.23.H31"),
        ],
    )
    def test_each_demo_officer_holds_exactly_their_role_at_their_agency(self, demo, username, role, agency_code):
        user = User.objects.get(username=username)
        assert user_has_role(user, role, agency=demo[agency_code])
        assert [a.code for a in user_agencies(user)] == [agency_code]
        other = "000.00.23.H31" if agency_code != "000.00.23.H31" else "000.00.04.H31"
        assert not user_has_role(user, role, agency=demo[other])

    @pytest.mark.parametrize("role", [Role.CLERK, Role.AGENCY_ADMIN])
    @pytest.mark.parametrize(
        "agency_code,other_code", [("000.00.04.H31", "000.00.23.H31"), ("000.00.23.H31", "000.00.24.H31")]
    )
    def test_clerks_and_agency_admins_hold_their_role_only_at_their_agency(
        self, demo, make_staff, role, agency_code, other_code
    ):
        user = make_staff(role, demo[agency_code])
        assert user_has_role(user, role, agency=demo[agency_code])
        assert [a.code for a in user_agencies(user)] == [agency_code]
        assert [a.code for a in user_agencies(user, role=role)] == [agency_code]
        assert not user_has_role(user, role, agency=demo[other_code])
        assert not user_has_role(user, role, agency=demo[agency_code].children.first() or demo["000.00.00.H31"])
        others = set(Role.values) - {role}
        assert not any(user_has_role(user, other, agency=demo[agency_code]) for other in others)

    def test_province_roles_hold_everywhere_but_grant_no_agency_role(self, demo):
        admin = User.objects.get(username="vpubnd.admin")
        monitor = User.objects.get(username="sotttt.monitor")
        assert user_has_role(admin, Role.PROVINCE_ADMIN)
        assert user_has_role(monitor, Role.MONITOR, agency=demo["000.00.23.H31"])
        assert not user_has_role(monitor, Role.RECEPTION, agency=demo["000.00.23.H31"])
        assert not user_has_role(monitor, Role.PROVINCE_ADMIN)

    def test_citizens_hold_no_roles(self, demo):
        citizen = User.objects.get(username="citizen")
        assert not any(user_has_role(citizen, role, agency=demo["000.00.23.H31"]) for role in Role.values)

    def test_revoked_roles_stop_working(self, demo):
        officer = User.objects.get(username="vanlam.reception")
        role_revoke(actor="test", assignment=officer.role_assignments.get())
        officer = User.objects.get(pk=officer.pk)
        assert not user_has_role(officer, Role.RECEPTION, agency=demo["000.00.23.H31"])
        assert AuditEntry.objects.filter(action="role.revoke", object_id=str(officer.uuid)).exists()

    def test_roles_by_agency_lists_province_scope_first(self, demo):
        admin = User.objects.get(username="vpubnd.admin")
        role_assign(actor="test", user=admin, role=Role.AGENCY_ADMIN, agency=demo["000.00.01.H31"])
        groups = user_roles_by_agency(User.objects.get(pk=admin.pk))
        assert groups[0][0] is None
        assert groups[1][0].code == "000.00.01.H31"


@pytest.mark.django_db
class TestRoleAssignRules:
    def test_agency_roles_need_an_agency_and_province_roles_refuse_one(self, demo, make_staff):
        staff = make_staff(Role.SPECIALIST, demo["000.00.04.H31"])
        with pytest.raises(ValidationFailed):
            role_assign(actor="test", user=staff, role=Role.LEADER, agency=None)
        with pytest.raises(ValidationFailed):
            role_assign(actor="test", user=staff, role=Role.MONITOR, agency=demo["000.00.04.H31"])

    def test_citizens_cannot_be_given_officer_roles(self, demo):
        with pytest.raises(ValidationFailed) as excinfo:
            role_assign(
                actor="test",
                user=User.objects.get(username="citizen"),
                role=Role.RECEPTION,
                agency=demo["000.00.04.H31"],
            )
        assert excinfo.value.code == "role_requires_staff"

    def test_database_refuses_a_province_role_with_an_agency(self, demo):
        user = User.objects.get(username="sotp.leader")
        with pytest.raises(IntegrityError), transaction.atomic():
            RoleAssignment.objects.create(user=user, role=Role.MONITOR, agency=demo["000.00.04.H31"])


@pytest.mark.django_db
def test_business_accounts_carry_a_valid_tax_code(db):
    business = user_register_business(
        username="dn1", password="Mat-khau-2024!", organisation_name="Công ty A", tax_code="0900100102"
    )
    assert business.display_name == "Công ty A"
    with pytest.raises(ValidationFailed) as excinfo:
        user_register_business(
            username="dn2", password="Mat-khau-2024!", organisation_name="Công ty B", tax_code="0900100109"
        )
    assert excinfo.value.code == "invalid_tax_code"
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="dn3", kind="business", organisation_name="Không mã")
