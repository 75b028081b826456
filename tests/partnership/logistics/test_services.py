"""Every rule of the logistics services: codification, stock, disposal, lots, standards."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Measurement, Organization, User
from partnership.logistics import selectors, services
from partnership.logistics.models import (
    CodificationBureau,
    DestructionTarget,
    Location,
    Movement,
    RequestStatus,
    Standard,
    SupplyItem,
)

from .conftest import DAY

pytestmark = pytest.mark.django_db


def _request(by: User, bureau: CodificationBureau, **changes: object) -> services.RequestData:
    values: dict[str, object] = {
        "name_en": "Lamp, signal", "ncage": "U1L22", "supplier_name": "Demo Lamps",
        "reference": "SL-7", "supply_class": "6230",
    }  # fmt: skip
    values.update(changes)
    return services.RequestData(**values)  # type: ignore[arg-type]


# ---- codification -------------------------------------------------------------------------


def test_a_request_goes_from_received_through_research_to_a_new_nsn(
    bureau: CodificationBureau, codifier: User, logistician: User
) -> None:
    request = services.codification_request_submit(
        by=logistician, bureau=bureau, data=_request(logistician, bureau)
    )
    assert request.status == RequestStatus.RECEIVED and request.number.startswith("CR-")
    assert request.unit.slug == "ua-armed-forces"

    request = services.codification_request_research(by=codifier, request=request)
    assert request.status == RequestStatus.RESEARCHED and request.duplicate_of is None

    request = services.codification_request_codify(by=codifier, request=request)
    item = request.item
    assert request.status == RequestStatus.CODIFIED and item is not None
    # The supply class requested, then the bureau's code, then its next item number.
    assert item.nsn[:4] == "6230" and item.nsn[4:6] == bureau.code
    assert len(item.nsn) == 13 and item.references.get().reference == "SL-7"


def test_item_numbers_are_the_bureaus_own_and_never_repeat(
    bureau: CodificationBureau, codifier: User, logistician: User
) -> None:
    niins = set()
    for ref in ("A-1", "A-2"):
        r = services.codification_request_submit(
            by=logistician, bureau=bureau, data=_request(logistician, bureau, reference=ref)
        )
        services.codification_request_research(by=codifier, request=r)
        niins.add(services.codification_request_codify(by=codifier, request=r).item.nsn[4:])  # type: ignore[union-attr]
    assert len(niins) == 2


def test_a_reference_already_codified_is_found_and_gets_no_new_number(
    bureau: CodificationBureau, codifier: User, logistician: User
) -> None:
    # Given the demo battery codified under U7K21 6ST-190A
    battery = SupplyItem.objects.get(references__reference="6ST-190A")
    # When a unit asks again, writing the reference differently
    request = services.codification_request_submit(
        by=logistician,
        bureau=bureau,
        data=_request(logistician, bureau, ncage="u7k21", reference="6st 190a"),
    )
    request = services.codification_request_research(by=codifier, request=request)
    request = services.codification_request_codify(by=codifier, request=request)

    # Then research names the existing item and codifying returns its NSN
    assert request.duplicate_of == battery and request.item == battery
    assert SupplyItem.objects.filter(references__reference_key="6ST190A").count() == 1


def test_a_rejection_needs_a_reason_and_ends_the_request(
    bureau: CodificationBureau, codifier: User, logistician: User
) -> None:
    request = services.codification_request_submit(
        by=logistician, bureau=bureau, data=_request(logistician, bureau)
    )
    with pytest.raises(ApplicationError) as refused:
        services.codification_request_reject(by=codifier, request=request, reason="  ")
    assert refused.value.field == "rejection_reason"

    request = services.codification_request_reject(
        by=codifier, request=request, reason="Commercial item: use the manufacturer's number."
    )
    assert request.status == RequestStatus.REJECTED

    with pytest.raises(ApplicationError, match="rejected cannot be codified"):
        services.codification_request_codify(by=codifier, request=request)


def test_a_request_is_researched_before_it_is_codified(
    bureau: CodificationBureau, codifier: User, logistician: User
) -> None:
    request = services.codification_request_submit(
        by=logistician, bureau=bureau, data=_request(logistician, bureau)
    )
    with pytest.raises(ApplicationError, match="received cannot be codified") as refused:
        services.codification_request_codify(by=codifier, request=request)
    assert refused.value.code == "transition"


def test_only_the_bureaus_staff_research_and_codify(
    bureau: CodificationBureau, logistician: User
) -> None:
    request = services.codification_request_submit(
        by=logistician, bureau=bureau, data=_request(logistician, bureau)
    )
    with pytest.raises(PermissionDeniedError):
        services.codification_request_research(by=logistician, request=request)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"ncage": "UIO12"}, "ncage"),
        ({"supply_class": "99"}, "supply_class"),
        ({"reference": " -- "}, "reference"),
        ({"name_en": ""}, "name_en"),
        ({"ncage": "U2N33", "supplier_name": ""}, "supplier_name"),
    ],
)
def test_a_bad_request_is_refused_naming_the_field_and_nothing_is_saved(
    bureau: CodificationBureau, logistician: User, change: dict[str, str], field: str
) -> None:
    before = bureau.requests.count()
    with pytest.raises(ApplicationError) as refused:
        services.codification_request_submit(
            by=logistician, bureau=bureau, data=_request(logistician, bureau, **change)
        )
    assert refused.value.field == field
    assert bureau.requests.count() == before


def test_a_duplicate_reference_is_refused_naming_the_item_it_belongs_to(
    codifier: User, new_item: SupplyItem
) -> None:
    battery = SupplyItem.objects.get(references__reference="6ST-190A")
    with pytest.raises(ApplicationError) as refused:
        services.item_reference_add(by=codifier, item=new_item, ncage="U7K21", reference="6ST190A")
    assert refused.value.field == "reference" and refused.value.code == "duplicate"
    assert battery.nsn_display in str(refused.value.message)


def test_a_typed_nsn_is_checked_before_it_is_looked_up() -> None:
    assert services.item_nsn_check("6140-90-000-0001") == "6140900000001"
    with pytest.raises(ApplicationError) as refused:
        services.item_nsn_check("6140-90-000")
    assert refused.value.field == "nsn" and refused.value.code == "malformed"


# ---- stock --------------------------------------------------------------------------------


def _move(by: User, item: SupplyItem, kind: str, qty: object, src: Location | None,
          dst: Location | None, on: dt.date = DAY, **extra: str) -> Movement:  # fmt: skip
    return services.movement_record(
        by=by,
        item=item,
        data=services.MovementData(
            kind=kind, quantity=qty, occurred_on=on, from_location=src, to_location=dst, **extra
        ),
    )


def test_receipts_issues_and_transfers_give_stock_as_of_any_date(
    logistician: User, new_item: SupplyItem, places: dict[str, Location]
) -> None:
    central, west = places["depot-central-1"], places["depot-west-2"]
    _move(logistician, new_item, "receipt", 100, None, central, DAY)
    _move(logistician, new_item, "transfer", 30, central, west, DAY + dt.timedelta(days=2))

    def stock(place: Location, on: dt.date) -> Decimal:
        return selectors.stock_of(item=new_item, location=place, on=on)

    assert stock(central, DAY) == 100 and stock(west, DAY) == 0
    assert stock(central, DAY + dt.timedelta(days=2)) == 70
    assert stock(west, DAY + dt.timedelta(days=2)) == 30
    assert stock(central, DAY - dt.timedelta(days=1)) == 0


def test_a_movement_that_takes_stock_below_zero_is_refused(
    logistician: User, new_item: SupplyItem, places: dict[str, Location]
) -> None:
    central, unit = places["depot-central-1"], places["unit-logistics-bn"]
    _move(logistician, new_item, "receipt", 10, None, central)
    with pytest.raises(ApplicationError) as refused:
        _move(logistician, new_item, "issue", 11, central, unit)
    assert refused.value.field == "quantity" and refused.value.code == "below_zero"
    assert Movement.objects.filter(item=new_item).count() == 1


def test_a_backdated_movement_cannot_undercut_what_later_movements_took(
    logistician: User, new_item: SupplyItem, places: dict[str, Location]
) -> None:
    # Given 10 received on the 1st and 10 issued on the 5th
    central, unit = places["depot-central-1"], places["unit-logistics-bn"]
    _move(logistician, new_item, "receipt", 10, None, central, DAY)
    _move(logistician, new_item, "issue", 10, central, unit, DAY + dt.timedelta(days=4))
    # When someone records an issue of 5 on the 3rd, when 10 were still there
    with pytest.raises(ApplicationError) as refused:
        _move(logistician, new_item, "issue", 5, central, unit, DAY + dt.timedelta(days=2))
    # Then it is refused: the issue of the 5th would no longer be covered
    assert refused.value.field == "occurred_on"


@pytest.mark.parametrize(
    ("kind", "src", "dst", "field"),
    [
        ("receipt", "depot-central-1", "depot-west-2", "from_location"),
        ("transfer", "depot-central-1", None, "to_location"),
        ("disposal", "depot-central-1", "depot-west-2", "to_location"),
        ("transfer", "depot-central-1", "depot-central-1", "to_location"),
    ],
)
def test_each_kind_of_movement_goes_between_the_places_it_should(
    logistician: User, new_item: SupplyItem, places: dict[str, Location],
    kind: str, src: str | None, dst: str | None, field: str,
) -> None:  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        _move(logistician, new_item, kind, 1, places.get(src or ""), places.get(dst or ""),
              authority="Order 1")  # fmt: skip
    assert refused.value.field == field


@pytest.mark.parametrize("qty", [0, -3, "abc", "NaN", "1e20"])
def test_a_quantity_is_a_number_above_zero(
    logistician: User, new_item: SupplyItem, places: dict[str, Location], qty: object
) -> None:
    with pytest.raises(ApplicationError) as refused:
        _move(logistician, new_item, "receipt", qty, None, places["depot-central-1"])
    assert refused.value.field == "quantity"


def test_a_disposal_needs_an_authority_and_an_approver(
    logistician: User, clerk: User, new_item: SupplyItem, places: dict[str, Location]
) -> None:
    central = places["depot-central-1"]
    _move(logistician, new_item, "receipt", 5, None, central)
    with pytest.raises(ApplicationError) as refused:
        _move(logistician, new_item, "disposal", 2, central, None)
    assert refused.value.field == "authority"
    with pytest.raises(PermissionDeniedError):
        _move(clerk, new_item, "disposal", 2, central, None, authority="Act 14/2026")

    _move(logistician, new_item, "disposal", 2, central, None, authority="Act 14/2026")
    assert selectors.stock_of(item=new_item, location=central, on=DAY) == 3


def test_movements_are_never_edited_but_reversed_once(
    logistician: User, new_item: SupplyItem, places: dict[str, Location]
) -> None:
    central = places["depot-central-1"]
    wrong = _move(logistician, new_item, "receipt", 50, None, central)

    reversal = services.movement_reverse(by=logistician, movement=wrong, note="typed 50, was 5")
    assert reversal.reverses == wrong and reversal.from_location == central
    assert selectors.stock_of(item=new_item, location=central, on=DAY) == 0
    with pytest.raises(ApplicationError, match="already been reversed"):
        services.movement_reverse(by=logistician, movement=wrong)
    with pytest.raises(ApplicationError, match="not reversed"):
        services.movement_reverse(by=logistician, movement=reversal)


def test_a_reversal_cannot_take_stock_that_has_moved_on(
    logistician: User, new_item: SupplyItem, places: dict[str, Location]
) -> None:
    central, west = places["depot-central-1"], places["depot-west-2"]
    receipt = _move(logistician, new_item, "receipt", 10, None, central)
    _move(logistician, new_item, "transfer", 10, central, west, DAY + dt.timedelta(days=1))
    with pytest.raises(ApplicationError):
        services.movement_reverse(by=logistician, movement=receipt)


def test_items_tracked_singly_move_by_serial_number(
    logistician: User, places: dict[str, Location]
) -> None:
    radio = SupplyItem.objects.get(tracked_singly=True)
    central, unit = places["depot-central-1"], places["unit-logistics-bn"]
    with pytest.raises(ApplicationError) as refused:
        _move(logistician, radio, "issue", 2, central, unit, serial="R187-0001")
    assert refused.value.field == "serial"
    with pytest.raises(ApplicationError, match="already held"):
        _move(logistician, radio, "receipt", 1, None, unit, serial="R187-0001")

    _move(logistician, radio, "issue", 1, central, unit, serial="R187-0001")
    with pytest.raises(ApplicationError, match="is not held at"):
        _move(logistician, radio, "issue", 1, central, unit, serial="R187-0001")


def test_movements_keep_who_recorded_them(
    logistician: User, new_item: SupplyItem, places: dict[str, Location]
) -> None:
    moved = _move(logistician, new_item, "receipt", 1, None, places["depot-central-1"])
    assert moved.recorded_by == logistician
    assert moved.history.get().history_type == "+"  # type: ignore[attr-defined]


def test_only_editors_move_stock(new_item: SupplyItem, places: dict[str, Location]) -> None:
    viewer = User.objects.get(username="ua-viewer")
    with pytest.raises(PermissionDeniedError):
        _move(viewer, new_item, "receipt", 1, None, places["depot-central-1"])


# ---- demilitarization ---------------------------------------------------------------------


def test_the_factsheet_targets_are_loaded_from_its_figures(logistics: None) -> None:
    targets = {t.category: t for t in DestructionTarget.objects.all()}
    assert targets["munitions"].quantity == 133_000 and targets["munitions"].unit == "t"
    assert targets["small_arms"].quantity == 1_500_000
    assert targets["manpads"].quantity == 1_000
    assert targets["landmines"].quantity == 400_000
    assert targets["munitions"].source_line == 81
    assert "133,000 tons" in targets["munitions"].source_text


def test_a_lot_counts_toward_its_target_and_the_donor_indicator(logistics: None) -> None:
    target = DestructionTarget.objects.get(category="manpads")
    reporter = User.objects.get(username="ua-reporter")
    services.destruction_lot_record(by=reporter, target=target, lot_number="M-1", quantity=40,
                                    period="2013-05")  # fmt: skip
    services.destruction_lot_record(by=reporter, target=target, lot_number="M-2", quantity=60,
                                    period="2014")  # fmt: skip

    row = next(r for r in selectors.destruction_progress(user=reporter) if r["target"] == target)
    assert row["destroyed"] == 100 and row["share"] == pytest.approx(0.1)
    # The donor report's indicator holds the cumulative destroyed by each year's end, and
    # nothing else (the demo's generated actuals are superseded by the records).
    values = dict(
        Measurement.objects.filter(indicator=target.indicator).values_list("period", "actual")
    )
    assert values == {"2013": 40, "2014": 100}


@pytest.mark.parametrize(
    ("change", "field"),
    [({"quantity": 0}, "quantity"), ({"period": "sometime"}, "period"),
     ({"period": "2099"}, "period"), ({"lot_number": "DEMO-2012-01"}, "lot_number")],
)  # fmt: skip
def test_a_bad_lot_is_refused_naming_the_field(
    logistics: None, change: dict[str, object], field: str
) -> None:
    target = DestructionTarget.objects.get(category="munitions")
    reporter = User.objects.get(username="ua-reporter")
    values: dict[str, object] = {"lot_number": "L-9", "quantity": 5, "period": "2014"}
    values.update(change)
    with pytest.raises(ApplicationError) as refused:
        services.destruction_lot_record(by=reporter, target=target, **values)  # type: ignore[arg-type]
    assert refused.value.field == field


# ---- standardization ----------------------------------------------------------------------


def test_a_standards_adoption_needs_the_date_of_its_status(logistician: User) -> None:
    standard = Standard.objects.get(number="STANAG 4199")
    ua = Organization.objects.get(slug="ua")
    with pytest.raises(ApplicationError) as refused:
        services.standard_adoption_set(
            by=logistician, standard=standard, nation=ua,
            data=services.AdoptionData(status="ratified", studied="2019"),
        )  # fmt: skip
    assert refused.value.field == "ratified"
    with pytest.raises(ApplicationError) as refused:
        services.standard_adoption_set(
            by=logistician, standard=standard, nation=ua,
            data=services.AdoptionData(status="ratified_reservations", ratified="2020-23"),
        )  # fmt: skip
    assert refused.value.field == "reservations"

    adoption = services.standard_adoption_set(
        by=logistician, standard=standard, nation=ua,
        data=services.AdoptionData(status="ratified", ratified="2020-23",
                                   national_document="Order of the MoD No. 1 (demo)"),
    )  # fmt: skip
    assert adoption.ratified_start == dt.date(2020, 9, 1)


def test_progress_by_area_and_over_time(logistics: None) -> None:
    user = User.objects.get(username="ua-viewer")
    [codification] = selectors.adoption_progress_by_area(user=user)
    assert codification["standards"] == 5 and codification["adopted"] == 2
    years = {row["year"]: row for row in selectors.adoption_progress_by_year(user=user)}
    assert years[2016]["ratified"] == 1 and years[2017]["ratified"] == 2
    assert years[2018]["implemented"] == 1


def test_a_standard_edition_is_recorded_once(logistician: User) -> None:
    data = services.StandardData(number="STANAG 3150", kind="stanag", title_en="x",
                                 area="codification")  # fmt: skip
    with pytest.raises(ApplicationError) as refused:
        services.standard_create(by=logistician, data=data)
    assert refused.value.code == "duplicate"


def test_todays_balances_are_the_sum_of_the_movements(
    logistician: User, new_item: SupplyItem, places: dict[str, Location]
) -> None:
    from partnership.logistics.models import StockBalance

    central, west = places["depot-central-1"], places["depot-west-2"]
    _move(logistician, new_item, "receipt", 40, None, central, DAY)
    wrong = _move(logistician, new_item, "transfer", 15, central, west, DAY)
    services.movement_reverse(by=logistician, movement=wrong)
    _move(logistician, new_item, "transfer", 5, central, west, DAY)

    def kept() -> dict[str, Decimal]:
        return {
            b.location.code: b.quantity
            for b in StockBalance.objects.filter(item=new_item)
            if b.quantity
        }

    assert kept() == {"depot-central-1": 35, "depot-west-2": 5}
    services.stock_balance_rebuild(item=new_item)
    assert kept() == {"depot-central-1": 35, "depot-west-2": 5}


def test_holdings_as_of_a_past_date_undo_what_moved_since(
    logistician: User, new_item: SupplyItem, places: dict[str, Location]
) -> None:
    central, west = places["depot-central-1"], places["depot-west-2"]
    _move(logistician, new_item, "receipt", 40, None, central, DAY)
    _move(logistician, new_item, "transfer", 15, central, west, DAY + dt.timedelta(days=3))

    def held(on: dt.date) -> dict[str, Decimal]:
        rows = selectors.holdings(user=logistician, on=on, item=new_item)
        return {r["location"].code: r["quantity"] for r in rows}

    assert held(DAY + dt.timedelta(days=5)) == {"depot-central-1": 25, "depot-west-2": 15}
    assert held(DAY + dt.timedelta(days=1)) == {"depot-central-1": 40}
    assert held(DAY - dt.timedelta(days=1)) == {}
    for on in (DAY, DAY + dt.timedelta(days=3)):
        for code, quantity in held(on).items():
            assert selectors.stock_of(item=new_item, location=places[code], on=on) == quantity
