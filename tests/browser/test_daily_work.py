"""Each demo role's daily work done only through the pages (issue 15): create, edit, withdraw,
a wrong value refused on its field with a translated message, Back + submit saving nothing
twice, and a step the role may not do refused by the translated 403 page with its reason."""

import re
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page, expect

from partnership.core.middleware import MSG_ALREADY_SENT
from partnership.core.templatetags.partnership import names_field
from tests.browser.conftest import screenshot
from tests.browser.test_pages import log_in
from tests.partnership.printed import header_problems, table_headers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROJECT = "demilitarization-munitions"


def shown(language: str, message: Any, **params: Any) -> str:
    """A message as the pages in that language show it (the test runs outside any request):
    a lazy message from the code, or a plain msgid written here."""
    with translation.override(language):
        text = translation.gettext(message) if isinstance(message, str) else str(message)
    return text % params if params else text


def uk(message: Any, **params: Any) -> str:
    return shown("uk", message, **params)


def en(message: Any, **params: Any) -> str:
    return shown("en", message, **params)


def field_says(page: Page, field_id: str, message: str) -> None:
    """The message is in the field's own error list (the list the field's aria-describedby
    points at), which names the field by its label where the label is a name (a box whose
    label is a sentence is not named again before its error: `names_field`)."""
    errors = page.locator(f"#{field_id}_error")
    expect(errors).to_contain_text(message)
    label = page.locator(f"label[for={field_id}]").first.inner_text().strip().rstrip(":")
    if not names_field(message, label):
        expect(errors).to_contain_text(label)


def not_saved_twice(page: Page, *said: str) -> None:
    """Back + submit is told it was not saved again: by the one-time form token when the
    browser kept the old page, or by the service's own refusal when it reloaded the form."""
    expect(page.locator("main")).to_contain_text(re.compile("|".join(map(re.escape, said))))


def refused_with_403(page: Page, url: str, reason: str, *, language: str) -> None:
    """The step is refused by the site's own 403 page: the reason and a way back, translated."""
    response = page.goto(url)
    assert response is not None and response.status == 403
    expect(page.get_by_test_id("error-403")).to_be_visible()
    expect(page.get_by_test_id("reason")).to_have_text(reason)
    back = uk("Back to the start page") if language == "uk" else en("Back to the start page")
    expect(page.get_by_role("link", name=back)).to_be_visible()
    # The site's layout stays: who is logged in, and the way to log out.
    expect(page.get_by_test_id("who")).to_be_visible()


