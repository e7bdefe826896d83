from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.decorators import staff_required
from dichvucong.accounts.roles import PROVINCE_ROLES, Role
from dichvucong.accounts.selectors import user_role_assignments, user_roles_by_agency
from dichvucong.workflows import desk

HANDLING = {Role.RECEPTION, Role.SPECIALIST, Role.DIVISION_HEAD, Role.LEADER, Role.CLERK}
ANY_AGENCY_ROLE = HANDLING | {Role.AGENCY_ADMIN}

#: (url name, label, description, roles that use it; None = every officer). Order: the daily work first.
LINKS = [
    (
        "workflows:queue",
        _("Công việc của tôi"),
        _("Hồ sơ đến lượt bạn xử lý, đến hạn hôm nay, quá hạn; tải công việc của đơn vị."),
        HANDLING,
    ),
    (
        "dossiers:counter",
        _("Tiếp nhận hồ sơ trực tiếp"),
        _("Bộ phận một cửa: tiếp nhận, kiểm tra, in giấy tiếp nhận và hẹn trả (Mẫu 01)."),
        {Role.RECEPTION},
    ),
    (
        "dossiers:assisted",
        _("Nộp trực tuyến thay công dân"),
        _("Hỗ trợ công dân nộp hồ sơ trực tuyến bằng tài khoản của họ."),
        {Role.RECEPTION},
    ),
    (
        "dossiers:office-list",
        _("Hồ sơ của cơ quan"),
        _("Tra cứu, lọc hồ sơ (sắp đến hạn, quá hạn), thao tác, sổ theo dõi hồ sơ (Mẫu 06)."),
        ANY_AGENCY_ROLE | PROVINCE_ROLES,
    ),
    (
        "workflows:process-list",
        _("Quy trình nội bộ"),
        _("Quy trình giải quyết từng thủ tục: sơ đồ, phiên bản, trình và phê duyệt."),
        {Role.DIVISION_HEAD, Role.LEADER, Role.AGENCY_ADMIN} | PROVINCE_ROLES,
    ),
    (
        "catalog:change-requests",
        _("Đề nghị sửa đổi danh mục thủ tục"),
        _("Đề nghị công bố, sửa đổi, bãi bỏ thủ tục hành chính và thời hạn xử lý."),
        {Role.LEADER, Role.AGENCY_ADMIN} | PROVINCE_ROLES,
    ),
    (
        "payments:reconciliation",
        _("Đối soát thanh toán"),
        _("Đối chiếu giao dịch phí, lệ phí với tệp quyết toán của nền tảng thanh toán; xuất Excel cho Kho bạc."),
        {Role.LEADER, Role.AGENCY_ADMIN, Role.RECEPTION, Role.PROVINCE_ADMIN},
    ),
    (
        "guidance:survey-results",
        _("Khảo sát người dân"),
        _("Vì sao người dân chưa nộp trực tuyến: số phiếu theo lý do, theo thủ tục, góp ý mới nhất."),
        PROVINCE_ROLES,
    ),
    (
        "guidance:content-list",
        _("Hướng dẫn, hỏi đáp, tin tức"),
        _("Viết và đăng hướng dẫn, câu hỏi thường gặp của từng thủ tục, tin tức."),
        {Role.PROVINCE_ADMIN},
    ),
    (
        "integrations:outbox",
        _("Kết nối hệ thống ngoài"),
        _("Đồng bộ Cổng Dịch vụ công quốc gia, thư điện tử, SMS, webhook: tồn đọng, lỗi, gửi lại; mẫu thông báo."),
        {Role.PROVINCE_ADMIN},
    ),
    (
        "integrations:webhooks",
        _("Webhook của cơ quan"),
        _("Hệ thống khác nhận sự kiện hồ sơ của cơ quan (ký HMAC), các lần gửi và thử lại."),
        {Role.AGENCY_ADMIN, Role.PROVINCE_ADMIN},
    ),
    (
        "reorg:plan-list",
        _("Sắp xếp tổ chức bộ máy"),
        _("Phương án sáp nhập, chia tách, bỏ cấp huyện: xem trước hồ sơ, thủ tục, cán bộ chuyển; phê duyệt, áp dụng."),
        {Role.PROVINCE_ADMIN},
    ),
    (
        "signing:verify",
        _("Kiểm tra chữ ký số"),
        _("Kiểm tra văn bản điện tử: chữ ký còn nguyên vẹn, người ký, thời điểm ký, chứng thư tin cậy."),
        None,
    ),
    ("catalog:list", _("Danh mục thủ tục hành chính"), _("Tra cứu thủ tục, thành phần hồ sơ, phí, lệ phí."), None),
]


def links_for(user) -> list[dict]:
    """The back-office pages `user`'s roles use, with their addresses (pages not installed are left out)."""
    roles = {assignment.role for assignment in user_role_assignments(user)}
    result = []
    for name, label, description, wanted in LINKS:
        if wanted is not None and not roles & set(wanted):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        result.append({"name": name, "url": url, "label": label, "description": description})
    return result


def work_counts(user) -> list[dict] | None:
    """The desk work waiting for `user`, per kind, with the queue address filtered on that kind (handling roles;
    None for the others)."""
    if not {a.role for a in user_role_assignments(user)} & HANDLING:
        return None
    counts = desk.desk_counts(user)
    url = reverse("workflows:queue")
    return [
        {"kind": kind, "label": label, "count": counts[kind], "url": f"{url}?view=team&kind={kind}"}
        for kind, label in desk.KINDS
        if counts[kind]
    ]


@staff_required
def home(request):
    return render(
        request,
        "backoffice/home.html",
        {
            "roles_by_agency": user_roles_by_agency(request.user),
            "links": links_for(request.user),
            "work": work_counts(request.user),
        },
    )
