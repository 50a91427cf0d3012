"""The project's typed errors, in one place, each with its CLI exit code and HTTP status.

CLI exit codes: 0 ok, 1 a problem was found (for example a readout failed to load), 2 bad input
or usage (a malformed or refused query), 3 the store is in use by another process (try again
later), 4 the machine refused a write (no space left, a read-only file system, no permission:
fix that and run the command again; the store is as it was). HTTP: 400 malformed, 403 refused by
policy, 503 the store is busy or unreachable.
"""

from __future__ import annotations

import errno


class KgError(Exception):
    """Base class of every error this package raises on purpose."""

    exit_code = 1
    http_status = 500


class ReadoutError(KgError):
    """A readout could not be loaded; ``path`` names the file, the message says why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class NotRegular(ReadoutError):
    """A path that names a FIFO, a device or a socket: skipped with a message, not a failure."""


class VocabularyError(KgError):
    """A bundled vocabulary (actors, issues) is missing or malformed."""


class StoreError(KgError):
    """The store cannot be opened, read or written."""

    http_status = 503


class StoreInUseError(StoreError):
    """Another process holds the store."""

    exit_code = 3


class MachineError(StoreError):
    """The machine refused a write: no space left, a read-only file system, no permission."""

    exit_code = 4


# what the operating system (or RocksDB, which reports it in words) says, and what to do about it
_FAULTS = (
    ((errno.ENOSPC,), "no space left on device", "no space left on the device that holds {where}",
     "free some space and run the command again"),
    ((errno.EDQUOT,), "disk quota exceeded", "the disk quota of {where} is used up",
     "free some space and run the command again"),
    ((errno.EROFS,), "read-only file system", "{where} is on a read-only file system",
     "use a store on a writable file system"),
    ((errno.EACCES, errno.EPERM), "permission denied", "no permission to write {where}",
     "check the folder's permissions"),
)  # fmt: skip


def machine_fault(exc: BaseException, where: str) -> str | None:
    """What went wrong and what to do, when ``exc`` is the machine refusing a write (by its errno,
    or by the words RocksDB puts in its message); None otherwise."""
    code = getattr(exc, "errno", None)
    words = str(exc).lower()
    for codes, said, what, advice in _FAULTS:
        if code in codes or said in words:
            return f"{what.format(where=where)}; {advice}"
    return None


class QueryError(KgError):
    """A SPARQL query is malformed or cannot be evaluated; the message is the parser's."""

    exit_code = 2
    http_status = 400


class QueryRefused(KgError):
    """A well-formed SPARQL request that the settings forbid (SERVICE, LOAD, an update on a read-only service)."""

    exit_code = 2
    http_status = 403


class InconsistentGraphError(KgError):
    """The reasoner found the graph inconsistent (for example a node that is both a state and a person)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the graph is inconsistent: " + "; ".join(problems[:10]))
        self.problems = problems


class NoStoreError(StoreError):
    """A command that reads a store was given a location that holds none."""

    exit_code = 2
