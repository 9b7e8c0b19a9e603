import pytest
import sqlalchemy as sa

from consult.accounts.models import UserRole
from consult.analysis import operations
from consult.analysis.jobs import run_analysis
from consult.analysis.models import DuplicateGroup, GroupState, RunKind, Theme, ThemeState
from consult.moderation.models import Position, PositionStatus


@pytest.fixture()
def grouped(db, setting, campaign):
    consultation, official, orgs = setting
    run = operations.request_run(None, consultation, RunKind.GROUPS)
    db.session.commit()
    run_analysis(run.id)
    group = db.session.scalars(sa.select(DuplicateGroup)).one()
    return consultation, official, group


def _url(consultation, rest=""):
    return f"/manage/consultations/{consultation.slug}/{rest}"


def test_the_groups_page_lists_a_group_with_its_size_and_organisations(client, login, grouped):
    consultation, official, group = grouped
    login(official)
    page = client.get(_url(consultation, "groups")).get_data(as_text=True)
    assert f"/groups/{group.id}" in page and "Fundacja 0, Fundacja 1, Fundacja 2" in page
    assert "Wnosimy o jednolitą stawkę czynszu" in page


def test_the_group_page_shows_each_member_s_differences_from_the_common_text(client, login, grouped):
    consultation, official, group = grouped
    login(official)
    response = client.get(_url(consultation, f"groups/{group.id}?lang=en"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "3 organisations submitted substantially the same comment." in page
    assert '<ins class="diff-ins">' in page and "Szanowni" in page  # the greeting shows as an insertion
    assert "Fundacja 2" in page


def test_confirm_answer_and_split_through_the_pages(client, login, grouped, campaign, db):
    consultation, official, group = grouped
    login(official)
    assert client.post(_url(consultation, f"groups/{group.id}/confirm")).status_code == 302
    assert db.session.get(DuplicateGroup, group.id).state == GroupState.CONFIRMED
    response = client.post(
        _url(consultation, f"groups/{group.id}/answer"),
        data={"answer-status": "rejected", "answer-reason": "Stawki określa zarządzenie Prezydenta."},
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 3
    copies = campaign[0]
    response = client.post(_url(consultation, f"groups/{group.id}/split"), data={"split-comments": [copies[2].id]})
    assert response.status_code == 302
    page = client.get(_url(consultation, f"groups/{group.id}")).get_data(as_text=True)
    assert "Fundacja 2" not in page
    statuses = set(db.session.scalars(sa.select(Position.status)))
    assert statuses == {PositionStatus.REJECTED}


def test_a_group_answer_with_a_nul_byte_is_refused_naming_the_field(client, login, grouped, db):
    consultation, official, group = grouped
    login(official)
    response = client.post(
        _url(consultation, f"groups/{group.id}/answer"),
        data={"answer-status": "noted", "answer-reason": "Poza\x00 zakresem."},
    )
    assert response.status_code == 422
    assert "zawiera znak sterujący" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 0


def test_a_group_answer_without_a_reason_is_refused_on_the_page(client, login, grouped, db):
    consultation, official, group = grouped
    login(official)
    response = client.post(_url(consultation, f"groups/{group.id}/answer"), data={"answer-status": "accepted"})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Position)) == 0


@pytest.mark.parametrize("path", ["groups/0", "groups/99999999999999999999", "groups/12345", "themes/999/reject"])
def test_unknown_or_huge_ids_are_not_found(client, login, grouped, path):
    consultation, official, _group = grouped
    login(official)
    method = client.post if path.endswith("reject") else client.get
    assert method(_url(consultation, path)).status_code == 404


@pytest.mark.parametrize(
    ("role", "status"), [(None, 302), (UserRole.MEMBER, 403), (UserRole.OFFICIAL, 403), (UserRole.ADMIN, 302)]
)
def test_only_the_team_and_admins_change_groups(client, login, grouped, create_user, db, role, status):
    consultation, _official, group = grouped
    if role is not None:
        login(create_user(role))
    response = client.post(_url(consultation, f"groups/{group.id}/confirm"))
    assert response.status_code == status
    if role is None:
        assert "/login" in response.headers["Location"]
    assert (db.session.get(DuplicateGroup, group.id).state == GroupState.CONFIRMED) == (role == UserRole.ADMIN)


def test_every_official_reads_the_groups_and_themes(client, login, grouped, create_user):
    consultation, _official, _group = grouped
    login(create_user(UserRole.OFFICIAL))
    assert client.get(_url(consultation, "groups")).status_code == 200
    page = client.get(_url(consultation, "themes")).get_data(as_text=True)
    assert "Propose themes" not in page and "Zaproponuj" not in page


def test_themes_are_proposed_accepted_edited_and_defined_through_the_pages(client, login, grouped, db):
    consultation, official, _group = grouped
    login(official)
    assert client.post(_url(consultation, "themes/propose"), data={"propose-count": "2"}).status_code == 302
    proposed = db.session.scalars(sa.select(Theme).order_by(Theme.id)).all()
    assert len(proposed) == 2
    theme = proposed[0]
    data = {f"theme-{theme.id}-name": "Czynsze", f"theme-{theme.id}-description": "Stawki czynszu."}
    assert client.post(_url(consultation, f"themes/{theme.id}/accept"), data=data).status_code == 302
    data[f"theme-{theme.id}-summary_answer"] = "Stawki zostaną przejrzane."
    assert client.post(_url(consultation, f"themes/{theme.id}/edit"), data=data).status_code == 302
    assert client.post(_url(consultation, f"themes/{proposed[1].id}/reject")).status_code == 302
    response = client.post(
        _url(consultation, "themes"), data={"define-name": "Seniorzy", "define-description": "Kluby seniora."}
    )
    assert response.status_code == 302
    page = client.get(_url(consultation, "themes?lang=en")).get_data(as_text=True)
    assert "Czynsze" in page and "Stawki zostaną przejrzane." in page and "Seniorzy" in page
    states = dict(db.session.execute(sa.select(Theme.name, Theme.state)).all())
    assert states["Czynsze"] == ThemeState.ACCEPTED and states["Seniorzy"] == ThemeState.ACCEPTED
    assert ThemeState.REJECTED in states.values()


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"define-name": ""}, 422),
        ({"define-name": "x" * 201}, 422),
        ({"define-name": "Ok\x00", "define-description": "a\x00"}, 422),
    ],
)
def test_a_bad_theme_definition_is_refused_without_a_server_error(client, login, grouped, data, status):
    consultation, official, _group = grouped
    login(official)
    response = client.post(_url(consultation, "themes"), data=data)
    assert response.status_code < 500 and (status is None or response.status_code == status)


