"""The load test's pages (benchmarks/load/locustfile.py) make as many queries on more data.

The ANP pages are held to this in tests/partnership/anp/test_views.py and the fund and project
pages in tests/partnership/trustfunds/test_views.py; here are the other page kinds of the
working day: the public factsheet and timeline, the meetings, a meeting, the action items and
a fund's donor report, each read once on the demo data and again after the records they list
have grown tenfold.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnership.core.models import Marking, Organization, User
from partnership.framework.models import ActionItem, Body, Meeting, MeetingLevel
from partnership.trustfunds import services as trustfunds
from partnership.trustfunds.models import Kind, Project

pytestmark = pytest.mark.django_db

FUND = "medical-rehabilitation"
PROJECT = "demo-medical-rehabilitation-1"
MARKINGS = (Marking.PUBLIC, Marking.PARTNERSHIP, Marking.NATO)


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


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
