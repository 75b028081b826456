"""Back + submit, or a double click, saves nothing twice: each form carries a one-time token."""

import re

import pytest
from django.test import Client

from partnership.core.models import User
from partnership.framework.models import Body, Meeting

pytestmark = pytest.mark.django_db


def _token(page: str) -> str:
    match = re.search(r'name="form_once" value="([0-9a-f]{32})"', page)
    assert match, "the form carries no one-time token"
    return match[1]


def test_the_same_meeting_form_sent_twice_makes_one_meeting(client: Client) -> None:
    # Given an editor on the new-meeting form
    client.force_login(User.objects.get(username="nato-editor"))
    token = _token(client.get("/uk/framework/meetings/new/").content.decode())
    body = Body.objects.filter(marking="PUBLIC").first()
    assert body is not None
    data = {"body": body.pk, "level": "experts", "title_en": "Once only", "date": "2026-11-02",
            "marking": "NATO", "form_once": token}  # fmt: skip

    # When they send it, go Back and send the same page again
    first = client.post("/uk/framework/meetings/new/", data)
    second = client.post("/uk/framework/meetings/new/", data, follow=True)

    # Then there is one meeting, and the second sending says why nothing more happened
    assert first.status_code == 302
    assert Meeting.objects.filter(title_en="Once only").count() == 1
    assert "не збережено вдруге" in second.content.decode()


def test_a_form_that_failed_to_validate_gets_a_new_token(client: Client) -> None:
    client.force_login(User.objects.get(username="nato-editor"))
    token = _token(client.get("/en/framework/meetings/new/").content.decode())

    page = client.post("/en/framework/meetings/new/", {"form_once": token}).content.decode()

    assert _token(page) != token
