"""Register numbers: checksums, and the numbers that pass a checksum but belong to nobody."""

import pytest

from consult.accounts.validators import _REGON14_WEIGHTS, _checksum, is_valid_krs, is_valid_nip, is_valid_regon


def _regon14(first13: str) -> str:
    return first13 + str(_checksum(first13, _REGON14_WEIGHTS) % 10)


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("6762468130", True),
        ("676-246-81-30", True),
        ("676 246 81 30", True),
        ("0000000000", False),  # the checksum of zeros is zero: it passes, but no taxpayer has it
        ("000-000-00-00", False),
        ("6762468131", False),
        ("676246813", False),
        ("67624681300", False),
        ("", False),
        ("676246813\x00", False),
        ("６７６２４６８１３０", False),  # full-width digits
        ("٦٧٦٢٤٦٨١٣٠", False),  # Arabic-Indic digits: str.isdigit() says yes
    ],
)
def test_nip(value, valid):
    assert is_valid_nip(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("123456785", True),
        ("000000000", False),  # passes the checksum, belongs to nobody
        ("00000000000000", False),
        (_regon14("0000000000001"), False),  # a local unit of a unit of zeros
        (_regon14("1234567850001"), True),  # a local unit of 123456785
        (_regon14("1234567890001"), False),  # its parent's number fails its own checksum
        ("123456789", False),
        ("12345678", False),
        ("1234567850", False),
        ("１２３４５６７８５", False),
    ],
)
def test_regon(value, valid):
    assert is_valid_regon(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("0000123456", True),
        ("0000000000", False),
        ("000012345", False),
        ("000012345x", False),
        ("０００００１２３４５", False),
    ],
)
def test_krs(value, valid):
    assert is_valid_krs(value) is valid
