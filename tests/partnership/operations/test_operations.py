"""Which operations Ukraine contributed to, when, with what — from the loaded factsheet."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from partnership.core.models import Figure
from partnership.operations.models import Contribution
from partnership.operations.selectors import contributions_by_operation

pytestmark = pytest.mark.django_db


def test_every_operation_the_factsheet_names_has_ukrainian_contributions() -> None:
    groups = contributions_by_operation(user=AnonymousUser(), contributor="ua")
    slugs = {operation.slug for operation, _c in groups}

    assert slugs == {"ifor-sfor", "kfor", "isaf", "ntm-a", "resolute-support", "ntm-i",
                     "active-endeavour", "ocean-shield", "nrf"}  # fmt: skip


def test_the_six_active_endeavour_deployments_match_the_stated_figure() -> None:
    ships = Contribution.objects.filter(operation__slug="active-endeavour", kind="ship")

    assert ships.count() == Figure.objects.get(key="active-endeavour-deployments").value == 6


def test_the_operations_page_answers_when_and_with_what(client: Client) -> None:
    english = client.get("/en/operations/").content.decode()
    ukrainian = client.get("/uk/operations/").content.decode()

    assert "Heavy Engineer Platoon" in english and "May 2015" in english
    assert "A frigate" in english and "Q4 2013" in english
    assert "March 2005-December 2011" in english  # officers to NTM-I
    assert "Фрегат" in ukrainian and "з січня 2015" in ukrainian
    assert english.index("June 2007") < english.index("date not stated")


def test_the_api_lists_contributions(client: Client) -> None:
    rows = client.get("/api/contributions?contributor=ua").json()

    assert len(rows) == 17
    nrf = [r for r in rows if r["operation"] == "nrf"]
    assert {r["kind"] for r in nrf} == {"specialist", "airlift"}
