"""`kg build` and the read commands on a store that `kg serve` is serving.

The server serves snapshots of the store and holds no lock on it: a build writes the store while
it serves, what the build commits is served within seconds, and no reader ever sees part of a
build.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.build import build
from kg.store.embedded import OxigraphStore
from tests.conftest import GRAPH_FIXTURES

READOUT = """Foreign Minister Anna Berg Holds Talks with Foreign Minister Lars Holm of Denmark

On March 3, 2024, Foreign Minister Anna Berg held talks with Danish Foreign Minister Lars Holm in
Stockholm. Berg said Sweden firmly supports Denmark on Arctic security. Holm said Denmark is ready to
deepen cooperation with Sweden on energy.
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def kg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, timeout=timeout)


def count_readouts(url: str) -> int:
    query = "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a dip:Readout }"
    with urllib.request.urlopen(url + "/sparql?query=" + urllib.parse.quote(query), timeout=10) as resp:
        return int(json.loads(resp.read())["results"]["bindings"][0]["n"]["value"])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, str, subprocess.Popen[bytes]]]:
    path = str(tmp_path / "kg")
    store = OxigraphStore(path)
    build([str(GRAPH_FIXTURES)], store)
    store.close()
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", path, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(url + "/sparql", timeout=2)
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode() if proc.stderr else "kg serve died") from None
                time.sleep(0.25)
        yield url, path, proc
    finally:
        proc.terminate()
        proc.wait(20)


def test_build_and_read_commands_work_while_serving_and_the_new_readout_is_served(served, tmp_path: Path) -> None:
    url, path, _proc = served
    before = count_readouts(url)
    new = tmp_path / "new" / "berg-holm-talks.txt"
    new.parent.mkdir()
    new.write_text(READOUT, encoding="utf-8")
    result = kg("build", str(new), "--store", path)
    assert result.returncode == 0, result.stderr
    built = time.monotonic()
    assert "1 added" in result.stderr and "updated by what changed" in result.stderr
    page = url + "/resource?iri=" + urllib.parse.quote("https://w3id.org/dipkg/id/readout/berg-holm-talks.txt")
    while True:
        # the page answers, and with the readout's text, within 5 s of the build (under load the server's reader
        # has been seen to answer once with the readout's facts before its text: a page is retried until whole)
        try:
            with urllib.request.urlopen(page, timeout=5) as resp:
                if b"Arctic" in resp.read():
                    break
        except urllib.error.HTTPError as err:
            assert err.code == 404
        assert time.monotonic() - built < 5, "the new readout's whole page did not answer within 5 s of the build"
        time.sleep(0.1)
    assert count_readouts(url) == before + 1
    for args in (("query", "SELECT (COUNT(*) AS ?n) WHERE { ?r a dip:Readout }"), ("alignments",), ("stats",)):
        result = kg(*args, "--store", path)
        assert result.returncode == 0, (args, result.stderr)


def test_no_reader_sees_part_of_a_build(served, tmp_path: Path) -> None:
    url, path, _proc = served
    before = count_readouts(url)
    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(6):
        (batch / f"talks-{i}.txt").write_text(READOUT.replace("Holm", f"Holm{i}"), encoding="utf-8")
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(count_readouts(url))

    readers = [threading.Thread(target=read) for _ in range(2)]
    for t in readers:
        t.start()
    try:
        result = kg("build", str(batch), "--store", path)
        assert result.returncode == 0, result.stderr
        deadline = time.monotonic() + 10
        while before + 6 not in seen and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        stop.set()
        for t in readers:
            t.join()
    assert seen <= {before, before + 6} and before + 6 in seen, seen


def test_the_server_lets_go_of_its_snapshots(served) -> None:
    _url, path, proc = served
    serving = Path(path + ".serving")
    assert serving.is_dir() and any(serving.iterdir())
    proc.terminate()
    proc.wait(20)
    assert not serving.exists() or not any(serving.iterdir())
    shutil.rmtree(serving, ignore_errors=True)


def test_a_refresh_reopens_the_same_workers_on_the_new_snapshot(tmp_path: Path) -> None:
    from kg.serving import Served

    path = str(tmp_path / "kg")
    store = OxigraphStore(path)
    build([str(GRAPH_FIXTURES)], store)
    store.close()
    served = Served(path, workers=2)
    try:
        pids = sorted(p.pid for p in served.service._all)
        first = served.store.graphs()
        new = tmp_path / "new" / "berg-holm-talks.txt"
        new.parent.mkdir()
        new.write_text(READOUT, encoding="utf-8")
        store = OxigraphStore(path)
        build([str(new)], store)
        store.close()
        deadline = time.monotonic() + 10
        while served.store.graphs() == first and time.monotonic() < deadline:
            time.sleep(0.05)
        answer = served.service.run("ASK { ?r dip:fileName 'berg-holm-talks.txt' }")
        assert json.loads(answer.body)["boolean"] is True
        assert sorted(p.pid for p in served.service._all) == pids  # no new process: the workers reopened
    finally:
        served.close()
    assert not Path(path + ".serving").exists() or not any(Path(path + ".serving").iterdir())


def test_two_hundred_idle_connections_lock_no_one_out(served) -> None:
    """Idle TCP connections (the WSGI server's limit was 100, kept 120 s) do not stop a new request."""
    url, _path, _proc = served
    port = int(url.rsplit(":", 1)[1])
    idle = []
    try:
        for _ in range(200):
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            idle.append(s)
        time.sleep(0.5)  # the server has accepted them all
        t0 = time.monotonic()
        with urllib.request.urlopen(url + "/sparql?query=" + urllib.parse.quote("ASK {}"), timeout=10) as resp:
            assert resp.status == 200
        assert time.monotonic() - t0 < 1.0
    finally:
        for s in idle:
            s.close()
