"""`partnership framework …`: the framework's writes from the command line, through the
services the pages and the API call, with the API's input schemas reading the values."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, NoReturn, get_args, get_origin

import pydantic
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DataError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Schema

from partnership.core.exceptions import ApplicationError, PermissionDeniedError, input_errors
from partnership.core.history import acting_as
from partnership.core.middleware import bad_input_message
from partnership.core.models import User
from partnership.framework import api, selectors, services, views

# Exit statuses, as scripts tell one refusal from another (2 is also argparse's own).
BAD_INPUT, REFUSED, NOT_FOUND = 2, 3, 4

MSG_NO_USER = gettext_lazy("--as: there is no active user “%(username)s”.")
MSG_NOT_A_FIELD = gettext_lazy(
    "“%(name)s” is not a field of a %(kind)s; its fields are: %(fields)s."
)
MSG_SET_FORM = gettext_lazy("--set: “%(value)s” is not NAME=VALUE.")
MSG_JSON_INVALID = gettext_lazy(
    "%(source)s: the JSON is not valid (line %(line)s, column %(column)s: %(reason)s); "
    "nothing was saved."
)
MSG_JSON_NOT_OBJECT = gettext_lazy("%(source)s: the JSON must be one object of fields.")
MSG_JSON_UNREADABLE = gettext_lazy("%(source)s: the file cannot be read (%(reason)s).")
MSG_LINK_FORM = gettext_lazy(
    '%(name)s: give KIND:KEY (e.g. anp.measure:1.1.1) or a JSON object {"kind", "key"}.'
)
MSG_CONFIRM = gettext_lazy(
    "%(step)s cannot be undone from here; add --yes to confirm that you mean it."
)

# The steps a confirmation is asked for, as the pages ask for it: a withdrawal (it takes the
# record out of every list and public page), an adoption and an objection to a silence
# procedure (neither can be taken back).
CONFIRMED = {
    "withdraw": gettext_lazy("Withdrawing a record"),
    "adopt": gettext_lazy("Adopting a decision"),
    "break-silence": gettext_lazy("Breaking silence"),
}


@dataclass(frozen=True)
class Kind:
    """One kind of the framework's records as the CLI writes it: the API's schemas and value
    function, the services, and the name of the record in the update service's arguments."""

    create_in: type[Schema]
    update_in: type[Schema]
    values: Callable[[User, Any], dict[str, Any]]
    create: Callable[..., Any]
    update: Callable[..., Any]
    record_arg: str
    out: type[Schema]
    # Fields of the create schema that are the service's own arguments, not values (the key).
    create_only: tuple[str, ...] = ()


def _ignoring_user(
    values: Callable[[Any], dict[str, Any]],
) -> Callable[[User, Any], dict[str, Any]]:
    return lambda user, payload: values(payload)


KINDS: dict[str, Kind] = {
    "body": Kind(
        api.BodyCreateIn, api.BodyIn, api.body_values, services.body_create,
        services.body_update, "body", api.BodyOut, ("slug",),
    ),
    "meeting": Kind(
        api.MeetingIn, api.MeetingIn, api.meeting_values, services.meeting_create,
        services.meeting_update, "meeting", api.MeetingOut,
    ),
    "decision": Kind(
        api.DecisionIn, api.DecisionIn, api.decision_values, services.decision_create,
        services.decision_update, "decision", api.DecisionOut,
    ),
    "action-item": Kind(
        api.ActionItemIn, api.ActionItemIn, api.action_values, services.action_item_create,
        services.action_item_update, "item", api.ActionItemOut,
    ),
    "agreement": Kind(
        api.AgreementCreateIn, api.AgreementIn, _ignoring_user(api.agreement_values),
        services.agreement_create, services.agreement_update, "agreement", api.AgreementOut,
        ("slug",),
    ),
    "milestone": Kind(
        api.MilestoneCreateIn, api.MilestoneIn, api.milestone_values, services.milestone_create,
        services.milestone_update, "milestone", api.MilestoneOut, ("number",),
    ),
}  # fmt: skip
OUT = {type_: kind.out for type_, kind in zip(
    ("Body", "Meeting", "Decision", "ActionItem", "Agreement", "Milestone"), KINDS.values(),
    strict=True,
)}  # fmt: skip


