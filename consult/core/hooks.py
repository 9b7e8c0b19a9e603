"""Places where a module lower down shows what modules above it add, without importing them.

A module depends only on modules below it (core ← accounts ← consultations ← drafts ←
comments ← moderation ← reports ← analysis ← api). Where a page or a download of a lower module must
include something of a higher one, the lower module names a hook here and calls
:func:`contributions`; the higher module adds its function when its blueprint is
registered::

    @bp.record_once
    def _contribute(state):
        contribute(state.app, PERSONAL_DATA, personal_data_of)

Each hook says what its functions take and return.
"""

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

#: ``(user) -> {section name: [rows]}``: more of what the platform holds about a person, for the
#: personal-data download (accounts).
PERSONAL_DATA = "personal_data"
#: ``(consultation, now) -> {template variable: value}``: what the public page of a consultation
#: shows below its facts: the draft and its comments (consultations).
CONSULTATION_PAGE = "consultation_page"
#: ``(comment, user, now) -> {template variable: value}``: what the page of one comment shows
#: besides its text: the files attached to it (comments).
COMMENT_PAGE = "comment_page"
#: ``(consultation, comment_ids) -> {template variable: value}``: what a list of comments shows
#: with each comment besides its text: its position papers (comments).
COMMENT_LIST = "comment_list"
#: ``(consultations) -> [consult.consultations.feeds.CalendarEvent]``: more events of those
#: consultations for the iCalendar files (their meetings) (consultations).
CALENDAR_EVENTS = "calendar_events"

_KEY = "consult.hooks"


def contribute(app: Flask, hook: str, function: Callable[..., Any]) -> None:
    app.extensions.setdefault(_KEY, {}).setdefault(hook, []).append(function)


def contributions(hook: str) -> list[Callable[..., Any]]:
    """The functions added to ``hook`` in this application, in the order their modules were registered."""
    return list(current_app.extensions.get(_KEY, {}).get(hook, []))
