"""The whole-collection tallies, refreshed after an incremental build.

In: a store whose inferred graph was just updated by what a build changed. Out: its tally
triples (the SPARQL rules of ``ontology/rules/``: support per pair and year, positions per
publisher and issue, meetings per kind and topic, holders of each shared stance) recomputed over
the whole store and changed by what differs, in one transaction.

They read the whole collection, so they cost time in proportion to it (about 2 s at 1,500
readouts) however small the change: ``kg build`` leaves them to a process of its own
(:func:`refresh_later`, ``python -m kg.tallies STORE``), which waits for the build to release the
store. A marker file in the store's directory (:data:`STALE_FILE`) says that tallies are
being refreshed, so that ``kg stats`` can say so and a later build can start the refresh again
if that process was stopped.
"""

from __future__ import annotations

import os
import subprocess
import sys

from kg.errors import StoreError
from kg.store import Change, GraphStore

STALE_FILE = "kg-tallies-stale"
WAIT = 300.0  # seconds the refresh waits for the store (a build may hold it)


def refresh_tallies(store: GraphStore) -> int:
    """Recompute the tallies of ``store`` and write what differs; the number of triples changed."""
    from kg.incremental import tallies

    engine = store.lookup_source()
    if engine is None:
        raise StoreError("tallies are refreshed on their own only in an embedded store")
    old, new = tallies(engine)
    removed, added = sorted(set(old) - set(new)), sorted(set(new) - set(old))
    if removed or added:
        store.apply(Change(inferred_removed="\n".join(removed), inferred_added="\n".join(added)))
    _mark(store, stale=False)
    return len(removed) + len(added)


def stale(path: str) -> bool:
    """Whether the tallies of the store at ``path`` are being refreshed (or should be)."""
    return os.path.exists(os.path.join(path, STALE_FILE))


def refresh_later(store: GraphStore) -> bool:
    """Start a process that refreshes the tallies once ``store`` is released (False when the store
    is not on disk: then the caller refreshes them itself)."""
    path = getattr(store, "path", None)
    if store.lookup_source() is None or not path or not os.path.isdir(path):
        return False
    _mark(store, stale=True)
    subprocess.Popen(
        [sys.executable, "-m", "kg.tallies", os.path.abspath(path)],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        close_fds=True,
    )  # fmt: skip
    return True


def mark_stale(store: GraphStore) -> None:
    """Say, before a change that moves the tallies is committed, that they must be refreshed: a
    build killed between its commit and the refresh leaves the mark, and the next build refreshes."""
    _mark(store, stale=True)


def _mark(store: GraphStore, *, stale: bool) -> None:
    path = getattr(store, "path", None)
    if not path or not os.path.isdir(path):
        return
    marker = os.path.join(path, STALE_FILE)
    if stale:
        with open(marker, "w", encoding="ascii") as fh:
            fh.write(str(os.getpid()))
    elif os.path.exists(marker):
        os.unlink(marker)


def main(argv: list[str]) -> int:
    from kg.store import open_store

    if len(argv) != 1:
        print("usage: python -m kg.tallies STORE", file=sys.stderr)
        return 2
    try:
        store = open_store(argv[0], wait=WAIT)
        try:
            refresh_tallies(store)
        finally:
            store.close()
    except StoreError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
