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
from kg.store import GraphStore, OxigraphStore, open_store

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "readouts"


class State:
    def __init__(self, store: GraphStore, service: QueryService, *, temporary: str | None = None) -> None:
        self.store = store
        self.service = service
        self.temporary = temporary

    def reload(self) -> None:
        """New query workers that see the store as it is now (after an update)."""
        old = self.service
        self.service = service_for(self.store, workers=old_workers(old), timeout=old.timeout, row_cap=old.row_cap)
        old.close()

    def close(self) -> None:
        self.service.close()
        self.store.close()


def old_workers(service: QueryService) -> int:
    return max(1, len(service._all))


def service_for(store: GraphStore, *, workers: int, timeout: float, row_cap: int) -> QueryService:
    """Query workers that open an embedded store on disk read-only; for other stores, a snapshot."""
    if isinstance(store, OxigraphStore) and store.path is not None:
        store.flush()
        return QueryService(store_path=store.path, workers=workers, timeout=timeout, row_cap=row_cap)
    return QueryService(store.dump(ox.RdfFormat.N_QUADS), workers=workers, timeout=timeout, row_cap=row_cap)


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
    service = service_for(store, workers=app.config["QUERY_WORKERS"], timeout=app.config["QUERY_TIMEOUT"],
                          row_cap=app.config["ROW_CAP"])  # fmt: skip
    state = State(store, service, temporary=temporary)
    app.extensions["kg"] = state
    atexit.register(state.close)


def get() -> State:
    return current_app.extensions["kg"]
