"""Loads the factsheet data file into the database: all of it, in one transaction, or nothing."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from tqdm import tqdm

from partnership.core.glossary import ukrainian_problems
from partnership.core.models import Figure, Marking, Membership, Organization, OrganizationKind
from partnership.core.partial_dates import PartialDate
from partnership.framework.models import (
    Agreement,
    AgreementKind,
    Body,
    BodyKind,
    Meeting,
    MeetingLevel,
    Milestone,
    Theme,
)
from partnership.operations.models import Contribution, ContributionKind, Operation, OperationKind
from partnership.programmes.models import (
    Assistance,
    AssistanceDirection,
    Event,
    EventKind,
    Institution,
    Programme,
)
from partnership.public.models import FactsheetParagraph, FactsheetSection, ParagraphKind


class FactsheetDataError(Exception):
    """A malformed data file: names the file, the line and the reason."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{self.path}:{line if line is not None else '?'}: {reason}")


class _Mapping(dict[str, Any]):
    """A YAML mapping that remembers the line it starts on and which of its keys were read.

    A key nobody read is a fact the loader would silently drop: a misspelt field, or the tail
    of a text cut at an unquoted comma in an inline mapping (“{en: nuclear, biological}”).
    """

    line: int = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.read: set[str] = set()
        self.lines: dict[str, int] = {}

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        if isinstance(key, str):
            self.read.add(key)
        return super().__contains__(key)

    def unread(self) -> list[tuple[str, int]]:
        """Keys never read, here and in the mappings and lists within, with their lines."""
        found = [
            (str(key), self.lines.get(str(key), self.line)) for key in self if key not in self.read
        ]
        for value in self.values():
            for inner in value if isinstance(value, list) else [value]:
                if isinstance(inner, _Mapping):
                    found.extend(inner.unread())
        return found


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that keeps line numbers and leaves dates as text (EDTF is parsed by us)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping(loader.construct_pairs(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.lines = {
        str(key_node.value): key_node.start_mark.line + 1 for key_node, _value in node.value
    }
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0

    def count(self, kind: str, created: bool, changed: bool) -> None:
        if created:
            self.created[kind] = self.created.get(kind, 0) + 1
        elif changed:
            self.updated[kind] = self.updated.get(kind, 0) + 1
        else:
            self.unchanged += 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class _Reader:
    """Reads one record of the file and raises FactsheetDataError at its line."""

    def __init__(self, path: Path, record: Any, what: str) -> None:
        self.path = path
        self.what = what
        if not isinstance(record, _Mapping):
            raise FactsheetDataError(
                path, None, _("each %(what)s must be a mapping") % {"what": what}
            )
        self.record = record

    def fail(self, reason: str) -> FactsheetDataError:
        return FactsheetDataError(self.path, self.record.line, f"{self.what}: {reason}")

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.record.get(key)
        if value is None or value == "":
            if required:
                raise self.fail(_("“%(key)s” is missing") % {"key": key})
            return ""
        if isinstance(value, dict | list):
            raise self.fail(_("“%(key)s” must be text") % {"key": key})
        return str(value).strip()

    def bilingual(
        self, key: str, *, required: bool = True, uk_required: bool = False
    ) -> tuple[str, str]:
        value = self.record.get(key)
        if value is None and not required:
            return "", ""
        if not isinstance(value, dict) or not str(value.get("en") or "").strip():
            raise self.fail(_("“%(key)s” needs an English text under “en”") % {"key": key})
        uk = str(value.get("uk") or "").strip()
        if uk_required and not uk:
            raise self.fail(_("“%(key)s” needs a Ukrainian text under “uk”") % {"key": key})
        self.glossary(key, uk)
        return str(value["en"]).strip(), uk

    def glossary(self, key: str, uk: str) -> None:
        """A Ukrainian text writes acronyms and names as the glossary does."""
        problems = ukrainian_problems(uk)
        if problems:
            raise self.fail(f"“{key}”: {problems[0]}")

    def choice(self, key: str, choices: type[models.TextChoices]) -> str:
        value = self.text(key)
        if value not in choices.values:
            raise self.fail(
                _("“%(value)s” is not a valid %(key)s (one of: %(choices)s)")
                % {"value": value, "key": key, "choices": ", ".join(choices.values)}
            )
        return value

    def edtf(self, key: str, *, required: bool = True) -> str:
        value = self.text(key, required=required)
        if not value:
            return ""
        try:
            PartialDate.parse(value)
        except ValidationError:
            raise self.fail(
                _("“%(value)s” in “%(key)s” is not an EDTF date") % {"value": value, "key": key}
            ) from None
        return value

    def line(self) -> int | None:
        value = self.record.get("line")
        if value is None:
            return None
        if not isinstance(value, int) or value < 1:
            raise self.fail(_("“line” must be a positive line number"))
        return value

    def keys(self, key: str, index: dict[str, Any], *, within: Any = None) -> list[Any]:
        source = within if within is not None else self.record
        values = source.get(key) or []
        if not isinstance(values, list):
            raise self.fail(_("“%(key)s” must be a list") % {"key": key})
        found = []
        for value in values:
            if str(value) not in index:
                raise self.fail(
                    _("“%(value)s” in “%(key)s” is not defined in this file")
                    % {"value": value, "key": key}
                )
            found.append(index[str(value)])
        return found

    def ref(self, key: str, index: dict[str, Any]) -> Any:
        value = self.record.get(key)
        if value in (None, ""):
            return None
        if str(value) not in index:
            raise self.fail(
                _("“%(value)s” in “%(key)s” is not defined in this file")
                % {"value": value, "key": key}
            )
        return index[str(value)]


def _save(
    model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]
) -> tuple[Any, bool, bool]:
    """Creates or updates one row, writing (and so adding history) only when something differs."""
    found = model._default_manager.filter(**lookup).first()
    created = found is None
    instance: models.Model = model(**lookup) if found is None else found
    changed = created
    for name, value in values.items():
        field = model._meta.get_field(name)
        if isinstance(field, models.ForeignKey):
            # Compare keys: reading an unset relation raises, and keys are what is stored.
            current = getattr(instance, field.attname)
            wanted = value.pk if value is not None else None
        else:
            current, wanted = getattr(instance, name), value
        if current != wanted:
            setattr(instance, name, value)
            changed = True
    if changed:
        instance.full_clean(validate_unique=False, validate_constraints=False)
        instance.save()
    return instance, created, changed


def _set_m2m(manager: Any, items: Iterable[models.Model]) -> bool:
    wanted = {item.pk for item in items}
    if set(manager.values_list("pk", flat=True)) == wanted:
        return False
    manager.set(wanted)
    return True


def read_file(path: Path) -> _Mapping:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise FactsheetDataError(path, None, exc.strerror or str(exc)) from exc
    except UnicodeDecodeError as exc:
        raise FactsheetDataError(path, None, _("the file is not UTF-8 text")) from exc
    try:
        document = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        reason = str(exc.problem or exc)
        if exc.context and exc.context_mark:
            reason = f"{exc.context} (line {exc.context_mark.line + 1}): {reason}"
        raise FactsheetDataError(path, line, reason) from exc
    except yaml.YAMLError as exc:
        raise FactsheetDataError(path, None, str(exc)) from exc
    if not isinstance(document, _Mapping):
        raise FactsheetDataError(path, 1, _("the file must hold a mapping of sections"))
    return document


SECTIONS = (
    "organizations",
    "memberships",
    "bodies",
    "agreements",
    "meetings",
    "figures",
    "sections",
    "milestones",
    "operations",
    "contributions",
    "programmes",
    "institutions",
    "events",
    "assistance",
    "trust_funds",
)


SINGULAR = {"bodies": "body", "trust_funds": "trust fund", "memberships": "membership"}


@transaction.atomic
def factsheet_load(*, path: Path, progress: bool = False) -> LoadReport:
    """Loads every fact of the data file; a second run with the same file changes nothing."""
    document = read_file(path)
    for name in SECTIONS:
        if not isinstance(document.get(name) or [], list):
            raise FactsheetDataError(
                path, document.line, _("“%(key)s” must be a list") % {"key": name}
            )
    total = sum(len(document.get(name) or []) for name in SECTIONS)
    report = LoadReport()
    bar = tqdm(total=total, desc=_("Loading the factsheet"), unit=" facts", disable=not progress)
    steps: list[tuple[str, Callable[[_Reader, dict[str, dict[str, Any]], LoadReport], None]]] = [
        ("organizations", _load_organization),
        ("memberships", _load_membership),
        ("bodies", _load_body),
        ("agreements", _load_agreement),
        ("meetings", _load_meeting),
        ("figures", _load_figure),
        ("sections", _load_section),
        ("milestones", _load_milestone),
        ("operations", _load_operation),
        ("contributions", _load_contribution),
        ("programmes", _load_programme),
        ("institutions", _load_institution),
        ("events", _load_event),
        ("assistance", _load_assistance),
        ("trust_funds", _load_trust_fund),
    ]
    index: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    seen_keys: dict[str, set[str]] = {name: set() for name in SECTIONS}
    try:
        for name, loader in steps:
            for record in document.get(name) or []:
                reader = _Reader(path, record, SINGULAR.get(name, name.rstrip("s")))
                key = _record_key(record)
                if key in seen_keys[name]:
                    raise reader.fail(_("“%(key)s” appears twice") % {"key": key})
                seen_keys[name].add(key)
                try:
                    loader(reader, index, report)
                except ValidationError as exc:
                    raise reader.fail("; ".join(exc.messages)) from None
                for unread, line in reader.record.unread():
                    raise FactsheetDataError(
                        path,
                        line,
                        _(
                            "%(what)s: “%(key)s” is not a field of it (a text cut at an "
                            "unquoted comma? quote the text or write it on its own line)"
                        )
                        % {"what": reader.what, "key": unread},
                    )
                bar.update(1)
    finally:
        bar.close()
    return report


def _record_key(record: Any) -> str:
    if not isinstance(record, dict):
        return ""
    if "member" in record:
        return f"{record.get('member')}/{record.get('group')}/{record.get('since')}"
    return str(record.get("key", record.get("number", record.get("line", ""))))


def _source(reader: _Reader) -> dict[str, Any]:
    """Where a record comes from: its factsheet line, and for what the factsheet does not
    state (a name, a date), the `source` it comes from instead."""
    values: dict[str, Any] = {"source_line": reader.line()}
    elsewhere = reader.text("source", required=False)
    if elsewhere:
        values["source_text"] = elsewhere
    return values


def _load_membership(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    """A dated membership; a fact the factsheet does not state says where it comes from."""
    member = r.ref("member", index["organizations"])
    group = r.ref("group", index["organizations"])
    if member is None or group is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "member/group"})
    line, source = r.line(), r.text("source", required=False)
    if line is None and not source:
        raise r.fail(_("a fact the factsheet does not state needs its “source”"))
    since = r.edtf("since")
    membership, created, changed = _save(
        Membership,
        {"member": member, "group": group, "since": since},
        {"until": r.edtf("until", required=False), "source_line": line, "source_text": source},
    )
    index["memberships"][_record_key(r.record)] = membership
    report.count("memberships", created, changed)


