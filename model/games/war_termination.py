r"""War termination with learning: battles reveal the balance of power until the sides talk.

The game (after Filson and Werner 2002, Slantchev 2003 and Powell 2004)
-----------------------------------------------------------------------
A war is under way over an issue :math:`[0, 1]`; :math:`x` is the challenger's (A's) share.
Nature has made the target (B) *strong* with probability :math:`\sigma`, else *weak*; only B
knows which. The war lasts at most :math:`T` periods. In every period :math:`t = 1, \dots, T`:

1. If no talks have been held, A either **fights** on or **holds talks**: it makes a
   take-it-or-leave-it offer :math:`x`. B accepts (the war ends in a **settlement**: payoffs
   :math:`(x, 1 - x)`) or rejects. Talks are held once: after a rejection no offer is made again
   and the war is fought to its end (a failed peace conference ends diplomacy).
2. If the war goes on, a battle is fought. A wins it with probability :math:`q_\theta` against
   type :math:`\theta` (:math:`q_s \le q_w`: the strong type wins more battles). With
   probability :math:`\kappa` the battle is **decisive** and its winner wins the war (the issue:
   payoffs :math:`(1, 0)` or :math:`(0, 1)`); otherwise the war goes on and both sides see who won
   the battle. A battle costs A :math:`c_A` and B :math:`c_B`.
3. If no battle has been decisive after :math:`T` battles, the war ends in **stalemate**: the
   status quo ante, :math:`(x_0, 1 - x_0)`, :math:`x_0` = ``status_quo``.

Payoffs of period :math:`t` are discounted by :math:`\delta^{t - 1}`; the stalemate division
comes at :math:`T + 1`. Write :math:`\beta = (1 - \kappa)\delta` (the war goes on and a period
passes) and :math:`n = T - t + 1` (battles left).

Learning. After an indecisive battle A updates its belief that B is strong by Bayes' rule
(THEORY.md M10): :math:`\sigma' = \sigma q_s / (\sigma q_s + (1 - \sigma) q_w)` if A won it,
:math:`\sigma' = \sigma (1 - q_s) / (\sigma (1 - q_s) + (1 - \sigma)(1 - q_w))` if it lost. After
:math:`t - 1` indecisive battles of which A won :math:`k` (the battle history, a point of a
recombining lattice),

.. math:: \sigma_{t,k} = \frac{\sigma q_s^k (1 - q_s)^{t-1-k}}
          {\sigma q_s^k (1 - q_s)^{t-1-k} + (1 - \sigma) q_w^k (1 - q_w)^{t-1-k}}

(:func:`model.games.screening.posterior_after_battles` applied to the wins, then to the losses).

Equilibrium (derived here)
--------------------------
*Fighting to the end.* Once talks have failed nobody moves again. From period :math:`t` on, type
:math:`\theta` and A expect (in period-:math:`t` units)

.. math:: W_\theta(t) = \kappa (1 - q_\theta) - c_B + \beta W_\theta(t + 1),\qquad
          A_\theta(t) = \kappa q_\theta - c_A + \beta A_\theta(t + 1),

with :math:`W_\theta(T + 1) = 1 - x_0`, :math:`A_\theta(T + 1) = x_0`; in closed form
:math:`W_\theta(t) = (\kappa (1 - q_\theta) - c_B) S_n + \beta^n (1 - x_0)` and
:math:`A_\theta(t) = (\kappa q_\theta - c_A) S_n + \beta^n x_0`, :math:`S_n = \sum_{j < n}
\beta^j`. As :math:`q_s \le q_w`, :math:`W_s(t) \ge W_w(t)`.

*Talks are the one-shot screening game.* At talks in period :math:`t`, type :math:`\theta`
accepts :math:`x` iff :math:`1 - x \ge W_\theta(t)` (an indifferent type accepts): its response
is dominant, since nothing is decided after talks. So it accepts up to
:math:`\bar x_\theta(t) = \min\{1, 1 - W_\theta(t)\}` and :math:`\bar x_s \le \bar x_w`. This is
exactly the game of :mod:`model.games.screening` with war payoffs :math:`(A_\theta(t),
W_\theta(t))`, i.e. with :math:`p_\theta = A_\theta(t) + c_A S_n`, costs
:math:`c_A' = c_A S_n` and :math:`c_B' = c_B S_n + 1 - \kappa S_n - \beta^n`. A's best offer is
to **pool** at :math:`\bar x_s(t)` (both accept) or to **screen** at :math:`\bar x_w(t)` (the weak
type accepts, the strong one fights to the end), worth

.. math:: N(t, \sigma) = \max\{\bar x_s(t),\ (1 - \sigma)\bar x_w(t) + \sigma A_s(t)\},

and A screens iff :math:`\sigma < \sigma^*(t) = \Delta / (\Delta + L)`, :math:`\Delta = \bar x_w
- \bar x_s`, :math:`L = \bar x_s - A_s(t)`; without caps :math:`\sigma^*(t) = \kappa (q_w - q_s)
S_n / (\kappa (q_w - q_s) S_n + (c_A + c_B) S_n + 1 - \kappa S_n - \beta^n)`, which for
:math:`T = 1` is the threshold of THEORY.md M10 with :math:`p_w - p_s = \kappa (q_w - q_s)`.

*Fighting to learn.* Before talks, A's value :math:`V(t, \sigma)` solves the Bellman equation
(an optimal-stopping problem: B has no choice before talks)

.. math:: V(t, \sigma) = \max\Big\{N(t, \sigma),\ \sigma f_s + (1 - \sigma) f_w
          + \beta\big[P_A V(t + 1, \sigma_A) + (1 - P_A) V(t + 1, \sigma_B)\big]\Big\},

:math:`f_\theta = \kappa q_\theta - c_A`, :math:`P_A = \sigma q_s + (1 - \sigma) q_w`,
:math:`\sigma_A, \sigma_B` the posteriors above, :math:`V(T + 1, \cdot) = x_0`. It is solved by
backward induction over the lattice :math:`\{(t, k) : 0 \le k < t \le T\}`; ties go to talks
(pooling before screening). With B's dominant responses and beliefs from Bayes' rule this is
a perfect Bayesian equilibrium, unique up to A's ties.

Consequences (derived here; the tests check each):

* :math:`T = 1`: the game is the screening game of :mod:`model.games.screening` (mapping above).
* *Convergence* (the principle of Slantchev 2003: war ends once fighting stops being
  informative). With :math:`q_s = q_w` battles teach nothing and A talks at once: fighting a
  period and then making the same offer loses :math:`1 + c_A + c_B - \kappa - (1 - \kappa)\delta
  > 0`. By continuity A also talks at once when its belief is near 0 or 1, and its offer is
  then the complete-information offer to the true type (:math:`\bar x_w` or :math:`\bar x_s`):
  as beliefs converge, offers converge and the war ends; A fights to learn only while unsure.
* *Rising offers.* At talks A screens iff :math:`\sigma < \sigma^*(t)`, so at a given period a
  history with fewer won battles (a higher belief) never gets a more demanding offer: offers
  rise after lost battles and fall after won ones, and the weak type settles at talks that the
  strong type rejects (it "accepts earlier").
* *The strong type gets its war value*: when no demand is capped, its expected payoff is
  :math:`W_s(1)` whatever A does (it is offered exactly its war value or fights), as in
  Banks (1990).
* *Costs shorten wars* (with :math:`\delta = 1`). Since :math:`\kappa` does not depend on the
  type, a war that is still on at period :math:`\tau` lasts :math:`N(\tau) = \sum_{j \le T -
  \tau} (1 - \kappa)^j` more battles in expectation if nobody settles, so under any plan of A
  :math:`E[\text{battles}] = N(1) - E[\mathbf 1\{\text{settled at } \tau\} N(\tau)]`. A's payoff
  is :math:`R - c_A E[\text{battles}]` with :math:`R` free of :math:`c_A` (B's answers do not
  involve it), and, when no demand is capped, :math:`R' + c_B E[\mathbf 1\{\text{settled at }
  \tau\} N(\tau)]` with :math:`R'` free of :math:`c_B` (each settlement pays A :math:`c_B` per
  battle it spares B). Revealed preference then gives (up to A's ties): a higher :math:`c_A`,
  or a higher :math:`c_B` without caps, never lengthens the war.

Numerical findings, shown by ``figures/war_termination.py`` but not proved: A fights to learn
only when battles are informative enough (below that it pools, or screens and fights the strong
type to the end); where it fights to learn, less informative battles make the war longer.

Why talks are held once
-----------------------
If A could offer again after every rejection, a rejected screening offer would identify the
strong type and be followed by generous terms, so the weak type would reject to pass for strong
(an information rent). In the two-type game the equilibrium then has the weak type randomising
between accepting and rejecting (Fudenberg and Tirole 1983), A's belief depends on that mixing
as well as on the battles, and no backward induction over the battle lattice (or pure-strategy
generic solver) finds it. With one round of talks every answer is dominant, the equilibrium is
pure and exact, and learning happens on the battlefield, the subject of the model. The price:
A cannot reopen talks after a failure.

Outcome classes
---------------
Every path starts at war; the classes record how it ends, so that they sum to one:
``settlement`` (talks succeed), ``compliance`` (A wins a decisive battle: the target is made to
concede the issue), ``backdown`` (B wins a decisive battle: the challenger's claim fails) and
``status_quo`` (stalemate after :math:`T` battles: the status quo ante). The class ``war`` (a
crisis that turns into war) is empty: the war has already begun. The expected number of
battles is ``strategies["war.expected_battles"]``.

Solution methods
----------------
``closed_form`` runs the backward induction above. ``pbe`` runs the same induction but solves
every period's game generically: at every battle history the *stage game* (nature draws the
type with the current belief; A chooses among ``n_offers`` evenly spaced offers, the two
critical offers, and fighting; the type answers; rejected talks and battles lead to lotteries
over outcome classes) is solved by :func:`model.solvers.pbe.pbe_solve` with the
challenger-preferred selection, and its outcome lotteries feed the period before. Both certify
their profile on the stage game of every battle history, on or off the path, with
:func:`model.checks.assessment_certificate` (no player gains by a one-shot deviation there, which
in this finite game with observed actions is enough for a perfect Bayesian equilibrium), and
check Bayes' rule across the lattice (the belief at each history equals the ratio of the types'
reach probabilities).

Array convention
----------------
Every field of :class:`Params` may be an array; fields broadcast, and every entry of the
:class:`~model.types.Solution` has the broadcast shape (float64). Lattice arrays of
:func:`policy` are ``(T_max, T_max, *shape)``, indexed ``[t - 1, k]``. Lottery arrays inside the
module are ``(..., 4 classes, 4 fields, batch)``: classes settlement, compliance, backdown,
status quo; fields probability and the probability-weighted payoff of A, of B and number of
battles.

References
----------
.. [1] Filson, D. and Werner, S. (2002). A bargaining model of war and peace: anticipating the
   onset, duration, and outcome of war. *American Journal of Political Science* 46(4): 819-837
   (war as a sequence of battles that reveal information).
.. [2] Slantchev, B. L. (2003). The principle of convergence in wartime negotiations. *American
   Political Science Review* 97(4): 621-632 (war ends when fighting stops being informative).
.. [3] Powell, R. (2004). Bargaining and learning while fighting. *American Journal of
   Political Science* 48(2): 344-361 (the uninformed side screens while fighting).
.. [4] Wagner, R. H. (2000). Bargaining and war. *American Journal of Political Science* 44(3):
   469-484 (fighting as part of bargaining, not a one-shot lottery).
.. [5] Fudenberg, D. and Tirole, J. (1991). *Game Theory*. MIT Press, sec. 8.2 (perfect
   Bayesian equilibrium in multi-stage games with observed actions).
.. [6] Fudenberg, D. and Tirole, J. (1983). Sequential bargaining with incomplete information.
   *Review of Economic Studies* 50(2): 221-247 (mixed strategies of the informed side when the
   uninformed side makes repeated offers).
.. [7] Banks, J. S. (1990). Equilibrium behavior in crisis bargaining games. *American Journal
   of Political Science* 34(3): 599-614.

Which statements are whose: the papers' models differ from this one (Slantchev: both sides
offer, a random walk of battles; Powell: a continuum of types and repeated offers). The game
above, its equilibrium, the closed forms and the consequences listed are derived here and
checked by brute force (grids of offers, enumeration of A's stopping rules) and by the generic
solvers; the belief update and the two-type screening threshold are THEORY.md M10's.

Examples
--------
>>> s = solve(Params(T=1, sigma=0.2, q_s=0.3, q_w=0.6, kappa=1.0, c_A=0.1, c_B=0.1))
>>> round(float(s.strategies["challenger.first_demand"]), 12)  # = screening's p_w + c_B
0.7
>>> {str(k): round(float(v), 12) for k, v in s.planned.items() if v}
{'compliance': 0.06, 'settlement': 0.8, 'backdown': 0.14}
>>> s = solve(Params())  # informative battles: A fights to learn before it talks
>>> float(s.strategies["challenger.fights_first"]), s.certificate.all_passed
(1.0, True)
>>> round(float(s.strategies["war.expected_battles"]), 4)
2.8461
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.checks import assessment_certificate, require_count
from model.games.screening import posterior_after_battles
from model.params import ParamSet, param
from model.registry import register
from model.tree import Chance, Decision, Game, Terminal
from model.types import Certificate, Outcome, Solution, outcome_table

__all__ = ["ACTIONS", "METHODS", "Params", "informativeness", "policy", "solve", "tree"]

NAME = "war_termination"
TOLERANCE = 1e-9
METHODS = ("closed_form", "pbe")
#: The selection rule of the ``pbe`` method and of the contract tests.
SELECTION = "challenger_preferred"
#: Evenly spaced offers on [0, 1] in every stage game, besides the two critical offers.
N_OFFERS = 5
# The contract tests solve the first period's stage game (the whole game when T = 1) with the
# generic screening solver; it holds both critical offers and the closed form's continuation,
# so the two agree up to rounding.
TREE_OPTIONS: dict[str, Any] = {"horizon": 1, "n_offers": 6}
TREE_TOLERANCE = 1e-9
#: A's choices at a battle history, by code: 0 pool, 1 screen (both are talks), 2 fight.
ACTIONS = ("pool", "screen", "fight")
TYPES = ("strong", "weak")
#: Outcome classes of the lotteries, in their order.
CLASSES = (Outcome.SETTLEMENT, Outcome.COMPLIANCE, Outcome.BACKDOWN, Outcome.STATUS_QUO)
_POOL, _SCREEN, _FIGHT, _NONE = 0, 1, 2, -1
_SET, _WIN, _LOSS, _SQ = 0, 1, 2, 3  # class rows of a lottery
_P, _UA, _UB, _NB = 0, 1, 2, 3  # field rows of a lottery
_TIE = 1e-12  # accept-reject payoff differences below this (rounding) count as ties
_BLOCK = 1 << 11  # parameter points per block (bounds memory: lattices are O(T^2))
_CERT_CHUNK = 1 << 14  # stage games certified in one batch
_PRIOR_FLOOR = 1e-12  # the generic solver needs both types' priors positive
_MAX_TREE_NODES = 300_000


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the war-termination game; each may be an array (broadcast)."""

    sigma: float = param(
        0.5,
        (0.0, 1.0),
        "prior probability that the target is strong",
        open_low=True,
        open_high=True,
    )
    q_s: float = param(0.3, (0.01, 0.99), "challenger's chance of winning a battle, strong target")
    q_w: float = param(0.7, (0.01, 0.99), "challenger's chance of winning a battle, weak target")
    kappa: float = param(
        0.1,
        (0.0, 1.0),
        "probability that a battle is decisive (its winner wins the war)",
        open_low=True,
    )
    c_A: float = param(0.005, (0.0, 1.0), "challenger's cost of one battle", open_low=True)
    c_B: float = param(0.005, (0.0, 1.0), "target's cost of one battle", open_low=True)
    delta: float = param(0.99, (0.0, 1.0), "discount factor per period", open_low=True)
    status_quo: float = param(
        0.5, (0.0, 1.0), "challenger's share of the issue after a stalemate (status quo ante)"
    )
    T: int = param(12, (1.0, 20.0), "most battles before the war ends in stalemate", integer=True)

    def check(self) -> None:
        """Require ``q_s <= q_w`` (A wins battles against the strong type no more often)."""
        a, b = np.asarray(self.q_s), np.asarray(self.q_w)
        bad = ~(a <= b)
        if np.any(bad):
            shape = np.broadcast_shapes(a.shape, b.shape)
            i = np.flatnonzero(np.broadcast_to(bad, shape))[0]
            raise ValueError(
                f"q_s = {np.broadcast_to(a, shape).flat[i]:g} and q_w = "
                f"{np.broadcast_to(b, shape).flat[i]:g}: the challenger must win battles "
                "against the strong target no more often than against the weak one, q_s <= q_w"
            )


