"""Exports: graphs of the store serialised to a file, written atomically.

In: a store, a format name and a graph selection. Out: bytes, or a file written through a
temporary file, fsync and rename (a failed export never leaves a truncated file behind).
Formats come from the one registry, :mod:`kg.formats` (``EXPORT_FORMATS`` names those written).
"""

from __future__ import annotations

import os
import tempfile
from kg import formats
from kg.errors import KgError
from kg.namespaces import GRAPH, INFERRED_GRAPH, ONTOLOGY_GRAPH
from kg.store import GraphStore


def select_graphs(store: GraphStore, selection: str) -> list[str]:
    """Graph IRIs for ``all``, ``asserted``, ``inferred``, ``ontology``, a readout's file name or id, or a graph IRI."""
    graphs = store.graphs()
    if selection == "all":
        return graphs
    if selection == "asserted":
        return [g for g in graphs if g != str(INFERRED_GRAPH)]
    if selection == "inferred":
        return [g for g in graphs if g == str(INFERRED_GRAPH)]
    if selection == "ontology":
        return [g for g in graphs if g == str(ONTOLOGY_GRAPH)]
    if selection in graphs:
        return [selection]
    from kg.namespaces import slug

    for candidate in (f"{GRAPH}readout/{selection}", f"{GRAPH}readout/{slug(selection, 120)}"):
        if candidate in graphs:
            return [candidate]
    raise KgError(
        f"no such graph: {selection!r} (use all, asserted, inferred, ontology, a readout file name or a graph IRI)"
    )


def export_bytes(store: GraphStore, fmt: str, selection: str = "all") -> bytes:
    if fmt not in formats.EXPORT_FORMATS:
        raise KgError(f"unknown format {fmt!r}; one of {', '.join(formats.EXPORT_FORMATS)}")
    return store.dump(formats.get(fmt), select_graphs(store, selection))


def write_atomically(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory, fsync, rename."""
    directory = os.path.dirname(os.path.abspath(path)) or "."
    fd, tmp = tempfile.mkstemp(prefix=".kg-export-", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    dir_fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
