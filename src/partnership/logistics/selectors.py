"""Reads of logistics, every one through `visible_to`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models import Exists, OuterRef, Q, Sum
from django.utils import timezone

from partnership.core.selectors import AnyUser, Restricted, visible_to
from partnership.logistics.codes import reference_key
from partnership.logistics.models import (
    AdoptionStatus,
    CodificationRequest,
    DestructionLot,
    DestructionTarget,
    Location,
    Movement,
    Standard,
    StandardAdoption,
    StandardArea,
    StockBalance,
    Supplier,
    SupplyItem,
)

# A status counts toward "adopted" from ratification on (with or without reservations).
ADOPTED = (
    AdoptionStatus.RATIFIED,
    AdoptionStatus.RATIFIED_RESERVATIONS,
    AdoptionStatus.IMPLEMENTED,
)


def standard_list(*, user: AnyUser, area: str = "", q: str = "") -> models.QuerySet[Standard]:
    qs = visible_to(user, Standard.objects.all())
    if area:
        qs = qs.filter(area=area)
    if q:
        qs = qs.filter(Q(number__icontains=q) | Q(title_en__icontains=q) | Q(title_uk__icontains=q))
    return qs


def standard_get(*, user: AnyUser, pk: int) -> Standard | None:
    return standard_list(user=user).filter(pk=pk).first()


def adoption_list(
    *, user: AnyUser, nation: str = "ua", standard: Standard | None = None
) -> models.QuerySet[StandardAdoption]:
    qs = visible_to(user, StandardAdoption.objects.select_related("standard", "nation"))
    if nation:
        qs = qs.filter(nation__slug=nation)
    if standard is not None:
        qs = qs.filter(standard=standard)
    return qs


def adoption_progress_by_area(*, user: AnyUser, nation: str = "ua") -> list[dict[str, Any]]:
    """Per area: the standards recorded and how many the nation has at each status."""
    standards = Counter(standard_list(user=user).values_list("area", flat=True))
    statuses: dict[str, Counter[str]] = {}
    for area, status in adoption_list(user=user, nation=nation).values_list(
        "standard__area", "status"
    ):
        statuses.setdefault(area, Counter())[status] += 1
    rows = []
    for area in StandardArea:
        total = standards.get(area.value, 0)
        if not total:
            continue
        counts = statuses.get(area.value, Counter())
        adopted = sum(counts[s] for s in ADOPTED)
        rows.append(
            {
                "area": area,
                "standards": total,
                "counts": {s: counts[s] for s in AdoptionStatus.values},
                "adopted": adopted,
                "share": adopted / total,
                "percent": round(100 * adopted / total),
            }
        )
    return rows


def adoption_progress_by_year(*, user: AnyUser, nation: str = "ua") -> list[dict[str, Any]]:
    """Each year: how many standards had been ratified and implemented by its end."""
    ratified: Counter[int] = Counter()
    implemented: Counter[int] = Counter()
    for r_start, i_start in adoption_list(user=user, nation=nation).values_list(
        "ratified_start", "implemented_start"
    ):
        if r_start:
            ratified[r_start.year] += 1
        if i_start:
            implemented[i_start.year] += 1
    years = sorted(set(ratified) | set(implemented))
    out, r_total, i_total = [], 0, 0
    for year in range(years[0], years[-1] + 1) if years else []:
        r_total += ratified[year]
        i_total += implemented[year]
        out.append({"year": year, "ratified": r_total, "implemented": i_total})
    return out


def item_search(*, user: AnyUser, q: str = "") -> models.QuerySet[SupplyItem]:
    """Items by NSN (with or without hyphens, or its NIIN), reference number, supplier
    (NCAGE or name) or name in either language."""
    qs = visible_to(user, SupplyItem.objects.all())
    q = q.strip()
    if not q:
        return qs
    digits = "".join(ch for ch in q if ch.isdigit())
    condition = Q(name_en__icontains=q)
    # SQLite folds case for ASCII only: the usual spellings of a Ukrainian word are tried.
    for spelling in {q, q.lower(), q.capitalize(), q.upper()}:
        condition |= Q(name_uk__icontains=spelling)
    if digits and len(digits) >= 4 and len(digits) == len(q.replace("-", "").replace(" ", "")):
        condition |= Q(nsn__contains=digits)
    key = reference_key(q)
    suppliers = visible_to(user, Supplier.objects.all()).filter(
        Q(ncage=q.upper()) | Q(name__icontains=q)
    )
    if key:
        condition |= Q(references__reference_key=key, references__supplier__in=_visible_ids(user))
    condition |= Q(references__supplier__in=suppliers)
    return qs.filter(condition).distinct()


def _visible_ids(user: AnyUser) -> models.QuerySet[Supplier]:
    return visible_to(user, Supplier.objects.all())


def item_get(*, user: AnyUser, nsn: str) -> SupplyItem | None:
    return visible_to(user, SupplyItem.objects.all()).filter(nsn=nsn).first()


def item_references(*, user: AnyUser, item: SupplyItem) -> list[Any]:
    return [
        r for r in item.references.select_related("supplier")
        if r.supplier in _visible_ids(user)
    ]  # fmt: skip


def request_list(*, user: AnyUser, status: str = "") -> models.QuerySet[CodificationRequest]:
    qs = visible_to(
        user, CodificationRequest.objects.select_related("unit", "supplier", "item", "bureau")
    )
    if status:
        qs = qs.filter(status=status)
    return qs


def request_get(*, user: AnyUser, number: str) -> CodificationRequest | None:
    return request_list(user=user).filter(number=number).first()


def location_list(*, user: AnyUser) -> models.QuerySet[Location]:
    return visible_to(user, Location.objects.select_related("organization"))


def location_get(*, user: AnyUser, code: str) -> Location | None:
    return location_list(user=user).filter(code=code).first()


def stock_of(*, item: SupplyItem, location: Location, on: dt.date) -> Decimal:
    """Stock as of a date from the movements: two indexed sums (see `Movement.Meta.indexes`).
    Movements the user may not see still count: stock is a fact of the place, and the
    caller has already been allowed to see the item and the place."""
    base = Movement.objects.filter(item=item, occurred_on__lte=on)
    into = base.filter(to_location=location).aggregate(s=Sum("quantity"))["s"] or 0
    out = base.filter(from_location=location).aggregate(s=Sum("quantity"))["s"] or 0
    return Decimal(into) - Decimal(out)


def holdings(
    *, user: AnyUser, on: dt.date, location: Location | None = None, item: SupplyItem | None = None
) -> list[dict[str, Any]]:
    """Every (place, item) the user may see with its stock at the end of `on`, non-zero
    only: today's balances, less what moved after `on` (nothing, for today)."""
    items = visible_to(user, SupplyItem.objects.all())
    places = location_list(user=user)
    balances = StockBalance.objects.filter(item__in=items, location__in=places)
    later = Movement.objects.filter(occurred_on__gt=on, item__in=items)
    if item is not None:
        balances, later = balances.filter(item=item), later.filter(item=item)
    totals: dict[tuple[int, int], Decimal] = {
        (place_id, item_id): quantity
        for place_id, item_id, quantity in balances.values_list(
            "location_id", "item_id", "quantity"
        )
    }
    if on < timezone.localdate():
        # Undo what came in after the date and give back what left after it.
        for place_field, sign in (("to_location", -1), ("from_location", 1)):
            rows = later.filter(**{f"{place_field}__in": places})
            for item_id, place_id, total in (
                rows.values_list("item_id", place_field).annotate(total=Sum("quantity")).order_by()
            ):
                key = (place_id, item_id)
                totals[key] = totals.get(key, Decimal(0)) + sign * total
    if location is not None:
        totals = {k: v for k, v in totals.items() if k[0] == location.pk}
    keys = [k for k, v in totals.items() if v]
    place_of = {p.pk: p for p in places.filter(pk__in={k[0] for k in keys})}
    item_of = {i.pk: i for i in items.filter(pk__in={k[1] for k in keys})}
    out: list[dict[str, Any]] = [
        {"location": place_of[p], "item": item_of[i], "quantity": totals[(p, i)]}
        for p, i in keys
        if p in place_of and i in item_of
    ]
    out.sort(key=lambda r: (str(r["location"].name_en), str(r["item"].nsn)))
    return out


