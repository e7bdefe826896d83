"""The one gap-free sequence (`common.sequences.next_value`): counting, rollback, concurrency on PostgreSQL and SQLite.

The threads have their own connections and each takes its numbers in its own transaction. PostgreSQL: the row lock
makes a concurrent caller wait. SQLite: the test database is in memory with a shared cache, where a second writer is
refused at once ("database table is locked") instead of waiting for the busy timeout, so the threads retry a refused
transaction, as a caller would; a file database waits instead (see tests/dossiers/test_codes.py, processes on a file).
"""

import threading
import time

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.db.transaction import TransactionManagementError

from dichvucong.common.models import Sequence
from dichvucong.common.sequences import current_value, next_value


class Rollback(Exception):
    pass


def take(key: str, *, roll_back: bool = False, retries: list | None = None) -> int | None:
    """One transaction taking one number (rolled back on request); retried while SQLite's shared cache refuses it."""
    for _ in range(2000):
        try:
            with transaction.atomic():
                value = next_value(key)
                if roll_back:
                    raise Rollback
                return value
        except Rollback:
            return None
        except OperationalError as error:
            if "locked" not in str(error):
                raise
            if retries is not None:
                retries.append(1)
            time.sleep(0.001)
    raise AssertionError("the sequence stayed locked")


def run_threads(count: int, work) -> list[Exception]:
    errors: list[Exception] = []
    barrier = threading.Barrier(count)

    def target(index: int):
        try:
            barrier.wait()
            work(index)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.mark.django_db
def test_the_first_use_gives_one_and_each_call_the_next_number():
    assert [next_value("receipt/1/2024") for _ in range(3)] == [1, 2, 3]
    assert Sequence.objects.get(key="receipt/1/2024").value == 3


@pytest.mark.django_db
def test_each_key_counts_on_its_own():
    next_value("a")
    next_value("a")
    assert next_value("b") == 1
    assert (current_value("a"), current_value("b"), current_value("never used")) == (2, 1, 0)


@pytest.mark.django_db
def test_a_sequence_continues_from_a_migrated_value():
    Sequence.objects.create(key="result-number/7/2024", value=41)
    assert next_value("result-number/7/2024") == 42


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_it_refuses_to_count():
    """A number taken in autocommit would be kept even if the caller's work failed afterwards: a gap."""
    with pytest.raises(TransactionManagementError):
        next_value("k")
    assert not Sequence.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_gives_its_number_back():
    assert take("k") == 1
    assert take("k", roll_back=True) is None
    assert take("k") == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_first_use_leaves_no_row():
    assert take("k", roll_back=True) is None
    assert not Sequence.objects.filter(key="k").exists()
    assert take("k") == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_transactions_take_every_number_once_with_no_gap():
    """8 threads × 6 transactions, every third one rolled back: the committed numbers are exactly 1..32."""
    threads, each = 8, 6
    committed, retries = [], []

    def work(index: int):
        for turn in range(each):
            value = take("dossier-code/1/2021-03-15", roll_back=(index * each + turn) % 3 == 0, retries=retries)
            if value is not None:
                committed.append(value)

    assert run_threads(threads, work) == []
    expected = sum(1 for n in range(threads * each) if n % 3)
    assert sorted(committed) == list(range(1, expected + 1))
    assert current_value("dossier-code/1/2021-03-15") == expected
    if connection.vendor == "postgresql":
        assert retries == []  # the row lock makes the others wait: nobody is refused


@pytest.mark.django_db(transaction=True)
def test_a_concurrent_first_use_waits_for_the_first_and_survives_its_rollback():
    """A takes the first number of a new key and rolls back while B is taking one too: B gets 1, once."""
    holding, release, results = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                results["a"] = next_value("new-key")
                holding.set()
                release.wait(timeout=30)
                raise Rollback
        except Rollback:
            pass

    def work(index: int):
        if index == 0:
            first()
        else:
            holding.wait(timeout=30)
            results["b"] = take("new-key")

    def releaser():
        holding.wait(timeout=30)
        time.sleep(0.3)  # B is waiting (PostgreSQL) or being refused (SQLite) meanwhile
        release.set()

    thread = threading.Thread(target=releaser)
    thread.start()
    assert run_threads(2, work) == []
    thread.join()
    assert results == {"a": 1, "b": 1}
    assert current_value("new-key") == 1


@pytest.mark.django_db(transaction=True)
def test_postgresql_locks_only_the_key_being_counted():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite locks the whole database for a write: one writer at a time")
    holding, release, other_done = threading.Event(), threading.Event(), threading.Event()
    finished_while_held = []
    take("a")

    def work(index: int):
        if index == 0:
            with transaction.atomic():
                next_value("a")
                holding.set()
                release.wait(timeout=30)
        else:
            holding.wait(timeout=30)
            take("b")
            finished_while_held.append(not release.is_set())
            other_done.set()

    def releaser():
        holding.wait(timeout=30)
        other_done.wait(timeout=10)
        release.set()

    thread = threading.Thread(target=releaser)
    thread.start()
    assert run_threads(2, work) == []
    thread.join()
    assert finished_while_held == [True]  # "b" was counted while "a" was still locked
    assert (current_value("a"), current_value("b")) == (2, 1)
