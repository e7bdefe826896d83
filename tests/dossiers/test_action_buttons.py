"""Actions people trust (issue 18 item 3): the safe next step is the primary button; refuse, withdraw and stop are
secondary, say what follows and need a confirmation (the page refuses them without it); each role sees only its own
actions (the applicant's «Rút hồ sơ» is never offered to officers, but the desk records the written request of a
walk-in applicant without an account); a GET never changes anything."""

import re

from django.test import Client

from dichvucong.audit.models import AuditEntry
from dichvucong.dossiers import services
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.submission import dossier_create

from .conftest import submit_online
from .factories import FORM, StaffFactory


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _buttons(page: str) -> list[tuple[str, str]]:
    """(class, label) of the submit buttons of the actions section, in page order."""
    section = page[page.index('id="actions-title"') : page.index('id="history-title"')]
    return re.findall(r'<button type="submit" class="([\w-]+)">([^<]+)</button>', section)


def test_the_safe_next_step_is_the_primary_button_and_refusal_comes_last_with_its_consequence(world):
    d = submit_online(world)
    page = client_for(world.reception).get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    buttons = _buttons(page)
    assert buttons[0] == ("button", "Tiếp nhận hồ sơ")
    assert buttons[-1] == ("button-danger", "Từ chối (Mẫu 03)")
    assert [cls for cls, _label in buttons].count("button") == 1
    refuse = page[page.index('id="act-refuse"') :]
    refuse = refuse[: refuse.index("</form>")]
    assert "Phiếu từ chối tiếp nhận, giải quyết hồ sơ (Mẫu 03)" in refuse and "Nguyễn Văn An" in refuse
    assert 'name="confirm"' in refuse and "required" in refuse
    assert "Rút hồ sơ" not in page  # the applicant's action


def test_the_applicant_after_submitting_is_not_pushed_to_withdraw(world):
    d = submit_online(world)
    page = client_for(world.citizen).get(f"/ho-so/cua-toi/{d.code}/").content.decode()
    assert _buttons(page) == [("button-danger", "Rút hồ sơ")]
    withdraw = page[page.index('id="act-withdraw-summary"') - 60 :]
    assert withdraw.startswith('<details class="action-panel action-danger">') or "<details" in withdraw[:80]
    assert "không thể tiếp tục" in withdraw and "Sở Tư pháp" in withdraw


def test_destructive_actions_are_refused_without_the_confirmation(world):
    d = submit_online(world)
    client = client_for(world.reception)
    response = client.post(
        f"/mot-cua/ho-so/{d.code}/", {"action": "refuse", "note": "Không thuộc thẩm quyền"}, follow=True
    )
    assert Dossier.objects.get(pk=d.pk).status == "new"
    assert "hãy đánh dấu ô xác nhận" in response.content.decode()
    client.post(f"/mot-cua/ho-so/{d.code}/", {"action": "refuse", "note": "Không thuộc thẩm quyền", "confirm": "1"})
    assert Dossier.objects.get(pk=d.pk).status == "refused"

    owned = submit_online(world)
    citizen = client_for(world.citizen)
    citizen.post(f"/ho-so/cua-toi/{owned.code}/", {"action": "withdraw", "note": "Không cần nữa"})
    assert Dossier.objects.get(pk=owned.pk).status == "new"
    citizen.post(f"/ho-so/cua-toi/{owned.code}/", {"action": "withdraw", "note": "Không cần nữa", "confirm": "1"})
    assert Dossier.objects.get(pk=owned.pk).status == "withdrawn"


def test_stop_asks_for_a_confirmation_and_the_safe_actions_do_not(world):
    d = services.dossier_accept(actor=world.reception, dossier=submit_online(world))
    page = client_for(world.leader).get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    stop = page[page.index('id="act-stop"') :]
    stop = stop[: stop.index("</form>")]
    assert "Dừng xử lý" in stop and 'name="confirm"' in stop and "Không thể hoàn tác" in stop
    client_for(world.reception).post(f"/mot-cua/ho-so/{d.code}/", {"action": "start_processing"})
    assert Dossier.objects.get(pk=d.pk).status == "processing"  # no confirmation for the safe step


