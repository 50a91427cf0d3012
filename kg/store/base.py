"""The store interface: what the project needs of a store, knowing no implementation.

In: named graphs as N-Triples, SPARQL text. Out: graph names, query results, quads.
:class:`GraphStore` is implemented by the embedded store (:mod:`kg.store.embedded`) and by a
SPARQL 1.1 server (:mod:`kg.store.remote`); callers cannot tell them apart.

Datasets: a query sees the union of the store's graphs as its default graph unless it names its
own (``FROM``/``FROM NAMED``), or the caller does (the protocol's ``default-graph-uri`` /
``named-graph-uri``, which override the query's); a graph the store lacks reads as empty, and
nothing is ever fetched. Updates take the protocol's ``using-graph-uri`` /
``using-named-graph-uri``, written into the update by :func:`kg.sparql.with_using`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass, field

import pyoxigraph as ox

from kg import sparql
from kg.errors import QueryError
from kg.formats import Format, serialize_quads
from kg.namespaces import DIP, GRAPH, INFERRED_GRAPH, PREFIXES
from kg.store.spool import GraphSpool
from kg.syntax import engine_parses

DEFAULT_STORE = "kg-store"
Term = ox.NamedNode | ox.Literal | ox.BlankNode


@dataclass
class Change:
    """One transaction: graphs to replace (IRI -> N-Triples), graphs to drop, and the inferred graph:
    replaced whole (``inferred``), or changed by the triples to take out and put in
    (``inferred_removed`` / ``inferred_added``, N-Triples; an incremental build)."""

    replace: MutableMapping[str, str] = field(default_factory=dict)
    drop: list[str] = field(default_factory=list)
    inferred: str | None = None  # N-Triples; None leaves the inferred graph as it is (or changes it by the diff)
    shared: str = ""  # N-Triples added to the shared graph (actors, persons, issues ...)
    shared_removed: str = ""  # N-Triples taken out of it (no readout gives them any more; no blank nodes)
    inferred_removed: str = ""
    inferred_added: str = ""


@dataclass(frozen=True)
class Dataset:
    """The dataset of one request: the union of every graph (the default), or the graphs named."""

    default_graphs: tuple[str, ...] | None = None  # None: the union of all graphs (or the query's FROM)
    named_graphs: tuple[str, ...] | None = None

    @classmethod
    def of(cls, default_graphs: Iterable[str] | None, named_graphs: Iterable[str] | None) -> Dataset:
        d = tuple(sparql.check_iri(g) for g in default_graphs or ())
        n = tuple(sparql.check_iri(g) for g in named_graphs or ())
        if not d and not n:
            return cls()
        return cls(d, n)  # the protocol's dataset: what it names, nothing else

    @property
    def given(self) -> bool:
        return self.default_graphs is not None or self.named_graphs is not None


class GraphStore(ABC):
    """What the project needs of a store."""

    location: str = ""
    notes: Sequence[str] = ()  # what the last change could not do as asked (a server that split it), to be said

    @abstractmethod
    def graphs(self) -> list[str]:
        """The IRIs of all named graphs (ours: a server's own graphs are left out)."""

    @abstractmethod
    def apply(self, change: Change) -> None:
        """Apply a change as one transaction."""

    @abstractmethod
    def query(self, text: str, *, dataset: Dataset | None = None, base: str | None = None,
              op: sparql.Operation | None = None) -> object:  # fmt: skip
        """A raw query result (pyoxigraph's QuerySolutions, QueryBoolean or QueryTriples);
        prefixes predeclared. ``op`` is the query as :func:`kg.sparql.parse` read it, when known."""

    @abstractmethod
    def update(self, text: str, *, using: list[str] | None = None, using_named: list[str] | None = None,
               base: str | None = None) -> None:  # fmt: skip
        """Run a SPARQL update (protocol ``using-graph-uri``/``using-named-graph-uri`` applied)."""

    @abstractmethod
    def quads(self, graphs: Iterable[str]) -> Iterator[ox.Quad]:
        """The quads of the given graphs."""

    @abstractmethod
    def count(self, graph: str | None = None) -> int:
        """Triples in one graph, or in all of ours."""

    def select(self, text: str) -> Iterator[dict[str, Term]]:
        """Rows of a SELECT query over the union of all graphs (prefixes predeclared)."""
        result = self.query(text)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        for sol in result:
            yield {n: sol[n] for n in names if sol[n] is not None}

    def dump(self, fmt: Format, graphs: Iterable[str] | None = None) -> bytes:
        """The given graphs (all when None) serialised."""
        return serialize_quads(self.quads(list(graphs) if graphs is not None else self.graphs()), fmt)

    def ntriples(self, graphs: Iterable[str]) -> str:
        """The union of the given graphs as N-Triples (graph names dropped, each triple once)."""
        seen: set[str] = set()
        lines: list[str] = []
        for q in self.quads(graphs):
            line = f"{q.subject} {q.predicate} {q.object} ."
            if line not in seen:
                seen.add(line)
                lines.append(line)
        return "\n".join(lines) + ("\n" if lines else "")

    def flush(self) -> None:  # noqa: B027 - optional for implementations
        """Write what is buffered (so that another process sees it)."""

    def lookup_source(self) -> ox.Store | None:
        """The engine's own store for triple lookups (incremental reasoning), when it has one."""
        return None

    def close(self) -> None:  # noqa: B027 - optional for implementations
        """Release the store."""

    def spool(self) -> GraphSpool:
        """Where a build puts the graphs of its change as they come (a temporary file)."""
        return GraphSpool()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- conveniences shared by every implementation

    def readout_graphs(self) -> list[str]:
        prefix = str(GRAPH) + "readout/"
        return sorted(g for g in self.graphs() if g.startswith(prefix))

    def asserted_graphs(self) -> list[str]:
        return [g for g in self.graphs() if g != str(INFERRED_GRAPH)]

    def content_hashes(self) -> dict[str, str]:
        """Readout graph IRI -> content hash recorded when it was built."""
        prefix = str(GRAPH) + "readout/"
        query = f'SELECT ?g ?h WHERE {{ GRAPH ?g {{ ?r <{DIP.contentHash}> ?h }} FILTER(STRSTARTS(STR(?g), "{prefix}")) }}'
        return {str(r["g"].value): str(r["h"].value) for r in self.select(query)}  # one query, not one per graph


    def readout_files(self) -> dict[str, tuple[str, str]]:
        """Readout graph IRI -> (the folder it was built from, or "", its path relative to that folder)."""
        query = (f"SELECT ?g ?f ?n WHERE {{ GRAPH ?g {{ ?r <{DIP.fileName}> ?n OPTIONAL {{ ?r <{DIP.sourceFolder}> ?f }} }} "
                 f'FILTER(STRSTARTS(STR(?g), "{GRAPH}readout/")) }}')  # fmt: skip
        return {str(r["g"].value): (str(r["f"].value) if "f" in r else "", str(r["n"].value))
                for r in self.select(query)}  # fmt: skip


def parse_query(text: str, base: str | None, op: sparql.Operation | None) -> sparql.Operation:
    """The query as :mod:`kg.sparql` reads it (with the predeclared prefixes), refused if it is an update."""
    op = op or sparql.parse(text, base=base, prefixes=PREFIXES)
    sparql.check(op, expect="query", parses=engine_parses)
    return op


__all__ = ["DEFAULT_STORE", "Change", "Dataset", "GraphStore", "Term", "parse_query"]
