"""One rule for who may do what with a consultation, as a matrix: rule × role × status.

The team (and admins) run their consultation end to end; any official creates one and
reads all; only the team and admins change the team. Then the same rule through HTTP:
a view refuses what the predicate refuses, and a page shows no form its user may not send.
"""

import io

import pytest
import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from consult.accounts.models import UserRole
from consult.comments.models import CommentStatus
from consult.consultations import permissions as consultations
from consult.core.permissions import can, rule_names
from consult.core.time import utcnow
from consult.drafts import permissions as drafts
from consult.drafts.importers import parse_markdown
from consult.drafts.models import DraftVersion
from consult.drafts.operations import discard_version, import_draft
from consult.moderation import permissions as moderation
from consult.reports import permissions as reports
from tests.conftest import SMALL_DRAFT

ROLES = ("anonymous", "member", "official", "team", "admin")
STATUSES = ("draft", "announced", "open", "closed", "report_published")

# Each row: which of anonymous, member, official (not on the team), team official, admin may ("x") or may not (".").
ALL, OFFICIALS, RUNNERS, NOBODY = "xxxxx", "..xxx", "...xx", "....."


def _by_status(**rows: str) -> dict[str, str]:
    """A row per status; statuses not named get ``NOBODY``."""
    return {status: rows.get(status, NOBODY) for status in STATUSES}


PUBLISHED_STATUSES = ("announced", "open", "closed", "report_published")
BEFORE_REPORT = ("draft", "announced", "open", "closed")
REPORT_STAGE = ("closed", "report_published")

EXPECTED = {
    "view_consultation": _by_status(draft=OFFICIALS, **dict.fromkeys(PUBLISHED_STATUSES, ALL)),
    "manage_consultations": _by_status(**dict.fromkeys(STATUSES, OFFICIALS)),
    "create_consultation": _by_status(**dict.fromkeys(STATUSES, OFFICIALS)),
    "edit_consultation": _by_status(**dict.fromkeys(BEFORE_REPORT, RUNNERS)),
    # The second reading revises the draft after the consultation, its report included.
    "import_draft": _by_status(**dict.fromkeys(STATUSES, RUNNERS)),
    "publish_version": _by_status(**dict.fromkeys(STATUSES, RUNNERS)),
    "view_version": _by_status(**dict.fromkeys(STATUSES, OFFICIALS)),  # an unpublished version
    "publish_consultation": _by_status(draft=RUNNERS),
    "change_deadline": _by_status(announced=RUNNERS, open=RUNNERS, closed=RUNNERS),
    "close_consultation": _by_status(open=RUNNERS),
    "change_team": _by_status(**dict.fromkeys(STATUSES, RUNNERS)),
    "view_moderation": _by_status(**dict.fromkeys(STATUSES, OFFICIALS)),
    "moderate": _by_status(**dict.fromkeys(PUBLISHED_STATUSES, RUNNERS)),
    "answer": _by_status(announced=RUNNERS, open=RUNNERS, closed=RUNNERS),
    "approve_comment": _by_status(**dict.fromkeys(PUBLISHED_STATUSES, RUNNERS)),  # a pending comment
    "hide_comment": _by_status(**dict.fromkeys(PUBLISHED_STATUSES, RUNNERS)),
    "assign_comment": _by_status(**dict.fromkeys(PUBLISHED_STATUSES, RUNNERS)),
    "answer_comment": _by_status(announced=RUNNERS, open=RUNNERS, closed=RUNNERS),
    "view_report_builder": _by_status(**dict.fromkeys(REPORT_STAGE, OFFICIALS)),
    "build_report": _by_status(**dict.fromkeys(REPORT_STAGE, RUNNERS)),
    "publish_report": _by_status(**dict.fromkeys(REPORT_STAGE, RUNNERS)),
    "retry_export": _by_status(**dict.fromkeys(REPORT_STAGE, RUNNERS)),
    "view_report": _by_status(**dict.fromkeys(PUBLISHED_STATUSES, ALL)),
}


