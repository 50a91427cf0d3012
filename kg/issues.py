"""The issue vocabulary: a SKOS concept scheme (``ontology/issues.ttl``) used to recognise issues.

In: text spans. Out: the most specific :class:`Concept` whose preferred or alternative label
occurs in the span (longest label wins; labels with capitals such as "AI" or "UN" match case-
sensitively, the others ignore case). An issue that matches no concept keeps the short label
taken from the text; the concept only adds an IRI and a preferred label to it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from kg.errors import VocabularyError
from kg.gazetteer import trie_regex

ISSUE_NS = "https://w3id.org/dipkg/issue/"
SKOS = "http://www.w3.org/2004/02/skos/core#"


@dataclass(frozen=True)
class Concept:
    id: str  # local name, e.g. "Taiwan"
    label: str  # skos:prefLabel
    alt_labels: tuple[str, ...]
    broader: tuple[str, ...]

    @property
    def iri(self) -> str:
        return ISSUE_NS + self.id


class Vocabulary:
    """Concepts by id and a matcher over all their labels."""

    def __init__(self, concepts: list[Concept]) -> None:
        self.concepts = {c.id: c for c in concepts}
        self._by_label: dict[str, Concept] = {}
        exact: list[str] = []
        folded: list[str] = []
        for c in concepts:
            if c.broader == () and not c.alt_labels:
                continue  # top concepts are containers, not issues to match
            for label in (c.label, *c.alt_labels):
                if len(label) < 2:
                    continue
                if any(ch.isupper() for ch in label):
                    exact.append(label)
                    self._by_label.setdefault(label, c)
                else:
                    folded.append(label)
                    self._by_label.setdefault(label.lower(), c)
        self._memo: tuple[str, list[tuple[list[int], list[tuple[int, int, Concept]]]]] | None = None
        # tries, not long alternations: a scan is one pass; folded labels run on lower-cased text
        self._exact = re.compile(rf"(?<![\w-])(?:{trie_regex(sorted(set(exact)))})(?![\w-])") if exact else None
        lowered = sorted({x.lower() for x in folded})
        self._folded = re.compile(rf"(?<![\w-])(?:{trie_regex(lowered)})(?![\w-])") if folded else None

    def _scan(self, text: str) -> list[tuple[list[int], list[tuple[int, int, Concept]]]]:
        """The label matches in ``text``, case-sensitive ones first, each run by start (with their starts).

        The text is scanned once and remembered, so that each :meth:`match` costs a binary search.
        """
        memo = self._memo
        if memo is None or memo[0] is not text:
            runs = []
            low = text.lower()
            if len(low) != len(text):  # keep offsets exact when a character lower-cases to two
                low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
            for rx, fold in ((self._exact, False), (self._folded, True)):
                found = []
                for m in rx.finditer(low if fold else text) if rx is not None else ():
                    key = m.group(0).lower() if fold else m.group(0)
                    if (not fold or text[m.start()].isupper()) and _inside_name(text, m.start(), m.end()):
                        continue  # "Global Alliance against Hunger" is not the Alliance, "South Africa" not Africa
                    concept = self._by_label.get(key)
                    if concept:
                        found.append((m.start(), m.end(), concept))
                runs.append(([s for s, _e, _c in found], found))
            memo = (text, runs)
            self._memo = memo  # one assignment: safe to share between threads
        return memo[1]

    def match(self, text: str, start: int = 0, end: int | None = None) -> Concept | None:
        """The concept with the longest label found in ``text[start:end]``, if any (the first one on a tie,
        case-sensitive labels before the others)."""
        end = len(text) if end is None else end
        best: tuple[int, Concept] | None = None
        for starts, found in self._scan(text):
            # each run is in order of start and its matches do not overlap: the span's are a slice of it
            for i in range(bisect_left(starts, start), len(found)):
                s, e, concept = found[i]
                if s >= end:
                    break
                if e <= end and (best is None or e - s > best[0]):
                    best = (e - s, concept)
        return best[1] if best else None

    def ancestors(self, concept_id: str) -> list[str]:
        """The ids of all broader concepts, nearest first."""
        out: list[str] = []
        todo = list(self.concepts[concept_id].broader) if concept_id in self.concepts else []
        while todo:
            c = todo.pop(0)
            if c not in out:
                out.append(c)
                todo += list(self.concepts[c].broader) if c in self.concepts else []
        return out


_NAME_BEFORE = re.compile(r"\b([A-Z][a-z][\w’'-]*)\s+$")
_NAME_AFTER = re.compile(r"\s+(?:against|for|of)\s+[A-Z]")
_NOT_A_NAME = {"The", "A", "An", "Both", "On", "In", "And", "For", "With", "Nations", "To", "Of", "At", "By", "As"}


def _inside_name(text: str, s: int, e: int) -> bool:
    """Whether a capitalised label is part of a longer proper name: a capitalised word before it
    ("South Africa", "Global Alliance") or a name continuing after it ("Alliance for Peace")."""
    before = _NAME_BEFORE.search(text, max(0, s - 30), s)
    if before and before.group(1) not in _NOT_A_NAME:
        return True
    return bool(_NAME_AFTER.match(text, e, e + 12))


def parse_vocabulary(turtle: str) -> Vocabulary:
    """A :class:`Vocabulary` from the Turtle text of a SKOS scheme."""
    from rdflib import Graph, Literal, URIRef
    from rdflib.namespace import RDF
    from rdflib.namespace import SKOS as SKOS_NS

    g = Graph()
    try:
        g.parse(data=turtle, format="turtle")
    except Exception as exc:  # rdflib raises many parser error types
        raise VocabularyError(f"issue vocabulary is not valid Turtle: {exc}") from None
    concepts: list[Concept] = []
    for s in sorted({x for x in g.subjects(RDF.type, SKOS_NS.Concept) if isinstance(x, URIRef)}):
        if not isinstance(s, URIRef) or not str(s).startswith(ISSUE_NS):
            continue
        labels = [str(o) for o in g.objects(s, SKOS_NS.prefLabel) if isinstance(o, Literal)]
        if not labels:
            raise VocabularyError(f"concept {s} has no skos:prefLabel")
        alts = tuple(sorted(str(o) for o in g.objects(s, SKOS_NS.altLabel) if isinstance(o, Literal)))
        broader = tuple(sorted(str(o)[len(ISSUE_NS) :] for o in g.objects(s, SKOS_NS.broader)))
        concepts.append(Concept(str(s)[len(ISSUE_NS) :], labels[0], alts, broader))
    return Vocabulary(concepts)


def vocabulary_text() -> str:
    try:
        return resources.files("kg.ontology").joinpath("issues.ttl").read_text(encoding="utf-8")
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise VocabularyError(f"issue vocabulary missing: {exc}") from None


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The bundled issue vocabulary (read once)."""
    return parse_vocabulary(vocabulary_text())
