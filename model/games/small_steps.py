r"""Small steps or one big demand: gradual coercion against a target of private resolve.

The game (a two-type, two-step version of the screening model of war; derived here)
---------------------------------------------------------------------------------------
The issue is :math:`[0, 1]`; the challenger's (A's) share is :math:`x`. A war is won by A with
probability :math:`p` and costs A :math:`c_A > 0` and the target (B) :math:`c_\theta`, where the
target's type :math:`\theta` is private: *resolute* (:math:`R`, probability :math:`\pi`, low cost
:math:`c_R`) or *accommodating* (:math:`W`, cost :math:`c_W > c_R`). War is worth
:math:`u = p - c_A` to A and :math:`1 - r_\theta` to type :math:`\theta`, where

.. math:: r_\theta = p + c_\theta, \qquad r_R < r_W \le 1,

is the largest share type :math:`\theta` concedes rather than fight (:math:`p + c_W \le 1`:
neither type gives up the whole issue to avoid war).

The issue is a flow. The first step governs the first period, a share :math:`1 - \delta` of the
issue's present value; the final settlement governs the rest, a share :math:`\delta` (the
discount factor between the steps; :math:`1 - \delta` is the *size of the first step*).

1. **First step** (a limited demand: a ceasefire line, a prisoner exchange). A demands the
   interim terms :math:`x_1`. The target accepts (flow :math:`(x_1, 1 - x_1)` for the first
   period) or refuses; a refusal means the crisis goes on unresolved and the sides fight through
   the first period (flow :math:`(u, 1 - r_\theta)`: the war's payoffs, for one period).
2. **Final demand.** A, having seen the response and updated its belief to :math:`\mu`, demands
   :math:`X_2` for the rest of time; the target accepts (:math:`(X_2, 1 - X_2)`) or fights a war
   to the end (:math:`(u, 1 - r_\theta)`).

Payoffs are :math:`(1 - \delta)\cdot\text{first period} + \delta\cdot\text{rest}`. *One big
demand* is the benchmark in which A makes a single take-it-or-leave-it demand :math:`X` for the
whole horizon (the limit :math:`\delta \to 0`; :func:`compare`).

**Outcome classes.** As in :mod:`model.games.screening` and :mod:`model.games.risk_return`, an
accepted big demand is ``compliance`` and a refused one ``war``. Under small steps the crisis ends
in a negotiated ``settlement`` when the final demand is accepted (whether or not the first step
was refused and fought over) and in ``war`` when it is refused. *Peace* is compliance plus
settlement. Because a refused first step means a period of fighting, :func:`compare` also reports
the *expected fighting*: the expected present-value share of the horizon spent fighting
(:math:`\pi` for a big demand that the resolute type refuses).

Equilibrium (derived here; perfect Bayesian, challenger-preferred)
------------------------------------------------------------------
Write :math:`D = c_W + c_A`, :math:`\Delta = c_W - c_R = r_W - r_R` and

.. math:: \bar\pi = \frac{\Delta}{D} = \frac{c_W - c_R}{c_W + c_A}, \qquad
          R(\mu) = (1 - \mu)\, r_W + \mu\, u = r_W - \mu D.

*Final demand.* Only :math:`X_2 \in \{r_R, r_W\}` can be optimal: *safe* :math:`r_R` (both types
accept, A gets :math:`r_R`) or *screening* :math:`r_W` (the accommodating type accepts, the
resolute fights, A gets :math:`R(\mu)`). A screens iff :math:`\mu < \bar\pi`: the two-type
screening threshold :math:`\Delta/(\Delta + L)` of :mod:`model.games.screening` (THEORY.md M10)
with the loss on the resolute type :math:`L = r_R - u = c_R + c_A`; at :math:`\bar\pi` A is
indifferent and the safe demand is reported. Either way the resolute type gets exactly its war
payoff :math:`1 - r_R` from the final step, and the accommodating type gets :math:`1 - r_W` plus a
rent :math:`\Delta` if A plays safe.

*First step.* Let :math:`\rho_a, \rho_f` be the probabilities that A screens after an acceptance
and after a refusal. The resolute type's final payoff does not depend on A's belief, so it
accepts :math:`x_1` iff :math:`x_1 \le r_R`: it never hides its type. The accommodating type
accepts iff

.. math:: (1 - \delta)(r_W - x_1) \ge \delta\,\Delta\,(\rho_a - \rho_f),

so it is the one with a motive to misrepresent: refusing makes it look resolute and may buy the
lenient final demand (the *ratchet effect* of dynamic screening without commitment; Freixas,
Guesnerie and Tirole 1985, Laffont and Tirole 1988, Hart and Tirole 1988). A first demand that
separates the types (:math:`W` accepts and is then held to :math:`r_W`, :math:`R` refuses and then
gets :math:`r_R`) must leave :math:`W` the information rent :math:`\delta\Delta`:

.. math:: x_1 \le \hat x = r_W - \frac{\delta}{1 - \delta}\,\Delta,

and such a demand exceeds :math:`r_R` (so that :math:`R` refuses) iff :math:`\delta < 1/2`. For
:math:`\delta \ge 1/2` the rent outweighs the first step and no first demand separates.

Solving the continuation at every :math:`x_1` (challenger-preferred where several equilibria
exist) and maximising over :math:`x_1` leaves three candidate first demands:

* **pooling**, :math:`x_1 = r_R`: both types accept, nothing is learned, the final demand is made
  at the prior. :math:`V_P = (1 - \delta) r_R + \delta \max\{r_R, R(\pi)\}`.
* **separating** (:math:`\delta < 1/2`), :math:`x_1 = \hat x`: the accommodating type accepts and
  is asked :math:`r_W`; the resolute type refuses, fights the first period and settles at
  :math:`r_R`. :math:`V_S = (1 - \delta) R(\pi) + \delta r_R`; peace is certain.
* **semi-separating** (:math:`\pi < \bar\pi`), :math:`x_1 = r_W`: the accommodating type accepts
  with probability :math:`q^* = 1 - \pi(1 - \bar\pi)/(\bar\pi(1 - \pi))`, which leaves A's
  posterior after a refusal at :math:`\bar\pi`; after a refusal A screens, so the resolute type
  goes to war. :math:`V_M = r_W - \pi D\,[(1 - \delta)/\bar\pi + \delta]`. (For
  :math:`\max(\hat x, r_R) < x_1 < r_W` the continuation is the same with :math:`\rho_f = 1 - (1 -
  \delta)(r_W - x_1)/(\delta\Delta)`, and A's payoff rises to :math:`V_M` at :math:`x_1 = r_W`.)

Comparing them (for :math:`\pi \ge \bar\pi`, :math:`V_P = r_R \ge V_S` and there is no
:math:`V_M`; for :math:`\pi < \bar\pi`, :math:`V_S - V_P = (1 - 2\delta)(R(\pi) - r_R)`,
:math:`V_S - V_M \propto (1 - \delta)\pi(1 - \bar\pi)/\bar\pi - \delta(\bar\pi - \pi)` and
:math:`V_M - V_P \propto \bar\pi^2 - \pi`) gives the regimes of :func:`regime`:

.. math:: \pi_\ell(\delta) = \frac{\delta\,\bar\pi^2}{(1 - \delta)(1 - \bar\pi) + \delta\bar\pi}
          \quad (\delta < 1/2), \qquad \pi_\ell(\delta) = \bar\pi^2 \quad (\delta \ge 1/2),

* :math:`\pi \ge \bar\pi`: ``pooling-safe`` (peace; no fighting);
* :math:`\delta < 1/2`, :math:`\pi_\ell \le \pi < \bar\pi`: ``separating`` (peace; the resolute
  type fights the first period: expected fighting :math:`\pi(1 - \delta)`);
* :math:`\delta \ge 1/2`, :math:`\pi_\ell \le \pi < \bar\pi`: ``pooling-screen`` (war with the
  resolute type at the final step: :math:`P(\text{war}) = \pi`, fighting :math:`\pi\delta`);
* :math:`\pi < \pi_\ell`: ``semi-separating`` (:math:`P(\text{war}) = \pi`; fighting
  :math:`\pi[(1 - \delta)/\bar\pi + \delta]`).

Ties (A indifferent between first demands) go to the lower first demand (so pooling at
:math:`\pi = \bar\pi` and at :math:`\delta = 1/2`, separating at :math:`\pi = \pi_\ell` when
:math:`\delta < 1/2`).

Expected payoffs. The resolute type always gets its war payoff, :math:`U_R = 1 - r_R`; the
accommodating type gets :math:`1 - r_R` (pooling-safe), :math:`1 - r_R - \delta\Delta`
(pooling-screen), :math:`1 - r_W + \delta\Delta` (separating) or :math:`1 - r_W`
(semi-separating). So :math:`U_R \ge U_W` and the resolute type fights at least as often: Banks's
(1990) monotonicity in the informed side's war payoff.

When do small steps raise the chance of peace?
----------------------------------------------
One big demand is the two-type screening game: A demands :math:`r_W` (war with probability
:math:`\pi`) iff :math:`\pi < \bar\pi`, else :math:`r_R` (peace), and gets
:math:`V_B = \max\{r_R, R(\pi)\}`. Comparing:

* **Small steps raise P(peace), from** :math:`1 - \pi` **to 1, iff** :math:`\delta < 1/2` **and**
  :math:`\pi_\ell(\delta) \le \pi < \bar\pi`: the first step is large enough for the
  accommodating type to reveal itself, a big demand would gamble, and the resolute type is common
  enough that A prefers learning to squeezing. Expected fighting falls from :math:`\pi` to
  :math:`\pi(1 - \delta)`.
* They do not when :math:`\pi \ge \bar\pi` (both plans settle peacefully on :math:`r_R`: the
  first step reveals nothing and changes nothing), when :math:`\delta \ge 1/2` and
  :math:`\pi \ge \pi_\ell` (the ratchet: the accommodating type would hide, so no first demand
  separates; both types accept a small first step, which teaches A nothing and only delays the
  gamble: P(war) stays :math:`\pi`, though the fighting is delayed, to :math:`\pi\delta`), or
  when :math:`\pi < \pi_\ell` (A uses the first step to squeeze the accommodating type, P(war)
  stays :math:`\pi` and expected fighting *rises* above the big demand's). So gradualism is not
  always better (in a trust game, Kartal, Müller and Tremewan 2021 show that it need not raise
  joint payoffs either).
* A never gains from starting small: :math:`V_P, V_S, V_M \le V_B` (equal only in the
  pooling-safe region). A challenger able to commit to one take-it-or-leave-it demand does not
  haggle (Riley and Zeckhauser 1983); gradualism pays only when it is imposed (by a mediator, a
  negotiating format, domestic ratification), which is how :func:`solve` treats it.

Which statements are whose. The game, every equilibrium and closed form above are derived here
and checked by brute force: the tests solve the continuation after each first demand of a fine
grid with the generic perfect Bayesian enumeration (:func:`model.solvers.pbe.pbe_solve`) and
maximise over the grid, and compare the big demand with the enumeration of its screening tree.
THEORY.md M11 conjectures that a resolute type may accept the first step *to hide its type*;
here it cannot gain from hiding (it is held to its war payoff whatever A believes), and the type
that hides is the accommodating one (the ratchet). The resolute type does accept a small first
step, :math:`x_1 \le r_R`, in the pooling regimes, which is THEORY.md's "no learning, small steps
only delay". THEORY.md's minimal salami condition [D], that a forward-looking defender facing a
stream of slices :math:`s` resists iff :math:`s/(1 - \delta) > c_D`, follows in one line (one
fight at cost :math:`c_D` ends a stream worth :math:`\sum_k \delta^k s`) and is confirmed; its
one-type, infinite-stream game is not implemented here. Schelling (1966) names salami tactics;
Watson (2002) and Kydd (2000) show starting small and costly reassurance building trust in
games where types differ in their willingness to cooperate, not in their war payoffs as here.

Solution methods
----------------
``closed_form`` evaluates the formulas above. ``pbe`` solves the continuation after each of the
three candidate first demands generically: :func:`tree` at each (batched), every perfect Bayesian
equilibrium enumerated by :func:`model.solvers.pbe.pbe_solve`, one picked per point by a
selection rule, and the best candidate for A kept. Each candidate is moved down into the
interior of the interval of first demands that share its continuation, by
:math:`\max(\text{NUDGE} \cdot w, \text{NUDGE\_GAP}/(1 - \delta))` (at most :math:`w/2`;
:math:`w` the interval's width; :data:`NUDGE`, :data:`NUDGE_GAP`): at the exact optimum the
continuation is not generic (at :math:`x_1 = r_W` the accommodating type is indifferent at both
steps and the semi-separating equilibria form a continuum, which the enumeration of generic
equilibria does not list), and the absolute part keeps the deciding type's payoff gap above the
enumeration's tolerance. Outcomes are constant on each interval except in the semi-separating
regime, where :math:`\rho_f` moves by at most :math:`\max(\text{NUDGE},
\text{NUDGE\_GAP}/(\delta\Delta))`; so ``pbe`` matches the closed form to about
:math:`10^{-6}`, worse only in nearly degenerate games (:math:`\delta\Delta \ll 10^{-2}`).

Certificate. :func:`solve` certifies the closed form on a tree in which A also picks the first
demand, from the optimum and :data:`N_FIRST` evenly spaced alternatives on :math:`[0, 1]`, each
followed by the closed-form continuation (:func:`continuation`):
:func:`model.checks.assessment_certificate` checks that no type, and A at no information set under
the stated beliefs, gains by deviating, and that the beliefs are Bayes' rule on the path.

Array convention
----------------
Every field of :class:`Params` may be an array; fields broadcast by numpy's rules and every
strategy, cutpoint, belief, outcome probability and utility has the broadcast shape (float64).
In the trees, second demands are ``annotations["second_demands"]``, ``(2 + n_offers, *shape)``:
:math:`r_R` (action ``safe``), :math:`r_W` (``screen``), then ``n_offers`` evenly spaced demands
on :math:`[0, 1]` (``d0``, ``d1``, ...).

References
----------
.. [1] Schelling, T. C. (1966). *Arms and Influence*. Yale University Press (salami tactics).
.. [2] Fearon, J. D. (1995). Rationalist explanations for war. *International Organization*
   49(3): 379-414 (private information and the risk-return trade-off).
.. [3] Banks, J. S. (1990). Equilibrium behavior in crisis bargaining games. *American Journal of
   Political Science* 34(3): 599-614 (monotonicity in the informed side's type).
.. [4] Freixas, X., Guesnerie, R. and Tirole, J. (1985). Planning under incomplete information and
   the ratchet effect. *Review of Economic Studies* 52(2): 173-191.
.. [5] Laffont, J.-J. and Tirole, J. (1988). The dynamics of incentive contracts. *Econometrica*
   56(5): 1153-1175 (separation is too costly when the future matters; pooling).
.. [6] Hart, O. D. and Tirole, J. (1988). Contract renegotiation and Coasian dynamics. *Review of
   Economic Studies* 55(4): 509-540.
.. [7] Riley, J. and Zeckhauser, R. (1983). Optimal selling strategies: when to haggle, when to
   hold firm. *Quarterly Journal of Economics* 98(2): 267-289 (a seller who can commit posts one
   price).
.. [8] Kydd, A. (2000). Trust, reassurance, and cooperation. *International Organization* 54(2):
   325-357.
.. [9] Watson, J. (2002). Starting small and commitment. *Games and Economic Behavior* 38(1):
   176-199.
.. [10] Kartal, M., Müller, W. and Tremewan, J. (2021). Building trust: the costs and benefits of
   gradualism. *Games and Economic Behavior* 130: 258-275.

Examples
--------
A separating first step: the accommodating type accepts the first demand, the resolute type
refuses, fights one period and settles; peace is certain, where one big demand would mean war
with probability 0.4.

>>> s = solve(Params(pi=0.4, p=0.4, c_A=0.1, c_B_resolute=0.05, c_B_accommodating=0.3,
...                  delta=0.4))
>>> regime(s.params).item(), round(float(s.strategies["challenger.first_demand"]), 6)
('separating', 0.533333)
>>> {str(k): round(float(v), 6) for k, v in s.planned.items() if v}
{'settlement': 1.0}
>>> c = compare(s.params)
>>> float(c["peace_big"][0]), round(float(c["fighting_small"][0]), 6)
(0.6, 0.24)
>>> round(float(c["eu_challenger_small"][0]), 6), round(float(c["eu_challenger_big"][0]), 6)
(0.504, 0.54)

A patient target (delta > 1/2) would hide its type: both types accept a small first step and
the resolute type is fought at the final step, as under one big demand.

>>> s = solve(s.params.replace(delta=0.7))
>>> regime(s.params).item(), round(float(s.planned["war"]), 6)
('pooling-screen', 0.4)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.checks import assessment_certificate, require_count
from model.params import ParamSet, param
from model.registry import register
from model.tree import Chance, Decision, Game, Terminal
from model.types import Certificate, Outcome, Solution, outcome_table

__all__ = [
    "METHODS",
    "REGIMES",
    "Params",
    "big_demand_tree",
    "choice_tree",
    "compare",
    "continuation",
    "regime",
    "solve",
    "tree",
]

NAME = "small_steps"
TOLERANCE = 1e-9
METHODS = ("closed_form", "pbe")
#: The selection rule the ``pbe`` method and the contract tests use unless told otherwise.
SELECTION = "challenger_preferred"
#: Evenly spaced second demands on [0, 1] in the trees, besides r_R and r_W.
N_OFFERS = 3
#: Evenly spaced alternative first demands on [0, 1] in the certificate's tree.
N_FIRST = 5
#: Evenly spaced final demands on [0, 1] (besides r_R and r_W) in the certificate's tree.
N_CHECK_OFFERS = 2
#: Relative nudge of the optimal first demand into the interior of its interval (tree, ``pbe``).
NUDGE = 1e-6
#: Smallest first-step payoff gap the nudge leaves the deciding type (100 x the PBE tolerance).
NUDGE_GAP = 1e-7
# The contract tests solve tree(params, **TREE_OPTIONS), the continuation after the (nudged)
# optimal first demand, by perfect Bayesian enumeration. The nudge moves outcome probabilities by
# at most pi * max(NUDGE, NUDGE_GAP / (delta * (c_W - c_R))) and utilities by at most the move
# (module docstring); over 2300 random contract draws the largest gap measured was 9e-7.
TREE_OPTIONS: dict[str, Any] = {"n_offers": 2}
TREE_TOLERANCE = 1e-5
#: Labels of :func:`regime`, in the order of the first demands (ties go to the earlier one).
REGIMES = ("pooling-safe", "pooling-screen", "separating", "semi-separating")
TYPES = ("resolute", "accommodating")
_PAST = {"accept": "accepted", "refuse": "refused"}  # A's information sets after each response
_TIE = 1e-12  # |accept - fight| below this (rounding of p + c) is an exact tie: accept
_BLOCK = 1 << 12  # parameter points per block of the certificate (bounded memory)


def _first_bad(bad: np.ndarray, *values: Any) -> list[float]:
    """The values of the first point where ``bad`` holds (all broadcast to its shape)."""
    shape = np.broadcast_shapes(bad.shape, *(np.shape(v) for v in values))
    i = np.flatnonzero(np.broadcast_to(bad, shape))[0]
    return [float(np.broadcast_to(v, shape).flat[i]) for v in values]


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the small-steps game; each may be an array (broadcast)."""

    pi: float = param(
        0.4,
        (0.0, 1.0),
        "prior probability that the target is resolute",
        open_low=True,
        open_high=True,
    )
    p: float = param(0.4, (0.0, 1.0), "challenger's probability of winning a war")
    c_A: float = param(0.1, (0.0, 1.0), "challenger's cost of war", open_low=True)
    c_B_resolute: float = param(
        0.05, (0.0, 1.0), "resolute target's cost of war (c_B_resolute < c_B_accommodating)"
    )
    c_B_accommodating: float = param(
        0.3,
        (0.0, 1.0),
        "accommodating target's cost of war (p + c_B_accommodating <= 1)",
        open_low=True,
    )
    delta: float = param(
        0.4,
        (0.0, 1.0),
        "weight of the final settlement, i.e. the discount factor between the steps (the first "
        "step governs a share 1 - delta of the issue's present value)",
        open_low=True,
        open_high=True,
    )

    def check(self) -> None:
        """Require ``c_B_resolute < c_B_accommodating`` and ``p + c_B_accommodating <= 1``."""
        c_r, c_w = np.asarray(self.c_B_resolute), np.asarray(self.c_B_accommodating)
        bad = ~(c_r < c_w)
        if np.any(bad):
            r_i, w_i = _first_bad(bad, c_r, c_w)
            raise ValueError(
                f"c_B_resolute = {r_i:g} and c_B_accommodating = {w_i:g}: the resolute target "
                "must have the lower cost of war, c_B_resolute < c_B_accommodating"
            )
        p = np.asarray(self.p)
        bad = ~(p + c_w <= 1.0)
        if np.any(bad):
            p_i, w_i = _first_bad(bad, p, c_w)
            raise ValueError(
                f"p = {p_i:g} and c_B_accommodating = {w_i:g}: neither type may prefer giving up "
                "the whole issue to war, p + c_B_accommodating <= 1"
            )


