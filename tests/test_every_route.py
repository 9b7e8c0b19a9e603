"""Every route in the URL map, for every kind of visitor, with valid, missing, huge, negative and
non-numeric ids (and a NUL in every other part of the path): no answer is a server error, on SQLite or PostgreSQL.

The scene (tests/scene.py) gives every route something real to show. Sampling keeps it well
under a minute per database: every role asks every route with real ids (GET, and POST where the
route takes it); a missing row is asked by a visitor and an admin; the ids no database can hold are
refused by the URL converter before any view runs, so two roles suffice for them too.
"""

import time

import pytest
import sqlalchemy as sa

from consult.accounts.models import Membership, MembershipStatus, Organisation, UserRole
from consult.analysis.models import AnalysisRun, Theme
from consult.attachments.models import Attachment
from consult.core.models import OutboxMessage

BAD_IDS = [str(2**31), str(2**63), str(10**30), "-1", "abc"]
MISSING_ID = "999999"
NEVER_POSTED = {"accounts.log_out"}  # the role's later requests need the session


def valid_ids(db, scene) -> dict[str, str]:
    def first(model) -> str:
        return str(db.session.scalar(sa.select(sa.func.min(model.id))) or 1)

    return {
        "number": "1",
        "older": "1",
        "newer": "1",
        "organisation_id": str(scene["organisation"].id),
        "meeting_id": str(scene["meeting"].id),
        "group_id": str(scene["group"].id),
        "user_id": str(scene["member"].id),
        "membership_id": first(Membership),
        "message_id": first(OutboxMessage),
        "attachment_id": first(Attachment),
        "run_id": first(AnalysisRun),
        "theme_id": first(Theme),
    }


def address_of(
    rule, ids: dict[str, str], number: str | None = None, slug: str | None = None, text: str | None = None
) -> str:
    """The rule's path with a value for each part: ``number`` for every integer, ``text`` for every
    other part when given."""
    values = {}
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        if kind == "BoundedIntegerConverter":
            values[name] = number if number is not None else ids.get(name, "1")
        elif text is not None:
            values[name] = text
        elif kind == "AnyConverter":
            values[name] = sorted(converter.items)[0] if hasattr(converter, "items") else "pdf"
        elif name == "slug":
            values[name] = slug or ("program-zamkniety" if "/report" in rule.rule else "program-dostepny")
        elif name == "key":
            values[name] = "par-1-pkt-2"
        elif name == "spec":
            values[name] = "1..x"
        else:
            values[name] = "x"
    path = rule.rule
    for name, value in values.items():
        for part in (f"<{name}>", *(p for p in _placeholders(path) if p.endswith(f":{name}>"))):
            path = path.replace(part, value)
    return path


def _placeholders(path: str) -> list[str]:
    out, start = [], path.find("<")
    while start != -1:
        end = path.find(">", start)
        out.append(path[start : end + 1])
        start = path.find("<", end)
    return out


@pytest.fixture()
def visitors(app, db, scene, create_user, login):
    """A signed-in client for each kind of visitor (None: anonymous)."""
    other_member = create_user(UserRole.MEMBER, email="inna@example.org")
    other = db.session.scalar(sa.select(Organisation).where(Organisation.name == "Stowarzyszenie Drugie"))
    db.session.add(Membership(organisation=other, user=other_member, status=MembershipStatus.ACTIVE))
    outsider = create_user(UserRole.OFFICIAL, email="spoza@example.org")
    db.session.commit()
    users = {
        "anonymous": None,
        "member": scene["member"],
        "member of another organisation": other_member,
        "official outside the team": outsider,
        "team official": scene["official"],
        "admin": scene["admin"],
    }
    clients = {}
    for role, user in users.items():
        client = app.test_client()
        if user is not None:
            response = client.post("/login", data={"email": user.email, "password": "correct-horse-battery"})
            assert response.status_code == 302, role
        clients[role] = client
    return clients


def _ask(client, method: str, path: str) -> int | str:
    try:
        response = client.open(path, method=method, data={} if method == "POST" else None)
    except Exception as error:  # noqa: BLE001 (under TESTING a server error arrives as its exception)
        return f"{type(error).__name__}: {error}"[:200]
    return response.status_code


def _requests(rules, ids, roles):
    """(role, method, address, the statuses wanted or None) for every rule: valid ids for every
    role, then, for a visitor and an admin, missing ids, a NUL in a text part and impossible ids."""
    for role in roles:
        for rule in rules:
            path = address_of(rule, ids)
            if "GET" in rule.methods:
                yield role, "GET", path, None
            if "POST" in rule.methods and rule.endpoint not in NEVER_POSTED:
                yield role, "POST", path, None
    for role in ("anonymous", "admin"):
        for rule in rules:
            yield from _bad_addresses(role, rule, ids)


def _bad_addresses(role, rule, ids):
    method = "GET" if "GET" in rule.methods else "POST"
    if rule.endpoint in NEVER_POSTED and method == "POST":
        return
    if rule.arguments:
        yield role, method, address_of(rule, ids, number=MISSING_ID, slug="nie-ma-takich"), None
    converters = [type(c).__name__ for c in rule._converters.values()]
    if any(name.startswith("Text") for name in converters):
        # A NUL in a slug, a key or a token: PostgreSQL would refuse the query; no rule matches.
        yield role, method, address_of(rule, ids, text="a%00b"), {404, 405, 302, 403}
    if "BoundedIntegerConverter" in converters:
        for bad in BAD_IDS:
            # No database integer: the rule does not match; another may (405), none answers 5xx.
            yield role, method, address_of(rule, ids, number=bad), {404, 405, 302, 403}


def test_no_route_answers_a_server_error(app, db, scene, visitors):
    started = time.monotonic()
    ids = valid_ids(db, scene)
    rules = sorted(
        (r for r in app.url_map.iter_rules() if r.endpoint != "static"), key=lambda r: ("POST" in r.methods, r.rule)
    )
    failures, asked = [], 0
    for role, method, path, wanted in _requests(rules, ids, visitors):
        asked += 1
        status = _ask(visitors[role], method, path)
        if not isinstance(status, int) or status >= 500 or (wanted is not None and status not in wanted):
            failures.append((role, method, path, status))
    elapsed = time.monotonic() - started
    assert failures == [], failures
    assert asked > 1500
    print(f"{asked} requests in {elapsed:.1f} s")
