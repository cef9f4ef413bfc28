"""The links mode of ``registry.py``: bulk submission of links and records together, relative
to records alone, in the same run and on the same database. Not a test.

Two fresh registries receive the same demo records (``registry demo-data``'s population): the
first records alone; the second first a legal representative's link for every organisation
(to the next person of the population, from the market regulator), then the records, so that
every record of an organisation also reassesses its linked person. Reported: the lines per
second of each (links and records both count as lines), and their ratio (target: at least 0.8).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

from socialcredit.registry import Actor, Registry, RegistrySettings, initialise
from socialcredit.registry.workflows.demo import by_agency, demo_records, organisation_id, person_id
from socialcredit.registry.workflows.policies import load_policy_files
from socialcredit.registry.writes.linksubmit import submit_link_lines
from socialcredit.registry.writes.submit import Submission, submit_lines

REGULATOR = "Local administration for market regulation"


def demo_links(subjects: int) -> list[dict[str, Any]]:
    """A legal representative for every organisation of the demo population (every tenth
    subject), the next subject, a person."""
    return [
        {
            "id": f"reg-{n:07d}",
            "organisation": organisation_id(n),
            "person": person_id(n + 1),
            "role": "legal_representative",
            "valid_from": "2015-01-01",
            "source": "registration",
            "reference": f"DEMO registration {n}",
        }
        for n in range(0, subjects, 10)
    ]


def _open(url: str, day: date, policies_dir: Any, actor: Actor) -> Registry:
    reg = Registry.open(RegistrySettings(database_url=url, chunk_size=1000))
    initialise(reg, day)
    load_policy_files(reg, [policies_dir], actor)
    return reg


def links_run(
    urls: tuple[str, str], subjects: int, day: date, policies_dir: Any, actor: Actor
) -> dict[str, Any]:
    """Records alone on ``urls[0]``, links then records on ``urls[1]``."""
    alone = _open(urls[0], day, policies_dir, actor)
    with alone.session() as session:
        policies = alone.policies(session).policy_set
    grouped = by_agency(demo_records(policies, subjects, seed=1))
    records = sum(len(v) for v in grouped.values())

    def submit_records(reg: Registry) -> None:
        for agency, found in grouped.items():
            submit_lines(reg, list(enumerate(found, 1)), Submission(agency, actor))

    records_s = _timed(lambda: submit_records(alone))
    alone.close()
    both = _open(urls[1], day, policies_dir, actor)
    links = demo_links(subjects)

    def submit_both() -> None:
        report = submit_link_lines(both, list(enumerate(links, 1)), Submission(REGULATOR, actor))
        if report.refused:
            raise RuntimeError(f"links refused: {report.refused[0].reasons}")
        submit_records(both)

    both_s = _timed(submit_both)
    both.close()
    alone_rate, both_rate = records / records_s, (records + len(links)) / both_s
    return {
        "records": records,
        "links": len(links),
        "records_alone_lines_per_s": round(alone_rate),
        "links_and_records_lines_per_s": round(both_rate),
        "ratio": round(both_rate / alone_rate, 3),
    }


def _timed(job: Callable[[], None]) -> float:
    start = time.perf_counter()
    job()
    return time.perf_counter() - start
