"""The audit chain's head and entries as statements (built once: SQLAlchemy caches their
compiled form, so an append costs no SQL compilation)."""

from __future__ import annotations

from sqlalchemy import bindparam, insert, select, update

from socialcredit.registry.store.models import AuditEntry, RegistryState, table

STATE = table(RegistryState)
ENTRIES = table(AuditEntry)
LOCK_HEAD = select(STATE.c.audit_key, STATE.c.audit_seq, STATE.c.audit_head).with_for_update()
AUDIT_INSERT = insert(ENTRIES)
MOVE_HEAD = update(STATE).values(audit_seq=bindparam("new_seq"), audit_head=bindparam("new_head"))
