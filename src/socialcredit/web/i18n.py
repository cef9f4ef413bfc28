"""Languages of the portal: message catalogues (gettext ``.po`` files, compiled in memory when
the portal starts, so no compiled ``.mo`` file is kept) and dates and numbers per locale (Babel).

The language is the ``lang`` query parameter (which also sets the ``lang`` cookie), else the
cookie, else the first supported language of ``Accept-Language``, else Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations
from starlette.requests import Request

from socialcredit.policy.durations import Duration
from socialcredit.web.words import word

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
LANGUAGES = ("zh", "en")
DEFAULT = "zh"
# Babel's locale of each language, and the ``lang`` attribute of the page
BABEL_LOCALES = {"zh": "zh_Hans_CN", "en": "en_GB"}
HTML_LANG = {"zh": "zh-Hans", "en": "en"}
NATIVE_NAMES = {"zh": "中文", "en": "English"}


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> NullTranslations:
    """The catalogue of ``language`` compiled from its ``.po`` file (English: the source)."""
    path = po_path(language)
    if not path.exists():
        return NullTranslations()
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=language)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(BABEL_LOCALES[language])


def _from_header(header: str) -> str | None:
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        for language in LANGUAGES:
            if tag == language or tag.startswith(language + "-"):
                return language
    return None


def choose(request: Request) -> str:
    """The language of this request (see the module's docstring)."""
    for candidate in (request.query_params.get("lang"), request.cookies.get("lang")):
        if candidate in LANGUAGES:
            return candidate
    return _from_header(request.headers.get("accept-language", "")) or DEFAULT


@dataclass(frozen=True)
class Formats:
    """Translation and formatting in one language (what templates call)."""

    language: str

    @property
    def locale(self) -> Locale:
        return _locale(self.language)

    @property
    def html_lang(self) -> str:
        return HTML_LANG[self.language]

    def gettext(self, message: str) -> str:
        return translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return translations(self.language).ngettext(singular, plural, n)

    def date(self, value: date | str | None, form: str = "medium") -> str:
        """A date (or ISO date string) in this locale; an empty string for None."""
        if value is None or value == "":
            return ""
        day = date.fromisoformat(value) if isinstance(value, str) else value
        return format_date(day, form, locale=self.locale)

    def datetime(self, value: datetime | str) -> str:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        return format_datetime(moment, "medium", locale=self.locale)

    def number(self, value: float | int | str) -> str:
        return format_decimal(value, locale=self.locale)

    def word(self, key: str | None) -> str:
        """A registry word (area, status, effect...) in this language."""
        return self.gettext(word(key)) if key else ""

    def duration(self, value: Duration | None) -> str:
        if value is None:
            return ""
        if value.unit == "m":
            text = self.ngettext("%(num)d month", "%(num)d months", value.amount)
        else:
            text = self.ngettext("%(num)d day", "%(num)d days", value.amount)
        return text % {"num": value.amount}
