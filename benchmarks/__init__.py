"""Benchmarks of the solvers: run ``python -m benchmarks`` (or ``make bench``).

Three groups are measured in the same run and printed as one table:

* :mod:`benchmarks.vectorised`: the vectorised risk-return solve over many random parameter
  points, against a per-point Python loop over the scalar solve and against plain numpy
  arithmetic computing the same closed form;
* :mod:`benchmarks.generic_solvers`: the closed form against the generic solvers (backward
  induction, nashpy on the normal form) on the discretised risk-return tree;
* :mod:`benchmarks.equilibria`: our equilibrium solvers for crisis trees (sequence-form Lemke,
  logit QRE, batched perfect Bayesian enumeration) against pygambit and nashpy on the same
  games, one game at a time and as a sweep of one tree shape.

Timings are the best of several repetitions measured with :func:`time.perf_counter` (the
minimum is the least disturbed by other load on the machine); cases compared with each other run
interleaved, round by round. Results are also written to
``benchmarks/out/latest.json`` with a timestamp and the package versions.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["Row", "best_of", "best_of_interleaved"]


def best_of(fn: Callable[[], Any], repeat: int) -> float:
    """Best wall-clock time in seconds of ``repeat`` calls of ``fn`` (after one warm-up call)."""
    fn()
    best = float("inf")
    for _ in range(max(1, repeat)):
        gc.collect()
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def best_of_interleaved(fns: dict[str, Callable[[], Any]], repeat: int) -> dict[str, float]:
    """Best time of each function, running them in turn in every round.

    Interleaving exposes every case to the same conditions (CPU frequency, other load, the state
    of the memory allocator), which matters when cases are compared with each other.
    """
    for fn in fns.values():
        fn()
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(max(1, repeat)):
        for name, fn in fns.items():
            gc.collect()
            start = time.perf_counter()
            fn()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


@dataclass(frozen=True)
class Row:
    """One measured case.

    ``seconds`` is the best time of one call that handles ``units`` points (or games);
    ``relative`` compares it with the group's reference case; ``note`` says what was measured.
    """

    group: str
    case: str
    seconds: float
    units: int
    unit: str
    relative: str = ""
    note: str = ""

    @property
    def per_unit(self) -> float:
        """Seconds per point (or game)."""
        return self.seconds / self.units

    @property
    def rate(self) -> float:
        """Points (or games) per second."""
        return self.units / self.seconds

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields, with the derived per-unit time and rate."""
        return {**asdict(self), "per_unit_s": self.per_unit, "per_s": self.rate}
