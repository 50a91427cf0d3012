"""The store: named graphs on disk, queried with SPARQL; embedded by default.

In: named graphs as N-Triples text, SPARQL queries. Out: query results, serialisations.
:class:`GraphStore` is the small interface the rest of the project uses; :class:`OxigraphStore`
implements it over an embedded, persistent Oxigraph database (pyoxigraph), and a remote SPARQL
1.1 endpoint implements it too (:mod:`kg.remote`) without the callers changing.

Guarantees of the embedded store: a change (:meth:`GraphStore.apply`) is one transaction (the
first load of an empty store is bulk-loaded beside it and swapped in), so a build killed
half-way leaves the previous graphs intact; a second process that opens a store in
use gets :class:`~kg.errors.StoreInUseError`, not a corrupted database; queries see the union of
all graphs as their default graph (each graph stays addressable with ``GRAPH``). No triple is held
by two graphs (things shared by readouts live in the shared graph), so that union has no
duplicates: Oxigraph's union view repeats a triple once per graph that holds it.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import tempfile
import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from kg.errors import QueryError, StoreError, StoreInUseError
from kg.namespaces import DIP, GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH, PREFIXES, SHARED_GRAPH, sparql_prefixes

DEFAULT_STORE = "kg-store"


class GraphSpool(MutableMapping[str, str]):
    """Named graphs (IRI -> N-Triples) kept in a temporary N-Quads file rather than in memory.

    A build of tens of thousands of readouts writes each new graph here as it comes, so memory
    holds only their names; the embedded store bulk-loads the file as it is. Replacing or deleting
    a graph forgets its old lines (they stay in the file, unread). The file goes with :meth:`close`.
    """

    def __init__(self, directory: str | None = None) -> None:
        self._file = tempfile.NamedTemporaryFile(prefix="kg-change-", suffix=".nq", dir=directory)  # noqa: SIM115
        self._spans: dict[str, tuple[int, int]] = {}
        self._end = 0

    @property
    def path(self) -> str:
        self._file.flush()
        return self._file.name

    def add_quads(self, graph: str, nquads: str) -> None:
        """The graph's triples as N-Quads lines already naming ``graph`` (as :func:`as_nquads` writes them)."""
        data = nquads.encode("utf-8")
        self._file.seek(self._end)
        self._file.write(data)
        self._spans[graph] = (self._end, len(data))
        self._end += len(data)

    def __setitem__(self, graph: str, ntriples: str) -> None:
        self.add_quads(graph, as_nquads(ntriples, graph))

    def __getitem__(self, graph: str) -> str:
        start, size = self._spans[graph]
        self._file.flush()
        with open(self._file.name, "rb") as f:
            f.seek(start)
            text = f.read(size).decode("utf-8")
        cut = len(f" <{graph}> .")
        return "".join(line[:-cut] + " .\n" for line in text.splitlines())

    def __delitem__(self, graph: str) -> None:
        del self._spans[graph]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._spans))

    def __len__(self) -> int:
        return len(self._spans)

    def start(self) -> None:
        """The graphs are all given: what can be written ahead may start (nothing, here)."""

    @property
    def whole(self) -> bool:
        """Whether the file holds exactly the current graphs (nothing replaced or deleted)."""
        return sum(size for _, size in self._spans.values()) == self._end

    def close(self) -> None:
        self._file.close()


def as_nquads(ntriples: str, graph: str) -> str:
    """N-Triples lines as N-Quads lines in ``graph``."""
    suffix = f" <{graph}> .\n"
    return "".join(line[:-1].rstrip() + suffix for line in ntriples.splitlines() if line.strip())


def _pieces(nquads: str, size: int) -> Iterator[str]:
    """N-Quads in pieces of about ``size`` characters cut at line ends (whole when there are blank
    nodes: a blank node's lines must be loaded together)."""
    if "_:" in nquads:
        yield nquads
        return
    start = 0
    while start < len(nquads):
        end = nquads.find("\n", start + size)
        end = len(nquads) if end < 0 else end + 1
        yield nquads[start:end]
        start = end


