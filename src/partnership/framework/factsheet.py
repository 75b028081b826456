"""The factsheet's bodies, agreements, meetings and milestones."""

from __future__ import annotations

from django.utils.translation import gettext as _

from partnership.core.factsheet_file import (
    FactsheetMapping,
    FactsheetRecord,
    Index,
    LoadReport,
    bilingual,
    choice,
    edtf,
    factsheet_section,
    load_record,
    ref,
    text,
    write_links,
    write_row,
)
from partnership.core.models import Marking
from partnership.core.partial_dates import PartialDate
from partnership.framework.models import (
    Agreement,
    AgreementKind,
    Body,
    BodyKind,
    Meeting,
    MeetingLevel,
    Milestone,
    Theme,
)


@factsheet_section("bodies", what="body", needs=("organizations",))
def _load_body(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    load_record(r, index, report, section="bodies", model=Body, fields={
        "name": bilingual(uk_required=True),
        "description": bilingual(required=False),
        "chair": bilingual(required=False),
        "kind": choice(BodyKind),
        "abbreviation": text(),
        "established": edtf(required=False),
        "parent": ref("bodies"),
        "marking": Marking.PUBLIC,
        "source_text": text(key="source"),
    }, links={"members": "organizations"})  # fmt: skip


@factsheet_section("agreements", what="agreement", needs=("organizations",))
def _load_agreement(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    load_record(r, index, report, section="agreements", model=Agreement, fields={
        "title": bilingual(uk_required=True),
        "covers": bilingual(required=False),
        "kind": choice(AgreementKind),
        "signed": edtf(required=False),
        "ratified": edtf(required=False),
        "in_force": edtf(required=False),
        "marking": Marking.PUBLIC,
    }, links={"parties": "organizations"})  # fmt: skip


@factsheet_section("meetings", what="meeting", needs=("bodies", "organizations"))
def _load_meeting(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    load_record(r, index, report, section="meetings", model=Meeting, fields={
        "title": bilingual(uk_required=True),
        "place": bilingual(required=False),
        "trigger": bilingual(required=False),
        "body": ref("bodies", required=True),
        "level": choice(MeetingLevel),
        "date": edtf(),
        "requested_by": ref("organizations"),
        "marking": Marking.PUBLIC,
    }, links={"participants": "organizations"})  # fmt: skip


@factsheet_section(
    "milestones", what="milestone", needs=("bodies", "meetings", "agreements", "organizations")
)
def _load_milestone(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    number = r.record.get("number")
    if not isinstance(number, int) or number < 1:
        raise r.fail(_("“number” must be a positive whole number"))
    date = r.edtf("date")
    written = r.text("written")
    rendered = PartialDate.parse(date).render("en")
    if rendered != written:
        raise r.fail(
            _("the date %(edtf)s reads “%(rendered)s”, but the factsheet writes “%(written)s”")
            % {"edtf": date, "rendered": rendered, "written": written}
        )
    text_en, text_uk = r.bilingual("text", uk_required=True)
    links = r.record.get("links") or FactsheetMapping()
    if not isinstance(links, dict):
        raise r.fail(_("“links” must be a mapping"))
    values = {
        "date": date,
        "text_en": text_en,
        "text_uk": text_uk,
        "theme": r.choice("theme", Theme),
        "marking": Marking.PUBLIC,
        "source_text": f"{written}: {text_en}",
        **r.provenance(),
    }
    related = {
        "bodies": r.keys("bodies", index["bodies"], within=links),
        "meetings": r.keys("meetings", index["meetings"], within=links),
        "agreements": r.keys("agreements", index["agreements"], within=links),
        "organizations": r.keys("organizations", index["organizations"], within=links),
    }
    milestone, created, changed = write_row(Milestone, {"number": number}, values)
    for name, items in related.items():
        changed |= write_links(getattr(milestone, name), items)
    index["milestones"][str(number)] = milestone
    report.count("milestones", created, changed)
