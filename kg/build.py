"""Building the knowledge graph: readout files in, named graphs and inferred triples in the store.

In: paths of readouts and a :class:`~kg.store.GraphStore`. Out: a :class:`BuildReport`.
Each readout becomes one named graph; a readout whose text, metadata and software version are
unchanged is skipped (its content hash is in its graph), so building the same readouts twice
changes nothing; a corrected readout replaces its graph. What is inferred follows: a build that
changes a few readouts of a large store updates the inferred graph by what changed
(:mod:`kg.incremental`, work in proportion to the change); a larger one recomputes it from every
asserted graph. Both give the same graph (tests). All changes of a build, inferred graph
included, are written in one transaction: a build killed half-way leaves the previous graph
intact. The whole-collection tallies of the SPARQL rules follow in a second transaction, at
once or, with ``tallies="later"``, in a process of their own (:mod:`kg.tallies`).
"""

from __future__ import annotations

import functools
import gc
import hashlib
import multiprocessing as mp
import os
import time
from multiprocessing.pool import AsyncResult
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from kg.errors import KgError, NotRegular, ReadoutError
from kg.budget import DEFAULT_SECONDS
from kg.extract import extract_isolated
from kg.load import Readout, expand, load_entries
from kg.mapping import content_hash, map_readout, readout_id
from kg.namespaces import DIP, INFERRED_GRAPH, ONTOLOGY_GRAPH, SHARED_GRAPH, readout_graph
from kg.incremental import Delta, Maintainer, canonical
from kg.reason import Inference, Reasoner, ontology_text, relevant
from kg.store import Change, GraphStore, as_nquads
from kg.tallies import mark_stale, refresh_later, refresh_tallies, stale

ONTOLOGY_IRI = URIRef("https://w3id.org/dipkg/ont")


@dataclass
class BuildReport:
    files: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: list[ReadoutError] = field(default_factory=list)
    skipped: list[ReadoutError] = field(default_factory=list)  # not readout files (FIFOs, devices, sockets)
    removed: list[str] = field(default_factory=list)  # the file names of the readouts removed (kg remove, --prune)
    positions: int = 0
    inference: Inference | None = None  # a full recomputation of the inferred graph
    delta: Delta | None = None  # an incremental update of it
    tallies: str = ""  # "refreshed", "later" (a process refreshes them), or "" (nothing changed)
    notes: list[str] = field(default_factory=list)  # what the store could not do as asked
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated)


def _ontology_change(store: GraphStore) -> tuple[str, str] | None:
    """The ontology graph's N-Triples when the stored one differs from the bundled ontology."""
    from rdflib import Graph

    text = ontology_text()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    rows = list(
        store.select(f"SELECT ?h WHERE {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{ONTOLOGY_IRI}> <{DIP.contentHash}> ?h }} }}")
    )
    if rows and str(rows[0]["h"].value) == digest:
        return None
    g = Graph().parse(data=text, format="turtle")
    g.add((ONTOLOGY_IRI, DIP.contentHash, Literal(digest)))
    return str(ONTOLOGY_GRAPH), g.serialize(format="nt")


Extracted = tuple[str, str, str, int]


def _extract_map(item: Readout, seconds: float | None = DEFAULT_SECONDS) -> Extracted | ReadoutError:
    """Extraction and mapping of one readout (runs in a worker process): its graph as N-Quads,
    the lines of it the reasoner reads, the shared triples, the number of positions; or the
    readout's error (a rule that trips on it, or more than ``seconds`` of extraction)."""
    record = extract_isolated(item, seconds)
    if isinstance(record, ReadoutError):
        return record
    mapped = map_readout(item, record)
    return as_nquads(mapped.ntriples, mapped.graph_iri), relevant(mapped.ntriples), mapped.shared, len(record["positions"])


