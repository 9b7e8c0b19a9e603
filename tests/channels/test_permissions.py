"""The rules of comments received another way, files and meetings, as a matrix (role × status)."""

import pytest

from consult.accounts.models import UserRole
from consult.attachments.permissions import can_manage_documents
from consult.channels.permissions import can_manage_meetings
from consult.comments.permissions import can_enter_comments, can_view_letters
from consult.core.time import utcnow

STATUSES = ("draft", "announced", "open", "closed", "report_published")
# who: the consultation's team, an admin, another official, an organisation's member, nobody
EXPECTED = {
    "enter_comments": {"team": {"open", "closed"}, "admin": {"open", "closed"}},
    "manage_meetings": {"team": set(STATUSES) - {"report_published"}, "admin": set(STATUSES) - {"report_published"}},
    "manage_documents": {"team": set(STATUSES) - {"report_published"}, "admin": set(STATUSES) - {"report_published"}},
    "view_letters": {who: set(STATUSES) for who in ("team", "admin", "official")},
}
RULES = {
    "enter_comments": can_enter_comments,
    "manage_meetings": can_manage_meetings,
    "manage_documents": can_manage_documents,
    "view_letters": can_view_letters,
}


@pytest.fixture()
def people(create_user):
    return {
        "team": create_user(UserRole.OFFICIAL),
        "admin": create_user(UserRole.ADMIN),
        "official": create_user(UserRole.OFFICIAL),
        "member": create_user(UserRole.MEMBER),
        "nobody": None,
    }


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_over_roles_and_statuses(db, people, create_consultation, rule):
    for status in STATUSES:
        consultation = create_consultation(
            "closed" if status == "report_published" else status, officials=[people["team"]]
        )
        if status == "report_published":
            consultation.report_published_at = utcnow()
        for who, user in people.items():
            allowed = status in EXPECTED[rule].get(who, set())
            assert RULES[rule](user, consultation) is allowed, (rule, who, status)
