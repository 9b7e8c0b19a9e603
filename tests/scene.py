"""The scene every page-type check uses: one consultation with comments, positions, a letter,
files, a meeting, an analysis run and a published report; and the pages of each kind of visitor.

The accessibility checks (tests/e2e) and the language checks (tests/core/test_language.py) walk
the same pages, so a page added here is checked for both.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.accounts.operations import start_two_factor
from consult.analysis.jobs import run_analysis
from consult.analysis.models import DuplicateGroup, RunKind
from consult.analysis.operations import define_theme, request_run
from consult.attachments.models import AttachmentKind
from consult.attachments.operations import Upload, add_document, attach_position_paper
from consult.channels.models import Meeting, MeetingRegistration
from consult.comments.models import Channel, CommentKind
from consult.comments.operations import CommentData, LetterComment, LetterData, enter_letter
from consult.core.time import to_local, utcnow
from consult.moderation.models import PositionState, PositionStatus
from consult.moderation.operations import report_comment
from consult.reports.operations import publish_report
from tests.attachments.test_files import PDF


@pytest.fixture()
def scene(
    app,
    db,
    create_user,
    create_organisation,
    create_consultation,
    create_comment,
    create_support,
    create_position,
    areas,
):
    member = create_user(UserRole.MEMBER, email="czlonek@example.org", display_name="Ewa Członek")
    organisation = create_organisation("Fundacja Dostępna", members=[member])
    other = create_organisation("Stowarzyszenie Drugie")
    official = create_user(UserRole.OFFICIAL, email="urzednik@example.org", display_name="Jan Nowak")
    admin = create_user(UserRole.ADMIN, email="admin@example.org", display_name="Anna Kowalska")
    consultation = create_consultation("open", slug="program-dostepny", officials=[official])
    comment = create_comment(
        consultation,
        organisation,
        author=member,
        proposed_text="ustawie – należy przez to rozumieć ustawę o pożytku publicznym;",
    )
    create_support(comment, other)
    create_position(comment, PositionStatus.PARTLY_ACCEPTED, "Uwzględniono częściowo.")
    general = create_comment(consultation, other, None, kind=CommentKind.GENERAL, justification="Uwaga **ogólna**.")
    # A drafted answer and a reader's report: the positions table and the comment's moderation page show them.
    create_position(general, PositionStatus.NOTED, "Uwaga wykracza poza zakres projektu.", state=PositionState.DRAFT)
    report_comment(None, comment, "Proszę sprawdzić, czy uzasadnienie nie zawiera danych osobowych.")
    # The same comment again, grouped with the first, and a theme (the analysis pages).
    create_comment(
        consultation,
        other,
        proposed_text="Szanowni Państwo, ustawie – należy przez to rozumieć ustawę o pożytku publicznym.",
    )
    define_theme(official, consultation, "Definicje", "Słowniczek pojęć, ustawa o pożytku publicznym.")
    run = request_run(official, consultation, RunKind.THEMES, 2)
    db.session.commit()
    run_analysis(run.id)
    # Comments received another way, files and a meeting: every page of the channels module.
    meeting = Meeting(
        consultation_id=consultation.id,
        starts_at=utcnow() + timedelta(days=3),
        ends_at=utcnow() + timedelta(days=3, hours=2),
        place="Sala Obrad, pl. Wszystkich Świętych 3-4",
        description="1. Omówienie projektu.",
        registration_limit=10,
    )
    db.session.add(meeting)
    db.session.flush()
    db.session.add(MeetingRegistration(meeting_id=meeting.id, organisation_id=other.id))
    with app.test_request_context():
        enter_letter(
            consultation,
            official,
            LetterData(channel=Channel.PAPER, received_on=to_local(utcnow()).date(), organisation=other),
            [LetterComment(0, None, CommentData(CommentKind.GENERAL, justification="Uwaga z pisma."))],
        )
        add_document(
            consultation, official, AttachmentKind.JUSTIFICATION, "Uzasadnienie projektu", Upload("u.pdf", PDF)
        )
        attach_position_paper(comment, member, Upload("stanowisko.pdf", PDF))
    db.session.commit()
    closed = create_consultation("closed", slug="program-zamkniety", officials=[official])
    create_position(create_comment(closed, organisation, author=member), PositionStatus.ACCEPTED, "Tak.")
    with app.test_request_context():
        publish_report(closed, official)
    start_two_factor(official)  # the set-up page then shows the key, its address and the QR code
    db.session.commit()
    group = db.session.scalars(sa.select(DuplicateGroup)).one()
    return {
        "member": member,
        "organisation": organisation,
        "official": official,
        "admin": admin,
        "consultation": consultation,
        "group": group,
        "meeting": meeting,
    }


PUBLIC_PAGES = [
    "/",
    "/consultations/program-dostepny",
    "/consultations/program-dostepny/comments",
    "/consultations/program-dostepny/comments/1",
    "/login",
    "/register",
    "/forgot-password",
    "/organisations",
    "/consultations/program-dostepny/moderation-log",
    "/consultations/program-zamkniety/report",
    "/accessibility",
    "/feeds",
    "/consultations/program-dostepny/versions/1",
    "/consultations/program-zamkniety/report/v1",
    "/consultations/program-dostepny/search?q=organizacji",
]
MEMBER_PAGES = [
    "/my/organisations",
    "/my/comments",
    "/account",
    "/organisations/new",
    "/organisation-profile",
    "/consultations/program-dostepny/comment?paragraph=par-1-pkt-2",
    "/account/notifications",
    "/consultations/program-dostepny/comments",
    "/consultations/program-dostepny/comments/1",
    "/consultations/program-dostepny/comments/1/edit",
    "/consultations/program-dostepny/comments/1/withdraw",
    "/consultations/program-dostepny/comments/2/report",
    "/organisation-profile/edit",
    "/organisation-profile/members",
]
OFFICIAL_PAGES = [
    "/manage/",
    "/manage/consultations/new",
    "/manage/consultations/program-dostepny",
    "/manage/consultations/program-dostepny/import",
    "/manage/organisations",
    "/manage/consultations/program-dostepny/moderation",
    "/manage/consultations/program-dostepny/progress",
    "/manage/consultations/program-dostepny/positions",
    "/manage/consultations/program-dostepny/versions/1",
    "/manage/consultations/program-dostepny/comments/1",
    "/manage/consultations/program-dostepny/team",
    "/manage/consultations/program-dostepny/groups",
    "/manage/consultations/program-dostepny/groups/GROUP",
    "/manage/consultations/program-dostepny/themes",
    "/manage/consultations/program-zamkniety/report",
    "/manage/consultations/program-dostepny/announce",
    "/manage/consultations/program-dostepny/announcement",
    "/account/two-factor",
    "/manage/consultations/program-dostepny/letters",
    "/manage/consultations/program-dostepny/letters/new",
    "/manage/consultations/program-dostepny/documents",
    "/manage/consultations/program-dostepny/meetings",
    "/manage/consultations/program-dostepny/meeting-page",
    "/manage/consultations/program-dostepny/edit",
    "/manage/search?q=program",
]
ADMIN_PAGES = [
    "/admin/audit",
    "/admin/users",
    "/admin/outbox",
]


def expand(path: str, scene) -> str:
    path = path.replace("/groups/GROUP", f"/groups/{scene['group'].id}")
    path = path.replace("/meeting-page", f"/meetings/{scene['meeting'].id}")
    return path.replace("/organisation-profile", f"/organisations/{scene['organisation'].id}")
