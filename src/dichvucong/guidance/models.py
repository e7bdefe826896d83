"""Guidance content (guides, per-procedure FAQ, news) edited by the province admin, and the outreach survey."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel

BODY_MAX_CHARS = 20000
COMMENT_MAX_CHARS = 1000


class ContentKind(models.TextChoices):
    GUIDE = "guide", _("Hướng dẫn")
    FAQ = "faq", _("Câu hỏi thường gặp")
    NEWS = "news", _("Tin tức")


class ContentPage(PublicIdModel):
    kind = models.CharField(_("loại"), max_length=10, choices=ContentKind.choices)
    slug = models.SlugField(_("địa chỉ"), max_length=120, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.CharField(_("tóm tắt"), max_length=500, blank=True)
    body = models.TextField(_("nội dung (Markdown)"), blank=True)
    # Rendered from `body` by the service and sanitised (nh3 allow-list): the only HTML a page ever shows.
    body_html = models.TextField(editable=False, blank=True)
    procedure_code = models.CharField(_("thủ tục liên quan"), max_length=30, blank=True, db_index=True)
    published = models.BooleanField(_("đã đăng"), default=False)
    published_at = models.DateTimeField(_("ngày đăng"), null=True, blank=True)
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["-published_at", "title"]
        verbose_name = _("trang nội dung")
        verbose_name_plural = _("trang nội dung")

    def __str__(self) -> str:
        return self.title


class SurveyReason(models.TextChoices):
    DID_NOT_KNOW = "did_not_know", _("Không biết có thể nộp trực tuyến")
    TOO_HARD = "too_hard", _("Nộp trực tuyến khó, nhiều bước")
    NO_ACCOUNT = "no_account", _("Không có tài khoản, chữ ký số hoặc VNeID")
    NO_SCAN = "no_scan", _("Không chụp, quét được giấy tờ")
    PREFER_DESK = "prefer_desk", _("Muốn gặp trực tiếp cán bộ")
    NOT_OFFERED = "not_offered", _("Thủ tục chưa nộp trực tuyến được")
    OTHER = "other", _("Lý do khác")


class SurveyResponse(TimestampedModel):
    """One answer to "why did you not submit online?" (no personal data: no account, no address)."""

    reason = models.CharField(_("lý do"), max_length=20, choices=SurveyReason.choices)
    comment = models.TextField(_("góp ý"), blank=True)
    procedure_code = models.CharField(_("thủ tục"), max_length=30, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phiếu khảo sát")
        verbose_name_plural = _("phiếu khảo sát")
