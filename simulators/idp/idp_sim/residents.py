"""The demo residents (simulators/residents.json): citizens sign in with their CCCD, businesses with their tax code."""

import json
import os
import uuid
from functools import cache
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "residents.json"
SUB_NAMESPACE = uuid.UUID("6f1b1f7e-4a53-4a8e-9d0b-6c1d2b1a7f10")


@cache
def load() -> dict:
    with open(os.environ.get("IDP_RESIDENTS", DEFAULT_FILE), encoding="utf-8") as handle:
        return json.load(handle)


def residents() -> dict[str, dict]:
    return {person["citizen_id"]: person for person in load()["residents"]}


def businesses() -> dict[str, dict]:
    return {business["tax_code"]: business for business in load()["businesses"]}


def subject(login: str) -> str:
    """A stable pairwise-looking subject identifier (not the CCCD itself), as the national provider issues."""
    return str(uuid.uuid5(SUB_NAMESPACE, login))


def claims_for(login: str) -> dict:
    """The identity claims of an account of the provider (username = CCCD or tax code)."""
    people, companies = residents(), businesses()
    if login in companies:
        company = companies[login]
        representative = people.get(company["representative_id"], {})
        return {
            "sub": subject(login),
            "account_type": "business",
            "tax_code": company["tax_code"],
            "organisation_name": company["organisation_name"],
            "name": representative.get("full_name", ""),
            "representative_citizen_id": company["representative_id"],
            "email": company.get("email", ""),
        }
    person = people[login]
    return {
        "sub": subject(login),
        "account_type": "citizen",
        "citizen_id": person["citizen_id"],
        "name": person["full_name"],
        "birthdate": person["birthdate"],
        "gender": person["gender"],
        "email": person.get("email", ""),
        "phone_number": person.get("phone", ""),
    }
