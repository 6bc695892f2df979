"""Priors over a player's private type (its resolve), as thin validated wrappers of ``scipy.stats``.

A prior is what nature draws a type from; a *belief* is what a player thinks that prior is. Both
are :class:`Distribution` values. The solvers need only a handful of functionals, all vectorised
over parameter points:

* ``prob_below(t)`` :math:`= P(X < t)` (strict: a type exactly at a threshold counts as above);
* ``cdf(t)`` :math:`= P(X \\le t)`, ``pdf(t)`` (continuous priors only);
* ``partial_mean(t)`` :math:`= E[X \\,\\mathbf 1\\{X < t\\}]`, for expected utilities;
* ``scaled(k)``: the law of :math:`kX`, the usual way to express a belief that the other side's
  costs are :math:`k` times what they are.

Array convention
----------------
Distribution parameters may be arrays; they broadcast with each other and with the argument
``t``. A :class:`Discrete` prior keeps its atoms on the **last** axis of ``values``/``probs``.

Examples
--------
>>> u = Uniform(0.0, 0.4)
>>> float(u.prob_below(0.15)), float(u.partial_mean(0.4))
(0.375, 0.2)
>>> d = TwoPoint(0.1, 0.3, p_high=0.25)
>>> float(d.prob_below(0.3)), float(d.mean())
(0.75, 0.15)
>>> Uniform(0.5, 0.2)
Traceback (most recent call last):
...
ValueError: Uniform prior needs low < high; got low = 0.5, high = 0.2
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from scipy import special, stats

__all__ = ["Beta", "Discrete", "Distribution", "TwoPoint", "Uniform"]


def _arr(name: str, value: ArrayLike, owner: str) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{owner} prior: {name} = {value!r} is not a number or array of numbers"
        ) from None
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{owner} prior: {name} = {value!r} must be finite")
    return arr


def _show(x: np.ndarray) -> str:
    return f"{x.item():g}" if x.ndim == 0 else f"array{x.shape}"


class Distribution(ABC):
    """Interface every prior implements (see the module docstring); values are immutable."""

    is_discrete: bool = False

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    @abstractmethod
    def low(self) -> np.ndarray:
        """Lower end of the support."""

    @property
    @abstractmethod
    def high(self) -> np.ndarray:
        """Upper end of the support."""

    @abstractmethod
    def cdf(self, t: ArrayLike) -> np.ndarray:
        """:math:`P(X \\le t)`."""

    @abstractmethod
    def prob_below(self, t: ArrayLike) -> np.ndarray:
        """:math:`P(X < t)`."""

    @abstractmethod
    def partial_mean(self, t: ArrayLike) -> np.ndarray:
        """:math:`E[X \\mathbf 1\\{X < t\\}]`."""

    @abstractmethod
    def scaled(self, k: ArrayLike) -> Distribution:
        """The law of :math:`kX` for :math:`k > 0`."""

    @abstractmethod
    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:
        """Draws (``size`` is the leading shape; parameter arrays broadcast after it)."""

    @abstractmethod
    def args(self) -> tuple[np.ndarray, ...]:
        """The constructor's arguments, so that ``type(d)(*d.args())`` rebuilds ``d``."""

    def mean(self) -> np.ndarray:
        """:math:`E[X]`."""
        return self.partial_mean(np.inf)

    @property
    def shape(self) -> tuple[int, ...]:
        """Broadcast shape of the parameters (parameter points, not atoms)."""
        return np.broadcast_shapes(np.shape(self.low), np.shape(self.high))


def _check_scale(k: ArrayLike) -> np.ndarray:
    k = np.asarray(k, dtype=np.float64)
    if not np.all(np.isfinite(k) & (k > 0)):
        raise ValueError(f"scale factor k = {_show(k)} must be finite and > 0")
    return k