def test_the_ukrainian_reporter_files_a_quarterly_report_in_ukrainian(
    page: Page, site: str
) -> None:
    from partnership.anp import services
    from partnership.anp.models import Measure, QuarterlyReport
    from partnership.core.models import User

    year = timezone.localdate().year
    measure = (
        Measure.objects.filter(
            programme__year=year, agency__slug="ua-mod", withdrawn_at__isnull=True
        )
        .order_by("pk")
        .first()
    )
    assert measure is not None
    log_in(page, site, "ua-reporter")

    # Given the reporter's own measure, in Ukrainian
    page.goto(f"{site}/uk/anp/measures/{measure.pk}/")
    page.get_by_test_id("report").click()
    page.locator("#id_status").select_option("on_track")
    # (in Ukrainian only: the English progress is left empty)
    page.locator("#id_progress_uk").fill("Тест у браузері: закон пройшов перше читання.")
    page.locator("#id_evidence_title").fill("Стенограма")
    # When the evidence link is not a link
    page.locator("#id_evidence_url").fill("стенограма засідання")
    page.locator("main form button[type=submit]").click()
    # Then it is refused on that field, in Ukrainian, and nothing is saved
    field_says(page, "id_evidence_url", uk("Enter a valid URL."))
    assert not QuarterlyReport.objects.filter(
        measure=measure, progress_uk__contains="Тест"
    ).exists()
    screenshot(page, "daily-reporter-refused-uk")

    # When it is corrected, then the report is saved and shown
    page.locator("#id_evidence_url").fill("https://www.rada.gov.ua/news/1")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("reports")).to_contain_text("закон пройшов перше читання")
    assert (
        QuarterlyReport.objects.filter(measure=measure, progress_uk__contains="Тест").count() == 1
    )

    # When the reporter goes Back and submits again, then it is not saved a second time
    page.go_back()
    page.locator("main form button[type=submit]").click()
    expect(page.locator("body")).to_contain_text(uk(MSG_ALREADY_SENT))
    assert (
        QuarterlyReport.objects.filter(measure=measure, progress_uk__contains="Тест").count() == 1
    )

    # When the reporter opens the Allied assessment of a chapter, then it is refused in Ukrainian
    refused_with_403(
        page,
        f"{site}/uk/anp/{year}/chapters/{measure.goal.chapter.number}/assess/",
        uk(services.MSG_NOT_ASSESSOR),
        language="uk",
    )
    screenshot(page, "daily-reporter-403-uk")
    # (Another agency's measures are not shown to an agency's reporter at all: a 404.)

    # When the reporter corrects the report, with a reason
    filed = QuarterlyReport.objects.get(measure=measure, progress_uk__contains="Тест")
    assert filed.progress_en == ""
    page.goto(f"{site}/uk/anp/measures/{measure.pk}/")
    row = page.get_by_test_id("reports").locator("tr", has_text="закон пройшов перше читання")
    row.get_by_test_id("report-correct").click()
    page.locator("#id_status").select_option("at_risk")
    page.locator("#id_progress_uk").fill("Тест у браузері: друге читання відкладено.")
    page.locator("#id_reason").fill("Статус подано помилково.")
    screenshot(page, "daily-reporter-correct-uk")
    page.locator("main form button[type=submit]").click()
    # Then the measure's page shows the corrected report and why it was corrected
    row = page.get_by_test_id("reports").locator("tr", has_text="друге читання відкладено")
    expect(row.get_by_test_id("report-corrected")).to_contain_text("Статус подано помилково.")
    filed.refresh_from_db()
    assert (filed.status, filed.correction_reason) == ("at_risk", "Статус подано помилково.")

    # When the reporter withdraws it without ticking the confirmation, then with it
    row.get_by_test_id("report-withdraw").click()
    page.locator("#id_reason").fill("Подано не до того заходу.")
    page.locator("main form button[type=submit]").click()
    field_says(page, "id_confirm", uk("Tick the box to confirm the withdrawal."))
    assert not QuarterlyReport.objects.get(pk=filed.pk).withdrawn
    page.locator("#id_confirm").check()
    screenshot(page, "daily-reporter-withdraw-uk")
    page.locator("main form button[type=submit]").click()
    # Then it stays on the measure's page, marked withdrawn with the reason, and no longer counts
    row = page.get_by_test_id("reports").locator("tr", has_text="друге читання відкладено")
    expect(row).to_have_attribute("data-testid", "report-withdrawn")
    expect(row).to_contain_text("Подано не до того заходу.")
    assert QuarterlyReport.objects.get(pk=filed.pk).withdrawn
    screenshot(page, "daily-reporter-withdrawn-uk")

    # When an Ally has assessed the chapter, then correcting another of its reports is refused
    # by the 403 page with the service's reason, in Ukrainian
    other = QuarterlyReport.objects.counted().filter(measure=measure).first()
    if other is not None:  # the demo year's earlier quarters
        services.assessment_record(
            by=User.objects.get(username="ally-assessor"), chapter=measure.chapter, rating=3
        )
        with translation.override("uk"):
            reason = uk(
                services.MSG_REPORT_ASSESSED, code=measure.code, year=year,
                by=services.report_assessed_by(measure),
            )  # fmt: skip
        refused_with_403(page, f"{site}/uk/anp/reports/{other.pk}/correct/", reason, language="uk")
        screenshot(page, "daily-reporter-assessed-403-uk")