class Refusal(Exception):
    """Why the command stops, with its exit status; nothing has been saved."""

    def __init__(self, message: Any, status: int, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message, self.status, self.field = message, status, field


# ---- reading the values: the API's schemas, from JSON and NAME=VALUE ------------------------


def _is_list(annotation: Any) -> bool:
    return get_origin(annotation) is list


def _is_model(annotation: Any) -> bool:
    options = get_args(annotation) or (annotation,)
    return any(isinstance(o, type) and issubclass(o, pydantic.BaseModel) for o in options)


def _optional(annotation: Any) -> bool:
    return type(None) in get_args(annotation)


def _key_of(record: Any, annotation: Any) -> Any:
    """How a payload names a record: by its number where the schema takes an int, else by key."""
    if record is None:
        return None
    item = get_args(annotation)[0] if _is_list(annotation) else annotation
    return record.pk if int in (get_args(item) or (item,)) else record.slug


def _current(record: Any, schema: type[Schema]) -> dict[str, Any]:
    """The record as its update payload: what an update that sets nothing would send, so that
    `--set` changes only what it names (the API's PUT takes every field)."""
    data: dict[str, Any] = {}
    for name, field in schema.model_fields.items():
        if name == "releasable_to":
            data[name] = record.releasable_codes
        elif name in ("agenda", "agenda_uk"):
            title = "title_uk" if name == "agenda_uk" else "title_en"
            data[name] = [getattr(a, title) for a in record.agenda_items.order_by("position")]
        elif name == "linked":
            kind, key = selectors.linked_key(record.linked)
            data[name] = {"kind": kind, "key": key} if kind else None
        elif _is_list(field.annotation):
            data[name] = [_key_of(r, field.annotation) for r in getattr(record, name).all()]
        else:
            value = getattr(record, name)
            data[name] = value if not hasattr(value, "pk") else _key_of(value, field.annotation)
    # The agenda in Ukrainian is given line by line beside the English one: trailing blanks
    # are the English items without a translation.
    while data.get("agenda_uk") and not data["agenda_uk"][-1]:
        data["agenda_uk"].pop()
    return data


def _read_json(source: str) -> dict[str, Any]:
    name = _("standard input") if source == "-" else source
    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            with open(source, encoding="utf-8") as file:
                text = file.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise Refusal(MSG_JSON_UNREADABLE % {"source": name, "reason": exc}, BAD_INPUT) from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = MSG_JSON_INVALID % {
            "source": name, "line": exc.lineno, "column": exc.colno, "reason": exc.msg,
        }  # fmt: skip
        raise Refusal(message, BAD_INPUT, "--json") from exc
    if not isinstance(data, dict):
        raise Refusal(MSG_JSON_NOT_OBJECT % {"source": name}, BAD_INPUT, "--json")
    return data


def _link(name: str, value: str) -> Any:
    """A linked record as KIND:KEY, the way people type it, or as the API's JSON object."""
    if value.lstrip().startswith("{"):
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise Refusal(MSG_LINK_FORM % {"name": name}, BAD_INPUT, name) from exc
    kind, sep, key = value.partition(":")
    if not sep:
        raise Refusal(MSG_LINK_FORM % {"name": name}, BAD_INPUT, name)
    return {"kind": kind, "key": key}


def _apply_sets(data: dict[str, Any], sets: list[str], schema: type[Schema], kind: str) -> None:
    """`--set NAME=VALUE` over the payload. A list field takes one item per `--set` (the
    first replaces the list, `NAME=` empties it); an empty optional field is null. Every
    value stays text for the schema to read, as the API reads a form's JSON."""
    fields = schema.model_fields
    started: set[str] = set()
    for item in sets:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise Refusal(MSG_SET_FORM % {"value": item}, BAD_INPUT, "--set")
        if name not in fields:
            message = MSG_NOT_A_FIELD % {"name": name, "kind": kind, "fields": ", ".join(fields)}
            raise Refusal(message, BAD_INPUT, name)
        annotation = fields[name].annotation
        if _is_list(annotation):
            if name not in started:
                data[name] = []
                started.add(name)
            if value:
                data[name].append(value)
        elif value == "" and _optional(annotation):
            data[name] = None
        elif _is_model(annotation):
            data[name] = _link(name, value)
        else:
            data[name] = value


def _payload(schema: type[Schema], data: dict[str, Any]) -> Any:
    try:
        return schema.model_validate(data)
    except pydantic.ValidationError as exc:
        errors = input_errors(exc.errors())
        text = "\n".join(f"{e['field']}: {e['message']}" if e["field"] else e["message"]
                         for e in errors)  # fmt: skip
        raise Refusal(text, BAD_INPUT) from exc


# ---- the command -----------------------------------------------------------------------------


def _fields_help(schema: type[Schema]) -> str:
    lines = []
    for name, field in schema.model_fields.items():
        marks = [_("required")] if field.is_required() else []
        if _is_list(field.annotation):
            marks.append(_("one item per --set"))
        if field.description:
            marks.append(field.description)
        lines.append(f"    {name}" + (f"  ({'; '.join(marks)})" if marks else ""))
    return "\n".join(lines)


def _kinds_help(update: bool) -> str:
    parts = []
    for name, kind in KINDS.items():
        schema = kind.update_in if update else kind.create_in
        parts.append(f"  {name}:\n{_fields_help(schema)}")
    return _("fields of each kind (NAME for --set NAME=VALUE, or keys of the --json object):") + (
        "\n" + "\n".join(parts)
    )


HELP = gettext_lazy(
    "Create, edit, withdraw and restore the framework's records (bodies, meetings, "
    "decisions, action items, agreements, milestones) as a user, through the same "
    "services and checks as the pages and the API. "
    "Exit status: 2 bad input, 3 refused, 4 not found."
)


class Command(BaseCommand):
    help = str(HELP)

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        self.help = str(HELP)  # in the language active now (see run_from_argv)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def run_from_argv(self, argv: list[str]) -> None:
        # The help and the messages in the language asked for, before the parser is made.
        language = settings.LANGUAGE_CODE
        for i, arg in enumerate(argv):
            if arg == "--language" and i + 1 < len(argv):
                language = argv[i + 1]
            elif arg.startswith("--language="):
                language = arg.split("=", 1)[1]
        with translation.override(language if language in ("en", "uk") else None):
            super().run_from_argv(argv)

    def add_arguments(self, parser: CommandParser) -> None:
        steps = parser.add_subparsers(dest="step", required=True, metavar="STEP")
        formatter = argparse.RawDescriptionHelpFormatter

        def step(name: str, summary: str, epilog: str = "") -> CommandParser:
            sub: CommandParser = steps.add_parser(
                name, help=summary, description=summary, epilog=epilog, formatter_class=formatter
            )
            sub.add_argument("--as", dest="username", required=True, metavar="USERNAME",
                             help=_("the person who acts (an active user); what they may not "
                                    "see is “not found”"))  # fmt: skip
            sub.add_argument("--language", choices=("en", "uk"), default=None,
                             help=_("the language of messages and output (default: the "
                                    "site's LANGUAGE_CODE)"))  # fmt: skip
            sub.add_argument("--format", choices=("text", "json"), default="text",
                             help=_("text: the record's key and address; json: the record "
                                    "as the API answers it"))  # fmt: skip
            return sub

        def values(sub: CommandParser) -> None:
            sub.add_argument("--set", action="append", default=[], metavar="NAME=VALUE",
                             help=_("a field's value (repeat it; see the fields below)"))  # fmt: skip
            sub.add_argument("--json", metavar="FILE", dest="json_file",
                             help=_("the fields as the API's JSON object, from FILE or - "
                                    "(standard input); --set values go over it"))  # fmt: skip

        kinds = list(KINDS)
        create = step("create", _("create a record of a kind"), _kinds_help(update=False))
        create.add_argument("kind", choices=kinds)
        values(create)
        update = step("update", _("edit a record; fields not set keep their values"),
                      _kinds_help(update=True))  # fmt: skip
        update.add_argument("kind", choices=kinds)
        update.add_argument("key", help=_("the record's key: a number, or a body's or "
                                          "agreement's key"))  # fmt: skip
        values(update)
        withdraw = step("withdraw", _("withdraw a record (it is kept, with who, when and why)"))
        withdraw.add_argument("kind", choices=kinds)
        withdraw.add_argument("key")
        withdraw.add_argument("--reason", required=True, help=_("why it is withdrawn"))
        withdraw.add_argument("--yes", action="store_true", help=_("confirm the withdrawal"))
        restore = step("restore", _("bring a withdrawn record back"))
        restore.add_argument("kind", choices=kinds)
        restore.add_argument("key")
        adopt = step("adopt", _("adopt a decision (a draft, or one whose silence ended)"))
        adopt.add_argument("key", metavar="DECISION")
        adopt.add_argument("--yes", action="store_true", help=_("confirm the adoption"))
        silence = step("break-silence", _("object to a decision under silence procedure"))
        silence.add_argument("key", metavar="DECISION")
        silence.add_argument("--yes", action="store_true", help=_("confirm the objection"))
        status = step("status", _("move one or several action items to a status"),
                      _("statuses: open, in_progress, done, cancelled"))  # fmt: skip
        status.add_argument("keys", nargs="+", metavar="ACTION_ITEM")
        status.add_argument("--to", dest="status", required=True, metavar="STATUS",
                            help=_("the new status"))  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        language = options["language"] or settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                with transaction.atomic(), acting_as(self._user(options)):
                    records = self._step(options)
            except Refusal as exc:
                self._refuse(exc)
            except PermissionDeniedError as exc:
                self._refuse(Refusal(exc.message, REFUSED))
            except ApplicationError as exc:
                self._refuse(Refusal(exc.message, BAD_INPUT, exc.field))
            except (DataError, OverflowError) as exc:
                self._refuse(Refusal(bad_input_message(exc), BAD_INPUT))
            for record in records:
                self._report(record, options)

    def _user(self, options: dict[str, Any]) -> User:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise Refusal(MSG_NO_USER % {"username": options["username"]}, BAD_INPUT)
        return user

    def _step(self, options: dict[str, Any]) -> list[Any]:
        user = self._user(options)
        step = options["step"]
        if step == "status":
            items = [self._found(user, "action-item", key) for key in options["keys"]]
            payload = _payload(api.BulkStatusIn, {"ids": [i.pk for i in items],
                                                  "status": options["status"]})  # fmt: skip
            if len(items) == 1:
                return [services.action_item_set_status(by=user, item=items[0],
                                                        status=payload.status)]  # fmt: skip
            return services.action_items_bulk_set_status(
                by=user, items=items, status=payload.status
            )
        if step in ("adopt", "break-silence"):
            decision = self._found(user, "decision", options["key"])
            self._confirmed(step, options)
            if step == "adopt":
                return [services.decision_adopt(by=user, decision=decision)]
            return [services.decision_break_silence(by=user, decision=decision)]
        kind = KINDS[options["kind"]]
        if step == "create":
            data = _read_json(options["json_file"]) if options["json_file"] else {}
            _apply_sets(data, options["set"], kind.create_in, options["kind"])
            payload = _payload(kind.create_in, data)
            extra = {name: getattr(payload, name) for name in kind.create_only}
            return [kind.create(by=user, **extra, **kind.values(user, payload))]
        record = self._found(user, options["kind"], options["key"])
        if step == "update":
            data = _current(record, kind.update_in)
            if options["json_file"]:
                data.update(_read_json(options["json_file"]))
            _apply_sets(data, options["set"], kind.update_in, options["kind"])
            payload = _payload(kind.update_in, data)
            values = kind.values(user, payload)
            return [kind.update(by=user, **{kind.record_arg: record}, **values)]
        if step == "withdraw":
            reason = _payload(api.WithdrawIn, {"reason": options["reason"]}).reason
            self._confirmed(step, options)
            return [services.record_withdraw(by=user, record=record, reason=reason)]
        return [services.record_restore(by=user, record=record)]

    def _found(self, user: User, kind: str, key: str) -> Any:
        """The record as its page and API route find it: one the user may not see is not found."""
        record = views.KINDS[kind][0](user, key)
        if record is None:
            raise Refusal(services.MSG_NOT_FOUND, NOT_FOUND)
        return record

    def _confirmed(self, step: str, options: dict[str, Any]) -> None:
        if not options.get("yes"):
            raise Refusal(MSG_CONFIRM % {"step": CONFIRMED[step]}, BAD_INPUT, "--yes")

    def _refuse(self, exc: Refusal) -> NoReturn:
        message = f"{exc.field}: {exc.message}" if exc.field else str(exc.message)
        if getattr(self, "_called_from_command_line", False):
            # As people read it: the translated reason alone, no exception name before it.
            self.stderr.write(message)
            sys.exit(exc.status)
        raise CommandError(message, returncode=exc.status)

    def _report(self, record: Any, options: dict[str, Any]) -> None:
        if options["format"] == "json":
            out = OUT[type(record).__name__]
            reader = SimpleNamespace(user=User.objects.get(username=options["username"]))
            shown = out.from_orm(record, context={"request": reader})
            self.stdout.write(json.dumps(shown.model_dump(mode="json"), ensure_ascii=False))
            return
        kind = next(k for k in views.KINDS if type(record).__name__.lower() == k.replace("-", ""))
        key = getattr(record, views.KINDS[kind][2])
        url = settings.SITE_URL + views.record_url(record)
        self.stdout.write(f"{views.KINDS[kind][3]} {key}: {url}")
