"""What the browser pages show: a resource's facts, a readout with its evidence spans.

In: a query function (SPARQL text -> SPARQL JSON result) and an IRI. Out: plain structures the
web layer renders. Kept in ``kg`` so that the web app stays a thin layer over the library.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from kg.namespaces import INFERRED_GRAPH

Select = Callable[[str], list[dict[str, dict[str, str]]]]


def selector(run: Callable[[str], tuple[int, bytes]]) -> Select:
    """A Select over a function that runs a query and returns (status, SPARQL JSON bytes)."""

    def select(query: str) -> list[dict[str, dict[str, str]]]:
        status, body = run(query)
        if status != 200:
            raise ValueError(body.decode("utf-8", "replace"))
        return list(json.loads(body)["results"]["bindings"])

    return select


@dataclass
class Fact:
    predicate: str
    value: str
    kind: str  # uri, literal, bnode
    inferred: bool
    graph: str
    datatype: str = ""
    lang: str = ""


@dataclass
class Resource:
    iri: str
    label: str = ""
    types: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    incoming: list[Fact] = field(default_factory=list)  # subject in value, predicate, graph


def _iri_literal(iri: str) -> str:
    return "<" + iri.replace(">", "%3E").replace(" ", "%20") + ">"


def resource(select: Select, iri: str, limit: int = 500) -> Resource:
    """The facts about ``iri`` (asserted and inferred marked apart) and the links to it."""
    node = _iri_literal(iri)
    out = Resource(iri)
    rows = select(f"SELECT ?p ?o ?g WHERE {{ GRAPH ?g {{ {node} ?p ?o }} }} ORDER BY ?p ?o LIMIT {limit}")
    for r in rows:
        o = r["o"]
        f = Fact(r["p"]["value"], o["value"], o["type"], r["g"]["value"] == str(INFERRED_GRAPH), r["g"]["value"],
                 o.get("datatype", ""), o.get("xml:lang", ""))  # fmt: skip
        out.facts.append(f)
        if f.predicate.endswith("#type") and f.kind == "uri" and not f.inferred:
            out.types.append(f.value)
        if f.predicate in ("http://www.w3.org/2000/01/rdf-schema#label", "http://www.w3.org/2004/02/skos/core#prefLabel",
                           "http://purl.org/dc/terms/title") and not out.label:  # fmt: skip
            out.label = f.value
    rows = select(f"SELECT ?s ?p ?g WHERE {{ GRAPH ?g {{ ?s ?p {node} }} }} ORDER BY ?p ?s LIMIT {limit}")
    for r in rows:
        out.incoming.append(Fact(r["p"]["value"], r["s"]["value"], r["s"]["type"], r["g"]["value"] == str(INFERRED_GRAPH),
                                 r["g"]["value"]))  # fmt: skip
    return out


@dataclass
class Span:
    start: int
    end: int
    position: str
    holder: str
    stance: str
    issue: str


@dataclass
class ReadoutView:
    iri: str
    title: str
    file: str
    text: str
    spans: list[Span]


def readout(select: Select, iri: str) -> ReadoutView | None:
    """A readout's text and the evidence spans of its positions."""
    node = _iri_literal(iri)
    rows = select(f"SELECT ?text ?file ?title WHERE {{ {node} a dip:Readout ; schema:text ?text ; dip:fileName ?file . "
                  f"OPTIONAL {{ {node} dct:title ?title }} }} LIMIT 1")  # fmt: skip
    if not rows:
        return None
    r = rows[0]
    spans = []
    for s in select(f"""SELECT ?p ?start ?end ?holder ?stance ?issue WHERE {{
            ?p prov:wasDerivedFrom {node} ; dip:holder/dip:code ?holder ; dip:stance ?st ; dip:issueLabel ?issue ;
               dip:evidence/oa:hasTarget/oa:hasSelector ?sel . ?sel oa:start ?start ; oa:end ?end .
            BIND (STRAFTER(STR(?st), "/stance/") AS ?stance) }} ORDER BY ?start"""):  # fmt: skip
        spans.append(Span(int(s["start"]["value"]), int(s["end"]["value"]), s["p"]["value"], s["holder"]["value"],
                          s["stance"]["value"], s["issue"]["value"]))  # fmt: skip
    return ReadoutView(iri, r.get("title", {}).get("value", ""), r["file"]["value"], r["text"]["value"], spans)


def segments(text: str, spans: list[Span]) -> list[tuple[str, list[Span]]]:
    """The text cut at span boundaries: (piece, the spans covering it), for highlighting."""
    first = len(text) - len(text.lstrip())  # blank lines where a Markdown readout's front matter was
    inside = [s for s in spans if s.start >= first]
    cuts = sorted({first, len(text), *(s.start for s in inside), *(s.end for s in inside)})
    out = []
    for a, b in pairwise(cuts):
        if b <= a:
            continue
        out.append((text[a:b], [s for s in spans if s.start <= a and b <= s.end]))
    return out
