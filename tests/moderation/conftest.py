import pytest
import sqlalchemy as sa

from consult.comments.models import Comment, CommentKind, CommentStatus
from consult.drafts.models import Paragraph


@pytest.fixture()
def make_comment(db):
    """A comment row as the commenting feature stores it (numbered per consultation)."""

    def factory(consultation, organisation, label: str | None = "§ 1 pkt 1", *, status=CommentStatus.PUBLISHED,
                kind=CommentKind.CHANGE, text="Nowe brzmienie przepisu.", justification="Bo tak będzie lepiej.",
                author=None) -> Comment:
        paragraph = None
        if label is not None:
            paragraph = db.session.scalar(sa.select(Paragraph).join(Paragraph.version).where(
                Paragraph.label == label, Paragraph.version.has(consultation_id=consultation.id)))
        number = (db.session.scalar(sa.select(sa.func.max(Comment.number)).where(
            Comment.consultation_id == consultation.id)) or 0) + 1
        comment = Comment(consultation_id=consultation.id, version_id=consultation.versions[-1].id,
                          paragraph=paragraph, paragraph_key=paragraph.key if paragraph else None,
                          organisation=organisation, author_id=author.id if author else None, number=number,
                          kind=kind, proposed_text=text, justification=justification, status=status)
        db.session.add(comment)
        db.session.commit()
        return comment

    return factory
