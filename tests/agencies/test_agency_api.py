import pytest


@pytest.mark.django_db
class TestAgencyListApi:
    def test_lists_agencies_publicly_with_the_api_md_fields(self, demo, api_client):
        response = api_client.get("/api/v1/agencies/", {"tier": "district"})
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 10
        assert set(body) == {"count", "count_exact", "next", "previous", "results"}  # ADR 0018
        first = body["results"][0]
        assert {"code", "name", "tier", "parent"} <= set(first)
        assert first["parent"] == "000.00.00.H31"

    def test_filters_by_parent_and_text(self, demo, api_client):
        response = api_client.get("/api/v1/agencies/", {"parent": "000.00.24.H31", "q": "xuan quan"})
        assert [a["name"] for a in response.json()["results"]] == ["Ủy ban nhân dân xã Xuân Quan"]

    def test_paginates(self, demo, api_client):
        response = api_client.get("/api/v1/agencies/", {"page_size": 5})
        body = response.json()
        assert len(body["results"]) == 5
        assert body["next"] is not None
        assert body["count"] == 52

    def test_unknown_tier_is_a_400_in_the_error_format(self, demo, api_client):
        response = api_client.get("/api/v1/agencies/", {"tier": "village"})
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid_tier"
        assert body["detail"]
        assert "tier" in body["fields"]

    def test_detail_by_code_and_404_in_the_error_format(self, demo, api_client):
        assert api_client.get("/api/v1/agencies/000.00.04.H31/").json()["name"] == "Sở Tư pháp tỉnh Hưng Yên"
        response = api_client.get("/api/v1/agencies/000.00.98.H31/")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"

    def test_list_query_count_does_not_grow_with_page_size(self, demo, api_client, django_assert_max_num_queries):
        with django_assert_max_num_queries(3):
            api_client.get("/api/v1/agencies/", {"page_size": 50})


@pytest.mark.django_db
def test_openapi_schema_and_docs_are_served(api_client):
    schema = api_client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert "/api/v1/agencies/" in schema.json()["paths"]
    assert "/api/v1/auth/token/" in schema.json()["paths"]
    docs = api_client.get("/api/v1/docs/")
    assert docs.status_code == 200
    assert b"swagger" in docs.content.lower()
