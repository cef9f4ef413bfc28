"""The progress bar of the long batch commands (synth, batch assess, policy diff)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TimeElapsedColumn

from socialcredit.cli.output import stderr


@dataclass
class Bar:
    """``update(done, total)`` or ``advance(n)`` move the bar; ``stage``/``start`` begin another."""

    progress: Progress
    task: TaskID

    def update(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def stage(self, text: str) -> None:
        self.start(text, None)

    def start(self, text: str, total: int | None) -> None:
        """Finish the current bar and start another (``total`` None: not known)."""
        self.progress.stop_task(self.task)
        self.task = self.progress.add_task(text, total=total)

    def advance(self, n: int) -> None:
        self.progress.advance(self.task, n)


@contextmanager
def fraction_bar(label: str, total: int | None = None) -> Iterator[Bar]:
    """A bar on standard error counting units of work (partitions, buckets) as they finish."""
    columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn())
    with Progress(*columns, TimeElapsedColumn(), console=stderr()) as progress:
        yield Bar(progress, progress.add_task(label, total=total))
