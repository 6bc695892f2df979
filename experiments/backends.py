"""Where chunks of a sweep run: in this process, or in parallel with joblib.

A backend is anything with ``map(fn, tasks)`` that applies a picklable, module-level function
to every task and yields the results **as they finish, in any order** (the runner matches results
to chunks by the chunk index they carry), plus ``describe()`` for the manifest. Models and
configs never see the backend; a cluster backend (e.g. Dask's ``Client.map`` with
``as_completed``) plugs in by implementing the same two methods.

Closing the iterator ``map`` returns (e.g. on ``KeyboardInterrupt`` in the consumer) cancels the
tasks not yet started.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol, TypeVar, runtime_checkable

import joblib

__all__ = ["Backend", "JoblibBackend", "SerialBackend", "make_backend"]

T = TypeVar("T")
R = TypeVar("R")


@runtime_checkable
class Backend(Protocol):
    """How the runner evaluates chunks."""

    def map(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Apply ``fn`` to every task; yield the results as they finish, in any order."""
        ...

    def describe(self) -> dict[str, Any]:
        """Describe the backend for the manifest."""
        ...


class SerialBackend:
    """Evaluate chunks one after another in this process (no pickling; easy to debug)."""

    def map(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Apply ``fn`` to the tasks in order, lazily."""
        return (fn(t) for t in tasks)

    def describe(self) -> dict[str, Any]:
        """``{"backend": "serial"}``."""
        return {"backend": "serial"}

    def __repr__(self) -> str:
        return "SerialBackend()"


class JoblibBackend:
    """Evaluate chunks in parallel worker processes with :class:`joblib.Parallel` (loky).

    Parameters
    ----------
    n_jobs : int
        Number of workers; ``-1`` means one per CPU (joblib's convention). With one worker, or
        one task, chunks run in this process.
    """

    def __init__(self, n_jobs: int = -1) -> None:
        if not isinstance(n_jobs, int) or isinstance(n_jobs, bool) or n_jobs == 0:
            raise ValueError(f"n_jobs = {n_jobs!r} must be a non-zero integer (-1: all CPUs)")
        self.n_jobs = n_jobs

    def workers(self, n_tasks: int) -> int:
        """Workers used for ``n_tasks`` tasks: no more than there are tasks."""
        return max(1, min(joblib.effective_n_jobs(self.n_jobs), n_tasks))

    def map(self, fn: Callable[[T], R], tasks: Sequence[T]) -> Iterator[R]:
        """Apply ``fn`` to the tasks in worker processes; yield results as they finish."""
        n = self.workers(len(tasks))
        if n == 1:
            return SerialBackend().map(fn, tasks)
        parallel = joblib.Parallel(n_jobs=n, return_as="generator_unordered")
        return iter(parallel(joblib.delayed(fn)(t) for t in tasks))

    def describe(self) -> dict[str, Any]:
        """Backend name and the requested and effective numbers of workers."""
        return {
            "backend": "joblib",
            "n_jobs": self.n_jobs,
            "effective_n_jobs": joblib.effective_n_jobs(self.n_jobs),
        }

    def __repr__(self) -> str:
        return f"JoblibBackend(n_jobs={self.n_jobs})"


def make_backend(jobs: int = -1) -> Backend:
    """Make the backend for ``--jobs``: serial for 1, joblib otherwise."""
    return SerialBackend() if jobs == 1 else JoblibBackend(jobs)
