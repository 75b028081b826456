"""Writes of logistics: standards adopted, items codified, stock moved, stockpiles destroyed.

Every write is atomic and refuses bad input with a translated message naming the field.
Stock writes lock the item's row first, so that two movements of one item cannot both pass
the below-zero check on the same balance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Indicator, Measurement, Organization, Role, User
from partnership.core.partial_dates import PartialDate
from partnership.core.selectors import can_see, shown
from partnership.core.services import marking_clean
from partnership.logistics.codes import (
    CodeError,
    ncage_parse,
    nsn_parse,
    reference_key,
    supply_class_parse,
)
from partnership.logistics.models import (
    AdoptionStatus,
    CodificationBureau,
    CodificationRequest,
    DestructionLot,
    DestructionTarget,
    ItemReference,
    Location,
    Movement,
    MovementKind,
    RequestStatus,
    Standard,
    StandardAdoption,
    StockBalance,
    Supplier,
    SupplyItem,
)

MSG_NOT_EDITOR = _("Only an editor may record logistics data.")
MSG_NOT_CODIFIER = _(
    "Only the staff of this codification bureau may research or codify its requests."
)
MSG_NOT_APPROVER = _("Only an approver may authorize a disposal.")
MSG_DISPOSAL_AUTHORITY = _("A disposal needs the order or act that authorizes it.")
MSG_REQUIRED = _("This field is required.")
MSG_QUANTITY = _("“%(value)s” is not a quantity above zero.")
MSG_BELOW_ZERO = _(
    "%(location)s holds %(held)s of this item on %(date)s; %(quantity)s cannot leave it."
)
MSG_LATER_BELOW_ZERO = _(
    "Movements recorded after %(date)s already take this stock out of %(location)s; "
    "this one would leave it below zero on %(later)s."
)
MSG_PLACES = _("A %(kind)s goes %(rule)s.")
MSG_SAME_PLACE = _("A movement goes from one place to another, not to the same one.")
MSG_SERIAL_REQUIRED = _(
    "This item is tracked by serial number: give the serial number, one at a time."
)
MSG_SERIAL_NOT_TRACKED = _("This item is not tracked by serial number.")
MSG_SERIAL_HELD = _("Serial number %(serial)s is already held at %(location)s.")
MSG_SERIAL_NOT_THERE = _("Serial number %(serial)s is not held at %(location)s on %(date)s.")
MSG_ALREADY_REVERSED = _("This movement has already been reversed.")
MSG_REVERSE_REVERSAL = _("A reversal is not reversed; record the movement again.")
MSG_FUTURE = _("A movement is recorded when it has happened, not for %(date)s.")
MSG_TRANSITION = _("A request that is %(status)s cannot be %(action)s.")
MSG_REASON = _("Say why the request is rejected.")
MSG_DUPLICATE_REFERENCE = _(
    "Reference %(reference)s of supplier %(ncage)s is already codified as %(item)s."
)
MSG_UNKNOWN_SUPPLIER = _(
    "There is no supplier with NCAGE code %(ncage)s yet: give its name to add it."
)
MSG_NO_BUREAU = _("“%(value)s” is not a national codification bureau.")
MSG_BUREAU_FULL = _("The bureau has no item numbers left in supply class %(supply_class)s.")
MSG_STANDARD_EXISTS = _("%(number)s edition “%(edition)s” is already recorded.")
MSG_STATUS_DATE = _("Give the date the standard was %(status)s.")
MSG_LOT_EXISTS = _("Lot %(lot)s is already recorded for this target.")
MSG_UNKNOWN_STATUS = _("“%(value)s” is not a status of a standard.")
MSG_LINK_NOT_VISIBLE = _("%(field)s: one of the records chosen is not released to you.")

# The places each kind of movement takes stock from and to (from, to).
PLACES: dict[str, tuple[bool, bool]] = {
    MovementKind.RECEIPT: (False, True),
    MovementKind.ISSUE: (True, True),
    MovementKind.TRANSFER: (True, True),
    MovementKind.DISPOSAL: (True, False),
}
PLACE_RULES: dict[str, Any] = {
    MovementKind.RECEIPT: _("into a depot or unit, from none"),
    MovementKind.ISSUE: _("from a depot or unit to another"),
    MovementKind.TRANSFER: _("from a depot or unit to another"),
    MovementKind.DISPOSAL: _("out of a depot or unit, to none"),
}
# Which action each request status allows, and the status it leads to (h11-style table).
TRANSITIONS: dict[tuple[str, str], str] = {
    (RequestStatus.RECEIVED, "research"): RequestStatus.RESEARCHED,
    (RequestStatus.RECEIVED, "reject"): RequestStatus.REJECTED,
    (RequestStatus.RESEARCHED, "codify"): RequestStatus.CODIFIED,
    (RequestStatus.RESEARCHED, "reject"): RequestStatus.REJECTED,
}
ACTION_LABELS = {
    "research": _("researched"),
    "codify": _("codified"),
    "reject": _("rejected"),
}
# The date field each adoption status must carry.
STATUS_DATE = {
    AdoptionStatus.STUDIED: "studied",
    AdoptionStatus.RATIFIED: "ratified",
    AdoptionStatus.RATIFIED_RESERVATIONS: "ratified",
    AdoptionStatus.IMPLEMENTED: "implemented",
}


def _code(value: str, parse: Any, *, field: str) -> str:
    try:
        return str(parse(value))
    except CodeError as exc:
        raise ApplicationError(exc.message, field=field, code="malformed") from exc


def _quantity(value: Any, *, field: str = "quantity") -> Decimal:
    try:
        quantity = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ApplicationError(MSG_QUANTITY % {"value": value}, field=field) from exc
    if not quantity.is_finite() or quantity <= 0 or quantity >= Decimal("1e11"):
        raise ApplicationError(MSG_QUANTITY % {"value": value}, field=field)
    return quantity


def _partial_date(text: str, *, field: str) -> PartialDate:
    from django.core.exceptions import ValidationError

    try:
        return PartialDate.parse(text)
    except ValidationError as exc:
        raise ApplicationError(exc.messages[0], field=field) from exc
    except ValueError as exc:
        raise ApplicationError(str(exc), field=field) from exc


def _required(value: str, *, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(MSG_REQUIRED, field=field, code="required")
    return value


def can_edit(user: Any) -> bool:
    """Who records logistics data (standards, stock, lots): an editor of an organization.
    Pages, the API and the services ask this one predicate."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.is_superuser or (user.has_role(Role.EDITOR) and user.organization_id))


