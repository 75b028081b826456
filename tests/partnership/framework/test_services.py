"""Framework services: one transaction each, roles checked, silence procedure respected."""

import datetime as dt

import pytest
from django.utils import timezone

from partnership.core.exceptions import ApplicationError, PermissionDeniedError
from partnership.core.models import Organization, User
from partnership.framework import services
from partnership.framework.models import Body, Decision, DecisionStatus, Meeting

pytestmark = pytest.mark.django_db


def user(name: str) -> User:
    return User.objects.get(username=name)


def test_meeting_with_agenda_is_saved_whole() -> None:
    meeting = services.meeting_create(
        by=user("nato-editor"),
        body=Body.objects.get(slug="jwg-cep"),
        level="experts",
        title_en="Annual CEP meeting",
        date="2026-10",
        marking="PARTNERSHIP",
        participants=Organization.objects.filter(slug__in=["nato-is", "ua-ses"]),
        agenda=["Floods", "", "Exercise 2027"],
    )

    assert [a.title_en for a in meeting.agenda_items.all()] == ["Floods", "Exercise 2027"]
    assert meeting.date_start == dt.date(2026, 10, 1) and meeting.date_end == dt.date(2026, 10, 31)


def test_a_failing_meeting_leaves_nothing_behind() -> None:
    count = Meeting.objects.count()
    with pytest.raises(ApplicationError) as info:
        services.meeting_create(
            by=user("nato-editor"),
            body=Body.objects.get(slug="nuc"),
            level="experts",
            title_en="Talks",
            date="2026-10",
            marking="NATIONS",
            nations=["ZZ"],
            agenda=["One"],
        )

    assert info.value.field == "releasable_to"
    assert Meeting.objects.count() == count


def test_viewers_cannot_create_meetings() -> None:
    with pytest.raises(PermissionDeniedError):
        services.meeting_create(
            by=user("ua-viewer"),
            body=Body.objects.get(slug="nuc"),
            level="experts",
            title_en="Talks",
            date="2026-10",
            marking="PUBLIC",
        )


def test_silence_procedure_decision_is_adopted_only_when_silence_ends() -> None:
    decision = services.decision_create(
        by=user("nato-editor"),
        meeting=None,
        reference="C-M(2026)0101",
        title_en="Tailored support package",
        marking="NATO",
        silence_deadline=timezone.now() + dt.timedelta(days=2),
    )
    assert decision.status == DecisionStatus.UNDER_SILENCE

    with pytest.raises(ApplicationError):
        services.decision_adopt(by=user("nato-approver"), decision=decision)
    with pytest.raises(PermissionDeniedError):
        services.decision_adopt(by=user("nato-editor"), decision=decision)

    Decision.objects.filter(pk=decision.pk).update(silence_deadline=timezone.now())
    adopted = services.decision_adopt(by=user("nato-approver"), decision=decision)
    assert adopted.status == DecisionStatus.ADOPTED


def test_council_paper_reference_is_checked() -> None:
    with pytest.raises(ApplicationError) as info:
        services.decision_create(
            by=user("nato-editor"),
            meeting=None,
            reference="CM-2026-1",
            title_en="x",
            marking="NATO",
        )

    assert info.value.field == "reference"


def test_broken_silence_is_recorded() -> None:
    decision = services.decision_create(
        by=user("nato-editor"),
        meeting=None,
        reference="C-M(2026)0102",
        title_en="x",
        marking="NATO",
        silence_deadline=timezone.now() + dt.timedelta(hours=1),
    )

    services.decision_break_silence(by=user("ally-assessor"), decision=decision)

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SILENCE_BROKEN
    assert decision.history.count() == 2


def test_partner_may_not_break_silence() -> None:
    decision = services.decision_create(
        by=user("nato-editor"),
        meeting=None,
        reference="C-M(2026)0103",
        title_en="x",
        marking="PARTNERSHIP",
        silence_deadline=timezone.now() + dt.timedelta(hours=1),
    )

    with pytest.raises(PermissionDeniedError):
        services.decision_break_silence(by=user("ua-viewer"), decision=decision)


def test_bulk_status_change_is_recorded_per_item() -> None:
    from partnership.framework.models import ActionItem

    items = list(ActionItem.objects.filter(title_en__startswith="Follow up"))
    assert len(items) == 3

    services.action_items_bulk_set_status(by=user("nato-editor"), items=items, status="in_progress")

    for item in items:
        latest = item.history.first()
        assert latest.status == "in_progress"
        assert latest.history_user.username == "nato-editor"
        assert latest.history_change_reason == "bulk status change"


