"""Registration, signing in and out, passwords, e-mail, personal data, staff accounts."""

import json
import time
from functools import lru_cache

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consult.accounts import notifications, operations, throttle, tokens
from consult.accounts.addresses import address_key
from consult.accounts.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    EmailOnlyForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
    StaffForm,
    TwoFactorPolicyForm,
)
from consult.accounts.models import User, UserRole, UserStatus
from consult.accounts.operations import (
    Registration,
    confirmation_token,
    create_user,
    email_change_token,
    password_reset_token,
    personal_data,
    register_user,
    sign_in,
    two_factor_required,
)
from consult.accounts.operations import (
    confirm_email as confirm_email_op,
)
from consult.accounts.operations import (
    confirm_email_change as confirm_email_change_op,
)
from consult.accounts.operations import (
    delete_account as delete_account_op,
)
from consult.accounts.operations import (
    reset_password as reset_password_op,
)
from consult.accounts.permissions import can_manage_staff, can_use_two_factor
from consult.core import mail
from consult.core.actions import perform, perform_form
from consult.core.errors import ConsultError, TooManyAttempts
from consult.core.forms import form_status, show_error_on_form
from consult.core.hooks import ACCOUNT_ERASED, PERSONAL_DATA, contributions
from consult.core.notices import privacy_facts
from consult.core.security import safe_next
from consult.core.settings import get_setting
from consult.extensions import db, limiter

bp = Blueprint("accounts", __name__)
# The staff page asks it about each person listed (can() asks only about the one signed in).
bp.add_app_template_global(can_use_two_factor, "may_use_two_factor")

# Session keys: a sign-in waiting for its second step, and a person who must set two-factor up.
PENDING_SIGN_IN = "pending_sign_in"
SETUP_REQUIRED = "two_factor_setup_required"
PENDING_SIGN_IN_SECONDS = 300


def remember_pending_sign_in(user: User, remember: bool, next_url: str | None) -> None:
    """The password was right: keep who is signing in until the code comes (5 minutes).

    The fingerprint of the session token ties it to the password of that moment: a new
    password (or "sign out everywhere") makes the half-done sign-in useless.
    """
    session[PENDING_SIGN_IN] = {
        "user": user.id,
        "check": tokens.fingerprint(user.session_token),
        "remember": bool(remember),
        "next": safe_next(next_url) or "",
        "until": int(time.time()) + PENDING_SIGN_IN_SECONDS,
    }


def load_user(session_token: str) -> User | None:
    return db.session.scalar(_user_by_session_token(), {"token": session_token})


@lru_cache(maxsize=1)
def _user_by_session_token() -> sa.Select:
    """Built once, the token bound at execution: every request of a signed-in person asks it."""
    return sa.select(User).where(User.session_token == sa.bindparam("token"), User.status == UserStatus.ACTIVE)


def _form_email_key() -> str:
    """Rate-limit key for the account named in the form (not only the address it comes from)."""
    return "account:" + address_key(request.form.get("email"))


def _page(template: str, status: int | None = None, **context):
    form = context.get("form")
    if status is None:
        status = 422 if form is not None and form.is_submitted() else 200
    return render_template(template, **context), status


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def register_account():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.list_my_organisations"))
    form = RegisterForm()
    if not form.validate_on_submit():
        return _page("accounts/register_view.html", form=form, privacy=privacy_facts())
    return perform_form(
        lambda: _register(form),
        form=form,
        page=lambda error: _page(
            "accounts/register_view.html", form=form, privacy=privacy_facts(), status=error.status_code
        ),
        success=None,
        # The same page whether or not the address had an account: no enumeration.
        respond=lambda _registration: render_template("accounts/check_email_view.html", email=form.email.data),
    )


def _register(form: RegisterForm) -> Registration:
    """A message either way, queued in this transaction: the same work (and time) for a known address."""
    registration = register_user(form.email.data, form.password.data, form.display_name.data)
    if registration.is_new:
        mail.queue(notifications.confirmation(registration.user.email, registration.token))
    else:
        mail.queue(notifications.already_registered(registration.user.email))
    return registration


def _message_page(title: str, error: ConsultError):
    return render_template("accounts/message_view.html", title=title, message=error.message), error.status_code


