"""API of logistics: standards, items and their NSNs, codification requests, stock and
movements, and destruction against targets. Every answer passes the releasability rule;
references to other records pass `shown_key`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status

from partnership.core.auth import READ, WRITE, reader
from partnership.core.exceptions import ApplicationError
from partnership.core.models import NATION_KINDS, Organization, User
from partnership.core.selectors import shown_key, visible_to
from partnership.logistics import selectors, services
from partnership.logistics.models import CodificationBureau

router = Router(tags=["logistics"])


def _caller(request: HttpRequest) -> User:
    """The authenticated person a write is recorded against (WRITE lets no one else in)."""
    user = request.user
    assert isinstance(user, User)
    return user


class StandardOut(Schema):
    id: int
    number: str
    kind: str
    edition: str
    title_en: str
    title_uk: str
    custodian: str
    area: str
    marking: str
    status_ua: str | None

    @staticmethod
    def resolve_status_ua(obj: Any, context: Any) -> str | None:
        adoption = selectors.adoption_list(user=reader(context), standard=obj).first()
        return adoption.status if adoption else None


class AreaProgressOut(Schema):
    area: str
    standards: int
    adopted: int
    counts: dict[str, int]

    @staticmethod
    def resolve_area(obj: Any) -> str:
        return str(obj["area"].value)


class ItemOut(Schema):
    nsn: str
    nsn_display: str
    supply_class: str
    bureau_code: str
    name_en: str
    name_uk: str
    unit_of_issue: str
    tracked_singly: bool
    marking: str

    @staticmethod
    def resolve_supply_class(obj: Any) -> str:
        return str(obj.nsn[:4])

    @staticmethod
    def resolve_bureau_code(obj: Any) -> str:
        return str(obj.nsn[4:6])


class RequestOut(Schema):
    number: str
    status: str
    unit: str
    name_en: str
    name_uk: str
    ncage: str | None
    reference: str
    supply_class: str
    nsn: str | None
    duplicate_of: str | None
    rejection_reason: str
    marking: str

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit.slug)

    @staticmethod
    def resolve_ncage(obj: Any, context: Any) -> str | None:
        return shown_key(reader(context), obj.supplier, "ncage")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_nsn(obj: Any, context: Any) -> str | None:
        return shown_key(reader(context), obj.item, "nsn")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_duplicate_of(obj: Any, context: Any) -> str | None:
        return shown_key(reader(context), obj.duplicate_of, "nsn")  # type: ignore[no-any-return]


class RequestIn(Schema):
    name_en: str
    name_uk: str = ""
    ncage: str
    supplier_name: str = ""
    reference: str
    supply_class: str
    unit_of_issue: str = "EA"
    tracked_singly: bool = False
    bureau: str
    marking: str = "NATIONS"
    releasable_to: list[str] = ["UA"]


class RejectIn(Schema):
    reason: str


class HoldingOut(Schema):
    location: str
    nsn: str
    quantity: Decimal

    @staticmethod
    def resolve_location(obj: Any) -> str:
        return str(obj["location"].code)

    @staticmethod
    def resolve_nsn(obj: Any) -> str:
        return str(obj["item"].nsn)


class MovementOut(Schema):
    id: int
    kind: str
    nsn: str
    quantity: Decimal
    from_location: str | None
    to_location: str | None
    occurred_on: dt.date
    serial: str
    authority: str
    reverses: int | None
    marking: str

    @staticmethod
    def resolve_nsn(obj: Any) -> str:
        return str(obj.item.nsn)

    @staticmethod
    def resolve_from_location(obj: Any, context: Any) -> str | None:
        return shown_key(reader(context), obj.from_location, "code")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_to_location(obj: Any, context: Any) -> str | None:
        return shown_key(reader(context), obj.to_location, "code")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_reverses(obj: Any) -> int | None:
        return obj.reverses_id  # type: ignore[no-any-return]


class MovementIn(Schema):
    kind: str
    nsn: str
    quantity: Decimal
    occurred_on: dt.date
    from_location: str | None = None
    to_location: str | None = None
    serial: str = ""
    authority: str = ""
    note: str = ""
    marking: str = "NATIONS"
    releasable_to: list[str] = ["UA"]


class StandardIn(Schema):
    number: str
    kind: str
    title_en: str
    area: str
    edition: str = ""
    title_uk: str = ""
    custodian: str = ""
    marking: str = "PUBLIC"
    releasable_to: list[str] = []

    def data(self) -> services.StandardData:
        return services.StandardData(
            number=self.number, kind=self.kind, title_en=self.title_en, area=self.area,
            edition=self.edition, title_uk=self.title_uk, custodian=self.custodian,
            marking=self.marking, nations=tuple(self.releasable_to),
        )  # fmt: skip


class AdoptionIn(Schema):
    status: str
    studied: str = ""
    ratified: str = ""
    implemented: str = ""
    reservations: str = ""
    national_document: str = ""
    marking: str = "NATIONS"
    releasable_to: list[str] = ["UA"]
    # Links by their keys: measure ids, Partnership Goal codes, project slugs.
    measures: list[int] = []
    partnership_goals: list[str] = []
    projects: list[str] = []


class AdoptionOut(Schema):
    standard: int
    nation: str
    status: str
    studied: str
    ratified: str
    implemented: str
    reservations: str
    national_document: str
    marking: str
    measures: list[int]
    partnership_goals: list[str]
    projects: list[str]

    @staticmethod
    def resolve_standard(obj: Any) -> int:
        return int(obj.standard_id)

    @staticmethod
    def resolve_nation(obj: Any) -> str:
        return str(obj.nation.slug)

    @staticmethod
    def resolve_measures(obj: Any, context: Any) -> list[int]:
        return list(visible_to(reader(context), obj.measures.all()).values_list("pk", flat=True))

    @staticmethod
    def resolve_partnership_goals(obj: Any, context: Any) -> list[str]:
        goals = visible_to(reader(context), obj.partnership_goals.all())
        return list(goals.values_list("code", flat=True))

    @staticmethod
    def resolve_projects(obj: Any, context: Any) -> list[str]:
        return list(visible_to(reader(context), obj.projects.all()).values_list("slug", flat=True))


class TargetOut(Schema):
    id: int
    project: str | None
    category: str
    unit: str
    target: Decimal
    destroyed: Decimal
    share: float
    source_line: int | None
    by_year: list[tuple[int, Decimal]]

    @staticmethod
    def resolve_id(obj: Any) -> int:
        return int(obj["target"].pk)

    @staticmethod
    def resolve_project(obj: Any, context: Any) -> str | None:
        return shown_key(reader(context), obj["target"].project, "slug")  # type: ignore[no-any-return]

    @staticmethod
    def resolve_category(obj: Any) -> str:
        return str(obj["target"].category)

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj["target"].unit)

    @staticmethod
    def resolve_target(obj: Any) -> Decimal:
        return Decimal(obj["target"].quantity)

    @staticmethod
    def resolve_source_line(obj: Any) -> int | None:
        return obj["target"].source_line  # type: ignore[no-any-return]


class LotIn(Schema):
    lot_number: str
    quantity: Decimal
    period: str
    site: str = ""
    marking: str = "PARTNERSHIP"
    releasable_to: list[str] = []


@router.get("/logistics/standards", response=list[StandardOut], auth=READ)
def standards(request: HttpRequest, area: str = "", q: str = "") -> Any:
    return selectors.standard_list(user=request.user, area=area, q=q)


@router.post("/logistics/standards", response={201: StandardOut}, auth=WRITE)
def standard_create(request: HttpRequest, payload: StandardIn) -> Any:
    return Status(201, services.standard_create(by=_caller(request), data=payload.data()))


def _standard(request: HttpRequest, pk: int) -> Any:
    found = selectors.standard_get(user=request.user, pk=pk)
    if found is None:
        raise Http404
    return found


@router.put("/logistics/standards/{pk}", response=StandardOut, auth=WRITE)
def standard_update(request: HttpRequest, pk: int, payload: StandardIn) -> Any:
    standard = _standard(request, pk)
    return services.standard_update(by=_caller(request), standard=standard, data=payload.data())


def _links(user: User, keys: list[Any], model: Any, field: str, key: str) -> list[Any]:
    """The records the keys name, as far as the caller may see them: a key of a hidden or
    unknown record is refused naming the field, alike (a stranger learns nothing)."""
    found = list(visible_to(user, model.objects.filter(**{f"{key}__in": keys})))
    if len(found) != len(set(keys)):
        raise services.link_refused(field)
    return found


@router.put("/logistics/standards/{pk}/adoptions/{nation}", response=AdoptionOut, auth=WRITE)
def adoption_set(request: HttpRequest, pk: int, nation: str, payload: AdoptionIn) -> Any:
    from partnership.anp.models import Measure
    from partnership.programmes.models import PartnershipGoal
    from partnership.trustfunds.models import Project

    user = _caller(request)
    standard = _standard(request, pk)
    country = Organization.objects.filter(slug=nation, kind__in=NATION_KINDS).first()
    if country is None:
        raise Http404
    return services.standard_adoption_set(
        by=user, standard=standard, nation=country,
        data=services.AdoptionData(
            status=payload.status, studied=payload.studied, ratified=payload.ratified,
            implemented=payload.implemented, reservations=payload.reservations,
            national_document=payload.national_document, marking=payload.marking,
            nations=tuple(payload.releasable_to),
        ),
        measures=_links(user, payload.measures, Measure, "measures", "pk"),
        partnership_goals=_links(
            user, payload.partnership_goals, PartnershipGoal, "partnership_goals", "code"
        ),
        projects=_links(user, payload.projects, Project, "projects", "slug"),
    )  # fmt: skip


@router.get("/logistics/standards/progress", response=list[AreaProgressOut], auth=READ)
def standards_progress(request: HttpRequest) -> Any:
    return selectors.adoption_progress_by_area(user=request.user)


@router.get("/logistics/items", response=list[ItemOut], auth=READ)
def items(request: HttpRequest, q: str = "") -> Any:
    return selectors.item_search(user=request.user, q=q)[:500]


def _item(request: HttpRequest, nsn: str) -> Any:
    found = selectors.item_get(user=request.user, nsn=services.item_nsn_check(nsn))
    if found is None:
        raise Http404
    return found


@router.get("/logistics/items/{nsn}", response=ItemOut, auth=READ)
def item(request: HttpRequest, nsn: str) -> Any:
    return _item(request, nsn)


@router.get("/logistics/items/{nsn}/stock", response=list[HoldingOut], auth=READ)
def item_stock(request: HttpRequest, nsn: str, on: dt.date | None = None) -> Any:
    return selectors.holdings(
        user=request.user, on=on or timezone.localdate(), item=_item(request, nsn)
    )


@router.get("/logistics/items/{nsn}/movements", response=list[MovementOut], auth=READ)
def item_movements(request: HttpRequest, nsn: str) -> Any:
    return selectors.movement_list(user=request.user, item=_item(request, nsn), limit=1000)


@router.get("/logistics/holdings", response=list[HoldingOut], auth=READ)
def holdings(request: HttpRequest, on: dt.date | None = None, location: str = "") -> Any:
    place = selectors.location_get(user=request.user, code=location) if location else None
    if location and place is None:
        raise Http404
    return selectors.holdings(user=request.user, on=on or timezone.localdate(), location=place)


@router.post("/logistics/movements", response={201: MovementOut}, auth=WRITE)
def movement_create(request: HttpRequest, payload: MovementIn) -> Any:
    user = request.user
    found = _item(request, payload.nsn)
    places = {}
    for field in ("from_location", "to_location"):
        code = getattr(payload, field)
        places[field] = selectors.location_get(user=user, code=code) if code else None
        if code and places[field] is None:
            raise ApplicationError(services.MSG_REQUIRED, field=field, code="unknown")
    movement = services.movement_record(
        by=_caller(request),
        item=found,
        data=services.MovementData(
            kind=payload.kind, quantity=payload.quantity, occurred_on=payload.occurred_on,
            from_location=places["from_location"], to_location=places["to_location"],
            serial=payload.serial, authority=payload.authority, note=payload.note,
            marking=payload.marking, nations=tuple(payload.releasable_to),
        ),
    )  # fmt: skip
    return Status(201, movement)


@router.post("/logistics/movements/{pk}/reversal", response={201: MovementOut}, auth=WRITE)
def movement_reverse(request: HttpRequest, pk: int) -> Any:
    movement = selectors.movement_get(user=request.user, pk=pk)
    if movement is None:
        raise Http404
    return Status(201, services.movement_reverse(by=_caller(request), movement=movement))


@router.get("/logistics/requests", response=list[RequestOut], auth=READ)
def requests(request: HttpRequest, status: str = "") -> Any:
    return selectors.request_list(user=request.user, status=status)[:500]


def _request(request: HttpRequest, number: str) -> Any:
    found = selectors.request_get(user=request.user, number=number)
    if found is None:
        raise Http404
    return found


@router.get("/logistics/requests/{number}", response=RequestOut, auth=READ)
def request_detail(request: HttpRequest, number: str) -> Any:
    return _request(request, number)


@router.post("/logistics/requests", response={201: RequestOut}, auth=WRITE)
def request_create(request: HttpRequest, payload: RequestIn) -> Any:
    bureau = CodificationBureau.objects.filter(code=payload.bureau).first()
    created = services.codification_request_submit(
        by=_caller(request),
        bureau=bureau or payload.bureau,
        data=services.RequestData(
            name_en=payload.name_en, name_uk=payload.name_uk, ncage=payload.ncage,
            supplier_name=payload.supplier_name, reference=payload.reference,
            supply_class=payload.supply_class, unit_of_issue=payload.unit_of_issue,
            tracked_singly=payload.tracked_singly, marking=payload.marking,
            nations=tuple(payload.releasable_to),
        ),
    )  # fmt: skip
    return Status(201, created)


@router.post("/logistics/requests/{number}/research", response=RequestOut, auth=WRITE)
def request_research(request: HttpRequest, number: str) -> Any:
    return services.codification_request_research(
        by=_caller(request), request=_request(request, number)
    )


@router.post("/logistics/requests/{number}/codify", response=RequestOut, auth=WRITE)
def request_codify(request: HttpRequest, number: str) -> Any:
    return services.codification_request_codify(
        by=_caller(request), request=_request(request, number)
    )


@router.post("/logistics/requests/{number}/reject", response=RequestOut, auth=WRITE)
def request_reject(request: HttpRequest, number: str, payload: RejectIn) -> Any:
    return services.codification_request_reject(
        by=_caller(request),
        request=_request(request, number),
        reason=payload.reason,
    )


@router.get("/logistics/destruction", response=list[TargetOut], auth=READ)
def destruction(request: HttpRequest) -> Any:
    return selectors.destruction_progress(user=request.user)


@router.post("/logistics/destruction/{pk}/lots", response={201: TargetOut}, auth=WRITE)
def lot_create(request: HttpRequest, pk: int, payload: LotIn) -> Any:
    target = selectors.target_get(user=request.user, pk=pk)
    if target is None:
        raise Http404
    services.destruction_lot_record(
        by=_caller(request),
        target=target, lot_number=payload.lot_number, quantity=payload.quantity,
        period=payload.period, site=payload.site, marking=payload.marking,
        nations=payload.releasable_to,
    )  # fmt: skip
    [row] = [r for r in selectors.destruction_progress(user=request.user) if r["target"] == target]
    return Status(201, row)