# -- lotteries over outcome classes ---------------------------------------------------------------
def _settle(x: np.ndarray) -> np.ndarray:
    """The lottery of a settlement on ``x``, ``(4, 4, *x.shape)``."""
    out = np.zeros((4, 4) + x.shape)
    out[_SET, _P] = 1.0
    out[_SET, _UA] = x
    out[_SET, _UB] = 1.0 - x
    return out


def _stalemate(x0: np.ndarray) -> np.ndarray:
    """The lottery of a stalemate at the status quo ante ``x0``, ``(4, 4, *x0.shape)``."""
    out = np.zeros((4, 4) + x0.shape)
    out[_SQ, _P] = 1.0
    out[_SQ, _UA] = x0
    out[_SQ, _UB] = 1.0 - x0
    return out


def _carry(lot: np.ndarray, c: dict[str, np.ndarray]) -> np.ndarray:
    """A lottery of the next period seen from this one: a battle's costs, then discounting."""
    out = np.empty_like(lot)
    p = lot[..., _P, :]
    out[..., _P, :] = p
    out[..., _UA, :] = c["delta"] * lot[..., _UA, :] - c["c_A"] * p
    out[..., _UB, :] = c["delta"] * lot[..., _UB, :] - c["c_B"] * p
    out[..., _NB, :] = lot[..., _NB, :] + p
    return out


