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
meanwhile. A worker whose memory (its resident set, read from ``/proc`` every few milliseconds)
passes the memory cap is killed the same way and the answer says so; a worker that dies on a query
(a crash of the engine) is answered with 500 and the signal that ended it, never as a time-out.
Results beyond the row cap or the byte cap are cut, and the answer says which cap and says so in
its body wherever the format has room (:mod:`kg.results`, :func:`kg.formats.with_comment`).

Workers are shared fairly (:class:`_Pool`): a freed worker goes to the waiting client that has
fewest queries running, then to the one that used the workers least lately (worker-seconds,
halved every 30 s), then first come first served; one client runs at most ``per_client`` queries
at once unless that leaves a worker free for others. So clients that send heavy queries without
pause slow only themselves, as long as there are more workers than such clients.

Errors are SPARQL-service JSON: ``{"error": ..., "status": ..., "message": ...}``.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import signal
import tempfile
import threading
import time
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
DEFAULT_BYTE_CAP = 32_000_000
DEFAULT_MEMORY_MB = 1024
_WATCH = 0.02  # seconds between two readings of a busy worker's memory
_NAMES = {400: "Bad Request", 403: "Forbidden", 500: "Internal Server Error", 503: "Service Unavailable"}


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes
    truncated: str | None = None  # why the result was cut (which cap), None when it is whole


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
    """Run one query on ``store`` (in a worker) and serialise the answer, cut at the row cap or the
    byte cap (``byte_cap``: bytes of rows or triples), whichever comes first."""
    query, cap, byte_cap = request["query"], request["row_cap"], request.get("byte_cap", DEFAULT_BYTE_CAP)
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
            fmt = formats.negotiate(wanted, "results", "json")
            body, note = results.write_select_capped(names, (list(sol) for sol in result), fmt, row_cap=cap,
                                                     byte_cap=byte_cap)  # fmt: skip
            return Answer(200, fmt.content_type, body, note)
        triples: list[Any] = []
        size, note = 0, None
        for t in result:
            if len(triples) >= cap:
                note = f"the result was cut at {cap} triples (the service's row cap)"
                break
            size += len(str(t)) + 3  # about its length in N-Triples
            if size > byte_cap:
                note = f"the result was cut at {byte_cap} bytes after {len(triples)} triples (the service's answer cap)"
                break
            triples.append(t)
    except SyntaxError as exc:
        return error_answer(400, f"malformed query: {exc}")
    except (ValueError, OSError, TypeError) as exc:  # the engine's errors while evaluating or reading results
        return error_answer(400, f"query failed: {exc}")
    fmt = formats.negotiate(wanted, "graph", "turtle")
    quads = (ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    comment = f"truncated: {note}" if note else None
    return Answer(200, fmt.content_type, formats.serialize_quads(quads, fmt, comment=comment), note)


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


def _rss_mb(pid: int) -> float:
    """A process's resident memory in MB (Linux; 0 where /proc is not there)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE / 1_048_576
    except (OSError, IndexError, ValueError):
        return 0.0


_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _death(exitcode: int | None) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = "an unknown signal"
        return f"killed by signal {-exitcode} ({name})"
    return f"it exited with status {exitcode}" if exitcode is not None else "it stopped answering"


@dataclass
class _Client:
    running: int = 0
    usage: float = 0.0  # worker-seconds, halved every HALF_LIFE seconds
    at: float = 0.0

    def decayed(self, now: float) -> float:
        return self.usage * 0.5 ** ((now - self.at) / _Pool.HALF_LIFE)


class _Pool:
    """Workers handed out fairly (see the module's docstring). ``acquire`` waits at most its timeout."""

    HALF_LIFE = 30.0

    def __init__(self, per_client: int) -> None:
        self.per_client = max(1, per_client)
        self.free: list[tuple[Any, Connection]] = []
        self.total = 0
        self._cond = threading.Condition()
        self._waiting: list[tuple[int, str]] = []
        self._seq = 0
        self._clients: dict[str, _Client] = {}
        self._paused = False

    def add(self, worker: tuple[Any, Connection], *, new: bool = True) -> None:
        with self._cond:
            self.free.append(worker)
            if new:
                self.total += 1
            self._cond.notify_all()

    def forget(self) -> None:
        """A worker that was handed out is gone (killed, or failed)."""
        with self._cond:
            self.total -= 1

    def _next(self, now: float) -> tuple[int, str] | None:
        """The waiting ticket a free worker goes to now, or None."""
        if self._paused or not self.free:
            return None
        best, key = None, None
        for ticket in self._waiting:
            c = self._clients[ticket[1]]
            if c.running >= self.per_client and len(self.free) < 2:
                continue  # over its share: only while another worker stays free for the others
            k = (c.running, c.decayed(now), ticket[0])
            if key is None or k < key:
                best, key = ticket, k
        return best

    def acquire(self, client: str, timeout: float) -> tuple[Any, Connection] | None:
        deadline = time.monotonic() + timeout
        with self._cond:
            self._seq += 1
            ticket = (self._seq, client)
            self._clients.setdefault(client, _Client())
            self._waiting.append(ticket)
            try:
                while self._next(time.monotonic()) != ticket:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return None
                    self._cond.wait(left)
                self._clients[client].running += 1
                return self.free.pop()
            finally:
                self._waiting.remove(ticket)
                self._cond.notify_all()  # the next ticket may be eligible now

    def release(self, client: str, seconds: float, worker: tuple[Any, Connection] | None) -> None:
        """A query of ``client`` ended after ``seconds``; its worker (None: it is gone) is free again."""
        with self._cond:
            now = time.monotonic()
            c = self._clients[client]
            c.usage, c.at = c.decayed(now) + seconds, now
            c.running -= 1
            if worker is not None:
                self.free.append(worker)
            if len(self._clients) > 1000:  # forget clients that have been quiet for a while
                for name in [n for n, x in self._clients.items() if x.running == 0 and x.decayed(now) < 0.01]:
                    del self._clients[name]
                self._clients.setdefault(client, c)
            self._cond.notify_all()

    def pause_all(self) -> list[tuple[Any, Connection]]:
        """Every worker, once none is busy; nothing is handed out until :meth:`resume`."""
        with self._cond:
            self._paused = True
            while len(self.free) < self.total:
                self._cond.wait()
            taken, self.free = self.free, []
            return taken

    def resume(self, workers: list[tuple[Any, Connection]]) -> None:
        with self._cond:
            self.free.extend(workers)
            self.total = len(self.free)  # all of them: nothing was handed out while paused
            self._paused = False
            self._cond.notify_all()

    @property
    def idle(self) -> bool:
        with self._cond:
            return len(self.free) >= self.total and not self._paused


class QueryService:
    """A pool of query workers over an embedded store on disk (``store_path``, opened read-only by
    each worker: nothing is copied) or over a snapshot of N-Quads (``nquads``).

    ``timeout`` seconds and ``memory_mb`` of resident memory per query, ``row_cap`` rows and
    ``byte_cap`` bytes per answer, ``per_client`` queries at once per client (see the module's
    docstring)."""

    def __init__(self, nquads: bytes | None = None, *, store_path: str | None = None, workers: int = 4,
                 timeout: float = 10.0, row_cap: int = 10_000, byte_cap: int = DEFAULT_BYTE_CAP,
                 memory_mb: int = DEFAULT_MEMORY_MB, per_client: int = 1) -> None:  # fmt: skip
        if (nquads is None) == (store_path is None):
            raise ValueError("give either the N-Quads of a snapshot or the path of a store")
        self.timeout = timeout
        self.row_cap = row_cap
        self.byte_cap = byte_cap
        self.memory_mb = memory_mb
        self.store_path = store_path
        self._snapshot: str | None = None
        if nquads is not None:
            fd, self._snapshot = tempfile.mkstemp(prefix="kg-snapshot-", suffix=".nq")
            with os.fdopen(fd, "wb") as fh:
                fh.write(nquads)
        self._ctx = mp.get_context("spawn")
        self._pool = _Pool(per_client)
        self._lock = threading.Lock()
        self._switching = threading.Lock()
        self._all: list[Any] = []
        for _ in range(max(1, workers)):
            self._pool.add(self._start())

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
            named_graphs: list[str] | None = None, base_iri: str | None = None,
            client: str = "") -> Answer:  # fmt: skip
        """Answer ``query`` for ``client`` (its address: what fair sharing tells clients apart by)."""
        try:
            op, dataset = prepare(query, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri)
        except KgError as exc:
            return error_answer(exc.http_status, str(exc))
        worker = self._pool.acquire(client, self.timeout)
        if worker is None:
            return error_answer(503, f"all query workers stayed busy for {self.timeout:g} s; try again")
        proc, conn = worker
        request = {"query": query, "accept": accept or [], "default_graphs": dataset.default_graphs,
                   "named_graphs": dataset.named_graphs, "form": op.form, "from": op.from_graphs + op.from_named,
                   "row_cap": self.row_cap, "byte_cap": self.byte_cap, "base_iri": base_iri}  # fmt: skip
        started = time.monotonic()
        outcome = "timeout"
        try:
            conn.send(request)
            while (left := started + self.timeout - time.monotonic()) > 0:
                if conn.poll(min(left, _WATCH)):
                    status, media, body, truncated = conn.recv()
                    self._pool.release(client, time.monotonic() - started, worker)
                    return Answer(status, media, body, truncated)
                if self.memory_mb and _rss_mb(proc.pid) > self.memory_mb:
                    outcome = "memory"
                    break
        except (EOFError, OSError):
            outcome = "died"
        proc.kill()
        proc.join(5)
        with self._lock:
            if proc in self._all:
                self._all.remove(proc)
        self._pool.forget()
        self._pool.release(client, time.monotonic() - started, None)
        how = _death(proc.exitcode)
        with contextlib.suppress(RuntimeError):  # if none starts, one worker fewer: the others keep serving
            self._pool.add(self._start())
        if outcome == "died":
            return error_answer(500, f"the query engine's worker died on this query ({how}); it was replaced")
        if outcome == "memory":
            return error_answer(503, f"the query needed more than {self.memory_mb} MB of memory and was stopped "
                                     "(the service's memory cap per query)")  # fmt: skip
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
            for proc, conn in self._pool.pause_all():  # busy workers are taken once their query ends
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
            self._pool.resume(moved)
        if old_snapshot is not None and old_snapshot != self._snapshot:
            with contextlib.suppress(OSError):
                os.unlink(old_snapshot)

    @property
    def idle(self) -> bool:
        """Whether no query is running."""
        return self._pool.idle

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
