r"""Brinkmanship: alternating escalation under a rising risk of disaster; private resolve.

The game (Schelling's "threat that leaves something to chance", in the sequential form of Powell
1987; one-sided incomplete information)
-----------------------------------------------------------------------------------------------
Challenger A has made a demand on target B. The two states then move in turn, A at moves
:math:`k = 1, 3, 5, \dots` and B at moves :math:`k = 2, 4, \dots`, for at most :math:`N` moves.
At its move the mover *quits*, and the other state prevails, or *escalates*. The :math:`k`-th
escalation ends the crisis in a disaster nobody chose with probability

.. math:: h_k = \min(1, k s), \qquad k < N, \qquad h_N = 1:

each step raises the risk by the increment :math:`s`, and move :math:`N` is the brink, where
escalating is certain disaster (the crisis has run out of room).

Payoffs use the repository's unit, the issue :math:`[0, 1]`: the crisis is all or nothing, so
prevailing is worth the whole issue (1) and quitting 0, and disaster takes the place of the war
lottery, costing :math:`d_i > 0` (a lottery worse than conceding, e.g. :math:`d_A = c_A - p`,
:math:`d_B = c_B - (1 - p)`: in a crisis between nuclear powers nobody wins). A state's
*resolve* is then its critical risk (Ellsberg 1959; Snyder and Diesing 1977, ch. 3)

.. math:: r_i = \frac{U_i(\text{prevail}) - U_i(\text{concede})}
                     {U_i(\text{prevail}) - U_i(\text{disaster})} = \frac{1}{1 + d_i},
          \qquad d_i = \frac{1 - r_i}{r_i}:

the largest risk of disaster it would run rather than concede. Any prize :math:`v_i` with
:math:`v_i / (v_i + d_i) = r_i` gives the same choices (expected payoffs scale by
:math:`v_i`). A's resolve :math:`r_A` is common knowledge. Nature makes B *resolved* with
probability :math:`\pi` and *irresolute*, with resolve :math:`r_B \in (0, 1)`, otherwise; only B
knows which. The resolved type prefers disaster (payoff :math:`w > 0`) to backing down
(critical risk :math:`1/(1 - w) > 1`), so whatever A does, escalating at every move strictly
beats quitting there: it never quits, and in :func:`tree` its escalation is automatic.

Outcome classes: B quits = *compliance* (A prevails), A quits = *backdown* (B prevails; also at
move 1, before A has escalated), disaster = *war*.

Complete information: critical risks (derived here)
---------------------------------------------------
Against a known irresolute target, call the mover at move :math:`k` *willing* if
:math:`h_k < r_{\text{mover}}`: it would escalate if the other then quit. By backward induction
the mover escalates iff it is willing and the next mover will quit (if the next mover escalates,
escalating now costs a risk and then, by the same argument one move later, a concession). So the
winner is the mover at the last willing move: with

.. math:: K_i = \max\{k < N \text{ a move of } i : h_k < r_i\}

(:math:`-\infty` if none), A escalates at move 1 and B concedes at move 2 if :math:`K_A > K_B`
(A prevails with probability :math:`1 - h_1`, disaster :math:`h_1`); otherwise A backs down at
once. As :math:`h_k` rises with :math:`k`, :math:`K_i` grows with :math:`r_i`: when some risk
:math:`h_k` separates the two resolves, **the state with the lower critical risk concedes at its
first move**, the critical-risk comparison of Ellsberg (1959) and Snyder and Diesing (1977).
The grid of risks is coarse, though: with :math:`s = 0.1, N = 6, r_A = 0.35, r_B = 0.38`,
:math:`K_A = 3 > K_B = 2` and the *less* resolved A prevails; and with small :math:`s` every move
before the brink is willing and the state moving at :math:`N - 1` wins (the last word).

Incomplete information: the sequential equilibrium (derived here)
-----------------------------------------------------------------
The resolved type always escalates, so A's information is its belief
:math:`\mu` that B is resolved; it starts at :math:`\pi` and rises as the irresolute type quits.
The equilibrium has the structure of Kreps and Wilson's (1982) reputation game: A has a *belief
threshold* :math:`m_k` at each of its moves, escalating if :math:`\mu < m_k` and quitting if
:math:`\mu > m_k`; below the threshold the irresolute type bluffs just often enough to lift A's
posterior to it, and A, indifferent there, escalates just often enough to leave the bluffer
indifferent.

*Thresholds, by backward recursion over A's moves.* Let :math:`M_{k+2} = 1` if the irresolute
type quits for sure at move :math:`k + 1` (:math:`h_{k+1} \ge r_B`, the brink included) and
:math:`M_{k+2} = m_{k+2}` otherwise (the posterior its bluffing produces). If A escalates at
move :math:`k` with belief :math:`\mu < M_{k+2}`, B escalates next with probability
:math:`\mu / M_{k+2}` and A's continuation after that is worth 0 (it is then indifferent or
quits), so in units of :math:`1 + d_A` escalating is worth

.. math:: E_k(\mu) = (1 - h_k)\Big[\Big(1 - \frac{\mu}{M_{k+2}}\Big) r_A
          - \frac{\mu}{M_{k+2}}\, h_{k+1} (1 - r_A)\Big] - h_k (1 - r_A),

decreasing in :math:`\mu`; for :math:`\mu \ge M_{k+2}` B escalates for sure and
:math:`E_k < 0`. Solving :math:`E_k(m_k) = 0`:

.. math:: m_k = M_{k+2}\, \frac{(r_A - h_k)^+}{(1 - h_k)\,(r_A + h_{k+1}(1 - r_A))}
          \;<\; M_{k+2}, \qquad m_N = 0 \ (\text{A's brink}), \quad
          M_{N+1} = 1 \ (\text{B's brink}).

*Mixing.* At B's move :math:`j` with incoming belief :math:`\mu`, the irresolute type quits if
:math:`h_j \ge r_B`; escalates for sure if :math:`\mu \ge m_{j+1}` (A will quit); and
otherwise escalates with probability

.. math:: \beta_j = \frac{\mu\,(1 - m_{j+1})}{(1 - \mu)\, m_{j+1}},

which makes the posterior exactly :math:`m_{j+1}`; A then escalates with probability

.. math:: \alpha_{j+1} = \frac{(r_B - h_j)/(1 - h_j)}{r_B + h_{j+1}(1 - r_B)} \in [0, 1),

which leaves the bluffer indifferent: :math:`(1 - h_j)[(1 - \alpha) r_B - \alpha h_{j+1}
(1 - r_B)] = h_j (1 - r_B)` (its own next move is worth 0, as it mixes or quits there). Both
responses are forced: if it always escalated, A's posterior would stay below :math:`m_{j+1}`, A
would escalate and bluffing would lose; if it always quit, A would face the resolved type for
sure and quit, and bluffing would win. At move 1, A escalates iff :math:`\pi < m_1` (at
:math:`\pi = m_1` it is indifferent; the equilibrium where it quits is reported).

*Consequences.* :math:`m_1 > 0` iff :math:`K_A > K_B`: A ever escalates only if it would prevail
under complete information, and as :math:`\pi \to 0` the outcome tends to the complete-information
one. The path is: A escalates at move 1 (if :math:`\pi < m_1`); at every later move the
irresolute type bluffs with probability :math:`\beta_j` and A presses on with probability
:math:`\alpha_{j+1}`, until the first move :math:`j` with :math:`h_j \ge r_B`, where the
irresolute type folds, A learns that B is resolved and quits. For :math:`N = 2`,
:math:`m_1 = (r_A - s)/(1 - s)`: A escalates iff the risk of disaster it faces,
:math:`s + (1 - s)\pi`, is below its critical risk, and then :math:`P(\text{compliance}) =
(1 - s)(1 - \pi)`, :math:`P(\text{war}) = s + (1 - s)\pi`.

Powell's claims in this model (checked by the tests)
----------------------------------------------------
* "The state with the weakest resolve sometimes prevails" (Powell 1987): reproduced. With
  :math:`r_B < r_A` (and :math:`K_A > K_B`, so the irresolute target would concede at once under
  complete information), the irresolute target prevails with positive probability whenever it
  bluffs (:math:`N \ge 4`, :math:`h_2 < r_B`), since A then quits with probability
  :math:`1 - \alpha_3 > 0`. Under complete information a coarse risk grid lets the less resolved
  state prevail too (the example above).
* "Some states prove more likely to escalate if their adversaries' resolve is greater" (Powell
  1987): reproduced. :math:`\partial \alpha_{j+1} / \partial r_B = (h_{j+1} + h_j (1 -
  h_{j+1})) / ((1 - h_j)(r_B + h_{j+1}(1 - r_B))^2) > 0`: the more resolved the irresolute
  target, the more often A presses on, because A's mixing must keep that type indifferent.
* "Greater resolve can lower a state's probability of prevailing" (Powell 1988, two-sided):
  reproduced here, one-sided, for the target. Raising :math:`r_B` (with the moves at which the
  irresolute type folds unchanged) leaves its bluffing :math:`\beta_j` unchanged (it is pinned
  by A's indifference, which does not involve :math:`r_B`) and raises A's :math:`\alpha`; with
  :math:`N = 4` the irresolute type prevails with probability :math:`(1 - h_1)\beta_2 (1 - h_2)
  (1 - \alpha_3)` and the target as a whole with :math:`(1 - h_1)(1 - h_2)(\pi + (1 - \pi)
  \beta_2)(1 - \alpha_3)`, both decreasing in :math:`r_B`. Powell's companion claim about
  *payoffs* does not hold here: where the irresolute type bluffs at move 2 its expected payoff is
  :math:`-h_1 d_B`, which rises with :math:`r_B`. For the challenger, whose resolve is known,
  higher :math:`r_A` raises every threshold :math:`m_k` and so lowers the bluffing: no paradox.

Which statements are whose. The setting (alternating escalation with a risk of disaster, private
resolve, the contest of resolve and the claims quoted above) is Schelling's (1960, 1966) and
Powell's (1987, 1988, 1990); the particular game (the hazard :math:`\min(1, ks)`, the brink at
move :math:`N`, a two-type target with a resolved type that never backs down) and everything
above, the formulas included, are derived here and checked numerically: the closed-form
assessment has zero sequential regret and Bayes gap on :func:`tree` at random points (the
certificate of every solution), and it agrees with the sequence-form sequential equilibrium,
with the sequence-form Lemke solution, and with the challenger-preferred equilibrium of
nashpy's vertex enumeration of the tree's normal form (tests).

Solution methods
----------------
``closed_form`` runs the two recursions above, vectorised over parameter points (a loop over
moves only). ``sequential`` solves :func:`tree` at every point with
:func:`model.solvers.sequence_form.sequential_solve` (a loop over points: a verification path,
not a hot one). Both certify their assessment (profile and A's beliefs) on :func:`tree` with
:func:`model.checks.assessment_certificate`: sequential rationality at every information set, on
the path or off it, and Bayes consistency. Behaviour is reported at every move, on the path or
not; beliefs off the path are the Bayes posteriors of the equilibrium's bluffing (A's own quit
carries no information about B).

Array convention
----------------
Every field of :class:`Params` may be an array; fields broadcast by numpy's rules and every entry
of the :class:`~model.types.Solution` has the broadcast shape (float64). Per-move quantities are
reported for every move up to :data:`MAX_MOVES` (names ending in the move number); beyond a
point's :math:`N` they describe the (unreachable) moves past the brink, where everybody but the
resolved type quits. Internally, per-move arrays are ``(MAX_MOVES, *shape)``, move
:math:`k` at row :math:`k - 1`.

References
----------
.. [1] Schelling, T. C. (1960). *The Strategy of Conflict*. Harvard University Press, ch. 8,
   "The Threat That Leaves Something to Chance"; Schelling, T. C. (1966). *Arms and Influence*.
   Yale University Press.
.. [2] Powell, R. (1987). Crisis bargaining, escalation, and MAD. *American Political Science
   Review* 81(3): 717-735 (the weakest state sometimes prevails; some states escalate more
   against more resolved adversaries).
.. [3] Powell, R. (1988). Nuclear brinkmanship with two-sided incomplete information. *American
   Political Science Review* 82(1): 155-178 (greater resolve can lower a state's probability of
   prevailing and its payoff).
.. [4] Powell, R. (1990). *Nuclear Deterrence Theory: The Search for Credibility*. Cambridge
   University Press.
.. [5] Ellsberg, D. (1959). The theory and practice of blackmail. Lecture, Lowell Institute;
   in Young, O. R. (ed.) (1975), *Bargaining: Formal Theories of Negotiation*. University of
   Illinois Press (critical risk).
.. [6] Snyder, G. H. and Diesing, P. (1977). *Conflict Among Nations*. Princeton University
   Press, ch. 3 (critical risk and the Zeuthen principle).
.. [7] Kreps, D. M. and Wilson, R. (1982). Reputation and imperfect information. *Journal of
   Economic Theory* 27(2): 253-279 (the structure of the mixing equilibrium).

Examples
--------
Four moves, the challenger more resolved than the irresolute target: A escalates, the
irresolute target bluffs at move 2, A presses on at move 3 with probability 25/58.

>>> s = solve(Params(r_A=0.6, r_B=0.4, pi=0.2, s=0.1, n_rounds=4))
>>> round(float(s.strategies["irresolute.escalate_2"]), 6), round(
...     float(s.strategies["challenger.escalate_3"]), 6)
(0.333333, 0.431034)
>>> {str(k): round(float(v), 6) for k, v in s.planned.items() if v}
{'compliance': 0.537931, 'backdown': 0.191172, 'war': 0.270897}
>>> round(float(s.strategies["irresolute.prevails"]), 6)   # the weaker state prevails
0.136552

Under complete information the less resolved state concedes at once:

>>> out = complete_information(Params(r_A=0.25, r_B=0.5, s=0.1, n_rounds=6))
>>> float(out["backdown"]), int(out["last_move_challenger"]), int(out["last_move_target"])
(1.0, 1, 4)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.checks import assessment_certificate
from model.params import ParamSet, param
from model.registry import register
from model.tree import Chance, Decision, Game, Terminal
from model.types import Outcome, Solution, outcome_table

__all__ = [
    "MAX_MOVES",
    "METHODS",
    "Params",
    "complete_information",
    "complete_information_tree",
    "critical_risk",
    "hazards",
    "regime",
    "solve",
    "tree",
]

NAME = "brinkmanship"
TOLERANCE = 1e-9
METHODS = ("closed_form", "sequential")
#: Largest number of moves (the upper bound of ``n_rounds``).
MAX_MOVES = 8
#: The rule the generic route of the contract tests applies to the tree's equilibria. The
#: equilibrium outcome is unique here (every solver tried agrees), so the rule never bites.
SELECTION = "challenger_preferred"
# the tree is the game itself (no discretisation); the generic enumeration's answers differ from
# the closed form by rounding only (largest gap measured at 1000 random points, extreme corners
# such as s = pi = 1e-6 included: 2e-7)
TREE_OPTIONS: dict[str, Any] = {}
TREE_TOLERANCE = 1e-6
#: Labels of :func:`regime`.
REGIMES = ("challenger backs down", "target folds", "target bluffs")


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the brinkmanship game; each may be an array (broadcast)."""

    r_A: float = param(
        0.6,
        (0.05, 0.95),
        "challenger's resolve: its critical risk 1/(1 + d_A), the largest risk of disaster it "
        "runs rather than concede",
    )
    r_B: float = param(0.4, (0.05, 0.95), "resolve (critical risk) of the irresolute target")
    pi: float = param(
        0.2,
        (0.0, 1.0),
        "prior probability that the target is resolved (prefers disaster to backing down)",
        open_low=True,
        open_high=True,
    )
    s: float = param(
        0.1,
        (0.0, 0.5),
        "risk increment: the k-th escalation ends in disaster with probability min(1, k s)",
        open_low=True,
    )
    n_rounds: int = param(
        6,
        (2, MAX_MOVES),
        "most moves of the crisis; escalating at move n_rounds is certain disaster (the brink)",
        integer=True,
    )
    w_resolved: float = param(
        0.5,
        (0.0, 1.0),
        "resolved target's payoff from disaster (prevailing 1, backing down 0)",
        open_low=True,
    )


