"""The store: named graphs queried with SPARQL, embedded on disk by default or on a SPARQL server.

In: a location (a directory, or the URL of a SPARQL 1.1 endpoint). Out: a
:class:`~kg.store.base.GraphStore`. ``base`` holds the interface, ``spool`` the temporary files
a build writes, ``embedded`` the Oxigraph implementation, ``remote`` the server one.
"""

from __future__ import annotations

from kg.store.base import DEFAULT_STORE, Change, Dataset, GraphStore
from kg.store.spool import GraphSpool, as_nquads


def is_remote(location: str | None) -> bool:
    """Whether a location is the URL of a SPARQL server (else it is a directory)."""
    return bool(location) and str(location).lower().startswith(("http://", "https://"))


def open_store(location: str | None = None, *, update_url: str | None = None, read_only: bool = False,
               wait: float = 0.0) -> GraphStore:  # fmt: skip
    """The store at ``location``: a directory (the default is ``./kg-store``), or the URL of a
    SPARQL 1.1 endpoint (``update_url`` names its update endpoint when that differs). ``wait``:
    seconds to wait for an embedded store that another process holds."""
    if location and is_remote(location):
        from kg.store.remote import SparqlStore

        return SparqlStore(location, update_url)
    from kg.store.embedded import OxigraphStore

    return OxigraphStore(location or DEFAULT_STORE, read_only=read_only, wait=wait)


__all__ = ["DEFAULT_STORE", "Change", "Dataset", "GraphSpool", "GraphStore", "as_nquads", "is_remote", "open_store"]