def test_the_coordinator_drafts_edits_and_withdraws_measures_and_the_approver_approves(
    page: Page, site: str
) -> None:
    """The coordinator's and the approver's days in one programme year, in Ukrainian."""
    from partnership.anp import services
    from partnership.anp.models import AnnualProgramme, Measure
    from partnership.core.models import Organization

    year = timezone.localdate().year + 2
    log_in(page, site, "ua-coordinator")

    # Given a new programme year, begun in the pages
    page.goto(f"{site}/uk/anp/")
    page.get_by_test_id("programme-new").click()
    page.locator("#id_year").fill(str(year))
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("programme-status")).to_be_visible()
    assert AnnualProgramme.objects.filter(year=year).count() == 1
    # Back + submit: still one year
    page.go_back()
    page.locator("main form button[type=submit]").click()
    not_saved_twice(page, uk(MSG_ALREADY_SENT), uk(services.MSG_YEAR_EXISTS, year=year))
    assert AnnualProgramme.objects.filter(year=year).count() == 1

    # When a measure is given a deadline a thousand years ahead, then the deadline is refused
    page.goto(f"{site}/uk/anp/{year}/")
    page.get_by_test_id("measure-new").click()
    page.locator("#id_chapter").select_option("1")
    page.locator("#id_goal_code").fill("1.1")
    page.locator("#id_goal_en").fill("Browser test: democratic institutions")
    page.locator("#id_code").fill("1.1.1")
    page.locator("#id_text_en").fill("Browser test: adopt the law on local self-government")
    page.locator("#id_text_uk").fill("Тест у браузері: ухвалити закон про місцеве самоврядування")
    agency = Organization.objects.get(slug="ua-mod")
    page.locator("#id_agency").select_option(str(agency.pk))
    page.locator("#id_deadline").fill("3026")
    page.get_by_role("button", name=uk("Add the measure")).click()
    field_says(page, "id_deadline", "3026")
    assert not Measure.objects.filter(programme__year=year).exists()
    screenshot(page, "daily-coordinator-refused-uk")

    # When it is written as people write it, then the measure is added
    page.locator("#id_deadline").fill(f"IV квартал {year}")
    page.get_by_role("button", name=uk("Add the measure")).click()
    expect(page.get_by_test_id("measure-deadline")).to_have_text(f"IV квартал {year}")
    # And Back + submit adds no second one
    page.go_back()
    page.get_by_role("button", name=uk("Add the measure")).click()
    assert Measure.objects.filter(programme__year=year).count() == 1
    measure = Measure.objects.get(programme__year=year)

    # When the coordinator edits it, then the page shows the new text
    page.goto(f"{site}/uk/anp/measures/{measure.pk}/")
    page.get_by_test_id("edit").click()
    page.locator("#id_text_uk").fill("Тест у браузері: ухвалити закон і підзаконні акти")
    page.get_by_role("button", name=uk("Save the measure")).click()
    expect(page.locator("main")).to_contain_text("закон і підзаконні акти")

    # A second measure, withdrawn with its reason before the year is submitted
    page.goto(f"{site}/uk/anp/{year}/")
    page.get_by_test_id("measure-new").click()
    page.locator("#id_chapter").select_option("1")
    page.locator("#id_goal_code").fill("1.1")
    page.locator("#id_code").fill("1.1.2")
    page.locator("#id_text_en").fill("Browser test: a measure entered twice")
    page.locator("#id_agency").select_option(str(agency.pk))
    page.locator("#id_deadline").fill(f"IV квартал {year}")
    page.get_by_role("button", name=uk("Add the measure")).click()
    page.get_by_test_id("withdraw").click()
    page.locator("#id_reason").fill("Внесено двічі")
    page.get_by_role("button", name=uk("Withdraw the measure")).click()
    # (without the confirmation it is refused on the box)
    field_says(page, "id_confirm", uk("Tick the box to confirm the withdrawal."))
    page.locator("#id_confirm").check()
    page.get_by_role("button", name=uk("Withdraw the measure")).click()
    expect(page.get_by_test_id("withdrawn")).to_contain_text("Внесено двічі")

    # When the coordinator tries to approve the year, then only an approver may
    page.goto(f"{site}/uk/anp/{year}/")
    page.get_by_role("button", name=uk("Submit for approval")).click()
    expect(page.get_by_test_id("programme-status")).to_have_text(uk("submitted"))
    refused_with_403(
        page, f"{site}/uk/anp/{year}/approve/", uk(services.MSG_NOT_APPROVER), language="uk"
    )
    page.goto(f"{site}/uk/anp/{year}/")
    page.get_by_role("button", name=uk("Log out")).click()

    # Then the approver approves, only with the confirmation
    log_in(page, site, "ua-approver")
    page.goto(f"{site}/uk/anp/{year}/")
    page.get_by_test_id("approve").click()
    page.get_by_test_id("confirm-approve").click()
    field_says(page, "id_confirm", uk("This field is required."))
    page.locator("#id_confirm").check()
    screenshot(page, "daily-approver-confirm-uk")
    page.get_by_test_id("confirm-approve").click()
    expect(page.get_by_test_id("programme-status")).to_have_text(uk("approved"))
    # And the approver may not add measures: that is the coordinator's
    refused_with_403(
        page,
        f"{site}/uk/anp/{year}/measures/new/",
        uk(services.MSG_NOT_COORDINATOR),
        language="uk",
    )


