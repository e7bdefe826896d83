"""Pickers, not identifiers (issue 18 item 4): the step forms offer the officers holding the next step's role at the
unit, the consult / transfer forms the agencies by name; the counter's procedure list is searchable."""

from django.test import Client

from dichvucong.workflows.processing import step_perform_action
from tests.dossiers.factories import offer

from .conftest import accepted_dossier, start


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def _form(page: str, action: str) -> str:
    form = page[page.index(f'id="act-{action}"') :]
    return form[: form.index("</form>")]


def test_the_next_steps_officers_and_the_agencies_are_picked_by_name(world):
    world.active_template()
    dossier = accepted_dossier(world)
    start(world, dossier)
    page = browser(world.staff["vl.specialist"]).get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()

    forward = _form(page, "forward")
    assert '<select id="assignee-' in forward
    head, other_head = world.staff["vl.division_head"], world.staff["vg.division_head"]
    assert f'value="{head.username}"' in forward and head.display_name in forward
    assert f'value="{other_head.username}"' not in forward  # another district's head
    assert f'value="{world.staff["vl.leader"].username}"' not in forward  # not the next step's role
    assert "tên đăng nhập" not in forward

    consult = _form(page, "consult")
    assert 'name="agency" required data-picker' in consult
    assert f'<option value="{world.department.code}">{world.department.name}</option>' in consult
    assert "Mã cơ quan" not in consult

    step_perform_action(actor=world.staff["vl.specialist"], dossier=dossier, action="forward", data={})
    page = browser(head).get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    back = _form(page, "return")
    assert f'value="{world.staff["vl.specialist"].username}"' in back and "Người nhận ở bước trước" in back


def test_the_counter_offers_a_searchable_list_of_the_procedures_with_whole_names(world):
    offer(world.procedure, world.district)
    page = browser(world.staff["vl.reception"]).get("/mot-cua/tiep-nhan/").content.decode()
    assert 'id="procedure-select" name="procedure" required data-picker' in page
    assert f"{world.procedure.code} – {world.procedure.name}</option>" in page
