"""Prefill of the applicant's data from the population registry, and the typed-versus-registry comparison.

After `services.registry_prefill`, the answer waits in the session (server side) until the form is shown: the
citizen's wizard under "online", the officer's counter form under "counter". The officer sees a mismatch between what
was typed and the registry (`mismatches`) on the counter page after reception and on the dossier's page
(`selectors.registry_check`).
"""

import re
import unicodedata

from django.utils.translation import gettext_lazy as _

SESSION_KEY = "registry_prefill"
COMPARED = {"full_name": _("Họ và tên"), "address": _("Địa chỉ")}


def remember(session, slot: str, *, consent, record) -> None:
    data = dict(session.get(SESSION_KEY) or {})
    data[slot] = {
        "consent": str(consent.uuid),
        "citizen_id": record.citizen_id,
        "values": record.values(consent.fields),
    }
    session[SESSION_KEY] = data


def remembered(session, slot: str, *, citizen_id: str | None = None) -> dict | None:
    entry = (session.get(SESSION_KEY) or {}).get(slot)
    if entry is None or (citizen_id is not None and entry["citizen_id"] != citizen_id):
        return None
    return entry


def forget(session, slot: str) -> None:
    data = dict(session.get(SESSION_KEY) or {})
    if data.pop(slot, None) is not None:
        session[SESSION_KEY] = data


def applicant_initial(entry: dict | None) -> dict:
    """The applicant fields of the dossier forms, filled from a remembered answer."""
    if not entry:
        return {}
    values = entry["values"]
    initial = {"id_number": entry["citizen_id"]}
    if values.get("full_name"):
        initial["full_name"] = values["full_name"]
    address = values.get("current_address") or values.get("permanent_address")
    if address:
        initial["address"] = address
    return initial


def _normal(value: str) -> str:
    """Case, spaces and punctuation aside — but not accents: «Ân» and «An» are different names."""
    value = unicodedata.normalize("NFC", value or "").casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", value).split())


def _same(a: str, b: str) -> bool:
    return _normal(a) == _normal(b)


def mismatches(registry_values: dict, typed: dict) -> list[dict]:
    """[{field, label, typed, registry}] where the typed applicant data differ from the registry's (case, spaces and
    punctuation aside; accents count). An address matches if it is the permanent or the current one."""
    found = []
    name = registry_values.get("full_name")
    if name and not _same(typed.get("full_name", ""), name):
        found.append(
            {
                "field": "full_name",
                "label": COMPARED["full_name"],
                "typed": typed.get("full_name", ""),
                "registry": name,
            }
        )
    addresses = [registry_values.get(k) for k in ("current_address", "permanent_address") if registry_values.get(k)]
    typed_address = typed.get("address", "")
    if addresses and typed_address and not any(_same(typed_address, a) for a in addresses):
        found.append(
            {"field": "address", "label": COMPARED["address"], "typed": typed_address, "registry": addresses[0]}
        )
    return found
