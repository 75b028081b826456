"""Corrections of the programmes' records: events edited and withdrawn by the programme's
managers, SPS applications edited and withdrawn by their applicant until reviewed or decided;
plan years within 1991 to ten years ahead; awards' amounts as the language writes money."""

from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone, translation

from partnership.anp import services as anp
from partnership.anp.models import AnnualProgramme
from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.history import record_history
from partnership.core.models import Marking, Organization, User
from partnership.core.services import api_token_create
from partnership.programmes import selectors, services
from partnership.programmes.models import Event, Grant, GrantReview, GrantStatus, Programme

pytestmark = pytest.mark.django_db


def manager() -> User:
    return User.objects.get(username="nato-editor")


def applicant() -> User:
    return User.objects.get(username="ua-coordinator")


def line(count: int, sex: str = "female") -> services.Count:
    return services.Count(Organization.objects.get(slug="ua-mod"), "military", sex, "junior", count)


def recorded(total: int = 6, title: str = "Corrections course") -> Event:
    return services.event_record(
        by=manager(), programme=Programme.objects.get(slug="pdp"), kind="course",
        title_en=title, date="2015-03", participants_total=total,
        counts=[line(total)], marking=Marking.PUBLIC,
    )  # fmt: skip


def edit(event: Event, *, by: User | None = None, **changes: object) -> Event:
    values: dict[str, object] = {
        "kind": event.kind, "title_en": event.title_en, "date": event.date,
        "participants_total": event.participants_total, "counts": [line(event.participants_total)],
        "marking": event.marking,
    }  # fmt: skip
    values.update(changes)
    return services.event_update(by=by or manager(), event=event, **values)  # type: ignore[arg-type]


def people(programme_slug: str = "pdp") -> int:
    programme = Programme.objects.get(slug=programme_slug)
    return sum(row["people"] for row in selectors.participation_by_year(user=manager(),
                                                                      programme=programme))  # fmt: skip


# ---- events ---------------------------------------------------------------------------------


def test_a_manager_corrects_an_event_and_its_table_with_more_rows() -> None:
    # Given an event of 6 counted in one row
    event = recorded(6)
    # When its manager corrects the title and counts 10 in three rows
    edit(
        event, title_en="Corrected course", participants_total=10,
        counts=[line(4), line(3, "male"), line(3, "unspecified")],
    )  # fmt: skip
    # Then the event and its table are the corrected ones, and its history shows the change
    event.refresh_from_db()
    assert (event.title_en, event.participants_total) == ("Corrected course", 10)
    assert sorted(p.count for p in event.participation.all()) == [3, 3, 4]
    entries = record_history(manager(), event)
    assert any(change.new == "Corrected course" for entry in entries for change in entry.changes)


def test_a_correction_with_a_duplicate_row_is_refused_on_the_table_and_nothing_changes() -> None:
    event = recorded(6)
    with pytest.raises(ApplicationError) as info:
        edit(event, title_en="Not saved", counts=[line(3), line(3)])
    assert info.value.field == "participation"
    event.refresh_from_db()
    assert event.title_en == "Corrections course"
    assert [p.count for p in event.participation.all()] == [6]


def test_counts_that_do_not_add_up_are_refused_on_correction_too() -> None:
    event = recorded(6)
    with pytest.raises(ApplicationError) as info:
        edit(event, participants_total=7)
    assert info.value.field == "participants_total"


def test_only_the_programmes_managers_correct_or_withdraw_an_event() -> None:
    event = recorded()
    outsider = User.objects.get(username="ua-coordinator")
    with pytest.raises(PermissionDeniedError):
        edit(event, by=outsider, title_en="Not theirs")
    with pytest.raises(PermissionDeniedError):
        services.event_withdraw(by=outsider, event=event, reason="No", confirm=True)
    event.refresh_from_db()
    assert not event.withdrawn and event.title_en == "Corrections course"


