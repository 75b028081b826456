"""The factsheet's bodies, agreements, meetings and milestones."""

from __future__ import annotations

from django.utils.translation import gettext as _

from partnership.core.factsheet_file import (
    FactsheetMapping,
    FactsheetRecord,
    Index,
    LoadReport,
    factsheet_section,
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
    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    description_en, description_uk = r.bilingual("description", required=False)
    chair_en, chair_uk = r.bilingual("chair", required=False)
    values = {
        "kind": r.choice("kind", BodyKind),
        "name_en": name_en,
        "name_uk": name_uk,
        "abbreviation": r.text("abbreviation", required=False),
        "description_en": description_en,
        "description_uk": description_uk,
        "chair_en": chair_en,
        "chair_uk": chair_uk,
        "established": r.edtf("established", required=False),
        "parent": r.ref("parent", index["bodies"]),
        "marking": Marking.PUBLIC,
        "source_text": r.text("source", required=False),
        **r.provenance(),
    }
    members = r.keys("members", index["organizations"])
    body, created, changed = write_row(Body, {"slug": key}, values)
    changed |= write_links(body.members, members)
    index["bodies"][key] = body
    report.count("bodies", created, changed)


@factsheet_section("agreements", what="agreement", needs=("organizations",))
def _load_agreement(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    key = r.text("key")
    title_en, title_uk = r.bilingual("title", uk_required=True)
    covers_en, covers_uk = r.bilingual("covers", required=False)
    values = {
        "kind": r.choice("kind", AgreementKind),
        "title_en": title_en,
        "title_uk": title_uk,
        "covers_en": covers_en,
        "covers_uk": covers_uk,
        "signed": r.edtf("signed", required=False),
        "ratified": r.edtf("ratified", required=False),
        "in_force": r.edtf("in_force", required=False),
        "marking": Marking.PUBLIC,
        **r.provenance(),
    }
    parties = r.keys("parties", index["organizations"])
    agreement, created, changed = write_row(Agreement, {"slug": key}, values)
    changed |= write_links(agreement.parties, parties)
    index["agreements"][key] = agreement
    report.count("agreements", created, changed)


@factsheet_section("meetings", what="meeting", needs=("bodies", "organizations"))
def _load_meeting(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    key = r.text("key")
    title_en, title_uk = r.bilingual("title", uk_required=True)
    place_en, place_uk = r.bilingual("place", required=False)
    trigger_en, trigger_uk = r.bilingual("trigger", required=False)
    body = r.ref("body", index["bodies"])
    if body is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "body"})
    values = {
        "body": body,
        "level": r.choice("level", MeetingLevel),
        "title_en": title_en,
        "title_uk": title_uk,
        "date": r.edtf("date"),
        "place_en": place_en,
        "place_uk": place_uk,
        "trigger_en": trigger_en,
        "trigger_uk": trigger_uk,
        "requested_by": r.ref("requested_by", index["organizations"]),
        "marking": Marking.PUBLIC,
        **r.provenance(),
    }
    participants = r.keys("participants", index["organizations"])
    meeting, created, changed = write_row(Meeting, {"slug": key}, values)
    changed |= write_links(meeting.participants, participants)
    index["meetings"][key] = meeting
    report.count("meetings", created, changed)


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
