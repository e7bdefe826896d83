"""Idempotent demo content: a few guides, per-procedure FAQ and news with publication dates."""

import datetime

from django.utils import timezone

from dichvucong.catalog.models import Procedure

from .models import ContentPage
from .services import content_save

DEMO_ACTOR = "demo-loader"

PAGES = [
    {
        "kind": "guide",
        "slug": "nop-ho-so-truc-tuyen-tung-buoc",
        "title": "Nộp hồ sơ trực tuyến từng bước",
        "summary": "Đăng nhập, chọn thủ tục, khai biểu mẫu, đính kèm giấy tờ, nộp phí và nhận kết quả.",
        "body": (
            "## Trước khi bắt đầu\n\n- Tài khoản trên Cổng (hoặc tài khoản định danh điện tử).\n"
            "- Ảnh chụp hoặc bản quét rõ nét các giấy tờ.\n\n## Các bước\n\n1. Tìm thủ tục bằng ô **Bạn cần làm gì?**\n"
            "2. Bấm *Nộp hồ sơ*, khai biểu mẫu điện tử.\n3. Đính kèm giấy tờ, kiểm tra và nộp.\n"
            "4. Nhận mã hồ sơ và ngày hẹn trả; theo dõi tại *Tra cứu hồ sơ*.\n"
        ),
        "published_on": "2021-03-01",
    },
    {
        "kind": "guide",
        "slug": "sinh-con-can-lam-gi",
        "title": "Sinh con: khai sinh, thường trú, thẻ bảo hiểm y tế trong một lần",
        "summary": "Các thủ tục cho trẻ mới sinh và thứ tự nên làm.",
        "body": (
            "Trong 60 ngày kể từ ngày sinh, cha hoặc mẹ đăng ký khai sinh cho con tại UBND cấp xã nơi cư trú. "
            "Có thể làm **liên thông** khai sinh – đăng ký thường trú – cấp thẻ bảo hiểm y tế cho trẻ dưới 6 tuổi.\n\n"
            "Xem thêm: [Đăng ký khai sinh](/thu-tuc/1.001193/)."
        ),
        "procedure_code": "1.001193",
        "published_on": "2021-04-15",
    },
    {
        "kind": "faq",
        "slug": "khai-sinh-qua-han-60-ngay",
        "title": "Quá 60 ngày mới đi khai sinh cho con có bị phạt không?",
        "body": (
            "Quá thời hạn vẫn đăng ký khai sinh được; cơ quan đăng ký có thể nhắc nhở. Mang giấy chứng sinh "
            "(hoặc văn bản xác nhận của người làm chứng) và giấy tờ tùy thân của người đi đăng ký."
        ),
        "procedure_code": "1.001193",
        "published_on": "2021-05-10",
    },
    {
        "kind": "faq",
        "slug": "ly-lich-tu-phap-so-1-va-so-2",
        "title": "Phiếu lý lịch tư pháp số 1 và số 2 khác nhau thế nào?",
        "body": (
            "Phiếu số 1 cấp cho cá nhân, cơ quan, tổ chức theo yêu cầu; phiếu số 2 cấp cho cơ quan tiến hành tố tụng "
            "hoặc theo yêu cầu của chính cá nhân để biết nội dung lý lịch tư pháp của mình."
        ),
        "procedure_code": "3.000333",
        "published_on": "2021-06-01",
    },
    {
        "kind": "news",
        "slug": "nang-cap-dich-vu-cong-truc-tuyen-toan-trinh-2021",
        "title": "Nâng cấp thêm thủ tục lên dịch vụ công trực tuyến toàn trình",
        "summary": "Từ ngày 05/8/2021 thêm thủ tục được nộp và nhận kết quả hoàn toàn trực tuyến.",
        "body": "Theo quyết định công bố của UBND tỉnh, từ ngày 05/8/2021 người dân có thể nộp trực tuyến toàn trình.",
        "published_on": "2021-08-05",
    },
]


def load_demo(agencies: dict) -> None:
    existing = set(ContentPage.objects.values_list("slug", flat=True))
    codes = set(Procedure.objects.values_list("code", flat=True))
    for spec in PAGES:
        if spec["slug"] in existing or (spec.get("procedure_code") and spec["procedure_code"] not in codes):
            continue
        day = datetime.date.fromisoformat(spec["published_on"])
        content_save(
            actor=DEMO_ACTOR,
            kind=spec["kind"],
            slug=spec["slug"],
            title=spec["title"],
            summary=spec.get("summary", ""),
            body=spec["body"],
            procedure_code=spec.get("procedure_code", ""),
            published=True,
            published_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 0))),
        )
