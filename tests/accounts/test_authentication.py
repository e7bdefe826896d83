import pytest

TOKEN_URL = "/api/v1/auth/token/"


@pytest.mark.django_db
class TestTokenAuth:
    def test_a_token_authenticates_api_calls(self, demo, api_client):
        response = api_client.post(TOKEN_URL, {"username": "citizen", "password": "demo"}, format="json")
        assert response.status_code == 200
        token = response.json()["token"]
        me = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
        assert me.status_code == 200
        assert me.json()["id_number"] == "033090001234"

    def test_each_login_issues_a_new_token_and_both_work(self, demo, api_client):
        first = api_client.post(TOKEN_URL, {"username": "citizen", "password": "demo"}, format="json").json()
        second = api_client.post(TOKEN_URL, {"username": "citizen", "password": "demo"}, format="json").json()
        assert first["token"] != second["token"]
        for answer in (first, second):
            assert api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {answer['token']}").status_code == 200

    def test_wrong_password_is_a_400_with_a_stable_code(self, demo, api_client):
        response = api_client.post(TOKEN_URL, {"username": "citizen", "password": "sai"}, format="json")
        assert response.status_code == 400
        assert response.json()["code"] == "invalid_credentials"
        assert "token" not in response.json()

    def test_missing_fields_are_reported_per_field(self, db, api_client):
        response = api_client.post(TOKEN_URL, {}, format="json")
        assert response.status_code == 400
        assert set(response.json()["fields"]) == {"username", "password"}

    def test_an_invalid_token_is_refused(self, db, api_client):
        response = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION="Token deadbeef")
        assert response.status_code == 401
        assert response.json()["code"] == "authentication_failed"

    def test_anonymous_gets_401_on_me(self, db, api_client):
        response = api_client.get("/api/v1/me/")
        assert response.status_code in (401, 403)
        assert response.json()["code"] == "not_authenticated"

    def test_staff_me_lists_roles_with_agency_codes(self, demo, api_client):
        token = api_client.post(TOKEN_URL, {"username": "vanlam.head", "password": "demo"}, format="json").json()
        me = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token['token']}").json()
        assert me["roles"] == [{"role": "division_head", "label": me["roles"][0]["label"], "agency": "000.00.23.H31"}]


@pytest.mark.django_db
class TestLoginThrottling:
    @pytest.fixture(autouse=True)
    def _low_limit(self, settings):
        settings.LOGIN_FAILURE_LIMIT = 3

    def test_api_login_is_throttled_after_repeated_failures_even_with_the_right_password(self, demo, api_client):
        for _ in range(3):
            assert (
                api_client.post(TOKEN_URL, {"username": "citizen", "password": "x"}, format="json").status_code == 400
            )
        response = api_client.post(TOKEN_URL, {"username": "citizen", "password": "demo"}, format="json")
        assert response.status_code == 429
        assert response.json()["code"] == "login_throttled"

    def test_throttling_is_per_username_and_per_address(self, demo, api_client, settings):
        settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
        for _ in range(3):
            api_client.post(TOKEN_URL, {"username": "citizen", "password": "x"}, format="json", REMOTE_ADDR="10.0.0.1")
        other_address = api_client.post(
            TOKEN_URL, {"username": "citizen", "password": "demo"}, format="json", REMOTE_ADDR="10.0.0.2"
        )
        assert other_address.status_code == 429  # the account is throttled wherever the attempt comes from
        wrong_same_address = api_client.post(
            TOKEN_URL, {"username": "citizen2", "password": "sai"}, format="json", REMOTE_ADDR="10.0.0.1"
        )
        assert wrong_same_address.status_code == 429  # the address is throttled for wrong passwords
        assert "Mật khẩu đúng vẫn đăng nhập được" in wrong_same_address.json()["detail"]
        right_same_address = api_client.post(
            TOKEN_URL, {"username": "citizen2", "password": "demo"}, format="json", REMOTE_ADDR="10.0.0.1"
        )
        assert right_same_address.status_code == 200  # ...but a colleague's right password passes
        other_user_other_address = api_client.post(
            TOKEN_URL, {"username": "citizen2", "password": "demo"}, format="json", REMOTE_ADDR="10.0.0.3"
        )
        assert other_user_other_address.status_code == 200

    def test_html_login_is_throttled_too(self, demo, client):
        for _ in range(3):
            response = client.post("/tai-khoan/dang-nhap/", {"username": "citizen", "password": "x"})
            assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
        response = client.post("/tai-khoan/dang-nhap/", {"username": "citizen", "password": "demo"})
        assert response.status_code == 200
        assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
class TestHtmlLogin:
    def test_citizen_logs_in_lands_on_the_portal_and_logs_out(self, demo, client):
        response = client.post("/tai-khoan/dang-nhap/", {"username": "citizen", "password": "demo"}, follow=True)
        assert response.redirect_chain[-1][0] == "/"
        assert "Nguyễn Văn An" in response.content.decode()
        response = client.post("/tai-khoan/dang-xuat/", follow=True)
        assert "_auth_user_id" not in client.session
        assert "Đăng nhập" in response.content.decode()

    def test_officer_lands_on_the_staff_page_with_agency_and_roles(self, demo, client):
        response = client.post("/tai-khoan/dang-nhap/", {"username": "vanlam.leader", "password": "demo"}, follow=True)
        assert response.redirect_chain[-1][0] == "/can-bo/"
        page = response.content.decode()
        assert "Ủy ban nhân dân huyện Văn Lâm" in page
        assert "000.00.23.H31" in page
        assert "Lãnh đạo cơ quan" in page

    def test_login_page_has_labelled_fields_and_csrf(self, db, client):
        page = client.get("/tai-khoan/dang-nhap/").content.decode()
        assert '<label for="id_username">' in page
        assert '<label for="id_password">' in page
        assert "csrfmiddlewaretoken" in page

    def test_logout_requires_post(self, demo, client):
        client.login(username="citizen", password="demo")
        assert client.get("/tai-khoan/dang-xuat/").status_code == 405
