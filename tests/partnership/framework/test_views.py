"""Framework pages per role, in both languages: create, edit, withdraw, restore, refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation
from django.utils.html import escape

from partnership.core.models import Marking, Organization, User
from partnership.core.partial_input import MSG_TOO_EARLY, shown_partial
from partnership.framework import services
from partnership.framework.models import (
    ActionItem,
    Agreement,
    Body,
    Decision,
    DecisionStatus,
    Meeting,
    Milestone,
)

pytestmark = pytest.mark.django_db


def as_user(name: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=name))
    return client


def translated(message: object, language: str) -> str:
    with translation.override(language):
        return escape(str(message))


def _meeting(title: str = "NUC page meeting") -> Meeting:
    return services.meeting_create(
        by=User.objects.get(username="nato-editor"),
        body=Body.objects.get(slug="nuc"),
        level="ambassadors",
        title_en=title,
        date="2026-11-05",
        marking=Marking.PARTNERSHIP,
    )


@pytest.mark.parametrize("language", ["en", "uk"])
def test_an_editor_creates_a_meeting_with_its_agenda_in_both_languages(language: str) -> None:
    editor = as_user("nato-editor")
    form = editor.get(f"/{language}/framework/meetings/new/")
    assert form.status_code == 200
    assert form.context["form"].initial["marking"] == Marking.NATO  # never PUBLIC

    done = editor.post(
        f"/{language}/framework/meetings/new/",
        {
            "body": Body.objects.get(slug="nuc").pk,
            "level": "ambassadors",
            "title_en": f"NUC meeting {language}",
            "date": "2026-11-05",
            "agenda": "Security\nANP",
            "agenda_uk": "Безпека\nРНП",
            "marking": Marking.PARTNERSHIP,
        },
    )

    meeting = Meeting.objects.get(title_en=f"NUC meeting {language}")
    assert done.status_code == 302 and done["Location"].endswith(f"/meetings/{meeting.pk}/")
    page = editor.get(done["Location"]).content.decode()
    assert ("Безпека" if language == "uk" else "Security") in page


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_viewer_is_refused_the_forms_with_the_translated_reason(language: str) -> None:
    viewer = as_user("ua-viewer")
    meeting = _meeting()
    for url in (
        "meetings/new/",
        "bodies/new/",
        "decisions/new/",
        "action-items/new/",
        "agreements/new/",
        "milestones/new/",
        f"meetings/{meeting.pk}/edit/",
        f"meeting/{meeting.pk}/withdraw/",
    ):
        response = viewer.get(f"/{language}/framework/{url}")
        assert response.status_code == 403, url
        assert translated(services.MSG_EDITORS_ONLY, language) in response.content.decode(), url


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_bad_date_is_shown_on_its_field_in_the_language_of_the_page(language: str) -> None:
    editor = as_user("nato-editor")
    count = Meeting.objects.count()

    response = editor.post(
        f"/{language}/framework/meetings/new/",
        {
            "body": Body.objects.get(slug="nuc").pk,
            "level": "ambassadors",
            "title_en": "Old meeting",
            "date": "1066",
            "marking": Marking.PARTNERSHIP,
        },
    )

    assert response.status_code == 400 and Meeting.objects.count() == count
    errors = response.context["form"].errors["date"]
    with translation.override(language):
        expected = str(
            MSG_TOO_EARLY % {"field": translation.gettext("Date"), "value": shown_partial("1066")}
        )
    assert errors == [expected]


def test_a_date_is_typed_as_people_write_it_and_shown_so_on_the_edit_form() -> None:
    editor = as_user("nato-editor")
    editor.post(
        "/uk/framework/meetings/new/",
        {
            "body": Body.objects.get(slug="nuc").pk,
            "level": "ambassadors",
            "title_en": "Written as people write it",
            "date": "червень 2027",
            "marking": Marking.PARTNERSHIP,
        },
    )
    meeting = Meeting.objects.get(title_en="Written as people write it")
    assert meeting.date == "2027-06"

    form = editor.get(f"/uk/framework/meetings/{meeting.pk}/edit/").content.decode()
    with translation.override("uk"):
        assert f'value="{shown_partial("2027-06")}"' in form


def test_back_and_submit_again_does_not_make_a_second_meeting() -> None:
    editor = as_user("nato-editor")
    data = {
        "body": Body.objects.get(slug="nuc").pk,
        "level": "ambassadors",
        "title_en": "Submitted twice",
        "date": "2026-11-06",
        "marking": Marking.PARTNERSHIP,
    }

    first = editor.post("/en/framework/meetings/new/", data)
    second = editor.post("/en/framework/meetings/new/", data)

    assert first.status_code == 302 and second.status_code == 400
    assert Meeting.objects.filter(title_en="Submitted twice").count() == 1
    assert "already has a meeting" in second.content.decode()


def test_an_editor_edits_a_meeting_through_its_page() -> None:
    editor = as_user("nato-editor")
    meeting = _meeting()
    form = editor.get(f"/en/framework/meetings/{meeting.pk}/edit/")
    data = {k: v for k, v in form.context["form"].initial.items() if v is not None}
    data.update(body=meeting.body_id, title_uk="Засідання КУН", participants=[], nations=[])

    done = editor.post(f"/en/framework/meetings/{meeting.pk}/edit/", data)

    assert done.status_code == 302, done.context["form"].errors if done.context else done
    meeting.refresh_from_db()
    assert meeting.title_uk == "Засідання КУН"


@pytest.mark.parametrize("language", ["en", "uk"])
def test_withdrawal_asks_for_a_reason_and_a_confirmation(language: str) -> None:
    editor = as_user("nato-editor")
    meeting = _meeting()
    url = f"/{language}/framework/meeting/{meeting.pk}/withdraw/"

    unconfirmed = editor.post(url, {"reason": "Entered twice"})
    assert unconfirmed.status_code == 400 and "confirm" in unconfirmed.context["form"].errors
    meeting.refresh_from_db()
    assert not meeting.withdrawn

    done = editor.post(url, {"reason": "Entered twice", "confirm": "on"})
    assert done.status_code == 302
    meeting.refresh_from_db()
    assert meeting.withdrawal_reason == "Entered twice"
    page = editor.get(f"/{language}/framework/meetings/{meeting.pk}/").content.decode()
    assert 'data-testid="withdrawn"' in page and "Entered twice" in page
    listing = editor.get(f"/{language}/framework/meetings/").content.decode()
    assert "NUC page meeting" not in listing
    viewer = as_user("ua-viewer")
    assert viewer.get(f"/{language}/framework/meetings/{meeting.pk}/").status_code == 404
    withdrawn = editor.get(f"/{language}/framework/withdrawn/").content.decode()
    assert "NUC page meeting" in withdrawn

    restored = editor.post(f"/{language}/framework/meeting/{meeting.pk}/restore/")
    assert restored.status_code == 302
    meeting.refresh_from_db()
    assert not meeting.withdrawn


def test_a_decision_is_made_under_silence_broken_by_an_ally_and_shown_so() -> None:
    editor = as_user("nato-editor")
    meeting = _meeting()
    deadline = timezone.localtime() + dt.timedelta(days=2)

    editor.post(
        f"/en/framework/decisions/new/?meeting={meeting.pk}",
        {
            "meeting": meeting.pk,
            "reference": "C-M(2026)0500",
            "title_en": "Page decision",
            "silence_deadline": deadline.strftime("%Y-%m-%dT%H:%M"),
            "action_sheet_en": "Report in March.",
            "marking": Marking.PARTNERSHIP,
        },
    )
    decision = Decision.objects.get(reference="C-M(2026)0500")
    assert decision.status == DecisionStatus.UNDER_SILENCE

    ally = as_user("ally-assessor")
    confirm = ally.get(f"/uk/framework/decisions/{decision.pk}/break-silence/")
    assert confirm.status_code == 200
    ally.post(f"/uk/framework/decisions/{decision.pk}/break-silence/", {"confirm": "on"})
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SILENCE_BROKEN
    page = editor.get(f"/en/framework/decisions/{decision.pk}/").content.decode()
    assert "Silence broken" in page and "Report in March." in page


@pytest.mark.parametrize("language", ["en", "uk"])
def test_a_partner_approver_is_refused_adoption_of_a_nuc_decision_with_the_reason(
    language: str,
) -> None:
    decision = services.decision_create(
        by=User.objects.get(username="nato-editor"),
        meeting=_meeting(),
        reference="",
        title_en="NUC decision",
        marking=Marking.PARTNERSHIP,
    )

    response = as_user("ua-approver").get(f"/{language}/framework/decisions/{decision.pk}/adopt/")

    assert response.status_code == 403
    assert translated(services.MSG_NUC_APPROVERS_ONLY, language) in response.content.decode()


def test_adoption_needs_the_confirmation() -> None:
    decision = services.decision_create(
        by=User.objects.get(username="nato-editor"),
        meeting=None,
        reference="",
        title_en="To adopt",
        marking=Marking.NATO,
    )
    approver = as_user("nato-approver")

    approver.post(f"/en/framework/decisions/{decision.pk}/adopt/", {})
    assert Decision.objects.get(pk=decision.pk).status == DecisionStatus.DRAFT
    approver.post(f"/en/framework/decisions/{decision.pk}/adopt/", {"confirm": "on"})
    assert Decision.objects.get(pk=decision.pk).adopted_by.username == "nato-approver"


def test_the_owner_organization_changes_the_status_of_its_action_item_on_its_page() -> None:
    item = services.action_item_create(
        by=User.objects.get(username="nato-editor"),
        title_en="Ministry task",
        owner=Organization.objects.get(slug="ua-mod"),
        deadline=dt.date(2027, 1, 31),
        marking=Marking.PARTNERSHIP,
    )
    reporter = as_user("ua-reporter")  # ua-mod, not an editor

    page = reporter.get(f"/uk/framework/action-items/{item.pk}/").content.decode()
    assert "/status/" in page and f"/action-items/{item.pk}/edit/" not in page
    reporter.post(f"/uk/framework/action-items/{item.pk}/status/", {"status": "in_progress"})
    reporter.post("/uk/framework/action-items/", {"items": [item.pk], "new_status": "done"})
    item.refresh_from_db()
    assert item.status == "done"

    refused = as_user("ua-viewer").post(
        f"/uk/framework/action-items/{item.pk}/status/", {"status": "open"}
    )
    assert refused.status_code == 403
    assert translated(services.MSG_STATUS_EDITORS_OR_OWNER, "uk") in refused.content.decode()


def test_an_action_item_links_a_record_through_the_page() -> None:
    editor = as_user("nato-editor")
    agreement = Agreement.objects.order_by("pk").first()
    assert agreement is not None
    data = {
        "title_en": "Linked task",
        "owner": Organization.objects.get(slug="ua-mod").pk,
        "status": "open",
        "linked_kind": "framework.agreement",
        "linked_key": "no-such-agreement",
        "marking": Marking.PARTNERSHIP,
    }

    bad = editor.post("/en/framework/action-items/new/", data)
    assert bad.status_code == 400 and "linked_key" in bad.context["form"].errors
    editor.post("/en/framework/action-items/new/", {**data, "linked_key": agreement.slug})
    assert ActionItem.objects.get(title_en="Linked task").linked == agreement


@pytest.mark.parametrize("language", ["en", "uk"])
def test_an_agreement_signed_after_its_ratification_is_refused_on_the_field(language: str) -> None:
    response = as_user("nato-editor").post(
        f"/{language}/framework/agreements/new/",
        {
            "kind": "mou",
            "title_en": "Page memorandum",
            "signed": "2016",
            "ratified": "2015",
            "marking": Marking.PARTNERSHIP,
        },
    )

    assert response.status_code == 400
    with translation.override(language):
        expected = str(services.MSG_RATIFIED_BEFORE_SIGNED)
    assert response.context["form"].errors["ratified"] == [expected]
    assert not Agreement.objects.filter(title_en="Page memorandum").exists()


def test_an_editor_creates_a_body_and_edits_a_milestones_text() -> None:
    editor = as_user("nato-editor")
    editor.post(
        "/en/framework/bodies/new/",
        {"kind": "jwg", "name_en": "JWG on energy", "abbreviation": "JWG E", "marking": "NATO"},
    )
    assert Body.objects.filter(slug="jwg-e").exists()
    milestone = Milestone.objects.order_by("number").first()
    assert milestone is not None

    done = editor.post(
        f"/en/framework/milestones/{milestone.number}/edit/",
        {
            "date": milestone.date,
            "text_en": "Corrected on the page",
            "text_uk": milestone.text_uk,
            "theme": milestone.theme,
            "marking": milestone.marking,
        },
    )

    assert done.status_code == 302
    assert done["Location"].endswith(f"/milestones/{milestone.number}/")
    milestone.refresh_from_db()
    assert milestone.text_en == "Corrected on the page"
