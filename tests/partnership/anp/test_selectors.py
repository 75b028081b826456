"""The ANP reads: the year dashboard's one-pass overview says what each summary says alone."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from partnership.anp import selectors
from partnership.anp.generate import generate_year
from partnership.anp.models import AnnualProgramme, Assessment, Measure, QuarterlyReport
from partnership.core.models import Marking, Organization, User

pytestmark = pytest.mark.django_db

READERS = (None, "ua-reporter", "ua-coordinator", "ally-assessor", "nato-editor")


@pytest.fixture
def year() -> AnnualProgramme:
    """A year of 40 measures over three agencies, reported on and rated by an Ally, with what
    the summaries treat apart: measures marked NATO (the partner does not see them) and one
    without a deadline, a withdrawn measure and a withdrawn report (they count nowhere), and
    measure ratings beside the chapters', one of them marked NATO."""
    programme = generate_year(
        year=2003,
        measures=40,
        agencies=list(Organization.objects.filter(slug__in=["ua-mod", "ua-ses", "ua-mfa"])),
        reporter=User.objects.get(username="ua-reporter"),
        assessor=User.objects.get(username="ally-assessor"),
    )
    measures = list(programme.measures.order_by("pk"))
    Measure.objects.filter(pk__in=[m.pk for m in measures[::7]]).update(marking=Marking.NATO)
    Measure.objects.filter(pk=measures[3].pk).update(deadline="", deadline_end=None)
    withdrawn = {
        "withdrawn_at": dt.datetime(2003, 6, 1, tzinfo=dt.UTC),
        "withdrawn_by": User.objects.get(username="ua-coordinator"),
        "withdrawal_reason": "Withdrawn for the test",
    }
    Measure.objects.filter(pk=measures[5].pk).update(**withdrawn)
    report = QuarterlyReport.objects.filter(measure=measures[6]).order_by("quarter").first()
    assert report is not None
    QuarterlyReport.objects.filter(pk=report.pk).update(**withdrawn)
    assessor = User.objects.get(username="ally-assessor")
    for n, measure in enumerate(measures[1:13:2]):
        Assessment.objects.create(
            programme=programme, chapter=measure.chapter, measure=measure, organization=assessor.organization,
            assessor=assessor, rating=1 + n % 5, marking=Marking.NATO if n == 2 else Marking.PARTNERSHIP,
        )  # fmt: skip
    return programme


@pytest.mark.parametrize("who", READERS)
def test_the_year_overview_says_what_each_summary_says_on_its_own(
    year: AnnualProgramme, who: str | None
) -> None:
    # Given a reader of the year, on a day some quarters are due and some deadlines ahead
    reader = User.objects.get(username=who) if who else AnonymousUser()
    today = dt.date(2003, 8, 1)
    agency = Organization.objects.get(slug="ua-ses").pk
    # When the dashboard reads its overview
    overview = selectors.year_overview(user=reader, programme=year, today=today)
    # Then each part is what its own selector answers for that reader
    alone = selectors.chapter_summary(user=reader, programme=year)
    assert [{**r, "chapter": r["chapter"].pk} for r in overview.chapters] == [
        {**r, "chapter": r["chapter"].pk} for r in alone
    ]
    assert overview.agencies == selectors.agency_progress(user=reader, programme=year)
    assert overview.disagreements == selectors.measure_disagreements(user=reader, programme=year)
    assert overview.quarters() == selectors.quarter_progress(user=reader, programme=year)
    assert overview.quarters(agency=agency) == selectors.quarter_progress(
        user=reader, programme=year, agency=agency
    )
    assert overview.gaps(today=today) == selectors.reporting_gaps(
        user=reader, programme=year, today=today
    )
    # And its counts of the three lists are the lists' lengths
    assert overview.overdue == selectors.overdue(user=reader, programme=year, today=today).count()
    assert overview.upcoming == selectors.upcoming(user=reader, programme=year, today=today).count()
    assert (
        overview.without_deadline == selectors.without_deadline(user=reader, programme=year).count()
    )


@pytest.mark.parametrize("who", READERS)
def test_a_chapters_row_is_its_row_of_the_chapter_summary(
    year: AnnualProgramme, who: str | None
) -> None:
    # Given a reader and the year's chapter summary
    reader = User.objects.get(username=who) if who else AnonymousUser()
    summary = selectors.chapter_summary(user=reader, programme=year)
    # When each chapter's row is read on its own
    rows = [selectors.chapter_row(user=reader, chapter=r["chapter"]) for r in summary]
    # Then it is the summary's row of that chapter
    assert rows == summary
