"""Logistics fixtures: the factsheet's logistics facts and demo records, a bureau and people."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.management import call_command

from partnership.core.models import Organization, Role, User
from partnership.core.services import user_create
from partnership.logistics import services
from partnership.logistics.models import CodificationBureau, Location, SupplyItem


@pytest.fixture
def logistics(db: Any) -> None:
    call_command("load_logistics", "--demo", verbosity=0)


def _person(username: str, org: str, roles: list[str]) -> User:
    found = User.objects.filter(username=username).first()
    return found or user_create(
        by=None,
        username=username,
        password="x-Unused-pass-2026",
        organization=Organization.objects.get(slug=org),
        roles=roles,
    )


@pytest.fixture
def bureau(logistics: None) -> CodificationBureau:
    return CodificationBureau.objects.get(organization__slug="ua-ncb")


@pytest.fixture
def codifier(logistics: None) -> User:
    return User.objects.get(username="ua-codifier")


@pytest.fixture
def logistician(logistics: None) -> User:
    return User.objects.get(username="ua-logistician")


@pytest.fixture
def clerk(logistics: None) -> User:
    """An editor who is not an approver: records movements but authorizes no disposal."""
    return _person("ua-clerk", "ua-armed-forces", [Role.EDITOR, Role.VIEWER])


@pytest.fixture
def places(logistics: None) -> dict[str, Location]:
    return {p.code: p for p in Location.objects.all()}


@pytest.fixture
def new_item(bureau: CodificationBureau, codifier: User, logistician: User) -> SupplyItem:
    """An item codified afresh, with no stock anywhere."""
    request = services.codification_request_submit(
        by=logistician,
        bureau=bureau,
        data=services.RequestData(
            name_en="Jerrycan, 20 l", ncage="U9C11", supplier_name="Demo Cans",
            reference="JC-20", supply_class="7240",
        ),
    )  # fmt: skip
    services.codification_request_research(by=codifier, request=request)
    item = services.codification_request_codify(by=codifier, request=request).item
    assert item is not None
    return item


DAY = dt.date(2026, 10, 1)
