"""Incremental reasoning: the inferred graph kept up to date by what a build changed.

In: the store as it is (asserted graphs and the inferred graph), the triples the rules read of
the graphs a build replaces or drops (before) and of their new versions (after). Out: the
triples to take out of the inferred graph and to put in (:class:`Delta`), the same as
recomputing everything would give (tests compare both on fixtures and the corpus).

The method is DRed, "delete and re-derive" (Gupta, Mumick and Subrahmanian, SIGMOD 1993), on the
OWL 2 RL rules of :mod:`kg.reason`, with the store as the fact base: every join looks triples up
in the store (hash indexes of RocksDB), so the work is in proportion to the neighbourhood of what
changed, not to the store:

1. *overdelete*: everything derivable with at least one removed triple is taken out;
2. *re-derive*: what was taken out but still has a derivation from what remains comes back;
3. *insert*: the new triples and the re-derived ones are joined with what is known (semi-naive),
   and what follows is added.

The fact base is the store's asserted triples, its inferred graph, and the closure of the
ontology alone (in memory). Two kinds of triples are never in the store: inferred triples the
reasoner drops (about the ontology's own terms, reflexive alignments) and the tallies of the
SPARQL rules (whole-collection counts, refreshed after the change by :func:`tallies`); the
first kind never takes part in a derivation of a kept triple (a test holds the reasoner to this
on the fixtures and the corpus), and the second is left out of every lookup, as the full
reasoner never sees it either.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from kg import sparql
from kg.errors import InconsistentGraphError
from kg.namespaces import INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES
from kg.reason import TYPE, Atom, Reasoner, _read, keep, rule_texts

Triple = tuple[str, str, str]
_INFERRED = ox.NamedNode(str(INFERRED_GRAPH))
_ONTOLOGY = ox.NamedNode(str(ONTOLOGY_GRAPH))


@dataclass
class Delta:
    """What changes in the inferred graph (N-Triples lines), and figures about the work."""

    removed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    overdeleted: int = 0
    rederived: int = 0
    derived: int = 0
    lookups: int = 0
    seconds: float = 0.0

    @property
    def count(self) -> int:
        return len(self.removed) + len(self.added)


@lru_cache(maxsize=1)
def tally_signature() -> tuple[frozenset[str], frozenset[str]]:
    """The predicates and classes the SPARQL rules' CONSTRUCT templates write (N-Triples terms):
    a triple of the inferred graph with one of them is a tally, not an OWL 2 RL inference."""
    predicates: set[str] = set()
    classes: set[str] = set()
    for text in rule_texts().values():
        op = sparql.parse(text, prefixes=PREFIXES)
        toks = op.tokens
        start = next(i for i, t in enumerate(toks) if t.keyword == "CONSTRUCT") + 1
        depth = toks[start].depth
        end = next(i for i in range(start + 1, len(toks)) if toks[i].text == "}" and toks[i].depth == depth)
        after_a = False
        for t in toks[start + 1 : end]:
            if t.kind in ("iri", "pname"):
                iri = f"<{sparql.term_iri(t, op.base, op.prefixes)}>"
                (classes if after_a else predicates).add(iri)
            after_a = t.kind == "word" and t.text == "a"
    return frozenset(predicates), frozenset(classes)


def is_tally(s: str, p: str, o: str) -> bool:
    predicates, classes = tally_signature()
    return p in predicates or (p == TYPE and o in classes)


class _Terms:
    """N-Triples terms <-> pyoxigraph terms (cached both ways)."""

    def __init__(self) -> None:
        self._ox: dict[str, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

    def to_ox(self, term: str) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        found = self._ox.get(term)
        if found is None:
            if term.startswith("<"):
                found = ox.NamedNode(term[1:-1])
            elif term.startswith("_:"):
                found = ox.BlankNode(term[2:])
            else:
                quad = next(iter(ox.parse(f"<urn:s> <urn:p> {term} .", format=ox.RdfFormat.N_TRIPLES)))
                found = quad.object  # type: ignore[assignment]
            self._ox[term] = found  # type: ignore[assignment]
        return found  # type: ignore[return-value]


def canonical(ntriples: str, wanted: frozenset[str], classes: frozenset[str]) -> set[Triple]:
    """The triples of an N-Triples text that the rules read, with terms written as the store writes them."""
    lines = "".join(line + "\n" for line in ntriples.split("\n") if _read(line, wanted, classes) is not None)
    if not lines:
        return set()
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in ox.parse(lines, format=ox.RdfFormat.N_TRIPLES)}


class _Facts:
    """The fact base: the store's triples (without tallies), the ontology's closure, and this
    change's overlay (triples taken out, triples added)."""

    def __init__(self, store: ox.Store, tbox: Reasoner, wanted: frozenset[str], classes: frozenset[str]) -> None:
        self.store, self.tbox, self.wanted, self.classes = store, tbox, wanted, classes
        self.terms = _Terms()
        self.removed: set[Triple] = set()
        self.added_so: dict[str, dict[str, set[str]]] = {}
        self.added_os: dict[str, dict[str, set[str]]] = {}
        self._by_s: dict[tuple[str, str], set[str]] = {}
        self._by_o: dict[tuple[str, str], set[str]] = {}
        self.lookups = 0

    def _stored(self, s: str | None, p: str, o: str | None) -> Iterator[Triple]:
        self.lookups += 1
        quads = self.store.quads_for_pattern(
            self.terms.to_ox(s) if s else None,  # type: ignore[arg-type]
            self.terms.to_ox(p),  # type: ignore[arg-type]
            self.terms.to_ox(o) if o else None,
            None,
        )
        for q in quads:
            t = (str(q.subject), p, str(q.object))
            if p == TYPE and t[2] not in self.classes:
                continue
            if q.graph_name == _INFERRED and is_tally(*t):
                continue
            yield t

    def objects(self, s: str, p: str, *, base: bool = False) -> set[str]:
        key = (p, s)
        found = self._by_s.get(key)
        if found is None:
            found = {t[2] for t in self._stored(s, p, None)} | self.tbox.so.get(p, {}).get(s, set())
            self._by_s[key] = found
        if base:
            return found
        extra = self.added_so.get(p, {}).get(s, set())
        return {o for o in found | extra if (s, p, o) not in self.removed or o in extra}

    def subjects(self, p: str, o: str, *, base: bool = False) -> set[str]:
        key = (p, o)
        found = self._by_o.get(key)
        if found is None:
            found = {t[0] for t in self._stored(None, p, o)} | self.tbox.os.get(p, {}).get(o, set())
            self._by_o[key] = found
        if base:
            return found
        extra = self.added_os.get(p, {}).get(o, set())
        return {s for s in found | extra if (s, p, o) not in self.removed or s in extra}

    def pairs(self, p: str, *, base: bool = False) -> Iterator[tuple[str, str]]:
        """Every (subject, object) of a predicate: a scan (no compiled rule needs one; kept for completeness)."""
        seen: set[tuple[str, str]] = set()
        for s, _p, o in self._stored(None, p, None):
            seen.add((s, o))
        for s, objects in self.tbox.so.get(p, {}).items():
            seen.update((s, o) for o in objects)
        if not base:
            for s, objects in self.added_so.get(p, {}).items():
                seen.update((s, o) for o in objects)
            seen = {(s, o) for s, o in seen if (s, p, o) not in self.removed or o in self.added_so.get(p, {}).get(s, ())}
        yield from sorted(seen)

    def contains(self, t: Triple, *, base: bool = False) -> bool:
        s, p, o = t
        if not base and o in self.added_so.get(p, {}).get(s, ()):
            return True
        if not base and t in self.removed:
            return False
        return o in self.objects(s, p, base=True)

    def add(self, t: Triple) -> bool:
        if self.contains(t):
            return False
        s, p, o = t
        self.added_so.setdefault(p, {}).setdefault(s, set()).add(o)
        self.added_os.setdefault(p, {}).setdefault(o, set()).add(s)
        return True

    def remove(self, t: Triple) -> None:
        s, p, o = t
        self.removed.add(t)
        self.added_so.get(p, {}).get(s, set()).discard(o)
        self.added_os.get(p, {}).get(o, set()).discard(s)

    def inferred(self, t: Triple) -> bool:
        """Whether the triple is in the stored inferred graph."""
        s, p, o = (self.terms.to_ox(x) for x in t)
        return any(True for _ in self.store.quads_for_pattern(s, p, o, _INFERRED))  # type: ignore[arg-type]

    def asserted(self, t: Triple, leaving: set[str]) -> bool:
        """Whether the triple is in an asserted graph of the store other than those in ``leaving``."""
        s, p, o = (self.terms.to_ox(x) for x in t)
        for q in self.store.quads_for_pattern(s, p, o, None):  # type: ignore[arg-type]
            g = q.graph_name
            if isinstance(g, ox.NamedNode) and g != _INFERRED and g.value not in leaving:
                return True
        return False