def test_bulk_status_change_refuses_items_the_editor_may_not_see() -> None:
    from partnership.core.models import Organization
    from partnership.framework.models import ActionItem

    hidden = ActionItem.objects.create(
        title_en="US only",
        owner=Organization.objects.get(slug="us"),
        marking="NATIONS",
        releasable_to=",US,",
    )
    lt_editor = User.objects.create_user(
        "lt-editor", organization=Organization.objects.get(slug="lt")
    )
    from partnership.core.services import role_grant

    role_grant(by=None, user=lt_editor, role="editor")

    with pytest.raises(ApplicationError):
        services.action_items_bulk_set_status(by=lt_editor, items=[hidden], status="done")
    hidden.refresh_from_db()
    assert hidden.status == "open"


# ---- given/when/then for the rules of every write ------------------------------------------

from django.db import IntegrityError, transaction  # noqa: E402

from partnership.framework import selectors  # noqa: E402
from partnership.framework.models import (  # noqa: E402
    ActionItem,
    Agreement,
    Milestone,
)


def _meeting(**changes: object) -> Meeting:
    values: dict[str, object] = {
        "by": user("nato-editor"),
        "body": Body.objects.get(slug="nuc"),
        "level": "ambassadors",
        "title_en": "NUC at ambassadors' level",
        "date": "2026-11-05",
        "marking": "PARTNERSHIP",
    }
    values.update(changes)
    return services.meeting_create(**values)  # type: ignore[arg-type]


def _refused(field: str, call: object, *args: object, **kwargs: object) -> str:
    with pytest.raises(ApplicationError) as info:
        call(*args, **kwargs)  # type: ignore[operator]
    assert info.value.field == field, info.value.message
    return str(info.value.message)


def test_a_body_gets_a_key_from_its_abbreviation_and_a_second_one_is_refused_on_the_key() -> None:
    body = services.body_create(
        by=user("nato-editor"),
        kind="jwg",
        name_en="Joint working group on hybrid threats",
        abbreviation="JWG HT",
        established="2026-03",
        parent=Body.objects.get(slug="nuc"),
        marking="PARTNERSHIP",
    )

    assert body.slug == "jwg-ht" and body.established_start == dt.date(2026, 3, 1)
    message = _refused(
        "slug",
        services.body_create,
        by=user("nato-editor"),
        kind="jwg",
        name_en="Another",
        abbreviation="JWG HT",
        marking="PARTNERSHIP",
    )
    assert "jwg-ht" in message


def test_a_body_may_be_older_than_1991_but_not_under_its_own_auspices() -> None:
    nuc = Body.objects.get(slug="nuc")

    updated = services.body_update(
        by=user("nato-editor"),
        body=nuc,
        kind=nuc.kind,
        name_en=nuc.name_en,
        name_uk="Комісія Україна – НАТО",
        established="1949",
        marking=nuc.marking,
    )
    assert updated.name_uk == "Комісія Україна – НАТО" and updated.established == "1949"
    _refused(
        "parent",
        services.body_update,
        by=user("nato-editor"),
        body=nuc,
        kind=nuc.kind,
        name_en=nuc.name_en,
        parent=nuc,
        marking=nuc.marking,
    )


def test_a_body_is_dated_ahead_by_the_plans_limit_to_the_end_of_a_year() -> None:
    # Given the NUC, whose founding date (unlike a meeting's) may be older than 1991
    nuc = Body.objects.get(slug="nuc")
    last = timezone.localdate().year + 10

    def established(value: str) -> Body:
        return services.body_update(
            by=user("nato-editor"), body=nuc, kind=nuc.kind, name_en=nuc.name_en,
            established=value, marking=nuc.marking,
        )  # fmt: skip

    # When dated in the last year allowed, to its last day, it is kept: the same limit as
    # every plan's (`plan_limit`), not ten years to the day
    assert established(f"{last}-12-31").established == f"{last}-12-31"
    assert established(str(last)).established == str(last)
    # Then a day later is refused on its field, with the same message naming that year
    message = _refused("established", established, f"{last + 1}-01-01")
    assert "more than ten years ahead" in message and f"after {last}" in message


