"""One spelling per e-mail address, for look-ups, rate-limit keys and the unique index.

``anna@ｅxample.org`` (a full-width e), ``anna@example。org`` (an ideographic full stop),
``ANNA@Example.org`` and ``anna@example.org`` reach the same mailbox, so they must be
the same account and count against the same limits. The canonical form is:

* NFKC on the whole address (full-width and other compatibility characters become
  their plain forms);
* the local part case-folded (``ß`` → ``ss``, ``Σ`` → ``σ``) and NFKC again;
* the domain as IDNA 2008 with the UTS 46 mapping (what ``email_validator`` does:
  upper case mapped, ``。`` becomes ``.``, ``xn--bcher-kva.de`` and ``bücher.de`` are
  one domain), kept in its Unicode form so people recognise it. The domain is not
  case-folded beyond that: IDNA 2008 tells ``faß.de`` from ``fass.de``.

Case-folding the local part is a choice: RFC 5321 lets a server tell ``Anna`` from
``anna``, but no mail service a city deals with does, and treating them as two
accounts invites impersonation.

Pure functions (no database, no request): the data migration that normalised the
addresses already stored uses the same rule.
"""

import unicodedata

from email_validator import EmailNotValidError, validate_email


class InvalidAddress(ValueError):
    """Not a syntactically valid e-mail address."""


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def canonical_email(raw: str | None) -> str:
    """The canonical form of an address, or :class:`InvalidAddress` (no DNS look-up)."""
    text = unicodedata.normalize("NFKC", (raw or "").strip())
    local, at, domain = text.rpartition("@")
    try:
        valid = validate_email(f"{_fold(local)}{at}{domain}", check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidAddress(str(error)) from error
    # email_validator NFC-normalises the local part: fold once more so nothing escapes the rule.
    return f"{_fold(valid.local_part)}@{valid.domain}"


def address_key(raw: str | None) -> str:
    """A key for rate limits: the canonical address, or the folded text when it is not one.

    Never fails, so a malformed address is still counted (under one key per spelling
    family rather than one per exact spelling).
    """
    try:
        return canonical_email(raw)
    except InvalidAddress:
        return _fold((raw or "").strip())[:254]