def movement_list(
    *, user: AnyUser, item: SupplyItem | None = None, location: Location | None = None,
    limit: int = 200,
) -> list[Movement]:  # fmt: skip
    """The movements the user may see, newest first: the audit trail of who moved what."""
    qs = visible_to(
        user,
        Movement.objects.select_related(
            "item", "from_location", "to_location", "recorded_by", "reverses"
        ),
    )
    if item is not None:
        qs = qs.filter(item=item)
    if location is not None:
        qs = qs.filter(Q(from_location=location) | Q(to_location=location))
    qs = qs.annotate(is_reversed=Exists(Movement.objects.filter(reverses=OuterRef("pk"))))
    rows: list[Movement] = list(qs.order_by("-occurred_on", "-id")[:limit])
    # The places of the rows as the reader may see them: one read of the places through
    # `visible_to` for all rows, the placeholder for the others (the rule of `shown`).
    places = {p.pk: p for p in location_list(user=user)}
    for row in rows:
        for side in ("from_location", "to_location"):
            pk = getattr(row, f"{side}_id")
            seen = None if pk is None else places.get(pk) or Restricted()
            setattr(row, f"{side}_seen", seen)
    return rows


def movement_get(*, user: AnyUser, pk: int) -> Movement | None:
    return visible_to(user, Movement.objects.filter(pk=pk)).first()


