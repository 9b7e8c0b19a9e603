"""Two officials save the same position at the same moment, on PostgreSQL (real row locks)."""

import threading

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.extensions import db as _db
from consult.moderation import operations
from consult.moderation.models import Position, PositionStatus


@pytest.fixture()
def postgresql_only(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and concurrent transactions are tested on PostgreSQL (TEST_DATABASE_URL)")


@pytest.mark.parametrize("first_answer", [True, False], ids=["both-write-the-first", "both-correct-a-position"])
def test_two_concurrent_saves_give_one_success_and_one_refusal_and_lose_no_text(
    app,
    db,
    postgresql_only,
    create_user,
    create_organisation,
    create_consultation,
    create_comment,
    monkeypatch,
    first_answer,
):
    first_official, second_official = create_user(UserRole.OFFICIAL), create_user(UserRole.OFFICIAL)
    consultation = create_consultation("closed", officials=[first_official, second_official])
    comment = create_comment(consultation, create_organisation("Fundacja"))
    version = None
    if not first_answer:
        operations.save_position(first_official, comment, PositionStatus.ACCEPTED, "Wersja wyjściowa.", None)
        db.session.commit()
        version = db.session.scalar(sa.select(Position.row_version))

    # Both transactions have read the row before either writes: the flush waits for the other.
    both_read = threading.Barrier(2, timeout=10)
    real_write = operations._write_position

    def write_after_both_read(*args):
        both_read.wait()
        return real_write(*args)

    monkeypatch.setattr(operations, "_write_position", write_after_both_read)
    outcomes: dict[str, str] = {}

    def save(official_id: int, text: str) -> None:
        with app.app_context():
            try:
                official = _db.session.get(type(first_official), official_id)
                row = _db.session.get(type(comment), comment.id)
                operations.save_position(official, row, PositionStatus.REJECTED, text, version)
                _db.session.commit()
                outcomes[text] = "saved"
            except operations.StalePosition as refusal:
                _db.session.rollback()
                outcomes[text] = "refused:" + (refusal.current.reason if refusal.current else "")
            finally:
                _db.session.remove()

    threads = [
        threading.Thread(target=save, args=(first_official.id, "Tekst pierwszego urzędnika.")),
        threading.Thread(target=save, args=(second_official.id, "Tekst drugiego urzędnika.")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(v.split(":")[0] for v in outcomes.values()) == ["refused", "saved"], outcomes
    winner = next(text for text, outcome in outcomes.items() if outcome == "saved")
    loser = next(text for text, outcome in outcomes.items() if outcome != "saved")
    assert outcomes[loser] == "refused:" + winner  # the refused one is shown the text that won
    db.session.expire_all()
    assert db.session.scalar(sa.select(Position.reason)) == winner
    assert db.session.scalar(sa.select(Position.row_version)) == (version or 0) + 1
