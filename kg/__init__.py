"""kg: a knowledge graph of bilateral diplomatic relations built from readouts.

The facade: the functions the two faces (the ``kg`` command and the web app) call, each a thin
call into the part that does the work, imported when first used (``import kg`` stays light). The
faces import nothing else of ``kg`` but :mod:`kg.errors`; a test holds every module to the layout.
"""

from __future__ import annotations

import sys
import types
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"


class _Facade(types.ModuleType):
    """The package keeps its facade functions when a submodule of the same name is imported
    (``kg.build`` stays the function; the module is ``sys.modules["kg.build"]``, which is what
    ``from kg.build import ...`` reads)."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and isinstance(self.__dict__.get(name), types.FunctionType):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Facade

if TYPE_CHECKING:  # names for annotations only: nothing is imported at run time
    from kg.alignments import Alignment
    from kg.browse import ReadoutView, Resource, Select, Span
    from kg.build import BuildReport
    from kg.formats import Format
    from kg.load import Readout
    from kg.queries import Example
    from kg.serving import Served
    from kg.store import GraphStore
    from kg.validate import Validation

DEFAULT_STORE = "kg-store"


# ---- the store


def open_store(location: str | None = None, *, update_url: str | None = None, read_only: bool = False,
               wait: float = 0.0) -> GraphStore:  # fmt: skip
    """The store at ``location`` (a directory or a SPARQL endpoint URL), created when missing."""
    from kg.store import open_store as _open

    return _open(location, update_url=update_url, read_only=read_only, wait=wait)


def open_existing(location: str, *, update_url: str | None = None, wait: float = 10.0) -> GraphStore:
    """A store that must already exist: :class:`~kg.errors.NoStoreError` for a directory that holds
    none, :class:`~kg.errors.StoreError` for a server that does not answer."""
    import os

    from kg.errors import NoStoreError
    from kg.store import is_remote

    if is_remote(location):
        store = open_store(location, update_url=update_url)
        store.graphs()  # reachable, and answering SPARQL
        return store
    if not os.path.isdir(location):
        raise NoStoreError(f"no store at {location}: run `kg build PATH... --store {location}` first")
    # a store this process cannot write (a read-only file system, say) is read as it is
    return open_store(location, wait=wait, read_only=not os.access(location, os.W_OK))


def is_remote(location: str | None) -> bool:
    from kg.store import is_remote as _is_remote

    return _is_remote(location)


# ---- reading and building


def load(paths: Iterable[str], *, date: str | None = None, publisher: str | None = None) -> Iterator[Readout | Exception]:
    """Readouts under ``paths`` (files, directories, globs), or the error of each that fails to load."""
    from kg.load import load as _load

    return _load(paths, date=date, publisher=publisher)


def expand_paths(paths: Iterable[str]) -> list[str]:
    from kg.load import expand_paths as _expand

    return list(_expand(paths))


def extract(readout: Readout) -> dict[str, Any]:
    """One readout's GUIDE record."""
    from kg.extract import extract as _extract

    return _extract(readout)


def extract_all(paths: Iterable[str], *, date: str | None = None, publisher: str | None = None,
                seconds: float | None = 60.0) -> Iterator[dict[str, Any] | Exception]:  # fmt: skip
    """The record of each readout under ``paths``, or the error of each that fails to load or to be
    extracted (a rule that trips on one readout, or one that takes more than ``seconds``, does not
    sink the batch)."""
    from kg.extract import extract_isolated
    from kg.load import load as _load

    for item in _load(paths, date=date, publisher=publisher):
        yield item if isinstance(item, Exception) else extract_isolated(item, seconds)


def parse_date(value: str) -> bool:
    """Whether ``value`` is a YYYY-MM-DD date."""
    from kg.dates import parse_iso

    return parse_iso(value) is not None


def build(paths: list[str], store: GraphStore, *, prune: Iterable[str] = (), **options: Any) -> BuildReport:
    """Add or update readouts in ``store``, reasoning included (see :func:`kg.build.build`); then, for
    each folder in ``prune``, remove the readouts built from under it whose file is gone."""
    from kg.build import build as _build
    from kg.remove import gone, remove as _remove

    report = _build(paths, store, **options)
    folders = list(prune)
    if folders:
        graphs = gone(store, folders)
        if graphs:
            removal = _remove(store, graphs, stage=options.get("stage"), tallies=options.get("tallies", "now"))
            report.removed, report.notes = removal.removed, [*report.notes, *removal.notes]
            report.tallies = removal.tallies or report.tallies
            report.delta = report.delta or removal.delta
            report.inference = removal.inference or report.inference
            report.seconds["remove"] = removal.seconds.get("total", 0.0)
    return report


def remove(store: GraphStore, readouts: Iterable[str], **options: Any) -> BuildReport:
    """Take readouts (file paths, names or IRIs) out of ``store`` with what was inferred from them
    (see :func:`kg.remove.remove`); :class:`kg.remove.UnknownReadout` when one is not there."""
    from kg.remove import remove as _remove, resolve

    return _remove(store, resolve(store, readouts), **options)