def _check(params: Any) -> None:
    if not isinstance(params, Params):
        raise TypeError(f"params must be brinkmanship.Params, got {type(params).__name__}")


def critical_risk(prevail: Any, concede: Any, war: Any) -> np.ndarray:
    r"""Return a state's critical risk, the largest risk of war it accepts rather than concede.

    :math:`\rho = (U(\text{prevail}) - U(\text{concede})) / (U(\text{prevail}) - U(\text{war}))`
    (Ellsberg 1959; Snyder and Diesing 1977); above 1 when the state prefers war to conceding.

    Parameters
    ----------
    prevail, concede, war : float or array
        The state's payoffs; ``prevail > war`` and ``prevail > concede``.

    Returns
    -------
    ndarray
        The broadcast shape of the inputs (float64).

    Raises
    ------
    ValueError
        If ``prevail <= war`` or ``prevail <= concede`` somewhere.

    Examples
    --------
    >>> float(critical_risk(1.0, 0.0, -1.5))
    0.4
    """
    u, c, w = (np.asarray(x, dtype=np.float64) for x in (prevail, concede, war))
    if np.any(~(u > w)) or np.any(~(u > c)):
        raise ValueError(
            f"prevail = {prevail!r}, concede = {concede!r}, war = {war!r}: the critical risk "
            "needs prevail > war and prevail > concede"
        )
    return (u - c) / (u - w)


