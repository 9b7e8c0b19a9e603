"""The one way user text becomes HTML: Markdown (no raw HTML), then nh3.

markdown-it-py's ``js-default`` preset already refuses raw HTML and unsafe link
schemes; nh3 is the second wall, with an allowlist of the few tags light Markdown
needs, so a parser bug cannot turn into a script on the page.
"""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("js-default", {"linkify": False, "typographer": False, "breaks": True})

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "blockquote", "code", "pre", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


def render_markdown(source: str | None) -> Markup:
    if not source:
        return Markup("")
    html = _markdown.render(source)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)  # nh3 output is the only HTML we ever trust
