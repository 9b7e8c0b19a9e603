"""Two-factor sign-in: TOTP (RFC 6238, what authenticator apps do) and recovery codes.

Pure functions over values; consult.accounts.operations stores what they produce.

* A code is accepted for the current 30-second step and one step either side (a phone
  clock a little off), and only for a step later than the last one accepted, so a code
  seen over someone's shoulder cannot be used again.
* Recovery codes are 12 characters from an alphabet without look-alikes (60 bits each),
  shown once and kept as SHA-256 digests; each works once.
"""

import hashlib
import hmac
import secrets
from datetime import datetime
from io import BytesIO

import pyotp
import segno

RECOVERY_CODE_COUNT = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
_RECOVERY_LENGTH = 12


def new_secret() -> str:
    return pyotp.random_base32(32)


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// address an authenticator app reads (from the QR code or pasted)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=issuer)


def qr_svg(uri: str) -> str:
    """The address as an SVG QR code (markup without scripts or styles, safe under the CSP)."""
    buffer = BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, scale=4, border=2)
    return buffer.getvalue().decode()


def clean_code(code: str | None) -> str:
    """What the person typed, without spaces and dashes, upper-cased (recovery codes)."""
    return "".join(ch for ch in (code or "") if ch.isalnum()).upper()


def matching_step(secret: str, code: str, moment: datetime, last_step: int | None) -> int | None:
    """The time step the six-digit ``code`` belongs to, if it is valid now and not used before."""
    code = clean_code(code)
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(moment)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step if last_step is None or step > last_step else None
    return None


def was_used_before(secret: str, code: str, moment: datetime, last_step: int | None) -> bool:
    """Whether ``code`` is right but already used (to tell the person to wait for the next one)."""
    if last_step is None:
        return False
    code = clean_code(code)
    totp = pyotp.TOTP(secret)
    current = totp.timecode(moment)
    return any(
        step <= last_step and hmac.compare_digest(totp.generate_otp(step), code)
        for step in (current - 1, current, current + 1)
    )


def new_recovery_codes() -> list[str]:
    """Codes to show once, as ``ABCD-EFGH-JKLM``."""
    codes = []
    for _ in range(RECOVERY_CODE_COUNT):
        raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
        codes.append("-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4)))
    return codes


def recovery_code_hash(code: str) -> str:
    return hashlib.sha256(clean_code(code).encode()).hexdigest()


def looks_like_recovery_code(code: str) -> bool:
    return len(clean_code(code)) == _RECOVERY_LENGTH