@pytest.mark.parametrize(
    ("reason", "confirm", "field"),
    [("", True, "reason"), ("  ", True, "reason"), ("Twice", False, "confirm")],
)
def test_a_withdrawal_needs_a_reason_and_a_confirmation(
    reason: str, confirm: bool, field: str
) -> None:
    event = recorded()
    with pytest.raises(ApplicationError) as info:
        services.event_withdraw(by=manager(), event=event, reason=reason, confirm=confirm)
    assert info.value.field == field
    event.refresh_from_db()
    assert not event.withdrawn


def test_a_withdrawn_event_counts_nowhere_but_its_managers_still_read_it() -> None:
    # Given an event of 40 Ukrainians in the PDP's totals
    before = people()
    event = recorded(40, "Recorded twice")
    assert people() == before + 40
    # When its manager withdraws it, with a reason
    services.event_withdraw(by=manager(), event=event, reason="Recorded twice", confirm=True)
    # Then the totals, the list and the export's rows are as before it was recorded
    programme = Programme.objects.get(slug="pdp")
    assert people() == before
    assert not selectors.event_list(user=manager(), programme=programme).filter(pk=event.pk)
    # ... while the managers read it, marked, with who, when and why, and its history says so
    kept = selectors.event_get(user=manager(), programme=programme, pk=event.pk)
    assert kept is not None and kept.withdrawn and kept.withdrawn_by == manager()
    assert kept.withdrawal_reason == "Recorded twice"
    assert list(selectors.withdrawn_events(user=manager(), programme=programme)) == [kept]
    assert any(entry.reason == "Recorded twice" for entry in record_history(manager(), kept))
    # ... and nobody else finds it
    viewer = User.objects.get(username="ua-viewer")
    assert selectors.event_get(user=viewer, programme=programme, pk=event.pk) is None
    assert not selectors.withdrawn_events(user=viewer, programme=programme)


def test_a_withdrawn_event_is_not_corrected_nor_withdrawn_again() -> None:
    event = recorded()
    services.event_withdraw(by=manager(), event=event, reason="Wrong", confirm=True)
    with pytest.raises(ApplicationError):
        edit(event, title_en="After")
    with pytest.raises(ApplicationError):
        services.event_withdraw(by=manager(), event=event, reason="Again", confirm=True)


def test_the_database_refuses_a_withdrawal_without_a_reason() -> None:
    from django.db import IntegrityError, transaction

    event = recorded()
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(
            withdrawn_at=timezone.now(), withdrawn_by=manager()
        )


# ---- SPS applications -----------------------------------------------------------------------


def application(status: str = GrantStatus.APPLIED) -> Grant:
    grant = services.grant_apply(
        by=applicant(), programme=Programme.objects.get(slug="sps"), title_en="Sensor network",
        topic="cyber", beneficiary=Organization.objects.get(slug="ua"),
        ceiling_eur=Decimal(80_000), period="2027/2028", summary_en="Sensors.",
    )  # fmt: skip
    Grant.objects.filter(pk=grant.pk).update(status=status)
    grant.refresh_from_db()
    return grant


