"""Experimental designs: a full grid or a Latin hypercube over named axes, one row per point.

A design is a :class:`pandas.DataFrame` with one row per parameter point: a ``row`` column (the
point's index, ``0 .. n-1``), one float64 column per axis, and a ``seed`` column (left out with
``seeds=False``; the sweep runner adds it chunk by chunk in its workers). Every function here is
pure: the same axes, size and seed give the same table.

Size
----
A design has at most :data:`MAX_ROWS` (10^8) rows; :func:`check_size` says which axes (and their
numbers of points) or which size exceed it, before anything is allocated.

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
``SeedSequence(seed, spawn_key=(i,))``. :func:`row_seeds` derives the seeds of any block of rows
with a few array operations (no loop over rows), so a chunk's seeds cost next to nothing. A Latin
hypercube draws its points from the root sequence itself, which is independent of all its
children.

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
    "MAX_ROWS",
    "build",
    "check_size",
    "grid",
    "latin_hypercube",
    "row_seeds",
    "size_of",
]

DESIGN_KINDS = ("grid", "lhs")
SPACES = ("linear", "log")
#: Largest number of rows a design may have (a grid's product of levels, or an lhs size).
MAX_ROWS = 10**8

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

    @property
    def n_levels(self) -> int:
        """Number of the axis's grid levels (``num`` for a range), counted without building them."""
        if self.kind != "range":
            return len(self.values)
        if self.num is None:
            raise ValueError(f"{self.name}: a range in a grid design needs num (number of points)")
        return int(self.num)

    def describe_levels(self) -> str:
        """How the axis's grid levels are given: ``"num = 61"`` or ``"3 values"``."""
        if self.kind == "range":
            return f"num = {self.num}"
        return f"{len(self.values)} value{'s' if len(self.values) != 1 else ''}"

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


# Constants of numpy's SeedSequence hash (numpy/random/bit_generator.pyx), 32-bit words.
_MASK32 = 0xFFFFFFFF
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_MULT_L, _MIX_MULT_R = 0xCA01F9DD, 0x4973F715
_XSHIFT = 16
_POOL_SIZE = 4


class _Hash:
    """The hash-constant stream of a SeedSequence step, applied to scalars or uint64 arrays."""

    def __init__(self, init: int, mult: int) -> None:
        self.const = init
        self.mult = mult

    def __call__(self, value: Any) -> Any:
        """Hash one 32-bit word (or an array of them) with the next hash constant."""
        value = value ^ _u(self.const)
        self.const = (self.const * self.mult) & _MASK32
        value = (value * _u(self.const)) & _u(_MASK32)
        return value ^ (value >> _u(_XSHIFT))


def _u(x: int) -> np.uint64:
    return np.uint64(x)


def _mix(x: Any, y: Any) -> Any:
    out = (_u(_MIX_MULT_L) * x - _u(_MIX_MULT_R) * y) & _u(_MASK32)
    return out ^ (out >> _u(_XSHIFT))


def _words(n: int) -> list[int]:
    """``n`` as little-endian 32-bit words (``[0]`` for zero), as SeedSequence reads an int."""
    out = [n & _MASK32]
    n >>= 32
    while n:
        out.append(n & _MASK32)
        n >>= 32
    return out


def row_seeds(seed: int, n: int, start: int = 0) -> np.ndarray:
    """Per-row integer seeds for rows ``start .. start + n - 1`` (int64, non-negative).

    Row ``i`` gets the first 63 bits of the state of ``SeedSequence(seed, spawn_key=(i,))``
    (the ``i``-th child of ``SeedSequence(seed).spawn(...)``), so a row's seed depends on the
    root seed and the row index only. The state is computed for all rows at once: the part of
    numpy's SeedSequence hash that depends on the root seed alone is run once, and the mixing of
    the row index and the output step are evaluated on arrays, word for word as numpy does them
    (the tests compare the result with ``SeedSequence`` itself).

    Examples
    --------
    >>> s = row_seeds(7, 3)
    >>> bool(s[2] == row_seeds(7, 1, start=2)[0]), s.dtype.name
    (True, 'int64')
    >>> child = np.random.SeedSequence(7, spawn_key=(2,))
    >>> int(s[2]) == int(child.generate_state(1, np.uint64)[0] >> np.uint64(1))
    True
    """
    if n < 0 or start < 0:
        raise ValueError(f"row_seeds needs n >= 0 and start >= 0, got n = {n}, start = {start}")
    if not isinstance(seed, int | np.integer) or isinstance(seed, bool) or seed < 0:
        raise ValueError(f"row_seeds needs a non-negative integer root seed, got {seed!r}")
    if start + n > 2**63:
        raise ValueError(f"row_seeds covers rows below 2**63, got start + n = {start + n}")
    # unsigned wraparound is the hash's arithmetic (numpy warns on it for scalars)
    with np.errstate(over="ignore"):
        # entropy: the root seed's words, padded to the pool size because a spawn key follows
        run = _words(int(seed))
        run += [0] * (_POOL_SIZE - len(run))
        hashmix = _Hash(_INIT_A, _MULT_A)
        pool: list[Any] = [hashmix(_u(w)) for w in run[:_POOL_SIZE]]
        for i_src in range(_POOL_SIZE):
            for i_dst in range(_POOL_SIZE):
                if i_src != i_dst:
                    pool[i_dst] = _mix(pool[i_dst], hashmix(pool[i_src]))
        for w in run[_POOL_SIZE:]:
            for i_dst in range(_POOL_SIZE):
                pool[i_dst] = _mix(pool[i_dst], hashmix(_u(w)))
        # the spawn key (i,): one word for i < 2**32, two words above
        rows = np.arange(start, start + n, dtype=np.uint64)
        pool = [_mix(p, hashmix(rows & _u(_MASK32))) for p in pool]
        high = rows >> _u(32)
        if high.any():
            longer = [_mix(p, hashmix(high)) for p in pool]
            pool = [np.where(high > 0, b, a) for a, b in zip(pool, longer, strict=True)]
        # generate_state(1, uint64): two 32-bit words from the first two pool entries
        out_hash = _Hash(_INIT_B, _MULT_B)
        lo, hi = (out_hash(np.asarray(p, dtype=np.uint64)) for p in pool[:2])
        return ((lo | (hi << _u(32))) >> _u(1)).astype(np.int64)


