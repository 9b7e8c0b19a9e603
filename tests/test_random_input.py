"""Random Unicode into every form Consult shows: NUL and other control characters, lone surrogates
(sent as the invalid UTF-8 a broken client sends), 100,000 characters, right-to-left marks. No
answer is a server error, on SQLite or PostgreSQL (which refuses NUL that SQLite would store).

The forms are found as a visitor finds them: every page of the URL map is opened by each kind of
visitor and every ``<form method="post">`` on it is collected, once per action and set of fields.
"""

import time
from urllib.parse import quote, urlsplit

import lxml.html
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.test_every_route import address_of, valid_ids, visitors  # noqa: F401 (the fixture)

TEXT_INPUTS = {"text", "email", "search", "url", "tel", "hidden", "number", "date", "datetime-local", "password"}
# Each in every field at once (a round per value) ...
SPECIAL = [
    "Fundacja\x00Ważna",
    "\x01\x0b\x1b\x7f\x85\x00",
    "a\udfffb\ud800",
    "\u200f\u202eمنظمة\u202c שלום עולם\u200e",
    "x" * 100_000,
    "0001-01-01T00:00",
    str(2**63),
]
# ... and these in one more round, a different one in each field.
MIXED = ["9999-12-31T23:59", "-1", "", "🐢" * 1000, "ż\u0301" * 20_000, "\x00", "1e308", "\ud83d"]
random_text = st.one_of(
    st.sampled_from(SPECIAL),
    st.text(alphabet=st.characters(blacklist_categories=()), max_size=200),
)


def _encode(fields: list[tuple[str, str]]) -> bytes:
    """URL-encoded as UTF-8, lone surrogates included (bytes a browser never sends, a script may)."""
    return "&".join(
        f"{quote(name)}={quote(value.encode('utf-8', 'surrogatepass'), safe='')}" for name, value in fields
    ).encode("ascii")


def _forms_of(page: str, path: str) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """Each post form on the page: its action and its fields as (name, kind, a valid value)."""
    try:
        document = lxml.html.fromstring(page)
    except Exception:  # noqa: BLE001 (not HTML)
        return []
    forms = []
    for form in document.iter("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        fields = []
        for element in form.iter("input", "textarea", "select"):
            name = element.get("name")
            if not name or name == "csrf_token":
                continue
            if element.tag == "textarea":
                fields.append((name, "text", element.text or ""))
            elif element.tag == "select":
                options = [o.get("value", o.text or "") for o in element.iter("option")]
                fields.append((name, "choice", next((o for o in options if o), "")))
            else:
                kind = (element.get("type") or "text").lower()
                if kind in TEXT_INPUTS:
                    fields.append((name, "text", element.get("value") or ""))
                elif kind in {"radio", "checkbox"}:
                    fields.append((name, "choice", element.get("value") or "y"))
        action = urlsplit(form.get("action") or path)
        target = action.path + (f"?{action.query}" if action.query else "")
        if any(kind == "text" for _, kind, _ in fields):
            forms.append((target, fields))
    return forms


def _every_form(app, clients, ids) -> list[tuple[str, str, list]]:
    seen, found = set(), []
    rules = [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]
    for role, client in clients.items():
        for rule in rules:
            path = address_of(rule, ids)
            response = client.get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for target, fields in _forms_of(response.get_data(as_text=True), path):
                key = (target, tuple(sorted({name for name, _, _ in fields})))
                if key not in seen:
                    seen.add(key)
                    found.append((role, target, fields))
    return found


def _post(client, target: str, fields: list, data) -> int | str:
    body = []
    for name, kind, value in fields:
        if kind == "choice":
            body.append((name, value))
        elif isinstance(data, str):  # one of the special values, in every field at once
            body.append((name, data))
        elif not hasattr(data, "draw"):  # the mixed round: the next value for each field
            body.append((name, next(data)))
        else:
            body.append((name, data.draw(random_text, label=name)))
    try:
        response = client.post(target, data=_encode(body), content_type="application/x-www-form-urlencoded")
    except Exception as error:  # noqa: BLE001 (under TESTING a server error arrives as its exception)
        return f"{type(error).__name__}: {error}"[:300]
    return response.status_code


def _fuzz(client, target: str, fields: list) -> list:
    statuses = [_post(client, target, fields, special) for special in SPECIAL]
    statuses.append(_post(client, target, fields, iter(MIXED * len(fields))))

    @settings(max_examples=2, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.data())
    def post_random(data):
        statuses.append(_post(client, target, fields, data))

    post_random()
    return [s for s in statuses if not isinstance(s, int) or s >= 500]


def test_random_unicode_in_every_form_is_never_a_server_error(app, db, scene, visitors):  # noqa: F811
    started = time.monotonic()
    forms = _every_form(app, visitors, valid_ids(db, scene))
    assert len(forms) >= 30, [target for _, target, _ in forms]
    failures = []
    for role, target, fields in forms:
        if not target.endswith("/logout"):
            failures += [
                (role, target, [n for n, _, _ in fields], bad) for bad in _fuzz(visitors[role], target, fields)
            ]
    elapsed = time.monotonic() - started
    assert failures == [], failures
    print(f"{len(forms)} forms, {elapsed:.1f} s")
