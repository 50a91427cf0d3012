"""The embedded store: named graphs on disk in an Oxigraph database (pyoxigraph).

In: changes (:class:`~kg.store.base.Change`), SPARQL text. Out: query results, quads.

Guarantees: a change (:meth:`OxigraphStore.apply`) is one transaction (the first load of an
empty store is bulk-loaded beside it and swapped in), so a build killed half-way leaves the
previous graphs intact; a second process that opens a store in use waits for it a while, then
gets :class:`~kg.errors.StoreInUseError`, never a corrupted database; queries see the union of
all graphs as their default graph unless they name a dataset. No triple is held by two graphs
(things shared by readouts live in the shared graph), so that union has no duplicates:
Oxigraph's union view repeats a triple once per graph that holds it.

Every committed change writes a new generation token into the store's directory
(:data:`GENERATION_FILE`), and :meth:`OxigraphStore.snapshot` makes a consistent read-only copy
of the store in milliseconds (a RocksDB checkpoint: hard links to its immutable files). A
server serves snapshots, never the store itself, so that a build can write the store while it
serves and no reader sees half a change (:mod:`kg.serving`).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import time
import uuid
from collections.abc import Iterable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg import sparql
from kg.errors import MachineError, QueryError, StoreError, StoreInUseError, machine_fault
from kg.namespaces import INFERRED_GRAPH, PREFIXES, SHARED_GRAPH, STAGING
from kg.store.base import Change, Dataset, GraphStore, parse_query
from kg.store.spool import BulkSpool, GraphSpool, as_nquads, pieces
from kg.syntax import engine_parses

GENERATION_FILE = "kg-generation"  # in the store's directory: changes with every committed change


def _open(path: str | None, read_only: bool, wait: float) -> ox.Store:
    deadline = time.monotonic() + wait
    while True:
        try:
            if path is None:
                return ox.Store()
            if read_only:
                return ox.Store.read_only(path)
            os.makedirs(path, exist_ok=True)
            return ox.Store(path)
        except OSError as exc:
            message = str(exc)
            locked = "lock" in message.lower() or "resource temporarily unavailable" in message.lower()
            if not locked:
                fault = machine_fault(exc, path or "the store")
                if fault is not None:
                    raise MachineError(f"cannot open the store at {path}: {fault}") from None
                raise StoreError(f"cannot open the store at {path}: {message}") from None
            if time.monotonic() >= deadline:
                raise StoreInUseError(f"store in use: {path} is open in another process ({message})") from None
            time.sleep(0.1)


def _exchange(a: str, b: str) -> bool:
    """Swap two directories atomically (Linux's renameat2 with RENAME_EXCHANGE); False where the
    system cannot, so that the caller renames in two steps."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False  # the file system or the kernel cannot exchange
    raise OSError(code, os.strerror(code), b)


class OxigraphStore(GraphStore):
    """An embedded Oxigraph store, persistent in ``path`` (in memory when ``path`` is None)."""

    def __init__(self, path: str | None = None, *, read_only: bool = False, wait: float = 0.0) -> None:
        """``wait``: seconds to wait for a store that another process holds (a build, say)."""
        self.path = path
        self.location = path or ":memory:"
        self.read_only = read_only
        self._store = _open(path, read_only, wait)

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
            if isinstance(change.replace, BulkSpool) and not change.replace.loading:
                change.replace.abandon()  # a graph was replaced after being handed over: load the other way
            if first and isinstance(change.replace, BulkSpool) and change.replace.loading:
                # the spool was loaded while the build reasoned; the inferred and shared graphs follow
                fresh = change.replace.finish()
                for g, nt in extra:
                    for piece in pieces(as_nquads(nt, g), BulkSpool.CHUNK):
                        self._load(fresh, piece, bulk=True)
                fresh.optimize()  # pieces loaded one by one leave overlapping files: compacted, queries run 2x faster
                fresh.flush()
                del fresh  # closed: the only reference
                self._swap_in(change.replace.target)
            elif first:
                self._load_into_empty(change.replace, extra)
            else:
                self._store.update(self._change_update(change))
        except (SyntaxError, ValueError, OSError) as exc:
            fault = machine_fault(exc, self.path or "the store")
            if fault is None:
                raise StoreError(f"the store refused the change: {exc}") from None
            self._recover()
            raise MachineError(f"the change was not stored: {fault} (the store is as it was)") from None
        try:
            self._committed()
        except OSError as exc:
            fault = machine_fault(exc, self.path or "the store") or str(exc)
            raise MachineError(f"the change is stored, but its generation mark could not be written: {fault}; "
                               "a running `kg serve` shows it once restarted") from None  # fmt: skip

    def _recover(self) -> None:
        """After a write the machine refused: the store closed and opened again, so that RocksDB
        deletes what the failed write left (its log and files would keep a full disk full)."""
        if self.path is None or self.read_only:
            return
        base = os.path.abspath(self.path).rstrip(os.sep)
        shutil.rmtree(base + ".new", ignore_errors=True)  # a bulk load that did not finish
        self._store = None  # type: ignore[assignment]
        for _ in range(3):  # an open that cannot write its options file still deletes obsolete files
            try:
                self._store = _open(self.path, False, 5.0)
                return
            except StoreError:
                continue

    def _change_update(self, change: Change) -> str:
        """The change as one SPARQL update: replaced graphs dropped and inserted; the inferred graph
        changed by what differs (a whole new inferred graph is compared with the stored one, so
        that a build which changes little writes little)."""
        removed, added = change.inferred_removed, change.inferred_added
        if change.inferred is not None:
            old = set(self.ntriples([str(INFERRED_GRAPH)]).split("\n")) - {""}
            new = set(change.inferred.split("\n")) - {""}
            if any("_:" in line for line in old | new):  # blank nodes cannot be deleted as data: replace whole
                ops = [f"DROP SILENT GRAPH <{INFERRED_GRAPH}>"]
                removed, added = "", change.inferred
            else:
                ops = []
                removed, added = "\n".join(sorted(old - new)), "\n".join(sorted(new - old))
        else:
            ops = []
        ops = [f"DROP SILENT GRAPH <{g}>" for g in [*change.drop, *change.replace]] + ops
        if removed.strip():
            ops.append(f"DELETE DATA {{ GRAPH <{INFERRED_GRAPH}> {{\n{removed}\n}} }}")
        if change.shared_removed.strip():
            ops.append(f"DELETE DATA {{ GRAPH <{SHARED_GRAPH}> {{\n{change.shared_removed}\n}} }}")
        blocks = [*((g, change.replace[g]) for g in change.replace), (str(SHARED_GRAPH), change.shared),
                  (str(INFERRED_GRAPH), added)]  # fmt: skip
        inserts = "\n".join(f"GRAPH <{g}> {{\n{nt}\n}}" for g, nt in blocks if nt.strip())
        if inserts:
            ops.append(f"INSERT DATA {{\n{inserts}\n}}")
        return " ;\n".join(ops) if ops else "CLEAR SILENT GRAPH <urn:kg:nothing>"

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
        return BulkSpool(os.path.abspath(self.path).rstrip(os.sep) + ".new")

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
        if _exchange(new, base):  # one atomic step: no moment without a store at ``base``
            os.rename(new, old)
        else:
            os.rename(base, old)
            os.rename(new, base)
        dir_fd = os.open(os.path.dirname(base) or ".", os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
        self._store = _open(base, False, 30.0)  # a server snapshotting the empty store may hold it a moment
        shutil.rmtree(old, ignore_errors=True)

    def query(self, text: str, *, dataset: Dataset | None = None, base: str | None = None,
              op: sparql.Operation | None = None) -> object:  # fmt: skip
        op = parse_query(text, base, op)
        kwargs: dict[str, Any] = dataset_arguments(op, dataset)
        if base is not None:
            kwargs["base_iri"] = base
        try:
            return self._store.query(text, prefixes=PREFIXES, **kwargs)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(str(exc)) from None

    def update(self, text: str, *, using: list[str] | None = None, using_named: list[str] | None = None,
               base: str | None = None) -> None:  # fmt: skip
        op = sparql.parse(text, base=base, prefixes=PREFIXES)
        sparql.check(op, sparql.Policy(updates=True), expect="update", parses=engine_parses)
        rewritten = sparql.with_using(text, using or [], using_named or [], op=op)
        try:
            self._store.update(rewritten, base_iri=base, prefixes=PREFIXES)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(str(exc)) from None
        self._committed()

    def lookup_source(self) -> ox.Store:
        return self._store

    def quads(self, graphs: Iterable[str]) -> Iterator[ox.Quad]:
        for g in graphs:
            yield from self._store.quads_for_pattern(None, None, None, ox.NamedNode(g))

    def count(self, graph: str | None = None) -> int:
        if graph is None:
            return len(self._store)
        return sum(1 for _ in self._store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))

    def flush(self) -> None:
        """Write what is buffered to disk."""
        if self.path is not None and not self.read_only:
            self._store.flush()

    def _committed(self) -> None:
        """After a committed change: flushed, a snapshot left for each server serving the store
        (so that it serves the change at once, without waiting for the store), and a new generation
        token written (atomically, last)."""
        self.flush()
        if self.path is None or self.read_only:
            return
        token = uuid.uuid4().hex
        servers = serving_dirs(self.path)
        if servers and not any(g.startswith(STAGING) for g in self.graphs()):
            for directory in servers:
                ready = os.path.join(directory, f"ready-{token}")
                with contextlib.suppress(OSError, StoreError):  # a wish: the server snapshots the store itself else
                    self.snapshot(ready + ".tmp")
                    os.rename(ready + ".tmp", ready)
        path = os.path.join(self.path, GENERATION_FILE)
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="ascii") as fh:
            fh.write(token)
        os.replace(tmp, path)

    def generation(self) -> str | None:
        """The token of the last committed change (None for a store never changed by this version)."""
        return read_generation(self.path) if self.path else None

    def snapshot(self, target: str) -> None:
        """A consistent copy of the store at ``target`` (which must not exist), independent of it:
        hard links to the store's immutable files, so it takes milliseconds and little space."""
        if self.path is None:
            raise StoreError("an in-memory store has no snapshots")
        try:
            self._store.flush()
            self._store.backup(target)
        except OSError as exc:
            raise StoreError(f"cannot snapshot the store into {target}: {exc}") from None

    def close(self) -> None:
        store = getattr(self, "_store", None)
        if store is not None and self.path is not None and not self.read_only:
            with contextlib.suppress(OSError):
                store.flush()
        self._store = None  # type: ignore[assignment]


