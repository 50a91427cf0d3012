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
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.errors import InconsistentGraphError, VocabularyError
from kg.namespaces import DIP, ID, sparql_prefixes

ALIGNMENT_PROPERTIES = tuple(
    str(DIP[p])
    for p in (
        "supports", "opposes", "sharesStanceWith", "agreesWith", "divergesFrom", "metWith", "alignedWith",
        "inTensionWith", "holdsStance", "holdsAgreement", "stanceHeldBy", "agreementHeldBy",
    )
)  # fmt: skip
REFLEXIVE_NOISE = tuple(str(DIP[p]) for p in ("sharesStanceWith", "agreesWith", "metWith", "alignedWith", "divergesFrom"))
ONTOLOGY_FILES = ("dipkg.ttl", "stances.ttl", "issues.ttl")
_ID = str(ID)


@dataclass(frozen=True)
class Rule:
    name: str  # the OWL 2 RL rule and the axiom, e.g. "prp-spo2 dip:supports"
    sparql: str


@dataclass
class Inference:
    ntriples: str  # the inferred triples (about data), N-Triples
    count: int
    asserted: int
    seconds: float
    iterations: int


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
    """SPARQL rules for the ontology's OWL 2 RL axioms, and the pairs of disjoint classes."""
    rules: list[Rule] = []
    for c, supers in sorted(_closure(_pairs(ontology, RDFS.subClassOf)).items()):
        heads = " ".join(f"?x a <{d}> ." for d in sorted(supers))
        rules.append(Rule(f"cax-sco <{c}>", f"INSERT {{ {heads} }} WHERE {{ ?x a <{c}> }}"))
    for p, supers in sorted(_closure(_pairs(ontology, RDFS.subPropertyOf)).items()):
        heads = " ".join(f"?x <{q}> ?y ." for q in sorted(supers))
        rules.append(Rule(f"prp-spo1 <{p}>", f"INSERT {{ {heads} }} WHERE {{ ?x <{p}> ?y }}"))
    for p, q in _pairs(ontology, OWL.inverseOf):
        rules.append(Rule(f"prp-inv1 <{p}>", f"INSERT {{ ?y <{q}> ?x }} WHERE {{ ?x <{p}> ?y }}"))
        rules.append(Rule(f"prp-inv2 <{q}>", f"INSERT {{ ?y <{p}> ?x }} WHERE {{ ?x <{q}> ?y }}"))
    for p in sorted(str(x) for x in ontology.subjects(RDF.type, OWL.SymmetricProperty) if isinstance(x, URIRef)):
        rules.append(Rule(f"prp-symp <{p}>", f"INSERT {{ ?y <{p}> ?x }} WHERE {{ ?x <{p}> ?y }}"))
    for prop, head in sorted(ontology.subject_objects(OWL.propertyChainAxiom), key=lambda t: str(t[0])):
        chain = _list(ontology, head)
        if not isinstance(prop, URIRef) or len(chain) < 2:
            continue
        steps = " . ".join(f"?v{i} <{q}> ?v{i + 1}" for i, q in enumerate(chain))
        rules.append(Rule(f"prp-spo2 <{prop}>", f"INSERT {{ ?v0 <{prop}> ?v{len(chain)} }} WHERE {{ {steps} }}"))
    for p, c in _pairs(ontology, RDFS.domain):
        rules.append(Rule(f"prp-dom <{p}>", f"INSERT {{ ?x a <{c}> }} WHERE {{ ?x <{p}> ?y }}"))
    for p, c in _pairs(ontology, RDFS.range):
        if not c.startswith("http://www.w3.org/2001/XMLSchema#"):
            rules.append(Rule(f"prp-rng <{p}>", f"INSERT {{ ?y a <{c}> }} WHERE {{ ?x <{p}> ?y FILTER(!isLiteral(?y)) }}"))
    for restriction in sorted(set(ontology.subjects(OWL.hasValue, None)), key=str):
        on, value = ontology.value(restriction, OWL.onProperty), ontology.value(restriction, OWL.hasValue)
        if not (isinstance(on, URIRef) and isinstance(value, URIRef)):
            continue
        for c in sorted(str(x) for x in ontology.subjects(OWL.equivalentClass, restriction) if isinstance(x, URIRef)):
            rules.append(Rule(f"cls-hv1 <{c}>", f"INSERT {{ ?x <{on}> <{value}> }} WHERE {{ ?x a <{c}> }}"))
            rules.append(Rule(f"cls-hv2 <{c}>", f"INSERT {{ ?x a <{c}> }} WHERE {{ ?x <{on}> <{value}> }}"))
    return rules, _pairs(ontology, OWL.disjointWith)


@lru_cache(maxsize=1)
def _compiled() -> tuple[str, tuple[Rule, ...], tuple[tuple[str, str], ...]]:
    text = ontology_text()
    g = Graph().parse(data=text, format="turtle")
    rules, disjoint = compile_rules(g)
    return text, tuple(rules), tuple(disjoint)


def _keep(s: ox.NamedNode | ox.BlankNode | ox.Triple, p: ox.NamedNode, o: object) -> bool:
    """Inferred triples worth keeping: about data, not ontology noise, not reflexive alignments."""
    if not isinstance(s, ox.NamedNode) or not s.value.startswith(_ID):
        return False
    return not (p.value in REFLEXIVE_NOISE and o == s)


def reason(asserted_ntriples: str) -> Inference:
    """The triples the ontology's rules infer from the asserted triples (ontology included by us)."""
    t0 = time.perf_counter()
    text, rules, disjoint = _compiled()
    store = ox.Store()
    store.load(input=text, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    store.load(input=asserted_ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    before = len(store)
    size, iterations = before, 0
    while True:
        iterations += 1
        for rule in rules:
            store.update(rule.sparql)
        if len(store) == size or iterations > 50:
            break
        size = len(store)
    problems = []
    for a, b in disjoint:
        clash = store.query(f"SELECT ?x WHERE {{ ?x a <{a}>, <{b}> }} LIMIT 5")
        assert isinstance(clash, ox.QuerySolutions)
        problems += [f"{row['x']} is both <{a}> and <{b}> (cax-dw)" for row in clash]
    if problems:
        raise InconsistentGraphError(problems)
    # What is new: the closure minus its input, the input held in a native store (a Python set of
    # millions of term tuples cost gigabytes at 10,000 readouts).
    given = ox.Store()
    given.load(input=text, format=ox.RdfFormat.TURTLE, to_graph=ox.DefaultGraph())
    given.load(input=asserted_ntriples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
    lines = sorted(f"{q.subject} {q.predicate} {q.object} ." for q in store
                   if _keep(q.subject, q.predicate, q.object) and q not in given)  # fmt: skip
    del given, store
    data = ox.Store()
    data.load(input=asserted_ntriples + "\n" + "\n".join(lines), format=ox.RdfFormat.N_TRIPLES)
    for rule_text in rule_texts().values():
        result = data.query(sparql_prefixes() + rule_text)
        assert isinstance(result, ox.QueryTriples), "rules are CONSTRUCT queries"
        for t in result:
            line = f"{t.subject} {t.predicate} {t.object} ."
            lines.append(line)
    nt = "\n".join(lines) + ("\n" if lines else "")
    return Inference(nt, len(lines), before, time.perf_counter() - t0, iterations)


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
