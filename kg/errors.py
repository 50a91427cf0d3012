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