@pytest.fixture()
def world(db, create_user, create_consultation, create_organisation, create_comment):
    """Builds, per status, a consultation with a team official, a pending comment and an unpublished version."""

    def build(status: str):
        team = create_user(UserRole.OFFICIAL)
        consultation = create_consultation("closed" if status == "report_published" else status, officials=[team])
        comment = create_comment(consultation, create_organisation("Fundacja"), status=CommentStatus.PENDING)
        version = import_draft(consultation, parse_markdown(SMALL_DRAFT), None)
        if status == "report_published":
            consultation.report_published_at = utcnow()
        db.session.commit()
        users = {
            "anonymous": AnonymousUserMixin(),
            "member": create_user(UserRole.MEMBER),
            "official": create_user(UserRole.OFFICIAL),
            "team": team,
            "admin": create_user(UserRole.ADMIN),
        }
        return consultation, comment, version, users

    return build


def _subject(rule: str, consultation, comment, version: DraftVersion) -> tuple:
    if rule in ("manage_consultations", "create_consultation"):
        return ()
    if rule.endswith("_comment"):
        return (comment,)
    if rule.endswith("_version"):
        return (version,)
    return (consultation,)


PREDICATES = {
    **{
        name: getattr(consultations, f"can_{name}")
        for name in (
            "view_consultation",
            "manage_consultations",
            "create_consultation",
            "edit_consultation",
            "publish_consultation",
            "change_deadline",
            "close_consultation",
            "change_team",
        )
    },  # fmt: skip
    **{name: getattr(drafts, f"can_{name}") for name in ("import_draft", "publish_version", "view_version")},
    **{
        name: getattr(moderation, f"can_{name}")
        for name in (
            "view_moderation",
            "moderate",
            "answer",
            "approve_comment",
            "hide_comment",
            "assign_comment",
            "answer_comment",
        )
    },  # fmt: skip
    **{
        name: getattr(reports, f"can_{name}")
        for name in (
            "view_report_builder",
            "build_report",
            "publish_report",
            "retry_export",
            "view_report",
        )
    },  # fmt: skip
}


@pytest.mark.parametrize("status", STATUSES)
def test_every_rule_as_a_matrix_of_role_and_status(world, status):
    consultation, comment, version, users = world(status)
    assert consultation.status.value == status
    answers = {
        rule: "".join(
            "x" if predicate(users[role], *_subject(rule, consultation, comment, version)) else "." for role in ROLES
        )
        for rule, predicate in PREDICATES.items()
    }
    assert answers == {rule: rows[status] for rule, rows in EXPECTED.items()}


def test_templates_reach_every_rule_through_can(app, world):
    """``can('<rule>', …)`` in a template is the predicate for the signed-in user."""
    consultation, comment, version, users = world("open")
    assert set(PREDICATES) <= set(rule_names())
    with app.test_request_context():
        from flask_login import login_user

        login_user(users["team"])
        assert can("edit_consultation", consultation) and can("approve_comment", comment)
        login_user(users["official"])
        assert not can("edit_consultation", consultation) and can("view_moderation", consultation)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [
        (CommentStatus.PENDING, {"approve_comment", "hide_comment", "answer_comment", "assign_comment"}),
        (CommentStatus.PUBLISHED, {"dismiss_reports", "hide_comment", "answer_comment", "assign_comment"}),
        (CommentStatus.HIDDEN, {"restore_comment", "assign_comment"}),
        (CommentStatus.WITHDRAWN, {"assign_comment"}),
    ],
)
def test_what_the_team_may_do_with_a_comment_follows_its_status(world, db, status, allowed):
    consultation, comment, _version, users = world("open")
    comment.status = status
    db.session.commit()
    rules = ("approve_comment", "dismiss_reports", "hide_comment", "restore_comment", "answer_comment")
    rules += ("assign_comment",)
    assert {r for r in rules if getattr(moderation, f"can_{r}")(users["team"], comment)} == allowed
    assert not any(getattr(moderation, f"can_{r}")(users["official"], comment) for r in rules)


# --- through HTTP ------------------------------------------------------------------------------

