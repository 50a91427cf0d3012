"""Spools: the graphs of a build kept in a temporary N-Quads file rather than in memory.

In: named graphs (IRI -> N-Triples or N-Quads lines) as a build makes them. Out: a file the
store loads as it is. :class:`BulkSpool` also bulk-loads that file into a new embedded store on
a thread while the build goes on (first builds of an empty store).
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, MutableMapping
from typing import Any, BinaryIO

import pyoxigraph as ox

from kg.errors import MachineError, machine_fault


@contextlib.contextmanager
def _temporary_writes(folder: str) -> Iterator[None]:
    """Writes to the temporary folder: the machine refusing one is said as such (TMPDIR named)."""
    try:
        yield
    except OSError as exc:
        fault = machine_fault(exc, f"the temporary folder {folder}")
        if fault is None:
            raise
        raise MachineError(f"a build spools its graphs to the temporary folder, and {fault} "
                           "(or set TMPDIR to a folder with room); the store is as it was") from None  # fmt: skip


def sweep_leftovers(directory: str | None = None) -> list[str]:
    """Remove the spool files of builds that were killed (``kg-change-<pid>-*.nq`` whose process is
    gone: an ended build removes its own); the paths removed."""
    folder = directory or tempfile.gettempdir()
    removed: list[str] = []
    try:
        names = os.listdir(folder)
    except OSError:
        return removed
    for name in names:
        parts = name.split("-")
        if not (name.startswith("kg-change-") and name.endswith(".nq") and len(parts) >= 4 and parts[2].isdigit()):
            continue
        pid = int(parts[2])
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            continue  # alive: its build is running
        except ProcessLookupError:
            pass
        except PermissionError:
            continue  # alive, another user's
        with contextlib.suppress(OSError):
            os.remove(os.path.join(folder, name))
            removed.append(os.path.join(folder, name))
    return removed


class GraphSpool(MutableMapping[str, str]):
    """Named graphs (IRI -> N-Triples) kept in a temporary N-Quads file rather than in memory.

    A build of tens of thousands of readouts writes each new graph here as it comes, so memory
    holds only their names; the embedded store bulk-loads the file as it is. Replacing or deleting
    a graph forgets its old lines (they stay in the file, unread). The file goes with :meth:`close`.
    """

    def __init__(self, directory: str | None = None) -> None:
        sweep_leftovers(directory)
        self._folder = directory or tempfile.gettempdir()
        with _temporary_writes(self._folder):
            self._file = tempfile.NamedTemporaryFile(prefix=f"kg-change-{os.getpid()}-", suffix=".nq",  # noqa: SIM115
                                                     dir=directory)  # fmt: skip
        self._spans: dict[str, tuple[int, int]] = {}
        self._end = 0

    @property
    def path(self) -> str:
        with _temporary_writes(self._folder):
            self._file.flush()
        return self._file.name

    def add_quads(self, graph: str, nquads: str) -> None:
        """The graph's triples as N-Quads lines already naming ``graph`` (as :func:`as_nquads` writes them)."""
        data = nquads.encode("utf-8")
        with _temporary_writes(self._folder):
            self._file.seek(self._end)
            self._file.write(data)
        self._spans[graph] = (self._end, len(data))
        self._end += len(data)

    def __setitem__(self, graph: str, ntriples: str) -> None:
        self.add_quads(graph, as_nquads(ntriples, graph))

    def __getitem__(self, graph: str) -> str:
        start, size = self._spans[graph]
        with _temporary_writes(self._folder):
            self._file.flush()
        with open(self._file.name, "rb") as f:
            f.seek(start)
            text = f.read(size).decode("utf-8")
        cut = len(f" <{graph}> .")
        return "".join(line[:-cut] + " .\n" for line in text.split("\n") if line)

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
        with contextlib.suppress(OSError):  # a full folder refuses the last flush: the file goes anyway
            self._file.close()
        with contextlib.suppress(OSError):
            os.remove(self._file.name)


def as_nquads(ntriples: str, graph: str) -> str:
    """N-Triples lines as N-Quads lines in ``graph``."""
    suffix = f" <{graph}> .\n"
    return "".join(line[:-1].rstrip() + suffix for line in ntriples.split("\n") if line.strip())


def pieces(nquads: str, size: int) -> Iterator[str]:
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


class BulkSpool(GraphSpool):
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
        with _temporary_writes(self._folder):
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
