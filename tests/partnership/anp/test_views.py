"""The ANP pages: the coordinator's import in the background, the role rules on pages, and query
counts that do not grow with the number of measures."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from partnership.anp.generate import generate_year
from partnership.anp.models import AnnualProgramme, Assessment, Measure, QuarterlyReport
from partnership.background.models import JobStatus
from partnership.core.models import Organization, User
from partnership.notifications.models import Recipient
from tests.conftest import DEMO_PASSWORD
from tests.partnership.anp.test_spreadsheets import GOOD, workbook
from tests.partnership.background.jobs import run_queued

pytestmark = pytest.mark.django_db


def login(client: Client, username: str) -> Client:
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_the_coordinator_sees_every_error_then_imports_in_the_background(client: Client) -> None:
    # The worker writes in the requester's language: this coordinator reads English.
    Recipient.objects.create(user=User.objects.get(username="ua-coordinator"), language="en")
    login(client, "ua-coordinator")
    bad = workbook(
        [*GOOD, [1, "1.1", "", "1.1.1", "x", "Ministry of Magic", "", "soon", "", "", "", ""]]
    )
    sent = client.post("/en/anp/import/", {"year": 2035, "file": io.BytesIO(bad)})
    assert sent.status_code == 302
    (failed,) = run_queued()
    body = client.get(sent["Location"]).content.decode()
    assert failed.status == JobStatus.FAILED
    assert "2 errors — nothing was saved" in body
    assert "“Ministry of Magic” is not a known agency of the partner." in body
    assert not AnnualProgramme.objects.filter(year=2035).exists()

    checked = client.post(
        "/en/anp/import/", {"year": 2035, "file": io.BytesIO(workbook(GOOD)), "check": "on"}
    )
    run_queued()
    assert "The workbook has no errors: 2 measures would be imported." in (
        client.get(checked["Location"]).content.decode()
    )
    assert not AnnualProgramme.objects.filter(year=2035).exists()

    done = client.post("/en/anp/import/", {"year": 2035, "file": io.BytesIO(workbook(GOOD))})
    (imported,) = run_queued()
    assert imported.status == JobStatus.DONE and imported.upload == ""
    assert "2 measures were imported into the 2035 draft." in (
        client.get(done["Location"]).content.decode()
    )
    assert Measure.objects.filter(programme__year=2035).count() == 2


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


# Creating, editing, amending and withdrawing measures through the pages (issue 15).


def _draft_with_one_measure(year: int = 2030) -> Measure:
    from decimal import Decimal

    from partnership.anp import services

    coordinator = User.objects.get(username="ua-coordinator")
    programme = services.programme_create(by=coordinator, year=year)
    return services.measure_create(
        by=coordinator, programme=programme,
        data=services.MeasureData(
            chapter=2, goal_code="2.1", goal_en="Defence reform", code="2.1.1",
            text_en="Certify the units", agency=Organization.objects.get(slug="ua-mod"),
            deadline=f"{year}-35",
            indicators=[services.IndicatorData(name_en="Units certified", target=Decimal(10))],
        ),
    )  # fmt: skip


def _approve(measure: Measure) -> None:
    from partnership.anp import services

    services.programme_submit(
        by=User.objects.get(username="ua-coordinator"), programme=measure.programme
    )
    services.programme_approve(
        by=User.objects.get(username="ua-approver"), programme=measure.programme
    )


NEW_MEASURE = {
    "chapter": "2", "goal_code": "2.1", "code": "2.1.2", "text_en": "Train the reserve",
    "deadline": "IV квартал 2030", "marking": "PARTNERSHIP",
    "indicators-TOTAL_FORMS": "2", "indicators-INITIAL_FORMS": "0",
    "indicators-0-name_en": "Reservists trained", "indicators-0-target": "500",
    "indicators-0-unit": "people",
}  # fmt: skip


def test_the_coordinator_adds_a_measure_and_back_then_submit_adds_nothing(client: Client) -> None:
    measure = _draft_with_one_measure()
    login(client, "ua-coordinator")
    form = client.get("/uk/anp/2030/measures/new/").content.decode()
    assert "Код цілі" in form and "Показник (англійською)" in form
    data = {
        **NEW_MEASURE,
        "agency": measure.agency_id,
        "co_executors": [Organization.objects.get(slug="ua-ses").pk],
    }

    done = client.post("/uk/anp/2030/measures/new/", data)

    created = Measure.objects.get(programme__year=2030, code="2.1.2")
    assert done.status_code == 302 and done["Location"].endswith(f"/anp/measures/{created.pk}/")
    assert (created.deadline, created.goal.code) == ("2030-36", "2.1")
    assert [(i.name_en, i.unit) for i in created.indicators.all()] == [
        ("Reservists trained", "people")
    ]
    assert list(created.co_executors.values_list("slug", flat=True)) == ["ua-ses"]
    # Back, then submit the same form again: the code is taken, nothing is added twice.
    again = client.post("/uk/anp/2030/measures/new/", data)
    assert again.status_code == 200
    assert "code" in again.context["form"].errors
    assert Measure.objects.filter(programme__year=2030).count() == 2


def test_a_refused_deadline_is_named_on_its_field_in_both_languages(client: Client) -> None:
    measure = _draft_with_one_measure()
    login(client, "ua-coordinator")
    for lang, typed in (("en", "soon"), ("uk", "2099")):
        page = client.post(
            f"/{lang}/anp/2030/measures/new/",
            {**NEW_MEASURE, "agency": measure.agency_id, "deadline": typed},
        )
        assert page.status_code == 200
        assert "deadline" in page.context["form"].errors
    assert not Measure.objects.filter(code="2.1.2").exists()


def test_the_coordinator_edits_a_draft_measure_with_the_deadline_as_people_write_it(
    client: Client,
) -> None:
    measure = _draft_with_one_measure()
    login(client, "ua-coordinator")
    page = client.get(f"/uk/anp/measures/{measure.pk}/edit/").content.decode()
    assert 'value="III квартал 2030"' in page  # shown as it is typed back
    done = client.post(
        f"/uk/anp/measures/{measure.pk}/edit/",
        {
            "text_en": "Certify every unit", "goal": measure.goal_id, "agency": measure.agency_id,
            "deadline": "III квартал 2030", "indicators-TOTAL_FORMS": "1",
            "indicators-INITIAL_FORMS": "1", "indicators-0-name_en": "Units certified",
            "indicators-0-target": "12",
        },
    )  # fmt: skip
    assert done.status_code == 302
    measure.refresh_from_db()
    assert (measure.text_en, measure.deadline) == ("Certify every unit", "2030-35")
    assert [i.target for i in measure.indicators.all()] == [12]


def test_approve_and_return_ask_for_a_confirmation_first(client: Client) -> None:
    from partnership.anp import services

    measure = _draft_with_one_measure()
    services.programme_submit(
        by=User.objects.get(username="ua-coordinator"), programme=measure.programme
    )
    login(client, "ua-coordinator")
    assert client.get("/en/anp/2030/approve/").status_code == 403
    login(client, "ua-approver")
    page = client.get("/uk/anp/2030/approve/")
    assert "Затвердити програму" in page.content.decode()
    unconfirmed = client.post("/en/anp/2030/approve/", {})
    assert unconfirmed.status_code == 200 and "confirm" in unconfirmed.context["form"].errors
    assert AnnualProgramme.objects.get(year=2030).status == "submitted"
    assert client.post("/en/anp/2030/approve/", {"confirm": "on"}).status_code == 302
    assert AnnualProgramme.objects.get(year=2030).status == "approved"


def test_the_approver_amends_with_a_reason_and_it_shows_in_the_history(client: Client) -> None:
    measure = _draft_with_one_measure()
    _approve(measure)
    login(client, "ua-coordinator")
    assert client.get(f"/en/anp/measures/{measure.pk}/edit/").status_code == 403
    login(client, "ua-approver")
    form = client.get(f"/uk/anp/measures/{measure.pk}/amend/").content.decode()
    assert 'value="III квартал 2030"' in form
    data = {
        "text_en": "Certify the units", "goal": measure.goal_id, "agency": measure.agency_id,
        "deadline": "IV квартал 2030", "reason": "The budget came late",
    }  # fmt: skip
    unconfirmed = client.post(f"/uk/anp/measures/{measure.pk}/amend/", data)
    assert unconfirmed.status_code == 200 and not measure.amendments.exists()

    done = client.post(f"/uk/anp/measures/{measure.pk}/amend/", {**data, "confirm": "on"})

    assert done.status_code == 302
    amendment = measure.amendments.get()
    assert amendment.changes == {"deadline": {"from": "2030-35", "to": "2030-36"}}
    detail = client.get(f"/en/anp/measures/{measure.pk}/").content.decode()
    assert "The budget came late" in detail


def test_a_withdrawn_measure_keeps_its_page_and_leaves_the_list(client: Client) -> None:
    measure = _draft_with_one_measure()
    login(client, "ua-coordinator")
    refused = client.post(f"/en/anp/measures/{measure.pk}/withdraw/", {"reason": "Duplicate"})
    assert refused.status_code == 200  # the confirmation is required
    done = client.post(
        f"/en/anp/measures/{measure.pk}/withdraw/", {"reason": "Duplicate", "confirm": "on"}
    )
    assert done.status_code == 302
    page = client.get(f"/uk/anp/measures/{measure.pk}/").content.decode()
    assert "Відкликано" in page and "Duplicate" in page
    assert "2.1.1" not in client.get("/en/anp/2030/measures/").content.decode()


@pytest.mark.parametrize("lang", ["en", "uk"])
@pytest.mark.parametrize("name", ["ua-reporter", "ally-assessor", "nato-approver", "ua-viewer"])
def test_people_who_do_not_coordinate_are_refused_with_the_reason(
    client: Client, name: str, lang: str
) -> None:
    from django.utils import translation
    from django.utils.html import escape

    from partnership.anp import services

    measure = _draft_with_one_measure()
    login(client, name)
    for url, message in (
        (f"/{lang}/anp/2030/measures/new/", services.MSG_NOT_COORDINATOR),
        (f"/{lang}/anp/measures/{measure.pk}/edit/", services.MSG_NOT_COORDINATOR),
        (f"/{lang}/anp/measures/{measure.pk}/withdraw/", services.MSG_NOT_COORDINATOR),
        (f"/{lang}/anp/measures/{measure.pk}/amend/", services.MSG_NOT_APPROVER),
    ):
        page = client.get(url)
        # The programme is PARTNERSHIP: everyone here sees it, and is told why not.
        assert page.status_code == 403, url
        with translation.override(lang):
            assert escape(str(message)) in page.content.decode(), url


def test_a_copied_year_lists_the_measures_waiting_for_a_deadline(client: Client) -> None:
    from partnership.anp import services

    measure = _draft_with_one_measure()
    _approve(measure)
    services.programme_copy(
        by=User.objects.get(username="ua-coordinator"), source=measure.programme, year=2031
    )
    login(client, "ua-coordinator")
    body = client.get("/en/anp/2031/").content.decode()
    assert "Measures waiting for their new deadline" in body
    detail = client.get(
        f"/en/anp/measures/{Measure.objects.get(programme__year=2031).pk}/"
    ).content.decode()
    assert "none yet: give the new deadline" in detail


# A new empty year, and indicators amended after approval (issue 15, the workflows still missing).


def test_the_coordinator_creates_an_empty_year_from_the_pages(client: Client) -> None:
    # Given the coordinator on the list of programmes
    login(client, "ua-coordinator")
    listing = client.get("/uk/anp/").content.decode()
    assert 'href="/uk/anp/new/"' in listing
    form = client.get("/uk/anp/new/")
    assert form.status_code == 200 and 'value="PUBLIC" selected' not in form.content.decode()

    # When they create 2036, then try 2036 again
    done = client.post("/en/anp/new/", {"year": "2036", "marking": "PARTNERSHIP"})
    again = client.post("/en/anp/new/", {"year": "2036", "marking": "PARTNERSHIP"})

    # Then one draft exists and the second attempt names the year
    assert done.status_code == 302 and done["Location"] == "/en/anp/2036/"
    assert AnnualProgramme.objects.get(year=2036).status == "draft"
    assert again.status_code == 400
    assert "There is already a programme for 2036." in again.context["form"].errors["year"]


def test_a_reporter_is_refused_the_new_year_page_with_the_reason(client: Client) -> None:
    login(client, "ua-reporter")
    page = client.get("/uk/anp/new/")
    assert page.status_code == 403
    assert "національний координатор" in page.content.decode()


def test_the_approver_amends_an_indicator_in_its_row(client: Client) -> None:
    # Given an approved measure with one indicator
    measure = _draft_with_one_measure()
    _approve(measure)
    indicator = measure.indicators.get()
    login(client, "ua-approver")
    page = client.get(f"/en/anp/measures/{measure.pk}/amend/").content.decode()
    assert 'name="indicators-0-target" value="10.00"' in page

    # When the approver raises the target in its row and confirms
    done = client.post(
        f"/en/anp/measures/{measure.pk}/amend/",
        {
            "text_en": measure.text_en, "goal": measure.goal_id, "agency": measure.agency_id,
            "deadline": "Q3 2030", "reason": "More units funded", "confirm": "on",
            "indicators-TOTAL_FORMS": "3", "indicators-INITIAL_FORMS": "1",
            "indicators-0-id": str(indicator.pk), "indicators-0-name_en": "Units certified",
            "indicators-0-target": "12",
        },
    )  # fmt: skip

    # Then the same indicator has the new target, and the amendment shows on the measure
    assert done.status_code == 302
    indicator.refresh_from_db()
    assert indicator.target == 12
    assert list(measure.amendments.get().changes) == ["indicators"]
    detail = client.get(f"/en/anp/measures/{measure.pk}/").content.decode()
    assert "Effectiveness indicators: “Units certified: 0.00 → 10.00”" in detail


def _open_report_measure() -> Measure:
    """A measure of the Ministry of Defence whose reports are still open: no Ally has assessed
    it or its chapter (the demo's assessments removed, inside the test's transaction)."""
    measure = (
        Measure.objects.filter(programme__year=2015, agency__slug="ua-mod", withdrawn_at=None)
        .select_related("programme")
        .first()
    )
    assert measure is not None
    Assessment.objects.filter(programme=measure.programme, chapter=measure.chapter).delete()
    QuarterlyReport.objects.filter(measure=measure, quarter=4).delete()
    return measure


def test_the_reporter_files_in_ukrainian_only_corrects_and_withdraws_on_the_pages(
    client: Client,
) -> None:
    # Given the reporter of the ministry on the Ukrainian pages
    measure = _open_report_measure()
    login(client, "ua-reporter")
    # When the report is sent with no progress in either language
    empty = client.post(
        f"/uk/anp/measures/{measure.pk}/report/", {"quarter": 4, "status": "on_track"}
    )
    # Then it is refused on the progress field, in Ukrainian, and nothing is saved
    assert "Опишіть хід виконання англійською або українською." in empty.content.decode()
    assert not QuarterlyReport.objects.filter(measure=measure, quarter=4).exists()

    # When it is sent in Ukrainian only
    sent = client.post(
        f"/uk/anp/measures/{measure.pk}/report/",
        {"quarter": 4, "status": "on_track", "progress_uk": "Закон ухвалено в першому читанні."},
    )
    assert sent.status_code == 302
    report = QuarterlyReport.objects.get(measure=measure, quarter=4, withdrawn_at=None)
    assert (report.progress_en, report.progress_uk) == ("", "Закон ухвалено в першому читанні.")
    # Then the English page shows the Ukrainian text where there is no English
    english = client.get(f"/en/anp/measures/{measure.pk}/").content.decode()
    assert "Закон ухвалено в першому читанні." in english

    # When it is corrected without a reason, then with one
    url = f"/uk/anp/reports/{report.pk}/correct/"
    correction = {"status": "at_risk", "progress_uk": "Друге читання відкладено.", "reason": ""}
    unreasoned = client.post(url, correction)
    assert unreasoned.status_code == 400
    assert QuarterlyReport.objects.get(pk=report.pk).status == "on_track"
    assert client.post(url, {**correction, "reason": "Статус подано помилково."}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.correction_reason) == ("at_risk", "Статус подано помилково.")

    # When it is withdrawn without the confirmation, then with it
    url = f"/uk/anp/reports/{report.pk}/withdraw/"
    unconfirmed = client.post(url, {"reason": "Подано не до того заходу."})
    assert unconfirmed.status_code == 400
    assert not QuarterlyReport.objects.get(pk=report.pk).withdrawn
    assert (
        client.post(url, {"reason": "Подано не до того заходу.", "confirm": "on"}).status_code
        == 302
    )
    # Then it stays on the measure's page, marked withdrawn, with the reason
    page = client.get(f"/uk/anp/measures/{measure.pk}/").content.decode()
    assert 'data-testid="report-withdrawn"' in page and "Подано не до того заходу." in page
    assert QuarterlyReport.objects.get(pk=report.pk).withdrawn


def test_a_coordinator_is_refused_the_correction_with_the_403_page_and_its_reason(
    client: Client,
) -> None:
    measure = _open_report_measure()
    report = QuarterlyReport.objects.filter(measure=measure, withdrawn_at=None).first()
    assert report is not None
    # (another agency's reporter does not see the measure at all: a 404)
    login(client, "ua-coordinator")
    for url in (f"/uk/anp/reports/{report.pk}/correct/", f"/uk/anp/reports/{report.pk}/withdraw/"):
        refused = client.post(
            url, {"status": "done", "progress_en": "x", "reason": "r", "confirm": "on"}
        )
        assert refused.status_code == 403
        assert "Звітувати про заходи може лише відповідальний за звітність органу партнера." in (
            refused.content.decode()
        )
    assert QuarterlyReport.objects.get(pk=report.pk).status == report.status


def test_a_step_refused_to_a_role_is_the_ukrainian_403_page_with_the_services_reason(
    client: Client,
) -> None:
    # Given a viewer of the partner, who may not submit the programme
    login(client, "ua-viewer")
    # When they send the programme's step anyway
    refused = client.post("/uk/anp/2015/submit/")
    # Then the answer is the 403 page, in Ukrainian, with the service's reason (not a message
    # on the dashboard)
    assert refused.status_code == 403
    assert (
        "Це може робити лише національний координатор (редактор з боку партнера)."
        in refused.content.decode()
    )
