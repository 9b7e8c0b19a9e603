"""Users, organisations, memberships and the 16 areas of public benefit."""

import enum
import secrets
from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from consult.core.db import CreatedAtMixin, enum_type
from consult.core.text import fold_for_search
from consult.core.time import UTCDateTime
from consult.extensions import Model, db


class UserRole(enum.Enum):
    ADMIN = "admin"
    OFFICIAL = "official"
    MEMBER = "member"


class UserStatus(enum.Enum):
    ACTIVE = "active"
    DELETED = "deleted"  # personal data erased; comments stay under the organisation's name


class OrganisationStatus(enum.Enum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class MembershipStatus(enum.Enum):
    INVITED = "invited"  # an e-mail was invited; becomes active when the link is used
    REQUESTED = "requested"  # a user asked to join; a representative accepts
    ACTIVE = "active"
    REMOVED = "removed"


def _new_session_token() -> str:
    return secrets.token_urlsafe(24)


organisation_areas = sa.Table(
    "organisation_areas",
    db.metadata,
    sa.Column("organisation_id", sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("area_id", sa.ForeignKey("areas.id", ondelete="CASCADE"), primary_key=True),
)


class Area(Model):
    """One of the areas of public benefit (reference data)."""

    __tablename__ = "areas"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    name_pl: Mapped[str] = mapped_column(sa.String(300))
    name_en: Mapped[str] = mapped_column(sa.String(300))

    def name(self, locale: str) -> str:
        return self.name_en if locale == "en" else self.name_pl


class User(UserMixin, CreatedAtMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored in its canonical spelling (consult.accounts.addresses), so the unique index
    # holds one account per mailbox on every database.
    email: Mapped[str | None] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(120), default="")
    role: Mapped[UserRole] = mapped_column(enum_type(UserRole), default=UserRole.MEMBER)
    status: Mapped[UserStatus] = mapped_column(enum_type(UserStatus), default=UserStatus.ACTIVE)
    department: Mapped[str | None] = mapped_column(sa.String(200))
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the login cookie: changing it (sign-out everywhere, new password) ends
    # every session that still carries the old one.
    session_token: Mapped[str] = mapped_column(sa.String(64), default=_new_session_token, unique=True)
    # Two-factor sign-in (officials and admins): a TOTP secret, pending until a first
    # code confirms it; the last time step accepted, so a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", foreign_keys="Membership.user_id")

    def get_id(self) -> str:
        return self.session_token

    def rotate_session_token(self) -> None:
        self.session_token = _new_session_token()

    @property
    def is_active(self) -> bool:
        return self.status == UserStatus.ACTIVE

    @property
    def is_official(self) -> bool:
        return self.role in (UserRole.OFFICIAL, UserRole.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == UserRole.ADMIN

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class RecoveryCode(CreatedAtMixin, Model):
    """A one-time code that stands in for the authenticator app (kept as a SHA-256 digest)."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Organisation(CreatedAtMixin, Model):
    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(300))
    # The name folded (consult.core.text.fold_for_search), kept with every change of the name:
    # search and the same-name check compare this, alike on SQLite and PostgreSQL.
    search_name: Mapped[str] = mapped_column(sa.String(600), default="", server_default="")
    legal_form: Mapped[str] = mapped_column(sa.String(120), default="")
    krs: Mapped[str | None] = mapped_column(sa.String(10), unique=True)
    nip: Mapped[str | None] = mapped_column(sa.String(10))
    regon: Mapped[str | None] = mapped_column(sa.String(14))
    address: Mapped[str] = mapped_column(sa.Text, default="")
    contact_email: Mapped[str | None] = mapped_column(sa.String(254))
    website: Mapped[str | None] = mapped_column(sa.String(300))
    status: Mapped[OrganisationStatus] = mapped_column(
        enum_type(OrganisationStatus), default=OrganisationStatus.PENDING
    )
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verified_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    areas: Mapped[list[Area]] = relationship(secondary=organisation_areas, order_by=Area.number)
    memberships: Mapped[list["Membership"]] = relationship(back_populates="organisation")

    @validates("name")
    def _fold_name(self, _key: str, name: str) -> str:
        self.search_name = fold_for_search(name)
        return name

    @property
    def is_verified(self) -> bool:
        return self.status == OrganisationStatus.VERIFIED

    @property
    def is_pending(self) -> bool:
        """Waiting for an official to verify it."""
        return self.status == OrganisationStatus.PENDING

    @property
    def is_rejected(self) -> bool:
        return self.status == OrganisationStatus.REJECTED


class Membership(CreatedAtMixin, Model):
    """A user acting for an organisation (or an invitation or request to)."""

    __tablename__ = "memberships"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisations.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    invited_email: Mapped[str | None] = mapped_column(sa.String(254))
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[MembershipStatus] = mapped_column(enum_type(MembershipStatus))

    organisation: Mapped[Organisation] = relationship(back_populates="memberships")
    user: Mapped[User | None] = relationship(back_populates="memberships", foreign_keys=[user_id])
