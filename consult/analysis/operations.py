"""Grouping, themes and group answers: the rules, with the actor explicit.

The background run (:mod:`consult.analysis.jobs`) calls :func:`group_new_comments` and
:func:`propose_themes`; officials confirm, split and merge groups, answer a group, and
define, accept, edit or reject themes. What an official confirmed or accepted is never
changed by a run: a confirmed group is not merged with another, a newcomer joining it is
shown as new until the group is confirmed again, accepted themes stay as they are.
"""

from collections.abc import Callable, Iterable

import numpy as np
import sqlalchemy as sa
from flask_babel import gettext as _

from consult.accounts.models import User
from consult.analysis import duplicates, themes
from consult.analysis.models import (
    AnalysisRun,
    DuplicateGroup,
    GroupMember,
    GroupState,
    RunKind,
    RunStatus,
    Theme,
    ThemeComment,
    ThemeModelRow,
    ThemeState,
)
from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation
from consult.core import audit
from consult.core.errors import Conflict, InvalidInput
from consult.core.text import clean_text
from consult.core.time import utcnow
from consult.extensions import db
from consult.moderation.models import Position, PositionStatus
from consult.moderation.operations import answer_together

ANALYSED = (CommentStatus.PUBLISHED, CommentStatus.PENDING)  # the comments that will be answered
MAX_NAME = 200
MAX_DESCRIPTION = 5000
Progress = Callable[[int], None]


def comment_text(comment_or_row) -> str:
    """What is compared and clustered: the proposed wording and the justification."""
    return f"{comment_or_row.proposed_text or ''}\n\n{comment_or_row.justification or ''}"


def _bands(blob: bytes) -> tuple[int, ...]:
    return tuple(int(k) for k in np.frombuffer(blob, dtype="<i8")) if blob else ()


# --- runs --------------------------------------------------------------------------------------


def request_run(actor: User, consultation: Consultation, kind: RunKind, count: int | None = None) -> AnalysisRun:
    """Queue a run, or return the one of that kind already waiting or running."""
    if count is not None and not 1 <= count <= 100:
        raise InvalidInput(_("Ask for between 1 and 100 themes."), field="count")
    current = db.session.scalar(
        sa.select(AnalysisRun)
        .where(
            AnalysisRun.consultation_id == consultation.id,
            AnalysisRun.kind == kind,
            AnalysisRun.status.in_([RunStatus.QUEUED, RunStatus.RUNNING]),
        )
        .order_by(AnalysisRun.id.desc())
    )
    if current is not None and current.active:
        return current
    run = AnalysisRun(
        consultation_id=consultation.id,
        kind=kind,
        requested_count=count,
        requested_by_id=actor.id if actor is not None else None,
    )
    db.session.add(run)
    db.session.flush()
    return run


def retry_run(actor: User, consultation: Consultation, run: AnalysisRun) -> AnalysisRun:
    """The same run again, after it failed or its worker stopped."""
    if not run.can_retry:
        raise Conflict(_("This run has not failed; there is nothing to start again."))
    if run.stalled:
        run.status, run.finished_at = RunStatus.FAILED, utcnow()
        run.message = "stopped: no progress reported for 30 minutes"
    return request_run(actor, consultation, run.kind, run.requested_count)


# --- near-duplicate groups -----------------------------------------------------------------------


def _waiting(consultation_id: int):
    return (
        sa.select(Comment.id, Comment.proposed_text, Comment.justification)
        .outerjoin(GroupMember, GroupMember.comment_id == Comment.id)
        .where(
            Comment.consultation_id == consultation_id,
            Comment.status.in_(ANALYSED),
            GroupMember.comment_id.is_(None),
        )
    )


