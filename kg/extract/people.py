"""People in readouts: titled persons, the state each represents, and references to them.

In: text spans and the gazetteer. Out: :class:`Person` records (name, title, state) and a
:class:`Resolver` that maps a reference ("Wang Yi", "Kazakbaev", "the Secretary", "the President",
"he", "the two leaders", "both sides", "the Kyrgyz side", "China") to the codes of the actors
it stands for.

A person's state comes from context: "Foreign Minister X of Y", "Y's Foreign Minister X",
"Kyrgyz Foreign Minister X", "X, Secretary General of Y's ...". A person with a title and no
country named ("Foreign Minister Wang Yi" in a Chinese readout) represents the publisher.
"""

from __future__ import annotations

import re
from functools import lru_cache
from dataclasses import dataclass, field

from kg.gazetteer import Gazetteer

TITLE_WORDS = {
    "president",
    "vice",
    "prime",
    "minister",
    "ministers",
    "foreign",
    "secretary",
    "state",
    "councilor",
    "councillor",
    "deputy",
    "first",
    "chancellor",
    "king",
    "queen",
    "crown",
    "prince",
    "emir",
    "amir",
    "sheikh",
    "sultan",
    "taoiseach",
    "chairman",
    "chairwoman",
    "chair",
    "director",
    "general",
    "director-general",
    "secretary-general",
    "national",
    "security",
    "advisor",
    "adviser",
    "ambassador",
    "special",
    "envoy",
    "premier",
    "external",
    "affairs",
    "high",
    "representative",
    "commissioner",
    "governor",
    "senator",
    "leader",
    "chief",
    "speaker",
    "majesty",
    "highness",
    "his",
    "her",
    "excellency",
    "pope",
    "defense",
    "defence",
    "federal",
    "executive",
    "vice-chairman",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
    "sir",
    "madam",
    "assistant",
    "under",
    "under-secretary",
    "principal",
    "member",
    "politburo",
    "commission",
    "office",
    "department",
    "ministry",
    "council",
    "committee",
    "central",
    "party",
    "communist",
    "policy",
    "planning",
    "staff",
    "cabinet",
    "head",
    "government",
    "republic",
    "people's",
    "people’s",
    "kingdom",
    "emirate",
    "senior",
    "official",
    "officials",
    "spokesperson",
    "spokesman",
    "spokeswoman",
    "counselor",
    "counsellor",
    "coordinator",
    "administrator",
    "attorney",
    "justice",
    "trade",
    "commerce",
    "finance",
    "treasury",
    "homeland",
    "interior",
    "economic",
    "economy",
    "development",
    "cooperation",
    "europe",
    "and",
    "of",
    "the",
    "for",
    "on",
    "to",
    "vice-president",
    "vice-premier",
    "h.e.",
    "hrh",
    "lord",
    "baroness",
    "secretariat",
    "mayor",
    "commonwealth",
    "ccp",
    "cpc",
    "nsc",
    "white",
    "house",
    "administration",
    "team",
    "delegation",
    "his highness",
    "navy",
    "army",
    "air",
    "force",
    "forces",
    "joint",
    "staffs",
    "chiefs",
    "general's",
    "strategic",
    "international",
    "relations",
    "communications",
    "european",
    "tánaiste",
    "tanaiste",
    "all-holiness",
    "holiness",
    "ecumenical",
    "patriarch",
    "ustad",
    "grand",
    "duke",
    "duchess",
    "intelligence",
    "director-general’s",
    "state’s",
    "state's",
    "presidential",
    "premier's",
    "middle",
    "east",
    "north",
    "south",
    "west",
    "africa",
    "asia",
    "americas",
    "hemisphere",
    "pacific",
    "indo-pacific",
    "political",
    "bureau",
    "standing",
    "taoiseach's",
    "marshal",
    "admiral",
    "colonel",
    "lieutenant",
}
# Heads of titles that name a principal ("the President", "the Secretary").
HEAD_TITLES = [
    "vice president",
    "president",
    "prime minister",
    "premier",
    "foreign minister",
    "foreign secretary",
    "secretary general",
    "secretary-general",
    "deputy secretary",
    "secretary",
    "minister",
    "chancellor",
    "state councilor",
    "king",
    "crown prince",
    "emir",
    "amir",
    "sultan",
    "taoiseach",
    "chairman",
    "director",
    "national security advisor",
    "ambassador",
    "envoy",
    "leader",
    "governor",
    "sheikh",
]

