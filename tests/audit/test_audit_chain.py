import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from dichvucong.audit.models import AuditChainHead, AuditEntry
from dichvucong.audit.selectors import audit_chain_verify
from dichvucong.audit.services import audit_record


@pytest.fixture
def chain(db):
    for i in range(5):
        audit_record(
            actor="system",
            action="test.write",
            object_type="test",
            object_id=str(i),
            before={"n": i},
            after={"n": i + 1, "name": "Hồ sơ số " + str(i)},
        )
    return list(AuditEntry.objects.order_by("id"))


def test_entries_are_chained_by_hash(chain):
    assert chain[0].prev_hash == "0" * 64
    for previous, entry in zip(chain, chain[1:], strict=False):
        assert entry.prev_hash == previous.hash
    assert audit_chain_verify() == []
    assert AuditChainHead.objects.get().length == 5


def test_an_edited_row_is_detected(chain):
    # A tamperer bypassing the ORM guard (raw UPDATE) changes what the third row says.
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=chain[2].pk).update(action="test.other")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET action = %s WHERE id = %s", ["test.tampered", chain[2].pk]
        )
    problems = audit_chain_verify()
    assert [p.entry_id for p in problems] == [chain[2].pk]
    with pytest.raises(CommandError, match="broken"):
        call_command("audit_verify")


def test_a_deleted_row_is_detected(chain):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [chain[1].pk])
    problems = audit_chain_verify()
    assert problems[0].entry_id == chain[2].pk
    assert "xoá" in problems[0].reason


def test_a_deleted_last_row_is_detected(chain):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE id = %s", [chain[-1].pk])
    assert audit_chain_verify() != []


def test_rows_cannot_be_changed_or_deleted_through_the_orm(chain):
    entry = chain[0]
    entry.action = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.all().delete()


def test_verify_command_passes_on_an_intact_chain(chain, capsys):
    call_command("audit_verify")
    assert "intact" in capsys.readouterr().out


def test_records_actor_action_object_and_summary(demo):
    entry = AuditEntry.objects.filter(action="role.assign").first()
    assert entry.actor_label == "demo-loader"
    assert entry.object_type == "accounts.user"
    assert entry.after["role"]
    assert entry.at is not None
