"""The ANP through the API: the whole cycle a program would drive, with the same rules."""

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from partnership.anp.models import AnnualProgramme
from partnership.core.models import User
from partnership.core.services import api_token_create
from tests.partnership.anp.test_spreadsheets import GOOD, workbook
from tests.partnership.background.jobs import run_queued

pytestmark = pytest.mark.django_db


def bearer(username: str) -> dict[str, str]:
    _token, raw = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_import_report_assess_and_the_nuc_report_through_the_api(client: Client) -> None:
    coordinator, approver = bearer("ua-coordinator"), bearer("ua-approver")
    bad = workbook([[9, "9.1", "", "9.1.1", "x", "ua-mod", "", "2035", "", "", "", ""]])
    answer = client.post("/api/anp/2035/import", {"file": io.BytesIO(bad)}, **coordinator)
    assert answer.status_code == 202
    run_queued()
    job = client.get(f"/api/jobs/{answer.json()['id']}", **coordinator).json()
    assert job["status"] == "failed"
    # The worker writes in the requester's language: Ukrainian for the partner's staff.
    assert job["errors"][0] == {
        "row": 3,
        "column": "Chapter",
        "message": "«9» не є розділом (від 1 до 5).",
    }
    assert not AnnualProgramme.objects.filter(year=2035).exists()

    upload = io.BytesIO(
        workbook([[r[0], r[1], r[2], r[3].replace("2036", "2035"), *r[4:]] for r in GOOD])
    )
    upload.name = "anp.xlsx"
    answer = client.post("/api/anp/2035/import", {"file": upload}, **coordinator)
    assert answer.status_code == 202, answer.content
    run_queued()
    job = client.get(f"/api/jobs/{answer.json()['id']}", **coordinator).json()
    assert (job["status"], job["result"]) == ("done", {"saved": True, "measures": 2, "year": 2035})

    assert client.post("/api/anp/2035/transitions/approve", **approver).status_code == 400
    assert (
        client.post("/api/anp/2035/transitions/submit", **coordinator).json()["status"]
        == "submitted"
    )
    assert (
        client.post("/api/anp/2035/transitions/approve", **approver).json()["status"] == "approved"
    )

    measures = client.get("/api/anp/2035/measures?agency=ua-mod", **bearer("ua-viewer")).json()
    assert [m["code"] for m in measures] == ["2.1.1"]
    pk = measures[0]["id"]
    other = client.get("/api/anp/2035/measures?chapter=4", **coordinator).json()[0]["id"]

    refused = client.post(
        f"/api/anp/measures/{other}/reports",
        {"quarter": 1, "status": "done"},
        content_type="application/json",
        **bearer("ua-reporter"),
    )
    assert refused.status_code == 403
    assert "National Security and Defence Council" in refused.json()["message"]

    # 2035's first quarter has not started yet: a clear 400 naming the quarter.
    early = client.post(
        f"/api/anp/measures/{pk}/reports",
        {"quarter": 1, "status": "on_track"},
        content_type="application/json",
        **bearer("ua-reporter"),
    )
    assert (early.status_code, early.json()["field"]) == (400, "quarter")

    rated = client.post(
        "/api/anp/2035/chapters/2/assessments",
        {"rating": 4, "comment": "Good start.", "recommendations": "Keep going."},
        content_type="application/json",
        **bearer("ally-assessor"),
    )
    assert rated.status_code == 201
    assert (
        client.post(
            "/api/anp/2035/chapters/2/assessments",
            {"rating": 4},
            content_type="application/json",
            **bearer("ua-coordinator"),
        ).status_code
        == 403
    )

    chapters = client.get("/api/anp/2035", **bearer("ua-viewer")).json()
    assert chapters[1]["allied_rating"] == 4.0
    pdf = client.get("/api/anp/2035/report?language=en", **bearer("nato-editor"))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Good start." in text


def test_amendments_through_the_api_are_recorded(client: Client) -> None:
    pk = AnnualProgramme.objects.get(year=2015).measures.order_by("code").first().pk
    refused = client.post(
        f"/api/anp/measures/{pk}/amendments",
        {"reason": "x", "text_en": "y"},
        content_type="application/json",
        **bearer("ua-coordinator"),
    )
    assert refused.status_code == 403
    done = client.post(
        f"/api/anp/measures/{pk}/amendments",
        {"reason": "Moved to the next quarter.", "deadline": "2015-36"},
        content_type="application/json",
        **bearer("ua-approver"),
    )
    assert done.status_code == 200, done.content
    assert done.json()["deadline_display"] == "Q4 2015"


def test_errors_are_translated(client: Client) -> None:
    answer = client.post(
        "/api/anp/2015/transitions/submit", HTTP_ACCEPT_LANGUAGE="uk", **bearer("ua-coordinator")
    )
    assert answer.status_code == 400
    assert "затверджено" in answer.json()["message"]


def test_a_measure_links_to_the_goals_and_projects_it_serves(client: Client) -> None:
    measure = AnnualProgramme.objects.get(year=2015).measures.filter(agency__slug="ua-mod").last()
    history = measure.history.count()
    url = f"/api/anp/measures/{measure.pk}/links"
    body = {"partnership_goals": ["G-0205"], "projects": ["demilitarization-munitions"]}
    assert (
        client.put(url, body, content_type="application/json", **bearer("ua-reporter")).status_code
        == 403
    )
    bad = client.put(url, {"projects": ["no-such-project"]}, content_type="application/json",
                     **bearer("ua-coordinator"))  # fmt: skip
    assert bad.status_code == 400 and "no-such-project" in bad.json()["message"]
    done = client.put(url, body, content_type="application/json", **bearer("ua-coordinator"))
    assert done.status_code == 200, done.content
    assert (done.json()["partnership_goals"], done.json()["projects"]) == (
        ["G-0205"], ["demilitarization-munitions"],
    )  # fmt: skip
    assert measure.history.count() > history  # the change of links is in the history
    client.login(username="ua-viewer", password="partnership-demo-2026")
    page = client.get(f"/en/anp/measures/{measure.pk}/").content.decode()
    assert "Destruction of 133,000 tons of munitions" in page
    dashboard = client.get(f"/en/anp/2015/?agency={measure.agency_id}").content.decode()
    assert f"Reported statuses per quarter: {measure.agency.name_en}" in dashboard
