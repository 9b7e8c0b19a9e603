"""templates/comments/_comments.html copies comment_wording() into comment_card() on purpose
(a macro call per comment is a measurable part of a page of thousands); this keeps the copy
and the macro saying the same thing for every kind of comment."""

import re
from types import SimpleNamespace

import pytest

from consult.comments.models import CommentKind

WHOLE_DRAFT = None


def _squash(html: str) -> str:
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


def _render(app, comment):
    context = {
        "comments_url_prefix": "/c/",
        "receipt_prefix": "KONS",
        "supporting_organisations": [],
        "comments_closed_message": None,
        "page_url": "/page",
        "comments": SimpleNamespace(earlier_wording=set()),  # none made on an earlier wording
    }
    app.update_template_context(context)  # what the page's context processors add (CommentKind, …)
    module = app.jinja_env.get_template("comments/_comments.html").make_module(context)
    card = str(module.comment_card(comment, []))
    # What follows the meta line in the card is the inlined wording (no supporters, position or controls).
    inlined = card.split('<p class="comment-meta">', 1)[1].split("</p>", 1)[1].rsplit("</article>", 1)[0]
    return _squash(inlined), _squash(str(module.comment_wording(comment)))


@pytest.mark.parametrize("label", ["§ 1 pkt 1", WHOLE_DRAFT], ids=["paragraph", "whole-draft"])
@pytest.mark.parametrize("kind", list(CommentKind), ids=lambda k: k.value)
@pytest.mark.parametrize("locale", ["pl", "en"])
def test_the_inlined_wording_renders_as_the_macro_does(
    app, db, create_consultation, create_organisation, create_comment, kind, label, locale
):
    consultation = create_consultation("open")
    organisation = create_organisation("Fundacja Równych Szans")
    comment = create_comment(
        consultation,
        organisation,
        label,
        kind=kind,
        proposed_text="Nowe <b>brzmienie</b> z & znakami." if kind != CommentKind.DELETE else "",
        justification="Bo **tak** będzie lepiej.\n\nDrugi akapit z [linkiem](https://example.org).",
    )
    with app.test_request_context(f"/?lang={locale}"):
        inlined, macro = _render(app, comment)
    assert inlined == macro
    # Not two empty strings: the justification, and the diff where the kind shows one.
    assert "<strong>tak</strong>" in macro and "Drugi akapit" in macro
    shows_diff = kind == CommentKind.ADD or (label is not WHOLE_DRAFT and kind != CommentKind.GENERAL)
    assert ('class="diff"' in macro) == shows_diff
