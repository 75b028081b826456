"""The structure of NATO Stock Numbers and NCAGE codes, as the NATO Codification System
describes them publicly (NSPA, "NATO Codification System", and ACodP-1, the NCS manual).

An NSN is 13 digits, written 4-2-3-4 ("1005-12-345-6789"): the NATO Supply Classification
(a 2-digit supply group and a 2-digit class within it), then the 9-digit NATO Item
Identification Number: the 2-digit code of the National Codification Bureau that assigned it
and a 7-digit item number. Supply groups run from 10 to 99.

An NCAGE code is 5 characters, digits and capital letters without I and O (kept out so that
they are not read as 1 and 0).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

MSG_NSN_FORMAT = _(
    "“%(value)s” is not a NATO Stock Number: it has 13 digits, written 1005-12-345-6789."
)
MSG_NSN_GROUP = _(
    "“%(value)s” is not a NATO Stock Number: the supply group (first two digits) runs "
    "from 10 to 99."
)
MSG_NSN_CLASS = _(
    "“%(value)s” is not a supply classification: it has four digits, a group from 10 to 99 and a class."
)
MSG_NCAGE = _(
    "“%(value)s” is not an NCAGE code: it has five characters, digits and capital letters other than I and O."
)
MSG_NCB = _("“%(value)s” is not a National Codification Bureau code: it has two digits.")

_NSN = re.compile(r"^\d{13}$")
_NCAGE = re.compile(r"^[0-9A-HJ-NP-Z]{5}$")
_SEPARATORS = re.compile(r"[\s\-./]")


class CodeError(ValueError):
    """A code of the wrong structure; the message names the value and the rule."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Nsn:
    """A NATO Stock Number, split into the parts the NCS gives it."""

    digits: str

    @property
    def group(self) -> str:
        return self.digits[:2]

    @property
    def supply_class(self) -> str:
        return self.digits[:4]

    @property
    def bureau(self) -> str:
        return self.digits[4:6]

    @property
    def item_number(self) -> str:
        return self.digits[6:]

    @property
    def niin(self) -> str:
        return self.digits[4:]

    def __str__(self) -> str:
        d = self.digits
        return f"{d[:4]}-{d[4:6]}-{d[6:9]}-{d[9:]}"


def nsn_parse(value: str) -> Nsn:
    """An NSN as people write it (with hyphens, spaces or none) or a `CodeError`."""
    digits = _SEPARATORS.sub("", str(value))
    if not _NSN.match(digits):
        raise CodeError(MSG_NSN_FORMAT % {"value": value})
    if int(digits[:2]) < 10:
        raise CodeError(MSG_NSN_GROUP % {"value": value})
    return Nsn(digits)


def supply_class_parse(value: str) -> str:
    digits = _SEPARATORS.sub("", str(value))
    if not re.fullmatch(r"\d{4}", digits) or int(digits[:2]) < 10:
        raise CodeError(MSG_NSN_CLASS % {"value": value})
    return digits


def ncage_parse(value: str) -> str:
    code = str(value).strip().upper()
    if not _NCAGE.match(code):
        raise CodeError(MSG_NCAGE % {"value": value})
    return code


def ncb_parse(value: str) -> str:
    code = str(value).strip()
    if not re.fullmatch(r"\d{2}", code):
        raise CodeError(MSG_NCB % {"value": value})
    return code


def reference_key(value: str) -> str:
    """A manufacturer's reference number compared as the NCS compares them: case, spaces and
    punctuation do not make two references different ("MS-3367 4" is "ms33674")."""
    return re.sub(r"[^0-9A-Z]", "", str(value).upper())
