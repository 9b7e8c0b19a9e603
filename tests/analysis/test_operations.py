import sqlalchemy as sa

from consult.analysis import operations
from consult.analysis.jobs import run_analysis
from consult.analysis.models import (
    AnalysisRun,
    DuplicateGroup,
    GroupMember,
    GroupState,
    RunKind,
    RunStatus,
    Theme,
    ThemeComment,
    ThemeState,
)
from consult.moderation.models import Position, PositionStatus
from tests.analysis.conftest import CAMPAIGN, OTHER_CAMPAIGN


def _groups(db, consultation):
    """{group id: sorted comment numbers} of the consultation's groups."""
    rows = db.session.execute(
        sa.select(GroupMember.group_id, GroupMember.comment_id).where(
            GroupMember.consultation_id == consultation.id, GroupMember.group_id.is_not(None)
        )
    ).all()
    from consult.comments.models import Comment

    numbers = dict(db.session.execute(sa.select(Comment.id, Comment.number)).all())
    result: dict[int, list[int]] = {}
    for group_id, comment_id in rows:
        result.setdefault(group_id, []).append(numbers[comment_id])
    return {g: sorted(n) for g, n in result.items()}


def _run(db, consultation, kind=RunKind.GROUPS, count=None):
    run = operations.request_run(None, consultation, kind, count)
    db.session.commit()
    run_analysis(run.id)
    db.session.expire_all()
    return db.session.get(AnalysisRun, run.id)


def test_comments_are_grouped_as_they_arrive_and_a_later_run_finds_nothing_left(db, setting, campaign):
    consultation, _official, _orgs = setting
    assert list(_groups(db, consultation).values()) == [[1, 2, 3]]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(GroupMember)) == 4
    arrivals = db.session.scalars(sa.select(AnalysisRun).order_by(AnalysisRun.id)).all()
    assert [(r.kind, r.status, r.message) for r in arrivals] == [
        (RunKind.GROUPS, RunStatus.DONE, "grouped=1 themes_mapped=0")
    ] * 4  # one comment per commit, each looked at once
    run = _run(db, consultation)
    assert run.status == RunStatus.DONE and run.progress == 100 and "grouped=0" in run.message


def test_a_run_groups_what_arrived_while_grouping_on_arrival_was_off(app, db, setting, create_comment, monkeypatch):
    consultation, _official, orgs = setting
    monkeypatch.setitem(app.config, "ANALYSIS_ON_ARRIVAL", False)
    for org in orgs[:3]:
        create_comment(consultation, org, proposed_text=CAMPAIGN, justification="")
    assert _groups(db, consultation) == {}
    run = _run(db, consultation)
    assert "grouped=3" in run.message
    assert list(_groups(db, consultation).values()) == [[1, 2, 3]]


def test_a_new_comment_joins_its_group_and_nothing_is_regrouped(db, setting, campaign, create_comment):
    consultation, _official, orgs = setting
    ((group_id, _),) = _groups(db, consultation).items()
    create_comment(consultation, orgs[4], proposed_text=CAMPAIGN + " Popieramy.", justification="")
    create_comment(consultation, orgs[4], proposed_text=OTHER_CAMPAIGN, justification="")
    last = db.session.scalars(sa.select(AnalysisRun).order_by(AnalysisRun.id.desc()).limit(2)).all()
    assert [r.message for r in last] == ["grouped=1 themes_mapped=0"] * 2  # only each newcomer was looked at
    assert _groups(db, consultation) == {group_id: [1, 2, 3, 5]}


def test_a_confirmed_group_survives_new_comments_and_a_newcomer_is_shown_as_new(db, setting, campaign, create_comment):
    consultation, official, orgs = setting
    _run(db, consultation)
    group = db.session.scalars(sa.select(DuplicateGroup)).one()
    operations.split_group(official, group, [campaign[0][2].id])  # the official takes the shouting copy out
    operations.confirm_group(official, group)
    db.session.commit()
    create_comment(consultation, orgs[4], proposed_text=CAMPAIGN.upper(), justification="")  # near both
    _run(db, consultation)
    assert _groups(db, consultation)[group.id] == [1, 2, 5]
    assert db.session.get(DuplicateGroup, group.id).state == GroupState.CONFIRMED
    confirmed = dict(db.session.execute(sa.select(GroupMember.comment_id, GroupMember.confirmed)).all())
    assert [confirmed[c.id] for c in campaign[0][:2]] == [True, True]
    assert not confirmed[campaign[0][2].id]  # taken out: alone, not a member of anything
    assert sum(confirmed.values()) == 2  # the newcomer waits for the official


