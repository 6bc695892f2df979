r"""Deadlines and ultimatums: alternating offers with war at the deadline, and screening.

The game (finite-horizon alternating offers, Ståhl 1972, with war as the disagreement point)
-------------------------------------------------------------------------------------------
The issue is normalised to :math:`[0, 1]`; an agreement :math:`x` gives the challenger A the
share :math:`x` and the target B the share :math:`1 - x`. War gives the lottery payoffs
:math:`w_A = p - c_A` and :math:`w_B = 1 - p - c_B`, so agreement creates the surplus
:math:`S = 1 - w_A - w_B = c_A + c_B`.

Bargaining lasts at most :math:`T` rounds (the *deadline*). A proposes in odd rounds and B in
even rounds; the other side accepts, which ends the crisis, or rejects. A rejection in round
:math:`T` means war. :math:`T = 1` is an explicit ultimatum; a large :math:`T` is open-ended
bargaining.

B's cost of war is private: it is :math:`c_s` (*strong*, a resolved target) with probability
:math:`\pi` and :math:`c_w \ge c_s` (*weak*) otherwise, and B knows it. A rejection of A's first
demand reveals B's type (the target mobilises), so rounds :math:`t \ge 2` are played under
complete information. For :math:`T \le 2` this assumption is no restriction: B's round-2 offer is
a take-it-or-leave-it offer to A, whose payoff from rejecting it (war) does not depend on B's
type, so every type of B offers A exactly :math:`w_A` and A accepts whatever it believes.
With :math:`\pi = 1` (or :math:`c_w = c_s`) the game is Ståhl's game of complete information.

Discounting convention
----------------------
An agreement on :math:`x` in round :math:`t` is worth
:math:`u_A = w_A + \delta^{t-1}(x - w_A)` and :math:`u_B = w_B + \delta^{t-1}(1 - x - w_B)`;
war at the deadline is worth :math:`(w_A, w_B)`. Delay shrinks only the surplus over war:
while the standoff lasts, each side bears the war payoff as a flow (the crisis is as costly per
round as war), so war after :math:`T` rounds and war at once are worth the same. Ståhl's
formula below holds in this convention (derived here). If instead the war lottery were a lump
sum discounted like agreements, :math:`\delta^{T-1} w`, backward induction (the proposer's
payoff :math:`V_t = 1 - \delta V_{t+1}`, :math:`V_T = 1 - w_R`) would give A the payoff
:math:`(1 - (-\delta)^{T-1})/(1 + \delta) + (-\delta)^{T-1}(1 - w_R)`, with :math:`w_R` the
war payoff of the last round's responder: not :math:`w_A` plus a share of :math:`S` that depends
on :math:`\delta` and :math:`T` alone (derived here; not used).

Complete information: Ståhl's shares (derived here by backward induction)
-------------------------------------------------------------------------
Let :math:`s_k` be the share of the surplus the proposer gets when :math:`k` rounds remain.
In the last round the responder accepts anything worth its war payoff, so :math:`s_1 = 1`. With
:math:`k` rounds left the responder accepts iff it gets at least the discounted value of
proposing next round, :math:`\delta s_{k-1} S`, so :math:`s_k = 1 - \delta s_{k-1}` and

.. math:: s_k = \sum_{j=0}^{k-1} (-\delta)^j = \frac{1 - (-\delta)^k}{1 + \delta},
          \qquad s_0 = 0.

A demands :math:`x^* = w_A + s_T S` in round 1 and B accepts at once: :math:`s_1 = 1` (the
ultimatum takes the whole surplus), :math:`s_2 = 1 - \delta`, :math:`s_3 = 1 - \delta +
\delta^2`. As the deadline recedes the share tends to Rubinstein's (1982)
:math:`1/(1 + \delta)`: :math:`s_T - 1/(1 + \delta) = -(-\delta)^T/(1 + \delta)`, above the
limit when A has the last word (odd :math:`T`), below it when B has (even :math:`T`), the gap
shrinking by the factor :math:`\delta` per round. (THEORY.md M12 marks the formula [R]; it is
confirmed here by this derivation and by backward induction on :func:`tree`, with and without
the offers that leave a responder indifferent on the grid.)

Incomplete information: a deadline forces screening (derived here)
------------------------------------------------------------------
Write :math:`S_\theta = c_A + c_\theta` and :math:`D = c_w - c_s`, and measure A's demand by its
gain over war, :math:`g = x - w_A`. If type :math:`\theta` rejects, it gets its war payoff
(:math:`T = 1`) or, once revealed, proposes first in the :math:`(T - 1)`-round game of complete
information, worth the gain :math:`\delta s_{T-1} S_\theta` today. So it accepts iff
:math:`S_\theta - g \ge \delta s_{T-1} S_\theta`, i.e. iff :math:`g \le s_T S_\theta`: the weak
type accepts more. A's expected payoff rises with the demand between these thresholds and is
lower above the higher one, so A makes one of two demands:

* *soft*: :math:`x = w_A + s_T S_s`; both types accept;
  :math:`EU_A = w_A + s_T S_s`;
* *screening*: :math:`x = w_A + s_T S_w`; the weak type accepts and the strong type rejects,
  which means war if :math:`T = 1` and otherwise agreement in round 2 on B's counter-offer,
  worth the gain :math:`r_T S_s` to A with :math:`r_T = \delta (1 - s_{T-1})` (:math:`r_1 = 0`);
  :math:`EU_A = w_A + (1 - \pi) s_T S_w + \pi r_T S_s`.

Since :math:`s_T - r_T = 1` for :math:`T = 1` and :math:`1 - \delta` for :math:`T \ge 2`, A screens
iff

.. math:: \pi < \hat\pi_T = \frac{s_T D}{s_T D + (s_T - r_T) S_s},
          \qquad \hat\pi_1 = \frac{c_w - c_s}{c_w + c_A}

(at :math:`\pi = \hat\pi_T` A is indifferent and the soft demand is reported). Outcomes:

=====================  ===============  ==========================  =================
regime                 compliance       settlement                  war
=====================  ===============  ==========================  =================
soft                   1                0                           0
screening, T = 1       :math:`1 - \pi`  0                           :math:`\pi`
screening, T >= 2      :math:`1 - \pi`  :math:`\pi` (round 2)       0
=====================  ===============  ==========================  =================

Consequences (derived here): (i) war happens only under an explicit ultimatum, with probability
:math:`\pi` when :math:`\pi < \hat\pi_1`; any later deadline turns a rejection into a
counter-offer and replaces the risk of war by delay. (ii) :math:`\hat\pi_T \ge \hat\pi_1`
(because :math:`s_T \ge 1 - \delta` for all :math:`T \ge 2`), with equality at :math:`T = 2`: with
a longer deadline A screens for more priors, since screening costs delay rather than war.
(iii) Under complete information the ultimatum pays A the most (:math:`s_1 = 1`). A two-round
deadline hands B the last word: :math:`r_2 = 0` and :math:`\hat\pi_2 = \hat\pi_1`, so
:math:`EU_A - w_A` is exactly :math:`1 - \delta` times its value under the ultimatum, whatever
:math:`\pi`. With :math:`T \ge 3` and incomplete information a deadline can pay A more than
the ultimatum: near :math:`\hat\pi_1` the ultimatum's screening costs A a war with the strong
type, a longer deadline only a delayed settlement (:math:`p = 0.5, c_A = 0.5, c_s = 0,
c_w = 0.5, \pi = 0.5, \delta = 0.75`: 0.5 with :math:`T = 1`, 0.546875 with :math:`T = 3`).
The explicit ultimatum is the riskiest protocol, in the spirit of George's (1991) contrast
between the ultimatum and "try-and-see" coercion. After a rejection agreement comes at once (in
round 2), so there is no deadline effect of the kind Ma and Manove (1993) and Fershtman and
Seidmann (1993) explain.

Outcome classes
---------------
B accepting a demand of A is *compliance* (as in :mod:`model.games.risk_return`, where accepting
the take-it-or-leave-it demand is compliance); A accepting a counter-offer of B is *settlement*;
a rejection at the deadline is *war*.

Solution methods
----------------
``closed_form`` evaluates the formulas above. ``backward`` solves :func:`tree` by backward
induction (:func:`model.solvers.backward.backward_induction_solve`, batched) and ``pbe`` by the
screening enumeration of :func:`model.solvers.pbe.pbe_solve` followed by a selection rule
(``challenger_preferred``: A's best demand); in :func:`tree` the rounds after a rejection are
themselves solved by backward induction, so neither uses the formulas. The closed form is
certified by :func:`model.checks.tree_certificate` on the game's rounds: round 1 built as in
:func:`tree` (A's demand, nature's draw, the type's answer), every later round as a game of its
own; each offers an evenly spaced grid, the closed form's offers and offers just either side of
every responder's indifference point, the closed form's strategies are written down at every
offer, and a rejection leads to what the closed form's play gives next. The certificate is the
largest gain from a one-shot deviation anywhere; where it is zero the closed form is subgame
perfect in the game restricted to these offers (one-deviation property, Osborne and Rubinstein
1994, Lemma 98.2).

Array convention
----------------
Parameters broadcast to one batch shape; every entry of a :class:`~model.types.Solution` is a
float64 array of that shape. Arrays of the tree carry leading object axes and trailing batch
axes: demands ``(n_demands, *batch)``, per-type quantities ``(2, *batch)`` with the strong type
first.

References
----------
.. [1] Ståhl, I. (1972). *Bargaining Theory*. Stockholm: Economic Research Institute, Stockholm
   School of Economics (finite-horizon alternating offers).
.. [2] Rubinstein, A. (1982). Perfect equilibrium in a bargaining model. *Econometrica* 50(1):
   97-109 (the limit :math:`1/(1+\delta)` of equal discount factors).
.. [3] Binmore, K., Rubinstein, A. and Wolinsky, A. (1986). The Nash bargaining solution in
   economic modelling. *RAND Journal of Economics* 17(2): 176-188 (disagreement payoffs during
   bargaining versus outside options: the discounting convention).
.. [4] Fearon, J. D. (1995). Rationalist explanations for war. *International Organization*
   49(3): 379-414 (the ultimatum with private information: the risk-return tradeoff).
.. [5] Ma, C.-T. A. and Manove, M. (1993). Bargaining with deadlines and imperfect player
   control. *Econometrica* 61(6): 1313-1339.
.. [6] Fershtman, C. and Seidmann, D. J. (1993). Deadline effects and inefficient delay in
   bargaining with endogenous commitment. *Journal of Economic Theory* 60(2): 306-321.
.. [7] George, A. L. (1991). *Forceful Persuasion: Coercive Diplomacy as an Alternative to War*.
   Washington, DC: United States Institute of Peace Press; George, A. L. and Simons, W. E.
   (eds.) (1994). *The Limits of Coercive Diplomacy*. Boulder, CO: Westview (the ultimatum
   versus try-and-see).
.. [8] Osborne, M. J. and Rubinstein, A. (1994). *A Course in Game Theory*. MIT Press, Lemma
   98.2 (the one-deviation property).

Examples
--------
Complete information (:math:`\pi = 1`), three rounds, :math:`\delta = 0.9`: A keeps
:math:`s_3 = 0.91` of the surplus :math:`S = 0.2` above its war payoff :math:`0.4`.

>>> round(float(proposer_share(0.9, 3)), 6), round(float(open_ended_share(0.9)), 6)
(0.91, 0.526316)
>>> s = solve(Params(pi=1.0, T=3))
>>> round(float(s.strategies["challenger.demand"]), 6), float(s.planned["compliance"])
(0.582, 1.0)

With a weak type (:math:`c_w = 0.3`) and :math:`\pi = 0.3 < \hat\pi_1 = 0.5`, the ultimatum screens
and risks war; a two-round deadline screens by delay instead.

>>> for T in (1, 2):
...     s = solve(Params(pi=0.3, T=T))
...     print(T, {str(k): round(float(v), 6) for k, v in s.planned.items() if v})
1 {'compliance': 0.7, 'war': 0.3}
2 {'compliance': 0.7, 'settlement': 0.3}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from model.checks import tree_certificate
from model.params import ParamSet, param
from model.registry import register
from model.tree import Chance, Decision, Game, Node, Terminal
from model.types import Certificate, Outcome, Solution, outcome_table

__all__ = [
    "METHODS",
    "Params",
    "open_ended_share",
    "proposer_share",
    "screening_threshold",
    "solve",
    "tree",
]

NAME = "deadlines"
TOLERANCE = 1e-9
METHODS = ("closed_form", "backward", "pbe")
#: The selection rule of the ``pbe`` method and the contract tests: A's best demand.
SELECTION = "challenger_preferred"
# The grids of tree() contain every responder's indifference offer (computed by backward
# induction of the later rounds), so the tree's equilibrium is the closed form's up to rounding.
TREE_OPTIONS: dict[str, Any] = {"n_offers": 6}
TREE_TOLERANCE = 1e-8
#: Largest deadline.
MAX_T = 50
_CERT_OFFERS = 4  # evenly spaced demands per round on the certificate's tree
_NUDGE = (-1e-6, 1e-6)  # deviations either side of the offers the certificate tries
_BLOCK = 16384  # parameter points per block of the certificate (bounded memory)
_TIE = 1e-12  # payoff differences below this count as ties (A then makes the soft demand)
_CLASSES = (str(Outcome.COMPLIANCE), str(Outcome.SETTLEMENT), str(Outcome.WAR))
_TYPES = ("strong", "weak")
_MAX_FULL_NODES = 200_000


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the deadline game; each may be an array (broadcast)."""

    p: float = param(0.5, (0.0, 1.0), "challenger's probability of winning a war")
    c_A: float = param(0.1, (0.0, 1.0), "challenger's cost of war (at most p)")
    c_B_strong: float = param(
        0.1, (0.0, 1.0), "target's cost of war if strong (resolved); its only cost when pi = 1"
    )
    c_B_weak: float = param(
        0.3, (0.0, 1.0), "target's cost of war if weak (at least c_B_strong, at most 1 - p)"
    )
    pi: float = param(
        0.3, (0.0, 1.0), "prior probability that the target is strong (1: complete information)"
    )
    delta: float = param(
        0.9, (0.0, 1.0), "discount factor per round of bargaining", open_low=True, open_high=True
    )
    T: int = param(
        3,
        (1, MAX_T),
        "deadline: rounds of offers before war (1: an explicit ultimatum)",
        integer=True,
    )

    def check(self) -> None:
        """Require ``c_A <= p`` and ``c_B_strong <= c_B_weak <= 1 - p``.

        Both war payoffs are then shares of the issue (non-negative), so every equilibrium offer
        lies in [0, 1], and the strong type is the one with the lower cost of war.
        """
        v = self.broadcast()
        p, c_a, c_s, c_w = v["p"], v["c_A"], v["c_B_strong"], v["c_B_weak"]
        rules = (
            (
                c_a > p,
                "c_A = {c_A:g} and p = {p:g}: the challenger's war payoff p - c_A must be "
                "non-negative, c_A <= p",
            ),
            (
                c_s > c_w,
                "c_B_strong = {c_B_strong:g} and c_B_weak = {c_B_weak:g}: the strong "
                "type has the lower cost of war, c_B_strong <= c_B_weak",
            ),
            (
                c_w > 1.0 - p,
                "c_B_weak = {c_B_weak:g} and p = {p:g}: the weak target's war "
                "payoff 1 - p - c_B_weak must be non-negative, c_B_weak <= 1 - p",
            ),
        )
        for bad, message in rules:
            if np.any(bad):
                i = int(np.flatnonzero(bad)[0])
                raise ValueError(message.format(**{k: float(a.flat[i]) for k, a in v.items()}))