def _fight(adv: np.ndarray, ret: np.ndarray, q: np.ndarray, c: dict[str, np.ndarray]) -> np.ndarray:
    """The lottery of fighting one battle, A winning it with probability ``q``.

    ``adv`` and ``ret`` are the next period's lotteries after an indecisive battle won by A and
    by B (``(..., 4, 4, N)``).
    """
    k = c["kappa"]
    out = (1.0 - k) * q * _carry(adv, c) + (1.0 - k) * (1.0 - q) * _carry(ret, c)
    for cls, w, ua, ub in (
        (_WIN, k * q, 1.0 - c["c_A"], -c["c_B"]),
        (_LOSS, k * (1.0 - q), -c["c_A"], 1.0 - c["c_B"]),
    ):
        out[..., cls, _P, :] += w
        out[..., cls, _UA, :] += w * ua
        out[..., cls, _UB, :] += w * ub
        out[..., cls, _NB, :] += w
    return out


def _expect(lot: np.ndarray, field: int) -> np.ndarray:
    """Expected value of a field (summed over classes)."""
    return lot[..., field, :].sum(axis=-2)


# -- the backward induction ---------------------------------------------------------------------
def _costs(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: v[k] for k in ("kappa", "delta", "c_A", "c_B")}


def _war_lotteries(v: dict[str, np.ndarray], t_max: int) -> list[np.ndarray]:
    """``L[t]``: each type's lottery of fighting to the end from period ``t`` (``(2, 4, 4, N)``).

    ``L[t]`` is the stalemate where ``t > T`` (the war is over); index ``t_max + 1`` holds it too.
    """
    c = _costs(v)
    q = np.stack([v["q_s"], v["q_w"]])
    stale = np.broadcast_to(_stalemate(v["status_quo"]), (2, 4, 4) + v["T"].shape)
    out: list[np.ndarray] = [stale] * (t_max + 2)
    for t in range(t_max, 0, -1):
        fought = np.stack([_fight(out[t + 1][i], out[t + 1][i], q[i], c) for i in range(2)])
        out[t] = np.where(t <= v["T"], fought, stale)
    return out