class Uniform(Distribution):
    """Uniform prior on ``[low, high]`` (``scipy.stats.uniform``)."""

    def __init__(self, low: ArrayLike, high: ArrayLike):
        lo, hi = _arr("low", low, "Uniform"), _arr("high", high, "Uniform")
        if np.any(lo >= hi):
            raise ValueError(
                f"Uniform prior needs low < high; got low = {_show(lo)}, high = {_show(hi)}"
            )
        object.__setattr__(self, "low_", lo)
        object.__setattr__(self, "high_", hi)

    @property
    def low(self) -> np.ndarray:  # noqa: D102
        return self.low_

    @property
    def high(self) -> np.ndarray:  # noqa: D102
        return self.high_

    def args(self) -> tuple[np.ndarray, ...]:  # noqa: D102
        return (self.low_, self.high_)

    @property
    def dist(self) -> Any:
        """The frozen ``scipy.stats`` distribution."""
        return stats.uniform(loc=self.low_, scale=self.high_ - self.low_)

    def cdf(self, t: ArrayLike) -> np.ndarray:  # noqa: D102
        return np.clip(
            (np.asarray(t, dtype=float) - self.low_) / (self.high_ - self.low_), 0.0, 1.0
        )

    prob_below = cdf

    def pdf(self, t: ArrayLike) -> np.ndarray:
        """Density."""
        t = np.asarray(t, dtype=float)
        return np.where((t >= self.low_) & (t <= self.high_), 1.0 / (self.high_ - self.low_), 0.0)

    def partial_mean(self, t: ArrayLike) -> np.ndarray:  # noqa: D102
        s = np.clip(np.asarray(t, dtype=float), self.low_, self.high_)
        return (s * s - self.low_ * self.low_) / (2.0 * (self.high_ - self.low_))

    def scaled(self, k: ArrayLike) -> Uniform:  # noqa: D102
        k = _check_scale(k)
        return Uniform(k * self.low_, k * self.high_)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:  # noqa: D102
        size = (size,) if isinstance(size, int) else tuple(size)
        return rng.uniform(self.low_, self.high_, size=size + self.shape)

    def __str__(self) -> str:
        return f"Uniform[{_show(self.low_)}, {_show(self.high_)}]"


class Beta(Distribution):
    """Beta(a, b) prior stretched to ``[low, high]`` (``scipy.stats.beta``).

    Its hazard rate increases whenever ``a >= 1`` (log-concave density), which makes the
    risk-return optimum unique.
    """

    def __init__(self, a: ArrayLike, b: ArrayLike, low: ArrayLike = 0.0, high: ArrayLike = 1.0):
        a_, b_ = _arr("a", a, "Beta"), _arr("b", b, "Beta")
        lo, hi = _arr("low", low, "Beta"), _arr("high", high, "Beta")
        if np.any(a_ <= 0) or np.any(b_ <= 0):
            raise ValueError(
                f"Beta prior needs a > 0 and b > 0; got a = {_show(a_)}, b = {_show(b_)}"
            )
        if np.any(lo >= hi):
            raise ValueError(
                f"Beta prior needs low < high; got low = {_show(lo)}, high = {_show(hi)}"
            )
        for k, v in (("a", a_), ("b", b_), ("low_", lo), ("high_", hi)):
            object.__setattr__(self, k, v)

    @property
    def low(self) -> np.ndarray:  # noqa: D102
        return self.low_

    @property
    def high(self) -> np.ndarray:  # noqa: D102
        return self.high_

    @property
    def shape(self) -> tuple[int, ...]:  # noqa: D102
        return np.broadcast_shapes(*(np.shape(v) for v in (self.a, self.b, self.low_, self.high_)))

    def args(self) -> tuple[np.ndarray, ...]:  # noqa: D102
        return (self.a, self.b, self.low_, self.high_)

    @property
    def dist(self) -> Any:
        """The frozen ``scipy.stats`` distribution."""
        return stats.beta(self.a, self.b, loc=self.low_, scale=self.high_ - self.low_)

    def _z(self, t: ArrayLike) -> np.ndarray:
        return np.clip(
            (np.asarray(t, dtype=float) - self.low_) / (self.high_ - self.low_), 0.0, 1.0
        )

    def cdf(self, t: ArrayLike) -> np.ndarray:  # noqa: D102
        return special.betainc(self.a, self.b, self._z(t))

    prob_below = cdf

    def pdf(self, t: ArrayLike) -> np.ndarray:
        """Density, computed in logs (finite wherever the density is)."""
        t = np.asarray(t, dtype=float)
        w = self.high_ - self.low_
        z = (t - self.low_) / w
        inside = (z >= 0.0) & (z <= 1.0)
        zc = np.clip(z, 0.0, 1.0)
        with np.errstate(divide="ignore"):
            log_f = (
                special.xlogy(self.a - 1.0, zc)
                + special.xlog1py(self.b - 1.0, -zc)
                - special.betaln(self.a, self.b)
            )
        return np.where(inside, np.exp(log_f) / w, 0.0)

    def partial_mean(self, t: ArrayLike) -> np.ndarray:  # noqa: D102
        # X = low + w Z, Z ~ Beta(a, b):  E[Z 1{Z < z}] = a/(a+b) I_z(a+1, b).
        z = self._z(t)
        w = self.high_ - self.low_
        ez = self.a / (self.a + self.b) * special.betainc(self.a + 1.0, self.b, z)
        return self.low_ * special.betainc(self.a, self.b, z) + w * ez

    def scaled(self, k: ArrayLike) -> Beta:  # noqa: D102
        k = _check_scale(k)
        return Beta(self.a, self.b, k * self.low_, k * self.high_)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:  # noqa: D102
        size = (size,) if isinstance(size, int) else tuple(size)
        z = rng.beta(self.a, self.b, size=size + self.shape)
        return self.low_ + (self.high_ - self.low_) * z

    def __str__(self) -> str:
        return (
            f"Beta({_show(self.a)}, {_show(self.b)}) on [{_show(self.low_)}, {_show(self.high_)}]"
        )