def waiting_count(consultation_id: int) -> int:
    """Comments to be answered that no run has grouped yet (new, or edited since)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(_waiting(consultation_id).subquery())) or 0


def group_new_comments(consultation_id: int, progress: Progress | None = None) -> int:
    """Give every comment not yet grouped its fingerprint and, if it has near-duplicates, its group.

    Earlier comments keep their groups; their band keys are read back from the database and
    only the few that share bands with a newcomer are compared with it. Returns the number
    of comments grouped.
    """
    progress = progress or (lambda _percent: None)
    new_comments = db.session.execute(_waiting(consultation_id).order_by(Comment.number)).all()
    if not new_comments:
        return 0
    _tidy_groups(consultation_id, dissolve=False)  # an edited member may rejoin its group of two
    state = _GroupingState(consultation_id)
    batch = 2000
    for start in range(0, len(new_comments), batch):
        chunk = new_comments[start : start + batch]
        for row, fingerprint in zip(chunk, duplicates.fingerprints(comment_text(r) for r in chunk), strict=True):
            state.add(row.id, fingerprint)
        db.session.flush()
        progress(5 + 90 * min(start + batch, len(new_comments)) // len(new_comments))
    state.finish()
    _tidy_groups(consultation_id, dissolve=True)
    map_to_accepted_themes(consultation_id, [row.id for row in new_comments])
    db.session.flush()
    return len(new_comments)


def _tidy_groups(consultation_id: int, dissolve: bool) -> None:
    """After edits: a group whose first comment left starts from its earliest member; a group
    left with one comment (or none) is no group. Two grouped queries, whatever the size."""
    members = (
        sa.select(
            GroupMember.group_id,
            sa.func.count().label("size"),
            sa.func.min(GroupMember.comment_id).label("first"),
            sa.func.max(sa.case((GroupMember.comment_id == DuplicateGroup.anchor_id, 1), else_=0)).label("anchored"),
        )
        .join(DuplicateGroup, DuplicateGroup.id == GroupMember.group_id)
        .where(GroupMember.consultation_id == consultation_id)
        .group_by(GroupMember.group_id)
    ).subquery()
    rows = db.session.execute(
        sa.select(DuplicateGroup.id, members.c.size, members.c.first, members.c.anchored)
        .outerjoin(members, members.c.group_id == DuplicateGroup.id)
        .where(DuplicateGroup.consultation_id == consultation_id)
        .where(sa.or_(members.c.size.is_(None), members.c.size < 2, members.c.anchored == 0))
    ).all()
    lonely = [group_id for group_id, size, _first, _anchored in rows if (size or 0) < 2] if dissolve else []
    for group_id, size, first, _anchored in rows:
        if (size or 0) >= 2:
            db.session.execute(
                sa.update(DuplicateGroup)
                .where(DuplicateGroup.id == group_id)
                .values(anchor_id=first, row_version=DuplicateGroup.row_version + 1)
            )
    if lonely:
        db.session.execute(
            sa.update(GroupMember).where(GroupMember.group_id.in_(lonely)).values(group_id=None, confirmed=False)
        )
        db.session.execute(sa.delete(DuplicateGroup).where(DuplicateGroup.id.in_(lonely)))
    db.session.expire_all()


class _GroupingState:
    """The consultation's LSH buckets and groups, read once; newcomers added one at a time."""

    def __init__(self, consultation_id: int):
        self.consultation_id = consultation_id
        self.buckets: dict[int, list[int]] = {}
        self.group_of: dict[int, int | None] = {}
        for comment_id, group_id, blob in db.session.execute(
            sa.select(GroupMember.comment_id, GroupMember.group_id, GroupMember.bands)
            .where(GroupMember.consultation_id == consultation_id)
            .order_by(GroupMember.comment_id)
        ):
            self.group_of[comment_id] = group_id
            self._index(comment_id, _bands(blob))
        self.groups: dict[int, DuplicateGroup] = {
            g.id: g
            for g in db.session.scalars(
                sa.select(DuplicateGroup).where(DuplicateGroup.consultation_id == consultation_id)
            )
        }
        self.fingerprints: dict[int, duplicates.Fingerprint] = {}

    def _index(self, comment_id: int, bands: Iterable[int]) -> None:
        for key in bands:
            bucket = self.buckets.setdefault(key, [])
            if len(bucket) < duplicates.BUCKET_CAP:
                bucket.append(comment_id)

    def _fingerprint(self, comment_id: int) -> duplicates.Fingerprint:
        if comment_id not in self.fingerprints:
            row = db.session.execute(
                sa.select(Comment.proposed_text, Comment.justification).where(Comment.id == comment_id)
            ).one()
            self.fingerprints[comment_id] = duplicates.fingerprint(comment_text(row))
        return self.fingerprints[comment_id]

    def _key(self, comment_id: int) -> tuple[str, int]:
        group_id = self.group_of.get(comment_id)
        return ("group", group_id) if group_id is not None else ("comment", comment_id)

    def _anchor(self, key) -> duplicates.Fingerprint:
        kind, ident = key
        if kind == "comment":
            return self._fingerprint(ident)
        group = self.groups[ident]
        anchor = group.anchor_id
        if anchor is None:  # its first comment was deleted with its consultation's data
            anchor = min(c for c, g in self.group_of.items() if g == ident)
        return self._fingerprint(anchor)

    def add(self, comment_id: int, fingerprint: duplicates.Fingerprint) -> None:
        self.fingerprints[comment_id] = fingerprint
        hits: dict[int, int] = {}
        for key in fingerprint.bands:
            for other in self.buckets.get(key, ()):
                hits[other] = hits.get(other, 0) + 1
        candidates = sorted((c for c, n in hits.items() if n >= duplicates.MIN_HITS), key=lambda c: (-hits[c], c))
        found = duplicates.matching_groups(
            fingerprint, ((self._key(c), self._fingerprint(c)) for c in candidates), self._anchor
        )
        best = duplicates.best_group(found)
        group_id = self._join(comment_id, best, found) if best is not None else None
        self.group_of[comment_id] = group_id
        db.session.add(
            GroupMember(
                comment_id=comment_id,
                consultation_id=self.consultation_id,
                group_id=group_id,
                bands=np.asarray(fingerprint.bands, dtype="<i8").tobytes(),
                confirmed=False,
            )
        )
        self._index(comment_id, fingerprint.bands)

    def _join(self, comment_id: int, best, found: dict) -> int:
        kind, ident = best
        if kind == "group":
            group = self.groups[ident]
        else:  # a lone comment: the two begin a group
            group = DuplicateGroup(consultation_id=self.consultation_id, anchor_id=ident)
            db.session.add(group)
            db.session.flush()
            self.groups[group.id] = group
            self.group_of[ident] = group.id
            db.session.execute(sa.update(GroupMember).where(GroupMember.comment_id == ident).values(group_id=group.id))
        if group.state == GroupState.PROPOSED:
            self._merge_into(group, [key for key in found if key != best])
        return group.id

    def _merge_into(self, group: DuplicateGroup, others: list) -> None:
        """Proposed groups and lone comments the newcomer also matches, saying what the group says."""
        anchor = self._anchor(("group", group.id))
        for kind, ident in others:
            if kind == "group" and self.groups[ident].state == GroupState.CONFIRMED:
                continue  # an official's decision is not undone by a newcomer
            if duplicates.similarity(anchor, self._anchor((kind, ident))) < duplicates.ANCHOR:
                continue
            if kind == "comment":
                moved = [ident]
            else:
                moved = [c for c, g in self.group_of.items() if g == ident]
            for comment_id in moved:
                self.group_of[comment_id] = group.id
            db.session.execute(
                sa.update(GroupMember).where(GroupMember.comment_id.in_(moved)).values(group_id=group.id)
            )
            if kind == "group":
                db.session.delete(self.groups.pop(ident))

    def finish(self) -> None:
        db.session.flush()


