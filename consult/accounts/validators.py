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


def is_valid_nip(value: str) -> bool:
    nip = digits_only(value)
    if len(nip) != 10 or not nip.isdigit():
        return False
    check = _checksum(nip, _NIP_WEIGHTS)
    return check != 10 and check == int(nip[9])


def is_valid_regon(value: str) -> bool:
    regon = digits_only(value)
    if not regon.isdigit() or len(regon) not in (9, 14):
        return False
    weights = _REGON9_WEIGHTS if len(regon) == 9 else _REGON14_WEIGHTS
    return _checksum(regon, weights) % 10 == int(regon[-1])


def is_valid_krs(value: str) -> bool:
    """KRS numbers carry no checksum: ten digits, leading zeros included."""
    krs = digits_only(value)
    return len(krs) == 10 and krs.isdigit()
