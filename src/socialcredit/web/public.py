"""Public pages (no sign-in): the start page, the lookup of an organisation by Unified Social
Credit Code or name, public lists with masked members, the published policies with each item's
legal basis, and statistics. Each uses the registry call of the API's public router, so the
same disclosure rules apply and the same lookups are audited."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import Query, Request, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from socialcredit.api.deps import registry_of
from socialcredit.errors import IdentifierError, NotFoundError
from socialcredit.identity import SubjectKind, parse_lookup
from socialcredit.policy import PolicySet
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.models import ListDef
from socialcredit.registry import Actor, Registry
from socialcredit.registry.reads.disclosure import (
    PublicView,
    find_organisations,
    list_members,
    organisation_view,
    public_code,
)
from socialcredit.web.basepages import Names
from socialcredit.web.charts import Chart, bars, line
from socialcredit.web.i18n import Formats
from socialcredit.web.pages import formats, portal_router, render
from socialcredit.web.statistics import PublicStatistics, public_statistics

router = portal_router()
PAGE = 25
PUBLIC = Actor("anonymous", "public", "public disclosure (portal)")
Offset = Annotated[int, Query(ge=0, le=1_000_000_000)]


def active(reg: Registry) -> PolicySet:
    with reg.session() as session:
        return reg.policies(session).policy_set


@router.get("/")
async def home(request: Request) -> Response:
    return render(request, "home.html", {})


def _code(text: str) -> str | None:
    """The credit code ``text`` names, if it is one (a person's number is not looked up; 18
    digits are read as a credit code when its check character passes: ``public_code``)."""
    try:
        return public_code(text).value
    except (IdentifierError, NotFoundError):
        return None


def _is_person(text: str) -> bool:
    try:
        return parse_lookup(text, among=SubjectKind.PERSON).kind is SubjectKind.PERSON
    except IdentifierError:
        return False


@router.get("/lookup")
async def lookup(request: Request, q: str = "", offset: Offset = 0) -> Response:
    """A code opens the organisation's page; text of two characters or more searches names."""
    text = q.strip()[:100]
    context: dict[str, Any] = {"q": text, "results": None, "total": 0, "offset": offset}
    if text:
        code = _code(text)
        if code is not None:
            return RedirectResponse(f"/organisations/{code}", status_code=303)
        if _is_person(text):
            context["person"] = True
            return render(request, "lookup.html", context | {"page": PAGE})
        if len(text) >= 2:
            reg = registry_of(request)
            found = await run_in_threadpool(find_organisations, reg, text, PAGE, offset)
            context |= {"results": found.rows, "total": found.total}
        else:
            context["too_short"] = True
    context["page"] = PAGE
    return render(request, "lookup.html", context)


@router.get("/organisations/{code}")
async def organisation(request: Request, code: str) -> Response:
    """An organisation's public records within their disclosure periods and its public list
    memberships (the lookup is audited, as the API's)."""
    view, lists = await run_in_threadpool(_organisation, registry_of(request), code)
    return render(request, "organisation.html", {"view": view, "lists": lists})


def _organisation(reg: Registry, code: str) -> tuple[PublicView, Mapping[str, ListDef]]:
    """The public view and, when it names lists, the lists' definitions (one worker hop)."""
    view = organisation_view(reg, code, PUBLIC)
    return view, (active(reg).lists if view.lists else {})


@router.get("/lists")
async def lists(request: Request) -> Response:
    policies = await run_in_threadpool(active, registry_of(request))
    shown = [lst for lst in policies.lists.values() if lst.public]
    return render(request, "lists.html", {"lists": shown, "policies": policies})


@router.get("/lists/{list_id}")
async def members(request: Request, list_id: str, offset: Offset = 0) -> Response:
    """Today's members of a public list (persons masked), a page at a time (audited)."""
    reg = registry_of(request)
    found = await run_in_threadpool(list_members, reg, list_id, PAGE, offset, PUBLIC)
    policies = await run_in_threadpool(active, reg)
    context = {
        "lst": policies.lists[list_id],
        "members": found.rows,
        "total": found.total,
        "offset": offset,
        "page": PAGE,
    }
    return render(request, "members.html", context)


@router.get("/policies")
async def policies(request: Request) -> Response:
    found = await run_in_threadpool(active, registry_of(request))
    return render(request, "policies.html", {"policies": found.policies})


def _of_policy(policies: PolicySet, policy_id: str) -> dict[str, Any]:
    items = [i for c, i in policies.items.items() if policies.item_policy[c] == policy_id]
    codes = {i.code for i in items}
    lists_ = [
        lst for lst in policies.lists.values() if any(e.item in codes for e in lst.entry.items)
    ]
    list_ids = {lst.id for lst in lists_}
    models = [m for m in policies.models.values() if any(m.id in i.points for i in items)]
    model_ids = {m.id for m in models}
    memoranda = [
        m
        for m in policies.memoranda.values()
        if m.list_id in list_ids or (m.score is not None and m.score.model in model_ids)
    ]
    return {"items": items, "lists": lists_, "models": models, "memoranda": memoranda}


@router.get("/policies/{policy_id}")
async def policy(request: Request, policy_id: str) -> Response:
    """One policy as published: its items (each with its legal basis), score models, lists and
    memoranda (each measure with its legal basis, agency and nexus)."""
    found = await run_in_threadpool(active, registry_of(request))
    info = next((p for p in found.policies if p.id == policy_id), None)
    if info is None:
        raise NotFoundError(f"no policy {policy_id!r} is in force", {"policy": policy_id})
    context = {"info": info, "services": found.services} | _of_policy(found, policy_id)
    context["base_names"] = Names(base_catalogue(), formats(request))
    return render(request, "policy.html", context)


def _short(label: str, size: int = 24) -> str:
    """A chart's label cut to ``size`` characters (the table beside it has the whole)."""
    return label if len(label) <= size else label[: size - 1] + "…"


def _charts(f: Formats, stats: PublicStatistics) -> dict[str, Markup]:
    sizes = Chart(
        "sizes",
        f.gettext("Members of each public list today"),
        "; ".join(f"{s.title}: {f.number(s.members)}" for s in stats.lists),
        [(_short(s.title), s.members) for s in stats.lists],
    )
    months = [(f.date(m.month, "MMM y"), float(m.size)) for m in stats.months]
    sizes_over_time = Chart(
        "trend",
        f.gettext("Members of public lists, end of each month"),
        "; ".join(f"{label}: {f.number(value)}" for label, value in months),
        months,
    )
    top = max((m.size for m in stats.months), default=0)
    areas = Chart(
        "areas",
        f.gettext("Records by area"),
        "; ".join(f"{f.word(a)}: {f.number(n)}" for a, n in stats.areas),
        [(f.word(a), n) for a, n in stats.areas],
    )
    return {
        "sizes": bars(sizes, [f.number(s.members) for s in stats.lists]),
        "trend": line(sizes_over_time, 0, max(top, 1)),
        "areas": bars(areas, [f.number(n) for _, n in stats.areas]),
    }


@router.get("/statistics")
async def statistics(request: Request) -> Response:
    """List sizes, entries and exits by month, records by area: charts and tables."""
    stats = await run_in_threadpool(public_statistics, registry_of(request))
    charts = _charts(formats(request), stats)
    return render(request, "statistics.html", {"stats": stats, "charts": charts})
