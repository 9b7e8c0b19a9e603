"""The one way user text becomes HTML: Markdown (no raw HTML), then nh3.

markdown-it-py's ``js-default`` preset already refuses raw HTML and unsafe link
schemes; nh3 is the second wall, with an allowlist of the few tags light Markdown
needs, so a parser bug cannot turn into a script on the page.
"""

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

LINK_SCHEMES = frozenset({"http", "https", "mailto"})


def is_kept_link(url: str) -> bool:
    """Only absolute http, https and mailto links stay links.

    Anything else becomes plain text: ``javascript:`` and ``file:`` for the obvious reasons,
    and a relative address because it means something else in every place the text is
    shown — WeasyPrint (the version files' PDF) resolves it against the server's static folder and writes a
    ``file:///…`` link into the PDF, revealing the installation path.
    """
    scheme, colon, rest = url.strip().partition(":")
    return bool(colon) and scheme.lower() in LINK_SCHEMES and (scheme.lower() == "mailto" or rest.startswith("//"))


_markdown = MarkdownIt("js-default", {"linkify": False, "typographer": False, "breaks": True})
_markdown.validateLink = is_kept_link  # type: ignore[method-assign]  # refused links are shown as the Markdown the user typed

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
        url_schemes=set(LINK_SCHEMES),
        url_relative="deny",
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)  # nh3 output is the only HTML we ever trust


def markdown_runs(source: str) -> list[tuple[str, str]]:
    """One Markdown paragraph as plain text in runs of ``(text, link)``: ``link`` is the
    address of a kept link (see :func:`is_kept_link`) or "". Emphasis marks go; a refused
    link stays as the Markdown typed, as on the web page. For documents that are not HTML."""
    runs: list[tuple[str, str]] = []
    link = ""
    for token in _markdown.parseInline(source)[0].children or []:
        if token.type == "link_open":
            link = str(token.attrGet("href") or "")
        elif token.type == "link_close":
            link = ""
        elif token.type in ("softbreak", "hardbreak"):
            runs.append(("\n", link))
        elif token.type in ("text", "code_inline"):
            runs.append((token.content, link))
    return runs