# -- closed form ---------------------------------------------------------------------------------
def proposer_share(delta: Any, T: Any) -> np.ndarray:
    r"""Return Ståhl's share of the surplus of the first proposer with ``T`` rounds left.

    :math:`s_T = (1 - (-\delta)^T)/(1 + \delta)`; ``T = 0`` gives 0 (no round left).

    Examples
    --------
    >>> [round(float(proposer_share(0.5, t)), 4) for t in (0, 1, 2, 3, 4)]
    [0.0, 1.0, 0.5, 0.75, 0.625]
    """
    d = np.asarray(delta, dtype=np.float64)
    t = np.asarray(T, dtype=np.float64)
    sign = np.where(np.mod(t, 2.0) == 1.0, -1.0, 1.0)
    return (1.0 - sign * d**t) / (1.0 + d)


def open_ended_share(delta: Any) -> np.ndarray:
    r"""Return the proposer's share without a deadline, :math:`1/(1 + \delta)` (Rubinstein)."""
    return 1.0 / (1.0 + np.asarray(delta, dtype=np.float64))


def screening_threshold(params: Params) -> np.ndarray:
    r"""Return :math:`\hat\pi_T`: A screens (demands the weak type's threshold) iff pi is below.

    Zero where screening never pays (no weak type, :math:`D = 0`).
    """
    return _closed_form(params.broadcast())["threshold"]


