"""The last lists on the shared list helper: withdrawn records, ANP years, notifications,
prepared files, holdings, SPS beneficiaries and Partnership Goals. Each sorts by a column,
filters, exports CSV and XLSX in the reader's language with the page's columns, and never
holds a record the reader may not see."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone, translation
from openpyxl import load_workbook

from partnership.core.lists import natural_key
from partnership.core.models import Marking, Organization, User

pytestmark = pytest.mark.django_db

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UK_MOMENT = re.compile(r"^\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$")


def _as(username: str | None) -> Client:
    client = Client()
    if username:
        client.force_login(User.objects.get(username=username))
    return client


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def _sheet(response: Any) -> Any:
    assert response.status_code == 200 and response["Content-Type"] == XLSX_TYPE
    return load_workbook(io.BytesIO(response.content)).active


def _values(sheet: Any) -> list[tuple[Any, ...]]:
    return list(sheet.iter_rows(min_row=2, values_only=True))


def _headings(sheet: Any) -> list[Any]:
    return [c.value for c in sheet[1]]


# Withdrawn records


def _withdraw(record: Any, *, by: User, reason: str, hours_ago: int) -> None:
    type(record).objects.filter(pk=record.pk).update(
        withdrawn_at=timezone.now() - dt.timedelta(hours=hours_ago),
        withdrawn_by=by,
        withdrawal_reason=reason,
    )


def test_withdrawn_records_sort_filter_and_export_in_ukrainian_without_hidden_ones() -> None:
    from partnership.framework.models import Body, Meeting

    # Given two withdrawn meetings (one NATO only) and a withdrawn body
    editor = User.objects.get(username="nato-editor")
    public, other = Meeting.objects.filter(marking=Marking.PUBLIC, withdrawn_at=None)[:2]
    Meeting.objects.filter(pk=other.pk).update(marking=Marking.NATO)
    body = Body.objects.filter(marking=Marking.PUBLIC, withdrawn_at=None).first()
    assert body is not None
    _withdraw(public, by=editor, reason="Entered twice", hours_ago=3)
    _withdraw(other, by=editor, reason="Wrong date", hours_ago=2)
    _withdraw(body, by=editor, reason="Merged into another", hours_ago=1)
    url = "/uk/framework/withdrawn/"

    # When the partner's editor exports them in Ukrainian, oldest withdrawal first
    rows = _csv(_as("ua-coordinator").get(url, {"export": "csv", "sort": "withdrawn"}))
    # Then the headings are Ukrainian, the NATO meeting is not there, the moment is local
    assert rows[0] == ["Запис", "Вид", "Відкликано", "Підстава"]
    assert [r[3] for r in rows[1:]] == ["Entered twice", "Merged into another"]
    assert all(UK_MOMENT.match(r[2]) for r in rows[1:])
    # When NATO's editor exports the same list, newest first (the default)
    staff = _csv(_as("nato-editor").get(url, {"export": "csv"}))
    assert [r[3] for r in staff[1:]] == ["Merged into another", "Wrong date", "Entered twice"]
    # And filters it to meetings only, as a workbook with the withdrawal as a typed moment
    sheet = _sheet(_as("nato-editor").get(url, {"export": "xlsx", "kind": "meeting"}))
    assert _headings(sheet) == staff[0]
    assert [r[3] for r in _values(sheet)] == ["Wrong date", "Entered twice"]
    assert isinstance(_values(sheet)[0][2], dt.datetime)
    assert sheet.cell(row=2, column=3).number_format == "yyyy-mm-dd hh:mm"
    # And the page heads its table with sort links and offers both exports
    page = _as("nato-editor").get(url, {"sort": "reason"}).content.decode()
    assert 'aria-sort="ascending"' in page and "export=xlsx" in page
    assert "Merged into another" in page


def test_the_withdrawn_list_filters_by_text_and_stays_closed_to_viewers() -> None:
    from partnership.framework.models import Meeting

    editor = User.objects.get(username="nato-editor")
    meeting = Meeting.objects.filter(withdrawn_at=None).first()
    assert meeting is not None
    _withdraw(meeting, by=editor, reason="Entered twice", hours_ago=1)
    client = _as("nato-editor")
    assert len(_csv(client.get("/en/framework/withdrawn/", {"export": "csv", "q": "twice"}))) == 2
    assert len(_csv(client.get("/en/framework/withdrawn/", {"export": "csv", "q": "zzz"}))) == 1
    assert _as("ua-viewer").get("/en/framework/withdrawn/", {"export": "csv"}).status_code == 403


# The ANP's years


def test_anp_years_sort_filter_and_export_without_the_years_one_may_not_see() -> None:
    from partnership.anp.models import AnnualProgramme, ProgrammeStatus

    # Given a NATO-only draft year beside the programmes already there
    AnnualProgramme.objects.create(year=2031, marking=Marking.NATO)
    seen = AnnualProgramme.objects.filter(marking__in=[Marking.PUBLIC, Marking.PARTNERSHIP])
    # When the partner's viewer exports the years in Ukrainian, oldest first
    rows = _csv(_as("ua-viewer").get("/uk/anp/", {"export": "csv", "sort": "year"}))
    # Then the headings are Ukrainian and the NATO year is not there
    assert rows[0] == ["Рік", "Стан", "Гриф поширення"]
    years = [r[0] for r in rows[1:]]
    assert years == sorted(str(y) for y in seen.values_list("year", flat=True))
    assert "2031" not in years
    # When NATO staff filter to drafts, the NATO year is one of them, newest first
    sheet = _sheet(_as("nato-editor").get("/uk/anp/", {"export": "xlsx",
                                                       "status": ProgrammeStatus.DRAFT}))  # fmt: skip
    drafts = [r[0] for r in _values(sheet)]
    assert drafts[0] == "2031" and drafts == sorted(drafts, reverse=True)
    assert _headings(sheet) == rows[0]
    page = _as("nato-editor").get("/en/anp/", {"sort": "-year"}).content.decode()
    assert 'aria-sort="descending"' in page and "/en/anp/2031/" in page


# Notifications


def _tell(user: User, subject: str, *, kind: str, record: Any = None) -> Any:
    from partnership.notifications import services
    from partnership.notifications.services import Message

    [notice] = services.notify(
        kind=kind, recipients=[user], record=record, occasion=subject, path="/anp/",
        message=lambda person: Message(subject, body=f"About {subject}"),
    )  # fmt: skip
    return notice


def test_notifications_sort_filter_and_export_only_ones_own_that_they_may_still_see() -> None:
    from partnership.framework.models import Meeting
    from partnership.notifications.models import Kind

    # Given three notices to the partner's viewer, one read, one about a NATO-only meeting,
    # and one to someone else
    viewer = User.objects.get(username="ua-viewer")
    hidden = Meeting.objects.filter(withdrawn_at=None).first()
    assert hidden is not None
    Meeting.objects.filter(pk=hidden.pk).update(marking=Marking.PUBLIC)
    read = _tell(viewer, "Beta report due", kind=Kind.REPORT_DUE)
    _tell(viewer, "Alpha action overdue", kind=Kind.ACTION_OVERDUE)
    _tell(viewer, "Secret meeting", kind=Kind.SILENCE_OPENED, record=hidden)
    # The meeting became NATO only after they were told
    Meeting.objects.filter(pk=hidden.pk).update(marking=Marking.NATO)
    _tell(User.objects.get(username="nato-editor"), "Not yours", kind=Kind.REPORT_DUE)
    read.read_at = timezone.now()
    read.save()
    client = _as("ua-viewer")

    # When they export their notices in Ukrainian, by subject
    rows = _csv(client.get("/uk/notifications/", {"export": "csv", "sort": "subject"}))
    # Then the columns are the page's, in Ukrainian, and only their own visible notices
    assert rows[0] == ["Коли", "Вид", "Тема", "Повідомлення", "Прочитано"]
    assert [r[2] for r in rows[1:]] == ["Alpha action overdue", "Beta report due"]
    assert UK_MOMENT.match(rows[1][0]) and rows[1][4] == "" and UK_MOMENT.match(rows[2][4])
    # When they filter to the unread ones, as a workbook
    sheet = _sheet(client.get("/uk/notifications/", {"export": "xlsx", "state": "unread"}))
    assert _headings(sheet) == rows[0]
    assert [r[2] for r in _values(sheet)] == ["Alpha action overdue"]
    assert isinstance(_values(sheet)[0][0], dt.datetime)
    # And to one kind
    due = _csv(client.get("/en/notifications/", {"export": "csv", "kind": Kind.REPORT_DUE}))
    assert [r[2] for r in due[1:]] == ["Beta report due"]
    # And the page still marks read and opens (each row's form)
    page = client.get("/en/notifications/", {"sort": "-subject"}).content.decode()
    assert 'aria-sort="descending"' in page and "Mark as read" in page
    assert "Secret meeting" not in page and "Not yours" not in page


# Prepared files


def test_prepared_files_sort_filter_and_export_only_ones_own_and_visible() -> None:
    from partnership.background.models import Job, JobKind, JobStatus

    # Given three of the viewer's files (one NATO-marked) and one of someone else
    viewer = User.objects.get(username="ua-viewer")
    made = [
        Job.objects.create(kind=kind, params=params, requested_by=viewer, status=status,
                           marking=marking)
        for kind, params, status, marking in [
            (JobKind.NUC_REPORT, {"year": 2026, "language": "uk"}, JobStatus.DONE,
             Marking.PARTNERSHIP),
            (JobKind.DONOR_REPORT, {"project": "demining-1", "language": "en"},
             JobStatus.FAILED, Marking.PUBLIC),
            (JobKind.NUC_REPORT, {"year": 2025, "language": "en"}, JobStatus.DONE, Marking.NATO),
        ]
    ]  # fmt: skip
    Job.objects.create(kind=JobKind.IATI_EXPORT, params={}, requested_by=User.objects.get(
        username="nato-editor"), marking=Marking.PUBLIC)  # fmt: skip
    # The first was asked for before the second
    Job.objects.filter(pk=made[0].pk).update(created_at=timezone.now() - dt.timedelta(hours=1))
    client = _as("ua-viewer")

    # When they export their files in Ukrainian, oldest first
    rows = _csv(client.get("/uk/prepared/", {"export": "csv", "sort": "asked"}))
    # Then the headings are the page's in Ukrainian, and only their own visible files
    assert rows[0] == ["Файл", "Замовлено", "Стан", "Гриф поширення"]
    assert len(rows) == 3 and rows[1][0].endswith(" 2026") and rows[2][0].endswith("demining-1")
    assert all(UK_MOMENT.match(r[1]) for r in rows[1:])
    # When they filter to donor reports, as a workbook
    sheet = _sheet(client.get("/uk/prepared/", {"export": "xlsx", "what": JobKind.DONOR_REPORT}))
    assert _headings(sheet) == rows[0] and len(_values(sheet)) == 1
    assert isinstance(_values(sheet)[0][1], dt.datetime)
    # And the page sorts by status and still offers to prepare a file
    page = client.get("/en/prepared/", {"sort": "status"}).content.decode()
    assert 'aria-sort="ascending"' in page and 'class="job-form"' in page


# Holdings


def test_holdings_sort_by_stock_number_filter_by_place_and_export_typed_quantities() -> None:
    from partnership.logistics.models import Location, SupplyItem

    call_command("load_logistics", "--demo", verbosity=0)
    client = _as("ua-logistician")
    # When the logistician exports the holdings in Ukrainian by NATO Stock Number
    rows = _csv(client.get("/uk/logistics/holdings/", {"export": "csv", "sort": "nsn"}))
    # Then the columns are the page's, quantity and its unit apart, in counting order
    assert rows[0] == ["Склад або підрозділ", "Номер НАТО за каталогом (NSN)", "Предмет",
                       "Кількість", "Одиниця видачі"]  # fmt: skip
    nsns = [r[1] for r in rows[1:]]
    assert nsns and nsns == sorted(nsns, key=natural_key)
    # And the workbook's quantities are numbers, in the same order when sorted by them
    sheet = _sheet(client.get("/uk/logistics/holdings/", {"export": "xlsx", "sort": "-quantity"}))
    quantities = [r[3] for r in _values(sheet)]
    assert quantities and all(isinstance(q, int | float) for q in quantities)
    assert quantities == sorted(quantities, reverse=True)
    # When filtered by one place, only its rows remain
    place = Location.objects.filter(balances__quantity__gt=0).first()
    assert place is not None
    one = _csv(client.get("/en/logistics/holdings/", {"export": "csv", "location": place.code}))
    assert len(one) > 1 and {r[0] for r in one[1:]} == {place.name_en}
    # Given an item only the US may see, the logistician's export no longer has it
    item = SupplyItem.objects.get(nsn=re.sub(r"\D", "", nsns[0]))
    SupplyItem.objects.filter(pk=item.pk).update(marking=Marking.NATIONS, releasable_to=",US,")
    after = _csv(client.get("/en/logistics/holdings/", {"export": "csv"}))
    assert nsns[0] not in [r[1] for r in after[1:]]


# SPS beneficiaries


def test_sps_beneficiaries_sort_filter_by_topic_and_export_money_in_ukrainian() -> None:
    from partnership.programmes.models import Grant, GrantStatus, Topic

    # Given a NATO-only awarded grant to Ukraine beside the public ones
    ukraine = Organization.objects.get(slug="ua")
    awarded = [GrantStatus.AWARDED, GrantStatus.COMPLETED]
    public = Grant.objects.filter(beneficiary=ukraine, status__in=awarded, marking=Marking.PUBLIC)
    template = public.first()
    assert template is not None
    Grant.objects.create(
        programme=template.programme, reference="G-HIDDEN-1", title_en="Hidden grant",
        topic=Topic.CYBER, status=GrantStatus.AWARDED, beneficiary=ukraine,
        ceiling_eur=Decimal(99_000), awarded_eur=Decimal(98_765), marking=Marking.NATO,
    )  # fmt: skip
    url = "/uk/programmes/sps/beneficiaries/"
    # When anyone exports the beneficiaries in Ukrainian, largest award first (the default)
    rows = _csv(Client().get(url, {"export": "csv"}))
    # Then the headings are Ukrainian, money is written as Ukrainian writes it
    assert rows[0] == ["Одержувач", "Гранти", "Надано (євро)", "Демонстраційні значення"]
    assert rows[1][0] == "Україна" and re.match(r"^€\d{1,3}(\xa0\d{3})*$", rows[1][2])
    # And the hidden grant counts only for those who may see it
    assert int(rows[1][1]) == public.count()
    staff = _csv(_as("nato-editor").get(url, {"export": "csv"}))
    assert int(staff[1][1]) == public.count() + 1
    # When sorted by name in a workbook, the money is typed
    sheet = _sheet(Client().get(url, {"export": "xlsx", "sort": "beneficiary"}))
    names = [r[0] for r in _values(sheet)]
    assert names == sorted(names, key=str.casefold)
    assert all(isinstance(r[2], int | float) for r in _values(sheet))
    assert sheet.cell(row=2, column=3).number_format == '"€"#,##0'
    # When NATO staff filter by topic, only the cyber grants count
    cyber = _csv(_as("nato-editor").get(url, {"export": "csv", "topic": Topic.CYBER}))
    expected = Grant.objects.filter(topic=Topic.CYBER, status__in=[GrantStatus.AWARDED,
                                                                   GrantStatus.COMPLETED])  # fmt: skip
    assert sum(int(r[1]) for r in cyber[1:]) == expected.count()
    page = Client().get(url, {"sort": "grants"}).content.decode()
    assert 'aria-sort="ascending"' in page and "export=csv" in page
    overview = Client().get("/en/programmes/").content.decode()
    assert "/en/programmes/sps/beneficiaries/" in overview


# Partnership Goals


def test_partnership_goals_sort_in_counting_order_filter_and_export_progress_as_a_share() -> None:
    from partnership.programmes.models import GoalStatus, PartnershipGoal

    # Given a NATO-only goal beside the partnership's ones
    PartnershipGoal.objects.create(code="G-0099", title_en="Hidden goal", cycle=2024,
                                   marking=Marking.NATO)  # fmt: skip
    url = "/uk/programmes/parp/goals/"
    # When the partner's viewer exports the goals in Ukrainian (by code, the default)
    rows = _csv(_as("ua-viewer").get(url, {"export": "csv"}))
    # Then the headings are Ukrainian, the codes in counting order, the NATO goal absent
    assert rows[0] == ["Ціль", "Цикл", "Стан", "Останнє оцінювання", "Хід виконання",
                       "Чим забезпечується"]  # fmt: skip
    codes = [r[0].split()[0] for r in rows[1:]]
    assert codes and codes == sorted(codes, key=natural_key) and "G-0099" not in codes
    assert any(re.match(r"^\d+,\d\xa0%$", r[4]) for r in rows[1:])
    # And the public sees none of them
    assert len(_csv(Client().get(url, {"export": "csv"}))) == 1
    # When NATO staff take them as a workbook, progress is a share with a percent format
    sheet = _sheet(_as("nato-editor").get(url, {"export": "xlsx", "sort": "-progress"}))
    assessed = [r[4] for r in _values(sheet) if r[4] is not None]
    assert assessed and all(0 <= p <= 1 for p in assessed)
    assert assessed == sorted(assessed, reverse=True)
    assert "G-0099 Hidden goal" in [r[0] for r in _values(sheet)]
    # When filtered by status, only those remain
    status = PartnershipGoal.objects.exclude(code="G-0099").first()
    assert status is not None
    filtered = _csv(_as("ua-viewer").get(url, {"export": "csv", "status": status.status}))
    with translation.override("uk"):
        label = str(GoalStatus(status.status).label)
    assert filtered[1:] and {r[2] for r in filtered[1:]} == {label}
    page = _as("ua-viewer").get("/en/programmes/parp/goals/", {"sort": "cycle"}).content.decode()
    assert 'aria-sort="ascending"' in page and 'data-testid="goals"' in page
