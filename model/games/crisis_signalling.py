r"""Crisis signalling: a threat from a challenger of private resolve, with audience costs.

The game (the standard coercion game with one-sided private resolve, of the family of Banks
1990 and Morrow 1989; audience costs as in Fearon 1994)
------------------------------------------------------------------------------------------
Nature makes the challenger *resolved* with probability :math:`\pi`, else *unresolved*; only the
challenger knows which.

1. The challenger makes no threat (status quo, payoffs :math:`(0, 0)`) or threatens.
2. The target concedes (compliance: :math:`(1, -1)`) or resists.
3. After resistance the challenger fights (war: :math:`(w_\theta, -d)`) or backs down
   (:math:`(-a, 0)`; :math:`a > 0` is the audience cost of backing down).

With :math:`w_R > 0` and :math:`w_R > -a > w_U` the resolved type fights and the unresolved type
backs down (sequential rationality), and the resolved type threatens whatever happens. The target
resists iff its posterior :math:`\mu = P(R \mid \text{threat})` satisfies :math:`-\mu d \ge -1`,
i.e. :math:`\mu \le 1/d`, where :math:`d > 1` (it prefers conceding to a sure war).

Perfect Bayesian equilibrium (derived from the indifference conditions)
----------------------------------------------------------------------
* :math:`\pi < 1/d`, **semi-separating**: the unresolved type threatens with probability
  :math:`q^* = \pi(d - 1)/(1 - \pi)`, which makes the target indifferent (:math:`\mu = 1/d`);
  the target resists with probability :math:`r^* = 1/(1 + a)`, which makes the unresolved type
  indifferent (:math:`(1 - r) \cdot 1 + r \cdot (-a) = 0`). Then

  .. math:: P(\text{threat}) = \pi d,\quad P(\text{compliance}) = \frac{\pi d\, a}{1 + a},\quad
            P(\text{war}) = \frac{\pi}{1 + a},\quad P(\text{backdown}) =
            \frac{\pi (d - 1)}{1 + a},\quad P(\text{status quo}) = 1 - \pi d;

  expected payoffs :math:`\pi (a + w_R)/(1 + a)` (challenger; the unresolved type gets 0) and
  :math:`-\pi d` (target). A threat succeeds with probability :math:`a/(1+a)` whatever
  :math:`\pi` and :math:`d`: audience costs make threats credible.
* :math:`\pi \ge 1/d`, **pooling**: both types threaten and the target concedes; payoffs
  :math:`(1, -1)`. (At :math:`\pi = 1/d` the target is indifferent; the challenger-preferred
  equilibrium, certain concession, is reported.)

No separating equilibrium exists: with costless threats the unresolved type would mimic the
resolved one. At :math:`\pi = 0.3, d = 2, a = 1`: :math:`q^* = 3/7`, :math:`r^* = 1/2`, and the
outcome probabilities are 0.4 (status quo), 0.3 (compliance), 0.15 (war), 0.15 (back-down).

Solution methods
----------------
``closed_form`` evaluates the formulas above. ``pbe`` builds :func:`tree` (batched over all
parameter points), enumerates every perfect Bayesian equilibrium with
:func:`model.solvers.pbe.pbe_solve` (pure ones with their off-path belief regions, and
semi-separating ones) and picks one per point by a named selection rule
(:mod:`model.solvers.selection`; ``selection``, recorded in ``method_params``). Both certify
their profile on the tree with :func:`model.checks.assessment_certificate` (sequential rationality
at every information set, Bayes consistency of the target's belief), so the closed form is
checked by a computation that shares nothing with it.

References
----------
.. [1] Banks, J. S. (1990). Equilibrium behavior in crisis bargaining games. *American Journal of
   Political Science* 34(3): 599-614.
.. [2] Morrow, J. D. (1989). Capabilities, uncertainty, and resolve: a limited information model
   of crisis bargaining. *American Journal of Political Science* 33(4): 941-972.
.. [3] Fearon, J. D. (1994). Domestic political audiences and the escalation of international
   disputes. *American Political Science Review* 88(3): 577-592.

Examples
--------
>>> s = solve(Params(pi=0.3, d=2.0, a=1.0))
>>> {str(k): round(float(v), 4) for k, v in s.planned.items() if v}
{'status_quo': 0.4, 'compliance': 0.3, 'backdown': 0.15, 'war': 0.15}
>>> round(float(s.strategies["unresolved.threaten"]), 6), float(s.strategies["target.resist"])
(0.428571, 0.5)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model import catalog
from model.checks import assessment_certificate
from model.params import ParamSet, param
from model.registry import register
from model.tree import Game
from model.types import Outcome, Solution, outcome_table

__all__ = ["METHODS", "Params", "solve", "tree"]

NAME = "crisis_signalling"
TOLERANCE = 1e-9
METHODS = ("closed_form", "pbe")
#: The selection rule the ``pbe`` method and the contract tests use unless told otherwise.
SELECTION = "challenger_preferred"
# the tree is the game itself (no discretisation): generic and closed-form answers agree exactly
TREE_OPTIONS: dict[str, Any] = {}
TREE_TOLERANCE = 1e-7


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the crisis signalling game; each may be an array (broadcast)."""

    pi: float = param(
        0.3,
        (0.0, 1.0),
        "prior probability that the challenger is resolved",
        open_low=True,
        open_high=True,
    )
    d: float = param(
        2.0, (1.0, 10.0), "target's cost of war (it prefers conceding iff d > 1)", open_low=True
    )
    a: float = param(1.0, (0.0, 10.0), "challenger's audience cost of backing down", open_low=True)
    w_resolved: float = param(
        1.0, (0.0, 10.0), "war payoff of the resolved challenger", open_low=True
    )
    w_unresolved: float = param(-2.0, (-20.0, 0.0), "war payoff of the unresolved challenger")

    def check(self) -> None:
        """Require ``w_unresolved < -a``: the unresolved type prefers backing down to war."""
        a, w_u = np.asarray(self.a), np.asarray(self.w_unresolved)
        bad = ~(w_u < -a)
        if np.any(bad):
            i = np.flatnonzero(np.broadcast_to(bad, np.broadcast_shapes(a.shape, w_u.shape)))[0]
            raise ValueError(
                f"w_unresolved = {np.broadcast_to(w_u, bad.shape).flat[i]:g} and a = "
                f"{np.broadcast_to(a, bad.shape).flat[i]:g}: the unresolved challenger must "
                "prefer backing down to war, w_unresolved < -a"
            )


