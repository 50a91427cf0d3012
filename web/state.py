"""The app's hold on the graph: the store as ``kg`` serves it (snapshots and query workers)."""

from __future__ import annotations

import atexit
from pathlib import Path

from flask import Flask, current_app, request

import kg

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "readouts"


def init_app(app: Flask) -> None:
    served = kg.serve(app.config["STORE"], workers=app.config["QUERY_WORKERS"], timeout=app.config["QUERY_TIMEOUT"],
                      row_cap=app.config["ROW_CAP"], byte_cap=app.config["MAX_ANSWER_BYTES"],
                      memory_mb=app.config["WORKER_MEMORY_MB"], per_client=app.config["QUERIES_PER_CLIENT"],
                      update_url=app.config["STORE_UPDATE_URL"] or None,
                      bundled=[str(BUNDLED)])  # fmt: skip
    app.extensions["kg"] = served
    atexit.register(served.close)


def get() -> kg.Served:
    return current_app.extensions["kg"]  # type: ignore[no-any-return]


def client() -> str:
    """Who asks, for sharing the query workers fairly: the peer's address (a proxy in front makes
    all its clients one; QUERIES_PER_CLIENT then still lets them use every worker but one)."""
    return request.remote_addr or ""
