"""The registry: the system of record (storage, record lifecycle, live assessments, notices,
audit chain, retention). SQLite and PostgreSQL through SQLAlchemy 2; scoring is the engine's.

- ``store``: the tables, migrations and the backend object per database (everything whose best
  form depends on the database);
- ``writes``: submissions, status changes, reassessment, the tick, retention, the notice outbox;
- ``reads``: point-of-service checks, a subject's file, public disclosure, statistics;
- ``workflows``: objections, repair, due-process deadlines, principals, policy loading, agency
  views of their own submissions, notice senders;
- here: the registry handle (``context``), its settings, the audit chain and the active
  policies.
"""

from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry, initialise
from socialcredit.registry.settings import RegistrySettings

__all__ = ["Actor", "Registry", "RegistrySettings", "initialise"]