def _members(group: DuplicateGroup) -> list[GroupMember]:
    return db.session.scalars(
        sa.select(GroupMember).where(GroupMember.group_id == group.id).order_by(GroupMember.comment_id)
    ).all()


def _snapshot(group: DuplicateGroup) -> dict:
    return {"state": group.state.value, "members": [m.comment_id for m in _members(group)]}


def confirm_group(actor: User, group: DuplicateGroup) -> DuplicateGroup:
    """The official agrees that the members say substantially the same."""
    before = _snapshot(group)
    group.state = GroupState.CONFIRMED
    group.confirmed_at = utcnow()
    group.confirmed_by_id = actor.id
    for member in _members(group):
        member.confirmed = True
    db.session.flush()
    audit.record(actor, "group.confirm", group, consultation_id=group.consultation_id, before=before)
    return group


def split_group(actor: User, group: DuplicateGroup, comment_ids: Iterable[int]) -> DuplicateGroup | None:
    """Take the chosen members out into a group of their own (confirmed: an official chose it).

    A member left alone on either side leaves its group. Positions are not touched: a
    comment answered with its group keeps its answer.
    """
    members = {m.comment_id: m for m in _members(group)}
    chosen = [members[c] for c in dict.fromkeys(comment_ids) if c in members]
    if not chosen:
        raise InvalidInput(_("Choose the comments to take out of the group."), field="comments")
    if len(chosen) == len(members):
        raise InvalidInput(_("Leave at least one comment in the group."), field="comments")
    before = _snapshot(group)
    new_group = None
    if len(chosen) > 1:
        new_group = DuplicateGroup(
            consultation_id=group.consultation_id,
            anchor_id=chosen[0].comment_id,
            state=GroupState.CONFIRMED,
            confirmed_at=utcnow(),
            confirmed_by_id=actor.id,
        )
        db.session.add(new_group)
        db.session.flush()
    for member in chosen:
        member.group_id = new_group.id if new_group else None
        member.confirmed = new_group is not None
    remaining = [m for m in members.values() if m not in chosen]
    if group.anchor_id not in {m.comment_id for m in remaining}:
        group.anchor_id = remaining[0].comment_id
    if len(remaining) == 1:
        remaining[0].group_id = None
        remaining[0].confirmed = False
    db.session.flush()
    audit.record(
        actor,
        "group.split",
        group,
        consultation_id=group.consultation_id,
        before=before,
        after={"taken_out": [m.comment_id for m in chosen], "new_group": new_group.id if new_group else None},
    )
    if len(remaining) == 1:
        db.session.delete(group)
        db.session.flush()
    return new_group