def test_the_allied_assessor_assesses_a_chapter(page: Page, site: str) -> None:
    from partnership.anp import services
    from partnership.anp.models import Assessment, Measure

    year = timezone.localdate().year
    log_in(page, site, "ally-assessor")

    # When the assessor saves a rating without the comment, then the comment is asked for
    page.goto(f"{site}/en/anp/{year}/chapters/3/")
    page.get_by_test_id("assess").click()
    page.locator("#id_rating").select_option("4")
    page.get_by_role("button", name="Save the assessment").click()
    field_says(page, "id_comment", "This field is required.")
    assert not Assessment.objects.filter(comment__startswith="Browser test").exists()

    # When it is given, then the assessment is on the chapter
    page.locator("#id_comment").fill("Browser test: energy security is on track.")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator("main")).to_contain_text("energy security is on track")
    # And Back + submit records no second one
    page.go_back()
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator("body")).to_contain_text(en(MSG_ALREADY_SENT))
    assert Assessment.objects.filter(comment__startswith="Browser test").count() == 1

    # When the assessor edits it, then the chapter shows the new comment
    page.goto(f"{site}/en/anp/{year}/chapters/3/")
    page.get_by_test_id("assess").click()
    expect(page.locator("#id_comment")).to_have_value("Browser test: energy security is on track.")
    page.locator("#id_comment").fill("Browser test: energy security has slipped.")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator("main")).to_contain_text("energy security has slipped")
    assert Assessment.objects.filter(comment__startswith="Browser test").count() == 1

    # When the assessor opens a report form, then reporting is Ukraine's
    measure = Measure.objects.filter(programme__year=year).order_by("pk").first()
    assert measure is not None
    refused_with_403(
        page,
        f"{site}/en/anp/measures/{measure.pk}/report/",
        en(services.MSG_OTHER_AGENCY, code=measure.code, agency=measure.agency.name_en),
        language="en",
    )


def test_the_nato_editor_keeps_agreements_and_milestones(page: Page, site: str) -> None:
    from partnership.framework import services
    from partnership.framework.models import Agreement, Decision, Milestone

    log_in(page, site, "nato-editor")

    # When an agreement is ratified before it was signed, then the ratification is refused
    page.goto(f"{site}/en/framework/agreements/")
    page.get_by_role("link", name="New agreement").click()
    page.locator("#id_title_en").fill("Browser test: memorandum on air situation data")
    page.locator("#id_signed").fill("June 2026")
    page.locator("#id_ratified").fill("May 2026")
    page.get_by_role("button", name="Save").click()
    field_says(page, "id_ratified", en(services.MSG_RATIFIED_BEFORE_SIGNED))
    assert not Agreement.objects.filter(title_en__startswith="Browser test").exists()

    # When the dates are in order, then it is saved; Back + submit makes no second one
    page.locator("#id_ratified").fill("September 2026")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("h1")).to_contain_text("memorandum on air situation data")
    page.go_back()
    page.get_by_role("button", name="Save").click()
    assert Agreement.objects.filter(title_en__startswith="Browser test").count() == 1

    # When it is edited, then the Ukrainian page shows the Ukrainian title
    agreement = Agreement.objects.get(title_en__startswith="Browser test")
    page.goto(f"{site}/en/framework/agreements/{agreement.slug}/")
    page.get_by_role("link", name="Edit").click()
    page.locator("#id_title_uk").fill("Тест у браузері: меморандум про дані повітряної обстановки")
    page.get_by_role("button", name="Save").click()
    page.goto(f"{site}/uk/framework/agreements/{agreement.slug}/")
    expect(page.locator("h1")).to_contain_text("меморандум про дані")

    # A milestone on the timeline, in both languages, edited, then withdrawn with a reason
    page.goto(f"{site}/en/timeline/")
    page.get_by_role("link", name="New milestone").click()
    page.locator("#id_date").fill("Q3 2026")
    page.locator("#id_text_en").fill("Browser test: the memorandum is signed")
    page.locator("#id_text_uk").fill("Тест у браузері: меморандум підписано")
    page.get_by_role("button", name="Save").click()
    milestone = Milestone.objects.get(text_en="Browser test: the memorandum is signed")
    page.goto(f"{site}/en/framework/milestones/{milestone.number}/edit/")
    page.locator("#id_date").fill("June 2026")
    page.get_by_role("button", name="Save").click()
    milestone.refresh_from_db()
    assert milestone.date == "2026-06"
    page.get_by_role("link", name="Withdraw").click()
    page.get_by_label("Reason").fill("Browser test: recorded on the agreement instead")
    page.get_by_label("I confirm: withdraw this record.").check()
    page.get_by_test_id("withdraw").click()
    expect(page.get_by_test_id("withdrawn")).to_contain_text("recorded on the agreement instead")
    # And the agreement is withdrawn the same way
    page.goto(f"{site}/en/framework/agreements/{agreement.slug}/")
    page.get_by_role("link", name="Withdraw").click()
    page.get_by_label("Reason").fill("Browser test: never signed")
    page.get_by_label("I confirm: withdraw this record.").check()
    page.get_by_test_id("withdraw").click()
    page.goto(f"{site}/en/framework/withdrawn/")
    expect(page.locator("main")).to_contain_text("memorandum on air situation data")
    screenshot(page, "daily-editor-withdrawn")

    # When the editor tries to adopt a decision, then only approvers may
    decision = Decision.objects.get(reference="C-M(2026)0042")
    refused_with_403(
        page,
        f"{site}/en/framework/decisions/{decision.pk}/adopt/",
        en(services.MSG_APPROVERS_ONLY),
        language="en",
    )


