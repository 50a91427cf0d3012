"""The graph commands of the kg CLI, through click's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph

from kg.cli import main
from tests.conftest import GRAPH_FIXTURES, SEED


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "kg-store")
    result = CliRunner().invoke(main, ["build", str(GRAPH_FIXTURES), "--store", path])
    assert result.exit_code == 0, result.output
    assert "4 added" in result.stderr
    return path


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args))


def test_build_again_changes_nothing(store_dir: str) -> None:
    result = run("build", str(GRAPH_FIXTURES), "--store", store_dir)
    assert result.exit_code == 0
    assert "0 added, 0 updated, 4 unchanged" in result.stderr


def test_build_reports_bad_readouts_and_exits_1(tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = run("build", str(bad), str(SEED), "--store", str(tmp_path / "s"))
    assert result.exit_code == 1
    assert "empty file" in result.stderr and "1 added" in result.stderr


def test_alignments_with_evidence(store_dir: str) -> None:
    result = run("alignments", "--state", "CHN", "--issue", "Taiwan", "--store", store_dir)
    assert result.exit_code == 0
    assert "KGZ supports CHN" in result.stdout
    assert "Kyrgyzstan will continue to fully support China" in result.stdout
    assert "wang-yi-kazakbaev-2020-11-16.txt" in result.stdout
    data = json.loads(run("alignments", "--state", "CHN", "--format", "json", "--store", store_dir).stdout)
    assert any(a["source"] == "SWE" and a["relation"] == "supports" for a in data)


def test_explain(store_dir: str) -> None:
    result = run("explain", "KGZ", "supports", "CHN", "--issue", "Taiwan", "--store", store_dir)
    assert result.exit_code == 0
    assert "prp-spo2" in result.stdout and "quote:" in result.stdout
    assert run("explain", "CHN", "supports", "KGZ", "--issue", "Taiwan", "--store", store_dir).exit_code == 1


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json"])
def test_query_formats(store_dir: str, fmt: str) -> None:
    result = run("query", "SELECT ?c WHERE { ?s dip:code ?c } ORDER BY ?c", "--format", fmt, "--store", store_dir)
    assert result.exit_code == 0
    assert "CHN" in result.stdout and "KGZ" in result.stdout


def test_query_from_file_and_construct(store_dir: str, tmp_path: Path) -> None:
    q = tmp_path / "q.rq"
    q.write_text("CONSTRUCT { ?s dip:code ?c } WHERE { ?s dip:code ?c }")
    result = run("query", f"@{q}", "--format", "turtle", "--store", store_dir)
    assert result.exit_code == 0
    assert len(Graph().parse(data=result.stdout, format="turtle")) >= 5


@pytest.mark.parametrize(
    "query", ["SELECT ?x WHERE { ?x", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"]
)
def test_query_malformed_or_refused_exits_2(store_dir: str, query: str) -> None:
    result = run("query", query, "--store", store_dir)
    assert result.exit_code == 2
    assert "error:" in result.stderr


def test_export_to_a_file_and_graph_selection(store_dir: str, tmp_path: Path) -> None:
    out = tmp_path / "inferred.ttl"
    result = run("export", "--graph", "inferred", "--format", "turtle", "-o", str(out), "--store", store_dir)
    assert result.exit_code == 0
    assert len(Graph().parse(out)) > 100
    assert run("export", "--graph", "nope", "--store", store_dir).exit_code == 2


def test_validate_and_stats(store_dir: str) -> None:
    result = run("validate", "--store", store_dir)
    assert result.exit_code == 0 and "conforms" in result.stdout
    stats = json.loads(run("stats", "--format", "json", "--store", store_dir).stdout)
    assert stats["readouts"] == 4 and stats["inferred_triples"] > 0
    assert stats["positions_by_stance"]["support"] >= 5


def test_commands_on_a_missing_store_say_so(tmp_path: Path) -> None:
    result = run("stats", "--store", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and "kg build" in result.stderr


def _direct(store, query: str) -> set[tuple[str, str, str]]:
    return {(r["a"].value, r["b"].value, r["p"].value) for r in store.select(query)}


def test_every_position_behind_a_relation_is_listed(store_dir: str) -> None:
    """Each relation's evidence holds every position that makes it, as a direct query finds them."""
    from kg.alignments import alignments
    from kg.store.embedded import OxigraphStore

    store = OxigraphStore(store_dir)
    try:
        found = alignments(store)
        code = "?x dip:code ?a . ?y dip:code ?b ."
        supports = _direct(store, f"SELECT ?a ?b ?p WHERE {{ ?p dip:holder ?x ; dip:supportTarget ?y . {code} }}")
        opposes = _direct(store, f"SELECT ?a ?b ?p WHERE {{ ?p dip:holder ?x ; dip:opposeTarget ?y . {code} }}")
        shared = _direct(store, "SELECT ?a ?b ?p WHERE { ?p dip:holder ?x ; dip:stanceKey ?k . ?q dip:holder ?y ; "
                                f"dip:stanceKey ?k . FILTER(?x != ?y) {code} }}")  # fmt: skip
    finally:
        store.close()
    by = {(a.source, a.relation, a.target): {e.position for e in a.evidence} for a in found}
    assert by, "the fixtures make alignments"
    for rel, direct in (("supports", supports), ("opposes", opposes)):
        for a, b, _p in direct:
            assert by[(a, rel, b)] == {p for x, y, p in direct if (x, y) == (a, b)}
    for a, b, p in shared:
        assert p in by[(a, "sharesStanceWith", b)]  # the holder's own positions on the shared stance
    for a in found:
        positions = [e.position for e in a.evidence]
        assert len(positions) == len(set(positions)) and [(e.file, e.position) for e in a.evidence] == sorted(
            (e.file, e.position) for e in a.evidence)  # fmt: skip


def test_explain_lists_every_position(store_dir: str) -> None:
    result = run("explain", "KGZ", "supports", "CHN", "--store", store_dir)
    data = json.loads(run("alignments", "--state", "KGZ", "--relation", "supports", "--format", "json",
                          "--store", store_dir).stdout)  # fmt: skip
    wanted = next(a for a in data if a["source"] == "KGZ" and a["target"] == "CHN")
    assert result.exit_code == 0 and result.stdout.count("from position") == len(wanted["evidence"]) > 1