def merge_groups(actor: User, target: DuplicateGroup, others: Iterable[DuplicateGroup]) -> DuplicateGroup:
    """Several groups become ``target`` (confirmed: an official decided they say the same)."""
    others = [g for g in others if g.id != target.id]
    if not others:
        raise InvalidInput(_("Choose another group to merge with this one."), field="other")
    if any(g.consultation_id != target.consultation_id for g in others):
        raise InvalidInput(_("Only groups of the same consultation can be merged."), field="other")
    before = _snapshot(target)
    db.session.execute(
        sa.update(GroupMember)
        .where(GroupMember.group_id.in_([g.id for g in others]))
        .values(group_id=target.id, confirmed=True)
    )
    for member in _members(target):
        member.confirmed = True
    target.state = GroupState.CONFIRMED
    target.confirmed_at = utcnow()
    target.confirmed_by_id = actor.id
    for other in others:
        db.session.delete(other)
    db.session.flush()
    audit.record(
        actor,
        "group.merge",
        target,
        consultation_id=target.consultation_id,
        before=before,
        after={"merged": [g.id for g in others]},
    )
    return target


def answer_group(actor: User, group: DuplicateGroup, status: PositionStatus, reason: str) -> list[Position]:
    """One position drafted for every member that can be answered; each comment keeps its own row."""
    comments = db.session.scalars(
        sa.select(Comment)
        .join(GroupMember, GroupMember.comment_id == Comment.id)
        .where(GroupMember.group_id == group.id, Comment.status.in_(ANALYSED))
        .order_by(Comment.number)
    ).all()
    if not comments:
        raise Conflict(_("No comment of this group can be answered."))
    positions = answer_together(actor, comments, status, clean_text(reason))
    audit.record(actor, "group.answer", group, consultation_id=group.consultation_id, after={"status": status.value})
    return positions


# --- themes --------------------------------------------------------------------------------------