def test_a_position_on_a_group_answers_each_member_exactly_once(db, setting, campaign):
    consultation, official, _orgs = setting
    _run(db, consultation)
    group = db.session.scalars(sa.select(DuplicateGroup)).one()
    operations.answer_group(official, group, PositionStatus.REJECTED, "Stawki czynszu określa zarządzenie.")
    operations.answer_group(official, group, PositionStatus.PARTLY_ACCEPTED, "Stawka zostanie obniżona.")
    db.session.commit()
    positions = db.session.scalars(sa.select(Position)).all()
    assert sorted(p.comment_id for p in positions) == sorted(c.id for c in campaign[0])
    assert {(p.status, p.reason) for p in positions} == {(PositionStatus.PARTLY_ACCEPTED, "Stawka zostanie obniżona.")}


def test_splitting_a_group_after_answering_keeps_each_comment_s_answer(db, setting, campaign):
    consultation, official, _orgs = setting
    _run(db, consultation)
    group = db.session.scalars(sa.select(DuplicateGroup)).one()
    operations.answer_group(official, group, PositionStatus.ACCEPTED, "Uwzględniono.")
    new_group = operations.split_group(official, group, [campaign[0][1].id, campaign[0][2].id])
    db.session.commit()
    assert _groups(db, consultation) == {new_group.id: [2, 3]}  # the one left alone leaves its group
    assert db.session.get(DuplicateGroup, group.id) is None
    answers = {p.comment_id: (p.status, p.reason) for p in db.session.scalars(sa.select(Position))}
    assert answers == {c.id: (PositionStatus.ACCEPTED, "Uwzględniono.") for c in campaign[0]}


def test_merging_groups_makes_one_confirmed_group(db, setting, campaign, create_comment):
    consultation, official, orgs = setting
    create_comment(consultation, orgs[3], proposed_text=OTHER_CAMPAIGN, justification="")
    create_comment(consultation, orgs[4], proposed_text=OTHER_CAMPAIGN + " Popieramy.", justification="")
    _run(db, consultation)
    first, second = db.session.scalars(sa.select(DuplicateGroup).order_by(DuplicateGroup.id)).all()
    operations.merge_groups(official, first, [second])
    db.session.commit()
    assert _groups(db, consultation) == {first.id: [1, 2, 3, 5, 6]}
    assert db.session.get(DuplicateGroup, first.id).state == GroupState.CONFIRMED


def test_split_and_merge_refuse_what_makes_no_sense(db, setting, campaign):
    consultation, official, _orgs = setting
    _run(db, consultation)
    group = db.session.scalars(sa.select(DuplicateGroup)).one()
    import pytest

    from consult.core.errors import InvalidInput

    with pytest.raises(InvalidInput):
        operations.split_group(official, group, [])
    with pytest.raises(InvalidInput):
        operations.split_group(official, group, [c.id for c in campaign[0]])
    with pytest.raises(InvalidInput):
        operations.merge_groups(official, group, [group])


