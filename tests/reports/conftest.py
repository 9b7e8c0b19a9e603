"""Factories for report tests: rows written straight into the tables, as the
comments and moderation modules would leave them."""

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.comments.models import Comment, CommentStatus, HideReason
from consult.moderation.models import ModerationAction, ModerationEvent, Position, PositionState


@pytest.fixture()
def hide_comment(db):
    def hide(comment, reason=HideReason.OFFENSIVE, actor=None) -> ModerationEvent:
        comment.status = CommentStatus.HIDDEN
        comment.hidden_reason = HideReason(reason)
        event = ModerationEvent(
            consultation_id=comment.consultation_id,
            comment_id=comment.id,
            actor_id=actor.id if actor else None,
            action=ModerationAction.HIDE,
            reason=HideReason(reason),
            note="Naruszenie regulaminu.",
        )
        db.session.add(event)
        db.session.commit()
        return event

    return hide


@pytest.fixture()
def official(create_user):
    return create_user(UserRole.OFFICIAL, display_name="Katarzyna Urzędniczka")


@pytest.fixture()
def closed_consultation(create_consultation, official):
    """Closed, with ``official`` on its team (who writes and publishes the report)."""
    return create_consultation(
        "closed",
        officials=[official],
        slug="program-2027",
        organiser="Wydział Spraw Społecznych",
        legal_basis="art. 5a ustawy o działalności pożytku publicznego",
    )


@pytest.fixture()
def filled_consultation(
    db,
    closed_consultation,
    create_organisation,
    create_user,
    create_comment,
    create_support,
    create_position,
    hide_comment,
):
    """A closed consultation with every case a report must handle.

    Comments (by number): 1 accepted on § 1 pkt 1 with a supporter; 2 starting with "=" and
    multi-line, rejected; 3 with HTML, partly accepted on § 2 ust. 2 pkt 2 lit. a; 4 general,
    noted; 5 without a position; 6 withdrawn; 7 hidden; 8 with a draft position.
    """
    consultation = closed_consultation
    person = create_user(UserRole.MEMBER, display_name="Jan Kowalski-Prywatny", email="jan.prywatny@example.org")
    zolw = create_organisation("Stowarzyszenie Żółw i Gęś", members=[person])
    fundacja = create_organisation("Fundacja Łąka")
    klub = create_organisation("Klub Śródmieście")
    comments = [
        create_comment(
            consultation,
            zolw,
            "§ 1 pkt 1",
            proposed_text="ustawie – ustawę o pożytku (Dz.U. 2023).",
            justification="Pełny tytuł ustawy.",
            author=person,
        ),
        create_comment(
            consultation,
            fundacja,
            "§ 1 pkt 2",
            proposed_text='=SUM(A1:A9)+HYPERLINK("x")',
            justification="Pierwsza linia.\nDruga linia — żółć.\n\nTrzecia po pustej.",
        ),
        create_comment(
            consultation,
            klub,
            "§ 2 ust. 2 pkt 2 lit. a",
            proposed_text="<script>alert('x')</script><b>małych</b> & średnich",
            justification="<img src=x onerror=alert(1)>",
        ),
        create_comment(
            consultation, zolw, None, kind="general", proposed_text="", justification="Program powinien być krótszy."
        ),
        create_comment(
            consultation, fundacja, "§ 2 ust. 1", proposed_text="Celem jest współpraca.", justification="Prościej."
        ),
        create_comment(
            consultation, klub, "§ 2 ust. 1", proposed_text="Wycofana treść", justification="x", status="withdrawn"
        ),
        create_comment(consultation, klub, "§ 1 pkt 1", proposed_text="Obraźliwa treść ukryta", justification="y"),
        create_comment(consultation, klub, "§ 2 ust. 1", kind="delete", proposed_text="", justification="Zbędne."),
    ]
    create_support(comments[0], fundacja)
    create_support(comments[0], klub, withdrawn=True)
    create_support(comments[2], zolw)
    create_position(comments[0], "accepted", "Uwzględniono — pełny tytuł.")
    create_position(comments[1], "rejected", "Formuła nie jest treścią prawa.")
    create_position(comments[2], "partly_accepted", "Częściowo: tylko „małych”.")
    create_position(comments[3], "noted", "")
    create_position(comments[7], "rejected", "Projekt stanowiska.", state="draft")
    hide_comment(comments[6])
    return consultation


@pytest.fixture()
def publish(db):
    """Publish the consultation's report now (as an official) and commit."""
    from consult.reports.operations import publish_report

    def do_publish(consultation, actor):
        published = publish_report(consultation, actor)
        db.session.commit()
        return published

    return do_publish


# The listed comments of filled_consultation in document order: the general remark first,
# then Rozdział I (§ 1 pkt 1, § 1 pkt 2), then Rozdział II (§ 2 ust. 1 twice, § 2 ust. 2 pkt 2 lit. a).
DOCUMENT_ORDER = [4, 1, 2, 5, 8, 3]

POSITION_WORDS = {
    "accepted": "uwzględniona",
    "partly_accepted": "uwzględniona częściowo",
    "rejected": "nieuwzględniona",
    "noted": "przyjęta do wiadomości (poza zakresem)",
    None: "bez stanowiska",
}
KIND_WORDS = {"change": "zmiana brzmienia", "delete": "usunięcie", "add": "dodanie przepisu", "general": "uwaga ogólna"}


@pytest.fixture()
def expected_rows(db):
    """The table rows as the database has them (not as the builder made them)."""

    def rows(consultation) -> list[dict]:
        comments = {
            c.number: c
            for c in db.session.scalars(sa.select(Comment).where(Comment.consultation_id == consultation.id))
        }
        result = []
        for lp, number in enumerate(DOCUMENT_ORDER, start=1):
            comment = comments[number]
            position = db.session.scalar(sa.select(Position).where(Position.comment_id == comment.id))
            published = position is not None and position.state == PositionState.PUBLISHED
            supporters = [s.organisation.name for s in comment.supports if s.withdrawn_at is None]
            section = comment.paragraph.section if comment.paragraph else None
            while section is not None and section.parent is not None:
                section = section.parent
            result.append(
                {
                    "lp": lp,
                    "number": number,
                    "organisation": comment.organisation.name,
                    "supporters": supporters,
                    "section": f"{section.label}. {section.heading}" if section else "Uwagi do projektu jako całości",
                    "part": comment.paragraph.label if comment.paragraph else "projekt jako całość",
                    "current": comment.paragraph.text if comment.paragraph else "",
                    "kind": KIND_WORDS[comment.kind.value],
                    "proposed": comment.proposed_text,
                    "justification": comment.justification,
                    "position": POSITION_WORDS[position.status.value if published else None],
                    "reason": position.reason if published else "",
                }
            )
        return result

    return rows
