"""One way to write things (issue 18 item 6): dates dd/mm/yyyy and 24-hour times on every page type, numbers in
the Vietnamese format, process tables in words, history entries that say who did which step."""

import re

from django.test import Client

from dichvucong.catalog.models import Procedure
from dichvucong.dossiers.models import Dossier
from dichvucong.workflows.processing import step_perform_action
from tests.dossiers.factories import DossierFactory, offer

ISO_DATE = re.compile(r"\b\d{4}-\d\d-\d\d\b")
AM_PM = re.compile(r"\b\d{1,2}:\d\d ?(a\.m\.|p\.m\.|AM|PM)", re.IGNORECASE)


def browser(user):
    client = Client()
    client.force_login(user)
    return client


def _visible(page: str) -> str:
    """The page's text without tags and attributes (machine dates in `datetime=""` are fine)."""
    return re.sub(r"<[^>]+>", " ", page)


def _officers(world, prefix):
    return {r: world.staff[f"{prefix}.{r}"] for r in ("reception", "specialist", "division_head", "leader", "clerk")}


def test_dates_times_and_numbers_are_written_one_way_on_every_page_type(world):
    process = world.active_template()
    procedure = world.procedure
    procedure.form_schema = [
        {"name": "birth_date", "label": "Ngày sinh", "type": "date", "required": True},
        {"name": "area", "label": "Diện tích (m2)", "type": "number", "required": False},
    ]
    Procedure.objects.filter(pk=procedure.pk).update(form_schema=procedure.form_schema)
    offer(procedure, world.district)
    dossier = DossierFactory(
        agency=world.district,
        procedure=procedure,
        officers=_officers(world, "vl"),
        processing=True,
        form_data={"birth_date": "2021-03-01", "area": "1234.5"},
    )
    reception, leader = world.staff["vl.reception"], world.staff["vl.leader"]
    pages = {
        "office dossier": browser(reception).get(f"/mot-cua/ho-so/{dossier.code}/"),
        "owner dossier": browser(dossier.owner).get(f"/ho-so/cua-toi/{dossier.code}/"),
        "queue": browser(leader).get("/can-bo/cong-viec/", {"view": "team"}),
        "office list": browser(reception).get("/mot-cua/ho-so/"),
        "my list": browser(dossier.owner).get("/ho-so/cua-toi/"),
        "backoffice": browser(leader).get("/can-bo/"),
        "process": browser(leader).get(f"/can-bo/quy-trinh/{process.uuid}/"),
        "lookup": Client().post("/tra-cuu/", {"code": dossier.code, "id_number": dossier.owner.id_number}),
    }
    for name, response in pages.items():
        assert response.status_code == 200, name
        text = _visible(response.content.decode())
        assert not ISO_DATE.search(text), (name, ISO_DATE.search(text))
        assert not AM_PM.search(text), name
    office = _visible(pages["office dossier"].content.decode())
    assert "01/03/2021" in office and "1.234,5" in office
    assert re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", office)
    queue = pages["queue"].content.decode()
    assert re.search(r"\d\d:\d\d \d\d/\d\d/\d{4}", queue)

    process_page = pages["process"].content.decode()
    assert "Chuyển bước tiếp theo" in process_page and "Ký duyệt" in process_page
    table = process_page[process_page.index("<tbody>") : process_page.index("</tbody>")]
    assert not re.search(r"\b(forward|consult|approve|return|sign|deliver)\b", table)


def test_the_history_says_who_did_which_step_and_who_has_the_next(world):
    world.active_template()
    offer(world.procedure, world.district)
    dossier = DossierFactory(
        agency=world.district, procedure=world.procedure, officers=_officers(world, "vl"), processing=True
    )
    specialist, head = world.staff["vl.specialist"], world.staff["vl.division_head"]
    step_perform_action(actor=specialist, dossier=dossier, action="forward", data={"assignee": head.username})
    event = Dossier.objects.get(pk=dossier.pk).events.filter(action="step").order_by("-at", "-id").first()
    assert event.note == (
        f"{specialist.display_name} đã xong bước «Thẩm định hồ sơ» → bước «Lãnh đạo phòng duyệt» – "
        f"người xử lý: {head.display_name}"
    )
    page = browser(world.staff["vl.reception"]).get(f"/mot-cua/ho-so/{dossier.code}/").content.decode()
    assert "đã xong bước «Thẩm định hồ sơ»" in page
