"""dossiers.registry: the one extension mechanism of the dossier lifecycle (ADR 0005)."""

import pytest
from django.db import transaction
from rest_framework import serializers

from dichvucong.dossiers.registry import DOSSIER, STEP, ActionSpec, LifecycleEvent, Registry, registry
from dichvucong.dossiers.state_machine import TRANSITIONS
from dichvucong.workflows.models import ActionKind


def test_every_transition_and_step_action_is_declared_once():
    assert {spec.name for spec in registry.actions(DOSSIER)} == set(TRANSITIONS)
    assert {spec.name for spec in registry.actions(STEP)} == set(ActionKind.values)
    for spec in registry.actions():
        assert issubclass(spec.input, serializers.Serializer), spec.name
        assert callable(spec.perform), spec.name


def test_the_contexts_plug_in_through_their_dossier_hooks():
    assert type(registry.engine).__module__ == "dichvucong.workflows.engine"
    assert "wallet_item" in registry.attachment_sources
    names = {
        h.__module__
        for name in ("dossier.start_processing", "dossier.pay", "step.sign", "result.issued", "dossier.submit")
        for h in registry.subscribers(name)
    }
    assert names == {
        "dichvucong.workflows.dossier_hooks",
        "dichvucong.results.dossier_hooks",
        "dichvucong.wallet.dossier_hooks",
        "dichvucong.integrations.dossier_hooks",
        "dichvucong.monitoring.dossier_hooks",
    }


def test_an_action_is_registered_once():
    local = Registry()
    spec = ActionSpec(name="x", kind="x", label="x", input=serializers.Serializer, perform=lambda **kw: None)
    local.action(spec)
    local.action(spec)  # the same spec again (a module imported twice) is harmless
    with pytest.raises(ValueError):
        local.action(ActionSpec(name="x", kind="x", label="y", input=serializers.Serializer, perform=lambda **kw: None))
    with pytest.raises(ValueError):
        ActionSpec(name="z", kind="z", label="z", input=serializers.Serializer, perform=print, scope="other")


@pytest.mark.django_db(transaction=True)
def test_effects_run_in_the_transaction_or_after_it_commits():
    local, seen = Registry(), []
    local.on("dossier.accept")(lambda event: seen.append(("now", event.action)))
    local.on("dossier.accept", after_commit=True)(lambda event: seen.append(("after", event.action)))
    with transaction.atomic():
        local.emit(LifecycleEvent("dossier.accept", dossier=None))
        assert seen == [("now", "accept")]
    assert seen == [("now", "accept"), ("after", "accept")]
    seen.clear()
    with pytest.raises(RuntimeError), transaction.atomic():
        local.emit(LifecycleEvent("dossier.accept", dossier=None))
        raise RuntimeError  # rolled back: the after-commit effect never runs
    assert seen == [("now", "accept")]


@pytest.mark.django_db
def test_a_failing_in_transaction_effect_rolls_the_transition_back():
    from dichvucong.accounts.roles import Role
    from dichvucong.dossiers import actions
    from dichvucong.dossiers.models import Dossier, DossierEvent
    from tests.dossiers.factories import DossierFactory, officers_at

    dossier = DossierFactory()
    reception = officers_at(dossier.agency)[Role.RECEPTION]

    def refuse(event):
        raise RuntimeError("the national portal outbox is down")

    registry.on("dossier.accept")(refuse)
    try:
        with pytest.raises(RuntimeError):
            actions.dossier_perform_action(actor=reception, dossier=dossier, action="accept", data={})
    finally:
        registry._effects["dossier.accept"] = [
            e for e in registry._effects["dossier.accept"] if e.handler is not refuse
        ]
    assert Dossier.objects.get(pk=dossier.pk).status == "new"
    assert not DossierEvent.objects.filter(dossier=dossier, action="accept").exists()


def test_the_actions_are_offered_in_the_state_machine_order_whichever_app_registered_first():
    from dichvucong.dossiers import actions

    ordered = sorted(registry.actions(DOSSIER), key=actions._in_state_machine_order)
    assert [s.name for s in ordered] == list(TRANSITIONS)


def test_a_wildcard_effect_runs_once_for_every_event_of_its_source():
    local = Registry()
    calls = []

    @local.on("dossier.*", "dossier.pay")
    def handler(event):
        calls.append(event.name)

    local.emit(LifecycleEvent("dossier.pay", dossier=None, actor=None))
    local.emit(LifecycleEvent("dossier.reorganised", dossier=None, actor=None))
    local.emit(LifecycleEvent("result.issued", dossier=None, actor=None))
    assert calls == ["dossier.pay", "dossier.reorganised"]
    assert local.subscribers("dossier.anything_added_later") == [handler]


def test_monitoring_follows_every_dossier_history_action():
    """A reorganisation's carry-over and the post's return to the desk are history actions outside the state
    machine: the rollups still see them."""
    for name in ("dossier.reorganised", "dossier.result_back_to_desk", "payment.paid", "result.issued"):
        assert "dichvucong.monitoring.dossier_hooks" in {h.__module__ for h in registry.subscribers(name)}, name
