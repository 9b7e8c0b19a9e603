"""Editing the current version in the browser: the text in the importer's grammar, saved as the
next version through the same matching, preview and publication as an imported file."""

import re

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.core.models import AuditEntry
from consult.demo import DRAFT_FILE
from consult.drafts.importers import markdown_of, parse_markdown
from consult.drafts.models import DraftVersion, Paragraph, VersionStatus
from consult.drafts.operations import MAX_EDITED_CHARS
from tests.conftest import SMALL_DRAFT

DRAFT = """# Program współpracy

## Rozdział I. Zasady

§ 1. 1. Współpraca opiera się na zasadzie pomocniczości i suwerenności stron.

2. Gmina ogłasza otwarte konkursy ofert na realizację zadań publicznych w każdym roku.

3. Organizacje składają sprawozdania z realizacji zadań w terminie trzydziestu dni.

4. Program obowiązuje od pierwszego stycznia do trzydziestego pierwszego grudnia.

§ 2. Komisje konkursowe oceniają oferty według kryteriów ogłoszonych w konkursie oraz opiniują je. Oceny komisji publikuje się w Biuletynie Informacji Publicznej miasta.

§ 3. 1. Rada Działalności Pożytku Publicznego opiniuje projekty uchwał dotyczących organizacji.

2. Rada spotyka się co najmniej raz na kwartał.
"""
# Every kind of edit at once: ust. 1 changed, a new ust. 2 added, ust. 4 deleted, ust. 3 moved
# to the end of § 3, § 2 split in two, § 3 ust. 1 and 2 merged.
EDITED = """# Program współpracy

## Rozdział I. Zasady

§ 1. 1. Współpraca opiera się na zasadzie pomocniczości, suwerenności stron i partnerstwa.

2. Gmina prowadzi stronę internetową przeznaczoną dla organizacji pozarządowych.

3. Gmina ogłasza otwarte konkursy ofert na realizację zadań publicznych w każdym roku.

§ 2. 1. Komisje konkursowe oceniają oferty według kryteriów ogłoszonych w konkursie oraz opiniują je.

2. Oceny komisji publikuje się w Biuletynie Informacji Publicznej miasta.

§ 3. 1. Rada Działalności Pożytku Publicznego opiniuje projekty uchwał dotyczących organizacji i spotyka się co najmniej raz na kwartał.

2. Organizacje składają sprawozdania z realizacji zadań w terminie trzydziestu dni.
"""


def _flat(draft):
    sections = [(s.kind, s.number, s.label, s.heading, depth) for s, depth in draft.iter_sections()]
    paragraphs = [(p.number, p.label, p.text, p.level) for _section, p in draft.iter_paragraphs()]
    return draft.title, sections, paragraphs


@pytest.mark.parametrize("source", ["small", "demo", "edited"])
def test_a_version_written_as_text_reads_back_the_same(app, source):
    text = {"small": SMALL_DRAFT, "demo": DRAFT_FILE.read_text(encoding="utf-8"), "edited": EDITED}[source]
    parsed = parse_markdown(text)
    assert _flat(parse_markdown(markdown_of(parsed))) == _flat(parsed)


@pytest.fixture()
def team(create_user):
    return create_user(UserRole.OFFICIAL)


@pytest.fixture()
def consultation(create_consultation, team):
    return create_consultation("closed", draft=DRAFT, officials=[team])


def _editor(client, slug: str, lang: str = "pl") -> tuple[str, str, str]:
    """The editor page, the text it offers and its revision."""
    page = client.get(f"/manage/consultations/{slug}/versions/edit?lang={lang}").get_data(as_text=True)
    text = re.search(r"<textarea[^>]*>\r?\n?(.*?)</textarea>", page, re.S)[1]
    revision = re.search(r'name="revision" type="hidden" value="([^"]*)"', page)[1]
    return page, text, revision


def _save(client, slug: str, text: str, revision: str):
    return client.post(f"/manage/consultations/{slug}/versions/edit", data={"text": text, "revision": revision})


def _versions(db) -> list[tuple[int, str]]:
    rows = db.session.execute(sa.select(DraftVersion.number, DraftVersion.status).order_by(DraftVersion.number))
    return [(number, status.value) for number, status in rows]