def hazards(params: Params, moves: int | None = None) -> np.ndarray:
    """Probability that the escalation at each move ends in disaster.

    ``h_k = min(1, k s)`` for ``k < n_rounds`` and 1 from the brink ``k = n_rounds`` on.

    Parameters
    ----------
    params : Params
    moves : int, optional
        Number of moves to report (default :data:`MAX_MOVES`).

    Returns
    -------
    ndarray
        ``(moves, *shape)``, move ``k`` at row ``k - 1``.
    """
    _check(params)
    v = params.broadcast()
    return _hazards(v["s"], v["n_rounds"], MAX_MOVES if moves is None else moves)


def _hazards(s: np.ndarray, n: np.ndarray, moves: int) -> np.ndarray:
    k = np.arange(1, moves + 1, dtype=np.float64).reshape((moves,) + (1,) * s.ndim)
    return np.where(k >= n, 1.0, np.minimum(1.0, k * s))


def _last_willing(r: np.ndarray, h: np.ndarray, first: int) -> np.ndarray:
    """Largest move ``k`` (of the mover starting at ``first``) with ``h_k < r``; -1 if none.

    ``h`` already holds 1 from the brink on, so moves there are never willing.
    """
    out = np.full(r.shape, -1.0)
    for k in range(first, h.shape[0] + 1, 2):
        out = np.where(h[k - 1] < r, float(k), out)
    return out