def can_request_codification(user: Any) -> bool:
    """Who asks the bureau for an NSN: an editor of a unit (the request is the unit's, so
    someone of no organization cannot make one)."""
    return can_edit(user) and getattr(user, "organization_id", None) is not None


def can_record_lots(user: Any) -> bool:
    """Who records destroyed lots: the project's editors and its reporters (who report the
    results to the donors)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.has_role(Role.EDITOR, Role.REPORTER) and user.organization_id)


def can_codify(user: Any, bureau: CodificationBureau) -> bool:
    """Who researches, codifies and rejects a bureau's requests and adds references to its
    items: the bureau's own codifiers."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(
        user.is_superuser
        or (user.has_role(Role.CODIFIER) and user.organization_id == bureau.organization_id)
    )


def _require_editor(user: User) -> None:
    if not can_edit(user):
        raise PermissionDeniedError(MSG_NOT_EDITOR)


def _marking(marking: str, nations: Iterable[str]) -> tuple[str, str]:
    return marking_clean(marking=marking, nations=nations)


# ---- standardization ----------------------------------------------------------------------


@dataclass(frozen=True)
class StandardData:
    number: str
    kind: str
    title_en: str
    area: str
    edition: str = ""
    title_uk: str = ""
    custodian: str = ""
    marking: str = "PUBLIC"
    nations: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdoptionData:
    status: str
    studied: str = ""
    ratified: str = ""
    implemented: str = ""
    reservations: str = ""
    national_document: str = ""
    marking: str = "NATIONS"
    nations: tuple[str, ...] = ("UA",)


