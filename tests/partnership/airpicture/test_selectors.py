"""Which centre a person operates: their organization's, by configuration; nobody else's."""

from __future__ import annotations

import pytest

from partnership.airpicture.error_codes import AirPictureErrorCode
from partnership.airpicture.selectors import centre_alerts, centre_operated_by
from partnership.core.exceptions import PermissionDeniedError
from partnership.core.models import Organization, Role, User
from partnership.core.services import user_create
from tests.partnership.airpicture.conftest import RecordingCentre

pytestmark = pytest.mark.django_db


def test_each_side_operates_its_own_centre(centres: dict[str, RecordingCentre]) -> None:
    assert centre_operated_by(user=User.objects.get(username="nato-airops")).key == "nato"
    assert centre_operated_by(user=User.objects.get(username="ua-airops")).key == "ukraine"


def test_staff_without_the_air_operations_role_see_no_centre(
    centres: dict[str, RecordingCentre],
) -> None:
    with pytest.raises(PermissionDeniedError) as refused:
        centre_operated_by(user=User.objects.get(username="ua-viewer"))

    assert refused.value.code == AirPictureErrorCode.NOT_AIR_OPERATIONS


def test_air_operations_staff_of_an_organization_with_no_centre_see_none(
    centres: dict[str, RecordingCentre],
) -> None:
    # Given an air-operations officer of Georgia, a partner country that runs no ASDE centre
    officer = user_create(
        by=None,
        username="ge-airops", password="x" * 12,
        organization=Organization.objects.get(slug="ge"), roles=[Role.AIR_OPERATIONS],
    )  # fmt: skip

    with pytest.raises(PermissionDeniedError) as refused:
        centre_operated_by(user=officer)

    assert refused.value.code == AirPictureErrorCode.NO_CENTRE


def test_a_ukrainian_operator_reads_ukraines_centre_and_never_natos(
    centres: dict[str, RecordingCentre],
) -> None:
    alerts = centre_alerts(user=User.objects.get(username="ua-airops"))

    assert [(a["origin"], a["number"]) for a in alerts] == [("partner", 7)]
    assert centres["nato"].received == []
