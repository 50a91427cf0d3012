"""The actor gazetteer: states and international organisations, found in text.

In: text. Out: :class:`Mention` spans with an actor code (ISO 3166-1 alpha-3 for states,
``ORG:`` + acronym for organisations). The table is ``kg/data/actors.tsv``: names and short
names, adjectives and demonyms ("Kyrgyz", "Chinese"), and capitals used as metonyms
("Beijing", "Washington"). Matching is case-sensitive so that "china" (porcelain) or
"turkey" (the bird) are not states; a capital followed by "Agreement", "Format" and the like
("Paris Agreement", "Minsk Agreements") is a name of something else.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg.errors import VocabularyError

_NOT_METONYM = re.compile(
    r"\s+(Agreements?|Accords?|Format|Process|Protocol|Convention|Communiqu[eé]|Declaration|Summit|"
    r"Club|Consensus|Document|Charter|Group|Statement|Principles|Treaty|Peace|Conference|Wall)\b"
)

# names of armed groups that hold a state's name ("the Islamic State of Iraq and the Levant"): no mention of the state
_GROUP_NAMES = re.compile(
    r"\bIslamic\s+State\s+(?:of|in)\s+Iraq\s+and\s+(?:the\s+Levant|Syria|al-Sham|Sham)\b|"
    r"\bIslamic\s+State\s+(?:of|in)\s+(?:Iraq|Syria)\b"
)


def trie_regex(words: list[str]) -> str:
    """One regular expression matching any of ``words``, longest first, shaped as a trie (fast)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = True

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch != ""]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)


@dataclass(frozen=True)
class Actor:
    code: str
    name: str  # the first (preferred) name
    names: tuple[str, ...]
    adjectives: tuple[str, ...]
    capitals: tuple[str, ...]

    @property
    def is_state(self) -> bool:
        return not self.code.startswith("ORG:")


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    code: str
    kind: str  # "name", "adjective" or "capital"
    text: str


