"""The load test's pages (benchmarks/load/locustfile.py) make as many queries on more data.

The fund and project pages are held to this in tests/partnership/trustfunds/test_views.py
(the ANP pages also in tests/partnership/anp/test_views.py, read by NATO staff); here are the
other page kinds of the working day: the public factsheet and timeline, the meetings, a
meeting, the action items and a fund's donor report (HTML and PDF), each read once on the demo
data and again after the records they list have grown tenfold; and the ANP pages as the load
test's readers open them (the coordinator's year and chapter dashboards, the reporter's measure
and report form, NATO staff's measures export and NUC report PDF) for a year of 9 measures and
one of 90.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnership.anp.generate import generate_year
from partnership.anp.models import AnnualProgramme
from partnership.background import services
from partnership.background.models import Job, JobStatus
from partnership.background.storage import prepared_files
from partnership.core.models import Indicator, Marking, Organization, User
from partnership.framework.models import ActionItem, Body, Meeting, MeetingLevel
from partnership.trustfunds import services as trustfunds
from partnership.trustfunds.models import Kind, Phase, Project

pytestmark = pytest.mark.django_db

FUND = "medical-rehabilitation"
PROJECT = "demo-medical-rehabilitation-1"
MARKINGS = (Marking.PUBLIC, Marking.PARTNERSHIP, Marking.NATO)


PRINTS = (".pdf", ".xlsx")


def _queries(client: Client, url: str) -> int:
    """A page's queries; a print link's are its own (it starts a job) and the worker's, which
    makes the file."""
    _without_cached_content_types()
    if url.split("?")[0].endswith(PRINTS):
        return sum(_printed(client, url)[:2])
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def _without_cached_content_types() -> None:
    # Content types are cached per process once read: each count starts without them, so
    # that the first page a process reads does not count one more query than the next.
    ContentType.objects.clear_cache()


def _printed(client: Client, url: str) -> tuple[int, int, bytes]:
    """A print link's queries, the worker's queries for its file, and the file."""
    _without_cached_content_types()
    with CaptureQueriesContext(connection) as asked:
        answer = client.get(url)
    assert answer.status_code == 303, url
    job = Job.objects.get(pk=int(answer["Location"].rstrip("/").rsplit("/", 1)[1]))
    with CaptureQueriesContext(connection) as made:
        services.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, (url, job.error)
    with prepared_files().open(job.file, "rb") as file:
        return len(asked.captured_queries), len(made.captured_queries), file.read()


def _grow(meeting: Meeting, rows: int) -> None:
    """`rows` more meetings and action items (some on `meeting`) and transactions on a project."""
    bodies = list(Body.objects.all())
    owner = Organization.objects.get(slug="ua")
    Meeting.objects.bulk_create(
        Meeting(
            body=bodies[n % len(bodies)],
            level=MeetingLevel.EXPERTS,
            title_en=f"Grown meeting {n}",
            title_uk=f"Додане засідання {n}",
            place_en="Kyiv",
            date=dt.date(2020, 1 + n % 12, 1 + n % 28).isoformat(),
            date_start=dt.date(2020, 1 + n % 12, 1 + n % 28),
            date_end=dt.date(2020, 1 + n % 12, 1 + n % 28),
            marking=MARKINGS[n % 3],
        )
        for n in range(rows)
    )
    ActionItem.objects.bulk_create(
        ActionItem(
            title_en=f"Grown action {n}",
            owner=owner,
            marking=MARKINGS[n % 3],
            meeting=meeting if n % 2 else None,
        )
        for n in range(rows)
    )
    project = Project.objects.get(slug=PROJECT)
    trustfunds.rate_record(
        by=User.objects.get(username="nato-editor"),
        currency="USD",
        date=dt.date(2016, 2, 1),
        eur_per_unit=Decimal("0.9"),
    )
    organization = project.transactions.first().organization
    for n in range(rows // 10):
        trustfunds.transaction_record(
            by=None,
            project=project,
            kind=Kind.PLEDGE,
            date=dt.date(2016, 2, 1),
            organization=organization,
            currency="USD",
            amount=Decimal(100 + n),
        )


@pytest.mark.parametrize(
    ("who", "urls"),
    [
        (None, ["/en/", "/uk/", "/en/timeline/", "/uk/timeline/"]),
        (
            "nato-editor",
            [
                "/en/framework/meetings/",
                "/en/framework/meeting/",
                "/en/framework/action-items/",
            ],
        ),
        ("ca-donor", [f"/en/trust-funds/{FUND}/donor-report.html", f"/en/trust-funds/{FUND}/"]),
    ],
)
def test_the_load_tests_pages_make_as_many_queries_on_ten_times_the_records(
    client: Client, who: str | None, urls: list[str]
) -> None:
    # Given the demo data, a meeting of it and the pages' query counts
    if who:
        client.force_login(User.objects.get(username=who))
    meeting = Meeting.objects.filter(marking=Marking.PUBLIC).order_by("pk").first()
    assert meeting is not None
    urls = [u.replace("/meeting/", f"/meetings/{meeting.pk}/") for u in urls]
    before = {url: _queries(client, url) for url in urls}
    # When the meetings and action items grow by 300 each and the project by 30 transactions
    _grow(meeting, 300)
    # Then every page makes the same number of queries as before
    assert {url: _queries(client, url) for url in urls} == before


def _fund_of(projects: int) -> None:
    """The demo fund grown to `projects` projects, each with what a donor report shows: a
    phase led by a nation, money from three donors in their currencies (Canada's among them),
    spending in a phase, an indicator with one measurement standing and one withdrawn. The
    markings go round PUBLIC, PARTNERSHIP, NATO and "releasable to Canada", so that each
    reader sees some projects and some rows and not others."""
    fund = Project.objects.get(slug=PROJECT).fund
    editor = User.objects.get(username="nato-editor")
    orgs = {o.slug: o for o in Organization.objects.filter(slug__in=["bg", "ca", "us", "nspa"])}
    for (currency, rate), month in itertools.product((("USD", "0.9"), ("CAD", "0.7")), (1, 2, 3)):
        trustfunds.rate_record(
            by=editor, currency=currency, date=dt.date(2015, month, 1), eur_per_unit=Decimal(rate)
        )
    indicator_type = ContentType.objects.get_for_model(Project)
    markings = [(Marking.PUBLIC, ""), (Marking.PARTNERSHIP, ""), (Marking.NATO, ""),
                (Marking.NATIONS, ",CA,")]  # fmt: skip
    for n in range(Project.objects.filter(fund=fund).count(), projects):
        marking, releasable_to = markings[n % len(markings)]
        project = Project.objects.create(
            fund=fund, slug=f"grown-project-{n}", iati_identifier=f"XI-TEST-grown-{n}",
            title_en=f"Grown project {n}", title_uk=f"Доданий проєкт {n}", period="2015/2018",
            budget_eur=Decimal(900_000), marking=marking, releasable_to=releasable_to,
        )  # fmt: skip
        phase = Phase.objects.create(project=project, number=1, lead_nation=orgs["us"])
        for slug, currency in (("bg", "EUR"), ("us", "USD"), ("ca", "CAD")):
            for month, kind in enumerate((Kind.PLEDGE, Kind.COMMITMENT, Kind.PAYMENT), start=1):
                trustfunds.transaction_record(
                    by=None, project=project, kind=kind, date=dt.date(2015, month, 1),
                    organization=orgs[slug], currency=currency, amount=Decimal(100_000 + n),
                )  # fmt: skip
        for year in (2015, 2016):
            trustfunds.transaction_record(
                by=None, project=project, kind=Kind.EXPENDITURE, date=dt.date(year, 6, 1),
                organization=orgs["nspa"], currency="EUR", amount=Decimal(50_000), phase=phase,
            )  # fmt: skip
        indicator = Indicator.objects.create(
            subject_type=indicator_type, subject_id=project.pk, name_en=f"Centres {n}",
            unit="centres", target=Decimal(8), marking=marking, releasable_to=releasable_to,
        )  # fmt: skip
        trustfunds.measurement_record(by=editor, indicator=indicator, period="2015", actual=3)
        wrong = trustfunds.measurement_record(
            by=editor, indicator=indicator, period="2016", actual=30
        )
        trustfunds.measurement_withdraw(by=editor, measurement=wrong, reason="Counted twice")


def _report(client: Client, url: str) -> tuple[int, int]:
    """The report's query count, and how much it shows (projects, or the PDF's size)."""
    if ".pdf" in url:
        # A PDF's text is compressed: its size stands for how much it shows.
        asked, made, pdf = _printed(client, url)
        assert pdf.startswith(b"%PDF"), url
        return asked + made, len(pdf)
    with CaptureQueriesContext(connection) as ctx:
        answer = client.get(url)
    assert answer.status_code == 200, url
    return len(ctx.captured_queries), answer.content.count(b'<section class="project">')


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("ca-donor", "donor-report.html"),
        ("ca-donor", "donor-report.html?from=2016-01-01"),
        ("nato-editor", "donor-report.html?from=2015-02-01&to=2016-01-01"),
        ("ua-viewer", "donor-report.html?lang=uk"),
        (None, "donor-report.html"),
        ("ca-donor", "donor-report.pdf?lang=uk"),
    ],
)
def test_the_funds_donor_report_makes_as_many_queries_for_twelve_projects_as_for_two(
    client: Client, who: str | None, url: str
) -> None:
    # Given a fund of two projects and its donor report
    if who:
        client.force_login(User.objects.get(username=who))
    url = f"/en/trust-funds/{FUND}/{url}"
    _fund_of(2)
    queries, shown = _report(client, url)
    # When the fund has twelve
    _fund_of(12)
    # Then the report shows more of them with as many queries
    queries_of_twelve, shown_of_twelve = _report(client, url)
    assert shown_of_twelve > shown
    assert queries_of_twelve == queries


@pytest.fixture
def two_anp_years() -> tuple[AnnualProgramme, AnnualProgramme]:
    """Two past ANP years (their deadlines gone, so some measures are overdue), the second with
    ten times the measures and goals of the first (a chapter's page lists its goals), and
    four quarterly reports a measure where the first has one (a measure's page lists its
    reports), both with Allied ratings."""
    agencies = list(Organization.objects.filter(slug__in=["ua-mod", "ua-ses", "ua-mfa"]))
    people = {
        "reporter": User.objects.get(username="ua-reporter"),
        "assessor": User.objects.get(username="ally-assessor"),
    }
    return (
        generate_year(
            year=2002, measures=9, agencies=agencies, quarters=1, goals_per_chapter=1, **people
        ),
        generate_year(year=2003, measures=90, agencies=agencies, goals_per_chapter=10, **people),
    )


def _own_measure(programme: AnnualProgramme) -> int:
    """A measure of the reporter's agency (the Ministry of Defence) in that year."""
    measure = programme.measures.filter(agency__slug="ua-mod").order_by("pk").first()
    assert measure is not None
    return measure.pk


# Of which 8 are every signed-in page's: the session, the user, their two kinds of second
# factor, organization and nation, roles, and the bell's unread count.
MOST_QUERIES = {
    "/en/anp/{year}/": 16,
    "/uk/anp/{year}/chapters/1/": 14,
    "/uk/anp/measures/{measure}/": 18,
    "/uk/anp/measures/{measure}/report/": 11,
    # The prints: the link's queries (it starts the job) and the worker's, which makes the file.
    "/en/anp/{year}/measures.xlsx": 33,
    "/en/anp/{year}/report.pdf": 39,
}


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("ua-coordinator", "/en/anp/{year}/"),
        ("ua-coordinator", "/uk/anp/{year}/chapters/1/"),
        ("ua-reporter", "/uk/anp/measures/{measure}/"),
        ("ua-reporter", "/uk/anp/measures/{measure}/report/"),
        ("nato-editor", "/en/anp/{year}/measures.xlsx"),
        ("nato-editor", "/en/anp/{year}/report.pdf"),
    ],
)
def test_the_load_tests_anp_pages_make_as_many_queries_for_ten_times_the_measures(
    client: Client,
    two_anp_years: tuple[AnnualProgramme, AnnualProgramme],
    who: str,
    url: str,
) -> None:
    # Given a year of 9 measures and one of 90, read by the load test's reader of the page
    client.force_login(User.objects.get(username=who))
    small, large = (url.format(year=p.year, measure=_own_measure(p)) for p in two_anp_years)
    # When the page of each year is read
    queries = _queries(client, small), _queries(client, large)
    # Then the larger year's page makes as many queries as the smaller's
    assert queries[1] == queries[0], (small, queries)
    # And no more than it makes now (the dashboard made 24, the chapter 16, the measure 26,
    # the report form 13 before their summaries and checks were read once each)
    assert queries[0] <= MOST_QUERIES[url], (small, queries)
