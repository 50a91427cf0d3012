"""The web app: an app factory over ``kg`` (query page, SPARQL endpoint, resource pages, graph, exports).

Configuration flows one way: the defaults of :mod:`web.settings`, then the instance's
``config.py``, then ``KG_*`` environment variables, then ``test_config``.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from web.settings import SETTINGS, defaults


def _from_env(app: Flask) -> None:
    for s in SETTINGS:
        raw = os.environ.get(f"KG_{s.name}")
        if raw is None:
            continue
        if isinstance(s.default, bool):
            app.config[s.name] = raw.lower() in ("1", "true", "yes", "on")
        elif isinstance(s.default, (int, float)):
            app.config[s.name] = type(s.default)(raw)
        elif isinstance(s.default, list):
            app.config[s.name] = [x.strip() for x in raw.split(",") if x.strip()]
        else:
            app.config[s.name] = raw


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(defaults())
    app.config.from_pyfile("config.py", silent=True)
    _from_env(app)
    if test_config:
        app.config.from_mapping(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    from web import errors, graph, hosts, pages, sparql, state

    hosts.init_app(app)
    state.init_app(app)
    errors.init_app(app)
    app.register_blueprint(sparql.bp)
    app.register_blueprint(pages.bp)
    app.register_blueprint(graph.bp)

    @app.after_request
    def security_headers(response):  # type: ignore[no-untyped-def]
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    return app
