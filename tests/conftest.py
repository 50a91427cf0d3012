from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SEED = ROOT / "data" / "readouts" / "wang-yi-kazakbaev-2020-11-16.txt"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def seed_path() -> Path:
    return SEED


def readout_from(
    tmp_path: Path, body: str, title: str = "Readout", name: str = "r.txt", date: str = "2024-05-10", publisher: str = "USA"
):
    """A plain-text readout written to tmp_path and loaded (a helper for rule tests)."""
    from kg.load import load_file

    path = tmp_path / name
    path.write_text(f"{title}\n\n{body}\n", encoding="utf-8")
    return load_file(str(path), date=date, publisher=publisher)


@pytest.fixture
def make_readout(tmp_path: Path):
    def make(body: str, **kw):
        return readout_from(tmp_path, body, **kw)

    return make


GRAPH_FIXTURES = FIXTURES / "graph"


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory: pytest.TempPathFactory):
    """A store built once from tests/fixtures/graph (read-only use in tests)."""
    from kg.build import build
    from kg.store.embedded import OxigraphStore

    path = tmp_path_factory.mktemp("store") / "kg"
    store = OxigraphStore(str(path))
    build([str(GRAPH_FIXTURES)], store)
    yield store
    store.close()