def test_officers_are_never_offered_the_applicants_withdrawal(world):
    d = submit_online(world)
    for officer in (world.reception, world.specialist, world.head, world.leader, world.clerk):
        page = client_for(officer).get(f"/mot-cua/ho-so/{d.code}/").content.decode()
        assert 'value="withdraw"' not in page
    response = client_for(world.reception).post(
        f"/api/v1/dossiers/{d.code}/actions/", {"action": "withdraw", "note": "x"}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    assert Dossier.objects.get(pk=d.pk).status == "new"


def test_a_get_of_the_dossier_pages_and_the_queue_never_writes(world):
    d = submit_online(world)
    # Reading personal data is itself logged (dossiers.personal_data, the access log): not a change of state.
    changes = AuditEntry.objects.exclude(action="dossier.personal_data_read")
    rows, statuses = changes.count(), list(Dossier.objects.values_list("status", "updated_at"))
    for client, url in (
        (client_for(world.reception), f"/mot-cua/ho-so/{d.code}/"),
        (client_for(world.reception), "/can-bo/cong-viec/"),
        (client_for(world.reception), "/can-bo/"),
        (client_for(world.citizen), f"/ho-so/cua-toi/{d.code}/"),
        (client_for(world.citizen), "/ho-so/cua-toi/"),
    ):
        assert client.get(url).status_code == 200
    assert changes.count() == rows
    assert list(Dossier.objects.values_list("status", "updated_at")) == statuses


def test_a_monitor_is_not_sent_to_file_pages_he_cannot_open(world):
    d = submit_online(world)
    page = client_for(world.monitor).get(f"/mot-cua/ho-so/{d.code}/").content.decode()
    assert "/attachments/" not in page and f"/ho-so/{d.code}/ket-qua/" not in page
    for url in re.findall(r'href="(/[^"#]+)"', page):
        if url.startswith(("/static/", "/api/v1/docs")):
            continue
        assert client_for(world.monitor).get(url).status_code in (200, 302), url


def test_the_desk_records_a_walk_in_applicants_withdrawal_with_a_confirmation(world):
    """A walk-in applicant without an account can only withdraw at the desk (written request); the desk never
    withdraws an account holder's dossier in his place."""
    walk_in = dossier_create(
        actor=world.reception,
        procedure_code=world.procedure.code,
        agency_code=world.agency.code,
        channel="counter",
        applicant={"full_name": "Phạm Văn Dũng", "id_number": "033090077777", "phone": "0912345678"},
        form_data=FORM,
        received_documents=[d.pk for d in world.docs],
    ).dossier
    assert walk_in.owner_id is None
    desk = client_for(world.reception)
    page = desk.get(f"/mot-cua/ho-so/{walk_in.code}/").content.decode()
    assert 'value="withdraw"' in page
    desk.post(f"/mot-cua/ho-so/{walk_in.code}/", {"action": "withdraw", "note": "Đơn xin rút hồ sơ"})
    assert Dossier.objects.get(pk=walk_in.pk).status != "withdrawn"  # no confirmation ticked
    desk.post(f"/mot-cua/ho-so/{walk_in.code}/", {"action": "withdraw", "note": "Đơn xin rút hồ sơ", "confirm": "1"})
    assert Dossier.objects.get(pk=walk_in.pk).status == "withdrawn"
    # another agency's desk is refused
    other_desk = client_for(StaffFactory(roles=[("reception", world.other)]))
    response = other_desk.post(
        f"/api/v1/dossiers/{walk_in.code}/actions/", {"action": "withdraw"}, content_type="application/json"
    )
    assert response.status_code in (403, 404, 409)
