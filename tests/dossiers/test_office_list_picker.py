"""The office dossier list filters by procedure with the counter's searchable picker (issue 18, item 4): a
<select data-picker> of the procedures of the dossiers the officer may see («mã – tên», folded by site.js over names
and codes; a plain list without scripts), never a code typed from memory."""

import re

import pytest
from django.test import Client

from dichvucong.accounts.roles import Role
from tests.dossiers.factories import DossierFactory, department
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk():
    agency = department("000.00.61.H31", "Sở Tư pháp")
    other = department("000.00.62.H31", "Sở Xây dựng")
    own = [DossierFactory(agency=agency), DossierFactory(agency=agency)]
    foreign = DossierFactory(agency=other)
    officer = StaffFactory(roles=[(Role.RECEPTION, agency)])
    client = Client()
    client.force_login(officer)
    return client, own, foreign


def _select(html: str) -> str:
    match = re.search(r'<select name="procedure"[^>]*>.*?</select>', html, re.S)
    assert match, "no procedure picker"
    return match.group(0)


def test_the_procedure_filter_is_the_searchable_picker_of_the_officers_procedures(desk):
    client, own, foreign = desk

    html = client.get("/mot-cua/ho-so/").content.decode()

    select = _select(html)
    assert 'id="id_procedure"' in select and "data-picker" in select
    assert 'data-picker-label="Tìm thủ tục theo tên hoặc mã"' in select
    assert '<option value="" selected>Tất cả thủ tục</option>' in select
    for dossier in own:
        p = dossier.procedure
        assert f'<option value="{p.code}">{p.code} – {p.name}</option>' in select
    assert foreign.procedure.code not in select  # another agency's procedure is not offered
    assert not re.search(r'<input[^>]*name="procedure"', html)  # no text box any more
    assert '<label for="id_procedure">Thủ tục</label>' in html


def test_picking_a_procedure_filters_the_list_and_stays_selected(desk):
    client, own, _foreign = desk
    picked = own[0].procedure

    html = client.get("/mot-cua/ho-so/", {"procedure": picked.code}).content.decode()

    assert f'<option value="{picked.code}" selected>' in _select(html)
    assert own[0].code in html and own[1].code not in html


def test_an_unknown_code_in_the_address_stays_selected_and_lists_nothing(desk):
    client, own, foreign = desk

    html = client.get("/mot-cua/ho-so/", {"procedure": foreign.procedure.code}).content.decode()

    assert f'<option value="{foreign.procedure.code}" selected>{foreign.procedure.code}</option>' in _select(html)
    assert foreign.code not in html and all(d.code not in html for d in own)
