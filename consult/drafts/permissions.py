"""Who may see and change draft versions.

One rule for making a new version, the same for the web (import form, editor) and the
command line (``flask import-draft``, run by the server's operator): the draft may be
revised at any stage of the consultation. Before announcing, while comments are open
(the official confirms that comments stay on the wording they were made on), after
closing and after the report is published: the second reading revises the draft after
the consultation, and the published report stays as it was (a later report version
adds). No status of the consultation refuses a new version, so the command line,
whose operator runs the server, has nothing to check that the web does not; only one
version is prepared at a time, which :func:`consult.drafts.operations.import_draft`
enforces for both.
"""

from consult.accounts.models import User
from consult.consultations.models import Consultation
from consult.consultations.permissions import can_manage_consultations, runs_consultation
from consult.core.permissions import rule
from consult.drafts.models import DraftVersion, VersionStatus


@rule
def can_view_version(user: User, version: DraftVersion) -> bool:
    """Published versions are public; an imported preview is for officials."""
    return version.status == VersionStatus.PUBLISHED or can_manage_consultations(user)


@rule
def can_import_draft(user: User, consultation: Consultation) -> bool:
    """Make a new version (by importing a file or by editing the current one): the team and admins,
    at every stage of the consultation, its published report included (see the module doc)."""
    return runs_consultation(user, consultation)


@rule
def can_publish_version(user: User, version: DraftVersion) -> bool:
    """Publish, discard or correct the matching of a version being prepared."""
    return version.status == VersionStatus.DRAFT and can_import_draft(user, version.consultation)


@rule
def can_link_comments(user: User, version: DraftVersion) -> bool:
    """Say (and confirm the suggested) comments behind a version's changes: the organiser's word
    once confirmed, so the team's and admins', for a published version too."""
    return version.based_on_id is not None and can_import_draft(user, version.consultation)
