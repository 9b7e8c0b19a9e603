"""Filters and globals for templates: formatting only, never queries."""

import re
from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import format_date, format_datetime, get_locale, ngettext
from jinja2 import pass_context
from markupsafe import Markup, escape

from consult.core.diff import render_diff, render_new_side, render_old_side, render_word_diff
from consult.core.forms import Mistake, page_mistakes
from consult.core.labels import content_attributes, register_label_filters
from consult.core.permissions import register_can
from consult.core.sanitise import render_markdown
from consult.core.time import utcnow


def local_datetime(moment: datetime | None, style: str = "long") -> str:
    """A UTC moment as Kraków time, in the page's language (Flask-Babel's zone)."""
    if moment is None:
        return ""
    pattern = {
        "long": "d MMMM y, HH:mm",
        "seconds": "d MMMM y, HH:mm:ss",
        "short": "dd.MM.y HH:mm",
        "date": "d MMMM y",
    }[style]
    return format_datetime(moment, pattern)


def long_date(day: date | None) -> str:
    """A calendar day (not a moment: no time zone) in the page's language: "12 March 2027"."""
    return format_date(day, "d MMMM y") if day is not None else ""


def time_left(deadline: datetime, now: datetime | None = None) -> str:
    """ "3 days 4 hours" until the deadline, or an empty string once it has passed."""
    seconds = int((deadline - (now or utcnow())).total_seconds())
    if seconds <= 0:
        return ""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(ngettext("%(num)d day", "%(num)d days", days))
    if hours or days:
        parts.append(ngettext("%(num)d hour", "%(num)d hours", hours))
    if not days:
        parts.append(ngettext("%(num)d minute", "%(num)d minutes", minutes))
    return " ".join(parts)


def url_with_lang(lang: str) -> str:
    """The current page in another language (the choice is then remembered)."""
    args = request.args.to_dict()
    args["lang"] = lang
    return request.path + "?" + urlencode(args)


def content_lang() -> Markup:
    """` lang="pl"` on an element holding what people wrote, when the page speaks another
    language (WCAG 3.1.2: a screen reader then reads the Polish words as Polish)."""
    return Markup("").join(Markup(' {}="{}"').format(name, value) for name, value in content_attributes().items())


@pass_context
def page_errors(context) -> list[Mistake]:
    """The mistakes of the forms the page was given, for the error summary and the title
    (base.html): every form gets the summary without its template doing anything."""
    return page_mistakes(context.get_all().values())


_LONG_WORD = re.compile(r"(\S{30,})")


def break_long_words(text: str | None) -> Markup:
    """Text, escaped, where each run of 30 or more characters without a space (an address, a file
    name) may break anywhere: the narrow columns of a table then make room without cutting the
    other words in the middle ("Organi-zacja"), which ``overflow-wrap: anywhere`` on a whole cell did."""
    parts = _LONG_WORD.split(text or "")
    return Markup("").join(
        Markup('<span class="break-anywhere">%s</span>') % part if index % 2 else escape(part)
        for index, part in enumerate(parts)
    )


def register_template_helpers(app: Flask) -> None:
    app.add_template_global(content_lang, "content_lang")
    app.add_template_global(content_attributes, "content_attributes")
    app.add_template_global(page_errors, "page_errors")
    register_label_filters(app)
    register_can(app)
    app.jinja_env.add_extension("jinja2.ext.do")  # _forms.html builds aria-describedby lists
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(time_left, "time_left")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(render_markdown, "markdown")
    app.add_template_filter(break_long_words, "break_long_words")
    app.add_template_filter(render_word_diff, "word_diff")
    app.add_template_filter(render_old_side, "diff_old_side")
    app.add_template_filter(render_new_side, "diff_new_side")
    app.add_template_filter(render_diff, "render_diff_parts")
    app.add_template_global(url_with_lang, "url_with_lang")
    app.add_template_global(get_locale, "get_locale")
