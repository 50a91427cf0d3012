"""People in readouts: titled persons, the state each represents, and references to them.

In: text spans and the gazetteer. Out: :class:`Person` records (name, title, state). References to
them ("Kazakbaev", "the Secretary", "he", "the two leaders") are resolved in
:mod:`kg.extract.references`.

A person's state comes from context: "Foreign Minister X of Y", "Y's Foreign Minister X",
"Kyrgyz Foreign Minister X", "X, Secretary General of Y's ...". A person with a title and no
country named ("Foreign Minister Wang Yi" in a Chinese readout) represents the publisher.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable
from functools import cached_property, lru_cache
from itertools import accumulate
from dataclasses import dataclass

from kg.extract.lexicon import HEAD_TITLES, INSTITUTION, NON_NAME, OFFICE_STATES, TITLE_WORDS
from kg.extract.morph import lemmas, parts_of_speech
from kg.gazetteer import Gazetteer

# Heads of titles that name a principal ("the President", "the Secretary").

_PARTICLE = r"(?:al|el|bin|bint|ibn|von|van|der|den|de|da|dos|du|del|la|le|di|y)"
_CAP = r"(?:(?:[A-Z]\.){2,}|[A-Z][^\W\d_]*(?:['’][^\W\d_]+)?(?:-[A-Z]?[^\W\d_]+)*\.?|[A-Z]\.)"
# A run of capitalised tokens, with particles and "of/the/and/for" joining title parts.
RUN_RE = re.compile(
    rf"{_CAP}(?:(?:\s+|-|,\s+)(?:{_PARTICLE}(?:\s+|-)){{0,2}}{_CAP}|(?:\s+(?:of|the|and|for|on|to))+\s+(?=[A-Z]){_CAP})*"
    r"(?:,?\s+Jr\.?)?"
)


_SHORT_PARTICLES = {"al", "el", "de", "da", "du", "la", "le", "di", "bin", "jr", "mr", "ms", "dr", "st"}


@dataclass
class Person:
    name: str
    state: str | None
    title: str
    start: int
    end: int
    home: bool = False  # no country named: represents the publisher
    later: bool = False  # met later in a multi-party readout: not one of the lead's "both sides"

    @cached_property
    def tokens(self) -> set[str]:
        """Name parts that identify the person ("wang", "yi", "kazakbaev"); two-letter ones only when
        they are not particles ("Li", "Ma", but not "al", "de")."""
        parts = [t.strip(".,") for t in _NAME_SPLIT.split(self.name)]
        return {
            t.lower()
            for t in parts
            if len(t) >= 3 or (len(t) == 2 and t[0].isupper() and t[1].islower() and t.lower() not in _SHORT_PARTICLES)
        }

    @cached_property
    def plain_tokens(self) -> set[str]:
        """The name parts written without their diacritics ("Sơn" -> "son"), as English texts often write them."""
        return {plain for t in self.tokens if (plain := fold(t)) != t and len(plain) >= 2}


def same_person(a: Person, b: Person) -> bool:
    """Whether two mentions name one person: a shared surname, or every part of the shorter name ("Kazakbaev",
    "Ruslan Kazakbaev"); a shared first name alone is two people ("Jean Asselborn", "Jean-Yves Le Drian")."""
    ta, tb = a.tokens, b.tokens
    last_a, last_b = (_low(n.split()[-1]) for n in (a.name, b.name))
    if not ta & tb:
        # a doubled letter written once is the same name ("Abbot" for "Abbott")
        ta, tb = {_squash(t) for t in ta}, {_squash(t) for t in tb}
        last_a, last_b = _squash(last_a), _squash(last_b)
        if not ta & tb:
            return False
    return last_a in tb or last_b in ta or ta <= tb or tb <= ta


@lru_cache(maxsize=8192)
def _squash(token: str) -> str:
    return re.sub(r"(\w)\1", r"\1", token)


def fold(word: str) -> str:
    """``word`` without diacritics ("sơn" -> "son", "bùi" -> "bui")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word) if not unicodedata.combining(ch))


_ABSTRACT = re.compile(r"(?:tion|sion|ism|ment|ity|ary|ance|ence|ship|ness)$")


