"""The public (no key needed): the base catalogue and base measures, the published policies
(catalogue, score models, lists, memoranda, with their legal bases), organisations' public-tier
records within their disclosure period, and the members of lists that are public by their
legal basis (persons masked)."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

import yaml
from fastapi import APIRouter, Depends, Query

from socialcredit.api.deps import Caller, Page, Paging, Reg, caller, page_body
from socialcredit.api.problems import PROBLEMS
from socialcredit.api.views import (
    MemberOut,
    OrganisationNameOut,
    OrganisationOut,
    PageOut,
    PublicListOut,
    PublicRecordOut,
)
from socialcredit.engine.hygiene import SINGLE_LINE_PATTERN
from socialcredit.errors import NotFoundError
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.publication import catalogue_json, measures_json
from socialcredit.registry.policystore import active_versions
from socialcredit.registry.reads.disclosure import (
    find_organisations,
    list_members,
    organisation_view,
)

router = APIRouter(prefix="/v1/public", tags=["public"], responses=PROBLEMS)
Anyone = Annotated[Caller, Depends(caller("public", purpose="public disclosure"))]
Dict = dict[str, Any]


@lru_cache(maxsize=32)
def _parsed(text: str) -> Dict:
    content: Dict = yaml.safe_load(text)
    return content


def _policies(reg: Reg) -> list[Dict]:
    with reg.session() as session:
        versions = active_versions(session)
    return [
        {"id": v.policy_id, "version": v.version, "sha256": v.sha256, "loaded_at": v.loaded_at}
        | {"content": _parsed(v.text)}
        for v in versions
    ]


@router.get("/policies")
def policies(reg: Reg, who: Anyone, page: Page) -> PageOut[Dict]:
    """The policies in force: id, version, SHA-256 and header (title, authority, deadlines)."""
    headers = [
        {k: p[k] for k in ("id", "version", "sha256", "loaded_at")} | p["content"]["policy"]
        for p in _policies(reg)
    ]
    return _paged(headers, page)


@router.get("/policies/{policy_id}")
def policy(policy_id: str, reg: Reg, who: Anyone) -> Dict:
    """One policy in full, as published: services, items, score models, lists, memoranda."""
    for found in _policies(reg):
        if found["id"] == policy_id:
            return found
    raise NotFoundError(f"no policy {policy_id!r} is in force", {"policy": policy_id})


def _section(reg: Reg, section: str) -> list[Dict]:
    found = []
    for p in _policies(reg):
        found += [e | {"policy": p["id"]} for e in p["content"].get(section) or []]
    return found


def _paged(entries: list[Dict], page: Paging) -> PageOut[Dict]:
    chosen = entries[page.offset : page.offset + page.limit]
    return PageOut[Dict](**page_body(chosen, len(entries), page))


@router.get("/catalogue")
def catalogue(reg: Reg, who: Anyone, page: Page) -> PageOut[Dict]:
    """Every catalogue item: legal basis, authority, area, category, severity, disclosure."""
    return _paged(_section(reg, "items"), page)


@router.get("/lists")
def lists(reg: Reg, who: Anyone, page: Page) -> PageOut[Dict]:
    """Every list: entry rule, duration, exit conditions, repair procedure, publicity."""
    return _paged(_section(reg, "lists"), page)


@router.get("/memoranda")
def memoranda(reg: Reg, who: Anyone, page: Page) -> PageOut[Dict]:
    """Every memorandum and its measures, each with legal basis, agency and nexus."""
    return _paged(_section(reg, "memoranda"), page)


@router.get("/score-models")
def score_models(reg: Reg, who: Anyone, page: Page) -> PageOut[Dict]:
    """Every score model: base, bounds, grade bands, domain."""
    return _paged(_section(reg, "score_models"), page)


@router.get("/services")
def services(reg: Reg, who: Anyone, page: Page) -> PageOut[Dict]:
    """Every service at which consequences are checked."""
    return _paged(_section(reg, "services"), page)


@router.get("/base-catalogue")
def base_catalogue_entries(who: Anyone) -> Dict:
    """The base catalogue every policy item rests on (English and Chinese): each entry's
    instruments, category, sector, authority kinds, subject kinds and widest terms."""
    return catalogue_json(base_catalogue())


@router.get("/base-measures")
def base_measures(who: Anyone) -> Dict:
    """The base list of measures every policy measure rests on (English and Chinese): content,
    effect, services, targets, triggering entries, instruments and implementing agencies."""
    return measures_json(base_catalogue())


@router.get("/lists/{list_id}/members")
def members(list_id: str, reg: Reg, who: Anyone, page: Page) -> PageOut[MemberOut]:
    """Today's members of a public list (persons' identity numbers masked)."""
    found = list_members(reg, list_id, page.limit, page.offset, who.actor)
    items = [MemberOut(**m) for m in found.rows]
    return PageOut[MemberOut](**page_body(items, found.total, page))


NameQuery = Annotated[
    str,
    Query(min_length=2, max_length=100, pattern=SINGLE_LINE_PATTERN, description="Part of a name."),
]


@router.get("/organisations")
def search(name: NameQuery, reg: Reg, who: Anyone, page: Page) -> PageOut[OrganisationNameOut]:
    """Organisations whose registered name contains ``name``."""
    found = find_organisations(reg, name, page.limit, page.offset)
    items = [OrganisationNameOut(subject=o.id, name=o.name) for o in found.rows]
    return PageOut[OrganisationNameOut](**page_body(items, found.total, page))


@router.get("/organisations/{code}")
def organisation(code: str, reg: Reg, who: Anyone) -> OrganisationOut:
    """An organisation's public-tier records within their disclosure period and its public
    list memberships (the lookup is audited)."""
    view = organisation_view(reg, code, who.actor)
    return OrganisationOut(
        subject=view.subject,
        name=view.name,
        as_of=view.as_of,
        records=[PublicRecordOut(**r) for r in view.records],
        lists=[PublicListOut(**m) for m in view.lists],
    )
