"""Rules of sending, editing, withdrawing and supporting comments."""

import threading
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from consult.accounts.models import OrganisationStatus, UserRole
from consult.comments import notifications, operations
from consult.comments.models import Comment, CommentKind, CommentStatus, Support
from consult.comments.operations import (
    CommentData,
    edit_comment,
    receipt_number,
    submit_comment,
    support_comment,
    withdraw_comment,
    withdraw_support,
)
from consult.consultations.models import ModerationMode, Participation
from consult.core.errors import Conflict, ConsultationClosed, Forbidden, InvalidInput
from consult.core.time import from_local

CURRENT = "ustawie – należy przez to rozumieć ustawę o działalności pożytku publicznego;"


@pytest.fixture()
def foundation(representative):
    return representative.memberships[0].organisation


@pytest.fixture()
def consultation(create_consultation):
    return create_consultation("open", receipt_prefix="KONS-2027")


def _data(kind=CommentKind.CHANGE, proposed="ustawie – ustawa o pożytku publicznym;", justification="Krócej."):
    return CommentData(kind=kind, proposed_text=proposed, justification=justification)


def test_receipt_numbers_run_per_consultation(app, db, representative, foundation, create_consultation, paragraph_of):
    first = create_consultation("open", receipt_prefix="KONS-2027")
    second = create_consultation("open", receipt_prefix="KONS-2028")
    with app.test_request_context():
        numbers = []
        for consultation in (first, first, second, first):
            comment = submit_comment(
                consultation, paragraph_of(consultation, "par-1-pkt-1"), representative, foundation, _data()
            ).comment
            numbers.append(receipt_number(comment))
        db.session.commit()
    assert numbers == ["KONS-2027/0001", "KONS-2027/0002", "KONS-2028/0001", "KONS-2027/0003"]


@pytest.mark.parametrize(
    ("mode", "status"), [(ModerationMode.POST, CommentStatus.PUBLISHED), (ModerationMode.PRE, CommentStatus.PENDING)]
)
def test_moderation_mode_decides_whether_a_comment_shows_at_once(
    app, representative, foundation, create_consultation, paragraph_of, mode, status
):
    consultation = create_consultation("open", moderation_mode=mode)
    with app.test_request_context():
        comment = submit_comment(
            consultation, paragraph_of(consultation, "par-1-pkt-1"), representative, foundation, _data()
        ).comment
    assert comment.status == status


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        (_data(proposed=""), "proposed_text", "Wpisz proponowane brzmienie"),
        (_data(proposed="  " + CURRENT.replace(" ", "\n") + " "), "proposed_text", "takie samo jak obecne"),
        (_data(kind=CommentKind.ADD, proposed=CURRENT), "proposed_text", "powtarza obecne brzmienie"),
        (_data(kind=CommentKind.ADD, proposed=""), "proposed_text", "nowego przepisu"),
        (_data(justification="   "), "justification", "uzasadnienie"),
        (_data(kind=CommentKind.GENERAL, justification=""), "justification", "Wpisz swoją uwagę"),
        (_data(proposed="x" * 5001), "proposed_text", "5000"),
        (_data(justification="x" * 5001), "justification", "5000"),
    ],
)
def test_the_fields_a_kind_needs_are_required(
    app, representative, foundation, consultation, paragraph_of, data, field, words
):
    with app.test_request_context(), pytest.raises(InvalidInput) as raised:
        submit_comment(consultation, paragraph_of(consultation, "par-1-pkt-1"), representative, foundation, data)
    assert raised.value.field == field
    assert words in raised.value.message


def test_limits_count_characters_as_typed_and_text_is_cleaned(
    app, representative, foundation, consultation, paragraph_of
):
    justification = ("a\r\n" * 2500).strip()  # 5000 characters once CRLF counts as one
    with app.test_request_context():
        comment = submit_comment(
            consultation,
            paragraph_of(consultation, "par-1-pkt-1"),
            representative,
            foundation,
            _data(proposed="ustawie\x00 – nowa\x07 treść", justification=justification),
        ).comment
    assert comment.proposed_text == "ustawie – nowa treść"
    assert len(comment.justification) == 4999 and "\r" not in comment.justification


def test_a_deletion_and_a_general_remark_keep_no_proposed_wording(
    app, representative, foundation, consultation, paragraph_of
):
    with app.test_request_context():
        deletion = submit_comment(
            consultation,
            paragraph_of(consultation, "par-1-pkt-1"),
            representative,
            foundation,
            _data(kind=CommentKind.DELETE, proposed=CURRENT),
        ).comment
        general = submit_comment(
            consultation, None, representative, foundation, _data(kind=CommentKind.GENERAL, proposed="coś")
        ).comment
    assert deletion.proposed_text == "" and general.proposed_text == ""
    assert general.paragraph_id is None and general.paragraph_key is None and general.version_id is not None


