"""The factsheet data file: read with its lines, checked record by record, and loaded in one
transaction, or not at all, by the loaders the apps register (each app's `factsheet.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _
from tqdm import tqdm

from partnership.core.glossary import ukrainian_problems
from partnership.core.partial_dates import PartialDate


class FactsheetDataError(Exception):
    """A malformed data file: names the file, the line and the reason."""

    def __init__(self, path: Path | str, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{self.path}:{line if line is not None else '?'}: {reason}")


class FactsheetMapping(dict[str, Any]):
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
                if isinstance(inner, FactsheetMapping):
                    found.extend(inner.unread())
        return found


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that keeps line numbers and leaves dates as text (EDTF is parsed by us)."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> FactsheetMapping:
    loader.flatten_mapping(node)
    mapping = FactsheetMapping(loader.construct_pairs(node, deep=True))
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


class FactsheetRecord:
    """Reads one record of the file and raises FactsheetDataError at its line."""

    def __init__(self, path: Path, record: Any, what: str) -> None:
        self.path = path
        self.what = what
        if not isinstance(record, FactsheetMapping):
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

    def provenance(self) -> dict[str, Any]:
        """Where the record comes from: its factsheet line, and for what the factsheet does not
        state (a name, a date), the `source` it comes from instead."""
        values: dict[str, Any] = {"source_line": self.line()}
        elsewhere = self.text("source", required=False)
        if elsewhere:
            values["source_text"] = elsewhere
        return values


def write_row(
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


@dataclass(frozen=True)
class Read:
    """How one entry of a field map is read from the record: `read(record, index, name)` gives
    the model's values for the entry called `name` (one field, or a text's `_en` and `_uk`)."""

    read: Callable[[FactsheetRecord, Index, str], dict[str, Any]]


def text(*, key: str | None = None, required: bool = False) -> Read:
    """A text, optional unless said; `key` where the file calls it otherwise than the field."""
    return Read(lambda r, index, name: {name: r.text(key or name, required=required)})


def bilingual(*, required: bool = True, uk_required: bool = False) -> Read:
    """A text in both languages: the record's `{en: …, uk: …}` into `<name>_en`, `<name>_uk`."""

    def read(r: FactsheetRecord, index: Index, name: str) -> dict[str, Any]:
        en, uk = r.bilingual(name, required=required, uk_required=uk_required)
        return {f"{name}_en": en, f"{name}_uk": uk}

    return Read(read)


def choice(choices: type[models.TextChoices]) -> Read:
    return Read(lambda r, index, name: {name: r.choice(name, choices)})


def edtf(*, required: bool = True) -> Read:
    return Read(lambda r, index, name: {name: r.edtf(name, required=required)})


def ref(section: str, *, required: bool = False) -> Read:
    """A record of a section loaded before, by its key; a required one missing is refused."""

    def read(r: FactsheetRecord, index: Index, name: str) -> dict[str, Any]:
        found = r.ref(name, index[section])
        if found is None and required:
            raise r.fail(_("“%(key)s” is missing") % {"key": name})
        return {name: found}

    return Read(read)


FieldMap = dict[str, Any]
"""A model field (or a bilingual text's stem) → a `Read`, or the value itself (a marking)."""


def load_record(
    r: FactsheetRecord,
    index: Index,
    report: LoadReport,
    *,
    section: str,
    model: type[models.Model],
    fields: FieldMap,
    lookup: str = "slug",
    links: dict[str, str] | None = None,
    provenance: bool = True,
) -> Any:
    """The common shape of a section's record: its `key` (stored in `lookup`), its fields read
    in the map's order, its provenance, its links (many-to-many field → the section its keys
    name), the row written only if it differs, indexed under its key and counted. Without
    `provenance`, for records that are no fact of the text (an organization), no line is read."""
    key = r.text("key")
    values: dict[str, Any] = {}
    for name, how in fields.items():
        values.update(how.read(r, index, name) if isinstance(how, Read) else {name: how})
    if provenance:
        values.update(r.provenance())
    related = {name: r.keys(name, index[of]) for name, of in (links or {}).items()}
    instance, created, changed = write_row(model, {lookup: key}, values)
    for name, items in related.items():
        changed |= write_links(getattr(instance, name), items)
    index[section][key] = instance
    report.count(section, created, changed)
    return instance


def write_links(manager: Any, items: Iterable[models.Model]) -> bool:
    wanted = {item.pk for item in items}
    if set(manager.values_list("pk", flat=True)) == wanted:
        return False
    manager.set(wanted)
    return True