def test_the_lead_nation_records_money_and_the_donor_reads_its_report(
    page: Page, site: str
) -> None:
    from partnership.trustfunds import services
    from partnership.trustfunds.models import Transaction

    project = f"{site}/en/trust-funds/projects/{PROJECT}/"
    log_in(page, site, "us-lead")

    # When a pledge is dated in the future, then the date is refused
    page.goto(project)
    page.get_by_test_id("record").click()
    page.locator("#id_kind").select_option("pledge")
    page.locator("#id_date").fill("2031-03-02")
    page.locator("#id_organization").select_option(label="United States")
    page.locator("#id_currency").fill("EUR")
    page.locator("#id_amount").fill("125000")
    page.locator("#id_description").fill("Browser test: pledge for lot 9")
    page.locator("main form.form button[type=submit]").first.click()
    field_says(page, "id_date", "future")
    assert not Transaction.objects.filter(description="Browser test: pledge for lot 9").exists()

    # When it is dated today, then it is in the ledger; Back + submit records no second one
    page.locator("#id_date").fill(timezone.localdate().isoformat())
    page.locator("main form.form button[type=submit]").first.click()
    expect(page.get_by_test_id("transactions")).to_contain_text("Browser test: pledge for lot 9")
    page.go_back()
    page.locator("main form.form button[type=submit]").first.click()
    expect(page.locator("body")).to_contain_text(en(MSG_ALREADY_SENT))
    assert Transaction.objects.filter(description="Browser test: pledge for lot 9").count() == 1

    # When the lead nation's editor records an exchange rate, then that is for finance roles
    refused_with_403(
        page,
        f"{project}rate/",
        en(services.MSG_RATES_FINANCE_ONLY),
        language="en",
    )
    page.goto(project)
    page.get_by_role("button", name="Log out").click()

    # Then the donor reads its report and may not record money
    log_in(page, site, "ca-donor")
    page.goto(project)
    expect(page.get_by_test_id("record")).to_have_count(0)
    page.goto(f"{site}/uk/trust-funds/projects/{PROJECT}/donor-report.html")
    expect(page.locator("body")).to_contain_text("Канада")
    expect(page.locator("body")).not_to_contain_text("Browser test: pledge for lot 9")
    refused_with_403(
        page,
        f"{site}/uk/trust-funds/projects/{PROJECT}/record/",
        uk(services.MSG_NOT_RECORDER),
        language="uk",
    )
    screenshot(page, "daily-donor-403-uk")