def test_groups_and_themes_pages_run_a_fixed_number_of_statements(
    client, login, grouped, count_queries, create_comment, db, setting
):
    consultation, official, group = grouped
    login(official)
    counts = []
    statements = []
    run = operations.request_run(None, consultation, RunKind.THEMES, 2)  # proposals with representatives
    db.session.commit()
    run_analysis(run.id)
    for extra in range(2):
        for path in ("groups", f"groups/{group.id}", "themes"):  # warm up: the session's user and consultation
            client.get(_url(consultation, path))
        with count_queries() as counter:
            assert client.get(_url(consultation, "groups")).status_code == 200
            assert client.get(_url(consultation, f"groups/{group.id}")).status_code == 200
            assert client.get(_url(consultation, "themes")).status_code == 200
        counts.append(counter.count)
        statements.append(counter.statements)
        _consultation, _official, orgs = setting
        for n in range(5):
            create_comment(
                consultation,
                orgs[n],
                proposed_text=f"Zupełnie inna uwaga numer {n} o wolontariacie {n}.",
                justification="",
            )
        operations.define_theme(official, consultation, f"Temat {extra}", "Wolontariat.")
        run = operations.request_run(None, consultation, RunKind.THEMES, 2)
        db.session.commit()
        run_analysis(run.id)
    assert counts[0] == counts[1], "\n".join(s[:100] for s in statements[1])


def test_an_accepted_theme_filters_the_moderation_queue(client, login, grouped, db, create_comment, setting):
    consultation, official, _group = grouped
    _c, _o, orgs = setting
    create_comment(
        consultation, orgs[4], proposed_text="Kluby seniora potrzebują lokali i pieniędzy.", justification=""
    )
    theme = operations.define_theme(official, consultation, "Seniorzy", "Kluby seniora, osoby starsze.")
    run = operations.request_run(None, consultation, RunKind.GROUPS)
    db.session.commit()
    run_analysis(run.id)
    login(official)
    page = client.get(_url(consultation, f"moderation?theme={theme.id}")).get_data(as_text=True)
    assert f'<option value="{theme.id}" selected>Seniorzy</option>' in page
    links = [f'{consultation.slug}/comments/{n}"' for n in range(1, 6)]
    assert [link in page for link in links] == [False, False, False, True, True]  # both about seniors
    everything = client.get(_url(consultation, "moderation?theme=99999999999999999999")).get_data(as_text=True)
    assert all(link in everything for link in links)


def _failed_run(db, consultation, kind=RunKind.THEMES, count=3):
    from consult.analysis.models import AnalysisRun, RunStatus

    run = AnalysisRun(
        consultation_id=consultation.id, kind=kind, requested_count=count, status=RunStatus.FAILED, message="boom"
    )
    db.session.add(run)
    db.session.commit()
    return run


