"""The registry handle: an engine, sessions, and the active policies."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import Connection, Engine, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from socialcredit.errors import NotFoundError
from socialcredit.registry.audit import GENESIS
from socialcredit.registry.policystore import ActivePolicies, active_policies
from socialcredit.registry.settings import RegistrySettings
from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.engines import create_db_engine, driver_date
from socialcredit.registry.store.models import RegistryState
from socialcredit.registry.store.schema import upgrade


@dataclass
class Registry:
    """An open registry. Create with :meth:`open`; close with :meth:`close`."""

    engine: Engine
    settings: RegistrySettings
    sessions: sessionmaker[Session]
    _marks: dict[int | None, ActivePolicies] = field(default_factory=dict)

    @classmethod
    def open(cls, settings: RegistrySettings, backend: Backend | None = None) -> Registry:
        """Open the registry at ``settings.database_url``, served by ``backend`` (default: the
        database's own, with its default settings)."""
        engine = create_db_engine(settings.database_url, backend)
        return cls(engine, settings, sessionmaker(engine, expire_on_commit=False))

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return self.sessions()

    def policies(self, session: Session) -> ActivePolicies:
        """The active policy set (compiled once per distinct set of versions, see
        :func:`socialcredit.registry.policystore.active_policies`)."""
        return active_policies(session)

    def known_policies(self, mark: int | None) -> ActivePolicies | None:
        """The active set named by ``mark`` (the newest policy version id: versions are only
        appended) if this registry has already met it; no query."""
        return self._marks.get(mark)

    def policies_at(self, connection: Connection, mark: int | None) -> ActivePolicies:
        """The active set named by ``mark``, read on ``connection`` the first time."""
        found = self._marks.get(mark)
        if found is None:
            with Session(connection) as session:
                found = self.policies(session)
            self._marks.clear()
            self._marks[mark] = found
        return found

    def service_ids(self, connection: Connection, mark: int | None) -> frozenset[str]:
        """The services of the active set named by ``mark`` (the newest policy version id)."""
        return self.policies_at(connection, mark).services

    def state(self, session: Session) -> RegistryState:
        state = session.execute(select(RegistryState)).scalar_one_or_none()
        if state is None:
            raise self.no_registry()
        return state

    def today(self) -> date:
        """The registry's date, read on the driver's own connection: no transaction through
        a session, which on SQLite would take the writer's lock (``BEGIN IMMEDIATE``) and wait
        behind every writer."""
        with self.engine.connect() as conn:
            found = backend_of(conn).first_value(conn, _TODAY)
        if found is None:
            raise self.no_registry()
        return driver_date(found)

    def no_registry(self) -> NotFoundError:
        """The error of a database that holds no registry (no state row)."""
        return NotFoundError(
            "this database holds no registry: run `socialcredit init` (or `db upgrade`)",
            {"database": self.engine.url.render_as_string(hide_password=True)},
        )


# Plain SQL that both drivers take as it is (no parameters); the pool's reset on return ends
# PostgreSQL's transaction.
_TODAY = f"SELECT as_of FROM {RegistryState.__tablename__}"


def initialise(registry: Registry, as_of: date) -> bool:
    """Apply the migrations and create the state row; ``False`` if it already existed."""
    upgrade(registry.engine)
    with registry.session() as session, session.begin():
        if session.execute(select(RegistryState)).scalar_one_or_none() is not None:
            return False
        session.add(
            RegistryState(
                id=1,
                as_of=as_of,
                last_tick_on=None,
                audit_key=secrets.token_hex(32),
                audit_seq=0,
                audit_head=GENESIS,
                created_at=datetime.now(UTC),
            )
        )
    return True


def is_initialised(registry: Registry) -> bool:
    return inspect(registry.engine).has_table(RegistryState.__tablename__)