def tree(params: Params) -> Game:
    """Build the game as a finite tree (batched over parameter points).

    It is :func:`model.catalog.crisis_signalling` at these parameters: information sets
    ``C.resolved``, ``C.unresolved`` (``no_threat``, ``threaten``), ``T.threat`` (``concede``,
    ``resist``), ``C.resolved.resisted``, ``C.unresolved.resisted`` (``back_down``, ``fight``);
    terminals labelled by outcome class.
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be crisis_signalling.Params, got {type(params).__name__}")
    v = params.broadcast()
    return catalog.crisis_signalling(
        pi=v["pi"], d=v["d"], a=v["a"], w_resolved=v["w_resolved"], w_unresolved=v["w_unresolved"]
    )


def _closed_form(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    pi, d, a, w_r = v["pi"], v["d"], v["a"], v["w_resolved"]
    semi = pi < 1.0 / d
    q = np.where(semi, pi * (d - 1.0) / np.where(semi, 1.0 - pi, 1.0), 1.0)
    r = np.where(semi, 1.0 / (1.0 + a), 0.0)
    threat = pi + (1.0 - pi) * q
    return {
        "q": q,
        "r": r,
        "mu": pi / threat,
        Outcome.STATUS_QUO: 1.0 - threat,
        Outcome.COMPLIANCE: threat * (1.0 - r),
        Outcome.WAR: pi * r,
        Outcome.BACKDOWN: (1.0 - pi) * q * r,
        "challenger": pi * ((1.0 - r) + r * w_r) + (1.0 - pi) * q * ((1.0 - r) - r * a),
        "target": -threat * (1.0 - r) - pi * r * d,
    }


def _profile(q: np.ndarray, r: np.ndarray) -> dict[str, np.ndarray]:
    one, zero = np.ones_like(q), np.zeros_like(q)
    return {
        "C.resolved": np.stack([zero, one]),
        "C.unresolved": np.stack([1.0 - q, q]),
        "T.threat": np.stack([1.0 - r, r]),
        "C.resolved.resisted": np.stack([zero, one]),
        "C.unresolved.resisted": np.stack([one, zero]),
    }


def solve(params: Params, *, method: str = "closed_form", selection: str = SELECTION) -> Solution:
    """Solve the crisis signalling game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form", "pbe"}
        The formulas of the module docstring, or every perfect Bayesian equilibrium of the tree
        followed by a selection rule.
    selection : str
        The rule that picks one equilibrium per point for ``method="pbe"`` (a key of
        :data:`model.solvers.selection.RULES`); the closed form is the challenger-preferred
        equilibrium.

    Returns
    -------
    Solution
        Threat and resistance probabilities, the target's posterior, outcome probabilities,
        expected utilities and the assessment certificate on the tree.
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be crisis_signalling.Params, got {type(params).__name__}")
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    from model.solvers.selection import RULES

    if selection not in RULES:
        raise ValueError(f"selection = {selection!r} is not one of {sorted(RULES)}")
    v = params.broadcast()
    shape = v["pi"].shape
    game = tree(params)
    if method == "closed_form":
        o = _closed_form(v)
        profile = _profile(o["q"], o["r"])
        mu = np.stack([o["mu"], 1.0 - o["mu"]])
        certificate = assessment_certificate(game, profile, {"T.threat": mu}, tolerance=TOLERANCE)
        method_params: dict[str, Any] = {
            "equilibrium": "challenger-preferred (unique if pi != 1/d)"
        }
        converged = np.ones(shape, dtype=bool)
        q, r = o["q"], o["r"]
        outcomes = {k: o[k] for k in Outcome if k in o}
        utilities = {"challenger": o["challenger"], "target": o["target"]}
        mu = o["mu"]
    else:
        q, r, mu, outcomes, utilities, certificate, converged = _pbe(game, selection, shape)
        method_params = {"selection": selection}
    planned = outcome_table(outcomes, shape)
    return Solution(
        model=NAME,
        params=params,
        strategies={
            "resolved.threaten": np.ones(shape),
            "unresolved.threaten": np.broadcast_to(q, shape),
            "target.resist": np.broadcast_to(r, shape),
        },
        cutpoints={},
        beliefs={"target (posterior that a threatener is resolved)": mu},
        planned=planned,
        realised=planned,
        utilities_planned=utilities,
        utilities_realised=utilities,
        method=method,
        method_params=method_params,
        converged=converged,
        certificate=certificate,
    )


