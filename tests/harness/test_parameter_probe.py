"""Every parameter and every actor of every operation.

A NUL / over-long / wrong-type probe of every parameter of every operation of the OpenAPI document (issue 12):
each path, query and header parameter and each top-level body property gets each probe, as a citizen and as an
officer; no answer may be a 5xx. Other path parameters carry values that exist in the demo (a real dossier code…),
so the probe reaches the code behind the resolver."""

import json
import re
from collections import Counter
from urllib.parse import urlencode

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from dichvucong.accounts.services import api_token_issue
from tests.harness.report import record

PROBES = {
    "nul": "a\x00b",
    "long": "x" * 5000,
    "number": "-99999999999999999999999999999999",
    "unicode": "đ" * 300 + "\U0001f600",
}
BODY_PROBES = {
    **PROBES,
    "object": {"a": {"b": [1, 2, {"c": None}]}},
    "list": [[["x"]]],
    "null": None,
    "huge_int": 10**30,
}
ACTORS = ("citizen", "vanlam.reception")


def _operations():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation, schema


def _body_properties(operation, schema) -> tuple[str, list[str]]:
    content = (operation.get("requestBody") or {}).get("content") or {}
    for media in ("application/json", "multipart/form-data", "application/x-www-form-urlencoded"):
        if media in content:
            ref = content[media].get("schema", {})
            if "$ref" in ref:
                ref = schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[-1]]
            return media, list((ref.get("properties") or {}).keys())
    return "", []


def _fill(path: str, values: dict, override: tuple[str, str] | None = None) -> str:
    def value(match):
        name = match.group(1)
        if override and name == override[0]:
            return override[1]
        return values.get(name, "khong-co")

    return re.sub(r"\{([^}]+)\}", value, path)


@pytest.fixture
def probe_world(demo, settings):
    from dichvucong.accounts.models import User
    from dichvucong.dossiers.models import Dossier

    settings.AUTH_TOKEN_THROTTLE = "100000/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth_token": "100000/min"}}
    settings.LOOKUP_THROTTLE_RATE = "100000/min"
    dossier = Dossier.objects.filter(owner__username="citizen").exclude(code="").order_by("id").first()
    values = {
        "code": dossier.code,
        "reference": dossier.code,
        "procedure_code": dossier.procedure.code,
        "form": "mau-01",
        "fmt": "json",
        "uuid": "00000000-0000-0000-0000-000000000000",
        "item": "00000000-0000-0000-0000-000000000000",
        "process_id": "00000000-0000-0000-0000-000000000000",
    }
    clients = {}
    for username in ACTORS:
        client = APIClient(raise_request_exception=False)
        _token, key = api_token_issue(user=User.objects.get(username=username), name="harness")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        clients[username] = client
    return values, clients


@pytest.mark.django_db
def test_no_parameter_of_any_operation_gives_a_5xx(probe_world):
    values, clients = probe_world
    tried, statuses, server_errors = Counter(), Counter(), []
    operations = list(_operations())

    def call(actor, method, url, **kwargs):
        response = getattr(clients[actor], method)(url, **kwargs)
        tried["requests"] += 1
        statuses[f"{response.status_code // 100}xx"] += 1
        if response.status_code >= 500:
            server_errors.append(
                f"{actor} {method.upper()} {url[:120]} {kwargs.get('data', '')!r:.120} → {response.status_code}"
            )

    for path, method, operation, schema in operations:
        media, properties = _body_properties(operation, schema)
        for actor in ACTORS:
            for parameter in operation.get("parameters", []):
                name, where = parameter["name"], parameter["in"]
                for probe in PROBES.values():
                    if where == "path":
                        call(actor, method, _fill(path, values, (name, probe.replace("\x00", "%00"))))
                    elif where == "query":
                        call(actor, method, _fill(path, values) + "?" + urlencode({name: probe}))
                    elif where == "header":
                        call(actor, method, _fill(path, values), **{f"HTTP_{name.upper().replace('-', '_')}": probe})
            for prop in properties:
                for probe in BODY_PROBES.values():
                    url = _fill(path, values)
                    if media == "application/json":
                        call(actor, method, url, data=json.dumps({prop: probe}), content_type="application/json")
                    elif not isinstance(probe, dict | list) and probe is not None:
                        call(actor, method, url, data={prop: str(probe)}, format="multipart")
    record(
        "parameter_probe",
        {
            "operations": len(operations),
            "requests": tried["requests"],
            "server_errors": len(server_errors),
            "status_classes": dict(sorted(statuses.items())),
        },
    )
    assert not server_errors, "\n".join(server_errors[:60])


