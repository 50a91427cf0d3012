"""A SPARQL query service with a time limit and a row cap that are enforced for real.

In: SPARQL requests (query text, dataset, wanted media types). Out: :class:`Answer` (status,
media type, body, whether the result was truncated).

Every request is first read by :mod:`kg.sparql` (tokens, never regular expressions): ``SERVICE``
and ``LOAD`` are refused with 403 before evaluation, wherever they stand; a request that does not
tokenize is 400. The workers themselves can open no internet socket (:mod:`kg.sandbox`), so
even a query that got past the refusal could reach nothing. Queries then run in worker
processes, each with a snapshot of the embedded store opened read-only (a copy nobody writes:
:mod:`kg.serving`), or, for a remote or in-memory store, an in-memory copy loaded from N-Quads
at start. A query that outlives the time limit is stopped
by killing its worker, which is replaced, and answered with 503; the other workers keep serving
meanwhile. Results beyond the row cap are cut, and the answer says so in its body wherever the
format has room (:mod:`kg.results`, :func:`kg.formats.with_comment`). Errors are SPARQL-service
JSON: ``{"error": ..., "status": ..., "message": ...}``.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import queue
import tempfile
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from kg import formats, results, sparql
from kg.errors import KgError, QueryError
from kg.namespaces import PREFIXES
from kg.sandbox import forbid_network
from kg.store.base import Dataset
from kg.store.embedded import dataset_arguments
from kg.syntax import engine_parses

ERROR_MEDIA = "application/json"
_NAMES = {400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False


def error_answer(status: int, message: str) -> Answer:
    """An error as the service's JSON (the same shape as the web app's errors on /sparql)."""
    doc = {"error": _NAMES.get(status, "Error"), "status": status, "message": message}
    return Answer(status, ERROR_MEDIA, json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def prepare(query: str, *, default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
            base_iri: str | None = None) -> tuple[sparql.Operation, Dataset]:  # fmt: skip
    """The query read and checked (:class:`~kg.errors.QueryError` 400, :class:`~kg.errors.QueryRefused` 403)."""
    op = sparql.parse(query, base=base_iri, prefixes=PREFIXES)
    sparql.check(op, sparql.READ_ONLY, expect="query", parses=engine_parses)
    if op.form is None:
        raise QueryError("not a query: expected SELECT, CONSTRUCT, DESCRIBE or ASK")
    return op, Dataset.of(default_graphs, named_graphs)


def evaluate(store: ox.Store, request: dict[str, Any]) -> Answer:
    """Run one query on ``store`` (in a worker) and serialise the answer."""
    query, cap = request["query"], request["row_cap"]
    op = sparql.Operation("query", request["form"], [], None, {}, from_graphs=request["from"])
    kwargs: dict[str, Any] = {"prefixes": PREFIXES}
    kwargs.update(dataset_arguments(op, Dataset(request["default_graphs"], request["named_graphs"])))
    if request.get("base_iri"):
        kwargs["base_iri"] = request["base_iri"]  # relative IRIs resolve against the endpoint (protocol)
    wanted = request.get("accept") or []
    try:
        result = store.query(query, **kwargs)
        if isinstance(result, ox.QueryBoolean):
            fmt = formats.negotiate(wanted, "results", "json")
            return Answer(200, fmt.content_type, results.write_boolean(bool(result), fmt))
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows: list[list[Any]] = []
            truncated = False
            for sol in result:
                if len(rows) >= cap:
                    truncated = True
                    break
                rows.append(list(sol))
            fmt = formats.negotiate(wanted, "results", "json")
            return Answer(200, fmt.content_type, results.write_select(names, rows, fmt, truncated=truncated), truncated)
        triples: list[Any] = []
        truncated = False
        for t in result:
            if len(triples) >= cap:
                truncated = True
                break
            triples.append(t)
    except SyntaxError as exc:
        return error_answer(400, f"malformed query: {exc}")
    except (ValueError, OSError, TypeError) as exc:  # the engine's errors while evaluating or reading results
        return error_answer(400, f"query failed: {exc}")
    fmt = formats.negotiate(wanted, "graph", "turtle")
    note = f"truncated: the result was cut at {cap} triples (the service's row cap)" if truncated else None
    quads = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    return Answer(200, fmt.content_type, formats.serialize_quads(quads, fmt, comment=note), truncated)


def _open_source(snapshot: str | None, store_path: str | None) -> ox.Store:
    if store_path is not None:
        return ox.Store.read_only(store_path)
    store = ox.Store()
    store.load(path=snapshot, format=ox.RdfFormat.N_QUADS)
    return store


def _worker(snapshot: str | None, store_path: str | None, conn: Connection) -> None:
    forbid_network()  # whatever a query says, this process opens no internet socket (Linux)
    try:
        store = _open_source(snapshot, store_path)
    except OSError as exc:
        conn.send(f"cannot open the store: {exc}")
        return
    conn.send("ready")
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if "reopen" in request:  # serve another snapshot from now on (the old one is let go of first)
            del store
            try:
                store = _open_source(request["snapshot"], request["reopen"])
            except OSError as exc:
                conn.send(f"cannot open the store: {exc}")
                return
            conn.send("ready")
            continue
        answer = evaluate(store, request)
        conn.send((answer.status, answer.media_type, answer.body, answer.truncated))


class QueryService:
    """A pool of query workers over an embedded store on disk (``store_path``, opened read-only by
    each worker: nothing is copied) or over a snapshot of N-Quads (``nquads``)."""

    def __init__(self, nquads: bytes | None = None, *, store_path: str | None = None, workers: int = 2,
                 timeout: float = 10.0, row_cap: int = 10_000) -> None:  # fmt: skip
        if (nquads is None) == (store_path is None):
            raise ValueError("give either the N-Quads of a snapshot or the path of a store")
        self.timeout = timeout
        self.row_cap = row_cap
        self.store_path = store_path
        self._snapshot: str | None = None
        if nquads is not None:
            fd, self._snapshot = tempfile.mkstemp(prefix="kg-snapshot-", suffix=".nq")
            with os.fdopen(fd, "wb") as fh:
                fh.write(nquads)
        self._ctx = mp.get_context("spawn")
        self._idle: queue.Queue[tuple[Any, Connection]] = queue.Queue()
        self._lock = threading.Lock()
        self._switching = threading.Lock()
        self._all: list[Any] = []
        for _ in range(max(1, workers)):
            self._idle.put(self._start())

    def _start(self) -> tuple[Any, Connection]:
        parent, child = self._ctx.Pipe()
        proc = self._ctx.Process(target=_worker, args=(self._snapshot, self.store_path, child), daemon=True)
        proc.start()
        child.close()
        message = parent.recv() if parent.poll(600) else "it did not answer"
        if message != "ready":
            proc.kill()
            raise RuntimeError(f"a query worker failed to start: {message}")
        with self._lock:
            self._all.append(proc)
        return proc, parent

    def run(self, query: str, *, accept: list[str] | None = None, default_graphs: list[str] | None = None,
            named_graphs: list[str] | None = None, base_iri: str | None = None) -> Answer:  # fmt: skip
        try:
            op, dataset = prepare(query, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri)
        except KgError as exc:
            return error_answer(exc.http_status, str(exc))
        try:
            proc, conn = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return error_answer(503, "all query workers are busy; try again")
        request = {"query": query, "accept": accept or [], "default_graphs": dataset.default_graphs,
                   "named_graphs": dataset.named_graphs, "form": op.form, "from": op.from_graphs + op.from_named,
                   "row_cap": self.row_cap, "base_iri": base_iri}  # fmt: skip
        died = False
        try:
            conn.send(request)
            if conn.poll(self.timeout):
                status, media, body, truncated = conn.recv()
                self._idle.put((proc, conn))
                return Answer(status, media, body, truncated)
        except (EOFError, OSError, BrokenPipeError):
            died = True
        proc.kill()
        proc.join(5)
        with self._lock:
            if proc in self._all:
                self._all.remove(proc)
        self._idle.put(self._start())
        if died:
            return error_answer(500, "the query engine failed on this query (its worker was replaced)")
        return error_answer(503, f"the query ran longer than the limit of {self.timeout:g} s and was stopped")

    def switch(self, *, store_path: str | None = None, nquads: bytes | None = None) -> None:
        """Serve another snapshot: each worker, once its query is done, reopens on it (milliseconds,
        no new process); requests wait meanwhile. Returns when no worker reads the old one."""
        if (nquads is None) == (store_path is None):
            raise ValueError("give either the N-Quads of a snapshot or the path of a store")
        old_snapshot = self._snapshot
        if nquads is not None:
            fd, self._snapshot = tempfile.mkstemp(prefix="kg-snapshot-", suffix=".nq")
            with os.fdopen(fd, "wb") as fh:
                fh.write(nquads)
        self.store_path = store_path
        with self._switching:
            moved: list[tuple[Any, Connection]] = []
            for _ in range(self.worker_count):
                proc, conn = self._idle.get()  # a busy worker is taken once its query ends (within the time limit)
                try:
                    conn.send({"reopen": store_path, "snapshot": self._snapshot})
                    ok = conn.poll(600) and conn.recv() == "ready"
                except (EOFError, OSError):
                    ok = False
                if not ok:
                    proc.kill()
                    with self._lock:
                        if proc in self._all:
                            self._all.remove(proc)
                    proc, conn = self._start()
                moved.append((proc, conn))
            for worker in moved:
                self._idle.put(worker)
        if old_snapshot is not None and old_snapshot != self._snapshot:
            with contextlib.suppress(OSError):
                os.unlink(old_snapshot)

    @property
    def idle(self) -> bool:
        """Whether no query is running."""
        with self._lock:
            return self._idle.qsize() >= len(self._all)

    @property
    def worker_count(self) -> int:
        with self._lock:
            return len(self._all)

    def close(self) -> None:
        with self._lock:
            procs = list(self._all)
            self._all.clear()
        for proc in procs:
            proc.kill()
            proc.join(5)
        if self._snapshot is not None:
            with contextlib.suppress(OSError):
                os.unlink(self._snapshot)