def _pbe(game: Game, selection: str, shape: tuple[int, ...]) -> tuple[Any, ...]:
    from model.solvers.pbe import pbe_solve
    from model.solvers.selection import select

    res = pbe_solve(game)
    pick = select(res.equilibria, selection, game=game if not shape else None).index
    if np.any(pick < 0):
        raise ValueError(
            f"selection rule {selection!r} finds no qualifying equilibrium at "
            f"{int(np.sum(pick < 0))} parameter point(s)"
        )

    def take(values: list[np.ndarray]) -> np.ndarray:
        stacked = np.stack([np.broadcast_to(x, shape) for x in values])
        return np.take_along_axis(stacked, pick[None], axis=0)[0]

    eqs = res.equilibria
    q = take([e.profile["C.unresolved"][1] for e in eqs])
    r = take([e.profile["T.threat"][1] for e in eqs])
    mu = np.stack([take([e.beliefs["T.threat"][j] for e in eqs]) for j in range(2)])
    outcomes = {o: take([e.outcome_probabilities[str(o)] for e in eqs]) for o in Outcome}
    utilities = {
        p: take([np.asarray(e.payoffs)[k] for e in eqs]) for k, p in enumerate(game.players)
    }
    max_regret = take([e.certificate.max_regret for e in eqs])
    bayes_gap = take([e.certificate.bayes_gap for e in eqs])
    from model.types import Certificate

    first = eqs[0].certificate
    certificate = Certificate(
        max_regret=max_regret, bayes_gap=bayes_gap, tolerance=first.tolerance, checks=first.checks
    )
    return q, r, mu[0], outcomes, utilities, certificate, np.asarray(res.converged)