def _standard_clean(data: StandardData) -> dict[str, Any]:
    marking, releasable_to = _marking(data.marking, data.nations)
    record = Standard(
        number=_required(data.number, field="number"),
        kind=data.kind,
        edition=data.edition.strip(),
        title_en=_required(data.title_en, field="title_en"),
        title_uk=data.title_uk.strip(),
        custodian=data.custodian.strip(),
        area=data.area,
        marking=marking,
        releasable_to=releasable_to,
    )
    _full_clean(record, exclude=["id"], unique=False)
    return {f: getattr(record, f) for f in (
        "number", "kind", "edition", "title_en", "title_uk", "custodian", "area", "marking",
        "releasable_to",
    )}  # fmt: skip


def _full_clean(record: models.Model, *, exclude: list[str], unique: bool = True) -> None:
    from django.core.exceptions import ValidationError

    try:
        record.full_clean(exclude=exclude, validate_unique=unique, validate_constraints=unique)
    except ValidationError as exc:
        field, messages = next(iter(exc.message_dict.items()))
        raise ApplicationError(messages[0], field=None if field == "__all__" else field) from exc


@transaction.atomic
def standard_create(*, by: User, data: StandardData) -> Standard:
    _require_editor(by)
    values = _standard_clean(data)
    if Standard.objects.filter(number=values["number"], edition=values["edition"]).exists():
        raise ApplicationError(
            MSG_STANDARD_EXISTS % {"number": values["number"], "edition": values["edition"]},
            field="number",
            code="duplicate",
        )
    return Standard.objects.create(**values)


@transaction.atomic
def standard_update(*, by: User, standard: Standard, data: StandardData) -> Standard:
    """The standard's number, edition, titles, custodian, area and marking as corrected; the
    history keeps what they were."""
    _require_editor(by)
    values = _standard_clean(data)
    clash = Standard.objects.filter(number=values["number"], edition=values["edition"])
    if clash.exclude(pk=standard.pk).exists():
        raise ApplicationError(
            MSG_STANDARD_EXISTS % {"number": values["number"], "edition": values["edition"]},
            field="number",
            code="duplicate",
        )
    locked = Standard.objects.select_for_update().get(pk=standard.pk)
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save()
    return locked


def _visible_links(by: User, records: Iterable[Any] | None, *, field: str) -> list[Any] | None:
    """What an adoption may point at: only records its editor may see (a link would otherwise
    carry a hidden record's reference to every reader of the adoption)."""
    if records is None:
        return None
    chosen = list(records)
    if not all(can_see(by, record) for record in chosen):
        raise link_refused(field)
    return chosen


def link_refused(field: str) -> ApplicationError:
    """The refusal of a link to a record the editor may not see (or that does not exist:
    the same answer, so that a stranger learns nothing from it)."""
    label = getattr(StandardAdoption._meta.get_field(field), "verbose_name", field)
    return ApplicationError(MSG_LINK_NOT_VISIBLE % {"field": label}, field=field)


def adoption_check(data: AdoptionData) -> None:
    """A status with the dates it needs, or the error naming the field (for import previews)."""
    _adoption_values(data)


def _adoption_values(data: AdoptionData) -> dict[str, Any]:
    if data.status not in AdoptionStatus.values:
        raise ApplicationError(MSG_UNKNOWN_STATUS % {"value": data.status}, field="status")
    values: dict[str, Any] = {"status": data.status}
    for name in ("studied", "ratified", "implemented"):
        text = getattr(data, name).strip()
        if text:
            _partial_date(text, field=name)
        values[name] = text
    needed = STATUS_DATE[AdoptionStatus(data.status)]
    if not values[needed]:
        label = AdoptionStatus(data.status).label
        raise ApplicationError(MSG_STATUS_DATE % {"status": label}, field=needed)
    if data.status == AdoptionStatus.RATIFIED_RESERVATIONS and not data.reservations.strip():
        raise ApplicationError(MSG_REQUIRED, field="reservations", code="required")
    values["reservations"] = data.reservations.strip()
    values["national_document"] = data.national_document.strip()
    values["marking"], values["releasable_to"] = _marking(data.marking, data.nations)
    return values