def _common_words(words: list[str], gaz: Gazetteer) -> bool:
    """Words that are no person's name: a plural noun ("Seas", "Ministries"), an abstract noun or
    an adjective of that shape ("Integration", "Parliamentary"), adjectives only ("Local"), or a
    place ("KUALA LUMPUR")."""
    if gaz.lookup(" ".join(w.capitalize() for w in words)) or gaz.lookup(" ".join(words)):
        return True
    if not all(parts_of_speech(_low(w)) for w in words if not _INITIAL.fullmatch(w)):
        return False  # a word no dictionary knows ("Bruins Slot" has "Hanke"): a name
    for w in words:
        low = _low(w)
        pos = parts_of_speech(low)
        if not pos or _INITIAL.fullmatch(w):
            continue
        nouns = lemmas(low, "NOUN")
        if (low.endswith("s") and nouns and low not in nouns) or (_ABSTRACT.search(low) and pos & {"NOUN", "ADJ"}):
            return True
    return len(words) == 1 and parts_of_speech(_low(words[0])) == frozenset({"ADJ"})


_INITIAL = re.compile(r"[A-Z]\.")  # "Enrique A. Manalo": an initial, not the article
_NAME_SPLIT = re.compile(r"[\s\-]+")
_POSSESSIVE = re.compile(r"['’]s?$")
_NAME_STOP = re.compile(r"['’]s?$|,$")
_POSSESSIVE_S = re.compile(r"['’]s$")
_TOKEN = re.compile(r"[^\s]+")


def _strip_possessive(tok: str) -> str:
    return _POSSESSIVE.sub("", tok)


_CONNECT = {"of", "the", "and", "for", "on", "to"}


@lru_cache(maxsize=8192)
def _low(tok: str) -> str:
    return _strip_possessive(tok.lower().rstrip(",.;:"))


def _is_title_tok(tok: str, gaz: Gazetteer, covered: bool = False) -> bool:
    if covered:
        return _low(tok) not in _CONNECT
    return _title_tok(tok, gaz)


@lru_cache(maxsize=8192)
def _title_tok(tok: str, gaz: Gazetteer) -> bool:
    low = _low(tok)
    if low in _CONNECT:
        return False
    return (
        low in TITLE_WORDS
        or tok.lower() in TITLE_WORDS
        or tok.rstrip(",") == "HE"  # "HE Mr Hissein Brahim Taha": His Excellency
        or low in ("u.s", "u.k", "prc", "us", "uk", "eu", "un")
        or gaz.lookup(_strip_possessive(tok.rstrip(",.;:"))) is not None
    )


class _Spans:
    """Spans, and whether one of them overlaps a given span: a binary search, however many spans there are."""

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self._starts = [a for a, _b in ordered]
        self._reach = list(accumulate((b for _a, b in ordered), max))  # the furthest end of the spans so far

    def overlaps(self, a: int, b: int) -> bool:
        """Whether a span starts before ``b`` and ends after ``a``."""
        i = bisect_left(self._starts, b)
        return i > 0 and self._reach[i - 1] > a


