"""The builder page, publication as immutable numbered versions, and who may do what."""

import json

import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.core.models import AuditEntry
from consult.reports.builder import build_report, checksum, publication_warnings, report_from_json
from consult.reports.models import PublishedReport, ReportDraft
from consult.reports.permissions import (
    can_build_report,
    can_publish_report,
    can_view_report,
    can_view_report_builder,
)
from consult.reports.queries import load_report_source
from tests.reports.conftest import DOCUMENT_ORDER


class Anonymous:
    is_authenticated = False
    is_official = False


@pytest.mark.parametrize("status", ["draft", "announced", "open", "closed", "report_published"])
@pytest.mark.parametrize("role", [None, "member", "official", "team", "admin"])
def test_permission_matrix(db, create_user, create_consultation, official, status, role):
    """The team and admins write and publish the report; every official reads the builder."""
    consultation = create_consultation(
        "closed" if status == "report_published" else status, officials=[official] if role == "team" else []
    )
    if status == "report_published":
        from consult.reports.operations import publish_report

        publish_report(consultation, official)
        db.session.commit()
    user = official if role == "team" else create_user(role) if role else Anonymous()
    closed = status in ("closed", "report_published")
    runs = role in ("team", "admin")
    assert can_view_report_builder(user, consultation) is (closed and role in ("official", "team", "admin"))
    assert can_build_report(user, consultation) is (closed and runs)
    assert can_publish_report(user, consultation) is (closed and runs)
    assert can_view_report(user, consultation) is (status != "draft")


@pytest.mark.parametrize(("role", "expected"), [(None, 302), ("member", 403), ("official", 200), ("admin", 200)])
def test_only_officials_open_the_builder(client, create_user, login, closed_consultation, role, expected):
    if role:
        login(create_user(role))
    assert client.get(f"/manage/consultations/{closed_consultation.slug}/report").status_code == expected


def test_the_builder_of_an_open_consultation_is_forbidden(client, create_consultation, official, login):
    consultation = create_consultation("open")
    login(official)
    assert client.get(f"/manage/consultations/{consultation.slug}/report").status_code == 403
    assert client.post(f"/manage/consultations/{consultation.slug}/report/publish").status_code == 403


def test_builder_previews_the_report_and_warns_before_publishing(client, filled_consultation, official, login):
    login(official)
    page = client.get(f"/manage/consultations/{filled_consultation.slug}/report").get_data(as_text=True)
    assert "Przed publikacją" in page
    assert "2 uwagi nie mają opublikowanego stanowiska" in page  # numbers 5 and 8
    assert 'href="#uwaga-5"' in page and 'href="#uwaga-8"' in page
    assert "1 stanowisko nie ma uzasadnienia" in page and 'href="#uwaga-4"' in page
    assert "podgląd, nieopublikowany" in page
    assert "Opublikuj wersję 1 raportu" in page
    # HTML typed by users is shown as text, never as markup.
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "Jan Kowalski-Prywatny" not in page


def test_warnings_name_comments_without_published_position_or_reason(filled_consultation):
    warnings = publication_warnings(load_report_source(filled_consultation))
    assert warnings.without_position == (5, 8)
    assert warnings.draft_positions == (8,)
    assert warnings.without_reason == (4,)


def test_builder_groups_rows_in_document_order_and_counts_withdrawn_and_hidden(filled_consultation):
    from consult.core.time import utcnow

    report = build_report(load_report_source(filled_consultation), number=1, published_at=utcnow())
    assert [row.number for row in report.rows()] == DOCUMENT_ORDER
    assert [row.lp for row in report.rows()] == [1, 2, 3, 4, 5, 6]
    assert [(g.label, g.withdrawn, g.hidden) for g in report.sections] == [
        ("", 0, 0),
        ("Rozdział I", 0, 1),
        ("Rozdział II", 1, 0),
    ]
    assert report.course.comment_count == 8 and report.course.listed_comment_count == 6
    assert report.course.support_count == 2  # the withdrawn support does not count
    assert report.moderation.hidden == 1 and report.moderation.withdrawn == 1
    assert {i.key: i.count for i in report.statistics.by_position} == {
        "accepted": 1,
        "partly_accepted": 1,
        "rejected": 1,
        "noted": 1,
        None: 2,
    }
    assert [s.accepted_share for s in report.statistics.by_section] == [0, 50, 33]
    texts = json.dumps(report.rows.__self__.__class__.__name__) + repr(report)
    assert "Obraźliwa treść ukryta" not in texts and "Wycofana treść" not in texts
    assert "Jan Kowalski-Prywatny" not in texts