def test_a_meeting_keeps_its_agenda_in_both_languages_and_edits_it_row_by_row() -> None:
    meeting = _meeting(agenda=[("Security situation", "Безпекова ситуація"), ("ANP", "")])
    first = meeting.agenda_items.get(position=1)

    services.meeting_update(
        by=user("nato-editor"),
        meeting=meeting,
        body=meeting.body,
        level=meeting.level,
        title_en=meeting.title_en,
        date=meeting.date,
        marking=meeting.marking,
        agenda=services.agenda_from_lines(
            "Security situation\nANP 2027", "Безпекова ситуація\nРНП"
        ),
    )

    assert [(a.title_en, a.title_uk) for a in meeting.agenda_items.all()] == [
        ("Security situation", "Безпекова ситуація"),
        ("ANP 2027", "РНП"),
    ]
    assert meeting.agenda_items.get(position=1).pk == first.pk  # the same row, its history


def test_an_agenda_with_more_ukrainian_lines_than_english_is_refused_on_the_ukrainian() -> None:
    _refused("agenda_uk", services.agenda_from_lines, "One", "Один\nДва")


def test_the_same_meeting_twice_is_refused_on_its_title() -> None:
    _meeting()
    message = _refused("title_en", _meeting)
    assert "already has a meeting" in message


@pytest.mark.parametrize(
    ("date", "says"),
    [
        ("1066", "before 1991"),
        ("3026-01", "ten years ahead"),
        ("2026-12-10/2026-12-09", "ends before it starts"),
        ("not a date", "not a date this site can read"),
        ("червень 2015", ""),
    ],
)
def test_implausible_meeting_dates_are_refused_on_the_date(date: str, says: str) -> None:
    if not says:  # written as people write it, in Ukrainian: read by the one parser
        assert _meeting(date=date).date == "2015-06"
        return
    message = _refused("date", _meeting, date=date)
    assert says in message


def test_a_meeting_of_a_withdrawn_body_is_refused_on_the_body() -> None:
    body = Body.objects.get(slug="nuc")
    services.record_withdraw(by=user("nato-editor"), record=body, reason="Merged")
    body.refresh_from_db()

    assert "withdrawn" in _refused("body", _meeting, body=body)


def test_a_draft_goes_under_silence_when_its_deadline_is_set_and_records_who_broke_it() -> None:
    decision = services.decision_create(
        by=user("nato-editor"), meeting=None, reference="", title_en="Draft", marking="NATO"
    )
    assert decision.status == DecisionStatus.DRAFT

    decision = services.decision_update(
        by=user("nato-editor"),
        decision=decision,
        meeting=None,
        reference="C-M(2026)0200",
        title_en="Draft",
        title_uk="Проєкт",
        marking="NATO",
        silence_deadline=timezone.now() + dt.timedelta(days=1),
    )
    assert decision.status == DecisionStatus.UNDER_SILENCE
    broken = services.decision_break_silence(by=user("ally-assessor"), decision=decision)

    assert broken.silence_broken_by == user("ally-assessor")
    assert broken.silence_broken_for == Organization.objects.get(slug="us")
    assert broken.silence_broken_at is not None


def test_silence_can_no_longer_be_broken_once_it_ended() -> None:
    decision = services.decision_create(
        by=user("nato-editor"),
        meeting=None,
        reference="",
        title_en="Quiet",
        marking="NATO",
        silence_deadline=timezone.now() + dt.timedelta(hours=1),
    )
    Decision.objects.filter(pk=decision.pk).update(silence_deadline=timezone.now())

    message = _refused(
        "status", services.decision_break_silence, by=user("ally-assessor"), decision=decision
    )
    assert "no longer" in message


def test_adoption_records_who_and_when_and_then_only_the_action_sheet_changes() -> None:
    decision = services.decision_create(
        by=user("nato-editor"), meeting=None, reference="", title_en="Package", marking="NATO"
    )
    adopted = services.decision_adopt(by=user("nato-approver"), decision=decision)
    assert adopted.adopted_by == user("nato-approver") and adopted.adopted_at is not None

    kept = services.decision_update(
        by=user("nato-editor"),
        decision=adopted,
        meeting=None,
        reference="",
        title_en="Package",
        action_sheet_en="NSPA to report by March.",
        marking="NATO",
    )
    assert kept.action_sheet_en == "NSPA to report by March."
    _refused(
        "title_en",
        services.decision_update,
        by=user("nato-editor"),
        decision=adopted,
        meeting=None,
        reference="",
        title_en="Another package",
        marking="NATO",
    )
    _refused("status", services.decision_adopt, by=user("nato-approver"), decision=adopted)


def test_a_second_decision_with_the_same_reference_is_refused_on_the_reference() -> None:
    services.decision_create(
        by=user("nato-editor"),
        meeting=None,
        reference="C-M(2026)0300",
        title_en="A",
        marking="NATO",
    )
    _refused(
        "reference",
        services.decision_create,
        by=user("nato-editor"),
        meeting=None,
        reference="C-M(2026)0300",
        title_en="B",
        marking="NATO",
    )


