"""Atom feeds (consultations, all or per area; one consultation's news) and iCalendar files
of deadlines (all, per area, per consultation): what to read, and the builders.

The builders take plain entries and events, so a page runs a fixed number of queries
whatever the number of consultations. Atom comes from feedgen, iCalendar from icalendar.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from feedgen.feed import FeedGenerator
from flask_babel import format_datetime
from flask_babel import gettext as _
from icalendar import Calendar, Event

from consult.accounts.models import Area
from consult.consultations.models import Consultation, ConsultationState, consultation_areas
from consult.core.mail import external_url
from consult.drafts.models import DraftVersion, VersionStatus
from consult.extensions import db

FEED_SIZE = 50  # entries in a feed: the newest consultations
CALENDAR_PAST_DAYS = 400  # deadlines kept in a calendar after they passed
MAX_AREA_NUMBER = 1000  # anything larger in a URL is no area (and must not reach the database's integer)


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    link: str
    updated: datetime
    text: str


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    title: str
    starts: datetime
    ends: datetime
    link: str
    text: str


# --- reading -----------------------------------------------------------------------------------


def has_feeds(consultation: Consultation) -> bool:
    """A consultation the public can follow (its news feed and calendar exist)."""
    return consultation.state == ConsultationState.PUBLISHED


def areas_in_order() -> list[Area]:
    return list(db.session.scalars(sa.select(Area).order_by(Area.number)))


def area_by_number(number: int) -> Area | None:
    if not 1 <= number <= MAX_AREA_NUMBER:
        return None
    return db.session.scalar(sa.select(Area).where(Area.number == number))


def published_consultations(area: Area | None = None, *, since: datetime | None = None) -> list[Consultation]:
    """Published consultations, newest opening first (all areas, or those that name ``area``)."""
    statement = sa.select(Consultation).where(Consultation.state == ConsultationState.PUBLISHED)
    if area is not None:
        statement = statement.where(
            Consultation.id.in_(
                sa.select(consultation_areas.c.consultation_id).where(consultation_areas.c.area_id == area.id)
            )
        )
    if since is not None:
        statement = statement.where(Consultation.closes_at >= since)
    return list(db.session.scalars(statement.order_by(Consultation.opens_at.desc(), Consultation.id.desc())))


def later_versions(consultation: Consultation) -> list[DraftVersion]:
    """Versions published after the first one (the first is the opening itself)."""
    return list(
        db.session.scalars(
            sa.select(DraftVersion)
            .where(
                DraftVersion.consultation_id == consultation.id,
                DraftVersion.status == VersionStatus.PUBLISHED,
                DraftVersion.number > 1,
            )
            .order_by(DraftVersion.number)
        )
    )


# --- what they say -------------------------------------------------------------------------------


def _when(moment: datetime) -> str:
    return format_datetime(moment, "d MMMM y, HH:mm")


def _url(consultation: Consultation) -> str:
    return external_url("consultations.show_consultation", slug=consultation.slug)


def consultation_entries(consultations: list[Consultation]) -> list[FeedEntry]:
    return [
        FeedEntry(
            id=_url(c),
            title=c.title,
            link=_url(c),
            updated=c.opens_at,
            text="\n\n".join(
                part
                for part in (
                    _(
                        "Comments from %(opens)s to %(closes)s (Kraków time).",
                        opens=_when(c.opens_at),
                        closes=_when(c.closes_at),
                    ),
                    _("Organiser: %(organiser)s", organiser=c.organiser) if c.organiser else "",
                    c.summary.strip(),
                )
                if part
            ),
        )
        for c in consultations[:FEED_SIZE]
    ]


def news_entries(consultation: Consultation, versions: list[DraftVersion], now: datetime) -> list[FeedEntry]:
    """Opening, each later version, closing and the report: what has happened so far."""
    url = _url(consultation)
    entries = []
    if consultation.opens_at <= now:
        entries.append(
            FeedEntry(
                f"{url}#opened",
                _("The consultation is open: %(title)s", title=consultation.title),
                url,
                consultation.opens_at,
                _("Comments can be sent until %(closes)s (Kraków time).", closes=_when(consultation.closes_at)),
            )
        )
    for version in versions:
        entries.append(
            FeedEntry(
                f"{url}#version-{version.number}",
                _("Version %(number)d of the draft", number=version.number),
                external_url("drafts.show_version", slug=consultation.slug, number=version.number),
                version.published_at,
                version.title,
            )
        )
    if consultation.closes_at <= now:
        entries.append(
            FeedEntry(
                f"{url}#closed",
                _("The consultation is closed: %(title)s", title=consultation.title),
                url,
                consultation.closes_at,
                _("Comments were accepted until %(closes)s (Kraków time).", closes=_when(consultation.closes_at)),
            )
        )
    if consultation.report_published_at is not None:
        report = external_url("reports.show_report", slug=consultation.slug)
        entries.append(
            FeedEntry(
                f"{url}#report",
                _("The consultation report is published"),
                report,
                consultation.report_published_at,
                report,
            )
        )
    return sorted(entries, key=lambda e: e.updated, reverse=True)


def deadline_events(consultations: list[Consultation]) -> list[CalendarEvent]:
    """For each consultation: the time for comments, and the deadline itself (a short event to remind by)."""
    events = []
    for c in consultations:
        url = _url(c)
        events.append(
            CalendarEvent(
                uid=f"consultation-{c.id}-period",
                title=_("Consultation: %(title)s", title=c.title),
                starts=c.opens_at,
                ends=c.closes_at,
                link=url,
                text=c.summary.strip(),
            )
        )
        events.append(
            CalendarEvent(
                uid=f"consultation-{c.id}-deadline",
                title=_("Deadline for comments: %(title)s", title=c.title),
                starts=c.closes_at - timedelta(minutes=30),
                ends=c.closes_at,
                link=url,
                text=_("Comments can be sent until %(closes)s (Kraków time).", closes=_when(c.closes_at)),
            )
        )
    return events


# --- the files -----------------------------------------------------------------------------------


def atom_feed(feed_id: str, title: str, self_url: str, page_url: str, entries: list[FeedEntry], now: datetime) -> bytes:
    feed = FeedGenerator()
    feed.id(feed_id)
    feed.title(title)
    feed.link(href=self_url, rel="self")
    feed.link(href=page_url, rel="alternate")
    feed.author({"name": _("Consult — public consultations")})
    feed.language("pl")
    feed.updated(max((e.updated for e in entries), default=now))
    for item in reversed(entries):  # feedgen lists the last added first
        entry = feed.add_entry()
        entry.id(item.id)
        entry.title(item.title)
        entry.link(href=item.link)
        entry.updated(item.updated)
        entry.content(item.text or item.title, type="text")
    return feed.atom_str(pretty=True)


def ical_calendar(name: str, events: list[CalendarEvent], now: datetime, domain: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Consult//public consultations//PL")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    for item in events:
        event = Event()
        event.add("uid", f"{item.uid}@{domain}")
        event.add("dtstamp", now)
        event.add("dtstart", item.starts)
        event.add("dtend", item.ends)
        event.add("summary", item.title)
        event.add("url", item.link)
        event.add("description", "\n\n".join(part for part in (item.text, item.link) if part))
        calendar.add_component(event)
    return calendar.to_ical()
