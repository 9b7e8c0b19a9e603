"""Accounts: registration, sign-in, passwords, e-mail changes, personal data.

Operations return what the view needs to send (a user and a link token); they never
send e-mail themselves, so nothing is sent for a transaction that is rolled back.
Messages never reveal whether an address has an account.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from consult.accounts import throttle, tokens, two_factor
from consult.accounts.addresses import InvalidAddress, canonical_email
from consult.accounts.models import (
    Area,
    Membership,
    MembershipStatus,
    Organisation,
    OrganisationStatus,
    RecoveryCode,
    User,
    UserRole,
    UserStatus,
)
from consult.accounts.passwords import check_password_rules, hash_password, password_matches
from consult.accounts.permissions import can_use_two_factor
from consult.accounts.validators import digits_only, is_valid_krs, is_valid_nip, is_valid_regon
from consult.core import audit
from consult.core.errors import Conflict, Forbidden, InvalidInput, TooManyAttempts
from consult.core.models import AuditEntry
from consult.core.settings import get_setting, set_setting
from consult.core.text import clean_text
from consult.core.time import utcnow
from consult.extensions import db

# Checked against when nobody has that e-mail, so a wrong address takes as long
# as a wrong password and the timing does not reveal which accounts exist.
_DUMMY_HASH = hash_password("not-a-real-password")


def normalise_email(email: str, field: str = "email") -> str:
    """A syntactically valid address in its one canonical spelling (see consult.accounts.addresses)."""
    try:
        return canonical_email(email)
    except InvalidAddress as error:
        raise InvalidInput(_("Enter a valid e-mail address, e.g. name@example.org."), field=field) from error


def find_user_by_email(email: str) -> User | None:
    try:
        address = normalise_email(email)
    except InvalidInput:
        return None
    return db.session.scalar(sa.select(User).where(User.email == address))


def set_password(user: User, password: str) -> None:
    check_password_rules(password, user.email)
    user.password_hash = hash_password(password)


def create_user(
    actor: User | None,
    email: str,
    role: UserRole,
    password: str,
    display_name: str = "",
    confirmed: bool = True,
    department: str | None = None,
) -> User:
    """An account made by an admin (or the CLI): confirmed at once."""
    address = normalise_email(email)
    if find_user_by_email(address) is not None:
        raise Conflict(_("An account with this e-mail address already exists."), field="email")
    user = User(
        email=address,
        role=role,
        display_name=(display_name or address.split("@")[0]).strip(),
        email_confirmed_at=utcnow() if confirmed else None,
        department=(department or "").strip() or None,
    )
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    if actor is not None:
        audit.record(actor, "user.create", user, after={"email": address, "role": role.value})
    return user


@dataclass
class Registration:
    """What the view mails: a confirmation link to a new user, or a notice to an existing one."""

    user: User
    is_new: bool
    token: str | None


def register_user(email: str, password: str, display_name: str) -> Registration:
    address = normalise_email(email)
    if not display_name.strip():
        raise InvalidInput(_("Enter your name."), field="display_name")
    existing = find_user_by_email(address)
    if existing is not None:
        # Same answer on the page as for a new address; the owner gets a notice instead. The
        # password is hashed all the same (and thrown away): hashing is most of the time a new
        # account takes, and the time must not tell which addresses have accounts.
        check_password_rules(password, address)
        hash_password(password)
        return Registration(existing, is_new=False, token=None)
    user = User(email=address, role=UserRole.MEMBER, display_name=display_name.strip())
    set_password(user, password)
    db.session.add(user)
    db.session.flush()
    return Registration(user, is_new=True, token=confirmation_token(user))


def confirmation_token(user: User) -> str:
    return tokens.make_token(tokens.CONFIRM_EMAIL, {"user": user.id, "email": user.email})


def confirm_email(token: str) -> User:
    payload = tokens.read_token(
        tokens.CONFIRM_EMAIL,
        token,
        _("This confirmation link has expired. Sign in to get a new one."),
        _("This confirmation link is not valid. Check that you copied the whole address."),
    )
    user = db.session.get(User, payload["user"])
    if user is None or user.email != payload["email"] or user.status != UserStatus.ACTIVE:
        raise tokens.InvalidLink(_("This confirmation link is not valid. Check that you copied the whole address."))
    if user.email_confirmed_at is not None:
        raise Conflict(_("This address has already been confirmed. You can sign in."))
    user.email_confirmed_at = utcnow()
    return user


def authenticate(email: str, password: str) -> User | None:
    user = find_user_by_email(email)
    if user is None or user.status != UserStatus.ACTIVE or not user.password_hash:
        password_matches(_DUMMY_HASH, password)
        return None
    if not password_matches(user.password_hash, password):
        return None
    user.last_login_at = utcnow()
    return user


def check_throttle(email: str, address: str) -> None:
    """Refuse an attempt on this account from this address while it is throttled (see throttle.py)."""
    wait = throttle.wait_before_attempt(email, address)
    if wait is not None:
        raise TooManyAttempts(
            _(
                "Too many unsuccessful attempts to sign in to this account. Try again %(wait)s, or set a new "
                "password with “Forgot your password?”: that lifts the limit at once.",
                wait=wait.in_words(),
            ),
            retry_after=wait.seconds,
        )


def sign_in(email: str, password: str, address: str) -> User | None:
    """The account if the password is right; None (and one failure counted) if not.

    ``address`` is where the attempt comes from (the client's IP address). A throttled
    attempt raises :class:`TooManyAttempts` without the password being checked.
    """
    check_throttle(email, address)
    user = authenticate(email, password)
    if user is None:
        throttle.record_failure(email, address)
    return user


def password_reset_token(email: str) -> tuple[User, str] | None:
    """A reset link for an active account, or None (the page says the same either way)."""
    user = find_user_by_email(email)
    if user is None or user.status != UserStatus.ACTIVE:
        return None
    return user, tokens.make_token(
        tokens.RESET_PASSWORD, {"user": user.id, "pw": tokens.fingerprint(user.password_hash)}
    )


def reset_password(token: str, new_password: str) -> User:
    invalid = _("This password reset link is not valid or has already been used. Ask for a new one.")
    payload = tokens.read_token(
        tokens.RESET_PASSWORD, token, _("This password reset link has expired. Ask for a new one."), invalid
    )
    user = db.session.get(User, payload["user"])
    if user is None or user.status != UserStatus.ACTIVE or payload["pw"] != tokens.fingerprint(user.password_hash):
        raise tokens.InvalidLink(invalid)
    set_password(user, new_password)
    user.rotate_session_token()  # signs out every other session
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()  # the link reached the inbox: the address works
    return user


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not password_matches(user.password_hash, current_password):
        raise InvalidInput(_("The current password is not correct."), field="current_password")
    check_password_rules(new_password, user.email, field="new_password")
    user.password_hash = hash_password(new_password)
    user.rotate_session_token()


def email_change_token(user: User, new_email: str, password: str) -> tuple[str, str]:
    """(new address, token) to mail to the new address; the change happens when it is opened."""
    if not password_matches(user.password_hash, password):
        raise InvalidInput(_("The current password is not correct."), field="password")
    address = normalise_email(new_email, field="new_email")
    if address == user.email:
        raise InvalidInput(_("This is already your e-mail address."), field="new_email")
    return address, tokens.make_token(tokens.CHANGE_EMAIL, {"user": user.id, "from": user.email, "to": address})


def confirm_email_change(token: str) -> User:
    invalid = _("This link is not valid or has already been used.")
    payload = tokens.read_token(
        tokens.CHANGE_EMAIL, token, _("This link has expired. Ask for the change again."), invalid
    )
    user = db.session.get(User, payload["user"])
    if user is None or user.status != UserStatus.ACTIVE or user.email != payload["from"]:
        raise tokens.InvalidLink(invalid)
    if find_user_by_email(payload["to"]) is not None:
        raise Conflict(_("This address is already used by another account."))
    user.email = payload["to"]
    user.email_confirmed_at = utcnow()
    return user


def personal_data(user: User) -> dict:
    """What this module holds about a person, for the download (GDPR art. 15 and 20); the modules
    above it add theirs through the ``PERSONAL_DATA`` hook (their comments, e-mail, files)."""

    def iso(moment):
        return moment.isoformat() if moment else None

    actions = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.actor_id == user.id).order_by(AuditEntry.id))
    return {
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role.value,
            "department": user.department,
            "locale": user.locale,
            "created_at": iso(user.created_at),
            "email_confirmed_at": iso(user.email_confirmed_at),
            "last_login_at": iso(user.last_login_at),
        },
        "memberships": [
            {"organisation": m.organisation.name, "status": m.status.value, "since": iso(m.created_at)}
            for m in user.memberships
        ],
        "official_actions": [
            {
                "action": a.action,
                "object": a.object_type,
                "object_id": a.object_id,
                "reason": a.reason,
                "at": iso(a.created_at),
            }
            for a in actions
        ],
    }


def delete_account(user: User, password: str, forget: Iterable[Callable[[User], None]] = ()) -> None:
    """Erase the person; what they wrote stays, under the organisation's name only.

    ``forget``: what modules above this one do first (the outbox knows the person by the address
    about to be erased), given by the view from the ``ACCOUNT_ERASED`` hook."""
    if not password_matches(user.password_hash, password):
        raise InvalidInput(_("The password is not correct."), field="password")
    for membership in user.memberships:
        membership.status = MembershipStatus.REMOVED
    user.status = UserStatus.DELETED
    for forget_user in forget:
        forget_user(user)
    user.email = None
    user.password_hash = None
    user.display_name = ""
    user.department = None
    user.rotate_session_token()
    audit.record(user, "user.delete", user)


def memberships_of(user: User, status: MembershipStatus = MembershipStatus.ACTIVE) -> list[Membership]:
    return [m for m in user.memberships if m.status == status]


# --- organisations -----------------------------------------------------------------------


@dataclass
class OrganisationData:
    name: str
    legal_form: str = ""
    krs: str = ""
    nip: str = ""
    regon: str = ""
    address: str = ""
    contact_email: str = ""
    website: str = ""
    area_ids: list[int] | None = None


# Changing any of these on a verified organisation sends it back for verification.
_IDENTITY_FIELDS = ("name", "krs", "nip", "regon")


def _clean_organisation(data: OrganisationData) -> dict:
    name = " ".join(clean_text(data.name).split())
    if not name:
        raise InvalidInput(_("Enter the name of the organisation."), field="name")
    krs, nip, regon = digits_only(data.krs), digits_only(data.nip), digits_only(data.regon)
    if krs and not is_valid_krs(krs):
        raise InvalidInput(_("The KRS number must have exactly 10 digits, e.g. 0000123456."), field="krs")
    if nip and not is_valid_nip(nip):
        raise InvalidInput(
            _("The NIP number is not valid: it must have 10 digits and a correct check digit."), field="nip"
        )
    if regon and not is_valid_regon(regon):
        raise InvalidInput(
            _("The REGON number is not valid: it must have 9 or 14 digits and a correct check digit."), field="regon"
        )
    website = data.website.strip()
    if website and not website.startswith(("http://", "https://")):
        website = "https://" + website
    contact = normalise_email(data.contact_email, field="contact_email") if data.contact_email.strip() else None
    return {
        "name": name,
        "legal_form": " ".join(clean_text(data.legal_form).split()),
        "krs": krs or None,
        "nip": nip or None,
        "regon": regon or None,
        "address": clean_text(data.address),
        "contact_email": contact,
        "website": website or None,
    }


def _check_krs_free(krs: str | None, organisation_id: int | None) -> None:
    if not krs:
        return
    owner = db.session.scalar(sa.select(Organisation.id).where(Organisation.krs == krs))
    if owner is not None and owner != organisation_id:
        raise Conflict(
            _(
                "An organisation with KRS %(krs)s is already registered. Ask its representatives to "
                "invite you, or ask to join it.",
                krs=krs,
            ),
            field="krs",
        )


def _set_areas(organisation, area_ids: list[int] | None) -> None:
    if area_ids is not None:
        organisation.areas = list(db.session.scalars(sa.select(Area).where(Area.id.in_(area_ids)))) if area_ids else []


def create_organisation(user: User, data: OrganisationData):
    values = _clean_organisation(data)
    _check_krs_free(values["krs"], None)
    organisation = Organisation(status=OrganisationStatus.PENDING, **values)
    _set_areas(organisation, data.area_ids)
    db.session.add(organisation)
    db.session.add(Membership(organisation=organisation, user=user, status=MembershipStatus.ACTIVE))
    db.session.flush()
    return organisation


def update_organisation(organisation, user: User, data: OrganisationData):
    values = _clean_organisation(data)
    _check_krs_free(values["krs"], organisation.id)
    identity_changed = any(getattr(organisation, name) != values[name] for name in _IDENTITY_FIELDS)
    for name, value in values.items():
        setattr(organisation, name, value)
    _set_areas(organisation, data.area_ids)
    if identity_changed and organisation.status == OrganisationStatus.VERIFIED:
        organisation.status = OrganisationStatus.PENDING
        organisation.status_reason = None
    db.session.flush()
    return organisation


def verify_organisation(official: User, organisation):
    if organisation.status == OrganisationStatus.VERIFIED:
        raise Conflict(_("This organisation is already verified."))
    before = organisation.status.value
    organisation.status = OrganisationStatus.VERIFIED
    organisation.status_reason = None
    organisation.verified_at = utcnow()
    organisation.verified_by_id = official.id
    db.session.flush()
    audit.record(
        official,
        "organisation.verify",
        organisation,
        before={"status": before},
        after={"status": organisation.status.value},
    )
    return organisation


def reject_organisation(official: User, organisation, reason: str):
    reason = clean_text(reason)
    if not reason:
        raise InvalidInput(_("Give the reason; the organisation will see it."), field="reason")
    before = organisation.status.value
    organisation.status = OrganisationStatus.REJECTED
    organisation.status_reason = reason
    organisation.verified_at = None
    db.session.flush()
    audit.record(
        official,
        "organisation.reject",
        organisation,
        reason=reason,
        before={"status": before},
        after={"status": organisation.status.value},
    )
    return organisation


# --- members -------------------------------------------------------------------------------


def _membership(organisation, *, user: User | None = None, email: str | None = None) -> Membership | None:
    for membership in organisation.memberships:
        if user is not None and membership.user_id == user.id:
            return membership
        if email is not None and (
            membership.invited_email == email or (membership.user is not None and membership.user.email == email)
        ):
            return membership
    return None


def invite_member(actor: User, organisation, email: str) -> tuple[Membership, str]:
    address = normalise_email(email)
    existing = _membership(organisation, email=address)
    if existing is not None and existing.status == MembershipStatus.ACTIVE:
        raise Conflict(_("%(email)s already represents this organisation.", email=address), field="email")
    if existing is not None and existing.status in (
        MembershipStatus.INVITED,
        MembershipStatus.REQUESTED,
        MembershipStatus.REMOVED,
    ):
        membership = existing  # re-invite: one row per person and organisation
        membership.status = MembershipStatus.INVITED
        membership.invited_email = address
        membership.invited_by_id = actor.id
    else:
        membership = Membership(
            organisation=organisation, invited_email=address, invited_by_id=actor.id, status=MembershipStatus.INVITED
        )
        db.session.add(membership)
    db.session.flush()
    token = tokens.make_token(tokens.INVITATION, {"membership": membership.id, "email": address})
    return membership, token


def read_invitation(token: str) -> Membership:
    invalid = _("This invitation is not valid or has already been used.")
    payload = tokens.read_token(
        tokens.INVITATION, token, _("This invitation has expired. Ask the organisation to invite you again."), invalid
    )
    membership = db.session.get(Membership, payload["membership"])
    if (
        membership is None
        or membership.status != MembershipStatus.INVITED
        or membership.invited_email != payload["email"]
    ):
        raise tokens.InvalidLink(invalid)
    return membership


def accept_invitation(user: User, token: str) -> Membership:
    membership = read_invitation(token)
    if user.email != membership.invited_email:
        raise InvalidInput(
            _(
                "This invitation was sent to %(email)s. Sign in with that address to accept it.",
                email=membership.invited_email,
            )
        )
    other = _membership(membership.organisation, user=user)
    if other is not None and other is not membership:
        if other.status == MembershipStatus.ACTIVE:
            raise Conflict(_("You already represent this organisation."))
        db.session.delete(other)
        db.session.flush()
    membership.user = user
    membership.status = MembershipStatus.ACTIVE
    db.session.flush()
    return membership


def request_to_join(user: User, organisation) -> Membership:
    existing = _membership(organisation, user=user)
    if existing is not None and existing.status == MembershipStatus.ACTIVE:
        raise Conflict(_("You already represent this organisation."))
    if existing is not None and existing.status == MembershipStatus.REQUESTED:
        raise Conflict(_("You have already asked to join; the organisation's representatives will decide."))
    if existing is not None:
        existing.status = MembershipStatus.REQUESTED
        membership = existing
    else:
        membership = Membership(organisation=organisation, user=user, status=MembershipStatus.REQUESTED)
        db.session.add(membership)
    db.session.flush()
    return membership


def answer_join_request(actor: User, membership: Membership, accept: bool) -> Membership:
    if membership.status != MembershipStatus.REQUESTED:
        raise Conflict(_("This request has already been answered."))
    membership.status = MembershipStatus.ACTIVE if accept else MembershipStatus.REMOVED
    db.session.flush()
    return membership


def remove_member(actor: User, membership: Membership) -> Membership:
    if membership.status == MembershipStatus.ACTIVE:
        active = [m for m in membership.organisation.memberships if m.status == MembershipStatus.ACTIVE]
        if len(active) == 1:
            raise InvalidInput(_("The last representative cannot be removed; invite someone else first."))
    membership.status = MembershipStatus.REMOVED
    db.session.flush()
    return membership


# --- two-factor sign-in --------------------------------------------------------------------


@dataclass
class SecondFactor:
    """How the second step of a sign-in was passed."""

    recovery_code_used: bool
    recovery_codes_left: int


def two_factor_required(user: User) -> bool:
    """Whether the administrators' setting obliges this person to use two-factor sign-in."""
    return user.is_official and bool(get_setting("require_two_factor_for_staff"))


def start_two_factor(user: User) -> str:
    """A new secret, pending until :func:`enable_two_factor` gets a code made from it."""
    if not can_use_two_factor(user):
        raise Forbidden(_("Two-factor sign-in is for officials and administrators."))
    if user.has_two_factor:
        raise Conflict(_("Two-factor sign-in is already on."))
    user.totp_secret = two_factor.new_secret()
    user.totp_last_step = None
    db.session.flush()
    return user.totp_secret


def _replace_recovery_codes(user: User) -> list[str]:
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = two_factor.new_recovery_codes()
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=two_factor.recovery_code_hash(c)) for c in codes)
    db.session.flush()
    return codes


