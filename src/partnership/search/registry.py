"""Which records are searched, what of each is indexed, and where a hit leads.

Each kind lists only the record's own fields: a meeting's entry holds the meeting's title,
place and reason, never its body's name, so that a hit never shows a hidden parent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.urls import reverse
from django.utils.text import capfirst

from partnership.anp.models import Measure
from partnership.core.models import Marking, Organization, Releasable, localized
from partnership.core.selectors import AnyUser, shown_key, visible_to
from partnership.framework.models import ActionItem, Agreement, Body, Decision, Meeting, Milestone
from partnership.logistics.models import Standard, SupplyItem
from partnership.operations.models import Operation
from partnership.programmes.models import Event, Grant, PartnershipGoal, Programme
from partnership.search.text import words
from partnership.trustfunds.models import Project, TrustFund


def _fields(record: Any, names: tuple[str, ...], language: str) -> str:
    return "\n".join(str(getattr(record, f"{n}_{language}", "") or "") for n in names).strip()


@dataclass(frozen=True)
class Kind:
    """One kind of record in the search: `title` and `text` name bilingual fields (without
    `_en`/`_uk`), `code` what people type to find it exactly (a measure's 1.1.21)."""

    key: str
    model: type[models.Model]
    title: tuple[str, ...]
    text: tuple[str, ...] = ()
    code: Callable[[Any], str] = lambda record: ""
    # The title shown for a hit, in the active language (defaults to the `title` fields).
    shown_title: Callable[[Any], str] | None = None
    url: Callable[[AnyUser, Any], str | None] = lambda user, record: None
    related: tuple[str, ...] = ()
    # Organizations are not marked: everyone sees them (the public organizations page).
    releasable: bool = True
    extra_words: Callable[[Any], str] = field(default=lambda record: "")

    @property
    def label(self) -> str:
        return str(capfirst(self.model._meta.verbose_name))

    def visible(self, user: AnyUser, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        queryset = self.current(queryset)
        return visible_to(user, queryset) if self.releasable else queryset

    @cached_property
    def withdrawable(self) -> bool:
        return any(f.name == "withdrawn_at" for f in self.model._meta.get_fields())

    def current(self, queryset: models.QuerySet[Any]) -> models.QuerySet[Any]:
        """Without the withdrawn records: a withdrawal takes a record out of every list and
        public page, and so out of the search (its keepers open it from the withdrawn lists)."""
        return queryset.filter(withdrawn_at=None) if self.withdrawable else queryset

    def searched(self, record: Any) -> bool:
        return not (self.withdrawable and record.withdrawn_at is not None)

    @cached_property
    def parent(self) -> str | None:
        """The foreign key to the record the kind is seen only with (`released_with`), whose
        marking its entries carry beside their own."""
        return released_parent(self.model) if self.releasable else None

    @property
    def read_with(self) -> tuple[str, ...]:
        """What an index write reads with each record: its `related` and its parent."""
        return (*self.related, *((self.parent,) if self.parent else ()))

    def title_of(self, record: Any) -> str:
        if self.shown_title is not None:
            return self.shown_title(record)
        return " ".join(localized(record, name) for name in self.title).strip() or str(record)


def released_parent(model: type[models.Model]) -> str | None:
    """The one `released_with` parent of a searched model. Its entries hold one parent's
    marking: a kind seen only with two parents, or with a parent that has one of its own,
    would need more columns, so it stops the start-up instead of being searched wrongly."""
    paths = getattr(model, "released_with", ())
    if not paths:
        return None
    parent = model._meta.get_field(paths[0]).related_model
    if len(paths) > 1 or getattr(parent, "released_with", None):
        raise ImproperlyConfigured(
            f"{model._meta.label} is released with more than one record "
            f"({', '.join(paths)}): the search index holds the marking of one parent"
        )
    return str(paths[0])


def _meeting_page(user: AnyUser, record: Any) -> str | None:
    """Decisions and action items are shown on their meeting's page, when the reader may
    see that meeting (a hidden meeting's id is not given away in a link)."""
    pk = shown_key(user, record.meeting)
    return reverse("framework:meeting", args=[pk]) if pk is not None else None


def _action_item_page(user: AnyUser, record: Any) -> str:
    return _meeting_page(user, record) or reverse("framework:action_items")


KINDS: tuple[Kind, ...] = (
    Kind(
        "measure",
        Measure,
        title=(),
        text=("text",),
        code=lambda m: m.code,
        shown_title=lambda m: f"{m.code} ({m.programme.year})",
        url=lambda user, m: reverse("anp:measure", args=[m.pk]),
        related=("programme",),
    ),
    Kind(
        "milestone",
        Milestone,
        title=(),
        text=("text",),
        shown_title=lambda m: m.date_display,
        url=lambda user, m: reverse("public:milestone", args=[m.number]),
    ),
    Kind(
        "body",
        Body,
        title=("name",),
        text=("description", "chair"),
        code=lambda b: b.abbreviation,
        url=lambda user, b: reverse("framework:body", args=[b.slug]),
    ),
    Kind(
        "meeting",
        Meeting,
        title=("title",),
        text=("place", "trigger"),
        url=lambda user, m: reverse("framework:meeting", args=[m.pk]),
    ),
    Kind(
        "decision",
        Decision,
        title=("title",),
        text=("text",),
        code=lambda d: d.reference,
        url=_meeting_page,
        related=("meeting",),
    ),
    Kind(
        "action_item",
        ActionItem,
        title=("title",),
        url=_action_item_page,
        related=("meeting",),
    ),
    Kind(
        "agreement",
        Agreement,
        title=("title",),
        text=("covers",),
        url=lambda user, a: reverse("framework:agreement", args=[a.slug]),
    ),
    Kind(
        "trust_fund",
        TrustFund,
        title=("name",),
        text=("area",),
        url=lambda user, f: reverse("trustfunds:fund", args=[f.slug]),
    ),
    Kind(
        "project",
        Project,
        title=("title",),
        text=("description",),
        code=lambda p: p.iati_identifier,
        url=lambda user, p: reverse("trustfunds:project", args=[p.slug]),
    ),
    Kind(
        "programme",
        Programme,
        title=("name",),
        text=("description",),
        code=lambda p: p.abbreviation,
        url=lambda user, p: reverse("programmes:detail", args=[p.slug]),
    ),
    Kind(
        "grant",
        Grant,
        title=("title",),
        text=("outputs", "summary"),
        code=lambda g: g.reference,
        url=lambda user, g: reverse("programmes:grant", args=[g.reference]),
    ),
    Kind(
        "event",
        Event,
        title=("title",),
        text=("place",),
        # An event is seen only where its programme is (released_with), so its page may be named.
        url=lambda user, e: reverse("programmes:detail", args=[e.programme.slug]),
        related=("programme",),
    ),
    Kind(
        "partnership_goal",
        PartnershipGoal,
        title=("title",),
        code=lambda g: g.code,
    ),
    Kind(
        "operation",
        Operation,
        title=("name",),
        text=("theatre",),
        url=lambda user, o: reverse("operations:detail", args=[o.slug]),
    ),
    Kind(
        "organization",
        Organization,
        title=("name",),
        code=lambda o: o.abbreviation,
        url=lambda user, o: reverse("public:organizations"),
        releasable=False,
    ),
    Kind(
        "standard",
        Standard,
        title=("title",),
        code=lambda s: s.number,
        shown_title=lambda s: f"{s} {s.title}",
        url=lambda user, s: reverse("logistics:standard", args=[s.pk]),
    ),
    Kind(
        "supply_item",
        SupplyItem,
        title=("name",),
        code=lambda i: i.nsn_display,
        shown_title=lambda i: str(i),
        url=lambda user, i: reverse("logistics:item", args=[i.nsn]),
        extra_words=lambda i: i.nsn,
    ),
)

BY_KEY = {kind.key: kind for kind in KINDS}
BY_MODEL = {kind.model: kind for kind in KINDS}
# Each parent model, and the kinds (with their key to it) whose entries carry its marking.
BY_PARENT: dict[type[models.Model], list[tuple[Kind, str]]] = {}
for _kind in KINDS:
    if _kind.parent:
        _model = _kind.model._meta.get_field(_kind.parent).related_model
        assert isinstance(_model, type) and issubclass(_model, models.Model)
        BY_PARENT.setdefault(_model, []).append((_kind, _kind.parent))


def _release(record: Any) -> tuple[str, str]:
    return (record.marking, record.releasable_to)


def release_fields(kind: Kind, record: Any) -> dict[str, str]:
    """The entry's marking columns: the record's own and its parent's (PUBLIC, no condition,
    for a kind that is not marked or a record without a parent)."""
    public = (Marking.PUBLIC.value, "")
    own = _release(record) if kind.releasable and isinstance(record, Releasable) else public
    parent = getattr(record, kind.parent) if kind.parent else None
    above = _release(parent) if parent is not None else public
    return {
        "marking": own[0],
        "releasable_to": own[1],
        "parent_marking": above[0],
        "parent_releasable_to": above[1],
    }


def entry_fields(kind: Kind, record: Any) -> dict[str, str]:
    """The index entry's columns for one record."""
    title_en, title_uk = (_fields(record, kind.title, lang) for lang in ("en", "uk"))
    text_en, text_uk = (_fields(record, kind.text, lang) for lang in ("en", "uk"))
    code = str(kind.code(record) or "")
    return {
        **release_fields(kind, record),
        "code": code[:64],
        "title_en": title_en,
        "title_uk": title_uk,
        "text_en": text_en,
        "text_uk": text_uk,
        "words_title": words(code, kind.extra_words(record), title_en, title_uk),
        "words_text": words(text_en, text_uk),
    }