def test_the_programme_manager_records_an_event_with_its_participation(
    page: Page, site: str
) -> None:
    from partnership.programmes import services
    from partnership.programmes.models import Event

    log_in(page, site, "nato-editor")
    page.goto(f"{site}/en/programmes/pdp/events/new/")
    page.locator("#id_kind").select_option("course")
    page.locator("#id_title_en").fill("Browser test: PDP course on procurement")
    page.locator("#id_date").fill("March 2026")
    page.locator("#id_participants_total").fill("6")
    ua = page.locator("#id_count-0-organization option", has_text="Ukraine").first
    organization = ua.get_attribute("value")
    assert organization
    for row in (0, 1):  # the same row twice
        page.locator(f"#id_count-{row}-organization").select_option(organization)
        page.locator(f"#id_count-{row}-service").select_option("military")
        page.locator(f"#id_count-{row}-sex").select_option("women")
        page.locator(f"#id_count-{row}-rank_group").select_option("senior")
        page.locator(f"#id_count-{row}-count").fill("3")
    # When the same participation row is given twice, then it is refused, nothing is saved
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("main")).to_contain_text("Two rows count the same group")
    assert not Event.objects.filter(title_en__startswith="Browser test").exists()
    screenshot(page, "daily-manager-duplicate-row")

    # When the second row is a different group, then the event is recorded
    page.locator("#id_count-1-sex").select_option("men")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("body")).to_contain_text("Browser test: PDP course on procurement")
    # And Back + submit records it once
    page.go_back()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("body")).to_contain_text(en(MSG_ALREADY_SENT))
    assert Event.objects.filter(title_en__startswith="Browser test").count() == 1
    event = Event.objects.get(title_en__startswith="Browser test")

    # When the manager corrects it on its page with one more row, then the table has three
    page.goto(f"{site}/uk/programmes/pdp/events/{event.pk}/")
    page.get_by_test_id("edit").click()
    expect(page.locator("#id_title_en")).to_have_value("Browser test: PDP course on procurement")
    page.locator("#id_participants_total").fill("9")
    page.locator("#id_count-2-organization").select_option(organization)
    page.locator("#id_count-2-service").select_option("civilian")
    page.locator("#id_count-2-sex").select_option(uk("not stated"))
    page.locator("#id_count-2-rank_group").select_option(uk("not applicable"))
    page.locator("#id_count-2-count").fill("3")
    screenshot(page, "daily-manager-event-edit-uk")
    page.get_by_role("button", name=uk("Save"), exact=True).click()
    expect(page.get_by_test_id("participants-total")).to_have_text("9")
    assert event.participation.count() == 3
    screenshot(page, "daily-manager-event-uk")

    # When the manager withdraws it without ticking the confirmation, then nothing happens
    page.get_by_test_id("withdraw-link").click()
    page.locator("#id_reason").fill("Browser test: recorded under the wrong programme")
    page.get_by_test_id("withdraw").click()
    field_says(page, "id_confirm", uk("Tick the box to confirm the withdrawal."))
    event.refresh_from_db()
    assert not event.withdrawn
    # With it, the event is withdrawn: marked on its page, out of the programme's list
    page.locator("#id_confirm").check()
    page.get_by_test_id("withdraw").click()
    expect(page.get_by_test_id("withdrawn")).to_contain_text("wrong programme")
    screenshot(page, "daily-manager-event-withdrawn-uk")
    page.goto(f"{site}/en/programmes/pdp/")
    expect(page.get_by_test_id("events")).not_to_contain_text("Browser test")
    expect(page.get_by_test_id("withdrawn-events")).to_contain_text("Browser test")
    page.get_by_role("button", name="Log out").click()

    # When someone who does not manage the programme opens the form, then it is refused
    log_in(page, site, "ua-viewer")
    refused_with_403(
        page,
        f"{site}/uk/programmes/pdp/events/new/",
        uk(services.MSG_MANAGERS_ONLY),
        language="uk",
    )
    # ... and the withdrawn event is not found
    response = page.goto(f"{site}/en/programmes/pdp/events/{event.pk}/")
    assert response is not None and response.status == 404


