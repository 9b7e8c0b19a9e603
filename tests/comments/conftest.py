"""Fixtures for comments: a representative of a verified organisation, and comments made fast."""

import pytest
import sqlalchemy as sa

from consult.accounts.models import OrganisationStatus, UserRole
from consult.comments.models import CommentKind
from consult.comments.operations import CommentData, submit_comment
from consult.drafts.models import Paragraph


@pytest.fixture()
def representative(create_user, create_organisation):
    """A member of the verified "Fundacja Pod Wawelem"."""
    user = create_user(UserRole.MEMBER, email="anna@example.org", display_name="Anna Kowalska")
    create_organisation("Fundacja Pod Wawelem", status=OrganisationStatus.VERIFIED, members=[user])
    return user


@pytest.fixture()
def paragraph_of(db):
    def find(consultation, key: str) -> Paragraph:
        return db.session.scalar(
            sa.select(Paragraph)
            .join(Paragraph.version)
            .where(Paragraph.key == key, Paragraph.version.has(consultation_id=consultation.id))
        )

    return find


@pytest.fixture()
def add_comment(db, paragraph_of):
    """Send a comment through the operation (the consultation must be open), committed."""

    def factory(
        consultation,
        user,
        organisation,
        key: str | None = "par-1-pkt-1",
        kind=CommentKind.CHANGE,
        proposed_text: str = "ustawie – ustawa z dnia 24 kwietnia 2003 r.",
        justification: str = "Pełny tytuł ustawy.",
        **kwargs,
    ):
        paragraph = paragraph_of(consultation, key) if key else None
        result = submit_comment(
            consultation,
            paragraph,
            user,
            organisation,
            CommentData(kind=kind, proposed_text=proposed_text, justification=justification),
            **kwargs,
        )
        db.session.commit()
        return result.comment

    return factory
