"""Network analysis of the graph: who aligns with whom, weighted, with communities and centrality.

In: a Select (SPARQL text -> JSON bindings) and filters (issue, stance, period, publisher).
Out: a graph for drawing (Cytoscape.js elements): actors, and optionally persons, meetings and
issues, with edges weighted by the number of positions or meetings behind them; networkx gives
each actor its community (Louvain) and centrality (PageRank).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

import networkx as nx

from kg.browse import Select

STANCE_RELATION = {"support": "supports", "oppose": "opposes", "concern": "concern", "hope": "hope",
                   "commit": "commit", "appreciate": "appreciates", "call": "calls on", "agree": "agree"}  # fmt: skip

_POSITIONS = """
SELECT ?p ?holder ?hl ?stance ?target ?tl ?issue ?date ?publisher ?quote ?file WHERE {
  ?p dip:holder ?h ; dip:stance ?st ; dip:issueLabel ?issue ; dip:expressedIn ?m ; prov:wasDerivedFrom ?r .
  ?h dip:code ?holder . OPTIONAL { ?h rdfs:label ?hl }
  OPTIONAL { ?p dip:target ?t . ?t dip:code ?target . OPTIONAL { ?t rdfs:label ?tl } }
  OPTIONAL { ?m sem:hasTimeStamp ?date }
  OPTIONAL { ?r dct:publisher/dip:code ?publisher }
  OPTIONAL { ?r dip:fileName ?file }
  OPTIONAL { ?p dip:evidence/oa:hasTarget/oa:hasSelector/oa:exact ?quote }
  BIND (STRAFTER(STR(?st), "/stance/") AS ?stance)
}
"""
_MEETINGS = """
SELECT ?m ?label ?date ?actor ?al ?person ?pl ?publisher WHERE {
  ?r dip:reports ?m . ?m dip:participantActor ?a . ?a dip:code ?actor . OPTIONAL { ?a rdfs:label ?al }
  OPTIONAL { ?m rdfs:label ?label } OPTIONAL { ?m sem:hasTimeStamp ?date }
  OPTIONAL { ?r dct:publisher/dip:code ?publisher }
  OPTIONAL { ?m dip:participant ?person . ?person dip:represents ?a ; rdfs:label ?pl }
}
"""


def _v(row: dict[str, dict[str, str]], key: str) -> str:
    return row[key]["value"] if key in row else ""


def _keep(date: str, publisher: str, start: str | None, end: str | None, pub: str | None) -> bool:
    if start and (not date or date < start):
        return False
    if end and (not date or date > end):
        return False
    return not (pub and publisher != pub.upper())


def network(
    select: Select,
    *,
    issue: str | None = None,
    stance: str | None = None,
    start: str | None = None,
    end: str | None = None,
    publisher: str | None = None,
    detail: bool = False,
) -> dict[str, Any]:
    """Cytoscape.js elements and figures for the filtered network (``detail`` adds persons, meetings, issues)."""
    nodes: dict[str, dict[str, Any]] = {}
    edges: dict[tuple[str, str, str], dict[str, Any]] = {}

    def actor(code: str, label: str) -> str:
        node = nodes.setdefault(code, {"id": code, "label": label or code, "kind": "actor", "positions": 0})
        if label and node["label"] == code:
            node["label"] = label
        return code

    for r in select(_POSITIONS):
        st, iss = _v(r, "stance"), _v(r, "issue")
        if stance and st != stance:
            continue
        if issue and issue.lower() not in iss.lower():
            continue
        if not _keep(_v(r, "date"), _v(r, "publisher"), start, end, publisher):
            continue
        h = actor(_v(r, "holder"), _v(r, "hl"))
        nodes[h]["positions"] += 1
        if detail:
            iid = "issue:" + iss.lower()
            nodes.setdefault(iid, {"id": iid, "label": iss, "kind": "issue"})
            key = (h, iid, st)
            e = edges.setdefault(key, {"source": h, "target": iid, "relation": STANCE_RELATION.get(st, st), "weight": 0,
                                       "evidence": []})  # fmt: skip
            e["weight"] += 1
        if not _v(r, "target") or _v(r, "target") == h:
            continue
        t = actor(_v(r, "target"), _v(r, "tl"))
        e = edges.setdefault((h, t, st), {"source": h, "target": t, "relation": STANCE_RELATION.get(st, st), "weight": 0,
                                          "evidence": []})  # fmt: skip
        e["weight"] += 1
        if len(e["evidence"]) < 5:
            e["evidence"].append({"issue": iss, "quote": _v(r, "quote"), "file": _v(r, "file"), "date": _v(r, "date")})
    met: Counter[tuple[str, str]] = Counter()
    by_meeting: dict[str, set[str]] = defaultdict(set)
    for r in select(_MEETINGS):
        if not _keep(_v(r, "date"), _v(r, "publisher"), start, end, publisher) or (issue or stance):
            continue
        m, a = _v(r, "m"), actor(_v(r, "actor"), _v(r, "al"))
        by_meeting[m].add(a)
        if detail:
            nodes.setdefault(
                m, {"id": m, "label": _v(r, "label")[:60] or "meeting", "kind": "meeting", "date": _v(r, "date")}
            )
            edges.setdefault(
                (a, m, "took part"), {"source": a, "target": m, "relation": "took part", "weight": 1, "evidence": []}
            )
            if _v(r, "person"):
                pid = _v(r, "person")
                nodes.setdefault(pid, {"id": pid, "label": _v(r, "pl"), "kind": "person"})
                edges.setdefault((pid, a, "represents"), {"source": pid, "target": a, "relation": "represents", "weight": 1,
                                                           "evidence": []})  # fmt: skip
    for actors in by_meeting.values():
        for a in actors:
            for b in actors:
                if a < b:
                    met[(a, b)] += 1
    for (a, b), n in met.items():
        edges[(a, b, "met")] = {"source": a, "target": b, "relation": "met", "weight": n, "evidence": []}
    figures = _analyse(nodes, edges)
    elements = [{"data": n} for n in nodes.values()]
    for i, e in enumerate(edges.values()):
        elements.append({"data": {"id": f"e{i}", **e}})
    return {"elements": elements, "figures": figures}


def pagerank(g: nx.Graph, damping: float = 0.85, rounds: int = 100) -> dict[str, float]:
    """Weighted PageRank by power iteration (networkx's own needs SciPy, which this project does without)."""
    n = g.number_of_nodes()
    rank = {v: 1 / n for v in g}
    strength = {v: sum(d.get("weight", 1) for _u, _w, d in g.edges(v, data=True)) for v in g}
    for _ in range(rounds):
        new = {v: (1 - damping) / n for v in g}
        dangling = sum(rank[v] for v in g if strength[v] == 0)
        for v in g:
            for u, d in g[v].items():
                new[u] += damping * rank[v] * d.get("weight", 1) / strength[v] if strength[v] else 0
            new[v] += damping * dangling / n
        if sum(abs(new[v] - rank[v]) for v in g) < 1e-9:
            return new
        rank = new
    return rank


def _analyse(nodes: dict[str, dict[str, Any]], edges: dict[tuple[str, str, str], dict[str, Any]]) -> dict[str, Any]:
    g = nx.Graph()
    for n in nodes.values():
        if n["kind"] == "actor":
            g.add_node(n["id"])
    for (a, b, _rel), e in edges.items():
        if a in g and b in g:
            w = g.get_edge_data(a, b, {"weight": 0})["weight"] + e["weight"]
            g.add_edge(a, b, weight=w)
    if g.number_of_nodes() == 0:
        return {"actors": 0, "edges": 0, "communities": 0}
    rank = pagerank(g)
    communities = nx.community.louvain_communities(g, weight="weight", seed=1) if g.number_of_edges() else [set(g)]
    for i, members in enumerate(sorted(communities, key=len, reverse=True)):
        for m in members:
            nodes[m]["community"] = i
    for node_id, r in rank.items():
        nodes[node_id]["centrality"] = round(r, 4)
    top = sorted(rank.items(), key=lambda kv: -kv[1])[:5]
    return {"actors": g.number_of_nodes(), "edges": g.number_of_edges(), "communities": len(communities),
            "most_central": [n for n, _ in top]}  # fmt: skip
