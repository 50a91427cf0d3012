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

RELATIONS = ("supports", "opposes", "defends", "sharesStanceWith", "agreesWith", "divergesFrom")
# How each relation is derived, for explanations (the ontology's property chains).
DERIVATION = {
    "supports": "prp-spo2: dip:holds o dip:supportTarget (a position of the source supports the target)",
    "opposes": "prp-spo2: dip:holds o dip:opposeTarget (a position of the source opposes the target)",
    "defends": "prp-spo2: dip:holds o dip:beneficiary (a position of the source opposes an act against the target)",
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
    "beneficiaries": "SELECT ?p ?t WHERE { ?p dip:beneficiary ?t }",
    "quotes": "SELECT ?p ?q WHERE { ?p dip:evidence ?a . ?a oa:hasTarget ?t . ?t oa:hasSelector ?s . ?s oa:exact ?q }",
    "files": "SELECT ?r ?f WHERE { ?r dip:fileName ?f }",
}


def _multi(store: GraphStore, name: str) -> dict[str, list[str]]:
    """A two-column query as a dict of sorted value lists (simple patterns, joined in Python: much
    faster than OPTIONALs; every value kept, so that no position is lost)."""
    out: dict[str, set[str]] = {}
    for row in store.select(_QUERIES[name]):
        a, b = list(row.values())[:2]
        out.setdefault(a.value, set()).add(b.value)
    return {k: sorted(v) for k, v in out.items()}


@dataclass(frozen=True)
class _Position:
    evidence: Evidence
    issue_iri: str
    keys: tuple[str, ...]  # stance keys
    targets: tuple[str, ...]  # target codes
    beneficiaries: tuple[str, ...] = ()  # beneficiary codes


def positions(store: GraphStore) -> list[_Position]:
    """Every position, once, with all its stance keys and targets, in a stable order."""
    codes, keys, targets = _multi(store, "codes"), _multi(store, "keys"), _multi(store, "targets")
    beneficiaries = _multi(store, "beneficiaries")
    quotes, files = _multi(store, "quotes"), _multi(store, "files")
    rows: dict[str, list[tuple[str, str, str, str, str]]] = {}
    for r in store.select(_QUERIES["positions"]):
        rows.setdefault(r["p"].value, []).append(
            (r["h"].value, r["s"].value, str(r["label"].value), r["issue"].value, r["r"].value))
    out = []
    for p in sorted(rows):
        holder, stance, label, issue, readout = min(rows[p])  # one row per position (the first, in a stable order)
        code = (codes.get(holder) or [holder])[0]
        e = Evidence(code, stance.rsplit("/", 1)[-1], label, (quotes.get(p) or [""])[0],
                     (files.get(readout) or [""])[0], p)  # fmt: skip
        target_codes = tuple(sorted({(codes.get(t) or [t])[0] for t in targets.get(p, [])}))
        defended = tuple(sorted({(codes.get(t) or [t])[0] for t in beneficiaries.get(p, [])}))
        out.append(_Position(e, issue, tuple(keys.get(p, [])), target_codes, defended))
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
    """The inferred alignments, filtered by an actor code, an issue label and a relation, each with
    every position behind it (sorted by readout file and position)."""
    all_positions = positions(store)
    contrary: dict[str, set[str]] = {}
    for r in store.select(_CONTRARY):
        contrary.setdefault(r["k"].value, set()).add(r["c"].value)
    labels: dict[str, set[str]] = {}
    if issue:
        for r in store.select(_LABELS):
            labels.setdefault(r["c"].value, set()).add(str(r["l"].value))
    wanted_state = state.upper() if state and not state.upper().startswith("ORG:") else state
    by_holder: dict[str, list[_Position]] = {}
    for pos in all_positions:
        by_holder.setdefault(pos.evidence.holder, []).append(pos)
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
        found = _evidence(a, rel, b, by_holder, contrary)
        ev = [pos.evidence for pos in found if not issue or _matches(issue, pos.evidence, labels, pos.issue_iri)]
        if not ev:
            continue
        out.append(Alignment(a, rel, b, sorted({e.issue for e in ev}), ev))
    out.sort(key=lambda x: (x.relation, x.source, x.target))
    return out


def explain(store: GraphStore, source: str, relation: str, target: str, *, issue: str | None = None) -> Alignment | None:
    """The alignment ``source relation target`` (actor codes) with every position behind it, or None."""
    src, dst = source.upper(), target.upper()
    found = alignments(store, state=source, issue=issue, relation=relation)
    found = [a for a in found if a.source == src and a.target == dst]
    return found[0] if found else None


def _evidence(a: str, rel: str, b: str, by_holder: dict[str, list[_Position]],
              contrary: dict[str, set[str]]) -> list[_Position]:  # fmt: skip
    """Every position behind ``a rel b``: for shared and contrary stances, both sides' positions."""
    mine, theirs = by_holder.get(a, []), by_holder.get(b, [])
    if rel in ("supports", "opposes"):
        stance = "support" if rel == "supports" else "oppose"
        found = [p for p in mine if p.evidence.stance == stance and b in p.targets]
    elif rel == "defends":
        found = [p for p in mine if b in p.beneficiaries]
    elif rel in ("sharesStanceWith", "agreesWith"):
        def held(ps: list[_Position], keys: set[str]) -> list[_Position]:
            return [p for p in ps if keys & set(p.keys) and (rel != "agreesWith" or p.evidence.stance == "agree")]

        a_keys = {k for p in mine for k in p.keys if rel != "agreesWith" or p.evidence.stance == "agree"}
        b_keys = {k for p in theirs for k in p.keys if rel != "agreesWith" or p.evidence.stance == "agree"}
        common = a_keys & b_keys
        found = held(mine, common) + held(theirs, common)
    elif rel == "divergesFrom":
        b_keys = {k for p in theirs for k in p.keys}
        a_side = [p for p in mine if any(contrary.get(k, set()) & b_keys for k in p.keys)]
        opposed = {c for p in a_side for k in p.keys for c in contrary.get(k, set())}
        found = a_side + [p for p in theirs if opposed & set(p.keys)]
    else:
        found = []
    unique = {p.evidence.position: p for p in found}
    return sorted(unique.values(), key=lambda p: (p.evidence.file, p.evidence.position))
