"""The time of arrival decides: a comment that reached us before the deadline counts,
however long it then waited for a worker; one that arrived after does not (issue 15)."""

import re
import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from config import TestingConfig
from consult import create_app
from consult.accounts.models import OrganisationStatus
from consult.comments.models import Comment, CommentStatus, Support
from consult.core import time as clock
from consult.core.request_time import ArrivalStamp
from consult.extensions import db as _db
from tests.conftest import PASSWORD

PROPOSED = "ustawie – ustawa z dnia 24 kwietnia 2003 r. o działalności pożytku publicznego;"


# --- through the pages -------------------------------------------------------------------------------


@pytest.fixture()
def app_with(app, db):
    """Another app on the test database with some settings changed (e.g. a trusted proxy)."""
    made = []

    def factory(**settings):
        class Config(TestingConfig):
            SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]

        for name, value in settings.items():
            setattr(Config, name, value)
        other = create_app(Config)
        made.append(other)
        return other

    yield factory
    for other in made:
        with other.app_context():
            _db.session.remove()


def _signed_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _token(client, url):
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="submission_token" type="hidden" value="([^"]+)"', page).group(1)


def _stamp(moment) -> dict:
    return {"X-Request-Start": f"t={moment.timestamp():.3f}"}


def _form_url(consultation) -> str:
    return f"/consultations/{consultation.slug}/comment?paragraph=par-1-pkt-1"


def _send(client, consultation, organisation, token, headers=None, **fields):
    data = {
        "submission_token": token,
        "organisation": organisation.id,
        "kind": "change",
        "proposed_text": PROPOSED,
        "justification": "Wysłane w ostatniej chwili.",
        "action": "send",
        **fields,
    }
    return client.post(_form_url(consultation), data=data, headers=headers or {})


def _comments() -> int:
    return _db.session.scalar(sa.select(sa.func.count()).select_from(Comment))


def _closing_now(db, consultation, seconds_ago: float):
    """The consultation closes (closed) ``seconds_ago`` before this moment."""
    consultation.closes_at = clock.utcnow() - timedelta(seconds=seconds_ago)
    db.session.commit()
    return consultation.closes_at


def test_a_comment_stamped_by_the_proxy_before_the_deadline_is_accepted_after_it(
    app_with, db, representative, create_consultation
):
    """It waited 2 s in the queue; the deadline passed meanwhile; it arrived 0.5 s before."""
    proxied = app_with(TRUSTED_PROXIES=1)
    foundation = representative.memberships[0].organisation
    consultation = create_consultation("open")
    client = _signed_in(proxied, representative)
    token = _token(client, _form_url(consultation))
    closes_at = _closing_now(db, consultation, 1.5)
    arrived = closes_at - timedelta(seconds=0.5)
    response = _send(client, consultation, foundation, token, headers=_stamp(arrived))
    assert response.status_code == 302, response.get_data(as_text=True)
    comment = db.session.scalars(sa.select(Comment)).one()
    assert abs((comment.submitted_at - arrived).total_seconds()) < 0.001  # stored: the arrival, not the reading
    receipt = client.get(response.headers["Location"]).get_data(as_text=True).split('class="receipt"')[1]
    local = clock.to_local(arrived).strftime("%H:%M:%S")
    assert local in receipt.split("</section>")[0]  # the receipt shows the arrival to the second


def test_a_comment_stamped_by_the_proxy_after_the_deadline_is_refused(
    app_with, db, representative, create_consultation
):
    proxied = app_with(TRUSTED_PROXIES=1)
    foundation = representative.memberships[0].organisation
    consultation = create_consultation("open")
    client = _signed_in(proxied, representative)
    token = _token(client, _form_url(consultation))
    closes_at = _closing_now(db, consultation, 1.5)
    response = _send(client, consultation, foundation, token, headers=_stamp(closes_at + timedelta(seconds=0.5)))
    assert response.status_code == 409
    assert "Konsultacje zakończyły się" in response.get_data(as_text=True)
    assert "Wysłane w ostatniej chwili." in response.get_data(as_text=True)  # the text is given back
    assert _comments() == 0


def test_without_a_trusted_proxy_a_forged_stamp_changes_nothing(app_with, db, representative, create_consultation):
    direct = app_with(TRUSTED_PROXIES=0)
    foundation = representative.memberships[0].organisation
    consultation = create_consultation("open")
    client = _signed_in(direct, representative)
    token = _token(client, _form_url(consultation))
    closes_at = _closing_now(db, consultation, 1.5)
    response = _send(client, consultation, foundation, token, headers=_stamp(closes_at - timedelta(seconds=60)))
    assert response.status_code == 409
    assert _comments() == 0