def _comments(consultation_id: int):
    return db.session.execute(
        sa.select(
            Comment.id, Comment.proposed_text, Comment.justification, Comment.paragraph_label, GroupMember.group_id
        )
        .outerjoin(GroupMember, GroupMember.comment_id == Comment.id)
        .where(Comment.consultation_id == consultation_id, Comment.status.in_(ANALYSED))
        .order_by(Comment.number)
    ).all()


def _texts(consultation_id: int) -> tuple[list[int], list[str], list[int | None]]:
    rows = _comments(consultation_id)
    return [r.id for r in rows], [comment_text(r) for r in rows], [r.group_id for r in rows]


def _model(consultation_id: int) -> themes.ThemeModel:
    """The consultation's stem weights, computed once from its comments and kept."""
    row = db.session.get(ThemeModelRow, consultation_id)
    if row is None:
        _ids, texts, groups = _texts(consultation_id)
        row = ThemeModelRow(consultation_id=consultation_id, idf=themes.fit_model(texts, groups).idf)
        db.session.add(row)
        db.session.flush()
    return themes.ThemeModel(dict(row.idf))


def propose_themes(consultation_id: int, count: int | None, progress: Progress | None = None) -> int:
    """Cluster the consultation's comments; earlier proposals give way, accepted themes stay."""
    progress = progress or (lambda _percent: None)
    rows = _comments(consultation_id)
    ids, texts, groups = [r.id for r in rows], [comment_text(r) for r in rows], [r.group_id for r in rows]
    progress(10)
    # The provision each comment is on, as it read when the comment was made (None: the draft as a whole).
    proposal = themes.propose(texts, count, groups, provisions=[r.paragraph_label for r in rows])
    progress(80)
    row = db.session.get(ThemeModelRow, consultation_id)
    if row is None:
        row = ThemeModelRow(consultation_id=consultation_id)
        db.session.add(row)
    row.idf = proposal.model.idf
    row.updated_at = utcnow()
    db.session.execute(
        sa.delete(Theme).where(Theme.consultation_id == consultation_id, Theme.state == ThemeState.PROPOSED)
    )
    terms = {t.key: t.terms for t in proposal.model.themes}
    created: dict[str, Theme] = {}
    for proposed in proposal.themes:
        theme = Theme(
            consultation_id=consultation_id,
            state=ThemeState.PROPOSED,
            name=proposed.name[:MAX_NAME],
            key_terms=proposed.key_terms,
            representative_ids=[ids[i] for i in proposed.representatives],
            terms=terms[proposed.key],
            mapped_at=utcnow(),
        )
        db.session.add(theme)
        created[proposed.key] = theme
    db.session.flush()
    db.session.add_all(
        ThemeComment(theme_id=created[m.theme].id, comment_id=comment_id, confidence=m.confidence)
        for comment_id, found in zip(ids, proposal.mappings, strict=True)
        for m in found
    )
    db.session.flush()
    progress(95)
    return len(created)


def _clean_theme_text(name: str, description: str) -> tuple[str, str]:
    name = " ".join(clean_text(name).split())
    description = clean_text(description).strip()
    if not name:
        raise InvalidInput(_("A theme needs a name."), field="name")
    if len(name) > MAX_NAME:
        raise InvalidInput(_("The name may have at most %(num)d characters.", num=MAX_NAME), field="name")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(
            _("The description may have at most %(num)d characters.", num=MAX_DESCRIPTION), field="description"
        )
    return name, description


def define_theme(actor: User, consultation: Consultation, name: str, description: str) -> Theme:
    """A theme the official names and describes; accepted at once (the official decided it).

    Its terms and the comments it maps are found by the next run (:func:`map_pending_themes`).
    """
    name, description = _clean_theme_text(name, description)
    theme = Theme(
        consultation_id=consultation.id,
        state=ThemeState.ACCEPTED,
        name=name,
        description=description,
        created_by_id=actor.id,
        mapped_at=None,
    )
    db.session.add(theme)
    db.session.flush()
    audit.record(actor, "theme.define", theme, consultation_id=consultation.id, after={"name": name})
    return theme


