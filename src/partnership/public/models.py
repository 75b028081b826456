"""The prose of the public factsheet: sections and their paragraphs, in both languages."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnership.core.models import Sourced, localized


class FactsheetSection(Sourced):
    key = models.SlugField(_("key"), max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(_("position"))
    title_en = models.CharField(_("title (English)"), max_length=255)
    title_uk = models.CharField(_("title (Ukrainian)"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position"]
        verbose_name = _("factsheet section")
        verbose_name_plural = _("factsheet sections")

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return localized(self, "title")


class ParagraphKind(models.TextChoices):
    TEXT = "text", _("paragraph")
    HEADING = "heading", _("heading")
    BULLET = "bullet", _("bullet point")
    DATELINE = "dateline", _("date line")
    CAPTION = "caption", _("photo caption")
    REFERENCE = "reference", _("cross-reference")


class FactsheetParagraph(Sourced):
    section = models.ForeignKey(
        FactsheetSection, on_delete=models.CASCADE, related_name="paragraphs"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    kind = models.CharField(_("kind"), max_length=12, choices=ParagraphKind.choices)
    text_en = models.TextField(_("text (English)"))
    text_uk = models.TextField(_("text (Ukrainian)"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "position"]
        verbose_name = _("factsheet paragraph")
        verbose_name_plural = _("factsheet paragraphs")
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="paragraph_position")
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def text(self) -> str:
        return localized(self, "text")

    @property
    def is_translated(self) -> bool:
        return bool(self.text_uk)
