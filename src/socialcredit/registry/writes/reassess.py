"""Live assessments: recompute subjects with the engine and store the result.

Called inside the transaction of every write and by the tick. For each subject it stores the
engine's assessment (full JSON, scores, lists, non-``allow`` decisions) with the next date on
which time alone may change it (from the same evaluation: ``engine.assess_with_next_change``,
indexed), records the time-driven status events that have happened (effective, suspended,
expired), and queues list entry and exit notices.

A person's assessment also depends on the organisations it is linked to (principle 7): a
reassessment by the engine adds the persons linked to the organisations it reassesses, and
assesses each person with its links and the linked organisations' records.

A reassessment reads what it needs and clears the stored assessments first
(:mod:`.reassessinput`), then produces its writes subject by subject
(:mod:`.assessmentwrites`) for the backend's sink, which stores them (one bulk insert per table,
or streamed while the engine assesses the next subjects: :mod:`socialcredit.registry.store`).
A sink may keep the stored decision rows: those the new assessment repeats word for word then
stay, the others are deleted just before the new rows. Each change of the decisions that denied
or restricted the subjects goes to the feed log (:mod:`socialcredit.registry.writes.feedlog`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.gcpause import gc_paused
from socialcredit.registry.writes.assessmentwrites import AssessmentWrites
from socialcredit.registry.writes.linkrows import lock_in_turn
from socialcredit.registry.writes.reassessinput import Assessor, Scope, prepare

__all__ = ["Assessor", "Scope", "reassess"]


def reassess(
    session: Session, active: ActivePolicies, scope: Scope, assessor: Assessor | None = None
) -> int:
    """Recompute and store the subjects' assessments; return the list changes noticed.

    Every subject is assessed once (by the engine unless ``assessor`` is given); rows are read
    and written with a few Core statements (one ``SELECT`` per table for all subjects, one bulk
    insert per table).
    """
    with gc_paused():
        session.flush()  # the records and events written so far in this transaction
        conn = session.connection()
        backend = backend_of(conn)
        lock_in_turn(conn, scope.subjects)  # writers of the same subjects take turns
        with backend.key_lookups(conn), backend.sink(conn, len(set(scope.subjects))) as sink:
            writes = AssessmentWrites(prepare(conn, sink, active, scope, assessor))
            sink.write(writes)
            return writes.changed_lists