def _thresholds(r_A: np.ndarray, r_B: np.ndarray, h: np.ndarray) -> np.ndarray:
    """A's belief thresholds ``m_k`` (rows of odd ``k``; even rows unused, zero)."""
    K = h.shape[0]
    m = np.zeros_like(h)
    for k in range(K - (K + 1) % 2, 0, -2):  # A's moves, last first
        hk = h[k - 1]
        hk1 = h[k] if k < K else np.ones_like(hk)
        nxt = m[k + 1] if k + 2 <= K else np.ones_like(hk)
        M = np.where(hk1 >= r_B, 1.0, nxt)
        ok = hk < r_A
        den = np.where(ok, (1.0 - hk) * (r_A + hk1 * (1.0 - r_A)), 1.0)
        m[k - 1] = np.where(ok, M * (r_A - hk) / den, 0.0)
    return m


def _behaviour(
    r_B: np.ndarray, pi: np.ndarray, h: np.ndarray, m: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Escalation probabilities of the mover at every move and A's belief at every move.

    Returns ``(esc, mu)``: ``esc[k - 1]`` is A's escalation probability at odd ``k`` and the
    irresolute type's at even ``k``; ``mu[k - 1]`` is A's belief that B is resolved on reaching
    move ``k`` (Bayes along the all-escalate history).
    """
    K = h.shape[0]
    esc = np.zeros_like(h)
    mu_all = np.zeros_like(h)
    mu = np.array(pi, dtype=np.float64)
    mixed = np.zeros(pi.shape, dtype=bool)
    for k in range(1, K + 1):
        hk = h[k - 1]
        mu_all[k - 1] = mu
        if k % 2 == 1:
            pure = (mu < m[k - 1]).astype(np.float64)
            if k == 1:
                esc[0] = pure
            else:
                hj = h[k - 2]
                num = (r_B - hj) / np.where(mixed, 1.0 - hj, 1.0)
                alpha = num / (r_B + hk * (1.0 - r_B))
                esc[k - 1] = np.where(mixed, alpha, np.where(mu < m[k - 1], pure, 0.0))
        else:
            target = m[k] if k < K else np.ones_like(hk)
            folds = hk >= r_B
            mixed = ~folds & (mu < target)
            beta = mu * (1.0 - target) / np.where(mixed, (1.0 - mu) * target, 1.0)
            esc[k - 1] = np.where(folds, 0.0, np.where(mixed, beta, 1.0))
            stay = mu + (1.0 - mu) * esc[k - 1]
            mu = np.where(stay > 0.0, mu / np.where(stay > 0.0, stay, 1.0), 1.0)
    return esc, mu_all


def _path(pi: np.ndarray, esc: np.ndarray, h: np.ndarray) -> dict[str, np.ndarray]:
    """Outcome probabilities per target type and expected escalations along the path."""
    reach = {"resolved": np.array(pi, dtype=np.float64), "irresolute": 1.0 - pi}
    prevails = {t: np.zeros_like(pi) for t in reach}  # B's type prevails (A backs down)
    loses = {t: np.zeros_like(pi) for t in reach}  # A prevails
    war = {t: np.zeros_like(pi) for t in reach}
    escalations = np.zeros_like(pi)
    for k in range(1, h.shape[0] + 1):
        hk, e = h[k - 1], esc[k - 1]
        for t in reach:
            go = e if (k % 2 == 1 or t == "irresolute") else np.ones_like(e)
            stop = reach[t] * (1.0 - go)
            if k % 2 == 1:
                prevails[t] = prevails[t] + stop
            else:
                loses[t] = loses[t] + stop
            moving = reach[t] * go
            escalations = escalations + moving
            war[t] = war[t] + moving * hk
            reach[t] = moving * (1.0 - hk)
    return {
        "prevails.resolved": prevails["resolved"],
        "prevails.irresolute": prevails["irresolute"],
        "loses.resolved": loses["resolved"],
        "loses.irresolute": loses["irresolute"],
        "war.resolved": war["resolved"],
        "war.irresolute": war["irresolute"],
        Outcome.BACKDOWN: prevails["resolved"] + prevails["irresolute"],
        Outcome.COMPLIANCE: loses["resolved"] + loses["irresolute"],
        Outcome.WAR: war["resolved"] + war["irresolute"],
        "escalations": escalations,
    }


def _closed_form(v: dict[str, np.ndarray], moves: int) -> dict[str, np.ndarray]:
    h = _hazards(v["s"], v["n_rounds"], moves)
    m = _thresholds(v["r_A"], v["r_B"], h)
    esc, mu = _behaviour(v["r_B"], v["pi"], h, m)
    return {"h": h, "m": m, "esc": esc, "mu": mu}


def _disaster_costs(v: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    return (1.0 - v["r_A"]) / v["r_A"], (1.0 - v["r_B"]) / v["r_B"]


def tree(params: Params) -> Game:
    """Build the game as a finite tree (batched over parameter points).

    Nature draws the target's type (``resolved``, ``irresolute``); the challenger moves at
    information sets ``A.1``, ``A.3``, ... (both types' nodes: it does not know the type), the
    irresolute target at ``B.irresolute.2``, ``B.irresolute.4``, ... (actions ``quit``,
    ``escalate``). An escalation at move ``k`` leads to a chance node (``disaster`` with
    probability ``h_k``, else ``safe``); the resolved type's escalations are automatic (quitting
    is strictly worse for it at every move; see the module docstring). The tree has
    ``max(n_rounds)`` moves; at points with fewer, the escalation at their brink is a chance node
    with disaster probability 1, and the moves beyond are never reached. Terminals are labelled
    ``compliance``, ``backdown`` and ``war``; players are ``challenger`` and ``target``.
    """
    _check(params)
    v = params.broadcast()
    K = int(np.max(v["n_rounds"]))
    h = _hazards(v["s"], v["n_rounds"], K)
    d_A, d_B = _disaster_costs(v)
    zero, one = np.zeros_like(d_A), np.ones_like(d_A)
    war_b = {"irresolute": -d_B, "resolved": v["w_resolved"] + zero}

    def move(t: str, k: int) -> Decision | Chance | Terminal:
        war = Terminal((-d_A, war_b[t]), label="war")
        escalate = (
            war
            if k == K
            else Chance({"disaster": (h[k - 1], war), "safe": (1.0 - h[k - 1], move(t, k + 1))})
        )
        if k % 2 == 1:
            return Decision(
                "challenger",
                f"A.{k}",
                {"quit": Terminal((zero, one), label="backdown"), "escalate": escalate},
            )
        if t == "resolved":
            return escalate
        return Decision(
            "target",
            f"B.irresolute.{k}",
            {"quit": Terminal((one, zero), label="compliance"), "escalate": escalate},
        )

    root = Chance(
        {
            "resolved": (v["pi"], move("resolved", 1)),
            "irresolute": (1.0 - v["pi"], move("irresolute", 1)),
        }
    )
    return Game(
        ("challenger", "target"),
        root,
        title="brinkmanship: alternating escalation, the target's resolve private",
    )


def _tree_profile(esc: np.ndarray, K: int) -> dict[str, np.ndarray]:
    out = {}
    for k in range(1, K + 1):
        e = esc[k - 1]
        name = f"A.{k}" if k % 2 == 1 else f"B.irresolute.{k}"
        out[name] = np.stack([1.0 - e, e])
    return out


def _tree_beliefs(mu: np.ndarray, K: int) -> dict[str, np.ndarray]:
    # nodes of A's information sets: the resolved type's node first (the root's first branch)
    return {f"A.{k}": np.stack([mu[k - 1], 1.0 - mu[k - 1]]) for k in range(1, K + 1, 2)}


def complete_information_tree(params: Params) -> Game:
    """The game against a target known to be irresolute: perfect information.

    The same moves, chance nodes and payoffs as :func:`tree` after nature's draw of the
    irresolute type; information sets ``A.k`` and ``B.k`` are single nodes, so
    :func:`model.solvers.backward.backward_induction_solve` solves it.
    """
    _check(params)
    v = params.broadcast()
    K = int(np.max(v["n_rounds"]))
    h = _hazards(v["s"], v["n_rounds"], K)
    d_A, d_B = _disaster_costs(v)
    zero, one = np.zeros_like(d_A), np.ones_like(d_A)

    def move(k: int) -> Decision:
        war = Terminal((-d_A, -d_B), label="war")
        escalate = (
            war
            if k == K
            else Chance({"disaster": (h[k - 1], war), "safe": (1.0 - h[k - 1], move(k + 1))})
        )
        if k % 2 == 1:
            quit_, player, name = Terminal((zero, one), label="backdown"), "challenger", f"A.{k}"
        else:
            quit_, player, name = Terminal((one, zero), label="compliance"), "target", f"B.{k}"
        return Decision(player, name, {"quit": quit_, "escalate": escalate})

    return Game(
        ("challenger", "target"),
        move(1),
        title="brinkmanship under complete information (irresolute target)",
    )


def complete_information(params: Params) -> dict[str, np.ndarray]:
    r"""Solve the game against a target known to be irresolute (``pi`` is ignored).

    The winner is the mover at the last *willing* move (module docstring): A escalates at move 1
    and B concedes at move 2 iff :math:`K_A > K_B`, else A backs down at once.

    Returns
    -------
    dict of str to ndarray
        ``compliance``, ``backdown``, ``war`` (outcome probabilities), ``escalations``
        (expected number), ``challenger_escalates`` (1.0 or 0.0), ``last_move_challenger`` and
        ``last_move_target`` (:math:`K_A`, :math:`K_B`; -1 where a state is willing at none of
        its moves), ``eu_challenger`` and ``eu_target``; broadcast shape of ``params``.
    """
    _check(params)
    v = params.broadcast()
    h = _hazards(v["s"], v["n_rounds"], MAX_MOVES)
    k_a = _last_willing(v["r_A"], h, 1)
    k_b = _last_willing(v["r_B"], h, 2)
    up = k_a > k_b
    h1 = h[0]
    d_A, d_B = _disaster_costs(v)
    compliance = np.where(up, 1.0 - h1, 0.0)
    war = np.where(up, h1, 0.0)
    return {
        "compliance": compliance,
        "backdown": np.where(up, 0.0, 1.0),
        "war": war,
        "escalations": np.where(up, 1.0, 0.0),
        "challenger_escalates": up.astype(np.float64),
        "last_move_challenger": k_a,
        "last_move_target": k_b,
        "eu_challenger": compliance - war * d_A,
        "eu_target": (1.0 - compliance - war) - war * d_B,
    }


def regime(params: Params) -> np.ndarray:
    """The equilibrium regime at every point (module docstring).

    Returns
    -------
    ndarray of str
        ``"challenger backs down"`` (A quits at move 1, :math:`\\pi \\ge m_1`), ``"target
        folds"`` (A escalates and the irresolute target quits at move 2) or ``"target bluffs"``
        (A escalates and the irresolute target escalates at move 2 with positive probability).
    """
    _check(params)
    o = _closed_form(params.broadcast(), MAX_MOVES)
    code = np.where(o["esc"][0] < 0.5, 0, np.where(o["esc"][1] > 0.0, 2, 1))
    return np.asarray(REGIMES)[code]


def _utilities(v: dict[str, np.ndarray], p: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    d_A, d_B = _disaster_costs(v)
    pi = v["pi"]
    irresolute = (p["prevails.irresolute"] - p["war.irresolute"] * d_B) / (1.0 - pi)
    resolved = (p["prevails.resolved"] + p["war.resolved"] * v["w_resolved"]) / pi
    return {
        "challenger": p[Outcome.COMPLIANCE] - p[Outcome.WAR] * d_A,
        "target": pi * resolved + (1.0 - pi) * irresolute,
        "target.irresolute": irresolute,
        "target.resolved": resolved,
    }


def _sequential(
    game: Game, shape: tuple[int, ...], K: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Solve every point with the sequence-form sequential equilibrium; stack the results."""
    from model.solvers.sequence_form import sequential_solve

    n = int(np.prod(shape))
    esc = np.zeros((MAX_MOVES, n))
    mu = np.zeros((MAX_MOVES, n))
    converged = np.zeros(n, dtype=bool)
    pivots = np.zeros(n)
    for i in range(n):  # one LCP per point: a verification path
        point = tuple(int(j) for j in np.unravel_index(i, shape)) if shape else None
        res = sequential_solve(game, point=point)
        converged[i] = res.converged
        pivots[i] = res.pivots
        for k in range(1, K + 1):
            name = f"A.{k}" if k % 2 == 1 else f"B.irresolute.{k}"
            esc[k - 1, i] = res.profile[name][1]
            if k % 2 == 1:
                mu[k - 1, i] = res.beliefs[name][0]
    return (
        esc.reshape((MAX_MOVES, *shape)),
        mu.reshape((MAX_MOVES, *shape)),
        converged.reshape(shape),
        pivots.reshape(shape),
    )


_NAMES_A = tuple(range(1, MAX_MOVES + 1, 2))
_NAMES_B = tuple(range(2, MAX_MOVES + 1, 2))


def solve(params: Params, *, method: str = "closed_form") -> Solution:
    """Solve the brinkmanship game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form", "sequential"}
        The recursions of the module docstring, or a sequential equilibrium of :func:`tree`
        found point by point by the perturbed sequence-form LCP.

    Returns
    -------
    Solution
        Strategies: ``challenger.escalate_k`` (odd ``k``) and ``irresolute.escalate_k`` (even
        ``k``), the probability that the mover escalates at move ``k`` if it is reached;
        ``escalations`` (expected number of escalations, the resolved type's included);
        ``irresolute.prevails`` and ``resolved.prevails`` (probability that the target prevails,
        given its type); ``challenger.prevails`` (= compliance). Cutpoints:
        ``belief_threshold_k`` (A escalates at move ``k`` iff its belief that the target is
        resolved is below it; closed form only, NaN for ``sequential``). Beliefs:
        ``challenger.move_k`` (A's belief on reaching move ``k``). Utilities per player and per
        target type. The certificate is the assessment certificate on :func:`tree`.

    Raises
    ------
    TypeError
        If ``params`` is not a :class:`Params`.
    ValueError
        If ``method`` is unknown.
    """
    _check(params)
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    v = params.broadcast()
    shape = v["pi"].shape
    game = tree(params)
    K = int(np.max(v["n_rounds"]))
    method_params: dict[str, Any] = {
        "hazard": "min(1, k s) at move k < n_rounds; 1 at the brink k = n_rounds",
        "tie_rule": "a state indifferent between a pure escalation and quitting quits",
    }
    if method == "closed_form":
        o = _closed_form(v, MAX_MOVES)
        esc, mu, m = o["esc"], o["mu"], o["m"]
        converged = np.ones(shape, dtype=bool)
        method_params["equilibrium"] = (
            "sequential equilibrium (belief thresholds by backward recursion); its outcome is "
            "unique except at pi = m_1"
        )
    else:
        esc, mu, converged, pivots = _sequential(game, shape, K)
        h = _hazards(v["s"], v["n_rounds"], MAX_MOVES)
        if K < MAX_MOVES:  # moves past every point's brink: as in the closed form
            esc[K:] = 0.0
            mu[K:] = _behaviour(v["r_B"], v["pi"], h, np.zeros_like(h))[1][K:]
        m = np.full_like(h, np.nan)
        method_params["solver"] = "sequence_form_lcp.perturbed, one point at a time"
        method_params["max_pivots"] = float(np.max(pivots)) if pivots.size else 0.0
    h = _hazards(v["s"], v["n_rounds"], MAX_MOVES)
    certificate = assessment_certificate(
        game, _tree_profile(esc, K), _tree_beliefs(mu, K), tolerance=TOLERANCE
    )
    p = _path(v["pi"], esc, h)
    planned = outcome_table(
        {o: p[o] for o in (Outcome.COMPLIANCE, Outcome.BACKDOWN, Outcome.WAR)}, shape
    )
    utilities = {k: np.broadcast_to(u, shape) for k, u in _utilities(v, p).items()}
    strategies = {f"challenger.escalate_{k}": esc[k - 1] for k in _NAMES_A}
    strategies.update({f"irresolute.escalate_{k}": esc[k - 1] for k in _NAMES_B})
    strategies["escalations"] = p["escalations"]
    strategies["challenger.prevails"] = p[Outcome.COMPLIANCE]
    strategies["irresolute.prevails"] = p["prevails.irresolute"] / (1.0 - v["pi"])
    strategies["resolved.prevails"] = p["prevails.resolved"] / v["pi"]
    return Solution(
        model=NAME,
        params=params,
        strategies={k: np.broadcast_to(x, shape) for k, x in strategies.items()},
        cutpoints={f"belief_threshold_{k}": np.broadcast_to(m[k - 1], shape) for k in _NAMES_A},
        beliefs={f"challenger.move_{k}": np.broadcast_to(mu[k - 1], shape) for k in _NAMES_A},
        planned=planned,
        realised=planned,
        utilities_planned=utilities,
        utilities_realised=utilities,
        method=method,
        method_params=method_params,
        converged=converged,
        certificate=certificate,
    )
