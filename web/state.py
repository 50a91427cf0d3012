"""The app's hold on the graph: the store as ``kg`` serves it (snapshots and query workers)."""

from __future__ import annotations

import atexit
from pathlib import Path

from flask import Flask, current_app

import kg

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "readouts"


def init_app(app: Flask) -> None:
    served = kg.serve(app.config["STORE"], workers=app.config["QUERY_WORKERS"], timeout=app.config["QUERY_TIMEOUT"],
                      row_cap=app.config["ROW_CAP"], update_url=app.config["STORE_UPDATE_URL"] or None,
                      bundled=[str(BUNDLED)])  # fmt: skip
    app.extensions["kg"] = served
    atexit.register(served.close)


def get() -> kg.Served:
    return current_app.extensions["kg"]  # type: ignore[no-any-return]
