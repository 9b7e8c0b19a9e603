"""The account e-mails, composed here and queued by the view before it commits.

Messages to the person at the keyboard are in the page's language; messages to
other people (an organisation's representatives) in theirs.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from consult.accounts.models import MembershipStatus, Organisation, OrganisationStatus
from consult.core.mail import Mail, compose, external_url, recipient_locale


def _sign_off() -> str:
    return "\n\n-- \n" + _("Consult — public consultations")


def confirmation(email: str, token: str) -> Mail:
    link = external_url("accounts.confirm_email", token=token)
    return compose(
        email,
        _("Confirm your e-mail address"),
        _(
            "To finish registering, open this link (valid for 3 days):\n\n%(link)s\n\n"
            "If you did not register, ignore this message.",
            link=link,
        )
        + _sign_off(),
        kind="accounts.confirmation",
    )


def already_registered(email: str) -> Mail:
    link = external_url("accounts.request_password_reset")
    return compose(
        email,
        _("You already have an account"),
        _(
            "Someone (perhaps you) tried to register with this address, which already has an account. "
            "If you do not remember the password, set a new one here:\n\n%(link)s",
            link=link,
        )
        + _sign_off(),
        kind="accounts.already_registered",
    )


def password_reset(email: str, token: str) -> Mail:
    link = external_url("accounts.reset_password", token=token)
    return compose(
        email,
        _("Set a new password"),
        _(
            "To set a new password, open this link (valid for 2 hours, once):\n\n%(link)s\n\n"
            "If you did not ask for it, ignore this message; your password stays as it is.",
            link=link,
        )
        + _sign_off(),
        kind="accounts.password_reset",
    )


def email_change(new_email: str, token: str) -> Mail:
    link = external_url("accounts.confirm_email_change", token=token)
    return compose(
        new_email,
        _("Confirm your new e-mail address"),
        _("To use this address for your account, open this link (valid for 24 hours):\n\n%(link)s", link=link)
        + _sign_off(),
        kind="accounts.email_change",
    )


def invitation(email: str, organisation_name: str, inviter_name: str, token: str) -> Mail:
    link = external_url("accounts.accept_invitation", token=token)
    return compose(
        email,
        _("Invitation to represent %(name)s", name=organisation_name),
        _(
            "%(inviter)s invites you to represent %(name)s in public consultations.\n\n"
            "To accept, open this link (valid for 14 days) and sign in or register with this address:\n\n"
            "%(link)s",
            inviter=inviter_name,
            name=organisation_name,
            link=link,
        )
        + _sign_off(),
        kind="accounts.invitation",
    )


def verification_result(organisation: Organisation) -> list[Mail]:
    """One message to each active representative, saying whether the organisation was verified and why not."""
    mails = []
    for membership in organisation.memberships:
        user = membership.user
        if membership.status != MembershipStatus.ACTIVE or user is None or not user.email:
            continue
        with force_locale(recipient_locale(user)):
            mails.append(_verification_result(user.email, organisation))
    return mails


def _verification_result(email: str, organisation: Organisation) -> Mail:
    name = organisation.name
    if organisation.status == OrganisationStatus.VERIFIED:
        subject = _("%(name)s has been verified", name=name)
        body = _("%(name)s has been verified. Its representatives can now comment in consultations.", name=name)
    else:
        subject = _("%(name)s was not verified", name=name)
        body = _(
            "%(name)s was not verified. The reason given by the official:\n\n%(reason)s\n\n"
            "You can correct the profile; it will then wait for verification again.",
            name=name,
            reason=organisation.status_reason or "",
        )
    return compose(email, subject, body + _sign_off(), kind="accounts.verification")