HTTP_ROLES = ("member", "official", "team", "admin")
# (method, path, form data, status of the consultation, expected codes for member, official, team, admin)
ROUTES = {
    "dashboard": ("get", "/manage/", None, "open", (403, 200, 200, 200)),
    "new consultation": ("get", "/manage/consultations/new", None, "open", (403, 200, 200, 200)),
    "consultation page": ("get", "/manage/consultations/{slug}", None, "open", (403, 200, 200, 200)),
    "edit form": ("get", "/manage/consultations/{slug}/edit", None, "open", (403, 403, 200, 200)),
    "edit": ("post", "/manage/consultations/{slug}/edit", {}, "open", (403, 403, 422, 422)),
    "edit after the report": ("get", "/manage/consultations/{slug}/edit", None, "report_published", (403, 403, 403, 403)),
    "import form": ("get", "/manage/consultations/{slug}/import", None, "draft", (403, 403, 200, 200)),
    "import after the report": ("get", "/manage/consultations/{slug}/import", None, "report_published", (403, 403, 200, 200)),
    "draft editor": ("get", "/manage/consultations/{slug}/versions/edit", None, "open", (403, 403, 200, 200)),
    "draft editor after the report": ("get", "/manage/consultations/{slug}/versions/edit", None, "report_published", (403, 403, 200, 200)),
    "publish version after the report": ("post", "/manage/consultations/{slug}/versions/2/publish", {}, "report_published", (403, 403, 302, 302)),
    "publish": ("post", "/manage/consultations/{slug}/publish", {}, "draft", (403, 403, 302, 302)),
    "close": ("post", "/manage/consultations/{slug}/close", {"close-reason": "Tak"}, "open", (403, 403, 302, 302)),
    "extend": ("post", "/manage/consultations/{slug}/extend", {"extend-reason": "x"}, "open", (403, 403, 422, 422)),  # no new date: the form again
    "extend after the report": ("post", "/manage/consultations/{slug}/extend", {}, "report_published", (403, 403, 403, 403)),
    "publish version": ("post", "/manage/consultations/{slug}/versions/2/publish", {}, "open", (403, 403, 302, 302)),
    "discard version": ("post", "/manage/consultations/{slug}/versions/2/discard", {}, "open", (403, 403, 302, 302)),
    "team page": ("get", "/manage/consultations/{slug}/team", None, "open", (403, 200, 200, 200)),
    "change team": ("post", "/manage/consultations/{slug}/team", {"officials": []}, "open", (403, 403, 302, 302)),
    "report builder": ("get", "/manage/consultations/{slug}/report", None, "closed", (403, 200, 200, 200)),
    "save report texts": ("post", "/manage/consultations/{slug}/report", {"row_version": "0"}, "closed", (403, 403, 302, 302)),
    "publish report": ("post", "/manage/consultations/{slug}/report/publish", {"draft_version": "0"}, "closed", (403, 403, 302, 302)),
}  # fmt: skip


@pytest.mark.parametrize("route", sorted(ROUTES))
@pytest.mark.parametrize("role", HTTP_ROLES)
def test_every_officials_route_follows_the_rule(client, db, world, login, route, role):
    method, path, data, status, expected = ROUTES[route]
    consultation, _comment, _version, users = world(status)
    login(users[role])
    url = path.format(slug=consultation.slug)
    response = client.get(url) if method == "get" else client.post(url, data=data)
    assert response.status_code == expected[HTTP_ROLES.index(role)], response.get_data(as_text=True)[:500]


@pytest.mark.parametrize(
    ("role", "shown"),
    [("official", False), ("team", True), ("admin", True)],
)
def test_pages_show_only_the_forms_their_reader_may_send(client, world, login, role, shown):
    consultation, comment, _version, users = world("open")
    login(users[role])
    slug = consultation.slug
    pages = {
        "consultation": client.get(f"/manage/consultations/{slug}").get_data(as_text=True),
        "team": client.get(f"/manage/consultations/{slug}/team").get_data(as_text=True),
        "comment": client.get(f"/manage/consultations/{slug}/comments/{comment.number}").get_data(as_text=True),
        "queue": client.get(f"/manage/consultations/{slug}/moderation").get_data(as_text=True),
        "version": client.get(f"/manage/consultations/{slug}/versions/2").get_data(as_text=True),
    }
    forms = {
        "consultation": [f"/manage/consultations/{slug}/edit", f"/manage/consultations/{slug}/import",
                         f"/manage/consultations/{slug}/close", f"/manage/consultations/{slug}/extend"],
        "team": ['name="officials"', "Zapisz zespół"],
        "comment": [f"/comments/{comment.number}/approve", f"/comments/{comment.number}/hide",
                    f"/comments/{comment.number}/assign", f"/comments/{comment.number}/position"],
        "queue": [f"/manage/consultations/{slug}/bulk", 'name="comments"'],
        "version": ["/versions/2/publish", "/versions/2/discard"],
    }  # fmt: skip
    for page, markers in forms.items():
        for marker in markers:
            assert (marker in pages[page]) is shown, (page, marker)
    if not shown:
        assert "tylko zespół konsultacji i administratorzy" in pages["consultation"]
        assert users["team"].display_name in pages["team"]