def read_file(path: Path) -> FactsheetMapping:
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
    if not isinstance(document, FactsheetMapping):
        raise FactsheetDataError(path, 1, _("the file must hold a mapping of sections"))
    return document


Index = dict[str, dict[str, Any]]
"""What the sections loaded so far hold, by section and key: how a record refers to another."""

Loader = Callable[[FactsheetRecord, Index, LoadReport], None]


def record_key(record: Any) -> str:
    """The key two records of a section must not share (the data file's `key`, or else the
    milestone's `number`, or else its `line`)."""
    if not isinstance(record, dict):
        return ""
    return str(record.get("key", record.get("number", record.get("line", ""))))


@dataclass(frozen=True)
class SectionLoader:
    """The loader an app registers for one section of the data file."""

    name: str
    what: str
    load: Loader
    needs: tuple[str, ...] = ()
    key: Callable[[Any], str] = record_key

    @property
    def loader_name(self) -> str:
        return f"{self.load.__module__}.{self.load.__qualname__}"


_REGISTERED: dict[str, SectionLoader] = {}

# The data file's own description (its title and date), not a section of records.
DESCRIPTION = "source"


def factsheet_section(
    name: str,
    *,
    what: str,
    needs: Iterable[str] = (),
    key: Callable[[Any], str] = record_key,
) -> Callable[[Loader], Loader]:
    """Registers the decorated function as the loader of one section of the data file.

    `what` names one record in error messages; `needs` are the sections whose records this
    one refers to, loaded before it.
    """

    def register(load: Loader) -> Loader:
        section = SectionLoader(name, what, load, tuple(needs), key)
        known = _REGISTERED.get(name)
        # A module imported again (autoreload) registers the same loader again: that is fine.
        if known is not None and known.loader_name != section.loader_name:
            raise ImproperlyConfigured(
                f"factsheet section {name!r} is loaded by both {known.loader_name} "
                f"and {section.loader_name}"
            )
        _REGISTERED[name] = section
        return load

    return register


def factsheet_sections() -> list[SectionLoader]:
    """Every section the installed apps load, from their `factsheet.py`, as they register them."""
    autodiscover_modules("factsheet")
    for section in _REGISTERED.values():
        for need in section.needs:
            if need not in _REGISTERED:
                raise ImproperlyConfigured(
                    f"factsheet section {section.name!r} ({section.loader_name}) needs "
                    f"{need!r}, which no installed app loads"
                )
    return list(_REGISTERED.values())


def _in_order(sections: list[SectionLoader], document: FactsheetMapping) -> list[SectionLoader]:
    """The sections in the order the file writes them, each after those it refers to."""
    written = {str(key): number for number, key in enumerate(document)}
    waiting = sorted(sections, key=lambda section: written.get(section.name, len(written)))
    ordered: list[SectionLoader] = []
    loaded: set[str] = set()
    while waiting:
        ready = next(
            (s for s in waiting if set(s.needs) - {s.name} <= loaded),
            None,
        )
        if ready is None:
            raise ImproperlyConfigured(
                "factsheet sections need each other: " + ", ".join(s.name for s in waiting)
            )
        waiting.remove(ready)
        ordered.append(ready)
        loaded.add(ready.name)
    return ordered


@transaction.atomic
def factsheet_load(*, path: Path, progress: bool = False) -> LoadReport:
    """Loads every fact of the data file; a second run with the same file changes nothing."""
    document = read_file(path)
    sections = _in_order(factsheet_sections(), document)
    for section in sections:
        if not isinstance(document.get(section.name) or [], list):
            raise FactsheetDataError(
                path, document.line, _("“%(key)s” must be a list") % {"key": section.name}
            )
    # A section no app loads would be dropped without a word: a misspelt name, or an app
    # left out of INSTALLED_APPS.
    names = {section.name for section in sections}
    for key in document:
        if key not in names and key != DESCRIPTION:
            raise FactsheetDataError(
                path,
                document.lines.get(str(key), document.line),
                _("“%(key)s” is not a section of the factsheet that the platform loads")
                % {"key": key},
            )
    total = sum(len(document.get(section.name) or []) for section in sections)
    report = LoadReport()
    bar = tqdm(total=total, desc=_("Loading the factsheet"), unit=" facts", disable=not progress)
    index: Index = {section.name: {} for section in sections}
    try:
        for section in sections:
            seen_keys: set[str] = set()
            for record in document.get(section.name) or []:
                reader = FactsheetRecord(path, record, section.what)
                key = section.key(record)
                if key in seen_keys:
                    raise reader.fail(_("“%(key)s” appears twice") % {"key": key})
                seen_keys.add(key)
                try:
                    section.load(reader, index, report)
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
