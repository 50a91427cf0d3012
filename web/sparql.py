"""The SPARQL 1.1 Protocol endpoint at /sparql (queries via GET, POST form, POST sparql-query).

Read-only unless ALLOW_UPDATES. The request is read by ``kg`` (tokens, never regular
expressions): malformed is 400 with the parser's message, SERVICE/LOAD and updates that are off
are 403 with the reason, a query over the time limit is 503. Results are negotiated (SPARQL
JSON/XML, CSV, TSV; Turtle, N-Triples, N-Quads, RDF/XML, JSON-LD for graphs); a result cut at the
row cap says so in ``X-KG-Truncated`` and in its body where the format has room. Every answer of
/sparql, errors included, carries CORS headers, so that browser clients such as YASGUI can show
the reason of a refusal; errors are JSON.
"""

from __future__ import annotations

from urllib.parse import parse_qs

from flask import Blueprint, Response, abort, current_app, request

import kg

from kg.errors import KgError
from web import state

bp = Blueprint("sparql", __name__)

QUERY_MEDIA = "application/sparql-query"
UPDATE_MEDIA = "application/sparql-update"
FORM_MEDIA = "application/x-www-form-urlencoded"


def _accept(params: dict[str, list[str]] | None = None) -> list[str]:
    """The media types the client wants, in order: a ``format`` parameter first (a media type, or a
    format's file extension such as ``csv``, as the query page's download links send), then Accept."""
    wanted: list[str] = []
    for value in (params or {}).get("format", [])[:1]:
        if "/" in value:
            wanted.append(value)
        elif kg.media_types_named(value):
            wanted.extend(kg.media_types_named(value))
        else:
            abort(400, f"unknown format {value!r} (give csv, tsv, json, xml, ttl, nt ... or a media type)")
    return wanted + [m for m, _q in request.accept_mimetypes if m != "*/*"] + ["*/*"]


def _params() -> dict[str, list[str]]:
    """URL parameters, and form parameters for a form POST (decoded strictly as UTF-8)."""
    params = dict(parse_qs(request.query_string.decode("utf-8", "replace"), keep_blank_values=True))
    if request.method == "POST" and request.mimetype == FORM_MEDIA:
        raw = request.get_data(cache=True)
        try:
            body = raw.decode("utf-8")
        except UnicodeDecodeError:
            abort(400, "the form body is not UTF-8")
        for k, v in parse_qs(body, keep_blank_values=True).items():
            params.setdefault(k, []).extend(v)
    return params


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name, [])
    if len(values) > 1:
        abort(400, f"more than one {name} parameter")
    return values[0] if values else None


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response:
    if request.method == "OPTIONS":
        return _empty(204)
    params = _params()
    query, update = _one(params, "query"), _one(params, "update")
    if request.method == "POST":
        if not request.mimetype:
            abort(400, "a POST needs a Content-Type (application/sparql-query, application/sparql-update or a form)")
        if request.mimetype in (QUERY_MEDIA, UPDATE_MEDIA):
            try:
                text = request.get_data(cache=True).decode("utf-8")
            except UnicodeDecodeError:
                abort(400, "the request body is not UTF-8")
            if query is not None or update is not None:
                abort(400, "the operation is both in the body and in a parameter")
            query, update = (text, None) if request.mimetype == QUERY_MEDIA else (None, text)
        elif request.mimetype != FORM_MEDIA:
            abort(415, f"unsupported Content-Type {request.mimetype}: send application/sparql-query, "
                       "application/sparql-update or a form")  # fmt: skip
    if query is not None and update is not None:
        abort(400, "a request carries either a query or an update, not both")
    if update is not None:
        if request.method != "POST":
            abort(400, "updates must be POSTed")
        return _update(update, params)
    if query is None:
        return Response("SPARQL endpoint: send a query with ?query=... (GET) or POST it.\n", mimetype="text/plain")
    answer = state.get().service.run(
        query,
        accept=_accept(params),
        default_graphs=params.get("default-graph-uri"),
        named_graphs=params.get("named-graph-uri"),
        base_iri=request.base_url,
        client=state.client(),
    )
    resp = Response(answer.body, status=answer.status, content_type=answer.media_type)
    if answer.truncated:
        resp.headers["X-KG-Truncated"] = f"true; {answer.truncated}"
    resp.headers["Vary"] = "Accept"
    return resp


def _update(text: str, params: dict[str, list[str]]) -> Response:
    if not current_app.config["ALLOW_UPDATES"]:
        abort(403, "this endpoint is read-only (updates are off; see the ALLOW_UPDATES setting)")
    origin = request.headers.get("Origin")
    if origin and origin.rstrip("/") != request.host_url.rstrip("/"):
        abort(403, "updates are not accepted from another site's page (Origin differs)")  # no cross-site forgery
    try:
        state.get().update(text, using=params.get("using-graph-uri", []),
                           using_named=params.get("using-named-graph-uri", []), base=request.base_url)  # fmt: skip
    except KgError as exc:
        abort(exc.http_status, str(exc))
    return _empty(204)


def _empty(status: int) -> Response:
    """An answer with no body, hence no body type."""
    resp = Response(status=status)
    del resp.headers["Content-Type"]
    return resp


@bp.after_app_request
def cors(resp: Response) -> Response:
    """CORS on every answer of /sparql, errors included: queries change nothing, so any origin may
    read them (YASGUI POSTs its queries); updates from another origin are refused above."""
    if request.path == "/sparql":
        resp.headers["Access-Control-Allow-Origin"] = "*"
        resp.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        resp.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        resp.headers["Access-Control-Expose-Headers"] = "X-KG-Truncated"
    return resp