def _wrong_code(user: User, code: str, moment) -> InvalidInput:
    if user.totp_secret and two_factor.was_used_before(user.totp_secret, code, moment, user.totp_last_step):
        return InvalidInput(
            _("This code has already been used. Wait for the next one (at most 30 seconds)."), field="code"
        )
    return InvalidInput(
        _("The code is not correct. Type the newest code from the app, or one of your recovery codes."), field="code"
    )


def enable_two_factor(user: User, code: str, now=None) -> list[str]:
    """Turn it on once the app shows a right code; returns the recovery codes to show once."""
    if user.has_two_factor:
        raise Conflict(_("Two-factor sign-in is already on."))
    if not user.totp_secret:
        raise InvalidInput(_("Start the set-up again: no key has been made yet."))
    moment = now or utcnow()
    step = two_factor.matching_step(user.totp_secret, code, moment, None)
    if step is None:
        raise InvalidInput(
            _("The code is not correct. Check that the phone's clock is right and type the newest code."), field="code"
        )
    user.totp_enabled_at = utcnow()
    user.totp_last_step = step
    codes = _replace_recovery_codes(user)
    audit.record(user, "user.two_factor_enable", user)
    return codes


def _unused_recovery_code(user: User, code: str) -> RecoveryCode | None:
    return db.session.scalar(
        sa.select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == two_factor.recovery_code_hash(code),
            RecoveryCode.used_at.is_(None),
        )
    )


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def check_second_factor(user: User, code: str, now=None) -> SecondFactor:
    """Accept a code from the app (each time step once) or an unused recovery code (once)."""
    if not user.has_two_factor or not user.totp_secret:
        raise Conflict(_("Two-factor sign-in is not on for this account."))
    if two_factor.looks_like_recovery_code(code):
        recovery = _unused_recovery_code(user, code)
        if recovery is None:
            raise InvalidInput(_("This recovery code is not correct or has already been used."), field="code")
        recovery.used_at = utcnow()
        db.session.flush()
        return SecondFactor(recovery_code_used=True, recovery_codes_left=recovery_codes_left(user))
    moment = now or utcnow()
    step = two_factor.matching_step(user.totp_secret, code, moment, user.totp_last_step)
    if step is None:
        raise _wrong_code(user, code, moment)
    user.totp_last_step = step
    return SecondFactor(recovery_code_used=False, recovery_codes_left=-1)


