r"""Threats, rewards and credible assurances: coercion when power cuts both ways.

Coercion works only if the target believes two things: that defiance will be punished (a
*credible threat*) and that compliance will not be punished anyway (a *credible assurance*).
Cebul, Dafoe and Monteiro (2021) argue that power pulls these apart: "whereas greater power
boosts credible threats, it undermines credible assurances", and a reputation for restraint
restores them. This module builds that argument into a crisis game in which the challenger
(the coercer) chooses how much to demand and what reward to promise for compliance, as in
George's (1991) carrots and sticks.

The game
--------
Players: the challenger A (the coercer) and the target B. As elsewhere in the library the issue
is :math:`[0, 1]` and A's demand :math:`x` is the share of it B is asked to concede, but payoffs
are measured from the status quo, worth :math:`(0, 0)` (as in
:mod:`model.games.crisis_signalling`), and punishment is a costly act, harm :math:`P` to B at
cost :math:`c` to A, not the war lottery :math:`(p - c_A, 1 - p - c_B)` of
:mod:`model.games.risk_return`: a punished target keeps the issue.

1. A makes no demand (status quo, :math:`(0, 0)`) or demands :math:`x \in [0, 1]` and promises
   a reward :math:`R \in [0, \bar R]` for compliance.
2. Nature draws the target's private cost of being seen to give in,
   :math:`\theta \sim U[0, \bar\theta]` (its *resolve*); only B knows it. Complying with
   :math:`x` costs B :math:`K = k x^2 + \theta`.
3. B complies or defies, knowing :math:`(x, R, \theta)`.
4. A's follow-through is a move of nature (the credibility of its word is what B can count on,
   not a choice A can commit to now):

   * after compliance A keeps its word with probability :math:`1 - \alpha`: it pays the reward,
     payoffs :math:`(x - R,\; -K + R)`; with probability :math:`\alpha` the assurance fails and
     A punishes anyway without paying, :math:`(x - c,\; -K - P)`;
   * after defiance A punishes with probability :math:`\tau`, payoffs :math:`(-c,\; -P)`, and
     otherwise lets it pass, :math:`(0, 0)`.

   :math:`P` is the harm punishment does to B, :math:`c` what carrying it out costs A.

Outcome classes: no demand is the **status quo**; compliance, whether or not the assurance is
then honoured, is **compliance**; defiance followed by punishment is **war** (coercion fails
into the use of force) and defiance left unpunished is **backdown** (the threat proves empty).
The probability that a compliant target is punished anyway is reported separately.

Power, restraint and credibility (a choice of this library, not of the paper)
------------------------------------------------------------------------------
A's power :math:`s \in [0, 1]` and reputation for restraint :math:`r \in [0, 1]` set the
credibility of its threat and of its assurance through three simple increasing maps:

.. math:: \tau(s) = \tau_0 + (1 - \tau_0)\, s, \qquad P(s) = P_0 (1 + s), \qquad
          \alpha(s, r) = \bar\alpha\, (1 - r)\, s^2.

The paper states only the signs (power raises :math:`\tau`, :math:`P` and :math:`\alpha`;
restraint lowers :math:`\alpha`); the functional forms are ours. :math:`\alpha` is quadratic so
that the temptation to exploit a compliant target grows slowly for weak coercers and fast for
strong ones, which puts the peak of coercive leverage inside :math:`(0, 1)` for a wide range
of parameters. :math:`\alpha` is the probability B assigns to being punished after complying;
here B and A share it (A's future conduct is uncertain to both), so the game has perfect
information apart from B's resolve.

The target's rule (Cebul, Dafoe and Monteiro's decision-theoretic core; derived here)
------------------------------------------------------------------------------------
Complying is worth :math:`-K + (1 - \alpha) R - \alpha P` to B, defying :math:`-\tau P`, so B
complies iff

.. math:: (\tau - \alpha) P + (1 - \alpha) R \;\ge\; K
          \iff \theta \le t(x, R) := \Lambda + S - k x^2,

with :math:`\Lambda = (\tau - \alpha) P` the *net threat leverage*, :math:`S = (1 - \alpha) R`
the reward's expected value and :math:`t` the cutoff type (ties: B complies). Without a reward
this is the rule :math:`(\tau - \alpha) P \ge K`: at :math:`\tau = 0.8, \alpha = 0.3, P = 1,
K = 0.4` the target complies (:math:`0.5 \ge 0.4`), at :math:`\alpha = 0.45` it defies
(:math:`0.35 < 0.4`); see :func:`complies`. B complies with probability
:math:`q = \min(1, t^+/\bar\theta)`.

The challenger's problem (derived here)
---------------------------------------
With :math:`\mu = (\tau - \alpha) c` (the punishment cost compliance saves A on balance) and
:math:`G = x - S + \mu` (A's gain from compliance over defiance), A's expected utility of an
offer is

.. math:: U_A(x, R) = q\,(x - S - \alpha c) - (1 - q)\,\tau c
          = \frac{\varphi(x, S)}{\bar\theta} - \tau c, \qquad
          \varphi = \min(t, \bar\theta)^+ \, G,

to be maximised over :math:`x \in [0, 1]` and :math:`S \in [0, \bar S]`,
:math:`\bar S = (1 - \alpha)\bar R`; A coerces iff the maximum exceeds the status quo's 0
(ties: no demand). Where :math:`t > 0` and :math:`G > 0`, :math:`\log\varphi =
\min(\log t, \log\bar\theta) + \log G` is concave (:math:`t` is concave, :math:`G` linear), so
:math:`\varphi` is log-concave on a convex set: every local maximum is global, and the optimum
is the Karush-Kuhn-Tucker point of whichever constraints bind. The regimes, with
:math:`\hat x = \min(1, 1/(2k))` (the *efficient* demand, where A's marginal gain equals B's
marginal cost), are:

* **threat and reward** (:math:`0 < S < \bar S`, :math:`q < 1`): :math:`\partial_S \varphi = 0`
  gives :math:`G = t` and then :math:`\partial_x \varphi = t (1 - 2 k x) = 0` gives

  .. math:: x^* = \hat x, \quad S^* = \tfrac12 (\hat x + k \hat x^2 + \mu - \Lambda), \quad
            t^* = \tfrac12 (\Lambda + \mu + \hat x - k \hat x^2), \quad
            U_A^* = \frac{t^{*2}}{\bar\theta} - \tau c;

  the reward makes up half of any shortfall in threat leverage
  (:math:`\partial S^* / \partial\Lambda = -\tfrac12`).
* **threat only** (:math:`S = 0`, :math:`q < 1`): the stationary point of
  :math:`(\Lambda - k x^2)(x + \mu)`, :math:`3 k x^2 + 2 k \mu x - \Lambda = 0`,

  .. math:: x^* = \min\Bigl(1, \frac{-k\mu + \sqrt{k^2\mu^2 + 3 k \Lambda}}{3k}\Bigr);

  it holds when :math:`\Lambda \ge \hat x + k \hat x^2 + \mu`, i.e. when threats alone are strong
  enough that buying more compliance does not pay.
* **reward at its cap** (:math:`S = \bar S`): the same root with :math:`\Lambda + \bar S` and
  :math:`\mu - \bar S` in place of :math:`\Lambda` and :math:`\mu`. Rewards substitute for
  threats only up to :math:`\bar S = (1 - \alpha)\bar R`, which *falls* with power.
* **full compliance** (:math:`t = \bar\theta`): the best offer that every type accepts:
  :math:`x^* = \hat x` with :math:`S^* = \bar\theta - \Lambda + k \hat x^2`, or, when that is
  negative, :math:`S^* = 0` and :math:`x^* = \min(1, \sqrt{(\Lambda - \bar\theta)/k})` (or the
  analogue at :math:`S = \bar S`).
* **status quo**: no demand when :math:`\max \varphi \le \bar\theta \tau c`; a more credible
  threat is one A more surely has to carry out, at cost :math:`c`.

The solver evaluates the KKT point of every regime (clipped to the feasible box, so each is a
feasible offer) and keeps the best, which by log-concavity is the global optimum: a vectorised
closed form with no iteration. Expected utilities:
:math:`U_A^* = q^* G^* - \tau c` and :math:`U_B^* = q^*(-k x^{*2} + S^* - \alpha P) -
t_c^{2}/(2\bar\theta) - (1 - q^*)\tau P`, :math:`t_c = \min(t^*, \bar\theta)^+` (0 and 0 under
the status quo). Outcome probabilities: compliance :math:`q^*`, war :math:`(1 - q^*)\tau`,
backdown :math:`(1 - q^*)(1 - \tau)`.

Why the cost of complying is convex: with a linear cost :math:`K = k x + \theta` the demand and
the reward are linear instruments, :math:`(x, S) \mapsto (t, G)` is linear, and one of them is
always dominated at the margin: for :math:`k > 1` the optimal reward is zero, for :math:`k < 1`
the demand is the whole issue or the reward is at its cap, so the two are never both interior
(moving along the direction that keeps :math:`t` fixed changes :math:`G` at the rate
:math:`|1 - k|`). A convex cost gives each an interior role: the demand goes to the efficient
:math:`\hat x` and the reward carries the transfer.

Comparative statics (the signs are the paper's claims; that they hold in this game's
equilibrium is derived here and checked by the tests): power raises :math:`\tau` and
:math:`P` (threat credibility) and :math:`\alpha` (assurance failure), so the leverage
:math:`\Lambda = (\tau - \alpha)P` and the equilibrium compliance probability can rise and then
fall with power; with :math:`\alpha \equiv 0` (:math:`r = 1`) compliance rises with power
wherever A coerces. A reputation for restraint lowers :math:`\alpha` and weakly raises both
compliance and A's expected utility (every offer becomes weakly better for A and more
acceptable to B). Raising the threat leverage :math:`\Lambda` weakly lowers the equilibrium
reward and weakly raises the cutoff :math:`t^*`: rewards substitute for threats, partially
(half for half inside the threat-and-reward regime) and only up to :math:`\bar S`.

Solution methods
----------------
``closed_form`` evaluates the regimes above. ``backward`` solves :func:`tree` (offers on a grid)
by batched backward induction (:func:`model.solvers.backward.backward_induction_solve`). The
closed form's certificate is computed on a small finite game built like :func:`tree` whose
challenger may make no demand, the closed-form offer, its eight neighbours at
:math:`\pm 10^{-3}` in demand and reward, or any of the 6 offers of a coarse :func:`tree` grid:
:func:`model.checks.tree_certificate` (subgame perfect) measures every player's gain from
deviating anywhere in it. The target's cells of types are cut at each offer's cutoff, so every
offer's expected utilities in that game are exact.

The equilibrium is unique (the challenger's optimum of a log-concave objective, the target's
dominant cutoff rule) except for ties, which are broken towards no demand and towards
compliance; ``SELECTION`` is recorded for the generic solvers, which never need it here.

Array convention
----------------
Every parameter broadcasts to the common ``params.shape``; every returned array has that shape.
Offer grids are ``(n_offers, *params.shape)``: object axes first, batch axes last.

References
----------
.. [1] Cebul, M. D., Dafoe, A. and Monteiro, N. P. (2021). Coercion and the credibility of
   assurances. *Journal of Politics* 83(3) (the argument, from its abstract: coercion needs
   credible threats and credible assurances; power helps the first and hurts the second;
   restraint helps the second).
.. [2] Pauly, R. B. C. (2024). Damned if they do, damned if they don't: the assurance dilemma in
   international coercion. *International Security* 49(1): 91-132 (the actions that make a
   threat credible undermine the assurance).
.. [3] George, A. L. (1991). *Forceful Persuasion: Coercive Diplomacy as an Alternative to War*.
   United States Institute of Peace Press (carrots and sticks).
.. [4] Schelling, T. C. (1966). *Arms and Influence*. Yale University Press, ch. 2 (a threat
   must come with the assurance that compliance will not be punished).

Examples
--------
Power at 0.5 with a modest reputation for restraint: A demands the efficient half of the issue
and promises a reward; about two targets in three comply.

>>> s = solve(Params())
>>> round(float(s.strategies["challenger.demand"]), 4), round(float(s.strategies[
...     "challenger.reward"]), 4)
(0.5, 0.263)
>>> {str(o): round(float(p), 4) for o, p in s.planned.items() if p}
{'compliance': 0.6591, 'backdown': 0.1193, 'war': 0.2216}
>>> s.certificate.all_passed
True

Without restraint, compliance rises and then falls with power; at full power A cannot reassure
and makes no demand. With full restraint power only helps.

>>> power = np.array([0.0, 0.5, 0.9, 1.0])
>>> [round(float(q), 4) for q in solve(Params(power=power, restraint=0.0)).planned[
...     "compliance"]]
[0.43, 0.6113, 0.3782, 0.0]
>>> [round(float(q), 4) for q in solve(Params(power=power, restraint=1.0)).planned[
...     "compliance"]]
[0.43, 0.8025, 1.0, 1.0]
>>> bool(complies(0.8, 0.3, 1.0, 0.4)), bool(complies(0.8, 0.45, 1.0, 0.4))
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.checks import require_count, require_flag, tree_certificate
from model.params import ParamSet, param
from model.registry import register
from model.tree import Chance, Decision, Game, Terminal
from model.types import Certificate, Outcome, Solution, outcome_table

__all__ = [
    "METHODS",
    "REGIMES",
    "Params",
    "complies",
    "credibility",
    "outcomes_at_offer",
    "solve",
    "tree",
    "tree_decisive",
]

NAME = "assurances"
TOLERANCE = 1e-9
METHODS = ("closed_form", "backward")
#: Regime codes reported as ``strategies["regime"]``.
REGIMES = {
    0: "status quo: no demand",
    1: "threat only: no reward, some types defy",
    2: "threat and reward: an interior reward, some types defy",
    3: "reward at its cap: the largest reward, some types defy",
    4: "full compliance: every type complies",
}
#: Recorded for the generic solvers; the equilibrium is unique up to ties (see the docstring).
SELECTION = "challenger_preferred"
# The contract tests solve tree(params, **TREE_OPTIONS) by backward induction and compare it with
# solve(params). Over 8e5 random parameter points (uniform within the bounds) the best offer of
# this grid was worth at most 0.0043 less to A than the closed form's, and outcome probabilities
# differed by at most 0.069 (by more than 0.06 at 3 points), except where A's best offer is worth
# less to it than the grid's error: there the grid prefers no demand (1.4 points in 10^4).
TREE_OPTIONS: dict[str, Any] = {"n_demands": 27, "n_rewards": 27}
TREE_TOLERANCE = 0.07

_STEP = 1e-3  # distance of the certificate's neighbouring offers
_CHECK_GRID = (3, 2)  # demands x rewards of the certificate's coarse grid
_BLOCK = 4096  # parameter points per certificate game (bounds its memory)
_EDGE = 1e-12  # relative tolerance of the regime labels


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    r"""Parameters of the assurance game; each may be an array (broadcast).

    There are no cross-parameter constraints: every combination within the bounds is a valid
    game (:math:`\tau \ge \alpha` is not required; when it fails, threats alone buy no
    compliance and only rewards can).
    """

    power: float = param(0.5, (0.0, 1.0), "challenger's power s (raises tau, P and alpha)")
    restraint: float = param(
        0.25, (0.0, 1.0), "challenger's reputation for restraint r (alpha scales with 1 - r)"
    )
    tau0: float = param(
        0.3, (0.0, 1.0), "probability a powerless challenger punishes defiance (tau at s = 0)"
    )
    alpha_max: float = param(
        0.9,
        (0.0, 1.0),
        "probability the strongest, unrestrained challenger punishes compliance (alpha at s = 1)",
    )
    harm0: float = param(
        0.5,
        (0.0, 2.0),
        "harm punishment by a powerless challenger does to the target",
        open_low=True,
    )
    k: float = param(1.0, (0.1, 4.0), "target's cost of conceding the whole issue (K = k x^2)")
    theta_hi: float = param(
        0.5, (0.1, 2.0), "top of the target's private cost of giving in, theta ~ U[0, theta_hi]"
    )
    c: float = param(0.1, (0.0, 1.0), "challenger's cost of carrying out a punishment")
    reward_max: float = param(0.5, (0.0, 2.0), "largest reward the challenger can promise")


# -- the model's primitives -----------------------------------------------------------------------
def _require(params: Any) -> Params:
    if not isinstance(params, Params):
        raise TypeError(f"params must be assurances.Params, got {type(params).__name__}")
    return params


def _maps(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    s = v["power"]
    tau = v["tau0"] + (1.0 - v["tau0"]) * s
    alpha = v["alpha_max"] * (1.0 - v["restraint"]) * s * s
    harm = v["harm0"] * (1.0 + s)
    return {
        "tau": tau,
        "alpha": alpha,
        "harm": harm,
        "leverage": (tau - alpha) * harm,
        "mu": (tau - alpha) * v["c"],
        "assurance": 1.0 - alpha,
        "reward_value_max": (1.0 - alpha) * v["reward_max"],
    }


def credibility(params: Params) -> dict[str, np.ndarray]:
    r"""Return the credibility of the challenger's threat and assurance at every point.

    Keys: ``tau`` (probability defiance is punished), ``alpha`` (probability compliance is
    punished anyway), ``harm`` (:math:`P`), ``leverage`` (:math:`\Lambda = (\tau - \alpha)P`),
    ``assurance`` (:math:`1 - \alpha`), ``mu`` (:math:`(\tau - \alpha)c`) and
    ``reward_value_max`` (:math:`\bar S = (1 - \alpha)\bar R`), each of ``params.shape``.

    Examples
    --------
    >>> cr = credibility(Params(power=1.0, restraint=0.0, tau0=0.3, alpha_max=0.9, harm0=0.5))
    >>> [round(float(cr[k]), 4) for k in ("tau", "alpha", "harm", "leverage")]
    [1.0, 0.9, 1.0, 0.1]
    """
    return _maps(_require(params).broadcast())


def complies(tau: Any, alpha: Any, harm: Any, cost: Any, reward: Any = 0.0) -> np.ndarray:
    r"""Return whether the target complies: :math:`(\tau - \alpha) P + (1 - \alpha) R \ge K`.

    Parameters
    ----------
    tau, alpha : array_like
        Probabilities, in [0, 1], that defiance is punished and that compliance is punished
        anyway.
    harm : array_like
        Harm :math:`P \ge 0` of punishment.
    cost : array_like
        The target's cost :math:`K` of complying.
    reward : array_like
        Reward :math:`R \ge 0` promised for compliance (paid when the assurance holds).

    Returns
    -------
    ndarray of bool
        Broadcast shape of the arguments; ``True`` where the target complies (ties comply).

    Examples
    --------
    >>> complies(0.8, [0.3, 0.45], 1.0, 0.4).tolist()
    [True, False]
    >>> complies(0.8, 0.45, 1.0, 0.4, reward=0.1).item()
    True
    """
    arrays = {}
    for name, value, lo, hi in (
        ("tau", tau, 0.0, 1.0),
        ("alpha", alpha, 0.0, 1.0),
        ("harm", harm, 0.0, np.inf),
        ("cost", cost, -np.inf, np.inf),
        ("reward", reward, 0.0, np.inf),
    ):
        a = np.asarray(value, dtype=np.float64)
        if np.any(np.isnan(a) | (a < lo) | (a > hi)) or (
            name == "cost" and np.any(~np.isfinite(a))
        ):
            raise ValueError(f"{name} = {value!r} is out of range: it must lie in [{lo}, {hi}]")
        arrays[name] = a
    t, al = arrays["tau"], arrays["alpha"]
    return (t - al) * arrays["harm"] + (1.0 - al) * arrays["reward"] >= arrays["cost"]


def _cutoff(m: dict[str, np.ndarray], k: np.ndarray, x: Any, reward: Any) -> np.ndarray:
    """Cutoff type ``t = Lambda + (1 - alpha) R - k x^2`` of an offer (types below comply)."""
    return m["leverage"] + m["assurance"] * reward - k * x * x


def _offer_value(
    m: dict[str, np.ndarray], v: dict[str, np.ndarray], x: np.ndarray, reward: np.ndarray
) -> dict[str, np.ndarray]:
    """Compliance probability, outcomes and expected utilities of an offer that is made."""
    th, k = v["theta_hi"], v["k"]
    tau, alpha, harm, c = m["tau"], m["alpha"], m["harm"], v["c"]
    t = _cutoff(m, k, x, reward)
    tc = np.clip(t, 0.0, th)
    q = tc / th
    S = m["assurance"] * reward
    return {
        "cutoff": t,
        "q": q,
        "war": (1.0 - q) * tau,
        "backdown": (1.0 - q) * (1.0 - tau),
        "assurance_failure": q * alpha,
        "challenger": q * (x - S - alpha * c) - (1.0 - q) * tau * c,
        "target": q * (S - k * x * x - alpha * harm)
        - tc * tc / (2.0 * th)
        - (1.0 - q) * tau * harm,
    }


def outcomes_at_offer(params: Params, demand: Any, reward: Any = 0.0) -> dict[str, np.ndarray]:
    """Return what happens if the challenger makes the offer ``(demand, reward)``.

    The target best-responds (types with cost of giving in at most the cutoff comply); the
    challenger's offer need not be optimal. Every array has the broadcast shape of ``params``,
    ``demand`` and ``reward``.

    Parameters
    ----------
    params : Params
        Parameters.
    demand : array_like
        Share of the issue demanded, in [0, 1].
    reward : array_like
        Reward promised for compliance, in [0, reward_max].

    Returns
    -------
    dict
        ``demand``, ``reward``, ``cutoff`` (the cutoff type), ``compliance``, ``war``,
        ``backdown``, ``assurance_failure`` (compliance punished anyway), ``eu_challenger``,
        ``eu_target``, and the optimal ``optimal_demand``, ``optimal_reward`` and
        ``optimal_compliance`` of :func:`solve`.

    Examples
    --------
    >>> out = outcomes_at_offer(Params(), [0.3, 0.5, 0.7], 0.0)
    >>> [round(float(q), 4) for q in out["compliance"]]
    [0.5419, 0.2219, 0.0]
    """
    v = _require(params).broadcast()
    x = np.asarray(demand, dtype=np.float64)
    R = np.asarray(reward, dtype=np.float64)
    if np.any(np.isnan(x) | (x < 0.0) | (x > 1.0)):
        raise ValueError(f"demand = {demand!r} is out of range: a demand must lie in [0, 1]")
    if np.any(np.isnan(R) | (R < 0.0) | (R > v["reward_max"])):
        raise ValueError(
            f"reward = {reward!r} is out of range: a reward must lie in [0, reward_max] "
            f"(reward_max = {_show(v['reward_max'])})"
        )
    shape = np.broadcast_shapes(params.shape, x.shape, R.shape)
    m = _maps(v)
    o = _offer_value(m, v, x, R)
    sol = solve(params)
    out = {
        "demand": x,
        "reward": R,
        "cutoff": o["cutoff"],
        "compliance": o["q"],
        "war": o["war"],
        "backdown": o["backdown"],
        "assurance_failure": o["assurance_failure"],
        "eu_challenger": o["challenger"],
        "eu_target": o["target"],
        "optimal_demand": sol.strategies["challenger.demand"],
        "optimal_reward": sol.strategies["challenger.reward"],
        "optimal_compliance": sol.planned[Outcome.COMPLIANCE],
    }
    return {k: np.broadcast_to(val, shape) for k, val in out.items()}


def _show(a: np.ndarray) -> str:
    return f"{a.item():g}" if a.ndim == 0 else f"array{a.shape}"


# -- the closed form ------------------------------------------------------------------------------
def _root(k: np.ndarray, lev: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Positive root of ``3 k x^2 + 2 k mu x - lev = 0`` clipped to [0, 1] (0 if none)."""
    disc = k * k * mu * mu + 3.0 * k * lev
    root = (np.sqrt(np.maximum(disc, 0.0)) - k * mu) / (3.0 * k)
    return np.clip(np.where(disc >= 0.0, root, 0.0), 0.0, 1.0)


