"""Places where a module lower down shows what modules above it add, without importing them.

A module depends only on modules below it (the order is written out, and checked, in
tests/test_layers.py: core ← accounts ← notices ← consultations, drafts ← comments ← moderation,
channels, attachments, notifications, analysis ← reports ← api). Where a page or a download of a lower module must
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
#: ``(user) -> None``: what a module forgets of a person before their account is erased (the
#: outbox knows them by the address about to be erased) (accounts).
ACCOUNT_ERASED = "account_erased"
#: ``(consultation, now) -> {template variable: value}``: what the public page of a consultation
#: shows below its facts: the draft and its comments (consultations).
CONSULTATION_PAGE = "consultation_page"
#: ``(consultation, document, now, current) -> {template variable: value}``: what a page of a version
#: of the draft (the consultation's page, an earlier version) shows with its provisions: how many
#: comments each has and where they are listed (consultations, drafts).
VERSION_PAGE = "version_page"
#: ``(comment, user, now) -> {template variable: value}``: what the page of one comment shows
#: besides its text: the files attached to it (comments).
COMMENT_PAGE = "comment_page"
#: ``(consultation, comment_ids) -> {template variable: value}``: what a list of comments shows
#: with each comment besides its text: its position papers (comments).
COMMENT_LIST = "comment_list"
#: ``(consultation) -> None``: what a module does when a consultation is published, before the
#: commit: the announcement to the interested organisations, started once the change is saved
#: (consultations).
CONSULTATION_PUBLISHED = "consultation_published"
#: ``(version, actor) -> None``: a version of the draft was made (imported or edited) or its
#: matching corrected, before the commit: what the modules above derive from its changes
#: (moderation suggests the comments behind each change) (drafts).
VERSION_MATCHED = "version_matched"
#: ``(version) -> None``: a later version of the draft of a published consultation was published,
#: before the commit: who is told of it (comments tells the organisations that commented) (drafts).
NEW_VERSION_PUBLISHED = "new_version_published"
#: ``(consultations) -> [consult.consultations.feeds.CalendarEvent]``: more events of those
#: consultations for the iCalendar files (their meetings) (consultations).
CALENDAR_EVENTS = "calendar_events"

_KEY = "consult.hooks"


def contribute(app: Flask, hook: str, function: Callable[..., Any]) -> None:
    app.extensions.setdefault(_KEY, {}).setdefault(hook, []).append(function)


def contributions(hook: str) -> list[Callable[..., Any]]:
    """The functions added to ``hook`` in this application, in the order their modules were registered."""
    return list(current_app.extensions.get(_KEY, {}).get(hook, []))


def merged(hook: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The template variables every function added to ``hook`` gives for these arguments, together."""
    variables: dict[str, Any] = {}
    for function in contributions(hook):
        variables.update(function(*args, **kwargs))
    return variables
