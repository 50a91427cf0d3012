"""The W3C SPARQL query-evaluation suites: their manifests read, their data loaded, answers compared.

The helper of ``tests/test_w3c_query_eval.py``. In: the folder of the suites
(``../shared/w3c/query-eval``, beside the checkout; never read by the project itself). Out:
:class:`Case` (one test of a manifest), the data of every case as N-Triples per graph
(:func:`graph_files`, :func:`ntriples_of`), the expected answer of a case (:func:`expected`) and
answers in any results or graph format read into :class:`Outcome` and compared with it
(:func:`compare`).

Test files get IRIs under :data:`BASE`, mirroring the folder layout (``BASE + "sparql11/bind/data.ttl"``),
so that relative IRIs resolve the same way in data, queries and expected results: each data file
is one named graph called by its IRI, and a query's relative IRIs resolve against its own file's IRI.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Namespace, URIRef
from rdflib.term import Node
from rdflib.collection import Collection
from rdflib.namespace import RDF

from kg import sparql
from kg.errors import QueryError

SUITES = Path(__file__).resolve().parents[2] / "shared" / "w3c" / "query-eval"
BASE = "https://w3c.test/query-eval/"
EMPTY_GRAPH = "https://w3c.test/empty-graph"  # the default graph of a test that has no qt:data (no such graph)

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
_RDF_TYPE = ox.NamedNode(str(RDF.type))

# the manifests' test types, as this runner runs them
KINDS = {
    "QueryEvaluationTest": "eval",
    "CSVResultFormatTest": "eval",
    "PositiveSyntaxTest": "syntax+",
    "PositiveSyntaxTest11": "syntax+",
    "NegativeSyntaxTest": "syntax-",
    "NegativeSyntaxTest11": "syntax-",
    "PositiveUpdateSyntaxTest11": "update-syntax+",
    "NegativeUpdateSyntaxTest11": "update-syntax-",
}
# Left out (counted by :func:`cases` in ``skipped``): the entailment tests (sparql11/entailment,
# 70 evaluation tests: they need a reasoner under the query), the SERVICE tests (sparql11/service,
# 7: they call other endpoints, which this service refuses by policy), and what is not a query:
# update evaluation (94), graph store protocol (13) and service description (3) tests.
LEFT_OUT_FOLDERS = {"entailment": "entailment", "service": "SERVICE (federation)"}


@dataclass(frozen=True)
class Case:
    """One test of a manifest."""

    id: str  # suite/folder/name, e.g. "sparql11/bind/bind01"
    kind: str  # eval, syntax+, syntax-, update-syntax+, update-syntax-
    query: Path
    data: tuple[str, ...] = ()  # IRIs of the qt:data files (the default graph)
    graph_data: tuple[str, ...] = ()  # IRIs of the qt:graphData files (named graphs)
    result: Path | None = None
    lax: bool = False  # mf:LaxCardinality: duplicates may be dropped or kept (REDUCED)

    @property
    def name(self) -> str:
        return self.id.rsplit("/", 1)[-1]

    @property
    def query_iri(self) -> str:
        return iri_of(self.query)


def iri_of(path: Path) -> str:
    """The IRI of a file of the suites."""
    return BASE + path.resolve().relative_to(SUITES).as_posix()


def path_of(iri: str) -> Path | None:
    """The file an IRI under :data:`BASE` names, when it is one of the suites'."""
    if not iri.startswith(BASE):
        return None
    path = SUITES / iri[len(BASE) :]
    return path if path.is_file() else None


@dataclass
class Suite:
    """The cases of a suite's manifests, and how many tests were left out (by reason)."""

    cases: list[Case] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)


def read_suite(root: Path) -> Suite:
    """Every test of the manifest at ``root`` and of the manifests it includes (``mf:include``)."""
    suite = Suite()
    _read_manifest(root, suite, set())
    return suite


def _read_manifest(path: Path, suite: Suite, seen: set[Path]) -> None:
    if path in seen:
        return
    seen.add(path)
    g = Graph().parse(path, format="turtle", publicID=iri_of(path))
    for manifest in g.subjects(RDF.type, MF.Manifest):
        for included in g.objects(manifest, MF.include):
            for sub in Collection(g, included):
                sub_path = path_of(str(sub))
                if sub_path is None:
                    suite.skipped["a manifest not in the copy"] += 1
                else:
                    _read_manifest(sub_path, suite, seen)
        for entries in g.objects(manifest, MF.entries):
            for entry in Collection(g, entries):
                _read_entry(g, entry, path, suite)


