"""API of the core: organizations and the caller."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from partnership.api.auth import READ
from partnership.core.selectors import organization_list

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
