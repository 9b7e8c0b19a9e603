"""Searching a consultation's draft and comments (everyone), and every consultation (officials)."""

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user

from consult.consultations.queries import visible_consultation_or_404
from consult.core.inputs import int_arg
from consult.search.queries import MAX_PROVISIONS, search
from consult.search.text import MAX_QUERY, highlight, search_terms

bp = Blueprint("search", __name__)
bp.add_app_template_filter(highlight, "search_highlight")


def _results_page(consultation, endpoint: str, **view_args):
    """The form, and the results when something was searched for (``?q=``)."""
    query = (request.args.get("q") or "")[:MAX_QUERY]
    terms = search_terms(query)
    results = search(terms, [consultation.id] if consultation else None, page=int_arg("page", 1)) if terms else None
    return render_template(
        "search/search_view.html",
        consultation=consultation,
        query=query,
        searched=bool(query.strip()),
        results=results,
        action=url_for(endpoint, **view_args),
        page_url=url_for(endpoint, q=query, page="__page__", **view_args),
        max_provisions=MAX_PROVISIONS,
    )


@bp.get("/consultations/<slug>/search")
def search_consultation(slug: str):
    return _results_page(visible_consultation_or_404(slug, current_user), "search.search_consultation", slug=slug)


@bp.get("/manage/search")
def search_consultations():
    """Officials (every page under /manage is theirs): the drafts and comments of every consultation."""
    return _results_page(None, "search.search_consultations")