def _closed_form(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    p, c_a, c_s, c_w = v["p"], v["c_A"], v["c_B_strong"], v["c_B_weak"]
    pi, d, T = v["pi"], v["delta"], np.rint(v["T"])
    w_a, w_s = p - c_a, 1.0 - p - c_s
    s_s, s_w = c_a + c_s, c_a + c_w
    s = proposer_share(d, T)
    s_prev = proposer_share(d, T - 1.0)
    ultimatum = T == 1.0
    r = np.where(ultimatum, 0.0, d * (1.0 - s_prev))
    eu_soft = w_a + s * s_s
    eu_hard = w_a + (1.0 - pi) * s * s_w + pi * r * s_s
    hard = eu_hard > eu_soft + _TIE
    x = w_a + s * np.where(hard, s_w, s_s)
    strong_rejects = np.where(hard, pi, 0.0)
    gap = s * (c_w - c_s)
    denom = gap + (s - r) * s_s
    threshold = np.where(denom > 0.0, gap / np.where(denom > 0.0, denom, 1.0), 0.0)
    eu_b_strong_reject = w_s + np.where(ultimatum, 0.0, d * s_prev * s_s)
    return {
        "demand": x,
        "hard": hard,
        "share": s,
        "threshold": threshold,
        "accept_strong": w_a + s * s_s,
        "next_offer": np.stack([w_a + (1.0 - s_prev) * s_s, w_a + (1.0 - s_prev) * s_w]),
        "accept_weak": w_a + s * s_w,
        Outcome.COMPLIANCE: 1.0 - strong_rejects,
        Outcome.WAR: np.where(ultimatum, strong_rejects, 0.0),
        Outcome.SETTLEMENT: np.where(ultimatum, 0.0, strong_rejects),
        "challenger": np.where(hard, eu_hard, eu_soft),
        "target": (1.0 - strong_rejects) * (1.0 - x) + strong_rejects * eu_b_strong_reject,
    }


# -- the tree ------------------------------------------------------------------------------------
def _check_options(params: Any, n_offers: Any, demands: Any) -> np.ndarray | None:
    if not isinstance(params, Params):
        raise TypeError(f"params must be deadlines.Params, got {type(params).__name__}")
    if isinstance(n_offers, bool) or not isinstance(n_offers, int | np.integer) or n_offers < 2:
        raise ValueError(f"n_offers = {n_offers!r} must be an integer >= 2")
    if demands is None:
        return None
    extra = np.asarray(demands, dtype=np.float64)
    if extra.ndim == 0:
        extra = extra[None]
    if np.any(~np.isfinite(extra) | (extra < 0.0) | (extra > 1.0)):
        raise ValueError(f"demands = {demands!r} must be shares of the issue in [0, 1]")
    try:
        fits = np.broadcast_shapes(extra.shape[1:], params.shape) == params.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"demands has shape {extra.shape}: its axes after the first must broadcast to the "
            f"parameters' shape {params.shape}"
        )
    return extra