def test_an_sps_application_is_reviewed_and_awarded_by_others(page: Page, site: str) -> None:
    from partnership.core.models import Organization
    from partnership.programmes import services
    from partnership.programmes.models import Grant

    # Given the partner's editor, who applies
    log_in(page, site, "ua-coordinator")
    page.goto(f"{site}/uk/programmes/sps/grants/apply/")
    page.locator("#id_title_en").fill("Browser test: cyber defence laboratory")
    page.locator("#id_topic").select_option("cyber")
    page.locator("#id_beneficiary").select_option(str(Organization.objects.get(slug="ua").pk))
    page.locator("#id_period").fill("2027/2029")
    page.locator("#id_summary_en").fill("A laboratory for incident response.")
    # When the amount requested is negative, then it is refused on that field
    page.locator("#id_ceiling_eur").fill("-5")
    page.locator("main form button[type=submit]").click()
    field_says(page, "id_ceiling_eur", uk(services.MSG_CEILING))
    assert not Grant.objects.filter(title_en__startswith="Browser test").exists()
    page.locator("#id_ceiling_eur").fill("200000")
    page.locator("main form button[type=submit]").click()
    grant = Grant.objects.get(title_en__startswith="Browser test")
    expect(page.get_by_test_id("grant-status")).to_be_visible()
    # Back + submit: one application
    page.go_back()
    page.locator("main form button[type=submit]").click()
    assert Grant.objects.filter(title_en__startswith="Browser test").count() == 1
    # When the applicant corrects the application before any review, then it is saved
    page.goto(f"{site}/uk/programmes/grants/{grant.reference}/")
    page.get_by_test_id("edit").click()
    page.locator("#id_summary_en").fill("A laboratory for incident response and training.")
    screenshot(page, "daily-applicant-edit-uk")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("incident response and training")
    page.get_by_role("button", name=uk("Log out")).click()

    # When someone else opens the application's form, then the 403 page says whose it is
    log_in(page, site, "nato-editor")
    refused_with_403(
        page,
        f"{site}/en/programmes/grants/{grant.reference}/edit/",
        en(services.MSG_APPLICANT_ONLY),
        language="en",
    )
    page.get_by_role("button", name="Log out").click()

    # The manager sends it for review; the reviewer reviews it
    log_in(page, site, "nato-editor")
    page.goto(f"{site}/en/programmes/grants/{grant.reference}/")
    page.get_by_role("button", name="Send for review").click()
    page.get_by_role("button", name="Log out").click()
    log_in(page, site, "nato-approver")
    page.goto(f"{site}/en/programmes/grants/{grant.reference}/")
    page.locator("#id_score").select_option("4")
    page.locator("#id_recommendation").select_option("award")
    # When the reasons are left out, then the review is refused on them, the rest kept
    page.get_by_role("button", name="Save the review").click()
    field_says(page, "id_comment", "This field is required.")
    expect(page.locator("#id_score")).to_have_value("4")
    page.locator("#id_comment").fill("Browser test: sound and useful.")
    page.get_by_role("button", name="Save the review").click()
    expect(page.get_by_test_id("reviews")).to_contain_text("sound and useful")
    page.get_by_role("button", name="Log out").click()

    # When the manager awards more than was requested, then it is refused on the amount
    log_in(page, site, "nato-editor")
    page.goto(f"{site}/en/programmes/grants/{grant.reference}/")
    award = page.get_by_test_id("award-form")
    award.locator("#id_amount_eur").fill("250000")
    award.locator("#id_confirm").check()
    award.get_by_role("button", name="Award").click()
    field_says(
        page,
        "id_amount_eur",
        en(services.MSG_ABOVE_CEILING, amount="€250,000.00", ceiling="€200,000.00"),
    )
    grant.refresh_from_db()
    assert grant.status != "awarded"
    # When it is within the request, then it is awarded
    award = page.get_by_test_id("award-form")
    award.locator("#id_amount_eur").fill("180000")
    award.locator("#id_confirm").check()
    award.get_by_role("button", name="Award").click()
    expect(page.get_by_test_id("grant-status")).to_contain_text("warded")
    page.get_by_role("button", name="Log out").click()

    # When the applicant tries to review its own application, then that is refused
    log_in(page, site, "ua-coordinator")
    page.goto(f"{site}/uk/programmes/grants/{grant.reference}/")
    expect(page.get_by_role("button", name=uk("Save the review"))).to_have_count(0)
    expect(page.get_by_test_id("award-form")).to_have_count(0)
    assert not services.can_review(grant.applicant, grant)
    # When the applicant tries to withdraw the awarded grant, then the state is the reason
    expect(page.get_by_test_id("withdraw-link")).to_have_count(0)
    page.goto(f"{site}/uk/programmes/grants/{grant.reference}/withdraw/")
    page.locator("#id_reason").fill("Browser test: too late")
    page.locator("#id_confirm").check()
    page.get_by_test_id("withdraw").click()
    expect(page.locator("main")).to_contain_text(uk("Awarded"))
    grant.refresh_from_db()
    assert not grant.withdrawn

    # Given a second application, not yet reviewed: its applicant withdraws it on its page
    second = services.grant_apply(
        by=grant.applicant, programme=grant.programme, title_en="Browser test: second",
        topic="cyber", beneficiary=grant.beneficiary, ceiling_eur=grant.ceiling_eur,
        period="2027", summary_en="A second laboratory.",
    )  # fmt: skip
    page.goto(f"{site}/uk/programmes/grants/{second.reference}/")
    page.get_by_test_id("withdraw-link").click()
    page.locator("#id_reason").fill("Browser test: funded by the national budget")
    page.locator("#id_confirm").check()
    screenshot(page, "daily-applicant-withdraw-uk")
    page.get_by_test_id("withdraw").click()
    expect(page.get_by_test_id("withdrawn")).to_contain_text("national budget")
    screenshot(page, "daily-applicant-withdrawn-uk")
    page.get_by_role("button", name=uk("Log out")).click()
    # ... and it leaves the reviewers' list
    log_in(page, site, "nato-approver")
    page.goto(f"{site}/en/programmes/sps/grants/")
    expect(page.get_by_test_id("grants")).not_to_contain_text(second.reference)