class _Span(io.RawIOBase):
    """Bytes ``start`` to ``end`` of an open file, read as the loader asks (never all in memory)."""

    def __init__(self, f: BinaryIO, start: int, end: int) -> None:
        super().__init__()
        f.seek(start)
        self.f, self.left = f, end - start

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.f.read(min(len(buffer), self.left))
        buffer[: len(data)] = data
        self.left -= len(data)
        return len(data)


class _BulkSpool(GraphSpool):
    """A spool that bulk-loads its file into a new store at ``target`` on a thread, as pieces of it
    are written (at most ``MAX_LOAD`` bytes per load): Oxigraph's bulk loader releases the GIL, its
    memory is bounded by what it is given at once, and the thread runs at the lowest CPU priority,
    so that it uses what the extraction leaves idle without slowing it. :meth:`start` says that
    every graph is in; :meth:`finish` waits for the rest and hands the store over."""

    CHUNK = 64 * 1024 * 1024  # bytes of N-Quads per piece (pieces end at graph boundaries)
    # Bytes per bulk load: the pieces ready, up to this. Fewer, larger loads leave the store fewer
    # files to merge (at 10,000 readouts, a third less loading work than one load per piece); the
    # loader's memory is about four times what it loads, so it loads less while the reasoner runs.
    MAX_LOAD = 5 * CHUNK
    LEAN_LOAD = 3 * CHUNK

    def __init__(self, target: str) -> None:
        super().__init__()
        self.target = target
        shutil.rmtree(target, ignore_errors=True)
        self._fresh: ox.Store | None = ox.Store(target)
        self._error: BaseException | None = None
        self._ready: list[int] = []  # ends of the pieces written so far, not yet loaded
        self._announced = 0  # the end of the last piece handed to the thread
        self._piece = 0  # bytes written since the last piece ended
        self._complete = False
        self._stopping = False
        self._most = self.MAX_LOAD  # bytes the next load may take
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = threading.Thread(target=self._run, name="kg-bulk-load", daemon=True)
        self._thread.start()

    def add_quads(self, graph: str, nquads: str) -> None:
        replaced = graph in self._spans
        super().add_quads(graph, nquads)
        if replaced:  # the file no longer holds the graphs as given: apply loads them another way
            self.abandon()
            return
        self._piece += self._spans[graph][1]
        if self._piece >= self.CHUNK:
            self._announce(complete=False)

    def _announce(self, *, complete: bool) -> None:
        self._file.flush()
        with self._changed:
            if self._end > self._announced or not (self._ready or self._complete):
                self._ready.append(self._end)
                self._announced = self._end
            self._piece = 0
            self._complete = self._complete or complete
            self._changed.notify()

    def start(self) -> None:
        """Every graph is in; the build reasons next, so the loader takes less at a time."""
        self._most = self.LEAN_LOAD
        if not self._complete:
            self._announce(complete=True)

    def _run(self) -> None:
        with contextlib.suppress(OSError, AttributeError):  # a priority is a wish, not a need
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        done = 0
        with open(self._file.name, "rb") as f:
            while True:
                with self._changed:
                    while not self._stopping and not self._ready and not self._complete:
                        self._changed.wait()
                    if self._stopping or (not self._ready and self._complete):
                        return
                    # what is ready, up to _most: a starved loader catches up in fewer, larger loads
                    end = self._ready.pop(0)
                    while self._ready and self._ready[0] - done <= self._most:
                        end = self._ready.pop(0)
                try:
                    if end > done and self._fresh is not None and self._error is None:
                        # lenient: no IRI validation (a tenth of the load). The spool holds what
                        # kg.mapping wrote, whose IRIs are built from escaped parts (tested).
                        piece = io.BufferedReader(_Span(f, done, end), 1 << 20)
                        self._fresh.bulk_load(input=piece, format=ox.RdfFormat.N_QUADS, lenient=True)
                except (SyntaxError, ValueError, OSError) as exc:
                    self._error = exc
                done = end

    def _stop(self, *, now: bool) -> None:
        if self._thread is not None:
            with self._changed:
                self._stopping = self._stopping or now
                self._complete = True
                self._changed.notify()
            self._thread.join()
            self._thread = None

    def finish(self) -> ox.Store:
        """The new store, with every graph of the spool loaded."""
        self.start()
        self._most = self.MAX_LOAD  # the reasoner is done: its memory is free again
        self._stop(now=False)
        if self._error is not None:
            raise self._error
        assert self._fresh is not None
        fresh, self._fresh = self._fresh, None
        return fresh

    def abandon(self) -> None:
        """Stop loading and remove the partial store (the graphs stay in the file)."""
        self._stop(now=True)
        if self._fresh is not None:
            self._fresh = None
            shutil.rmtree(self.target, ignore_errors=True)

    @property
    def loading(self) -> bool:
        """Whether the store being loaded holds (or will hold) exactly the spool's graphs."""
        return self._fresh is not None and self.whole and self._announced == self._end

    def close(self) -> None:
        self.abandon()
        super().close()


