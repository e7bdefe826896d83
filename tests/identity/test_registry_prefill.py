"""Population registry: the adapter over HTTP against the simulator, consent before any call, CCCD structure checked
before any call, prefill of the wizard and of the counter form, the officer shown a mismatch."""

import pytest
from django.test import Client

from dichvucong.audit.models import AuditEntry
from dichvucong.common.errors import DomainError
from dichvucong.identity.models import RegistryConsent
from dichvucong.identity.registry import PopulationRegistryClient
from dichvucong.identity.services import registry_prefill
from tests.dossiers.factories import department, make_procedure, offer
from tests.factories import CitizenFactory, StaffFactory

pytestmark = pytest.mark.django_db
AN = "033090001234"


@pytest.fixture
def place(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    agency = department("000.00.04.H31", "Sở Tư pháp")
    procedure = make_procedure()
    offer(procedure, agency)
    return {
        "agency": agency,
        "procedure": procedure,
        "citizen": CitizenFactory(username="an", id_number=AN, full_name="Nguyen Van An (go sai)", address="đâu đó"),
        "reception": StaffFactory(roles=[("reception", agency)]),
        "monitor": StaffFactory(roles=[("monitor", None)]),
    }


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


class TestAdapter:
    def test_lookup_by_cccd(self, registry_settings):
        record = PopulationRegistryClient().lookup(AN, request_id="r1", purpose="thử")
        assert record.full_name == "Nguyễn Văn An" and str(record.birthdate) == "1990-05-12"
        assert record.gender == "male" and "Như Quỳnh" in record.permanent_address
        assert record.household["so_ho"] == "HK033000123" and len(record.household["thanh_vien"]) == 3

    @pytest.mark.parametrize(
        ("mode", "code"), [("other_person", "registry_wrong_person"), ("error", "registry_unavailable")]
    )
    def test_bad_answers(self, registry_settings, population_registry, mode, code):
        population_registry.next_answer(mode)
        with pytest.raises(DomainError) as caught:
            PopulationRegistryClient().lookup(AN, request_id="r2", purpose="thử")
        assert caught.value.code == code

    def test_unknown_person_and_wrong_key_and_down(self, registry_settings):
        with pytest.raises(DomainError) as caught:
            PopulationRegistryClient().lookup("033092009999", request_id="r3", purpose="thử")
        assert caught.value.code == "registry_not_found"
        with pytest.raises(DomainError) as caught:
            PopulationRegistryClient(api_key="sai").lookup(AN, request_id="r4", purpose="thử")
        assert caught.value.code == "registry_unavailable"
        with pytest.raises(DomainError) as caught:
            PopulationRegistryClient(base_url="http://127.0.0.1:9").lookup(AN, request_id="r5", purpose="thử")
        assert caught.value.code == "registry_unavailable"

    def test_slow_registry_times_out(self, registry_settings, population_registry):
        population_registry.next_answer("slow")
        with pytest.raises(DomainError) as caught:
            PopulationRegistryClient(timeout=0.5).lookup(AN, request_id="r6", purpose="thử")
        assert caught.value.code == "registry_unavailable"


class TestService:
    def test_consent_is_recorded_with_who_when_and_which_fields(self, registry_settings, place):
        row, record = registry_prefill(
            actor=place["citizen"], citizen_id=AN, channel="online", purpose="1.001193", consent=True
        )
        row.refresh_from_db()
        assert row.recorded_by == place["citizen"] and row.subject == place["citizen"] and row.channel == "online"
        assert row.fields == ["full_name", "birthdate", "gender", "permanent_address", "current_address", "household"]
        assert row.consent_at is not None and "Đồng ý" in row.statement
        assert row.snapshot["full_name"] == "Nguyễn Văn An"
        audit = AuditEntry.objects.get(action="registry.lookup")
        assert audit.actor == place["citizen"] and audit.after["citizen_id"] == AN

    @pytest.mark.parametrize(
        ("kwargs", "code"),
        [
            ({"consent": False}, "consent_required"),
            ({"citizen_id": "999090001234"}, "invalid_id_number"),  # no such province of birth
            ({"citizen_id": "033290001234"}, "invalid_id_number"),  # born in 2090
            ({"citizen_id": "03309000123"}, "invalid_id_number"),  # 11 digits
            ({"citizen_id": "033195004321"}, "registry_not_own"),  # someone else's CCCD, online
        ],
    )
    def test_refused_before_any_call(self, registry_settings, population_registry, place, kwargs, code):
        arguments = {"actor": place["citizen"], "citizen_id": AN, "channel": "online", "purpose": "x", "consent": True}
        with pytest.raises(DomainError) as caught:
            registry_prefill(**{**arguments, **kwargs})
        assert caught.value.code == code
        assert population_registry.lookups() == []
        assert not RegistryConsent.objects.exists()

    def test_only_one_stop_officers_look_up_at_the_counter(self, registry_settings, population_registry, place):
        for actor in (place["monitor"], place["citizen"]):
            with pytest.raises(DomainError) as caught:
                registry_prefill(actor=actor, citizen_id=AN, channel="counter", purpose="x", consent=True)
            assert caught.value.code == "registry_not_reception"
        assert population_registry.lookups() == []

    def test_an_answer_for_another_person_creates_nothing(self, registry_settings, population_registry, place):
        population_registry.next_answer("other_person")
        with pytest.raises(DomainError) as caught:
            registry_prefill(actor=place["citizen"], citizen_id=AN, channel="online", purpose="x", consent=True)
        assert caught.value.code == "registry_wrong_person"
        assert not RegistryConsent.objects.exists()
        assert not AuditEntry.objects.filter(action="registry.lookup").exists()


class TestWizard:
    def _wizard(self, place) -> str:
        return f"/ho-so/nop/{place['procedure'].code}/?agency={place['agency'].code}"

    def test_without_consent_nothing_is_asked_and_nothing_prefilled(
        self, registry_settings, population_registry, place
    ):
        client = _client(place["citizen"])
        url = self._wizard(place)
        assert "Điền sẵn từ CSDL quốc gia về dân cư" in client.get(url).content.decode()
        response = client.post("/tai-khoan/vneid/dan-cu/dien-san/", {"next": url}, follow=True)
        assert "Cần sự đồng ý" in response.content.decode()
        assert population_registry.lookups() == []
        form = client.get(url).context["form"]
        assert form.initial["full_name"] == "Nguyen Van An (go sai)"

    def test_with_consent_the_wizard_is_prefilled(self, registry_settings, population_registry, place):
        client = _client(place["citizen"])
        url = self._wizard(place)
        response = client.post(
            "/tai-khoan/vneid/dan-cu/dien-san/", {"next": url, "consent": "on", "purpose": "1.001193"}
        )
        assert response.status_code == 302 and response["Location"] == url
        assert [r["so_dinh_danh"] for r in population_registry.lookups()] == [AN]
        page = client.get(url)
        assert page.context["form"].initial["full_name"] == "Nguyễn Văn An"
        assert "Như Quỳnh" in page.context["form"].initial["address"]
        assert "HK033000123" in page.content.decode()  # the household shown
        assert RegistryConsent.objects.get().channel == "online"

    def test_permissions(self, registry_settings, population_registry, place):
        url = "/tai-khoan/vneid/dan-cu/dien-san/"
        anonymous = Client().post(url, {"consent": "on"})
        assert anonymous.status_code == 302 and anonymous["Location"].startswith("/tai-khoan/dang-nhap/")
        assert _client(place["reception"]).post(url, {"consent": "on"}).status_code == 403
        assert _client(place["citizen"]).get(url).status_code == 405
        business = CitizenFactory(username="nocccd", id_number=None)
        assert _client(business).post(url, {"consent": "on"}).status_code == 403
        assert population_registry.lookups() == []


class TestCounter:
    def _counter(self, place) -> str:
        return f"/mot-cua/tiep-nhan/?procedure={place['procedure'].code}"

    def test_officer_prefills_and_sees_the_mismatch(self, registry_settings, population_registry, place):
        client = _client(place["reception"])
        url = self._counter(place)
        response = client.post(
            "/tai-khoan/vneid/dan-cu/mot-cua/", {"citizen_id": AN, "consent": "on", "next": url, "purpose": "1.001193"}
        )
        assert response.status_code == 302 and response["Location"] == url
        page = client.get(url)
        assert page.context["form"].initial["full_name"] == "Nguyễn Văn An"
        assert page.context["form"].initial["id_number"] == AN
        consent = RegistryConsent.objects.get()
        assert consent.channel == "counter" and consent.recorded_by == place["reception"]
        docs = list(place["procedure"].required_documents.order_by("order"))
        created = client.post(
            url,
            {
                "full_name": "Nguyễn Văn Ân",  # typed differently from the registry
                "id_number": AN,
                "address": "thôn Như Quỳnh, thị trấn Như Quỳnh, huyện Văn Lâm, tỉnh Hưng Yên",
                "f_child_name": "Nguyễn Văn Bé",
                "f_birth_date": "2024-03-01",
                f"received_{docs[0].pk}": "on",
                f"received_{docs[1].pk}": "on",
                "accept": "on",
            },
            follow=True,
        )
        page = created.content.decode()
        assert created.redirect_chain, page[page.find("<main") :][:3000]
        assert "khác CSDL dân cư" in page
        assert 'data-mismatch="full_name"' in page and 'data-mismatch="address"' not in page

    def test_without_consent_no_lookup(self, registry_settings, population_registry, place):
        client = _client(place["reception"])
        response = client.post(
            "/tai-khoan/vneid/dan-cu/mot-cua/", {"citizen_id": AN, "next": self._counter(place)}, follow=True
        )
        assert "Cần sự đồng ý" in response.content.decode()
        assert population_registry.lookups() == []

    def test_wrong_structure_cccd_is_refused_before_any_call(self, registry_settings, population_registry, place):
        client = _client(place["reception"])
        response = client.post(
            "/tai-khoan/vneid/dan-cu/mot-cua/",
            {"citizen_id": "033490001234", "consent": "on", "next": self._counter(place)},
            follow=True,
        )
        assert "năm sinh" in response.content.decode()
        assert population_registry.lookups() == []

    def test_permissions(self, registry_settings, population_registry, place):
        url = "/tai-khoan/vneid/dan-cu/mot-cua/"
        data = {"citizen_id": AN, "consent": "on"}
        assert _client(place["citizen"]).post(url, data).status_code == 403
        assert _client(place["monitor"]).post(url, data).status_code == 302  # back, with the refusal as a message
        assert not RegistryConsent.objects.exists()
        assert Client().post(url, data).status_code == 302
        assert population_registry.lookups() == []


def test_mismatch_rules():
    from dichvucong.identity.prefill import mismatches

    registry = {"full_name": "Nguyễn Văn An", "permanent_address": "xã A, huyện B", "current_address": "phường C"}
    assert mismatches(registry, {"full_name": "  nguyễn  văn an ", "address": "Xã A,  huyện B"}) == []
    assert mismatches(registry, {"full_name": "Nguyễn Văn An", "address": "phường C"}) == []
    found = mismatches(registry, {"full_name": "Nguyễn Văn Ân", "address": "xã D"})
    assert [m["field"] for m in found] == ["full_name", "address"]
    assert found[0]["typed"] == "Nguyễn Văn Ân" and found[0]["registry"] == "Nguyễn Văn An"
