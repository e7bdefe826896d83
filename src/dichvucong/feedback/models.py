"""Ratings of finished dossiers and feedback (phản ánh, kiến nghị) about procedures and dossiers (issue 13 item 4)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dichvucong.common.models import TimestampedModel

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
