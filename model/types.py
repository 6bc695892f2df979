"""Outcomes, certificates and solutions: the values every solver returns.

Array convention
----------------
A :class:`Solution` describes one or many parameter points. Every numeric entry (a strategy, a
cutpoint, an outcome probability, an expected utility, a certificate's regret) is a float64 array
of the solution's ``shape``, which is the broadcast shape of the parameters; ``shape == ()`` for a
single point. ``Solution.columns()`` flattens a solution into tidy, one-row-per-point columns.

Planned and realised
--------------------
A decision maker best-responds to its *belief* about the other side's type. ``planned`` gives the
outcome probabilities that follow from its strategy under that belief; ``realised`` gives them
under the true prior. With no misperception the two coincide.

Examples
--------
>>> table = outcome_table({Outcome.COMPLIANCE: 0.7, "war": 0.3}, shape=())
>>> [(str(o), float(v)) for o, v in table.items()]  # doctest: +NORMALIZE_WHITESPACE
[('status_quo', 0.0), ('compliance', 0.7), ('settlement', 0.0), ('backdown', 0.0),
 ('war', 0.3)]
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["Certificate", "Outcome", "Solution", "outcome_table"]


class Outcome(enum.StrEnum):
    """How a crisis ends; the probabilities of the five classes sum to one."""

    STATUS_QUO = "status_quo"  #: no demand is made
    COMPLIANCE = "compliance"  #: the target concedes: compellence succeeds
    SETTLEMENT = "settlement"  #: a negotiated partial deal
    BACKDOWN = "backdown"  #: the challenger retreats: compellence fails without war
    WAR = "war"  #: compellence fails into war


def outcome_table(
    values: Mapping[Outcome | str, Any], shape: tuple[int, ...]
) -> dict[Outcome, np.ndarray]:
    """Complete a partial mapping of outcome probabilities: missing classes get zero."""
    out = {}
    for o in Outcome:
        v = values.get(o, values.get(str(o), 0.0))
        # read-only views: a Solution is immutable, and sweeps of 10^6 points should not copy
        out[o] = np.broadcast_to(np.asarray(v, dtype=np.float64), shape)
    unknown = set(map(str, values)) - {str(o) for o in Outcome}
    if unknown:
        raise ValueError(
            f"unknown outcome class(es) {sorted(unknown)}; valid: {[str(o) for o in Outcome]}"
        )
    return out


@dataclass(frozen=True, eq=False)
class Certificate:
    """Independent evidence that a profile is an equilibrium.

    Attributes
    ----------
    max_regret : ndarray
        The largest gain any player (any type, at any information set checked) could make by
        deviating, per parameter point. Zero for an exact equilibrium.
    bayes_gap : ndarray
        The largest difference between a belief held on the equilibrium path and the one Bayes'
        rule gives; zero where beliefs are not used (then ``checks`` says so).
    tolerance : float
        The threshold below which both gaps count as zero.
    checks : dict
        Name -> one-line description of each check that was run.
    """

    max_regret: np.ndarray
    bayes_gap: np.ndarray
    tolerance: float
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def passed(self) -> np.ndarray:
        """Per point, whether every check passed within tolerance."""
        return (np.asarray(self.max_regret) <= self.tolerance) & (
            np.asarray(self.bayes_gap) <= self.tolerance
        )

    @property
    def all_passed(self) -> bool:
        """Whether every check passed at every parameter point."""
        return bool(np.all(self.passed))


@dataclass(frozen=True, eq=False)
class Solution:
    """An equilibrium of a crisis model at one or many parameter points, and how it was found.

    Attributes
    ----------
    model : str
        Registry name of the model.
    params : object
        The validated parameters that were solved.
    strategies : dict[str, ndarray]
        Named equilibrium choices, e.g. ``"challenger.demand"``.
    cutpoints : dict[str, ndarray]
        Type thresholds at which a player's choice switches.
    beliefs : dict[str, Any]
        What each decision maker believed (a description of its prior).
    planned, realised : dict[Outcome, ndarray]
        Outcome probabilities under the decision maker's belief and under the truth.
    utilities_planned, utilities_realised : dict[str, ndarray]
        Expected utilities per player under the belief and under the truth.
    method : str
        How the solution was computed (e.g. ``"closed_form"``).
    method_params : dict
        The method's settings (grid sizes, tolerances, iterations).
    converged : ndarray of bool
        Per point: did the method converge?
    certificate : Certificate
        Independent verification of the profile.
    """

    model: str
    params: Any
    strategies: dict[str, np.ndarray]
    cutpoints: dict[str, np.ndarray]
    beliefs: dict[str, Any]
    planned: dict[Outcome, np.ndarray]
    realised: dict[Outcome, np.ndarray]
    utilities_planned: dict[str, np.ndarray]
    utilities_realised: dict[str, np.ndarray]
    method: str
    method_params: dict[str, Any]
    converged: np.ndarray
    certificate: Certificate

    @property
    def shape(self) -> tuple[int, ...]:
        """Broadcast shape of the parameter points."""
        return np.shape(self.realised[Outcome.WAR])

    def columns(self) -> dict[str, np.ndarray]:
        """Flat, tidy columns (one entry per parameter point) for tables and sweeps.

        Names: ``planned_<outcome>``, ``realised_<outcome>``, ``<strategy>``, ``cut_<name>``,
        ``eu_planned_<player>``, ``eu_realised_<player>``, ``converged``, ``max_regret``,
        ``bayes_gap``, ``certified``. Dots in names become underscores.
        """
        shape = self.shape
        cols: dict[str, np.ndarray] = {}

        def put(name: str, value: Any) -> None:
            cols[name.replace(".", "_")] = np.broadcast_to(np.asarray(value), shape).reshape(-1)

        for o in Outcome:
            put(f"planned_{o}", self.planned[o])
        for o in Outcome:
            put(f"realised_{o}", self.realised[o])
        for k, v in self.strategies.items():
            put(k, v)
        for k, v in self.cutpoints.items():
            put(f"cut_{k}", v)
        for k, v in self.utilities_planned.items():
            put(f"eu_planned_{k}", v)
        for k, v in self.utilities_realised.items():
            put(f"eu_realised_{k}", v)
        put("converged", self.converged)
        put("max_regret", self.certificate.max_regret)
        put("bayes_gap", self.certificate.bayes_gap)
        put("certified", self.certificate.passed)
        return cols

    def summary(self) -> str:
        """A human-readable account of a single-point solution."""
        if self.shape != ():
            return f"{self.model}: solution at {int(np.prod(self.shape))} parameter points"
        lines = [f"model: {self.model}    method: {self.method}"]
        lines.append(
            "parameters: " + ", ".join(f"{k}={v:g}" for k, v in self.params.values().items())
        )
        for k, v in self.beliefs.items():
            lines.append(f"{'true prior' if k == 'truth' else 'belief of ' + k}: {v}")
        for k, v in self.strategies.items():
            lines.append(f"strategy {k}: {float(v):.6g}")
        for k, v in self.cutpoints.items():
            lines.append(f"cutpoint {k}: {float(v):.6g}")
        lines.append(f"{'outcome':<12}{'planned':>10}{'realised':>10}")
        for o in Outcome:
            lines.append(
                f"{o!s:<12}{float(self.planned[o]):>10.4f}{float(self.realised[o]):>10.4f}"
            )
        for k in self.utilities_realised:
            lines.append(
                f"expected utility {k}: planned {float(self.utilities_planned[k]):.6g}, "
                f"realised {float(self.utilities_realised[k]):.6g}"
            )
        c = self.certificate
        lines.append(
            f"certificate: {'passed' if c.all_passed else 'FAILED'} (max regret "
            f"{float(c.max_regret):.2e}, Bayes gap {float(c.bayes_gap):.2e}, "
            f"tolerance {c.tolerance:g})"
        )
        for k, v in c.checks.items():
            lines.append(f"  - {k}: {v}")
        lines.append(f"converged: {bool(self.converged)}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (arrays become lists)."""

        def conv(x: Any) -> Any:
            if isinstance(x, np.ndarray | np.generic):
                return x.tolist()
            if isinstance(x, dict):
                return {str(k): conv(v) for k, v in x.items()}
            return x

        return {
            "model": self.model,
            "params": conv(self.params.values()),
            "method": self.method,
            "method_params": conv(self.method_params),
            "beliefs": {k: str(v) for k, v in self.beliefs.items()},
            "strategies": conv(self.strategies),
            "cutpoints": conv(self.cutpoints),
            "planned": conv(self.planned),
            "realised": conv(self.realised),
            "utilities_planned": conv(self.utilities_planned),
            "utilities_realised": conv(self.utilities_realised),
            "converged": conv(self.converged),
            "certificate": {
                "passed": conv(self.certificate.passed),
                "max_regret": conv(self.certificate.max_regret),
                "bayes_gap": conv(self.certificate.bayes_gap),
                "tolerance": self.certificate.tolerance,
                "checks": self.certificate.checks,
            },
        }
