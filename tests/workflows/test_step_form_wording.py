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

    return_form = page[page.index('id="act-return"'):]
    return_form = return_form[:return_form.index("</form>")]
    assert "Người nhận ở bước trước" in return_form and "bước sau" not in return_form
    approve_form = page[page.index('id="act-approve"'):]
    assert "Người nhận ở bước sau" in approve_form[:approve_form.index("</form>")]