def _terms(war: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(xbar_s, xbar_w, A_s)`` at talks: the most each type accepts, A's war value vs strong."""
    W = _expect(war, _UB)  # (2, N): each type's value of fighting to the end
    xbar = np.minimum(1.0, 1.0 - W)
    return xbar[0], xbar[1], _expect(war[0], _UA)


def _beliefs(v: dict[str, np.ndarray], t: int) -> np.ndarray:
    """``sigma_{t,k}`` for ``k = 0 .. t - 1`` wins of A: ``(t, N)``."""
    k = np.arange(t).reshape((-1,) + (1,) * v["sigma"].ndim)
    wins = posterior_after_battles(v["sigma"], v["q_s"], v["q_w"], k)
    return posterior_after_battles(wins, 1.0 - v["q_s"], 1.0 - v["q_w"], t - 1 - k)


def _choose(
    sig: np.ndarray, xs: np.ndarray, xw: np.ndarray, a_s: np.ndarray, fight: np.ndarray
) -> np.ndarray:
    """A's choice at beliefs ``sig``: ties go to talks, and to pooling among talks."""
    screen = np.where(xw > xs, (1.0 - sig) * xw + sig * a_s, -np.inf)
    return np.where(
        xs >= np.maximum(screen, fight), _POOL, np.where(screen >= fight, _SCREEN, _FIGHT)
    )


def _state_lotteries(
    act: np.ndarray, xs: np.ndarray, xw: np.ndarray, war: np.ndarray, fl: np.ndarray
) -> np.ndarray:
    """Each type's lottery at the histories of one period, given A's choices ``act`` ``(t, N)``.

    ``fl`` ``(t, 2, 4, 4, N)`` holds the lotteries of fighting; ``war`` ``(2, 4, 4, N)`` those of
    fighting to the end after failed talks. Inactive histories (``act == -1``) get ``fl``, which
    the caller has set to the stalemate there.
    """
    pool = _settle(xs)
    strong = np.where(act[:, None, None] == _SCREEN, war[0], pool)
    weak = np.where(act[:, None, None] == _SCREEN, _settle(xw), pool)
    talks = np.stack([strong, weak], axis=1)
    return np.where(
        (act == _FIGHT)[:, None, None, None] | (act == _NONE)[:, None, None, None], fl, talks
    )


def _stage_offers(xs: np.ndarray, xw: np.ndarray, n_offers: int, margin: float = 0.0) -> np.ndarray:
    """Offers of a stage game: ``n_offers`` evenly spaced on [0, 1] and both critical ones.

    With ``margin > 0`` the critical offers are lowered by it (not below 0).
    """
    xs, xw = np.maximum(xs - margin, 0.0), np.maximum(xw - margin, 0.0)
    grid = np.broadcast_to(
        np.linspace(0.0, 1.0, n_offers).reshape((-1,) + (1,) * xs.ndim), (n_offers,) + xs.shape
    )
    return np.sort(np.concatenate([grid, xs[None], xw[None]]), axis=0)


def _backward(
    v: dict[str, np.ndarray],
    n_offers: int,
    *,
    method: str = "closed_form",
    certify: bool = True,
    keep: int = 0,
) -> dict[str, Any]:
    """Backward induction over the battle lattice at flat parameter arrays ``v`` (``(N,)``).

    Returns the root lottery ``(2, 4, 4, N)``, per period the beliefs, choices and demands,
    the certificate's regret and the solver's convergence; with ``keep = t`` also the lattice's
    lotteries at period ``t`` (``(t, 2, 4, 4, N)``).
    """
    T = np.rint(v["T"]).astype(np.int64)
    t_max = int(T.max())
    N = T.shape[0]
    c = _costs(v)
    q = np.stack([v["q_s"], v["q_w"]])
    war = _war_lotteries(v, t_max)
    stale = _stalemate(v["status_quo"])
    nxt = np.broadcast_to(stale, (t_max + 1, 2, 4, 4, N))
    regret = np.zeros(N)
    certifier = _Certifier(N, n_offers) if certify and method == "closed_form" else None
    converged = np.ones(N, dtype=bool)
    periods: dict[int, dict[str, np.ndarray]] = {}
    kept = None
    if keep == t_max + 1:
        kept = np.array(nxt)
    for t in range(t_max, 0, -1):
        sig = _beliefs(v, t)
        xs, xw, a_s = _terms(war[t])
        fl = np.stack([_fight(nxt[1 : t + 1, i], nxt[0:t, i], q[i], c) for i in range(2)], axis=1)
        active = np.broadcast_to(t <= T, (t, N))
        if method == "closed_form":
            fight_value = sig * _expect(fl[:, 0], _UA) + (1.0 - sig) * _expect(fl[:, 1], _UA)
            act = np.where(active, _choose(sig, xs, xw, a_s, fight_value), _NONE)
            if certifier is not None:
                certifier.add(v, sig, act, xs, xw, war[t], nxt, active)
            lots = _state_lotteries(
                act, xs, xw, war[t], np.where(active[:, None, None, None], fl, stale)
            )
        else:
            act, lots, reg, conv = _pbe_period(v, t, sig, xs, xw, war[t], nxt, n_offers, active)
            lots = np.where(active[:, None, None, None], lots, stale)
            regret = np.maximum(regret, reg)
            converged &= conv
        demand = np.where(act == _POOL, xs, np.where(act == _SCREEN, xw, np.nan))
        periods[t] = {"belief": sig, "action": act, "demand": demand, "xs": xs, "xw": xw}
        nxt = lots
        if keep == t:
            kept = np.array(nxt)
    if certifier is not None:
        regret = certifier.finish()
    return {
        "root": nxt[0],
        "periods": periods,
        "regret": regret,
        "converged": converged,
        "t_max": t_max,
        "war": war,
        "kept": kept,
    }


def _forward(v: dict[str, np.ndarray], periods: dict[int, dict[str, np.ndarray]]) -> dict[str, Any]:
    """Reach probabilities of the battle histories before talks, by type, and what follows.

    Returns per period the reach ``(t, 2, N)``, the probability that talks are held, the
    expected number of battles fought before talks (or the end of the war) and the largest gap
    between the belief used at a history and the Bayes posterior of the types' reach.
    """
    sigma = v["sigma"]
    kappa = v["kappa"]
    q = np.stack([v["q_s"], v["q_w"]])  # (2, N)
    reach = np.stack([sigma, 1.0 - sigma])[None]  # (1, 2, N)
    talks = np.zeros_like(sigma)
    learning = np.zeros_like(sigma)
    gap = np.zeros_like(sigma)
    out: dict[int, np.ndarray] = {}
    for t in sorted(periods):
        p = periods[t]
        out[t] = reach
        total = reach.sum(axis=1)
        seen = total > 0.0
        post = np.where(seen, reach[:, 0] / np.where(seen, total, 1.0), p["belief"])
        gap = np.maximum(
            gap,
            np.where(seen & (p["action"] != _NONE), np.abs(post - p["belief"]), 0.0).max(axis=0),
        )
        act = p["action"]
        talks = talks + np.where((act == _POOL) | (act == _SCREEN), total, 0.0).sum(axis=0)
        fights = np.where(act == _FIGHT, 1.0, 0.0)[:, None] * reach  # (t, 2, N)
        learning = learning + fights.sum(axis=(0, 1))
        nxt = np.zeros((t + 1, 2) + sigma.shape)
        nxt[1:] += (1.0 - kappa) * q * fights
        nxt[:-1] += (1.0 - kappa) * (1.0 - q) * fights
        reach = nxt
    return {"reach": out, "talks": talks, "learning": learning, "bayes_gap": gap}


# -- stage games ----------------------------------------------------------------------------------
def _lottery_node(
    lot: np.ndarray,
    classes: tuple[int, ...],
    offset: Any,
    scale: Any,
    battles: Any,
    ids: dict[int, Any],
) -> Chance:
    """A chance node over outcome classes with each class's conditional payoffs.

    A terminal of class ``c`` pays ``offset + scale * E[payoff | c]`` (per player);
    ``ids`` records its expected number of battles, ``battles + E[battles | c]``.
    """
    branches = {}
    for cls in classes:
        p = lot[cls, _P]
        safe = np.where(p > 0.0, p, 1.0)
        cond = [np.where(p > 0.0, lot[cls, f] / safe, 0.0) for f in (_UA, _UB, _NB)]
        term = Terminal(
            (offset[0] + scale * cond[0], offset[1] + scale * cond[1]), label=str(CLASSES[cls])
        )
        ids[id(term)] = battles + cond[2]
        branches[str(CLASSES[cls])] = (p, term)
    return Chance(branches)


def _stage(
    sig: np.ndarray,
    offers: np.ndarray,
    war: np.ndarray,
    adv: np.ndarray,
    ret: np.ndarray,
    v: dict[str, np.ndarray],
    *,
    title: str = "",
) -> Game:
    """The game of one battle history: nature, A's offer or fight, B's answer, then lotteries.

    ``sig`` ``(*b)`` is the belief; ``offers`` ``(m, *b)``; ``war`` ``(2, 4, 4, *b)`` the types'
    lotteries after failed talks; ``adv``/``ret`` ``(2, 4, 4, *b)`` their lotteries of the next
    period after an indecisive battle won by A/by B. Annotations: ``offers``, ``belief``,
    ``battles`` (per terminal, in ``game.terminals`` order) and ``terminal_type``.
    """
    c = _costs(v)
    ids: dict[int, Any] = {}
    types: dict[int, int] = {}
    branches = {}
    m = offers.shape[0]
    zero = np.zeros_like(sig)
    for i, name in enumerate(TYPES):
        q = v["q_s"] if i == 0 else v["q_w"]
        acts: dict[str, Any] = {}
        for j in range(m):
            x = offers[j]
            accept = Terminal((x, 1.0 - x), label=str(Outcome.SETTLEMENT))
            ids[id(accept)] = zero
            reject = _lottery_node(war[i], (_WIN, _LOSS, _SQ), (zero, zero), 1.0, zero, ids)
            acts[f"d{j}"] = Decision(
                "target", f"target.{name}.d{j}", {"accept": accept, "reject": reject}
            )
        win = Terminal((1.0 - c["c_A"], -c["c_B"]), label=str(Outcome.COMPLIANCE))
        loss = Terminal((-c["c_A"], 1.0 - c["c_B"]), label=str(Outcome.BACKDOWN))
        ids[id(win)] = ids[id(loss)] = zero + 1.0
        k = c["kappa"]
        cost = (-c["c_A"], -c["c_B"])
        acts["fight"] = Chance(
            {
                "win": (k * q, win),
                "loss": (k * (1.0 - q), loss),
                "advance": (
                    (1.0 - k) * q,
                    _lottery_node(
                        adv[i], (_SET, _WIN, _LOSS, _SQ), cost, c["delta"], zero + 1.0, ids
                    ),
                ),
                "retreat": (
                    (1.0 - k) * (1.0 - q),
                    _lottery_node(
                        ret[i], (_SET, _WIN, _LOSS, _SQ), cost, c["delta"], zero + 1.0, ids
                    ),
                ),
            }
        )
        node = Decision("challenger", "challenger", acts)
        branches[name] = (sig if i == 0 else 1.0 - sig, node)
        for key in ids:
            types.setdefault(key, i)
    root = Chance(branches)
    order = [id(z) for z in _terminals(root)]
    shape = np.shape(sig)
    return Game(
        ("challenger", "target"),
        root,
        title=title,
        annotations={
            "model": NAME,
            "offers": offers,
            "belief": sig,
            "battles": np.stack([np.broadcast_to(ids[z], shape) for z in order]),
            "terminal_type": np.array([types[z] for z in order]),
            "tie_rule": "the target accepts when indifferent (first action 'accept')",
        },
    )


def _terminals(node: Any) -> list[Terminal]:
    """The terminals below ``node`` in pre-order (the order of ``Game.terminals``)."""
    out: list[Terminal] = []
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Terminal):
            out.append(n)
        elif isinstance(n, Chance):
            stack.extend(child for _, child in reversed(list(n.branches.values())))
        else:
            stack.extend(reversed(list(n.actions.values())))
    return out


