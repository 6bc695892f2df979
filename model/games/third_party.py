r"""Third-party patron: a demand that must get past the target and its patron's tolerance.

The game (Werner 2000's extended-deterrence game in which the attacker chooses the stakes of the
war; the target's concessions in the shadow of intervention of Yuen 2009)
-------------------------------------------------------------------------------------------------
Three players: a challenger (A), a target (B) and the target's patron (P). The issue is
normalised to :math:`[0, 1]` and held by the target.

1. The challenger demands a share :math:`x \in [0, 1]`.
2. The patron's *tolerance* :math:`\theta` is drawn from :math:`U[\tau - s, \tau + s]`
   (``tolerance`` :math:`= \tau`, ``spread`` :math:`= s`). The patron and the target observe it
   (allies share what the patron will do); the challenger does not.
3. The target accepts, payoffs :math:`(x,\ 1 - x,\ -x)` for (A, B, P) (*compliance*), or resists
   and war starts.
4. The patron intervenes or stays out. The war is fought over the demanded stake (Werner's
   *stakes of war*: the winner imposes or defeats the demand): the challenger wins with
   probability :math:`p_0` against the target alone and :math:`p_1 < p_0` against the coalition,
   and the war lottery of the repository's convention applies to the stake :math:`x`:
   payoffs :math:`p_j x - c_A` and :math:`1 - p_j x - c_B`. The patron loses what the
   challenger gains and pays :math:`k = (p_0 - p_1)\theta` if it intervenes:
   :math:`-p_0 x` (out) or :math:`-p_1 x - (p_0 - p_1)\theta` (in).

So the patron intervenes iff :math:`(p_0 - p_1)x > k`, i.e. iff :math:`x > \theta`: its tolerance
is the demand at which its loss from the challenger's expected gain exceeds its cost of
intervening (ties: it stays out). The target accepts iff :math:`1 - x \ge 1 - p_j x - c_B`, i.e.
iff :math:`x \le a_j` with

.. math:: a_j = \min\{1,\ c_B / (1 - p_j)\},\qquad a_1 < a_0 \text{ unless both are } 1,

where :math:`j = 1` when it knows the patron will intervene (:math:`\theta < x`). In every
subgame-perfect equilibrium the target and the patron follow these rules (up to ties), so only the
challenger's choice is left. That the target knows the tolerance is a modelling choice (Yuen's
question is what *expected* support does to the target; here its expectation is exact); the
challenger's uncertainty is what makes demands risky.

The challenger's problem: a risk-return tradeoff over two audiences
--------------------------------------------------------------------
With :math:`F(x) = P(\theta < x)` the chance that the patron is not tolerant of :math:`x`,

.. math::
   EU_A(x) = \begin{cases}
   x & x \le a_1 \quad\text{(accepted even against the coalition)}\\
   (1 - F)\,x + F\,(p_1 x - c_A) & a_1 < x \le a_0 \quad\text{(accepted unless the target
   counts on the patron)}\\
   (1 - F)(p_0 x - c_A) + F\,(p_1 x - c_A) & x > a_0 \quad\text{(war, alone or against both)}.
   \end{cases}

A larger demand raises the return if the target concedes and the risk that the patron is not
tolerant of it, in which case the target resists and the patron joins the war. With :math:`F`
uniform on :math:`[\ell, h] = [\tau - s, \tau + s]` (:math:`w = 2s > 0`), each branch is
increasing below :math:`\ell`, a concave quadratic on :math:`[\ell, h]` and nondecreasing
(slope :math:`p_1 \ge 0`) above :math:`h`, with stationary points

.. math:: x_2 = \frac{\ell}{2} + \frac{w - c_A}{2(1 - p_1)},\qquad
          x_3 = \frac{\ell}{2} + \frac{p_0 w}{2(p_0 - p_1)}.

Hence (derived here) the optimal demand is the best of five candidates,

.. math:: x^* \in \{a_1,\ \mathrm{clip}(x_2, \max(a_1, \ell), \min(a_0, h)),\ a_0,\
          \mathrm{clip}(x_3, \max(a_0, \ell), \min(1, h)),\ 1\},

(a clip whose interval is empty is dropped; a clip onto the end :math:`a_0` of the war branch,
which is open there, is the demand :math:`a_0` itself, accepted when the patron stays out). With a
known tolerance (:math:`s = 0`, :math:`F(x) = 1\{x > \theta\}`) the clips become :math:`\theta`
and the candidates are :math:`a_1`, the moderate demand :math:`\min(\theta, a_0)`, moderated war
aims :math:`\theta`, and the all-out demand 1. Ties go to the smaller demand. At :math:`x^*`:

.. math:: P(\text{compliance}) = 1 - P(\text{war}),\quad
          P(\text{war with intervention}) = F(x^*)\,1\{x^* > a_1\},\quad
          P(\text{war without}) = (1 - F(x^*))\,1\{x^* > a_0\};

expected utilities follow from the payoffs above, the patron's with
:math:`E[\theta\,1\{\theta < x\}] = (m^2 - \ell^2)/(2w)`, :math:`m = \mathrm{clip}(x, \ell, h)`.
Both kinds of war are the outcome class ``war``; the intervention probability is reported
separately (``strategies["war.with_intervention"]``, ``["war.without_intervention"]``).

Regimes (``strategies["regime"]``): 0 *safe* (:math:`x^* \le a_1`: the target concedes even when
backed), 1 *moderate* (:math:`a_1 < x^* \le a_0`, :math:`F(x^*) = 0`: a demand every patron type
tolerates, so the target concedes; Werner's deterrence of intervention), 2 *risky*
(:math:`a_1 < x^* \le a_0`, :math:`F(x^*) > 0`: conceded unless the patron is intolerant), 3
*war* (:math:`x^* > a_0`: the target resists whatever the patron does).

Results
-------
From the papers (qualitative claims this model reproduces): Werner (2000) - an attacker moderates
its demands to deter intervention, so the third party's threat can fail to deter the attack
itself (here: regime 3 with :math:`x^* \le \ell`, war without intervention); Yuen (2009) - even
certain intervention need not embolden the target: it deters larger demands and shifts the
settlement in the target's favour.

Derived here, each checked by brute force over a grid of demands (and as a property test):

* The patron intervenes for sure only against the all-out demand: :math:`F(x^*) = 1` and
  :math:`x^* > a_1` imply :math:`x^* = 1` (below 1, :math:`p_1 x - c_A` rises in :math:`x`).
* The challenger's equilibrium value is nondecreasing in the tolerance :math:`\tau` (the
  intervention risk :math:`F` falls pointwise).
* Under *coalition deterrence*, :math:`p_1 - c_A \le a_1` (the challenger prefers the target's
  concession when backed to an all-out war against both), a more tolerant patron (higher
  :math:`\tau`, same :math:`s`) weakly raises the demand and weakly lowers the target's
  equilibrium utility; certain intervention (:math:`\tau = s = 0`) gives :math:`x^* = a_1`,
  accepted, no war, and the target is at least as well off as with no patron
  (:math:`\tau = 1, s = 0`, where :math:`x^* = a_0` or an all-out war). Without coalition
  deterrence all three can fail: an intolerant patron invites the all-out demand (war against
  both) where a tolerant one would get a moderated demand, so the demand is not monotone in
  :math:`\tau` and a certain patron can make the target worse off.

Correction of the specification sketched for this model: there the target accepts iff
:math:`x \le p_j + c_B` (a war over the whole issue). With a war over the whole issue and the
patron choosing after war starts, the patron's gain from intervening, :math:`p_0 - p_1 - k`, does
not depend on the demand, so the demand could not deter intervention; the stakes-of-war
assumption above gives the thresholds :math:`a_j = c_B/(1 - p_j)` and :math:`\theta = k/(p_0 -
p_1)` instead, and keeps the rest (a moderate demand :math:`\min(\theta, a_0)` is accepted; a
larger one only if the target does not count on the patron; war against the coalition pays
:math:`p_1 x - c_A`).

Solution methods
----------------
``closed_form`` evaluates the candidates above. ``backward_induction`` solves :func:`tree` (a
finite version with a grid of demands) with
:func:`model.solvers.backward.backward_induction_solve`. The closed form is certified on a small
tree whose demands are :math:`x^*`, the five candidates, :math:`x^* \pm 10^{-4}`, the ends
:math:`\ell, h` and an evenly spaced grid: :func:`model.checks.tree_certificate` (subgame
perfect) measures every player's regret at every node, so the target's and the patron's rules
and the challenger's choice among those demands are checked by code that shares nothing with
the formulas. Between those demands the pieces of :math:`EU_A` are concave or increasing, which is
what makes the candidates exhaustive.

Array convention
----------------
Parameters broadcast to one shape; every entry of the :class:`~model.types.Solution` is a float64
array of that shape. Tree annotations are ``(n_demands, *shape)``.

References
----------
.. [1] Werner, S. (2000). Deterring Intervention: The Stakes of War and Third-Party Involvement.
   *American Journal of Political Science* 44(4): 720-732.
.. [2] Yuen, A. (2009). Target Concessions in the Shadow of Intervention. *Journal of Conflict
   Resolution* 53(5): 745-773.
.. [3] Fearon, J. D. (1995). Rationalist Explanations for War. *International Organization*
   49(3): 379-414 (the risk-return tradeoff of a take-it-or-leave-it demand).

Examples
--------
A risky demand: conceded unless the target counts on an intolerant patron.

>>> s = solve(Params(p0=0.7, p1=0.1, c_A=0.1, c_B=0.18, tolerance=0.5, spread=0.5))
>>> round(float(s.strategies["challenger.demand"]), 6), int(s.strategies["regime"])
(0.5, 2)
>>> round(float(s.planned["war"]), 6), round(float(s.strategies["war.with_intervention"]), 6)
(0.5, 0.5)

Moderated war aims: the challenger attacks, but asks only what the patron tolerates.

>>> s = solve(Params(p0=0.8, p1=0.2, c_A=0.1, c_B=0.05, tolerance=0.6, spread=0.0))
>>> float(s.strategies["challenger.demand"]), float(s.strategies["war.without_intervention"])
(0.6, 1.0)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.checks import require_count, tree_certificate
from model.params import ParamSet, param
from model.registry import register
from model.tree import Chance, Decision, Game, Terminal
from model.types import Certificate, Outcome, Solution, outcome_table

__all__ = ["METHODS", "REGIMES", "Params", "outcomes_at_demand", "solve", "tree"]

NAME = "third_party"
TOLERANCE = 1e-9
METHODS = ("closed_form", "backward_induction")
#: Regime code (``strategies["regime"]``) -> name.
REGIMES = {0: "safe", 1: "moderate", 2: "risky", 3: "war"}
#: The game has perfect information: backward induction, no selection among equilibria.
SELECTION = "challenger_preferred"
# The contract tests solve tree(params, **TREE_OPTIONS) by backward induction. The tree is exact
# at its demands (the patron's types enter through the two cells that matter at each demand),
# and its grid holds the kinks a_1, a_0, the support's ends and 129 points on the support, so
# the only error is the distance of the grid from an interior optimum. Over 20 000 random
# parameter points the largest differences were 0.0038 (outcome probabilities) and 0.0025
# (expected utilities); at 324 corner points (extreme and zero-width parameters) 3e-11.
TREE_OPTIONS: dict[str, Any] = {"n_demands": 33, "n_support": 129}
TREE_TOLERANCE = 0.01
_CHECK_GRID = 9  # evenly spaced demands in the certificate's tree
_PERTURB = 1e-4  # the certificate also tries x* -/+ this
_BLOCK = 1 << 13  # parameter points per certificate tree
#: The target accepts a demand within this distance above its threshold (an indifference up to
#: rounding), as backward induction does with its default ``tie_tolerance``.
_TIE = 1e-12


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the third-party patron model; each may be an array (broadcast)."""

    p0: float = param(
        0.7,
        (0.0, 1.0),
        "challenger's probability of winning a war against the target alone",
        open_low=True,
        open_high=True,
    )
    p1: float = param(
        0.1,
        (0.0, 1.0),
        "challenger's probability of winning against the target and its patron (< p0)",
        open_high=True,
    )
    c_A: float = param(0.1, (0.0, 1.0), "challenger's cost of war, in units of the issue")
    c_B: float = param(0.18, (0.0, 1.0), "target's cost of war", open_low=True)
    tolerance: float = param(
        0.5,
        (0.0, 1.0),
        "centre of the patron's tolerance: it intervenes in a war iff the demand exceeds it",
    )
    spread: float = param(
        0.5,
        (0.0, 0.5),
        "half-width of the challenger's uniform uncertainty about the tolerance (0 = known)",
    )

    def check(self) -> None:
        """Require ``p1 < p0``: the patron's intervention must help the target."""
        p0, p1 = np.asarray(self.p0), np.asarray(self.p1)
        bad = ~(p1 < p0)
        if np.any(bad):
            i = np.flatnonzero(np.broadcast_to(bad, np.broadcast_shapes(p0.shape, p1.shape)))[0]
            raise ValueError(
                f"p1 = {np.broadcast_to(p1, bad.shape).flat[i]:g} and p0 = "
                f"{np.broadcast_to(p0, bad.shape).flat[i]:g}: the patron must help the target, "
                "p1 < p0"
            )