_PARTICLE = r"(?:al|el|bin|bint|ibn|von|van|der|den|de|da|dos|du|del|la|le|di|y)"
_CAP = r"(?:[A-Z][^\W\d_]*(?:['’][^\W\d_]+)?(?:-[A-Z]?[^\W\d_]+)*\.?|[A-Z]\.)"
# A run of capitalised tokens, with particles and "of/the/and/for" joining title parts.
RUN_RE = re.compile(
    rf"{_CAP}(?:(?:\s+|-|,\s+)(?:{_PARTICLE}(?:\s+|-))?{_CAP}|(?:\s+(?:of|the|and|for|on))+\s+(?=[A-Z]){_CAP})*"
    r"(?:,?\s+Jr\.?)?"
)
_NON_NAME = {
    "the",
    "on",
    "in",
    "at",
    "and",
    "of",
    "this",
    "that",
    "today",
    "yesterday",
    "both",
    "they",
    "he",
    "she",
    "we",
    "it",
    "during",
    "after",
    "before",
    "following",
    "readout",
    "press",
    "release",
    "statement",
    "joint",
    "call",
    "meeting",
    "talks",
    "a",
    "an",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "speaks",
    "holds",
    "meets",
    "has",
    "with",
    "phone",
    "telephone",
    "virtual",
    "video",
    "visit",
    "trip",
    "trilateral",
    "bilateral",
    "summit",
    "margins",
    "new",
    "york",
    "san",
    "francisco",
    "california",
    "washington",
    "d.c.",
    "dc",
    "white",
    "house",
    "oval",
    "g7",
    "nato",
    "un",
    "conversation",
    "consultation",
    "consultations",
    "day",
    "year",
    "american",
    "americans",
    "republic",
    "kingdom",
    "people's",
    "people’s",
    "government",
    "his",
    "her",
    "majesty",
    "highness",
    "excellency",
    "sheikh",
    "also",
    "president-elect",
    "spoke",
    "met",
    "held",
    "hosted",
    "welcomed",
    "jr",
    "jr.",
    "lunar",
    "covid-19",
    "state",
    "department",
    "ministry",
    "office",
    "council",
    "commission",
}


@dataclass
class Person:
    name: str
    state: str | None
    title: str
    start: int
    end: int
    home: bool = False  # no country named: represents the publisher

    @property
    def tokens(self) -> set[str]:
        return {t.lower().strip(".,") for t in re.split(r"[\s\-]+", self.name) if len(t.strip(".,")) >= 3}


def _strip_possessive(tok: str) -> str:
    return re.sub(r"['’]s?$", "", tok)


_CONNECT = {"of", "the", "and", "for", "on", "to"}
_INSTITUTION = {
    "dialogue",
    "assembly",
    "stability",
    "partnership",
    "council",
    "summit",
    "agreement",
    "initiative",
    "strategy",
    "forum",
    "conference",
    "organization",
    "organisation",
    "union",
    "day",
    "week",
    "year",
    "plan",
    "program",
    "programme",
    "act",
    "treaty",
    "security",
    "affairs",
    "meeting",
    "call",
    "group",
    "framework",
    "statement",
    "declaration",
    "committee",
    "agency",
    "bank",
    "fund",
    "court",
    "force",
    "navy",
    "army",
    "party",
    "alliance",
    "cooperation",
    "relations",
    "strait",
    "sea",
    "ocean",
    "region",
    "peninsula",
    "caucus",
    "congress",
    "parliament",
    "senate",
    "cabinet",
    "commission",
    "office",
    "ministry",
    "department",
    "house",
    "readout",
    "press",
    "trip",
    "visit",
    "counterparts",
    "counterpart",
    "leaders",
    "ministers",
    "officials",
    "delegation",
    "delegations",
    "talks",
    "consultation",
    "consultations",
    "video",
    "virtual",
    "phone",
    "telephone",
    "conversation",
    "coalition",
    "mission",
    "embassy",
    "health",
    "public",
    "islami",
    "bureau",
    "political",
    "east",
    "west",
    "north",
    "south",
    "middle",
    "africa",
    "asia",
    "europe",
    "pacific",
}


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
        or low in ("u.s", "u.k", "prc", "us", "uk", "eu", "un")
        or gaz.lookup(_strip_possessive(tok.rstrip(",.;:"))) is not None
    )


