"""The REST API: schema, milestones, token authentication, writes by role, translated errors."""

import pytest
from django.test import Client

from partnership.core.models import User
from partnership.core.services import api_token_create
from partnership.framework.models import ActionItem, Meeting

pytestmark = pytest.mark.django_db


def bearer(username: str) -> dict[str, str]:
    _token, raw = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_openapi_schema_lists_the_endpoints(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()

    assert schema["info"]["title"] == "Partnership API"
    for path in ("/api/milestones", "/api/meetings", "/api/agreements", "/api/action-items"):
        assert path in schema["paths"]


def test_milestones_carry_edtf_display_text_and_precision(client: Client) -> None:
    milestones = client.get("/api/milestones").json()

    assert len(milestones) == 51
    wales = next(m for m in milestones if m["number"] == 44)
    assert wales["date"] == "2014-09-04/2014-09-05"
    assert wales["date_display"] == "4-5 September 2014"
    assert wales["precision"] == "interval"
    autumn = next(m for m in milestones if m["number"] == 17)
    assert (autumn["date_display"], autumn["precision"]) == ("Autumn 2004", "season")


def test_milestones_in_ukrainian_follow_accept_language(client: Client) -> None:
    milestones = client.get("/api/milestones?year=2004", HTTP_ACCEPT_LANGUAGE="uk").json()

    assert [m["date_display"] for m in milestones] == [
        "Березень 2004",
        "Червень 2004",
        "Осінь 2004",
    ]
    assert milestones[0]["text"].startswith("Верховна Рада")


def test_token_sees_what_its_user_may_see(client: Client) -> None:
    anonymous = {m["title"] for m in client.get("/api/meetings").json()}
    as_nato = {m["title"] for m in client.get("/api/meetings", **bearer("nato-editor")).json()}

    assert any("NATO only" in t for t in as_nato)
    assert not any("NATO only" in t for t in anonymous)


def test_a_bad_token_is_refused(client: Client) -> None:
    response = client.post(
        "/api/action-items",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer not-a-token",
    )

    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_editor_creates_a_meeting(client: Client) -> None:
    payload = {
        "body": "jwgdr",
        "level": "experts",
        "title_en": "JWGDR expert talks",
        "date": "2026-12-03",
        "marking": "NATIONS",
        "releasable_to": ["UA", "PL"],
        "participants": ["nato-is", "ua-mod"],
        "agenda": ["Defence reform priorities"],
    }
    response = client.post(
        "/api/meetings", payload, content_type="application/json", **bearer("nato-editor")
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["date"]["display"] == "3 December 2026"
    assert body["releasable_to"] == ["PL", "UA"]
    assert body["agenda"] == ["Defence reform priorities"]
    meeting = Meeting.objects.get(pk=body["id"])
    assert meeting.history.last().history_type == "+"


def test_viewer_may_not_write(client: Client) -> None:
    payload = {"title_en": "x", "owner": "ua-mod", "marking": "PUBLIC"}
    response = client.post(
        "/api/action-items", payload, content_type="application/json", **bearer("ua-viewer")
    )

    assert response.status_code == 403
    assert response.json()["message"] == "Only editors may do this."


@pytest.mark.parametrize(
    ("change", "field", "english", "ukrainian"),
    [
        # "Autumn 2026" is a date as people write it now; this is none
        (
            {"date": "next Tuesday"},
            "date",
            "is not a date this site can read",
            "не є датою, яку може прочитати сайт",
        ),
        ({"level": "picnic"}, "level", "is not a valid choice", "не є дозволеним вибором"),
        (
            {"marking": "NATIONS"},
            "releasable_to",
            "needs at least one nation",
            "потрібна принаймні одна держава",
        ),
        ({"body": "no-such-body"}, "body", "is not a known body", "не є відомим органом"),
        ({"title_en": None}, "title_en", "This field is required", None),
    ],
)
def test_bad_input_is_refused_naming_the_field_in_the_callers_language(
    client: Client, change: dict, field: str, english: str, ukrainian: str | None
) -> None:
    payload = {
        "body": "nuc",
        "level": "experts",
        "title_en": "Talks",
        "date": "2026-12-03",
        "marking": "PUBLIC",
        **change,
    }
    payload = {k: v for k, v in payload.items() if v is not None}
    count = Meeting.objects.count()
    headers = bearer("nato-editor")

    response = client.post("/api/meetings", payload, content_type="application/json", **headers)

    assert response.status_code in (400, 422)
    assert response.json()["field"] == field
    assert english in response.json()["message"]
    if ukrainian:
        response = client.post(
            "/api/meetings",
            payload,
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="uk",
            **headers,
        )
        assert ukrainian in response.json()["message"]
    assert Meeting.objects.count() == count


def test_owner_organization_moves_its_action_item_along(client: Client) -> None:
    item = ActionItem.objects.get(title_en__contains="Follow up: NUC ambassadors")

    response = client.patch(
        f"/api/action-items/{item.pk}",
        {"status": "done"},
        content_type="application/json",
        **bearer("ua-reporter"),
    )

    assert response.status_code == 200
    assert response.json()["status"] == "done"
    item.refresh_from_db()
    assert item.history.first().history_user.username == "ua-reporter"


def test_search_respects_releasability(client: Client) -> None:
    anonymous = client.get("/api/search?q=Demo").json()
    as_lt = client.get("/api/search?q=Demo", **bearer("lt-viewer")).json()

    assert anonymous["meetings"] == []
    titles = {m["title"] for m in as_lt["meetings"]}
    assert any("Lithuania, Ukraine" in t for t in titles)
    assert any("NATO only" in t for t in titles)
    charter = client.get("/api/search?q=Хартія").json()
    assert {a["slug"] for a in charter["agreements"]} == {"charter-1997"}


def test_decision_under_silence_is_adopted_by_an_approver_only_after_silence(
    client: Client,
) -> None:
    payload = {
        "reference": "C-M(2026)0200",
        "title_en": "Support package",
        "marking": "NATO",
        "silence_deadline": "2099-01-01T12:00:00Z",
    }
    created = client.post(
        "/api/decisions", payload, content_type="application/json", **bearer("nato-editor")
    )
    assert created.status_code == 201, created.content
    decision = created.json()
    assert decision["status"] == "silence"

    early = client.post(f"/api/decisions/{decision['id']}/adopt", **bearer("nato-approver"))
    assert early.status_code == 400 and early.json()["field"] == "status"
    hidden = client.post(f"/api/decisions/{decision['id']}/adopt", **bearer("ua-viewer"))
    assert hidden.status_code in (403, 404)
    broken = client.post(
        f"/api/decisions/{decision['id']}/break-silence", **bearer("ally-assessor")
    )
    assert broken.json()["status"] == "broken"


def test_bulk_status_over_the_api(client: Client) -> None:
    ids = list(
        ActionItem.objects.filter(title_en__startswith="Follow up").values_list("pk", flat=True)
    )

    response = client.post(
        "/api/action-items/bulk-status",
        {"ids": ids, "status": "cancelled"},
        content_type="application/json",
        **bearer("nato-editor"),
    )

    assert response.status_code == 200
    assert {a["status"] for a in response.json()} == {"cancelled"}
