"""Figures about a store: graphs, triples, readouts, meetings, positions and alignments.

In: a store. Out: a dict of counts (what ``kg stats`` prints).
"""

from __future__ import annotations

from kg.namespaces import GRAPH, DIP, INFERRED_GRAPH
from kg.store import GraphStore
from kg.tallies import stale


def _count(store: GraphStore, query: str) -> int:
    rows = list(store.select(query))
    return int(rows[0]["n"].value) if rows and "n" in rows[0] else 0


def _by(store: GraphStore, query: str) -> dict[str, int]:
    return {str(r["k"].value): int(r["n"].value) for r in store.select(query)}


def stats(store: GraphStore) -> dict[str, object]:
    readouts = store.readout_graphs()
    path = getattr(store, "path", None) if store.lookup_source() is not None else None
    inferred = [g for g in store.graphs() if g == str(INFERRED_GRAPH)]
    return {
        "graphs": len(store.graphs()),
        "readouts": len(readouts),
        "asserted_triples": _count(
            store,
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
            f'FILTER(?g != <{INFERRED_GRAPH}> && STRSTARTS(STR(?g), "{GRAPH}")) }}',
        ),
        "inferred_triples": _count(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?s ?p ?o }} }}")
        if inferred
        else 0,
        "actors": _count(store, "SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a dip:code ?c }"),
        "persons": _count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a dip:Person }"),
        "meetings_by_type": _by(
            store,
            "SELECT ?k (COUNT(DISTINCT ?m) AS ?n) WHERE { ?r dip:reports ?m . ?m a ?t . "
            "FILTER(?t IN (dip:PhoneCall, dip:VideoCall, dip:InPersonMeeting, "
            "dip:JointStatement, dip:OtherEncounter)) BIND(STRAFTER(STR(?t), '#') AS ?k) } "
            "GROUP BY ?k ORDER BY DESC(?n)",
        ),
        "positions_by_stance": _by(
            store,
            "SELECT ?k (COUNT(?p) AS ?n) WHERE { ?p dip:holder ?h ; dip:stance ?s . "
            "BIND(STRAFTER(STR(?s), '/stance/') AS ?k) } GROUP BY ?k ORDER BY DESC(?n)",
        ),
        "alignments_by_relation": _by(
            store,
            f"SELECT ?k (COUNT(*) AS ?n) WHERE {{ GRAPH <{INFERRED_GRAPH}> {{ ?a ?r ?b }} "
            f"FILTER(?r IN (<{DIP.supports}>, <{DIP.opposes}>, <{DIP.sharesStanceWith}>, "
            f"<{DIP.agreesWith}>, <{DIP.divergesFrom}>, <{DIP.metWith}>)) "
            "BIND(STRAFTER(STR(?r), '#') AS ?k) } GROUP BY ?k ORDER BY DESC(?n)",
        ),
        # the whole-collection tallies follow an incremental build within seconds
        "tallies": "being refreshed" if path and stale(path) else "up to date",
    }