def test_proposed_themes_give_way_to_new_proposals_but_accepted_themes_stay(db, setting, create_comment):
    consultation, official, orgs = setting
    texts = [
        "Czynsz za lokale komunalne dla organizacji jest za wysoki.",
        "Lokale dla stowarzyszeń po niższym czynszu i bez przetargu.",
        "Najem lokali przez organizacje po preferencyjnym czynszu.",
        "Kluby seniora potrzebują stałego finansowania.",
        "Seniorzy potrzebują klubów seniora w dzielnicach.",
        "Zajęcia dla seniorów w klubach seniora przez cały rok.",
    ]
    comments = [
        create_comment(consultation, orgs[i % 5], proposed_text=t, justification="") for i, t in enumerate(texts)
    ]
    run = _run(db, consultation, RunKind.THEMES, 2)
    assert run.status == RunStatus.DONE, run.message
    proposed = db.session.scalars(sa.select(Theme).order_by(Theme.id)).all()
    assert len(proposed) == 2 and {t.state for t in proposed} == {ThemeState.PROPOSED}
    local = next(t for t in proposed if comments[0].id in t.representative_ids)
    operations.accept_theme(official, local, "Lokale", "Czynsz i najem lokali.")
    db.session.commit()
    create_comment(consultation, orgs[0], proposed_text="Czynsz za nasz lokal komunalny wzrósł.", justification="")
    _run(db, consultation, RunKind.THEMES, 2)
    themes = db.session.scalars(sa.select(Theme).order_by(Theme.id)).all()
    assert themes[0].id == local.id and themes[0].state == ThemeState.ACCEPTED and themes[0].name == "Lokale"
    assert len([t for t in themes if t.state == ThemeState.PROPOSED]) == 2
    mapped = set(db.session.scalars(sa.select(ThemeComment.comment_id).where(ThemeComment.theme_id == local.id)))
    assert {c.id for c in comments[:3]} <= mapped and comments[3].id not in mapped
    assert max(mapped) > comments[-1].id  # the newcomer was mapped to the accepted theme


def test_a_theme_defined_by_an_official_maps_comments_in_the_next_run(db, setting, create_comment):
    consultation, official, orgs = setting
    local = create_comment(
        consultation, orgs[0], proposed_text="Czynsz za lokale komunalne jest za wysoki.", justification=""
    )
    create_comment(consultation, orgs[1], proposed_text="Kluby seniora potrzebują pieniędzy.", justification="")
    theme = operations.define_theme(official, consultation, "  Lokale  dla organizacji ", "Czynsz, najem lokali.")
    db.session.commit()
    assert theme.name == "Lokale dla organizacji" and theme.state == ThemeState.ACCEPTED
    _run(db, consultation)
    mapped = db.session.scalars(sa.select(ThemeComment).where(ThemeComment.theme_id == theme.id)).all()
    assert [m.comment_id for m in mapped] == [local.id] and 0 < mapped[0].confidence <= 1


def test_a_themes_run_clusters_each_comment_with_the_provision_it_is_on(db, setting, create_comment, monkeypatch):
    """The provision each comment was made on goes to the clustering (None: on the draft as a whole);
    its words still decide (a § pulls its comments together only as much as their words agree)."""
    from consult.analysis import themes

    consultation, _official, orgs = setting
    local = [
        "Czynsz za lokale komunalne dla organizacji jest za wysoki.",
        "Lokale dla stowarzyszeń po niższym czynszu i bez przetargu.",
        "Najem lokali przez organizacje po preferencyjnym czynszu.",
        "Lista pustych lokali komunalnych do wynajęcia po niskim czynszu.",
    ]
    seniors = [
        "Kluby seniora potrzebują stałego finansowania.",
        "Seniorzy potrzebują klubów seniora w dzielnicach.",
        "Zajęcia dla seniorów w klubach seniora przez cały rok.",
        "Seniorzy z niskimi emeryturami nie mogą płacić za kluby seniora.",
    ]
    unworded = ["Decyzje urzędu zapadają zbyt wolno i bez uzasadnienia.", "Wnioski rozpatrywane są miesiącami."]
    placed = (
        [(t, "§ 1 pkt 1") for t in local] + [(t, "§ 1 pkt 2") for t in seniors] + [(t, "§ 1 pkt 1") for t in unworded]
    )
    comments = [
        create_comment(consultation, orgs[i % 5], label, proposed_text=t, justification="")
        for i, (t, label) in enumerate(placed)
    ]
    create_comment(consultation, orgs[0], None, proposed_text="Program jest dobry.", justification="")
    seen = []
    original = themes.propose

    def spy(*args, **kwargs):
        seen.append(kwargs.get("provisions"))
        return original(*args, **kwargs)

    monkeypatch.setattr(themes, "propose", spy)
    run = _run(db, consultation, RunKind.THEMES, 2)
    assert run.status == RunStatus.DONE, run.message
    assert seen == [[label for _t, label in placed] + [None]]
    best = {}
    for row in db.session.scalars(sa.select(ThemeComment).order_by(ThemeComment.confidence.desc())):
        best.setdefault(row.comment_id, row.theme_id)
    local_theme = best[comments[0].id]
    assert [best.get(c.id) for c in comments[:4]] == [local_theme] * 4
    assert best[comments[4].id] != local_theme
