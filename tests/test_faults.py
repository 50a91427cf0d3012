"""Machine faults (issue 10, item 7): a full disk, a full temporary folder, a read-only store and a
store held by another process are each one line saying what happened and what to do, the exit
code the README documents, the previous state intact, and the store writable again once the fault
is gone. The faults are real: small tmpfs mounts (root only; the tests say so and skip otherwise)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.build import build
from kg.formats import FORMATS
from kg.store.embedded import OxigraphStore
from tests.conftest import GRAPH_FIXTURES

FILES = sorted(GRAPH_FIXTURES.glob("*.txt"))


def _mount(target: Path, size: str) -> None:
    target.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)],
                          capture_output=True, text=True)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs: {done.stderr.strip()}")


@contextlib.contextmanager
def tmpfs(target: Path, size: str) -> Iterator[Path]:
    """A small file system of its own at ``target``, unmounted after."""
    _mount(target, size)
    try:
        yield target
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(target)], capture_output=True)
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the file system of ``folder`` but ``leave`` bytes."""
    filler = folder / "filler"
    with open(filler, "wb") as f, contextlib.suppress(OSError):
        while True:
            st = os.statvfs(folder)
            free = st.f_bavail * st.f_frsize - leave
            if free <= 0:
                break
            f.write(b"\0" * min(free, 1 << 20))
            f.flush()
    return filler


def kg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)  # fmt: skip


def readouts(folder: Path, copies: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, f in enumerate(FILES * copies):
        (folder / f"{folder.name}-{i}-{f.name}").write_bytes(f.read_bytes())
    return folder


def quads(path: str) -> list[bytes]:
    store = OxigraphStore(path, read_only=True)
    try:
        return sorted(line for line in store.dump(FORMATS["nquads"]).split(b"\n") if b"_:" not in line)
    finally:
        store.close()


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def one_error(err: str) -> str:
    """stderr's error line (exactly one), no traceback."""
    assert "Traceback" not in err, err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, err
    return lines[0]


def test_a_full_disk_is_said_the_store_kept_and_writable_once_space_is_back(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "128M") as disk:
        store = str(disk / "store")
        first = readouts(tmp_path / "first", 1)
        assert kg("build", str(first), "--store", store, "--workers", "1").returncode == 0
        before, stored = quads(store), size_of(Path(store))
        more = readouts(tmp_path / "more", 80)  # a change of some MB, more than the room left
        filler = fill(disk, leave=4 << 20)
        done = kg("build", str(more), "--store", store, "--workers", "1")
        assert done.returncode == 4, done.stderr
        line = one_error(done.stderr)
        assert "no space left" in line and "free some space" in line, line
        assert quads(store) == before  # the previous state, whole
        assert not (disk / "store.new").exists()
        assert size_of(Path(store)) < stored + (2 << 20)  # the failed write's log is not kept (it was 3 MB)
        filler.unlink()
        again = kg("build", str(more), "--store", store, "--workers", "1")
        assert again.returncode == 0, again.stderr
        reference = OxigraphStore()
        build([str(first)], reference)
        build([str(more)], reference)
        ground = sorted(line for line in reference.dump(FORMATS["nquads"]).split(b"\n") if b"_:" not in line)
        assert quads(store) == ground


def test_a_first_build_on_a_full_disk_leaves_nothing_half_made(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "16M") as disk:
        store = disk / "store"
        filler = fill(disk, leave=64 << 10)
        done = kg("build", str(readouts(tmp_path / "r", 4)), "--store", str(store), "--workers", "1")
        assert done.returncode == 4, done.stderr
        assert "no space left" in one_error(done.stderr)
        assert not (disk / "store.new").exists() and not (disk / "store.old").exists()
        filler.unlink()
        assert kg("build", str(tmp_path / "r"), "--store", str(store), "--workers", "1").returncode == 0
        assert len(quads(str(store))) > 100


def test_a_full_temporary_folder_is_said_and_its_spool_removed(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    first = readouts(tmp_path / "first", 1)
    assert kg("build", str(first), "--store", store, "--workers", "1").returncode == 0
    before = quads(store)
    with tmpfs(tmp_path / "tmp", "2M") as tmp:
        fill(tmp, leave=8 << 10)
        done = kg("build", str(readouts(tmp_path / "more", 12)), "--store", store, "--workers", "1",
                  env={"TMPDIR": str(tmp)})  # fmt: skip
        assert done.returncode == 4, done.stderr
        line = one_error(done.stderr)
        assert "temporary folder" in line and "no space left" in line and "TMPDIR" in line, line
        assert not [p for p in tmp.iterdir() if p.name.startswith("kg-change-")]
    assert quads(store) == before


def test_a_read_only_store_is_read_served_and_refused_for_writing(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk", "24M") as disk:
        store = str(disk / "store")
        assert kg("build", str(readouts(tmp_path / "r", 1)), "--store", store, "--workers", "1").returncode == 0
        before = quads(store)
        ro = subprocess.run(["mount", "-o", "remount,ro", str(disk)], capture_output=True, text=True)
        if ro.returncode != 0:
            pytest.skip(f"cannot remount read-only here: {ro.stderr.strip()}")
        done = kg("build", str(readouts(tmp_path / "more", 1)), "--store", store, "--workers", "1")
        assert done.returncode == 4, done.stderr
        assert "read-only file system" in one_error(done.stderr)
        asked = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }", "--store", store,
                   "--format", "csv")  # fmt: skip
        assert asked.returncode == 0, asked.stderr
        assert int(asked.stdout.split()[-1]) >= len(before) > 0
        import kg as library

        served = library.serve(store)
        try:
            answer = served.service.run("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                        accept=["text/csv"])  # fmt: skip
            assert answer.status == 200, answer.body
            assert int(answer.body.decode().split()[-1]) >= len(before)
        finally:
            served.close()


def test_a_store_held_by_another_process_is_said_with_its_exit_code(tmp_path: Path) -> None:
    store = str(tmp_path / "store")
    assert kg("build", str(readouts(tmp_path / "r", 1)), "--store", store, "--workers", "1").returncode == 0
    holder = OxigraphStore(store)  # this process holds it for writing
    try:
        done = kg("build", str(tmp_path / "r"), "--store", store, env={"KG_STORE_WAIT": "0.5"})
        assert done.returncode == 3, done.stderr
        assert "in use" in one_error(done.stderr)
    finally:
        holder.close()
