"""Two-factor sign-in: the second step of signing in, setting it up, recovery codes, the admins' setting."""

import time

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from markupsafe import Markup

from consult.accounts import operations, tokens, two_factor
from consult.accounts.forms import (
    DisableTwoFactorForm,
    EnableTwoFactorForm,
    RecoveryCodesForm,
    SignInCodeForm,
    TwoFactorPolicyForm,
)
from consult.accounts.models import User, UserStatus
from consult.accounts.permissions import can_change_two_factor_policy, can_manage_staff, can_use_two_factor
from consult.accounts.views import (
    PENDING_SIGN_IN,
    SETUP_REQUIRED,
    _finish_sign_in,
    _page,
    _refused_page,
    bp,
)
from consult.core.actions import perform, perform_form
from consult.extensions import db, limiter

# What someone who must set two-factor sign-in up may still open.
_ALLOWED_DURING_SET_UP = {
    "accounts.show_two_factor",
    "accounts.start_two_factor",
    "accounts.enable_two_factor",
    "accounts.log_out",
    "static",
}


@bp.before_app_request
def require_two_factor_set_up():
    """Officials signed in while the admins require two-factor sign-in: set it up first.

    A flag in the session (set at sign-in), so other pages run no extra query.
    """
    if not session.get(SETUP_REQUIRED) or request.endpoint in _ALLOWED_DURING_SET_UP:
        return None
    if not current_user.is_authenticated:
        session.pop(SETUP_REQUIRED, None)
        return None
    return redirect(url_for("accounts.show_two_factor"))


def _pending_user() -> tuple[User, dict] | None:
    pending = session.get(PENDING_SIGN_IN)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        return None
    user = db.session.get(User, pending.get("user"))
    if (
        user is None
        or user.status != UserStatus.ACTIVE
        or not user.has_two_factor
        or tokens.fingerprint(user.session_token) != pending.get("check")
    ):
        return None
    return user, pending


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
def verify_sign_in_code():
    found = _pending_user()
    if found is None:
        session.pop(PENDING_SIGN_IN, None)
        flash(_("Sign in again: the password step was too long ago or is no longer valid."), "warning")
        return redirect(url_for("accounts.log_in"))
    user, pending = found
    form = SignInCodeForm()
    if not form.validate_on_submit():
        return _page("accounts/sign_in_code_view.html", form=form)
    return perform_form(
        lambda: operations.finish_sign_in(user, form.code.data, request.remote_addr or ""),
        form=form,  # a wrong code changes nothing here; the throttle has counted it
        page=lambda error: _refused_page("accounts/sign_in_code_view.html", form, error),
        success=None,
        respond=lambda result: _signed_in_with_code(user, pending, result),
    )


def _signed_in_with_code(user: User, pending: dict, result: operations.SecondFactor):
    session.pop(PENDING_SIGN_IN, None)
    if result.recovery_code_used:
        flash(
            ngettext(
                "You used a recovery code; %(num)d is left. Make new ones on the two-factor page of your account.",
                "You used a recovery code; %(num)d are left. Make new ones on the two-factor page of your account.",
                result.recovery_codes_left,
            ),
            "warning",
        )
    return _finish_sign_in(user, pending.get("remember", False), pending.get("next"))


def _two_factor_page(status: int = 200, **forms):
    if not can_use_two_factor(current_user):
        abort(403)
    user = current_user._get_current_object()
    context = {
        "enable_form": forms.get("enable_form") or EnableTwoFactorForm(prefix="on"),
        "codes_form": forms.get("codes_form") or RecoveryCodesForm(prefix="codes"),
        "disable_form": forms.get("disable_form") or DisableTwoFactorForm(prefix="off"),
        "required": operations.two_factor_required(user),
        "recovery_codes_left": operations.recovery_codes_left(user) if user.has_two_factor else 0,
    }
    if user.totp_secret and not user.has_two_factor:
        # One name in every language: the app keeps the entry it was first given.
        issuer = current_app.config.get("TOTP_ISSUER", "Consult")
        uri = two_factor.provisioning_uri(user.totp_secret, user.email or "", issuer)
        # segno draws paths only (no text, no script): markup we made, not anything typed.
        context.update(secret=user.totp_secret, uri=uri, qr_svg=Markup(two_factor.qr_svg(uri)))
    return render_template("accounts/two_factor_view.html", **context), status


