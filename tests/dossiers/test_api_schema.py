"""The OpenAPI document describes what the dossier API returns beyond API.md (docs/api-notes.md)."""

import pytest

from dichvucong.dossiers.state_machine import TRANSITIONS
from dichvucong.workflows.models import ActionKind

pytestmark = pytest.mark.django_db

API_MD_KINDS = {
    "accept",
    "request_supplement",
    "refuse",
    "supplement",
    "withdraw",
    "forward",
    "return",
    "approve",
    "sign",
    "request_payment",
    "pay",
    "consult",
    "transfer",
    "apologize",
    "deliver",
}


@pytest.fixture
def schema(api_client):
    response = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    return response.json()


def _ref(schema, node):
    for part in node.get("allOf") or [node]:
        if "$ref" in part:
            return schema["components"]["schemas"][part["$ref"].rsplit("/", 1)[-1]]
    return node


def test_action_kinds_are_api_md_kinds_plus_submit_and_stop(schema):
    kinds = {t.kind for t in TRANSITIONS.values()} | set(ActionKind.values)
    assert kinds - API_MD_KINDS == {"submit", "stop"}
    action = schema["components"]["schemas"]["Action"]
    assert set(_ref(schema, action["properties"]["kind"])["enum"]) == kinds
    assert "api-notes" in action["properties"]["kind"]["description"]
    assert action["properties"]["step"]["type"] == "boolean"


def test_officer_submission_fields_are_described(schema):
    create = schema["components"]["schemas"]["DossierCreateRequest"]["properties"]
    assert "CCCD" in create["on_behalf_of"]["description"]
    assert create["sets_count"]["type"] == "integer" and "1-20" in create["sets_count"]["description"]


def test_the_tracking_book_paths_are_described(schema):
    operation = schema["paths"]["/api/v1/agencies/{code}/tracking-book.{fmt}"]["get"]
    fmt = next(p for p in operation["parameters"] if p["name"] == "fmt")
    assert fmt["in"] == "path" and set(fmt["schema"]["enum"]) == {"pdf", "xlsx"}
    assert {"from", "to"} <= {p["name"] for p in operation["parameters"]}
    assert set(operation["responses"]["200"]["content"]) == {
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }


def test_each_action_has_its_own_request_schema_from_the_registry(schema):
    """Actions as data (ADR 0005): one request component per action, discriminated by `action`."""
    from dichvucong.dossiers.registry import registry

    components = schema["components"]["schemas"]
    union = components["DossierActionRequest"]
    mapping = union["discriminator"]["mapping"]
    assert union["discriminator"]["propertyName"] == "action"
    assert set(mapping) == {spec.name for spec in registry.actions()}
    apology = components[mapping["apologize"].rsplit("/", 1)[-1]]["properties"]
    assert apology["new_due_date"]["format"] == "date" and "reason" in apology
    supplement = components[mapping["request_supplement"].rsplit("/", 1)[-1]]["properties"]
    assert supplement["items"]["type"] == "array"
    consult = components[mapping["consult"].rsplit("/", 1)[-1]]["properties"]
    assert {"agency", "question", "days"} <= set(consult)
    assert "new_due_date" not in consult
    steps = components["StepActionRequest"]["discriminator"]["mapping"]
    assert set(steps) == set(ActionKind.values)