def test_a_comment_on_the_whole_draft_is_a_general_remark(app, representative, foundation, consultation):
    with app.test_request_context(), pytest.raises(InvalidInput) as raised:
        submit_comment(consultation, None, representative, foundation, _data(kind=CommentKind.CHANGE))
    assert raised.value.field == "kind"


def test_only_representatives_of_an_eligible_organisation_may_send(
    app, db, create_user, create_organisation, consultation, paragraph_of, foundation
):
    stranger = create_user()
    pending_member = create_user()
    pending = create_organisation("Nowe Koło", status=OrganisationStatus.PENDING, members=[pending_member])
    paragraph = paragraph_of(consultation, "par-1-pkt-1")
    with app.test_request_context():
        with pytest.raises(Forbidden):
            submit_comment(consultation, paragraph, stranger, foundation, _data())
        with pytest.raises(Forbidden):
            submit_comment(consultation, paragraph, pending_member, pending, _data())
        consultation.participation = Participation.ALL_ORGANISATIONS
        assert submit_comment(consultation, paragraph, pending_member, pending, _data()).created


# --- the deadline, in Kraków time, summer and winter ------------------------------------------


@pytest.mark.parametrize(
    ("closes_local", "utc_hour", "words"),
    [
        (datetime(2027, 10, 30, 23, 59), 21, "30 października 2027 o godz. 23:59"),  # summer time, UTC+2
        (datetime(2027, 10, 31, 23, 59), 22, "31 października 2027 o godz. 23:59"),  # winter time from 31 Oct
        (datetime(2028, 3, 26, 12, 0), 10, "26 marca 2028 o godz. 12:00"),  # summer time again
    ],
)
def test_one_second_after_closing_sending_editing_and_withdrawing_are_refused(
    app, db, representative, foundation, create_consultation, paragraph_of, closes_local, utc_hour, words
):
    closes_at = from_local(closes_local)
    assert closes_at.hour == utc_hour
    consultation = create_consultation("open", opens_at=closes_at - timedelta(days=21), closes_at=closes_at)
    paragraph = paragraph_of(consultation, "par-1-pkt-1")
    last_second = closes_at - timedelta(seconds=1)
    with app.test_request_context():
        comment = submit_comment(consultation, paragraph, representative, foundation, _data(), now=last_second).comment
        edit_comment(comment, representative, _data(justification="Poprawione."), now=last_second)
        db.session.commit()
        after = closes_at + timedelta(seconds=1)
        for attempt in (
            lambda: submit_comment(consultation, paragraph, representative, foundation, _data(), now=after),
            lambda: edit_comment(comment, representative, _data(justification="Za późno."), now=after),
            lambda: withdraw_comment(comment, representative, now=after),
            lambda: submit_comment(consultation, paragraph, representative, foundation, _data(), now=closes_at),
        ):
            with pytest.raises(ConsultationClosed) as raised:
                attempt()
            assert words in raised.value.message
    db.session.rollback()
    assert comment.justification == "Poprawione." and comment.status == CommentStatus.PUBLISHED


def test_an_announced_consultation_does_not_take_comments_yet(
    app, representative, foundation, create_consultation, paragraph_of
):
    consultation = create_consultation("announced")
    with app.test_request_context(), pytest.raises(ConsultationClosed) as raised:
        submit_comment(consultation, paragraph_of(consultation, "par-1-pkt-1"), representative, foundation, _data())
    assert "rozpoczną się" in raised.value.message


# --- one comment per form -----------------------------------------------------------------------


def test_the_same_form_sent_twice_files_one_comment(
    app, db, representative, foundation, consultation, paragraph_of, create_user, create_organisation
):
    paragraph = paragraph_of(consultation, "par-1-pkt-1")
    with app.test_request_context():
        first = submit_comment(consultation, paragraph, representative, foundation, _data(), submission_token="t-1")
        db.session.commit()
        second = submit_comment(consultation, paragraph, representative, foundation, _data(), submission_token="t-1")
        assert first.created and not second.created and second.comment.id == first.comment.id
        other_user = create_user()
        other = create_organisation("Inna Fundacja", members=[other_user])
        with pytest.raises(Conflict):
            submit_comment(consultation, paragraph, other_user, other, _data(), submission_token="t-1")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Comment)) == 1


def test_a_number_taken_in_the_meantime_is_retried(
    app, db, representative, foundation, consultation, paragraph_of, monkeypatch
):
    paragraph = paragraph_of(consultation, "par-1-pkt-1")
    with app.test_request_context():
        submit_comment(consultation, paragraph, representative, foundation, _data())
        db.session.commit()
        real_next_number = operations._next_number
        answers = iter([1])  # as if the first comment had not been seen yet
        monkeypatch.setattr(operations, "_next_number", lambda cid: next(answers, None) or real_next_number(cid))
        comment = submit_comment(consultation, paragraph, representative, foundation, _data()).comment
        db.session.commit()
    assert comment.number == 2