def _keys(db, number: int) -> dict[str, str]:
    version = db.session.scalar(sa.select(DraftVersion).where(DraftVersion.number == number))
    return {p.label: p.key for p in version.paragraphs}


def test_the_editor_offers_the_current_version_and_saves_every_kind_of_edit_as_the_next(
    client, db, consultation, team, login
):
    login(team)
    page, text, revision = _editor(client, consultation.slug)
    assert "Edytuj tekst projektu" in page and 'lang="pl"' in page
    assert "Współpraca opiera się na zasadzie pomocniczości i suwerenności stron." in text
    assert _flat(parse_markdown(text.replace("&#34;", '"'))) == _flat(parse_markdown(DRAFT))
    before = _keys(db, 1)

    response = _save(client, consultation.slug, EDITED, revision)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/manage/consultations/{consultation.slug}/versions/2#matching")
    assert _versions(db) == [(1, "published"), (2, "draft")]
    after = _keys(db, 2)
    assert after["§ 1 ust. 1"] == before["§ 1 ust. 1"]  # changed: the same provision
    assert after["§ 1 ust. 3"] == before["§ 1 ust. 2"]  # renumbered: the same provision
    assert after["§ 3 ust. 2"] == before["§ 1 ust. 3"]  # moved
    assert after["§ 2 ust. 1"] == before["§ 2"]  # split: the first part keeps the key
    assert after["§ 3 ust. 1"] == before["§ 3 ust. 1"]  # merged: the key of the first
    assert after["§ 1 ust. 2"] not in before.values() and after["§ 2 ust. 2"] not in before.values()
    assert before["§ 1 ust. 4"] not in after.values()  # deleted

    preview = client.get(f"/manage/consultations/{consultation.slug}/versions/2?lang=en").get_data(as_text=True)
    for summary in ("1 provision changed", "1 provision added", "1 provision deleted", "1 provision moved",
                    "1 provision split", "1 merger of provisions"):  # fmt: skip
        assert summary in preview, summary
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "draft.edit")).one()
    assert entry.actor_id == team.id
    assert client.post(f"/manage/consultations/{consultation.slug}/versions/2/publish").status_code == 302
    assert _versions(db) == [(1, "published"), (2, "published")]


