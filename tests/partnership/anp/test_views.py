"""The ANP pages: the coordinator's import with preview, the role rules on pages, and query
counts that do not grow with the number of measures."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnership.anp.generate import generate_year
from partnership.anp.models import AnnualProgramme, Measure
from partnership.core.models import Organization, User
from tests.conftest import DEMO_PASSWORD
from tests.partnership.anp.test_spreadsheets import GOOD, workbook

pytestmark = pytest.mark.django_db


def login(client: Client, username: str) -> Client:
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_coordinator_sees_every_error_then_imports_after_the_preview(client: Client) -> None:
    login(client, "ua-coordinator")
    bad = workbook(
        [*GOOD, [1, "1.1", "", "1.1.1", "x", "Ministry of Magic", "", "soon", "", "", "", ""]]
    )
    page = client.post("/en/anp/import/", {"year": 2041, "file": io.BytesIO(bad)})
    body = page.content.decode()
    assert "2 errors — nothing was saved" in body
    assert "“Ministry of Magic” is not a known agency of the partner." in body
    assert not AnnualProgramme.objects.filter(year=2041).exists()

    good = client.post("/en/anp/import/", {"year": 2041, "file": io.BytesIO(workbook(GOOD))})
    assert "Preview: 2 measures" in good.content.decode()
    assert not AnnualProgramme.objects.filter(year=2041).exists()
    digest = good.context["digest"]
    done = client.post("/en/anp/import/", {"confirm": "1", "digest": digest})
    assert done.status_code == 302
    assert Measure.objects.filter(programme__year=2041).count() == 2


def test_a_reporter_cannot_open_the_report_form_of_another_agency(client: Client) -> None:
    login(client, "ua-reporter")
    other = Measure.objects.filter(programme__year=2015).exclude(agency__slug="ua-mod").first()
    assert client.get(f"/en/anp/measures/{other.pk}/report/").status_code in (403, 404)
    own = Measure.objects.filter(programme__year=2015, agency__slug="ua-mod").first()
    assert client.get(f"/en/anp/measures/{own.pk}/report/").status_code == 200


def test_only_coordinators_import_and_the_public_sees_no_anp(client: Client) -> None:
    assert client.get("/en/anp/").status_code == 302  # to the login page
    login(client, "ua-reporter")
    assert client.get("/en/anp/import/").status_code == 403


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_the_number_of_measures(client: Client) -> None:
    agencies = list(Organization.objects.filter(slug__in=["ua-mod", "ua-ses", "ua-mfa"]))
    reporter = User.objects.get(username="ua-reporter")
    assessor = User.objects.get(username="ally-assessor")
    small = generate_year(
        year=2050, measures=20, agencies=agencies, reporter=reporter, assessor=assessor
    )
    large = generate_year(
        year=2051, measures=200, agencies=agencies, reporter=reporter, assessor=assessor
    )
    login(client, "nato-editor")
    for path in ("/en/anp/{y}/", "/en/anp/{y}/measures/", "/en/anp/{y}/chapters/2/"):
        assert _queries(client, path.format(y=2050)) == _queries(client, path.format(y=2051)), path
    a = small.measures.order_by("code").first()
    b = large.measures.order_by("code").first()
    assert _queries(client, f"/en/anp/measures/{a.pk}/") == _queries(
        client, f"/en/anp/measures/{b.pk}/"
    )


def test_pages_in_ukrainian(client: Client) -> None:
    login(client, "ua-viewer")
    body = client.get("/uk/anp/2015/").content.decode()
    assert "Поступ за розділами" in body
    assert "Оборонні та військові питання" in body
