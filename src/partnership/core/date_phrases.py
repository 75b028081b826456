"""Partial dates inside a sentence: "signed in July 1997", "підписано у липні 1997 року".

`PartialDate.render` writes a date as a heading or a table cell writes it ("Липень 1997").
Inside a sentence, Ukrainian puts the month in the case its preposition governs: "у липні"
(locative), "з липня", "до липня" (genitive), and adds "року"/"році". This module is the one
place that knows those forms; templates use it through the `date_in`, `date_since` and
`date_until` filters (`core/templatetags/date_phrases.py`), never by writing dates by hand.
"""

from __future__ import annotations

from typing import Any, Literal

import edtf
from django.utils.translation import get_language

from partnership.core.partial_dates import (
    MONTHS_UK_GENITIVE,
    PartialDate,
    _parts,
    _render_simple,
)

Role = Literal["in", "since", "until"]

# Locative, after "у": "у травні 2000 року".
MONTHS_UK_LOCATIVE = [
    "січні",
    "лютому",
    "березні",
    "квітні",
    "травні",
    "червні",
    "липні",
    "серпні",
    "вересні",
    "жовтні",
    "листопаді",
    "грудні",
]
# Seasons without a preposition ("восени 2004 року") and in the genitive ("з осені 2004 року");
# quarters and halves in the locative ("у I кварталі") and the genitive ("з I кварталу").
SEASONS_UK_IN = {
    21: "навесні",
    22: "влітку",
    23: "восени",
    24: "взимку",
    33: "у I кварталі",
    34: "у II кварталі",
    35: "у III кварталі",
    36: "у IV кварталі",
    40: "у першому півріччі",
    41: "у другому півріччі",
}
SEASONS_UK_GENITIVE = {
    21: "весни",
    22: "літа",
    23: "осені",
    24: "зими",
    33: "I кварталу",
    34: "II кварталу",
    35: "III кварталу",
    36: "IV кварталу",
    40: "першого півріччя",
    41: "другого півріччя",
}
SEASONS_EN = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
PREPOSITION_UK = {"since": "з", "until": "до"}
PREPOSITION_EN = {"since": "since", "until": "until"}


def date_phrase(value: str, role: Role, language: str | None = None) -> str:
    """The date as it reads after a verb: `role` "in" (when), "since" or "until"."""
    if not value:
        return ""
    lang = "uk" if (language or get_language() or "en").startswith("uk") else "en"
    parsed = PartialDate.parse(value)._parsed
    return _uk(parsed, role) if lang == "uk" else _en(parsed, role)


def _is_open(section: Any) -> bool:
    return isinstance(section, edtf.UnspecifiedIntervalSection)


def _plain(parsed: Any) -> Any:
    """The date inside an approximate or uncertain wrapper (which the library also puts around
    plain interval ends); the marks themselves are shown by `render`, not in a sentence."""
    while isinstance(parsed, edtf.UncertainOrApproximate):
        parsed = parsed.date
    return parsed


# Ukrainian


def _uk(parsed: Any, role: Role) -> str:
    if isinstance(parsed, edtf.Interval):
        return _uk_interval(parsed.lower, parsed.upper, role)
    if isinstance(parsed, edtf.MultipleDates | edtf.OneOfASet):
        return _uk_set(list(parsed.objects), role)
    return _uk_simple(_plain(parsed), role)


def _uk_simple(parsed: Any, role: Role) -> str:
    if isinstance(parsed, edtf.Season | edtf.Level2Season):
        season, year = int(parsed.season), int(parsed.year)
        if role == "in":
            return f"{SEASONS_UK_IN.get(season, str(season))} {year} року"
        return f"{PREPOSITION_UK[role]} {SEASONS_UK_GENITIVE.get(season, str(season))} {year} року"
    year, month, day = _parts(parsed)
    if month is None:
        return f"у {year} році" if role == "in" else f"{PREPOSITION_UK[role]} {year} року"
    if day is None:
        if role == "in":
            return f"у {MONTHS_UK_LOCATIVE[month - 1]} {year} року"
        return f"{PREPOSITION_UK[role]} {MONTHS_UK_GENITIVE[month - 1]} {year} року"
    dated = f"{day} {MONTHS_UK_GENITIVE[month - 1]} {year} року"
    return dated if role == "in" else f"{PREPOSITION_UK[role]} {dated}"