# -- the closed form -------------------------------------------------------------------------------
def _support(v: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ends and width of the tolerance's support: ``(lo, hi, w)``."""
    return v["tolerance"] - v["spread"], v["tolerance"] + v["spread"], 2.0 * v["spread"]


def _thresholds(v: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The target's acceptance thresholds ``(a0, a1)``: alone and backed by the patron."""
    return (
        np.minimum(1.0, v["c_B"] / (1.0 - v["p0"])),
        np.minimum(1.0, v["c_B"] / (1.0 - v["p1"])),
    )


def _below(x: np.ndarray, lo: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``F(x) = P(theta < x)`` and ``E[theta 1{theta < x}]`` under ``U[lo, lo + w]``."""
    pos = w > 0.0
    safe = np.where(pos, w, 1.0)
    m = np.clip(x, lo, lo + w)
    cdf = np.where(pos, (m - lo) / safe, x > lo)
    partial = np.where(pos, (m - lo) * (m + lo) / (2.0 * safe), np.where(x > lo, lo, 0.0))
    return cdf.astype(np.float64), partial


def _at_demand(x: np.ndarray, v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Outcome probabilities and expected utilities of demand ``x`` (players best-respond)."""
    p0, p1, c_A, c_B = v["p0"], v["p1"], v["c_A"], v["c_B"]
    lo, _, w = _support(v)
    a0, a1 = _thresholds(v)
    f, partial = _below(x, lo, w)
    resisted = x > a1 + _TIE  # the target resists when it counts on the patron (theta < x)
    war_with = np.where(resisted, f, 0.0)
    war_alone = np.where(x > a0 + _TIE, 1.0 - f, 0.0)
    comply = 1.0 - war_with - war_alone
    return {
        "demand": x,
        "risk": f,
        "compliance": comply,
        "war_with": war_with,
        "war_alone": war_alone,
        "challenger": comply * x + war_with * (p1 * x - c_A) + war_alone * (p0 * x - c_A),
        "target": comply * (1.0 - x)
        + war_with * (1.0 - p1 * x - c_B)
        + war_alone * (1.0 - p0 * x - c_B),
        "patron": -comply * x
        - war_with * p1 * x
        - war_alone * p0 * x
        - (p0 - p1) * np.where(resisted, partial, 0.0),
    }


def _candidates(v: dict[str, np.ndarray]) -> np.ndarray:
    """The five candidate demands of the module docstring, ``(5, *shape)``.

    A clip onto an empty interval is replaced by ``a1`` (a feasible demand that is a candidate
    anyway), so every candidate is evaluated by :func:`_at_demand` as the demand it is.
    """
    p0, p1, c_A = v["p0"], v["p1"], v["c_A"]
    lo, hi, w = _support(v)
    a0, a1 = _thresholds(v)
    x2 = 0.5 * lo + (w - c_A) / (2.0 * (1.0 - p1))
    x3 = 0.5 * lo + p0 * w / (2.0 * (p0 - p1))
    l2, u2 = np.maximum(a1, lo), np.minimum(a0, hi)
    l3, u3 = np.maximum(a0, lo), np.minimum(1.0, hi)
    c2 = np.where(l2 <= u2, np.clip(x2, l2, np.maximum(l2, u2)), a1)
    c3 = np.where(l3 <= u3, np.clip(x3, l3, np.maximum(l3, u3)), a1)
    return np.stack([a1, c2, a0, c3, np.ones_like(a1)])


def _regime(x: np.ndarray, risk: np.ndarray, a0: np.ndarray, a1: np.ndarray) -> np.ndarray:
    """Regime codes of :data:`REGIMES` for demand ``x`` and intervention risk ``F(x)``."""
    alone, backed = x <= a0 + _TIE, x <= a1 + _TIE
    return np.select([backed, alone & (risk <= 0.0), alone], [0.0, 1.0, 2.0], 3.0)


def _closed_form(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    cands = _candidates(v)
    eu = _at_demand(cands, v)["challenger"]
    best = np.argmax(eu, axis=0)  # the first maximum: ties go to the smaller demand
    x = np.take_along_axis(cands, best[None], axis=0)[0]
    out = _at_demand(x, v)
    a0, a1 = _thresholds(v)
    out["regime"] = _regime(x, out["risk"], a0, a1)
    out["a0"], out["a1"], out["candidates"] = a0, a1, cands
    return out


def outcomes_at_demand(params: Params, demand: Any) -> dict[str, np.ndarray]:
    """Return what happens if the challenger demands ``demand`` (not necessarily optimal).

    The target and the patron best-respond. Keys: ``demand``, ``compliance``,
    ``war_with_intervention``, ``war_without_intervention``, ``eu_challenger``, ``eu_target``,
    ``eu_patron`` and ``optimal_demand`` (of :func:`solve`), each of the broadcast shape of
    ``params`` and ``demand``.

    Examples
    --------
    >>> out = outcomes_at_demand(Params(), [0.2, 0.55, 1.0])
    >>> [round(float(v), 4) for v in out["compliance"]]
    [1.0, 0.45, 0.0]
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be third_party.Params, got {type(params).__name__}")
    x = np.asarray(demand, dtype=np.float64)
    if np.any(~np.isfinite(x) | (x < 0) | (x > 1)):
        raise ValueError(f"demand = {demand!r} is out of range: a demand must lie in [0, 1]")
    v = params.broadcast()
    shape = np.broadcast_shapes(x.shape, params.shape)
    v = {k: np.broadcast_to(a, shape) for k, a in v.items()}
    o = _at_demand(np.broadcast_to(x, shape), v)
    best = _closed_form(v)["demand"]
    names = {
        "compliance": "compliance",
        "war_with": "war_with_intervention",
        "war_alone": "war_without_intervention",
        "challenger": "eu_challenger",
        "target": "eu_target",
        "patron": "eu_patron",
    }
    out = {"demand": np.asarray(o["demand"], dtype=np.float64)}
    out.update({new: o[old] for old, new in names.items()})
    out["optimal_demand"] = best
    return out


# -- the tree --------------------------------------------------------------------------------------
_PLAYERS = ("challenger", "target", "patron")


def _cells(
    x: np.ndarray, v: dict[str, np.ndarray], n_types: int | None
) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """The patron's types after demand ``x``: ``(label, probability, tolerance)`` per branch.

    ``n_types = None``: the two cells that matter, *tolerant* (``theta >= x``) and *intolerant*
    (``theta < x``), each represented by its conditional mean tolerance (the patron's payoff is
    linear in ``theta``, so this is exact); an empty cell gets the tolerance ``x`` itself.
    Otherwise ``n_types`` equally likely types at the midpoints of equal-probability bins.
    """
    lo, hi, w = _support(v)
    if n_types is None:
        f, partial = _below(x, lo, w)
        mean_all = 0.5 * (lo + hi)
        upper = mean_all - partial  # E[theta 1{theta >= x}]
        with np.errstate(divide="ignore", invalid="ignore"):
            low_mean = np.where(f > 0.0, partial / np.where(f > 0.0, f, 1.0), x)
            high_mean = np.where(f < 1.0, upper / np.where(f < 1.0, 1.0 - f, 1.0), x)
        # rounding must not carry a cell's mean across x (it decides the patron's choice)
        low_mean = np.where(f > 0.0, np.minimum(low_mean, np.nextafter(x, -np.inf)), x)
        high_mean = np.where(f < 1.0, np.maximum(high_mean, x), x)
        return [("tolerant", 1.0 - f, high_mean), ("intolerant", f, low_mean)]
    u = (np.arange(n_types) + 0.5) / n_types
    return [(f"t{k}", np.full(np.shape(x), 1.0 / n_types), lo + w * u[k]) for k in range(n_types)]


def _tree_demands(
    v: dict[str, np.ndarray],
    n_demands: int,
    n_support: int,
    extra: np.ndarray | None,
) -> np.ndarray:
    """Demands of the tree, ``(n, *shape)``: ``extra`` first, then the grid, sorted."""
    shape = v["p0"].shape
    lo, hi, _ = _support(v)
    a0, a1 = _thresholds(v)
    axis = (-1,) + (1,) * len(shape)
    grid = np.broadcast_to(np.linspace(0.0, 1.0, n_demands).reshape(axis), (n_demands,) + shape)
    s_lo, s_hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
    support = s_lo + (s_hi - s_lo) * np.linspace(0.0, 1.0, n_support).reshape(axis)
    rest = np.sort(np.concatenate([grid, support, a1[None], a0[None]]), axis=0)
    if extra is None:
        return rest
    return np.concatenate([np.asarray(extra, dtype=np.float64).reshape((-1,) + shape), rest])


def _build(
    v: dict[str, np.ndarray], demands: np.ndarray, n_types: int | None, title: str
) -> tuple[Game, list[list[tuple[str, np.ndarray, np.ndarray]]]]:
    p0, p1, c_A, c_B = v["p0"], v["p1"], v["c_A"], v["c_B"]
    branches: dict[str, Any] = {}
    all_cells = []
    for j, x in enumerate(demands):
        cells = _cells(x, v, n_types)
        all_cells.append(cells)
        types = {}
        for label, prob, theta in cells:
            types[label] = (
                prob,
                Decision(
                    "target",
                    f"target.d{j}.{label}",
                    {
                        "accept": Terminal((x, 1.0 - x, -x), label=str(Outcome.COMPLIANCE)),
                        "resist": Decision(
                            "patron",
                            f"patron.d{j}.{label}",
                            {
                                "stay_out": Terminal(
                                    (p0 * x - c_A, 1.0 - p0 * x - c_B, -p0 * x),
                                    label=str(Outcome.WAR),
                                ),
                                "intervene": Terminal(
                                    (
                                        p1 * x - c_A,
                                        1.0 - p1 * x - c_B,
                                        -p1 * x - (p0 - p1) * theta,
                                    ),
                                    label=str(Outcome.WAR),
                                ),
                            },
                        ),
                    },
                ),
            )
        branches[f"d{j}"] = Chance(types)
    game = Game(
        _PLAYERS,
        Decision("challenger", "challenger", branches),
        title=title,
        annotations={
            "model": NAME,
            "demands": demands,
            "types": "two cells (tolerant, intolerant)"
            if n_types is None
            else f"{n_types} midpoint types",
            "tie_rule": "the target accepts and the patron stays out when indifferent "
            "(first actions)",
        },
    )
    return game, all_cells


def tree(
    params: Params,
    *,
    n_demands: int = 33,
    n_support: int = 33,
    n_types: int | None = None,
    demands: Any = None,
) -> Game:
    r"""Build the game as a finite perfect-information tree (batched over parameter points).

    1. The challenger picks a demand (information set ``"challenger"``, actions ``"d0"``,
       ``"d1"``, ...; the values are in ``game.annotations["demands"]``, ``(n, *params.shape)``);
    2. nature draws the patron's type (see below);
    3. the target, knowing the type, accepts (``(x, 1 - x, -x)``, labelled ``compliance``) or
       resists (information sets ``"target.d<j>.<type>"``, actions ``("accept", "resist")``);
    4. the patron stays out (:math:`(p_0 x - c_A,\ 1 - p_0 x - c_B,\ -p_0 x)`) or intervenes
       (:math:`(p_1 x - c_A,\ 1 - p_1 x - c_B,\ -p_1 x - (p_0 - p_1)\theta)`), both labelled
       ``war`` (information sets ``"patron.d<j>.<type>"``, actions ``("stay_out",
       "intervene")``).

    Nature moves after the demand: the challenger learns nothing before it demands, so this is
    the game of the module docstring. Types: with ``n_types=None`` (default) the two cells
    that matter at demand :math:`x`, ``"tolerant"`` (:math:`\theta \ge x`, probability
    :math:`1 - F(x)`) and ``"intolerant"`` (:math:`\theta < x`, probability :math:`F(x)`),
    each with its conditional mean tolerance. Every type in a cell makes the same choices and
    the payoffs are linear in :math:`\theta`, so the tree is *exact* at its demands. With an
    integer ``n_types``, the midpoints of ``n_types`` equal-probability bins of the uniform
    prior, each with probability ``1/n_types`` (an approximation converging at rate
    :math:`1/n`).

    Demands: ``n_demands`` evenly spaced in :math:`[0, 1]`, ``n_support`` evenly spaced over the
    tolerance's support clipped to :math:`[0, 1]`, and the target's thresholds :math:`a_1, a_0`
    (where its choice switches), sorted; the demands in ``demands`` (an array of shape
    ``(k, *params.shape)`` or broadcastable to it) come first. Ties: the first action
    (``accept``, ``stay_out``, the smaller demand of the grid) is the model's tie rule and is what
    :func:`~model.solvers.backward.backward_induction_solve` picks.

    Parameters
    ----------
    params : Params
        Parameters; array fields give a batch of games with one tree shape.
    n_demands, n_support : int
        Sizes of the two grids of demands, at least 2.
    n_types : int, optional
        Number of patron types (at least 1); ``None`` for the exact two cells.
    demands : array_like, optional
        Extra demands in :math:`[0, 1]` placed first.

    Returns
    -------
    model.tree.Game
        Players ``("challenger", "target", "patron")``.

    Examples
    --------
    >>> from model.solvers.backward import backward_induction_solve
    >>> game = tree(Params(), n_demands=21, n_support=21)
    >>> res = backward_induction_solve(game)
    >>> demand = game.annotations["demands"][res.choice["challenger"]]
    >>> round(float(demand), 4), [round(float(u), 4) for u in res.root_values]
    (0.5, [0.225, 0.635, -0.35])
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be third_party.Params, got {type(params).__name__}")
    n_demands = require_count("n_demands", n_demands, low=2)
    n_support = require_count("n_support", n_support, low=2)
    if n_types is not None:
        n_types = require_count("n_types", n_types, low=1)
    v = params.broadcast()
    extra = None
    if demands is not None:
        extra = np.asarray(demands, dtype=np.float64)
        if extra.ndim == 0:
            extra = extra[None]
        if np.any(~np.isfinite(extra) | (extra < 0.0) | (extra > 1.0)):
            raise ValueError(f"demands = {demands!r} is out of range: demands must lie in [0, 1]")
        try:
            extra = np.broadcast_to(extra, extra.shape[:1] + params.shape)
        except ValueError:
            raise ValueError(
                f"demands has shape {extra.shape}; it must be (k, *params.shape) = "
                f"(k, {', '.join(map(str, params.shape))}) or broadcast to it"
            ) from None
    grid = _tree_demands(v, n_demands, n_support, extra)
    title = f"third-party patron: {len(grid)} demands"
    return _build(v, grid, n_types, title)[0]


# -- solving ---------------------------------------------------------------------------------------
def _certify(v: dict[str, np.ndarray], o: dict[str, np.ndarray]) -> np.ndarray:
    """The closed-form profile's regret on a small tree (see the module docstring)."""
    shape = v["p0"].shape
    flat_v = {k: a.reshape(-1) for k, a in v.items()}
    x = o["demand"].reshape(-1)
    cands = o["candidates"].reshape(5, -1)
    a0, a1 = o["a0"].reshape(-1), o["a1"].reshape(-1)
    n = x.size
    regret = np.empty(n)
    for s in range(0, n, _BLOCK):
        sl = slice(s, s + _BLOCK)
        vb = {k: a[sl] for k, a in flat_v.items()}
        xb = x[sl]
        # a1, a0, 1 and the support's ends are on the grid of _tree_demands already
        extra = np.concatenate(
            [
                xb[None],
                cands[[1, 3], sl],
                np.clip(xb - _PERTURB, 0.0, 1.0)[None],
                np.clip(xb + _PERTURB, 0.0, 1.0)[None],
            ]
        )
        demands = _tree_demands(vb, _CHECK_GRID, 2, extra)
        game, cells = _build(vb, demands, None, "certificate tree")
        profile: dict[str, np.ndarray] = {}
        choose = np.zeros((len(demands),) + xb.shape)
        choose[0] = 1.0
        profile["challenger"] = choose
        for j, d in enumerate(demands):
            for label, _, theta in cells[j]:
                join = theta < d  # the patron's rule
                accept = d <= np.where(join, a1[sl], a0[sl]) + _TIE  # the target's rule
                profile[f"target.d{j}.{label}"] = np.stack([accept, ~accept]).astype(np.float64)
                profile[f"patron.d{j}.{label}"] = np.stack([~join, join]).astype(np.float64)
        cert = tree_certificate(game, profile, tolerance=TOLERANCE, subgame_perfect=True)
        regret[sl] = cert.max_regret
    return regret.reshape(shape)


_CHECKS = {
    "tree_regret": "the closed-form profile has no regret for any player at any node of a tree "
    f"whose demands are x*, the five candidates, x* -/+ {_PERTURB:g}, the support's ends, the "
    f"target's thresholds and {_CHECK_GRID} evenly spaced demands "
    "(model.checks.tree_certificate, subgame perfect)",
    "bayes": "not applicable: every mover who knows the patron's tolerance observes it; the "
    "challenger moves before anything is revealed",
}


def solve(
    params: Params,
    *,
    method: str = "closed_form",
    n_demands: int = TREE_OPTIONS["n_demands"],
    n_support: int = TREE_OPTIONS["n_support"],
) -> Solution:
    """Solve the third-party patron game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form", "backward_induction"}
        The candidates of the module docstring, or backward induction on :func:`tree` (the
        best demand on its grid).
    n_demands, n_support : int
        Grid sizes of the tree for ``method="backward_induction"``.

    Returns
    -------
    Solution
        Strategies ``challenger.demand``, ``challenger.intervention_risk`` (:math:`F(x^*)`,
        the chance the patron would join a war), ``war.with_intervention``,
        ``war.without_intervention`` and ``regime`` (:data:`REGIMES`); cutpoints
        ``target.accept_alone`` (:math:`a_0`), ``target.accept_backed`` (:math:`a_1`) and
        ``patron.tolerance`` (patron types below it intervene); outcome probabilities
        (compliance and war); expected utilities of the three players; the certificate.
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be third_party.Params, got {type(params).__name__}")
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    v = params.broadcast()
    shape = params.shape
    if method == "closed_form":
        o = _closed_form(v)
        certificate = Certificate(
            max_regret=_certify(v, o),
            bayes_gap=np.zeros(shape),
            tolerance=TOLERANCE,
            checks=dict(_CHECKS),
        )
        method_params: dict[str, Any] = {
            "equilibrium": "subgame perfect; the target accepts and the patron stays out when "
            "indifferent, the challenger takes the smaller demand among equally good ones",
            "regimes": dict(REGIMES),
        }
    else:
        o, certificate = _backward(params, v, n_demands, n_support)
        method_params = {"n_demands": n_demands, "n_support": n_support, "regimes": dict(REGIMES)}
    planned = outcome_table(
        {Outcome.COMPLIANCE: o["compliance"], Outcome.WAR: o["war_with"] + o["war_alone"]}, shape
    )
    utilities = {p: np.broadcast_to(o[p], shape) for p in _PLAYERS}
    lo, hi, _ = _support(v)
    return Solution(
        model=NAME,
        params=params,
        strategies={
            "challenger.demand": np.broadcast_to(o["demand"], shape),
            "challenger.intervention_risk": np.broadcast_to(o["risk"], shape),
            "war.with_intervention": np.broadcast_to(o["war_with"], shape),
            "war.without_intervention": np.broadcast_to(o["war_alone"], shape),
            "regime": np.broadcast_to(o["regime"], shape),
        },
        cutpoints={
            "target.accept_alone": o["a0"],
            "target.accept_backed": o["a1"],
            "patron.tolerance": np.broadcast_to(o["demand"], shape),
        },
        beliefs={
            "challenger": "the patron's tolerance is uniform on [tolerance - spread, tolerance "
            "+ spread]" + (f" = [{float(lo):g}, {float(hi):g}]" if shape == () else ""),
            "target": "knows the patron's tolerance",
        },
        planned=planned,
        realised=planned,
        utilities_planned=utilities,
        utilities_realised=utilities,
        method=method,
        method_params=method_params,
        converged=np.ones(shape, dtype=bool),
        certificate=certificate,
    )


def _backward(
    params: Params, v: dict[str, np.ndarray], n_demands: int, n_support: int
) -> tuple[dict[str, np.ndarray], Certificate]:
    from model.solvers.backward import backward_induction_solve

    game = tree(params, n_demands=n_demands, n_support=n_support)
    res = backward_induction_solve(game, tolerance=TOLERANCE)
    pick = res.choice["challenger"]
    demands = game.annotations["demands"]
    x = np.take_along_axis(demands, pick[None], axis=0)[0]
    reach = game.reach_probabilities(res.profile)
    war_with = np.zeros(params.shape)
    war_alone = np.zeros(params.shape)
    for info in game.terminals:
        node = game.nodes[info]
        if node.edge == "intervene":
            war_with = war_with + reach[info]
        elif node.edge == "stay_out":
            war_alone = war_alone + reach[info]
    a0, a1 = _thresholds(v)
    lo, _, w = _support(v)
    risk = _below(x, lo, w)[0]
    o = {
        "demand": x,
        "risk": risk,
        "compliance": 1.0 - war_with - war_alone,
        "war_with": war_with,
        "war_alone": war_alone,
        "a0": a0,
        "a1": a1,
        "regime": _regime(x, risk, a0, a1),
    }
    o.update({p: res.root_values[k] for k, p in enumerate(_PLAYERS)})
    return o, res.certificate