@transaction.atomic
def standard_adoption_set(
    *,
    by: User,
    standard: Standard,
    nation: Organization,
    data: AdoptionData,
    measures: Iterable[Any] | None = None,
    partnership_goals: Iterable[Any] | None = None,
    projects: Iterable[Any] | None = None,
) -> StandardAdoption:
    """Where the nation stands with the standard now; the history keeps where it stood."""
    _require_editor(by)
    values = _adoption_values(data)
    measures = _visible_links(by, measures, field="measures")
    partnership_goals = _visible_links(by, partnership_goals, field="partnership_goals")
    projects = _visible_links(by, projects, field="projects")
    adoption, _created = StandardAdoption.objects.update_or_create(
        standard=standard, nation=nation, defaults=values
    )
    if measures is not None:
        adoption.measures.set(list(measures))
    if partnership_goals is not None:
        adoption.partnership_goals.set(list(partnership_goals))
    if projects is not None:
        adoption.projects.set(list(projects))
    return adoption


@dataclass(frozen=True)
class StandardRow:
    row: int
    standard: StandardData
    adoption: AdoptionData | None


@transaction.atomic
def standards_import(*, by: User, nation: Organization, rows: list[StandardRow]) -> int:
    """Standards added or updated (by number and edition) with the nation's status: all the
    rows or, at the first refusal, none (the error names the row)."""
    _require_editor(by)
    for row in rows:
        try:
            values = _standard_clean(row.standard)
            standard, _created = Standard.objects.update_or_create(
                number=values.pop("number"), edition=values.pop("edition"), defaults=values
            )
            if row.adoption is not None:
                standard_adoption_set(by=by, standard=standard, nation=nation, data=row.adoption)
        except ApplicationError as exc:
            raise ApplicationError(
                _("Row %(row)s: %(message)s") % {"row": row.row, "message": exc.message},
                field=exc.field,
                code=exc.code,
            ) from exc
    return len(rows)


# ---- codification -------------------------------------------------------------------------


def supplier_for(*, ncage: str, name: str = "", country: Organization | None = None) -> Supplier:
    """The supplier with this NCAGE code, added (public, as NCAGE codes are) when it is new."""
    code = _code(ncage, ncage_parse, field="ncage")
    found = Supplier.objects.filter(ncage=code).first()
    if found is not None:
        return found
    if not name.strip():
        raise ApplicationError(MSG_UNKNOWN_SUPPLIER % {"ncage": code}, field="supplier_name")
    return Supplier.objects.create(ncage=code, name=name.strip(), country=country, marking="PUBLIC")


@dataclass(frozen=True)
class RequestData:
    name_en: str
    ncage: str
    reference: str
    supply_class: str
    name_uk: str = ""
    supplier_name: str = ""
    unit_of_issue: str = "EA"
    tracked_singly: bool = False
    marking: str = "NATIONS"
    nations: tuple[str, ...] = ("UA",)


def _bureau(value: CodificationBureau | str) -> CodificationBureau:
    if isinstance(value, CodificationBureau):
        return value
    found = CodificationBureau.objects.filter(code=value).first()
    if found is None:
        raise ApplicationError(MSG_NO_BUREAU % {"value": value}, field="bureau")
    return found


@transaction.atomic
def codification_request_submit(
    *, by: User, bureau: CodificationBureau | str, data: RequestData
) -> CodificationRequest:
    """A unit's request for an NSN, received by the bureau; its number is the year's next."""
    if not can_request_codification(by):
        raise PermissionDeniedError(MSG_NOT_EDITOR)
    found = _bureau(bureau)
    supply_class = _code(data.supply_class, supply_class_parse, field="supply_class")
    reference = _required(data.reference, field="reference")
    if not reference_key(reference):
        raise ApplicationError(MSG_REQUIRED, field="reference", code="required")
    name_en = _required(data.name_en, field="name_en")
    supplier = supplier_for(ncage=data.ncage, name=data.supplier_name)
    marking, releasable_to = _marking(data.marking, data.nations)
    year = timezone.now().year
    # The year's requests are numbered in order; the lock on the bureau serializes numbering.
    CodificationBureau.objects.select_for_update().filter(pk=found.pk).first()
    count = CodificationRequest.objects.filter(number__startswith=f"CR-{year}-").count()
    request = CodificationRequest(
        number=f"CR-{year}-{count + 1:05d}",
        unit=by.organization,
        requested_by=by,
        bureau=found,
        name_en=name_en,
        name_uk=data.name_uk.strip(),
        supplier=supplier,
        reference=reference,
        supply_class=supply_class,
        unit_of_issue=_required(data.unit_of_issue, field="unit_of_issue").upper(),
        tracked_singly=data.tracked_singly,
        marking=marking,
        releasable_to=releasable_to,
    )
    _full_clean(request, exclude=["number", "requested_by", "unit", "bureau", "supplier"])
    request.save()
    return request