@bp.get("/confirm/<token>")
def confirm_email(token: str):
    return perform_form(
        lambda: confirm_email_op(token),
        form=None,
        page=lambda error: _message_page(_("E-mail confirmation"), error),
        success=_("Your e-mail address is confirmed. Now create your organisation's profile or ask to join one."),
        after=login_user,
        redirect_to=url_for("accounts.list_my_organisations"),
    )


def _refused_page(template: str, form, error: ConsultError):
    """The form again with the refusal on it; a throttle's also says when to retry (Retry-After)."""
    body, status = _page(template, form=form, status=error.status_code)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyAttempts) else {}
    return body, status, headers


def _finish_sign_in(user: User, remember: bool, next_url: str | None, message: str | None = None):
    login_user(user, remember=remember)
    if two_factor_required(user) and not user.has_two_factor:
        session[SETUP_REQUIRED] = True  # consult.accounts.two_factor_views lets them do only that
    else:
        session.pop(SETUP_REQUIRED, None)
    db.session.commit()
    if session.get(SETUP_REQUIRED):
        flash(_("The administrators require two-factor sign-in for officials. Set it up to continue."), "warning")
        return redirect(url_for("accounts.show_two_factor"))
    flash(message or _("You are signed in."), "success")
    return redirect(safe_next(next_url) or url_for("consultations.list_consultations"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def log_in():
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return _page("accounts/login_view.html", form=form)
    try:
        user = sign_in(form.email.data, form.password.data, request.remote_addr or "")
    except TooManyAttempts as error:
        show_error_on_form(form, error)
        return _refused_page("accounts/login_view.html", form, error)
    if user is None:
        # One message whatever was wrong, so it does not tell which e-mails have accounts.
        form.form_errors.append(_("Wrong e-mail or password."))
    elif user.email_confirmed_at is None:
        db.session.rollback()
        mail.queue(notifications.confirmation(user.email, confirmation_token(user)))
        db.session.commit()
        form.form_errors.append(_("Confirm your e-mail address first. We have sent the link again."))
    elif user.has_two_factor:
        db.session.rollback()  # signed in only after the second step
        remember_pending_sign_in(user, form.remember.data, form.next.data)
        return redirect(url_for("accounts.verify_sign_in_code"))
    else:
        return _finish_sign_in(user, form.remember.data, form.next.data)
    return _page("accounts/login_view.html", form=form)


@bp.post("/logout")
@login_required
def log_out():
    # A new token makes every other cookie of this account (another device, a
    # stolen "remember me") stop working too.
    perform(current_user.rotate_session_token, _("You are signed out."), after=_sign_out)
    return redirect(url_for("consultations.list_consultations"))


def _sign_out(_result) -> None:
    logout_user()
    session.pop(SETUP_REQUIRED, None)


@bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@limiter.limit("3 per hour", methods=["POST"], key_func=_form_email_key)
def request_password_reset():
    form = EmailOnlyForm()
    if not form.validate_on_submit():
        return _page("accounts/forgot_password_view.html", form=form)
    return perform_form(
        lambda: _queue_password_reset(form.email.data),
        form=form,
        page=lambda error: _page("accounts/forgot_password_view.html", form=form, status=error.status_code),
        success=None,
        respond=lambda _result: render_template("accounts/check_email_view.html", email=form.email.data, reset=True),
    )


def _queue_password_reset(email: str) -> None:
    """The link by e-mail when the address has an account; the same answer either way."""
    found = password_reset_token(email)
    if found is not None:
        user, token = found
        mail.queue(notifications.password_reset(user.email, token))


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def reset_password(token: str):
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return _page("accounts/reset_password_view.html", form=form)
    return perform_form(
        lambda: reset_password_op(token, form.password.data),
        form=form,
        page=lambda error: _page("accounts/reset_password_view.html", form=form, status=error.status_code),
        success=None,
        respond=_sign_in_after_reset,
    )


def _sign_in_after_reset(user: User):
    throttle.lift(user.email)  # the owner is back, whoever else was guessing
    if user.has_two_factor:
        remember_pending_sign_in(user, False, None)  # the password alone does not sign in
        flash(_("Your new password is set. Now type the code from your authenticator app."), "success")
        return redirect(url_for("accounts.verify_sign_in_code"))
    return _finish_sign_in(user, False, None, _("Your new password is set. You are signed in."))


def _account_page(status: int = 200, **forms):
    context = {
        "password_form": ChangePasswordForm(prefix="pw"),
        "email_form": ChangeEmailForm(prefix="em"),
        "delete_form": DeleteAccountForm(prefix="del"),
    }
    context.update(forms)
    return render_template("accounts/account_view.html", **context), status


@bp.get("/account")
@login_required
def show_account():
    return _account_page()


@bp.post("/account/password")
@login_required
def change_password():
    form = ChangePasswordForm(prefix="pw")
    if not form.validate_on_submit():
        return _account_page(422, password_form=form)
    user = current_user._get_current_object()
    return perform_form(
        lambda: operations.change_password(user, form.current_password.data, form.new_password.data),
        form=form,
        page=lambda error: _account_page(error.status_code, password_form=form),
        success=_("Your password has been changed. Other devices have been signed out."),
        after=lambda _result: login_user(user),  # keep this session; the new token ended the others
        redirect_to=url_for("accounts.show_account"),
    )


@bp.post("/account/email")
@login_required
def change_email():
    form = ChangeEmailForm(prefix="em")
    if not form.validate_on_submit():
        return _account_page(422, email_form=form)
    return perform_form(
        lambda: _queue_email_change(email_change_token(current_user, form.new_email.data, form.password.data)),
        form=form,
        page=lambda error: _account_page(error.status_code, email_form=form),
        success=lambda found: _(
            "We have sent a link to %(email)s. Your address changes when you open it.", email=found[0]
        ),
        redirect_to=url_for("accounts.show_account"),
    )


def _queue_email_change(found: tuple[str, str]) -> tuple[str, str]:
    mail.queue(notifications.email_change(*found))
    return found


@bp.get("/account/email/<token>")
def confirm_email_change(token: str):
    return perform_form(
        lambda: confirm_email_change_op(token),
        form=None,
        page=lambda error: _message_page(_("E-mail change"), error),
        success=_("Your e-mail address has been changed."),
        redirect_to=url_for("accounts.show_account" if current_user.is_authenticated else "accounts.log_in"),
    )


@bp.get("/account/export")
@login_required
def export_personal_data():
    data = personal_data(current_user)
    for section in contributions(PERSONAL_DATA):  # what modules above this one hold (comments, e-mail, files)
        data.update(section(current_user))
    body = json.dumps(data, ensure_ascii=False, indent=2)
    return Response(
        body, mimetype="application/json", headers={"Content-Disposition": "attachment; filename=moje-dane.json"}
    )


@bp.post("/account/delete")
@login_required
def delete_account():
    form = DeleteAccountForm(prefix="del")
    if not form.validate_on_submit():
        return _account_page(422, delete_form=form)
    return perform_form(
        lambda: delete_account_op(current_user, form.password.data, forget=contributions(ACCOUNT_ERASED)),
        form=form,
        page=lambda error: _account_page(error.status_code, delete_form=form),
        success=_("Your account has been deleted. Comments you sent stay in the record under the organisation's name."),
        after=lambda _result: logout_user(),
        redirect_to=url_for("consultations.list_consultations"),
    )


@bp.route("/admin/users", methods=["GET", "POST"])
@login_required
def manage_staff():
    if not can_manage_staff(current_user):
        abort(403)
    form = StaffForm()
    if not form.validate_on_submit():
        return _staff_page(form, form_status(form))
    return perform_form(
        lambda: create_user(
            current_user,
            form.email.data,
            UserRole(form.role.data),
            form.password.data,
            form.display_name.data,
            department=form.department.data,
        ),
        form=form,
        page=lambda error: _staff_page(form, error.status_code),
        success=lambda user: _("The account %(email)s has been created.", email=user.email),
        redirect_to=url_for("accounts.manage_staff"),
    )


def _staff_page(form: StaffForm, status: int):
    users = db.session.scalars(
        sa.select(User).where(User.status == UserStatus.ACTIVE).order_by(User.role, User.email)
    ).all()
    policy_form = TwoFactorPolicyForm(prefix="policy", required=get_setting("require_two_factor_for_staff"))
    return render_template("accounts/staff_view.html", form=form, users=users, policy_form=policy_form), status
