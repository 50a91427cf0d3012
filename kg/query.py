"""Queries: SPARQL text in, results in a chosen format out.

In: a store and a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE). Out: the results as a text
table, CSV, TSV, SPARQL JSON/XML, or an RDF serialisation for graph results. Queries that would
reach outside the store (``SERVICE``, ``LOAD``) or change it are refused before evaluation.
"""

from __future__ import annotations

import re

import pyoxigraph as ox

from kg.errors import QueryError
from kg.store import GraphStore

RESULT_FORMATS = {
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>\s]*>|#[^\n]*')
_FORBIDDEN = re.compile(
    r"(?<![?$:\w-])(SERVICE|LOAD|INSERT|DELETE|CLEAR|DROP|CREATE|ADD|MOVE|COPY)\b(?![:-])", re.IGNORECASE
)


def check_query(query: str) -> None:
    """Refuse queries that reach outside the store or change it (checked on the query's own tokens)."""
    code = _STRINGS.sub(" ", query)
    m = _FORBIDDEN.search(code)
    if m:
        word = m.group(1).upper()
        reason = "reaches outside the store" if word in ("SERVICE", "LOAD") else "would change the store"
        raise QueryError(f"{word} is not allowed: it {reason}")


def run(store: GraphStore, query: str) -> object:
    check_query(query)
    return store.query(query)


def _term(t: object) -> str:
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, ox.Literal):
        return t.value
    if t is None:
        return ""
    return str(t)


def format_result(result: object, fmt: str) -> str:
    """The result rendered as ``table``, ``csv``, ``tsv``, ``json``, ``xml`` or an RDF format."""
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            names = [v.value for v in result.variables]
            rows = [[_term(sol[n]) for n in names] for sol in result]
            widths = [max([len(n), *(min(len(r[i]), 80) for r in rows)]) for i, n in enumerate(names)]
            line = lambda cells: "  ".join(c[:80].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
            out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
            return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
        if fmt not in RESULT_FORMATS:
            raise QueryError(f"format {fmt!r} does not fit a SELECT result; use table, csv, tsv, json or xml")
        return (result.serialize(format=RESULT_FORMATS[fmt]) or b"").decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        if fmt in ("json", "xml"):
            return (result.serialize(format=RESULT_FORMATS[fmt]) or b"").decode("utf-8")
        return ("true" if bool(result) else "false") + "\n"
    if isinstance(result, ox.QueryTriples):
        rdf = GRAPH_FORMATS.get("turtle" if fmt == "table" else fmt)
        if rdf is None:
            raise QueryError(f"format {fmt!r} does not fit a graph result; use turtle, ntriples or jsonld")
        return (result.serialize(format=rdf) or b"").decode("utf-8")
    raise QueryError("unexpected query result")
