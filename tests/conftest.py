"""Fixtures: one app and schema per test session, rows emptied after each test.

``TEST_DATABASE_URL`` chooses the database (PostgreSQL in CI); without it the tests
use a SQLite file in a temporary folder.
"""

import os
import textwrap
import uuid
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask import g, has_app_context
from flask.testing import FlaskClient

from config import TestingConfig
from consult import create_app
from consult.accounts.models import Area, Membership, MembershipStatus, Organisation, OrganisationStatus, UserRole
from consult.accounts.operations import create_user as create_user_op
from consult.comments.models import Comment, CommentKind, CommentStatus, Support
from consult.consultations.models import Consultation, ConsultationState, ModerationMode, Participation
from consult.core.time import utcnow
from consult.demo_data.areas import AREAS
from consult.drafts.importers import parse_markdown
from consult.drafts.models import Paragraph
from consult.drafts.operations import import_draft, publish_version
from consult.drafts.queries import current_version
from consult.extensions import db as _db
from consult.moderation.models import Position, PositionState, PositionStatus

PASSWORD = "correct-horse-battery"

SMALL_DRAFT = textwrap.dedent("""\
    # Program współpracy na rok 2027

    ## Preambuła

    Gmina współpracuje z organizacjami pozarządowymi.

    ## Rozdział I. Postanowienia ogólne

    § 1. Ilekroć w programie jest mowa o:
    1) ustawie – należy przez to rozumieć ustawę o działalności pożytku publicznego;
    2) programie – należy przez to rozumieć niniejszy program.

    ## Rozdział II. Cele programu

    § 2. 1. Celem głównym programu jest budowanie partnerstwa.

    2. Celami szczegółowymi są:
    1) poprawa jakości życia mieszkańców;
    2) wzmacnianie organizacji:
    a) małych,
    b) nowo powstałych.
    """)


