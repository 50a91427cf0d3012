"""Removing readouts: named by their file or IRI (``kg remove``), or gone from disk (``kg build --prune``).

In: a store and the readouts to remove. Out: a :class:`~kg.build.BuildReport` whose ``removed``
lists them. A removal takes out, in one transaction, each readout's graph, the statements of the
shared graph that no remaining readout gives (each readout lists the digests of those it gives,
``dip:sharedStatements``) and what was inferred from them: by what changed on an embedded store
(:mod:`kg.incremental`), by a full recomputation elsewhere. Both give the inferred graph a
full rebuild of what remains gives (tests).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from kg.build import BuildReport
from kg.errors import KgError
from kg.incremental import Maintainer, canonical
from kg.mapping import statement_digests
from kg.namespaces import DIP, GRAPH, ID, INFERRED_GRAPH, SHARED_GRAPH
from kg.reason import Reasoner
from kg.store import Change, GraphStore
from kg.tallies import mark_stale, refresh_later, refresh_tallies

KEPT_CHUNK = 500


class UnknownReadout(KgError):
    """A readout named for removal that the store does not hold."""

    exit_code = 2


def resolve(store: GraphStore, selectors: Iterable[str]) -> dict[str, str]:
    """Graph IRI -> file name of each readout a selector names: its graph's or its own IRI, its
    file's path (as given, or absolute), or its name in the store (the path relative to the folder
    it was built from). :class:`UnknownReadout` names every selector that matches none."""
    files = store.readout_files()
    by_path = {os.path.join(root, *name.split("/")): g for g, (root, name) in files.items() if root}
    by_name: dict[str, list[str]] = {}
    for g, (_root, name) in files.items():
        by_name.setdefault(name, []).append(g)
    found: dict[str, str] = {}
    unknown: list[str] = []
    for sel in selectors:
        graph = None
        if sel in files:
            graph = sel
        elif sel.startswith(f"{ID}readout/") and f"{GRAPH}readout/{sel[len(str(ID)) + 8:]}" in files:
            graph = f"{GRAPH}readout/{sel[len(str(ID)) + 8:]}"
        elif os.path.abspath(sel) in by_path:
            graph = by_path[os.path.abspath(sel)]
        elif len(by_name.get(sel.replace(os.sep, "/"), [])) == 1:
            graph = by_name[sel.replace(os.sep, "/")][0]
        if graph is None:
            unknown.append(sel)
        else:
            found[graph] = files[graph][1]
    if unknown:
        raise UnknownReadout("no readout in the store is " + ", ".join(repr(u) for u in unknown)
                             + " (give a readout's file path, its name as kg stats lists it, or its IRI)")  # fmt: skip
    return found


def gone(store: GraphStore, folders: Iterable[str]) -> dict[str, str]:
    """Graph IRI -> file name of each readout built from under ``folders`` whose file is no longer there."""
    under = [os.path.abspath(f) for f in folders]
    found: dict[str, str] = {}
    for g, (root, name) in store.readout_files().items():
        if not root:
            continue  # built before folders were recorded: where its file was is unknown
        path = os.path.join(root, *name.split("/"))
        if any(path == u or path.startswith(u.rstrip(os.sep) + os.sep) for u in under) and not os.path.lexists(path):
            found[g] = name
    return found


def remove(store: GraphStore, graphs: dict[str, str], *, stage: Callable[[str], None] | None = None,
           tallies: str = "now") -> BuildReport:  # fmt: skip
    """Take the readouts ``graphs`` (IRI -> file name) out of ``store`` with their consequences."""
    report = BuildReport()
    t0 = time.perf_counter()
    if not graphs:
        return report
    leaving = sorted(graphs)
    stored = store.graphs()
    remaining = [g for g in stored if g.startswith(f"{GRAPH}readout/") and g not in graphs]
    change = Change(drop=list(leaving))
    # the shared statements that no remaining readout gives
    shared_nt = store.ntriples([str(SHARED_GRAPH)]) if str(SHARED_GRAPH) in stored else ""
    given: set[str] = set()
    listed: set[str] = set()
    query = f"SELECT ?g ?d WHERE {{ GRAPH ?g {{ ?r <{DIP.sharedStatements}> ?d }} }}"
    for row in store.select(query):
        g = str(row["g"].value)
        listed.add(g)
        if g not in graphs:
            given.update(str(row["d"].value).split())
    statements = statement_digests(shared_nt)
    if any(g not in listed for g in remaining):
        report.notes.append("readouts built by an earlier version list no shared statements: the shared graph was "
                            "left as it was (rebuild them to let removals clean it)")  # fmt: skip
        dropped: set[str] = set()
    else:
        dropped = {d for d in statements if d not in given}
    change.shared_removed = "".join(statements[d] + "\n" for d in sorted(dropped))
    kept_shared = "".join(st + "\n" for d, st in statements.items() if d not in dropped)
    kept_shared += "".join(line + "\n" for line in shared_nt.split("\n") if "_:" in line)  # blank nodes: kept
    engine = store.lookup_source()
    if engine is not None and str(INFERRED_GRAPH) in stored:
        if stage is not None:
            stage("reasoning (incremental)")
        maintainer = Maintainer(engine)
        wanted, classes = maintainer.tbox.predicates, maintainer.tbox.classes
        out, before, after = set(leaving), store.ntriples(leaving), ""
        if dropped:  # the shared graph is replaced by what remains of it
            out.add(str(SHARED_GRAPH))
            before, after = before + shared_nt, kept_shared
        report.delta = maintainer.apply(canonical(before, wanted, classes), canonical(after, wanted, classes), out)
        del maintainer, engine
        change.inferred_removed = "\n".join(report.delta.removed)
        change.inferred_added = "\n".join(report.delta.added)
    else:
        if stage is not None:
            stage("reasoning")
        reasoner = Reasoner()
        for i in range(0, len(remaining), KEPT_CHUNK):
            reasoner.add(store.ntriples(remaining[i : i + KEPT_CHUNK]))
        reasoner.add(kept_shared)
        report.inference = reasoner.run()
        change.inferred = report.inference.ntriples
    report.seconds["reason"] = time.perf_counter() - t0
    if stage is not None:
        stage("storing")
    if report.delta is not None:
        mark_stale(store)  # cleared when the tallies are refreshed
    store.apply(change)
    report.notes += list(store.notes)
    report.removed = [graphs[g] for g in leaving]
    if report.delta is not None:  # the tallies count asserted triples too
        if tallies == "later" and refresh_later(store):
            report.tallies = "later"
        else:
            refresh_tallies(store)
            report.tallies = "refreshed"
    report.seconds["total"] = time.perf_counter() - t0
    return report

