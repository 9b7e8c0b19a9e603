"""The account e-mails: plain text, in the recipient's page language, links absolute."""

from flask import url_for
from flask_babel import gettext as _

from consult.core.mail import send_mail


def _sign_off() -> str:
    return "\n\n-- \n" + _("Consult — public consultations")


def send_confirmation(email: str, token: str) -> None:
    link = url_for("accounts.confirm_email", token=token, _external=True)
    send_mail(
        email,
        _("Confirm your e-mail address"),
        _(
            "To finish registering, open this link (valid for 3 days):\n\n%(link)s\n\n"
            "If you did not register, ignore this message.",
            link=link,
        )
        + _sign_off(),
    )


def send_already_registered(email: str) -> None:
    link = url_for("accounts.request_password_reset", _external=True)
    send_mail(
        email,
        _("You already have an account"),
        _(
            "Someone (perhaps you) tried to register with this address, which already has an account. "
            "If you do not remember the password, set a new one here:\n\n%(link)s",
            link=link,
        )
        + _sign_off(),
    )


def send_password_reset(email: str, token: str) -> None:
    link = url_for("accounts.reset_password", token=token, _external=True)
    send_mail(
        email,
        _("Set a new password"),
        _(
            "To set a new password, open this link (valid for 2 hours, once):\n\n%(link)s\n\n"
            "If you did not ask for it, ignore this message; your password stays as it is.",
            link=link,
        )
        + _sign_off(),
    )


def send_email_change(new_email: str, token: str) -> None:
    link = url_for("accounts.confirm_email_change", token=token, _external=True)
    send_mail(
        new_email,
        _("Confirm your new e-mail address"),
        _("To use this address for your account, open this link (valid for 24 hours):\n\n%(link)s", link=link)
        + _sign_off(),
    )


def send_invitation(email: str, organisation_name: str, inviter_name: str, token: str) -> None:
    link = url_for("accounts.accept_invitation", token=token, _external=True)
    send_mail(
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
    )


def send_verification_result(email: str, organisation_name: str, verified: bool, reason: str | None) -> None:
    if verified:
        subject = _("%(name)s has been verified", name=organisation_name)
        body = _(
            "%(name)s has been verified. Its representatives can now comment in consultations.", name=organisation_name
        )
    else:
        subject = _("%(name)s was not verified", name=organisation_name)
        body = _(
            "%(name)s was not verified. The reason given by the official:\n\n%(reason)s\n\n"
            "You can correct the profile; it will then wait for verification again.",
            name=organisation_name,
            reason=reason or "",
        )
    send_mail(email, subject, body + _sign_off())