def test_loading_the_report_runs_the_same_queries_for_few_and_many_comments(
    db, filled_consultation, create_organisation, create_comment, create_support, count_queries
):
    with count_queries() as few:
        load_report_source(filled_consultation)
    extra = create_organisation("Fundacja Liczna")
    for _ in range(30):
        comment = create_comment(filled_consultation, extra, "§ 2 ust. 2 pkt 1")
        create_support(comment, create_organisation(f"Popierająca {comment.number}"))
    db.session.expire_all()
    with count_queries() as many:
        load_report_source(filled_consultation)
    # nine, three for groups and themes (consult.analysis), one for where earlier versions' provisions are
    # now, one for the meetings, three for the report as filed (the invitations counted, the consultation's
    # areas and the organisations of those areas: the organisations invited)
    assert few.count == many.count <= 17


def test_publishing_makes_a_numbered_snapshot_with_a_checksum_and_an_audit_row(
    client, db, filled_consultation, official, login
):
    login(official)
    client.post(
        f"/manage/consultations/{filled_consultation.slug}/report",
        data={
            "introduction": "Konsultacje trwały **21 dni**.",
            "conclusion": "Projekt trafi do Rady.",
            "row_version": "0",
        },
    )
    response = client.post(
        f"/manage/consultations/{filled_consultation.slug}/report/publish", data={"draft_version": "1"}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/consultations/{filled_consultation.slug}/report/v1")
    published = db.session.scalars(sa.select(PublishedReport)).one()
    assert published.number == 1 and published.sha256 == checksum(published.data)
    assert json.loads(published.data)["course"]["introduction"] == "Konsultacje trwały **21 dni**."
    db.session.refresh(filled_consultation)
    assert filled_consultation.report_published_at == published.published_at
    audit = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "report.publish")).one()
    assert audit.actor_id == official.id and audit.after == {"number": 1, "sha256": published.sha256}

    page = client.get(f"/consultations/{filled_consultation.slug}/report").get_data(as_text=True)
    assert published.sha256 in page and "Wersja raportu" in page
    assert "<strong>21 dni</strong>" in page
    for fmt in ("pdf", "docx", "odt", "xlsx", "csv", "json"):
        assert f"/consultations/{filled_consultation.slug}/report/v1.{fmt}" in page


def test_a_correction_makes_version_2_and_version_1_stays_as_published(
    client, db, filled_consultation, official, publish, create_position
):
    first = publish(filled_consultation, official)
    first_pdf = client.get(f"/consultations/{filled_consultation.slug}/report/v1.json").get_data()
    # The correction: comment 5 gets its position.
    from consult.comments.models import Comment

    comment = db.session.scalars(sa.select(Comment).where(Comment.number == 5)).one()
    create_position(comment, "accepted", "Uwzględniono po korekcie.")
    second = publish(filled_consultation, official)
    assert second.number == 2 and second.sha256 != first.sha256

    newest = client.get(f"/consultations/{filled_consultation.slug}/report").get_data(as_text=True)
    assert "Uwzględniono po korekcie." in newest and "Wersje raportu" in newest
    old = client.get(f"/consultations/{filled_consultation.slug}/report/v1").get_data(as_text=True)
    assert "Uwzględniono po korekcie." not in old
    assert "To jest wersja 1 raportu" in old and first.sha256 in old
    assert client.get(f"/consultations/{filled_consultation.slug}/report/v1.json").get_data() == first_pdf
    assert report_from_json(first.data).number == 1


