"""Group commit for single checks: concurrent ``POST /v1/checks`` of one worker share one
transaction.

Each request puts its check on a queue and awaits its own future. One consumer takes the first
waiting check and everything queued behind it (up to ``limit``; it never waits for more), runs
them with :func:`socialcredit.registry.reads.checks.check_each` in its own thread (one transaction,
one audit chain update, one commit) and then resolves each future with that request's answer
or that request's error. So every check still has its own audit entry, committed before its
answer is sent, and a bad request fails alone; under load the checks that arrive while one
transaction runs make up the next one, and the cost of a commit is shared.

The consumer's thread keeps one database connection from group to group instead of taking one
from the pool for each (on PostgreSQL the pool pings the server at every checkout). After a
group whose transaction failed, that connection goes back to the pool (which discards it if
the database dropped it) and the next group takes a fresh one.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Connection

from socialcredit.registry import Actor, Registry
from socialcredit.registry.reads.checks import CheckRequest, CheckResult, Outcome, check_each

GROUP_LIMIT = 500


@dataclass(frozen=True)
class _Waiting:
    request: CheckRequest
    actor: Actor
    answer: asyncio.Future[CheckResult]


class Coalescer:
    """Single checks of one event loop, answered in groups. ``start`` and ``stop`` it with the
    application (its lifespan)."""

    def __init__(self, reg: Registry, limit: int = GROUP_LIMIT) -> None:
        self.reg = reg
        self.limit = limit
        self._queue: asyncio.Queue[_Waiting] = asyncio.Queue()
        self._task: asyncio.Task[None] | None = None
        self._conn: Connection | None = None  # used only in the consumer's thread

    def start(self) -> None:
        """Start the consumer on the running event loop, with its own database thread."""
        self._queue = asyncio.Queue()
        thread = ThreadPoolExecutor(1, thread_name_prefix="socialcredit-checks")
        self._task = asyncio.get_running_loop().create_task(self._consume(thread))

    async def stop(self) -> None:
        """Stop the consumer (the server has finished its requests by then)."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        left = [self._queue.get_nowait() for _ in range(self._queue.qsize())]
        _fail(left, RuntimeError("the check coalescer was stopped"))

    async def check(
        self, subject: str, service: str, actor: Actor, kind: str | None = None
    ) -> CheckResult:
        """The decision for ``subject`` (of ``kind``, if said) at ``service`` (as
        ``checks.check``), audited."""
        if self._task is None:
            raise RuntimeError("the check coalescer is not running")
        answer: asyncio.Future[CheckResult] = asyncio.get_running_loop().create_future()
        request = CheckRequest(subject, service, kind)
        self._queue.put_nowait(_Waiting(request, actor, answer))
        return await answer

    def _take(self, first: _Waiting) -> list[_Waiting]:
        group = [first]
        while len(group) < self.limit and not self._queue.empty():
            group.append(self._queue.get_nowait())
        return group

    async def _consume(self, thread: ThreadPoolExecutor) -> None:
        loop = asyncio.get_running_loop()
        try:
            while True:
                group = self._take(await self._queue.get())
                requests = [(w.request, w.actor) for w in group]
                try:
                    outcomes = await loop.run_in_executor(thread, self._run, requests)
                except Exception as exc:  # the transaction failed: each request of it fails
                    _fail(group, exc)
                else:
                    _resolve(group, outcomes)
        finally:
            thread.submit(self._release)
            thread.shutdown(wait=True)

    def _run(self, requests: Sequence[tuple[CheckRequest, Actor]]) -> list[Outcome]:
        """One group's transaction on the thread's connection (in the consumer's thread)."""
        if self._conn is None:
            self._conn = self.reg.engine.connect()
        try:
            return check_each(self.reg, requests, self._conn)
        except Exception:
            self._release()
            raise

    def _release(self) -> None:
        """Give the thread's connection back to the pool (in the consumer's thread)."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _resolve(group: list[_Waiting], outcomes: list[Outcome]) -> None:
    for waiting, outcome in zip(group, outcomes, strict=True):
        if waiting.answer.done():  # the caller went away
            continue
        if isinstance(outcome, CheckResult):
            waiting.answer.set_result(outcome)
        else:
            waiting.answer.set_exception(outcome)


def _fail(group: list[_Waiting], exc: Exception) -> None:
    for waiting in group:
        if not waiting.answer.done():
            waiting.answer.set_exception(exc)
