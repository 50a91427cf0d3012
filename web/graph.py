"""The graph page: states, persons, meetings and issues, and the alignments between states."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request

import kg
from web import state
from web.pages import _select

bp = Blueprint("graph", __name__)


@bp.route("/graph")
def page() -> str:
    return render_template("graph.html")


@bp.route("/graph.json")
def data() -> Response:
    args = request.args
    filters = {"issue": args.get("issue") or None, "stance": args.get("stance") or None,
               "start": args.get("from") or None, "end": args.get("to") or None,
               "publisher": args.get("publisher") or None, "detail": args.get("detail") == "1"}  # fmt: skip
    select = _select()  # the queries run for this request's client
    result = state.get().cached(("graph.json", *filters.items()), lambda: kg.network(select, **filters))
    return jsonify(result)