@pytest.mark.parametrize("lang", ["pl", "en"])
def test_a_failed_run_is_shown_with_a_button_that_starts_it_again(client, login, grouped, db, lang):
    from consult.analysis.models import AnalysisRun, RunStatus

    consultation, official, _group = grouped
    run = _failed_run(db, consultation)
    login(official)
    page = client.get(_url(consultation, f"themes?lang={lang}")).get_data(as_text=True)
    words = {"pl": ("nie powiodła się", "Uruchom ponownie"), "en": ("failed", "Run it again")}[lang]
    assert 'role="alert"' in page and words[0] in page and words[1] in page and "boom" in page
    assert f"/analysis/runs/{run.id}/retry" in page
    response = client.post(_url(consultation, f"analysis/runs/{run.id}/retry"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/themes")
    again = db.session.scalars(sa.select(AnalysisRun).order_by(AnalysisRun.id.desc())).first()
    assert (again.id, again.kind, again.requested_count, again.status) == (
        run.id + 1,
        RunKind.THEMES,
        3,
        RunStatus.DONE,
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Theme).where(Theme.state == ThemeState.PROPOSED))
    # A run that did not fail is not started again.
    response = client.post(_url(consultation, f"analysis/runs/{again.id}/retry?lang=en"), follow_redirects=True)
    assert "This run has not failed" in response.get_data(as_text=True)


def test_a_run_whose_worker_stopped_is_shown_as_stopped_and_can_be_started_again(client, login, grouped, db):
    from datetime import timedelta

    from consult.analysis.models import AnalysisRun, RunStatus
    from consult.core.time import utcnow

    consultation, official, _group = grouped
    run = AnalysisRun(
        consultation_id=consultation.id,
        kind=RunKind.GROUPS,
        status=RunStatus.RUNNING,
        progress=40,
        heartbeat_at=utcnow() - timedelta(hours=1),
    )
    db.session.add(run)
    db.session.commit()
    login(official)
    assert client.get(_url(consultation, f"analysis/runs/{run.id}")).get_json() == {"status": "stalled", "progress": 40}
    page = client.get(_url(consultation, "groups?lang=en")).get_data(as_text=True)
    assert "stopped responding" in page and f"/analysis/runs/{run.id}/retry" in page
    assert client.post(_url(consultation, f"analysis/runs/{run.id}/retry")).status_code == 302
    db.session.expire_all()
    assert db.session.get(AnalysisRun, run.id).status == RunStatus.FAILED
    latest = db.session.scalars(sa.select(AnalysisRun).order_by(AnalysisRun.id.desc())).first()
    assert latest.id != run.id and latest.status == RunStatus.DONE


def test_a_running_analysis_shows_its_progress_politely_and_a_link_to_check_again(client, login, grouped, db):
    from consult.analysis.models import AnalysisRun, RunStatus

    consultation, official, _group = grouped
    run = AnalysisRun(consultation_id=consultation.id, kind=RunKind.THEMES, status=RunStatus.RUNNING, progress=35)
    db.session.add(run)
    db.session.commit()
    login(official)
    page = client.get(_url(consultation, "themes?lang=en")).get_data(as_text=True)
    assert '<progress id="analysis-progress-' in page and 'value="35"' in page
    assert 'role="status" aria-live="polite"' in page and "Analysis running: 35% done." in page
    assert f'href="/manage/consultations/{consultation.slug}/themes">Check again</a>' in page  # works without script
    assert "js/analysis-progress.js" in page
    assert client.get(_url(consultation, f"analysis/runs/{run.id}")).get_json() == {"status": "running", "progress": 35}


@pytest.mark.parametrize(("role", "status"), [(UserRole.OFFICIAL, 403), (UserRole.MEMBER, 403), (None, 302)])
def test_only_the_team_starts_a_failed_run_again(client, login, grouped, create_user, db, role, status):
    consultation, _official, _group = grouped
    run = _failed_run(db, consultation)
    runs = db.session.scalar(sa.select(sa.func.count()).select_from(type(run)))
    if role is not None:
        login(create_user(role))
    response = client.post(_url(consultation, f"analysis/runs/{run.id}/retry"))
    assert response.status_code == status  # 302: to the sign-in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(type(run))) == runs  # nothing started


def test_retrying_an_unknown_run_is_not_found(client, login, grouped):
    consultation, official, _group = grouped
    login(official)
    for run_id in (99999, 2**40):
        assert client.post(_url(consultation, f"analysis/runs/{run_id}/retry")).status_code == 404
