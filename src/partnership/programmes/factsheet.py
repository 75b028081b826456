"""The factsheet's capacity-building programmes, institutions, events and assistance."""

from __future__ import annotations

from django.utils.translation import gettext as _

from partnership.core.factsheet_file import (
    FactsheetRecord,
    Index,
    LoadReport,
    factsheet_section,
    write_links,
    write_row,
)
from partnership.core.models import Marking
from partnership.programmes.models import (
    Assistance,
    AssistanceDirection,
    Event,
    EventKind,
    Institution,
    Programme,
)


@factsheet_section("programmes", what="programme")
def _load_programme(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    description_en, description_uk = r.bilingual("description", required=False)
    values = {
        "name_en": name_en,
        "name_uk": name_uk,
        "abbreviation": r.text("abbreviation", required=False),
        "description_en": description_en,
        "description_uk": description_uk,
        "started": r.edtf("started", required=False),
        "marking": Marking.PUBLIC,
        **r.provenance(),
    }
    programme, created, changed = write_row(Programme, {"slug": key}, values)
    index["programmes"][key] = programme
    report.count("programmes", created, changed)


@factsheet_section("institutions", what="institution", needs=("programmes",))
def _load_institution(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    city_en, city_uk = r.bilingual("city", uk_required=True)
    programme = r.ref("programme", index["programmes"])
    if programme is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "programme"})
    values = {
        "programme": programme,
        "name_en": name_en,
        "name_uk": name_uk,
        "city_en": city_en,
        "city_uk": city_uk,
        "marking": Marking.PUBLIC,
        **r.provenance(),
    }
    institution, created, changed = write_row(Institution, {"source_key": key}, values)
    index["institutions"][key] = institution
    report.count("institutions", created, changed)


@factsheet_section("events", what="event", needs=("programmes", "organizations"))
def _load_event(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    key = r.text("key")
    title_en, title_uk = r.bilingual("title", uk_required=True)
    place_en, place_uk = r.bilingual("place", required=False)
    programme = r.ref("programme", index["programmes"])
    if programme is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "programme"})
    values = {
        "programme": programme,
        "kind": r.choice("kind", EventKind),
        "title_en": title_en,
        "title_uk": title_uk,
        "date": r.edtf("date"),
        "place_en": place_en,
        "place_uk": place_uk,
        "marking": Marking.PUBLIC,
        **r.provenance(),
    }
    event, created, changed = write_row(Event, {"source_key": key}, values)
    changed |= write_links(event.organizers, r.keys("organizers", index["organizations"]))
    index["events"][key] = event
    report.count("events", created, changed)


@factsheet_section("assistance", what="assistance", needs=("organizations",))
def _load_assistance(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    key = r.text("key")
    description_en, description_uk = r.bilingual("description", uk_required=True)
    values = {
        "direction": r.choice("direction", AssistanceDirection),
        "date": r.edtf("date"),
        "description_en": description_en,
        "description_uk": description_uk,
        "marking": Marking.PUBLIC,
        **r.provenance(),
    }
    assistance, created, changed = write_row(Assistance, {"source_key": key}, values)
    changed |= write_links(assistance.partners, r.keys("partners", index["organizations"]))
    index["assistance"][key] = assistance
    report.count("assistance", created, changed)