@dataclass
class _Round:
    """One round t >= 2 of the complete-information continuation, per type (axis 0)."""

    t: int
    offers: np.ndarray  # (n, 2, *batch): A's share in each offer, sorted
    lottery: dict[str, tuple[np.ndarray, np.ndarray]]  # class -> (prob, values (2 players, ...))


def _expectation(lottery: dict[str, tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """Expected payoffs of an outcome lottery, ``(2 players, *batch)``."""
    prob, val = zip(*lottery.values(), strict=True)
    return np.einsum("c...,cp...->p...", np.stack(prob), np.stack(val))


def _lottery_node(lottery: dict[str, tuple[np.ndarray, np.ndarray]], k: int | None) -> Node:
    """A chance node over outcome classes; ``k`` picks a type (axis 0) or keeps both."""

    def pick(a: np.ndarray) -> np.ndarray:
        return a if k is None else a[k]

    return Chance(
        {
            c: (pick(prob), Terminal((pick(val[0]), pick(val[1])), label=c))
            for c, (prob, val) in lottery.items()
        }
    )


def _stage_game(rnd: _Round) -> Game:
    """Round ``rnd.t`` with the rejection collapsed into its lottery (both types batched)."""
    return _offer_game(bool(rnd.t % 2), rnd.offers, rnd.lottery, f"round{rnd.t}")


def _offer_game(
    a_proposes: bool,
    offers: np.ndarray,
    lottery: dict[str, tuple[np.ndarray, np.ndarray]],
    name: str,
) -> Game:
    """One round of complete information: an offer from the grid, then accept or the lottery.

    ``offers`` is ``(n, *batch)`` (A's share); an accepted offer of A is compliance, one of B
    settlement. The responder's actions are ``("accept", "reject")``: it accepts when
    indifferent.
    """
    proposer, responder = ("challenger", "target") if a_proposes else ("target", "challenger")
    label = str(Outcome.COMPLIANCE) if a_proposes else str(Outcome.SETTLEMENT)
    branches = {}
    for j, x in enumerate(offers):
        branches[f"o{j}"] = Decision(
            responder,
            f"{responder}.{name}.o{j}",
            {
                "accept": Terminal((x, 1.0 - x), label=label),
                "reject": _lottery_node(lottery, None),
            },
        )
    return Game(
        ("challenger", "target"),
        Decision(proposer, f"{proposer}.{name}", branches),
        title=f"deadline game: {name} under complete information",
    )


def _resolve(game: Game) -> tuple[np.ndarray, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Backward induction of a stage game: root values and the outcome lottery it leads to."""
    from model.solvers.backward import backward_induction_solve

    res = backward_induction_solve(game)
    reach = game.terminal_reach(res.profile)  # (n_terminals, *batch)
    pay = game.payoffs  # (n_terminals, 2, *batch)
    root = res.root_values
    lottery = {}
    for c in _CLASSES:
        rows = [i for i, h in enumerate(game.terminals) if game.nodes[h].label == c]
        prob = reach[rows].sum(axis=0) if rows else np.zeros_like(root[0])
        mass = np.einsum("z...,zp...->p...", reach[rows], pay[rows]) if rows else 0.0 * root
        safe = np.where(prob > 0.0, prob, 1.0)
        lottery[c] = (prob, np.where(prob > 0.0, mass / safe, root))
    total = sum(v[0] for v in lottery.values())
    lottery = {c: (prob / total, val) for c, (prob, val) in lottery.items()}
    return root, lottery


def _first_round_lottery(
    v: dict[str, np.ndarray], n_offers: int, reservation: bool
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The lottery after a rejection in round 1, solving each distinct game only once.

    The later rounds do not depend on the prior ``pi``, so points that differ only in ``pi``
    (or repeat) share one solution: the rounds are solved at the distinct rows of the other
    parameters and the results are gathered back.
    """
    names = ("p", "c_A", "c_B_strong", "c_B_weak", "delta", "T")
    keys = np.stack([v[k].reshape(-1) for k in names], axis=1)
    rows, inverse = np.unique(keys, axis=0, return_inverse=True)
    inverse = np.ravel(inverse)
    sub = {k: rows[:, i] for i, k in enumerate(names)}
    _, lottery = _rounds(sub, n_offers, reservation)
    shape = v["p"].shape
    return {
        c: (prob[:, inverse].reshape((2,) + shape), val[..., inverse].reshape((2, 2) + shape))
        for c, (prob, val) in lottery.items()
    }


def _rounds(
    v: dict[str, np.ndarray], n_offers: int, reservation: bool
) -> tuple[dict[int, _Round], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Solve rounds ``T_max, ..., 2`` backwards; return them and the lottery after round 1.

    Values of round ``t`` are in round-``t`` units (the surplus over war undiscounted), so no
    power of delta underflows; a rejection in round ``t`` leads to war where ``t`` is the
    point's deadline and otherwise to round ``t + 1``'s lottery with the gains over war
    discounted once by delta. Round ``t`` is solved only at the points whose deadline is at
    least ``t`` (all of them at once). A round's arrays keep the parameters' shape when every
    point plays it, and are flat over its points otherwise.
    """
    shape = v["p"].shape
    T = np.rint(v["T"]).astype(np.int64).reshape(-1)
    n = T.size
    d = v["delta"].reshape(-1)
    p, c_a = v["p"].reshape(-1), v["c_A"].reshape(-1)
    c_b = np.stack([v["c_B_strong"].reshape(-1), v["c_B_weak"].reshape(-1)])  # (2 types, n)
    w_a = p - c_a
    war = np.stack([np.broadcast_to(w_a, c_b.shape), 1.0 - p - c_b])  # (2 players, 2 types, n)
    surplus = c_a + c_b  # (2 types, n)
    war_prob = {c: np.full(c_b.shape, float(c == str(Outcome.WAR))) for c in _CLASSES}
    later = {c: (war_prob[c].copy(), war.copy()) for c in _CLASSES}  # round t + 1, its units
    u = np.linspace(0.0, 1.0, n_offers)[:, None, None]
    rounds: dict[int, _Round] = {}
    for t in range(int(T.max()), 0, -1):
        act = np.flatnonzero(T >= t)
        last = T[act] == t
        sub_war, sub_d = war[..., act], d[act]
        lottery = {}
        for c in _CLASSES:
            prob, val = later[c]
            lottery[c] = (
                np.where(last, war_prob[c][:, act], prob[:, act]),
                np.where(last, sub_war, sub_war + sub_d * (val[..., act] - sub_war)),
            )
        if t == 1:
            return rounds, {
                c: (prob.reshape((2,) + shape), val.reshape((2, 2) + shape))
                for c, (prob, val) in lottery.items()
            }
        offers = w_a[act] + surplus[:, act] * u  # (n_offers, 2, n_act): A's share
        if reservation:
            expect = _expectation(lottery)  # (2 players, 2 types, n_act)
            # the offer that leaves the responder exactly its value of rejecting
            indifferent = 1.0 - expect[1] if t % 2 else expect[0]
            offers = np.concatenate([offers, indifferent[None]])
        rnd = _Round(t=t, offers=np.sort(offers, axis=0), lottery=lottery)
        _, solved = _resolve(_stage_game(rnd))
        for c in _CLASSES:
            later[c][0][:, act] = solved[c][0]
            later[c][1][..., act] = solved[c][1]
        if act.size == n:  # every point plays this round: keep the parameters' shape
            rnd.offers = rnd.offers.reshape(rnd.offers.shape[:2] + shape)
        rounds[t] = rnd
    raise AssertionError("unreachable: the loop returns at t = 1")


def _full_continuation(
    rounds: dict[int, _Round], t: int, k: int, T: int, v: dict[str, np.ndarray], path: str
) -> Node:
    """Round ``t`` for type ``k`` as an explicit subtree (payoffs in round-1 units).

    ``path`` names the history (the rejected offers so far), which makes every information set
    name unique.
    """
    w_a = v["p"] - v["c_A"]
    w_b = 1.0 - v["p"] - (v["c_B_strong"] if k == 0 else v["c_B_weak"])
    if t > T:
        return Terminal((w_a, w_b), label=str(Outcome.WAR))
    rnd = rounds[t]
    proposer, responder = ("challenger", "target") if t % 2 else ("target", "challenger")
    label = str(Outcome.COMPLIANCE) if t % 2 else str(Outcome.SETTLEMENT)
    f = v["delta"] ** (t - 1)
    branches = {}
    for j, x in enumerate(rnd.offers[:, k]):
        branches[f"o{j}"] = Decision(
            responder,
            f"{responder}.round{t}.{path}.o{j}",
            {
                "accept": Terminal((w_a + f * (x - w_a), w_b + f * (1.0 - x - w_b)), label=label),
                "reject": _full_continuation(rounds, t + 1, k, T, v, f"{path}.o{j}"),
            },
        )
    return Decision(proposer, f"{proposer}.round{t}.{path}", branches)


def tree(
    params: Params,
    *,
    n_offers: int = 16,
    demands: Any = None,
    reservation: bool = True,
    collapse: bool = True,
) -> Game:
    r"""Build the deadline game as a finite tree with a grid of offers in every round.

    Round 1 (incomplete information): A picks a demand (information set
    ``"challenger.round1"``, actions ``"d0"``, ``"d1"``, ...); nature draws B's type (``strong``
    with probability :math:`\pi`, ``weak``); the type accepts (compliance) or rejects (information
    sets ``"target.strong.d<j>"``, ``"target.weak.d<j>"``, actions ``("accept", "reject")``, so a
    type accepts when indifferent). A moves before nature because it learns nothing first; all
    information sets are single nodes, so the tree is of perfect information and is also a
    screening game in the sense of :func:`model.solvers.pbe.signalling_structure`.

    After a rejection the type is known and rounds :math:`2, \dots, T` are of complete
    information. Every subgame after a rejection in round :math:`t` is the same game, whatever was
    rejected; with ``collapse=True`` it is solved once, by backward induction of its own round
    (:func:`~model.solvers.backward.backward_induction_solve`, from the deadline backwards, both
    types and all parameter points at once; points that differ only in :math:`\pi` share one
    solution) and the rejection leads to a chance node over the outcome classes it ends in, with
    their conditional payoffs. With ``collapse=False`` the
    rounds are built out in full (:math:`O(n^{T})` nodes; one deadline for all points).

    Grids, as A's share :math:`x`: in round 1, ``n_offers`` demands evenly spaced over
    :math:`[w_A, w_A + S_w]` (from A's war payoff to the weak type's reservation); in a later round
    for type :math:`\theta`, ``n_offers`` offers evenly spaced over :math:`[w_A, w_A + S_\theta]`
    (every split of the surplus). With ``reservation=True`` each grid also holds the offers that
    leave a responder exactly indifferent between accepting and its value of rejecting, computed
    from the later rounds' solutions (in round 1, one per type); since an optimal offer in
    alternating offers leaves the responder indifferent, the tree's equilibrium then equals the
    continuous game's. ``reservation=False`` gives the plain grid, whose equilibrium converges
    as the grid refines. ``demands`` adds demands to round 1 (e.g. a demand to be tested).
    Grids are sorted, so the lower demand wins ties.

    Parameters
    ----------
    params : Params
        Parameters; array fields give a batch of games with one tree shape (the deadline may
        differ across points when ``collapse=True``).
    n_offers : int
        Evenly spaced offers per round, at least 2.
    demands : array_like, optional
        Extra round-1 demands in [0, 1], shape ``(k, *batch)`` or ``(k,)``.
    reservation : bool
        Add the responders' indifference offers to the grids.
    collapse : bool
        Solve the complete-information rounds once and attach their outcome lotteries, or build
        them out in full.

    Returns
    -------
    model.tree.Game
        Players ``("challenger", "target")``; ``annotations["demands"]`` holds the round-1 demands
        ``(n_demands, *batch)``, ``annotations["thresholds"]`` the highest demand each type
        accepts ``(2, *batch)`` and ``annotations["rejection"]`` each type's payoffs after a
        rejection ``(2 players, 2 types, *batch)``.

    Examples
    --------
    >>> from model.solvers.backward import backward_induction_solve
    >>> game = tree(Params(pi=1.0, T=3), n_offers=4)
    >>> res = backward_induction_solve(game)
    >>> x = game.annotations["demands"][res.choice["challenger.round1"]]
    >>> round(float(x), 6), round(float(res.root_values[0]), 6)
    (0.582, 0.582)
    """
    extra = _check_options(params, n_offers, demands)
    if not isinstance(reservation, bool) or not isinstance(collapse, bool):
        raise TypeError(
            f"reservation = {reservation!r} and collapse = {collapse!r} must both be booleans"
        )
    v = params.broadcast()
    shape = params.shape
    T = np.rint(v["T"]).astype(np.int64)
    if not collapse:
        if np.any(T != T.flat[0]):
            raise ValueError("collapse=False builds one tree shape: T must be the same everywhere")
        nodes = 4 * (n_offers + int(reservation)) ** int(T.flat[0])
        if nodes > _MAX_FULL_NODES:
            raise ValueError(
                f"collapse=False with T = {int(T.flat[0])} and n_offers = {n_offers} needs about "
                f"{nodes} nodes (limit {_MAX_FULL_NODES}); lower T or n_offers, or collapse"
            )
    rounds: dict[int, _Round] = {}
    if collapse:
        lottery = _first_round_lottery(v, n_offers, reservation)
    else:
        rounds, lottery = _rounds(v, n_offers, reservation)
    w_a = v["p"] - v["c_A"]
    s_w = v["c_A"] + v["c_B_weak"]
    u = np.linspace(0.0, 1.0, n_offers).reshape((-1,) + (1,) * len(shape))
    grid = [w_a + s_w * u]
    expect = _expectation(lottery)  # (2 players, 2 types, *batch)
    thresholds = 1.0 - expect[1]
    if reservation:
        grid.append(thresholds)
    if extra is not None:
        pad = (1,) * (len(shape) - (extra.ndim - 1))
        grid.append(extra.reshape(extra.shape[:1] + pad + extra.shape[1:]))
    x_grid = np.sort(np.concatenate([np.broadcast_to(g, g.shape[:1] + shape) for g in grid]), 0)
    full: Callable[[int, str], Node] | None = None
    if not collapse and int(T.flat[0]) > 1:
        horizon = int(T.flat[0])

        def expand(k: int, path: str) -> Node:
            return _full_continuation(rounds, 2, k, horizon, v, path)

        full = expand
    return _round1_game(
        v["pi"],
        x_grid,
        lottery,
        full,
        annotations={
            "model": NAME,
            "params": params,
            "demands": x_grid,
            "thresholds": thresholds,
            "rejection": expect,
            "collapse": collapse,
            "tie_rule": "a type accepts when indifferent; A makes the lower of tied demands",
        },
    )


def _round1_game(
    pi: np.ndarray,
    demands: np.ndarray,
    lottery: dict[str, tuple[np.ndarray, np.ndarray]],
    full: Callable[[int, str], Node] | None = None,
    annotations: dict[str, Any] | None = None,
) -> Game:
    """Round 1: A's demand, nature's draw of the type, the type's answer.

    A rejection leads to ``lottery`` (per type on axis 0), or to ``full(k, path)`` when given.
    """
    branches = {}
    for j, x in enumerate(demands):
        types = {}
        for k, name in enumerate(_TYPES):
            reject = _lottery_node(lottery, k) if full is None else full(k, f"{name}.d{j}")
            types[name] = (
                pi if k == 0 else 1.0 - pi,
                Decision(
                    "target",
                    f"target.{name}.d{j}",
                    {
                        "accept": Terminal((x, 1.0 - x), label=str(Outcome.COMPLIANCE)),
                        "reject": reject,
                    },
                ),
            )
        branches[f"d{j}"] = Chance(types)
    return Game(
        ("challenger", "target"),
        Decision("challenger", "challenger.round1", branches),
        title=f"deadline game: {len(demands)} first demands, two target types",
        annotations=annotations or {},
    )


# -- solving -------------------------------------------------------------------------------------
def _pick(grid: np.ndarray, x: np.ndarray) -> np.ndarray:
    """One-hot ``(n, *batch)`` choice of the grid entry nearest to ``x``."""
    pick = np.argmin(np.abs(grid - x), axis=0)
    return (np.arange(grid.shape[0]).reshape((-1,) + (1,) * pick.ndim) == pick).astype(float)


def _answers(grid: np.ndarray, accept: np.ndarray) -> list[np.ndarray]:
    """Per grid entry, the responder's ``(accept, reject)`` probabilities ``(2, *batch)``."""
    return [np.stack([a, 1.0 - a]) for a in accept.astype(float)]


def _later_rounds(rows: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Every round ``t = 2, ..., T`` of every row, flattened: ``(round, row)`` pairs."""
    T = np.rint(rows["T"]).astype(np.int64)
    count = np.maximum(T - 1, 0)
    row = np.repeat(np.arange(T.size), count)
    start = np.cumsum(count) - count
    t = np.arange(row.size) - np.repeat(start, count) + 2
    return {"row": row, "t": t, "k": T[row] - t + 1}


def _stage_regret(rows: dict[str, np.ndarray], pairs: dict[str, np.ndarray]) -> np.ndarray:
    """Regret of the closed form's play in the given rounds ``(pair,)``, by one-shot deviations.

    Each round is a game of its own (:func:`_offer_game`, both types batched): the proposer
    picks from an evenly spaced grid plus the closed form's offer, the responder answers by the
    closed form's rule, and a rejection leads to what the closed form's play gives next: war at
    the deadline, else agreement on next round's closed-form offer (round-``t`` units).
    """
    out = np.zeros(pairs["row"].size)
    for a_proposes in (True, False):
        sel = np.flatnonzero((pairs["t"] % 2 == 1) == a_proposes)
        for s in range(0, sel.size, _BLOCK):
            idx = sel[s : s + _BLOCK]
            r, k = pairs["row"][idx], pairs["k"][idx].astype(np.float64)
            p, c_a, d = rows["p"][r], rows["c_A"][r], rows["delta"][r]
            c_b = np.stack([rows["c_B_strong"][r], rows["c_B_weak"][r]])  # (2 types, m)
            w_a, w_b, surplus = p - c_a, 1.0 - p - c_b, c_a + c_b
            share = proposer_share(d, k)
            # A's share in the closed form's offer now and in next round's (the other proposes)
            x_now = w_a + (share if a_proposes else 1.0 - share) * surplus
            nxt = proposer_share(d, k - 1.0)
            x_next = w_a + (1.0 - nxt if a_proposes else nxt) * surplus
            last = k == 1.0
            war = np.stack([np.broadcast_to(w_a, c_b.shape), w_b])
            agree = np.stack([x_next, 1.0 - x_next])
            value = np.where(last, war, war + d * (agree - war))
            lottery = {
                str(Outcome.WAR): (np.broadcast_to(last, c_b.shape).astype(float), value),
                str(Outcome.SETTLEMENT if a_proposes else Outcome.COMPLIANCE): (
                    np.broadcast_to(~last, c_b.shape).astype(float),
                    value,
                ),
            }
            u = np.linspace(0.0, 1.0, _CERT_OFFERS)[:, None, None]
            # deviations: the grid, and offers just either side of the closed form's offer and
            # of the responder's indifference offer given what follows a rejection
            edge = value[1] if a_proposes else value[0]
            ind = 1.0 - edge if a_proposes else edge
            near = [x_now + h for h in _NUDGE] + [ind + h for h in _NUDGE]
            grid = np.concatenate([w_a + surplus * u, x_now[None], np.clip(near, 0.0, 1.0)])
            grid = np.sort(grid, axis=0)
            tol = 1e-12 * np.maximum(1.0, np.abs(grid))
            accept = grid <= x_now + tol if a_proposes else grid >= x_now - tol
            game = _offer_game(a_proposes, grid, lottery, "round")
            proposer = "challenger" if a_proposes else "target"
            responder = "target" if a_proposes else "challenger"
            profile = {f"{proposer}.round": _pick(grid, x_now)}
            for j, ans in enumerate(_answers(grid, accept)):
                profile[f"{responder}.round.o{j}"] = ans
            cert = tree_certificate(game, profile, tolerance=TOLERANCE, subgame_perfect=True)
            out[idx] = np.max(cert.max_regret, axis=0)
    return out


def _certify(params: Params, cf: dict[str, np.ndarray]) -> Certificate:
    """Certify the closed form's whole profile on the game's rounds, by one-shot deviations.

    Round 1 is the tree of :func:`tree` with the closed-form demand added to its grid and the
    closed form's play after a rejection; every later round is checked as its own game
    (:func:`_stage_regret`). In a finite game a profile from which no player gains by deviating
    at a single node is subgame perfect (the one-deviation property; Osborne and Rubinstein
    1994, Lemma 98.2), so the maximum regret over these games certifies the closed form. The
    later rounds do not depend on ``pi`` and are checked once per distinct row of the other
    parameters. All in blocks of points; no loop per point.
    """
    shape = params.shape
    v = params.broadcast()
    names = ("p", "c_A", "c_B_strong", "c_B_weak", "delta", "T")
    keys = np.stack([v[k].reshape(-1) for k in names], axis=1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    rows = {k: uniq[:, i] for i, k in enumerate(names)}
    pairs = _later_rounds(rows)
    row_regret = np.zeros(uniq.shape[0])
    np.maximum.at(row_regret, pairs["row"], _stage_regret(rows, pairs))
    regret = row_regret[np.ravel(inverse)]
    flat = {
        k: np.broadcast_to(cf[k], shape).reshape(1, -1)
        for k in ("demand", "accept_strong", "accept_weak")
    }
    flat["next_offer"] = np.broadcast_to(cf["next_offer"], (2,) + shape).reshape(2, -1)
    checks: dict[str, str] = {}
    for sl, block in _blocks(params):
        b = block.broadcast()
        part = {k: a[:, sl].reshape(a.shape[:1] + block.shape) for k, a in flat.items()}
        part = {k: a[0] if k != "next_offer" else a for k, a in part.items()}
        w_a = b["p"] - b["c_A"]
        war = np.stack(
            [
                np.stack([w_a, 1.0 - b["p"] - b["c_B_strong"]]),
                np.stack([w_a, 1.0 - b["p"] - b["c_B_weak"]]),
            ],
            axis=1,
        )
        agree = np.stack([part["next_offer"], 1.0 - part["next_offer"]])
        ultimatum = np.rint(b["T"]) == 1.0
        value = np.where(ultimatum, war, war + b["delta"] * (agree - war))
        lottery = {
            str(Outcome.WAR): (np.broadcast_to(ultimatum, war.shape[1:]).astype(float), value),
            str(Outcome.SETTLEMENT): (
                np.broadcast_to(~ultimatum, war.shape[1:]).astype(float),
                value,
            ),
        }
        u = np.linspace(0.0, 1.0, _CERT_OFFERS).reshape((-1,) + (1,) * len(block.shape))
        limits = np.stack([part["accept_strong"], part["accept_weak"]])
        ind = 1.0 - value[1]  # the demand that leaves each type indifferent
        near = [part["demand"][None] + h for h in _NUDGE] + [ind + h for h in _NUDGE]
        grid = np.concatenate(
            [w_a + (b["c_A"] + b["c_B_weak"]) * u, limits, part["demand"][None]]
            + [np.clip(x, 0.0, 1.0) for x in near]
        )
        grid = np.sort(grid, axis=0)
        game = _round1_game(b["pi"], grid, lottery)
        tol = 1e-12 * np.maximum(1.0, np.abs(grid))
        profile = {"challenger.round1": _pick(grid, part["demand"])}
        for k, name in enumerate(_TYPES):
            for j, ans in enumerate(_answers(grid, grid <= limits[k] + tol)):
                profile[f"target.{name}.d{j}"] = ans
        cert = tree_certificate(game, profile, tolerance=TOLERANCE, subgame_perfect=True)
        regret[sl] = np.maximum(regret[sl], np.ravel(cert.max_regret))
        checks = dict(cert.checks)
    checks["rounds"] = (
        f"round 1 and every later round checked as a game of its own ({_CERT_OFFERS} evenly "
        "spaced offers plus the closed form's), with the closed form's play after a rejection; "
        "no one-shot deviation gains (one-deviation property)"
    )
    return Certificate(
        max_regret=regret.reshape(shape),
        bayes_gap=np.zeros(shape),
        tolerance=TOLERANCE,
        checks=checks,
    )


def _blocks(params: Params) -> list[tuple[slice, Params]]:
    """Split the parameter points into blocks of at most :data:`_BLOCK` flat points."""
    shape = params.shape
    if not shape:
        return [(slice(0, 1), params)]
    flat = {k: np.ravel(np.broadcast_to(v, shape)) for k, v in params.values().items()}
    size = int(np.prod(shape))
    out = []
    for s in range(0, size, _BLOCK):
        cols: dict[str, Any] = {k: v[s : s + _BLOCK] for k, v in flat.items()}
        out.append((slice(s, s + _BLOCK), Params(**cols)))
    return out


def _generic(
    params: Params, method: str, n_offers: int, selection: str
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], Certificate]:
    """Solve the tree with a generic solver, in blocks of points."""
    shape = params.shape
    size = max(1, int(np.prod(shape)))
    out: dict[str, np.ndarray] = {}
    checks: dict[str, str] = {}
    tolerance = TOLERANCE
    for sl, block in _blocks(params):
        strategies, outcomes, utilities, cert = _generic_block(block, method, n_offers, selection)
        parts = {
            **{f"s:{k}": a for k, a in strategies.items()},
            **{f"o:{k}": a for k, a in outcomes.items()},
            **{f"u:{k}": a for k, a in utilities.items()},
            "regret": cert.max_regret,
            "gap": cert.bayes_gap,
        }
        for k, a in parts.items():
            out.setdefault(k, np.empty(size))[sl] = np.ravel(a)
        checks, tolerance = dict(cert.checks), cert.tolerance

    def group(prefix: str) -> dict[str, np.ndarray]:
        return {k[2:]: a.reshape(shape) for k, a in out.items() if k.startswith(prefix)}

    certificate = Certificate(
        max_regret=out["regret"].reshape(shape),
        bayes_gap=out["gap"].reshape(shape),
        tolerance=tolerance,
        checks=checks,
    )
    return group("s:"), group("o:"), group("u:"), certificate


def _generic_block(
    params: Params, method: str, n_offers: int, selection: str
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], dict[str, np.ndarray], Certificate]:
    shape = params.shape
    game = tree(params, n_offers=n_offers)
    demands = game.annotations["demands"]
    if method == "backward":
        from model.solvers.backward import backward_induction_solve

        bi = backward_induction_solve(game)
        idx = np.asarray(bi.choice["challenger.round1"])
        outcomes = game.outcome_probabilities(bi.profile)
        values = bi.root_values
        certificate = bi.certificate
    else:
        from model.solvers.pbe import pbe_solve
        from model.solvers.selection import select

        v = params.broadcast()
        if np.any((v["pi"] <= 0.0) | (v["pi"] >= 1.0)):
            raise ValueError(
                "method 'pbe' needs both types to be possible: pi must lie in (0, 1) at every "
                "point (use method 'backward' or 'closed_form' for pi = 0 or 1)"
            )
        res = pbe_solve(game)
        eqs = res.equilibria
        pick = select(eqs, selection).index
        if np.any(pick < 0):
            raise ValueError(
                f"selection rule {selection!r} finds no equilibrium at {int(np.sum(pick < 0))} "
                "parameter point(s)"
            )

        def take(values: list[Any]) -> np.ndarray:
            stacked = np.stack([np.broadcast_to(np.asarray(x, dtype=float), shape) for x in values])
            return np.take_along_axis(stacked, np.asarray(pick)[None], axis=0)[0]

        offers = [float(game.infosets["challenger.round1"].actions.index(e.offer)) for e in eqs]
        idx = take(offers).astype(np.int64)
        outcomes = {str(o): take([e.outcome_probabilities[str(o)] for e in eqs]) for o in Outcome}
        values = np.stack([take([np.asarray(e.payoffs)[k] for e in eqs]) for k in range(2)])
        first = eqs[0].certificate
        certificate = Certificate(
            max_regret=take([e.certificate.max_regret for e in eqs]),
            bayes_gap=take([e.certificate.bayes_gap for e in eqs]),
            tolerance=first.tolerance,
            checks=dict(first.checks),
        )
    x = np.take_along_axis(demands, np.asarray(idx)[None], axis=0)[0]
    strong_limit = game.annotations["thresholds"][0]
    screens = (x > strong_limit + 1e-12 * np.maximum(1.0, np.abs(x))).astype(float)
    strategies = {"challenger.demand": x, "challenger.screens": screens}
    utilities = {"challenger": values[0], "target": values[1]}
    return strategies, outcomes, utilities, certificate


def solve(
    params: Params,
    *,
    method: str = "closed_form",
    n_offers: int = 16,
    selection: str = SELECTION,
) -> Solution:
    """Solve the deadline game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form", "backward", "pbe"}
        The formulas of the module docstring, backward induction on :func:`tree`, or the
        screening enumeration of :func:`model.solvers.pbe.pbe_solve` on :func:`tree` (needs
        ``0 < pi < 1``).
    n_offers : int
        Evenly spaced offers per round of the tree (generic methods only).
    selection : str
        The rule that picks one equilibrium per point for ``method="pbe"`` (a key of
        :data:`model.solvers.selection.RULES`); the default is A's best demand.

    Returns
    -------
    Solution
        A's first demand and whether it screens; outcome probabilities (compliance: B accepts
        A's demand; settlement: A accepts B's counter-offer; war); expected utilities (the
        target's averaged over its types); with the closed form also Ståhl's share
        ``proposer_share``, Rubinstein's ``open_ended_share`` and the cutpoint
        ``screening_prior`` (A screens iff pi is below it); and the certificate on the tree.
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be deadlines.Params, got {type(params).__name__}")
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    from model.solvers.selection import RULES

    if selection not in RULES:
        raise ValueError(f"selection = {selection!r} is not one of {sorted(RULES)}")
    if isinstance(n_offers, bool) or not isinstance(n_offers, int | np.integer) or n_offers < 2:
        raise ValueError(f"n_offers = {n_offers!r} must be an integer >= 2")
    shape = params.shape
    v = params.broadcast()
    cutpoints: dict[str, np.ndarray] = {}
    if method == "closed_form":
        cf = _closed_form(v)
        strategies = {
            "challenger.demand": cf["demand"],
            "challenger.screens": cf["hard"].astype(float),
            "proposer_share": cf["share"],
            "open_ended_share": open_ended_share(v["delta"]),
        }
        cutpoints = {"screening_prior": cf["threshold"]}
        outcomes = {str(o): cf[o] for o in (Outcome.COMPLIANCE, Outcome.SETTLEMENT, Outcome.WAR)}
        utilities = {"challenger": cf["challenger"], "target": cf["target"]}
        certificate = _certify(params, cf)
        method_params: dict[str, Any] = {
            "equilibrium": "subgame perfect (unique but for ties at pi = screening_prior, where "
            "the soft demand is reported)",
            "certificate_offers": _CERT_OFFERS,
        }
    else:
        strategies, outcomes, utilities, certificate = _generic(params, method, n_offers, selection)
        method_params = {"n_offers": n_offers}
        if method == "pbe":
            method_params["selection"] = selection
    planned = outcome_table(dict(outcomes), shape)
    return Solution(
        model=NAME,
        params=params,
        strategies={
            k: np.broadcast_to(np.asarray(a, dtype=float), shape) for k, a in strategies.items()
        },
        cutpoints={k: np.broadcast_to(a, shape) for k, a in cutpoints.items()},
        beliefs={
            "challenger": "the prior pi that the target is strong; a rejection of the first "
            "demand reveals the target's type"
        },
        planned=planned,
        realised=planned,
        utilities_planned={k: np.broadcast_to(a, shape) for k, a in utilities.items()},
        utilities_realised={k: np.broadcast_to(a, shape) for k, a in utilities.items()},
        method=method,
        method_params=method_params,
        converged=np.ones(shape, dtype=bool),
        certificate=certificate,
    )
