"""The search index: one entry per searchable record, holding only the record's own text."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from partnership.core.models import Marking


class SearchEntry(models.Model):
    """What the full-text index reads for one record.

    Only the record's own words are kept (never a parent's name), so that a hit's snippet
    cannot show what its reader may not see. `words_title` and `words_text` are the texts of
    both languages cut into words by `partnership.search.text.words`, so that SQLite's FTS5
    and PostgreSQL's parser see the same tokens ("1.1.21" is three words on both); the
    full-text index over them is made by the migrations (an FTS5 table on SQLite, a generated
    `tsvector` column on PostgreSQL). The raw texts are kept for snippets and titles.

    `marking`/`releasable_to` are the record's own, `parent_marking`/`parent_releasable_to`
    those of the parent it is seen only with (`released_with`; PUBLIC when it has none), so
    that the ranked query applies the reader's `core.selectors.clearance` before its LIMIT.
    An entry whose marking is not known yet is for NATO only.
    """

    kind = models.CharField(_("kind"), max_length=32)
    object_id = models.PositiveBigIntegerField()
    code = models.CharField(_("code"), max_length=64, blank=True)
    title_en = models.TextField(blank=True)
    title_uk = models.TextField(blank=True)
    text_en = models.TextField(blank=True)
    text_uk = models.TextField(blank=True)
    words_title = models.TextField(blank=True)
    words_text = models.TextField(blank=True)
    marking = models.CharField(max_length=12, choices=Marking.choices, default=Marking.NATO)
    releasable_to = models.CharField(max_length=400, blank=True, default="")
    parent_marking = models.CharField(max_length=12, choices=Marking.choices, default=Marking.NATO)
    parent_releasable_to = models.CharField(max_length=400, blank=True, default="")

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_entry_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"