def destruction_progress(*, user: AnyUser, project: Any = None) -> list[dict[str, Any]]:
    """Each target with what the lots the user may see add up to, by year and in all."""
    targets = visible_to(user, DestructionTarget.objects.select_related("project"))
    if project is not None:
        targets = targets.filter(project=project)
    lots = visible_to(user, DestructionLot.objects.filter(target__in=targets))
    by_target: dict[int, list[DestructionLot]] = {}
    for lot in lots.order_by("period_start", "lot_number"):
        by_target.setdefault(lot.target_id, []).append(lot)
    out = []
    for target in targets:
        mine = by_target.get(target.pk, [])
        destroyed = sum((lot.quantity for lot in mine), Decimal(0))
        years: dict[int, Decimal] = {}
        for lot in mine:
            end = lot.period_end or lot.period_start
            if end is not None:
                years[end.year] = years.get(end.year, Decimal(0)) + lot.quantity
        out.append(
            {
                "target": target,
                "lots": mine,
                "destroyed": destroyed,
                "share": float(destroyed / target.quantity) if target.quantity else 0.0,
                "percent": round(float(100 * destroyed / target.quantity), 1)
                if target.quantity
                else 0.0,
                "by_year": sorted(years.items()),
            }
        )
    return out


def target_get(*, user: AnyUser, pk: int) -> DestructionTarget | None:
    return (
        visible_to(user, DestructionTarget.objects.select_related("project")).filter(pk=pk).first()
    )


def adoption_link_choices(*, user: AnyUser) -> dict[str, models.QuerySet[Any]]:
    """What an adoption may be linked to, as far as the user may see: the measures of the
    latest programme year the user sees (a standard is served by this year's plan) and any
    already linked, every Partnership Goal and trust-fund project the user sees."""
    from partnership.anp.models import Measure
    from partnership.programmes.models import PartnershipGoal
    from partnership.trustfunds.models import Project

    measures = visible_to(user, Measure.objects.select_related("programme"))
    latest = measures.order_by("-programme__year").values_list("programme__year", flat=True)[:1]
    linked = StandardAdoption.measures.through.objects.values("measure_id")
    return {
        "measures": measures.filter(
            models.Q(programme__year__in=list(latest)) | models.Q(pk__in=linked)
        ).order_by("-programme__year", "code"),
        "partnership_goals": visible_to(user, PartnershipGoal.objects.all()).order_by("code"),
        "projects": visible_to(user, Project.objects.all()).order_by("slug"),
    }
