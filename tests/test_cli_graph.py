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