def amend(grant: Grant, *, by: User | None = None, **changes: object) -> Grant:
    values: dict[str, object] = {
        "title_en": grant.title_en, "topic": grant.topic, "beneficiary": grant.beneficiary,
        "ceiling_eur": grant.ceiling_eur, "period": grant.period, "summary_en": grant.summary_en,
        "marking": grant.marking,
    }  # fmt: skip
    values.update(changes)
    return services.grant_update(by=by or applicant(), grant=grant, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize("status", [GrantStatus.APPLIED, GrantStatus.UNDER_REVIEW])
def test_the_applicant_corrects_an_application_not_yet_reviewed(status: str) -> None:
    grant = application(status)
    amend(grant, title_en="Sensor network, phase 1", ceiling_eur=Decimal(60_000))
    grant.refresh_from_db()
    assert (grant.title_en, grant.ceiling_eur, grant.status) == (
        "Sensor network, phase 1", Decimal(60_000), status,
    )  # fmt: skip
    assert grant.reference.startswith("SPS-")


def test_a_correction_is_held_to_the_application_rules() -> None:
    grant = application()
    with pytest.raises(ApplicationError) as info:
        amend(grant, ceiling_eur=Decimal(-5))
    assert info.value.field == "ceiling_eur"
    with pytest.raises(ApplicationError) as info:
        amend(grant, period="2029/2027")
    assert info.value.field == "period"


def test_nobody_but_the_applicant_corrects_or_withdraws_an_application() -> None:
    grant = application()
    for someone in (manager(), User.objects.get(username="ally-assessor")):
        with pytest.raises(PermissionDeniedError):
            amend(grant, by=someone, title_en="Not theirs")
        with pytest.raises(PermissionDeniedError):
            services.grant_withdraw(by=someone, grant=grant, reason="No", confirm=True)


def test_a_reviewed_application_is_refused_with_the_reason_on_the_status() -> None:
    # Given an application under review that a reviewer has recommended
    grant = application(GrantStatus.UNDER_REVIEW)
    GrantReview.objects.create(
        grant=grant, reviewer=User.objects.get(username="ally-assessor"), score=4,
        recommendation="award", comment="Sound.",
    )  # fmt: skip
    # When the applicant corrects or withdraws it, then both are refused, naming the state
    with pytest.raises(ApplicationError) as info:
        amend(grant, title_en="Too late")
    assert info.value.field == "status" and "recommendation" in str(info.value.message)
    with pytest.raises(ApplicationError):
        services.grant_withdraw(by=applicant(), grant=grant, reason="Late", confirm=True)
    with translation.override("uk"):
        with pytest.raises(ApplicationError) as info:
            amend(grant, title_en="Too late")
        assert "рекомендацію" in str(info.value.message)


@pytest.mark.parametrize("status", [GrantStatus.AWARDED, GrantStatus.REJECTED])
def test_a_decided_application_is_not_corrected(status: str) -> None:
    grant = application(status)
    with pytest.raises(ApplicationError) as info:
        amend(grant, title_en="Too late")
    assert info.value.field == "status"


def test_a_withdrawn_application_leaves_the_review_queue() -> None:
    # Given an application waiting to be sent for review
    grant = application()
    reviewer = User.objects.get(username="ally-assessor")
    assert selectors.grant_list(user=reviewer).filter(pk=grant.pk).exists()
    # When its applicant withdraws it, with a reason and the confirmation
    with pytest.raises(ApplicationError) as info:
        services.grant_withdraw(by=applicant(), grant=grant, reason="Funded elsewhere")
    assert info.value.field == "confirm"
    services.grant_withdraw(by=applicant(), grant=grant, reason="Funded elsewhere", confirm=True)
    # Then reviewers no longer see it and no step of the review takes it
    assert not selectors.grant_list(user=reviewer).filter(pk=grant.pk).exists()
    with pytest.raises(ApplicationError):
        services.grant_review_start(by=manager(), grant=grant)
    # ... while the applicant and the managers still read it, marked withdrawn
    for keeper in (applicant(), manager()):
        kept = selectors.grant_list(user=keeper).get(pk=grant.pk)
        assert kept.withdrawn and kept.withdrawal_reason == "Funded elsewhere"


# ---- plan years and money in messages -------------------------------------------------------


@pytest.mark.parametrize(("year", "words"), [(1066, "before 1991"), (3026, "ten years ahead")])
def test_a_programme_year_outside_the_plan_range_is_refused_naming_the_field(
    year: int, words: str
) -> None:
    coordinator = User.objects.get(username="ua-coordinator")
    with pytest.raises(ApplicationError) as info:
        anp.programme_create(by=coordinator, year=year)
    assert info.value.field == "year" and words in str(info.value.message)
    assert str(info.value.message).startswith("Year")
    assert not AnnualProgramme.objects.filter(year=year).exists()


def test_a_programme_copied_to_an_implausible_year_is_refused() -> None:
    coordinator = User.objects.get(username="ua-coordinator")
    source = AnnualProgramme.objects.order_by("-year").first()
    assert source is not None
    too_far = timezone.localdate().year + 11
    with pytest.raises(ApplicationError) as info:
        anp.programme_copy(by=coordinator, source=source, year=too_far)
    assert info.value.field == "year"
    assert not AnnualProgramme.objects.filter(year=too_far).exists()


def test_the_last_plausible_year_is_ten_years_ahead() -> None:
    from partnership.core.partial_input import check_plan_year

    this_year = timezone.localdate().year
    check_plan_year(1991, field="year")
    check_plan_year(this_year + 10, field="year")
    with pytest.raises(ApplicationError):
        check_plan_year(this_year + 11, field="year")


@pytest.mark.parametrize(
    ("language", "amount", "ceiling"),
    [("en", "€250,000.00", "€200,000.00"), ("uk", "€250\xa0000,00", "€200\xa0000,00")],
)
def test_an_award_above_the_request_quotes_both_amounts_as_money(
    language: str, amount: str, ceiling: str
) -> None:
    grant = application(GrantStatus.UNDER_REVIEW)
    Grant.objects.filter(pk=grant.pk).update(ceiling_eur=Decimal(200_000))
    GrantReview.objects.create(
        grant=grant, reviewer=User.objects.get(username="ally-assessor"), score=5,
        recommendation="award", comment="Sound.",
    )  # fmt: skip
    with translation.override(language), pytest.raises(ApplicationError) as info:
        services.grant_award(by=manager(), grant=grant, amount_eur=Decimal(250_000), confirm=True)
    message = str(info.value.message).replace(" ", "\xa0")
    assert amount.replace(" ", "\xa0") in message and ceiling.replace(" ", "\xa0") in message


# ---- the same through the API ---------------------------------------------------------------


def test_an_event_is_corrected_and_withdrawn_over_the_api(client: Client) -> None:
    # Given an event and its manager's token
    event = recorded(6)
    _token, raw = api_token_create(user=manager(), name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}", "content_type": "application/json"}
    url = f"/api/programmes/pdp/events/{event.pk}"
    row = {"organization": "ua-mod", "service": "military", "sex": "female",
           "rank_group": "junior", "count": 3}  # fmt: skip
    payload = {"kind": "course", "title_en": "Over the API", "date": "2015-03",
               "participants_total": 6, "marking": "PUBLIC", "participation": [row, row]}  # fmt: skip
    # When the table has the same row twice, then it is refused on the table, in Ukrainian too
    refused = client.put(url, payload, HTTP_ACCEPT_LANGUAGE="uk", **auth)  # type: ignore[arg-type]
    assert refused.status_code == 400 and refused.json()["field"] == "participation"
    assert "Два рядки" in refused.json()["message"]
    # When the rows differ, then the event is corrected and its table returned
    payload["participation"] = [row, {**row, "sex": "male"}]
    ok = client.put(url, payload, **auth)  # type: ignore[arg-type]
    assert ok.status_code == 200 and len(ok.json()["participation"]) == 2
    # When it is withdrawn without the confirmation, then nothing happens; with it, it is
    assert client.post(url + "/withdraw", {"reason": "Twice"}, **auth).status_code == 400  # type: ignore[arg-type]
    done = client.post(url + "/withdraw", {"reason": "Twice", "confirm": True}, **auth)  # type: ignore[arg-type]
    assert done.status_code == 200 and done.json()["withdrawn"]["reason"] == "Twice"
    # ... and the programme's list no longer holds it
    listed = client.get("/api/programmes/pdp/events", **auth).json()  # type: ignore[arg-type]
    assert event.pk not in [e["id"] for e in listed]
