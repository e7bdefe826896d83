"""The keyed audit chain (issue 12, item 4): a log re-chained by someone with database write access (a row changed
or deleted, every later hash and the head recomputed) is detected; keys rotate; signed checkpoints outside the
database catch even a re-chaining done WITH the key."""

import hashlib

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from dichvucong.audit.checkpoints import audit_checkpoint, read_checkpoints
from dichvucong.audit.keys import audit_keys
from dichvucong.audit.models import AuditChainHead, AuditEntry
from dichvucong.audit.selectors import audit_chain_verify
from dichvucong.audit.services import audit_record

KEY_A = "a2026:" + "A" * 40
KEY_B = "b2027:" + "B" * 40
TABLE = AuditEntry._meta.db_table


@pytest.fixture
def keyed(settings, tmp_path):
    settings.AUDIT_HMAC_KEYS = KEY_A
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "anchor"
    return settings


def _write(count, start=0):
    for number in range(start, start + count):
        audit_record(
            actor="system", action="test.write", object_type="test", object_id=str(number), after={"n": number}
        )
    return list(AuditEntry.objects.order_by("id"))


def _rechain(*, change_id=None, delete_id=None, key: bytes | None = None, key_id=None):
    """What an attacker with write access does: change or delete a row, then recompute every later seal and the
    head with raw SQL (the ORM refuses), with `key` if they have it, else with plain SHA-256."""
    with connection.cursor() as cursor:
        if change_id:
            cursor.execute(f"UPDATE {TABLE} SET object_repr = %s WHERE id = %s", ["đã sửa", change_id])
        if delete_id:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [delete_id])
    previous = "0" * 64
    for entry in AuditEntry.objects.order_by("id"):
        entry.prev_hash = previous
        if key_id is not None:
            entry.key_id = key_id
        seal = entry.compute_hash(key)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {TABLE} SET prev_hash = %s, hash = %s, key_id = %s WHERE id = %s",
                [previous, seal, entry.key_id, entry.pk],
            )
        previous = seal
    count = AuditEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditChainHead._meta.db_table} SET last_hash = %s, length = %s WHERE id = 1", [previous, count]
        )


@pytest.mark.django_db
def test_rows_are_sealed_with_hmac_under_the_current_key(keyed):
    rows = _write(3)
    assert {row.key_id for row in rows} == {"a2026"}
    plain = hashlib.sha256((rows[0].prev_hash + "|").encode()).hexdigest()
    assert rows[0].hash != plain and rows[0].hash == rows[0].compute_hash(audit_keys().current)
    assert audit_chain_verify() == []
    call_command("audit_verify")


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["sha256", "wrong-key", "unkeyed-tail"])
def test_a_rechained_log_is_detected_without_any_checkpoint(keyed, how):
    """Before the fix, a row changed and the chain recomputed with SHA-256 verified as "intact"."""
    rows = _write(5)
    if how == "sha256":  # recomputed as the old unkeyed chain, keeping the key ids
        _rechain(change_id=rows[2].pk)
    elif how == "wrong-key":
        _rechain(delete_id=rows[1].pk, key=b"guessed-key")
    else:  # the tail recomputed as unkeyed rows after keyed ones
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET key_id = 'a2026' WHERE id = %s", [rows[0].pk])
        _rechain(change_id=rows[3].pk, key_id="")
        with connection.cursor() as cursor:  # the first row keeps a valid keyed seal (untouched by the attacker)
            cursor.execute(f"UPDATE {TABLE} SET key_id = 'a2026', hash = %s WHERE id = %s", [rows[0].hash, rows[0].pk])
    problems = audit_chain_verify()
    assert problems, how
    assert any("khóa" in p.reason or "bị sửa" in p.reason for p in problems)
    with pytest.raises(CommandError, match="broken"):
        call_command("audit_verify")


@pytest.mark.django_db
@pytest.mark.parametrize("attack", ["change-unkeyed", "change-with-key", "delete-with-key", "truncate"])
def test_a_checkpoint_outside_the_database_catches_rewritten_history(keyed, attack):
    rows = _write(5)
    audit_checkpoint()
    _write(2, start=5)
    key = audit_keys().current
    if attack == "change-unkeyed":
        _rechain(change_id=rows[2].pk, key_id="")
    elif attack == "change-with-key":  # an insider holding the database AND the key
        _rechain(change_id=rows[2].pk, key=key)
    elif attack == "delete-with-key":
        _rechain(delete_id=rows[1].pk, key=key)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE id >= %s", [rows[3].pk])
        remaining = list(AuditEntry.objects.order_by("id"))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {AuditChainHead._meta.db_table} SET last_hash = %s, length = %s WHERE id = 1",
                [remaining[-1].hash, len(remaining)],
            )
    problems = audit_chain_verify()
    assert any("mốc kiểm tra" in p.reason for p in problems), problems
    with pytest.raises(CommandError, match="broken"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_a_tampered_checkpoint_file_is_detected(keyed):
    _write(3)
    audit_checkpoint()
    audit_checkpoint()
    path = keyed.AUDIT_CHECKPOINT_DIR / "checkpoints.jsonl"
    lines = path.read_text().splitlines()
    path.write_text(lines[0].replace('"length":3', '"length":2') + "\n" + lines[1] + "\n")
    assert any("chữ ký không hợp lệ" in p.reason for p in audit_chain_verify())
    path.write_text(lines[1] + "\n")  # the first checkpoint removed
    assert any("không nối tiếp" in p.reason for p in audit_chain_verify())


@pytest.mark.django_db
def test_keys_rotate_old_rows_still_verify_and_a_missing_key_is_named(keyed):
    _write(2)
    audit_checkpoint()
    keyed.AUDIT_HMAC_KEYS = f"{KEY_B},{KEY_A}"
    rows = _write(2, start=2)
    assert [row.key_id for row in rows] == ["a2026", "a2026", "b2027", "b2027"]
    audit_checkpoint()
    assert read_checkpoints()[-1].key_id == "b2027"
    assert audit_chain_verify() == []
    keyed.AUDIT_HMAC_KEYS = KEY_B
    problems = audit_chain_verify()
    assert any("a2026" in p.reason for p in problems)


@pytest.mark.django_db
def test_the_checkpoint_command_and_task(keyed):
    from dichvucong.audit.tasks import audit_checkpoint_task

    _write(2)
    call_command("audit_checkpoint")
    assert audit_checkpoint_task.delay().get() == 2
    checkpoints = read_checkpoints()
    assert [c.length for c in checkpoints] == [2, 2]
    assert checkpoints[1].prev_signature == checkpoints[0].signature
    assert audit_chain_verify() == []


def test_production_refuses_weak_or_missing_audit_keys():
    from django.core.exceptions import ImproperlyConfigured

    from dichvucong.settings_guard import check_production_settings

    good = {"environment": "production", "secret_key": "k" * 40, "debug": False, "allowed_hosts": ["a.gov.vn"]}
    for bad in ("", "k1:short", "k1:insecure-dev-only-" + "x" * 40):
        with pytest.raises(ImproperlyConfigured, match="AUDIT_HMAC_KEYS"):
            check_production_settings(**good, audit_keys=bad)
    check_production_settings(**good, audit_keys=KEY_A)
