"""Every message has a real Ukrainian translation, and the compiled catalogue matches it."""

import gettext
import re
from pathlib import Path

import partnership

LOCALE = Path(partnership.__file__).parent / "locale" / "uk" / "LC_MESSAGES"
ENTRY = re.compile(r'^(?:msgctxt (".*")\n)?msgid ((?:".*"\n)+)msgstr ((?:".*"\n)+)', re.MULTILINE)


def _unquote(block: str) -> str:
    parts = re.findall(r'"(.*)"', block)
    return "".join(parts).encode("raw_unicode_escape").decode("unicode_escape")


def po_entries() -> dict[str, str]:
    """msgid (or "context\x04msgid", as gettext keys a message with a context) -> msgstr."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    return {
        (_unquote(c) + "\x04" if c else "") + _unquote(i): _unquote(s)
        for c, i, s in ENTRY.findall(text)
        if _unquote(i)
    }


def test_every_message_is_translated_into_ukrainian() -> None:
    entries = po_entries()

    assert len(entries) > 200
    untranslated = [msgid for msgid, msgstr in entries.items() if not msgstr]
    assert untranslated == []
    # Real translations: texts with letters are in Cyrillic, not copies of the English.
    copies = [m for m, s in entries.items() if s == m and re.search("[A-Za-z]{4}", m)]
    assert copies == []


def test_compiled_catalogue_is_up_to_date() -> None:
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    for msgid, msgstr in po_entries().items():
        assert compiled.gettext(msgid) == msgstr, msgid
    assert (
        compiled.ngettext("%(counter)s milestone", "%(counter)s milestones", 7) == "%(counter)s віх"
    )


def test_no_translated_text_hides_inside_an_f_string() -> None:
    """xgettext does not look inside f-string expressions: a `_()` there is never extracted,
    so the text would stay English on every Ukrainian page."""
    import re
    from pathlib import Path

    import partnership

    pattern = re.compile(r"""\bf(["']).*\{[^}]*\b_\(""")
    found = [
        f"{path}:{number}"
        for path in Path(partnership.__file__).parent.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if pattern.search(line)
    ]
    assert found == []
