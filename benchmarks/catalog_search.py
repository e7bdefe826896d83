"""Benchmark (a): catalogue search `GET /api/v1/procedures/?q=dang ky khai sinh` at several catalogue sizes.

Side by side, in the same loop: the API endpoint through the Django test Client (middleware, DRF, pagination,
serialisation), a bare Django view returning a constant JSON (framework floor), a DRF APIView returning the same
constant (DRF floor), and the same search written by hand and run through a raw DB-API connection (database
floor: the COUNT and the ranked first page, as the endpoint does).

    .venv/bin/python benchmarks/catalog_search.py --sizes 1000,10000,100000
    .venv/bin/python benchmarks/catalog_search.py --database-url sqlite:///var/bench.sqlite3 --sizes 1000,10000
"""

import datetime
import random
from decimal import Decimal

import _harness as h

QUERY = "dang ky khai sinh"

VERBS = [
    "Đăng ký",
    "Đăng ký lại",
    "Cấp",
    "Cấp lại",
    "Cấp đổi",
    "Gia hạn",
    "Điều chỉnh",
    "Thu hồi",
    "Chứng thực",
    "Xác nhận",
    "Thẩm định",
    "Phê duyệt",
    "Công nhận",
    "Cấp bản sao",
    "Trích lục",
    "Sửa đổi, bổ sung",
    "Đăng ký biến động",
    "Thông báo",
    "Chuyển đổi",
    "Hủy bỏ",
]
OBJECTS = [
    "khai sinh",
    "kết hôn",
    "khai tử",
    "nhận cha, mẹ, con",
    "giám hộ",
    "thay đổi, cải chính hộ tịch",
    "giấy phép xây dựng",
    "giấy chứng nhận quyền sử dụng đất",
    "giấy phép kinh doanh",
    "hộ kinh doanh",
    "giấy phép lái xe",
    "chứng chỉ hành nghề",
    "bản sao từ bản chính",
    "chữ ký",
    "hợp đồng, giao dịch",
    "giấy chứng nhận đủ điều kiện an toàn thực phẩm",
    "giấy phép môi trường",
    "đề án bảo vệ môi trường",
    "giấy phép khai thác nước dưới đất",
    "hỗ trợ học tập",
    "trợ cấp xã hội hằng tháng",
    "thẻ bảo hiểm y tế",
    "người có công",
    "liệt sĩ",
    "giấy phép hoạt động giáo dục",
    "trường mầm non tư thục",
    "di tích",
    "lễ hội",
    "câu lạc bộ thể thao",
    "giấy phép bán lẻ rượu",
    "giấy phép bán lẻ thuốc lá",
    "cửa hàng xăng dầu",
    "hợp tác xã",
    "tổ hợp tác",
    "quỹ từ thiện",
    "hội cơ sở",
    "tín ngưỡng",
    "sinh hoạt tôn giáo tập trung",
    "nuôi con nuôi",
    "quốc tịch",
    "lý lịch tư pháp",
    "thủy sản",
    "giống cây trồng",
    "thú y",
    "phân bón",
    "phương tiện thủy nội địa",
    "biển số xe",
    "đăng kiểm",
    "nhà ở",
    "quy hoạch chi tiết",
    "đấu thầu",
    "thành lập doanh nghiệp",
    "chi nhánh",
    "văn phòng đại diện",
    "khai sinh cho trẻ em bị bỏ rơi",
    "khai sinh kết hợp nhận cha, mẹ, con",
    "khai tử lưu động",
    "kết hôn có yếu tố nước ngoài",
    "khai sinh có yếu tố nước ngoài",
    "giấy xác nhận tình trạng hôn nhân",
]
QUALIFIERS = [
    "",
    "",
    "",
    "",
    " có yếu tố nước ngoài",
    " lưu động",
    " trực tuyến",
    " cho người nước ngoài",
    " tại Việt Nam",
    " cho hộ gia đình, cá nhân",
    " cho tổ chức",
    " (trường hợp bị mất, hư hỏng)",
    " liên thông",
    " cấp huyện",
    " cấp xã",
    " cấp tỉnh",
    " theo Nghị định 123/2015/NĐ-CP",
    " đối với dự án đầu tư",
    " thuộc thẩm quyền của UBND cấp huyện",
    " trong khu công nghiệp",
]
FIELDS = [
    "Hộ tịch",
    "Chứng thực",
    "Đất đai",
    "Xây dựng",
    "Kinh tế hợp tác",
    "Thành lập và hoạt động doanh nghiệp",
    "Môi trường",
    "Tài nguyên nước",
    "Giáo dục và Đào tạo",
    "Bảo trợ xã hội",
    "Người có công",
    "Văn hóa",
    "Thể dục thể thao",
    "Lưu thông hàng hóa",
    "Tôn giáo",
    "Nuôi con nuôi",
    "Quốc tịch",
    "Lý lịch tư pháp",
    "Thủy sản",
    "Trồng trọt",
    "Thú y",
    "Đường thủy nội địa",
    "Đường bộ",
    "Nhà ở",
    "Quy hoạch",
    "Đấu thầu",
    "An toàn thực phẩm",
    "Y tế dự phòng",
    "Dược phẩm",
    "Khám bệnh, chữa bệnh",
    "Lao động",
    "Việc làm",
    "Thuế",
    "Hải quan",
    "Điện",
    "Viễn thông",
    "Báo chí",
    "Xuất bản",
    "Du lịch",
    "Khoa học công nghệ",
]
TIERS = [",province,", ",district,", ",commune,", ",district,commune,"]
DESCRIPTION = (
    "Bước 1: Người yêu cầu nộp hồ sơ tại Bộ phận tiếp nhận và trả kết quả hoặc nộp trực tuyến qua Cổng "
    "Dịch vụ công. Bước 2: Cán bộ tiếp nhận kiểm tra tính đầy đủ, hợp lệ của hồ sơ; trường hợp hồ sơ "
    "chưa đầy đủ thì hướng dẫn bổ sung theo Mẫu 02. Bước 3: Chuyển hồ sơ đến bộ phận chuyên môn giải "
    "quyết. Bước 4: Trả kết quả cho người yêu cầu theo ngày hẹn trên Phiếu tiếp nhận (Mẫu 01)."
)
LEGAL = "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP; Thông tư 04/2020/TT-BTP; Nghị định 61/2018/NĐ-CP."


