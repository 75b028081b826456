"""Who reviewed or changed a record is shown only to those who need it."""

import pytest
from django.test import Client

from partnership.core.models import User
from partnership.framework.models import Milestone

pytestmark = pytest.mark.django_db

GRANT = "/en/programmes/grants/DEMO-SPS-001/"
REVIEW = "Demo: sound science, a clear security benefit."


def test_the_public_sees_a_grants_decision_but_not_its_reviewers(client: Client) -> None:
    page = client.get(GRANT)
    assert page.status_code == 200
    body = page.content.decode()
    assert REVIEW not in body
    assert "nato-approver" not in body


def test_a_viewer_of_a_partner_sees_no_reviews_either(client: Client) -> None:
    client.force_login(User.objects.get(username="ua-viewer"))
    assert REVIEW not in client.get(GRANT).content.decode()


def test_an_allied_reviewer_sees_the_reviews(client: Client) -> None:
    client.force_login(User.objects.get(username="nato-editor"))
    body = client.get(GRANT).content.decode()
    assert REVIEW in body
    assert "nato-approver" in body


def test_history_names_staff_only_to_roles_above_viewer(client: Client) -> None:
    milestone = Milestone.objects.order_by("number").first()
    assert milestone is not None
    editor = User.objects.get(username="nato-editor")
    milestone.history.update(history_user=editor)
    url = f"/en/milestones/{milestone.number}/"

    assert "nato-editor" not in client.get(url).content.decode()
    client.force_login(User.objects.get(username="ua-viewer"))
    assert "nato-editor" not in client.get(url).content.decode()
    client.force_login(User.objects.get(username="nato-approver"))
    assert "nato-editor" in client.get(url).content.decode()
