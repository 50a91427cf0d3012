"""The Host check (no DNS rebinding), done before Flask sees the request.

Host names are compared case-insensitively and without their port; an IPv6 address is written in
brackets (``[::1]``, ``[::1]:8000``), as in a URL. Werkzeug's own check (Flask's
``TRUSTED_HOSTS``) compares case-sensitively and cannot match a bracketed IPv6 address, so the
app checks here, against the same ``TRUSTED_HOSTS`` setting, and hands Flask the name in lower
case.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, Request


def host_name(header: str) -> str | None:
    """The host of a ``Host`` header in lower case, its port left out; None when it is not one."""
    value = header.strip().lower()
    if value.startswith("["):
        end = value.find("]")
        if end < 0:
            return None
        rest = value[end + 1 :]
        if rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return None
        return value[: end + 1]
    name, _, port = value.partition(":")
    if port and not port.isdigit():
        return None
    return name or None


def trusted(header: str, names: Iterable[str]) -> bool:
    host = host_name(header)
    return host is not None and host in {n.strip().lower() for n in names}


class _Request(Request):
    """Flask's own Host check is left to :func:`init_app`'s (which already ran)."""

    @property  # type: ignore[override]
    def trusted_hosts(self) -> None:
        return None

    @trusted_hosts.setter
    def trusted_hosts(self, _value: object) -> None:
        pass


def init_app(app: Flask) -> None:
    app.request_class = _Request
    inner = app.wsgi_app

    def check(environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        names = app.config.get("TRUSTED_HOSTS")
        header = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "")
        if names and not trusted(header, names):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return [b"400 Bad Request: untrusted host\n"]
        if "HTTP_HOST" in environ:
            environ["HTTP_HOST"] = environ["HTTP_HOST"].strip().lower()
        return inner(environ, start_response)

    app.wsgi_app = check  # type: ignore[method-assign]
