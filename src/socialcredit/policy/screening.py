"""Text screening, the second net behind the base catalogue (design.md principle 2).

Text is normalised before matching: Unicode NFKC, format characters (zero-width spaces...)
removed, look-alike Cyrillic and Greek letters mapped to Latin, traditional Chinese converted to
simplified (OpenCC ``t2s``), letters spaced out (``p e t i t i o n``) joined and digits written
for letters (``p3tition``) read as letters. The terms, their principle and where they apply live
in ``data/screening_terms.yaml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

import opencc
import yaml

Scope = Literal["everywhere", "personal", "authority", "exit", "item", "minors", "scarce"]

LOOKALIKES = str.maketrans(
    {
        # Cyrillic
        "а": "a", "в": "b", "е": "e", "ё": "e", "к": "k", "м": "m", "н": "h", "о": "o",
        "р": "p", "с": "c", "т": "t", "у": "y", "х": "x", "і": "i", "ї": "i", "ј": "j",
        "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "ո": "n", "ս": "u",
        # Greek
        "α": "a", "β": "b", "ε": "e", "η": "n", "ι": "i", "κ": "k", "μ": "u", "ν": "v",
        "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "γ": "y", "ω": "w",
        # Latin variants NFKC keeps
        "ı": "i", "ȷ": "j", "ɡ": "g", "ɑ": "a", "ʀ": "r", "ʏ": "y", "ᴀ": "a", "ᴇ": "e",
        "ᴏ": "o", "ꜱ": "s", "ᴛ": "t", "ᴜ": "u", "ß": "ss", "’": "'", "‘": "'",
    }
)  # fmt: skip
DIGITS_AS_LETTERS = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_MIXED_TOKEN = re.compile(r"[\w@$!]*[a-z][\w@$!]*")
_SPACED = re.compile(r"(?<!\w)(?:\w[\s.\-_·*/|]){2,}\w(?!\w)")
_NOT_WORD = re.compile(r"[\W_]+")


@cache
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """NFKC, no format characters or accents, look-alikes as Latin, simplified Chinese, lower
    case."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(c for c in text if unicodedata.category(c) not in ("Cf", "Mn"))
    text = unicodedata.normalize("NFC", text)
    text = text.lower().translate(LOOKALIKES)
    converted: str = _converter().convert(text)
    return _SPACED.sub(lambda m: _NOT_WORD.sub("", m.group(0)), converted)


def variants(text: str) -> tuple[str, str]:
    """The normalised text, and the same with digits read as letters inside words."""
    plain = normalise(text)

    def _letters(match: re.Match[str]) -> str:
        token = match.group(0)
        return token.translate(DIGITS_AS_LETTERS) if re.search(r"[0-9@$!]", token) else token

    return plain, _MIXED_TOKEN.sub(_letters, plain)


@dataclass(frozen=True)
class Term:
    matter: str
    principle: str
    scope: Scope
    term: str
    pattern: re.Pattern[str]
    chinese: bool
    literal: str  # a substring every match contains: a cheap test before the pattern


@dataclass(frozen=True)
class Hit:
    """A term found in a text: which, and the text as normalised."""

    term: Term
    seen: str


def _english(term: str) -> re.Pattern[str]:
    stem = normalise(term.rstrip("*"))
    body = re.escape(stem).replace(r"\ ", r"[\s\-]+").replace("'", "'?")
    tail = r"\w*" if term.endswith("*") else ""
    return re.compile(rf"(?<!\w){body}{tail}(?!\w)")


@cache
def _data() -> dict[str, object]:
    resource = resources.files("socialcredit.policy").joinpath("data/screening_terms.yaml")
    loaded: dict[str, object] = yaml.safe_load(resource.read_text(encoding="utf-8"))
    return loaded


@cache
def _innocent() -> tuple[re.Pattern[str], ...]:
    langs = _data()["innocent"]
    assert isinstance(langs, dict)
    english = [_english(t) for t in langs.get("en", [])]
    return (*english, *(re.compile(re.escape(normalise(t))) for t in langs.get("zh", [])))


@cache
def terms() -> tuple[Term, ...]:
    """Every screening term, loaded once."""
    found: list[Term] = []
    groups = _data()["groups"]
    assert isinstance(groups, list)
    for group in groups:
        head = (group["matter"], group["principle"], group["scope"])
        for t in group.get("en", []):
            literal = normalise(t.rstrip("*")).split(" ")[0].split("'")[0]
            found.append(Term(*head, t, _english(t), False, literal))
        for t in group.get("zh", []):
            literal = normalise(t)
            found.append(Term(*head, t, re.compile(re.escape(literal)), True, literal))
    return tuple(found)


def screen(text: str, scopes: Iterable[Scope]) -> list[Hit]:
    """The terms of the given scopes that ``text`` contains (one hit per matter and scope)."""
    return list(_screen(text, tuple(sorted(set(scopes)))))


@cache
def _by_scope() -> dict[str, tuple[Term, ...]]:
    grouped: dict[str, list[Term]] = {}
    for term in terms():
        grouped.setdefault(term.scope, []).append(term)
    return {scope: tuple(found) for scope, found in grouped.items()}


@lru_cache(maxsize=65536)
def _screen(text: str, scopes: tuple[Scope, ...]) -> tuple[Hit, ...]:
    plain, lettered = variants(text)
    for phrase in _innocent():
        plain, lettered = phrase.sub(" ", plain), phrase.sub(" ", lettered)
    squashed = _NOT_WORD.sub("", plain)
    same = lettered == plain
    hits: dict[tuple[str, str], Hit] = {}
    for scope in scopes:
        for term in _by_scope().get(scope, ()):
            literal = term.literal
            if term.chinese:
                found = literal in squashed
            else:
                found = (literal in plain and term.pattern.search(plain) is not None) or (
                    not same and literal in lettered and term.pattern.search(lettered) is not None
                )
            if found:
                hits.setdefault((term.matter, term.scope), Hit(term, plain.strip()))
    return tuple(hits.values())