def test_an_action_item_points_at_a_record_and_its_decision() -> None:
    decision = services.decision_create(
        by=user("nato-editor"), meeting=None, reference="", title_en="Sheet", marking="PARTNERSHIP"
    )
    agreement = Agreement.objects.order_by("pk").first()

    item = services.action_item_create(
        by=user("nato-editor"),
        title_en="Report on the agreement",
        title_uk="Звітувати про угоду",
        owner=Organization.objects.get(slug="ua-mod"),
        deadline=dt.date(2027, 3, 1),
        decision=decision,
        linked=agreement,
        marking="PARTNERSHIP",
    )

    assert item.linked == agreement
    assert list(selectors.action_item_list(user=user("ua-viewer"), decision=decision)) == [item]
    assert selectors.linked_key(item.linked) == ("framework.agreement", agreement.slug)


@pytest.mark.parametrize(
    ("deadline", "says"), [(dt.date(1066, 10, 14), "1991"), (dt.date(3026, 1, 1), "ten years")]
)
def test_an_implausible_deadline_is_refused_on_the_deadline(deadline: dt.date, says: str) -> None:
    message = _refused(
        "deadline",
        services.action_item_create,
        by=user("nato-editor"),
        title_en="x",
        owner=Organization.objects.get(slug="ua-mod"),
        deadline=deadline,
        marking="PARTNERSHIP",
    )
    assert says in message


def test_the_owner_organization_moves_its_action_item_one_at_a_time_and_in_bulk() -> None:
    """One rule for both: the owner's people (ua-reporter works at ua-mod) may, others not."""
    item = services.action_item_create(
        by=user("nato-editor"),
        title_en="Owned by the ministry",
        owner=Organization.objects.get(slug="ua-mod"),
        deadline=None,
        marking="PARTNERSHIP",
    )
    reporter, viewer = user("ua-reporter"), user("ua-viewer")
    assert services.can_set_status(reporter, item) and not services.can_set_status(viewer, item)

    services.action_item_set_status(by=reporter, item=item, status="in_progress")
    services.action_items_bulk_set_status(by=reporter, items=[item], status="done")
    item.refresh_from_db()
    assert item.status == "done"
    with pytest.raises(PermissionDeniedError):
        services.action_item_set_status(by=viewer, item=item, status="open")
    with pytest.raises(PermissionDeniedError):
        services.action_items_bulk_set_status(by=viewer, items=[item], status="open")


def _agreement(**changes: object) -> Agreement:
    values: dict[str, object] = {
        "by": user("nato-editor"),
        "kind": "mou",
        "title_en": "Memorandum on cyber defence",
        "signed": "2016-05",
        "marking": "PARTNERSHIP",
    }
    values.update(changes)
    return services.agreement_create(**values)  # type: ignore[arg-type]


def test_an_agreement_keeps_its_parties_and_dates() -> None:
    agreement = _agreement(
        parties=Organization.objects.filter(slug__in=["nato", "ua"]),
        ratified="2016-07",
        in_force="2016-09-01",
    )

    assert agreement.slug == "memorandum-on-cyber-defence"
    assert sorted(agreement.parties.values_list("slug", flat=True)) == ["nato", "ua"]
    assert agreement.in_force_start == dt.date(2016, 9, 1)


@pytest.mark.parametrize(
    ("changes", "field", "says"),
    [
        ({"ratified": "2015"}, "ratified", "before it is signed"),
        ({"in_force": "2016-04-30"}, "in_force", "before it is signed"),
        ({"signed": "2099"}, "signed", "ten years"),
        ({"signed": "2030"}, "signed", "in the future"),
        ({"signed": "1066"}, "signed", "1991"),
    ],
)
def test_agreement_dates_out_of_order_or_of_place_are_refused_on_their_field(
    changes: dict[str, str], field: str, says: str
) -> None:
    assert says in _refused(field, _agreement, **changes)


def test_a_milestone_goes_after_the_last_and_its_number_is_not_taken_twice() -> None:
    last = Milestone.objects.order_by("-number").first()
    assert last is not None

    made = services.milestone_create(
        by=user("nato-editor"),
        date="2026-07",
        text_en="Summit in Ankara",
        text_uk="Саміт в Анкарі",
        theme="political",
        bodies=[Body.objects.get(slug="nuc")],
        marking="PUBLIC",
    )

    assert made.number == last.number + 1 and list(made.bodies.all()) == [
        Body.objects.get(slug="nuc")
    ]
    _refused(
        "number",
        services.milestone_create,
        by=user("nato-editor"),
        number=made.number,
        date="2026-07",
        text_en="x",
        text_uk="x",
        theme="political",
        marking="PUBLIC",
    )