# --- the role × operation matrix --------------------------------------------------------------------------------
# Every operation of the OpenAPI document × 13 actors (issue 12): 12 demo accounts (two citizens, a
# business, reception/specialist/head/leader/clerk of Sở Tư pháp, reception of Văn Lâm and Văn Giang, the province
# monitor and the province admin) and an anonymous visitor, with real demo values in the path (a dossier of `citizen`
# at Sở Tư pháp, its file, its payment…). Asserted: no 5xx anywhere; an operation that needs a caller never answers
# 2xx to the anonymous visitor; and the file and PDF endpoints of the dossier (attachment, generated forms,
# payments) answer 2xx exactly to those `dossier_access(...).open_files` allows. The matrix goes to
# `var/harness/role_matrix.json`.
MATRIX_ACTORS = (
    "anonymous",
    "citizen",
    "citizen2",
    "doanhnghiep",
    "sotp.reception",
    "sotp.specialist",
    "sotp.head",
    "sotp.leader",
    "sotp.clerk",
    "vanlam.reception",
    "vangiang.reception",
    "sotttt.monitor",
    "vpubnd.admin",
)
FILE_OPERATIONS = (
    "/api/v1/dossiers/{reference}/attachments/{attachment}/",
    "/api/v1/dossiers/{reference}/forms/{form}.pdf",
    "/api/v1/dossiers/{code}/payments/",
)


@pytest.fixture
def matrix_world(demo, settings):
    from dichvucong.accounts.models import User
    from dichvucong.dossiers.models import Dossier

    settings.AUTH_TOKEN_THROTTLE = "100000/min"
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"auth_token": "100000/min"}}
    settings.LOOKUP_THROTTLE_RATE = "100000/min"
    dossier = (
        Dossier.objects.filter(owner__username="citizen", agency__code="000.00.04.H31")
        .exclude(accepted_at=None)
        .order_by("id")
        .first()
    )
    attachment = dossier.attachments.first()
    values = {
        "code": dossier.code,
        "reference": dossier.code,
        "attachment": str(attachment.uuid) if attachment else "00000000-0000-0000-0000-000000000000",
        "form": "receipt",
        "fmt": "xlsx",
        "procedure_code": dossier.procedure.code,
        "uuid": "00000000-0000-0000-0000-000000000000",
        "item": "00000000-0000-0000-0000-000000000000",
        "process_id": "00000000-0000-0000-0000-000000000000",
    }
    clients = {}
    for username in MATRIX_ACTORS:
        client = APIClient(raise_request_exception=False)
        if username != "anonymous":
            account = User.objects.get(username=username)
            _token, key = api_token_issue(user=account, name="harness")
            client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        clients[username] = client
    return dossier, values, clients


@pytest.mark.django_db
def test_every_operation_for_every_actor(matrix_world):
    from dichvucong.accounts.models import User
    from dichvucong.dossiers.access import dossier_access

    dossier, values, clients = matrix_world
    may_open = {
        name
        for name in MATRIX_ACTORS
        if name != "anonymous" and dossier_access(User.objects.get(username=name), dossier).open_files
    }
    problems, statuses, tried = [], Counter(), 0
    matrix: dict[str, dict[str, int]] = {}
    for path, method, operation, _schema in _operations():
        needs_caller = bool(operation.get("security")) and {} not in operation.get("security", [])
        url = _fill(path, values)
        row = matrix.setdefault(f"{method.upper()} {path}", {})
        for actor in MATRIX_ACTORS:
            response = (
                getattr(clients[actor], method)(url, {}, format="json") if method != "get" else clients[actor].get(url)
            )
            tried += 1
            status = response.status_code
            row[actor] = status
            statuses[f"{status // 100}xx"] += 1
            if status >= 500:
                problems.append(f"{actor} {method.upper()} {url}: {status}")
            if actor == "anonymous" and needs_caller and 200 <= status < 300:
                problems.append(f"anonymous {method.upper()} {url}: {status} without a caller")
            if method == "get" and path in FILE_OPERATIONS and (200 <= status < 300) != (actor in may_open):
                problems.append(f"{actor} GET {url}: {status}, open_files says {actor in may_open}")
    record(
        "role_matrix",
        {
            "operations": len(matrix),
            "actors": len(MATRIX_ACTORS),
            "requests": tried,
            "problems": len(problems),
            "status_classes": dict(sorted(statuses.items())),
            "may_open_files": sorted(may_open),
            "matrix": matrix,
        },
    )
    assert not problems, "\n".join(problems[:80])
