"""The Ukrainian glossary: how a Ukrainian page writes the partnership's acronyms and names.

One place for both uses: pages show an abbreviation through `abbreviation()` (the `abbr`
filter), and the factsheet loader refuses a Ukrainian text that writes an English acronym the
glossary has a Ukrainian form for, or a name the glossary replaces. Prose and records then say
"КУН", "СРГВР", "МССБ" alike, and Building Integrity has one Ukrainian name, not three.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Term:
    english: str
    ukrainian: str  # "" where Ukrainian writes the name in full, with no acronym
    name_uk: str  # what it stands for, as the Ukrainian pages write it


TERMS = {
    term.english: term
    for term in (
        Term("NUC", "КУН", "Комісія Україна – НАТО"),
        Term("PCSC(NUC)", "", "Комітет з питань партнерства і безпеки через співробітництво"),
        Term("JWGDR", "СРГВР", "Спільна робоча група з питань воєнної реформи"),
        Term("JWG DTC", "", "Спільна робоча група з питань оборонно-технічного співробітництва"),
        Term("NIDC", "", "Інформаційно-документаційний центр НАТО"),
        Term("NLO", "", "Офіс зв'язку НАТО"),
        Term("BI", "", "Програма розбудови доброчесності"),
        Term("CEP", "ЦПНС", "цивільне планування на випадок надзвичайних ситуацій"),
        Term("PDP", "ППР", "Програма професійного розвитку"),
        Term("PII", "", "Ініціатива оперативної сумісності партнерів"),
        Term("ISAF", "МССБ", "Міжнародні сили сприяння безпеці"),
        Term("PfP", "ПЗМ", "Партнерство заради миру"),
        Term("PARP", "ПАРП", "Процес планування та оцінки сил"),
        Term("ANP", "РНП", "Річна національна програма"),
        Term("CNAD", "КНДО", "Конференція національних директорів з озброєнь"),
        Term("MFA", "МЗС", "Міністерство закордонних справ України"),
        Term("MoD", "Міноборони", "Міністерство оборони України"),
        Term("NSDC", "РНБО", "Рада національної безпеки і оборони України"),
        Term("SESU", "ДСНС", "Державна служба України з надзвичайних ситуацій"),
    )
}

# Ukrainian names that another one replaces everywhere: (wrong, right).
REPLACED_UK = (
    ("зміцнення доброчесності", "розбудови доброчесності"),
    ("Національна академія оборони України", "Національний університет оборони України"),
    ("Національній академії оборони України", "Національному університеті оборони України"),
    ("старшого органу", "головного органу"),
    ("силам і інституціям", "силам та інституціям"),
)

MSG_ENGLISH_ACRONYM = _("“%(english)s” in a Ukrainian text: the glossary writes it “%(ukrainian)s”")
MSG_IN_FULL = _(
    "“%(english)s” in a Ukrainian text: the glossary writes the name in full, “%(name)s”"
)
MSG_REPLACED = _("“%(wrong)s” in a Ukrainian text: the glossary writes “%(right)s”")


def abbreviation(english: str, language: str | None = None) -> str:
    """The abbreviation as the page's language writes it ("NUC", "КУН"; "" for none)."""
    if not english:
        return ""
    lang = language or get_language() or "en"
    if not lang.startswith("uk"):
        return english
    term = TERMS.get(english)
    return term.ukrainian if term is not None else english


def ukrainian_problems(text: str) -> list[str]:
    """What a Ukrainian text writes against the glossary (empty when nothing)."""
    problems = [
        str(
            MSG_ENGLISH_ACRONYM % {"english": term.english, "ukrainian": term.ukrainian}
            if term.ukrainian
            else MSG_IN_FULL % {"english": term.english, "name": term.name_uk}
        )
        for term in TERMS.values()
        if re.search(rf"(?<!\w){re.escape(term.english)}(?!\w)", text)
    ]
    problems.extend(
        str(MSG_REPLACED % {"wrong": wrong, "right": right})
        for wrong, right in REPLACED_UK
        if wrong.lower() in text.lower()
    )
    return problems
