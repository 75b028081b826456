"""Exchange agreements in the platform: both sides approve; the export is what `asde run` reads."""

import pytest
import yaml
from django.test import Client

from partnership.airpicture.models import ExchangeAgreement
from partnership.airpicture.services import agreement_approve, agreement_export
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, User

pytestmark = pytest.mark.django_db

SQUARE = {"type": "Polygon", "coordinates": [[[22, 48], [26, 48], [26, 51], [22, 51], [22, 48]]]}


def draft() -> ExchangeAgreement:
    return ExchangeAgreement.objects.create(
        sender=Organization.objects.get(slug="nato"), partner=Organization.objects.get(slug="ua"),
        version=9, name="Draft band", valid_from="2026-12-01", area=SQUARE, marking="PARTNERSHIP",
        remove_items="I062/380/ADR",
    )  # fmt: skip


def test_a_version_needs_both_sides_to_approve() -> None:
    agreement = draft()

    agreement = agreement_approve(by=User.objects.get(username="nato-airops"), agreement=agreement)
    assert not agreement.approved
    with pytest.raises(ApplicationError):
        agreement_approve(by=User.objects.get(username="nato-airops"), agreement=agreement)
    agreement = agreement_approve(by=User.objects.get(username="ua-airops"), agreement=agreement)
    assert agreement.approved


def test_a_stored_version_the_service_would_refuse_is_not_approved() -> None:
    # given a version saved before the service's rules were checked here
    agreement = draft()
    ExchangeAgreement.objects.filter(pk=agreement.pk).update(remove_items="I062/040")

    with pytest.raises(ApplicationError) as info:
        agreement_approve(by=User.objects.get(username="nato-airops"), agreement=agreement)

    assert info.value.field == "remove_items"
    agreement.refresh_from_db()
    assert agreement.approved_by_sender_id is None


def test_only_approvers_of_the_two_sides_approve() -> None:
    with pytest.raises(PermissionDeniedError):
        agreement_approve(by=User.objects.get(username="ge-viewer"), agreement=draft())


def test_the_export_is_an_agreement_asde_accepts(tmp_path: object) -> None:
    from asde.agreements import agreement_from_mapping

    exported = yaml.safe_load(agreement_export(draft()))
    parsed = agreement_from_mapping(exported)

    assert (parsed.partner, parsed.version, parsed.remove_items) == ("UA", 9, ("I062/380/ADR",))


def test_the_live_map_is_for_air_operations_staff(client: Client) -> None:
    client.force_login(User.objects.get(username="ua-viewer"))
    assert client.get("/en/airpicture/map/").status_code == 403

    client.force_login(User.objects.get(username="ua-airops"))
    page = client.get("/uk/airpicture/map/").content.decode()
    assert "http://127.0.0.1:8081" in page
    borders = client.get("/en/airpicture/borders.geojson").json()
    assert "804" in {f["properties"]["code"] for f in borders["features"]}


@pytest.mark.parametrize(
    ("area", "extra", "field"),
    [
        ({"type": "Polygon", "coordinates": [[[22, 48], [26, 48], [22, 48]]]}, {}, "area"),
        ({"type": "Point", "coordinates": [22, 48]}, {}, "area"),
        (SQUARE, {"valid_to": "2026-01-01"}, "valid_to"),
        (SQUARE, {"min_ft": 50000, "max_ft": 1000}, "max_ft"),
        # What the ASDE service would refuse to load is refused here, by the same code.
        (SQUARE, {"remove_items": "I062/380/ADR, I062/999"}, "remove_items"),
        (SQUARE, {"remove_items": "I062/040"}, "remove_items"),
        (SQUARE, {"remove_items": "I062/105/Lat"}, "remove_items"),
        (SQUARE, {"update_period_s": 86400}, "update_period_s"),
    ],
)
def test_a_bad_new_version_is_refused_naming_the_field(area: dict, extra: dict, field: str) -> None:
    import datetime as dt

    from partnership.airpicture.services import agreement_new_version

    values = {"valid_from": dt.date(2026, 12, 1), **extra}
    if isinstance(values.get("valid_to"), str):
        values["valid_to"] = dt.date.fromisoformat(values["valid_to"])
    before = ExchangeAgreement.objects.count()

    with pytest.raises(ApplicationError) as info:
        agreement_new_version(by=User.objects.get(username="nato-airops"), previous=draft(),
                              area=area, **values)  # fmt: skip

    assert info.value.field == field
    assert ExchangeAgreement.objects.count() == before + 1  # only the draft() made here


def test_a_refused_item_is_named_in_the_users_language() -> None:
    import datetime as dt

    from django.utils import translation

    from partnership.airpicture.services import agreement_new_version

    with translation.override("uk"), pytest.raises(ApplicationError) as info:
        agreement_new_version(by=User.objects.get(username="nato-airops"), previous=draft(),
                              area=SQUARE, valid_from=dt.date(2026, 12, 1),
                              remove_items="I062/999")  # fmt: skip

    assert info.value.field == "remove_items"
    assert str(info.value.message) == (
        "«I062/999» — не елемент чи підполе CAT 062, яке можна вилучити."
    )