def find_persons(text: str, start: int, end: int, gaz: Gazetteer) -> list[Person]:
    """Titled, named persons in ``text[start:end]``, with the state each represents (or None)."""
    out: list[Person] = []
    covers = _Spans((g.start, g.end) for g in gaz.find(text, start, end))
    for m in RUN_RE.finditer(text, start, end):
        toks = [(t.group(0), m.start() + t.start()) for t in _TOKEN.finditer(m.group(0))]
        cov = {pos for _tok, pos in toks if covers.overlaps(pos, pos + 1)}  # the tokens inside an actor's name
        i = 0
        while i < len(toks):
            # a title prefix: title words, actor names, connectors
            j = i
            while j < len(toks) and (
                _is_title_tok(toks[j][0], gaz, toks[j][1] in cov) or (toks[j][0].lower() in _CONNECT and j > i)
            ):
                if (
                    toks[j][0].endswith(",")
                    and j + 1 < len(toks)
                    and not _is_title_tok(toks[j + 1][0], gaz, toks[j + 1][1] in cov)
                ):
                    j += 1
                    break
                j += 1
            first_name = (
                j - i >= 2 and j < len(toks) and _capital_word(toks[j - 1][0], gaz) and not _title_tok(toks[j - 2][0], gaz)
            )
            if first_name:
                j -= 1  # "... of Turkic Speaking Countries Baghdad Amreyev": a capital's name that is his first name
            prefix = toks[i:j]
            # "X, Deputy Minister of Armenia and Y van der Plas, Director ...": after a name's comma, a title
            # ending in "and" is X's, not Y's
            borrowed = bool(prefix) and prefix[-1][0].lower() == "and" and i > 0 and toks[i - 1][0].endswith(",")
            while prefix and prefix[-1][0].lower() in _CONNECT:
                prefix = prefix[:-1]
            # the name: tokens up to a connector, a possessive or a comma
            k = j
            while k < len(toks) and toks[k][0].lower() not in {"of", "and", "the", "for", "on", "to"}:
                k += 1
                if _NAME_STOP.search(toks[k - 1][0]) or (
                    _is_title_tok(toks[k - 1][0], gaz, toks[k - 1][1] in cov) and not (first_name and k - 1 == j)
                ):
                    break
            name_toks = toks[j:k]
            while (
                name_toks
                and _is_title_tok(name_toks[-1][0], gaz, name_toks[-1][1] in cov)
                and not _POSSESSIVE_S.search(name_toks[-1][0])
            ):
                name_toks = name_toks[:-1]
            i = max(k, i + 1)
            if name_toks and i < len(toks) and toks[i][0].lower() == "of":
                # "X of the United Kingdom, President Y": the country belongs to X, not to Y's title
                i += 1
                while i < len(toks) and (toks[i][0].lower() == "the" or toks[i][1] in cov):
                    i += 1
                    if toks[i - 1][0].endswith(","):
                        break
            if not prefix or not name_toks:
                continue
            if not any(_low(t) in TITLE_WORDS - _CONNECT for t, _ in prefix):
                continue
            if (
                len(name_toks) == 1
                and parts_of_speech(_low(name_toks[0][0]))
                and not any(_low(t) in HEAD_TITLES or t.lower() in HEAD_TITLES for t, _ in prefix)
            ):
                continue  # "European Defense Industrial Development Program": title words without a head, a word
            name_start = name_toks[0][1]
            name_end = name_toks[-1][1] + len(name_toks[-1][0])
            name = _strip_possessive(text[name_start:name_end].rstrip(",;:"))
            name = re.sub(r"(?:,?\s+(?:Jr|MP|QC|KC|PhD)\.?)+$", "", name)
            if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
                name = name[:-1]
            if re.fullmatch(r"(?:[A-Z][a-z]+){3,}", name):  # "SecretaryDominicRaab": words run together
                parts = re.findall(r"[A-Z][a-z]+", name)
                name = " ".join(w for w in parts if w.lower() not in TITLE_WORDS) or name
            words = [w for w in re.split(r"\s+", name) if w]
            if not words or any(
                (_low(w) in INSTITUTION or _low(w) in NON_NAME) and not _INITIAL.fullmatch(w) for w in words
            ) or _common_words(words, gaz):
                continue
            state = None if borrowed else _state_in(text, prefix[0][1], name_start, gaz)
            after = _state_after(text, name_end, end, gaz)
            # a state in the title itself wins: "Australian Prime Minister X, Timor-Leste Prime Minister Y"
            state = state or after or _state_before(text, max(start, prefix[0][1] - 160), prefix[0][1], gaz)
            title = "" if borrowed else " ".join(t for t, _ in prefix)
            state = state or _office_state(title)
            out.append(
                Person(
                    name=name,
                    state=state,
                    title=title,
                    start=prefix[0][1],
                    end=name_start + len(name),
                    home=state is None,
                )
            )
    out += _appositive_persons(text, start, end, gaz, out)
    out += _counterparts(text, start, end, gaz, out)
    out.sort(key=lambda p: p.start)
    return out


_NAME_TOK = r"(?:[A-Z][^\W\d_]+(?:['’][^\W\d_]+)?(?:-[A-Za-z][^\W\d_]*)*|[A-Z]\.)"
_COUNTERPART = re.compile(
    rf"\b(?:(?:his|her|their|its)\s+)?(?:([A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\s+)?"
    rf"(?:counterpart|top\s+diplomat|chief\s+diplomat),?\s+"
    rf"(?:(?:Mr|Mrs|Ms|Dr|H\.E|HE|Hon|Sheikh)\.?\s+)*"
    rf"({_NAME_TOK}(?:[\s-]+(?:{_PARTICLE}[\s-]+)?{_NAME_TOK}){{0,3}})"
)


