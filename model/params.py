"""Bounded, documented, validated model parameters.

Every crisis model declares its parameters as a frozen dataclass whose fields are made with
:func:`param`. Each field carries a default, a closed or open interval of valid values and a
one-line meaning; the command line, the sweep engine and the contract tests read all three from
the class, so a model states them exactly once.

Array convention
----------------
A numeric field holds either a Python ``float``/``int`` (one parameter point) or a read-only
``float64`` array (many points, broadcast against the other fields by numpy's rules). Validation
checks every element and names the offending field, value and range.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Demo(ParamSet):
...     p: float = param(0.5, (0.0, 1.0), "chance of winning")
>>> Demo(p=0.3).p
0.3
>>> Demo(p=1.5)
Traceback (most recent call last):
...
ValueError: p = 1.5 is out of range: p must lie in [0, 1] (chance of winning)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np

__all__ = ["Bounds", "ParamSet", "check_value", "param", "param_specs"]


@dataclass(frozen=True)
class Bounds:
    """A real interval ``[low, high]``; either end may be open or infinite."""

    low: float = -math.inf
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False

    def __str__(self) -> str:
        left = "(" if self.low_open or math.isinf(self.low) else "["
        right = ")" if self.high_open or math.isinf(self.high) else "]"
        return f"{left}{_fmt(self.low)}, {_fmt(self.high)}{right}"

    def contains(self, values: np.ndarray) -> np.ndarray:
        """Elementwise membership test."""
        lo = values > self.low if self.low_open else values >= self.low
        hi = values < self.high if self.high_open else values <= self.high
        return lo & hi


@dataclass(frozen=True)
class ParamSpec:
    """What the class says about one field: used by the CLI, sweeps and contract tests."""

    name: str
    default: float
    bounds: Bounds
    doc: str
    integer: bool = False


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:g}"


def param(
    default: float,
    bounds: tuple[float, float] | Bounds,
    doc: str,
    *,
    open_low: bool = False,
    open_high: bool = False,
    integer: bool = False,
) -> Any:
    """Declare a model parameter: default, valid interval and one-line meaning.

    Parameters
    ----------
    default : float
        The value used when the caller gives none; must itself be valid.
    bounds : (low, high) or Bounds
        The valid interval, closed unless ``open_low``/``open_high`` say otherwise.
    doc : str
        One line saying what the parameter means, in the model's vocabulary.
    integer : bool
        Whether the parameter counts something (then values must be whole numbers).
    """
    if not isinstance(bounds, Bounds):
        low, high = bounds
        bounds = Bounds(float(low), float(high), open_low, open_high)
    spec = ParamSpec(name="", default=default, bounds=bounds, doc=doc, integer=integer)
    if not bounds.contains(np.asarray(float(default))):
        raise ValueError(f"default {default!r} lies outside {bounds}")
    return dataclasses.field(default=default, metadata={"param": spec})


def param_specs(cls_or_obj: Any) -> dict[str, ParamSpec]:
    """The :class:`ParamSpec` of every declared parameter, in declaration order."""
    out = {}
    for f in dataclasses.fields(cls_or_obj):
        spec = f.metadata.get("param")
        if spec is not None:
            out[f.name] = dataclasses.replace(spec, name=f.name)
    return out


def check_value(name: str, value: Any, spec: ParamSpec) -> float | int | np.ndarray:
    """Validate one parameter's value (a number or an array) against its spec.

    Parameters
    ----------
    name : str
        The parameter's name, used in the error message.
    value : number or array_like
        The value(s) to check.
    spec : ParamSpec
        The parameter's declared bounds, meaning and integrality (:func:`param_specs`).

    Returns
    -------
    float, int or numpy.ndarray
        The value as a Python number (scalar input) or a read-only array (int64 for an integer
        parameter, else float64).

    Raises
    ------
    ValueError
        If the value is not numeric, empty, not finite, outside the bounds, or not whole for an
        integer parameter; the message names the field, the value and the range.
    """
    if isinstance(value, bool) or isinstance(value, str | bytes) or value is None:
        raise ValueError(
            f"{name} = {value!r} has the wrong type: {name} must be a number or an array of "
            f"numbers in {spec.bounds} ({spec.doc})"
        )
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} = {value!r} has the wrong type: {name} must be a number or an array of "
            f"numbers in {spec.bounds} ({spec.doc})"
        ) from None
    if arr.size == 0:
        raise ValueError(f"{name} is an empty array: give at least one value in {spec.bounds}")
    # fast path: two reductions (NaN propagates through min/max and fails the comparison)
    lo, hi = arr.min(), arr.max()
    b = spec.bounds
    ok = (lo > b.low if b.low_open else lo >= b.low) and (
        hi < b.high if b.high_open else hi <= b.high
    )
    ok = ok and bool(np.isfinite(lo) and np.isfinite(hi))
    if ok and spec.integer:
        ok = bool(np.all(arr == np.round(arr)))
    if not ok:
        bad = ~np.isfinite(arr) | ~spec.bounds.contains(arr)
        if spec.integer:
            bad |= np.isfinite(arr) & (arr != np.round(arr))
        first = arr[bad].flat[0] if arr.ndim else arr.item()
        what = "a whole number in" if spec.integer else "in"
        where = "" if arr.ndim == 0 else f" ({int(bad.sum())} of {arr.size} values, e.g. {first:g})"
        shown = f"{first:g}" if arr.ndim == 0 else "array"
        raise ValueError(
            f"{name} = {shown} is out of range{where}: {name} must lie {what} {spec.bounds} "
            f"({spec.doc})"
        )
    if arr.ndim == 0:
        return int(arr) if spec.integer else float(arr)
    arr = arr.astype(np.int64) if spec.integer else arr.copy()
    arr.flags.writeable = False
    return arr


class ParamSet:
    """Base class for a model's frozen parameter dataclass.

    Subclasses are ``@dataclass(frozen=True)`` and declare fields with :func:`param`. They may
    override :meth:`check` for constraints that involve several fields; it must raise
    ``ValueError`` naming the fields and their values.
    """

    _specs: ClassVar[dict[str, ParamSpec]]

    def __post_init__(self) -> None:
        for name, spec in param_specs(self).items():
            object.__setattr__(self, name, check_value(name, getattr(self, name), spec))
        try:
            np.broadcast_shapes(*(np.shape(v) for v in self.values().values()))
        except ValueError:
            shapes = {k: np.shape(v) for k, v in self.values().items() if np.ndim(v)}
            raise ValueError(
                f"parameter arrays do not broadcast together: shapes {shapes}"
            ) from None
        self.check()

    def check(self) -> None:
        """Cross-field constraints; the default has none."""

    # -- views ---------------------------------------------------------------------------------
    def values(self) -> dict[str, float | np.ndarray]:
        """Field name -> value, in declaration order."""
        return {name: getattr(self, name) for name in param_specs(self)}

    @property
    def shape(self) -> tuple[int, ...]:
        """The broadcast shape of all fields: ``()`` for one parameter point."""
        return np.broadcast_shapes(*(np.shape(v) for v in self.values().values()))

    def broadcast(self) -> dict[str, np.ndarray]:
        """Every field as a float64 array of the common :attr:`shape`."""
        vals = self.values()
        arrs = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in vals.values()))
        return dict(zip(vals, arrs, strict=True))

    def point(self, index: int | tuple[int, ...]) -> ParamSet:
        """The scalar parameter point at ``index`` of the broadcast shape."""
        arrs = self.broadcast()
        return type(self)(**{k: v[index].item() for k, v in arrs.items()})

    def replace(self, **changes: Any) -> ParamSet:
        """A copy with some fields changed (validated again)."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> ParamSet:
        """Build from a mapping, rejecting names the model does not have."""
        known = param_specs(cls)
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ValueError(
                f"unknown parameter(s) {', '.join(unknown)} for {cls.__module__}; "
                f"valid names: {', '.join(known)}"
            )
        return cls(**values)
