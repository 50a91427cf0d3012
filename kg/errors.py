"""The project's typed errors, in one place.

CLI exit codes: 0 ok, 1 a problem was found (for example a readout failed to load),
2 bad input or usage.
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of every error this package raises on purpose."""


class ReadoutError(KgError):
    """A readout could not be loaded; ``path`` names the file, the message says why."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class VocabularyError(KgError):
    """A bundled vocabulary (actors, issues) is missing or malformed."""


class StoreError(KgError):
    """The store cannot be opened, read or written."""


class StoreInUseError(StoreError):
    """Another process holds the store."""


class QueryError(KgError):
    """A SPARQL query is malformed or cannot be evaluated; the message is the parser's."""


class InconsistentGraphError(KgError):
    """The reasoner found the graph inconsistent (for example a node that is both a state and a person)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("the graph is inconsistent: " + "; ".join(problems[:10]))
        self.problems = problems