def _capital_word(tok: str, gaz: Gazetteer) -> bool:
    """A capital city's one-word name ("Baghdad"), which is a first name too."""
    return gaz.kind(tok) == "capital"


def _counterparts(text: str, start: int, end: int, gaz: Gazetteer, known: list[Person]) -> list[Person]:
    """ "his Israeli counterpart Gabi Ashkenazi", "her British counterpart, James Cleverly": a
    counterpart named after the word, representing the state its adjective names."""
    out = []
    taken = _Spans((p.start, p.end) for p in known)
    for m in _COUNTERPART.finditer(text, start, end):
        name = m.group(2)
        if taken.overlaps(m.start(2), m.end(2)):
            state = gaz.lookup(m.group(1)) if m.group(1) else None
            for p in known:  # "his Singaporean counterpart Dr Vivian Balakrishnan": found, with no country
                if p.start < m.end(2) and m.start(2) < p.end and p.home and state:
                    p.state, p.home = state, False
            continue
        words = name.split()
        stop = TITLE_WORDS | NON_NAME | INSTITUTION
        while words and (_low(words[-1]) in stop or gaz.lookup(_strip_possessive(words[-1]))):
            words.pop()
        if not words or any(_low(w) in stop or gaz.lookup(w) for w in words) or _common_words(words, gaz):
            continue
        name = " ".join(words)
        named = _strip_possessive(m.group(1)) if m.group(1) else None  # "Luxembourg's top diplomat, Jean Asselborn"
        state = (gaz.lookup(named) if named else None) or _state_after(text, m.start(2) + len(name), end, gaz)
        out.append(Person(name=name, state=state, title="counterpart", start=m.start(2), end=m.start(2) + len(name),
                          home=False))  # fmt: skip
    return out


_APPOS = re.compile(
    rf"(?<![\w.])((?:[A-Z][^\W\d_]+|[A-Z]\.)(?:[\s-]+(?:{_PARTICLE}\s+){{0,2}}(?:[A-Z][^\W\d_’'-]+|[A-Z]\.)){{1,3}}),\s+"
    r"(?:the\s+)?(?=[^,;]{0,80}?\b(?:Minister|Secretary|President|Director|Director-General|"
    r"Advisor|Adviser|Ambassador|Chair|Chairman|Leader|Head|Envoy|Councilor|Premier|"
    r"Spokesperson|Under\s+Secretary)\b)"
)


def _appositive_persons(text: str, start: int, end: int, gaz: Gazetteer, known: list[Person]) -> list[Person]:
    """ "Miao Deyu, Director-General of ... of China": a name followed by its title."""
    out = []
    taken = _Spans((p.start, p.end) for p in known)
    for m in _APPOS.finditer(text, start, end):
        name = m.group(1)
        if taken.overlaps(m.start(), m.end(1)):
            continue
        words = name.split()
        if any(_low(w) in TITLE_WORDS | NON_NAME | INSTITUTION or gaz.lookup(w) for w in words) or _common_words(words, gaz):
            continue
        state = _state_after(text, m.end(1), end, gaz)
        out.append(Person(name=name, state=state, title="", start=m.start(1), end=m.end(1), home=state is None))
    return out


_OFFICES = [(re.compile(rx, re.IGNORECASE), code) for rx, code in OFFICE_STATES]


def _office_state(title: str) -> str | None:
    """The state of an office only one state has ("Taoiseach", "External Affairs Minister")."""
    return next((code for rx, code in _OFFICES if rx.search(title)), None)


def _state_in(text: str, a: int, b: int, gaz: Gazetteer) -> str | None:
    """The first actor named in a title ("Kyrgyz Foreign Minister", "Turkey's", "PRC Director"),
    after its last comma ("Oslo, Iranian Foreign Minister X": the place before the comma is not his)."""
    comma = text.rfind(",", a, b)
    if comma >= 0 and gaz.find(text, comma + 1, b):
        a = comma + 1
    while comma > a:
        # "Manila, Philippines, Mr. X": segments of places before the honorific are a dateline, not his title;
        # "Minister for Foreign Affairs of Japan, Mr. X" keeps its segment (it has a title word)
        before = text.rfind(",", a, comma)
        segment = text[(before + 1 if before >= 0 else a) : comma]
        if not any(_low(w) in TITLE_WORDS - _CONNECT and not gaz.lookup(w) for w in segment.split()):
            a = comma + 1
            break
        comma = before
    for mention in gaz.find(text, a, b):
        if not re.search(r"\bto\s+(?:the\s+)?$", text[max(a, mention.start - 8) : mention.start]):
            return mention.code  # "Ambassador of the United States to the Republic of Korea": the first
    return None