def _stage_profile(
    game: Game, act: np.ndarray, xs: np.ndarray, xw: np.ndarray, offers: np.ndarray
) -> dict[str, np.ndarray]:
    """The closed form's behaviour in a stage game (batch of the stage's arrays)."""
    m = offers.shape[0]
    demand = np.where(act == _SCREEN, xw, xs)
    pick = np.where(act == _FIGHT, m, np.argmax(offers == demand, axis=0))
    profile = {"challenger": (np.arange(m + 1)[:, None] == pick).astype(float)}
    for i, name in enumerate(TYPES):
        top = xs if i == 0 else xw
        for j in range(m):
            yes = offers[j] <= top + _TIE
            profile[f"target.{name}.d{j}"] = np.stack([yes, ~yes]).astype(float)
    return profile


def _pairs(t: int, active: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The (history, point) pairs of period ``t`` that exist (``t <= T``)."""
    k, i = np.nonzero(active)
    return k, i


def _stage_inputs(
    v: dict[str, np.ndarray],
    sig: np.ndarray,
    war: np.ndarray,
    nxt: np.ndarray,
    xs: np.ndarray,
    xw: np.ndarray,
    k: np.ndarray,
    i: np.ndarray,
    n_offers: int,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    vb = {key: a[i] for key, a in v.items()}
    offers = _stage_offers(xs[i], xw[i], n_offers)
    return (
        vb,
        sig[k, i],
        offers,
        war[..., i],
        np.moveaxis(nxt[k + 1, ..., i], 0, -1),
        np.moveaxis(nxt[k, ..., i], 0, -1),
    )


class _Certifier:
    """Collects the stage games of a backward induction and certifies them in large batches.

    :meth:`add` takes one period's histories (those that exist) with the closed form's choices;
    every ``_CERT_CHUNK`` of them are built into one batched stage game and certified with
    :func:`model.checks.assessment_certificate`. :meth:`finish` returns the largest regret (or
    Bayes gap inside a stage game) per parameter point.
    """

    def __init__(self, n_points: int, n_offers: int) -> None:
        self.regret = np.zeros(n_points)
        self.n_offers = n_offers
        self.parts: list[tuple[Any, ...]] = []
        self.size = 0

    def add(
        self,
        v: dict[str, np.ndarray],
        sig: np.ndarray,
        act: np.ndarray,
        xs: np.ndarray,
        xw: np.ndarray,
        war: np.ndarray,
        nxt: np.ndarray,
        active: np.ndarray,
    ) -> None:
        k, i = np.nonzero(active)
        inputs = _stage_inputs(v, sig, war, nxt, xs, xw, k, i, self.n_offers)
        self.parts.append((i, act[k, i], xs[i], xw[i], *inputs))
        self.size += i.size
        if self.size >= _CERT_CHUNK:
            self._flush()

    def _flush(self) -> None:
        if not self.parts:
            return
        i, act, xs, xw, sb, offers, wb, adv, ret = (
            np.concatenate([p[j] for p in self.parts], axis=-1) for j in (0, 1, 2, 3, 5, 6, 7, 8, 9)
        )
        vb = {key: np.concatenate([p[4][key] for p in self.parts]) for key in self.parts[0][4]}
        self.parts, self.size = [], 0
        game = _stage(sb, offers, wb, adv, ret, vb)
        profile = _stage_profile(game, act, xs, xw, offers)
        cert = assessment_certificate(
            game, profile, {"challenger": np.stack([sb, 1.0 - sb])}, tolerance=TOLERANCE
        )
        np.maximum.at(self.regret, i, np.maximum(cert.max_regret, cert.bayes_gap))

    def finish(self) -> np.ndarray:
        self._flush()
        return self.regret


def _pbe_period(
    v: dict[str, np.ndarray],
    t: int,
    sig: np.ndarray,
    xs: np.ndarray,
    xw: np.ndarray,
    war: np.ndarray,
    nxt: np.ndarray,
    n_offers: int,
    active: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Solve the stage games of period ``t`` with the generic screening solver.

    Returns A's choices ``(t, N)``, the types' lotteries ``(t, 2, 4, 4, N)``, the certificate's
    regret per point and convergence per point.
    """
    from model.solvers.pbe import pbe_solve
    from model.solvers.selection import select

    N = sig.shape[1]
    act = np.full((t, N), _NONE)
    lots = np.zeros((t, 2, 4, 4, N))
    regret = np.zeros(N)
    conv = np.ones(N, dtype=bool)
    k, i = _pairs(t, active)
    for start in range(0, k.size, _BLOCK):
        kk, ii = k[start : start + _BLOCK], i[start : start + _BLOCK]
        vb, sb, offers, wb, adv, ret = _stage_inputs(v, sig, war, nxt, xs, xw, kk, ii, n_offers)
        sb = np.clip(sb, _PRIOR_FLOOR, 1.0 - _PRIOR_FLOOR)
        game = _stage(sb, offers, wb, adv, ret, vb)
        res = pbe_solve(game)
        eqs = res.equilibria
        pick = select(eqs, SELECTION).index
        if np.any(pick < 0):
            raise ValueError(f"no equilibrium selected at {int(np.sum(pick < 0))} stage game(s)")
        actions = game.infosets["challenger"].actions
        chosen = np.array([actions.index(str(e.offer)) for e in eqs])[pick]
        profile = dict(eqs[0].profile)
        profile["challenger"] = (np.arange(len(actions))[:, None] == chosen).astype(float)
        m = offers.shape[0]
        demand = np.take_along_axis(offers, np.minimum(chosen, m - 1)[None], axis=0)[0]
        a = np.where(chosen == m, _FIGHT, np.where(demand > xs[ii] + _TIE, _SCREEN, _POOL))
        act[kk, ii] = a
        lots[kk, :, :, :, ii] = np.moveaxis(_stage_lotteries(game, profile, sb), -1, 0)
        stacked = np.stack([e.certificate.max_regret for e in eqs])
        gaps = np.stack([e.certificate.bayes_gap for e in eqs])
        worst = np.maximum(stacked, gaps)[pick, np.arange(pick.size)]
        np.maximum.at(regret, ii, worst)
        np.logical_and.at(conv, ii, np.asarray(res.converged, dtype=bool))
    return act, lots, regret, conv


def _stage_lotteries(game: Game, profile: dict[str, np.ndarray], sig: np.ndarray) -> np.ndarray:
    """Each type's lottery over outcome classes in a stage game under ``profile``, ``(2,4,4,M)``."""
    reach = game.terminal_reach(profile)  # (Z, M)
    labels = [str(game.nodes[int(z)].label) for z in game.terminals]
    cls = np.array([[str(c) for c in CLASSES].index(lab) for lab in labels])
    owner = game.annotations["terminal_type"]
    battles = game.annotations["battles"]
    prior = np.stack([sig, 1.0 - sig])
    out = np.zeros((2, 4, 4) + sig.shape)
    for z in range(len(labels)):
        w = reach[z] / prior[owner[z]]
        row = out[owner[z], cls[z]]
        row[_P] += w
        row[_UA] += w * game.payoffs[z, 0]
        row[_UB] += w * game.payoffs[z, 1]
        row[_NB] += w * battles[z]
    return out


# -- public API -----------------------------------------------------------------------------------
def _flat(params: Params) -> tuple[dict[str, np.ndarray], tuple[int, ...]]:
    shape = params.shape
    v = {k: np.ascontiguousarray(a).reshape(-1) for k, a in params.broadcast().items()}
    return v, shape


def _check(params: Any, n_offers: Any) -> int:
    if not isinstance(params, Params):
        raise TypeError(f"params must be war_termination.Params, got {type(params).__name__}")
    return require_count("n_offers", n_offers, low=0)


def solve(params: Params, *, method: str = "closed_form", n_offers: int = N_OFFERS) -> Solution:
    """Solve the war-termination game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form", "pbe"}
        Backward induction with the closed-form stage solution, or with every stage game
        solved by :func:`model.solvers.pbe.pbe_solve` (challenger-preferred selection).
    n_offers : int
        Evenly spaced offers (besides the two critical ones) of the stage games on which the
        profile is certified and which ``pbe`` searches; at least 0.

    Returns
    -------
    Solution
        Strategies ``challenger.fights_first`` and ``challenger.screens_first`` (A's choice in
        period 1, 1 or 0), ``challenger.first_demand`` (its demand if it talks in period 1, NaN
        if it fights), ``war.expected_battles`` (duration), ``war.battles_before_talks`` (the
        part fought before talks or without them) and ``war.talks`` (the probability that talks
        are held); cutpoints ``sigma_star`` (A screens at period-1 talks iff the prior is below
        it), ``strong.accepts_up_to`` and ``weak.accepts_up_to`` (period 1); outcome
        probabilities (module docstring); utilities of ``challenger``, ``target``,
        ``target.strong`` and ``target.weak``; the certificate over all battle histories.

    Raises
    ------
    TypeError
        If ``params`` is not :class:`Params`.
    ValueError
        If ``method`` is unknown or ``n_offers`` is negative.
    """
    n_offers = _check(params, n_offers)
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    v, shape = _flat(params)
    N = v["sigma"].size
    cols: dict[str, np.ndarray] = {}
    for start in range(0, N, _BLOCK):
        vb = {k: a[start : start + _BLOCK] for k, a in v.items()}
        part = _summary(vb, method, n_offers)
        for k, a in part.items():
            cols.setdefault(k, np.empty((N,) + a.shape[1:]))[start : start + _BLOCK] = a

    def shaped(key: str) -> np.ndarray:
        return cols[key].reshape(shape)

    outcomes: dict[Outcome | str, Any] = {c: shaped(str(c)) for c in CLASSES}
    planned = outcome_table(outcomes, shape)
    utilities = {k: shaped(k) for k in ("challenger", "target", "target.strong", "target.weak")}
    method_params: dict[str, Any] = {"n_offers": n_offers}
    if method == "closed_form":
        method_params["equilibrium"] = (
            "unique up to the challenger's ties: talks before fighting, pooling before screening"
        )
    else:
        method_params["selection"] = SELECTION
    return Solution(
        model=NAME,
        params=params,
        strategies={
            k: shaped(k)
            for k in (
                "challenger.fights_first",
                "challenger.screens_first",
                "challenger.first_demand",
                "war.expected_battles",
                "war.battles_before_talks",
                "war.talks",
            )
        },
        cutpoints={
            k: shaped(k) for k in ("sigma_star", "strong.accepts_up_to", "weak.accepts_up_to")
        },
        beliefs={
            "challenger": "the prior sigma, updated by Bayes' rule after every battle "
            "(policy() gives the belief at every battle history)"
        },
        planned=planned,
        realised=planned,
        utilities_planned=utilities,
        utilities_realised=utilities,
        method=method,
        method_params=method_params,
        converged=cols["converged"].reshape(shape).astype(bool),
        certificate=Certificate(
            max_regret=shaped("max_regret"),
            bayes_gap=shaped("bayes_gap"),
            tolerance=TOLERANCE,
            checks={
                "stage_games": (
                    "at every battle history (on the path or off it): no player gains by a "
                    f"one-shot deviation in the stage game, whose offers are {n_offers} evenly "
                    "spaced offers, both critical offers and fighting (assessment certificate)"
                ),
                "bayes": "the belief at every history reached equals the Bayes posterior of the "
                "types' reach probabilities",
            },
        ),
    )


def _summary(v: dict[str, np.ndarray], method: str, n_offers: int) -> dict[str, np.ndarray]:
    """Everything :func:`solve` reports, at flat parameter arrays ``v``."""
    run = _backward(v, n_offers, method=method)
    fwd = _forward(v, run["periods"])
    root = run["root"]
    sigma = v["sigma"]
    w = np.stack([sigma, 1.0 - sigma])  # (2, N)
    out: dict[str, np.ndarray] = {}
    for c, cls in enumerate(CLASSES):
        out[str(cls)] = (w * root[:, c, _P]).sum(axis=0)
    ua, ub = _expect(root, _UA), _expect(root, _UB)  # (2, N)
    out["challenger"] = (w * ua).sum(axis=0)
    out["target"] = (w * ub).sum(axis=0)
    out["target.strong"], out["target.weak"] = ub[0], ub[1]
    first = run["periods"][1]
    act = first["action"][0]
    out["challenger.fights_first"] = (act == _FIGHT).astype(float)
    out["challenger.screens_first"] = (act == _SCREEN).astype(float)
    out["challenger.first_demand"] = first["demand"][0]
    out["war.expected_battles"] = (w * _expect(root, _NB)).sum(axis=0)
    out["war.battles_before_talks"] = fwd["learning"]
    out["war.talks"] = fwd["talks"]
    xs, xw = first["xs"], first["xw"]
    a_s = _expect(run["war"][1][0], _UA)
    gain, loss = xw - xs, xs - a_s
    out["sigma_star"] = np.where(gain > 0.0, gain / np.where(gain > 0.0, gain + loss, 1.0), 0.0)
    out["strong.accepts_up_to"], out["weak.accepts_up_to"] = xs, xw
    out["max_regret"] = run["regret"]
    out["bayes_gap"] = fwd["bayes_gap"]
    out["converged"] = run["converged"].astype(float)
    return out


def policy(params: Params) -> dict[str, np.ndarray]:
    """A's equilibrium behaviour at every battle history (the offer path), closed form.

    Returns
    -------
    dict of str to ndarray
        ``belief``, ``action`` (codes of :data:`ACTIONS`, -1 where the history does not exist),
        ``demand`` (A's demand where it talks, NaN elsewhere) and ``reach`` (probability that the
        war reaches the history with no talks held yet), each ``(T_max, T_max, *shape)`` and
        indexed ``[t - 1, k]`` (period ``t``, ``k`` battles won by A); ``T_max`` is the largest
        ``T``.

    Examples
    --------
    Period 3 after two lost battles, one of each, two won battles: A pools, fights on, screens.

    >>> p = policy(Params())
    >>> [ACTIONS[int(a)] for a in p["action"][2, :3]]
    ['pool', 'fight', 'screen']
    >>> [round(float(b), 3) for b in p["belief"][2, :3]]
    [0.845, 0.5, 0.155]
    """
    _check(params, 0)
    v, shape = _flat(params)
    run = _backward(v, 0, certify=False)
    fwd = _forward(v, run["periods"])
    t_max = run["t_max"]
    N = v["sigma"].size
    out = {
        "belief": np.full((t_max, t_max, N), np.nan),
        "action": np.full((t_max, t_max, N), float(_NONE)),
        "demand": np.full((t_max, t_max, N), np.nan),
        "reach": np.zeros((t_max, t_max, N)),
    }
    for t, p in run["periods"].items():
        on = p["action"] != _NONE
        out["belief"][t - 1, :t] = np.where(on, p["belief"], np.nan)
        out["action"][t - 1, :t] = p["action"]
        out["demand"][t - 1, :t] = p["demand"]
        out["reach"][t - 1, :t] = fwd["reach"][t].sum(axis=1)
    return {k: a.reshape((t_max, t_max) + shape) for k, a in out.items()}


def tree(
    params: Params, *, horizon: int = 1, n_offers: int = N_OFFERS, margin: float = 0.0
) -> Game:
    r"""Build the war as a finite tree: the first ``horizon`` periods, then closed-form lotteries.

    In each period built out, at every battle history A (information set ``"challenger"`` in
    period 1, ``"challenger.<history>"`` later, the history a string of ``W``/``L`` for battles
    A won/lost, holding both types' nodes) picks an offer ``"d0"``, ``"d1"``, ... (``n_offers``
    evenly spaced on [0, 1] and the two critical offers :math:`\bar x_s(t), \bar x_w(t)`, sorted)
    or ``"fight"``; after an offer the type accepts (``settlement``) or rejects (information sets
    ``"target.<type>[.<history>].d<j>"``), after which nobody moves again and the rest of the war
    is a chance node over its outcome classes with their conditional payoffs. A battle is a
    chance node: ``win``/``loss`` (decisive: ``compliance``/``backdown``), ``advance``/``retreat``
    (indecisive, won by A/by B), leading to the next period. After period ``horizon`` (if it is
    before :math:`T`) the war continues as the lottery over outcome classes that the closed-form
    equilibrium gives at the battle history reached. Payoffs are in period-1 units.

    With ``horizon = 1`` the tree is a screening game (nature, then one information set of A,
    then perfect information), which :func:`model.solvers.pbe.pbe_solve` solves; for
    :math:`T = 1` it is the whole game. With ``horizon >= T`` it is the whole game for any
    :math:`T` (two-player, solvable in sequence form by ``solve_game(game, "sequential")``).

    Parameters
    ----------
    params : Params
        Parameters; array fields give a batch of games with one tree shape (with
        ``horizon > 1``, ``T`` must then be the same at every point).
    horizon : int
        Periods built out, at least 1.
    n_offers : int
        Evenly spaced offers per history besides the two critical ones, at least 0.
    margin : float
        Lower the critical offers by this much, in [0, 1), so that the types accept them
        strictly. At 0 a type is indifferent at its critical offer; solvers that return one
        equilibrium without breaking such ties in A's favour (``"sequential"``, ``"lcp"``) may
        then return one in which a type rejects it; with a small margin every equilibrium of the
        tree is within about ``margin`` of the closed form.

    Returns
    -------
    model.tree.Game
        Players ``("challenger", "target")``; annotations ``offers`` (period-1 offers,
        ``(n_offers + 2, *shape)``) and ``belief`` (the prior).

    Examples
    --------
    >>> from model.solvers.pbe import pbe_solve
    >>> game = tree(Params(T=1, sigma=0.2, q_s=0.3, q_w=0.6, kappa=1.0, c_A=0.1, c_B=0.1),
    ...             n_offers=3)
    >>> [round(float(x), 2) for x in game.annotations["offers"]]
    [0.0, 0.4, 0.5, 0.7, 1.0]
    >>> (eq,) = pbe_solve(game).equilibria
    >>> eq.offer, round(float(eq.payoffs[0]), 12)
    ('d3', 0.6)
    """
    n_offers = _check(params, n_offers)
    horizon = require_count("horizon", horizon, low=1)
    if isinstance(margin, bool) or not isinstance(margin, int | float) or not 0.0 <= margin < 1.0:
        raise ValueError(f"margin = {margin!r} must be a number in [0, 1)")
    margin = float(margin)
    v, shape = _flat(params)
    T = np.rint(v["T"]).astype(np.int64)
    depth = min(horizon, int(T.max()))
    if depth > 1 and np.any(T != T[0]):
        raise ValueError(
            f"horizon = {horizon} builds several periods out with one tree shape: T must be the "
            f"same at every point (found {sorted(set(T.tolist()))}); use horizon = 1 or one T"
        )
    run = _backward(v, n_offers, certify=False, keep=depth + 1)
    lattice = run["kept"]  # (depth + 1, 2, 4, 4, N): the closed form after the tree's periods
    war = run["war"]
    if depth == 1:
        xs, xw, _ = _terms(war[1])
        offers = _stage_offers(xs, xw, n_offers, margin)
        game = _stage(
            v["sigma"],
            offers,
            war[1],
            lattice[1],
            lattice[0],
            v,
            title=f"war termination: period 1 of {_describe_T(T)}, {offers.shape[0]} offers",
        )
        return _reshape(game, shape, {"offers": offers, "belief": v["sigma"]})
    nodes = 2 * (n_offers + 8) * (2**depth)
    if nodes * (n_offers + 2) > _MAX_TREE_NODES:
        raise ValueError(
            f"horizon = {depth} with n_offers = {n_offers} needs about {nodes * (n_offers + 2)} "
            f"nodes (limit {_MAX_TREE_NODES}); lower horizon or n_offers"
        )
    game = _full(v, war, lattice, depth, n_offers, margin)
    xs, xw, _ = _terms(war[1])
    offers = _stage_offers(xs, xw, n_offers, margin)
    return _reshape(game, shape, {"offers": offers, "belief": v["sigma"]})


def _describe_T(T: np.ndarray) -> str:
    values = sorted(set(T.tolist()))
    return f"T = {values[0]}" if len(values) == 1 else f"T in {values}"


def _reshape(game: Game, shape: tuple[int, ...], extra: dict[str, np.ndarray]) -> Game:
    """Give the flat game's arrays the parameters' batch shape."""

    def take(a: np.ndarray) -> np.ndarray:
        return np.asarray(a).reshape(np.shape(a)[:-1] + shape)

    built: list[Any] = [None] * len(game.nodes)
    for info in reversed(game.nodes):
        src = game.source(info.index)
        kids = [built[c] for c in info.children]
        if isinstance(src, Terminal):
            built[info.index] = Terminal(tuple(take(p) for p in src.payoffs), src.label)
        elif isinstance(src, Chance):
            built[info.index] = Chance(
                {
                    k: (take(p), ch)
                    for (k, (p, _)), ch in zip(src.branches.items(), kids, strict=True)
                },
                src.label,
            )
        else:
            built[info.index] = Decision(
                src.player, src.infoset, dict(zip(src.actions, kids, strict=True)), src.label
            )
    notes = {k: a for k, a in game.annotations.items() if k not in ("battles", "terminal_type")}
    notes.update({k: take(a) for k, a in extra.items()})
    return Game(game.players, built[0], game.title, notes)


def _full(
    v: dict[str, np.ndarray],
    war: list[np.ndarray],
    lattice: np.ndarray,
    depth: int,
    n_offers: int,
    margin: float,
) -> Game:
    """The first ``depth`` periods built out (flat arrays), closed-form lotteries after them."""
    c = _costs(v)
    delta = c["delta"]
    offers = {t: _stage_offers(*_terms(war[t])[:2], n_offers, margin) for t in range(1, depth + 1)}
    ids: dict[int, Any] = {}
    zero = np.zeros_like(v["sigma"])

    def period(
        i: int, name: str, t: int, k: int, hist: str, off: tuple[Any, Any], disc: Any
    ) -> Decision:
        q = v["q_s"] if i == 0 else v["q_w"]
        tag = f".{hist}" if hist else ""
        acts: dict[str, Any] = {}
        for j, x in enumerate(offers[t]):
            accept = Terminal(
                (off[0] + disc * x, off[1] + disc * (1.0 - x)), label=str(Outcome.SETTLEMENT)
            )
            reject = _lottery_node(war[t][i], (_WIN, _LOSS, _SQ), off, disc, zero, ids)
            acts[f"d{j}"] = Decision(
                "target", f"target.{name}{tag}.d{j}", {"accept": accept, "reject": reject}
            )
        paid = (off[0] - disc * c["c_A"], off[1] - disc * c["c_B"])
        kap = c["kappa"]
        branches: dict[str, Any] = {
            "win": (kap * q, Terminal((paid[0] + disc, paid[1]), label=str(Outcome.COMPLIANCE))),
            "loss": (
                kap * (1.0 - q),
                Terminal((paid[0], paid[1] + disc), label=str(Outcome.BACKDOWN)),
            ),
        }
        for label, w, kn, h in (("advance", q, k + 1, "W"), ("retreat", 1.0 - q, k, "L")):
            if t < depth:
                child: Any = period(i, name, t + 1, kn, hist + h, paid, disc * delta)
            else:
                child = _lottery_node(
                    lattice[kn, i], (_SET, _WIN, _LOSS, _SQ), paid, disc * delta, zero, ids
                )
            branches[label] = ((1.0 - kap) * w, child)
        acts["fight"] = Chance(branches)
        return Decision("challenger", f"challenger{tag}", acts)

    one = np.ones_like(zero)
    root = Chance(
        {
            name: (
                v["sigma"] if i == 0 else 1.0 - v["sigma"],
                period(i, name, 1, 0, "", (zero, zero), one),
            )
            for i, name in enumerate(TYPES)
        }
    )
    return Game(
        ("challenger", "target"),
        root,
        title=f"war termination: {depth} periods built out, {offers[1].shape[0]} offers each",
        annotations={"model": NAME},
    )


def informativeness(
    params: Params, gap: Any, *, method: str = "closed_form", n_offers: int = N_OFFERS
) -> dict[str, np.ndarray]:
    r"""Solve with the battle probabilities spread symmetrically: ``q = m -/+ gap / 2``.

    :math:`m = (q_s + q_w)/2` is taken from ``params``; the strong type is then beaten with
    probability :math:`m - g/2` and the weak one with :math:`m + g/2`, so ``gap`` measures how
    informative a battle is about the type (0: not at all).

    Parameters
    ----------
    params : Params
        Everything but the spread of the battle probabilities.
    gap : float or array, >= 0
        :math:`q_w - q_s`; both probabilities must stay in [0.01, 0.99].
    method, n_offers
        As for :func:`solve`.

    Returns
    -------
    dict of str to ndarray
        The columns of :meth:`Solution.columns <model.types.Solution.columns>` plus
        ``q_s_used`` and ``q_w_used``, one value per point of the broadcast shape of ``params``
        and ``gap``, flattened.

    Raises
    ------
    ValueError
        If ``gap`` is negative or moves a probability out of [0.01, 0.99].

    Examples
    --------
    >>> out = informativeness(Params(), [0.0, 0.4])
    >>> out["challenger_fights_first"].tolist()
    [0.0, 1.0]
    """
    _check(params, n_offers)
    g = np.asarray(gap, dtype=np.float64)
    v = params.broadcast()
    mid = 0.5 * (v["q_s"] + v["q_w"])
    lo, hi = mid - 0.5 * g, mid + 0.5 * g
    if np.any(~np.isfinite(g) | (g < 0.0)) or np.any((lo < 0.01 - 1e-12) | (hi > 0.99 + 1e-12)):
        raise ValueError(
            f"gap = {gap!r} is out of range: it must be >= 0 and keep q_s = m - gap/2 and "
            "q_w = m + gap/2 in [0.01, 0.99], m = (q_s + q_w)/2 of the parameters"
        )
    shape = np.broadcast_shapes(params.shape, g.shape)
    fields: dict[str, Any] = {k: np.broadcast_to(a, shape) for k, a in v.items()}
    fields["q_s"] = np.broadcast_to(np.clip(lo, 0.01, 0.99), shape)
    fields["q_w"] = np.broadcast_to(np.clip(hi, 0.01, 0.99), shape)
    fields["T"] = np.rint(fields["T"]).astype(np.int64)
    sol = solve(Params(**fields), method=method, n_offers=n_offers)
    out = sol.columns()
    out["q_s_used"] = fields["q_s"].reshape(-1)
    out["q_w_used"] = fields["q_w"].reshape(-1)
    return out
