"""Every mistake of a comment or a letter is reported in one answer, each naming its field."""

import pytest

from consult.accounts.models import UserRole
from consult.comments.models import Channel, CommentKind
from consult.comments.operations import CommentData, LetterComment, LetterData, enter_letter, validate_comment
from consult.core.errors import InvalidFields, InvalidInput
from consult.drafts.queries import current_version


def _fields(error: InvalidInput) -> list[str | None]:
    return [part.field for part in error.parts()]


def test_an_unchanged_wording_and_a_missing_justification_are_both_reported(app, create_consultation):
    consultation = create_consultation("open")
    paragraph = current_version(consultation.id).paragraphs[1]
    with app.test_request_context(), pytest.raises(InvalidFields) as caught:
        validate_comment(CommentData(CommentKind.CHANGE, proposed_text=paragraph.text, justification=" "), paragraph)
    assert _fields(caught.value) == ["proposed_text", "justification"]


def test_one_mistake_stays_a_plain_invalid_input(app, create_consultation):
    consultation = create_consultation("open")
    paragraph = current_version(consultation.id).paragraphs[1]
    with app.test_request_context(), pytest.raises(InvalidInput) as caught:
        validate_comment(CommentData(CommentKind.CHANGE, proposed_text="Nowe brzmienie.", justification=""), paragraph)
    assert not isinstance(caught.value, InvalidFields) and caught.value.field == "justification"


def test_a_letter_reports_its_own_mistakes_and_each_rows_together(
    app, db, create_user, create_organisation, create_consultation
):
    official = create_user(UserRole.OFFICIAL)
    consultation = create_consultation("open", officials=[official])
    organisation = create_organisation("Fundacja Listowna")
    paragraph = current_version(consultation.id).paragraphs[1]
    rows = [
        LetterComment(0, paragraph, CommentData(CommentKind.CHANGE, proposed_text="", justification="Bo tak.")),
        LetterComment(1, None, CommentData(CommentKind.GENERAL, justification="")),
    ]
    with app.test_request_context(), pytest.raises(InvalidFields) as caught:
        enter_letter(
            consultation, official, LetterData(Channel.PAPER, received_on=None, organisation=organisation), rows
        )
    assert _fields(caught.value) == ["received_on", "comments-0-proposed_text", "comments-1-justification"]
