"""The prepared-files API: start a report, follow its progress, download it through the same
rule as the page (its requester only), retry a failed one."""

import pytest
from django.test import Client

from partnership.anp.models import AnnualProgramme
from partnership.background.models import Job, JobStatus
from partnership.core.models import User
from partnership.core.services import api_token_create
from tests.partnership.background.jobs import run_queued

pytestmark = pytest.mark.django_db


def bearer(username: str) -> dict[str, str]:
    _token, raw = api_token_create(user=User.objects.get(username=username), name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_report_is_started_followed_and_downloaded_by_its_requester_only(
    client: Client,
) -> None:
    year = AnnualProgramme.objects.order_by("-year").values_list("year", flat=True)[0]
    me, other = bearer("ua-coordinator"), bearer("nato-editor")
    started = client.post("/api/jobs", {"kind": "nuc_report", "year": year, "language": "uk"},
                          content_type="application/json", **me)  # fmt: skip
    assert started.status_code == 202
    job = started.json()
    assert (job["status"], job["progress"], job["download"]) == ("queued", 0, None)
    assert job["params"] == {"language": "uk", "year": year}

    run_queued()
    done = client.get(f"/api/jobs/{job['id']}", **me).json()
    assert (done["status"], done["progress"]) == ("done", 100)
    answer = client.get(done["download"], **me)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert answer["Cache-Control"] == "private, no-store"

    for url in (f"/api/jobs/{job['id']}", done["download"]):
        assert client.get(url, **other).status_code == 404
        assert client.get(url).status_code == 401
    assert [j["id"] for j in client.get("/api/jobs", **me).json()] == [job["id"]]
    assert client.get("/api/jobs", **other).json() == []


def test_a_bad_request_names_what_is_wrong_and_a_failed_job_is_retried(client: Client) -> None:
    me = bearer("ua-coordinator")
    refused = client.post("/api/jobs", {"kind": "nuc_report", "year": 1900},
                          content_type="application/json", **me)  # fmt: skip
    assert refused.status_code == 400 and refused.json()["field"] == "year"
    imports = client.post("/api/jobs", {"kind": "anp_import"}, content_type="application/json",
                          **me)  # fmt: skip
    assert imports.status_code == 400 and imports.json()["field"] == "kind"

    started = client.post("/api/jobs", {"kind": "iati_export"}, content_type="application/json",
                          **me).json()  # fmt: skip
    assert client.post(f"/api/jobs/{started['id']}/retry", **me).status_code == 400, "not failed"
    Job.objects.filter(pk=started["id"]).update(status=JobStatus.FAILED, error="Disk full")
    again = client.post(f"/api/jobs/{started['id']}/retry", **me)
    assert again.status_code == 202 and again.json()["status"] == "queued"
    assert again.json()["error"] == ""


def test_a_funds_donor_report_for_a_period_and_an_anp_table_are_started_through_the_api(
    client: Client,
) -> None:
    me = bearer("nato-editor")
    year = AnnualProgramme.objects.order_by("-year").values_list("year", flat=True)[0]
    fund = client.post("/api/jobs", {"kind": "fund_report", "fund": "pfp-demilitarization",
                                     "start": "2010-01-01", "end": "2010-12-31"},
                       content_type="application/json", **me)  # fmt: skip
    table = client.post("/api/jobs", {"kind": "anp_export", "year": year, "table": "status"},
                        content_type="application/json", **me)  # fmt: skip
    assert (fund.status_code, table.status_code) == (202, 202)
    assert fund.json()["params"] == {"fund": "pfp-demilitarization", "from": "2010-01-01",
                                     "to": "2010-12-31", "language": "en"}  # fmt: skip
    assert table.json()["params"] == {"year": year, "table": "status", "language": "en"}
    refused = client.post("/api/jobs", {"kind": "anp_export", "year": year, "table": "poster"},
                          content_type="application/json", **me)  # fmt: skip
    assert refused.status_code == 400 and refused.json()["field"] == "table"
    ran = run_queued()
    assert [(j.status, j.file_name) for j in ran] == [
        (JobStatus.DONE, "pfp-demilitarization-donor-report-en.pdf"),
        (JobStatus.DONE, f"anp-{year}-status.xlsx"),
    ]
