"""Partial dates stored as EDTF (ISO 8601-2) and written the way the factsheet writes them."""

from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass
from typing import Any

import edtf
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

MSG_INVALID = _(
    "“%(value)s” is not a valid EDTF date (examples: 1997, 2004-23, 2014-09-04/2014-09-05)."
)

MONTHS = {
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
    # Nominative: "травень 1997"
    "uk": [
        "січень",
        "лютий",
        "березень",
        "квітень",
        "травень",
        "червень",
        "липень",
        "серпень",
        "вересень",
        "жовтень",
        "листопад",
        "грудень",
    ],
}
# Genitive, used after a day number: "2 березня 2014"
MONTHS_UK_GENITIVE = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
]
# EDTF sub-year groupings (level 1 seasons 21-24, level 2 quarters 33-36, halves 40-41).
SEASONS = {
    "en": {
        21: "Spring",
        22: "Summer",
        23: "Autumn",
        24: "Winter",
        33: "Q1",
        34: "Q2",
        35: "Q3",
        36: "Q4",
        40: "First half of",
        41: "Second half of",
    },
    "uk": {
        21: "Весна",
        22: "Літо",
        23: "Осінь",
        24: "Зима",
        33: "I квартал",
        34: "II квартал",
        35: "III квартал",
        36: "IV квартал",
        40: "Перше півріччя",
        41: "Друге півріччя",
    },
}
AND = {"en": " and ", "uk": " і "}
# The factsheet writes ranges with a hyphen ("4-5 September 2014"); Ukrainian uses a dash.
DASH = {"en": "-", "uk": "–"}
APPROXIMATE = {"en": "c. ", "uk": "бл. "}


class Precision(models.TextChoices):
    YEAR = "year", _("year")
    SEASON = "season", _("season or quarter")
    MONTH = "month", _("month")
    DAY = "day", _("day")
    INTERVAL = "interval", _("interval")
    SET = "set", _("one of several dates")


def _to_date(t: time.struct_time | float) -> dt.date:
    # An open end of an interval ("2015-01/..") comes back as plus or minus infinity.
    if isinstance(t, float):
        return dt.date.max if t > 0 else dt.date.min
    return dt.date(t.tm_year, t.tm_mon, t.tm_mday)


@dataclass(frozen=True)
class PartialDate:
    """A date known to a year, season, month or day, an interval, or a set of dates."""

    edtf: str
    start: dt.date
    end: dt.date
    precision: str
    _parsed: Any

    @classmethod
    def parse(cls, value: str) -> PartialDate:
        return _parse((value or "").strip())

    def __str__(self) -> str:
        return self.render()

    def render(self, language: str | None = None) -> str:
        lang = "uk" if (language or get_language() or "en").startswith("uk") else "en"
        return _render_text(self.edtf, lang)


@functools.lru_cache(maxsize=8192)
def _parse(text: str) -> PartialDate:
    """EDTF parsing costs about 5 ms (a full grammar); dates repeat, and PartialDate is frozen."""
    try:
        parsed = edtf.parse_edtf(text)
        start, end = _to_date(parsed.lower_strict()), _to_date(parsed.upper_strict())
    except Exception as exc:  # the library raises several types for bad input
        raise ValidationError(MSG_INVALID, code="invalid_edtf", params={"value": text}) from exc
    return PartialDate(
        edtf=text, start=start, end=end, precision=_precision(parsed), _parsed=parsed
    )


@functools.lru_cache(maxsize=16384)
def _render_text(text: str, lang: str) -> str:
    """Lists of hundreds of rows show the same few dates; render each once per language."""
    return _render(_parse(text)._parsed, lang)


def _precision(parsed: Any) -> str:
    if isinstance(parsed, edtf.Interval):
        return Precision.INTERVAL
    if isinstance(parsed, edtf.MultipleDates | edtf.OneOfASet):
        return Precision.SET
    if isinstance(parsed, edtf.Season | edtf.Level2Season):
        return Precision.SEASON
    if isinstance(parsed, edtf.UncertainOrApproximate):
        return _precision(parsed.date)
    text = str(parsed)
    return {4: Precision.YEAR, 7: Precision.MONTH}.get(len(text), Precision.DAY)


def _parts(parsed: Any) -> tuple[int, int | None, int | None]:
    """Year, month and day of a simple date (None where not known)."""
    month = int(parsed.month) if getattr(parsed, "month", None) else None
    day = int(parsed.day) if getattr(parsed, "day", None) else None
    return int(parsed.year), month, day


