"""The one way other contexts plug into the dossier lifecycle (docs/adr/0005-dossier-registry.md).

Dossiers sit below the contexts that work on them (workflows, payments, results, wallet, and later monitoring,
national-portal sync...). They never import those contexts: each of them declares, in its own `dossier_hooks.py`
(imported by `DossiersConfig.ready` for every installed app, like Django's `admin.py`), what it adds:

- **actions** (`registry.action(ActionSpec(...))`): one entry per action a user can take on a dossier, with its
  request schema (a DRF serializer), the service that performs it and the permission that offers it. The actions
  API (`GET/POST /api/v1/dossiers/<code>/actions/`), the HTML action forms and the OpenAPI schema all read this
  registry; nothing else dispatches actions. Two scopes: `dossier` (a transition of `state_machine.TRANSITIONS`)
  and `step` (an action of the dossier's current step in its internal process).
- **effects** (`registry.on("dossier.pay", handler)`): what another context does when something happens to a
  dossier. Events are named `<source>.<action>`: `dossier.<transition or history action>` (published by
  `services.record_event` for every history row), `step.<action kind>` (the workflow engine, after a step
  action), `result.issued` (results). A handler runs inside the publishing transaction (an exception rolls the
  change back) unless registered with `after_commit=True` (then it runs once the change is committed, in the
  request) or `deferred=True` (then it runs later, outside the request: the integrations app writes one outbox
  message per deferred handler in the publishing transaction, and its worker calls the handler with the event
  rebuilt from that message — retried until it succeeds, so the handler must be idempotent; copies to the wallet).
  Without a deferrer installed (`set_deferrer`), a deferred handler runs after the commit like `after_commit`.
- **the process engine** (`registry.set_engine(...)`): the workflow engine that runs accepted dossiers through
  their internal process; dossiers ask it whether a process run is open, which agencies take part in it (for the
  access policy) and who holds the current step.
- **attachment sources** (`registry.attachment_source(key, handler, choices=...)`): files attached from somewhere
  else than an upload (the citizen's data wallet), and what the submission form offers from there.
- **page panels** (`registry.panel("office_detail", template=..., context=...)`): a part of a dossier page that
  another context renders (the process's consultations on the officer's dossier page).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import transaction
from django.db.models import CharField, Q, Value

logger = logging.getLogger(__name__)

DOSSIER = "dossier"
STEP = "step"
SCOPES = (DOSSIER, STEP)


@dataclass(frozen=True)
class ActionSpec:
    """An action on a dossier, declared once: the API, the HTML forms and the OpenAPI schema are built from it.

    - `input`: a DRF serializer class for the request body (without the `action` field); its validated data are
      passed to `perform` as keyword arguments.
    - `perform(*, actor, dossier, **values)`: the service (it checks again whatever it must; it is the authority).
    - `offered(user, dossier, running) -> bool`: whether the action is listed for `user` now (permission + state;
      `running`: the dossier runs through an internal process). Step actions are offered by the engine
      (`ProcessEngine.step_actions`): the current step's configuration and holder decide.
    - `check(user, dossier)`: raise the domain error (409 / 403) that makes the action impossible now, before the
      payload is read; `None` to rely on `perform`.
    """

    name: str
    kind: str
    label: Any
    input: type
    perform: Callable[..., Any]
    offered: Callable[[Any, Any, bool], bool] | None = None
    scope: str = DOSSIER
    check: Callable[[Any, Any], None] | None = None
    help: str = ""

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ValueError(f"unknown action scope {self.scope!r}")


@dataclass(frozen=True)
class LifecycleEvent:
    """Something that happened to a dossier: `name` is `<source>.<action>` (e.g. `dossier.accept`, `step.sign`)."""

    name: str
    dossier: Any
    actor: Any = None
    from_status: str = ""
    to_status: str = ""
    note: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    #: The keys of the deferred handlers (`registry.on(..., deferred=True)`) still to be written to the outbox for
    #: this event; an in-transaction effect that writes the outbox takes them (`registry.take_deferred`) into its
    #: own INSERT, the registry hands the others to the deferrer after the in-transaction effects.
    deferred: list = field(default_factory=list, compare=False)
    #: Set on an event rebuilt by the outbox worker for a deferred handler (the dossier read again, committed).
    replayed: bool = False

    @property
    def action(self) -> str:
        return self.name.split(".", 1)[1]

    @property
    def status_changed(self) -> bool:
        return self.from_status != self.to_status

    @property
    def created(self) -> bool:
        """The dossier was created in this transaction (online submission, counter reception, first draft save):
        `dossier` is the object just saved, with its attachments, received documents and history row in its
        prefetch cache, and no other row refers to it yet. Effects may skip reading it back. (False on an event a
        deferred handler receives: its dossier is read again.)"""
        return self.name.startswith("dossier.") and not self.from_status and not self.replayed


class ProcessEngine(Protocol):
    """What dossiers need from the workflow engine (implemented by `workflows.engine.WorkflowEngine`)."""

    def is_running(self, dossier) -> bool:
        """True while the dossier runs through an internal process (its steps decide what happens)."""

    def step_actions(self, user, dossier) -> list[str]:
        """The step actions `user` may take now on the dossier's current step (empty while it waits)."""

    def involved_agencies_q(self, agency_ids: Iterable[int], *, handling: bool):
        """A `Q` on Dossier: the dossiers those agencies take part in through a process (run, step, and, unless
        `handling`, a consultation addressed to them)."""

    def involved_agency_ids(self, dossier, *, handling: bool) -> set[int]:
        """The agencies taking part in the dossier's process (same rule as `involved_agencies_q`)."""

    def handling_agency_name(self):
        """For `.annotate()` on Dossier: the name of the agency handling it in its latest process run (the
        tracking book's "handling agency"), NULL without a run."""

    def step_holders(self, dossier) -> list:
        """The officers who hold the dossier's current step (deadline alerts)."""

    def step_receivers(self, dossier, action: str) -> list:
        """The officers who may receive the dossier at the step `action` leads to from the current step (those
        holding that step's role at its agency): the pickers of the step forms. Empty when none applies."""


