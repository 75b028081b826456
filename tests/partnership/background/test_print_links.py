"""The print and export links of the pages (NUC report, donor reports of a project and of a
fund, the ANP tables) are made by the worker: the link sends the reader to their job's page,
which shows the progress and then the download, in their language and without JavaScript."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from partnership.anp.models import AnnualProgramme
from partnership.background.models import Job, JobKind, JobStatus
from partnership.core.models import Marking, User
from partnership.core.selectors import can_see
from partnership.trustfunds.models import Project, TrustFund
from tests.partnership.background.jobs import prepared, run_queued

pytestmark = pytest.mark.django_db

FUND = "pfp-demilitarization"


def reader(name: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=name))
    return client


def year() -> int:
    return AnnualProgramme.objects.order_by("-year").values_list("year", flat=True)[0]


def job_of(answer: object) -> Job:
    location = answer["Location"]  # type: ignore[index]
    return Job.objects.get(pk=int(location.rstrip("/").rsplit("/", 1)[1]))


def test_the_fund_report_link_starts_a_job_with_the_pages_period_and_its_marking() -> None:
    # Given NATO staff on the fund's page, the period filled in
    client = reader("nato-editor")
    url = f"/en/trust-funds/{FUND}/donor-report.pdf?from=2010-01-01&to=2010-12-31&lang=uk"
    # When they print its donor report
    answer = client.get(url)
    # Then they are sent to their job's page, nothing made in the request
    assert answer.status_code == 303
    job = job_of(answer)
    fund = TrustFund.objects.get(slug=FUND)
    assert job.kind == JobKind.FUND_REPORT and job.status == JobStatus.QUEUED
    assert job.params == {"fund": FUND, "from": "2010-01-01", "to": "2010-12-31",
                          "language": "uk"}  # fmt: skip
    assert (job.marking, job.releasable_codes) == (fund.marking, fund.releasable_codes)
    page = client.get(answer["Location"]).content.decode()
    assert "Donor report of a trust fund (PDF)" in page and "1 January 2010" in page
    # And once the worker has made it, the page's link downloads the period's report
    pdf = prepared(client, url)
    assert pdf["Content-Disposition"].endswith(f'filename="{FUND}-donor-report-uk.pdf"')
    text = " ".join(PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().split())
    assert "Звіт для донорів" in text


def test_following_a_print_link_again_while_it_is_made_finds_the_same_job() -> None:
    # Given a coordinator who asked for the NUC report
    client = reader("ua-coordinator")
    url = f"/en/anp/{year()}/report.pdf?lang=en"
    first = job_of(client.get(url))
    # When they follow the link again (a reload, a double click) before it is made
    again = job_of(client.get(url))
    # Then it is the same job: one file is made, not two
    assert again.pk == first.pk
    assert Job.objects.filter(kind=JobKind.NUC_REPORT).count() == 1
    # But the other language is another file
    other = job_of(client.get(f"/en/anp/{year()}/report.pdf?lang=uk"))
    assert other.pk != first.pk and other.params["language"] == "uk"
    # And someone else asking for the same file gets their own
    theirs = job_of(reader("nato-editor").get(url))
    assert theirs.pk != first.pk and theirs.requested_by.username == "nato-editor"
    # And once it is made, asking again makes it afresh (the programme may have changed since)
    run_queued()
    later = job_of(client.get(url))
    assert later.pk != first.pk and later.status == JobStatus.QUEUED


def test_a_print_link_of_a_record_the_reader_may_not_see_is_404_and_no_job() -> None:
    # Given a Ukrainian reader and a project marked NATO, which they may not see
    hidden = Project.objects.get(slug="demilitarization-munitions")
    Project.objects.filter(pk=hidden.pk).update(marking=Marking.NATO)
    assert not can_see(User.objects.get(username="ua-viewer"), Project.objects.get(pk=hidden.pk))
    client = reader("ua-viewer")
    # When they follow its links
    urls = [
        f"/en/trust-funds/projects/{hidden.slug}/donor-report.pdf",
        "/en/trust-funds/no-such-fund/donor-report.pdf",
        "/en/anp/1990/report.pdf",
        "/en/anp/1990/measures.xlsx",
    ]
    # Then each is not found, as before, and nothing is asked of the worker
    assert [client.get(url).status_code for url in urls] == [404] * len(urls)
    assert not Job.objects.exists()


def test_a_print_link_followed_without_signing_in_goes_to_the_login() -> None:
    project = Project.objects.filter(marking="PUBLIC").first()
    assert project is not None
    answer = Client().get(f"/en/trust-funds/projects/{project.slug}/donor-report.pdf")
    assert answer.status_code == 302 and "/login/" in answer["Location"]
    assert "next=" in answer["Location"] and not Job.objects.exists()


@pytest.mark.parametrize("lang", ["en", "uk"])
def test_the_public_is_offered_the_printable_web_report_not_a_pdf_it_cannot_have(
    lang: str,
) -> None:
    # Given a public project and its fund, read by someone not signed in
    project = Project.objects.filter(marking="PUBLIC", fund__slug=FUND).first()
    assert project is not None
    public = Client()
    # When they open the project's page and the fund's
    page = public.get(f"/{lang}/trust-funds/projects/{project.slug}/").content.decode()
    fund = public.get(f"/{lang}/trust-funds/{FUND}/").content.decode()
    # Then the donor reports are offered as web pages (which print), with no PDF link to a login
    assert f"/trust-funds/projects/{project.slug}/donor-report.html" in page
    assert "donor-report.pdf" not in page and "donor-report.pdf" not in fund
    assert f'action="/{lang}/trust-funds/{FUND}/donor-report.html"' in fund
    # ... while a signed-in reader still has the PDFs, made by the worker
    public.force_login(User.objects.get(username="ca-donor"))
    assert (
        "donor-report.pdf"
        in public.get(f"/{lang}/trust-funds/projects/{project.slug}/").content.decode()
    )


@pytest.mark.parametrize("table", ["measures", "status"])
def test_the_anp_tables_are_made_by_the_worker_as_the_same_workbooks(table: str) -> None:
    # Given NATO staff on the programme's page
    client = reader("nato-editor")
    # When they export a table in Ukrainian
    answer = client.get(f"/uk/anp/{year()}/{table}.xlsx")
    job = job_of(answer)
    assert job.kind == JobKind.ANP_EXPORT
    assert job.params == {"year": year(), "table": table, "language": "uk"}
    # Then the job's page gives the workbook, with its measures, once made
    book = prepared(client, f"/uk/anp/{year()}/{table}.xlsx")
    assert book["Content-Disposition"].endswith(f'filename="anp-{year()}-{table}.xlsx"')
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet is not None and sheet.max_row > 1
    assert "Код заходу" in [cell.value for cell in sheet[1]]


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["waiting for the worker", "ready", "Download"]),
        ("uk", ["чекає", "готово", "Завантажити"]),
    ],
)
def test_the_job_page_shows_progress_then_the_download_in_each_language_without_script(
    language: str, words: list[str]
) -> None:
    # Given a donor who asked for their project's donor report
    client = reader("ca-donor")
    url = f"/{language}/trust-funds/projects/demilitarization-munitions/donor-report.pdf"
    answer = client.get(url)
    assert answer["Location"].startswith(f"/{language}/prepared/")
    job = job_of(answer)
    assert job.params["language"] == language
    # When they read its page before the worker has made it (the page itself, no script)
    waiting = client.get(answer["Location"]).content.decode()
    # Then it says it waits, and gives no download yet
    assert words[0] in waiting.lower()
    assert 'data-field="download" hidden' in waiting
    # And once made, the page itself (reloaded) gives the download
    run_queued()
    ready = client.get(answer["Location"]).content.decode()
    assert words[1] in ready.lower() and words[2] in ready
    assert 'data-field="download" hidden' not in ready
    assert f"/{language}/prepared/{job.pk}/download/" in ready
