"""Incremental builds: the inferred graph updated by what changed equals the full recomputation.

Each test builds a store, changes it twice (incrementally and by recomputing everything), and
compares the two stores quad for quad; on the development corpus too when it is beside the clone.
"""

from __future__ import annotations

import importlib
import os
import random
import shutil
import time
from pathlib import Path

import pytest

from kg.build import build
from kg.errors import InconsistentGraphError
from kg.formats import FORMATS
from kg.incremental import Maintainer, is_tally
from kg.reason import Reasoner, keep, relevant
from kg.store.embedded import OxigraphStore
from kg.tallies import STALE_FILE, refresh_tallies
from tests.conftest import GRAPH_FIXTURES

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
DIP = "https://w3id.org/dipkg/ont#"
ID = "https://w3id.org/dipkg/id/"


def quads(store: OxigraphStore) -> set[str]:
    """Every quad, but the ontology's blank nodes (their labels are fresh at each load)."""
    return {line for line in store.dump(FORMATS["nquads"]).decode().split("\n") if line and "_:" not in line}


def copy_readouts(source: Path, target: Path, count: int | None = None) -> list[Path]:
    target.mkdir()
    files = sorted(source.glob("*.txt"))[:count]
    for f in files:
        shutil.copy(f, target / f.name)
    if (source / "INDEX.tsv").exists():
        shutil.copy(source / "INDEX.tsv", target / "INDEX.tsv")
    return sorted(target.glob("*.txt"))