def serving_dirs(path: str) -> list[str]:
    """The snapshot folders of the servers serving the store at ``path`` (``<path>.serving/<pid>``,
    for each pid that is alive)."""
    root = os.path.abspath(path).rstrip(os.sep) + ".serving"
    try:
        names = os.listdir(root)
    except OSError:
        return []
    return [os.path.join(root, n) for n in sorted(names) if n.isdigit() and _alive(int(n))]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def read_generation(path: str) -> str | None:
    """The generation token of the store at ``path``, without opening it."""
    try:
        with open(os.path.join(path, GENERATION_FILE), encoding="ascii") as fh:
            return fh.read().strip() or None
    except OSError:
        return None


def dataset_arguments(op: sparql.Operation, dataset: Dataset | None) -> dict[str, Any]:
    """pyoxigraph's dataset arguments: the request's dataset when given (it overrides the query's),
    the query's own (FROM, FROM NAMED) when it names one, else the union of all graphs."""
    if dataset is not None and dataset.given:
        return {"default_graph": [ox.NamedNode(g) for g in dataset.default_graphs or ()],
                "named_graphs": [ox.NamedNode(g) for g in dataset.named_graphs or ()]}  # fmt: skip
    if op.from_graphs or op.from_named:
        return {}
    return {"use_default_graph_as_union": True}