# --- The reports on A4, in both languages ---------------------------------------------------


def site_of(url: str) -> str:
    """The scheme and host of an address: "http://127.0.0.1:8081"."""
    return "/".join(url.split("/")[:3])


def headers_on_page(page: Page, url: str, last: list[str]) -> bytes:
    """The report's PDF, each table header of which (read from the same report as HTML) is
    whole or hyphenated, never cut mid-word, and inside A4's margins; `last` among them."""
    from tests.partnership.background.jobs import run_queued

    # The link goes to the reader's job (303); the worker makes the PDF; its page offers it.
    asked = page.request.get(url, max_redirects=0)
    assert asked.status == 303, asked.status
    job = asked.headers["location"]
    run_queued()  # the worker's turn (its own process is tested in tests/partnership/background)
    state = page.request.get(site_of(url) + job + "status/").json()
    printed = page.request.get(site_of(url) + state["download"])
    assert printed.ok and printed.headers["content-type"] == "application/pdf"
    headers = table_headers(page.request.get(url.replace(".pdf?", ".html?")).text())
    assert set(last) <= set(headers), f"{set(last) - set(headers)} not among {headers}"
    assert header_problems(printed.body(), headers) == []
    return printed.body()


def test_the_nuc_and_donor_reports_keep_every_header_whole_on_a4_in_both_languages(
    page: Page, site: str
) -> None:
    from partnership.anp import services
    from partnership.anp.models import Chapter, Measure
    from partnership.core.models import User
    from partnership.trustfunds.models import Project

    year = timezone.localdate().year
    # Given an Allied assessment with recommendations (its table is the report's widest text)
    services.assessment_record(
        by=User.objects.get(username="ally-assessor"),
        chapter=Chapter.objects.get(programme__year=year, number=2),
        rating=2,
        comment="Тест: реформа закупівель зупинилася в комітеті Верховної Ради.",
        recommendations="Ухвалити закон про оборонні закупівлі до кінця року.",
    )
    # And a measure assessed individually (the four narrow columns of its own table)
    measure = Measure.objects.filter(programme__year=year, chapter__number=2).order_by("pk")[0]
    services.assessment_record(
        by=User.objects.get(username="ally-assessor"),
        chapter=measure.chapter,
        measure=measure,
        rating=1,
        comment="Тест: орган звітує про виконання, закупівлі не розпочато.",
    )
    log_in(page, site, "ua-coordinator")
    last = ["Allied rating", "Expected result", "Recommendations", "Comment", "Actual"]
    for lang, name in (("en", en), ("uk", uk)):
        nuc = headers_on_page(
            page, f"{site}/{lang}/anp/{year}/report.pdf?lang={lang}", [name(h) for h in last]
        )
    page.get_by_role("button", name="Log out").click()

    log_in(page, site, "ca-donor")
    assert Project.objects.filter(slug=PROJECT).exists()
    last = ["Committed, not yet paid", "Received (EUR)"]
    for lang, name in (("en", en), ("uk", uk)):
        donor = headers_on_page(
            page,
            f"{site}/{lang}/trust-funds/projects/{PROJECT}/donor-report.pdf?lang={lang}",
            [*(name(h) for h in last), "EUR"],
        )
    (SCREENSHOT_PDF := _pdf_dir()).mkdir(exist_ok=True)
    (SCREENSHOT_PDF / "nuc-report-uk.pdf").write_bytes(nuc)
    (SCREENSHOT_PDF / "donor-report-uk.pdf").write_bytes(donor)


def _pdf_dir() -> Any:
    from tests.browser.conftest import SCREENSHOTS

    return SCREENSHOTS
