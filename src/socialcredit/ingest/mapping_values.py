"""The values of an agency's export as the registry reads them: dates in the agency's formats,
amounts as agencies write them, codes looked up in a code table, identifiers in canonical form.

Dates, amounts, codes and identifiers are normalised with Unicode NFKC first, so full-width
digits and letters (２０２４年３月１日, ＡＢＣ) read as their ASCII forms; other text is kept as
written (a case number's full-width brackets are part of it).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

_CURRENCY = re.compile(r"^(?:人民币|RMB|CNY|¥)?(.*?)(万元|元|万)?$")
_SEPARATORS = re.compile(r"[,\s']")
_TEN_THOUSAND = Decimal(10000)
MAX_CODES_SHOWN = 8


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def read_date(text: str, formats: Sequence[str]) -> str:
    """``text`` in one of ``formats`` (or ``YYYY-MM-DD``, as Excel date cells are read) as
    ``YYYY-MM-DD``; raise ``ValueError`` saying which formats were tried."""
    value = nfkc(text)
    for fmt in ("%Y-%m-%d", *formats):
        try:
            return datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    tried = ", ".join(dict.fromkeys(formats))
    example = ", ".join(date(2024, 3, 1).strftime(f) for f in dict.fromkeys(formats))
    raise ValueError(f"{text!r} is not a date in the formats {tried} (e.g. {example})")


def read_amount(text: str) -> str:
    """An amount as agencies write it (``1,234.50``, ``１２３４元``, ``¥1 234``, ``12.5万元``) as
    a plain decimal number of yuan; raise ``ValueError``."""
    value = nfkc(text)
    match = _CURRENCY.match(value)
    number = _SEPARATORS.sub("", match.group(1) if match else value)
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount (digits, separators, 元 or 万元)") from None
    if not amount.is_finite():
        raise ValueError(f"{text!r} is not an amount (digits, separators, 元 or 万元)")
    if match is not None and match.group(2) in ("万元", "万"):
        amount *= _TEN_THOUSAND
    return format(amount.normalize() if amount == amount.to_integral() else amount, "f")


def read_code(text: str, codes: dict[str, str], column: str) -> str:
    """The catalogue item (or role) the agency's ``text`` code stands for; raise
    ``ValueError`` naming the column and some known codes."""
    value = nfkc(text)
    found = codes.get(value, codes.get(text.strip()))
    if found is not None:
        return found
    known = sorted(codes)
    shown = ", ".join(known[:MAX_CODES_SHOWN]) + (", …" if len(known) > MAX_CODES_SHOWN else "")
    raise ValueError(
        f"column {column!r}: code {text.strip()!r} is not in the mapping's code table "
        f"(known: {shown}); add it to the mapping or correct the line"
    )


def read_identifier(text: str) -> str:
    """An identifier without whitespace, in upper case (full-width forms folded)."""
    return "".join(nfkc(text).split()).upper()
