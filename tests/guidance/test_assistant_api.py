"""`GET /api/v1/assistant/?q=` and the assistant page on the demo catalogue: shape, best first, bad input, rate limit."""

import pytest
from django.core.cache import cache
from django.test import Client

from dichvucong.guidance.engine import MAX_QUESTION_CHARS

pytestmark = pytest.mark.usefixtures("demo")


def ask(api_client, q):
    response = api_client.get("/api/v1/assistant/", {"q": q})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture(autouse=True)
def _fresh_allowance():
    cache.clear()
    yield
    cache.clear()


def test_answer_has_results_with_why_and_clarify(api_client):
    body = ask(api_client, "con mới sinh")
    assert set(body) >= {"results", "clarify", "life_events", "message"}
    first = body["results"][0]
    assert first["code"] == "1.001193" and first["name"] == "Đăng ký khai sinh" and first["why"]
    assert first["url"] == "/thu-tuc/1.001193/"
    assert [e["slug"] for e in body["life_events"]] == ["sinh-con"]
    linked = {c["url"] for c in body["content"]}  # the demo's guide and FAQ about khai sinh
    assert {"/huong-dan/sinh-con-can-lam-gi/", "/huong-dan/khai-sinh-qua-han-60-ngay/"} <= linked
    assert isinstance(body["clarify"], list)


@pytest.mark.parametrize(
    ("question", "code"),
    [("mở quán bán hàng", "1.001612"), ("xin giấy phép xây nhà", "1.013225"), ("người thân mất", "1.000656")],
)
def test_everyday_questions_find_the_demo_procedures(api_client, question, code):
    assert ask(api_client, question)["results"][0]["code"] == code


def test_diacritic_less_and_misspelt_questions(api_client):
    assert ask(api_client, "dang ky ket hon")["results"][0]["code"] == "1.000894"
    assert ask(api_client, "xin phieu ly lich tu phap")["results"][0]["code"] == "3.000333"
    assert ask(api_client, "dăng kí kêt hôn")["results"][0]["code"] == "1.000894"


def test_ambiguous_need_gets_a_clarifying_question(api_client):
    body = ask(api_client, "ket hon")
    facets = {c["facet"] for c in body["clarify"]}
    assert "again" in facets
    again = next(c for c in body["clarify"] if c["facet"] == "again")
    assert again["question"] and len(again["options"]) == 2
    refined = ask(api_client, again["options"][1]["q"])
    assert refined["results"][0]["code"] == "1.004746"


@pytest.mark.parametrize("question", ["", "   ", "?!…", "<script>alert(1)</script>", "qwxzv plmokn", "\x01\x02"])
def test_bad_input_gets_a_helpful_message_never_an_error(api_client, question):
    body = ask(api_client, question)
    assert body["message"] or body["results"]
    if not body["results"]:
        assert body["life_events"], "nothing found: the life events are offered instead"
    assert "<script>" not in str(body["results"])


def test_a_nul_character_is_a_clear_json_400_not_an_error_page(api_client):
    """The request guard (common/request_guard.py) answers NUL in any parameter before the assistant runs."""
    response = api_client.get("/api/v1/assistant/", {"q": "khai sinh\x00"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] and body["detail"]


def test_very_long_question_is_cut_and_said_so(api_client):
    body = ask(api_client, "đăng ký khai sinh " * 200)
    assert str(MAX_QUESTION_CHARS) in body["message"]
    assert body["results"][0]["code"] == "1.001193"
    assert len(body["query"]) <= MAX_QUESTION_CHARS


def test_page_escapes_the_question_and_shows_what_to_prepare():
    client = Client()
    page = client.get("/tro-ly/", {"q": '<script>alert("x")</script> khai sinh'}).content.decode()
    assert '<script>alert("x")</script>' not in page and "&lt;script&gt;" in page
    page = client.get("/tro-ly/", {"q": "con moi sinh"}).content.decode()
    assert "Đăng ký khai sinh" in page and "Giấy tờ" in page and "Nộp ở đâu" in page and "Phí, lệ phí" in page
    assert 'href="/thu-tuc/1.001193/"' in page


def test_home_and_catalogue_pages_carry_the_assistant_box():
    client = Client()
    for url in ("/", "/thu-tuc/"):
        html = client.get(url).content.decode()
        assert 'action="/tro-ly/"' in html and 'for="assistant-q"' in html and "/su-kien/sinh-con/" in html


def test_english_page_translates_life_events():
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    html = client.get("/tro-ly/").content.decode()
    assert "Having a baby" in html and "Procedure assistant" in html and "What do you need to do?" in html


def test_rate_limited_per_client(api_client, settings):
    settings.ASSISTANT_THROTTLE_RATE = "3/min"
    for _ in range(3):
        assert api_client.get("/api/v1/assistant/", {"q": "khai sinh"}).status_code == 200
    refused = api_client.get("/api/v1/assistant/", {"q": "khai sinh"})
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    other = api_client.get("/api/v1/assistant/", {"q": "khai sinh"}, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200
    assert Client().get("/tro-ly/", {"q": "khai sinh"}).status_code == 429  # the page shares the allowance


def test_an_answer_costs_a_bounded_number_of_queries(api_client, django_assert_max_num_queries):
    ask(api_client, "khai sinh")  # builds the index once
    with django_assert_max_num_queries(6):
        ask(api_client, "dang ky ket hon lan dau")
