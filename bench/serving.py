"""For the benchmark scripts: `kg serve` on a store, on a free local port, stopped afterwards."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def kg_serve(store_path: str, wait_s: float = 300) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """(base URL, process) of `kg serve --store store_path`, once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", store_path, "--port", str(port)],
                            stderr=subprocess.DEVNULL)  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + wait_s
        while True:
            try:
                urllib.request.urlopen(url + "/sparql", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("kg serve did not start") from None
                time.sleep(0.25)
        yield url, proc
    finally:
        proc.terminate()
        proc.wait(20)