@bp.get("/account/two-factor")
@login_required
def show_two_factor():
    return _two_factor_page()


@bp.post("/account/two-factor/start")
@login_required
def start_two_factor():
    if not can_use_two_factor(current_user):
        abort(403)
    perform(lambda: operations.start_two_factor(current_user), _("Add the key to your authenticator app."))
    return redirect(url_for("accounts.show_two_factor"))


def _recovery_codes_page(codes: list[str]):
    # Shown once, straight in the answer to the POST: the codes are never stored in clear
    # (not even in the session cookie), so there is nothing to redirect to.
    return render_template("accounts/recovery_codes_view.html", codes=codes), 200, {"Cache-Control": "no-store"}


@bp.post("/account/two-factor/enable")
@login_required
def enable_two_factor():
    form = EnableTwoFactorForm(prefix="on")
    if not form.validate_on_submit():
        return _two_factor_page(422, enable_form=form)
    return perform_form(
        lambda: operations.enable_two_factor(current_user, form.code.data),
        form=form,
        page=lambda error: _two_factor_page(error.status_code, enable_form=form),
        success=None,
        after=lambda _codes: session.pop(SETUP_REQUIRED, None),
        respond=_recovery_codes_page,
    )


@bp.post("/account/two-factor/recovery-codes")
@login_required
def renew_recovery_codes():
    form = RecoveryCodesForm(prefix="codes")
    if not form.validate_on_submit():
        return _two_factor_page(422, codes_form=form)
    return perform_form(
        lambda: operations.new_recovery_codes(current_user, form.code.data),
        form=form,
        page=lambda error: _two_factor_page(error.status_code, codes_form=form),
        success=None,
        respond=_recovery_codes_page,
    )


@bp.post("/account/two-factor/disable")
@login_required
def disable_two_factor():
    form = DisableTwoFactorForm(prefix="off")
    if not form.validate_on_submit():
        return _two_factor_page(422, disable_form=form)
    return perform_form(
        lambda: operations.disable_two_factor(current_user, form.password.data, form.code.data),
        form=form,
        page=lambda error: _two_factor_page(error.status_code, disable_form=form),
        success=_("Two-factor sign-in is off. Your password alone now signs you in."),
        redirect_to=url_for("accounts.show_two_factor"),
    )


@bp.post("/admin/two-factor")
@login_required
def change_two_factor_policy():
    if not can_change_two_factor_policy(current_user):
        abort(403)
    form = TwoFactorPolicyForm(prefix="policy")
    if not form.validate_on_submit():
        abort(400)
    perform(lambda: operations.set_two_factor_policy(current_user, form.required.data), _policy_changed(form))
    return redirect(url_for("accounts.manage_staff"))


def _policy_changed(form: TwoFactorPolicyForm):
    if not form.required.data:
        return _("Two-factor sign-in is no longer required.")
    return lambda signed_out: ngettext(
        "Two-factor sign-in is now required. %(num)d person without it was signed out and will set it "
        "up at the next sign-in.",
        "Two-factor sign-in is now required. %(num)d people without it were signed out and will set it "
        "up at the next sign-in.",
        signed_out,
    )


@bp.post("/admin/users/<int:user_id>/two-factor/reset")
@login_required
def reset_two_factor(user_id: int):
    if not can_manage_staff(current_user):
        abort(403)
    user = db.session.scalar(sa.select(User).where(User.id == user_id, User.status == UserStatus.ACTIVE))
    if user is None:
        abort(404)
    perform(
        lambda: operations.reset_two_factor(current_user, user),
        _("Two-factor sign-in of %(name)s is off; they set it up again at the next sign-in.", name=user.display_name),
    )
    return redirect(url_for("accounts.manage_staff"))
