"""The one rule for references, children, history and imports, case by case as the issue
tells them (the prober in `test_prober.py` covers every relation and identity at once)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.test import Client

from partnership.anp.models import AnnualProgramme, Measure
from partnership.core.models import Marking, User
from partnership.core.selectors import Restricted, shown, shown_key, visible_to
from partnership.framework.models import ActionItem, Body, Meeting, MeetingLevel, Milestone
from partnership.trustfunds import iati, selectors
from partnership.trustfunds.models import Project, TrustFund

pytestmark = pytest.mark.django_db


@pytest.fixture
def nato_only_body_meeting() -> Meeting:
    body = Body.objects.create(
        slug="nato-only-steering-group",
        kind="committee",
        name_en="Steering Group Sigma",
        name_uk="Керівна група Сигма",
        marking=Marking.NATO,
    )
    return Meeting.objects.create(
        body=body,
        level=MeetingLevel.EXPERTS,
        title_en="Joint review of reform",
        title_uk="Спільний огляд реформи",
        date="2026-11-02",
        marking=Marking.PARTNERSHIP,
    )


def ua_client() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="ua-viewer"))
    return client


@pytest.mark.parametrize(
    ("language", "placeholder"), [("en", "Restricted record"), ("uk", "Запис з обмеженим доступом")]
)
def test_a_ukrainian_reader_of_a_meeting_of_a_nato_only_body_sees_a_restricted_body(
    nato_only_body_meeting: Meeting, language: str, placeholder: str
) -> None:
    # Given a partnership meeting of a NATO-only body, when a Ukrainian viewer reads it
    page = ua_client().get(f"/{language}/framework/meetings/{nato_only_body_meeting.pk}/")
    text = page.content.decode()
    # then they see the meeting and, for its body, the neutral placeholder: nothing more
    assert page.status_code == 200
    assert nato_only_body_meeting.title_en in text or nato_only_body_meeting.title_uk in text
    assert placeholder in text
    for secret in ("Steering Group Sigma", "Керівна група Сигма", "nato-only-steering-group"):
        assert secret not in text


def test_the_api_search_and_export_name_no_restricted_body(
    nato_only_body_meeting: Meeting, capsys: pytest.CaptureFixture[str]
) -> None:
    client = ua_client()
    detail = client.get(f"/api/meetings/{nato_only_body_meeting.pk}").json()
    assert detail["body"] is None
    assert client.get("/api/bodies/nato-only-steering-group").status_code == 404
    found = client.get("/api/search?q=Joint review of reform").json()["meetings"]
    assert [m["body"] for m in found if m["id"] == nato_only_body_meeting.pk] == [None]
    call_command("export", "meetings", "--as", "ua-viewer", "--format", "csv")
    out = capsys.readouterr().out
    assert "nato-only-steering-group" not in out
    assert "Restricted record" in out
    # NATO staff see the body itself.
    nato = User.objects.get(username="nato-editor")
    assert shown(nato, nato_only_body_meeting.body) == nato_only_body_meeting.body
    assert shown_key(nato, nato_only_body_meeting.body, "slug") == "nato-only-steering-group"


def test_an_action_item_does_not_give_the_id_of_a_hidden_meeting() -> None:
    hidden = Meeting.objects.create(
        body=Body.objects.get(slug="nuc"),
        level=MeetingLevel.EXPERTS,
        title_en="Allies only",
        date="2026-11-03",
        marking=Marking.NATO,
    )
    item = ActionItem.objects.create(
        title_en="Follow-up visible to all",
        owner=User.objects.get(username="ua-viewer").organization,  # type: ignore[misc]
        meeting=hidden,
        marking=Marking.PUBLIC,
    )
    rows = Client().get("/api/action-items").json()
    assert [r["meeting"] for r in rows if r["id"] == item.pk] == [None]
    assert isinstance(shown(AnonymousUser(), hidden), Restricted)


def test_a_measure_is_seen_only_where_its_programme_is() -> None:
    # Given a PUBLIC measure of a programme marked for NATO and the partner
    measure = Measure.objects.select_related("programme").filter(marking=Marking.PUBLIC).first()
    if measure is None:
        measure = Measure.objects.select_related("programme").first()
        assert measure is not None
        Measure.objects.filter(pk=measure.pk).update(marking=Marking.PUBLIC)
    AnnualProgramme.objects.filter(pk=measure.programme_id).update(marking=Marking.PARTNERSHIP)
    # then the public reads neither, through the selector, the page or the API
    assert not visible_to(AnonymousUser(), Measure.objects.filter(pk=measure.pk)).exists()
    assert Client().get(f"/api/anp/measures/{measure.pk}").status_code == 404
    outsider = Client()
    outsider.force_login(User.objects.get(username="ge-viewer"))
    assert outsider.get(f"/en/anp/measures/{measure.pk}/").status_code == 404
    assert ua_client().get(f"/api/anp/measures/{measure.pk}").status_code == 200


def test_history_shows_each_version_only_under_its_own_marking() -> None:
    # Given a NATO-only milestone that was re-marked PUBLIC with new wording
    milestone = Milestone.objects.create(
        number=950,
        date="2026-11",
        text_en="Wording of the NATO era",
        text_uk="Формулювання",
        theme="political",
        marking=Marking.NATO,
    )
    milestone.text_en = "Public wording"
    milestone.marking = Marking.PUBLIC
    milestone.save()
    # when the public reads it, it sees the public version and not the earlier one
    public = Client().get("/en/milestones/950/").content.decode()
    assert "Public wording" in public
    assert "Wording of the NATO era" not in public
    assert "The earlier version is restricted." in public
    # while an Ally's staff see both versions and the change between them
    ally = Client()
    ally.force_login(User.objects.get(username="ally-assessor"))
    allied = ally.get("/en/milestones/950/").content.decode()
    assert "Wording of the NATO era" in allied


def test_a_fund_total_leaves_out_a_hidden_pledge_for_the_partner_only() -> None:
    project = Project.objects.get(slug="demo-medical-rehabilitation-1")
    ua = User.objects.get(username="ua-viewer")
    nato = User.objects.get(username="nato-editor")
    before_ua = selectors.fund_totals(user=ua, fund=project.fund)["pledged"]
    before_nato = selectors.fund_totals(user=nato, fund=project.fund)["pledged"]
    # Given a NATO-only pledge of a million
    from partnership.trustfunds import services

    services.transaction_record(
        by=nato,
        project=project,
        kind="pledge",
        date=project.transactions.order_by("date").first().date,  # type: ignore[union-attr]
        organization=User.objects.get(username="us-lead").organization,  # type: ignore[arg-type]
        currency="EUR",
        amount=Decimal(1_000_000),
        marking=Marking.NATO,
    )
    # then the Ukrainian viewer's total stays, NATO's (totals of all) grows, labelled so
    assert selectors.fund_totals(user=ua, fund=project.fund)["pledged"] == before_ua
    assert selectors.fund_totals(user=nato, fund=project.fund)["pledged"] == (
        before_nato + Decimal(1_000_000)
    )
    assert not selectors.sees_all_totals(ua, project.fund)
    assert selectors.sees_all_totals(User.objects.get(username="us-lead"), project.fund)
    page = ua_client().get(f"/en/trust-funds/{project.fund.slug}/").content.decode()
    assert "Totals of the transactions releasable to you." in page


def test_an_iati_import_takes_the_marking_of_its_fund_and_its_page_offers_only_permitted_funds() -> (
    None
):
    fund = TrustFund.objects.get(slug="medical-rehabilitation")
    TrustFund.objects.filter(pk=fund.pk).update(marking=Marking.NATO)
    fund.refresh_from_db()
    nato = User.objects.get(username="nato-editor")
    project = Project.objects.get(slug="demo-medical-rehabilitation-1")
    data = iati.export(user=nato, projects=[project]).decode()
    data = data.replace("XI-PARTNERSHIP-demo-medical-rehabilitation-1", "XI-PARTNERSHIP-nato-only")
    result = iati.import_activities(by=nato, fund=fund, data=data.encode())
    assert result.errors == []
    imported = result.projects[0]
    assert imported.marking == Marking.NATO
    assert not visible_to(
        User.objects.get(username="ua-viewer"), Project.objects.filter(pk=imported.pk)
    ).exists()
    # A viewer may import into no fund: the page refuses; an editor sees only its funds.
    assert ua_client().get("/en/trust-funds/iati/import/").status_code == 403
    lead = Client()
    lead.force_login(User.objects.get(username="us-lead"))
    form = lead.get("/en/trust-funds/iati/import/").content.decode()
    assert "PfP" in form or "demilitarization" in form.lower()
    assert fund.name_en not in form