class _NoEngine:
    """No workflow engine installed: no dossier ever runs through an internal process."""

    def is_running(self, dossier) -> bool:
        return False

    def step_actions(self, user, dossier) -> list[str]:
        return []

    def involved_agencies_q(self, agency_ids, *, handling: bool):
        return Q(pk__in=[])

    def involved_agency_ids(self, dossier, *, handling: bool) -> set[int]:
        return set()

    def handling_agency_name(self):
        return Value(None, output_field=CharField())

    def step_holders(self, dossier) -> list:
        return []

    def step_receivers(self, dossier, action: str) -> list:
        return []


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable
    order: int = 100


@dataclass
class _Effect:
    handler: Callable[[LifecycleEvent], None]
    after_commit: bool
    deferred: bool = False


def handler_key(handler: Callable) -> str:
    """The name a deferred handler is known by in the outbox (`<app>.<function>`, at most 60 characters)."""
    app = handler.__module__.removeprefix("dichvucong.").split(".", 1)[0]
    return f"{app}.{handler.__qualname__}"[:60]


class Registry:
    def __init__(self):
        self._actions: dict[tuple[str, str], ActionSpec] = {}
        self._effects: dict[str, list[_Effect]] = {}
        self._sources: dict[str, Callable] = {}
        self._choices: dict[str, Callable] = {}
        self._panels: dict[str, list[Panel]] = {}
        self._deferred: dict[str, Callable] = {}
        self._deferrer: Callable | None = None
        self.engine: ProcessEngine = _NoEngine()

    # --- actions ---------------------------------------------------------------------------------------------------
    def action(self, spec: ActionSpec) -> ActionSpec:
        key = (spec.scope, spec.name)
        if key in self._actions and self._actions[key] is not spec:
            raise ValueError(f"action {spec.scope}:{spec.name} is registered twice")
        self._actions[key] = spec
        return spec

    def actions(self, scope: str | None = None) -> list[ActionSpec]:
        return [spec for (s, _name), spec in self._actions.items() if scope in (None, s)]

    def get(self, name: str, scope: str = DOSSIER) -> ActionSpec | None:
        return self._actions.get((scope, name))

    # --- effects ---------------------------------------------------------------------------------------------------
    def on(self, *names: str, after_commit: bool = False, deferred: bool = False):
        """Decorator: `@registry.on("dossier.pay")` runs the function on that event (see the module docstring)."""

        def register(handler):
            if deferred:
                self._deferred[handler_key(handler)] = handler
            for name in names:
                effects = self._effects.setdefault(name, [])
                if all(e.handler is not handler for e in effects):
                    effects.append(_Effect(handler, after_commit, deferred))
            return handler

        return register

    def emit(self, event: LifecycleEvent) -> None:
        """Run the effects of `event`: in this transaction, or after it commits for `after_commit` ones. An effect
        registered on `<source>.*` (e.g. `dossier.*`, monitoring's rollups) runs for every event of that source,
        including the history actions other contexts add later; a handler runs once per event."""
        effects, seen = [], set()
        for name in (event.name, f"{event.name.partition('.')[0]}.*"):
            for effect in self._effects.get(name, ()):
                if id(effect.handler) not in seen:
                    seen.add(id(effect.handler))
                    effects.append(effect)
        event.deferred[:] = [handler_key(e.handler) for e in effects if e.deferred and self._deferrer is not None]
        for effect in effects:
            if effect.deferred and self._deferrer is not None:
                continue
            if effect.after_commit or effect.deferred:
                transaction.on_commit(lambda h=effect.handler: h(event))
            else:
                effect.handler(event)
        if event.deferred:  # no in-transaction effect took them into its outbox INSERT
            self._deferrer(event, self.take_deferred(event))

    # --- deferred effects (carried out by the integrations app's outbox) ----------------------------------------------
    def set_deferrer(self, deferrer: Callable[[LifecycleEvent, list[str]], None] | None) -> None:
        """`deferrer(event, keys)` writes, in the current transaction, what makes the deferred handlers `keys` run
        later for `event` (the integrations app: outbox messages)."""
        self._deferrer = deferrer

    def take_deferred(self, event: LifecycleEvent) -> list[str]:
        """The deferred handler keys of `event` not yet written; the caller writes them (once)."""
        keys = list(event.deferred)
        event.deferred.clear()
        return keys

    def deferred_handler(self, key: str) -> Callable[[LifecycleEvent], None] | None:
        """The deferred handler known as `key` (what the outbox worker calls), None if none is registered."""
        return self._deferred.get(key)

    def subscribers(self, name: str) -> list[Callable]:
        """The handlers `name` runs (its own and its source's `<source>.*` ones)."""
        handlers = [e.handler for e in self._effects.get(name, ())]
        wildcard = [e.handler for e in self._effects.get(f"{name.partition('.')[0]}.*", ())]
        return handlers + [h for h in wildcard if h not in handlers]

    # --- the process engine and attachment sources -----------------------------------------------------------------
    def set_engine(self, engine: ProcessEngine) -> None:
        self.engine = engine

    def attachment_source(self, key: str, handler: Callable, *, choices: Callable | None = None) -> None:
        """`handler(*, actor, dossier, entries, supplement) -> list[Attachment]` serves attachment entries that
        carry `key` (e.g. `{"wallet_item": uuid, "document": id}`); it raises a DomainError to refuse one.
        `choices(user) -> list` lists what the submission form offers the user from this source."""
        self._sources[key] = handler
        if choices is not None:
            self._choices[key] = choices

    @property
    def attachment_sources(self) -> Mapping[str, Callable]:
        return self._sources

    def attachment_choices(self, key: str, user) -> list:
        choices = self._choices.get(key)
        return list(choices(user)) if choices is not None else []

    # --- page panels -------------------------------------------------------------------------------------------------
    def panel(self, page: str, *, template: str, context: Callable, order: int = 100) -> None:
        """Add a panel to a dossier page (`office_detail`, `my_detail`): `context(request, dossier) -> dict | None`
        (None: nothing to show), rendered with `template`."""
        panels = self._panels.setdefault(page, [])
        if all(p.template != template for p in panels):
            panels.append(Panel(template, context, order))
            panels.sort(key=lambda p: p.order)

    def panels(self, page: str, request, dossier) -> list[dict]:
        """[{"template", "context"}] of the panels with something to show on `page` for this request."""
        shown = []
        for panel in self._panels.get(page, ()):
            context = panel.context(request, dossier)
            if context is not None:
                shown.append({"template": panel.template, "context": context})
        return shown


#: The registry of this process (filled at start-up by the installed apps' `dossier_hooks` modules).
registry = Registry()


def autodiscover() -> None:
    """Import `<app>.dossier_hooks` for every installed app (called once by `DossiersConfig.ready`)."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("dossier_hooks")
