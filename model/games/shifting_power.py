r"""Shifting power: preventive war as a commitment problem (Powell 2006; Fearon 1995).

The game (infinite-horizon bargaining over a flow, power shifts once)
---------------------------------------------------------------------
Two states, A (*declining*) and B (*rising*), divide a flow worth 1 in every period
:math:`t = 0, 1, 2, \dots`; both discount by :math:`\delta \in (0, 1)`. In the repo's convention A
holds the share :math:`x_t` of the period's flow and B the rest. :math:`p_t` is **B's**
probability of winning a war (so A's is :math:`1 - p_t`); it is :math:`p_0` in period 0 and,
because B rearms, :math:`p_1 \ge p_0` from period 1 on, for ever.

Each period the *proposer* offers a split of that period's flow or attacks; the *responder*
accepts (the flow is split, play moves on) or fights. War is absorbing: fought with power
:math:`p`, the winner takes the whole flow for ever, and the states pay lump-sum costs
:math:`C_A, C_B` (in units of one period's flow) and per-period costs :math:`c_A, c_B`. Both kinds
may be present at once. Payoffs are **average discounted** values,
:math:`(1 - \delta) \sum_t \delta^t u_t`, so a share :math:`x` for ever is worth :math:`x`, and the
war values are

.. math:: m_A(p) = 1 - p - c_A - (1 - \delta) C_A, \qquad m_B(p) = p - c_B - (1 - \delta) C_B,

i.e. :math:`m_i = (1 - \delta) M_i` with Powell's :math:`M_A = (1 - p)/(1 - \delta) - C_A`,
:math:`M_B = p/(1 - \delta) - C_B` when per-period costs are zero. Per period this is the repo's
war lottery: A gets :math:`(1 - p) - c_A`, B gets :math:`p - c_B` (here :math:`1 - p` is A's win
probability).

Mistrust of a ceasefire. Read period 0 as the moment a ceasefire (or any agreement) is on the
table. An agreement that lets B rearm or consolidate **is** a power shift: with probability
``rearm_prob`` :math:`= q` B uses the respite to rearm, and its power is :math:`p_1` from period 1
on; otherwise it stays at :math:`p_0`. Both states know :math:`q`. The expected shift is
:math:`q (p_1 - p_0)`; :math:`q = 1` is Powell's deterministic shift, :math:`q = 0` no shift at
all. Nature draws the rearmament after the period-0 agreement, so war in period 0 is fought at
:math:`p_0`.

Subgame-perfect equilibrium (derived here)
------------------------------------------
Write :math:`w_R(p) = \max(m_R(p), 0)` for the responder :math:`R`.

*After the shift the play is stationary.* With power fixed at :math:`p` and a proposer :math:`P`,
every subgame-perfect equilibrium gives the responder exactly :math:`w_R(p)` and the proposer
:math:`1 - w_R(p)`, with no war. Proof (the sup/inf argument of Shaked and Sutton 1984): let
:math:`\underline b, \bar b` be the infimum and supremum of the responder's equilibrium values and
:math:`\underline a` the proposer's infimum. (i) :math:`\underline b \ge m_R`: the responder can
fight at its first move, and an attack gives it :math:`m_R` too. (ii) Every equilibrium has the
responder accept any :math:`y` with :math:`(1 - \delta) y + \delta \underline b > m_R`, so
:math:`\underline a \ge (1 - \delta)(1 - y) + \delta \underline a` for all such :math:`y`, i.e.
:math:`\underline a \ge 1 - y_{\min}` with
:math:`y_{\min} = \max(0, (m_R - \delta \underline b)/(1 - \delta)) \le \max(0, m_R)` by (i).
(iii) Values sum to at most 1, so :math:`\bar b \le 1 - \underline a \le \max(0, m_R)`. If
:math:`m_R \ge 0` this gives :math:`\bar b \le m_R \le \underline b`. If :math:`m_R < 0`,
:math:`\underline a \ge 1 \ge m_P`, so attacking never gains (ties resolved toward peace), the
responder secures 0 by always accepting and :math:`\underline b \ge 0 \ge \bar b`. So the
responder's value is :math:`w_R(p)`; the stationary strategies are: offer the responder
:math:`y_1 = w_R(p)` every period; the responder accepts iff
:math:`(1 - \delta) y + \delta w_R(p) \ge m_R(p)`. This is why the tree below may replace play
from period 2 on by these values (it models period 1 explicitly, which checks them).

*Period 0.* Let :math:`\bar w_R = q\, w_R(p_1) + (1 - q)\, w_R(p_0)`. The responder accepts
:math:`y_0` iff :math:`(1 - \delta) y_0 + \delta \bar w_R \ge m_R(p_0)`, so the proposer offers

.. math:: y_0^* = \min\Bigl\{1, \max\Bigl(0, \frac{m_R(p_0) - \delta \bar w_R}{1 - \delta}\Bigr)
          \Bigr\}.

**A (declining) proposes** (the default, ``proposer="declining"``). A's value of peace is
:math:`1 - \max(\delta \bar w_B, m_B(p_0))`. Since :math:`m_A + m_B \le 1`, A prefers peace iff
:math:`m_A(p_0) + \delta \bar w_B \le 1`; B never fights (:math:`y_0^* \le 1` always when
:math:`p_1 \ge p_0`). With :math:`q = 1` the kink of :math:`w_B` never matters (if
:math:`m_B(p_1) < 0`, :math:`m_A(p_0) \le 1` already holds), and the condition is exactly
Powell's inequality: **war iff**

.. math:: \delta p_1 - p_0 > c_A + \delta c_B + (1 - \delta)(C_A + \delta C_B),

equivalently :math:`M_A(0) + \delta M_B(1) > 1/(1 - \delta)` in Powell's undiscounted totals (lump
costs), or :math:`\delta p_1 - p_0 > c_A + \delta c_B` with per-period costs only. As
:math:`\delta \to 1` the lump-sum part vanishes and war happens iff :math:`p_1 - p_0 > c_A + c_B`.
In war the **declining state A attacks** in period 0 (preventive war): B would accept even a zero
share today, but what A must concede from period 1 on is worth more to A than fighting now.
With :math:`q < 1` and :math:`m_B(p_0) \ge 0` the same inequality holds with :math:`p_1` replaced
by the expected post-agreement power :math:`p_0 + q(p_1 - p_0)`: the *expected* shift must exceed
what the costs of fighting absorb.

**B (rising) proposes** (``proposer="rising"``). Now B holds A to :math:`w_A(p_1)` after the shift
and the only question is whether B can compensate A today: it cannot iff
:math:`y_0^* > 1` for the responder A, i.e. **war iff** :math:`m_A(p_0) - \delta \bar w_A > 1 -
\delta`; with :math:`q = 1` and :math:`m_A(p_1) \ge 0` this is

.. math:: \delta p_1 - p_0 > (1 - \delta)\bigl(c_A + (1 - \delta) C_A\bigr),

which tends to :math:`p_1 > p_0` as :math:`\delta \to 1`. A (the responder) starts the war by
rejecting every offer; B never attacks. The war region is larger than under the declining
proposer.

*Which side proposes.* The inequality :math:`M_A(t) + \delta M_B(t+1) > 1/(1-\delta)` is the
inevitable-war condition: if it holds, no peaceful path gives A its war value at :math:`t` while
giving B at least its war value from :math:`t + 1` on, so **every** equilibrium of **every**
protocol in which either state may fight in every period has war. That necessity does not depend
on the proposer, and it is also sufficient when the declining state proposes. It is *not*
sufficient under the rising proposer: there B cannot promise to leave A more than its war value
after the shift, which is itself a commitment problem, and war happens on a strictly larger set
of parameters (e.g. :math:`\delta = 0.9, p_0 = 0.3, p_1 = 0.6, C_A = C_B = 1.5`). The common
remark that the proposer "does not matter" thus holds for the necessary condition only (checked
in the tests).

Reported quantities. ``strategies``: ``A.share_0`` (A's share of the period-0 flow in the
proposer's optimal offer; the offer that would be made were war not chosen), ``A.share_1`` (A's
share every period after B has rearmed), ``A.share_1_no_rearm`` (if it has not),
``A.starts_war`` and ``B.starts_war`` (0 or 1; B never starts a war when :math:`p_1 \ge p_0`).
``cutpoints``: ``war_margin``, the slack of the exact war inequality in average units
(declining proposer :math:`1 - m_A(p_0) - \delta \bar w_B`; rising proposer
:math:`1 - \delta + \delta \bar w_A - m_A(p_0)`; peace iff it is :math:`\ge 0`; with :math:`q = 1`
and no kink it is :math:`c_A + \delta c_B + (1 - \delta)(C_A + \delta C_B) - (\delta p_1 - p_0)`),
and ``critical_shift``, the smallest shift :math:`s = p_1 - p_0` beyond which war occurs, other
parameters fixed (``inf`` if no attainable shift, :math:`s \le 1 - p_0`, causes war). For the
declining proposer with :math:`q > 0`

.. math:: s^* = \frac{1}{q}\Bigl(\frac{1 - m_A(p_0)}{\delta} - (1 - q) w_B(p_0)\Bigr) + c_B +
          (1 - \delta) C_B - p_0,

(:math:`s^* = [(1 - \delta) p_0 + c_A + \delta c_B + (1 - \delta)(C_A + \delta C_B)]/\delta` at
:math:`q = 1`); for the rising proposer :math:`s^* = m_A(p_0) - R/q` with
:math:`R = (m_A(p_0) - 1 + \delta)/\delta - (1 - q) w_A(p_0)` when :math:`R > 0`, else ``inf``.
Outcomes: peace is a standing **settlement** (a split renegotiated every period, not a one-off
concession, so not ``compliance``); else **war**. The equilibrium is pure, so each is 0 or 1.

Ties. Indifferent responders accept; a proposer indifferent between peace and war keeps the peace
(differences below ``1e-12`` count as ties). Peace at the boundary is the same convention as the
weak inequality above. Off the boundary the equilibrium is unique; there is no selection rule.

Solution methods
----------------
``closed_form`` evaluates the formulas above for all points at once. ``backward_induction``
builds :func:`tree` and solves it with :func:`model.solvers.backward.backward_induction_solve`.
Both certify their profile with :func:`model.checks.tree_certificate` (Nash regret, regret at
every information set and in every subgame) on a tree with period 1 explicit and offers on a grid
plus the equilibrium offers; the closed-form profile is certified on ``tree(params,
n_offers=3)`` (offers 0, 1/2, 1 and the equilibrium offers): the proposer's value is decreasing
in the offer among accepted offers and equals its war value among rejected ones, so these offers
and the attack are the deviations that matter.

What is the paper's and what is derived here. Powell (2006) states the mechanism (large, rapid
shifts of power cause war) and the inevitable-war condition in terms of minmax values; Fearon
(1995) the preventive-war logic. The average-value normalisation, the mixed lump-sum and
per-period condition, the ceasefire probability :math:`q`, the proposer comparison, the offers
and the critical shift are derived here, and are checked by brute force over grids of offers and
by backward induction on the tree in ``tests/test_shifting_power.py``.

References
----------
.. [1] Powell, R. (2006). War as a commitment problem. *International Organization* 60(1):
   169-203 (the commitment-problem mechanism; the condition that war is inevitable when
   :math:`M_A(t) + \delta M_B(t+1) > 1/(1 - \delta)`).
.. [2] Fearon, J. D. (1995). Rationalist explanations for war. *International Organization*
   49(3): 379-414 (preventive war from anticipated shifts of power).
.. [3] Shaked, A. and Sutton, J. (1984). Involuntary unemployment as a perfect equilibrium in a
   bargaining model. *Econometrica* 52(6): 1351-1364 (the sup/inf argument for uniqueness).
.. [4] Reiter, D. (2009). *How Wars End*. Princeton University Press (mistrust of a ceasefire as
   a commitment problem).

Examples
--------
:math:`\delta = 0.9, p_0 = 0.3, p_1 = 0.6` with lump costs: war iff
:math:`C_A + 0.9\, C_B < (\delta p_1 - p_0)/(1 - \delta) = 2.4`.

>>> s = solve(Params(p0=0.3, p1=0.6, delta=0.9, C_A=1.0, C_B=1.0))
>>> float(s.realised["war"]), float(s.strategies["A.starts_war"])
(1.0, 1.0)
>>> round(float(s.cutpoints["war_margin"]), 12)     # 0.1 * (1.9 - 2.4)
-0.05
>>> s = solve(Params(p0=0.3, p1=0.6, delta=0.9, C_A=1.5, C_B=1.5))
>>> float(s.realised["settlement"]), round(float(s.strategies["A.share_1"]), 12)
(1.0, 0.55)
>>> s.certificate.all_passed
True
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

__all__ = ["METHODS", "PROPOSERS", "Params", "solve", "tree"]

NAME = "shifting_power"
TOLERANCE = 1e-9
METHODS = ("closed_form", "backward_induction")
#: Who makes the offers in every period: the declining state A or the rising state B.
PROPOSERS = ("declining", "rising")
#: Backward induction finds the unique subgame-perfect equilibrium; no selection is needed.
SELECTION = "challenger_preferred"
# The tree's offers contain the equilibrium offers, so the generic solver reproduces the closed
# form up to rounding (measured: below 1e-15 on random points).
TREE_OPTIONS: dict[str, Any] = {"n_offers": 9}
TREE_TOLERANCE = 1e-9
#: Grid offers of the tree on which :func:`solve` certifies the closed form.
CERT_OFFERS = 3
_TIE = 1e-12  # payoff differences treated as ties (resolved toward acceptance and peace)
_BLOCK = 1 << 13  # points per block of the certificate: the tree's arrays stay small


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the shifting-power game; each may be an array (broadcast)."""

    p0: float = param(
        0.3, (0.0, 1.0), "B's (the rising state's) probability of winning a war fought now"
    )
    p1: float = param(
        0.6, (0.0, 1.0), "B's probability of winning once it has rearmed (period 1 on); >= p0"
    )
    delta: float = param(
        0.9, (0.0, 1.0), "common discount factor per period", open_low=True, open_high=True
    )
    C_A: float = param(1.0, (0.0, 100.0), "A's lump-sum cost of war, in periods' worth of flow")
    C_B: float = param(1.0, (0.0, 100.0), "B's lump-sum cost of war, in periods' worth of flow")
    c_A: float = param(0.0, (0.0, 1.0), "A's per-period cost of war, as a share of the flow")
    c_B: float = param(0.0, (0.0, 1.0), "B's per-period cost of war, as a share of the flow")
    rearm_prob: float = param(
        1.0,
        (0.0, 1.0),
        "probability that the agreement lets B rearm, raising its power from p0 to p1",
    )

    def check(self) -> None:
        """Require ``p1 >= p0`` (B rises) and a positive total cost of war."""
        v = self.broadcast()
        bad = v["p1"] < v["p0"]
        if np.any(bad):
            i = np.flatnonzero(bad)[0]
            raise ValueError(
                f"p0 = {v['p0'].flat[i]:g} and p1 = {v['p1'].flat[i]:g}: B is the rising state, "
                "so its power after the shift must not fall, p1 >= p0"
            )
        total = v["C_A"] + v["C_B"] + v["c_A"] + v["c_B"]
        bad = ~(total > 0.0)
        if np.any(bad):
            raise ValueError(
                "C_A = C_B = c_A = c_B = 0: war must cost something, "
                "C_A + C_B + c_A + c_B > 0 (else war and peace tie and the equilibrium is not "
                "unique)"
            )


