"""The engine's parser as a syntax check: nothing reached, nothing run.

In: a request as :func:`kg.sparql.parse` read it. Out: nothing, or
:class:`~kg.errors.QueryError` when the engine (pyoxigraph) cannot parse it.

It is used before a ``SERVICE`` or ``LOAD`` is refused (:func:`kg.sparql.check`), so that a
malformed request is answered as malformed (400) rather than refused (403), as the SPARQL syntax
tests ask. The engine is given :func:`kg.sparql.for_parsing`'s text (every ``SERVICE`` and
``LOAD`` pointed nowhere, an ``ASK`` written as a ``SELECT``) and runs none of it: a query is
prepared on an empty store and its solutions are never read; an update goes to an empty store
opened read-only, which parses it and then refuses to start the transaction.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import threading

import pyoxigraph as ox

from kg import sparql
from kg.errors import QueryError

_lock = threading.Lock()
_read_only: list[ox.Store] = []


def _empty_read_only() -> ox.Store:
    """An empty store opened read-only (made once per process, in a temporary folder removed at exit)."""
    with _lock:
        if not _read_only:
            path = tempfile.mkdtemp(prefix="kg-syntax-")
            atexit.register(shutil.rmtree, path, True)
            ox.Store(path).flush()  # created, then closed: its only reference is dropped
            _read_only.append(ox.Store.read_only(path))
        return _read_only[0]


def engine_parses(op: sparql.Operation) -> None:
    """Raise :class:`~kg.errors.QueryError` when the engine cannot parse the request."""
    text = sparql.for_parsing(op)
    base, prefixes = op.given_base, op.given_prefixes or None
    try:
        if op.kind == "update":
            _empty_read_only().update(text, base_iri=base, prefixes=prefixes)
        else:
            ox.Store().query(text, base_iri=base, prefixes=prefixes)  # prepared; its solutions are never read
    except SyntaxError as exc:
        raise QueryError(f"malformed {op.kind}: {exc}") from None
    except (OSError, RuntimeError, ValueError, TypeError):
        pass  # parsed: what failed is running it (a read-only store refuses the transaction)