def test_an_absurd_proxy_stamp_falls_back_to_the_entry_time(app_with, db, representative, create_consultation):
    """A proxy clock an hour behind would otherwise let comments in an hour late."""
    proxied = app_with(TRUSTED_PROXIES=1)
    foundation = representative.memberships[0].organisation
    consultation = create_consultation("open")
    client = _signed_in(proxied, representative)
    token = _token(client, _form_url(consultation))
    closes_at = _closing_now(db, consultation, 1.5)
    response = _send(client, consultation, foundation, token, headers=_stamp(closes_at - timedelta(hours=1)))
    assert response.status_code == 409
    assert _comments() == 0


class _SlowWorker:
    """What gunicorn's queue does to a request: it has arrived, and waits before the app runs."""

    def __init__(self, app, delay: float) -> None:
        self.app, self.delay = app, delay

    def __call__(self, environ, start_response):
        time.sleep(self.delay)
        return self.app(environ, start_response)


def _behind_a_slow_worker(app, delay: float):
    stamp = app.wsgi_app
    assert isinstance(stamp, ArrivalStamp)  # outermost: nothing runs before the stamp
    stamp.app = _SlowWorker(stamp.app, delay)


def test_a_comment_that_waited_for_a_slow_worker_past_the_deadline_is_accepted(
    app_with, db, representative, create_consultation
):
    slow = app_with()
    foundation = representative.memberships[0].organisation
    consultation = create_consultation("open")
    client = _signed_in(slow, representative)
    token = _token(client, _form_url(consultation))
    _behind_a_slow_worker(slow, 1.2)
    consultation.closes_at = clock.utcnow() + timedelta(seconds=0.8)
    db.session.commit()
    response = _send(client, consultation, foundation, token)
    assert clock.utcnow() > consultation.closes_at  # the view ran after the deadline
    assert response.status_code == 302, response.get_data(as_text=True)
    comment = db.session.scalars(sa.select(Comment)).one()
    assert comment.submitted_at < consultation.closes_at


def test_a_comment_that_arrived_after_the_deadline_is_refused_by_a_slow_worker_too(
    app_with, db, representative, create_consultation
):
    slow = app_with()
    foundation = representative.memberships[0].organisation
    consultation = create_consultation("open")
    client = _signed_in(slow, representative)
    token = _token(client, _form_url(consultation))
    _behind_a_slow_worker(slow, 0.3)
    _closing_now(db, consultation, 0.01)
    assert _send(client, consultation, foundation, token).status_code == 409
    assert _comments() == 0


# --- editing, withdrawing and supporting go by the arrival too ------------------------------------------


@pytest.fixture()
def late_scene(app_with, db, representative, create_consultation, create_user, create_organisation, add_comment):
    """A comment by the foundation, another organisation's member, and a proxied app."""
    foundation = representative.memberships[0].organisation
    consultation = create_consultation("open")
    comment = add_comment(consultation, representative, foundation)
    piotr = create_user()
    seniors = create_organisation("Seniorzy Nowej Huty", status=OrganisationStatus.VERIFIED, members=[piotr])
    proxied = app_with(TRUSTED_PROXIES=1)
    return {
        "consultation": consultation,
        "comment": comment,
        "author": _signed_in(proxied, representative),
        "supporter": _signed_in(proxied, piotr),
        "seniors": seniors,
        "base": f"/consultations/{consultation.slug}/comments/{comment.number}",
    }


def _edit(scene, headers):
    return scene["author"].post(
        scene["base"] + "/edit",
        data={
            "kind": "change",
            "proposed_text": PROPOSED + " (poprawione)",
            "justification": "Poprawka w ostatniej chwili.",
            "row_version": scene["comment"].row_version,
            "action": "send",
        },
        headers=headers,
    )


def _withdraw(scene, headers):
    return scene["author"].post(scene["base"] + "/withdraw", headers=headers)


def _support(scene, headers):
    return scene["supporter"].post(
        scene["base"] + "/support", data={"organisation": scene["seniors"].id}, headers=headers
    )


def _changed(scene, action) -> bool:
    _db.session.expire_all()
    comment = _db.session.get(Comment, scene["comment"].id)
    if action is _edit:
        return comment.justification == "Poprawka w ostatniej chwili."
    if action is _withdraw:
        return comment.status == CommentStatus.WITHDRAWN
    return _db.session.scalar(sa.select(sa.func.count()).select_from(Support)) == 1


@pytest.mark.parametrize("action", [_edit, _withdraw, _support], ids=["edit", "withdraw", "support"])
@pytest.mark.parametrize(("arrived_before", "accepted"), [(0.5, True), (-0.5, False)], ids=["before", "after"])
def test_editing_withdrawing_and_supporting_go_by_the_time_of_arrival(db, late_scene, action, arrived_before, accepted):
    closes_at = _closing_now(db, late_scene["consultation"], 1.5)
    response = action(late_scene, _stamp(closes_at - timedelta(seconds=arrived_before)))
    assert response.status_code in ((302,) if accepted else (302, 409))
    assert _changed(late_scene, action) is accepted
