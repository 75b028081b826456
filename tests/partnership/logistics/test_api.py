"""The logistics API: reads filtered by releasability, writes through the same services."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from partnership.logistics.models import SupplyItem
from tests.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_national_items_are_seen_by_the_partner_and_nato_not_by_the_public(logistics: None) -> None:
    assert Client().get("/api/logistics/items").json() == []
    seen = _client("ua-viewer").get("/api/logistics/items?q=6ST-190A").json()
    assert [row["name_en"] for row in seen] == ["Battery, storage, 12 V"]
    assert seen[0]["supply_class"] == "6140" and len(seen[0]["nsn"]) == 13
    # Releasable to Ukraine only: a Georgian viewer sees none of it.
    assert _client("ge-viewer").get("/api/logistics/items").json() == []


def test_stock_as_of_a_date_and_the_movements_behind_it(logistics: None) -> None:
    battery = SupplyItem.objects.get(references__reference="6ST-190A")
    client = _client("ua-viewer")
    now = {r["location"]: Decimal(r["quantity"]) for r in
           client.get(f"/api/logistics/items/{battery.nsn}/stock").json()}  # fmt: skip
    assert now == {"depot-central-1": 250, "depot-west-2": 90, "unit-logistics-bn": 60}
    before = client.get(f"/api/logistics/items/{battery.nsn}/stock?on=2026-09-01").json()
    assert [(r["location"], Decimal(r["quantity"])) for r in before] == [("depot-central-1", 400)]
    assert len(client.get(f"/api/logistics/items/{battery.nsn}/movements").json()) == 3


def test_a_malformed_nsn_in_the_path_is_refused_naming_the_field(logistics: None) -> None:
    answer = _client("ua-viewer").get("/api/logistics/items/12-34")
    assert answer.status_code == 400 and answer.json()["field"] == "nsn"


def test_a_request_through_the_api_from_received_to_codified(logistics: None) -> None:
    unit, bureau = _client("ua-logistician"), _client("ua-codifier")
    created = unit.post(
        "/api/logistics/requests",
        {"name_en": "Boots, combat", "ncage": "U6B02", "supplier_name": "Demo Boots",
         "reference": "B-42", "supply_class": "8430", "bureau": "90"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    number = created.json()["number"]
    assert unit.post(f"/api/logistics/requests/{number}/research").status_code == 403
    assert (
        bureau.post(f"/api/logistics/requests/{number}/research").json()["status"] == "researched"
    )
    done = bureau.post(f"/api/logistics/requests/{number}/codify").json()
    assert done["status"] == "codified" and done["nsn"].startswith("843090")


def test_a_disposal_without_authority_is_refused_naming_the_field(logistics: None) -> None:
    battery = SupplyItem.objects.get(references__reference="6ST-190A")
    answer = _client("ua-logistician").post(
        "/api/logistics/movements",
        {"kind": "disposal", "nsn": battery.nsn, "quantity": "1", "occurred_on": "2026-11-01",
         "from_location": "depot-central-1"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 400 and answer.json()["field"] == "authority"


def test_destruction_against_targets(logistics: None) -> None:
    rows = {r["category"]: r for r in Client().get("/api/logistics/destruction").json()}
    assert Decimal(rows["munitions"]["target"]) == 133_000
    assert rows["munitions"]["source_line"] == 81
    assert Decimal(rows["landmines"]["destroyed"]) == 400_000
    assert rows["munitions"]["project"] == "demilitarization-munitions"


def test_a_movement_cannot_be_changed_or_deleted_through_the_api(logistics: None) -> None:
    from partnership.logistics.models import Movement

    movement = Movement.objects.first()
    assert movement is not None
    client = _client("ua-logistician")
    for method in (client.put, client.patch, client.delete):
        answer = method(
            f"/api/logistics/movements/{movement.pk}", {}, content_type="application/json"
        )
        assert answer.status_code in (404, 405)
    assert Movement.objects.get(pk=movement.pk).quantity == movement.quantity