def grow_catalogue(target: int, rng: random.Random) -> float:
    """Add procedures until the catalogue holds `target` rows (bulk_create); returns seconds spent."""
    from dichvucong.catalog.models import Field, Procedure, online_mode_for_level

    with h.Timer() as timer:
        if not Field.objects.exists():
            Field.objects.bulk_create([Field(code=f"F{i:03d}", name=name) for i, name in enumerate(FIELDS)])
        fields = list(Field.objects.order_by("id"))
        start = Procedure.objects.count()
        batch = []
        for i in range(start, target):
            name = f"{rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(QUALIFIERS)}"
            field = fields[i % len(fields)]
            level = rng.choice([2, 3, 3, 4, 4, 4])
            p = Procedure(
                code=f"{1 + i // 1_000_000}.{i % 1_000_000:06d}",
                name=name,
                field=field,
                tiers=rng.choice(TIERS),
                description=DESCRIPTION,
                legal_basis=LEGAL,
                processing_days=Decimal(rng.choice(["0.5", "1", "3", "5", "10", "15", "20"])),
                result_description="Giấy chứng nhận / văn bản chấp thuận.",
                online_level=level,
                online_mode=online_mode_for_level(level),
                applicant_types=",citizen,",
                valid_from=datetime.date(2021, 1, 1),
                form_schema=[],
            )
            p.refresh_search_text(field.name)
            batch.append(p)
            if len(batch) == 5000:
                Procedure.objects.bulk_create(batch)
                batch = []
        if batch:
            Procedure.objects.bulk_create(batch)
        h.analyze()
    return timer.seconds