def _render_simple(parsed: Any, lang: str) -> str:
    if isinstance(parsed, edtf.UncertainOrApproximate):
        # The library wraps plain interval ends in this type too: only "~", "?" and "%" mark.
        inner = _render_simple(parsed.date, lang)
        text = str(parsed)
        if text.endswith(("~", "%")):
            # "бл." (близько) governs the genitive: "бл. грудня 2008".
            inner = APPROXIMATE[lang] + (
                _render_bound(parsed.date, lang) if lang == "uk" else inner
            )
        return inner + "?" if text.endswith(("?", "%")) else inner
    if isinstance(parsed, edtf.Season | edtf.Level2Season):
        season = int(parsed.season)
        return f"{SEASONS[lang].get(season, str(season))} {int(parsed.year)}"
    year, month, day = _parts(parsed)
    if month is None:
        return str(year)
    if day is None:
        name = MONTHS[lang][month - 1]
        return f"{name[0].upper()}{name[1:]} {year}"
    month_name = MONTHS["en"][month - 1] if lang == "en" else MONTHS_UK_GENITIVE[month - 1]
    return f"{day} {month_name} {year}"


def _render(parsed: Any, lang: str) -> str:
    if isinstance(parsed, edtf.Interval):
        return _render_interval(parsed.lower, parsed.upper, lang)
    if isinstance(parsed, edtf.MultipleDates | edtf.OneOfASet):
        return _render_set(list(parsed.objects), lang)
    return _render_simple(parsed, lang)


SINCE = {"en": "since ", "uk": "з "}
UNTIL = {"en": "until ", "uk": "до "}


def _render_bound(date: Any, lang: str) -> str:
    """A date after "since" or "until": a month name in lower case ("since January 2015" keeps
    its capital in English), in Ukrainian in the genitive ("з січня 2015")."""
    text = _render_simple(date, lang)
    if lang == "uk":
        for nominative, genitive in zip(MONTHS["uk"], MONTHS_UK_GENITIVE, strict=True):
            capital = nominative[0].upper() + nominative[1:]
            if text.startswith(capital + " "):
                return genitive + text[len(capital) :]
        return text[0].lower() + text[1:]
    return text


def _render_interval(lower: Any, upper: Any, lang: str) -> str:
    """ "4-5 September 2014", "2002-2003", "March-April 2014", "since January 2015"."""
    if isinstance(upper, edtf.UnspecifiedIntervalSection):
        return SINCE[lang] + _render_bound(lower, lang)
    if isinstance(lower, edtf.UnspecifiedIntervalSection):
        return UNTIL[lang] + _render_bound(upper, lang)
    simple = edtf.Date
    if isinstance(lower, simple) and isinstance(upper, simple):
        ly, lm, ld = _parts(lower)
        uy, um, ud = _parts(upper)
        if ly == uy and lm == um and ld and ud:
            tail = _render_simple(upper, lang).split(" ", 1)[1]
            return f"{ld}{DASH[lang]}{ud} {tail}"
        if ly == uy and lm and um and not ld and not ud:
            first = MONTHS[lang][lm - 1]
            return f"{first[0].upper()}{first[1:]}{DASH[lang]}{MONTHS[lang][um - 1]} {uy}"
    upper_text = _render_simple(upper, lang)
    if lang == "uk":
        # One capital for the whole range: "Березень 2005–грудень 2011".
        upper_text = upper_text[:1].lower() + upper_text[1:]
    return f"{_render_simple(lower, lang)}{DASH[lang]}{upper_text}"


def _render_set(members: list[Any], lang: str) -> str:
    """ "April and June 2014": months of one year share the year."""
    simple = [m for m in members if isinstance(m, edtf.Date)]
    if len(simple) == len(members) and len({int(m.year) for m in members}) == 1:
        parts = [_parts(m) for m in members]
        if all(month and not day for _, month, day in parts):
            names = [MONTHS[lang][month - 1] for _, month, _ in parts if month]
            names[0] = names[0][0].upper() + names[0][1:]
            return f"{_join(names, lang)} {parts[0][0]}"
    return _join([_render_simple(m, lang) for m in members], lang)


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + AND[lang] + items[-1]


def validate_edtf(value: str) -> None:
    PartialDate.parse(value)


class PartialDateField(models.CharField):
    """An EDTF string; keeps `<name>_start` and `<name>_end` date columns for sorting and filtering.

    The companion columns are declared on the model (so migrations see them plainly);
    this field fills them on every save.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 64)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_edtf)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if kwargs.get("max_length") == 64:
            del kwargs["max_length"]
        return name, path, args, kwargs

    def formfield(
        self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any
    ) -> Any:
        # Model forms take the date as people write it (core.forms.PartialDateField).
        from partnership.core.forms import PartialDateField as PartialDateFormField

        return super().formfield(
            form_class=form_class or PartialDateFormField,
            choices_form_class=choices_form_class,
            **kwargs,
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = super().pre_save(model_instance, add)
        start = end = None
        if value:
            parsed = PartialDate.parse(value)
            start, end = parsed.start, parsed.end
        setattr(model_instance, f"{self.attname}_start", start)
        setattr(model_instance, f"{self.attname}_end", end)
        return value


def partial_date(value: str | None) -> PartialDate | None:
    return PartialDate.parse(value) if value else None
