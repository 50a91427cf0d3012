"""A store as a server serves it: from snapshots, never from the store itself.

In: a store location and the service's limits. Out: :class:`Served`, which holds the current
:class:`~kg.service.QueryService` and a read-only view of the same snapshot for the pages.

An embedded store is served from snapshots (RocksDB checkpoints, made in milliseconds with hard
links) in ``<store>.serving/<pid>/``: the server holds no lock on the store itself, so
``kg build``, ``kg query`` and every other command work on it while it serves. Every committed
change writes a new generation token into the store's directory; a watcher thread sees it
within :attr:`Served.poll` seconds, opens the store for the few milliseconds a snapshot takes
(waiting while a build holds it), and has each query worker reopen on the new snapshot once its
query is done (milliseconds, no new process): a reader sees the store before a change or after
it, never half of one. Old snapshots are removed once nothing reads them.

A remote store is served from an in-memory copy of its graphs, refreshed when its readouts'
content hashes change (checked every :attr:`Served.remote_poll` seconds) and after every update
sent through the server. An empty embedded store is served with the bundled readouts built into
a temporary store until a build fills it.

A store this process cannot write (a read-only file system, a folder without write permission)
is served as it is, opened read-only by the workers and the pages, with no snapshots (nothing
can be written beside it, and no build of this process can change it); a change another user
makes to it is served once its generation token moves.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from kg.errors import StoreError, StoreInUseError
from kg.formats import FORMATS
from kg.namespaces import STAGING
from kg.service import DEFAULT_BYTE_CAP, DEFAULT_MEMORY_MB, QueryService
from kg.store import GraphStore, is_remote, open_store
from kg.store.embedded import OxigraphStore, read_generation, serving_dirs

SNAPSHOT_WAIT = 60.0  # seconds a snapshot waits for a build that holds the store
T = TypeVar("T")


@dataclass
class _Generation:
    """One snapshot being served: its directory (embedded), the pages' reader, and the token it holds."""

    token: str | None
    reader: GraphStore
    directory: str | None = None
    retired: float = 0.0  # when it stopped being served