class Gazetteer:
    """Actors by code, and a compiled matcher over all their surface forms."""

    def __init__(self, actors: list[Actor]) -> None:
        self.actors = {a.code: a for a in actors}
        forms: dict[str, tuple[str, str]] = {}
        for a in actors:
            for kind, values in (("capital", a.capitals), ("adjective", a.adjectives), ("name", a.names)):
                for v in values:
                    forms[v] = (a.code, kind)
                    if "'" in v:
                        forms[v.replace("'", "\u2019")] = (a.code, kind)
        self._forms = forms
        alternation = trie_regex(sorted(forms))
        # "the U.S." ends in a dot: no trailing \b after a non-word character.
        self._bare = re.compile(rf"(?:{alternation})(?:(?<=\.)|(?![\w]))")
        self._re = re.compile(rf"(?<![\w\-.])(?:{alternation})(?:(?<=\.)|(?![\w]))")
        self._lower = {f.lower(): c for f, (c, _k) in forms.items()}
        self._memo: tuple[str, list[Mention], list[int]] | None = None

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Every actor mention in ``text[start:end]``, with offsets into ``text``.

        The whole text is scanned once and remembered, so that the many look-ups an extraction
        makes in one readout cost a binary search each.
        """
        end = len(text) if end is None else end
        memo = self._memo
        if memo is None or memo[0] is not text:
            mentions = self._scan(text)
            memo = (text, mentions, [m.start for m in mentions])
            self._memo = memo  # one assignment: safe to share between threads
        _text, mentions, starts = memo
        out = []
        for i in range(bisect_left(starts, start), len(mentions)):  # no slice: a copy of the rest costs O(n)
            m = mentions[i]
            if m.start >= end:
                break
            if m.end <= end:
                out.append(m)
        return out

    def _scan(self, text: str) -> list[Mention]:
        out: list[Mention] = []
        matches = list(self._re.finditer(text))
        # the second part of a compound ("U.S.-Polish", "United States-France") is an actor too
        for m in list(matches):
            if text[m.end() : m.end() + 1] in ("-", "–"):
                nxt = self._bare.match(text, m.end() + 1)
                if nxt:
                    matches.append(nxt)
        for m in re.finditer(r"\b(?:inter|intra|pan|trans)-(?=[A-Z])", text):  # "inter-Korean dialogue"
            nxt = self._bare.match(text, m.end())
            if nxt:
                matches.append(nxt)
        matches.sort(key=lambda x: x.start())
        groups = [g.span() for g in _GROUP_NAMES.finditer(text)] if "Islamic State" in text else []
        for m in matches:
            if groups and any(gs <= m.start() and m.end() <= ge for gs, ge in groups):
                continue
            code, kind = self._forms[m.group(0)]
            if kind == "capital" and _NOT_METONYM.match(text, m.end()):
                continue
            if m.group(0) == "Georgia" and re.match(r",?\s+(Tech|state)\b", text[m.end() : m.end() + 8]):
                continue
            if m.group(0) == "Commonwealth" and (
                re.match(r",?\s+(?:and\s+Development|Office|Affairs|Games)\b", text[m.end() : m.end() + 18])
                or re.search(r"\bForeign,?\s+(?:and\s+)?$", text[max(0, m.start() - 14) : m.start()])
            ):
                continue  # the UK's "Foreign, Commonwealth and Development Office": a ministry's name
            if m.group(0) in ("America", "American", "Americans") and re.search(
                r"(?:North|South|Latin|Central)[\s-]$", text[max(0, m.start() - 8) : m.start()]
            ):
                continue
            if re.match(r"n?\s+(?:Peninsula|Strait|Straits|Sea|Gulf|Basin|Canal|Islands?)\b", text[m.end() : m.end() + 14]):
                continue
            out.append(Mention(m.start(), m.end(), code, kind, m.group(0)))
        return out

    def lookup(self, name: str) -> str | None:
        """The code for a name, adjective, capital or code ("Kyrgyz" -> "KGZ"), else None."""
        name = name.strip()
        if name in self.actors:
            return name
        if name.upper() in self.actors and (name.islower() or name.isupper()):
            return name.upper()  # "chn" or "CHN", never a word in title case ("Hun", "Can", "Arm")
        return self._forms.get(name, (None, ""))[0] or self._lower.get(name.lower())

    def kind(self, name: str) -> str | None:
        """What an exact form names ("Baghdad" -> "capital", "Kyrgyz" -> "adjective"), without a scan: a scan of a
        short string would replace the remembered scan of the readout."""
        form = self._forms.get(name.strip())
        return form[1] if form else None

    def resolve_publisher(self, value: str | None) -> str | None:
        """A publisher code from a code, a name ("China - Ministry of ...") or a URL."""
        if not value:
            return None
        direct = self.lookup(value)
        if direct:
            return direct
        host = re.match(r"(?:https?://)?([^/\s]+\.[a-z]{2,})(?:/|$)", value.strip(), re.IGNORECASE)
        if host:
            return _code_from_host(host.group(1).lower())
        mentions = self.find(value)
        return mentions[0].code if mentions else None

    def name(self, code: str) -> str:
        actor = self.actors.get(code)
        return actor.name if actor else code


_TLD = {
    "cn": "CHN",
    "ru": "RUS",
    "uk": "GBR",
    "pk": "PAK",
    "in": "IND",
    "jp": "JPN",
    "kr": "KOR",
    "fr": "FRA",
    "de": "DEU",
    "it": "ITA",
    "es": "ESP",
    "ca": "CAN",
    "au": "AUS",
    "br": "BRA",
    "tr": "TUR",
    "ir": "IRN",
    "il": "ISR",
    "ua": "UKR",
    "kz": "KAZ",
    "kg": "KGZ",
    "vn": "VNM",
    "mx": "MEX",
    "za": "ZAF",
    "eg": "EGY",
    "sa": "SAU",
    "ae": "ARE",
    "id": "IDN",
    "my": "MYS",
    "sg": "SGP",
    "ph": "PHL",
    "th": "THA",
    "nz": "NZL",
    "ie": "IRL",
    "pl": "POL",
    "nl": "NLD",
    "be": "BEL",
    "se": "SWE",
    "no": "NOR",
    "fi": "FIN",
    "dk": "DNK",
    "ch": "CHE",
    "at": "AUT",
    "gr": "GRC",
    "pt": "PRT",
    "cz": "CZE",
    "hu": "HUN",
    "ro": "ROU",
    "bg": "BGR",
    "rs": "SRB",
    "by": "BLR",
    "ge": "GEO",
    "am": "ARM",
    "az": "AZE",
    "uz": "UZB",
    "tj": "TJK",
    "tm": "TKM",
    "mn": "MNG",
    "np": "NPL",
    "lk": "LKA",
    "bd": "BGD",
    "af": "AFG",
    "iq": "IRQ",
    "sy": "SYR",
    "jo": "JOR",
    "lb": "LBN",
    "qa": "QAT",
    "kw": "KWT",
    "om": "OMN",
    "bh": "BHR",
    "ng": "NGA",
    "ke": "KEN",
    "et": "ETH",
    "ar": "ARG",
    "cl": "CHL",
    "co": "COL",
    "pe": "PER",
    "ve": "VEN",
    "cu": "CUB",
    "tw": "TWN",
    "hk": "CHN",
    "gov": "USA",
    "mil": "USA",
}


def _code_from_host(host: str) -> str | None:
    if "whitehouse" in host or host.endswith((".gov", ".mil")):
        return "USA"
    parts = host.split(".")
    for part in reversed(parts):
        if part in _TLD:
            return _TLD[part]
    if "europa.eu" in host:
        return "ORG:EU"
    if host.endswith("un.org"):
        return "ORG:UN"
    if host.endswith("nato.int"):
        return "ORG:NATO"
    return None


def _split(value: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in value.split("|") if x.strip())


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The bundled gazetteer (read once)."""
    try:
        text = resources.files("kg.data").joinpath("actors.tsv").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise VocabularyError(f"actor table missing: {exc}") from None
    actors: list[Actor] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2:
            raise VocabularyError(f"actors.tsv line {n}: expected 4 tab-separated columns")
        cols += [""] * (4 - len(cols))
        names = _split(cols[1])
        actors.append(Actor(cols[0].strip(), names[0], names, _split(cols[2]), _split(cols[3])))
    return Gazetteer(actors)
