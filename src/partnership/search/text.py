"""Words, queries and snippets: the text handling both database backends share."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# A word is a run of letters and digits: "1.1.21" is the words 1, 1, 21 and "C-M(2015)0012"
# the words C, M, 2015, 0012, cut the same way for FTS5 and for PostgreSQL's parser.
WORD = re.compile(r"[^\W_]+")
# Queries longer than this are cut: each word is one more condition for the database.
MAX_TERMS = 12
SNIPPET_CHARS = 180


def words(*texts: str) -> str:
    return " ".join(w for text in texts for w in WORD.findall(text or ""))


@dataclass(frozen=True)
class Term:
    """One chunk of the query as the user typed it: a word, or a code such as 1.1.21 whose
    words must follow one another. A word of letters also finds longer words that start
    with it ("landmine" finds "landmines"); a code or a number is matched exactly."""

    words: tuple[str, ...]

    @property
    def prefix(self) -> bool:
        return len(self.words) == 1 and self.words[0].isalpha() and len(self.words[0]) >= 3


def parse_query(query: str) -> list[Term]:
    terms: list[Term] = []
    for chunk in query.split():
        found = tuple(WORD.findall(chunk))
        if found:
            terms.append(Term(found))
    return terms[:MAX_TERMS]


def fts5_query(terms: list[Term]) -> str:
    """An FTS5 MATCH expression: words hold only letters and digits, so quoting is safe."""
    parts = []
    for term in terms:
        phrase = '"' + " ".join(term.words) + '"'
        parts.append(phrase + ("*" if term.prefix else ""))
    return " AND ".join(parts)


def tsquery(terms: list[Term]) -> str:
    """A `to_tsquery` expression for PostgreSQL: phrases with `<->`, prefixes with `:*`."""
    parts = []
    for term in terms:
        phrase = " <-> ".join(f"'{w}'" for w in term.words)
        parts.append(phrase + (":*" if term.prefix else ""))
    return " & ".join(f"({p})" for p in parts)


def fold(text: str) -> str:
    """Lower case without accents, one character for one, so that positions found in the
    folded text are positions in the original (for marking hits in a snippet)."""
    out = []
    for char in text:
        lowered = char.lower()
        base = unicodedata.normalize("NFKD", lowered)[:1] if len(lowered) == 1 else char
        # "й" and "ї" are letters of their own in Ukrainian; only Latin accents go.
        out.append(lowered if lowered in "йїёґ" else (base or char))
    return "".join(out)


def _spans(folded: str, terms: list[Term]) -> list[tuple[int, int]]:
    spans = []
    for term in terms:
        for word in term.words:
            needle = fold(word)
            pattern = rf"(?<![^\W_]){re.escape(needle)}" + ("" if term.prefix else r"(?![^\W_])")
            spans += [(m.start(), m.end()) for m in re.finditer(pattern, folded)]
    return sorted(spans)


def snippet(
    text: str, terms: list[Term], size: int = SNIPPET_CHARS, *, whole: bool = False
) -> SafeString | None:
    """A piece of `text` around its first hit, the hits marked (all of it with `whole`, for
    a title); None when nothing matches."""
    folded = fold(text)
    spans = _spans(folded, terms)
    if not spans:
        return None
    if whole:
        size = len(text)
    start = 0 if whole else max(0, spans[0][0] - size // 3)
    if start:
        # Start at a word: back to the space before.
        space = text.rfind(" ", 0, start)
        start = space + 1 if space >= 0 and start - space < 20 else start
    end = min(len(text), start + size)
    out = ["…" if start else ""]
    cursor = start
    for a, b in spans:
        if a < cursor or b > end:
            continue
        out += [escape(text[cursor:a]), "<mark>", escape(text[a:b]), "</mark>"]
        cursor = b
    out.append(escape(text[cursor:end]))
    out.append("…" if end < len(text) else "")
    return mark_safe("".join(out))  # every piece of text is escaped above


def opening(text: str, size: int = SNIPPET_CHARS) -> str:
    """The start of a text, cut at a word, when no hit is in it (the title matched)."""
    if len(text) <= size:
        return text
    cut = text.rfind(" ", 0, size)
    return text[: cut if cut > 0 else size] + "…"
