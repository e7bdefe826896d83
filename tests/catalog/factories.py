"""Catalogue test data written through `catalog_import` (the catalogue's one writing path: versions, audit rows)."""

import itertools

import factory

from dichvucong.catalog.models import Procedure
from dichvucong.catalog.services import catalog_import

_codes = itertools.count(1)

ONE_FEE = [{"name": "Lệ phí", "kind": "fixed", "amount": 10000, "max_amount": None, "notes": ""}]
ONE_DOCUMENT = [{"name": "Tờ khai", "originals": 1, "copies": 0, "mandatory": True}]


def procedure_record(
    code: str,
    name: str,
    *,
    tiers=("district",),
    level: int = 4,
    field: str = "ho-tich",
    agencies=(),
    valid_from: str = "2021-01-01",
    **extra,
) -> dict:
    """A valid procedure record (docs/catalog-format.md); tier templates unless `agencies` are given."""
    offerings = (
        [{"agency": code_, "tier": "", "online_level": level} for code_ in agencies]
        if agencies
        else [{"agency": None, "tier": tier, "online_level": level} for tier in tiers]
    )
    record = {
        "code": code,
        "name": name,
        "field_code": field,
        "field_name": "Hộ tịch",
        "tiers": list(tiers),
        "applicant_types": ["citizen"],
        "description": "Bước 1",
        "processing_days": "3",
        "processing_note": "",
        "legal_basis": "Luật Hộ tịch 2014",
        "result_description": "Giấy tờ",
        "conditions": "",
        "online_level": level,
        "online_mode": None,
        "form_schema": [],
        "source_url": "",
        "valid_from": valid_from,
        "valid_to": None,
        "required_documents": [dict(d) for d in ONE_DOCUMENT],
        "fees": [dict(f) for f in ONE_FEE],
        "offerings": [{**row, "valid_from": valid_from} for row in offerings],
    }
    record.update(extra)
    return record


def load_records(*records: dict) -> dict:
    return catalog_import(actor="test", records=[(str(i), r) for i, r in enumerate(records, start=1)])


class ProcedureFactory(factory.Factory):
    """A procedure imported through `catalog_import`, offered at `agencies` (codes) or by tier templates.

    `ProcedureFactory(agencies=[agency.code])`, `ProcedureFactory(free=True, level=2, days="7")`, documents and
    form fields: `documents=[{...}]`, `form_schema=[{...}]`; traits: `free` (no fee), `counter_only` (level 2)."""

    class Meta:
        model = Procedure

    code = factory.LazyFunction(lambda: f"9.{next(_codes):06d}")
    name = "Chứng thực bản sao từ bản chính"
    tiers = ("province", "district")
    agencies = ()
    level = 4
    days = "3"
    field = "ho-tich"
    fees = factory.LazyFunction(lambda: [dict(f) for f in ONE_FEE])
    documents = factory.LazyFunction(lambda: [dict(d) for d in ONE_DOCUMENT])
    form_schema = factory.LazyFunction(list)

    class Params:
        free = factory.Trait(fees=[])
        counter_only = factory.Trait(level=2)

    @classmethod
    def _create(
        cls, model_class, *, code, name, tiers, agencies, level, days, field, fees, documents, form_schema, **extra
    ):
        record = procedure_record(
            code,
            name,
            tiers=tiers,
            level=level,
            field=field,
            agencies=agencies,
            processing_days=str(days),
            fees=fees,
            required_documents=documents,
            form_schema=form_schema,
            **extra,
        )
        report = load_records(record)
        procedure = Procedure.objects.filter(code=code).first()
        assert procedure is not None, report
        return procedure

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise NotImplementedError("procedures are imported (create), not built")
