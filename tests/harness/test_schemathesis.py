"""Schemathesis over the whole OpenAPI document (issue 12): for every operation, generated requests (valid and
invalid) as an anonymous visitor, a citizen and an officer, asserting no 5xx and that every documented answer
matches its schema and content type. Bounded: `DCV_HARNESS_EXAMPLES` examples per operation and actor."""

import json
import os
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance

from dichvucong.accounts.services import api_token_issue
from tests.harness.report import record

EXAMPLES = int(os.environ.get("DCV_HARNESS_EXAMPLES", "3"))
ACTORS = ("anonymous", "citizen", "vanlam.reception")
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
#: Operations whose generated calls would change what later calls see in ways that only slow the run (a token
#: request throttles the caller's address; the demo's PDFs are costly): still called, with fewer examples.
SLOW = ("/api/v1/auth/token/", ".pdf", "/catalog/export/", "/catalog/import/", "tracking-book")


@pytest.fixture
def api_schema(demo, settings):
    """The schema served by the app itself, called in-process through WSGI inside the test's transaction (the
    handler must not close the connection after each request: Django's test client does the same)."""
    from django.core import signals
    from django.core.wsgi import get_wsgi_application
    from django.db import close_old_connections

    settings.AUTH_TOKEN_THROTTLE = "100000/min"
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"auth_token": "100000/min"},
    }
    settings.LOOKUP_THROTTLE_RATE = "100000/min"
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def _fuzz(operation, actor, tokens, examples, tried, statuses, failures):
    headers = {"Authorization": f"Token {tokens[actor]}"} if actor in tokens else {}

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def run(case):
        tried["requests"] += 1
        try:
            response = case.call_and_validate(headers=headers, checks=CHECKS)
            statuses[response.status_code // 100] += 1
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001 - every failure is collected and reported
            text = " ".join(str(error).split())[:300] if str(error) else type(error).__name__
            failures.append(f"{actor} {operation.method.upper()} {operation.path}: {text}")

    run()


@pytest.mark.django_db
def test_no_operation_answers_5xx_or_breaks_its_schema(api_schema):
    from dichvucong.accounts.models import User

    tokens = {}
    for username in ACTORS[1:]:
        _token, tokens[username] = api_token_issue(user=User.objects.get(username=username), name="harness")
    failures: list[str] = []
    tried = Counter()
    statuses = Counter()
    operations = [result.ok() for result in api_schema.get_all_operations()]
    for operation in operations:
        examples = 2 if any(part in operation.path for part in SLOW) else EXAMPLES
        for actor in ACTORS:
            _fuzz(operation, actor, tokens, examples, tried, statuses, failures)
    server_errors = [failure for failure in failures if "Server error" in failure or " 5" in failure]
    record(
        "schemathesis",
        {
            "operations": len(operations),
            "actors": len(ACTORS),
            "requests": tried["requests"],
            "failures": len(failures),
            "server_errors": len(server_errors),
            "status_classes": {f"{k}xx": v for k, v in sorted(statuses.items())},
        },
    )
    assert not failures, json.dumps(sorted(set(failures)), ensure_ascii=False, indent=1)
