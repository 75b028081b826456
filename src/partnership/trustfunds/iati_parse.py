"""IATI 2.03 activities read into plain data: XML in, activities out, no database. What the
file says goes to `services.project_import`, which checks it against the books and records it."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from partnership.core.exceptions import ApplicationError
from partnership.trustfunds.models import IATI_TYPE, INCOMING

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
KIND_OF_TYPE = {code: kind for kind, code in IATI_TYPE.items()}
DEFAULT_SECTOR = "15210"


@dataclass(frozen=True)
class Party:
    """An organization as the file names it: its IATI reference and its name."""

    ref: str
    name: str


@dataclass(frozen=True)
class ActivityTransaction:
    number: int
    kind: str
    date: dt.date
    party: Party | None
    currency: str
    amount: Decimal
    description: str


@dataclass(frozen=True)
class ActivityIndicator:
    title_en: str
    title_uk: str
    level: str
    baseline: Decimal
    target: Decimal | None
    # (EDTF period, actual value) for each period the file reports.
    actuals: tuple[tuple[str, Decimal], ...]


@dataclass
class Activity:
    number: int
    identifier: str
    title_en: str
    title_uk: str
    description_en: str
    description_uk: str
    status: str
    period: str
    sector_code: str
    budget_eur: Decimal
    transactions: list[ActivityTransaction] = field(default_factory=list)
    indicators: list[ActivityIndicator] = field(default_factory=list)
    # What the file says that a trust fund cannot take (a transaction type it does not record).
    problems: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return self.identifier or f"activity {self.number}"


def _text(element: ET.Element | None, lang: str, default_lang: str) -> str:
    if element is None:
        return ""
    for narrative in element.findall("narrative"):
        if narrative.get(XML_LANG, default_lang) == lang:
            return (narrative.text or "").strip()
    return ""


def _decimal(text: str | None, where: str) -> Decimal:
    try:
        return Decimal((text or "").strip())
    except InvalidOperation:
        raise ApplicationError(
            _("%(where)s: “%(value)s” is not a number.") % {"where": where, "value": text}
        ) from None


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def _party(element: ET.Element | None) -> Party | None:
    if element is None:
        return None
    return Party(element.get("ref", ""), (element.findtext("narrative") or "").strip())


def parse(data: bytes) -> list[Activity]:
    """The activities of a file already valid against the schema (`iati.validate`)."""
    return [_activity(n, e) for n, e in enumerate(ET.fromstring(data).findall("iati-activity"), 1)]


def _activity(number: int, element: ET.Element) -> Activity:
    identifier = (element.findtext("iati-identifier") or "").strip()
    lang = element.get(XML_LANG, "en")
    currency = element.get("default-currency", "EUR")
    dates = element.findall("activity-date")
    starts = [d.get("iso-date") for d in dates if d.get("type") in ("1", "2")]
    ends = [d.get("iso-date") for d in dates if d.get("type") in ("3", "4")]
    period = f"{starts[0]}/{ends[0] if ends else '..'}" if starts else ""
    sectors = [s for s in element.findall("sector") if s.get("vocabulary", "1") == "1"]
    status = element.find("activity-status")
    activity = Activity(
        number=number, identifier=identifier,
        title_en=_text(element.find("title"), "en", lang) or identifier,
        title_uk=_text(element.find("title"), "uk", lang),
        description_en=_text(element.find("description"), "en", lang),
        description_uk=_text(element.find("description"), "uk", lang),
        status=status.get("code", "2") if status is not None else "2",
        period=period, sector_code=sectors[0].get("code", "") if sectors else DEFAULT_SECTOR,
        budget_eur=Decimal(0),
    )  # fmt: skip
    where = activity.where
    for b in element.findall("budget"):
        value = b.find("value")
        if value is not None and value.get("currency", currency) == "EUR":
            activity.budget_eur += _decimal(value.text, where)
    for t_number, t in enumerate(element.findall("transaction"), start=1):
        t_where = f"{where}, transaction {t_number}"
        code = t.find("transaction-type").get("code", "")  # type: ignore[union-attr]
        kind = KIND_OF_TYPE.get(code)
        if kind is None:
            activity.problems.append(
                _("%(where)s: transaction type %(code)s is not one a trust fund records.")
                % {"where": t_where, "code": code}
            )
            continue
        value = t.find("value")
        when = _date(t.find("transaction-date").get("iso-date"))  # type: ignore[union-attr]
        if value is None or when is None:
            continue
        activity.transactions.append(
            ActivityTransaction(
                number=t_number, kind=kind, date=when,
                party=_party(t.find("provider-org" if kind in INCOMING else "receiver-org")),
                currency=value.get("currency", currency), amount=_decimal(value.text, t_where),
                description=_text(t.find("description"), "en", lang)[:255],
            )
        )  # fmt: skip
    for r in element.findall("result"):
        for ind in r.findall("indicator"):
            baseline = ind.find("baseline")
            periods = ind.findall("period")
            targets = [g.get("value") for p in periods if (g := p.find("target")) is not None]
            actuals = []
            for p in periods:
                actual, start, end = p.find("actual"), p.find("period-start"), p.find("period-end")
                if actual is not None and start is not None and end is not None:
                    actuals.append(
                        (
                            f"{start.get('iso-date')}/{end.get('iso-date')}",
                            _decimal(actual.get("value"), where),
                        )
                    )
            activity.indicators.append(
                ActivityIndicator(
                    title_en=(
                        _text(ind.find("title"), "en", lang) or _text(r.find("title"), "en", lang)
                    )[:255],
                    title_uk=_text(ind.find("title"), "uk", lang)[:255],
                    level="output" if r.get("type") == "1" else "outcome",
                    baseline=_decimal(baseline.get("value", "0"), where)
                    if baseline is not None else Decimal(0),
                    target=_decimal(targets[0], where) if targets and targets[0] else None,
                    actuals=tuple(actuals),
                )
            )  # fmt: skip
    return activity
