"""The factsheet's capacity-building programmes, institutions, events and assistance."""

from __future__ import annotations

from partnership.core.factsheet_file import (
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
    load_record(r, index, report, section="programmes", model=Programme, fields={
        "name": bilingual(uk_required=True),
        "description": bilingual(required=False),
        "abbreviation": text(),
        "started": edtf(required=False),
        "marking": Marking.PUBLIC,
    })  # fmt: skip


# Institutions, events and assistance have no natural key in the factsheet: the data file
# gives each one.


@factsheet_section("institutions", what="institution", needs=("programmes",))
def _load_institution(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    load_record(r, index, report, section="institutions", model=Institution, lookup="source_key", fields={
        "name": bilingual(uk_required=True),
        "city": bilingual(uk_required=True),
        "programme": ref("programmes", required=True),
        "marking": Marking.PUBLIC,
    })  # fmt: skip


@factsheet_section("events", what="event", needs=("programmes", "organizations"))
def _load_event(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    load_record(r, index, report, section="events", model=Event, lookup="source_key", fields={
        "title": bilingual(uk_required=True),
        "place": bilingual(required=False),
        "programme": ref("programmes", required=True),
        "kind": choice(EventKind),
        "date": edtf(),
        "marking": Marking.PUBLIC,
    }, links={"organizers": "organizations"})  # fmt: skip


@factsheet_section("assistance", what="assistance", needs=("organizations",))
def _load_assistance(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    load_record(r, index, report, section="assistance", model=Assistance, lookup="source_key", fields={
        "description": bilingual(uk_required=True),
        "direction": choice(AssistanceDirection),
        "date": edtf(),
        "marking": Marking.PUBLIC,
    }, links={"partners": "organizations"})  # fmt: skip