def finish_sign_in(user: User, code: str, address: str, now=None) -> SecondFactor:
    """The second step of a sign-in, throttled like the first (a wrong code counts as a failure)."""
    check_throttle(user.email, address)
    try:
        result = check_second_factor(user, code, now)
    except InvalidInput:
        throttle.record_failure(user.email, address)
        raise
    user.last_login_at = utcnow()
    return result


def new_recovery_codes(user: User, code: str, now=None) -> list[str]:
    """Replace every recovery code (the old ones stop working); needs a current code."""
    check_second_factor(user, code, now)
    codes = _replace_recovery_codes(user)
    audit.record(user, "user.recovery_codes", user)
    return codes


def _clear_two_factor(user: User) -> None:
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def disable_two_factor(user: User, password: str, code: str, now=None) -> None:
    if two_factor_required(user):
        raise Forbidden(_("The administrators require two-factor sign-in for officials; it cannot be turned off."))
    if not password_matches(user.password_hash, password):
        raise InvalidInput(_("The current password is not correct."), field="password")
    check_second_factor(user, code, now)
    _clear_two_factor(user)
    db.session.flush()
    audit.record(user, "user.two_factor_disable", user)


def reset_two_factor(admin: User, user: User) -> None:
    """An administrator's help for someone who lost both the phone and the recovery codes.

    Their sessions end; they sign in with the password and set two-factor sign-in up again.
    """
    if not user.has_two_factor:
        raise Conflict(_("Two-factor sign-in is not on for this account."))
    _clear_two_factor(user)
    user.rotate_session_token()
    db.session.flush()
    audit.record(admin, "user.two_factor_reset", user)


def set_two_factor_policy(admin: User, required: bool) -> int:
    """Require (or stop requiring) two-factor sign-in for officials and admins.

    Turning it on signs out the officials and admins who have not set it up, so each of
    them is asked to at the next sign-in; returns how many were signed out.
    """
    if required and not admin.has_two_factor:
        raise InvalidInput(
            _("Turn on two-factor sign-in for your own account first, so that you are not locked out."),
            field="required",
        )
    set_setting(admin, "require_two_factor_for_staff", bool(required))
    if not required:
        return 0
    without = db.session.scalars(
        sa.select(User).where(
            User.role.in_([UserRole.OFFICIAL, UserRole.ADMIN]),
            User.status == UserStatus.ACTIVE,
            User.totp_enabled_at.is_(None),
        )
    ).all()
    for user in without:
        user.rotate_session_token()
    db.session.flush()
    return len(without)
