"""The Ukrainian glossary: one way to write each acronym and name on Ukrainian pages."""

from django.template import Context, Template
from django.utils import translation

from partnership.core.glossary import abbreviation, ukrainian_problems


def test_an_abbreviation_follows_the_pages_language() -> None:
    assert abbreviation("NUC", "en") == "NUC"
    assert abbreviation("NUC", "uk") == "КУН"
    assert abbreviation("JWGDR", "uk") == "СРГВР"
    assert abbreviation("ISAF", "uk") == "МССБ"
    # Where Ukrainian writes the name in full, there is no acronym to show
    assert abbreviation("PCSC(NUC)", "uk") == ""
    # Names kept in Latin letters in Ukrainian (DEEP, NSPA) stay as they are
    assert abbreviation("DEEP", "uk") == "DEEP"


def test_the_filter_uses_the_active_language() -> None:
    template = Template("{% load glossary %}{{ short|abbr }}")

    with translation.override("uk"):
        assert template.render(Context({"short": "MoD"})) == "Міноборони"
    with translation.override("en"):
        assert template.render(Context({"short": "MoD"})) == "MoD"


def test_a_ukrainian_text_with_an_english_acronym_or_a_replaced_name_is_named() -> None:
    assert ukrainian_problems("Засідання КУН у Брюсселі") == []
    assert ukrainian_problems("Засідання NUC у Брюсселі") == [
        "“NUC” in a Ukrainian text: the glossary writes it “КУН”"
    ]
    assert ukrainian_problems("у форматі (NUC)")
    # "BI" inside a longer word is not the acronym
    assert ukrainian_problems("BIG і NUCLEAR") == []
    assert ukrainian_problems("участь у програмі зміцнення доброчесності") == [
        "“зміцнення доброчесності” in a Ukrainian text: the glossary writes “розбудови доброчесності”"
    ]


def test_an_acronym_ukrainian_writes_in_full_is_named_with_the_full_name() -> None:
    # (the NUC inside it is named as well)
    assert (
        "“PCSC(NUC)” in a Ukrainian text: the glossary writes the name in full, "
        "“Комітет з питань партнерства і безпеки через співробітництво”"
    ) in ukrainian_problems("засідання PCSC(NUC)")
    assert ukrainian_problems("Офіс NLO") == [
        "“NLO” in a Ukrainian text: the glossary writes the name in full, “Офіс зв'язку НАТО”"
    ]
