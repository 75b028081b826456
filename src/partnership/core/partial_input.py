"""Partial dates as people type them, in either language, to the EDTF the records keep.

One reader for every form, import and API field that takes a date: "Q3 2015",
"III квартал 2015", "by end 2015", "June 2015", "червень 2015", "12 June 2015",
"12.06.2015", "4-5 September 2014", "since January 2015", or EDTF itself ("2015-35").
Whatever `shown_partial` writes (what the pages show) reads back to the same EDTF, so a value
copied from a page or an export can be typed back into a form.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnership.core.exceptions import ApplicationError
from partnership.core.partial_dates import MONTHS, MONTHS_UK_GENITIVE, PartialDate

MSG_UNREADABLE = _(
    "“%(value)s” is not a date this site can read. Write it as, for example, 2015, Q3 2015, "
    "June 2015, 12 June 2015, 4-5 September 2014 or since January 2015."
)
MSG_REVERSED = _("“%(value)s” ends before it starts: write the earlier date first.")
MSG_TOO_EARLY = _(
    "%(field)s: %(value)s is before 1991, earlier than any record of the partnership."
)
MSG_TOO_LATE_PLAN = _("%(field)s: %(value)s is more than ten years ahead (after %(limit)s).")
MSG_IN_FUTURE = _(
    "%(field)s: %(value)s is in the future; money can only be recorded once it moved."
)
EARLIEST_YEAR = 1991  # the partnership's first record: Ukraine's independence and NACC
PLAN_YEARS_AHEAD = 10

_MONTH_LOCATIVE_UK = [
    "січні", "лютому", "березні", "квітні", "травні", "червні",
    "липні", "серпні", "вересні", "жовтні", "листопаді", "грудні",
]  # fmt: skip
_MONTH_ABBREVIATIONS_EN = [name[:3].lower() for name in MONTHS["en"]]


def _month_words() -> dict[str, int]:
    words: dict[str, int] = {}
    for number in range(12):
        for name in (
            MONTHS["en"][number], MONTHS["uk"][number], MONTHS_UK_GENITIVE[number],
            _MONTH_LOCATIVE_UK[number], _MONTH_ABBREVIATIONS_EN[number],
        ):  # fmt: skip
            words[name.lower()] = number + 1
    words["sept"] = 9
    return words


MONTH_WORDS = _month_words()
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_SEASON_WORDS = {
    "spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24,
    "весна": 21, "навесні": 21, "літо": 22, "влітку": 22, "осінь": 23, "восени": 23,
    "зима": 24, "взимку": 24,
}  # fmt: skip
_YEAR = r"(?P<year>\d{4})"
_QUARTER = re.compile(
    rf"^(?:q(?P<q1>[1-4])|(?P<q2>[1-4])q|(?P<q3>i{{1,3}}|iv|[1-4])(?:-?(?:й|ий))?\s*(?:квартал|кв\.?)"
    rf"|(?:quarter|qtr\.?)\s*(?P<q4>[1-4])|(?P<q5>[1-4])(?:st|nd|rd|th)\s+quarter(?:\s+of)?)\s+{_YEAR}$"
)
_HALF = re.compile(
    rf"^(?:(?P<h1>first|second)\s+half(?:\s+of)?|h(?P<h2>[12])|(?P<h3>перше|друге|i|ii|1|2)\s*півріччя)"
    rf"\s+{_YEAR}$"
)
_SEASON = re.compile(rf"^(?P<season>[a-zа-яіїєґ']+)\s+{_YEAR}$")
_MONTH_YEAR = re.compile(rf"^(?P<month>[a-zа-яіїєґ']+)\.?\s+{_YEAR}$")
_DAY_MONTH_YEAR = re.compile(rf"^(?P<day>\d{{1,2}})\s+(?P<month>[a-zа-яіїєґ']+)\.?,?\s+{_YEAR}$")
_MONTH_DAY_YEAR = re.compile(rf"^(?P<month>[a-z]+)\.?\s+(?P<day>\d{{1,2}}),?\s+{_YEAR}$")
_NUMERIC_DMY = re.compile(rf"^(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.{_YEAR}$")
_NUMERIC_MY = re.compile(rf"^(?P<month>\d{{1,2}})\.{_YEAR}$")
# Words around a date that do not change it: "2015 року", "в 2015 р.", "year 2015".
_NOISE = re.compile(r"(?:\s+(?:року|рік|році|р\.?)$)|(?:^(?:у|в|in)\s+)")
# A deadline "by the end of 2015" is due within 2015: the date itself.
_BY = re.compile(
    r"^(?:by\s+(?:the\s+)?end\s+(?:of\s+)?|by\s+|end\s+(?:of\s+)?|до\s+кінця\s+|не\s+пізніше\s+|"
    r"кінець\s+|наприкінці\s+)"
)
_SINCE = re.compile(r"^(?:since|from|з|із|від)\s+")
_UNTIL = re.compile(r"^(?:until|till|up\s+to|до|по)\s+")
_APPROXIMATE = re.compile(r"^(?:c\.|ca\.|circa|about|бл\.|близько|приблизно)\s*")
_RANGE_SEPARATORS = re.compile(
    r"\s*[–—]\s*|\s+-\s+|\s+to\s+|\s+по\s+|(?<=[^\d\s])-(?=\S)|(?<=\d)-(?=\d{1,2}\s)|(?<=\d{4})-(?=\d{4}$)|(?<=\d{4})-(?=[^\d\s])"
)
_SET_SEPARATORS = re.compile(r"\s+(?:and|і|й|та)\s+|,\s+")


def _unreadable(text: str) -> ValidationError:
    return ValidationError(MSG_UNREADABLE, code="unreadable_date", params={"value": text})


def _simple(text: str, *, year: int | None = None, month: int | None = None) -> str:
    """One date, no interval; `year`/`month` fill a part the text leaves out ("4" of
    "4-5 September 2014", "March" of "March-April 2014")."""
    text = _NOISE.sub("", text.strip(" .,")).strip()
    if re.fullmatch(r"\d{4}", text):
        return text
    if re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", text):
        return text
    if (match := _NUMERIC_DMY.match(text)) is not None:
        return f"{match['year']}-{int(match['month']):02d}-{int(match['day']):02d}"
    if (match := _NUMERIC_MY.match(text)) is not None:
        return f"{match['year']}-{int(match['month']):02d}"
    if (match := _QUARTER.match(text)) is not None:
        quarter = next(match[g] for g in ("q1", "q2", "q3", "q4", "q5") if match[g])
        return f"{match['year']}-{32 + _ROMAN[quarter]}"
    if (match := _HALF.match(text)) is not None:
        half = next(match[g] for g in ("h1", "h2", "h3") if match[g])
        second = half in ("second", "2", "друге", "ii")
        return f"{match['year']}-{41 if second else 40}"
    if (match := _SEASON.match(text)) is not None and match["season"] in _SEASON_WORDS:
        return f"{match['year']}-{_SEASON_WORDS[match['season']]}"
    if (match := _MONTH_YEAR.match(text)) is not None and match["month"] in MONTH_WORDS:
        return f"{match['year']}-{MONTH_WORDS[match['month']]:02d}"
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        if (match := pattern.match(text)) is not None and match["month"] in MONTH_WORDS:
            return f"{match['year']}-{MONTH_WORDS[match['month']]:02d}-{int(match['day']):02d}"
    # Parts of a range that take the rest from the other end.
    if year is not None:
        if text in MONTH_WORDS:
            return f"{year}-{MONTH_WORDS[text]:02d}"
        if re.fullmatch(r"\d{1,2}", text) and month is not None:
            return f"{year}-{month:02d}-{int(text):02d}"
        if (match := re.fullmatch(r"(\d{1,2})\s+([a-zа-яіїєґ']+)", text)) and match[
            2
        ] in MONTH_WORDS:
            return f"{year}-{MONTH_WORDS[match[2]]:02d}-{int(match[1]):02d}"
    raise _unreadable(text)


def _year_month(edtf_text: str) -> tuple[int, int | None]:
    parts = edtf_text.split("-")
    month = int(parts[1]) if len(parts) > 1 and int(parts[1]) <= 12 else None
    return int(parts[0]), month


def _human(text: str) -> str:
    if (match := _APPROXIMATE.match(text)) is not None:
        return _human(text[match.end() :]) + "~"
    if text.endswith("?"):
        return _human(text[:-1].strip()) + "?"
    if (match := _BY.match(text)) is not None:
        return _simple(text[match.end() :])
    if (match := _SINCE.match(text)) is not None:
        return _simple(text[match.end() :]) + "/.."
    if (match := _UNTIL.match(text)) is not None:
        return "../" + _simple(text[match.end() :])
    try:
        return _simple(text)  # before sets and ranges: "Dec. 15, 2026" has a comma
    except ValidationError:
        pass
    if len(parts := _SET_SEPARATORS.split(text)) > 1:
        last = _simple(parts[-1])
        year, month = _year_month(last)
        members = [_simple(part, year=year, month=month) for part in parts[:-1]] + [last]
        return "{" + ",".join(members) + "}"
    if len(parts := _RANGE_SEPARATORS.split(text, maxsplit=1)) == 2:
        upper = _simple(parts[1])
        year, month = _year_month(upper)
        try:
            lower = _simple(parts[0])
        except ValidationError:
            lower = _simple(parts[0], year=year, month=month)
        return f"{lower}/{upper}"
    return _simple(text)


def parse_partial(text: str) -> str:
    """The EDTF of a date as a person wrote it; ValidationError (translated) if it is not one,
    or if an interval ends before it starts."""
    cleaned = " ".join(str(text or "").split())
    if not cleaned:
        raise _unreadable(cleaned)
    try:
        value = PartialDate.parse(cleaned).edtf
    except ValidationError:
        try:
            value = _human(cleaned.lower())
            PartialDate.parse(value)
        except ValidationError:
            raise _unreadable(cleaned) from None
    parsed = PartialDate.parse(value)
    if parsed.start > parsed.end:
        raise ValidationError(MSG_REVERSED, code="reversed_interval", params={"value": cleaned})
    return value


def shown_partial(value: str | None, language: str | None = None) -> str:
    """A stored EDTF as the pages write it, in the active language; `parse_partial` reads it
    back to the same value."""
    return PartialDate.parse(value).render(language) if value else ""


def plan_limit() -> dt.date:
    """The last day a plan may reach: the end of the year ten years from now. The one "ten
    years ahead" of the site: to the end of a year, not to the same day, because the dates
    are partial (a plan "for 2036" ends on 31 December 2036, and the ANP and PARP years are
    whole years) and the refusal names the last year allowed."""
    today = timezone.localdate()
    return dt.date(today.year + PLAN_YEARS_AHEAD, 12, 31)


def check_plan_year(year: int, *, field: str, label: object = None) -> None:
    """A year a plan is for (an ANP year, a PARP cycle), by the rule of `check_plausible`'s
    "plan": from 1991 to ten years ahead. Raises ApplicationError naming the field."""
    name = str(label or field)
    if year < EARLIEST_YEAR:
        raise ApplicationError(MSG_TOO_EARLY % {"field": name, "value": year}, field=field)
    limit = plan_limit()
    if year > limit.year:
        raise ApplicationError(
            MSG_TOO_LATE_PLAN % {"field": name, "value": year, "limit": limit.year}, field=field
        )


def check_plausible(
    value: str | None, *, field: str, kind: str, label: object = None, since_1991: bool = True
) -> None:
    """Refuses a date no record of the partnership can have: before 1991, or for `kind`
    "plan" more than ten years ahead (`plan_limit`), for "past" (money that moved) after
    today. `since_1991=False` is for what may predate the partnership (a body founded in
    1949): only the upper limit holds. Raises ApplicationError naming the field, for the
    service that records it."""
    if not value:
        return
    parsed = PartialDate.parse(value)
    name = str(label or field)
    shown = shown_partial(value)
    if since_1991 and parsed.start != dt.date.min and parsed.start.year < EARLIEST_YEAR:
        raise ApplicationError(MSG_TOO_EARLY % {"field": name, "value": shown}, field=field)
    today = timezone.localdate()
    if kind == "past" and parsed.start > today:
        raise ApplicationError(MSG_IN_FUTURE % {"field": name, "value": shown}, field=field)
    if kind == "plan" and parsed.end != dt.date.max:
        limit = plan_limit()
        if parsed.end > limit:
            raise ApplicationError(
                MSG_TOO_LATE_PLAN % {"field": name, "value": shown, "limit": limit.year},
                field=field,
            )
