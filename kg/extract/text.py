"""Sentences and paragraphs of a readout body, as spans of the exact text.

In: text and the body's bounds. Out: :class:`Sentence` spans (with their paragraph number).
A blank line, or a line break after a full stop, ends a paragraph; other line breaks are the
hard wrapping of Markdown and count as spaces. A full stop ends a sentence unless it closes an
abbreviation ("U.S.", "Mr.", "Joseph R. Biden").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "jr",
    "sr",
    "gen",
    "lt",
    "col",
    "maj",
    "capt",
    "no",
    "vs",
    "etc",
    "inc",
    "ltd",
    "co",
    "gov",
    "sen",
    "rep",
    "amb",
    "prof",
    "mt",
    "hon",
    "rt",
    "u.s",
    "u.k",
    "u.n",
    "e.u",
    "d.c",
    "p.r.c",
    "u.s.a",
    "a.m",
    "p.m",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "h.e",
    "h.r.h",
    "h.m",
    "e.g",
    "i.e",
    "cf",
    "approx",
    "dept",
}

ABBREVIATION_END = re.compile(r"\b(?:[A-Z]\.){2,}$")  # "U.S.", "U.K.": a full stop that is the name's
BULLET = re.compile(r"(?:[•\-\*–·▪◦]|\d{1,2}[.)]|\([a-z0-9]{1,3}\))[ \t]+")
_PARA = re.compile(
    r"\n[ \t\u00a0]*\n\s*|(?<=[.!?:\"”’])[ \t]*\n\s*|[ \t]*\n\s*(?=(?:[•\-\*–·▪◦]|\d{1,2}[.)]|"
    r"\([a-z0-9]{1,3}\))[ \t]+\S)"
)
_END = re.compile(r"[.!?][\"”’)\]]?\s+(?=[\"“‘(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    paragraph: int
    text: str


def _is_boundary(text: str, pos: int, m: re.Match[str]) -> bool:
    """Whether the match at ``pos`` (a punctuation run and space) ends a sentence."""
    punct = m.group(0).rstrip()
    if not punct or punct[0] not in ".!?":
        return False
    if punct[0] != ".":
        back = text[max(0, pos - 80) : pos]
        # "the “World Assembly for Women (WAW! Tokyo 2014)”": an exclamation inside a name's parenthesis or quotes
        return back.count("(") <= back.count(")") and back.count("“") <= back.count("”")
    # the word before the full stop
    j = pos
    while j > 0 and not text[j - 1].isspace() and text[j - 1] not in '("“':
        j -= 1
    word = text[j:pos].lower().strip("'’")
    if word.isdigit() and len(word) <= 2 and (j == 0 or text[j - 1] == "\n" or not _char_before(text, j).isalnum()):
        return False  # "1. Expand ...": a list number
    if word not in ABBREVIATIONS and re.search(r"[-–/]", word):
        word = re.split(r"[-–/]", word)[-1]  # "the Guyana-U.S. Strategic Dialogue": the abbreviation ends the word
    if word in ABBREVIATIONS:
        # "the U.S. The two sides ..." : a sentence start after U.S. when a common opener follows
        nxt = text[m.end() : m.end() + 12]
        return word in {"u.s", "u.k", "u.n", "e.u", "d.c"} and bool(
            re.match(r"(The|They|He|She|Both|We|In|On|This|It)\b", nxt)
        )
    if len(word) == 1 and word.isalpha():  # an initial: "Joseph R. Biden"
        return False
    return not re.fullmatch(r"([a-z]\.)+[a-z]", word)  # "p.r.c" and the like


def _char_before(text: str, j: int) -> str:
    """The last character before ``j`` that is not a space ("" if none): ``text[:j].strip()[-1:]`` without
    copying the text before ``j``."""
    while j > 0 and text[j - 1].isspace():
        j -= 1
    return text[j - 1] if j > 0 else ""


def sentences(text: str, start: int, end: int) -> list[Sentence]:
    """The sentences of ``text[start:end]`` in order."""
    out: list[Sentence] = []
    pos = start
    paragraphs: list[tuple[int, int]] = []
    for m in _PARA.finditer(text, start, end):
        paragraphs.append((pos, m.start()))
        pos = m.end()
    paragraphs.append((pos, end))
    for para, (p_start, p_end) in enumerate(paragraphs):
        s = p_start
        for m in _END.finditer(text, p_start, p_end):
            if _is_boundary(text, m.start(), m):
                stop = m.start() + len(m.group(0).rstrip())
                for x, y in _pieces(text, s, stop):
                    if text[x:y].strip():
                        out.append(_make(text, x, y, para))
                s = m.end()
        for x, y in _pieces(text, s, p_end):
            if text[x:y].strip():
                out.append(_make(text, x, y, para))
    return out


MAX_SENTENCE = 1200  # characters; longer runs (lists without full stops, junk) are cut into pieces


def _pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """``text[a:b]`` cut into runs of at most MAX_SENTENCE characters, at a semicolon, comma or space."""
    out = []
    while b - a > MAX_SENTENCE:
        window = text[a : a + MAX_SENTENCE]
        cut = max(window.rfind(";"), window.rfind(","))
        if cut < MAX_SENTENCE // 2:
            cut = window.rfind(" ")
        cut = cut + 1 if cut > 0 else MAX_SENTENCE
        out.append((a, a + cut))
        a += cut
    out.append((a, b))
    return out


def _make(text: str, a: int, b: int, para: int) -> Sentence:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return Sentence(a, b, para, text[a:b])
