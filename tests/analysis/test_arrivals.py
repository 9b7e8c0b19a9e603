"""Grouping as comments arrive: sent online, entered by the office, edited, withdrawn."""

import pytest
import sqlalchemy as sa

from consult.accounts.models import OrganisationStatus, UserRole
from consult.analysis import jobs, operations
from consult.analysis.models import AnalysisRun, DuplicateGroup, GroupMember, GroupState, Theme, ThemeComment
from consult.comments.models import Channel, Comment, CommentKind
from consult.comments.operations import (
    CommentData,
    LetterComment,
    LetterData,
    edit_comment,
    enter_letter,
    submit_comment,
    withdraw_comment,
)
from consult.core.time import to_local, utcnow
from tests.analysis.conftest import CAMPAIGN, OTHER_CAMPAIGN, SINGLE


def _group_of(db, comment) -> int | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(GroupMember.group_id).where(GroupMember.comment_id == comment.id))


@pytest.fixture()
def members(create_user, create_organisation):
    """Three representatives of three verified organisations."""
    people = []
    for n in range(3):
        user = create_user(UserRole.MEMBER, email=f"rep{n}@example.org")
        create_organisation(f"Stowarzyszenie {n}", status=OrganisationStatus.VERIFIED, members=[user])
        people.append(user)
    return people


def _send(app, db, consultation, user, text, justification="Uzasadnienie."):
    with app.test_request_context():
        comment = submit_comment(
            consultation,
            None,
            user,
            user.memberships[0].organisation,
            CommentData(CommentKind.GENERAL, proposed_text="", justification=f"{text} {justification}"),
        ).comment
        db.session.commit()
    return comment


def test_a_comment_sent_online_joins_its_group_when_it_is_committed(app, db, setting, members):
    consultation, _official, _orgs = setting
    first = _send(app, db, consultation, members[0], CAMPAIGN)
    assert _group_of(db, first) is None  # alone so far, but looked at
    assert operations.waiting_count(consultation.id) == 0
    second = _send(app, db, consultation, members[1], "Dzień dobry, " + CAMPAIGN.lower())
    group = _group_of(db, second)
    assert group is not None and _group_of(db, first) == group
    third = _send(app, db, consultation, members[2], SINGLE)
    assert _group_of(db, third) is None


def test_a_rolled_back_comment_starts_no_grouping(app, db, setting, members):
    consultation, _official, _orgs = setting
    with app.test_request_context():
        submit_comment(
            consultation,
            None,
            members[0],
            members[0].memberships[0].organisation,
            CommentData(CommentKind.GENERAL, justification=CAMPAIGN),
        )
        db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnalysisRun)) == 0


def test_comments_entered_by_the_office_join_the_group_of_those_sent_online(app, db, setting, members):
    consultation, official, orgs = setting
    online = _send(app, db, consultation, members[0], CAMPAIGN, justification="")
    received_on = to_local(utcnow()).date()
    with app.test_request_context():
        letter = enter_letter(
            consultation,
            official,
            LetterData(channel=Channel.PAPER, received_on=received_on, organisation=orgs[0]),
            [
                LetterComment(0, None, CommentData(CommentKind.GENERAL, justification="Szanowni Państwo, " + CAMPAIGN)),
                LetterComment(1, None, CommentData(CommentKind.GENERAL, justification=OTHER_CAMPAIGN)),
            ],
            now=utcnow(),
        )
        db.session.commit()
    entered = sorted(letter.comments, key=lambda c: c.number)
    assert _group_of(db, entered[0]) == _group_of(db, online) is not None
    assert _group_of(db, entered[1]) is None
    assert operations.waiting_count(consultation.id) == 0
    # The whole letter was one transaction: one run looked at its two comments.
    assert db.session.scalars(sa.select(AnalysisRun.message).order_by(AnalysisRun.id.desc())).first() == (
        "grouped=2 themes_mapped=0"
    )