def _check_params(params: Any) -> Params:
    if not isinstance(params, Params):
        raise TypeError(f"params must be small_steps.Params, got {type(params).__name__}")
    return params


# -- closed form ---------------------------------------------------------------------------------
def _basics(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Derived quantities of the module docstring, all of the broadcast shape."""
    pi, p, c_a, delta = v["pi"], v["p"], v["c_A"], v["delta"]
    c_r, c_w = v["c_B_resolute"], v["c_B_accommodating"]
    a, b = 1.0 - delta, delta
    r_r, r_w = p + c_r, p + c_w
    gap, d = c_w - c_r, c_w + c_a
    pibar = gap / d
    below = pi < pibar
    q_star = np.where(below, 1.0 - pi * (1.0 - pibar) / (pibar * (1.0 - pi)), 0.0)
    low = np.where(
        delta < 0.5, delta * pibar**2 / ((1.0 - delta) * (1.0 - pibar) + delta * pibar), pibar**2
    )
    return {
        "pi": pi,
        "a": a,
        "b": b,
        "u": p - c_a,
        "r_r": r_r,
        "r_w": r_w,
        "gap": gap,
        "D": d,
        "pibar": pibar,
        "x_hat": r_w - b / a * gap,
        "q_star": q_star,
        "pi_low": low,
        "w_r": 1.0 - r_r,  # the types' war payoffs (1 - p - c)
        "w_w": 1.0 - r_w,
    }


def _assemble(
    k: dict[str, np.ndarray],
    x1: np.ndarray,
    alpha_r: np.ndarray,
    alpha_w: np.ndarray,
    rho_a: np.ndarray,
    rho_f: np.ndarray,
) -> dict[str, np.ndarray]:
    """Payoffs and outcomes of a continuation profile (types' first responses, A's screening)."""
    pi, a, b, u, r_r, r_w = k["pi"], k["a"], k["b"], k["u"], k["r_r"], k["r_w"]
    # A's final-step payoff against each type, after each response
    fin_r = {"a": rho_a * u + (1.0 - rho_a) * r_r, "f": rho_f * u + (1.0 - rho_f) * r_r}
    fin_w = {"a": rho_a * r_w + (1.0 - rho_a) * r_r, "f": rho_f * r_w + (1.0 - rho_f) * r_r}
    eu_r = alpha_r * (a * x1 + b * fin_r["a"]) + (1.0 - alpha_r) * (a * u + b * fin_r["f"])
    eu_w = alpha_w * (a * x1 + b * fin_w["a"]) + (1.0 - alpha_w) * (a * u + b * fin_w["f"])
    # the resolute type gets its war payoff from the final step whatever A demands
    t_r = alpha_r * a * (1.0 - x1) + (1.0 - alpha_r) * a * k["w_r"] + b * k["w_r"]
    t_w = alpha_w * (a * (1.0 - x1) + b * (1.0 - fin_w["a"])) + (1.0 - alpha_w) * (
        a * k["w_w"] + b * (1.0 - fin_w["f"])
    )
    war_r = alpha_r * rho_a + (1.0 - alpha_r) * rho_f
    war = pi * war_r
    fighting = pi * (a * (1.0 - alpha_r) + b * war_r) + (1.0 - pi) * a * (1.0 - alpha_w)
    return {
        "challenger": pi * eu_r + (1.0 - pi) * eu_w,
        "target": pi * t_r + (1.0 - pi) * t_w,
        "target.resolute": t_r,
        "target.accommodating": t_w,
        Outcome.SETTLEMENT: 1.0 - war,
        Outcome.WAR: war,
        "fighting": fighting,
    }


_STRATEGY_KEYS = ("alpha_r", "alpha_w", "rho_a", "rho_f", "mu_a", "mu_f")


def _continuation(k: dict[str, np.ndarray], x1: np.ndarray) -> dict[str, np.ndarray]:
    """The challenger-preferred continuation equilibrium after the first demand ``x1``.

    Regions (module docstring): ``x1 < r_R`` pooling on acceptance; ``x1 = r_R`` pooling or, if
    ``delta <= 1/2`` and A prefers it, separating; ``r_R < x1 <= x_hat`` separating;
    ``max(r_R, x_hat) < x1 <= r_W`` semi-separating (``pi < pibar``) or pooling on refusal;
    ``x1 > r_W`` pooling on refusal. Off the path A believes a deviation comes from the
    accommodating type (the only type that could gain by it) and screens.
    """
    pi, pibar, a, b = k["pi"], k["pibar"], k["a"], k["b"]
    r_r, r_w, x_hat = k["r_r"], k["r_w"], k["x_hat"]
    x1 = np.broadcast_to(x1, np.broadcast_shapes(np.shape(x1), pi.shape))
    one, zero = np.ones(x1.shape), np.zeros(x1.shape)
    below = np.broadcast_to(pi < pibar, x1.shape)
    screen_at_prior = below.astype(np.float64)

    pool = {
        "alpha_r": one,
        "alpha_w": one,
        "rho_a": screen_at_prior,
        "rho_f": one,
        "mu_a": np.broadcast_to(pi, x1.shape),
        "mu_f": zero,
    }
    sep = {"alpha_r": zero, "alpha_w": one, "rho_a": one, "rho_f": zero, "mu_a": zero, "mu_f": one}
    safe_b = np.where(b > 0.0, b, 1.0)
    rho_semi = np.clip(1.0 - a * (r_w - x1) / (safe_b * k["gap"]), 0.0, 1.0)
    mid = {
        "alpha_r": zero,
        "alpha_w": np.where(below, k["q_star"], 0.0),
        "rho_a": one,
        "rho_f": np.where(below, rho_semi, 0.0),
        "mu_a": zero,
        "mu_f": np.where(below, pibar, pi),
    }
    refuse = {
        "alpha_r": zero,
        "alpha_w": zero,
        "rho_a": one,
        "rho_f": screen_at_prior,
        "mu_a": zero,
        "mu_f": np.broadcast_to(pi, x1.shape),
    }
    # a type is indifferent when x1 is within _TIE of its price (as in the trees): it accepts
    at_r = np.abs(x1 - r_r) <= _TIE
    # at x1 = r_R the resolute type is indifferent: separating if delta <= 1/2 and A prefers it
    pool_v = _assemble(k, x1, *(pool[s] for s in _STRATEGY_KEYS[:4]))["challenger"]
    sep_v = _assemble(k, x1, *(sep[s] for s in _STRATEGY_KEYS[:4]))["challenger"]
    sep_at_r = at_r & (a >= b) & (sep_v > pool_v)
    region = np.select(
        [
            (x1 < r_r) | (at_r & ~sep_at_r),
            sep_at_r | ((x1 > r_r) & (x1 <= x_hat)),
            (x1 > np.maximum(r_r, x_hat)) & (x1 <= r_w + _TIE),
        ],
        [0, 1, 2],
        3,
    )
    choices = (pool, sep, mid, refuse)
    out = {s: np.choose(region, [c[s] for c in choices]) for s in _STRATEGY_KEYS}
    out.update(_assemble(k, x1, *(out[s] for s in _STRATEGY_KEYS[:4])))
    out["first_demand"] = x1
    out["region"] = region
    return out


def _optimum(k: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """A's best first demand: the best of the three candidates (ties: the lower demand).

    Returns the continuation there plus ``regime`` (index into :data:`REGIMES`) and ``floor``,
    the lower end of the interval of first demands sharing its continuation (for the nudge).
    """
    r_r, r_w, x_hat = k["r_r"], k["r_w"], k["x_hat"]
    sep_ok = k["a"] > k["b"]
    cands = np.stack(
        np.broadcast_arrays(
            r_r, np.where(sep_ok, x_hat, r_r), np.where(k["pi"] < k["pibar"], r_w, r_r)
        )
    )
    value = _continuation(k, cands)["challenger"]
    best = value.max(axis=0)
    scale = np.maximum(1.0, np.abs(best))
    pick = np.argmax(value >= best - 1e-12 * scale, axis=0)
    x1 = np.take_along_axis(cands, pick[None], axis=0)[0]
    out = _continuation(k, x1)
    below = k["pi"] < k["pibar"]
    out["regime"] = np.select([pick == 1, pick == 2, below], [2, 3, 1], 0)
    out["floor"] = np.choose(pick, [r_r - k["gap"], r_r, np.maximum(r_r, x_hat)])
    return out


def _nudge_down(x: np.ndarray, floor: np.ndarray, a: np.ndarray, nudge: float) -> np.ndarray:
    """``x`` moved towards ``floor`` by ``max(nudge (x - floor), NUDGE_GAP / a)``, at most half way.

    The relative part keeps the move small against the interval; the absolute part keeps the
    deciding type's first-step payoff gap, ``a`` times the move, above the generic solver's
    payoff tolerance.
    """
    width = x - floor
    moved = x - np.minimum(0.5 * width, np.maximum(nudge * width, NUDGE_GAP / a))
    return np.maximum(moved, 0.0)  # a demand stays in [0, 1] (at r_R = 0: no move)


def _nudged(k: dict[str, np.ndarray], o: dict[str, np.ndarray], nudge: float) -> np.ndarray:
    return _nudge_down(o["first_demand"], o["floor"], k["a"], nudge)


def _big(k: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """One big demand: the two-type screening game (screen iff pi < pibar; ties: safe)."""
    pi, r_r, r_w = k["pi"], k["r_r"], k["r_w"]
    screen = pi < k["pibar"]
    war = np.where(screen, pi, 0.0)
    t_w = np.where(screen, k["w_w"], 1.0 - r_r)
    t_r = k["w_r"] + 0.0 * pi
    return {
        "demand": np.where(screen, r_w, r_r),
        "screen": screen,
        "challenger": np.maximum(r_r, r_w - pi * k["D"]),
        "target": pi * t_r + (1.0 - pi) * t_w,
        "target.resolute": t_r,
        "target.accommodating": t_w,
        Outcome.COMPLIANCE: 1.0 - war,
        Outcome.WAR: war,
        "fighting": war,
    }


# -- trees ---------------------------------------------------------------------------------------
def _second_demands(k: dict[str, np.ndarray], n_offers: int) -> tuple[list[str], np.ndarray]:
    shape = k["pi"].shape
    grid = [np.full(shape, x) for x in np.linspace(0.0, 1.0, n_offers)] if n_offers else []
    names = ["safe", "screen", *(f"d{j}" for j in range(n_offers))]
    return names, np.stack([k["r_r"] + 0.0 * k["pi"], k["r_w"] + 0.0 * k["pi"], *grid])


def _respond(x: np.ndarray, accept_t: np.ndarray, fight_t: np.ndarray) -> np.ndarray:
    """The target's fight payoff, made an exact tie with accepting where they differ by rounding."""
    return np.where(np.abs(fight_t - accept_t) <= _TIE, accept_t, fight_t)


def _small_branch(
    k: dict[str, np.ndarray], x1: np.ndarray, sfx: str, names: list[str], demands: np.ndarray
) -> Chance:
    a, b, u = k["a"], k["b"], k["u"]
    branches = {}
    for t, prob in zip(TYPES, (k["pi"], 1.0 - k["pi"]), strict=True):
        war_t = k["w_r"] if t == "resolute" else k["w_w"]
        first = {
            "accept": (a * x1, a * (1.0 - x1)),
            "refuse": (a * u, _respond(x1, a * (1.0 - x1), a * war_t)),
        }
        moves = {}
        for resp, (fa, ft) in first.items():
            finals = {}
            for name, x2 in zip(names, demands, strict=True):
                keep = b * (1.0 - x2)
                finals[name] = Decision(
                    "target",
                    f"target.{t}{sfx}.{resp}.{name}",
                    {
                        "accept": Terminal((fa + b * x2, ft + keep), label=str(Outcome.SETTLEMENT)),
                        "fight": Terminal(
                            (fa + b * u, ft + _respond(x2, keep, b * war_t)),
                            label=str(Outcome.WAR),
                        ),
                    },
                )
            moves[resp] = Decision("challenger", f"challenger{sfx}.{_PAST[resp]}", finals)
        branches[t] = (prob, Decision("target", f"target.{t}{sfx}", moves))
    return Chance(branches)


def _big_branch(k: dict[str, np.ndarray], x: np.ndarray, sfx: str) -> Chance:
    branches = {}
    for t, prob in zip(TYPES, (k["pi"], 1.0 - k["pi"]), strict=True):
        war_t = k["w_r"] if t == "resolute" else k["w_w"]
        branches[t] = (
            prob,
            Decision(
                "target",
                f"target.{t}{sfx}",
                {
                    "accept": Terminal((x, 1.0 - x), label=str(Outcome.COMPLIANCE)),
                    "fight": Terminal(
                        (k["u"] + 0.0 * x, _respond(x, 1.0 - x, war_t)), label=str(Outcome.WAR)
                    ),
                },
            ),
        )
    return Chance(branches)


def _build(
    k: dict[str, np.ndarray],
    plans: list[tuple[str, str, np.ndarray]],
    n_offers: int,
    title: str,
) -> Game:
    """A tree of ``plans`` ``(label, "small" | "big", demand)``; with several, A picks one first."""
    names, demands = _second_demands(k, n_offers)
    subtrees = {}
    for i, (label, kind, x) in enumerate(plans):
        sfx = "" if len(plans) == 1 else f".k{i}"
        x = np.broadcast_to(np.asarray(x, dtype=np.float64), k["pi"].shape)
        if kind == "small":
            subtrees[label] = _small_branch(k, x, sfx, names, demands)
        else:
            subtrees[label] = _big_branch(k, x, sfx)
    root = (
        next(iter(subtrees.values()))
        if len(plans) == 1
        else Decision("challenger", "challenger", subtrees)
    )
    return Game(
        ("challenger", "target"),
        root,
        title=title,
        annotations={
            "model": NAME,
            "plans": tuple((label, kind) for label, kind, _ in plans),
            "demands": np.stack([np.broadcast_to(x, k["pi"].shape) for _, _, x in plans]),
            "second_demands": demands,
            "second_demand_actions": tuple(names),
            "tie_rule": "the target accepts when indifferent (first action 'accept')",
        },
    )


def _first_demand_arg(first_demand: Any, shape: tuple[int, ...]) -> np.ndarray:
    x = np.asarray(first_demand, dtype=np.float64)
    if np.any(~np.isfinite(x)) or np.any((x < 0.0) | (x > 1.0)):
        raise ValueError(
            f"first_demand = {first_demand!r} is out of range: a demand must lie in [0, 1]"
        )
    try:
        np.broadcast_shapes(x.shape, shape)
    except ValueError:
        raise ValueError(
            f"first_demand of shape {x.shape} does not broadcast with the parameters' shape {shape}"
        ) from None
    return x


def _broadcast_k(params: Params, extra: tuple[int, ...]) -> dict[str, np.ndarray]:
    v = params.broadcast()
    shape = np.broadcast_shapes(params.shape, extra)
    return _basics({n: np.broadcast_to(a, shape) for n, a in v.items()})


def tree(
    params: Params,
    *,
    first_demand: Any = None,
    n_offers: int = N_OFFERS,
    nudge: float = NUDGE,
) -> Game:
    r"""Build the small-steps game after A's first demand, a signalling tree (batched).

    1. Nature draws the target's type, ``"resolute"`` (probability :math:`\pi`) or
       ``"accommodating"``;
    2. the target, knowing it, accepts or refuses the first demand :math:`x_1` (information sets
       ``"target.<type>"``, actions ``("accept", "refuse")``);
    3. A, seeing the response but not the type (information sets ``"challenger.accepted"``,
       ``"challenger.refused"``, each holding both types' nodes), makes the final demand: ``safe``
       (:math:`r_R`), ``screen`` (:math:`r_W`) or one of ``n_offers`` evenly spaced demands
       ``d0``, ``d1``, ... on :math:`[0, 1]`;
    4. the target accepts (label ``settlement``) or fights (``war``) (information sets
       ``"target.<type>.<response>.<demand>"``).

    Payoffs are the discounted sums of the module docstring. The target is the sender and A the
    receiver, so :func:`model.solvers.pbe.pbe_solve` enumerates the equilibria. Accept is the
    first action and payoff differences below ``1e-12`` between accepting and fighting are made
    exact ties (an indifferent target accepts, as in the model).

    Parameters
    ----------
    params : Params
        Parameters; array fields give a batch of games with one tree shape.
    first_demand : float or array in [0, 1], optional
        The first demand; it broadcasts with the parameters. Default: the closed-form optimum
        moved down into the interior of its interval of first demands with the same
        continuation, by the fraction ``nudge`` of the interval or by ``NUDGE_GAP / (1 - delta)``
        if that is more (at most half the interval; module docstring: at the optimum itself
        the continuation is not generic).
    n_offers : int
        Evenly spaced final demands besides :math:`r_R` and :math:`r_W`, at least 0.
    nudge : float in [0, 0.5]
        Used only when ``first_demand`` is not given.

    Returns
    -------
    model.tree.Game
        Players ``("challenger", "target")``; ``annotations["demands"]`` holds the first demand
        (``(1, *shape)``) and ``annotations["second_demands"]`` the final ones.

    Examples
    --------
    >>> from model.solvers.pbe import pbe_solve
    >>> game = tree(Params(pi=0.4, delta=0.4), first_demand=0.52, n_offers=0)
    >>> (eq,) = pbe_solve(game).equilibria
    >>> eq.label, eq.messages()
    ('separating', {'resolute': 'refuse', 'accommodating': 'accept'})
    >>> round(float(eq.payoffs[0]), 6), round(float(eq.outcome_probabilities["war"]), 6)
    (0.4992, 0.0)
    """
    params = _check_params(params)
    n_offers = require_count("n_offers", n_offers, low=0)
    if first_demand is None:
        nudge = _nudge_arg(nudge)
        k = _broadcast_k(params, ())
        x1 = _nudged(k, _optimum(k), nudge)
    else:
        x1 = _first_demand_arg(first_demand, params.shape)
        k = _broadcast_k(params, x1.shape)
    return _build(k, [("first", "small", x1)], n_offers, "small steps: first demand, then final")


def _nudge_arg(nudge: Any) -> float:
    if isinstance(nudge, bool) or not isinstance(nudge, int | float | np.floating):
        raise TypeError(f"nudge = {nudge!r} must be a real number in [0, 0.5]")
    if not 0.0 <= float(nudge) <= 0.5:
        raise ValueError(f"nudge = {nudge!r} is out of range: it must lie in [0, 0.5]")
    return float(nudge)


def big_demand_tree(params: Params, *, n_offers: int = N_OFFERS) -> Game:
    r"""Build the one-big-demand benchmark, a screening tree (batched).

    A demands :math:`X` for the whole horizon (information set ``"challenger"`` at the root,
    actions ``safe`` = :math:`r_R`, ``screen`` = :math:`r_W`, then ``n_offers`` evenly spaced
    demands ``d0``, ...); nature draws the type; the type accepts (``compliance``) or fights
    (``war``) at ``"target.<type>.k<i>"``.

    Examples
    --------
    >>> from model.solvers.pbe import pbe_solve
    >>> (eq,) = pbe_solve(big_demand_tree(Params(pi=0.4), n_offers=0)).equilibria
    >>> eq.offer, round(float(eq.payoffs[0]), 6)
    ('screen', 0.54)
    """
    params = _check_params(params)
    n_offers = require_count("n_offers", n_offers, low=0)
    k = _broadcast_k(params, ())
    names, demands = _second_demands(k, n_offers)
    plans = [(name, "big", x) for name, x in zip(names, demands, strict=True)]
    return _build(k, plans, 0, "one big demand (two-type screening)")


def choice_tree(params: Params, *, first_demands: Any = None, n_offers: int = N_OFFERS) -> Game:
    r"""Build the game in which A chooses the plan: one big demand or a first small step.

    At the root (information set ``"challenger"``) A picks ``big.safe`` (:math:`X = r_R`),
    ``big.screen`` (:math:`X = r_W`), or ``small.k<i>``, a first step with the ``i``-th value of
    ``first_demands``; each is followed by nature's draw and the corresponding subtree of
    :func:`big_demand_tree` or :func:`tree` (information sets suffixed ``.k<i>``, ``i`` the
    position among the root's actions). It is not a signalling tree; solve it with
    ``model.solvers.api.solve_game(game, "sequential")``.

    Parameters
    ----------
    params : Params
        Parameters (arrays give a batch).
    first_demands : sequence of float in [0, 1], optional
        The first small steps offered (default 9 evenly spaced values on [0, 1]).
    n_offers : int
        Evenly spaced final demands besides :math:`r_R` and :math:`r_W`.
    """
    params = _check_params(params)
    n_offers = require_count("n_offers", n_offers, low=0)
    grid = np.linspace(0.0, 1.0, N_FIRST) if first_demands is None else first_demands
    grid = np.atleast_1d(_first_demand_arg(grid, ()))
    if grid.ndim != 1:
        raise ValueError(f"first_demands must be a sequence of numbers, got shape {grid.shape}")
    k = _broadcast_k(params, ())
    plans = [("big.safe", "big", k["r_r"]), ("big.screen", "big", k["r_w"])]
    plans += [(f"small.k{i + 2}", "small", np.full(k["pi"].shape, x)) for i, x in enumerate(grid)]
    return _build(k, plans, n_offers, "the challenger chooses one big demand or small steps")


# -- certificate ---------------------------------------------------------------------------------
def _profile(
    k: dict[str, np.ndarray],
    game: Game,
    conts: list[dict[str, np.ndarray]],
    sfxs: list[str],
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Behaviour and beliefs of closed-form continuations on a tree built by :func:`_build`."""
    names = game.annotations["second_demand_actions"]
    demands = game.annotations["second_demands"]
    profile: dict[str, np.ndarray] = {}
    beliefs: dict[str, np.ndarray] = {}
    accept = {
        "resolute": demands <= k["r_r"] + _TIE,
        "accommodating": demands <= k["r_w"] + _TIE,
    }
    for c, sfx in zip(conts, sfxs, strict=True):
        for t, alpha in (("resolute", c["alpha_r"]), ("accommodating", c["alpha_w"])):
            profile[f"target.{t}{sfx}"] = np.stack([alpha, 1.0 - alpha])
            for resp in ("accept", "refuse"):
                for j, name in enumerate(names):
                    acc = accept[t][j].astype(np.float64)
                    profile[f"target.{t}{sfx}.{resp}.{name}"] = np.stack([acc, 1.0 - acc])
        for resp, rho, mu in (("accept", c["rho_a"], c["mu_a"]), ("refuse", c["rho_f"], c["mu_f"])):
            probs = np.zeros((len(names),) + rho.shape)
            probs[0], probs[1] = 1.0 - rho, rho
            profile[f"challenger{sfx}.{_PAST[resp]}"] = probs
            beliefs[f"challenger{sfx}.{_PAST[resp]}"] = np.stack([mu, 1.0 - mu])
    return profile, beliefs


def _certify(k: dict[str, np.ndarray], o: dict[str, np.ndarray], n_first: int) -> Certificate:
    """Assessment certificate of the closed form on the first-demand tree, in blocks of points."""
    shape = k["pi"].shape
    n = int(np.prod(shape, dtype=np.int64))
    flat = {
        key: np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1) for key, a in k.items()
    }
    x_star = np.ascontiguousarray(o["first_demand"]).reshape(-1)
    grid = np.linspace(0.0, 1.0, n_first)
    regret, gap = np.empty(n), np.empty(n)
    checks: dict[str, str] = {}
    for start in range(0, n, _BLOCK):
        sl = slice(start, start + _BLOCK)
        kb = {key: a[sl] for key, a in flat.items()}
        firsts = [x_star[sl]] + [np.full(x_star[sl].shape, x) for x in grid]
        plans = [(f"x{i}", "small", x) for i, x in enumerate(firsts)]
        game = _build(kb, plans, N_CHECK_OFFERS, "small steps: certificate tree")
        conts = [_continuation(kb, x) for x in firsts]
        profile, beliefs = _profile(kb, game, conts, [f".k{i}" for i in range(len(plans))])
        root = np.zeros((len(plans),) + x_star[sl].shape)
        root[0] = 1.0
        profile["challenger"] = root
        cert = assessment_certificate(game, profile, beliefs, tolerance=TOLERANCE)
        regret[sl], gap[sl] = cert.max_regret, cert.bayes_gap
        checks = dict(cert.checks)
    checks["first_demand"] = (
        f"A's first demand against {n_first} evenly spaced alternatives on [0, 1], each followed "
        "by its closed-form continuation (whose sequential rationality is checked too)"
    )
    checks["final_demand"] = (
        f"A's final demand against r_R, r_W and {N_CHECK_OFFERS} evenly spaced demands on [0, 1]"
    )
    return Certificate(
        max_regret=regret.reshape(shape),
        bayes_gap=gap.reshape(shape),
        tolerance=TOLERANCE,
        checks=checks,
    )


def _certify_big(k: dict[str, np.ndarray], big: dict[str, np.ndarray]) -> Certificate:
    """Assessment certificate of the big-demand benchmark on :func:`big_demand_tree`."""
    names, demands = _second_demands(k, N_OFFERS)
    plans = [(name, "big", x) for name, x in zip(names, demands, strict=True)]
    game = _build(k, plans, 0, "one big demand")
    root = np.zeros((len(plans),) + k["pi"].shape)
    root[0], root[1] = ~big["screen"], big["screen"]
    profile = {"challenger": root}
    for i in range(len(plans)):
        for t, r in (("resolute", k["r_r"]), ("accommodating", k["r_w"])):
            acc = (demands[i] <= r + _TIE).astype(np.float64)
            profile[f"target.{t}.k{i}"] = np.stack([acc, 1.0 - acc])
    return assessment_certificate(game, profile, {}, tolerance=TOLERANCE)


# -- public solvers ------------------------------------------------------------------------------
def regime(params: Params) -> np.ndarray:
    """The regime of the closed-form equilibrium at every point (labels :data:`REGIMES`).

    Examples
    --------
    >>> regime(Params(pi=[0.05, 0.4, 0.4, 0.8], delta=[0.4, 0.4, 0.7, 0.4])).tolist()
    ['semi-separating', 'separating', 'pooling-screen', 'pooling-safe']
    """
    k = _broadcast_k(_check_params(params), ())
    return np.asarray(REGIMES)[_optimum(k)["regime"]]


def continuation(params: Params, first_demand: Any) -> dict[str, np.ndarray]:
    r"""Return the challenger-preferred continuation after any first demand (closed form).

    Parameters
    ----------
    params : Params
        Parameters.
    first_demand : float or array in [0, 1]
        The first demand :math:`x_1`; it broadcasts with the parameters.

    Returns
    -------
    dict of str to ndarray
        ``resolute_accepts``, ``accommodating_accepts`` (first-step acceptance probabilities),
        ``screens_after_acceptance``, ``screens_after_refusal`` (probability of the final demand
        :math:`r_W`), ``belief_after_acceptance``, ``belief_after_refusal`` (A's posterior that
        the target is resolute; off the path, the belief supporting the equilibrium),
        ``settlement``, ``war``, ``fighting`` and the expected payoffs ``eu_challenger``,
        ``eu_target``, ``eu_target_resolute``, ``eu_target_accommodating``; every array has the
        broadcast shape.

    Examples
    --------
    >>> out = continuation(Params(pi=0.4, delta=0.4), [0.4, 0.52, 0.68])
    >>> [round(float(x), 4) for x in out["accommodating_accepts"]]
    [1.0, 1.0, 0.6]
    >>> [round(float(x), 4) for x in out["eu_challenger"]]
    [0.456, 0.4992, 0.4781]
    """
    params = _check_params(params)
    x1 = _first_demand_arg(first_demand, params.shape)
    k = _broadcast_k(params, x1.shape)
    c = _continuation(k, np.broadcast_to(x1, k["pi"].shape))
    names = {
        "alpha_r": "resolute_accepts",
        "alpha_w": "accommodating_accepts",
        "rho_a": "screens_after_acceptance",
        "rho_f": "screens_after_refusal",
        "mu_a": "belief_after_acceptance",
        "mu_f": "belief_after_refusal",
        Outcome.SETTLEMENT: "settlement",
        Outcome.WAR: "war",
        "fighting": "fighting",
        "challenger": "eu_challenger",
        "target": "eu_target",
        "target.resolute": "eu_target_resolute",
        "target.accommodating": "eu_target_accommodating",
    }
    return {new: np.asarray(c[old], dtype=np.float64) for old, new in names.items()}


_UTILITIES = ("challenger", "target", "target.resolute", "target.accommodating")


def solve(params: Params, *, method: str = "closed_form", selection: str = SELECTION) -> Solution:
    """Solve the small-steps game (first-step size ``1 - delta`` imposed) at every point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form", "pbe"}
        The formulas of the module docstring, or the generic route: the continuation after each
        candidate first demand (nudged by :data:`NUDGE`) enumerated by
        :func:`model.solvers.pbe.pbe_solve`, one equilibrium picked per point by ``selection``,
        and A's best candidate kept.
    selection : str
        For ``method="pbe"``: a key of :data:`model.solvers.selection.RULES`. The closed form is
        the challenger-preferred equilibrium (ties between first demands: the lower demand).

    Returns
    -------
    Solution
        Strategies ``challenger.first_demand``, ``resolute.accepts_first``,
        ``accommodating.accepts_first``, ``challenger.screens_after_acceptance`` and
        ``challenger.screens_after_refusal`` (probability of the final demand :math:`r_W`);
        cutpoints ``screening_prior`` (:math:`\\bar\\pi`), ``separating_demand``
        (:math:`\\hat x`) and ``semi_separating_below`` (:math:`\\pi_\\ell`); beliefs after
        acceptance and after refusal; outcomes ``settlement`` and ``war``; utilities per player
        and per target type; the assessment certificate.
    """
    params = _check_params(params)
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    from model.solvers.selection import RULES

    if selection not in RULES:
        raise ValueError(f"selection = {selection!r} is not one of {sorted(RULES)}")
    k = _broadcast_k(params, ())
    shape = k["pi"].shape
    o = _optimum(k)
    if method == "closed_form":
        certificate = _certify(k, o, N_FIRST)
        converged = np.ones(shape, dtype=bool)
        method_params: dict[str, Any] = {
            "equilibrium": "challenger-preferred perfect Bayesian (ties between first demands: "
            "the lower demand; at pi = pibar the safe final demand)"
        }
    else:
        o, certificate, converged = _pbe(params, k, o, selection)
        method_params = {"selection": selection, "nudge": NUDGE, "n_offers": N_OFFERS}
    planned = outcome_table({o_: o[o_] for o_ in (Outcome.SETTLEMENT, Outcome.WAR)}, shape)
    utilities = {u: np.broadcast_to(np.asarray(o[u], dtype=np.float64), shape) for u in _UTILITIES}

    def arr(x: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(x, dtype=np.float64), shape)

    return Solution(
        model=NAME,
        params=params,
        strategies={
            "challenger.first_demand": arr(o["first_demand"]),
            "resolute.accepts_first": arr(o["alpha_r"]),
            "accommodating.accepts_first": arr(o["alpha_w"]),
            "challenger.screens_after_acceptance": arr(o["rho_a"]),
            "challenger.screens_after_refusal": arr(o["rho_f"]),
        },
        cutpoints={
            "screening_prior": arr(k["pibar"]),
            "separating_demand": arr(k["x_hat"]),
            "semi_separating_below": arr(k["pi_low"]),
        },
        beliefs={
            "challenger after acceptance (P resolute)": arr(o["mu_a"]),
            "challenger after refusal (P resolute)": arr(o["mu_f"]),
        },
        planned=planned,
        realised=planned,
        utilities_planned=utilities,
        utilities_realised=utilities,
        method=method,
        method_params=method_params,
        converged=converged,
        certificate=certificate,
    )


def _pbe(
    params: Params, k: dict[str, np.ndarray], o: dict[str, np.ndarray], selection: str
) -> tuple[dict[str, np.ndarray], Certificate, np.ndarray]:
    from model.solvers.pbe import pbe_solve
    from model.solvers.selection import select

    shape = k["pi"].shape
    r_r, r_w, x_hat, gap = k["r_r"], k["r_w"], k["x_hat"], k["gap"]
    sep_ok = k["a"] > k["b"]
    semi_floor = np.maximum(r_r, x_hat)
    pool = _nudge_down(r_r, r_r - gap, k["a"], NUDGE)
    cands = np.stack(
        np.broadcast_arrays(
            pool,
            np.where(sep_ok, _nudge_down(x_hat, r_r, k["a"], NUDGE), pool),
            _nudge_down(r_w, semi_floor, k["a"], NUDGE),
        )
    )
    big = {n: np.broadcast_to(a, cands.shape) for n, a in params.broadcast().items()}
    game = tree(Params(**big), first_demand=np.clip(cands, 0.0, 1.0), n_offers=N_OFFERS)
    res = pbe_solve(game)
    eqs = res.equilibria
    pick = select(eqs, selection, game=game if not cands.shape else None).index
    if np.any(pick < 0):
        raise ValueError(
            f"selection rule {selection!r} finds no qualifying equilibrium at "
            f"{int(np.sum(pick < 0))} (candidate, parameter point) pair(s)"
        )

    def take(values: list[np.ndarray]) -> np.ndarray:
        stacked = np.stack([np.broadcast_to(x, cands.shape) for x in values])
        return np.take_along_axis(stacked, pick[None], axis=0)[0]

    names = game.annotations["second_demands"]
    above_r = names > (r_r + _TIE)  # final demands the resolute type fights

    def screens(infoset: str) -> np.ndarray:
        return take([np.sum(e.profile[infoset] * above_r, axis=0) for e in eqs])

    value = take([np.asarray(e.payoffs)[0] for e in eqs])
    best = value.max(axis=0)
    c = np.argmax(value >= best - 1e-12 * np.maximum(1.0, np.abs(best)), axis=0)

    def at(x: np.ndarray) -> np.ndarray:
        return np.take_along_axis(x, c[None], axis=0)[0]

    out = {
        "first_demand": at(np.clip(cands, 0.0, 1.0)),
        "alpha_r": at(take([e.profile["target.resolute"][0] for e in eqs])),
        "alpha_w": at(take([e.profile["target.accommodating"][0] for e in eqs])),
        "rho_a": at(screens("challenger.accepted")),
        "rho_f": at(screens("challenger.refused")),
        "mu_a": at(take([e.beliefs["challenger.accepted"][0] for e in eqs])),
        "mu_f": at(take([e.beliefs["challenger.refused"][0] for e in eqs])),
        "challenger": at(value),
        "target": at(take([np.asarray(e.payoffs)[1] for e in eqs])),
    }
    for i, t in enumerate(res.structure.types):
        out[f"target.{t}"] = at(take([np.asarray(e.type_payoffs)[i] for e in eqs]))
    for oc in (Outcome.SETTLEMENT, Outcome.WAR):
        out[oc] = at(take([e.outcome_probabilities[str(oc)] for e in eqs]))
    first = eqs[0].certificate
    certificate = Certificate(
        max_regret=at(take([e.certificate.max_regret for e in eqs])),
        bayes_gap=at(take([e.certificate.bayes_gap for e in eqs])),
        tolerance=first.tolerance,
        checks=dict(first.checks),
    )
    converged = np.all(np.broadcast_to(res.converged, cands.shape), axis=0)
    return out, certificate, np.broadcast_to(converged, shape)


def compare(params: Params) -> dict[str, np.ndarray]:
    r"""Compare small steps (first-step size ``1 - delta``) with one big demand, point by point.

    Returns
    -------
    dict of str to ndarray
        The columns of :meth:`solve(params).columns() <model.types.Solution.columns>` (small
        steps) plus, one value per point (flattened):

        * ``regime_index``: index into :data:`REGIMES`;
        * ``peace_small``, ``war_small``, ``fighting_small``: P(settlement), P(war) and expected
          fighting under small steps; ``peace_big``, ``war_big``, ``fighting_big``,
          ``demand_big`` likewise for one big demand (peace = compliance);
        * ``eu_challenger_small``/``_big``, ``eu_target_small``/``_big``, ``welfare_small``/
          ``_big`` (sum of both);
        * ``gradualism_raises_peace`` (1.0 where ``peace_small > peace_big``),
          ``gradualism_cuts_fighting`` (1.0 where ``fighting_small < fighting_big``),
          ``challenger_prefers_small`` (1.0 where A would strictly prefer small steps: never);
        * ``certified``: both plans' certificates pass (the big demand is certified on
          :func:`big_demand_tree`).

    Examples
    --------
    >>> out = compare(Params(pi=[0.05, 0.4, 0.4], delta=[0.4, 0.4, 0.7]))
    >>> out["gradualism_raises_peace"].tolist(), out["peace_big"].round(6).tolist()
    ([0.0, 1.0, 0.0], [0.95, 0.7, 0.7])
    """
    params = _check_params(params)
    sol = solve(params)
    k = _broadcast_k(params, ())
    o = _optimum(k)
    big = _big(k)
    big_cert = _certify_big(k, big)
    cols = sol.columns()
    tol = 1e-12

    def flat(x: Any) -> np.ndarray:
        return np.broadcast_to(np.asarray(x, dtype=np.float64), k["pi"].shape).reshape(-1)

    peace_small = o[Outcome.SETTLEMENT]
    peace_big = big[Outcome.COMPLIANCE]
    cols.update(
        {
            "regime_index": flat(o["regime"]),
            "peace_small": flat(peace_small),
            "war_small": flat(o[Outcome.WAR]),
            "fighting_small": flat(o["fighting"]),
            "peace_big": flat(peace_big),
            "war_big": flat(big[Outcome.WAR]),
            "fighting_big": flat(big["fighting"]),
            "demand_big": flat(big["demand"]),
            "eu_challenger_small": flat(o["challenger"]),
            "eu_challenger_big": flat(big["challenger"]),
            "eu_target_small": flat(o["target"]),
            "eu_target_big": flat(big["target"]),
            "welfare_small": flat(o["challenger"] + o["target"]),
            "welfare_big": flat(big["challenger"] + big["target"]),
            "gradualism_raises_peace": flat(peace_small > peace_big + tol),
            "gradualism_cuts_fighting": flat(o["fighting"] < big["fighting"] - tol),
            "challenger_prefers_small": flat(o["challenger"] > big["challenger"] + tol),
            "certified": flat(sol.certificate.passed & big_cert.passed),
        }
    )
    return cols