@pytest.mark.parametrize(
    ("text", "status", "message"),
    [
        ("", 422, "Tekst jest pusty"),
        (" \n\t\n ", 422, "Tekst jest pusty"),
        ("\x00\x00", 422, "Tekst jest pusty"),
        ("# Sam tytuł\n\n## Rozdział I\n", 422, "nie znaleziono żadnych ustępów"),
        ("§ 1. " + "słowo " * (MAX_EDITED_CHARS // 6 + 1), 422, "Tekst jest dłuższy niż 1\u00a0000\u00a0000 znaków"),
    ],
    ids=["empty", "blank", "only NUL", "no provisions", "huge"],
)
def test_bad_text_is_answered_with_the_text_kept_and_nothing_saved(
    client, db, consultation, team, login, text, status, message
):
    login(team)
    _page, _text, revision = _editor(client, consultation.slug)
    response = _save(client, consultation.slug, text, revision)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert message in page and 'aria-invalid="true"' in page
    assert _versions(db) == [(1, "published")]


def test_nul_and_control_characters_are_taken_out(client, db, consultation, team, login):
    login(team)
    _page, text, revision = _editor(client, consultation.slug)
    edited = text.replace("&#34;", '"').replace("suwerenności stron.", "suwerenności\x00 stron\x07 i jawności.")
    assert _save(client, consultation.slug, edited, revision).status_code == 302
    texts = db.session.scalars(
        sa.select(Paragraph.text)
        .join(DraftVersion)
        .where(DraftVersion.number == 2, Paragraph.text.contains("jawności"))
    ).all()
    assert texts == ["Współpraca opiera się na zasadzie pomocniczości i suwerenności stron i jawności."]


def test_a_stale_edit_by_another_official_is_refused_and_keeps_its_text(
    client, db, consultation, team, create_user, login
):
    colleague = create_user(UserRole.OFFICIAL)
    consultation.officials.append(colleague)
    db.session.commit()
    login(team)
    _page, text, stale = _editor(client, consultation.slug)
    login(colleague)
    _page, text, revision = _editor(client, consultation.slug)
    assert revision == stale
    assert (
        _save(client, consultation.slug, text.replace("trzydziestu dni", "czternastu dni"), revision).status_code == 302
    )
    login(team)
    mine = text.replace("każdym roku", "każdym kwartale")
    response = _save(client, consultation.slug, mine, stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "ktoś inny zmienił projekt" in page and "każdym kwartale" in page
    assert _versions(db) == [(1, "published"), (2, "draft")]
    assert "czternastu dni" in " ".join(
        p.text for p in db.session.scalars(sa.select(Paragraph).join(DraftVersion).where(DraftVersion.number == 2))
    )


def test_saving_again_replaces_the_version_being_prepared(client, db, consultation, team, login):
    login(team)
    _page, text, revision = _editor(client, consultation.slug)
    assert _save(client, consultation.slug, EDITED, revision).status_code == 302
    page, text, revision = _editor(client, consultation.slug, "en")
    assert "You are editing version 2, which is being prepared" in page
    assert "partnerstwa" in text
    second = text.replace("&#34;", '"').replace("raz na kwartał", "raz w miesiącu")
    assert _save(client, consultation.slug, second, revision).status_code == 302
    assert _versions(db) == [(1, "published"), (2, "draft")]
    texts = " ".join(db.session.scalars(sa.select(Paragraph.text).join(DraftVersion).where(DraftVersion.number == 2)))
    assert "raz w miesiącu" in texts and "partnerstwa" in texts
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions[-3:] == ["draft.edit", "draft.discard", "draft.edit"]


@pytest.mark.parametrize(("role", "code"), [("member", 403), ("official", 403), ("admin", 200)])
def test_only_the_team_and_admins_edit(client, consultation, create_user, login, role, code):
    login(create_user(role))
    assert client.get(f"/manage/consultations/{consultation.slug}/versions/edit").status_code == code
    response = _save(client, consultation.slug, EDITED, "x")
    assert response.status_code == (409 if code == 200 else code)


def test_the_editor_works_after_the_report_is_published(client, db, consultation, team, login):
    from consult.core.time import utcnow

    consultation.report_published_at = utcnow()
    db.session.commit()
    login(team)
    manage = client.get(f"/manage/consultations/{consultation.slug}").get_data(as_text=True)
    assert f"/manage/consultations/{consultation.slug}/versions/edit" in manage
    _page, _text, revision = _editor(client, consultation.slug)
    assert _save(client, consultation.slug, EDITED, revision).status_code == 302
    assert _versions(db) == [(1, "published"), (2, "draft")]


def test_a_consultation_without_a_draft_gets_its_first_version_written(client, db, create_consultation, team, login):
    consultation = create_consultation("draft", draft=None, officials=[team])
    login(team)
    page, text, revision = _editor(client, consultation.slug, "en")
    assert "has no draft yet" in page and text == ""
    assert _save(client, consultation.slug, DRAFT, revision).status_code == 302
    assert _versions(db) == [(1, "draft")]
    assert db.session.scalar(sa.select(DraftVersion)).status == VersionStatus.DRAFT


def test_two_saves_at_once_make_one_version_and_refuse_the_other(app, db, consultation, team):
    """A double click on "Save", or two officials: on PostgreSQL, at the same moment in two transactions."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent transactions are tested on PostgreSQL (TEST_DATABASE_URL)")
    import threading

    from consult.core.errors import Conflict
    from consult.drafts.operations import edit_draft
    from consult.drafts.queries import editor_source
    from consult.extensions import db as _db

    revision = editor_source(consultation.id).revision
    start = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def save(text: str) -> None:
        with app.app_context():
            try:
                row = _db.session.get(type(consultation), consultation.id)
                start.wait()
                edit_draft(row, text, _db.session.get(type(team), team.id), revision=revision)
                _db.session.commit()
                outcomes.append("saved")
            except Conflict:
                _db.session.rollback()
                outcomes.append("refused")
            finally:
                _db.session.remove()

    threads = [threading.Thread(target=save, args=(text,)) for text in (EDITED, EDITED.replace("miasta", "Gminy"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "saved"]
    db.session.expire_all()
    assert _versions(db) == [(1, "published"), (2, "draft")]