def find_persons(text: str, start: int, end: int, gaz: Gazetteer) -> list[Person]:
    """Titled, named persons in ``text[start:end]``, with the state each represents (or None)."""
    out: list[Person] = []
    all_spans = [(g.start, g.end) for g in gaz.find(text, start, end)]
    for m in RUN_RE.finditer(text, start, end):
        toks = [(t.group(0), m.start() + t.start()) for t in re.finditer(r"[^\s]+", m.group(0))]
        spans = [(a, b) for a, b in all_spans if a < m.end() and b > m.start()]
        cov = {pos for _tok, pos in toks if any(a <= pos < b for a, b in spans)}
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
            prefix = toks[i:j]
            while prefix and prefix[-1][0].lower() in _CONNECT:
                prefix = prefix[:-1]
            # the name: tokens up to a connector, a possessive or a comma
            k = j
            while k < len(toks) and toks[k][0].lower() not in {"of", "and", "the", "for", "on", "to"}:
                k += 1
                if re.search(r"['’]s?$|,$", toks[k - 1][0]) or _is_title_tok(toks[k - 1][0], gaz, toks[k - 1][1] in cov):
                    break
            name_toks = toks[j:k]
            while (
                name_toks
                and _is_title_tok(name_toks[-1][0], gaz, name_toks[-1][1] in cov)
                and not re.search(r"['’]s$", name_toks[-1][0])
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
            name_start = name_toks[0][1]
            name_end = name_toks[-1][1] + len(name_toks[-1][0])
            name = _strip_possessive(text[name_start:name_end].rstrip(",;:"))
            name = re.sub(r",?\s+Jr\.?$", "", name)
            if name.endswith(".") and not re.search(r"\b[A-Z]\.$", name):
                name = name[:-1]
            if re.fullmatch(r"(?:[A-Z][a-z]+){3,}", name):  # "SecretaryDominicRaab": words run together
                parts = re.findall(r"[A-Z][a-z]+", name)
                name = " ".join(w for w in parts if w.lower() not in TITLE_WORDS) or name
            words = [w for w in re.split(r"\s+", name) if w]
            if not words or any(_low(w) in _INSTITUTION or _low(w) in _NON_NAME for w in words):
                continue
            state = _state_in(text, prefix[0][1], name_start, gaz)
            after = _state_after(text, name_end, end, gaz)
            state = after or state or _state_before(text, max(start, prefix[0][1] - 160), prefix[0][1], gaz)
            out.append(
                Person(
                    name=name,
                    state=state,
                    title=" ".join(t for t, _ in prefix),
                    start=prefix[0][1],
                    end=name_start + len(name),
                    home=state is None,
                )
            )
    out += _appositive_persons(text, start, end, gaz, out)
    out.sort(key=lambda p: p.start)
    return out


_APPOS = re.compile(
    r"(?<![\w.])((?:[A-Z][^\W\d_]+|[A-Z]\.)(?:[\s-]+(?:[A-Z][^\W\d_’'-]+|[A-Z]\.)){1,3}),\s+"
    r"(?:the\s+)?(?=[^,;]{0,80}?\b(?:Minister|Secretary|President|Director|Director-General|"
    r"Advisor|Adviser|Ambassador|Chair|Chairman|Leader|Head|Envoy|Councilor|Premier|"
    r"Spokesperson|Under\s+Secretary)\b)"
)


def _appositive_persons(text: str, start: int, end: int, gaz: Gazetteer, known: list[Person]) -> list[Person]:
    """ "Miao Deyu, Director-General of ... of China": a name followed by its title."""
    out = []
    for m in _APPOS.finditer(text, start, end):
        name = m.group(1)
        if any(m.start() < p.end and p.start < m.end(1) for p in known):
            continue
        words = name.split()
        if any(_low(w) in TITLE_WORDS | _NON_NAME | _INSTITUTION or gaz.lookup(w) for w in words):
            continue
        state = _state_after(text, m.end(1), end, gaz)
        out.append(Person(name=name, state=state, title="", start=m.start(1), end=m.end(1), home=state is None))
    return out


def _state_in(text: str, a: int, b: int, gaz: Gazetteer) -> str | None:
    """The first actor named in a title ("Kyrgyz Foreign Minister", "Turkey's", "PRC Director")."""
    mentions = gaz.find(text, a, b)
    return mentions[0].code if mentions else None


def _state_before(text: str, a: int, b: int, gaz: Gazetteer) -> str | None:
    """A state named earlier in the same title ("PRC Director of the CCP (CCP) ... and Foreign Minister X")."""
    for mention in reversed(gaz.find(text, a, b)):
        between = text[mention.end : b]
        if re.fullmatch(r"(?:['’]s)?(?:\s*(?:[A-Z][\w’'\-]*|\([A-Z]+\)|of|the|and|for|on)\s*)*", between):
            return mention.code
        break
    return None


def _state_after(text: str, pos: int, end: int, gaz: Gazetteer) -> str | None:
    """A state named right after a name: "of Japan", ", Secretary General of Japan's ..."."""
    rest = text[pos : min(end, pos + 160)]
    jr = re.match(r",?\s+Jr\.?", rest)
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
        r",\s+(?:the\s+)?((?:[A-Z]|U\.S\.)[^,;:]{2,140}?)(?:,|\s+(?:spoke|met|held|had|on|in|at|and|said|"
        r"hosted|welcomed|received)\b|$)",
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
    return None


@dataclass
class Resolver:
    """Resolves references to participants within one readout."""

    persons: list[Person]
    publisher: str | None
    gaz: Gazetteer
    last: list[str] = field(default_factory=list)

    @property
    def states(self) -> list[str]:
        seen: list[str] = []
        for p in self.persons:
            if p.state and p.state not in seen:
                seen.append(p.state)
        return seen

    def by_name(self, token: str) -> Person | None:
        t = token.lower().strip(".,’'")
        t = re.sub(r"['’]s$", "", t)
        for p in self.persons:
            if t in p.tokens:
                return p
        return None

    def by_title(self, title: str) -> Person | None:
        title = title.lower()
        cands = [
            p
            for p in self.persons
            if re.search(rf"\b{re.escape(title)}\b", p.title.lower())
            and not (
                title == "president"
                and re.search(r"\bvice[\s-]president\b", p.title.lower())
                and not re.search(r"(?<!vice )(?<!vice-)\bpresident\b", p.title.lower())
            )
        ]
        if title == "secretary":
            cands = [
                p for p in cands if "secretary general" not in p.title.lower() and "secretary-general" not in p.title.lower()
            ] or cands
        if not cands:
            return None
        home = [p for p in cands if p.state == self.publisher]
        return (home or cands)[0]


PLURAL_REF = re.compile(
    r"(?i)\b(?:(?:the\s+)?(?:both\s+)?(?:two\s+|three\s+)?(?:leaders|sides|ministers|officials|presidents|parties|"
    r"counterparts|delegations|foreign\s+ministers|prime\s+ministers|heads\s+of\s+state|countries|pair|"
    r"secretaries|governments|nations|delegation\s+heads|work\s+teams|teams)\b|(?:they|both|we)\b|"
    r"the\s+(?:two|three)\b)"
)
