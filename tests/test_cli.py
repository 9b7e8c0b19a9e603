import pytest
import sqlalchemy as sa
from docx import Document

from consult.accounts.models import User, UserRole
from consult.consultations.models import Consultation, ConsultationState
from consult.demo import DEMO_SLUG
from consult.drafts.models import DraftVersion, Paragraph, VersionStatus


@pytest.fixture()
def cli(app, db):
    runner = app.test_cli_runner()

    def invoke(*args, **kwargs):
        return runner.invoke(args=list(args), catch_exceptions=False, **kwargs)

    return invoke


def test_seed_demo_loads_once_and_prints_the_logins(cli, db):
    first = cli("seed-demo")
    assert first.exit_code == 0
    assert "urzednik@example.org" in first.output and "demo-urzednik-2012" in first.output
    counts = {m: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (User, Consultation, Paragraph)}
    second = cli("seed-demo")
    assert second.exit_code == 0 and "already present" in second.output
    assert counts == {m: db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in counts}
    assert counts[Paragraph] > 100
    demo = db.session.scalar(sa.select(Consultation).where(Consultation.slug == DEMO_SLUG))
    assert demo.is_open
    assert len(demo.areas) == 16


def test_import_draft_prints_the_tree_and_creates_a_draft_consultation(cli, db, tmp_path):
    draft = tmp_path / "projekt.md"
    draft.write_text(
        "# Program 2027\n\n## Rozdział I. Cele\n\n§ 1. 1. Cel główny.\n\n2. Cele:\n1) pierwszy;\n", encoding="utf-8"
    )
    result = cli("import-draft", "program-2027", str(draft))
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "§ 1 ust. 1\tCel główny." in lines
    assert "§ 1 ust. 2 pkt 1\tpierwszy;" in lines
    assert "3 paragraphs" in lines[-1] and "unpublished" in lines[-1]
    consultation = db.session.scalar(sa.select(Consultation).where(Consultation.slug == "program-2027"))
    assert consultation.state == ConsultationState.DRAFT and consultation.title == "Program 2027"
    version = db.session.scalar(sa.select(DraftVersion))
    assert version.status == VersionStatus.DRAFT and version.number == 1

    refused = cli("import-draft", "program-2027", str(draft))
    assert refused.exit_code == 1 and "Wersja 1 nie została jeszcze opublikowana" in refused.output


def test_import_draft_publish_prints_the_matching_and_keys_survive_renumbering(cli, db, tmp_path):
    draft = tmp_path / "projekt.md"
    draft.write_text(
        "# Program 2027\n\n## Rozdział I. Cele\n\n§ 1. 1. Cel główny programu.\n\n"
        "2. Cele szczegółowe:\n1) wzmocnienie potencjału organizacji;\n2) zwiększenie udziału mieszkańców;\n",
        encoding="utf-8",
    )
    first = cli("import-draft", "program-2027", str(draft), "--publish")
    assert first.exit_code == 0, first.output
    assert "(published)" in first.output.splitlines()[-1]
    revised = tmp_path / "projekt-2.md"
    revised.write_text(
        "# Program 2027\n\n## Rozdział I. Cele\n\n§ 1. 1. Cel główny programu współpracy.\n\n"
        "2. Cele szczegółowe:\n1) poprawa jakości życia;\n2) wzmocnienie potencjału organizacji;\n"
        "3) zwiększenie udziału mieszkańców;\n",
        encoding="utf-8",
    )
    again = cli("import-draft", "program-2027", str(revised), "--title", "Wersja poprawiona", "--publish")
    assert again.exit_code == 0, again.output
    lines = again.output.splitlines()
    assert "Matching with version 1:" in lines
    assert "§ 1 ust. 1 -> § 1 ust. 1\tchanged" in lines
    assert "— -> § 1 ust. 2 pkt 1\tadded" in lines
    assert "§ 1 ust. 2 pkt 1 -> § 1 ust. 2 pkt 2\tkept" in lines
    assert "§ 1 ust. 2 pkt 2 -> § 1 ust. 2 pkt 3\tkept" in lines
    assert "Changes: 1 changed, 1 added, 0 deleted, 0 moved, 0 split, 0 merged." in lines
    versions = db.session.scalars(sa.select(DraftVersion).order_by(DraftVersion.number)).all()
    assert [(v.number, v.title, v.status) for v in versions] == [
        (1, "Program 2027", VersionStatus.PUBLISHED),
        (2, "Wersja poprawiona", VersionStatus.PUBLISHED),
    ]
    # A provision keeps its key through renumbering; the new point gets a key of its own.
    keys = [
        dict(db.session.execute(sa.select(Paragraph.text, Paragraph.key).where(Paragraph.version_id == v.id)).all())
        for v in versions
    ]
    for text in ("wzmocnienie potencjału organizacji;", "zwiększenie udziału mieszkańców;"):
        assert keys[0][text] == keys[1][text]
    assert keys[1]["poprawa jakości życia;"] not in keys[0].values()


def test_import_draft_reads_a_word_file(cli, db, tmp_path):
    document = Document()
    document.add_heading("Rozdział I. Postanowienia ogólne", level=1)
    document.add_paragraph("§ 1. Program określa zasady współpracy.")
    path = tmp_path / "projekt.docx"
    document.save(path)
    result = cli("import-draft", "program-docx", str(path))
    assert result.exit_code == 0, result.output
    assert "§ 1\tProgram określa zasady współpracy." in result.output


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [("pusty.md", b"", "pusty"), ("zle.docx", b"nie zip", "docx"), ("x.pdf", b"%PDF-1.4", ".docx")],
)
def test_import_draft_refuses_bad_files_and_stores_nothing(cli, db, tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    result = cli("import-draft", "program-zly", str(path))
    assert result.exit_code == 1
    assert words.lower() in result.output.lower()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Consultation)) == 0


def test_create_user_makes_an_official_who_can_sign_in(cli, db, client):
    result = cli("create-user", "--email", "Nowa@Example.org", "--role", "official", "--password", "bardzo-tajne-haslo")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(sa.select(User))
    assert user.email == "nowa@example.org" and user.role == UserRole.OFFICIAL
    assert user.password_hash and "bardzo-tajne-haslo" not in user.password_hash
    response = client.post("/login", data={"email": "nowa@example.org", "password": "bardzo-tajne-haslo"})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--email", "a@example.org", "--role", "admin", "--password", "krótkie"), "10"),
        (("--email", "bez-malpy", "--role", "admin", "--password", "bardzo-tajne-haslo"), "e-mail"),
    ],
)
def test_create_user_refuses_bad_input(cli, db, args, words):
    result = cli("create-user", *args)
    assert result.exit_code == 1 and words in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
