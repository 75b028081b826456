"""The framework's API: create, edit, withdraw and restore each kind, with the pages' rules."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from partnership.core.models import User
from partnership.core.services import api_token_create
from partnership.framework.models import Agreement, Body, Decision, Meeting, Milestone

pytestmark = pytest.mark.django_db


def bearer(username: str) -> dict[str, str]:
    _token, raw = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def send(method: str, url: str, who: str, data: Any = None, **headers: str) -> Any:
    client = Client()
    call = getattr(client, method)
    return call(url, data or {}, content_type="application/json", **bearer(who), **headers)


MEETING = {
    "body": "nuc",
    "level": "ambassadors",
    "title_en": "API meeting",
    "date": "2026-11-05",
    "agenda": ["Security", "ANP"],
    "agenda_uk": ["Безпека"],
    "marking": "PARTNERSHIP",
}


def test_a_meeting_is_created_edited_withdrawn_and_restored() -> None:
    created = send("post", "/api/meetings", "nato-editor", MEETING)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["agenda"] == ["Security", "ANP"]

    edited = send("put", f"/api/meetings/{pk}", "nato-editor", {**MEETING, "title_uk": "Засідання"})
    assert edited.status_code == 200
    in_ukrainian = send("get", f"/api/meetings/{pk}", "nato-editor", HTTP_ACCEPT_LANGUAGE="uk")
    assert in_ukrainian.json()["title"] == "Засідання"
    assert in_ukrainian.json()["agenda"] == ["Безпека", "ANP"]

    withdrawn = send("post", f"/api/meetings/{pk}/withdraw", "nato-editor", {"reason": "Twice"})
    assert withdrawn.json()["withdrawn"]["reason"] == "Twice"
    listed = {m["id"] for m in send("get", "/api/meetings", "nato-editor").json()}
    assert pk not in listed
    assert send("get", f"/api/meetings/{pk}", "ua-viewer").status_code == 404
    restored = send("post", f"/api/meetings/{pk}/restore", "nato-editor")
    assert restored.status_code == 200 and restored.json()["withdrawn"] is None


@pytest.mark.parametrize(
    ("change", "field", "language", "says"),
    [
        ({"date": "1066"}, "date", "en", "before 1991"),
        ({"date": "1066"}, "date", "uk", "1991"),
        ({"agenda": [], "agenda_uk": ["Один"]}, "agenda_uk", "en", "more items in Ukrainian"),
    ],
)
def test_a_bad_meeting_is_refused_naming_the_field(
    change: dict[str, Any], field: str, language: str, says: str
) -> None:
    response = send(
        "post", "/api/meetings", "nato-editor", {**MEETING, **change}, HTTP_ACCEPT_LANGUAGE=language
    )

    assert response.status_code == 400
    assert response.json()["field"] == field and says in response.json()["message"]
    assert not Meeting.objects.filter(title_en="API meeting").exists()


def test_a_viewer_may_not_write_and_is_told_why() -> None:
    response = send(
        "post", "/api/bodies", "ua-viewer", {"kind": "jwg", "name_en": "x", "marking": "NATO"}
    )

    assert response.status_code == 403 and "editors" in response.json()["message"]


def test_a_decision_records_who_broke_silence_and_lists_its_action_sheet() -> None:
    deadline = (timezone.now() + dt.timedelta(days=1)).isoformat()
    created = send(
        "post",
        "/api/decisions",
        "nato-editor",
        {
            "title_en": "API decision",
            "silence_deadline": deadline,
            "action_sheet_en": "Report in March.",
            "marking": "PARTNERSHIP",
        },
    )
    pk = created.json()["id"]
    item = send(
        "post",
        "/api/action-items",
        "nato-editor",
        {
            "title_en": "Report",
            "owner": "ua-mod",
            "decision": pk,
            "linked": {"kind": "framework.agreement", "key": Agreement.objects.first().slug},  # type: ignore[union-attr]
            "marking": "PARTNERSHIP",
        },
    )
    assert item.status_code == 201, item.json()
    assert item.json()["linked"]["kind"] == "framework.agreement"

    broken = send("post", f"/api/decisions/{pk}/break-silence", "ally-assessor").json()

    assert broken["status"] == "broken" and broken["silence_broken_for"] == "us"
    assert broken["action_sheet"] == "Report in March."
    assert broken["action_items"] == [item.json()["id"]]


def test_an_adopted_decision_refuses_a_new_title_on_the_title() -> None:
    decision = Decision.objects.create(title_en="Fixed", marking="NATO")
    send("post", f"/api/decisions/{decision.pk}/adopt", "nato-approver")

    response = send(
        "put",
        f"/api/decisions/{decision.pk}",
        "nato-editor",
        {"title_en": "Changed", "marking": "NATO"},
    )

    assert response.status_code == 400 and response.json()["field"] == "title_en"
    assert Decision.objects.get(pk=decision.pk).adopted_at is not None


def test_bodies_agreements_and_milestones_have_write_calls() -> None:
    body = send(
        "post",
        "/api/bodies",
        "nato-editor",
        {
            "kind": "jwg",
            "name_en": "JWG on energy",
            "abbreviation": "JWG E",
            "parent": "nuc",
            "marking": "NATO",
        },
    )
    assert body.status_code == 201 and body.json()["parent"] == "nuc"
    agreement = send(
        "post",
        "/api/agreements",
        "nato-editor",
        {
            "kind": "mou",
            "title_en": "API memorandum",
            "parties": ["nato", "ua"],
            "signed": "2016-05",
            "marking": "PUBLIC",
        },
    )
    assert agreement.status_code == 201 and agreement.json()["signed"]["edtf"] == "2016-05"
    reversed_dates = send(
        "put",
        "/api/agreements/api-memorandum",
        "nato-editor",
        {
            "kind": "mou",
            "title_en": "API memorandum",
            "signed": "2016-05",
            "in_force": "2015",
            "marking": "PUBLIC",
        },
    )
    assert reversed_dates.status_code == 400 and reversed_dates.json()["field"] == "in_force"

    milestone = Milestone.objects.order_by("number").first()
    assert milestone is not None
    changed = send(
        "put",
        f"/api/milestones/{milestone.number}",
        "nato-editor",
        {
            "date": milestone.date,
            "text_en": "Changed through the API",
            "text_uk": milestone.text_uk,
            "theme": milestone.theme,
            "bodies": ["nuc"],
            "marking": milestone.marking,
        },
    )
    assert changed.status_code == 200 and changed.json()["text_en"] == "Changed through the API"
    assert list(Milestone.objects.get(pk=milestone.pk).bodies.all()) == [
        Body.objects.get(slug="nuc")
    ]
    gone = send(
        "post", f"/api/milestones/{milestone.number}/withdraw", "nato-editor", {"reason": "x"}
    )
    assert gone.status_code == 200
    assert Client().get(f"/api/milestones/{milestone.number}").status_code == 404