def _uk_interval(lower: Any, upper: Any, role: Role) -> str:
    if _is_open(upper):
        return _uk_simple(_plain(lower), "since")
    if _is_open(lower):
        return _uk_simple(_plain(upper), "until")
    lower, upper = _plain(lower), _plain(upper)
    if isinstance(lower, edtf.Date) and isinstance(upper, edtf.Date):
        ly, lm, ld = _parts(lower)
        uy, um, ud = _parts(upper)
        if ly == uy and lm == um and lm and ld and ud:
            return f"{ld}–{ud} {MONTHS_UK_GENITIVE[lm - 1]} {ly} року"
        if lm is None and um is None:
            return f"у {ly}–{uy} роках"
        if ly == uy and lm and um and not ld and not ud:
            return f"у {MONTHS_UK_LOCATIVE[lm - 1]}–{MONTHS_UK_LOCATIVE[um - 1]} {ly} року"
    return f"{_uk_simple(lower, 'since')} {_uk_simple(upper, 'until')}"


def _uk_set(members: list[Any], role: Role) -> str:
    plain = [_plain(m) for m in members]
    parts = [_parts(m) for m in plain if isinstance(m, edtf.Date)]
    one_year = len(parts) == len(plain) and len({year for year, _m, _d in parts}) == 1
    if one_year and all(month and not day for _y, month, day in parts):
        table = MONTHS_UK_LOCATIVE if role == "in" else MONTHS_UK_GENITIVE
        names = [table[month - 1] for _y, month, _d in parts if month]
        lead = "у" if role == "in" else PREPOSITION_UK[role]
        return f"{lead} {_join(names, ' та ')} {parts[0][0]} року"
    return _join([_uk_simple(m, role) for m in plain], " і ")


# English


def _en(parsed: Any, role: Role) -> str:
    if isinstance(parsed, edtf.Interval):
        # A closed interval says its own bounds, whatever the verb: "from March 2005 to
        # December 2011", "in 2002-2003", "on 4-5 September 2014".
        if _is_open(parsed.upper):
            return _en_simple(_plain(parsed.lower), "since")
        if _is_open(parsed.lower):
            return _en_simple(_plain(parsed.upper), "until")
        lower, upper = _plain(parsed.lower), _plain(parsed.upper)
        if isinstance(lower, edtf.Date) and isinstance(upper, edtf.Date):
            ly, lm, ld = _parts(lower)
            uy, um, ud = _parts(upper)
            text = PartialDate.parse(str(parsed)).render("en")
            if ly == uy and lm == um and lm and ld and ud:
                return f"on {text}"
            if (lm is None and um is None) or (ly == uy and lm and um and not ld and not ud):
                return f"in {text}"
        return f"from {_en_bare(lower)} to {_en_bare(upper)}"
    if isinstance(parsed, edtf.MultipleDates | edtf.OneOfASet):
        text = PartialDate.parse(str(parsed)).render("en")
        return f"in {text}" if role == "in" else f"{PREPOSITION_EN[role]} {text}"
    return _en_simple(_plain(parsed), role)


def _en_bare(parsed: Any) -> str:
    if isinstance(parsed, edtf.Season | edtf.Level2Season):
        season = int(parsed.season)
        if season in SEASONS_EN:
            return f"{SEASONS_EN[season]} {int(parsed.year)}"
    return _render_simple(parsed, "en")


def _en_simple(parsed: Any, role: Role) -> str:
    text = _en_bare(parsed)
    if role != "in":
        return f"{PREPOSITION_EN[role]} {text}"
    _year, _month, day = _parts(parsed) if isinstance(parsed, edtf.Date) else (0, None, None)
    return f"on {text}" if day else f"in {text}"


def _join(items: list[str], conjunction: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + conjunction + items[-1]
