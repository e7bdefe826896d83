"""The officer's step forms on the dossier page say who receives the dossier: the next step, or (return) the
previous one."""

import pytest
from django.test import Client

from dichvucong.workflows.processing import step_perform_action

from .conftest import accepted_dossier, start


@pytest.mark.django_db
def test_the_return_form_names_the_receiver_at_the_previous_step(world):
    world.active_template()
    dossier = accepted_dossier(world)
    start(world, dossier)
    dossier.refresh_from_db()
    step_perform_action(actor=world.staff["vl.specialist"], dossier=dossier, action="forward", data={})
    client = Client()
    client.force_login(world.staff["vl.division_head"])

    page = client.get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()

    return_form = page[page.index('id="act-return"') :]
    return_form = return_form[: return_form.index("</form>")]
    assert "Người nhận ở bước trước" in return_form and "bước sau" not in return_form
    approve_form = page[page.index('id="act-approve"') :]
    assert "Người nhận ở bước sau" in approve_form[: approve_form.index("</form>")]


@pytest.mark.django_db
def test_the_clerks_deliver_step_is_confirmed_as_the_step_not_as_result_returned(world):
    """The process step `deliver` hands the result back to the desk; the dossier transition `deliver` (Trả kết quả)
    is the desk's later act. The confirmation names the step."""
    world.active_template()
    dossier = accepted_dossier(world)
    start(world, dossier)
    dossier.refresh_from_db()
    for who, action in (("vl.specialist", "forward"), ("vl.division_head", "approve"), ("vl.leader", "sign")):
        step_perform_action(actor=world.staff[who], dossier=dossier, action=action, data={})
    client = Client()
    client.force_login(world.staff["vl.clerk"])

    page = client.post(f"/mot-cua/ho-so/{dossier.code}/", {"action": "deliver"}, follow=True).content.decode()

    dossier.refresh_from_db()
    assert dossier.status == "processed"
    assert "Đã thực hiện: Hoàn thành, chuyển kết quả về một cửa." in page
    assert "Đã thực hiện: Trả kết quả." not in page
