"""A resident's browser going through the provider: the portal's pages with Django's test client, the provider's
with a real HTTP session (requests)."""

from urllib.parse import urlsplit

import requests


def sign_in_at_provider(
    client, *, login: str = "033090001234", password: str = "demo", start: str = "/tai-khoan/vneid/"
):
    """Start at the portal, sign in at the provider over HTTP, come back: returns (callback path, provider session)."""
    response = client.get(start)
    assert response.status_code == 302, response
    authorize_url = response["Location"]
    browser = requests.Session()
    page = browser.get(authorize_url, allow_redirects=True, timeout=20)
    assert page.status_code == 200 and "Đăng nhập tài khoản định danh điện tử" in page.text, page.text[:500]
    login_url = page.url
    next_url = dict(p.split("=", 1) for p in urlsplit(login_url).query.split("&") if "=" in p).get("next", "")
    from urllib.parse import unquote

    answer = browser.post(
        login_url,
        data={
            "username": login,
            "password": password,
            "csrfmiddlewaretoken": browser.cookies["idp_csrftoken"],
            "next": unquote(next_url),
        },
        allow_redirects=False,
        timeout=20,
    )
    assert answer.status_code == 302, answer.text[:500]
    location = answer.headers["Location"]
    if location.startswith("/"):
        location = f"{urlsplit(login_url).scheme}://{urlsplit(login_url).netloc}{location}"
    authorized = browser.get(location, allow_redirects=False, timeout=20)
    assert authorized.status_code == 302, authorized.text[:500]
    callback = authorized.headers["Location"]
    assert callback.startswith("http://testserver/tai-khoan/vneid/callback/"), callback
    return callback.removeprefix("http://testserver"), browser
