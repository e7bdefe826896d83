"""Unknown paths: the API error format as JSON under /api/, Django's HTML 404 page elsewhere."""

import pytest
from django.test import RequestFactory

from dichvucong.common import error_views


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/khong-co/",
        "/api/v1/procedures/1.001612/khong-co/",
        "/api/v2/",
        "/api/v1/catalog/decisions/khong-phai-uuid/publish/",
    ],
)
def test_an_unknown_api_path_is_a_json_404_in_the_api_error_format(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "not_found" and body["fields"] == {} and body["detail"]


@pytest.mark.django_db
def test_an_unknown_api_path_is_json_for_other_methods_too(client):
    response = client.post("/api/v1/khong-co/", {"a": 1})
    assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_an_unknown_page_is_still_an_html_404(client):
    response = client.get("/trang-khong-co/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_server_errors_under_the_api_are_json_and_html_elsewhere():
    factory = RequestFactory()
    api = error_views.server_error(factory.get("/api/v1/procedures/"))
    assert api.status_code == 500 and api["Content-Type"] == "application/json"
    assert b'"code": "server_error"' in api.content
    page = error_views.server_error(factory.get("/thu-tuc/"))
    assert page.status_code == 500 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "view,status,code",
    [(error_views.bad_request, 400, "bad_request"), (error_views.permission_denied, 403, "permission_denied")],
)
def test_other_error_handlers_follow_the_same_rule(view, status, code):
    factory = RequestFactory()
    response = view(factory.get("/api/v1/x/"), Exception())
    assert response.status_code == status and b'"code": "%s"' % code.encode() in response.content
    assert view(factory.get("/x/"), Exception())["Content-Type"].startswith("text/html")