def test_concurrent_submissions_get_distinct_consecutive_numbers(app, db, representative, foundation, consultation):
    consultation_id, user_id, organisation_id = consultation.id, representative.id, foundation.id
    errors = []

    def send(worker: int) -> None:
        from consult.accounts.models import Organisation, User
        from consult.consultations.models import Consultation

        with app.test_request_context():
            try:
                for n in range(4):
                    session = db.session
                    submit_comment(
                        session.get(Consultation, consultation_id),
                        None,
                        session.get(User, user_id),
                        session.get(Organisation, organisation_id),
                        _data(kind=CommentKind.GENERAL),
                        submission_token=f"w{worker}-{n}",
                    )
                    session.commit()
            except Exception as error:  # any failure is reported below, with the thread it came from
                errors.append(error)

    threads = [threading.Thread(target=send, args=(worker,)) for worker in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(db.session.scalars(sa.select(Comment.number).where(Comment.consultation_id == consultation_id)))
    assert numbers == list(range(1, 13))


# --- editing and withdrawing ------------------------------------------------------------------


def test_an_edit_keeps_the_earlier_text_as_a_revision(app, db, representative, foundation, consultation, add_comment):
    comment = add_comment(consultation, representative, foundation, justification="Pierwsza wersja.")
    with app.test_request_context():
        edit_comment(comment, representative, _data(kind=CommentKind.GENERAL, justification="Druga wersja."))
        edit_comment(comment, representative, _data(justification="Trzecia wersja."))
        db.session.commit()
        with pytest.raises(InvalidInput):
            edit_comment(comment, representative, _data(justification="Trzecia wersja."))
    assert [(r.number, r.kind, r.justification) for r in comment.revisions] == [
        (1, CommentKind.CHANGE, "Pierwsza wersja."),
        (2, CommentKind.GENERAL, "Druga wersja."),
    ]
    assert comment.justification == "Trzecia wersja." and comment.number == 1


def test_an_edit_under_pre_moderation_goes_back_to_the_queue(
    app, db, representative, foundation, create_consultation, add_comment
):
    consultation = create_consultation("open", moderation_mode=ModerationMode.PRE)
    comment = add_comment(consultation, representative, foundation)
    comment.status = CommentStatus.PUBLISHED  # approved by a moderator
    db.session.commit()
    with app.test_request_context():
        edit_comment(comment, representative, _data(justification="Zmienione."))
    assert comment.status == CommentStatus.PENDING


def test_an_edit_from_a_stale_form_is_refused(app, db, representative, foundation, consultation, add_comment):
    comment = add_comment(consultation, representative, foundation)
    seen = comment.row_version
    with app.test_request_context():
        edit_comment(comment, representative, _data(justification="Kolega zmienił."), row_version=seen)
        db.session.commit()
        with pytest.raises(Conflict):
            edit_comment(comment, representative, _data(justification="Ja też."), row_version=seen)


def test_a_withdrawn_comment_stays_on_record_and_cannot_be_changed(
    app, db, representative, foundation, consultation, add_comment, create_user
):
    comment = add_comment(consultation, representative, foundation)
    with app.test_request_context():
        with pytest.raises(Forbidden):
            withdraw_comment(comment, create_user())
        withdraw_comment(comment, representative)
        db.session.commit()
        with pytest.raises(Conflict):
            edit_comment(comment, representative, _data(justification="Jednak nie."))
    assert comment.status == CommentStatus.WITHDRAWN and comment.withdrawn_at is not None
    assert db.session.get(Comment, comment.id).justification == "Pełny tytuł ustawy."


# --- supports ----------------------------------------------------------------------------------


def test_another_organisation_supports_once_and_may_withdraw_its_support(
    app, db, representative, foundation, consultation, add_comment, create_user, create_organisation
):
    comment = add_comment(consultation, representative, foundation)
    piotr = create_user()
    seniors = create_organisation("Seniorzy Nowej Huty", members=[piotr])
    with app.test_request_context():
        support_comment(comment, piotr, seniors)
        support_comment(comment, piotr, seniors)  # a double click
        db.session.commit()
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Support)) == 1
        withdraw_support(comment, piotr, seniors)
        db.session.commit()
        assert db.session.scalar(sa.select(Support.withdrawn_at)) is not None
        support_comment(comment, piotr, seniors)
        db.session.commit()
        assert db.session.scalar(sa.select(Support.withdrawn_at)) is None
        with pytest.raises(InvalidInput):
            support_comment(comment, representative, foundation)  # its own comment
        with pytest.raises(Forbidden):
            support_comment(comment, create_user(), seniors)  # not a representative