def test_publishing_twice_without_a_change_is_refused(db, filled_consultation, official, publish):
    from consult.core.errors import Conflict
    from consult.reports.operations import publish_report

    publish(filled_consultation, official)
    with pytest.raises(Conflict):
        publish_report(filled_consultation, official)


def test_a_stale_save_of_the_texts_is_refused_and_the_typed_text_kept(client, db, closed_consultation, official, login):
    login(official)
    url = f"/manage/consultations/{closed_consultation.slug}/report"
    client.post(url, data={"introduction": "Pierwsza wersja.", "conclusion": "", "row_version": "0"})
    client.post(url, data={"introduction": "Druga wersja (kolega).", "conclusion": "", "row_version": "1"})
    response = client.post(
        url, data={"introduction": "Moja zmiana na starej kopii.", "conclusion": "", "row_version": "1"}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "W międzyczasie ktoś inny zapisał teksty" in page
    assert "Moja zmiana na starej kopii." in page
    assert db.session.scalars(sa.select(ReportDraft)).one().introduction == "Druga wersja (kolega)."


def test_publishing_is_refused_when_the_texts_changed_after_the_preview(
    client, db, closed_consultation, official, login
):
    login(official)
    client.post(
        f"/manage/consultations/{closed_consultation.slug}/report",
        data={"introduction": "Nowy wstęp.", "conclusion": "", "row_version": "0"},
    )
    response = client.post(
        f"/manage/consultations/{closed_consultation.slug}/report/publish",
        data={"draft_version": "0"},
        follow_redirects=True,
    )
    assert "Teksty raportu zmieniły się" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(PublishedReport)) == 0


def test_there_is_no_report_before_publication(client, closed_consultation):
    assert client.get(f"/consultations/{closed_consultation.slug}/report").status_code == 404
    assert client.get(f"/consultations/{closed_consultation.slug}/report.pdf").status_code == 404
    assert client.get(f"/api/v1/consultations/{closed_consultation.slug}/report").status_code == 404


def test_the_report_page_works_in_english_and_links_from_the_consultation(
    client, filled_consultation, official, publish
):
    publish(filled_consultation, official)
    page = client.get(f"/consultations/{filled_consultation.slug}?lang=en").get_data(as_text=True)
    assert f'href="/consultations/{filled_consultation.slug}/report"' in page
    page = client.get(f"/consultations/{filled_consultation.slug}/report").get_data(as_text=True)
    assert "Comments and the organiser's positions" in page
    assert '<table class="report-table">' in page and "<caption>" in page and 'scope="col"' in page
    assert 'role="img"' in page and "<title id=" in page  # charts with a text alternative


def test_the_api_gives_the_same_bytes_as_report_json(client, filled_consultation, official, publish):
    publish(filled_consultation, official)
    api = client.get(f"/api/v1/consultations/{filled_consultation.slug}/report")
    file = client.get(f"/consultations/{filled_consultation.slug}/report.json")
    assert api.status_code == 200 and api.mimetype == "application/json"
    assert api.get_data() == file.get_data()


def test_the_official_side_links_to_the_builder_once_closed(client, closed_consultation, official, login):
    login(official)
    page = client.get(f"/manage/consultations/{closed_consultation.slug}").get_data(as_text=True)
    assert f"/manage/consultations/{closed_consultation.slug}/report" in page


@pytest.mark.parametrize("role", [UserRole.OFFICIAL])
def test_publish_needs_a_closed_consultation_even_through_the_operation(db, create_consultation, create_user, role):
    from consult.core.errors import InvalidInput
    from consult.reports.operations import publish_report

    with pytest.raises(InvalidInput):
        publish_report(create_consultation("open"), create_user(role))
