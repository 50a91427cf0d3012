"""Pages: the query page, resource pages (with Turtle twins), readout pages, exports."""

from __future__ import annotations

import re
import time
from urllib.parse import quote

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request, url_for

import kg
from kg.errors import KgError
from web import state

bp = Blueprint("pages", __name__)


def _select():  # type: ignore[no-untyped-def]
    def run(query: str) -> tuple[int, bytes]:
        a = state.get().service.run(query, accept=["application/sparql-results+json"], client=state.client())
        return a.status, a.body

    return kg.selector(run)


def short(iri: str) -> str:
    return kg.curie(iri)


def safe_href(iri: str) -> str | None:
    """A link only for http(s) IRIs: our own resources go to their page, others out."""
    if kg.is_instance(iri):
        return url_for("pages.resource", iri=iri)
    if iri.startswith(("http://", "https://")) and re.match(r"https?://[^\s<>\"']+$", iri):
        return url_for("pages.resource", iri=iri) if kg.is_own(iri) else iri
    return None


@bp.app_template_filter("short")
def short_filter(iri: str) -> str:
    return short(iri)


@bp.app_template_filter("href")
def href_filter(iri: str) -> str | None:
    return safe_href(iri)


@bp.route("/")
def index() -> str:
    return render_template("index.html", examples=kg.examples(), query=request.args.get("query", ""))


@bp.route("/queries.json")
def queries_json() -> Response:
    found = kg.examples()
    return jsonify([{"name": e.name, "title": e.title, "description": e.description, "query": e.text} for e in found])


@bp.route("/resource")
def resource() -> Response | str:
    iri = request.args.get("iri", "")
    if not re.match(r"https?://[^\s<>\"{}|\\^`]+$", iri):
        abort(400, "give an http(s) IRI: /resource?iri=...")
    if _wants_turtle():
        return turtle(iri)
    select = _select()
    t0 = time.perf_counter()
    res = kg.resource(select, iri)
    if not res.facts and not res.incoming:
        abort(404, f"nothing is known about {iri}")
    view = kg.readout(select, iri) if kg.is_readout(res.types) else None
    pieces = kg.segments(view.text, view.spans) if view else []
    return render_template("resource.html", res=res, view=view, pieces=pieces, ttl=url_for("pages.resource_ttl", iri=iri),
                           seconds=time.perf_counter() - t0)  # fmt: skip


def _wants_turtle() -> bool:
    best = request.accept_mimetypes.best_match(["text/html", "text/turtle"])
    return best == "text/turtle"


@bp.route("/resource.ttl")
def resource_ttl() -> Response:
    iri = request.args.get("iri", "")
    if not re.match(r"https?://[^\s<>\"{}|\\^`]+$", iri):
        abort(400, "give an http(s) IRI: /resource.ttl?iri=...")
    return turtle(iri)


def turtle(iri: str) -> Response:
    answer = state.get().service.run(f"DESCRIBE <{iri}>", accept=["text/turtle"], client=state.client())
    if answer.status != 200:
        abort(answer.status, answer.body.decode("utf-8", "replace"))
    resp = Response(answer.body, content_type="text/turtle; charset=utf-8")
    resp.headers["Content-Disposition"] = f'inline; filename="{quote(short(iri).replace(":", "-").replace("/", "-"))}.ttl"'
    return resp


@bp.route("/id/<path:rest>")
def by_id(rest: str):  # type: ignore[no-untyped-def]
    return redirect(url_for("pages.resource", iri=kg.instance_iri(rest)))


@bp.route("/export.<ext>")
def export(ext: str) -> Response:
    fmt = kg.format_by_extension(ext)
    if fmt is None:
        abort(404)
    selection = request.args.get("graph", "all")
    st = state.get().store
    try:
        data = kg.export(st, fmt.name, selection)
    except KgError as exc:
        abort(404, str(exc))
    name = "kg" if selection == "all" else re.sub(r"[^\w.-]+", "-", selection.rsplit("/", 1)[-1])
    resp = Response(data, content_type=fmt.content_type)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}.{fmt.extension}"'
    return resp


@bp.route("/exports")
def exports() -> str:
    st = state.get().store
    formats = {kg.export_format(n).extension: n for n in kg.export_formats()}
    return render_template("exports.html", readouts=st.readout_graphs(), formats=formats)
