"""Who may see and change the analysis of a consultation's comments: pure predicates.

The same people as for moderation: every official reads the groups and themes, the
consultation's team (and admins) confirm, split, merge, run and decide on themes, and
a group answer is a position, so it follows :func:`can_answer`.
"""

from consult.accounts.models import User
from consult.consultations.models import Consultation
from consult.moderation.permissions import can_answer, can_moderate, can_view_moderation


def can_view_analysis(user: User, consultation: Consultation) -> bool:
    return can_view_moderation(user, consultation)


def can_analyse(user: User, consultation: Consultation) -> bool:
    """Start runs, confirm, split and merge groups, define, accept, edit and reject themes."""
    return can_moderate(user, consultation)


def can_answer_group(user: User, consultation: Consultation) -> bool:
    return can_answer(user, consultation)
