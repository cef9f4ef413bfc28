"""Public pages of the base catalogue and the base list of measures (principle 10): what every
policy item and measure must rest on, each entry and measure with the instruments it cites.

The base is data shipped with the package (:func:`~socialcredit.policy.base.base_catalogue`), the
same the API publishes at ``/v1/public/base-catalogue`` and ``/v1/public/base-measures``. Its
titles and vocabularies carry English and Chinese names; a page shows those of its language.
The instruments are cited by name and article as the data writes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from fastapi import Request, Response

from socialcredit.errors import NotFoundError
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.base_models import BaseCatalogue
from socialcredit.web.i18n import Formats
from socialcredit.web.pages import formats, portal_router, render

router = portal_router()


class Named(Protocol):
    """Anything with an English and a Chinese name (a term, a service, a title)."""

    @property
    def en(self) -> str: ...

    @property
    def zh(self) -> str: ...


@dataclass(frozen=True)
class Names:
    """The names of the base's ids in one language, for the templates."""

    base: BaseCatalogue
    f: Formats

    @property
    def language(self) -> str:
        return self.f.language

    def of(self, named: Named | None, fallback: str = "") -> str:
        if named is None:
            return fallback
        return named.zh if self.language == "zh" else named.en

    def term(self, table: str, key: str) -> str:
        """The name of ``key`` in the base's vocabulary ``table`` (the id when it has none)."""
        found: dict[str, Any] = getattr(self.base, table)
        return self.of(found.get(key), key)

    def terms(self, table: str, keys: list[str]) -> str:
        """The names of ``keys`` in ``table``, joined as the language lists things."""
        return self.join([self.term(table, key) for key in keys])

    def join(self, parts: list[str]) -> str:
        return ("、" if self.language == "zh" else "; ").join(parts)

    def words(self, keys: list[str]) -> str:
        """Registry words (subject kinds, list colours), translated and joined."""
        return self.join([self.f.word(key) for key in keys])

    def targets(self, keys: list[str], subject: str) -> str:
        """A measure's targets: ``subject`` for the subject itself, else the roles' names."""
        return self.join([subject if key == "subject" else self.term("roles", key) for key in keys])

    def entry(self, code: str) -> str:
        """The title of base entry ``code`` (the code when there is none)."""
        found = self.base.entries.get(code)
        return self.of(found.title) if found is not None else code

    def measure(self, code: str) -> str:
        """The title of base measure ``code`` (the code when there is none)."""
        found = self.base.measures.get(code)
        return self.of(found.title) if found is not None else code


def _context(request: Request) -> dict[str, Any]:
    base = base_catalogue()
    names = Names(base, formats(request))
    show: Callable[..., str] = names.of
    return {"base": base, "names": names, "show": show}


@router.get("/base-catalogue")
async def catalogue(request: Request) -> Response:
    """The base catalogue: every entry a policy item may rest on, by sector."""
    return render(request, "base_catalogue.html", _context(request))


@router.get("/base-catalogue/{code}")
async def entry(request: Request, code: str) -> Response:
    """One base entry: instruments, sector, authority and subject kinds, the widest terms, the
    list colours it may lead to, and the base measures it may trigger."""
    context = _context(request)
    base: BaseCatalogue = context["base"]
    found = base.entries.get(code)
    if found is None:
        raise NotFoundError(f"no base catalogue entry {code!r}", {"entry": code})
    measures = [m for m in base.measures.values() if code in m.triggers]
    return render(request, "base_entry.html", context | {"e": found, "measures": measures})


@router.get("/base-measures")
async def measures(request: Request) -> Response:
    """The base list of measures: every consequence a policy measure may apply."""
    return render(request, "base_measures.html", _context(request))


@router.get("/base-measures/{code}")
async def measure(request: Request, code: str) -> Response:
    """One base measure: content, effect, services, targets, triggering base entries,
    instruments and the kinds of agency that implement it."""
    context = _context(request)
    found = context["base"].measures.get(code)
    if found is None:
        raise NotFoundError(f"no base measure {code!r}", {"measure": code})
    return render(request, "base_measure.html", context | {"m": found})