class _Client(FlaskClient):
    """Test requests run inside the test's app context (so they share its session).
    Flask-Login (the signed-in user) and Flask-Babel (the language) cache per-request
    answers on ``g`` of that context: each request must start without them, as it
    does on a real server."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.pop("_login_user", None)
            g.pop("_flask_babel", None)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or (
            f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
        )

    app = create_app(Config)
    app.test_client_class = _Client
    with app.app_context():
        _db.drop_all()
        _db.create_all()
    yield app
    with app.app_context():
        _db.drop_all()
        _db.engine.dispose()


@pytest.fixture()
def db(app):
    with app.app_context():
        yield _db
        _db.session.rollback()
        _db.session.remove()
        with _db.engine.begin() as connection:
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())
        app.extensions.pop("consult.page_cache", None)  # rows deleted behind the session's back


@pytest.fixture()
def client(app, db):
    return app.test_client()


@pytest.fixture()
def mail_outbox(db):
    """The e-mails sent during the test (consult.core.mail keeps them under TESTING).

    It uses the app context of ``db``: a second context would get a second session.
    """
    from consult.core.mail import outbox

    box = outbox()
    box.clear()
    yield box
    box.clear()


@pytest.fixture()
def areas(db):
    rows = [Area(number=n, name_pl=pl, name_en=en) for n, pl, en in AREAS]
    db.session.add_all(rows)
    db.session.commit()
    return rows


@pytest.fixture()
def create_user(db):
    counter = iter(range(1, 10_000))

    def factory(role: UserRole | str = UserRole.MEMBER, email: str | None = None, **kwargs):
        role = UserRole(role)
        user = create_user_op(
            None, email or f"user{next(counter)}@example.org", role, PASSWORD, kwargs.pop("display_name", "")
        )
        for name, value in kwargs.items():
            setattr(user, name, value)
        db.session.commit()
        return user

    return factory


@pytest.fixture()
def create_organisation(db):
    def factory(name: str = "Fundacja Testowa", status=OrganisationStatus.VERIFIED, members=(), **kwargs):
        organisation = Organisation(name=name, status=status, **kwargs)
        db.session.add(organisation)
        for user in members:
            db.session.add(Membership(organisation=organisation, user=user, status=MembershipStatus.ACTIVE))
        db.session.commit()
        return organisation

    return factory


@pytest.fixture()
def create_consultation(db):
    """A consultation in a given status, with the small draft published by default."""
    counter = iter(range(1, 10_000))

    def factory(status: str = "open", draft: str | None = SMALL_DRAFT, slug: str | None = None, officials=(), **kwargs):
        now = utcnow()
        opens_at, closes_at = {
            "draft": (now + timedelta(days=1), now + timedelta(days=22)),
            "announced": (now + timedelta(days=1), now + timedelta(days=22)),
            "open": (now - timedelta(days=1), now + timedelta(days=20)),
            "closed": (now - timedelta(days=22), now - timedelta(days=1)),
        }[status]
        consultation = Consultation(
            slug=slug or f"konsultacje-{next(counter)}",
            title=kwargs.pop("title", "Program współpracy na rok 2027"),
            opens_at=kwargs.pop("opens_at", opens_at),
            closes_at=kwargs.pop("closes_at", closes_at),
            state=ConsultationState.DRAFT if status == "draft" else ConsultationState.PUBLISHED,
            participation=kwargs.pop("participation", Participation.VERIFIED_ORGANISATIONS),
            moderation_mode=kwargs.pop("moderation_mode", ModerationMode.POST),
            officials=list(officials),
            **kwargs,
        )
        db.session.add(consultation)
        db.session.flush()
        if draft:
            version = import_draft(consultation, parse_markdown(draft), None, source_filename="draft.md")
            publish_version(version, None)
        db.session.commit()
        return consultation

    return factory


@pytest.fixture()
def create_comment(db):
    """A comment row as the commenting feature leaves it (numbered per consultation), on the
    paragraph with ``label`` in the current version, or on the draft as a whole."""
    numbers: dict[int, int] = {}

    def paragraph_of(consultation, label: str) -> Paragraph:
        version = current_version(consultation.id)
        return db.session.scalars(
            sa.select(Paragraph).where(Paragraph.version_id == version.id, Paragraph.label == label)
        ).one()

    def factory(
        consultation,
        organisation,
        label: str | None = "§ 1 pkt 1",
        *,
        kind=CommentKind.CHANGE,
        proposed_text: str = "Nowe brzmienie.",
        justification: str = "Bo tak będzie lepiej.",
        status=CommentStatus.PUBLISHED,
        author=None,
        **kwargs,
    ) -> Comment:
        numbers[consultation.id] = numbers.get(consultation.id, 0) + 1
        paragraph = paragraph_of(consultation, label) if label else None
        comment = Comment(
            consultation_id=consultation.id,
            version_id=current_version(consultation.id).id,
            paragraph_id=paragraph.id if paragraph else None,
            paragraph_key=paragraph.key if paragraph else None,
            paragraph_label=paragraph.label if paragraph else None,
            paragraph_text=paragraph.text if paragraph else None,
            organisation_id=organisation.id,
            author_id=author.id if author else None,
            number=kwargs.pop("number", numbers[consultation.id]),
            kind=CommentKind(kind),
            proposed_text=proposed_text,
            justification=justification,
            status=CommentStatus(status),
            submitted_at=kwargs.pop("submitted_at", consultation.opens_at + timedelta(hours=numbers[consultation.id])),
            withdrawn_at=utcnow() if CommentStatus(status) == CommentStatus.WITHDRAWN else None,
            **kwargs,
        )
        db.session.add(comment)
        db.session.commit()
        return comment

    return factory


@pytest.fixture()
def create_support(db):
    def factory(comment, organisation, *, withdrawn: bool = False, user=None) -> Support:
        support = Support(
            comment_id=comment.id,
            organisation_id=organisation.id,
            user_id=user.id if user else None,
            withdrawn_at=utcnow() if withdrawn else None,
        )
        db.session.add(support)
        db.session.commit()
        return support

    return factory


@pytest.fixture()
def create_position(db):
    def factory(
        comment,
        status=PositionStatus.ACCEPTED,
        reason: str = "Uwaga zasadna.",
        *,
        state=PositionState.PUBLISHED,
        author=None,
    ) -> Position:
        position = Position(
            comment_id=comment.id,
            status=PositionStatus(status),
            reason=reason,
            state=PositionState(state),
            author_id=author.id if author else None,
            published_at=utcnow() if PositionState(state) == PositionState.PUBLISHED else None,
        )
        db.session.add(position)
        db.session.commit()
        return position

    return factory


@pytest.fixture()
def login(client):
    def do_login(user, password: str = PASSWORD):
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return do_login


@pytest.fixture()
def count_queries(db):
    """``with count_queries() as counter: ...`` then ``counter.count``."""

    class Counter:
        count = 0
        statements: list[str] = []

    @contextmanager
    def counting():
        counter = Counter()
        counter.statements = []

        def before_execute(conn, cursor, statement, parameters, context, executemany):
            counter.count += 1
            counter.statements.append(statement)

        engine = db.engine
        sa.event.listen(engine, "before_cursor_execute", before_execute)
        try:
            yield counter
        finally:
            sa.event.remove(engine, "before_cursor_execute", before_execute)

    return counting


@pytest.fixture()
def empty_database_url(tmp_path):
    """A database nobody else uses: a fresh SQLite file, or a fresh PostgreSQL database."""
    base_url = os.environ.get("TEST_DATABASE_URL")
    if not base_url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite'}"
        return
    name = f"consult_migrations_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(sa.engine.make_url(base_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(base_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


from tests.scene import scene  # noqa: E402, F401  (the scene of every page type, used by tests/core and tests/e2e)
