"""Experimental designs: a full grid or a Latin hypercube over named axes, one row per point.

A design is a :class:`pandas.DataFrame` with one row per parameter point: a ``row`` column (the
point's index, ``0 .. n-1``), one float64 column per axis, and a ``seed`` column. Every function
here is pure: the same axes, size and seed give the same table.

Axes
----
An :class:`Axis` is a fixed value, a list of levels, or a range ``[low, high]``. In a grid a range
needs a number of points ``num``, spaced evenly (``space="linear"``) or evenly in the logarithm
(``space="log"``, geometric); in a Latin hypercube a range is sampled uniformly (or log-uniformly)
and a list of levels is sampled with equal probabilities, both stratified.

Seeds
-----
Randomness is tied to design rows, never to workers or chunks (STYLE.md, habit 12): the root seed
makes ``numpy.random.SeedSequence(seed)``, whose ``i``-th spawned child belongs to row ``i``. The
``seed`` column holds the first 63 bits of that child's state, so ``numpy.random.default_rng(seed)``
gives row ``i`` its own stream whatever the chunking; the child itself is
``SeedSequence(seed, spawn_key=(i,))``. A Latin hypercube draws its points from the root sequence
itself, which is independent of all its children.

Examples
--------
>>> d = grid([Axis.range("p", 0.0, 1.0, num=3), Axis.levels("c_A", [0.1, 0.2])], seed=1)
>>> d[["p", "c_A"]].to_numpy().tolist()
[[0.0, 0.1], [0.0, 0.2], [0.5, 0.1], [0.5, 0.2], [1.0, 0.1], [1.0, 0.2]]
>>> d = latin_hypercube([Axis.range("p", 0.0, 1.0)], size=4, seed=1)
>>> sorted(int(v * 4) for v in d["p"])
[0, 1, 2, 3]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd
from scipy.stats import qmc

__all__ = [
    "DESIGN_KINDS",
    "SPACES",
    "Axis",
    "build",
    "grid",
    "latin_hypercube",
    "row_seeds",
    "size_of",
]

DESIGN_KINDS = ("grid", "lhs")
SPACES = ("linear", "log")

AxisKind = Literal["fixed", "values", "range"]


@dataclass(frozen=True)
class Axis:
    """One design variable.

    Attributes
    ----------
    name : str
        The parameter or input the axis sets.
    kind : {"fixed", "values", "range"}
        A single value, explicit levels, or an interval.
    values : tuple of float
        The value (``fixed``) or the levels (``values``); empty for a range.
    low, high : float
        The interval of a range.
    num : int or None
        Number of grid points of a range (grid designs only).
    space : {"linear", "log"}
        Spacing of a range: even, or even in the logarithm (needs ``low > 0``).
    """

    name: str
    kind: AxisKind
    values: tuple[float, ...] = ()
    low: float = math.nan
    high: float = math.nan
    num: int | None = None
    space: str = "linear"

    def __post_init__(self) -> None:
        if self.kind == "fixed" and len(self.values) != 1:
            raise ValueError(f"{self.name}: a fixed axis holds one value, got {self.values}")
        if self.kind == "values" and not self.values:
            raise ValueError(f"{self.name}: give at least one level")
        if self.kind == "range":
            if not self.low < self.high:
                raise ValueError(
                    f"{self.name}: range = [{self.low:g}, {self.high:g}] needs low < high"
                )
            if self.space not in SPACES:
                raise ValueError(f"{self.name}: space = {self.space!r} is not one of {SPACES}")
            if self.space == "log" and not self.low > 0:
                raise ValueError(
                    f"{self.name}: space = 'log' needs a positive lower end, got {self.low:g}"
                )
            if self.num is not None and self.num < 2:
                raise ValueError(f"{self.name}: num = {self.num} must be at least 2")

    # -- named constructors ------------------------------------------------------------------
    @classmethod
    def fixed(cls, name: str, value: float) -> Axis:
        """Make an axis held at one value."""
        return cls(name, "fixed", (float(value),))

    @classmethod
    def levels(cls, name: str, values: Sequence[float]) -> Axis:
        """Make an axis taking the listed values."""
        return cls(name, "values", tuple(float(v) for v in values))

    @classmethod
    def range(
        cls, name: str, low: float, high: float, *, num: int | None = None, space: str = "linear"
    ) -> Axis:
        """Make an axis over ``[low, high]``: ``num`` grid points, or sampled in a hypercube."""
        return cls(name, "range", (), float(low), float(high), num, space)

    # -- views -------------------------------------------------------------------------------
    @property
    def varies(self) -> bool:
        """Whether the axis takes more than one value."""
        return self.kind == "range" or len(self.values) > 1

    def grid_values(self) -> np.ndarray:
        """Return the axis's levels in a grid design (float64, 1-D).

        A log-spaced range uses ``low * (high / low) ** (i / (num - 1))``, which hits round values
        such as 1 exactly when they lie at a whole step (e.g. ``[0.25, 4]`` with an odd ``num``).
        """
        if self.kind != "range":
            return np.asarray(self.values, dtype=np.float64)
        if self.num is None:
            raise ValueError(f"{self.name}: a range in a grid design needs num (number of points)")
        if self.space == "log":
            out = self.low * (self.high / self.low) ** (np.arange(self.num) / (self.num - 1))
        else:
            out = np.linspace(self.low, self.high, self.num)
        out[0], out[-1] = self.low, self.high
        return out

    def from_unit(self, u: np.ndarray) -> np.ndarray:
        """Map points ``u`` of ``[0, 1)`` to the axis (uniform, log-uniform or equal levels)."""
        u = np.asarray(u, dtype=np.float64)
        if self.kind == "range":
            if self.space == "log":
                lo, hi = math.log(self.low), math.log(self.high)
                out = np.exp(lo + u * (hi - lo))
            else:
                out = self.low + u * (self.high - self.low)
            return np.clip(out, self.low, self.high)
        levels = np.asarray(self.values, dtype=np.float64)
        idx = np.minimum((u * len(levels)).astype(np.int64), len(levels) - 1)
        return levels[idx]

    def to_config(self) -> Any:
        """Return the axis in config syntax (a number or a table), as stored in manifests."""
        if self.kind == "fixed":
            return self.values[0]
        if self.kind == "values":
            return {"values": list(self.values)}
        out: dict[str, Any] = {"range": [self.low, self.high]}
        if self.num is not None:
            out["num"] = self.num
        if self.space != "linear":
            out["space"] = self.space
        return out


def row_seeds(seed: int, n: int, start: int = 0) -> np.ndarray:
    """Per-row integer seeds for rows ``start .. start + n - 1`` (int64, non-negative).

    Row ``i`` gets the first 63 bits of ``SeedSequence(seed).spawn(...)[i]``'s state, so a row's
    seed depends on the root seed and the row index only.

    Examples
    --------
    >>> s = row_seeds(7, 3)
    >>> bool(s[2] == row_seeds(7, 1, start=2)[0]), s.dtype.name
    (True, 'int64')
    """
    if n < 0 or start < 0:
        raise ValueError(f"row_seeds needs n >= 0 and start >= 0, got n = {n}, start = {start}")
    out = np.empty(n, dtype=np.int64)
    for j in range(n):
        child = np.random.SeedSequence(seed, spawn_key=(start + j,))
        out[j] = int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
    return out


def _frame(columns: dict[str, np.ndarray], n: int, seed: int) -> pd.DataFrame:
    data: dict[str, np.ndarray] = {"row": np.arange(n, dtype=np.int64)}
    data.update(columns)
    data["seed"] = row_seeds(seed, n)
    return pd.DataFrame(data)


def _check_names(axes: Sequence[Axis]) -> None:
    names = [a.name for a in axes]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ValueError(f"axis name(s) {', '.join(dup)} appear more than once")
    clash = sorted({"row", "seed"} & set(names))
    if clash:
        raise ValueError(f"axis name(s) {', '.join(clash)} are reserved for design columns")


def size_of(kind: str, axes: Sequence[Axis], size: int | None = None) -> int:
    """Count the rows of a design of ``kind`` over ``axes``."""
    if kind == "grid":
        return math.prod(len(a.grid_values()) for a in axes)
    if kind == "lhs":
        if size is None or size < 1:
            raise ValueError(f"a Latin hypercube needs a positive size, got {size!r}")
        return int(size)
    raise ValueError(f"design kind {kind!r} is not one of {DESIGN_KINDS}")


def grid(axes: Sequence[Axis], *, seed: int) -> pd.DataFrame:
    """Full factorial design: every combination of the axes' levels, the first axis slowest.

    Parameters
    ----------
    axes : sequence of Axis
        Fixed values, levels, or ranges with ``num`` points.
    seed : int
        Root seed of the per-row seeds.

    Returns
    -------
    pandas.DataFrame
        Columns ``row``, one per axis (in order), ``seed``; ``prod(len(levels))`` rows.
    """
    _check_names(axes)
    levels = [a.grid_values() for a in axes]
    n = math.prod(len(v) for v in levels)
    mesh = np.meshgrid(*levels, indexing="ij") if levels else []
    cols = {a.name: m.reshape(-1) for a, m in zip(axes, mesh, strict=True)}
    return _frame(cols, n, seed)


def unit_hypercube(size: int, d: int, *, seed: int) -> np.ndarray:
    """Draw a Latin hypercube sample of ``size`` points in ``[0, 1)^d``.

    Each column has exactly one point in each of the ``size`` strata ``[k/size, (k+1)/size)``.
    Drawn with :class:`scipy.stats.qmc.LatinHypercube` from the root ``SeedSequence(seed)``.
    """
    if size < 1:
        raise ValueError(f"a Latin hypercube needs size >= 1, got {size}")
    if d == 0:
        return np.empty((size, 0))
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    return qmc.LatinHypercube(d, rng=rng).random(size)


def latin_hypercube(axes: Sequence[Axis], size: int, *, seed: int) -> pd.DataFrame:
    """Latin hypercube design of ``size`` rows over the varying axes.

    Ranges are sampled uniformly (log-uniformly with ``space="log"``), lists of levels with equal
    probabilities, each stratified; fixed axes are constant columns. ``num`` is ignored.

    Returns
    -------
    pandas.DataFrame
        Columns ``row``, one per axis (in order), ``seed``; ``size`` rows.
    """
    _check_names(axes)
    varying = [a for a in axes if a.varies]
    u = unit_hypercube(size, len(varying), seed=seed)
    sampled = {a.name: a.from_unit(u[:, j]) for j, a in enumerate(varying)}
    cols = {
        a.name: sampled[a.name] if a.varies else np.full(size, a.values[0], dtype=np.float64)
        for a in axes
    }
    return _frame(cols, size, seed)


def build(kind: str, axes: Sequence[Axis], *, seed: int, size: int | None = None) -> pd.DataFrame:
    """Build the design of ``kind`` (``"grid"`` or ``"lhs"``) over ``axes``."""
    if kind == "grid":
        return grid(axes, seed=seed)
    if kind == "lhs":
        if size is None:
            raise ValueError("a Latin hypercube ('lhs') design needs a size")
        return latin_hypercube(axes, size, seed=seed)
    raise ValueError(f"design kind {kind!r} is not one of {DESIGN_KINDS}")
