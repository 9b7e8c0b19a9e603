"""Who may comment, change, withdraw, support and read comments: pure predicates.

``now`` is passed in so a page and the operation behind it judge the deadline by the
same clock. ``organisation_ids`` (the organisations the user acts for, from one
query) lets a page with thousands of comments ask without a query per comment;
without it, membership is read from the organisation.
"""

from collections.abc import Collection, Iterable
from datetime import datetime

from consult.accounts.models import Organisation, OrganisationStatus, User
from consult.accounts.permissions import is_member_of
from consult.comments.models import Comment, CommentStatus
from consult.consultations.models import Consultation, ConsultationStatus, Participation
from consult.consultations.permissions import runs_consultation
from consult.core.permissions import rule
from consult.core.time import utcnow
from consult.drafts.models import VersionStatus

EDITABLE_STATUSES = (CommentStatus.PENDING, CommentStatus.PUBLISHED)


def _signed_in(user: User) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def _is_official(user: User) -> bool:
    return _signed_in(user) and bool(user.is_official)


def _is_open(consultation: Consultation, now: datetime | None) -> bool:
    return consultation.status_at(now or utcnow()) == ConsultationStatus.OPEN


def acts_for(user: User, organisation: Organisation, organisation_ids: Collection[int] | None = None) -> bool:
    """An active representative of the organisation."""
    if not _signed_in(user):
        return False
    if organisation_ids is not None:
        return organisation.id in organisation_ids
    return is_member_of(user, organisation)


def organisation_may_take_part(organisation: Organisation, consultation: Consultation) -> bool:
    """Verified organisations always; unverified ones only where everyone may take part.

    A rejected organisation failed verification: it is not let in either way.
    """
    if organisation.status == OrganisationStatus.VERIFIED:
        return True
    return (
        consultation.participation == Participation.ALL_ORGANISATIONS
        and organisation.status == OrganisationStatus.PENDING
    )


def eligible_organisations(consultation: Consultation, organisations: Iterable[Organisation]) -> list[Organisation]:
    """Of the organisations a user acts for, those that may comment in this consultation."""
    return [o for o in organisations if organisation_may_take_part(o, consultation)]


def can_comment_as(
    user: User,
    organisation: Organisation,
    consultation: Consultation,
    now: datetime | None = None,
    organisation_ids: Collection[int] | None = None,
) -> bool:
    return (
        _is_open(consultation, now)
        and acts_for(user, organisation, organisation_ids)
        and organisation_may_take_part(organisation, consultation)
    )


def on_current_version(comment: Comment) -> bool:
    """Whether the comment was made on the current version; one made on an earlier version is read-only."""
    published = [v.id for v in comment.consultation.versions if v.status == VersionStatus.PUBLISHED]
    return not published or comment.version_id == published[-1]


def can_change_comment(
    user: User, comment: Comment, now: datetime | None = None, organisation_ids: Collection[int] | None = None
) -> bool:
    """Edit or withdraw: a representative of the commenting organisation, while the consultation is open.

    The organisation is the author: any of its representatives may correct what it sent.
    """
    return (
        comment.status in EDITABLE_STATUSES
        and _is_open(comment.consultation, now)
        and acts_for(user, comment.organisation, organisation_ids)
        and on_current_version(comment)
    )


can_edit_comment = can_change_comment
can_withdraw_comment = can_change_comment


def can_support_comment(
    user: User,
    comment: Comment,
    organisation: Organisation,
    now: datetime | None = None,
    organisation_ids: Collection[int] | None = None,
) -> bool:
    """Co-sign another organisation's published comment (whether it already did is the operation's check)."""
    return (
        comment.status == CommentStatus.PUBLISHED
        and organisation.id != comment.organisation_id
        and can_comment_as(user, organisation, comment.consultation, now, organisation_ids)
        and on_current_version(comment)
    )


def can_read_comment(user: User, comment: Comment, organisation_ids: Collection[int] | None = None) -> bool:
    """Its full text: everyone once published; otherwise its organisation and officials."""
    if comment.status == CommentStatus.PUBLISHED:
        return True
    return _is_official(user) or acts_for(user, comment.organisation, organisation_ids)


def can_find_comment(user: User, comment: Comment, organisation_ids: Collection[int] | None = None) -> bool:
    """Whether its page exists for this user: a comment awaiting moderation is not public yet.

    A hidden or withdrawn one stays findable, as a placeholder without its text.
    """
    if comment.status != CommentStatus.PENDING:
        return True
    return can_read_comment(user, comment, organisation_ids)


def can_view_revisions(user: User, comment: Comment) -> bool:
    """Earlier texts of an edited comment: the officials' record."""
    return _is_official(user)


def is_author(user: User, comment: Comment, organisation_ids: Collection[int] | None = None) -> bool:
    """A representative of the organisation that sent the comment (sees its receipt)."""
    return acts_for(user, comment.organisation, organisation_ids)


@rule
def can_enter_comments(user: User, consultation: Consultation, now: datetime | None = None) -> bool:
    """Enter comments received by letter, e-mail, ePUAP or at a meeting on an organisation's behalf.

    The team does it while the consultation is open and after it closes (a letter posted on
    the last day arrives later), until the report is published.
    """
    status = consultation.status_at(now or utcnow())
    return runs_consultation(user, consultation) and status in (ConsultationStatus.OPEN, ConsultationStatus.CLOSED)


@rule
def can_view_letters(user: User, consultation: Consultation) -> bool:
    """The letters themselves (who entered what, the scans): every official."""
    return _is_official(user)
