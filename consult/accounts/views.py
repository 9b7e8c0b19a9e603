"""Signing in and out."""

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from consult.accounts.forms import LoginForm
from consult.accounts.models import User, UserStatus
from consult.accounts.operations import authenticate
from consult.extensions import db, limiter

bp = Blueprint("accounts", __name__)


def load_user(session_token: str) -> User | None:
    return db.session.scalar(
        sa.select(User).where(User.session_token == session_token, User.status == UserStatus.ACTIVE)
    )


def safe_next(target: str | None) -> str | None:
    """A path on this site, or None: ``next`` must never send anyone elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            db.session.commit()
            flash(_("You are signed in."), "success")
            return redirect(safe_next(form.next.data) or url_for("consultations.list_consultations"))
        # One message whatever was wrong, so it does not tell which e-mails have accounts.
        form.form_errors.append(_("Wrong e-mail or password."))
    status = 422 if form.is_submitted() else 200
    return render_template("accounts/login_view.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    # A new token makes every other cookie of this account (another device, a
    # stolen "remember me") stop working too.
    current_user.rotate_session_token()
    db.session.commit()
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("consultations.list_consultations"))