def _read_entry(g: Graph, entry: Node, manifest: Path, suite: Suite) -> None:
    types = [str(t).rsplit("#", 1)[-1] for t in g.objects(entry, RDF.type)]
    kind = next((KINDS[t] for t in types if t in KINDS), None)
    folder = manifest.parent.name
    if kind is None:
        suite.skipped[f"{types[0] if types else 'untyped'} (not a query test)"] += 1
        return
    if folder in LEFT_OUT_FOLDERS:
        suite.skipped[LEFT_OUT_FOLDERS[folder]] += 1
        return
    action = g.value(entry, MF.action)
    query: Node | None
    data: list[str] = []
    graph_data: list[str] = []
    if isinstance(action, URIRef):  # syntax tests: the action is the query file
        query = action
    else:
        query = g.value(action, QT.query)
        data = sorted(str(d) for d in g.objects(action, QT.data))
        graph_data = sorted(str(d) for d in g.objects(action, QT.graphData))
    result = g.value(entry, MF.result)
    name = str(entry).rsplit("#", 1)[-1] if "#" in str(entry) else str(entry).rstrip("/").rsplit("/", 1)[-1]
    query_path = path_of(str(query))
    if query_path is None:
        suite.skipped["a query file not in the copy"] += 1
        return
    if kind in ("syntax+", "syntax-") and query_path.suffix == ".ru":
        kind = "update-" + kind  # an update syntax test typed as a query one (sparql11/delete-insert)
    suite.cases.append(
        Case(
            id=f"{manifest.parent.relative_to(SUITES).as_posix()}/{name}",
            kind=kind,
            query=query_path,
            data=tuple(data),
            graph_data=tuple(graph_data),
            result=path_of(str(result)) if result is not None else None,
            lax=(entry, MF.resultCardinality, MF.LaxCardinality) in g,
        )
    )


# ---- data


_RDF_FORMATS = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "rdf": ox.RdfFormat.RDF_XML}


def query_dataset(case: Case) -> tuple[list[str], list[str]]:
    """The query's own FROM and FROM NAMED graphs (resolved against the query file)."""
    try:
        op = sparql.parse(case.query.read_text(encoding="utf-8"), base=case.query_iri)
    except (QueryError, UnicodeDecodeError):
        return [], []
    return op.from_graphs, op.from_named


def graph_files(cases: Iterable[Case]) -> list[str]:
    """The IRIs of every data file the evaluation cases read: qt:data, qt:graphData and the files
    their queries name in FROM and FROM NAMED."""
    found: set[str] = set()
    for case in cases:
        if case.kind != "eval":
            continue
        found.update(case.data, case.graph_data)
        for iri in (g for graphs in query_dataset(case) for g in graphs):
            if path_of(iri) is not None:
                found.add(iri)
    return sorted(found)


def ntriples_of(iri: str) -> str:
    """The file at ``iri`` as N-Triples (its relative IRIs resolved against ``iri``; its blank
    nodes renamed, so that no two files share one)."""
    path = path_of(iri)
    assert path is not None, iri
    fmt = _RDF_FORMATS[path.suffix[1:]]
    triples = ox.parse(path=path, format=fmt, base_iri=iri, rename_blank_nodes=True)
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")  # type: ignore[union-attr]


# ---- answers

Term = ox.NamedNode | ox.BlankNode | ox.Literal
Row = tuple[Term | None, ...]


@dataclass
class Outcome:
    """An answer read back: a boolean, a table (variables and rows) or a graph (canonical quads)."""

    boolean: bool | None = None
    variables: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)
    graph: set[str] | None = None  # N-Triples lines of the canonicalised graph
    error: str | None = None

    def describe(self, limit: int = 12) -> str:
        if self.error is not None:
            return f"error: {self.error}"
        if self.boolean is not None:
            return f"boolean {self.boolean}"
        if self.graph is not None:
            return f"graph of {len(self.graph)} triples: " + " | ".join(sorted(self.graph)[:limit])
        shown = [" ".join("-" if t is None else str(t) for t in row) for row in self.rows[:limit]]
        return f"{len(self.rows)} rows of {list(self.variables)}: " + " | ".join(shown)


RESULT_FORMATS = {"srx": ox.QueryResultsFormat.XML, "srj": ox.QueryResultsFormat.JSON, "tsv": ox.QueryResultsFormat.TSV}


def read_results(body: bytes, fmt: str) -> Outcome:
    """An answer in a results format (``srx``, ``srj``, ``tsv``, ``csv``) read back."""
    if fmt == "csv":
        return read_csv(body)
    parsed = ox.parse_query_results(body, RESULT_FORMATS[fmt])
    if isinstance(parsed, ox.QueryBoolean):
        return Outcome(boolean=bool(parsed))
    names = tuple(v.value for v in parsed.variables)
    return Outcome(variables=names, rows=[tuple(sol[n] for n in names) for sol in parsed])