def _require_codifier(user: User, request: CodificationRequest) -> None:
    if not can_codify(user, request.bureau):
        raise PermissionDeniedError(MSG_NOT_CODIFIER)


def _transition(request: CodificationRequest, action: str) -> str:
    try:
        return TRANSITIONS[(request.status, action)]
    except KeyError:
        raise ApplicationError(
            MSG_TRANSITION
            % {
                "status": RequestStatus(request.status).label,
                "action": ACTION_LABELS[action],
            },
            field="status",
            code="transition",
        ) from None


def _locked(request: CodificationRequest) -> CodificationRequest:
    return (
        CodificationRequest.objects.select_for_update().select_related("bureau").get(pk=request.pk)
    )


def reference_duplicate(*, supplier: Supplier, reference: str) -> SupplyItem | None:
    """The item already codified under this supplier's reference, if any."""
    found = (
        ItemReference.objects.filter(supplier=supplier, reference_key=reference_key(reference))
        .select_related("item")
        .first()
    )
    return found.item if found else None


@transaction.atomic
def codification_request_research(*, by: User, request: CodificationRequest) -> CodificationRequest:
    """The bureau looks the reference up: an item already codified under it is noted, and
    codifying then returns that NSN instead of assigning a new one."""
    request = _locked(request)
    _require_codifier(by, request)
    request.status = _transition(request, "research")
    request.duplicate_of = reference_duplicate(
        supplier=request.supplier, reference=request.reference
    )
    request.save(update_fields=["status", "duplicate_of"])
    return request


def _next_nsn(bureau: CodificationBureau, supply_class: str) -> str:
    """The bureau's next item number: NIINs are the bureau's own, across all classes."""
    CodificationBureau.objects.select_for_update().filter(pk=bureau.pk).first()
    prefix_len = 6  # supply class (4) + bureau code (2)
    last = SupplyItem.objects.filter(bureau=bureau).aggregate(
        top=Max(models.functions.Substr("nsn", prefix_len + 1, 7))
    )["top"]
    number = int(last or 0) + 1
    if number > 9_999_999:
        raise ApplicationError(
            MSG_BUREAU_FULL % {"supply_class": supply_class}, field="supply_class"
        )
    return f"{supply_class}{bureau.code}{number:07d}"


@transaction.atomic
def codification_request_codify(*, by: User, request: CodificationRequest) -> CodificationRequest:
    """An NSN for the request: the existing one when research found the reference codified,
    else a new number from the bureau, with the reference recorded against it."""
    request = _locked(request)
    _require_codifier(by, request)
    status = _transition(request, "codify")
    # Looked up again: an item may have been codified under the reference since research.
    existing = reference_duplicate(supplier=request.supplier, reference=request.reference)
    if existing is None:
        existing = SupplyItem.objects.create(
            nsn=_next_nsn(request.bureau, request.supply_class),
            name_en=request.name_en,
            name_uk=request.name_uk,
            unit_of_issue=request.unit_of_issue,
            tracked_singly=request.tracked_singly,
            bureau=request.bureau,
            marking=request.marking,
            releasable_to=request.releasable_to,
        )
        ItemReference.objects.create(
            item=existing,
            supplier=request.supplier,
            reference=request.reference,
            reference_key=reference_key(request.reference),
        )
    request.status = status
    request.item = existing
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "item", "decided_at"])
    return request


@transaction.atomic
def codification_request_reject(
    *, by: User, request: CodificationRequest, reason: str
) -> CodificationRequest:
    request = _locked(request)
    _require_codifier(by, request)
    status = _transition(request, "reject")
    if not (reason or "").strip():
        raise ApplicationError(MSG_REASON, field="rejection_reason", code="required")
    request.status = status
    request.rejection_reason = reason.strip()
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "rejection_reason", "decided_at"])
    return request