def accept_theme(actor: User, theme: Theme, name: str, description: str) -> Theme:
    """A proposal becomes a theme, under the name the official gives it."""
    if theme.state == ThemeState.ACCEPTED:
        raise Conflict(_("This theme has already been accepted."))
    name, description = _clean_theme_text(name, description)
    theme.state, theme.name, theme.description = ThemeState.ACCEPTED, name, description
    db.session.flush()
    audit.record(actor, "theme.accept", theme, consultation_id=theme.consultation_id, after={"name": name})
    return theme


def edit_theme(actor: User, theme: Theme, name: str, description: str, summary_answer: str) -> Theme:
    name, description = _clean_theme_text(name, description)
    before = {"name": theme.name, "description": theme.description, "summary_answer": theme.summary_answer}
    summary_answer = clean_text(summary_answer)
    if len(summary_answer.strip()) > MAX_DESCRIPTION:
        raise InvalidInput(
            _("The answer may have at most %(num)d characters.", num=MAX_DESCRIPTION), field="summary_answer"
        )
    theme.name, theme.description, theme.summary_answer = name, description, (summary_answer or "").strip()
    db.session.flush()
    audit.record(
        actor,
        "theme.edit",
        theme,
        consultation_id=theme.consultation_id,
        before=before,
        after={"name": name, "description": description, "summary_answer": theme.summary_answer},
    )
    return theme


def reject_theme(actor: User, theme: Theme) -> Theme:
    if theme.state != ThemeState.PROPOSED:
        raise Conflict(_("Only a proposed theme can be rejected."))
    theme.state = ThemeState.REJECTED
    db.session.execute(sa.delete(ThemeComment).where(ThemeComment.theme_id == theme.id))
    db.session.flush()
    audit.record(actor, "theme.reject", theme, consultation_id=theme.consultation_id)
    return theme


def map_pending_themes(consultation_id: int) -> int:
    """Themes defined since the last run: their terms (refined once by the comments) and comments."""
    pending = db.session.scalars(
        sa.select(Theme).where(
            Theme.consultation_id == consultation_id, Theme.state == ThemeState.ACCEPTED, Theme.mapped_at.is_(None)
        )
    ).all()
    if not pending:
        return 0
    base = _model(consultation_id)
    ids, texts, _groups = _texts(consultation_id)
    defined = themes.ThemeModel(base.idf, [themes.define(base, str(t.id), t.name, t.description) for t in pending])
    refined = themes.refine(defined, texts)
    db.session.execute(sa.delete(ThemeComment).where(ThemeComment.theme_id.in_([t.id for t in pending])))
    for theme, terms in zip(pending, refined.themes, strict=True):
        theme.terms = terms.terms
        theme.key_terms = list(terms.terms)[:5]
        theme.mapped_at = utcnow()
        single = themes.ThemeModel(base.idf, [terms])
        db.session.add_all(
            ThemeComment(theme_id=theme.id, comment_id=comment_id, confidence=found[0].confidence)
            for comment_id, text in zip(ids, texts, strict=True)
            if (found := themes.assign(single, text))
        )
    db.session.flush()
    return len(pending)


def map_to_accepted_themes(consultation_id: int, comment_ids: list[int]) -> None:
    """New comments mapped to the accepted themes (the themes themselves do not move)."""
    accepted = db.session.scalars(
        sa.select(Theme).where(
            Theme.consultation_id == consultation_id,
            Theme.state == ThemeState.ACCEPTED,
            Theme.mapped_at.is_not(None),
        )
    ).all()
    row = db.session.get(ThemeModelRow, consultation_id)
    if not accepted or row is None or not comment_ids:
        return
    model = themes.ThemeModel(dict(row.idf), [themes.ThemeTerms(str(t.id), t.name, t.terms) for t in accepted])
    texts = dict(
        (r.id, comment_text(r))
        for r in db.session.execute(
            sa.select(Comment.id, Comment.proposed_text, Comment.justification).where(Comment.id.in_(comment_ids))
        )
    )
    db.session.add_all(
        ThemeComment(theme_id=int(m.theme), comment_id=comment_id, confidence=m.confidence)
        for comment_id, text in texts.items()
        for m in themes.assign(model, text)
    )