@dataclass
class Change:
    """One transaction: graphs to replace (IRI -> N-Triples), graphs to drop, the new inferred graph."""

    replace: MutableMapping[str, str] = field(default_factory=dict)
    drop: list[str] = field(default_factory=list)
    inferred: str | None = None  # N-Triples; None leaves the inferred graph as it is
    shared: str = ""  # N-Triples added to the shared graph (actors, persons, issues ...)


def with_dataset(update: str, using: list[str] | None, using_named: list[str] | None) -> str:
    """An update with the protocol's ``using-graph-uri``/``using-named-graph-uri`` written in as USING clauses."""
    dataset = "".join(f"USING <{g}> " for g in using or []) + "".join(f"USING NAMED <{g}> " for g in using_named or [])
    return re.sub(r"\bWHERE\b", dataset + "WHERE", update, flags=re.IGNORECASE) if dataset else update


class GraphStore(ABC):
    """What the project needs of a store."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """The IRIs of all named graphs."""

    @abstractmethod
    def apply(self, change: Change) -> None:
        """Apply a change as one transaction."""

    @abstractmethod
    def select(self, query: str) -> Iterator[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """Rows of a SELECT query over the union of all graphs (prefixes predeclared)."""

    @abstractmethod
    def query(self, query: str) -> object:
        """A raw query result (SELECT, ASK, CONSTRUCT, DESCRIBE) over the union of all graphs."""

    @abstractmethod
    def update(self, text: str, *, using: list[str] | None = None, using_named: list[str] | None = None,
               base_iri: str | None = None) -> None:  # fmt: skip
        """Run a SPARQL update (protocol ``using-graph-uri``/``using-named-graph-uri`` applied)."""

    @abstractmethod
    def dump(self, fmt: ox.RdfFormat, graphs: Iterable[str] | None = None) -> bytes:
        """The given graphs (all when None) serialised."""

    @abstractmethod
    def ntriples(self, graphs: Iterable[str]) -> str:
        """The union of the given graphs as N-Triples (graph names dropped)."""

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


class OxigraphStore(GraphStore):
    """An embedded Oxigraph store, persistent in ``path`` (in memory when ``path`` is None)."""

    def __init__(self, path: str | None = None, *, read_only: bool = False) -> None:
        self.path = path
        self.read_only = read_only
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(path)
            else:
                os.makedirs(path, exist_ok=True)
                self._store = ox.Store(path)
        except OSError as exc:
            message = str(exc)
            if "lock" in message.lower() or "resource temporarily unavailable" in message.lower():
                raise StoreInUseError(f"store in use: {path} is open in another process ({message})") from None
            raise StoreError(f"cannot open the store at {path}: {message}") from None

    def graphs(self) -> list[str]:
        return sorted(g.value for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def apply(self, change: Change) -> None:
        """One transaction: a single N-Quads load into a new store (fast), else one SPARQL update that
        drops the replaced graphs and inserts the new ones."""
        extra = [(str(SHARED_GRAPH), change.shared)]
        if change.inferred is not None:
            extra.append((str(INFERRED_GRAPH), change.inferred))
        try:
            first = not change.drop and not self.graphs()  # the first load of an empty store
            if isinstance(change.replace, _BulkSpool) and not change.replace.loading:
                change.replace.abandon()  # a graph was replaced after being handed over: load the other way
            if first and isinstance(change.replace, _BulkSpool) and change.replace.loading:
                # the spool was loaded while the build reasoned; the inferred and shared graphs follow
                fresh = change.replace.finish()
                for g, nt in extra:
                    for piece in _pieces(as_nquads(nt, g), _BulkSpool.CHUNK):
                        self._load(fresh, piece, bulk=True)
                fresh.optimize()  # pieces loaded one by one leave overlapping files: compacted, queries run 2x faster
                fresh.flush()
                del fresh  # closed: the only reference
                self._swap_in(change.replace.target)
            elif first:
                self._load_into_empty(change.replace, extra)
            else:
                targets = [*change.replace, *(g for g, nt in extra if g == str(INFERRED_GRAPH))]
                ops = [f"DROP SILENT GRAPH <{g}>" for g in [*change.drop, *targets]]
                blocks = [*((g, change.replace[g]) for g in change.replace), *extra]
                inserts = "\n".join(f"GRAPH <{g}> {{\n{nt}\n}}" for g, nt in blocks if nt.strip())
                if inserts:
                    ops.append(f"INSERT DATA {{\n{inserts}\n}}")
                if ops:
                    self._store.update(" ;\n".join(ops))
        except (SyntaxError, ValueError, OSError) as exc:
            raise StoreError(f"the store refused the change: {exc}") from None
        self._store.flush()

    def _load_into_empty(self, graphs: MutableMapping[str, str], extra: list[tuple[str, str]]) -> None:
        """The first load of an empty store: a spool of graphs is loaded from its file, the rest from memory."""
        parts: list[str | Path] = []
        if isinstance(graphs, GraphSpool) and graphs.whole:
            parts.append(Path(graphs.path))
        else:
            extra = [*((g, graphs[g]) for g in graphs), *extra]
        text = "".join(as_nquads(nt, g) for g, nt in extra)
        if text:
            parts.append(text)
        if not parts:
            return
        if self.path is not None and not self.read_only:
            self._bulk_into_empty(parts)
        else:
            for part in parts:
                self._load(self._store, part, bulk=False)

    @staticmethod
    def _load(store: ox.Store, part: str | Path, *, bulk: bool) -> None:
        """N-Quads into ``store``: a text, or a file when ``part`` is a path."""
        load = store.bulk_load if bulk else store.load
        if isinstance(part, Path):
            load(path=part, format=ox.RdfFormat.N_QUADS)
        else:
            load(input=part, format=ox.RdfFormat.N_QUADS)

    def spool(self) -> GraphSpool:
        """For the first build of an empty store on disk, a spool whose graphs are bulk-loaded into
        the store's replacement while the build goes on (memory stays bounded); otherwise a plain
        spool."""
        if self.path is None or self.read_only or self.graphs():
            return GraphSpool()
        return _BulkSpool(os.path.abspath(self.path).rstrip(os.sep) + ".new")

    def _bulk_into_empty(self, parts: list[str | Path]) -> None:
        """The first load of an empty store: bulk-loaded (twice as fast) into a sibling directory
        that then takes the store's place. A kill at any point leaves an empty store or the whole
        new one, never a part (bulk loads are not transactional, so they never touch ``path``)."""
        assert self.path is not None
        base = os.path.abspath(self.path).rstrip(os.sep)
        new, old = base + ".new", base + ".old"
        for leftover in (new, old):
            shutil.rmtree(leftover, ignore_errors=True)
        fresh = ox.Store(new)
        for part in parts:
            self._load(fresh, part, bulk=True)
        fresh.flush()
        del fresh  # closed: the only reference
        self._swap_in(new)

    def _swap_in(self, new: str) -> None:
        """The bulk-loaded store at ``new`` (closed) takes this (empty) store's place."""
        assert self.path is not None
        base = os.path.abspath(self.path).rstrip(os.sep)
        old = base + ".old"
        self._store = None  # type: ignore[assignment]  # closes the empty store and frees its lock
        shutil.rmtree(old, ignore_errors=True)
        os.rename(base, old)
        os.rename(new, base)
        dir_fd = os.open(os.path.dirname(base) or ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        self._store = ox.Store(base)
        shutil.rmtree(old, ignore_errors=True)

    def query(self, query: str) -> object:
        try:
            return self._store.query(query, prefixes=PREFIXES, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from None
        except (ValueError, OSError) as exc:
            raise QueryError(str(exc)) from None

    def update(self, text: str, *, using: list[str] | None = None, using_named: list[str] | None = None,
               base_iri: str | None = None) -> None:  # fmt: skip
        try:
            self._store.update(sparql_prefixes() + with_dataset(text, using, using_named), base_iri=base_iri)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from None
        except (ValueError, OSError) as exc:
            raise QueryError(str(exc)) from None
        self._store.flush()

    def select(self, query: str) -> Iterator[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        result = self.query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise QueryError("expected a SELECT query")
        names = [v.value for v in result.variables]
        for sol in result:
            yield {n: sol[n] for n in names if sol[n] is not None}

    def dump(self, fmt: ox.RdfFormat, graphs: Iterable[str] | None = None) -> bytes:
        wanted = list(graphs) if graphs is not None else self.graphs()
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG, ox.RdfFormat.JSON_LD):
            tmp = ox.Store()
            tmp.extend(q for g in wanted for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(g)))
            if fmt == ox.RdfFormat.TRIG:
                return tmp.dump(format=fmt, prefixes=PREFIXES) or b""
            return tmp.dump(format=fmt) or b""
        nt = self.ntriples(wanted)
        if fmt == ox.RdfFormat.N_TRIPLES:
            return nt.encode("utf-8")
        tmp = ox.Store()
        tmp.load(input=nt, format=ox.RdfFormat.N_TRIPLES)
        if fmt == ox.RdfFormat.TURTLE:
            return tmp.dump(format=fmt, from_graph=ox.DefaultGraph(), prefixes=PREFIXES) or b""
        return tmp.dump(format=fmt, from_graph=ox.DefaultGraph()) or b""

    def ntriples(self, graphs: Iterable[str]) -> str:
        seen: set[str] = set()
        lines: list[str] = []
        for g in graphs:
            for q in self._store.quads_for_pattern(None, None, None, ox.NamedNode(g)):
                line = f"{q.subject} {q.predicate} {q.object} ."
                if line not in seen:
                    seen.add(line)
                    lines.append(line)
        return "\n".join(lines) + ("\n" if lines else "")

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def flush(self) -> None:
        """Write what is buffered to disk (so that a process opening the store read-only sees it)."""
        if self.path is not None and not self.read_only:
            self._store.flush()

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None and self.path is not None and not self.read_only:
            with contextlib.suppress(OSError):
                store.flush()
        self._store = None  # type: ignore[assignment]


def open_store(location: str | None = None, *, read_only: bool = False) -> GraphStore:
    """The store at ``location``: a directory (the default is ``./kg-store``), or the URL of a
    SPARQL 1.1 endpoint (``KG_STORE_UPDATE_URL`` names its update endpoint when that differs)."""
    from kg.remote import SparqlStore, is_remote

    if location and is_remote(location):
        return SparqlStore(location, os.environ.get("KG_STORE_UPDATE_URL") or None)
    return OxigraphStore(location or DEFAULT_STORE, read_only=read_only)


__all__ = ["DEFAULT_STORE", "ONTOLOGY_GRAPH", "Change", "GraphStore", "OxigraphStore", "open_store"]
