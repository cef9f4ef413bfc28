"""The registry: the system of record (storage, record lifecycle, live assessments, notices,
audit chain, retention). SQLite and PostgreSQL through SQLAlchemy 2; scoring is the engine's.
"""

from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry, initialise
from socialcredit.registry.settings import RegistrySettings

__all__ = ["Actor", "Registry", "RegistrySettings", "initialise"]
