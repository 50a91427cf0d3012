"""Reasoning: the asserted graph and the ontology in, the inferred triples out.

The ontology's OWL 2 RL axioms are compiled into SPARQL ``INSERT`` rules, one per axiom, named
after the rule of the OWL 2 RL profile they implement (https://www.w3.org/TR/owl2-profiles/#Reasoning_in_OWL_2_RL_and_RDF_Graphs_using_Rules):
``cax-sco`` (subclasses), ``prp-spo1`` (sub-properties), ``prp-spo2`` (property chains),
``prp-inv1``/``prp-inv2`` (inverses), ``prp-symp`` (symmetric properties), ``prp-dom``/``prp-rng``
(domains and ranges), ``cls-hv1``/``cls-hv2`` (hasValue classes); ``cax-dw`` (disjoint classes)
is checked and raises :class:`~kg.errors.InconsistentGraphError`. The rules run to a fixpoint in
an in-memory Oxigraph store, then the SPARQL rules of ``ontology/rules/`` (what OWL 2 RL cannot
say) run once.

owlrl is the semantic reference: :func:`owlrl_closure` computes owlrl's full OWL-RL closure of
the same input, and the tests show that both give the same alignment triples. Noise is dropped on
purpose from both: triples about the ontology itself, literal subjects, and reflexive alignments
("China shares a stance with China").
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg import sparql
from kg.errors import InconsistentGraphError, VocabularyError
from kg.namespaces import DIP, ID, PREFIXES

ALIGNMENT_PROPERTIES = tuple(
    str(DIP[p])
    for p in (
        "supports", "opposes", "defends", "sharesStanceWith", "agreesWith", "divergesFrom", "metWith", "alignedWith",
        "inTensionWith", "holdsStance", "holdsAgreement", "stanceHeldBy", "agreementHeldBy",
    )
)  # fmt: skip
REFLEXIVE_NOISE = tuple(str(DIP[p]) for p in ("sharesStanceWith", "agreesWith", "metWith", "alignedWith", "divergesFrom"))
ONTOLOGY_FILES = ("dipkg.ttl", "stances.ttl", "issues.ttl")
_ID = str(ID)


TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
Atom = tuple[str, str, str]  # subject, predicate, object: variables ("?x") or N-Triples terms ("<iri>")


@dataclass(frozen=True)
class Rule:
    name: str  # the OWL 2 RL rule and the axiom, e.g. "prp-spo2 <https://w3id.org/dipkg/ont#supports>"
    body: tuple[Atom, ...]  # every atom has a constant predicate (and rdf:type atoms a constant class)
    head: tuple[Atom, ...]

    @property
    def sparql(self) -> str:
        """The rule as a SPARQL update (the declarative form of what :class:`Reasoner` computes)."""
        heads = " ".join(f"{s} {p} {o} ." for s, p, o in self.head)
        where = " . ".join(f"{s} {p} {o}" for s, p, o in self.body)
        subjects = sorted({s for s, _, _ in self.head if s.startswith("?")})
        filters = "".join(f" FILTER(!isLiteral({v}))" for v in subjects)
        return f"INSERT {{ {heads} }} WHERE {{ {where}{filters} }}"


@dataclass
class Inference:
    ntriples: str  # the inferred triples (about data), N-Triples
    count: int
    asserted: int  # the asserted triples the rules read (those with a predicate or class they mention)
    seconds: float


def ontology_text() -> str:
    """The bundled ontology, stance scheme and issue scheme as one Turtle text."""
    try:
        root = resources.files("kg.ontology")
        return "\n".join(root.joinpath(name).read_text(encoding="utf-8") for name in ONTOLOGY_FILES)
    except (FileNotFoundError, ModuleNotFoundError) as exc:
        raise VocabularyError(f"ontology missing: {exc}") from None


def rule_texts() -> dict[str, str]:
    """The SPARQL rules beside the ontology (ontology/rules/*.rq), by file name."""
    root = resources.files("kg.ontology").joinpath("rules")
    return {
        p.name: p.read_text(encoding="utf-8") for p in sorted(root.iterdir(), key=lambda p: p.name) if p.name.endswith(".rq")
    }


def _closure(pairs: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    up: dict[str, set[str]] = {}
    for a, b in pairs:
        up.setdefault(a, set()).add(b)
    changed = True
    while changed:
        changed = False
        for a, bs in up.items():
            extra = set().union(*(up.get(b, set()) for b in bs)) - bs - {a}
            if extra:
                bs |= extra
                changed = True
    return up


def _pairs(g: Graph, predicate: URIRef) -> list[tuple[str, str]]:
    """(subject, object) IRIs of a predicate, named nodes only, sorted."""
    return sorted(
        (str(s), str(o)) for s, o in g.subject_objects(predicate) if isinstance(s, URIRef) and isinstance(o, URIRef)
    )


def _list(g: Graph, head: object) -> list[str]:
    out = []
    node = head
    while isinstance(node, (URIRef, BNode)) and node != RDF.nil:
        first = g.value(node, RDF.first)
        if isinstance(first, URIRef):
            out.append(str(first))
        node = g.value(node, RDF.rest)
    return out


def compile_rules(ontology: Graph) -> tuple[list[Rule], list[tuple[str, str]]]:
    """The rules of the ontology's OWL 2 RL axioms, and the pairs of disjoint classes."""
    rules: list[Rule] = []
    for c, supers in sorted(_closure(_pairs(ontology, RDFS.subClassOf)).items()):
        heads = tuple(("?x", TYPE, f"<{d}>") for d in sorted(supers))
        rules.append(Rule(f"cax-sco <{c}>", (("?x", TYPE, f"<{c}>"),), heads))
    for p, supers in sorted(_closure(_pairs(ontology, RDFS.subPropertyOf)).items()):
        heads = tuple(("?x", f"<{q}>", "?y") for q in sorted(supers))
        rules.append(Rule(f"prp-spo1 <{p}>", (("?x", f"<{p}>", "?y"),), heads))
    for p, q in _pairs(ontology, OWL.inverseOf):
        rules.append(Rule(f"prp-inv1 <{p}>", (("?x", f"<{p}>", "?y"),), (("?y", f"<{q}>", "?x"),)))
        rules.append(Rule(f"prp-inv2 <{q}>", (("?x", f"<{q}>", "?y"),), (("?y", f"<{p}>", "?x"),)))
    for p in sorted(str(x) for x in ontology.subjects(RDF.type, OWL.SymmetricProperty) if isinstance(x, URIRef)):
        rules.append(Rule(f"prp-symp <{p}>", (("?x", f"<{p}>", "?y"),), (("?y", f"<{p}>", "?x"),)))
    for prop, head in sorted(ontology.subject_objects(OWL.propertyChainAxiom), key=lambda t: str(t[0])):
        chain = _list(ontology, head)
        if not isinstance(prop, URIRef) or len(chain) < 2:
            continue
        steps = tuple((f"?v{i}", f"<{q}>", f"?v{i + 1}") for i, q in enumerate(chain))
        rules.append(Rule(f"prp-spo2 <{prop}>", steps, (("?v0", f"<{prop}>", f"?v{len(chain)}"),)))
    for p, c in _pairs(ontology, RDFS.domain):
        rules.append(Rule(f"prp-dom <{p}>", (("?x", f"<{p}>", "?y"),), (("?x", TYPE, f"<{c}>"),)))
    for p, c in _pairs(ontology, RDFS.range):
        if not c.startswith("http://www.w3.org/2001/XMLSchema#"):
            rules.append(Rule(f"prp-rng <{p}>", (("?x", f"<{p}>", "?y"),), (("?y", TYPE, f"<{c}>"),)))
    for restriction in sorted(set(ontology.subjects(OWL.hasValue, None)), key=str):
        on, value = ontology.value(restriction, OWL.onProperty), ontology.value(restriction, OWL.hasValue)
        if not (isinstance(on, URIRef) and isinstance(value, URIRef)):
            continue
        for c in sorted(str(x) for x in ontology.subjects(OWL.equivalentClass, restriction) if isinstance(x, URIRef)):
            rules.append(Rule(f"cls-hv1 <{c}>", (("?x", TYPE, f"<{c}>"),), (("?x", f"<{on}>", f"<{value}>"),)))
            rules.append(Rule(f"cls-hv2 <{c}>", (("?x", f"<{on}>", f"<{value}>"),), (("?x", TYPE, f"<{c}>"),)))
    return rules, _pairs(ontology, OWL.disjointWith)


@lru_cache(maxsize=1)
def _compiled() -> tuple[str, tuple[Rule, ...], tuple[tuple[str, str], ...], str]:
    """The ontology text, its rules, its disjoint classes, and the ontology as N-Triples."""
    text = ontology_text()
    g = Graph().parse(data=text, format="turtle")
    rules, disjoint = compile_rules(g)
    store = ox.Store()
    store.load(input=text, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    ontology_nt = (store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()) or b"").decode("utf-8")
    return text, tuple(rules), tuple(disjoint), ontology_nt


def keep(s: str, p: str, o: str) -> bool:
    """Inferred triples worth keeping: about data, not ontology noise, not reflexive alignments."""
    if not s.startswith(_KEEP_PREFIX):
        return False
    return not (p in _REFLEXIVE and o == s)


_KEEP_PREFIX = f"<{ID}"
_REFLEXIVE = frozenset(f"<{p}>" for p in REFLEXIVE_NOISE)
_Index = dict[str, dict[str, set[str]]]  # predicate -> subject -> objects (or object -> subjects)
_Trigger = tuple[str, str, list[Atom], tuple[Atom, ...]]  # matched atom's subject and object, rest of body, head


class Reasoner:
    """The OWL 2 RL rules of the ontology, evaluated by forward chaining over hash indexes.

    Only the triples the rules can read or write are kept (those whose predicate a rule mentions,
    and rdf:type for the classes a rule mentions), so the reasoner can be fed a whole store's
    asserted triples a batch at a time without holding the rest (evidence quotes, provenance,
    labels). Every fact, given or derived,
    is joined once against everything known when it is taken from the work list, which finds
    every derivation (the last of a derivation's facts to be taken sees the others) without
    re-running rules over facts that did not change. The same rules as SPARQL updates run to a
    fixpoint (:func:`reason_sparql`) give the same triples (tests).
    """

    def __init__(self) -> None:
        _text, self.rules, self.disjoint, ontology_nt = _compiled()
        # for each (predicate, class or None) a fact can match: the rules it fires, each as the
        # atom it matches, the rest of the body to join, and the head
        self.triggers: dict[tuple[str, str | None], list[_Trigger]] = {}
        self.predicates = _read_predicates()
        self.classes = _read_classes()
        for rule in self.rules:
            for i, (bs, p, bo) in enumerate(rule.body):
                key = (p, None if bo.startswith("?") else bo)
                rest = [a for k, a in enumerate(rule.body) if k != i]
                self.triggers.setdefault(key, []).append((bs, bo, rest, rule.head))
        self.so: _Index = {}
        self.os: _Index = {}
        self.terms: dict[str, str] = {}
        self.given = 0
        self.add(ontology_nt)
        self.ontology = {(s, p, o) for p, by_s in self.so.items() for s, objects in by_s.items() for o in objects}
        self.given = 0

    def add(self, ntriples: str) -> None:
        """Asserted triples (N-Triples lines); those the rules cannot read or write are skipped."""
        wanted, classes, intern = self.predicates, self.classes, self.terms.setdefault
        for line in ntriples.split("\n"):  # not splitlines(): U+2028 and the like are text
            triple = _read(line, wanted, classes)
            if triple is not None:
                s, p, o = triple
                if self._insert(intern(s, s), intern(p, p), intern(o, o)):
                    self.given += 1

    def clear(self) -> None:
        """Forget every triple (the memory goes back)."""
        self.so, self.os, self.terms = {}, {}, {}

    def _insert(self, s: str, p: str, o: str) -> bool:
        objects = self.so.setdefault(p, {}).setdefault(s, set())
        if o in objects:
            return False
        objects.add(o)
        self.os.setdefault(p, {}).setdefault(o, set()).add(s)
        return True

    def _match(self, atom: Atom, binding: dict[str, str]) -> Iterator[dict[str, str]]:
        s, p, o = (binding.get(x, x) for x in atom)
        sv, ov = s.startswith("?"), o.startswith("?")
        if not sv and not ov:
            if o in self.so.get(p, {}).get(s, ()):
                yield binding
        elif not sv:
            for obj in self.so.get(p, {}).get(s, ()):
                yield {**binding, o: obj}
        elif not ov:
            for subj in self.os.get(p, {}).get(o, ()):
                yield {**binding, s: subj}
        else:
            for subj, objects in self.so.get(p, {}).items():
                for obj in objects:
                    if s != o:
                        yield {**binding, s: subj, o: obj}
                    elif subj == obj:
                        yield {**binding, s: subj}

    def _solve(self, atoms: list[Atom], binding: dict[str, str]) -> Iterator[dict[str, str]]:
        if not atoms:
            yield binding
            return
        # the next atom: one that shares a bound variable (chains are walked link by link)
        i = next((k for k, a in enumerate(atoms) if a[0] in binding or a[2] in binding), 0)
        rest = atoms[:i] + atoms[i + 1 :]
        for b in self._match(atoms[i], binding):
            yield from self._solve(rest, b)

    def run(self) -> Inference:
        """Apply the rules to a fixpoint; the new triples worth keeping, and the SPARQL rules' output."""
        t0 = time.perf_counter()
        derived = self.fixpoint()
        self._check_disjoint()
        kept = [t for t in derived if keep(*t)]
        lines = sorted(f"{s} {p} {o} ." for s, p, o in kept)
        lines += self._sparql_rules(self.ontology | (set(derived) - set(kept)))
        nt = "\n".join(lines) + ("\n" if lines else "")
        return Inference(nt, len(lines), self.given, time.perf_counter() - t0)

    def fixpoint(self) -> list[tuple[str, str, str]]:
        """The OWL 2 RL rules applied to what is known until nothing new follows; the new triples."""
        work = [(s, p, o) for p, by_s in self.so.items() for s, objects in by_s.items() for o in objects]
        derived: list[tuple[str, str, str]] = []
        triggers, none = self.triggers, ()
        while work:
            s, p, o = work.pop()
            for bs, bo, rest, head in (*triggers.get((p, None), none), *triggers.get((p, o), none)):
                binding: dict[str, str] = {}
                if bs[0] == "?":
                    binding[bs] = s
                elif bs != s:
                    continue
                if bo[0] == "?":
                    if binding.get(bo, o) != o:
                        continue
                    binding[bo] = o
                for b in self._solve(rest, binding) if rest else (binding,):
                    for hs, hp, ho in head:
                        triple = (b.get(hs, hs), hp, b.get(ho, ho))
                        if triple[0].startswith('"'):
                            continue  # a literal cannot be a subject
                        if self._insert(*triple):
                            derived.append(triple)
                            work.append(triple)
        return derived

    def _check_disjoint(self) -> None:
        by_class = self.os.get(TYPE, {})
        problems = []
        for a, b in self.disjoint:
            clash = sorted(by_class.get(f"<{a}>", set()) & by_class.get(f"<{b}>", set()))[:5]
            problems += [f"{x} is both <{a}> and <{b}> (cax-dw)" for x in clash]
        if problems:
            raise InconsistentGraphError(problems)

    def _sparql_rules(self, leave_out: set[tuple[str, str, str]]) -> list[str]:
        """The rules of ontology/rules/ (CONSTRUCT queries, run once) over the asserted and kept
        inferred triples with a predicate they mention."""
        mentioned = _rule_mentions()
        data = "".join(
            f"{s} {p} {o} .\n"
            for p in mentioned & self.so.keys()
            for s, objects in self.so[p].items()
            for o in objects
            if (p != TYPE or o in mentioned) and (s, p, o) not in leave_out  # types of the classes named only
        )
        store = ox.Store()
        store.load(input=data, format=ox.RdfFormat.N_TRIPLES)
        return _run_sparql_rules(store)


def _run_sparql_rules(store: ox.Store, *, union: bool = False) -> list[str]:
    """The triples the rules of ontology/rules/ (CONSTRUCT queries, run once) make of ``store``
    (its default graph, or with ``union`` the union of its graphs), as N-Triples lines."""
    lines = []
    for rule_text in rule_texts().values():
        result = store.query(rule_text, prefixes=PREFIXES, use_default_graph_as_union=union)
        assert isinstance(result, ox.QueryTriples), "rules are CONSTRUCT queries"
        lines += [f"{t.subject} {t.predicate} {t.object} ." for t in result]
    return lines


def _mentioned_predicates(query: str) -> set[str]:
    """The IRIs a SPARQL text mentions (prefixed names expanded; ``a`` is rdf:type), as N-Triples terms."""
    return {f"<{iri}>" for iri in sparql.mentioned_iris(query, PREFIXES)}


@lru_cache(maxsize=1)
def _rule_mentions() -> frozenset[str]:
    """The IRIs the SPARQL rules of ontology/rules/ mention."""
    return frozenset().union(*(_mentioned_predicates(text) for text in rule_texts().values()))


@lru_cache(maxsize=1)
def _read_predicates() -> frozenset[str]:
    """What the reasoner keeps: the predicates of the OWL 2 RL rules, rdf:type, and the IRIs the
    SPARQL rules of ontology/rules/ mention."""
    _text, rules, _disjoint, _nt = _compiled()
    return frozenset({TYPE} | _rule_mentions() | {p for rule in rules for _s, p, _o in rule.body + rule.head})


@lru_cache(maxsize=1)
def _read_classes() -> frozenset[str]:
    """The classes whose members the reasoner keeps: those a rule reads or writes (no compiled rule
    has a variable class or predicate), the disjoint ones, and those the SPARQL rules mention. The
    other rdf:type triples (a quote's selectors, say) can neither fire a rule nor be inferred."""
    _text, rules, disjoint, _nt = _compiled()
    assert not any(p.startswith("?") or (p == TYPE and o.startswith("?")) for r in rules for _s, p, o in r.body + r.head)
    named = {o for rule in rules for _s, p, o in rule.body + rule.head if p == TYPE}
    return frozenset(named | {f"<{c}>" for pair in disjoint for c in pair} | _rule_mentions())


def relevant(ntriples: str) -> str:
    """The lines of an N-Triples text that the reasoner reads (what :meth:`Reasoner.add` keeps)."""
    wanted, classes = _read_predicates(), _read_classes()
    return "".join(line + "\n" for line in ntriples.split("\n") if _read(line, wanted, classes) is not None)


def _read(line: str, wanted: frozenset[str], classes: frozenset[str]) -> tuple[str, str, str] | None:
    """The terms of an N-Triples line the reasoner keeps, or None."""
    parts = line.split(" ", 2)
    if len(parts) < 3 or parts[1] not in wanted:
        return None
    o = parts[2].rstrip()
    if not o.endswith("."):
        return None
    o = o[:-1].rstrip()
    if parts[1] == TYPE and o not in classes:
        return None
    return parts[0], parts[1], o


def reason(asserted_ntriples: str) -> Inference:
    """The triples the ontology's rules infer from the asserted triples (ontology included by us)."""
    reasoner = Reasoner()
    reasoner.add(asserted_ntriples)
    return reasoner.run()


def reason_sparql(asserted_ntriples: str) -> Inference:
    """The same inference with every rule run as a SPARQL update to a fixpoint in Oxigraph.

    Slower (every rule re-reads the whole graph each round) but declarative: the reference the
    tests hold :class:`Reasoner` to, triple for triple.
    """
    t0 = time.perf_counter()
    text, rules, disjoint, _ = _compiled()
    store = ox.Store()
    store.load(input=text, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    store.load(input=asserted_ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    before = len(store)
    size = before
    for _round in range(50):
        for rule in rules:
            store.update(rule.sparql)
        if len(store) == size:
            break
        size = len(store)
    problems = []
    for a, b in disjoint:
        clash = store.query(f"SELECT ?x WHERE {{ ?x a <{a}>, <{b}> }} LIMIT 5")
        assert isinstance(clash, ox.QuerySolutions)
        problems += [f"{row['x']} is both <{a}> and <{b}> (cax-dw)" for row in clash]
    if problems:
        raise InconsistentGraphError(problems)
    given = ox.Store()
    given.load(input=text, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    given.load(input=asserted_ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    lines = sorted(f"{q.subject} {q.predicate} {q.object} ." for q in store
                   if q not in given and keep(str(q.subject), str(q.predicate), str(q.object)))  # fmt: skip
    data = ox.Store()
    data.load(input=asserted_ntriples + "\n" + "\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
    lines += _run_sparql_rules(data)
    nt = "\n".join(lines) + ("\n" if lines else "")
    return Inference(nt, len(lines), before, time.perf_counter() - t0)


def owlrl_closure(asserted: Graph) -> Graph:
    """owlrl's OWL-RL closure of the ontology plus ``asserted``, minus its input and noise (the reference)."""
    import owlrl

    g = Graph()
    g.parse(data=ontology_text(), format="turtle")
    for t in asserted:
        g.add(t)
    before = set(g)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    agent = "http://www.daml.org/2002/03/agents/agent-ont#"
    errors = [
        str(m) for e in g.subjects(RDF.type, URIRef(agent + "ErrorMessage")) for m in g.objects(e, URIRef(agent + "error"))
    ]
    if errors:
        raise InconsistentGraphError(errors)
    out = Graph()
    for s, p, o in g:
        if (s, p, o) in before or isinstance(s, BNode) or not str(s).startswith(_ID):
            continue
        if str(p) in REFLEXIVE_NOISE and o == s:
            continue
        out.add((s, p, o))
    return out


def alignment_triples(g: Graph) -> set[tuple[str, str, str]]:
    """The alignment triples of a graph, as strings (for comparing the two reasoners)."""
    wanted = set(ALIGNMENT_PROPERTIES)
    return {(str(s), str(p), str(o)) for s, p, o in g if str(p) in wanted and s != o}