def test_an_editor_changes_a_milestones_text_and_a_viewer_may_not() -> None:
    milestone = Milestone.objects.order_by("number").first()
    assert milestone is not None
    values = {
        "milestone": milestone,
        "date": milestone.date,
        "text_en": "Corrected text",
        "text_uk": "Виправлений текст",
        "theme": milestone.theme,
        "marking": milestone.marking,
    }

    services.milestone_update(by=user("nato-editor"), **values)  # type: ignore[arg-type]
    milestone.refresh_from_db()
    assert milestone.text_uk == "Виправлений текст"
    with pytest.raises(PermissionDeniedError):
        services.milestone_update(by=user("ua-viewer"), **values)  # type: ignore[arg-type]


def test_a_withdrawn_meeting_leaves_lists_stays_readable_to_editors_and_comes_back() -> None:
    meeting = _meeting()
    editor, viewer = user("nato-editor"), user("ua-viewer")

    services.record_withdraw(by=editor, record=meeting, reason="Entered twice")

    assert meeting not in selectors.meeting_list(user=editor)
    assert selectors.meeting_get(user=viewer, pk=meeting.pk) is None
    kept = selectors.meeting_get(user=editor, pk=meeting.pk)
    assert kept is not None and kept.withdrawal_reason == "Entered twice"
    assert kept.withdrawn_by == editor and kept in selectors.withdrawn_list(user=editor)
    assert meeting.history.first().history_change_reason == "Entered twice"

    services.record_restore(by=editor, record=kept)
    assert meeting in selectors.meeting_list(user=viewer)


def test_withdrawal_needs_a_reason_an_editor_and_a_current_record() -> None:
    meeting = _meeting()
    _refused("reason", services.record_withdraw, by=user("nato-editor"), record=meeting, reason=" ")
    with pytest.raises(PermissionDeniedError):
        services.record_withdraw(by=user("ua-viewer"), record=meeting, reason="No")
    services.record_withdraw(by=user("nato-editor"), record=meeting, reason="Twice")
    meeting.refresh_from_db()
    with pytest.raises(ApplicationError):
        services.record_withdraw(by=user("nato-editor"), record=meeting, reason="Again")
    with pytest.raises(ApplicationError):
        services.meeting_update(
            by=user("nato-editor"),
            meeting=meeting,
            body=meeting.body,
            level=meeting.level,
            title_en="Changed while withdrawn",
            date=meeting.date,
            marking=meeting.marking,
        )


def test_a_withdrawn_milestone_leaves_the_public_timeline() -> None:
    milestone = Milestone.objects.order_by("number").first()
    assert milestone is not None

    services.record_withdraw(by=user("nato-editor"), record=milestone, reason="Duplicate")

    assert milestone not in selectors.milestone_list(user=user("ua-viewer"))
    assert selectors.milestone_get(user=user("ua-viewer"), number=milestone.number) is None


def test_restoring_a_meeting_entered_again_meanwhile_is_refused_as_a_duplicate() -> None:
    first = _meeting()
    services.record_withdraw(by=user("nato-editor"), record=first, reason="Wrong")
    _meeting()
    first.refresh_from_db()

    _refused("title_en", services.record_restore, by=user("nato-editor"), record=first)


@pytest.mark.parametrize(
    ("model", "values"),
    [
        (
            Agreement,
            {"slug": "x", "kind": "mou", "title_en": "x", "signed": "2016", "ratified": "2015"},
        ),
        (
            Milestone,
            {"number": 999, "date": "1066", "text_en": "x", "text_uk": "x", "theme": "political"},
        ),
        (ActionItem, {"title_en": "x", "owner_id": 1, "deadline": dt.date(1066, 1, 1)}),
        (
            Meeting,
            {
                "body_id": 1,
                "level": "experts",
                "title_en": "x",
                "date": "2026",
                "withdrawal_reason": "why?",
            },
        ),
    ],
)
def test_the_database_refuses_what_the_services_refuse(
    model: type, values: dict[str, object]
) -> None:
    """Writes that go round the services (the admin, a script) meet the same rules."""
    if "owner_id" in values:
        values["owner_id"] = Organization.objects.order_by("pk").first().pk  # type: ignore[union-attr]
    if "body_id" in values:
        values["body_id"] = Body.objects.order_by("pk").first().pk  # type: ignore[union-attr]
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(marking="PUBLIC", **values)
