"""The factsheet's organizations, their dated memberships and its figures."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from partnership.core.factsheet_file import (
    FactsheetRecord,
    Index,
    LoadReport,
    Read,
    bilingual,
    choice,
    factsheet_section,
    load_record,
    ref,
    text,
    write_row,
)
from partnership.core.models import Figure, Membership, Organization, OrganizationKind


def membership_key(record: Any) -> str:
    """A membership is one member in one group from one date: two such rows are one twice."""
    if not isinstance(record, dict):
        return ""
    return f"{record.get('member')}/{record.get('group')}/{record.get('since')}"


@factsheet_section("organizations", what="organization")
def _load_organization(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    try:
        load_record(r, index, report, section="organizations", model=Organization, fields={
            "name": bilingual(uk_required=True),
            "kind": choice(OrganizationKind),
            "abbreviation": text(),
            "country_code": Read(
                lambda r, index, name: {name: r.text(name, required=False).upper()}
            ),
            "parent": ref("organizations"),
        }, provenance=False)  # fmt: skip
    except ValidationError as exc:
        raise r.fail("; ".join(exc.messages)) from None


@factsheet_section("memberships", what="membership", needs=("organizations",), key=membership_key)
def _load_membership(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    """A dated membership; a fact the factsheet does not state says where it comes from."""
    member = r.ref("member", index["organizations"])
    group = r.ref("group", index["organizations"])
    if member is None or group is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "member/group"})
    line, source = r.line(), r.text("source", required=False)
    if line is None and not source:
        raise r.fail(_("a fact the factsheet does not state needs its “source”"))
    since = r.edtf("since")
    membership, created, changed = write_row(
        Membership,
        {"member": member, "group": group, "since": since},
        {"until": r.edtf("until", required=False), "source_line": line, "source_text": source},
    )
    index["memberships"][membership_key(r.record)] = membership
    report.count("memberships", created, changed)


@factsheet_section("figures", what="figure")
def _load_figure(r: FactsheetRecord, index: Index, report: LoadReport) -> None:
    try:
        value = Decimal(str(r.record.get("value"))).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise r.fail(_("“value” must be a number")) from None
    load_record(r, index, report, section="figures", model=Figure, lookup="key", fields={
        "label": bilingual(uk_required=True),
        "value": value,
        "written": bilingual(uk_required=True),
        "unit": text(),
    })  # fmt: skip