# -- closed form ---------------------------------------------------------------------------------
def _war_values(v: dict[str, np.ndarray], p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Average discounted war values ``(m_A(p), m_B(p))`` when B wins with probability ``p``."""
    d = 1.0 - v["delta"]
    return 1.0 - p - v["c_A"] - d * v["C_A"], p - v["c_B"] - d * v["C_B"]


def _roles(proposer: str) -> tuple[int, int]:
    if proposer not in PROPOSERS:
        raise ValueError(f"proposer = {proposer!r} is not one of {PROPOSERS}")
    return (0, 1) if proposer == "declining" else (1, 0)


def _closed_form(v: dict[str, np.ndarray], proposer: str) -> dict[str, np.ndarray]:
    """Equilibrium offers, war decision, values, margin and critical shift at every point.

    Offers are the **responder's** share (``y0``, ``y1``, ``y1_no``); everything else is in the
    players' order (A, B).
    """
    ip, ir = _roles(proposer)
    delta, q, p0, p1 = v["delta"], v["rearm_prob"], v["p0"], v["p1"]
    m0 = _war_values(v, p0)
    m1 = _war_values(v, p1)
    w0 = np.maximum(m0[ir], 0.0)  # the responder's stationary value if B has not rearmed
    w1 = np.maximum(m1[ir], 0.0)  # ... and if it has
    ew = q * w1 + (1.0 - q) * w0
    d = 1.0 - delta
    y0 = np.clip((m0[ir] - delta * ew) / d, 0.0, 1.0)
    accept_all = d + delta * ew  # the responder's value of accepting the whole period-0 flow
    responder_war = accept_all < m0[ir] - _TIE
    peace_p = d * (1.0 - y0) + delta * (1.0 - ew)
    peace_r = d * y0 + delta * ew
    proposer_war = ~responder_war & (peace_p < m0[ip] - _TIE)
    war = responder_war | proposer_war
    pay = [np.empty_like(peace_p), np.empty_like(peace_p)]
    pay[ip] = np.where(war, m0[ip], peace_p)
    pay[ir] = np.where(war, m0[ir], peace_r)
    starts = [np.zeros_like(peace_p), np.zeros_like(peace_p)]
    starts[ip] = proposer_war.astype(np.float64)
    starts[ir] = responder_war.astype(np.float64)
    if proposer == "declining":
        margin = 1.0 - m0[0] - delta * ew
        # R/q written as t/q + w0 (R = t + q w0), exact for q near 0 where 1 - q rounds to 1
        with np.errstate(all="ignore"):
            r_q = ((1.0 - m0[0]) / delta - w0) / q + w0
            crit = r_q + v["c_B"] + d * v["C_B"] - p0
        crit = np.where(q > 0.0, crit, np.inf)
    else:
        margin = accept_all - m0[0]
        with np.errstate(all="ignore"):
            r_q = ((m0[0] - d) / delta - w0) / q + w0  # R/q, as above
            crit = m0[0] - r_q
        crit = np.where((q > 0.0) & (r_q > 0.0), crit, np.inf)
    # shifts beyond 1 - p0 cannot happen: no attainable shift causes war
    crit = np.where(crit <= 1.0 - p0, np.maximum(crit, 0.0), np.inf)
    share = (lambda y: 1.0 - y) if ip == 0 else (lambda y: y)  # A's share given an offer
    return {
        "y0": y0,
        "y1": w1,
        "y1_no": w0,
        "ew": ew,
        "war": war.astype(np.float64),
        "proposer_war": proposer_war,
        "A": pay[0],
        "B": pay[1],
        "A.starts_war": starts[0],
        "B.starts_war": starts[1],
        "A.share_0": share(y0),
        "A.share_1": share(w1),
        "A.share_1_no_rearm": share(w0),
        "war_margin": margin,
        "critical_shift": crit,
    }


# -- the finite game -----------------------------------------------------------------------------
def _names(proposer: str) -> tuple[str, str]:
    ip, _ = _roles(proposer)
    return ("A", "B") if ip == 0 else ("B", "A")


def _build(
    v: dict[str, np.ndarray],
    *,
    n_offers: int,
    proposer: str,
    exact_offers: bool,
    cf: dict[str, np.ndarray] | None = None,
) -> Game:
    """The tree of :func:`tree` from broadcast parameter arrays ``v`` (see there)."""
    ip, ir = _roles(proposer)
    pn, rn = _names(proposer)
    delta, q = v["delta"], v["rearm_prob"]
    d = 1.0 - delta
    m0 = _war_values(v, v["p0"])
    powers = {"rearm": (q, _war_values(v, v["p1"])), "no_rearm": (1.0 - q, m0)}
    cont = {k: np.maximum(m[ir], 0.0) for k, (_, m) in powers.items()}
    grid = [float(g) for g in np.linspace(0.0, 1.0, n_offers)]
    labels = [f"o{j}" for j in range(n_offers)]
    if not exact_offers:
        cf = None
    else:
        if cf is None:
            cf = _closed_form(v, proposer)
        labels.append("exact")
    exact1 = {"rearm": cf["y1"] if cf else None, "no_rearm": cf["y1_no"] if cf else None}
    offers0 = grid + ([cf["y0"]] if cf else [])

    def pair(p_val: Any, r_val: Any) -> tuple[Any, Any]:
        return (p_val, r_val) if ip == 0 else (r_val, p_val)

    war0 = Terminal((m0[0], m0[1]), label=str(Outcome.WAR))
    root_actions: dict[str, Any] = {}
    for lab0, y0 in zip(labels, offers0, strict=True):
        f_p, f_r = d * (1.0 - np.asarray(y0)), d * np.asarray(y0)  # period-0 flows
        branches = {}
        for r, (prob, m) in powers.items():
            offers1 = grid + ([exact1[r]] if cf else [])
            w = cont[r]
            sub: dict[str, Any] = {}
            for lab1, y1 in zip(labels, offers1, strict=True):
                acc = Terminal(
                    pair(
                        f_p + delta * (d * (1.0 - np.asarray(y1)) + delta * (1.0 - w)),
                        f_r + delta * (d * np.asarray(y1) + delta * w),
                    ),
                    label=str(Outcome.SETTLEMENT),
                )
                fight = Terminal(
                    pair(f_p + delta * m[ip], f_r + delta * m[ir]), label=str(Outcome.WAR)
                )
                sub[lab1] = Decision(
                    rn, f"{rn}.t1.{lab0}.{r}.{lab1}", {"accept": acc, "fight": fight}
                )
            sub["attack"] = Terminal(
                pair(f_p + delta * m[ip], f_r + delta * m[ir]), label=str(Outcome.WAR)
            )
            branches[r] = (prob, Decision(pn, f"{pn}.t1.{lab0}.{r}", sub))
        root_actions[lab0] = Decision(
            rn, f"{rn}.t0.{lab0}", {"accept": Chance(branches), "fight": war0}
        )
    root_actions["attack"] = war0
    return Game(
        ("A", "B"),
        Decision(pn, f"{pn}.t0", root_actions),
        title=(
            f"shifting power: {proposer} state proposes; periods 0 and 1 explicit with "
            f"{len(labels)} offers each, stationary equilibrium values from period 2 on"
        ),
        annotations={
            "model": NAME,
            "proposer": proposer,
            "offers_t0": offers0,
            "offers_t1": {r: grid + ([exact1[r]] if cf else []) for r in powers},
            "offer_labels": tuple(labels),
            "offer_is": f"the responder's ({rn}'s) share of the period's flow",
            "tie_rule": "responders accept when indifferent; proposers list offers before attack",
        },
    )


def _check_tree_options(n_offers: Any, proposer: Any, exact_offers: Any) -> tuple[int, bool]:
    n = require_count("n_offers", n_offers, low=2)
    _roles(proposer)
    return n, require_flag("exact_offers", exact_offers)


def tree(
    params: Params, *, n_offers: int = 9, proposer: str = "declining", exact_offers: bool = True
) -> Game:
    r"""Build the game's first two periods as a finite tree (batched over parameter points).

    1. Period 0: the proposer (``"A"`` when ``proposer="declining"``, else ``"B"``) picks an offer
       or attacks (information set ``"<P>.t0"``; actions ``"o0"``, ..., ``"exact"``,
       ``"attack"``). An offer is the **responder's** share of the period's flow.
    2. The responder accepts or fights (``"<R>.t0.<offer>"``; ``("accept", "fight")``).
       Fighting, like attacking, ends the game with the war values :math:`(m_A(p_0), m_B(p_0))`.
    3. After acceptance nature draws whether B rearms (``"rearm"`` with probability ``q``, power
       :math:`p_1`; ``"no_rearm"``, power :math:`p_0`).
    4. Period 1: the proposer offers or attacks again (``"<P>.t1.<offer0>.<branch>"``), the
       responder accepts or fights (``"<R>.t1.<offer0>.<branch>.<offer1>"``); war gives the
       period-0 flows plus :math:`\delta` times the war values at the new power.
    5. From period 2 on the payoffs are those of the unique stationary equilibrium at that power
       (the responder gets :math:`w_R = \max(m_R, 0)`, the proposer :math:`1 - w_R`; module
       docstring): accepting :math:`y_1` in period 1 after :math:`y_0` in period 0 gives the
       responder :math:`(1 - \delta) y_0 + \delta (1 - \delta) y_1 + \delta^2 w_R` and the
       proposer the rest of 1.

    Payoffs are average discounted values. The offers are ``n_offers`` evenly spaced shares on
    [0, 1] and, with ``exact_offers``, the closed-form equilibrium offer of that period
    (``"exact"``), so backward induction on the tree reproduces :func:`solve` up to rounding;
    without it the tree's optimum converges to the closed form as the grid refines. The offer
    values are in ``game.annotations["offers_t0"]`` and ``["offers_t1"]`` (per branch). Terminals
    are labelled ``settlement`` (peace in periods 0 and 1) or ``war``.

    Parameters
    ----------
    params : Params
        Parameters; array fields give a batch of games with one tree shape.
    n_offers : int
        Number of evenly spaced offers, at least 2.
    proposer : {"declining", "rising"}
        Who makes the offers: A (declining) or B (rising).
    exact_offers : bool
        Whether to add the closed-form equilibrium offers to the grid.

    Returns
    -------
    model.tree.Game
        Players ``("A", "B")``; a game of perfect information with
        ``2 + k (3 + 2 (2 + 3 k))`` nodes, ``k`` the number of offers.

    Examples
    --------
    >>> from model.solvers.backward import backward_induction_solve
    >>> game = tree(Params(C_A=1.5, C_B=1.5), n_offers=5)
    >>> res = backward_induction_solve(game)
    >>> res.actions("A.t0"), [round(float(x), 6) for x in res.root_values]
    ('o0', [0.595, 0.405])
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be shifting_power.Params, got {type(params).__name__}")
    n, exact = _check_tree_options(n_offers, proposer, exact_offers)
    return _build(params.broadcast(), n_offers=n, proposer=proposer, exact_offers=exact)


def _profile(game: Game, v: dict[str, np.ndarray], cf: dict[str, np.ndarray]) -> dict[str, Any]:
    """The closed-form strategies at every information set of ``game`` (built with exact offers)."""
    proposer = game.annotations["proposer"]
    ip, ir = _roles(proposer)
    pn, rn = _names(proposer)
    delta, d = v["delta"], 1.0 - v["delta"]
    shape = v["delta"].shape
    one, zero = np.ones(shape), np.zeros(shape)
    m0 = _war_values(v, v["p0"])
    m_r = {"rearm": _war_values(v, v["p1"])[ir], "no_rearm": m0[ir]}
    w_r = {"rearm": cf["y1"], "no_rearm": cf["y1_no"]}
    labels = game.annotations["offer_labels"]
    exact = labels.index("exact")
    n = len(labels)

    def pick(i: int, attack: np.ndarray | None = None) -> np.ndarray:
        out = np.zeros((n + 1,) + shape)
        if attack is None:
            out[i] = 1.0
        else:
            out[i], out[n] = 1.0 - attack, attack
        return out

    def accept(ok: np.ndarray) -> np.ndarray:
        return np.stack([np.where(ok, one, zero), np.where(ok, zero, one)])

    prof: dict[str, Any] = {f"{pn}.t0": pick(exact, cf["proposer_war"].astype(np.float64))}
    for lab0, y0 in zip(labels, game.annotations["offers_t0"], strict=True):
        ok0 = d * np.asarray(y0) + delta * cf["ew"] >= m0[ir] - _TIE
        prof[f"{rn}.t0.{lab0}"] = accept(ok0)
        for r, offers1 in game.annotations["offers_t1"].items():
            prof[f"{pn}.t1.{lab0}.{r}"] = pick(exact)
            for lab1, y1 in zip(labels, offers1, strict=True):
                ok1 = d * np.asarray(y1) + delta * w_r[r] >= m_r[r] - _TIE
                prof[f"{rn}.t1.{lab0}.{r}.{lab1}"] = accept(ok1)
    return prof


def _certify(v: dict[str, np.ndarray], cf: dict[str, np.ndarray], proposer: str) -> np.ndarray:
    """Subgame-perfect regret of the closed-form profile on the tree, in blocks of points."""
    shape = v["delta"].shape
    flat = {k: np.ascontiguousarray(a).reshape(-1) for k, a in v.items()}
    cflat = {k: np.asarray(a).reshape(-1) for k, a in cf.items()}
    size = flat["delta"].size
    regret = np.empty(size)
    for s in range(0, size, _BLOCK):
        sl = slice(s, s + _BLOCK)
        vb = {k: a[sl] for k, a in flat.items()}
        cb = {k: a[sl] for k, a in cflat.items()}
        game = _build(vb, n_offers=CERT_OFFERS, proposer=proposer, exact_offers=True, cf=cb)
        cert = tree_certificate(game, _profile(game, vb, cb), subgame_perfect=True)
        regret[sl] = cert.max_regret
    return regret.reshape(shape)


_CHECKS = {
    "nash_regret": "no player gains by a best response in the two-period tree (period 2 on: the "
    "stationary equilibrium values)",
    "infoset_regret": "no player gains by deviating at an information set on the path",
    "subgame_regret": "no mover gains by deviating in any subgame: every offer of the grid "
    "(0, 1/2, 1) or the equilibrium offer, and attacking, in periods 0 and 1",
    "bayes": "not applicable: complete information",
}


def solve(
    params: Params,
    *,
    method: str = "closed_form",
    proposer: str = "declining",
    n_offers: int = TREE_OPTIONS["n_offers"],
) -> Solution:
    """Solve the shifting-power game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form", "backward_induction"}
        The formulas of the module docstring, or backward induction on :func:`tree`.
    proposer : {"declining", "rising"}
        Who makes the offers every period: A (declining, Powell's inequality is exact) or B.
    n_offers : int
        Grid offers of the tree for ``method="backward_induction"`` (the equilibrium offers are
        always added).

    Returns
    -------
    Solution
        A's shares in period 0 and after the shift, who starts a war, the war margin and the
        critical shift, the outcome (settlement or war), average discounted utilities and the
        subgame-perfect certificate on the tree.
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be shifting_power.Params, got {type(params).__name__}")
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    _roles(proposer)
    n_offers = require_count("n_offers", n_offers, low=2)
    v = params.broadcast()
    shape = v["delta"].shape
    cf = _closed_form(v, proposer)
    if method == "closed_form":
        regret = _certify(v, cf, proposer)
        out = cf
        method_params: dict[str, Any] = {
            "proposer": proposer,
            "equilibrium": "unique subgame-perfect equilibrium (ties: accept, keep the peace)",
            "certificate_offers": CERT_OFFERS,
        }
        certificate = Certificate(
            max_regret=regret, bayes_gap=np.zeros(shape), tolerance=TOLERANCE, checks=_CHECKS
        )
    else:
        out, certificate = _backward(v, cf, proposer, n_offers)
        method_params = {"proposer": proposer, "n_offers": n_offers}
    war = np.broadcast_to(out["war"], shape)
    planned = outcome_table({Outcome.SETTLEMENT: 1.0 - war, Outcome.WAR: war}, shape)
    utilities = {"A": out["A"], "B": out["B"]}
    names = ("A.share_0", "A.share_1", "A.share_1_no_rearm", "A.starts_war", "B.starts_war")
    return Solution(
        model=NAME,
        params=params,
        strategies={k: np.broadcast_to(out[k], shape) for k in names},
        cutpoints={k: np.broadcast_to(cf[k], shape) for k in ("war_margin", "critical_shift")},
        beliefs={},
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
    v: dict[str, np.ndarray], cf: dict[str, np.ndarray], proposer: str, n_offers: int
) -> tuple[dict[str, np.ndarray], Certificate]:
    """Solve :func:`tree` by backward induction and read the equilibrium off it."""
    from model.solvers.backward import backward_induction_solve

    ip, _ = _roles(proposer)
    pn, rn = _names(proposer)
    shape = v["delta"].shape
    game = _build(v, n_offers=n_offers, proposer=proposer, exact_offers=True, cf=cf)
    res = backward_induction_solve(game, tolerance=TOLERANCE)
    labels = game.annotations["offer_labels"]
    n = len(labels)
    root = game.nodes[0]
    # the proposer's best offer (the one it would make were it not to attack)
    own = res.values[list(root.children[:n]), ip]  # (n, *shape)
    # the last of the tied best offers: with the rising proposer in war every offer is rejected,
    # and the closed form's convention is the clipped equilibrium offer, listed last
    near = own >= own.max(axis=0) - 1e-12
    k = n - 1 - np.argmax(near[::-1], axis=0)
    offers0 = np.stack([np.broadcast_to(o, shape) for o in game.annotations["offers_t0"]])
    y0 = np.take_along_axis(offers0, k[None], 0)[0]
    attack = res.choice[f"{pn}.t0"] == n
    chosen = np.where(attack, k, res.choice[f"{pn}.t0"])
    fights = np.stack([res.choice[f"{rn}.t0.{lab}"] == 1 for lab in labels])
    responder_fights = ~attack & np.take_along_axis(fights, chosen[None], 0)[0]
    shares = {}
    for r in ("rearm", "no_rearm"):
        j = np.stack([res.choice[f"{pn}.t1.{lab}.{r}"] for lab in labels])
        j = np.take_along_axis(j, k[None], 0)[0]
        offers1 = np.stack(
            [np.broadcast_to(o, shape) for o in game.annotations["offers_t1"][r]]
            + [np.full(shape, np.nan)]  # the attack action carries no offer
        )
        shares[r] = np.take_along_axis(offers1, j[None], 0)[0]
    share = (lambda y: 1.0 - y) if ip == 0 else (lambda y: y)
    outcomes = game.outcome_probabilities(res.profile)
    starts = {pn: attack.astype(np.float64), rn: responder_fights.astype(np.float64)}
    out = {
        "war": outcomes[str(Outcome.WAR)],
        "A": res.root_values[0],
        "B": res.root_values[1],
        "A.share_0": share(y0),
        "A.share_1": share(shares["rearm"]),
        "A.share_1_no_rearm": share(shares["no_rearm"]),
        "A.starts_war": starts["A"],
        "B.starts_war": starts["B"],
    }
    return out, res.certificate