def _load_organization(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    kind = r.choice("kind", OrganizationKind)
    values = {
        "kind": kind,
        "name_en": name_en,
        "name_uk": name_uk,
        "abbreviation": r.text("abbreviation", required=False),
        "country_code": r.text("country_code", required=False).upper(),
        "parent": r.ref("parent", index["organizations"]),
    }
    try:
        org, created, changed = _save(Organization, {"slug": key}, values)
    except ValidationError as exc:
        raise r.fail("; ".join(exc.messages)) from None
    index["organizations"][key] = org
    report.count("organizations", created, changed)


def _load_body(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    description_en, description_uk = r.bilingual("description", required=False)
    chair_en, chair_uk = r.bilingual("chair", required=False)
    values = {
        "kind": r.choice("kind", BodyKind),
        "name_en": name_en,
        "name_uk": name_uk,
        "abbreviation": r.text("abbreviation", required=False),
        "description_en": description_en,
        "description_uk": description_uk,
        "chair_en": chair_en,
        "chair_uk": chair_uk,
        "established": r.edtf("established", required=False),
        "parent": r.ref("parent", index["bodies"]),
        "marking": Marking.PUBLIC,
        "source_text": r.text("source", required=False),
        **_source(r),
    }
    members = r.keys("members", index["organizations"])
    body, created, changed = _save(Body, {"slug": key}, values)
    changed |= _set_m2m(body.members, members)
    index["bodies"][key] = body
    report.count("bodies", created, changed)


def _load_agreement(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    title_en, title_uk = r.bilingual("title", uk_required=True)
    covers_en, covers_uk = r.bilingual("covers", required=False)
    values = {
        "kind": r.choice("kind", AgreementKind),
        "title_en": title_en,
        "title_uk": title_uk,
        "covers_en": covers_en,
        "covers_uk": covers_uk,
        "signed": r.edtf("signed", required=False),
        "ratified": r.edtf("ratified", required=False),
        "in_force": r.edtf("in_force", required=False),
        "marking": Marking.PUBLIC,
        **_source(r),
    }
    parties = r.keys("parties", index["organizations"])
    agreement, created, changed = _save(Agreement, {"slug": key}, values)
    changed |= _set_m2m(agreement.parties, parties)
    index["agreements"][key] = agreement
    report.count("agreements", created, changed)


def _load_meeting(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    title_en, title_uk = r.bilingual("title", uk_required=True)
    place_en, place_uk = r.bilingual("place", required=False)
    trigger_en, trigger_uk = r.bilingual("trigger", required=False)
    body = r.ref("body", index["bodies"])
    if body is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "body"})
    values = {
        "body": body,
        "level": r.choice("level", MeetingLevel),
        "title_en": title_en,
        "title_uk": title_uk,
        "date": r.edtf("date"),
        "place_en": place_en,
        "place_uk": place_uk,
        "trigger_en": trigger_en,
        "trigger_uk": trigger_uk,
        "requested_by": r.ref("requested_by", index["organizations"]),
        "marking": Marking.PUBLIC,
        **_source(r),
    }
    participants = r.keys("participants", index["organizations"])
    meeting, created, changed = _save(Meeting, {"slug": key}, values)
    changed |= _set_m2m(meeting.participants, participants)
    index["meetings"][key] = meeting
    report.count("meetings", created, changed)


def _load_figure(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    label_en, label_uk = r.bilingual("label", uk_required=True)
    try:
        value = Decimal(str(r.record.get("value"))).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise r.fail(_("“value” must be a number")) from None
    written_en, written_uk = r.bilingual("written", uk_required=True)
    values = {
        "value": value,
        "unit": r.text("unit", required=False),
        "label_en": label_en,
        "label_uk": label_uk,
        "written_en": written_en,
        "written_uk": written_uk,
        **_source(r),
    }
    figure, created, changed = _save(Figure, {"key": key}, values)
    index["figures"][key] = figure
    report.count("figures", created, changed)


def _load_section(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    title_en, title_uk = r.bilingual("title", uk_required=True)
    position = len(index["sections"]) + 1
    section, created, changed = _save(
        FactsheetSection,
        {"key": key},
        {"position": position, "title_en": title_en, "title_uk": title_uk, **_source(r)},
    )
    paragraphs = r.record.get("paragraphs") or []
    if not isinstance(paragraphs, list) or not paragraphs:
        raise r.fail(_("“paragraphs” must be a non-empty list"))
    for number, raw in enumerate(paragraphs, start=1):
        p = _Reader(r.path, raw, _("paragraph"))
        text_en = p.text("en")
        text_uk = p.text("uk", required=False)
        p.glossary("uk", text_uk)
        values = {
            "kind": p.choice("kind", ParagraphKind),
            "text_en": text_en,
            "text_uk": text_uk,
            "source_line": p.line(),
            "source_text": text_en,
        }
        _par, par_created, par_changed = _save(
            FactsheetParagraph, {"section": section, "position": number}, values
        )
        changed |= par_created or par_changed
    # Paragraphs dropped from the file leave the page too.
    extra = section.paragraphs.filter(position__gt=len(paragraphs))
    if extra.exists():
        extra.delete()
        changed = True
    index["sections"][key] = section
    report.count("sections", created, changed)


def _load_milestone(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    number = r.record.get("number")
    if not isinstance(number, int) or number < 1:
        raise r.fail(_("“number” must be a positive whole number"))
    date = r.edtf("date")
    written = r.text("written")
    rendered = PartialDate.parse(date).render("en")
    if rendered != written:
        raise r.fail(
            _("the date %(edtf)s reads “%(rendered)s”, but the factsheet writes “%(written)s”")
            % {"edtf": date, "rendered": rendered, "written": written}
        )
    text_en, text_uk = r.bilingual("text", uk_required=True)
    links = r.record.get("links") or _Mapping()
    if not isinstance(links, dict):
        raise r.fail(_("“links” must be a mapping"))
    values = {
        "date": date,
        "text_en": text_en,
        "text_uk": text_uk,
        "theme": r.choice("theme", Theme),
        "marking": Marking.PUBLIC,
        "source_text": f"{written}: {text_en}",
        **_source(r),
    }
    related = {
        "bodies": r.keys("bodies", index["bodies"], within=links),
        "meetings": r.keys("meetings", index["meetings"], within=links),
        "agreements": r.keys("agreements", index["agreements"], within=links),
        "organizations": r.keys("organizations", index["organizations"], within=links),
    }
    milestone, created, changed = _save(Milestone, {"number": number}, values)
    for name, items in related.items():
        changed |= _set_m2m(getattr(milestone, name), items)
    index["milestones"][str(number)] = milestone
    report.count("milestones", created, changed)


def _load_operation(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    theatre_en, theatre_uk = r.bilingual("theatre", required=False)
    values = {
        "kind": r.choice("kind", OperationKind),
        "name_en": name_en,
        "name_uk": name_uk,
        "abbreviation": r.text("abbreviation", required=False),
        "theatre_en": theatre_en,
        "theatre_uk": theatre_uk,
        "period": r.edtf("period", required=False),
        "marking": Marking.PUBLIC,
        **_source(r),
    }
    operation, created, changed = _save(Operation, {"slug": key}, values)
    index["operations"][key] = operation
    report.count("operations", created, changed)


def _load_contribution(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    asset_en, asset_uk = r.bilingual("asset", uk_required=True)
    operation = r.ref("operation", index["operations"])
    contributor = r.ref("contributor", index["organizations"])
    if operation is None or contributor is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "operation/contributor"})
    personnel = r.record.get("personnel")
    if personnel is not None and (not isinstance(personnel, int) or personnel < 0):
        raise r.fail(_("“personnel” must be a whole number"))
    values = {
        "operation": operation,
        "contributor": contributor,
        "kind": r.choice("kind", ContributionKind),
        "asset_en": asset_en,
        "asset_uk": asset_uk,
        "period": r.edtf("period", required=False),
        "personnel": personnel,
        "marking": Marking.PUBLIC,
        "source_text": r.text("source", required=False),
        **_source(r),
    }
    # Contributions have no natural key in the factsheet: the data file gives each one.
    contribution, created, changed = _save(Contribution, {"source_key": key}, values)
    index["contributions"][key] = contribution
    report.count("contributions", created, changed)


def _load_programme(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    description_en, description_uk = r.bilingual("description", required=False)
    values = {
        "name_en": name_en,
        "name_uk": name_uk,
        "abbreviation": r.text("abbreviation", required=False),
        "description_en": description_en,
        "description_uk": description_uk,
        "started": r.edtf("started", required=False),
        "marking": Marking.PUBLIC,
        **_source(r),
    }
    programme, created, changed = _save(Programme, {"slug": key}, values)
    index["programmes"][key] = programme
    report.count("programmes", created, changed)


def _load_institution(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    city_en, city_uk = r.bilingual("city", uk_required=True)
    programme = r.ref("programme", index["programmes"])
    if programme is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "programme"})
    values = {
        "programme": programme,
        "name_en": name_en,
        "name_uk": name_uk,
        "city_en": city_en,
        "city_uk": city_uk,
        "marking": Marking.PUBLIC,
        **_source(r),
    }
    institution, created, changed = _save(Institution, {"source_key": key}, values)
    index["institutions"][key] = institution
    report.count("institutions", created, changed)


def _load_event(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    title_en, title_uk = r.bilingual("title", uk_required=True)
    place_en, place_uk = r.bilingual("place", required=False)
    programme = r.ref("programme", index["programmes"])
    if programme is None:
        raise r.fail(_("“%(key)s” is missing") % {"key": "programme"})
    values = {
        "programme": programme,
        "kind": r.choice("kind", EventKind),
        "title_en": title_en,
        "title_uk": title_uk,
        "date": r.edtf("date"),
        "place_en": place_en,
        "place_uk": place_uk,
        "marking": Marking.PUBLIC,
        **_source(r),
    }
    event, created, changed = _save(Event, {"source_key": key}, values)
    changed |= _set_m2m(event.organizers, r.keys("organizers", index["organizations"]))
    index["events"][key] = event
    report.count("events", created, changed)


def _load_assistance(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    key = r.text("key")
    description_en, description_uk = r.bilingual("description", uk_required=True)
    values = {
        "direction": r.choice("direction", AssistanceDirection),
        "date": r.edtf("date"),
        "description_en": description_en,
        "description_uk": description_uk,
        "marking": Marking.PUBLIC,
        **_source(r),
    }
    assistance, created, changed = _save(Assistance, {"source_key": key}, values)
    changed |= _set_m2m(assistance.partners, r.keys("partners", index["organizations"]))
    index["assistance"][key] = assistance
    report.count("assistance", created, changed)


def _load_trust_fund(r: _Reader, index: dict[str, dict[str, Any]], report: LoadReport) -> None:
    """A trust fund the factsheet names, with the projects and targets it states."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType

    from partnership.core.models import Indicator, Measurement
    from partnership.trustfunds.models import ActivityStatus, FundStatus, Project, TrustFund

    key = r.text("key")
    name_en, name_uk = r.bilingual("name", uk_required=True)
    area_en, area_uk = r.bilingual("area", uk_required=True)
    values = {
        "name_en": name_en,
        "name_uk": name_uk,
        "area_en": area_en,
        "area_uk": area_uk,
        "established": r.edtf("established", required=False),
        "status": r.choice("status", FundStatus),
        "partner": index["organizations"]["ua"],
        "marking": Marking.PUBLIC,
        **_source(r),
    }
    # The factsheet names the executing agent of some funds only; where it does not, the agent
    # recorded in the platform stays.
    if "executing_agent" in r.record:
        values["executing_agent"] = r.ref("executing_agent", index["organizations"])
    fund, created, changed = _save(TrustFund, {"slug": key}, values)
    report.count("trust_funds", created, changed)
    statuses = {"closed": ActivityStatus.CLOSED, "implementation": ActivityStatus.IMPLEMENTATION}
    project_type = ContentType.objects.get_for_model(Project)
    for item in r.record.get("projects") or []:
        p = _Reader(r.path, item, "project")
        title_en, title_uk = p.bilingual("title", uk_required=True)
        description_en, description_uk = p.bilingual("description", required=False)
        status = statuses.get(p.text("status"))
        if status is None:
            raise p.fail(_("“%(key)s” is missing") % {"key": "status"})
        slug = p.text("key")
        project, created, changed = _save(
            Project,
            {"slug": slug},
            {
                "fund": fund, "iati_identifier": f"{settings.IATI_ORG_PREFIX}-{slug}",
                "title_en": title_en, "title_uk": title_uk, "description_en": description_en,
                "description_uk": description_uk, "status": status, "period": p.edtf("period"),
                "budget_eur": Decimal(str(item.get("budget_eur", 0))),
                "sector_code": p.text("sector"), "marking": Marking.PUBLIC,
                "source_line": r.line(),
            },
        )  # fmt: skip
        report.count("trust_funds", created, changed)
        for spec in item.get("indicators") or []:
            i = _Reader(r.path, spec, "indicator")
            ind_en, ind_uk = i.bilingual("name", uk_required=True)
            indicator, _c, _ch = _save(
                Indicator,
                {"subject_type": project_type, "subject_id": project.pk, "name_en": ind_en},
                {"name_uk": ind_uk, "unit": i.text("unit", required=False),
                 "target": Decimal(str(spec["target"])), "marking": Marking.PUBLIC},
            )  # fmt: skip
            for actual in spec.get("actuals") or []:
                _save(
                    Measurement,
                    {"indicator": indicator, "period": str(actual["period"])},
                    {"actual": Decimal(str(actual["value"]))},
                )
