"""Polish register numbers: NIP, REGON (9 or 14 digits) and KRS, with checksums."""

_NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
_REGON9_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)
_REGON14_WEIGHTS = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)


def digits_only(value: str) -> str:
    """ "123-456-32-18" -> "1234563218": people type NIP with dashes and spaces."""
    return "".join(ch for ch in (value or "") if not ch.isspace() and ch != "-")


def _checksum(digits: str, weights: tuple[int, ...]) -> int:
    # The last digit is the check digit itself: the weights cover the ones before it.
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11


def _ascii_digits(value: str) -> bool:
    # str.isdigit() also accepts "²" and Arabic-Indic digits; a register number has none.
    return value.isascii() and value.isdigit()


def is_valid_nip(value: str) -> bool:
    nip = digits_only(value)
    if len(nip) != 10 or not _ascii_digits(nip) or not nip.strip("0"):
        # All zeros passes the checksum (0 == 0) but no taxpayer has it.
        return False
    check = _checksum(nip, _NIP_WEIGHTS)
    return check != 10 and check == int(nip[9])


def is_valid_regon(value: str) -> bool:
    regon = digits_only(value)
    if not _ascii_digits(regon) or len(regon) not in (9, 14) or not regon[:9].strip("0"):
        # All zeros passes the checksum; so would a local unit (14 digits) of a unit of zeros.
        return False
    if len(regon) == 14 and not is_valid_regon(regon[:9]):
        return False  # a local unit's number starts with its parent's valid 9-digit REGON
    weights = _REGON9_WEIGHTS if len(regon) == 9 else _REGON14_WEIGHTS
    return _checksum(regon, weights) % 10 == int(regon[-1])


def is_valid_krs(value: str) -> bool:
    """KRS numbers carry no checksum: ten digits, leading zeros included."""
    krs = digits_only(value)
    return len(krs) == 10 and _ascii_digits(krs) and bool(krs.strip("0"))  # numbering starts at 1