@transaction.atomic
def item_reference_add(
    *, by: User, item: SupplyItem, ncage: str, reference: str, supplier_name: str = ""
) -> ItemReference:
    """Another supplier's reference for a codified item; one reference names one item."""
    if not can_codify(by, item.bureau):
        raise PermissionDeniedError(MSG_NOT_CODIFIER)
    supplier = supplier_for(ncage=ncage, name=supplier_name)
    text = _required(reference, field="reference")
    existing = reference_duplicate(supplier=supplier, reference=text)
    if existing is not None:
        raise ApplicationError(
            MSG_DUPLICATE_REFERENCE
            % {"reference": text, "ncage": supplier.ncage, "item": _item_text(by, existing)},
            field="reference",
            code="duplicate",
        )
    return ItemReference.objects.create(
        item=item, supplier=supplier, reference=text, reference_key=reference_key(text)
    )


def _item_text(user: User, item: SupplyItem) -> str:
    # The duplicate may be an item the user may not see: it is named only if they may.
    seen = shown(user, item)
    return str(seen.nsn_display) if isinstance(seen, SupplyItem) else str(seen)


def item_nsn_check(value: str) -> str:
    """An NSN typed by a person, as its 13 digits, or a translated error naming the field."""
    return _code(value, lambda v: nsn_parse(v).digits, field="nsn")


# ---- stock --------------------------------------------------------------------------------


def _lock_item(item: SupplyItem) -> SupplyItem:
    # One lock per item: all movements of an item queue on it, whatever places they touch.
    return SupplyItem.objects.select_for_update().get(pk=item.pk)


def stock_at(*, item: SupplyItem, location: Location, on: dt.date) -> Decimal:
    """What the place holds of the item at the end of `on`: in minus out, up to that day."""
    base = Movement.objects.filter(item=item, occurred_on__lte=on)
    into = base.filter(to_location=location).aggregate(s=Sum("quantity"))["s"] or Decimal(0)
    out = base.filter(from_location=location).aggregate(s=Sum("quantity"))["s"] or Decimal(0)
    return Decimal(into - out)


def _check_leaving(*, item: SupplyItem, location: Location, on: dt.date, quantity: Decimal) -> None:
    held = stock_at(item=item, location=location, on=on)
    if held < quantity:
        raise ApplicationError(
            MSG_BELOW_ZERO
            % {"location": location, "held": _number(held), "date": on.isoformat(),
               "quantity": _number(quantity)},
            field="quantity",
            code="below_zero",
        )  # fmt: skip
    # A movement dated in the past must not undercut what later movements already took out.
    balance = held - quantity
    later = (
        Movement.objects.filter(item=item, occurred_on__gt=on)
        .filter(Q(to_location=location) | Q(from_location=location))
        .order_by("occurred_on", "id")
        .values_list("occurred_on", "to_location_id", "quantity")
    )
    for day, to_id, moved in later.iterator():
        balance += moved if to_id == location.pk else -moved
        if balance < 0:
            raise ApplicationError(
                MSG_LATER_BELOW_ZERO
                % {"date": on.isoformat(), "location": location, "later": day.isoformat()},
                field="occurred_on",
                code="below_zero",
            )


def _balance_apply(movement: Movement) -> None:
    """Today's balances after a movement (called under the item's lock)."""
    for place, sign in ((movement.to_location, 1), (movement.from_location, -1)):
        if place is None:
            continue
        balance, _created = StockBalance.objects.get_or_create(item=movement.item, location=place)
        StockBalance.objects.filter(pk=balance.pk).update(
            quantity=models.F("quantity") + sign * movement.quantity
        )


