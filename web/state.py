"""The app's hold on the graph: the store (for updates and exports) and the query service."""

from __future__ import annotations

import atexit
import os
import tempfile
from pathlib import Path

import pyoxigraph as ox
from flask import Flask, current_app

from kg.build import build
from kg.service import QueryService
from kg.store import GraphStore, open_store

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "readouts"


class State:
    def __init__(self, store: GraphStore, service: QueryService, *, temporary: str | None = None) -> None:
        self.store = store
        self.service = service
        self.temporary = temporary

    def reload(self) -> None:
        """A new snapshot for the query workers (after an update)."""
        old = self.service
        self.service = QueryService(self.store.dump(ox.RdfFormat.N_QUADS), workers=old_workers(old),
                                    timeout=old.timeout, row_cap=old.row_cap)  # fmt: skip
        old.close()

    def close(self) -> None:
        self.service.close()
        self.store.close()


def old_workers(service: QueryService) -> int:
    return max(1, len(service._all))


def init_app(app: Flask) -> None:
    path = app.config["STORE"]
    temporary = None
    from kg.remote import is_remote

    if not is_remote(path) and (not os.path.isdir(path) or not os.listdir(path)):
        temporary = tempfile.mkdtemp(prefix="kg-serve-")
        path = os.path.join(temporary, "kg")
        store = open_store(path)
        build([str(BUNDLED)], store)  # nothing built: serve the bundled readouts
    else:
        store = open_store(path)
    service = QueryService(store.dump(ox.RdfFormat.N_QUADS), workers=app.config["QUERY_WORKERS"],
                           timeout=app.config["QUERY_TIMEOUT"], row_cap=app.config["ROW_CAP"])  # fmt: skip
    state = State(store, service, temporary=temporary)
    app.extensions["kg"] = state
    atexit.register(state.close)


def get() -> State:
    return current_app.extensions["kg"]
