"""Telling the world: feeds and calendars (public) and the BIP text (officials). The announcement
with its preview of who will be told and the invitations is the notifications module's page."""

from datetime import timedelta

from flask import Response, abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from consult.consultations import announcement as bip
from consult.consultations import feeds
from consult.consultations.queries import consultation_or_404, visible_consultation_or_404
from consult.consultations.views import bp
from consult.core.hooks import CALENDAR_EVENTS, contributions
from consult.core.mail import external_url
from consult.core.time import utcnow

bp.add_app_template_global(feeds.has_feeds, "has_feeds")

ATOM = "application/atom+xml; charset=utf-8"
ICS = "text/calendar; charset=utf-8"


def _area_or_404(number: int):
    area = feeds.area_by_number(number)
    if area is None:
        abort(404)
    return area


def _domain() -> str:
    return request.host.split(":")[0] or "consult"


# --- feeds and calendars (public) --------------------------------------------------------------


@bp.get("/feeds")
def list_feeds():
    return render_template("consultations/feeds_view.html", areas=feeds.areas_in_order())


@bp.get("/feeds/consultations.atom")
def show_consultations_feed():
    now = utcnow()
    body = feeds.atom_feed(
        external_url("consultations.show_consultations_feed"),
        _("Public consultations"),
        external_url("consultations.show_consultations_feed"),
        external_url("consultations.list_consultations"),
        feeds.consultation_entries(feeds.published_consultations()),
        now,
    )
    return Response(body, content_type=ATOM)


@bp.get("/feeds/areas/<int:number>.atom")
def show_area_feed(number: int):
    area = _area_or_404(number)
    now = utcnow()
    url = external_url("consultations.show_area_feed", number=number)
    body = feeds.atom_feed(
        url,
        _("Public consultations: %(area)s", area=area.name(str(get_locale()))),
        url,
        external_url("consultations.list_consultations"),
        feeds.consultation_entries(feeds.published_consultations(area)),
        now,
    )
    return Response(body, content_type=ATOM)


@bp.get("/consultations/<slug>/news.atom")
def show_news_feed(slug: str):
    consultation = visible_consultation_or_404(slug, current_user)
    if not feeds.has_feeds(consultation):
        abort(404)
    now = utcnow()
    url = external_url("consultations.show_news_feed", slug=slug)
    body = feeds.atom_feed(
        url,
        _("News of the consultation: %(title)s", title=consultation.title),
        url,
        external_url("consultations.show_consultation", slug=slug),
        feeds.news_entries(consultation, feeds.later_versions(consultation), now),
        now,
    )
    return Response(body, content_type=ATOM)


def _calendar(name: str, consultations, filename: str) -> Response:
    now = utcnow()
    events = feeds.deadline_events(consultations)
    for more in contributions(CALENDAR_EVENTS):  # meetings: a module above this one
        events += more(consultations)
    body = feeds.ical_calendar(name, events, now, _domain())
    return Response(body, content_type=ICS, headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.get("/calendar/consultations.ics")
def show_calendar():
    since = utcnow() - timedelta(days=feeds.CALENDAR_PAST_DAYS)
    return _calendar(_("Public consultations"), feeds.published_consultations(since=since), "konsultacje.ics")


@bp.get("/calendar/areas/<int:number>.ics")
def show_area_calendar(number: int):
    area = _area_or_404(number)
    since = utcnow() - timedelta(days=feeds.CALENDAR_PAST_DAYS)
    return _calendar(
        _("Public consultations: %(area)s", area=area.name(str(get_locale()))),
        feeds.published_consultations(area, since=since),
        f"konsultacje-obszar-{number}.ics",
    )


@bp.get("/consultations/<slug>/calendar.ics")
def show_consultation_calendar(slug: str):
    consultation = visible_consultation_or_404(slug, current_user)
    if not feeds.has_feeds(consultation):
        abort(404)
    return _calendar(consultation.title, [consultation], f"{slug}.ics")


# --- the BIP announcement (officials) ----------------------------------------------------------


@bp.get("/manage/consultations/<slug>/announcement")
def show_announcement(slug: str):
    consultation = consultation_or_404(slug)
    return render_template(
        "consultations/announcement_view.html", consultation=consultation, announcement=bip.announcement(consultation)
    )


@bp.get("/manage/consultations/<slug>/announcement.<any(docx, odt):fmt>")
def download_announcement(slug: str, fmt: str):
    consultation = consultation_or_404(slug)
    text = bip.announcement(consultation)
    body, mimetype = (
        (bip.to_docx(text), "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        if fmt == "docx"
        else (bip.to_odt(text), "application/vnd.oasis.opendocument.text")
    )
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="ogloszenie-{slug}.{fmt}"'},
    )