@transaction.atomic
def stock_balance_rebuild(*, item: SupplyItem | None = None) -> int:
    """Today's balances summed again from the movements (after a bulk load, or to check
    them): the movements are the record, the balances only a faster way to read them."""
    items = SupplyItem.objects.all() if item is None else SupplyItem.objects.filter(pk=item.pk)
    list(items.order_by("pk").select_for_update())
    totals: dict[tuple[int, int], Decimal] = {}
    moves = Movement.objects.filter(item__in=items)
    for place_field, sign in (("to_location", 1), ("from_location", -1)):
        for item_id, place_id, total in (
            moves.exclude(**{f"{place_field}__isnull": True})
            .values_list("item_id", place_field)
            .annotate(total=Sum("quantity"))
            .order_by()
        ):
            key = (item_id, place_id)
            totals[key] = totals.get(key, Decimal(0)) + sign * total
    StockBalance.objects.filter(item__in=items).delete()
    StockBalance.objects.bulk_create(
        [StockBalance(item_id=i, location_id=p, quantity=q) for (i, p), q in totals.items() if q]
    )
    return len(totals)


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def serial_location(*, item: SupplyItem, serial: str, on: dt.date) -> int | None:
    """The pk of the place a serial number is at on `on` (its last movement's destination)."""
    last = (
        Movement.objects.filter(item=item, serial=serial, occurred_on__lte=on)
        .order_by("-occurred_on", "-id")
        .values_list("to_location_id", flat=True)
        .first()
    )
    return last


@dataclass(frozen=True)
class MovementData:
    kind: str
    quantity: Any
    occurred_on: dt.date
    from_location: Location | None = None
    to_location: Location | None = None
    serial: str = ""
    authority: str = ""
    note: str = ""
    marking: str = "NATIONS"
    nations: tuple[str, ...] = ("UA",)


def _check_places(data: MovementData) -> None:
    if data.kind not in PLACES:
        raise ApplicationError(
            _("“%(value)s” is not a kind of movement.") % {"value": data.kind}, field="kind"
        )
    needs_from, needs_to = PLACES[data.kind]
    for field, needed, given in (
        ("from_location", needs_from, data.from_location),
        ("to_location", needs_to, data.to_location),
    ):
        if needed != (given is not None):
            raise ApplicationError(
                MSG_PLACES
                % {"kind": MovementKind(data.kind).label, "rule": PLACE_RULES[data.kind]},
                field=field,
            )
    if data.from_location is not None and data.from_location == data.to_location:
        raise ApplicationError(MSG_SAME_PLACE, field="to_location")


@transaction.atomic
def movement_record(*, by: User, item: SupplyItem, data: MovementData) -> Movement:
    """A receipt, issue, transfer or disposal; refused if it would take stock below zero."""
    _require_editor(by)
    _check_places(data)
    quantity = _quantity(data.quantity)
    if data.occurred_on > timezone.localdate():
        raise ApplicationError(
            MSG_FUTURE % {"date": data.occurred_on.isoformat()}, field="occurred_on"
        )
    authority = data.authority.strip()
    if data.kind == MovementKind.DISPOSAL:
        if not authority:
            raise ApplicationError(MSG_DISPOSAL_AUTHORITY, field="authority", code="required")
        if not by.has_role(Role.APPROVER):
            raise PermissionDeniedError(MSG_NOT_APPROVER)
    marking, releasable_to = _marking(data.marking, data.nations)
    item = _lock_item(item)
    serial = data.serial.strip()
    _check_serial(item=item, data=data, serial=serial, quantity=quantity)
    if data.from_location is not None:
        _check_leaving(
            item=item, location=data.from_location, on=data.occurred_on, quantity=quantity
        )
    movement = Movement.objects.create(
        item=item,
        kind=data.kind,
        quantity=quantity,
        from_location=data.from_location,
        to_location=data.to_location,
        occurred_on=data.occurred_on,
        serial=serial,
        authority=authority,
        note=data.note.strip()[:300],
        recorded_by=by,
        marking=marking,
        releasable_to=releasable_to,
    )
    _balance_apply(movement)
    return movement


def _check_serial(*, item: SupplyItem, data: MovementData, serial: str, quantity: Decimal) -> None:
    if not item.tracked_singly:
        if serial:
            raise ApplicationError(MSG_SERIAL_NOT_TRACKED, field="serial")
        return
    if not serial or quantity != 1:
        raise ApplicationError(MSG_SERIAL_REQUIRED, field="serial", code="required")
    where = serial_location(item=item, serial=serial, on=data.occurred_on)
    if data.from_location is None:
        if where is not None:
            place = Location.objects.get(pk=where)
            raise ApplicationError(
                MSG_SERIAL_HELD % {"serial": serial, "location": place}, field="serial"
            )
    elif where != data.from_location.pk:
        raise ApplicationError(
            MSG_SERIAL_NOT_THERE
            % {"serial": serial, "location": data.from_location,
               "date": data.occurred_on.isoformat()},
            field="serial",
        )  # fmt: skip