def _frame(columns: dict[str, np.ndarray], n: int, seed: int, seeds: bool) -> pd.DataFrame:
    data: dict[str, np.ndarray] = {"row": np.arange(n, dtype=np.int64)}
    data.update(columns)
    if seeds:
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
    """Count the rows of a design of ``kind`` over ``axes`` (without building it)."""
    if kind == "grid":
        return math.prod(a.n_levels for a in axes)
    if kind == "lhs":
        if size is None or size < 1:
            raise ValueError(f"a Latin hypercube needs a positive size, got {size!r}")
        return int(size)
    raise ValueError(f"design kind {kind!r} is not one of {DESIGN_KINDS}")


def check_size(kind: str, axes: Sequence[Axis], size: int | None = None) -> int:
    """Count the rows of a design and refuse more than :data:`MAX_ROWS`.

    Returns
    -------
    int
        The number of rows.

    Raises
    ------
    ValueError
        If the design is too large; the message names the grid axes that vary and their
        numbers of points (or the Latin hypercube's size).

    Examples
    --------
    >>> big = [Axis.range(k, 0.0, 1.0, num=100_000) for k in "abc"]
    >>> check_size("grid", big)
    Traceback (most recent call last):
    ...
    ValueError: the design has 1e+15 rows, more than the limit of 100000000 (a: num = 100000 \
x b: num = 100000 x c: num = 100000); use fewer points or split the sweep into several configs
    """
    n = size_of(kind, axes, size)
    if n <= MAX_ROWS:
        return n
    if kind == "grid":
        parts = " x ".join(f"{a.name}: {a.describe_levels()}" for a in axes if a.n_levels > 1)
        what = f"({parts})"
    else:
        what = f"(size = {n})"
    raise ValueError(
        f"the design has {n:.3g} rows, more than the limit of {MAX_ROWS} {what}; use fewer "
        "points or split the sweep into several configs"
    )


def grid(axes: Sequence[Axis], *, seed: int, seeds: bool = True) -> pd.DataFrame:
    """Full factorial design: every combination of the axes' levels, the first axis slowest.

    Parameters
    ----------
    axes : sequence of Axis
        Fixed values, levels, or ranges with ``num`` points.
    seed : int
        Root seed of the per-row seeds.
    seeds : bool
        Include the ``seed`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``row``, one per axis (in order), ``seed``; ``prod(len(levels))`` rows.

    Raises
    ------
    ValueError
        If the grid has more than :data:`MAX_ROWS` rows (see :func:`check_size`).
    """
    _check_names(axes)
    n = check_size("grid", axes)
    levels = [a.grid_values() for a in axes]
    mesh = np.meshgrid(*levels, indexing="ij") if levels else []
    cols = {a.name: m.reshape(-1) for a, m in zip(axes, mesh, strict=True)}
    return _frame(cols, n, seed, seeds)


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


def latin_hypercube(
    axes: Sequence[Axis], size: int, *, seed: int, seeds: bool = True
) -> pd.DataFrame:
    """Latin hypercube design of ``size`` rows over the varying axes.

    Ranges are sampled uniformly (log-uniformly with ``space="log"``), lists of levels with equal
    probabilities, each stratified; fixed axes are constant columns. ``num`` is ignored.
    ``seeds=False`` leaves out the ``seed`` column.

    Returns
    -------
    pandas.DataFrame
        Columns ``row``, one per axis (in order), ``seed``; ``size`` rows.

    Raises
    ------
    ValueError
        If ``size`` exceeds :data:`MAX_ROWS`.
    """
    _check_names(axes)
    check_size("lhs", axes, size)
    varying = [a for a in axes if a.varies]
    u = unit_hypercube(size, len(varying), seed=seed)
    sampled = {a.name: a.from_unit(u[:, j]) for j, a in enumerate(varying)}
    cols = {
        a.name: sampled[a.name] if a.varies else np.full(size, a.values[0], dtype=np.float64)
        for a in axes
    }
    return _frame(cols, size, seed, seeds)


def build(
    kind: str, axes: Sequence[Axis], *, seed: int, size: int | None = None, seeds: bool = True
) -> pd.DataFrame:
    """Build the design of ``kind`` (``"grid"`` or ``"lhs"``) over ``axes``.

    ``seeds=False`` leaves out the ``seed`` column (:func:`row_seeds` gives it for any rows).
    """
    if kind == "grid":
        return grid(axes, seed=seed, seeds=seeds)
    if kind == "lhs":
        if size is None:
            raise ValueError("a Latin hypercube ('lhs') design needs a size")
        return latin_hypercube(axes, size, seed=seed, seeds=seeds)
    raise ValueError(f"design kind {kind!r} is not one of {DESIGN_KINDS}")