def read_csv(body: bytes) -> Outcome:
    """SPARQL CSV read back: each cell a plain literal of its text, ``_:x`` a blank node, an
    empty cell unbound (CSV keeps no more). Lines may end with CRLF or LF."""
    lines = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    if not lines:
        return Outcome(error="empty CSV")
    names = tuple(lines[0])

    def cell(text: str) -> Term | None:
        if text == "":
            return None
        if text.startswith("_:"):
            return ox.BlankNode(text[2:])
        return ox.Literal(text)

    return Outcome(variables=names, rows=[tuple(cell(c) for c in line) for line in lines[1:] if line])


def read_graph(body: bytes | Path, fmt: ox.RdfFormat, base: str | None = None) -> Outcome:
    """A graph read and canonicalised (blank nodes named by the graph's shape)."""
    if isinstance(body, Path):
        triples = list(ox.parse(path=body, format=fmt, base_iri=base))
    else:
        triples = list(ox.parse(body, format=fmt, base_iri=base))
    return graph_outcome(triples)


def graph_outcome(triples: Iterable[ox.Triple | ox.Quad]) -> Outcome:
    """Triples as a canonical graph."""
    ds = ox.Dataset(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
    ds.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return Outcome(graph={f"{q.subject} {q.predicate} {q.object} ." for q in ds})


def read_result_set(path: Path, fmt: ox.RdfFormat, base: str) -> Outcome:
    """A result written as RDF (the DAWG result-set vocabulary, ``rs:``), or the graph it is when
    it is not one. Solutions with ``rs:index`` are returned in that order."""
    triples = list(ox.parse(path=path, format=fmt, base_iri=base))
    rs = next((t.subject for t in triples if t.predicate == _RDF_TYPE and t.object == ox.NamedNode(RS + "ResultSet")), None)
    if rs is None:
        return graph_outcome(triples)
    by_subject: dict[Term, dict[str, list[Term]]] = {}
    for t in triples:
        if t.predicate.value.startswith(RS) and not isinstance(t.object, ox.Triple):
            props = by_subject.setdefault(t.subject, {})  # type: ignore[arg-type]
            props.setdefault(t.predicate.value[len(RS) :], []).append(t.object)

    def values(node: Term, prop: str) -> list[Term]:
        return by_subject.get(node, {}).get(prop, [])

    boolean = values(rs, "boolean")  # type: ignore[arg-type]
    if boolean:
        return Outcome(boolean=boolean[0].value == "true")
    names = tuple(sorted(v.value for v in values(rs, "resultVariable")))  # type: ignore[arg-type]
    solutions: list[tuple[int, Row]] = []
    for sol in values(rs, "solution"):  # type: ignore[arg-type]
        bound = {values(b, "variable")[0].value: values(b, "value")[0] for b in values(sol, "binding")}
        index = values(sol, "index")
        solutions.append((int(index[0].value) if index else 0, tuple(bound.get(n) for n in names)))
    solutions.sort(key=lambda s: s[0])
    return Outcome(variables=names, rows=[row for _, row in solutions])


def expected(case: Case) -> Outcome:
    """The answer the case expects, from its result file."""
    assert case.result is not None
    ext = case.result.suffix[1:]
    base = iri_of(case.result)
    if ext in ("srx", "srj", "tsv", "csv"):
        return read_results(case.result.read_bytes(), ext)
    return read_result_set(case.result, _RDF_FORMATS[ext], base)


# ---- comparing


def order_variables(query: str) -> list[str] | None:
    """The variables the outermost ORDER BY of a query sorts by (None when it has none)."""
    try:
        toks = sparql.tokens(query)
    except QueryError:
        return None
    for i, t in enumerate(toks):
        if t.depth == 0 and t.keyword == "ORDER" and i + 1 < len(toks) and toks[i + 1].keyword == "BY":
            out: list[str] = []
            for u in toks[i + 2 :]:
                if u.depth == 0 and u.keyword in ("LIMIT", "OFFSET", "VALUES"):
                    break
                if u.kind == "var":
                    out.append(u.text[1:])
            return out
    return None


def compare(expect: Outcome, got: Outcome, *, order: Sequence[str] | None = None, lax: bool = False) -> str | None:
    """How ``got`` differs from ``expect`` (None when it does not): booleans equal, graphs
    isomorphic, tables equal as bags of rows up to a renaming of blank nodes, with rows in the
    expected order as far as the ORDER BY variables (``order``) determine it; with ``lax``,
    duplicates may be dropped."""
    if expect.error is not None:  # comparing two answers: both failed, or not
        return None if got.error is not None else f"expected a failure ({expect.error}), got {got.describe()}"
    if got.error is not None:
        return got.error
    if expect.boolean is not None or got.boolean is not None:
        return None if expect.boolean == got.boolean else f"expected boolean {expect.boolean}, got {got.describe()}"
    if expect.graph is not None or got.graph is not None:
        if expect.graph == got.graph:
            return None
        assert expect.graph is not None
        missing = sorted(expect.graph - (got.graph or set()))[:5]
        extra = sorted((got.graph or set()) - expect.graph)[:5]
        return f"graphs differ: missing {missing}, unexpected {extra}"
    if set(expect.variables) != set(got.variables):
        return f"variables differ: expected {sorted(expect.variables)}, got {sorted(got.variables)}"
    columns = [got.variables.index(v) for v in expect.variables]
    rows = [tuple(r[c] for c in columns) for r in got.rows]
    want = list(expect.rows)
    if lax:
        want, rows = _distinct(want), _distinct(rows)
    if not _bag_isomorphic(want, rows):
        shown = Outcome(variables=expect.variables, rows=rows)
        return f"rows differ:\n  expected {expect.describe()}\n  got      {shown.describe()}"
    if order:
        keys = [expect.variables.index(v) for v in order if v in expect.variables]
        if len(keys) == len(order):  # sorted by what the answer shows: the order is checkable
            a = [_key(r, keys) for r in want]
            b = [_key(r, keys) for r in rows]
            if a != b:
                return f"rows out of order (ORDER BY {' '.join(order)}):\n  expected {a}\n  got      {b}"
    return None


def _key(row: Row, keys: list[int]) -> tuple[str, ...]:
    return tuple("_:" if isinstance(row[k], ox.BlankNode) else str(row[k]) for k in keys)


def _distinct(rows: list[Row]) -> list[Row]:
    out: list[Row] = []
    for r in rows:
        if r not in out:
            out.append(r)
    return out


def _shape(row: Row) -> tuple[str, ...]:
    return tuple("_:" if isinstance(t, ox.BlankNode) else "" if t is None else str(t) for t in row)


def _bag_isomorphic(a: list[Row], b: list[Row]) -> bool:
    """Whether two bags of rows are equal up to a one-to-one renaming of blank nodes."""
    if len(a) != len(b) or Counter(map(_shape, a)) != Counter(map(_shape, b)):
        return False
    if not any(isinstance(t, ox.BlankNode) for r in a for t in r):
        return Counter(a) == Counter(b)
    pending = sorted(a, key=_shape)
    candidates = {s: [r for r in b if _shape(r) == s] for s in set(map(_shape, a))}
    return _match(pending, 0, candidates, {}, {}, set())


def _match(rows: list[Row], i: int, candidates: dict[tuple[str, ...], list[Row]], forward: dict[str, str],
           backward: dict[str, str], used: set[tuple[tuple[str, ...], int]]) -> bool:  # fmt: skip
    """Backtracking: rows[i:] matched with unused candidates, extending the blank node mapping."""
    if i == len(rows):
        return True
    row = rows[i]
    shape = _shape(row)
    for j, other in enumerate(candidates[shape]):
        if (shape, j) in used:
            continue
        added = _extend(row, other, forward, backward)
        if added is None:
            continue
        used.add((shape, j))
        if _match(rows, i + 1, candidates, forward, backward, used):
            return True
        used.discard((shape, j))
        for x in added:
            del backward[forward.pop(x)]
    return False


def _extend(row: Row, other: Row, forward: dict[str, str], backward: dict[str, str]) -> list[str] | None:
    """Map the blank nodes of ``row`` onto those of ``other`` consistently with the mapping so far;
    the labels newly mapped, or None when they cannot be."""
    added: list[str] = []
    for x, y in zip(row, other, strict=True):
        if not isinstance(x, ox.BlankNode):
            continue
        assert isinstance(y, ox.BlankNode)
        known = forward.get(x.value)
        if known is None and y.value not in backward:
            forward[x.value] = y.value
            backward[y.value] = x.value
            added.append(x.value)
        elif known != y.value:
            for k in added:
                del backward[forward.pop(k)]
            return None
    return added


def rows_of(solutions: ox.QuerySolutions) -> Outcome:
    """pyoxigraph's own solutions as an :class:`Outcome`."""
    names = tuple(v.value for v in solutions.variables)
    return Outcome(variables=names, rows=[tuple(sol[n] for n in names) for sol in solutions])