def correct(files: list[Path], count: int, seed: int) -> list[Path]:
    """Change ``count`` readouts the way corrections do: a word, a country, a sentence, half the text."""
    rng = random.Random(seed)
    chosen = rng.sample(files, min(count, len(files)))
    swaps = [("China", "Japan"), ("support", "oppose"), ("United States", "France"), ("welcomed", "condemned")]
    for i, f in enumerate(chosen):
        text = f.read_text(encoding="utf-8")
        a, b = swaps[i % len(swaps)]
        text = text.replace(a, b) if a in text else text + "\nThe two sides agreed to strengthen cooperation on climate.\n"
        if i % 3 == 2:
            text = text[: len(text) // 2]
        f.write_text(text, encoding="utf-8")
    return chosen


def test_added_readouts_give_the_graph_built_from_scratch(tmp_path: Path) -> None:
    files = sorted(str(p) for p in GRAPH_FIXTURES.glob("*.txt"))
    store = OxigraphStore(str(tmp_path / "inc"))
    build(files[:2], store)
    report = build(files[2:], store, incremental=True)
    assert report.delta is not None and report.delta.added and report.inference is None
    inc = quads(store)
    scratch = OxigraphStore(str(tmp_path / "scratch"))
    build(files, scratch)
    assert inc == quads(scratch)


def test_corrected_readouts_give_the_fully_recomputed_graph(tmp_path: Path) -> None:
    files = copy_readouts(GRAPH_FIXTURES, tmp_path / "r")
    store = OxigraphStore(str(tmp_path / "inc"))
    build([str(tmp_path / "r")], store)
    store.close()
    shutil.copytree(tmp_path / "inc", tmp_path / "full")
    correct(files, 3, seed=1)
    store = OxigraphStore(str(tmp_path / "inc"))
    report = build([str(tmp_path / "r")], store, incremental=True)
    assert report.updated == 3 and report.delta is not None and report.delta.removed  # some inferences went
    inc = quads(store)
    store.close()
    store = OxigraphStore(str(tmp_path / "full"))
    build([str(tmp_path / "r")], store, incremental=False)
    assert inc == quads(store)


def test_a_build_chooses_incremental_for_a_small_change_and_recomputes_otherwise(tmp_path: Path) -> None:
    files = sorted(str(p) for p in GRAPH_FIXTURES.glob("*.txt"))
    store = OxigraphStore(str(tmp_path / "kg"))
    first = build(files[:3], store)
    assert first.inference is not None and first.delta is None  # the first build recomputes
    second = build(files, store)
    assert second.delta is not None and second.inference is None and second.tallies == "refreshed"
    assert build(files, store).delta is None  # nothing changed: nothing to reason


def test_tallies_refreshed_later_by_their_own_process_match(tmp_path: Path) -> None:
    files = sorted(str(p) for p in GRAPH_FIXTURES.glob("*.txt"))
    store = OxigraphStore(str(tmp_path / "kg"))
    build(files[:2], store)
    report = build(files[2:], store, tallies="later")
    assert report.tallies == "later" and os.path.exists(tmp_path / "kg" / STALE_FILE)
    store.close()  # the refresh waits for the store
    deadline = time.monotonic() + 60
    while os.path.exists(tmp_path / "kg" / STALE_FILE) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not os.path.exists(tmp_path / "kg" / STALE_FILE), "the tallies were not refreshed within 60 s"
    store = OxigraphStore(str(tmp_path / "kg"), wait=30)
    later = quads(store)
    assert refresh_tallies(store) == 0  # refreshing again changes nothing
    scratch = OxigraphStore(str(tmp_path / "scratch"))
    build(files, scratch)
    assert later == quads(scratch)


def test_tallies_are_told_apart_from_owl_inferences() -> None:
    assert is_tally(f"<{ID}tally/x>", f"<{DIP}meetingCount>", '"2"^^<http://www.w3.org/2001/XMLSchema#integer>')
    assert is_tally(f"<{ID}tally/x>", RDF_TYPE, f"<{DIP}SupportTally>")
    assert not is_tally(f"<{ID}state/CHN>", f"<{DIP}supports>", f"<{ID}state/KGZ>")
    assert not is_tally(f"<{ID}state/CHN>", RDF_TYPE, f"<{DIP}Actor>")
    heads = {p for rule in Reasoner().rules for _s, p, _o in rule.head}
    assert not any(is_tally("<x>", p, "<y>") for p in heads if p != RDF_TYPE)  # no OWL rule writes a tally


def test_inconsistent_additions_are_refused(tmp_path: Path) -> None:
    import pyoxigraph as ox

    store = ox.Store()
    x = f"<{ID}state/XXX>"
    store.add(ox.Quad(ox.NamedNode(ID + "state/XXX"), ox.NamedNode(RDF_TYPE[1:-1]), ox.NamedNode(DIP + "State"),
                      ox.NamedNode("https://w3id.org/dipkg/graph/shared")))  # fmt: skip
    maintainer = Maintainer(store)
    pairs = maintainer.tbox.disjoint
    assert pairs, "the ontology declares disjoint classes"
    a, b = next((a, b) for a, b in pairs if DIP + "State" in (a, b))
    other = b if a == DIP + "State" else a
    with pytest.raises(InconsistentGraphError):
        maintainer.apply(set(), {(x, RDF_TYPE, f"<{other}>")}, set())


def _dropping_reasoner(asserted: str) -> tuple[set[tuple[str, str, str]], set[tuple[str, str, str]]]:
    """The kept inferences of the standard reasoner, and of one that forgets every dropped
    inference at once (but those of the ontology alone)."""
    standard = Reasoner()
    standard.add(asserted)
    kept = {t for t in standard.fixpoint() if keep(*t)}
    tbox = Reasoner()
    tbox_facts = {(s, p, o) for p, by_s in tbox.so.items() for s, objs in by_s.items() for o in objs}
    tbox_facts |= set(tbox.fixpoint())
    forgetful = Reasoner()
    insert = forgetful._insert

    def only_kept(s: str, p: str, o: str) -> bool:
        if forgetful.given and not keep(s, p, o) and (s, p, o) not in tbox_facts:
            return False
        return insert(s, p, o)

    forgetful.add(asserted)
    forgetful._insert = only_kept  # type: ignore[method-assign]
    return kept, {t for t in forgetful.fixpoint() if keep(*t)}


def _asserted(paths: list[str]) -> str:
    from kg.extract import extract
    from kg.load import load
    from kg.mapping import map_readout

    out = []
    for item in load(paths):
        if isinstance(item, Exception):
            continue
        mapped = map_readout(item, extract(item))
        out += [relevant(mapped.ntriples), mapped.shared + "\n"]
    return "".join(out)


def test_dropped_inferences_never_lead_to_kept_ones() -> None:
    """What the incremental reasoner relies on: the store lacks the inferences the reasoner drops."""
    kept, forgetful = _dropping_reasoner(_asserted([str(GRAPH_FIXTURES)]))
    assert kept and kept == forgetful


# ---- on the development corpus (beside the clone), when it is there

corpus = pytest.mark.skipif(not CORPUS.is_dir() and not os.environ.get("CI"), reason="no ../shared/corpus")


@corpus
def test_corpus_dropped_inferences_never_lead_to_kept_ones() -> None:
    kept, forgetful = _dropping_reasoner(_asserted([str(CORPUS)]))
    assert len(kept) > 10_000 and kept == forgetful


@corpus
def test_corpus_half_added_to_half_gives_the_graph_built_from_scratch(tmp_path: Path) -> None:
    files = sorted(str(p) for p in CORPUS.glob("*.txt"))
    half = len(files) // 2
    store = OxigraphStore(str(tmp_path / "inc"))
    build(files[:half], store)
    building = importlib.import_module("kg.build")
    assert len(files) - half <= max(building.INCREMENTAL_MAX, int(building.INCREMENTAL_SHARE * half))
    report = build(files[half:], store)
    assert report.delta is not None
    scratch = OxigraphStore(str(tmp_path / "scratch"))
    build(files, scratch)
    assert quads(store) == quads(scratch)


@corpus
@pytest.mark.parametrize("seed", [1, 2])
def test_corpus_corrections_give_the_fully_recomputed_graph(tmp_path: Path, seed: int) -> None:
    files = copy_readouts(CORPUS, tmp_path / "r")
    store = OxigraphStore(str(tmp_path / "inc"))
    build([str(tmp_path / "r")], store)
    store.close()
    shutil.copytree(tmp_path / "inc", tmp_path / "full")
    correct(files, 8, seed=seed)
    store = OxigraphStore(str(tmp_path / "inc"))
    report = build([str(tmp_path / "r")], store, incremental=True)
    assert report.updated == 8
    inc = quads(store)
    store.close()
    store = OxigraphStore(str(tmp_path / "full"))
    build([str(tmp_path / "r")], store, incremental=False)
    assert inc == quads(store)
