"""`partnership framework …`: the framework's writes from the command line, through the
services and the API's schemas, with the same refusals as pages and API."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from partnership.core.models import Marking, User
from partnership.framework import services
from partnership.framework.management.commands.framework import KINDS
from partnership.framework.models import (
    ActionItem,
    ActionStatus,
    Body,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingLevel,
    Milestone,
)
from tests.partnership.production.conftest import (  # noqa: F401 (the fixtures, used below)
    ROOT,
    migrated_sqlite,
    production_env,
    sqlite_copy,
)

pytestmark = pytest.mark.django_db

MEETING = ["--set", "body=nuc", "--set", "level=ambassadors", "--set", "date=2026-12-15",
           "--set", "title_en=CLI meeting", "--set", "marking=PARTNERSHIP"]  # fmt: skip


def run(*args: str) -> tuple[str, str]:
    """The command as `call_command` runs it: its output, or CommandError with the status."""
    out, err = io.StringIO(), io.StringIO()
    call_command("framework", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        run(*args)
    return caught.value


def user(name: str) -> User:
    return User.objects.get(username=name)


def nato_meeting() -> Meeting:
    """A meeting marked NATO: partner staff may not see it."""
    return services.meeting_create(
        by=user("nato-editor"), body=Body.objects.get(slug="nuc"),
        level=MeetingLevel.AMBASSADORS, title_en="NATO-only CLI meeting", date="2026-11-20",
        marking=Marking.NATO,
    )  # fmt: skip


def test_an_editor_creates_a_meeting_with_its_agenda_and_gets_its_address() -> None:
    # Given the NUC and an editor
    # When the editor creates a meeting with two agenda items, one translated
    out, _ = run("create", "meeting", "--as", "nato-editor", *MEETING,
                 "--set", "agenda=Security", "--set", "agenda=ANP",
                 "--set", "agenda_uk=Безпека")  # fmt: skip
    # Then it is saved through the service, with its agenda, and its address is printed
    meeting = Meeting.objects.get(title_en="CLI meeting")
    assert [a.title_en for a in meeting.agenda_items.order_by("position")] == ["Security", "ANP"]
    assert [a.title_uk for a in meeting.agenda_items.order_by("position")] == ["Безпека", ""]
    assert out.strip().endswith(f"/en/framework/meetings/{meeting.pk}/")
    assert f"meeting {meeting.pk}:" in out
    assert meeting.history.first().history_user == user("nato-editor")  # type: ignore[attr-defined]


def test_an_update_changes_only_what_it_sets_and_json_output_is_the_apis() -> None:
    # Given a meeting with an agenda and participants
    run("create", "meeting", "--as", "nato-editor", *MEETING, "--set", "agenda=Security",
        "--set", "participants=ua", "--set", "place_en=Brussels")  # fmt: skip
    meeting = Meeting.objects.get(title_en="CLI meeting")
    # When the editor changes the title only, asking for JSON
    out, _ = run("update", "meeting", str(meeting.pk), "--as", "nato-editor",
                 "--set", "title_en=CLI meeting, renamed", "--format", "json")  # fmt: skip
    # Then the rest is kept and the output is the API's MeetingOut
    meeting.refresh_from_db()
    assert meeting.title_en == "CLI meeting, renamed"
    assert meeting.place_en == "Brussels"
    assert [o.slug for o in meeting.participants.all()] == ["ua"]
    shown = json.loads(out)
    assert shown["id"] == meeting.pk
    assert shown["agenda"] == ["Security"]
    assert shown["date"]["edtf"] == "2026-12-15"
    assert shown["body"] == "nuc"


def test_values_are_read_from_a_json_file_with_set_over_it(tmp_path: Path) -> None:
    # Given the API's payload in a file
    payload = {"kind": "office", "name_en": "CLI liaison office", "marking": "PARTNERSHIP",
               "members": ["ua"], "established": "2026-03"}  # fmt: skip
    source = tmp_path / "body.json"
    source.write_text(json.dumps(payload), encoding="utf-8")
    # When the body is created from it, the abbreviation given with --set
    out, _ = run("create", "body", "--as", "nato-editor", "--json", str(source),
                 "--set", "abbreviation=CLO")  # fmt: skip
    # Then both are used, and the key is made from the abbreviation as in the API
    body = Body.objects.get(slug="clo")
    assert body.name_en == "CLI liaison office"
    assert body.established == "2026-03"
    assert "/en/framework/bodies/clo/" in out


def test_bad_input_is_refused_in_ukrainian_naming_the_field_and_nothing_is_saved() -> None:
    # Given a meeting whose date is not a date
    before = Meeting.objects.count()
    args = [a.replace("date=2026-12-15", "date=колись") for a in MEETING]
    # When it is sent with --language uk
    error = refused("create", "meeting", "--as", "nato-editor", "--language", "uk", *args)
    # Then the refusal is in Ukrainian, names the field, is status 2, and nothing is saved
    assert error.returncode == 2
    assert str(error).startswith("date: ")
    assert any("а" <= ch <= "я" for ch in str(error)), str(error)
    assert Meeting.objects.count() == before


def test_a_missing_required_field_is_named_as_the_api_names_it() -> None:
    # Given a meeting without a title
    args = MEETING[:6] + MEETING[8:]
    # When it is created, in Ukrainian
    error = refused("create", "meeting", "--as", "nato-editor", "--language", "uk", *args)
    # Then the schema's refusal names title_en, in the words of the API's 422 answer
    assert error.returncode == 2
    assert str(error) == "title_en: Це поле обов'язкове.", str(error)


def test_an_unknown_field_is_refused_with_the_kinds_fields() -> None:
    error = refused("create", "milestone", "--as", "nato-editor", "--set", "colour=red")
    assert error.returncode == 2
    assert "“colour” is not a field of a milestone" in str(error)
    assert "text_uk" in str(error)


def test_an_interrupted_json_file_is_refused_and_nothing_is_saved(tmp_path: Path) -> None:
    # Given a payload cut off in the middle (a copy interrupted)
    source = tmp_path / "meeting.json"
    source.write_text('{"body": "nuc", "level": "ambassadors",\n "title_en": "Cut', "utf-8")
    before = Meeting.objects.count()
    # When it is given to create
    error = refused("create", "meeting", "--as", "nato-editor", "--json", str(source))
    # Then the file is named with where it stops, status 2, and nothing is saved
    assert error.returncode == 2
    assert str(error).startswith(f"--json: {source}: the JSON is not valid (line 2")
    assert Meeting.objects.count() == before


def test_json_that_is_not_an_object_of_fields_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "list.json"
    source.write_text('["nuc"]', "utf-8")
    error = refused("create", "body", "--as", "nato-editor", "--json", str(source))
    assert error.returncode == 2
    assert "must be one object of fields" in str(error)


def test_a_role_that_may_not_write_is_refused_with_the_services_reason() -> None:
    # Given a viewer
    # When the viewer creates a meeting
    error = refused("create", "meeting", "--as", "ua-viewer", *MEETING)
    # Then it is refused (status 3) with the service's own reason, and nothing is saved
    assert error.returncode == 3
    assert str(error) == str(services.MSG_EDITORS_ONLY)
    assert not Meeting.objects.filter(title_en="CLI meeting").exists()


def test_a_record_the_user_may_not_see_is_not_found() -> None:
    # Given a NATO-only meeting, and a partner editor who may not see it
    meeting = nato_meeting()
    assert not services.can_see(user("ua-coordinator"), meeting)
    # When the partner editor edits and withdraws it
    edit = refused("update", "meeting", str(meeting.pk), "--as", "ua-coordinator",
                   "--set", "title_en=Seen")  # fmt: skip
    withdraw = refused("withdraw", "meeting", str(meeting.pk), "--as", "ua-coordinator",
                       "--reason", "x", "--yes")  # fmt: skip
    # Then both are "not found" (status 4), as the API's 404, and the meeting is unchanged
    assert (edit.returncode, withdraw.returncode) == (4, 4)
    assert str(edit) == str(services.MSG_NOT_FOUND)
    meeting.refresh_from_db()
    assert meeting.title_en == "NATO-only CLI meeting" and meeting.withdrawn_at is None


def test_a_payload_pointing_at_a_hidden_record_is_refused_on_its_field() -> None:
    # Given a NATO-only meeting
    meeting = nato_meeting()
    # When a partner editor creates a decision of that meeting
    error = refused("create", "decision", "--as", "ua-coordinator", "--set", "title_en=D",
                    "--set", f"meeting={meeting.pk}", "--set", "marking=PARTNERSHIP")  # fmt: skip
    # Then the meeting is refused as unknown, on its field
    assert error.returncode == 2
    assert str(error) == f"meeting: {services.MSG_NOT_FOUND}"


def test_an_unknown_or_inactive_user_may_not_act() -> None:
    User.objects.filter(username="ua-viewer").update(is_active=False)
    for name in ("nobody-at-all", "ua-viewer"):
        error = refused("create", "body", "--as", name, "--set", "name_en=X")
        assert error.returncode == 2
        assert str(error) == f"--as: there is no active user “{name}”."


def test_withdraw_needs_yes_then_keeps_the_reason_and_restore_brings_it_back() -> None:
    # Given a milestone
    run("create", "milestone", "--as", "nato-editor", "--set", "date=2026-06",
                 "--set", "text_en=CLI milestone", "--set", "text_uk=Віха з CLI",
                 "--set", "theme=political", "--set", "marking=PUBLIC")  # fmt: skip
    milestone = Milestone.objects.get(text_en="CLI milestone")
    number = str(milestone.number)
    # When it is withdrawn without --yes
    error = refused("withdraw", "milestone", number, "--as", "nato-editor", "--reason", "Twice")
    # Then it is refused, saying so, and nothing changes
    assert error.returncode == 2 and "--yes" in str(error)
    milestone.refresh_from_db()
    assert milestone.withdrawn_at is None
    # When it is withdrawn with --yes, then restored
    run("withdraw", "milestone", number, "--as", "nato-editor", "--reason", "Twice", "--yes")
    milestone.refresh_from_db()
    assert milestone.withdrawn_at is not None and milestone.withdrawal_reason == "Twice"
    run("restore", "milestone", number, "--as", "nato-editor")
    # Then it is back, and restoring again is refused with the service's message
    milestone.refresh_from_db()
    assert milestone.withdrawn_at is None
    again = refused("restore", "milestone", number, "--as", "nato-editor")
    assert again.returncode == 2 and str(again) == str(services.MSG_NOT_WITHDRAWN)


def test_an_empty_withdrawal_reason_is_refused_on_the_reason() -> None:
    meeting = nato_meeting()
    error = refused("withdraw", "meeting", str(meeting.pk), "--as", "nato-editor",
                    "--reason", "", "--yes")  # fmt: skip
    assert error.returncode == 2 and str(error).startswith("reason: ")


def test_a_decision_goes_through_silence_and_is_adopted_only_with_yes() -> None:
    # Given a decision under silence procedure until tomorrow
    deadline = (timezone.now() + dt.timedelta(days=1)).isoformat()
    run("create", "decision", "--as", "nato-editor", "--set", "title_en=CLI decision",
                 "--set", "reference=C-M(2026)0099", "--set", f"silence_deadline={deadline}",
                 "--set", "marking=PARTNERSHIP")  # fmt: skip
    decision = Decision.objects.get(reference="C-M(2026)0099")
    assert decision.status == DecisionStatus.UNDER_SILENCE
    # When a partner (not an Ally) breaks silence: refused
    assert refused("break-silence", str(decision.pk), "--as", "ua-viewer", "--yes").returncode == 3
    # When an Ally's assessor breaks it without --yes, then with it
    assert refused("break-silence", str(decision.pk), "--as", "ally-assessor").returncode == 2
    run("break-silence", str(decision.pk), "--as", "ally-assessor", "--yes")
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.SILENCE_BROKEN
    assert decision.silence_broken_by == user("ally-assessor")
    # When it is redrafted without silence and adopted by NATO's approver with --yes
    run("update", "decision", str(decision.pk), "--as", "nato-editor",
        "--set", "silence_deadline=")  # fmt: skip
    assert refused("adopt", str(decision.pk), "--as", "nato-approver").returncode == 2
    assert refused("adopt", str(decision.pk), "--as", "ua-approver", "--yes").returncode == 3
    run("adopt", str(decision.pk), "--as", "nato-approver", "--yes")
    # Then it is adopted, by whom the service records
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ADOPTED
    assert decision.adopted_by == user("nato-approver")


def test_action_items_are_created_linked_and_moved_one_or_several_at_a_time() -> None:
    # Given two action items for Ukraine, one linked to an agreement by KIND:KEY
    agreement = services.Agreement.objects.filter(marking=Marking.PUBLIC).first()
    assert agreement is not None
    for title in ("CLI action one", "CLI action two"):
        run("create", "action-item", "--as", "nato-editor", "--set", f"title_en={title}",
            "--set", "owner=ua", "--set", "deadline=2026-12-31",
            "--set", f"linked=framework.agreement:{agreement.slug}",
            "--set", "marking=PARTNERSHIP")  # fmt: skip
    one, two = ActionItem.objects.filter(title_en__startswith="CLI action").order_by("pk")
    assert one.linked == agreement and one.deadline == dt.date(2026, 12, 31)
    # When the first is moved alone, then both together
    run("status", str(one.pk), "--as", "nato-editor", "--to", ActionStatus.IN_PROGRESS)
    assert ActionItem.objects.get(pk=one.pk).status == ActionStatus.IN_PROGRESS
    out, _ = run("status", str(one.pk), str(two.pk), "--as", "nato-editor", "--to", "done")
    # Then both are done, each address printed; a status that is none is refused on its field
    assert set(
        ActionItem.objects.filter(pk__in=[one.pk, two.pk]).values_list("status", flat=True)
    ) == {"done"}
    assert len(out.strip().splitlines()) == 2
    error = refused("status", str(one.pk), "--as", "nato-editor", "--to", "finished")
    assert error.returncode == 2 and str(error).startswith("status: ")


def test_a_bad_link_is_refused_on_the_link() -> None:
    error = refused("create", "action-item", "--as", "nato-editor", "--set", "title_en=T",
                    "--set", "owner=ua", "--set", "linked=no-colon-here",
                    "--set", "marking=PARTNERSHIP")  # fmt: skip
    assert error.returncode == 2 and str(error).startswith("linked: ")


def test_help_names_every_kind_and_its_fields(capsys: pytest.CaptureFixture[str]) -> None:
    # When the create step's help is asked for
    with pytest.raises(SystemExit):
        call_command("framework", "create", "--help")
    shown = capsys.readouterr().out
    # Then it lists each kind with the fields of the API's input schema
    for kind, spec in KINDS.items():
        assert f"  {kind}:" in shown
        for field in spec.create_in.model_fields:
            assert f"    {field}" in shown


# ---- through the installed entry point ---------------------------------------------------------


def test_the_installed_command_writes_and_exits_with_the_refusals_status(
    tmp_path: Path,
    sqlite_copy: Path,  # noqa: F811 (the imported fixture)
) -> None:
    """One run of the real `partnership` script, in a process of its own, on a database file:
    the exit statuses and the stderr message are what a shell script sees."""
    partnership = str(Path(sys.executable).parent / "partnership")
    database = f"sqlite:///{sqlite_copy}"  # migrated once for the session (slow to migrate)
    env = production_env(tmp_path, database)

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([partnership, *args], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=1200)  # fmt: skip

    # Given a database with the factsheet and the demo users
    for setup in (("load-factsheet", "--no-progress"), ("demo-users",)):
        done = cli(*setup)
        assert done.returncode == 0, done.stderr[-2000:]
    # When an editor creates a body, and a viewer tries to, in Ukrainian
    made = cli("framework", "create", "body", "--as", "nato-editor", "--set", "kind=office",
               "--set", "name_en=Script office", "--set", "marking=PARTNERSHIP")  # fmt: skip
    viewer = cli("framework", "create", "body", "--as", "ua-viewer", "--language", "uk",
                 "--set", "kind=office", "--set", "name_en=X", "--set", "marking=PARTNERSHIP")  # fmt: skip
    hidden = cli("framework", "restore", "meeting", "999999", "--as", "nato-editor")
    # Then the first prints the body's address, the second is refused in Ukrainian (3),
    # with the translated reason alone on stderr, and a record that is not there is 4
    assert made.returncode == 0, made.stderr
    assert "/en/framework/bodies/script-office/" in made.stdout
    assert viewer.returncode == 3, viewer.stderr
    assert viewer.stderr.strip() == "Це можуть робити лише редактори.", viewer.stderr
    assert hidden.returncode == 4


def test_a_silence_deadline_without_a_zone_is_the_sites_local_time() -> None:
    # Given a deadline written as people write it, without a time zone
    tomorrow = (timezone.localtime() + dt.timedelta(days=1)).replace(microsecond=0)
    written = tomorrow.replace(tzinfo=None).isoformat()
    # When a decision is created with it
    run("create", "decision", "--as", "nato-editor", "--set", "title_en=Local deadline",
        "--set", f"silence_deadline={written}", "--set", "marking=PARTNERSHIP")  # fmt: skip
    # Then it is read in the site's time zone (not refused, not a crash comparing times)
    decision = Decision.objects.get(title_en="Local deadline")
    assert decision.silence_deadline == tomorrow
    assert decision.status == DecisionStatus.UNDER_SILENCE


def test_an_update_keeps_who_requested_an_extraordinary_meeting_and_why() -> None:
    # Given a meeting requested by Ukraine, with its reason
    run("create", "meeting", "--as", "nato-editor", *MEETING, "--set", "requested_by=ua",
        "--set", "trigger_en=Aggression in the Black Sea")  # fmt: skip
    meeting = Meeting.objects.get(title_en="CLI meeting")
    # When only its place is changed
    run("update", "meeting", str(meeting.pk), "--as", "nato-editor", "--set", "place_en=Kyiv")
    # Then who requested it and why are kept
    meeting.refresh_from_db()
    assert (meeting.place_en, meeting.requested_by.slug) == ("Kyiv", "ua")  # type: ignore[union-attr]
    assert meeting.trigger_en == "Aggression in the Black Sea"