class Discrete(Distribution):
    """A prior with finitely many types: ``values`` (atoms, last axis) with ``probs``.

    For scalar atoms, :attr:`dist` is the matching ``scipy.stats.rv_discrete``-like frozen
    distribution (``scipy.stats.rv_histogram`` is continuous, so atoms are kept explicitly).
    """

    is_discrete = True

    def __init__(self, values: ArrayLike, probs: ArrayLike):
        v, p = _arr("values", values, "Discrete"), _arr("probs", probs, "Discrete")
        if v.ndim == 0 or p.ndim == 0:
            raise ValueError(
                "Discrete prior: values and probs must be arrays with the atoms on the last axis"
            )
        try:
            v, p = np.broadcast_arrays(v, p)
        except ValueError:
            raise ValueError(
                f"Discrete prior: values shape {v.shape} and probs shape {p.shape} do not broadcast"
            ) from None
        if np.any(p < 0):
            raise ValueError(f"Discrete prior: probs must be >= 0; got {p.tolist()}")
        if not np.allclose(p.sum(axis=-1), 1.0, atol=1e-9):
            raise ValueError(f"Discrete prior: probs must sum to 1; got sum {p.sum(axis=-1)}")
        object.__setattr__(self, "values", v.copy())
        object.__setattr__(self, "probs", p.copy())

    @property
    def low(self) -> np.ndarray:  # noqa: D102
        return np.min(np.where(self.probs > 0, self.values, np.inf), axis=-1)

    @property
    def high(self) -> np.ndarray:  # noqa: D102
        return np.max(np.where(self.probs > 0, self.values, -np.inf), axis=-1)

    @property
    def shape(self) -> tuple[int, ...]:  # noqa: D102
        return self.values.shape[:-1]

    def args(self) -> tuple[np.ndarray, ...]:  # noqa: D102
        return (self.values, self.probs)

    @property
    def dist(self) -> Any:
        """``scipy.stats.rv_discrete`` over integer codes; atoms in :attr:`values` (scalar case)."""
        if self.values.ndim != 1:
            raise ValueError("Discrete.dist exists only for a single parameter point")
        return stats.rv_discrete(values=(np.arange(self.values.size), self.probs))

    def _t(self, t: ArrayLike) -> np.ndarray:
        return np.asarray(t, dtype=float)[..., None]

    def cdf(self, t: ArrayLike) -> np.ndarray:  # noqa: D102
        return np.sum(self.probs * (self.values <= self._t(t)), axis=-1)

    def prob_below(self, t: ArrayLike) -> np.ndarray:  # noqa: D102
        return np.sum(self.probs * (self.values < self._t(t)), axis=-1)

    def partial_mean(self, t: ArrayLike) -> np.ndarray:  # noqa: D102
        return np.sum(self.probs * self.values * (self.values < self._t(t)), axis=-1)

    def scaled(self, k: ArrayLike) -> Discrete:  # noqa: D102
        k = _check_scale(k)
        return Discrete(self.values * k[..., None], self.probs)

    def sample(self, rng: np.random.Generator, size: int | tuple[int, ...]) -> np.ndarray:  # noqa: D102
        size = (size,) if isinstance(size, int) else tuple(size)
        u = rng.random(size + self.shape)[..., None]
        idx = np.sum(u >= np.cumsum(self.probs, axis=-1), axis=-1, keepdims=True)
        idx = np.minimum(idx, self.values.shape[-1] - 1)
        return np.take_along_axis(np.broadcast_to(self.values, size + self.values.shape), idx, -1)[
            ..., 0
        ]

    def __str__(self) -> str:
        if self.values.ndim == 1:
            atoms = ", ".join(f"{v:g}: {p:g}" for v, p in zip(self.values, self.probs, strict=True))
            return f"Discrete{{{atoms}}}"
        return f"Discrete(values{self.values.shape})"


def TwoPoint(low: ArrayLike, high: ArrayLike, p_high: ArrayLike) -> Discrete:  # noqa: N802
    """Two types: ``high`` with probability ``p_high``, else ``low``."""
    lo, hi, q = (np.asarray(x, dtype=np.float64) for x in (low, high, p_high))
    if np.any((q < 0) | (q > 1)):
        raise ValueError(f"TwoPoint prior: p_high = {_show(q)} must lie in [0, 1]")
    values = np.stack(np.broadcast_arrays(lo, hi), axis=-1)
    probs = np.stack(np.broadcast_arrays(1.0 - q, q), axis=-1)
    return Discrete(values, probs)
