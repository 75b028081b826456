"""Imports in the background: the file checked before it is kept, read by the worker with
progress, saved whole or not at all, every error on the job's page, and tried again."""

import io

import pytest
from django.test import Client

from partnership.background import services
from partnership.background.models import Job, JobStatus
from partnership.background.storage import prepared_files
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import User
from partnership.notifications.models import Notification, Recipient
from partnership.trustfunds import iati
from partnership.trustfunds.models import FundStatus, Project, TrustFund
from tests.partnership.anp.test_spreadsheets import GOOD, workbook
from tests.partnership.background.jobs import run_queued

pytestmark = pytest.mark.django_db

FUND = "medical-rehabilitation"
IDENTIFIER = "XI-PARTNERSHIP-background-import"


def user(name: str) -> User:
    return User.objects.get(username=name)


def iati_file() -> bytes:
    """A valid IATI file of one demo project under a new identifier."""
    project = Project.objects.get(slug="demo-medical-rehabilitation-1")
    exported = iati.export(user=user("nato-editor"), projects=[project]).decode()
    return exported.replace("XI-PARTNERSHIP-demo-medical-rehabilitation-1", IDENTIFIER).encode()


def lead() -> Client:
    client = Client()
    client.force_login(user("nato-editor"))
    Recipient.objects.update_or_create(user=user("nato-editor"), defaults={"language": "en"})
    return client


def send(client: Client, data: bytes, **extra: str) -> object:
    fund = TrustFund.objects.get(slug=FUND)
    return client.post("/en/trust-funds/iati/import/",
                       {"fund": fund.pk, "file": io.BytesIO(data), **extra})  # fmt: skip


def test_an_iati_import_is_recorded_by_the_worker_and_its_file_removed() -> None:
    client = lead()
    sent = send(client, iati_file())
    job = Job.objects.get(kind="iati_import")
    assert sent.status_code == 302 and sent["Location"] == f"/en/prepared/{job.pk}/"
    assert (
        job.status == JobStatus.QUEUED
        and not Project.objects.filter(iati_identifier=IDENTIFIER).exists()
    ), "nothing is saved in the request"
    assert job.marking == TrustFund.objects.get(slug=FUND).marking, "the fund's marking"
    kept = job.upload
    assert prepared_files().exists(kept)

    (job,) = run_queued()

    assert job.status == JobStatus.DONE and job.progress == 100
    assert Project.objects.filter(iati_identifier=IDENTIFIER).exists()
    assert job.upload == "" and not prepared_files().exists(kept)
    page = client.get(f"/en/prepared/{job.pk}/").text
    assert "1 activity was imported." in page and 'data-testid="download"' not in page
    assert Notification.objects.filter(recipient=user("nato-editor"), kind="job_done").exists()


def test_a_file_with_errors_lists_them_saves_nothing_and_keeps_the_file_for_a_retry() -> None:
    client = lead()
    broken = iati_file().replace(b"<title>", b"<titel>", 1).replace(b"</title>", b"</titel>", 1)
    send(client, broken)
    (job,) = run_queued()

    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Nothing was imported:") and "errors in the file" in job.error
    assert job.errors and "titel" in job.errors[0]["message"]
    assert not Project.objects.filter(iati_identifier=IDENTIFIER).exists()
    assert prepared_files().exists(job.upload)
    assert 'data-testid="import-errors"' in client.get(f"/en/prepared/{job.pk}/").text


def test_an_import_that_failed_for_a_reason_since_gone_is_tried_again_with_its_file() -> None:
    client = lead()
    send(client, iati_file())
    # The fund is closed after the file was sent, before the worker's turn: refused, and why.
    TrustFund.objects.filter(slug=FUND).update(status=FundStatus.CLOSED)
    (job,) = run_queued()
    assert job.status == JobStatus.FAILED and "closed" in job.error
    assert not Project.objects.filter(iati_identifier=IDENTIFIER).exists()

    TrustFund.objects.filter(slug=FUND).update(status=FundStatus.IMPLEMENTATION)
    assert client.post(f"/en/prepared/{job.pk}/retry/").status_code == 302
    (job,) = run_queued()
    assert job.status == JobStatus.DONE and job.errors == []
    assert Project.objects.filter(iati_identifier=IDENTIFIER).count() == 1


def test_only_checking_saves_nothing_and_says_what_would_be_saved() -> None:
    client = lead()
    send(client, iati_file(), check="on")
    (job,) = run_queued()
    assert job.status == JobStatus.DONE and job.result == {"projects": [IDENTIFIER], "saved": False}
    assert not Project.objects.filter(iati_identifier=IDENTIFIER).exists()
    assert "1 activity would be imported. Nothing was saved." in (
        client.get(f"/en/prepared/{job.pk}/").text
    )


@pytest.mark.parametrize(
    ("kind", "params", "data", "reason"),
    [
        ("iati_import", {"fund": FUND}, b"%PDF-1.4\n%%EOF\n", "not well-formed XML"),
        ("iati_import", {"fund": FUND}, b"<!DOCTYPE a><a/>", "DOCTYPE"),
        ("iati_import", {"fund": FUND}, b"", "The file is empty."),
        ("anp_import", {"year": 2036}, b"<xml/>", "not an XLSX workbook"),
        ("anp_import", {"year": "next"}, b"PK", "The year must be a number"),
    ],
)
def test_a_file_of_the_wrong_type_is_refused_before_it_is_kept(
    kind: str, params: dict[str, object], data: bytes, reason: str
) -> None:
    upload = io.BytesIO(data)
    upload.size = len(data)  # type: ignore[attr-defined]
    upload.name = "sent"  # type: ignore[attr-defined]
    coordinator = "ua-coordinator" if kind == "anp_import" else "nato-editor"
    with pytest.raises(ApplicationError) as refused:
        services.import_start(by=user(coordinator), kind=kind, upload=upload, params=params)
    assert reason in str(refused.value.message)
    assert not Job.objects.exists()


def test_a_file_too_large_is_refused_with_the_limit(settings: object) -> None:
    settings.UPLOAD_MAX_BYTES = {"xlsx": 1000, "iati": 1000, "document": 1000}  # type: ignore[attr-defined]
    data = workbook(GOOD)
    upload = io.BytesIO(data)
    upload.size, upload.name = len(data), "anp.xlsx"  # type: ignore[attr-defined]
    with pytest.raises(ApplicationError) as refused:
        services.import_start(by=user("ua-coordinator"), kind="anp_import", upload=upload,
                              params={"year": 2036})  # fmt: skip
    assert refused.value.code == "too_large" and "0 MB" in str(refused.value.message)


def test_who_may_not_import_is_refused_before_the_file_is_looked_at() -> None:
    upload = io.BytesIO(b"not even a workbook")
    upload.size, upload.name = 19, "a.xlsx"  # type: ignore[attr-defined]
    with pytest.raises(PermissionDeniedError):
        services.import_start(by=user("ua-reporter"), kind="anp_import", upload=upload,
                              params={"year": 2036})  # fmt: skip
    with pytest.raises(ApplicationError):
        services.job_start(by=user("ua-coordinator"), kind="anp_import", params={"year": 2036})
