"""The factsheet's own text: its sections and their paragraphs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from partnership.core.factsheet_file import (
    FactsheetRecord,
    Index,
    LoadReport,
    factsheet_section,
    write_row,
)
from partnership.public.models import FactsheetParagraph, FactsheetSection, ParagraphKind


@factsheet_section("sections", what="section")
def _load_section(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    key = r.text("key")
    title_en, title_uk = r.bilingual("title", uk_required=True)
    position = len(index["sections"]) + 1
    section, created, changed = write_row(
        FactsheetSection,
        {"key": key},
        {"position": position, "title_en": title_en, "title_uk": title_uk, **r.provenance()},
    )
    paragraphs = r.record.get("paragraphs") or []
    if not isinstance(paragraphs, list) or not paragraphs:
        raise r.fail(_("“paragraphs” must be a non-empty list"))
    for number, raw in enumerate(paragraphs, start=1):
        p = FactsheetRecord(r.path, raw, _("paragraph"))
        text_en = p.text("en")
        text_uk = p.text("uk", required=False)
        p.glossary("uk", text_uk)
        values = {
            "kind": p.choice("kind", ParagraphKind),
            "text_en": text_en,
            "text_uk": text_uk,
            "source_line": p.line(),
            "source_text": text_en,
        }
        _par, par_created, par_changed = write_row(
            FactsheetParagraph, {"section": section, "position": number}, values
        )
        changed |= par_created or par_changed
    # Paragraphs dropped from the file leave the page too.
    extra = section.paragraphs.filter(position__gt=len(paragraphs))
    if extra.exists():
        extra.delete()
        changed = True
    index["sections"][key] = section
    report.count("sections", created, changed)
