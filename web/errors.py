"""One error handler: JSON on API paths (/sparql, *.json), an HTML page elsewhere; never a stack trace."""

from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError


def _wants_json() -> bool:
    return request.path.startswith("/sparql") or request.path.endswith(".json")


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        if isinstance(exc, SecurityError):  # an untrusted Host: nothing of the app may be built for it
            return Response(f"{exc.code} {exc.name}: untrusted host\n", status=exc.code, mimetype="text/plain")
        if _wants_json():
            return jsonify(error=exc.name, status=exc.code, message=exc.description), exc.code
        return render_template("error.html", code=exc.code, name=exc.name, message=exc.description), exc.code

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unexpected error on %s", request.path)
        return http_error(InternalServerError())
