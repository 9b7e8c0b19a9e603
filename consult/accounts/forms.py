"""Input shape of the account and organisation forms."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from consult.accounts.models import UserRole
from consult.accounts.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH
from consult.core.forms import BaseForm, MultiCheckboxField

_PASSWORD_HINT = _l("At least %(num)d characters; a few words you will remember are best.", num=MIN_PASSWORD_LENGTH)


def _email(label=None, **kwargs):
    return EmailField(
        label or _l("E-mail"),
        validators=[DataRequired(), Length(max=254)],
        render_kw={"autocomplete": "email"},
        **kwargs,
    )


def _new_password(label):
    return PasswordField(
        label,
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        description=_PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


def _repeat(field_name):
    return PasswordField(
        _l("Repeat the password"),
        validators=[DataRequired(), EqualTo(field_name, message=_l("The passwords are not the same."))],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(BaseForm):
    email = EmailField(
        _l("E-mail"), validators=[DataRequired(), Length(max=254)], render_kw={"autocomplete": "username"}
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(_l("Remember me on this device"))
    next = HiddenField()


class RegisterForm(BaseForm):
    display_name = StringField(
        _l("Your name"),
        validators=[DataRequired(), Length(max=120)],
        description=_l("Shown to officials and your organisation, never published."),
        render_kw={"autocomplete": "name"},
    )
    email = _email()
    password = _new_password(_l("Password"))
    password_repeat = _repeat("password")


class EmailOnlyForm(BaseForm):
    email = _email()


class ResetPasswordForm(BaseForm):
    password = _new_password(_l("New password"))
    password_repeat = _repeat("password")


class ChangePasswordForm(BaseForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    new_password = _new_password(_l("New password"))
    password_repeat = _repeat("new_password")


class ChangeEmailForm(BaseForm):
    new_email = _email(_l("New e-mail address"))
    password = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )


class DeleteAccountForm(BaseForm):
    password = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    confirm = BooleanField(
        _l("I understand that my account will be deleted and cannot be restored."),
        validators=[DataRequired(message=_l("Tick the box to confirm."))],
    )


class OrganisationForm(BaseForm):
    name = StringField(_l("Name of the organisation"), validators=[DataRequired(), Length(max=300)])
    legal_form = StringField(
        _l("Legal form"),
        validators=[Optional(), Length(max=120)],
        description=_l("e.g. foundation, association, church legal person"),
    )
    krs = StringField(
        _l("KRS number"),
        validators=[Optional(), Length(max=20)],
        description=_l("10 digits. Leave empty if the organisation is not in the National Court Register."),
    )
    nip = StringField(_l("NIP"), validators=[Optional(), Length(max=20)], description=_l("10 digits"))
    regon = StringField(_l("REGON"), validators=[Optional(), Length(max=20)], description=_l("9 or 14 digits"))
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=500)])
    contact_email = EmailField(_l("Public contact e-mail"), validators=[Optional(), Length(max=254)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    areas = MultiCheckboxField(_l("Areas of activity"), coerce=int)


class RejectOrganisationForm(BaseForm):
    reason = TextAreaField(_l("Reason for not verifying (the organisation will see it)"), validators=[Length(max=2000)])


class InviteForm(BaseForm):
    email = _email(_l("E-mail of the person to invite"))


class StaffForm(BaseForm):
    display_name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    email = _email()
    role = SelectField(
        _l("Role"),
        choices=[
            SelectChoice(UserRole.OFFICIAL.value, _l("Official")),
            SelectChoice(UserRole.ADMIN.value, _l("Administrator")),
        ],
    )
    department = StringField(_l("Department"), validators=[Optional(), Length(max=200)])
    password = _new_password(_l("Initial password"))


def _code_field(label=None):
    return StringField(
        label or _l("Code"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("Six digits from your authenticator app, or one of your recovery codes."),
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"},
    )


class SignInCodeForm(BaseForm):
    code = _code_field()


class EnableTwoFactorForm(BaseForm):
    code = StringField(
        _l("Code from the app"),
        validators=[DataRequired(), Length(max=40)],
        description=_l("Six digits; the app shows a new one every 30 seconds."),
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class RecoveryCodesForm(BaseForm):
    code = _code_field()


class DisableTwoFactorForm(BaseForm):
    password = PasswordField(
        _l("Current password"), validators=[DataRequired()], render_kw={"autocomplete": "current-password"}
    )
    code = _code_field()


class TwoFactorPolicyForm(BaseForm):
    required = BooleanField(_l("Officials and administrators must sign in with two-factor sign-in"))
