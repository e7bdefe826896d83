import pytest

from dichvucong.accounts.models import RoleAssignment, User
from dichvucong.agencies.models import Agency
from dichvucong.audit.models import AuditEntry
from dichvucong.demo.loader import load_demo


@pytest.mark.django_db
def test_demo_loader_is_idempotent():
    load_demo()
    counts = (Agency.objects.count(), User.objects.count(), RoleAssignment.objects.count(), AuditEntry.objects.count())
    load_demo()
    assert (
        Agency.objects.count(),
        User.objects.count(),
        RoleAssignment.objects.count(),
        AuditEntry.objects.count(),
    ) == counts


@pytest.mark.django_db
def test_demo_accounts_of_api_md_exist_with_demo_password(demo, settings):
    for username in [
        "citizen",
        "citizen2",
        "sotp.reception",
        "sotp.specialist",
        "sotp.head",
        "sotp.leader",
        "vanlam.reception",
        "vanlam.specialist",
        "vanlam.head",
        "vanlam.leader",
        "vangiang.reception",
        "vpubnd.admin",
        "sotttt.monitor",
    ]:
        user = User.objects.get(username=username)
        assert user.check_password(settings.DEMO_PASSWORD), username
    assert User.objects.get(username="citizen").id_number == "033090001234"
    assert User.objects.get(username="citizen2").full_name == "Trần Thị Bình"
