"""Mapping, store, build, export and validation of the knowledge graph."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from kg.build import build
from kg.errors import StoreInUseError
from kg.export import export_bytes, select_graphs, write_atomically
from kg.formats import FORMATS
from kg.extract import extract
from kg.load import load_file
from kg.mapping import statement_digests, map_readout
from kg.namespaces import DIP, INFERRED_GRAPH, OA, PROV
from kg.store import Change, GraphSpool, as_nquads
from kg.store.embedded import OxigraphStore
from kg.validate import validate, validate_graph
from tests.conftest import FIXTURES, GRAPH_FIXTURES, SEED

STATE = "https://w3id.org/dipkg/id/state/"


def test_mapping_of_a_readout_is_the_expected_graph() -> None:
    r = load_file(str(FIXTURES / "mapping" / "tiny.txt"), publisher="SWE")
    mapped = map_readout(r, extract(r))
    got = mapped.graph
    got.remove((None, DIP.contentHash, None))
    # where the file is (this checkout's folder), and the digests of the statements it gives the shared graph
    assert [str(o) for o in got.objects(None, DIP.sourceFolder)] == [str((FIXTURES / "mapping").resolve())]
    digests = [str(o) for o in got.objects(None, DIP.sharedStatements)]
    assert digests == [" ".join(sorted(statement_digests(mapped.shared)))] and len(digests[0].split()) > 10
    got.remove((None, DIP.sourceFolder, None))
    got.remove((None, DIP.sharedStatements, None))
    expected = Graph().parse(FIXTURES / "mapping" / "tiny.expected.ttl")
    assert isomorphic(got, expected)


def test_mapping_of_the_seed() -> None:
    r = load_file(str(SEED))
    first, second = map_readout(r, extract(r)), map_readout(r, extract(r))
    assert first.ntriples == second.ntriples  # stable IRIs, run after run
    g = first.graph
    assert isomorphic(g, Graph().parse(data=g.serialize(format="turtle"), format="turtle"))
    kgz_taiwan = """
        ASK { ?p dip:holder <https://w3id.org/dipkg/id/state/KGZ> ; dip:stance stance:support ;
                 dip:supportTarget <https://w3id.org/dipkg/id/state/CHN> ; dip:issue issue:Taiwan ;
                 dip:evidence ?a ; prov:wasDerivedFrom ?r ; prov:wasGeneratedBy ?x .
              ?a oa:hasTarget ?t . ?t oa:hasSource ?r ; oa:hasSelector ?q , ?s .
              ?q oa:exact ?exact ; oa:prefix ?prefix ; oa:suffix ?suffix . ?s oa:start ?start ; oa:end ?end .
              ?x a dip:Extraction ; prov:wasAssociatedWith ?sw . ?sw schema:softwareVersion ?v . }"""
    from kg.namespaces import PREFIXES

    assert g.query(kgz_taiwan, initNs=PREFIXES).askAnswer
    text = r.text
    spans = "SELECT ?s ?e ?x WHERE { ?sel oa:start ?s ; oa:end ?e . ?t oa:hasSelector ?sel , ?q . ?q oa:exact ?x }"
    for s, e, exact in g.query(spans, initNs={"oa": OA}):
        assert text[int(s) : int(e)] == str(exact)
    assert len(set(g.objects(None, PROV.wasDerivedFrom))) == 1


def test_build_is_idempotent_and_incremental(tmp_path: Path) -> None:
    store = OxigraphStore(str(tmp_path / "s"))
    first = build([str(SEED)], store)
    assert (first.added, first.unchanged) == (1, 0)
    dump = store.dump(FORMATS["nquads"])
    again = build([str(SEED)], store)
    assert (again.added, again.updated, again.unchanged, again.changed) == (0, 0, 1, False)
    assert store.dump(FORMATS["nquads"]) == dump  # nothing changed
    more = build([str(GRAPH_FIXTURES)], store)  # three new readouts, and the seed's name from another folder
    assert (more.added, more.updated, more.unchanged) == (3, 0, 0)
    assert len(more.failed) == 1 and "already in the store, built from" in more.failed[0].reason
    assert "--replace" in more.failed[0].reason
    replaced = build([str(GRAPH_FIXTURES)], store, replace=True)  # the seed with dates from INDEX.tsv
    assert (replaced.added, replaced.updated, replaced.unchanged, replaced.failed) == (0, 1, 3, [])
    assert len(store.readout_graphs()) == 4


def test_parallel_build_gives_the_same_graph_as_one_process(tmp_path: Path, monkeypatch) -> None:
    import importlib

    import kg.store.spool

    building = importlib.import_module("kg.build")  # the module (kg.build is the facade's function)
    monkeypatch.setattr(building, "PARALLEL_MIN", 1)  # the fixtures are few: use the pool anyway
    monkeypatch.setattr(building, "BATCH", 2)  # and several batches
    monkeypatch.setattr(kg.store.spool.BulkSpool, "CHUNK", 20_000)  # and several bulk loads on disk
    graphs = []
    for workers, where in ((1, "disk"), (2, "disk"), (2, "memory")):
        store = OxigraphStore(str(tmp_path / f"w{workers}") if where == "disk" else None)
        seen: list[str] = []
        report = build([str(GRAPH_FIXTURES), str(FIXTURES / "joint.txt")], store, workers=workers, progress=seen.append)
        assert (report.added, len(report.failed), len(seen)) == (5, 0, 5)
        ds = Dataset()
        ds.parse(data=store.dump(FORMATS["nquads"]), format="nquads")
        graphs.append(ds)
        store.close()
    one = graphs[0]
    names = {str(g.identifier) for g in one.graphs()}
    assert len(names) > 5
    for other in graphs[1:]:
        assert names == {str(g.identifier) for g in other.graphs()}
        for name in names:
            assert isomorphic(one.graph(name), other.graph(name)), name


def test_a_failed_first_build_leaves_the_store_empty_and_nothing_beside_it(tmp_path: Path, monkeypatch) -> None:
    import kg.reason

    def fail(self: object) -> None:
        raise RuntimeError("reasoning failed")

    monkeypatch.setattr(kg.reason.Reasoner, "run", fail)
    store = OxigraphStore(str(tmp_path / "s"))
    with pytest.raises(RuntimeError):
        build([str(GRAPH_FIXTURES)], store)
    assert store.graphs() == [] and sorted(p.name for p in tmp_path.iterdir()) == ["s"]
    store.close()


def test_first_build_is_swapped_in_whole(tmp_path: Path) -> None:
    path = tmp_path / "s"
    (tmp_path / "s.new").mkdir()  # what a build killed during its bulk load leaves beside the store
    (tmp_path / "s.new" / "junk").write_text("x")
    store = OxigraphStore(str(path))
    assert build([str(SEED)], store).added == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]  # no partial sibling left
    assert build([str(GRAPH_FIXTURES)], store).added == 3  # the swapped-in store takes changes
    store.close()
    reopened = OxigraphStore(str(path), read_only=True)
    assert len(reopened.readout_graphs()) == 4
    reopened.close()


# A corrected readout replacing its facts and inferences: tests/test_store_backends.py, on every backend.


def test_inferred_triples_live_in_their_own_graph(fixture_store) -> None:
    assert str(INFERRED_GRAPH) in fixture_store.graphs()
    assert bool(fixture_store.query(f"ASK {{ GRAPH graph:inferred {{ <{STATE}KGZ> dip:supports <{STATE}CHN> }} }}"))
    assert not bool(
        fixture_store.query(f"ASK {{ GRAPH ?g {{ <{STATE}KGZ> dip:supports <{STATE}CHN> }} FILTER(?g != graph:inferred) }}")
    )


def test_second_process_gets_store_in_use(tmp_path: Path) -> None:
    path = tmp_path / "s"
    OxigraphStore(str(path)).close()
    code = f"from kg.store.embedded import OxigraphStore; s = OxigraphStore({str(path)!r}); print('open', flush=True); "
    code += "import time; time.sleep(30)"
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreInUseError, match="store in use"):
            OxigraphStore(str(path))
    finally:
        holder.kill()
        holder.wait()


def test_a_killed_build_leaves_the_previous_graph_intact(tmp_path: Path) -> None:
    path = str(tmp_path / "s")
    store = OxigraphStore(path)
    build([str(SEED)], store)
    before = store.dump(FORMATS["nquads"])
    store.close()
    code = (f"import sys; from kg.store.embedded import OxigraphStore; from kg.build import build; "
            f"build([{str(GRAPH_FIXTURES)!r}, {str(FIXTURES)!r}], OxigraphStore({path!r}))")  # fmt: skip
    outcomes = set()
    for delay in (0.2, 0.5, 0.9, 1.4):
        proc = subprocess.Popen([sys.executable, "-c", code])
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL) if proc.poll() is None else None
        proc.wait()
        store = OxigraphStore(path)
        now = store.dump(FORMATS["nquads"])
        finished = len(store.readout_graphs()) > 1
        store.close()
        if not finished:
            assert now == before  # killed before the commit: nothing of the new build is visible
        outcomes.add(finished)
        if finished:  # the build committed: start again from the seed alone
            shutil.rmtree(path)
            store = OxigraphStore(path)
            build([str(SEED)], store)
            store.close()
    assert False in outcomes


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "ntriples", "jsonld"])
def test_export_reimports_isomorphic(fixture_store, fmt: str) -> None:
    data = export_bytes(fixture_store, fmt, "asserted")
    rdflib_format = {"turtle": "turtle", "trig": "trig", "nquads": "nquads", "ntriples": "nt", "jsonld": "json-ld"}[fmt]
    if FORMATS[fmt].quads:
        got = Dataset()
        got.parse(data=data, format=rdflib_format)
        merged = Graph()
        for g in got.graphs():
            for t in g:
                merged.add(t)
    else:
        merged = Graph().parse(data=data, format=rdflib_format)
    expected = Graph().parse(data=fixture_store.ntriples(select_graphs(fixture_store, "asserted")), format="nt")
    assert len(merged) == len(expected)
    assert isomorphic(merged, expected)


def test_inferred_export_holds_only_inferred_triples(fixture_store) -> None:
    inferred = Graph().parse(data=export_bytes(fixture_store, "ntriples", "inferred"), format="nt")
    asserted = Graph().parse(data=export_bytes(fixture_store, "ntriples", "asserted"), format="nt")
    assert len(inferred) > 0
    assert not set(inferred) & set(asserted)
    assert any(p == DIP.supports for _s, p, _o in inferred)


def test_export_of_one_readout_by_file_name(fixture_store) -> None:
    [g] = select_graphs(fixture_store, "berg-wang-call.txt")
    assert g.endswith("/readout/berg-wang-call.txt")


def test_atomic_write_keeps_the_old_file_on_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.ttl"
    write_atomically(str(target), b"old content\n")

    def fail(*_a: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        write_atomically(str(target), b"new content that fails\n")
    assert target.read_bytes() == b"old content\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.ttl"]  # no temporary file left behind


def test_fixture_graph_conforms_to_the_shapes(fixture_store) -> None:
    result = validate(fixture_store)
    assert result.conforms, result.text[:2000]


def test_a_broken_graph_does_not_conform() -> None:
    broken = Graph().parse(data="""
        @prefix dip: <https://w3id.org/dipkg/ont#> .
        <https://w3id.org/dipkg/id/position/x/1> a dip:Position ; dip:issueLabel "Taiwan" .
    """, format="turtle")  # fmt: skip
    result = validate_graph(broken)
    assert not result.conforms and result.results >= 3


def test_every_term_of_the_ontology_has_a_label_and_a_comment() -> None:
    from rdflib.namespace import OWL, RDF, RDFS

    from kg.reason import ontology_text

    g = Graph().parse(data=ontology_text(), format="turtle")
    ours = {s for s in g.subjects(RDF.type, None) if str(s).startswith(str(DIP))}
    assert len(ours) > 50
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}
    for term in ours:
        if set(g.objects(term, RDF.type)) & kinds:
            assert (term, RDFS.label, None) in g, term
            assert (term, RDFS.comment, None) in g, term


def test_seed_meeting_subgraph_is_the_expected_graph() -> None:
    from rdflib.namespace import RDF

    r = load_file(str(SEED))
    g = map_readout(r, extract(r)).graph
    meeting = next(g.subjects(RDF.type, DIP.PhoneCall))
    got = Graph()
    for p, o in g.predicate_objects(meeting):
        got.add((meeting, p, o))
    for person in g.objects(meeting, DIP.participant):
        for p, o in g.predicate_objects(person):
            got.add((person, p, o))
    expected = Graph().parse(data="""
        @prefix dip: <https://w3id.org/dipkg/ont#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        @prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        @prefix id: <https://w3id.org/dipkg/id/> .
        id:meeting\\/wang-yi-kazakbaev-2020-11-16.txt a dip:PhoneCall ;
            rdfs:label "Wang Yi Speaks with Kyrgyz Foreign Minister Ruslan Kazakbaev on the Phone" ;
            sem:hasTimeStamp "2020-11-16"^^xsd:date ;
            dip:initiator id:state\\/KGZ ;
            dip:participant id:person\\/CHN\\/wang-yi, id:person\\/KGZ\\/ruslan-kazakbaev ;
            dip:participantActor id:state\\/CHN, id:state\\/KGZ .
        id:person\\/CHN\\/wang-yi a dip:Person ; rdfs:label "Wang Yi" ; dip:represents id:state\\/CHN .
        id:person\\/KGZ\\/ruslan-kazakbaev a dip:Person ; rdfs:label "Ruslan Kazakbaev" ; dip:represents id:state\\/KGZ .
    """, format="turtle")  # fmt: skip
    assert isomorphic(got, expected), got.serialize(format="turtle")


def test_a_spool_keeps_graphs_on_disk_and_gives_them_back(tmp_path: Path) -> None:
    a = '<http://example.org/s> <http://example.org/p> "quote \\"x\\" <y>" .\n'
    b = "<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
    spool = GraphSpool(str(tmp_path))
    spool["http://example.org/g1"] = a
    spool.add_quads("http://example.org/g2", as_nquads(b, "http://example.org/g2"))
    assert (spool["http://example.org/g1"], spool["http://example.org/g2"]) == (a, b)
    assert sorted(spool) == ["http://example.org/g1", "http://example.org/g2"] and spool.whole
    spool["http://example.org/g1"] = b  # replaced: the file now holds lines nobody reads
    assert spool["http://example.org/g1"] == b and not spool.whole
    path = spool.path
    assert Path(path).parent == tmp_path
    spool.close()
    assert not Path(path).exists()


def test_a_spooled_change_loads_the_same_store_as_one_in_memory(tmp_path: Path) -> None:
    graphs = {str(m.graph_iri): m.ntriples for m in (map_readout(r, extract(r)) for r in [load_file(SEED)])}
    stores = []
    for name, replace in (("memory", dict(graphs)), ("spool", GraphSpool(str(tmp_path)))):
        replace.update(graphs)
        store = OxigraphStore(str(tmp_path / name))
        store.apply(Change(replace=replace, inferred=f"<{STATE}KGZ> <{DIP}supports> <{STATE}CHN> .\n"))
        stores.append(set(store.dump(FORMATS["nquads"]).decode().splitlines()))
        store.close()
    assert stores[0] == stores[1] and len(stores[0]) > 50


def test_a_store_spool_whose_graph_is_replaced_loads_the_last_version(tmp_path: Path) -> None:
    store = OxigraphStore(str(tmp_path / "s"))
    spool = store.spool()  # an empty store on disk: loads in the background as graphs come
    spool["http://example.org/g"] = '<http://example.org/s> <http://example.org/p> "old" .\n'
    spool["http://example.org/g"] = '<http://example.org/s> <http://example.org/p> "new" .\n'
    store.apply(Change(replace=spool))
    spool.close()
    assert store.ntriples(["http://example.org/g"]) == '<http://example.org/s> <http://example.org/p> "new" .\n'
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s"]
    store.close()


def test_mapping_makes_only_valid_iris_from_hostile_input(tmp_path: Path) -> None:
    """The background loader skips IRI validation (it is the build's costliest step); this is safe
    only because mapping builds every IRI from escaped parts, whatever the readout says."""
    import pyoxigraph as ox

    odd = 'Jo<h>n "X" {y}|^`\\ é\u200b\n'
    path = tmp_path / 'a b<>"{}|^`\\ é.txt'
    path.write_text(f"<script>{odd}</script>\n\nMinister {odd} of Sweden met President {odd}.\n", encoding="utf-8")
    r = load_file(str(path), publisher="SWE", date="2024-01-02")
    record = {
        "publisher": "SWE",
        "meeting": {
            "type": odd, "date": "2024-01-02", "initiator": "SWE",
            "participants": [{"name": odd, "title": odd, "state": "SWE"}, {"name": odd, "title": "", "state": "ORG:" + odd}],
            "topics": [{"issue": odd, "concept": None}],
        },
        "positions": [
            {"holder": "SWE", "stance": "support", "issue": odd, "target": "ORG:" + odd, "start": 0, "end": 5},
            {"holder": odd, "stance": "agree", "issue": odd, "target": None, "start": 3, "end": 9},
        ],
    }  # fmt: skip
    mapped = map_readout(r, record)
    quads = list(ox.parse(input=as_nquads(mapped.ntriples + mapped.shared, mapped.graph_iri), format=ox.RdfFormat.N_QUADS))
    assert len(quads) > 30
    iris = [t.value for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)]
    assert not [iri for iri in iris if any(ch in iri for ch in ' <>"{}|^`\\\n')]


def test_nquads_are_cut_at_line_ends_and_never_through_blank_nodes() -> None:
    from kg.store.spool import pieces

    text = "".join(f"<http://a/{i}> <http://p> \"{'x' * (i % 7)}\" <http://g> .\n" for i in range(500))
    cut = list(pieces(text, 1000))
    assert len(cut) > 5 and "".join(cut) == text
    assert all(p.endswith(" .\n") for p in cut)
    with_blank = text + "_:b <http://p> <http://o> <http://g> .\n"
    assert list(pieces(with_blank, 1000)) == [with_blank]
