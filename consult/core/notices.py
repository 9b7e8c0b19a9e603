"""What the platform says about itself from its configuration: the accessibility statement's
dates and contact point, and the data-protection (RODO) notice shown at registration."""

from dataclasses import dataclass
from datetime import date

from flask import current_app


@dataclass(frozen=True)
class AccessibilityFacts:
    prepared_on: date
    reviewed_on: date
    contact_name: str  # "" -> the page names the platform's administrator
    contact_email: str
    contact_phone: str


@dataclass(frozen=True)
class PrivacyFacts:
    controller: str  # "" -> the page names the organiser of the consultations
    contact: str
    retention: str  # "" -> the page's own wording


def accessibility_facts() -> AccessibilityFacts:
    config = current_app.config
    return AccessibilityFacts(
        prepared_on=config["ACCESSIBILITY_PREPARED_ON"],
        reviewed_on=config["ACCESSIBILITY_REVIEWED_ON"],
        contact_name=config.get("ACCESSIBILITY_CONTACT_NAME") or "",
        contact_email=config.get("ACCESSIBILITY_CONTACT_EMAIL") or config.get("MAIL_DEFAULT_SENDER") or "",
        contact_phone=config.get("ACCESSIBILITY_CONTACT_PHONE") or "",
    )


def privacy_facts() -> PrivacyFacts:
    config = current_app.config
    return PrivacyFacts(
        controller=config.get("PRIVACY_CONTROLLER") or "",
        contact=config.get("PRIVACY_CONTACT") or config.get("MAIL_DEFAULT_SENDER") or "",
        retention=config.get("PRIVACY_RETENTION") or "",
    )