# ---- the read side


def query(store: GraphStore, text: str) -> object:
    from kg.query import run

    return run(store, text)


def format_result(result: object, fmt: str) -> str:
    from kg.query import format_result as _format

    return _format(result, fmt)


def query_formats() -> tuple[str, ...]:
    from kg.query import CHOICES

    return CHOICES


def export_formats() -> tuple[str, ...]:
    from kg.formats import EXPORT_FORMATS

    return EXPORT_FORMATS


def export_format(name: str) -> Format:
    from kg.formats import get

    return get(name, "graph")


def format_by_extension(extension: str) -> Format | None:
    from kg.formats import EXPORT_FORMATS, by_extension

    return by_extension(extension, among=EXPORT_FORMATS)


def media_types_named(value: str) -> list[str]:
    """The media type of each format called ``value`` or with that file extension (``csv``, ``json``,
    ``ttl`` ...; results formats first): what a ``format=`` parameter asks for."""
    from kg.formats import FORMATS

    found = [f for f in FORMATS.values() if value.lower() == f.name or value.lower() in f.extensions]
    return [f.media_types[0] for f in sorted(found, key=lambda f: f.kind != "results")]


def export(store: GraphStore, fmt: str, selection: str = "all") -> bytes:
    from kg.export import export_bytes

    return export_bytes(store, fmt, selection)


def select_graphs(store: GraphStore, selection: str) -> list[str]:
    from kg.export import select_graphs as _select

    return _select(store, selection)


def write_atomically(path: str, data: bytes) -> None:
    from kg.export import write_atomically as _write

    _write(path, data)


def alignments(store: GraphStore, *, state: str | None = None, issue: str | None = None,
               relation: str | None = None) -> list[Alignment]:  # fmt: skip
    from kg.alignments import alignments as _alignments

    return _alignments(store, state=state, issue=issue, relation=relation)


def explain(store: GraphStore, source: str, relation: str, target: str, *, issue: str | None = None) -> Alignment | None:
    """The alignment ``source relation target`` with every position behind it, or None."""
    from kg.alignments import explain as _explain

    return _explain(store, source, relation, target, issue=issue)


def relations() -> tuple[str, ...]:
    from kg.alignments import RELATIONS

    return RELATIONS


def derivation(relation: str) -> str:
    from kg.alignments import DERIVATION

    return DERIVATION[relation]


def stats(store: GraphStore) -> dict[str, object]:
    from kg.stats import stats as _stats

    return _stats(store)


def validate(store: GraphStore) -> Validation:
    from kg.validate import validate as _validate

    return _validate(store)


def examples() -> list[Example]:
    from kg.queries import examples as _examples

    return _examples()


# ---- what the web pages show


def serve(location: str, *, workers: int = 4, timeout: float = 10.0, row_cap: int = 10_000,
          byte_cap: int = 32_000_000, memory_mb: int = 1024, per_client: int = 1, update_url: str | None = None,
          bundled: list[str] | None = None) -> Served:  # fmt: skip
    """The store at ``location`` as a server serves it (snapshots, query workers, a watcher);
    an empty store serves the readouts under ``bundled``, built into a temporary store."""
    from kg.serving import Served

    def build_bundled(store: GraphStore) -> None:
        build(list(bundled or []), store)

    return Served(location, workers=workers, timeout=timeout, row_cap=row_cap, byte_cap=byte_cap,
                  memory_mb=memory_mb, per_client=per_client, update_url=update_url,
                  bundled=build_bundled if bundled else None)  # fmt: skip


def selector(run: Callable[[str], tuple[int, bytes]]) -> Select:
    from kg.browse import selector as _selector

    return _selector(run)


def resource(select: Select, iri: str) -> Resource:
    from kg.browse import resource as _resource

    return _resource(select, iri)


def readout(select: Select, iri: str) -> ReadoutView | None:
    from kg.browse import readout as _readout

    return _readout(select, iri)


def segments(text: str, spans: list[Span]) -> list[tuple[str, list[Span]]]:
    from kg.browse import segments as _segments

    return _segments(text, spans)


def network(select: Select, **filters: Any) -> dict[str, Any]:
    from kg.analyse import network as _network

    return _network(select, **filters)


def curie(iri: str) -> str:
    """An IRI as a prefixed name when a predeclared prefix fits (``dip:holder``), else itself."""
    from kg.namespaces import curie as _curie

    return _curie(iri)


def is_own(iri: str) -> bool:
    """Whether an IRI names one of our resources (it has a page)."""
    from kg.namespaces import BASE

    return iri.startswith(BASE)


def is_instance(iri: str) -> bool:
    """Whether an IRI names one of our instances (``id/...``)."""
    from kg.namespaces import ID

    return iri.startswith(str(ID))


def is_readout(types: Iterable[str]) -> bool:
    """Whether a resource with these rdf:types is a readout."""
    from kg.namespaces import DIP

    return str(DIP.Readout) in types


def instance_iri(path: str) -> str:
    from kg.namespaces import ID

    return f"{ID}{path}"