def _closed_form(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The challenger's optimal offer: the best KKT point among the regimes' candidates."""
    m = _maps(v)
    k, th = v["k"], v["theta_hi"]
    lev, mu, s_bar = m["leverage"], m["mu"], m["reward_value_max"]
    zero = np.zeros_like(lev)
    x_hat = np.minimum(1.0, 0.5 / k)
    top = np.sqrt(np.maximum(lev - th, 0.0) / k)
    top_cap = np.sqrt(np.maximum(lev + s_bar - th, 0.0) / k)
    candidates = (  # (demand, expected reward S), one per regime's KKT point
        (x_hat, np.clip(0.5 * (x_hat + k * x_hat * x_hat + mu - lev), 0.0, s_bar)),
        (_root(k, lev, mu), zero),
        (_root(k, lev + s_bar, mu - s_bar), s_bar),
        (x_hat, np.clip(th - lev + k * x_hat * x_hat, 0.0, s_bar)),
        (np.minimum(top, 1.0), zero),
        (np.minimum(top_cap, 1.0), s_bar),
        (zero + 1.0, zero),
        (zero + 1.0, s_bar),
        (zero + 1.0, np.clip(th - lev + k, 0.0, s_bar)),
    )
    X = np.stack([np.broadcast_to(c[0], lev.shape) for c in candidates])
    S = np.stack([np.broadcast_to(c[1], lev.shape) for c in candidates])
    phi = np.clip(lev + S - k * X * X, 0.0, th) * (X - S + mu)
    best = np.argmax(phi, axis=0)[None]
    x = np.take_along_axis(X, best, 0)[0]
    S = np.take_along_axis(S, best, 0)[0]
    a = m["assurance"]
    R = np.divide(S, a, out=np.zeros_like(S), where=a > 0.0)
    R = np.where(S >= s_bar, v["reward_max"], np.minimum(R, v["reward_max"]))
    o = _offer_value(m, v, x, R)
    coerce = o["challenger"] > 0.0
    q = np.where(coerce, o["q"], 0.0)
    S = m["assurance"] * R
    regime = np.select(
        [~coerce, q >= 1.0 - _EDGE, S <= _EDGE * (1.0 + s_bar), S >= s_bar * (1.0 - _EDGE)],
        [0, 4, 1, 3],
        2,
    )
    return {
        "x_best": x,
        "R_best": R,
        "coerce": coerce,
        "demand": np.where(coerce, x, 0.0),
        "reward": np.where(coerce, R, 0.0),
        "cutoff": np.where(coerce, np.clip(o["cutoff"], 0.0, th), 0.0),
        "regime": regime.astype(np.float64),
        "tau": m["tau"],
        "alpha": m["alpha"],
        "assurance_failure": np.where(coerce, o["assurance_failure"], 0.0),
        Outcome.STATUS_QUO: np.where(coerce, 0.0, 1.0),
        Outcome.COMPLIANCE: q,
        Outcome.WAR: np.where(coerce, o["war"], 0.0),
        Outcome.BACKDOWN: np.where(coerce, o["backdown"], 0.0),
        "challenger": np.where(coerce, o["challenger"], 0.0),
        "target": np.where(coerce, o["target"], 0.0),
    }


# -- finite games ---------------------------------------------------------------------------------
def _offer_grid(
    v: dict[str, np.ndarray], n_demands: int, n_rewards: int
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Demands and rewards of the tree's offers, ``(n_offers, *shape)``, and their labels."""
    m = _maps(v)
    k, th, a = v["k"], v["theta_hi"], m["assurance"]
    batch = (1,) * k.ndim
    j = np.arange(n_rewards).reshape((-1, 1) + batch)
    i = np.arange(n_demands).reshape((1, -1) + batch)
    # rewards worth more than theta_hi - Lambda + k buy compliance from every type at every
    # demand (less would do), and rewards worth more than 1 + mu leave A worse off than making
    # no demand: neither can be optimal
    s_top = np.clip(np.minimum(th - m["leverage"] + k, 1.0 + m["mu"]), 0.0, m["reward_value_max"])
    r_top = np.minimum(np.divide(s_top, a, out=np.zeros_like(a), where=a > 0.0), v["reward_max"])
    rewards = r_top * j / max(n_rewards - 1, 1)
    base = m["leverage"] + m["assurance"] * rewards  # cutoff of demand 0 at this reward
    t_hi = np.clip(base, 0.0, th)  # cutoffs attainable with demands in [0, 1]
    t_lo = np.clip(base - k, 0.0, th)
    t = t_hi + (t_lo - t_hi) * i / (n_demands - 1)
    demands = np.clip(np.sqrt(np.maximum(base - t, 0.0) / k), 0.0, 1.0)
    demands, rewards = np.broadcast_arrays(demands, rewards)
    shape = (n_rewards * n_demands,) + k.shape
    labels = [f"d{a}.r{b}" for b in range(n_rewards) for a in range(n_demands)]
    return demands.reshape(shape), rewards.reshape(shape), labels


def _game(
    v: dict[str, np.ndarray],
    demands: np.ndarray,
    rewards: np.ndarray,
    labels: list[str],
    n_types: int,
    aligned: bool,
    title: str,
    annotations: dict[str, Any],
) -> Game:
    """The game whose challenger chooses no demand or one of the given offers."""
    m = _maps(v)
    k, th, c = v["k"], v["theta_hi"], v["c"]
    tau, alpha, harm = m["tau"], m["alpha"], m["harm"]
    cut = np.clip(_cutoff(m, k, demands, rewards), 0.0, th)
    q = cut / th
    half = (np.arange(n_types) + 0.5) / n_types
    cost_x = k * demands * demands

    def target(name: str, o: int, theta: np.ndarray) -> Decision:
        x, R, kx = demands[o], rewards[o], cost_x[o]
        comply = Chance(
            {
                "honoured": (1.0 - alpha, Terminal((x - R, R - kx - theta), label="compliance")),
                "betrayed": (alpha, Terminal((x - c, -kx - theta - harm), label="compliance")),
            }
        )
        defy = Chance(
            {
                "punished": (tau, Terminal((-c, -harm), label="war")),
                "spared": (1.0 - tau, Terminal((0.0, 0.0), label="backdown")),
            }
        )
        return Decision("target", name, {"comply": comply, "defy": defy})

    offers: dict[str, Any] = {"no_demand": Terminal((0.0, 0.0), label="status_quo")}
    for o, label in enumerate(labels):
        cells = {}
        if aligned:  # cells cut at the offer's own cutoff: exact expected utilities
            for b, u in enumerate(half):
                cells[f"low{b}"] = (q[o] / n_types, u * cut[o])
            for b, u in enumerate(half):
                cells[f"high{b}"] = ((1.0 - q[o]) / n_types, cut[o] + u * (th - cut[o]))
        else:  # equal-probability cells of the prior, each represented by its midpoint
            for b, u in enumerate(half):
                cells[f"type{b}"] = (np.full_like(th, 1.0 / n_types), u * th)
        offers[label] = Chance(
            {
                cell: (prob, target(f"target.{label}.{cell}", o, theta))
                for cell, (prob, theta) in cells.items()
            }
        )
    return Game(
        ("challenger", "target"),
        Decision("challenger", "challenger", offers),
        title=title,
        annotations=annotations,
    )


def tree(
    params: Params,
    *,
    n_demands: int = 27,
    n_rewards: int = 27,
    n_types: int = 1,
    aligned: bool = True,
) -> Game:
    r"""Build the assurance game as a finite game of perfect information (batched).

    1. The challenger (information set ``"challenger"``) makes no demand (``"no_demand"``, the
       first action: ties go to the status quo) or one of ``n_demands * n_rewards`` offers
       ``"d<i>.r<j>"``;
    2. nature draws a cell of target types (see below);
    3. the target (information set ``"target.<offer>.<cell>"``) plays ``"comply"`` (first: ties
       comply) or ``"defy"``;
    4. nature draws the follow-through: ``"honoured"`` (:math:`1 - \alpha`) or ``"betrayed"``
       after compliance, ``"punished"`` (:math:`\tau`) or ``"spared"`` after defiance.

    Terminals are labelled by outcome class. The rewards are :math:`R_j = \bar R j/(n_r - 1)`.
    For each reward, the demands induce evenly spaced cutoffs over those attainable with
    :math:`x \in [0, 1]`: :math:`t_i` runs from :math:`\min(\bar\theta, (\Lambda + S_j)^+)`
    down to :math:`\min(\bar\theta, (\Lambda + S_j - k)^+)` and
    :math:`x_i = \min(1, \sqrt{(\Lambda + S_j - t_i)^+/k})`, so the demand grid is spaced evenly
    in the compliance probability it buys and contains the demand at which the most resolved
    type is just indifferent. Grid values differ across parameter points; they are in
    ``game.annotations["demands"]`` and ``["rewards"]`` (``(n_offers, *params.shape)``, offer
    ``o`` is action ``o + 1``).

    Target types: with ``aligned=True`` each offer's types are cut at its own cutoff into
    ``n_types`` equal-probability cells on each side, each represented by its mean; because
    payoffs are linear in :math:`\theta` this gives every offer its exact expected utilities,
    and the generic solver still checks every cell's choice. With ``aligned=False`` the types
    are the midpoints of ``n_types`` equal-probability cells of :math:`U[0, \bar\theta]`, the
    same for every offer (an approximation that converges as ``n_types`` grows and that shares
    nothing with the cutoff rule).

    Parameters
    ----------
    params : Params
        Parameters; array fields give a batch of games with one tree shape.
    n_demands : int
        Demands per reward level, at least 2.
    n_rewards : int
        Reward levels, at least 1 (1: no reward).
    n_types : int
        Cells of target types (per side of the cutoff when ``aligned``), at least 1.
    aligned : bool
        Whether the cells of types are cut at each offer's cutoff.

    Returns
    -------
    model.tree.Game
        Players ``("challenger", "target")``; payoffs of shape ``params.shape``.

    Examples
    --------
    >>> from model.solvers.backward import backward_induction_solve
    >>> game = tree(Params(), n_demands=21, n_rewards=11)
    >>> res = backward_induction_solve(game)
    >>> o = int(res.choice["challenger"]) - 1
    >>> [round(float(game.annotations[k][o]), 4) for k in ("demands", "rewards")]
    [0.4937, 0.25]
    >>> round(float(res.root_values[0]), 4), round(float(solve(Params()).utilities_planned[
    ...     "challenger"]), 4)
    (0.1521, 0.1522)
    """
    v = _require(params).broadcast()
    n_demands = require_count("n_demands", n_demands, low=2)
    n_rewards = require_count("n_rewards", n_rewards, low=1)
    n_types = require_count("n_types", n_types, low=1)
    aligned = require_flag("aligned", aligned)
    demands, rewards, labels = _offer_grid(v, n_demands, n_rewards)
    cells = f"{n_types} cell(s) per side of each cutoff" if aligned else f"{n_types} type cells"
    return _game(
        v,
        demands,
        rewards,
        labels,
        n_types,
        aligned,
        title=f"assurance game: {n_demands} demands x {n_rewards} rewards, {cells}",
        annotations={
            "model": NAME,
            "params": params,
            "demands": demands,
            "rewards": rewards,
            "tie_rule": "no demand when coercion is worth nothing; the target complies when "
            "indifferent (first actions)",
        },
    )


# -- certificate ----------------------------------------------------------------------------------
def _certificate(
    v: dict[str, np.ndarray], x: np.ndarray, R: np.ndarray, coerce: np.ndarray
) -> Certificate:
    """Regret of the closed-form profile in a game of nearby and coarse-grid offers.

    Points are flattened and certified in blocks of :data:`_BLOCK`.
    """
    shape = x.shape
    flat = {key: np.ascontiguousarray(a).reshape(-1) for key, a in v.items()}
    xf, Rf, cf = x.reshape(-1), R.reshape(-1), coerce.reshape(-1)
    regret = np.empty(xf.shape)
    for s in range(0, xf.size, _BLOCK):
        sl = slice(s, s + _BLOCK)
        vb = {key: a[sl] for key, a in flat.items()}
        xb, Rb, top = xf[sl], Rf[sl], vb["reward_max"]
        near = [(xb, Rb)]
        for dx in (-_STEP, 0.0, _STEP):
            for dr in (-_STEP, 0.0, _STEP):
                if dx or dr:
                    near.append((np.clip(xb + dx, 0.0, 1.0), np.clip(Rb + dr, 0.0, top)))
        grid_x, grid_r, grid_labels = _offer_grid(vb, *_CHECK_GRID)
        demands = np.concatenate([np.stack([d for d, _ in near]), grid_x])
        rewards = np.concatenate([np.stack([r for _, r in near]), grid_r])
        labels = ["offer"] + [f"near{i}" for i in range(1, len(near))] + grid_labels
        game = _game(vb, demands, rewards, labels, 1, True, "certificate", {})
        m = _maps(vb)
        cut = _cutoff(m, vb["k"], demands, rewards)
        profile: dict[str, np.ndarray] = {}
        pick = np.zeros((len(labels) + 1, xb.size))
        pick[0] = ~cf[sl]
        pick[1] = cf[sl]
        profile["challenger"] = pick
        for o, label in enumerate(labels):
            for cell in ("low0", "high0"):
                yes = (_cell_type(vb, cut[o], cell) <= cut[o]).astype(np.float64)
                profile[f"target.{label}.{cell}"] = np.stack([yes, 1.0 - yes])
        cert = tree_certificate(game, profile, tolerance=TOLERANCE, subgame_perfect=True)
        regret[sl] = cert.max_regret
    return Certificate(
        max_regret=regret.reshape(shape),
        bayes_gap=np.zeros(shape),
        tolerance=TOLERANCE,
        checks={
            "tree_regret": "no player gains by deviating anywhere in a game whose challenger may "
            "make no demand, the closed-form offer, its 8 neighbours at +/- "
            f"{_STEP:g} in demand and reward, or {_CHECK_GRID[0] * _CHECK_GRID[1]} coarse-grid "
            "offers (model.checks.tree_certificate, subgame perfect); its objective is "
            "log-concave, so no gain nearby means no gain anywhere",
            "target": "every cell of target types, on both sides of each offer's cutoff, "
            "best-responds",
            "bayes": "not applicable: the only private information is the target's own type",
        },
    )


def _cell_type(v: dict[str, np.ndarray], cut: np.ndarray, edge: str) -> np.ndarray:
    """Representative type of the aligned cell ``low0`` or ``high0`` (one cell per side)."""
    th = v["theta_hi"]
    tc = np.clip(cut, 0.0, th)
    return 0.5 * tc if edge == "low0" else tc + 0.5 * (th - tc)


# -- solve ----------------------------------------------------------------------------------------
def tree_decisive(params: Params, tolerance: float) -> np.ndarray:
    r"""Where a discretised tree must make the closed form's choice between coercing and not.

    Coercing is worth :math:`\max \varphi / \bar\theta - \tau c` to the challenger and the
    status quo 0; where coercion is worth less than ``tolerance`` (the tree's discretisation
    error), the best offer on a grid may be worth less than nothing and the tree then keeps the
    status quo, a different outcome at almost the same payoff. Everywhere else (no coercion, or
    coercion worth more than ``tolerance``) the outcomes must agree.

    Returns
    -------
    ndarray of bool
        One value per parameter point.
    """
    o = _closed_form(_require(params).broadcast())
    return ~o["coerce"] | (o["challenger"] > tolerance)


def solve(
    params: Params, *, method: str = "closed_form", tree_options: dict[str, Any] | None = None
) -> Solution:
    r"""Solve the assurance game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form", "backward"}
        The regimes of the module docstring, or backward induction on :func:`tree`.
    tree_options : dict, optional
        Keyword arguments of :func:`tree` for ``method="backward"`` (default
        :data:`TREE_OPTIONS`).

    Returns
    -------
    Solution
        Strategies ``challenger.coerce`` (1 or 0), ``challenger.demand``,
        ``challenger.reward``, ``challenger.punish_defiance`` (:math:`\tau`),
        ``challenger.punish_compliance`` (:math:`\alpha`), ``assurance_failure`` (probability
        that a compliant target is punished) and ``regime`` (a key of :data:`REGIMES`); the
        cutoff type ``target.comply_cost`` (types with a lower cost of giving in comply; 0
        without a demand); outcome probabilities, expected utilities and the certificate.
    """
    _require(params)
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    if tree_options is not None and method != "backward":
        raise ValueError("tree_options applies only to method = 'backward'")
    v = params.broadcast()
    shape = params.shape
    if method == "closed_form":
        o = _closed_form(v)
        certificate = _certificate(v, o["x_best"], o["R_best"], o["coerce"])
        method_params: dict[str, Any] = {
            "equilibrium": "unique subgame-perfect equilibrium (ties: no demand, and the "
            "target complies)",
            "regimes": dict(REGIMES),
        }
    else:
        o, certificate, method_params = _backward(params, v, tree_options or TREE_OPTIONS)
    planned = outcome_table({k: o[k] for k in Outcome if k in o}, shape)
    utilities = {"challenger": o["challenger"], "target": o["target"]}
    return Solution(
        model=NAME,
        params=params,
        strategies={
            "challenger.coerce": o["coerce"].astype(np.float64),
            "challenger.demand": o["demand"],
            "challenger.reward": o["reward"],
            "challenger.punish_defiance": o["tau"],
            "challenger.punish_compliance": o["alpha"],
            "assurance_failure": o["assurance_failure"],
            "regime": o["regime"],
        },
        cutpoints={"target.comply_cost": o["cutoff"]},
        beliefs={"target (probability that compliance is punished anyway)": o["alpha"]},
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
    params: Params, v: dict[str, np.ndarray], options: dict[str, Any]
) -> tuple[dict[str, Any], Certificate, dict[str, Any]]:
    from model.solvers.backward import backward_induction_solve

    game = tree(params, **options)
    res = backward_induction_solve(game)
    choice = res.choice["challenger"]
    coerce = choice > 0
    o = np.maximum(choice - 1, 0)[None]
    x = np.take_along_axis(game.annotations["demands"], o, 0)[0]
    R = np.take_along_axis(game.annotations["rewards"], o, 0)[0]
    m = _maps(v)
    made = _offer_value(m, v, x, R)
    outcomes = game.outcome_probabilities(res.profile)
    q = outcomes[str(Outcome.COMPLIANCE)]
    s_bar = m["reward_value_max"]
    S = m["assurance"] * R
    regime = np.select(
        [~coerce, q >= 1.0 - _EDGE, S <= _EDGE * (1.0 + s_bar), S >= s_bar * (1.0 - _EDGE)],
        [0, 4, 1, 3],
        2,
    )
    o_dict: dict[Any, Any] = {out: outcomes[str(out)] for out in Outcome}
    o_dict.update(
        coerce=coerce,
        demand=np.where(coerce, x, 0.0),
        reward=np.where(coerce, R, 0.0),
        cutoff=np.where(coerce, np.clip(made["cutoff"], 0.0, v["theta_hi"]), 0.0),
        regime=regime.astype(np.float64),
        tau=m["tau"],
        alpha=m["alpha"],
        assurance_failure=np.where(coerce, made["assurance_failure"], 0.0),
        challenger=res.root_values[0],
        target=res.root_values[1],
    )
    return o_dict, res.certificate, {"tree_options": dict(options), **res.parameters}
