"""Abstract base models shared by every bounded context."""

import uuid

from django.db import models


class TimestampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class PublicIdModel(TimestampedModel):
    """A model exposed in URLs by UUID, never by its sequential primary key."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        abstract = True


class Sequence(models.Model):
    """A gap-free counter: the last number given under `key` (see `dichvucong.common.sequences.next_value`).

    Keys name the series and its scope, e.g. `dossier-code/12/2021-03-15` (TT 01/2018 art. 19: per receiving agency
    and day), `receipt/12/2024` (e-receipts per agency and year), `result-number/12/2024` (per agency and year).
    """

    key = models.CharField(max_length=100, unique=True)
    value = models.PositiveBigIntegerField(default=0, help_text="the last number given")

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key}: {self.value}"