class Maintainer:
    """DRed over the store (see the module's docstring). One instance per change."""

    def __init__(self, store: ox.Store) -> None:
        self.tbox = Reasoner()  # the rules, and the ontology's own closure
        self.tbox.fixpoint()
        self.rules = self.tbox.rules
        self.facts = _Facts(store, self.tbox, self.tbox.predicates, self.tbox.classes)
        # rules by the predicate (and class) of a head atom: what can derive a triple
        self.producers: dict[str, list[tuple[tuple[Atom, ...], Atom]]] = {}
        for rule in self.rules:
            for head in rule.head:
                self.producers.setdefault(head[1], []).append((rule.body, head))

    # ---- joins

    def _match(self, atom: Atom, b: dict[str, str], base: bool) -> Iterator[dict[str, str]]:
        s, p, o = (b.get(x, x) for x in atom)
        sv, ov = s[0] == "?", o[0] == "?"
        f = self.facts
        if not sv and not ov:
            if f.contains((s, p, o), base=base):
                yield b
        elif not sv:
            for obj in f.objects(s, p, base=base):
                yield {**b, o: obj}
        elif not ov:
            for subj in f.subjects(p, o, base=base):
                yield {**b, s: subj}
        else:
            for subj, obj in f.pairs(p, base=base):
                if s != o:
                    yield {**b, s: subj, o: obj}
                elif subj == obj:
                    yield {**b, s: subj}

    def _solve(self, atoms: list[Atom], b: dict[str, str], base: bool) -> Iterator[dict[str, str]]:
        if not atoms:
            yield b
            return
        i = next((k for k, a in enumerate(atoms) if a[0] in b or a[2] in b), 0)
        rest = atoms[:i] + atoms[i + 1 :]
        for nb in self._match(atoms[i], b, base):
            yield from self._solve(rest, nb, base)

    def _consequences(self, t: Triple, base: bool) -> Iterator[Triple]:
        """Every triple one rule derives from ``t`` and what is known."""
        s, p, o = t
        triggers = self.tbox.triggers
        for bs, bo, rest, head in (*triggers.get((p, None), ()), *triggers.get((p, o), ())):
            binding: dict[str, str] = {}
            if bs[0] == "?":
                binding[bs] = s
            elif bs != s:
                continue
            if bo[0] == "?":
                if binding.get(bo, o) != o:
                    continue
                binding[bo] = o
            for b in self._solve(list(rest), binding, base) if rest else (binding,):
                for hs, hp, ho in head:
                    h = (b.get(hs, hs), hp, b.get(ho, ho))
                    if not h[0].startswith('"'):
                        yield h

    def _derivable(self, t: Triple) -> bool:
        """Whether one rule derives ``t`` from what remains (the overlay applied)."""
        s, p, o = t
        for body, (hs, _hp, ho) in self.producers.get(p, ()):
            b: dict[str, str] = {}
            if hs[0] == "?":
                b[hs] = s
            elif hs != s:
                continue
            if ho[0] == "?":
                if b.get(ho, o) != o:
                    continue
                b[ho] = o
            elif ho != o:
                continue
            for _ in self._solve(list(body), b, False):
                return True
        return False

    # ---- the change

    def apply(self, before: set[Triple], after: set[Triple], leaving: set[str]) -> Delta:
        """``before``: the rules' triples of the graphs being replaced or dropped (``leaving``, their
        IRIs); ``after``: those of their new versions and of the shared triples added."""
        t0 = time.perf_counter()
        f = self.facts
        tbox_known = {(s, p, o) for p, by_s in self.tbox.so.items() for s, objs in by_s.items() for o in objs}
        # triples no longer asserted anywhere, and triples asserted for the first time
        removed = {t for t in before - after if not f.asserted(t, leaving)}
        new = {t for t in after - before if not f.asserted(t, leaving)}

        def asserted_after(t: Triple) -> bool:
            return t in after or (t not in removed and f.asserted(t, set()))

        # 1. overdelete (joins against the fact base as it was)
        gone: set[Triple] = set(removed)
        work = list(removed)
        while work:
            t = work.pop()
            for h in self._consequences(t, base=True):
                if h in gone or h in tbox_known or asserted_after(h) or not f.contains(h, base=True):
                    continue
                gone.add(h)
                work.append(h)
        for t in gone:
            f.remove(t)
        # 2. re-derive what still has a derivation
        back = [t for t in sorted(gone) if t not in after and self._derivable(t)]
        for t in back:
            f.add(t)
        # 3. insert the new triples and propagate (the re-derived ones too)
        derived: set[Triple] = set()
        work = [*back]
        for t in sorted(new):
            if f.add(t):
                work.append(t)
        while work:
            t = work.pop()
            for h in self._consequences(t, base=False):
                if f.add(h):
                    derived.add(h)
                    work.append(h)
        self._check_disjoint(derived | set(back) | new)
        delta = Delta(overdeleted=len(gone), rederived=len(back), derived=len(derived), lookups=f.lookups)
        for t in sorted(gone | derived | set(back) | new | removed):
            final = f.contains(t) and not asserted_after(t) and keep(*t)
            was = f.inferred(t)
            line = f"{t[0]} {t[1]} {t[2]} ."
            if was and not final:
                delta.removed.append(line)
            elif final and not was:
                delta.added.append(line)
        delta.seconds = time.perf_counter() - t0
        return delta

    def _check_disjoint(self, candidates: Iterable[Triple]) -> None:
        problems = []
        for s, p, o in candidates:
            if p != TYPE:
                continue
            for a, b in self.tbox.disjoint:
                other = f"<{b}>" if o == f"<{a}>" else f"<{a}>" if o == f"<{b}>" else None
                if other is not None and self.facts.contains((s, TYPE, other)):
                    problems.append(f"{s} is both {o} and {other} (cax-dw)")
        if problems:
            raise InconsistentGraphError(sorted(set(problems)))


def tallies(store: ox.Store) -> tuple[list[str], list[str]]:
    """The tally triples the store holds in its inferred graph, and those the SPARQL rules make of
    it as it is now (N-Triples lines, sorted), over the union of its graphs: the rules read neither
    the tallies nor the ontology's terms, so the old tallies and the ontology graph change nothing
    (tests compare with the full reasoner, which leaves both out)."""
    from kg.reason import _run_sparql_rules

    old = sorted(
        f"{q.subject} {q.predicate} {q.object} ."
        for q in store.quads_for_pattern(None, None, None, _INFERRED)
        if is_tally(str(q.subject), str(q.predicate), str(q.object))
    )
    new = sorted(set(_run_sparql_rules(store, union=True)))
    return old, new