def test_an_edited_comment_leaves_a_group_it_no_longer_matches_and_joins_one_it_now_matches(app, db, setting, members):
    consultation, official, _orgs = setting
    a = _send(app, db, consultation, members[0], CAMPAIGN)
    b = _send(app, db, consultation, members[1], CAMPAIGN)
    c = _send(app, db, consultation, members[2], OTHER_CAMPAIGN)
    group_id = _group_of(db, a)
    assert group_id == _group_of(db, b) and _group_of(db, c) is None
    operations.confirm_group(official, db.session.get(DuplicateGroup, group_id))
    db.session.commit()

    # b now says what c says: its old group of two is no group, and b and c make a new one.
    with app.test_request_context():
        edit_comment(
            db.session.get(Comment, b.id),
            members[1],
            CommentData(CommentKind.GENERAL, justification=OTHER_CAMPAIGN + " Uzasadnienie."),
            now=utcnow(),
        )
        db.session.commit()
    assert _group_of(db, a) is None
    assert _group_of(db, b) == _group_of(db, c) is not None
    assert db.session.get(DuplicateGroup, _group_of(db, c)).state == GroupState.PROPOSED
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DuplicateGroup)) == 1

    # A small change keeps c in its confirmed group of two; the official sees it as changed until confirming again.
    new_group = db.session.get(DuplicateGroup, _group_of(db, c))
    operations.confirm_group(official, new_group)
    db.session.commit()
    with app.test_request_context():
        edit_comment(
            db.session.get(Comment, c.id),
            members[2],
            CommentData(CommentKind.GENERAL, justification=OTHER_CAMPAIGN + " Uzasadnienie, bardzo ważne."),
            now=utcnow(),
        )
        db.session.commit()
    assert _group_of(db, c) == new_group.id
    db.session.expire_all()
    assert db.session.get(DuplicateGroup, new_group.id).state == GroupState.CONFIRMED
    confirmed = dict(db.session.execute(sa.select(GroupMember.comment_id, GroupMember.confirmed)).all())
    assert (confirmed[b.id], confirmed[c.id]) == (True, False)


def test_an_edited_comment_is_mapped_to_accepted_themes_again(app, db, setting, members):
    consultation, official, _orgs = setting
    comment = _send(app, db, consultation, members[0], SINGLE)
    _send(app, db, consultation, members[1], OTHER_CAMPAIGN)
    operations.define_theme(official, consultation, "Konkursy ofert", "Terminy ogłaszania konkursów i składania ofert.")
    db.session.commit()
    operations.map_pending_themes(consultation.id)
    db.session.commit()
    theme = db.session.scalars(sa.select(Theme)).one()

    def mapped() -> set[int]:
        return set(db.session.scalars(sa.select(ThemeComment.comment_id).where(ThemeComment.theme_id == theme.id)))

    assert comment.id not in mapped()
    with app.test_request_context():
        edit_comment(
            db.session.get(Comment, comment.id),
            members[0],
            CommentData(CommentKind.GENERAL, justification=OTHER_CAMPAIGN),
            now=utcnow(),
        )
        db.session.commit()
    assert comment.id in mapped()


def test_a_withdrawn_comment_keeps_its_place_and_starts_no_run(app, db, setting, members):
    consultation, _official, _orgs = setting
    a = _send(app, db, consultation, members[0], CAMPAIGN)
    _send(app, db, consultation, members[1], CAMPAIGN)
    runs = db.session.scalar(sa.select(sa.func.count()).select_from(AnalysisRun))
    with app.test_request_context():
        withdraw_comment(db.session.get(Comment, a.id), members[0], now=utcnow())
        db.session.commit()
    assert _group_of(db, a) is not None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnalysisRun)) == runs


def test_an_arrival_job_with_nothing_waiting_records_no_run(db, setting, campaign):
    consultation, _official, _orgs = setting
    runs = db.session.scalar(sa.select(sa.func.count()).select_from(AnalysisRun))
    jobs.group_arrivals(consultation.id)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(AnalysisRun)) == runs