def _state_before(text: str, a: int, b: int, gaz: Gazetteer) -> str | None:
    """A state named earlier in the same title ("PRC Director of the CCP (CCP) ... and Foreign Minister X")."""
    for mention in reversed(gaz.find(text, a, b)):
        between = text[mention.end : b]
        if re.fullmatch(r"(?:['’]s)?(?:\s*(?:[A-Z][\w’'\-]*|\([A-Z]+\)|\d+(?:st|nd|rd|th)|of|the|and|for|on)\s*)*", between):
            return mention.code
        break
    return None


_AFTER_COUNTRY = re.compile(r"\s*(?:[,.;:)]|$|\s(?:and|on|in|at|held|met|spoke|had)\b)")


def _state_after(text: str, pos: int, end: int, gaz: Gazetteer) -> str | None:
    """A state named right after a name: "of Japan", ", Secretary General of Japan's ..."."""
    if text[pos - 1 : pos] == ",":
        pos -= 1  # the name's last token kept its comma
    rest = text[pos : min(end, pos + 160)]
    jr = re.match(r"(?:,?\s+(?:Jr|MP|QC|KC|PhD|MBE|OBE|CBE|KCMG|GCMG)\b\.?)+", rest)
    if jr:
        pos, rest = pos + jr.end(), rest[jr.end() :]
    m = re.match(
        r"(\s*(?:\([^)]*\)\s*)?of\s+(?:the\s+)?)((?:Republic|Kingdom|State|Federation|Commonwealth|Sultanate|"
        r"Emirate|Principality|Grand\s+Duchy)\s+of\s+(?:the\s+)?)?",
        rest,
    )
    if m:
        found = gaz.find(text, pos + m.end(1), min(end, pos + m.end() + 60))
        if found and found[0].start in (pos + m.end(1), pos + m.end()):
            return found[0].code
    m = re.match(
        r",\s+(?:the\s+)?((?:[A-Z]|U\.S\.)[^,;:]{2,140}?)(?:,|(?<!\.[A-Z])\.(?=\s*$|\s*\n|\s+[A-Z][a-z])|\s+(?:spoke|met|held|had|on|in|"
        r"at|and|said|hosted|welcomed|received)\b|$)",
        rest,
    )
    if (
        m
        and not re.search(r"(?i)\b(?:with|spoke|met|held|today|call|meeting|talks)\b", m.group(1))
        and re.search(
            r"(?i)\b(minister|secretary|president|director|advisor|adviser|chair|leader|"
            r"ambassador|envoy|head|member|councilor|general|premier)\b",
            m.group(1),
        )
    ):
        found = gaz.find(text, pos + m.start(1), pos + m.end(1))
        if found:
            return found[0].code
        # "X, Federal Minister for Foreign Affairs, Germany": the country after the title
        tail = pos + m.end(1)
        country = re.match(r",\s+(?:the\s+)?", text[tail : tail + 8])
        if country:
            found = gaz.find(text, tail + country.end(), min(end, tail + country.end() + 60))
            if (
                found
                and found[0].start == tail + country.end()
                and _AFTER_COUNTRY.match(text, found[0].end, found[0].end + 6)
            ):
                return found[0].code
    return None


PLURAL_REF = re.compile(
    r"(?i)\b(?:(?:the\s+)?(?:both\s+)?(?:two\s+|three\s+)?(?:leaders|sides|ministers|officials|presidents|parties|"
    r"counterparts|delegations|foreign\s+ministers|prime\s+ministers|heads\s+of\s+state|countries|pair|"
    r"pms|fms|premiers|chancellors|top\s+diplomats|diplomats|heads\s+of\s+government|heads\s+of\s+delegations?|"
    r"interlocutors|dignitaries|statesmen|chief\s+diplomats|foreign\s+secretaries|"
    r"secretaries|governments|nations|delegation\s+heads|work\s+teams|teams)\b|(?:they|both|we)\b|"
    r"the\s+(?:two|three)\b)"
)