def test_only_published_comments_are_supported_and_only_while_open(
    app, db, representative, foundation, consultation, add_comment, create_user, create_organisation
):
    comment = add_comment(consultation, representative, foundation)
    piotr = create_user()
    seniors = create_organisation("Seniorzy Nowej Huty", members=[piotr])
    with app.test_request_context():
        with pytest.raises(ConsultationClosed):
            support_comment(comment, piotr, seniors, now=consultation.closes_at)
        comment.status = CommentStatus.PENDING
        with pytest.raises(Conflict):
            support_comment(comment, piotr, seniors)


def test_the_receipt_email_is_plain_text_with_everything_the_organisation_needs(
    app, representative, foundation, create_consultation, add_comment
):
    consultation = create_consultation(
        "open", receipt_prefix="KONS-2027", closes_at=from_local(datetime(2099, 11, 30, 23, 59))
    )
    comment = add_comment(
        consultation,
        representative,
        foundation,
        proposed_text="ustawie – <b>nowe</b> brzmienie",
        justification="Bo **tak**.",
        now=from_local(datetime(2027, 7, 1, 14, 3, 9)),
    )
    with app.test_request_context():
        message = notifications.receipt(comment, "anna@example.org", "http://localhost/c/1")
    assert message.to == "anna@example.org"
    assert "KONS-2027/0001" in message.subject
    body = message.text
    assert "&lt;b&gt;nowe&lt;/b&gt;" in message.html and "<b>nowe" not in message.html
    for expected in (
        "KONS-2027/0001",
        "1 lipca 2027, 14:03:09",
        "§ 1 pkt 1",
        "zmiana brzmienia",
        "ustawie – <b>nowe</b> brzmienie",
        "Bo **tak**.",
        "Fundacja Pod Wawelem",
        "http://localhost/c/1",
    ):
        assert expected in body


@pytest.mark.parametrize("event", ["sent", "edited", "withdrawn"])
@pytest.mark.parametrize("name", ["Fundacja Pod Wawelem", "Stowarzyszenie Przyjaciół Parków", "Klub Sportowy Wisła"])
def test_the_receipt_reads_right_whatever_the_grammatical_gender_of_the_organisation_name(
    app, db, representative, foundation, consultation, add_comment, event, name
):
    """ "Stowarzyszenie … zgłosiła" was wrong: the sentence no longer puts a verb after the name."""
    foundation.name = name
    comment = add_comment(consultation, representative, foundation)
    with app.test_request_context():
        body = notifications.receipt(comment, "anna@example.org", "http://localhost/c/1", event=event).text
    first = {"sent": "Wpłynęła uwaga organizacji", "edited": "Uwaga organizacji", "withdrawn": "Uwaga organizacji"}
    assert f"{first[event]} {name} w konsultacjach" in body
    for verb in ("zgłosiła", "zgłosił", "zmieniła", "wycofała"):
        assert f"{name} {verb}" not in body


def test_a_representative_of_another_organisation_is_not_the_author(
    app, representative, foundation, consultation, add_comment, create_user, create_organisation
):
    comment = add_comment(consultation, representative, foundation)
    other = create_user(UserRole.MEMBER)
    create_organisation("Inna Fundacja", members=[other])
    with app.test_request_context(), pytest.raises(Forbidden):
        edit_comment(comment, other, _data(justification="Cudza zmiana."))


def test_the_comment_form_finds_each_consultation_its_own_provision_and_the_persons_organisations(
    db, create_consultation, create_user, create_organisation
):
    """The query is built once and bound at each call: no call sees another's slug, key or person."""
    from consult.comments.queries import comment_target

    first, second = create_consultation("open"), create_consultation("open")
    alone, nobody = create_user(), create_user()
    both = create_user()
    zebra = create_organisation("Zebra", members=[alone, both])
    anchor = create_organisation("Akacja", members=[both])
    from consult.accounts.models import Membership, MembershipStatus

    db.session.add(Membership(organisation=anchor, user=nobody, status=MembershipStatus.REMOVED))
    db.session.commit()
    for consultation in (first, second, first):
        found, version, paragraph, mine = comment_target(consultation.slug, "par-1-pkt-1", alone.id)
        assert found.id == consultation.id and version.consultation_id == consultation.id
        assert paragraph.version_id == version.id and paragraph.key == "par-1-pkt-1"
        assert mine == [zebra]
        assert comment_target(consultation.slug, None, both.id) == (found, version, None, [anchor, zebra])
        assert comment_target(consultation.slug, "no-such-key", nobody.id) == (found, version, None, [])
        assert comment_target(consultation.slug, "par-1-pkt-1") == (found, version, paragraph, [])
    assert comment_target("no-such-consultation", "par-1-pkt-1", alone.id) is None
