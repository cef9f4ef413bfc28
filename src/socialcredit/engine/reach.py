"""Principle 7 in the engine: a listed organisation's measures reaching its linked persons.

A person is reached on a day through a link (:mod:`socialcredit.engine.links`) when

- the person is an adult on the day (principle 13: never anyone under 18);
- the link is known on the day and holds on it (valid, not revoked, not suspended);
- the organisation is a member of a list on the day, evaluated by the engine from its own
  records as known on the day;
- a deny or restrict measure of that list's memoranda, for organisations, names the link's role
  in its ``targets``. Benefits never travel along a link.

Each reach gives one reason per such measure at each of its services, explained by the
organisation, its list membership and the link, from the later of the link's and the
membership's start until the earlier of their ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from socialcredit.engine.compiled import MeasureRule, compiled
from socialcredit.engine.intervals import render
from socialcredit.engine.links import Link, LinkLine, ReviewTerm, known_link_on, link_line
from socialcredit.engine.lists import Membership
from socialcredit.engine.minors import ADULT_AGE
from socialcredit.policy.policyset import PolicySet


@dataclass(frozen=True, slots=True)
class Reach:
    """An organisation's list membership reaching a person through a link, on one day."""

    line: LinkLine
    membership: Membership  # the organisation's, on the day
    since: date
    until: date

    @property
    def link(self) -> Link:
        return self.line.link

    def trigger(self) -> dict[str, Any]:
        """What every reason given through this reach repeats."""
        link = self.link
        return {
            "list": self.membership.list,
            "kind": self.membership.kind,
            "since": render(self.since),
            "until": render(self.until),
            "records": list(self.membership.records),
            "organisation": link.organisation,
            "link": {
                "id": link.id,
                "role": link.role,
                "source": str(link.source),
                "authority": link.authority,
                "reference": link.reference,
                "valid_from": link.valid_from.isoformat(),
                "valid_to": render(link.valid_to) if link.valid_to else None,
            },
        }


def review_terms(policies: PolicySet) -> tuple[ReviewTerm, ...]:
    """The objection review deadlines of the policies in force, distinct and sorted."""
    found = {
        (p.objection_review_days, p.objection_review_in == "working_days")
        for p in policies.policies
    }
    return tuple(sorted(found))


def review_words(policies: PolicySet) -> str:
    """The review deadline of an objection to a link, in words."""
    words = [
        f"{days} {'working days' if working else 'days'}"
        for days, working in review_terms(policies)
    ]
    if len(words) > 1:
        return " or ".join(words) + ", whichever ends first"
    return words[0] if words else "the review deadline"


def adult_from(born: date) -> date:
    """The first day on which a person born on ``born`` is no longer a minor: the day after the
    18th birthday (1 March for a person born on 29 February), as ``engine.minors.minor_on``."""
    try:
        return date(born.year + ADULT_AGE, born.month, born.day) + timedelta(days=1)
    except ValueError:  # 29 February in a year that has none
        return date(born.year + ADULT_AGE, 3, 1)


def link_lines(
    policies: PolicySet, links: Iterable[Link], person: str, day: date
) -> tuple[LinkLine, ...]:
    """The timelines of the person's links as known on ``day``, by link id."""
    terms = review_terms(policies)
    known = (known_link_on(link, day) for link in links if link.person == person)
    return tuple(
        link_line(link, terms) for link in sorted((k for k in known if k), key=lambda k: k.id)
    )


def reaching_rules(policies: PolicySet, list_id: str, service: str) -> tuple[MeasureRule, ...]:
    """The measures of ``list_id`` at ``service`` that reach linked persons, in reason order."""
    return compiled(policies).reaching.get(list_id, {}).get(service, ())


def _names_role(policies: PolicySet, list_id: str, role: str) -> bool:
    by_service = compiled(policies).reaching.get(list_id, {})
    return any(role in r.bound.measure.targets for rules in by_service.values() for r in rules)


def reaches_on(
    policies: PolicySet,
    lines: Sequence[LinkLine],
    memberships_of: Callable[[str], Sequence[Membership]],
    day: date,
) -> tuple[Reach, ...]:
    """Every reach of the person on ``day``: a holding link to an organisation on a list whose
    measures name the link's role (the person is assumed an adult on the day)."""
    found = []
    for line in lines:
        part = line.holding.containing(day)
        if part is None:
            continue
        for member in memberships_of(line.link.organisation):
            if _names_role(policies, member.list, line.link.role):
                since, until = max(part.start, member.since), min(part.end, member.until)
                found.append(Reach(line, member, since, until))
    return tuple(found)
