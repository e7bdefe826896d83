"""Ratings of finished dossiers and feedback (phản ánh, kiến nghị) about procedures and dossiers (issue 13 item 4)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import PublicIdModel, TimestampedModel

SCORE = [MinValueValidator(1), MaxValueValidator(5)]


class Rating(TimestampedModel):
    """A citizen's rating of a finished dossier: once, editable for `RATING_EDIT_DAYS` days."""

    dossier = models.OneToOneField("dossiers.Dossier", on_delete=models.CASCADE, related_name="rating")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    overall = models.PositiveSmallIntegerField(_("hài lòng chung"), validators=SCORE)
    timeliness = models.PositiveSmallIntegerField(_("thời gian giải quyết"), validators=SCORE)
    attitude = models.PositiveSmallIntegerField(_("thái độ cán bộ"), validators=SCORE)
    visits = models.PositiveSmallIntegerField(_("số lần phải đến cơ quan"), default=0)
    comment = models.TextField(_("ý kiến"), blank=True, max_length=2000)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("đánh giá")
        verbose_name_plural = _("đánh giá")
        constraints = [
            models.CheckConstraint(
                condition=Q(overall__gte=1, overall__lte=5)
                & Q(timeliness__gte=1, timeliness__lte=5)
                & Q(attitude__gte=1, attitude__lte=5),
                name="rating_scores_1_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id}: {self.overall}"


class FeedbackPolicy(models.Model):
    """One row: the answer deadline the province sets (working days from receipt)."""

    answer_working_days = models.PositiveSmallIntegerField(_("thời hạn trả lời (ngày làm việc)"), default=10)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quy định xử lý phản ánh, kiến nghị")
        verbose_name_plural = _("quy định xử lý phản ánh, kiến nghị")

    def __str__(self) -> str:
        return f"{self.answer_working_days}"


class Feedback(PublicIdModel):
    """A phản ánh or kiến nghị about a procedure or a dossier, routed to the agency concerned (Decree 20/2008)."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Phản ánh")
        PROPOSAL = "proposal", _("Kiến nghị")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang xử lý")
        ANSWERED = "answered", _("Đã trả lời")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("họ tên"), max_length=200)
    contact = models.CharField(_("điện thoại hoặc thư điện tử"), max_length=200)
    procedure = models.ForeignKey(
        "catalog.Procedure", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    dossier = models.ForeignKey("dossiers.Dossier", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    content = models.TextField(_("nội dung"), max_length=5000)
    publish_consent = models.BooleanField(_("đồng ý công khai"), default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    due_on = models.DateField(_("hạn trả lời"))
    answer = models.TextField(_("trả lời"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("phản ánh, kiến nghị")
        verbose_name_plural = _("phản ánh, kiến nghị")
        indexes = [models.Index(fields=["agency", "status", "-created_at"], name="feedback_agency_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uuid}"

    @property
    def published(self) -> bool:
        return self.publish_consent and self.status == self.Status.ANSWERED

    @property
    def answered_on_time(self) -> bool | None:
        if self.answered_at is None:
            return None
        return timezone.localtime(self.answered_at).date() <= self.due_on