PARALLEL_MIN = 64  # fewer readouts than this are extracted in-process (a pool costs ~0.2 s to start)
BATCH = 256  # readouts handed to the pool at a time, so that loaded texts never pile up
KEPT_CHUNK = 500  # stored graphs read back at a time for reasoning
INCREMENTAL_MAX = 200  # readouts a build may change and still update the inferred graph incrementally
INCREMENTAL_SHARE = 0.2  # ... or this share of the store's readouts, whichever is more


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def build(
    paths: list[str],
    store: GraphStore,
    *,
    date: str | None = None,
    publisher: str | None = None,
    progress: Callable[[str], None] | None = None,
    workers: int | None = None,
    stage: Callable[[str], None] | None = None,
    incremental: bool | None = None,
    tallies: str = "now",
    replace: bool = False,
    file_seconds: float | None = DEFAULT_SECONDS,
) -> BuildReport:
    """Add or update the readouts under ``paths`` in ``store`` and bring what is inferred up to date.

    Extraction and mapping run on ``workers`` processes (default: every core) when there are
    enough readouts; results are the same, in the same order, as in one process. ``progress`` is
    called once per readout, ``stage`` when reasoning and storing begin. ``incremental``: update
    the inferred graph by what changed (True), recompute it (False), or choose by the size of
    the change (None). ``tallies``: ``"now"`` refreshes the whole-collection tallies before
    returning, ``"later"`` leaves that to a process of its own after an incremental build (the
    build returns sooner; the tallies follow within seconds). A readout is its path relative to
    the folder it is built from: the same path from another folder is that readout's error unless
    ``replace``. ``file_seconds``: the extraction time one file may take (its error beyond).
    """
    with _collector_paused():
        report = _build(paths, store, date=date, publisher=publisher, progress=progress, workers=workers, stage=stage,
                        incremental=incremental, replace=replace, file_seconds=file_seconds)  # fmt: skip
    path = getattr(store, "path", None)
    if report.delta is None and path and stale(path):  # a refresh that was stopped (its process killed)
        refresh_tallies(store)
        report.tallies = "refreshed"
    if report.delta is not None:  # the tallies count asserted triples too: any change may change them
        if tallies == "later" and refresh_later(store):
            report.tallies = "later"
        else:
            t0 = time.perf_counter()
            refresh_tallies(store)
            report.seconds["tallies"] = time.perf_counter() - t0
            report.tallies = "refreshed"
    return report


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off in this process while it builds: the build makes
    millions of small acyclic objects (the reasoner's facts), and collecting kept re-scanning them
    (a few per cent of a large build). Workers turn it back on as they start."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _build(
    paths: list[str],
    store: GraphStore,
    *,
    date: str | None,
    publisher: str | None,
    progress: Callable[[str], None] | None,
    workers: int | None,
    stage: Callable[[str], None] | None,
    incremental: bool | None,
    replace: bool,
    file_seconds: float | None,
) -> BuildReport:
    report = BuildReport()
    tick = progress or (lambda _path: None)
    t0 = time.perf_counter()
    known = store.content_hashes()
    folders = {g: root for g, (root, _name) in store.readout_files().items() if root} if known else {}
    legacy = [g for g in known if g not in folders]
    if legacy:
        raise KgError(f"the store was built by an earlier version of kg ({len(legacy)} readouts without the folder they "
                      "were built from, under other names): build a new store (remove its folder, or give another "
                      "--store) from the readouts")  # fmt: skip
    spool = store.spool()
    change = Change(replace=spool)
    reasoner = Reasoner()
    shared: set[str] = set()
    # the store's own indexes serve incremental reasoning (embedded stores); no reference is kept,
    # since a first build replaces the store under it
    can_look_up = store.lookup_source() is not None
    existing = len(known)
    limit = max(INCREMENTAL_MAX, int(INCREMENTAL_SHARE * existing))
    may_increment = can_look_up and existing > 0 and incremental is not False
    after: list[str] = []  # what the rules read of the new graphs, while the change is small enough
    entries = list(expand(paths))
    report.files = len(entries)
    workers = default_workers() if workers is None else max(1, workers)
    pool = None
    if workers > 1 and report.files >= PARALLEL_MIN:
        method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
        pool = mp.get_context(method).Pool(workers, initializer=gc.enable)
    try:
        todo: list[tuple[Readout, str]] = []
        pending: set[str] = set()
        running: list[tuple[list[tuple[Readout, str]], Iterable[Extracted | ReadoutError]]] = []

        def collect() -> None:
            """Take in the results of the batch handed out before."""
            for batch, results in running:
                for (item, graph), result in zip(batch, results, strict=True):
                    tick(item.path)
                    pending.discard(graph)
                    if isinstance(result, ReadoutError):
                        report.failed.append(result)
                        continue
                    nquads, for_reasoner, shared_nt, positions = result
                    spool.add_quads(graph, nquads)
                    reasoner.add(for_reasoner)
                    if may_increment and len(after) < limit:
                        after.append(for_reasoner)
                    shared.update(shared_nt.split("\n"))  # not splitlines(): U+2028 and the like are text
                    report.positions += positions
                    if graph in known:
                        report.updated += 1
                    else:
                        report.added += 1
            running.clear()

        def flush() -> None:
            """Hand out a batch, then take in the one before (the workers are never idle meanwhile)."""
            batch = list(todo)
            todo.clear()
            items = [item for item, _ in batch]
            work = functools.partial(_extract_map, seconds=file_seconds)
            if pool is not None:
                results = pool.map_async(work, items, chunksize=8)
                collect()
                running.append((batch, _Deferred(results)))
            else:
                collect()
                running.append((batch, list(map(work, items))))

        for item in load_entries(entries, date=date, publisher=publisher):
            if isinstance(item, ReadoutError):
                tick(item.path)
                (report.skipped if isinstance(item, NotRegular) else report.failed).append(item)
                continue
            graph = readout_graph(readout_id(item))
            if graph in spool or graph in pending:
                tick(item.path)
                message = f"the same path ({item.relpath}) as another readout of this build, from another folder"
                report.failed.append(ReadoutError(item.path, message))
                continue
            moved = graph in folders and folders[graph] != item.root
            if moved and not replace:
                tick(item.path)
                report.failed.append(ReadoutError(item.path, (
                    f"{item.relpath} is already in the store, built from {folders[graph]}: a readout is its path "
                    "relative to the folder it is built from, so this one would replace it; build from that folder, "
                    "or give --replace to replace it")))  # fmt: skip
                continue
            if known.get(graph) == content_hash(item) and not moved:
                tick(item.path)
                report.unchanged += 1
                continue
            todo.append((item, graph))
            pending.add(graph)
            if len(todo) >= (BATCH if pool else 1):
                flush()
        flush()
        collect()
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    try:
        report.seconds["extract_map"] = time.perf_counter() - t0
        change.shared = "\n".join(sorted(line for line in shared if line.strip())) + "\n"
        shared.clear()
        onto = _ontology_change(store)
        if onto is not None:
            spool[onto[0]] = onto[1]
        spool.start()  # every new graph is in: the store may write the rest while we reason
        changed = report.added + report.updated
        has_inferred = str(INFERRED_GRAPH) in store.graphs()
        step = changed <= limit and onto is None and has_inferred and may_increment
        if incremental and not step:
            raise KgError("an incremental build needs an embedded store with an inferred graph, the same "
                          f"ontology and at most {limit} changed readouts")  # fmt: skip
        if step and changed:
            t1 = time.perf_counter()
            if stage is not None:
                stage("reasoning (incremental)")
            engine = store.lookup_source()
            assert engine is not None
            maintainer = Maintainer(engine)
            wanted, classes = maintainer.tbox.predicates, maintainer.tbox.classes
            leaving = [g for g in spool if g in known]
            before = canonical(store.ntriples(leaving), wanted, classes) if leaving else set()
            new_facts = canonical("".join(after) + change.shared, wanted, classes)
            report.delta = maintainer.apply(before, new_facts, set(leaving))
            del maintainer, engine
            change.inferred_removed = "\n".join(report.delta.removed)
            change.inferred_added = "\n".join(report.delta.added)
            report.seconds["reason"] = time.perf_counter() - t1
        elif report.changed or not has_inferred:
            t1 = time.perf_counter()
            if stage is not None:
                stage("reasoning")
            kept = [g for g in store.readout_graphs() if g not in spool]
            kept += [g for g in store.graphs() if g == str(SHARED_GRAPH)]
            for i in range(0, len(kept), KEPT_CHUNK):
                reasoner.add(store.ntriples(kept[i : i + KEPT_CHUNK]))
            reasoner.add(change.shared)
            report.inference = reasoner.run()
            change.inferred = report.inference.ntriples
            report.seconds["reason"] = time.perf_counter() - t1
        reasoner.clear()  # its indexes are no longer needed while the store loads
        t2 = time.perf_counter()
        if stage is not None:
            stage("storing")
        if report.delta is not None:
            mark_stale(store)  # cleared when the tallies are refreshed, at once or by their own process
        store.apply(change)
        report.notes += list(store.notes)
        report.seconds["store"] = time.perf_counter() - t2
    finally:
        spool.close()
    report.seconds["total"] = time.perf_counter() - t0
    return report


class _Deferred:
    """The results of a batch handed to the pool, waited for when first iterated."""

    def __init__(self, result: AsyncResult[list[Extracted | ReadoutError]]) -> None:
        self.result = result

    def __iter__(self) -> Iterator[Extracted | ReadoutError]:
        return iter(self.result.get())