def test_the_report_builder_offers_its_forms_only_to_the_team(client, world, login):
    consultation, _comment, _version, users = world("closed")
    url = f"/manage/consultations/{consultation.slug}/report"
    login(users["official"])
    page = client.get(url).get_data(as_text=True)
    assert 'name="introduction"' not in page and "/report/publish" not in page
    assert "Podgląd" in page
    login(users["team"])
    page = client.get(url).get_data(as_text=True)
    assert 'name="introduction"' in page and "/report/publish" in page


@pytest.mark.parametrize(("role", "visible"), [("member", set()), ("official", {"dashboard", "verification"}),
                                               ("admin", {"dashboard", "verification", "users", "audit"})])  # fmt: skip
def test_the_main_menu_asks_the_rules(client, db, create_user, login, role, visible):
    login(create_user(role))
    page = client.get("/").get_data(as_text=True)
    links = {"dashboard": 'href="/manage/"', "verification": 'href="/manage/organisations"',
             "users": 'href="/admin/users"', "audit": 'href="/admin/audit"'}  # fmt: skip
    assert {name for name, link in links.items() if link in page} == visible


# One rule for the web and the command line: a consultation whose report is published takes
# a new version (the second reading), and neither makes a second one while one is prepared.

NEXT_DRAFT = SMALL_DRAFT + "\n§ 9. Paragraf dodany po konsultacjach.\n"


def _versions(db) -> list[tuple[int, str]]:
    rows = db.session.execute(sa.select(DraftVersion.number, DraftVersion.status).order_by(DraftVersion.number))
    return [(number, status.value) for number, status in rows]


def _import_by_cli(app, consultation, tmp_path, *options: str):
    draft = tmp_path / "projekt.md"
    draft.write_text(NEXT_DRAFT, encoding="utf-8")
    return app.test_cli_runner().invoke(args=["import-draft", consultation.slug, str(draft), *options])


def _import_by_web(client, consultation):
    return client.post(
        f"/manage/consultations/{consultation.slug}/import",
        data={"file": (io.BytesIO(NEXT_DRAFT.encode()), "projekt.md")},
        content_type="multipart/form-data",
    )


def test_the_command_line_imports_and_publishes_after_the_report(app, db, world, tmp_path):
    consultation, _comment, pending, _users = world("report_published")
    discard_version(pending, None)
    db.session.commit()
    result = _import_by_cli(app, consultation, tmp_path, "--publish")
    assert result.exit_code == 0, result.output
    assert "Version 2 of" in result.output and "(published)" in result.output
    assert _versions(db) == [(1, "published"), (2, "published")]
    assert "§ 9" in result.output and "added" in result.output
    assert db.session.get(type(consultation), consultation.id).report_published_at is not None


@pytest.mark.parametrize("role", ["team", "admin"])
def test_the_web_imports_and_publishes_after_the_report(client, db, world, login, role):
    consultation, _comment, pending, users = world("report_published")
    discard_version(pending, None)
    db.session.commit()
    login(users[role])
    manage = client.get(f"/manage/consultations/{consultation.slug}").get_data(as_text=True)
    assert f"/manage/consultations/{consultation.slug}/import" in manage
    assert f"/manage/consultations/{consultation.slug}/edit" not in manage  # the facts stay frozen
    response = _import_by_web(client, consultation)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/consultations/{consultation.slug}/versions/2")
    response = client.post(f"/manage/consultations/{consultation.slug}/versions/2/publish")
    assert response.status_code == 302
    assert _versions(db) == [(1, "published"), (2, "published")]


def test_web_and_command_line_refuse_a_second_version_while_one_is_prepared(app, client, db, world, login, tmp_path):
    consultation, _comment, _pending, users = world("report_published")
    result = _import_by_cli(app, consultation, tmp_path)
    assert result.exit_code == 1
    assert "Wersja 2 nie została jeszcze opublikowana" in result.output
    login(users["team"])
    response = _import_by_web(client, consultation)
    assert response.status_code == 409
    assert "Wersja 2 nie została jeszcze opublikowana" in response.get_data(as_text=True)
    assert _versions(db) == [(1, "published"), (2, "draft")]


def test_officials_outside_the_team_import_at_no_stage(client, db, world, login):
    consultation, _comment, pending, users = world("report_published")
    discard_version(pending, None)
    db.session.commit()
    login(users["official"])
    assert _import_by_web(client, consultation).status_code == 403
    assert _versions(db) == [(1, "published")]
