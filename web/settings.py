"""The web app's settings, declared once with their default and help (``KG_<NAME>`` overrides)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str


SETTINGS = (
    Setting(
        "STORE", "kg-store", "The store directory to serve (built with `kg build`); the bundled readouts when it is empty."
    ),
    Setting("STORE_UPDATE_URL", "", "The update endpoint of a SPARQL server STORE, when it is not the query endpoint."),
    Setting("QUERY_TIMEOUT", 10.0, "Seconds a SPARQL query may run before it is stopped and answered with 503."),
    Setting("ROW_CAP", 10_000, "Most rows (or triples) a query returns; a cut result says so (X-KG-Truncated)."),
    Setting("MAX_ANSWER_BYTES", 32_000_000, "Most bytes of rows (or triples) in one answer; a cut result says so."),
    Setting("WORKER_MEMORY_MB", 1024, "Resident memory a query may take before it is stopped and answered with 503."),
    Setting("QUERY_WORKERS", 4, "Worker processes that evaluate queries (one query each at a time)."),
    Setting("QUERIES_PER_CLIENT", 1, "Queries one client address runs at once while others wait (fair sharing)."),
    Setting("ALLOW_UPDATES", False, "Accept SPARQL updates on /sparql (403 otherwise)."),
    Setting("MAX_CONTENT_LENGTH", 1_000_000, "Largest request body in bytes."),
    Setting("TRUSTED_HOSTS", ["127.0.0.1", "localhost", "[::1]"], "Host names the app answers to (DNS rebinding)."),
)


def defaults() -> dict[str, Any]:
    return {s.name: s.default for s in SETTINGS}
