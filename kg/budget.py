"""A time budget per readout, so that no single file stalls a batch.

In: a number of seconds. Out: a context manager that raises :class:`OverBudget` in the code it
wraps once that much wall time has passed (``SIGALRM``; in the main thread of a process only,
which is where extraction runs, in the CLI and in every build worker). Elsewhere it does nothing.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

DEFAULT_SECONDS = 60.0


class OverBudget(Exception):
    """The wrapped work ran longer than its budget."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise :class:`OverBudget` inside the block after ``seconds`` (None or 0: no budget)."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(_signum: int, _frame: FrameType | None) -> None:
        raise OverBudget(f"longer than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
