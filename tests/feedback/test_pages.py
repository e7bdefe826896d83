"""Pages of ratings and feedback: the owner rates a finished dossier from its page (once, editable 7 days); staff see
their agencies' ratings and feedback and answer them; anyone files feedback; the published answers are public.
Refusals: another citizen, another agency's officer, a wrong role; bad input says what is wrong, writes nothing."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from dichvucong.accounts.roles import Role
from dichvucong.feedback.models import Feedback, Rating
from dichvucong.feedback.services import feedback_create
from tests.accounts.factories import CitizenFactory, StaffFactory
from tests.agencies.factories import AgencyFactory
from tests.dossiers.factories import DossierFactory

pytestmark = pytest.mark.django_db
GOOD = {"overall": "5", "timeliness": "4", "attitude": "5", "visits": "1", "comment": "Nhanh"}


@pytest.fixture(autouse=True)
def fresh_throttles():
    cache.clear()
    yield
    cache.clear()


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def finished():
    return DossierFactory(processed=True)


def _rate_url(dossier):
    return f"/ho-so/cua-toi/{dossier.code}/danh-gia/"


def test_owner_rates_from_the_dossier_page_and_edits_within_seven_days(finished):
    client = _client(finished.owner)
    page = client.get(f"/ho-so/cua-toi/{finished.code}/").content.decode()
    assert _rate_url(finished) in page and "Đánh giá mức độ hài lòng" in page
    form = client.get(_rate_url(finished))
    assert form.status_code == 200 and 'name="overall"' in form.content.decode()
    response = client.post(_rate_url(finished), GOOD)
    assert response.status_code == 302
    rating = Rating.objects.get(dossier=finished)
    assert (rating.overall, rating.timeliness, rating.visits, rating.comment) == (5, 4, 1, "Nhanh")
    assert "Xem, sửa đánh giá" in client.get(f"/ho-so/cua-toi/{finished.code}/").content.decode()
    assert client.post(_rate_url(finished), {**GOOD, "overall": "3"}).status_code == 302
    assert Rating.objects.get(dossier=finished).overall == 3 and Rating.objects.count() == 1
    # after 7 days: shown, not editable; a forged POST is refused with the reason, nothing changes
    Rating.objects.filter(pk=rating.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    html = client.get(_rate_url(finished)).content.decode()
    assert "chỉ sửa được trong 7 ngày" in html and 'name="overall"' not in html
    late = client.post(_rate_url(finished), {**GOOD, "overall": "1"})
    assert late.status_code == 409 and "Đánh giá chỉ sửa được trong 7 ngày." in late.content.decode()
    assert Rating.objects.get(dossier=finished).overall == 3


def test_bad_scores_and_unfinished_dossiers_are_refused_with_nothing_written(finished):
    client = _client(finished.owner)
    bad = client.post(_rate_url(finished), {**GOOD, "overall": "9", "visits": "-2"})
    html = bad.content.decode()
    assert bad.status_code == 400 and "Chấm điểm từ 1 đến 5." in html and "Số lần đến cơ quan từ 0 đến 50." in html
    assert 'aria-describedby="err-overall"' in html
    assert not Rating.objects.exists()
    unfinished = DossierFactory(accepted=True)
    response = _client(unfinished.owner).post(_rate_url(unfinished), GOOD)
    assert response.status_code == 409 and "Chỉ đánh giá được hồ sơ đã có kết quả." in response.content.decode()
    assert not Rating.objects.exists()


def test_nobody_else_rates_someone_elses_dossier(finished):
    officer = StaffFactory(roles=[(Role.LEADER, finished.agency)])
    for user in (CitizenFactory(), officer):
        assert _client(user).get(_rate_url(finished)).status_code == 404
        assert _client(user).post(_rate_url(finished), GOOD).status_code == 404
    assert _client().get(_rate_url(finished)).status_code == 302
    assert not Rating.objects.exists()


def test_staff_see_their_agencies_ratings_and_statistics(finished):
    other = DossierFactory(processed=True)
    for dossier, score in ((finished, "5"), (other, "1")):
        _client(dossier.owner).post(_rate_url(dossier), {**GOOD, "overall": score})
    officer = StaffFactory(roles=[(Role.SPECIALIST, finished.agency)])
    html = _client(officer).get("/danh-gia/").content.decode()
    assert finished.code in html and other.code not in html
    assert "<caption>" in html and "Số lượt đánh giá" in html
    monitor = StaffFactory(roles=[(Role.MONITOR, None)])
    html = _client(monitor).get("/danh-gia/").content.decode()
    assert finished.code in html and other.code in html
    assert "3,00" in html or "3.00" in html  # the mean of 5 and 1
    assert _client(finished.owner).get("/danh-gia/").status_code == 403
    bad = _client(monitor).get("/danh-gia/", {"from": "2026-12-01", "to": "2026-01-01"})
    assert bad.status_code == 400 and "Ngày kết thúc phải sau ngày bắt đầu." in bad.content.decode()


def test_anonymous_files_feedback_routed_to_the_agency_and_the_agency_answers(finished):
    anonymous = Client()
    assert anonymous.get("/phan-anh/gui/").status_code == 200
    response = anonymous.post(
        "/phan-anh/gui/",
        {"kind": "report", "content": "Hẹn nhiều lần", "author_name": "Nguyễn Văn A", "contact": "0912345678",
         "procedure_code": finished.procedure.code, "publish_consent": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()
    item = Feedback.objects.get()
    assert item.author is None and item.publish_consent and item.agency == finished.agency
    assert "Hẹn nhiều lần" not in Client().get("/phan-anh/").content.decode()  # not answered yet
    # the agency's specialist sees it, cannot answer; another agency's leader does not see it at all
    specialist = StaffFactory(roles=[(Role.SPECIALIST, finished.agency)])
    assert "Hẹn nhiều lần" in _client(specialist).get("/phan-anh/quan-ly/").content.decode()
    refused = _client(specialist).post(f"/phan-anh/{item.uuid}/", {"answer": "Đã xử lý"})
    assert refused.status_code == 404
    stranger = StaffFactory(roles=[(Role.LEADER, AgencyFactory.department())])
    assert "Hẹn nhiều lần" not in _client(stranger).get("/phan-anh/quan-ly/").content.decode()
    assert _client(stranger).get(f"/phan-anh/{item.uuid}/").status_code == 404
    assert _client(stranger).post(f"/phan-anh/{item.uuid}/", {"answer": "Đã xử lý"}).status_code == 404
    assert _client(CitizenFactory()).get(f"/phan-anh/{item.uuid}/").status_code == 404
    item.refresh_from_db()
    assert item.status == "open" and item.answer == ""
    # the leader: an empty answer is refused, then answers once
    leader = StaffFactory(roles=[(Role.LEADER, finished.agency)])
    empty = _client(leader).post(f"/phan-anh/{item.uuid}/", {"answer": "  "})
    assert empty.status_code == 400 and "Thông tin bắt buộc." in empty.content.decode()
    assert _client(leader).post(f"/phan-anh/{item.uuid}/", {"answer": "Đã chấn chỉnh cán bộ"}).status_code == 302
    again = _client(leader).post(f"/phan-anh/{item.uuid}/", {"answer": "Lần hai"})
    assert again.status_code in (200, 409)
    item.refresh_from_db()
    assert item.status == "answered" and item.answer == "Đã chấn chỉnh cán bộ"
    public = Client().get("/phan-anh/").content.decode()
    assert "Đã chấn chỉnh cán bộ" in public and "0912345678" not in public and "Nguyễn Văn A" not in public


def test_overdue_feedback_stands_out_with_statistics(finished):
    item = feedback_create(
        actor=finished.owner, kind="proposal", content="Kiến nghị quá hạn", dossier_code=finished.code
    )
    Feedback.objects.filter(pk=item.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    leader = StaffFactory(roles=[(Role.LEADER, finished.agency)])
    html = _client(leader).get("/phan-anh/quan-ly/").content.decode()
    assert 'class="row-late"' in html and "Quá hạn" in html and "Chưa trả lời, quá hạn" in html
    assert "Quá hạn trả lời" in _client(leader).get(f"/phan-anh/{item.uuid}/").content.decode()
    # the author sees their own, not the contact of others nor the statistics
    mine = _client(finished.owner).get("/phan-anh/quan-ly/").content.decode()
    assert "Kiến nghị quá hạn" in mine and "Chưa trả lời, quá hạn" not in mine


def test_feedback_bad_input_is_refused_with_nothing_written(finished):
    client = Client()
    no_subject = client.post("/phan-anh/gui/", {"kind": "report", "content": "x", "author_name": "A", "contact": "1"})
    assert no_subject.status_code == 400 and "Cần chọn thủ tục hoặc hồ sơ được phản ánh." in no_subject.content.decode()
    unknown = client.post(
        "/phan-anh/gui/",
        {"kind": "report", "content": "x", "author_name": "A", "contact": "1", "procedure_code": "KHONG-CO"},
    )
    assert unknown.status_code == 404 and "Không tìm thấy thủ tục." in unknown.content.decode()
    no_contact = client.post(
        "/phan-anh/gui/",
        {"kind": "report", "content": "x", "author_name": "A", "procedure_code": finished.procedure.code},
    )
    assert no_contact.status_code == 400 and 'id="err-contact"' in no_contact.content.decode()
    # someone else's dossier: not found (the code alone is not a secret)
    theirs = _client(CitizenFactory()).post(
        "/phan-anh/gui/", {"kind": "report", "content": "x", "dossier_code": finished.code}
    )
    assert theirs.status_code == 404
    assert not Feedback.objects.exists()


def test_province_admin_sets_the_answer_deadline_from_a_page_and_it_applies_to_new_feedback(finished):
    from dichvucong.audit.models import AuditEntry
    from dichvucong.feedback.models import FeedbackPolicy

    admin = StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])
    client = _client(admin)
    page = client.get("/phan-anh/thoi-han/")
    assert page.status_code == 200
    assert "Thời hạn trả lời phản ánh" in page.content.decode()
    response = client.post("/phan-anh/thoi-han/", {"answer_working_days": "7"})
    assert response.status_code == 302
    assert FeedbackPolicy.objects.get(pk=1).answer_working_days == 7
    assert AuditEntry.objects.filter(action="feedback.policy_set").count() == 1
    assert "7 ngày làm việc" in client.get("/phan-anh/thoi-han/").content.decode()


@pytest.mark.parametrize("value", ["0", "61", "abc", ""])
def test_a_bad_deadline_is_refused_in_vietnamese_with_nothing_written(finished, value):
    from dichvucong.audit.models import AuditEntry
    from dichvucong.feedback.models import FeedbackPolicy

    admin = StaffFactory(roles=[(Role.PROVINCE_ADMIN, None)])
    response = _client(admin).post("/phan-anh/thoi-han/", {"answer_working_days": value})
    assert response.status_code == 400
    assert "Thời hạn từ 1 đến 60 ngày làm việc." in response.content.decode()
    assert not FeedbackPolicy.objects.filter(pk=1).exists()
    assert not AuditEntry.objects.filter(action="feedback.policy_set").exists()


def test_nobody_but_the_province_admin_reads_or_sets_the_deadline(finished):
    from dichvucong.feedback.models import FeedbackPolicy

    for user in (
        finished.owner,
        StaffFactory(roles=[(Role.LEADER, finished.agency)]),
        StaffFactory(roles=[(Role.AGENCY_ADMIN, finished.agency)]),
        StaffFactory(roles=[(Role.MONITOR, None)]),
    ):
        client = _client(user)
        assert client.get("/phan-anh/thoi-han/").status_code == 403
        assert client.post("/phan-anh/thoi-han/", {"answer_working_days": "9"}).status_code == 403
    assert _client().get("/phan-anh/thoi-han/").status_code == 302
    assert not FeedbackPolicy.objects.filter(pk=1).exists()