@dataclass
class Served:
    """The store at ``location`` as a server serves it (see the module's docstring)."""

    location: str
    workers: int = 4
    timeout: float = 10.0
    row_cap: int = 10_000
    byte_cap: int = DEFAULT_BYTE_CAP
    memory_mb: int = DEFAULT_MEMORY_MB
    per_client: int = 1
    update_url: str | None = None
    bundled: Callable[[GraphStore], None] | None = None  # builds the bundled readouts into an empty store
    poll: float = 0.3
    remote_poll: float = 5.0
    grace: float = 10.0  # seconds a retired snapshot stays for page requests still reading it
    _current: _Generation | None = field(default=None, init=False, repr=False)
    _service: QueryService | None = field(default=None, init=False, repr=False)
    _retired: list[_Generation] = field(default_factory=list, init=False, repr=False)
    _lock: threading.RLock = field(default_factory=threading.RLock, init=False, repr=False)
    _stop: threading.Event = field(default_factory=threading.Event, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)
    _temporary: str | None = field(default=None, init=False, repr=False)
    _primary: str = field(default="", init=False, repr=False)
    _remote_hashes: dict[str, str] | None = field(default=None, init=False, repr=False)
    _memo: dict[Hashable, Any] = field(default_factory=dict, init=False, repr=False)
    MEMO_SIZE = 64  # answers kept per snapshot (the oldest goes first)

    def __post_init__(self) -> None:
        self.remote = is_remote(self.location)
        self._primary = self.location
        if not self.remote and read_generation(self.location) is None and _empty(self.location):
            self._temporary = tempfile.mkdtemp(prefix="kg-serve-")
            self._primary = os.path.join(self._temporary, "kg")
            store = open_store(self._primary)
            try:
                if self.bundled is not None:
                    self.bundled(store)  # nothing built: serve the bundled readouts
            finally:
                store.close()
        self.direct = not self.remote and not _writable(self.location)
        if not self.remote and not self.direct:  # where builds of the store given leave snapshots for this server
            self._serving_dir = os.path.abspath(self.location).rstrip(os.sep) + f".serving/{os.getpid()}"
            _remove_stale(os.path.dirname(self._serving_dir))
            os.makedirs(self._serving_dir, exist_ok=True)
        elif self.direct:  # snapshots of the bundled readouts' store, if it is served, beside it
            self._serving_dir = os.path.join(self._temporary or tempfile.gettempdir(), f"serving-{os.getpid()}")
            if self._temporary is not None:
                os.makedirs(self._serving_dir, exist_ok=True)
        self.refresh()
        self._thread = threading.Thread(target=self._watch, name="kg-serve-watch", daemon=True)
        self._thread.start()

    # ---- what the app uses

    @property
    def service(self) -> QueryService:
        assert self._service is not None
        return self._service

    @property
    def store(self) -> GraphStore:
        """A read-only view of what is served (exports, graph lists)."""
        assert self._current is not None
        return self._current.reader

    @property
    def serving_temporary(self) -> bool:
        """Whether the bundled readouts are served (the store given is still empty)."""
        return self._temporary is not None and self._primary != self.location

    def cached(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, computed once per snapshot served for each ``key`` (a page that reads the
        whole graph, say): a change served forgets every answer."""
        with self._lock:
            generation = self._current
            if key in self._memo:
                return self._memo[key]  # type: ignore[no-any-return]
        value = compute()
        with self._lock:
            if self._current is generation:  # not computed on a snapshot that has gone meanwhile
                self._memo[key] = value
                while len(self._memo) > self.MEMO_SIZE:
                    del self._memo[next(iter(self._memo))]
        return value

    def update(self, text: str, *, using: list[str] | None = None, using_named: list[str] | None = None,
               base: str | None = None) -> None:  # fmt: skip
        """Run a SPARQL update on the store itself, then serve what it made (before this returns)."""
        with self._lock:
            store = self._open_primary(wait=SNAPSHOT_WAIT)
            try:
                store.update(text, using=using, using_named=using_named, base=base)
            finally:
                store.close()
            self.refresh()

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
        with self._lock:
            for gen in [*self._retired, *([self._current] if self._current else [])]:
                self._drop(gen)
            self._retired.clear()
            self._current = None
            if self._service is not None:
                self._service.close()
                self._service = None
        if not self.remote and not self.direct:
            shutil.rmtree(self._serving_dir, ignore_errors=True)
            with contextlib.suppress(OSError):
                os.rmdir(os.path.dirname(self._serving_dir))
        if self._temporary is not None:
            shutil.rmtree(self._temporary, ignore_errors=True)

    # ---- snapshots

    def _open_primary(self, *, wait: float) -> GraphStore:
        return open_store(self._primary, update_url=self.update_url, wait=wait)

    def refresh(self) -> bool:
        """Serve the store as it is now, if it changed since the snapshot served (True when it did)."""
        with self._lock:
            if self.remote:
                return self._refresh_remote()
            if self.serving_temporary and read_generation(self.location) is not None:
                self._primary = self.location  # a build filled the store given: serve it from now on
            token = read_generation(self._primary)
            if self.direct and self._primary == self.location:
                return self._refresh_direct(token)
            if self._current is not None and self._current.token == token and self._current.directory is not None \
                    and self._current.directory.startswith(os.path.abspath(self._primary)):  # fmt: skip
                return False
            target = os.path.join(self._serving_dir, f"{time.time_ns()}")
            ready = os.path.join(self._serving_dir, f"ready-{token}")
            if token is not None and os.path.isdir(ready):
                os.rename(ready, target)  # the build left it for us: no need to wait for the store
            else:
                store = self._open_primary(wait=SNAPSHOT_WAIT)
                try:
                    token = read_generation(self._primary)  # under the lock: what the snapshot holds
                    assert isinstance(store, OxigraphStore)
                    store.snapshot(target)
                    staging = [g for g in store.graphs() if g.startswith(STAGING)]
                finally:
                    store.close()
                if staging:
                    _without(target, staging)
            for name in os.listdir(self._serving_dir):  # snapshots left for tokens already passed
                if name.startswith("ready-") and name != f"ready-{token}":
                    shutil.rmtree(os.path.join(self._serving_dir, name), ignore_errors=True)
            if self._service is None:
                self._service = QueryService(store_path=target, **self._limits())
            else:
                self._service.switch(store_path=target)
            self._swap(_Generation(token, OxigraphStore(target, read_only=True), target))
            return True

    def _refresh_direct(self, token: str | None) -> bool:
        """A store nobody here can write, served as it is (read-only opens, no snapshot)."""
        if self._current is not None and self._current.token == token:
            return False
        if self._service is None:
            self._service = QueryService(store_path=self._primary, **self._limits())
        else:
            self._service.switch(store_path=self._primary)
        self._swap(_Generation(token, OxigraphStore(self._primary, read_only=True), None))
        return True

    def _limits(self) -> dict[str, Any]:
        return {"workers": self.workers, "timeout": self.timeout, "row_cap": self.row_cap, "byte_cap": self.byte_cap,
                "memory_mb": self.memory_mb, "per_client": self.per_client}  # fmt: skip

    def _refresh_remote(self) -> bool:
        store = self._open_primary(wait=0)
        try:
            hashes = store.content_hashes()
            if self._current is not None and hashes == self._remote_hashes:
                return False
            data = store.dump(FORMATS["nquads"])
        finally:
            store.close()
        if self._service is None:
            self._service = QueryService(data, **self._limits())
        else:
            self._service.switch(nquads=data)
        self._remote_hashes = hashes
        self._swap(_Generation(None, open_store(self.location, update_url=self.update_url)))
        return True

    def _swap(self, new: _Generation) -> None:
        old, self._current = self._current, new
        self._memo.clear()
        if old is not None:  # the workers read the new snapshot; pages may still read the old one a moment
            old.retired = time.monotonic()
            self._retired.append(old)

    def _drop(self, gen: _Generation) -> None:
        gen.reader.close()
        if gen.directory is not None:
            shutil.rmtree(gen.directory, ignore_errors=True)

    def _watch(self) -> None:
        last_remote = time.monotonic()
        while not self._stop.wait(self.poll):
            try:
                if self.remote:
                    if time.monotonic() - last_remote >= self.remote_poll:
                        last_remote = time.monotonic()
                        self.refresh()
                elif read_generation(self._primary) != (self._current.token if self._current else None) or (
                    self.serving_temporary and read_generation(self.location) is not None
                ):
                    self.refresh()
            except StoreInUseError:
                pass  # a build holds the store for longer than we wait: the next round tries again
            except StoreError:
                pass  # the store went away or the server is down: keep serving what we have
            with self._lock:
                now = time.monotonic()
                for gen in [g for g in self._retired if now - g.retired >= self.grace]:
                    self._retired.remove(gen)
                    self._drop(gen)


def _without(snapshot: str, staging: list[str]) -> None:
    """A snapshot without the staging graphs of a build in progress (a client building through
    this server's update endpoint): readers never see them. The snapshot is the server's own copy."""
    store = OxigraphStore(snapshot)
    try:
        store.update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in staging))
    finally:
        store.close()


def _writable(path: str) -> bool:
    """Whether this process can write the store at ``path`` and the folder beside it (snapshots)."""
    folder = os.path.dirname(os.path.abspath(path).rstrip(os.sep)) or "."
    return os.access(folder, os.W_OK) and (not os.path.exists(path) or os.access(path, os.W_OK))


def _empty(path: str) -> bool:
    return not os.path.isdir(path) or not os.listdir(path)


def _remove_stale(directory: str) -> None:
    """Snapshot folders of servers that are no longer running."""
    if not os.path.isdir(directory):
        return
    alive = {os.path.basename(d) for d in serving_dirs(directory[: -len(".serving")])}
    for name in os.listdir(directory):
        if name.isdigit() and name not in alive:
            shutil.rmtree(os.path.join(directory, name), ignore_errors=True)
