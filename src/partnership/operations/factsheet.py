"""The factsheet's NATO-led operations and Ukraine's contributions to them."""

from __future__ import annotations

from django.utils.translation import gettext as _

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
from partnership.operations.models import Contribution, ContributionKind, Operation, OperationKind


@factsheet_section("operations", what="operation")
def _load_operation(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    load_record(r, index, report, section="operations", model=Operation, fields={
        "name": bilingual(uk_required=True),
        "theatre": bilingual(required=False),
        "kind": choice(OperationKind),
        "abbreviation": text(),
        "period": edtf(required=False),
        "marking": Marking.PUBLIC,
    })  # fmt: skip


@factsheet_section("contributions", what="contribution", needs=("operations", "organizations"))
def _load_contribution(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    personnel = r.record.get("personnel")
    if personnel is not None and (not isinstance(personnel, int) or personnel < 0):
        raise r.fail(_("“personnel” must be a whole number"))
    # Contributions have no natural key in the factsheet: the data file gives each one.
    load_record(
        r, index, report, section="contributions", model=Contribution, lookup="source_key",
        fields={
            "asset": bilingual(uk_required=True),
            "operation": ref("operations", required=True),
            "contributor": ref("organizations", required=True),
            "kind": choice(ContributionKind),
            "period": edtf(required=False),
            "personnel": personnel,
            "marking": Marking.PUBLIC,
            "source_text": text(key="source"),
        },
    )  # fmt: skip
