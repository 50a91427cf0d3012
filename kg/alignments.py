"""Alignments between actors, each with the positions, quotes and readouts behind it.

In: a store with an inferred graph. Out: :class:`Alignment` records: an inferred relation between
two actors (``supports``, ``opposes``, ``sharesStanceWith``, ``agreesWith``, ``divergesFrom``)
and the evidence that produces it, found by following the ontology's property chains back to the
asserted positions. This is what ``kg alignments`` and ``kg explain`` print.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.namespaces import DIP, INFERRED_GRAPH
from kg.store import GraphStore

RELATIONS = ("supports", "opposes", "sharesStanceWith", "agreesWith", "divergesFrom")
# How each relation is derived, for explanations (the ontology's property chains).
DERIVATION = {
    "supports": "prp-spo2: dip:holds o dip:supportTarget (a position of the source supports the target)",
    "opposes": "prp-spo2: dip:holds o dip:opposeTarget (a position of the source opposes the target)",
    "sharesStanceWith": "prp-spo2: dip:holdsStance o dip:stanceHeldBy (both hold the same stance key)",
    "agreesWith": "prp-spo2: dip:holdsAgreement o dip:agreementHeldBy (both agreed on the same issue)",
    "divergesFrom": "prp-spo2: dip:holdsStance o dip:contraryStance o dip:stanceHeldBy (contrary stance keys)",
}


@dataclass(frozen=True)
class Evidence:
    holder: str
    stance: str
    issue: str
    quote: str
    file: str
    position: str


@dataclass
class Alignment:
    source: str  # actor code
    relation: str
    target: str
    issues: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "relation": self.relation,
            "target": self.target,
            "issues": self.issues,
            "derivation": DERIVATION[self.relation],
            "evidence": [e.__dict__ for e in self.evidence],
        }


_QUERIES = {
    "positions": "SELECT ?p ?h ?s ?label ?issue ?r WHERE { ?p dip:holder ?h ; dip:stance ?s ; dip:issueLabel ?label ;"
    " dip:issue ?issue ; prov:wasDerivedFrom ?r }",
    "codes": "SELECT ?a ?code WHERE { ?a dip:code ?code }",
    "keys": "SELECT ?p ?k WHERE { ?p dip:stanceKey ?k }",
    "targets": "SELECT ?p ?t WHERE { ?p dip:target ?t }",
    "quotes": "SELECT ?p ?q WHERE { ?p dip:evidence ?a . ?a oa:hasTarget ?t . ?t oa:hasSelector ?s . ?s oa:exact ?q }",
    "files": "SELECT ?r ?f WHERE { ?r dip:fileName ?f }",
}


def _pairs(store: GraphStore, name: str) -> dict[str, str]:
    """A two-column query as a dict (simple patterns, joined in Python: much faster than OPTIONALs)."""
    out: dict[str, str] = {}
    for row in store.select(_QUERIES[name]):
        a, b = list(row.values())[:2]
        out.setdefault(a.value, b.value)
    return out


def positions(store: GraphStore) -> list[tuple[Evidence, str, str | None, str | None]]:
    """Every position as (evidence, issue IRI, stance key IRI, target code)."""
    codes, keys, targets = _pairs(store, "codes"), _pairs(store, "keys"), _pairs(store, "targets")
    quotes, files = _pairs(store, "quotes"), _pairs(store, "files")
    out = []
    for r in store.select(_QUERIES["positions"]):
        p = r["p"].value
        e = Evidence(codes.get(r["h"].value, r["h"].value), r["s"].value.rsplit("/", 1)[-1], str(r["label"].value),
                     quotes.get(p, ""), files.get(r["r"].value, ""), p)  # fmt: skip
        target = targets.get(p)
        out.append((e, r["issue"].value, keys.get(p), codes.get(target) if target else None))
    return out


_INFERRED = f"""
SELECT ?a ?rel ?b WHERE {{
  GRAPH <{INFERRED_GRAPH}> {{ ?x ?r ?y }}
  VALUES ?r {{ {" ".join(f"<{DIP[r]}>" for r in RELATIONS)} }}
  ?x dip:code ?a . ?y dip:code ?b .
  BIND (STRAFTER(STR(?r), "#") AS ?rel)
}}
"""
_CONTRARY = "SELECT ?k ?c WHERE { ?k dip:contraryStance ?c }"
_LABELS = "SELECT ?c ?l WHERE { ?c skos:prefLabel|skos:altLabel ?l }"


def _matches(needle: str, e: Evidence, labels: dict[str, set[str]], issue_iri: str) -> bool:
    n = needle.lower()
    return n in e.issue.lower() or any(n in lab.lower() for lab in labels.get(issue_iri, ()))


def alignments(
    store: GraphStore, *, state: str | None = None, issue: str | None = None, relation: str | None = None
) -> list[Alignment]:
    """The inferred alignments, filtered by an actor code, an issue label and a relation."""
    all_positions = positions(store)
    contrary: dict[str, set[str]] = {}
    for r in store.select(_CONTRARY):
        contrary.setdefault(r["k"].value, set()).add(r["c"].value)
    labels: dict[str, set[str]] = {}
    if issue:
        for r in store.select(_LABELS):
            labels.setdefault(r["c"].value, set()).add(str(r["l"].value))
    wanted_state = state.upper() if state and not state.upper().startswith("ORG:") else state
    out: list[Alignment] = []
    seen: set[tuple[str, str, str]] = set()
    for r in store.select(_INFERRED):
        a, rel, b = str(r["a"].value), str(r["rel"].value), str(r["b"].value)
        if relation and rel != relation:
            continue
        if wanted_state and wanted_state not in (a, b):
            continue
        if (a, rel, b) in seen:
            continue
        seen.add((a, rel, b))
        found = _evidence(a, rel, b, all_positions, contrary)
        ev = [e for e, iri in found if not issue or _matches(issue, e, labels, iri)]
        if not ev:
            continue
        out.append(Alignment(a, rel, b, sorted({e.issue for e in ev}), ev))
    out.sort(key=lambda x: (x.relation, x.source, x.target))
    return out


def _evidence(a: str, rel: str, b: str, positions: list, contrary: dict[str, set[str]]) -> list[tuple[Evidence, str]]:
    if rel in ("supports", "opposes"):
        stance = "support" if rel == "supports" else "oppose"
        return [(e, iri) for e, iri, _k, t in positions if e.holder == a and e.stance == stance and t == b]
    keys_a = {k: (e, iri) for e, iri, k, _t in positions if e.holder == a and k}
    out = []
    for e, iri, k, _t in positions:
        if e.holder != b or not k:
            continue
        if rel in ("sharesStanceWith", "agreesWith") and k in keys_a:
            if rel == "agreesWith" and e.stance != "agree":
                continue
            out += [keys_a[k], (e, iri)]
        if rel == "divergesFrom":
            for ka, pair in keys_a.items():
                if k in contrary.get(ka, set()):
                    out += [pair, (e, iri)]
    unique: dict[str, tuple[Evidence, str]] = {}
    for e, iri in out:
        unique.setdefault(e.position, (e, iri))
    return list(unique.values())