@transaction.atomic
def movement_reverse(*, by: User, movement: Movement, note: str = "") -> Movement:
    """The correction of a wrong movement: the same quantity back, on the same date, so
    that stock as of that date is as if it had not happened, and the record of both stays."""
    _require_editor(by)
    if movement.kind == MovementKind.REVERSAL:
        raise ApplicationError(MSG_REVERSE_REVERSAL, field="movement")
    item = _lock_item(movement.item)
    # As recorded, not as the caller's copy may have been changed since.
    movement = Movement.objects.select_related("from_location", "to_location").get(pk=movement.pk)
    if Movement.objects.filter(reverses=movement).exists():
        raise ApplicationError(MSG_ALREADY_REVERSED, field="movement", code="reversed")
    back_from, back_to = movement.to_location, movement.from_location
    if back_from is not None:
        _check_leaving(
            item=item, location=back_from, on=movement.occurred_on, quantity=movement.quantity
        )
    reversal = Movement.objects.create(
        item=item,
        kind=MovementKind.REVERSAL,
        quantity=movement.quantity,
        from_location=back_from,
        to_location=back_to,
        occurred_on=movement.occurred_on,
        serial=movement.serial,
        authority=movement.authority,
        note=(note or "").strip()[:300],
        reverses=movement,
        recorded_by=by,
        marking=movement.marking,
        releasable_to=movement.releasable_to,
    )
    _balance_apply(reversal)
    return reversal


# ---- demilitarization ---------------------------------------------------------------------


@transaction.atomic
def destruction_lot_record(
    *,
    by: User,
    target: DestructionTarget,
    lot_number: str,
    quantity: Any,
    period: str,
    site: str = "",
    marking: str = "PARTNERSHIP",
    nations: Iterable[str] = (),
) -> DestructionLot:
    """A destroyed lot; the project's results indicator is brought up to date from the lots,
    so that the donor report shows the destroyed quantities beside the money."""
    if not can_record_lots(by):
        raise PermissionDeniedError(MSG_NOT_EDITOR)
    number = _required(lot_number, field="lot_number")
    amount = _quantity(quantity)
    text = _required(period, field="period")
    parsed = _partial_date(text, field="period")
    if parsed.start is None or parsed.start > timezone.localdate():
        raise ApplicationError(MSG_FUTURE % {"date": text}, field="period")
    target = DestructionTarget.objects.select_for_update().get(pk=target.pk)
    if target.lots.filter(lot_number=number).exists():
        raise ApplicationError(
            MSG_LOT_EXISTS % {"lot": number}, field="lot_number", code="duplicate"
        )
    mark, releasable_to = _marking(marking, nations)
    lot = DestructionLot.objects.create(
        target=target,
        lot_number=number,
        quantity=amount,
        period=text,
        site=site.strip()[:200],
        recorded_by=by,
        marking=mark,
        releasable_to=releasable_to,
    )
    destruction_indicator_sync(target=target)
    return lot


def destruction_indicator_sync(*, target: DestructionTarget) -> None:
    """The indicator's yearly actuals as the cumulative destroyed by each year's end, from
    the lots: the donor report's figures are the lots' sums, never typed twice."""
    if target.indicator_id is None:
        return
    indicator: Indicator = target.indicator  # type: ignore[assignment]
    totals: dict[int, Decimal] = {}
    for lot in target.lots.all():
        end = lot.period_end or lot.period_start
        assert end is not None
        totals[end.year] = totals.get(end.year, Decimal(0)) + lot.quantity
    # Values typed or generated for other periods are superseded by the records.
    Measurement.objects.filter(indicator=indicator).exclude(
        period__in=[str(y) for y in totals]
    ).delete()
    running = Decimal(0)
    for year in sorted(totals):
        running += totals[year]
        Measurement.objects.update_or_create(
            indicator=indicator,
            period=str(year),
            defaults={"actual": running, "demo": False},
        )