def raw_search(raw: "h.Raw", q: str):
    """The endpoint's search written by hand: every folded word as a substring, ranked, COUNT + first page."""
    from dichvucong.common.search import fold_text, fold_words

    today = datetime.date.today().isoformat()
    words = fold_words(q)
    phrase = fold_text(q)
    where = "p.valid_from <= %s AND (p.valid_to IS NULL OR p.valid_to >= %s) AND " + " AND ".join(
        "p.search_text LIKE %s" for _ in words
    )
    params = [today, today, *[f"%{w}%" for w in words]]
    total = raw.fetchone(f"SELECT count(*) FROM catalog_procedure p WHERE {where}", params)[0]  # noqa: S608
    rank = (
        "CASE WHEN p.code = %s THEN 5 WHEN p.search_name = %s THEN 4 WHEN p.search_name LIKE %s THEN 3 "
        "WHEN p.search_name LIKE %s THEN 2 ELSE 1 END"
    )
    rank_params = [q.strip(), phrase, f"{phrase}%", f"%{phrase}%"]
    similarity = "word_similarity(%s, p.search_name) DESC, " if raw.vendor == "postgresql" else ""
    sim_params = [phrase] if raw.vendor == "postgresql" else []
    rows = raw.fetchall(
        f"SELECT p.code, p.uuid, p.name, f.code, f.name, p.tiers, p.online_level, p.online_mode, p.processing_days "  # noqa: S608
        f"FROM catalog_procedure p JOIN catalog_field f ON f.id = p.field_id WHERE {where} "
        f"ORDER BY {rank} DESC, {similarity}length(p.search_name), p.code LIMIT 20",
        [*params, *rank_params, *sim_params],
    )
    return total, rows


def main() -> None:
    args = h.parse_args(__doc__.splitlines()[0], "1000,10000,100000")
    vendor = h.setup(args)
    from django.test import Client

    raw = h.Raw(args.database_url)
    report = h.Report("catalog_search", vendor, raw)
    h.reset_tables("catalog_procedure", "catalog_field")
    rng = random.Random(42)
    client = Client()
    url = f"/api/v1/procedures/?q={QUERY.replace(' ', '+')}"
    rows, plans = [], []
    for size in args.size_list:
        seconds = grow_catalogue(size, rng)
        response = h.check_response(client.get(url))
        matches = response.json()["count"]
        total, _ = raw_search(raw, QUERY)
        assert total == matches, (total, matches)
        queries, sqls = h.count_queries(lambda: client.get(url))
        sides = [
            h.Side("api", lambda: client.get(url)),
            h.Side("django_floor", lambda: client.get("/bench/floor/")),
            h.Side("drf_floor", lambda: client.get("/bench/drf-floor/")),
            h.Side("raw_sql", lambda: raw_search(raw, QUERY)),
        ]
        r = h.run_interleaved(sides, requests=args.requests, warmup=args.warmup)
        api, floor, drf, sql = r["api"], r["django_floor"], r["drf_floor"], r["raw_sql"]
        print(f"size {size}: generated in {seconds:.1f}s, {matches} matches, api {api['median']:.2f} ms", flush=True)
        rows.append(
            [
                f"{size:,}",
                f"{matches:,}",
                h.fmt(api["median"]),
                h.fmt(api["p95"]),
                str(queries),
                h.fmt(floor["median"]),
                h.fmt(drf["median"]),
                h.fmt(sql["median"]),
                h.fmt(sql["p95"]),
                h.ratio(api["median"], floor["median"]),
                h.ratio(api["median"], sql["median"]),
                h.fmt(api["median"] - sql["median"]),
                f"{seconds:.1f}",
            ]
        )
        if size == args.size_list[-1]:
            plans = [
                (f"Endpoint query {i + 1} of {len(sqls)} at {size:,} procedures", raw.explain(sql_text))
                for i, sql_text in enumerate(sqls)
            ]
    report.text(
        f"`GET {url}`, {args.requests} timed requests per side (after {args.warmup} warm-up), "
        "Django test Client in-process, times in ms.",
        "",
    )
    report.table(
        [
            "procedures",
            "matches",
            "API median",
            "API p95",
            "SQL/request",
            "Django floor",
            "DRF floor",
            "raw SQL median",
            "raw SQL p95",
            "API ÷ Django floor",
            "API ÷ raw SQL",
            "API − raw SQL (ms)",
            "data load (s)",
        ],
        rows,
    )
    for title, plan in plans:
        report.plan(title, plan)
    report.save()
    raw.close()


if __name__ == "__main__":
    main()
