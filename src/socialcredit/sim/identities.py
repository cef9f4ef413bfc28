"""Vectorised synthetic identifiers: resident identity numbers and Unified Social Credit Codes.

Both are built from a subject's index through a bijection (``index * A + B mod M``), so that
every identifier of one run is distinct without a lookup, and they look scattered. The check
characters use the same rules as :mod:`socialcredit.identity` (tested against it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from socialcredit.identity.resident import RESIDENT_CHECK_CHARACTERS, RESIDENT_WEIGHTS
from socialcredit.identity.uscc import ALPHABET, USCC_WEIGHTS
from socialcredit.sim.regions import COUNTIES

IntArray = npt.NDArray[np.int64]
_RESIDENT_WEIGHTS = np.array(RESIDENT_WEIGHTS, dtype=np.int64)
_RESIDENT_CHECKS = np.frombuffer(RESIDENT_CHECK_CHARACTERS.encode(), dtype=np.uint8)
_USCC_WEIGHTS = np.array(USCC_WEIGHTS, dtype=np.int64)
_USCC_ALPHABET = np.frombuffer(ALPHABET.encode(), dtype=np.uint8)
_ORG_CODE_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)
_ZERO = ord("0")
_EPOCH = np.datetime64("1970-01-01", "D")
_MAX_MULTIPLIER = 2**31 - 1
_COUNTY_DIGITS = np.array([[int(c) for c in county.code] for county in COUNTIES], dtype=np.int64)
ORG_TYPES = ("91", "92", "93", "51", "52", "12")
"""Registration authority and entity type: enterprise, individual business, co-operative,
social organisation, private non-enterprise unit, public institution."""


@dataclass(frozen=True)
class Bijection:
    """``index -> (index * multiplier + offset) mod modulus``, a permutation of ``0..modulus-1``."""

    multiplier: int
    offset: int
    modulus: int

    @classmethod
    def seeded(cls, modulus: int, seed: int, salt: int) -> Bijection:
        rng = np.random.default_rng([seed, salt])
        high = min(modulus // 2, _MAX_MULTIPLIER)
        multiplier = int(rng.integers(high // 2, high)) | 1
        while math.gcd(multiplier, modulus) != 1:
            multiplier += 2
        return cls(multiplier, int(rng.integers(0, modulus)), modulus)

    def __call__(self, index: IntArray) -> IntArray:
        # index < 2**31 and multiplier < 2**31: the product fits in 64 bits.
        return np.asarray((index * self.multiplier + self.offset) % self.modulus, dtype=np.int64)


def _digits(values: IntArray, width: int) -> IntArray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers[None, :]) % 10


def _strings(codes: npt.NDArray[np.uint8]) -> list[str]:
    width = codes.shape[1]
    flat = np.ascontiguousarray(codes).view(f"S{width}").ravel()
    return [value.decode() for value in flat.tolist()]


@dataclass(frozen=True)
class BirthRange:
    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def resident_ids(
    indices: IntArray, births: BirthRange, seed: int
) -> tuple[list[str], IntArray, IntArray]:
    """Resident identity numbers for ``indices``; also each one's county index and birth day.

    The combination (county, birth date, sequence number) is a bijection of the index; the last
    digit of the sequence number is the sex digit (odd: male, even: female).
    """
    if len(indices) == 0:
        return [], np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    modulus = len(COUNTIES) * births.days * 1000
    combo = Bijection.seeded(modulus, seed, 11643)(indices)
    county, rest = np.divmod(combo, births.days * 1000)
    day, sequence = np.divmod(rest, 1000)
    birth = np.datetime64(births.first.isoformat(), "D") + day.astype("timedelta64[D]")
    ymd = birth.astype("datetime64[D]").astype(str)
    birth_digits = np.char.replace(ymd, "-", "").astype(np.int64)
    digits = np.concatenate(
        [_COUNTY_DIGITS[county], _digits(birth_digits, 8), _digits(sequence, 3)], axis=1
    )
    check = _RESIDENT_CHECKS[(digits * _RESIDENT_WEIGHTS).sum(axis=1) % 11]
    codes = np.concatenate([(digits + _ZERO).astype(np.uint8), check[:, None]], axis=1)
    return _strings(codes), county, (birth - _EPOCH).astype(np.int64)


def _org_code_check(values: IntArray) -> IntArray:
    """GB 11714 check character value (0-10, 10 is ``X``) of 8-character organisation codes."""
    remainder = (values * _ORG_CODE_WEIGHTS).sum(axis=1) % 11
    return np.asarray((11 - remainder) % 11, dtype=np.int64)


def credit_codes(indices: IntArray, org_types: IntArray, county: IntArray, seed: int) -> list[str]:
    """Unified Social Credit Codes for ``indices``: entity types ``ORG_TYPES[org_types]``,
    registered in ``COUNTIES[county]``; the organisation code is a bijection of the index."""
    body = Bijection.seeded(31**8, seed, 32100)(indices)
    powers = 31 ** np.arange(7, -1, -1, dtype=np.int64)
    body_values = (body[:, None] // powers[None, :]) % 31
    body_chars = _USCC_ALPHABET[body_values]
    # GB 11714 values: digits 0-9, letters A=10 ... Z=35.
    gb11714 = np.where(body_chars <= ord("9"), body_chars - _ZERO, body_chars - ord("A") + 10)
    org_check = _org_code_check(gb11714.astype(np.int64))
    org_check_char = np.where(org_check == 10, ord("X"), org_check + _ZERO).astype(np.uint8)
    type_chars = np.array([[ord(c) for c in t] for t in ORG_TYPES], dtype=np.uint8)[org_types]
    first17 = np.concatenate(
        [
            type_chars,
            (_COUNTY_DIGITS[county] + _ZERO).astype(np.uint8),
            body_chars.astype(np.uint8),
            org_check_char[:, None],
        ],
        axis=1,
    )
    values = np.asarray(np.searchsorted(_USCC_ALPHABET, first17), dtype=np.int64)  # ASCII order
    check_value = (31 - (values * _USCC_WEIGHTS).sum(axis=1) % 31) % 31
    codes = np.concatenate([first17, _USCC_ALPHABET[check_value][:, None]], axis=1)
    return _strings(codes)
