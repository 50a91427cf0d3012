"""Queries: SPARQL text in, results in a chosen format out.

In: a store and a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE). Out: the results as a text
table or in a format of :mod:`kg.formats` (SPARQL JSON/XML, CSV, TSV for SELECT and ASK; an RDF
format for graph results), written by the same writers as the SPARQL service. Queries that would
reach outside the store (``SERVICE``, ``LOAD``) or change it are refused before evaluation
(:mod:`kg.sparql`); the query's own dataset (``FROM``, ``FROM NAMED``) is honoured.
"""

from __future__ import annotations

import pyoxigraph as ox

from kg import formats, results
from kg.errors import QueryError
from kg.store import GraphStore

CHOICES = ("table", *formats.RESULT_FORMATS, *formats.GRAPH_FORMATS)  # what `kg query --format` offers


def run(store: GraphStore, query: str) -> object:
    return store.query(query)


def _term(t: object) -> str:
    if isinstance(t, ox.NamedNode | ox.Literal):
        return t.value
    if isinstance(t, ox.BlankNode):
        return f"_:{t.value}"
    return "" if t is None else str(t)


def format_result(result: object, fmt: str) -> str:
    """The result rendered as ``table`` or in the named format."""
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        if fmt == "table":
            rows = [[_term(sol[n]) for n in names] for sol in result]
            widths = [max([len(n), *(min(len(r[i]), 80) for r in rows)]) for i, n in enumerate(names)]
            line = lambda cells: "  ".join(c[:80].ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
            out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
            return "\n".join(out) + f"\n({len(rows)} row{'s' if len(rows) != 1 else ''})\n"
        if fmt not in formats.RESULT_FORMATS:
            raise QueryError(f"format {fmt!r} does not fit a SELECT result; use table, {', '.join(formats.RESULT_FORMATS)}")
        return results.write_select(names, [list(sol) for sol in result], formats.get(fmt)).decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        if fmt in formats.RESULT_FORMATS:
            return results.write_boolean(bool(result), formats.get(fmt)).decode("utf-8")
        return ("true" if bool(result) else "false") + "\n"
    if isinstance(result, ox.QueryTriples):
        name = "turtle" if fmt == "table" else fmt
        if name not in formats.GRAPH_FORMATS:
            raise QueryError(f"format {fmt!r} does not fit a graph result; use {', '.join(formats.GRAPH_FORMATS)}")
        quads = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in result)
        return formats.serialize_quads(quads, formats.get(name)).decode("utf-8")
    raise QueryError("unexpected query result")
