"""Prepared files in this process: started with their marking, made whole, failed with the
reason and retried, found again after a dead worker, expired; pages and download as each role."""

import datetime as dt
import json

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from partnership.anp.models import AnnualProgramme
from partnership.background import services
from partnership.background.models import Job, JobKind, JobStatus
from partnership.background.storage import prepared_files
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Marking, User

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def year() -> int:
    return AnnualProgramme.objects.order_by("-year").values_list("year", flat=True)[0]


def start(name: str, **params: object) -> Job:
    return services.job_start(by=user(name), kind=JobKind.NUC_REPORT,
                              params={"year": year(), "language": "en", **params})  # fmt: skip


def test_a_job_takes_the_marking_of_its_record_and_is_made_whole() -> None:
    job = start("ua-coordinator")
    programme = AnnualProgramme.objects.get(year=year())
    assert (job.marking, job.status) == (programme.marking, JobStatus.QUEUED)

    services.job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100 and job.attempts == 1
    with prepared_files().open(job.file, "rb") as file:
        assert file.read(4) == b"%PDF"
    assert job.expires_at is not None and job.expires_at > timezone.now() + dt.timedelta(days=6)
    assert job.file_name.endswith(".pdf")
    # Nothing is done twice: a second delivery of the same task finds it done.
    assert "nothing to do" in services.job_run(job_id=job.pk)


def test_bad_requests_are_refused_naming_what_is_wrong() -> None:
    with pytest.raises(ApplicationError) as info:
        services.job_start(by=user("ua-coordinator"), kind="poster", params={})
    assert "poster" in str(info.value.message)
    with pytest.raises(ApplicationError) as info:
        start("ua-coordinator", year="last year")
    assert info.value.field == "year"
    with pytest.raises(ApplicationError) as info:
        start("ua-coordinator", year=1990)
    assert info.value.field == "year"
    assert not Job.objects.exists()


def test_a_job_that_fails_says_why_and_can_be_tried_again_by_its_requester() -> None:
    job = start("ua-coordinator")
    # The programme is re-marked NATO after the request: the partner may no longer see it.
    AnnualProgramme.objects.filter(year=year()).update(marking=Marking.NATO)
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    # Told in the requester's language (the coordinator works in Ukrainian).
    assert job.status == JobStatus.FAILED and "більше не доступний" in job.error
    assert not job.file

    with pytest.raises(PermissionDeniedError):
        services.job_retry(by=user("ua-approver"), job=job)
    AnnualProgramme.objects.filter(year=year()).update(marking=Marking.PARTNERSHIP)
    services.job_retry(by=user("ua-coordinator"), job=job)
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE


@override_settings(BACKGROUND_MAX_ATTEMPTS=2)
def test_the_job_of_a_dead_worker_is_queued_again_then_failed_after_the_last_try() -> None:
    job = start("ua-coordinator")
    # A worker on this machine whose process no longer exists
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=1,
                                         worker=f"{services.worker_name().split(':')[0]}:999999999",
                                         heartbeat_at=timezone.now())  # fmt: skip
    assert services.jobs_reap() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and "attempt 1 of 2" in job.step_text

    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, attempts=2)
    services.jobs_reap()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "attempt 2 of 2" in job.error

    # A worker elsewhere is taken as dead only after BACKGROUND_STALE_S of silence.
    other = start("ua-coordinator")
    Job.objects.filter(pk=other.pk).update(status=JobStatus.RUNNING, attempts=1,
                                           worker="another-host:1", heartbeat_at=timezone.now())  # fmt: skip
    assert services.jobs_reap() == 0
    assert services.jobs_reap(now=timezone.now() + dt.timedelta(hours=1)) == 1


def test_files_expire_and_are_removed() -> None:
    job = start("ua-coordinator")
    services.job_run(job_id=job.pk)
    job.refresh_from_db()
    path = prepared_files().path(job.file)

    assert services.files_expire() == 0
    assert services.files_expire(now=job.expires_at + dt.timedelta(seconds=1)) == 1  # type: ignore[operator]

    job.refresh_from_db()
    assert job.status == JobStatus.EXPIRED and not job.file
    import os

    assert not os.path.exists(path)


def test_the_pages_show_progress_and_download_only_to_the_requester() -> None:
    job = start("ua-coordinator")
    owner, other = Client(), Client()
    owner.force_login(user("ua-coordinator"))
    other.force_login(user("nato-editor"))

    page = owner.get(f"/uk/prepared/{job.pk}/")
    assert (
        page.status_code == 200 and "partnership/jobs.js" in page.text and "<progress" in page.text
    )
    state = json.loads(owner.get(f"/en/prepared/{job.pk}/status/").content)
    assert state["status"] == "queued" and state["download"] == ""
    assert owner.get(f"/en/prepared/{job.pk}/download/").status_code == 404, "not ready yet"

    services.job_run(job_id=job.pk)
    state = json.loads(owner.get(f"/en/prepared/{job.pk}/status/").content)
    assert state["progress"] == 100 and state["download"].endswith("/download/")
    answer = owner.get(state["download"])
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert b"".join(answer.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    for url in (f"/en/prepared/{job.pk}/", f"/en/prepared/{job.pk}/download/",
                f"/en/prepared/{job.pk}/status/"):  # fmt: skip
        assert other.get(url).status_code == 404
    assert Client().get(f"/en/prepared/{job.pk}/download/").status_code == 302, "to the login"


def test_the_list_page_starts_a_job_and_follows_post_redirect_get() -> None:
    client = Client()
    client.force_login(user("ua-coordinator"))
    answer = client.post("/en/prepared/", {"kind": "nuc_report", "year": year(),
                                           "language": "uk"})  # fmt: skip
    job = Job.objects.get(requested_by__username="ua-coordinator")
    assert answer.status_code == 302 and answer["Location"] == f"/en/prepared/{job.pk}/"
    assert job.params == {"language": "uk", "year": year()}
    refused = client.post("/en/prepared/", {"kind": "donor_report", "language": "en"})
    assert refused.status_code == 400
