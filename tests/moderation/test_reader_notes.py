"""What readers and authors tell the moderators reaches them: a report's reason, a request for a review."""

import pytest

from consult.accounts.models import UserRole
from consult.comments.models import CommentStatus, HideReason
from consult.moderation.operations import hide_comment, report_comment, request_review


@pytest.fixture()
def reported(db, create_user, create_organisation, create_consultation, create_comment):
    author = create_user(email="autor@example.org", display_name="Alicja Autorka")
    reader = create_user(email="czytelnik@example.org", display_name="Czesław Czytelnik")
    organisation = create_organisation("Fundacja Autorska", members=[author])
    official = create_user(UserRole.OFFICIAL, display_name="Urzędniczka")
    consultation = create_consultation("open", officials=[official])
    comment = create_comment(consultation, organisation, author=author, proposed_text="Tekst uwagi pierwszej.")
    quiet = create_comment(consultation, organisation, author=author, proposed_text="Uwaga bez zgłoszeń.")
    report_comment(reader, comment, "Zawiera <b>numer</b> telefonu.")
    report_comment(None, comment, "Obraźliwe słowa.")
    db.session.commit()
    return {"official": official, "author": author, "consultation": consultation, "comment": comment, "quiet": quiet}


def _pages(client, scene, status):
    slug, number = scene["consultation"].slug, scene["comment"].number
    page = client.get(f"/manage/consultations/{slug}/comments/{number}").get_data(as_text=True)
    queue = client.get(f"/manage/consultations/{slug}/moderation?status={status}").get_data(as_text=True)
    return page, queue


def test_the_moderator_reads_who_reported_a_comment_when_and_why(client, db, login, reported):
    login(reported["official"])
    page, queue = _pages(client, reported, "reported")
    assert "Zgłoszenia czytelników" in page
    assert "Czesław Czytelnik" in page and "osoba niezalogowana" in page
    # what a reader typed is escaped, never markup
    assert "Zawiera &lt;b&gt;numer&lt;/b&gt; telefonu." in page and "<b>numer</b>" not in page
    assert "Obraźliwe słowa." in page and "<time datetime=" in page
    # the filter lists the reported comment with the reasons, not the other one
    assert "Zawiera &lt;b&gt;numer&lt;/b&gt; telefonu." in queue and "Obraźliwe słowa." in queue
    assert f'/comments/{reported["comment"].number}"' in queue
    assert f'/comments/{reported["quiet"].number}"' not in queue

    client.post(f"/manage/consultations/{reported['consultation'].slug}/comments/{reported['comment'].number}/approve")
    page, queue = _pages(client, reported, "reported")
    assert "Zgłoszenia czytelników" not in page and "Obraźliwe słowa." not in page
    assert f'/comments/{reported["comment"].number}"' not in queue


def test_the_moderator_reads_the_authors_request_for_a_review(client, db, login, reported):
    comment = reported["comment"]
    hide_comment(reported["official"], comment, HideReason.PERSONAL_DATA)
    request_review(reported["author"], comment, "Usunęliśmy numer.\nProsimy o <i>przywrócenie</i>.")
    db.session.commit()
    login(reported["official"])
    page, queue = _pages(client, reported, "review")
    assert "Autor prosi o ponowne rozpatrzenie" in page
    assert "Alicja Autorka (Fundacja Autorska)" in page
    assert "Prosimy o &lt;i&gt;przywrócenie&lt;/i&gt;." in page and "<i>przywrócenie</i>" not in page
    assert "Usunęliśmy numer." in queue and f'/comments/{comment.number}"' in queue
    assert f'/comments/{reported["quiet"].number}"' not in queue
    # hiding dealt with the reports: they are no longer shown as open
    assert "Zgłoszenia czytelników" not in page

    client.post(
        f"/manage/consultations/{reported['consultation'].slug}/comments/{comment.number}/restore",
        data={"restore-note": "Numer telefonu usunięty."},
    )
    db.session.expire_all()
    assert comment.status == CommentStatus.PUBLISHED
    page, queue = _pages(client, reported, "review")
    assert "Usunęliśmy numer." not in page and "Usunęliśmy numer." not in queue


def test_a_reporter_whose_account_is_gone_is_not_taken_for_a_visitor(client, db, login, reported, create_user):
    gone = create_user(display_name="x")
    report_comment(gone, reported["comment"], "Spam.")
    gone.display_name = ""
    db.session.commit()
    login(reported["official"])
    page, _queue = _pages(client, reported, "reported")
    assert "były użytkownik" in page
