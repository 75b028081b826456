"""The factsheet's NATO-led operations and Ukraine's contributions to them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from partnership.core.factsheet_file import (
    FactsheetRecord,
    Index,
    LoadReport,
    factsheet_section,
    write_row,
)
from partnership.core.models import Marking
from partnership.operations.models import Contribution, ContributionKind, Operation, OperationKind


@factsheet_section("operations", what="operation")
def _load_operation(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    theatre_en, theatre_uk = r.bilingual("theatre", required=False)
    values = {
        "kind": r.choice("kind", OperationKind),
        "name_en": name_en,
        "name_uk": name_uk,
        "abbreviation": r.text("abbreviation", required=False),
        "theatre_en": theatre_en,
        "theatre_uk": theatre_uk,
        "period": r.edtf("period", required=False),
        "marking": Marking.PUBLIC,
        **r.provenance(),
    }
    operation, created, changed = write_row(Operation, {"slug": key}, values)
    index["operations"][key] = operation
    report.count("operations", created, changed)


@factsheet_section("contributions", what="contribution", needs=("operations", "organizations"))
def _load_contribution(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    key = r.text("key")
    asset_en, asset_uk = r.bilingual("asset", uk_required=True)
    operation = r.ref("operation", index["operations"])
    contributor = r.ref("contributor", index["organizations"])
    if operation is None or contributor is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "operation/contributor"})
    personnel = r.record.get("personnel")
    if personnel is not None and (not isinstance(personnel, int) or personnel < 0):
        raise r.fail(_("“personnel” must be a whole number"))
    values = {
        "operation": operation,
        "contributor": contributor,
        "kind": r.choice("kind", ContributionKind),
        "asset_en": asset_en,
        "asset_uk": asset_uk,
        "period": r.edtf("period", required=False),
        "personnel": personnel,
        "marking": Marking.PUBLIC,
        "source_text": r.text("source", required=False),
        **r.provenance(),
    }
    # Contributions have no natural key in the factsheet: the data file gives each one.
    contribution, created, changed = write_row(Contribution, {"source_key": key}, values)
    index["contributions"][key] = contribution
    report.count("contributions", created, changed)
