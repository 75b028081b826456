"""API of the core: organizations and the caller."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from partnership.core.auth import READ
from partnership.core.selectors import allies_on, figure_list, organization_list

router = Router(tags=["organizations"])


class OrganizationOut(Schema):
    slug: str
    kind: str
    name: str
    name_en: str
    name_uk: str
    abbreviation: str
    country_code: str
    parent: str | None

    @staticmethod
    def resolve_parent(obj: object) -> str | None:
        parent = getattr(obj, "parent", None)
        return parent.slug if parent else None


class MeOut(Schema):
    username: str | None
    organization: str | None
    side: str
    roles: list[str]


class FigureOut(Schema):
    key: str
    value: Decimal
    unit: str
    written: str = Field(..., description="As the factsheet writes it, in the caller's language")
    written_en: str
    written_uk: str
    label: str
    label_en: str
    label_uk: str
    source_line: int | None


@router.get("/figures", response=list[FigureOut], auth=READ, tags=["figures"])
def figures(request: HttpRequest) -> object:
    """The figures the factsheet states (400,000 landmines, €25 million …), in its order."""
    return figure_list()


@router.get("/allies", response=list[OrganizationOut], auth=READ)
def allies(request: HttpRequest, on: dt.date | None = None) -> object:
    """The Allied nations on a date (today unless given), by their dated membership of NATO."""
    return allies_on(on=on or timezone.localdate())


@router.get("/organizations", response=list[OrganizationOut], auth=READ)
def organizations(request: HttpRequest) -> object:
    return organization_list()


@router.get("/me", response=MeOut, auth=READ)
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    if not user.is_authenticated:
        return {"username": None, "organization": None, "side": "none", "roles": []}
    org = user.organization
    return {
        "username": user.username,
        "organization": org.slug if org else None,
        "side": str(org.side) if org else "none",
        "roles": sorted(user.roles),
    }
