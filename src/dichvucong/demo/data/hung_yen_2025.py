"""Hưng Yên as reorganised in 2025 (two tiers), for `manage.py demo_reorganise_2025`.

- Departments merged from 1/3/2025 (Kết luận 121-KL/TW, Nghị quyết of the provincial People's Council on the
  departments): Kế hoạch và Đầu tư into Tài chính, Giao thông vận tải into Xây dựng, Tài nguyên và Môi trường with
  Nông nghiệp (Sở Nông nghiệp và Môi trường), Lao động - Thương binh và Xã hội into Nội vụ, Thông tin và Truyền
  thông into Khoa học và Công nghệ.
- From 1/7/2025 (Nghị quyết 202/2025/QH15, Nghị quyết 1666/NQ-UBTVQH15): Hưng Yên and Thái Bình form one province
  named Hưng Yên, with 104 commune-level units (93 xã, 11 phường; `hung_yen_2025_communes.csv`, sources recorded
  there) and no district tier; one-stop work follows Nghị định 118/2025/NĐ-CP.

What is the demo's own assumption (marked so, to be checked against the resolutions before any real use): which of
the 2021 demo communes (Văn Lâm, Văn Giang) went into which 2025 commune, and which 2025 commune takes each
district's remaining work (the commune of the former district seat); the QCVN 102 codes of the new communes
(`000.ZZ.YY.H31` with Y1Y2 = 60-61, a block the demo reserves for communes under the province).
"""

import csv
from pathlib import Path

from .hung_yen_2021 import commune_code

PROVINCE_CODE = "000.00.00.H31"
LEGAL_BASIS = (
    "Nghị quyết 202/2025/QH15 ngày 12/6/2025 của Quốc hội về sắp xếp đơn vị hành chính cấp tỉnh; Nghị quyết "
    "1666/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội về sắp xếp đơn vị hành chính cấp xã của tỉnh Hưng "
    "Yên; Nghị định 118/2025/NĐ-CP ngày 09/6/2025 về thực hiện thủ tục hành chính theo cơ chế một cửa, một cửa liên "
    "thông; Nghị quyết của HĐND tỉnh về thành lập, tổ chức lại các sở (2025)"
)
TITLE = "Sắp xếp tổ chức bộ máy và đơn vị hành chính tỉnh Hưng Yên năm 2025"

_CSV = Path(__file__).with_name("hung_yen_2025_communes.csv")


def communes_2025() -> list[dict]:
    """`[{"gso_code", "kind" (xa|phuong), "name", "full_name", "agency_code"}]` in national-code order."""
    with _CSV.open(encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(line for line in handle if not line.startswith("#"))]
    result = []
    for index, row in enumerate(sorted(rows, key=lambda r: r["gso_code"]), start=1):
        prefix = "phường" if row["kind"] == "phuong" else "xã"
        result.append(
            {
                **row,
                "full_name": f"Ủy ban nhân dân {prefix} {row['name']}",
                "short_name": row["name"],
                "agency_code": commune_agency_code(index),
            }
        )
    return result


def commune_agency_code(index: int) -> str:
    """The demo's QCVN 102 code of the `index`-th (1-based) 2025 commune: Y1Y2 60 for 1-99, 61 after."""
    block, number = divmod(index - 1, 99)
    return f"000.{number + 1:02d}.{60 + block:02d}.H31"


# (sources, target code, new name or None): department mergers, into the department that stays.
DEPARTMENT_MERGERS = [
    (["000.00.05.H31"], "000.00.06.H31", None),  # Kế hoạch và Đầu tư → Tài chính
    (["000.00.09.H31"], "000.00.10.H31", None),  # Giao thông vận tải → Xây dựng
    (["000.00.11.H31"], "000.00.08.H31", ("Sở Nông nghiệp và Môi trường tỉnh Hưng Yên", "Sở NN&MT")),
    (["000.00.13.H31"], "000.00.03.H31", None),  # Lao động - Thương binh và Xã hội → Nội vụ
    (["000.00.12.H31"], "000.00.15.H31", None),  # Thông tin và Truyền thông → Khoa học và Công nghệ
]

# 2021 demo communes (district code, 1-based index in hung_yen_2021.COMMUNES) → 2025 commune name. Demo assumption.
COMMUNE_MERGERS = {
    "Như Quỳnh": [("000.00.23.H31", i) for i in (1, 6, 10)],  # TT Như Quỳnh, Tân Quang, Trưng Trắc
    "Lạc Đạo": [("000.00.23.H31", i) for i in (2, 3, 7, 8)],  # Lạc Đạo, Chỉ Đạo, Đình Dù, Minh Hải
    "Đại Đồng": [("000.00.23.H31", i) for i in (4, 5, 9, 11)],  # Đại Đồng, Việt Hưng, Lương Tài, Lạc Hồng
    "Văn Giang": [("000.00.24.H31", i) for i in (1, 6, 7)],  # TT Văn Giang, Liên Nghĩa, Tân Tiến
    "Phụng Công": [("000.00.24.H31", i) for i in (2, 3, 4)],  # Phụng Công, Xuân Quan, Cửu Cao
    "Nghĩa Trụ": [("000.00.24.H31", i) for i in (5, 10, 11)],  # Long Hưng, Vĩnh Khúc, Nghĩa Trụ
    "Mễ Sở": [("000.00.24.H31", i) for i in (8, 9)],  # Thắng Lợi, Mễ Sở
}

# 2021 district-level unit → the 2025 commune of its former seat, which takes its remaining work. Demo assumption.
DISTRICT_SUCCESSORS = {
    "000.00.21.H31": "Phố Hiến",
    "000.00.22.H31": "Mỹ Hào",
    "000.00.23.H31": "Như Quỳnh",
    "000.00.24.H31": "Văn Giang",
    "000.00.25.H31": "Yên Mỹ",
    "000.00.26.H31": "Khoái Châu",
    "000.00.27.H31": "Ân Thi",
    "000.00.28.H31": "Lương Bằng",
    "000.00.29.H31": "Tống Trân",
    "000.00.30.H31": "Tiên Lữ",
}


def plan_operations() -> list[dict]:
    """The 2025 plan as operations of `dichvucong.reorg` (see reorg/spec.py)."""
    communes = {row["name"]: row for row in communes_2025()}
    operations = []
    for sources, target, rename in DEPARTMENT_MERGERS:
        spec_target = {"code": target}
        if rename:
            spec_target.update(name=rename[0], short_name=rename[1])
        operations.append({"kind": "merge", "spec": {"sources": sources, "target": spec_target}})
    for name, row in communes.items():
        target = {
            "code": row["agency_code"],
            "name": row["full_name"],
            "short_name": row["short_name"],
            "kind": "peoples_committee",
            "tier": "commune",
            "parent": PROVINCE_CODE,
        }
        olds = COMMUNE_MERGERS.get(name)
        if olds:
            sources = [commune_code(district, index) for district, index in olds]
            operations.append({"kind": "merge", "spec": {"sources": sources, "target": target}})
        else:
            operations.append({"kind": "create", "spec": {"target": target}})
    operations.append(
        {
            "kind": "abolish_tier",
            "spec": {
                "tier": "district",
                "parent": PROVINCE_CODE,
                "successors": {
                    district: communes[name]["agency_code"] for district, name in DISTRICT_SUCCESSORS.items()
                },
                # NĐ 118/2025 and the 2025 decentralisation decrees: the district tier's procedures go to the communes.
                "procedures": {},
                "default": "commune",
                "vocabulary_2025": True,
            },
        }
    )
    return operations
