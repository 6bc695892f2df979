r"""Crisis signalling: a threat from a challenger of private resolve, tying hands or sinking costs.

The game (the standard coercion game with one-sided private resolve, of the family of Banks
1990 and Morrow 1989; audience costs as in Fearon 1994, sunk costs as in Fearon 1997)
------------------------------------------------------------------------------------------
Nature makes the challenger *resolved* with probability :math:`\pi`, else *unresolved*; only the
challenger knows which.

1. The challenger makes no threat (status quo, payoffs :math:`(0, 0)`) or threatens; a threat
   costs :math:`m \ge 0` up front whatever follows (*sinking costs*, e.g. mobilisation).
2. The target concedes (compliance: :math:`(1 - m, -1)`) or resists.
3. After resistance the challenger fights (war: :math:`(w_\theta - m, -d)`) or backs down
   (:math:`(-a - m, 0)`; :math:`a \ge 0` is the audience cost of backing down, *tying hands*:
   paid only by a challenger that backs down).

Payoffs are in units of the stake: conceding gives the challenger 1 and the target -1. The two
signalling technologies of Fearon (1997) are :math:`a > 0, m = 0` (tying hands) and
:math:`a = 0, m > 0` (sinking costs); both may be present.

Assumptions (:meth:`Params.check`):

* :math:`w_U < -a`: the unresolved type backs down; the resolved type fights because
  :math:`w_R > 0 \ge -a`. The sunk cost is paid by then, so it changes neither choice.
* :math:`w_R > m`: the resolved type prefers war, sunk cost included, to the status quo. The
  equilibrium below does not need it (the resolved type threatens in it whatever :math:`w_R`),
  but without it a second equilibrium exists for :math:`m < 1`: nobody threatens, because the
  target would take an unexpected threat for a bluff and resist, leaving the resolved type
  :math:`w_R - m \le 0` (it survives the Intuitive Criterion, not D1). With :math:`m = 0` this is
  the bound :math:`w_R > 0`.
* :math:`a + m > 0`: with neither cost a threat is cheap talk, the target resists for sure and
  the equilibria form a continuum (any :math:`q \in [q^*, 1]`).

The target resists iff its posterior :math:`\mu = P(R \mid \text{threat})` satisfies
:math:`-\mu d \ge -1`, i.e. :math:`\mu \le 1/d`, where :math:`d > 1` (it prefers conceding to
a sure war).

Perfect Bayesian equilibrium
----------------------------
If the target resists a threat with probability :math:`r`, threatening is worth

.. math:: V_R(r) = 1 - m - r\,(1 - w_R), \qquad V_U(r) = 1 - m - r\,(1 + a),
          \qquad V_R(r) - V_U(r) = r\,(a + w_R) \ge 0,

against 0 for no threat: the resolved type gains at least as much from a threat.

* :math:`m < 1` and :math:`\pi < 1/d`, **semi-separating**: the resolved type threatens, the
  unresolved type threatens with probability :math:`q^* = \pi(d - 1)/(1 - \pi)`, which makes the
  target indifferent (:math:`\mu = 1/d`); the target resists with probability

  .. math:: r^* = \frac{1 - m}{1 + a},

  which makes the unresolved type indifferent (:math:`V_U(r^*) = 0`). The resolved type then
  strictly prefers to threaten, :math:`V_R(r^*) = (1 - m)(a + w_R)/(1 + a) > 0`. Then

  .. math:: P(\text{threat}) = \pi d,\quad P(\text{compliance}) = \frac{\pi d\,(a + m)}{1 + a},
            \quad P(\text{war}) = \frac{\pi (1 - m)}{1 + a},\quad P(\text{backdown}) =
            \frac{\pi (d - 1)(1 - m)}{1 + a},\quad P(\text{status quo}) = 1 - \pi d;

  expected payoffs :math:`(1 - m)(a + w_R)/(1 + a)` (resolved type), 0 (unresolved type),
  :math:`\pi (1 - m)(a + w_R)/(1 + a)` (challenger) and :math:`-\pi d` (target). A threat
  succeeds with probability :math:`1 - r^* = (a + m)/(1 + a)` whatever :math:`\pi` and
  :math:`d`, and :math:`P(\text{war} \mid \text{threat}) = r^*/d`: costly threats are credible.
* :math:`m < 1` and :math:`\pi \ge 1/d`, **pooling**: both types threaten and the target
  concedes; payoffs :math:`(1 - m, -1)`. (At :math:`\pi = 1/d` the target is indifferent and
  equilibria with any :math:`r \in [0, r^*]` exist; the limit from :math:`\pi > 1/d`, certain
  concession, is reported.)
* :math:`m > 1`, **no threat**: :math:`V_U(r) \le 1 - m < 0`, so the unresolved type never
  threatens; a threat by the resolved type alone would be conceded (:math:`\mu = 1 > 1/d`) and
  worth :math:`1 - m < 0` to it. Nobody threatens; the status quo is certain. Off the path the
  target believes a threatener resolved (the belief the Intuitive Criterion requires, as only
  the resolved type could gain from a threat) and concedes, which deters both types.
* :math:`m = 1` (a knife edge): every equilibrium gives both types 0. They include no threat,
  the fully separating one (the resolved type threatens, the unresolved type does not, the
  target concedes), for :math:`\pi \ge 1/d` pooling on threats, and for :math:`\pi < 1/d` a
  continuum :math:`q \in [0, q^*]`, :math:`r = 0`. The limit from :math:`m > 1`, no threat, is
  reported.

Which statements are whose. The game with :math:`m = 0` and its equilibrium are the standard
ones (Banks 1990; Morrow 1989; Fearon 1994); the parameterisation is this package's. Everything
with :math:`m > 0` is derived here from the indifference conditions above and checked against
the generic enumeration of :func:`model.solvers.pbe.pbe_solve` on :func:`tree` at grids of
points: :math:`q^*` is unchanged by :math:`m`, :math:`r^* = (1 - m)/(1 + a)` (which reduces to
:math:`1 - m` without audience costs, as THEORY.md M5 states), the resolved type threatens
whatever :math:`w_R`, for :math:`m < 1` the outcome is unique iff :math:`w_R > m` (away from
:math:`\pi = 1/d`), and threats stop at :math:`m > 1`.

*Correction*: a sunk cost does not create a separating regime here, except on the knife edge
:math:`m = 1`. Both types value the concession at 1 and differ only in their war payoffs, which
a cost paid up front does not touch, so a sunk cost large enough to stop the unresolved type's
bluffs (:math:`m \ge 1`) stops the resolved type's threats too. Nor does Fearon's (1997) result
that signallers "never bluff" carry over to this binary game with an exogenous cost: below
:math:`m = 1` the unresolved type bluffs with probability :math:`q^*` under either technology
(Fearon's signaller, as his title says, holds private information about how much it values the
interest at stake and chooses how large a signal to send; here the size is a parameter).

Tying hands versus sinking costs (Fearon 1997)
----------------------------------------------
A signal of size :math:`s` used as an audience cost (:math:`a = s, m = 0`) or as a sunk cost
(:math:`a = 0, m = s`), :math:`0 < s < 1`, :math:`\pi < 1/d`:

.. math:: P(\text{war}):\ \frac{\pi}{1 + s} > \pi (1 - s), \qquad
          V_R:\ \frac{s + w_R}{1 + s} - (1 - s)\, w_R = \frac{s\,(1 + s\,w_R)}{1 + s} > 0,

with the same threat probability :math:`\pi d`, the unresolved type's payoff 0 and the target's
:math:`-\pi d` under both. So tying hands carries the higher ex ante risk of war and still gives
the challenger more on average (through its resolved type), as Fearon (1997) states; sinking
costs give the higher success rate given a threat (:math:`s` against :math:`s/(1 + s)`). For
:math:`\pi \ge 1/d` war is 0 under both and the challenger gets 1 against :math:`1 - s`; for
:math:`s > 1` sunk costs stop all threats. :func:`signal_mix` evaluates a signal of a given size
split between the two technologies.

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

Array convention
----------------
Every field of :class:`Params` may be an array; fields broadcast by numpy's rules, and every
strategy, belief, outcome probability and utility of the :class:`~model.types.Solution` has the
broadcast shape (float64). Utilities are reported per player (``challenger``, ``target``) and per
challenger type (``challenger.resolved``, ``challenger.unresolved``).

References
----------
.. [1] Banks, J. S. (1990). Equilibrium behavior in crisis bargaining games. *American Journal of
   Political Science* 34(3): 599-614.
.. [2] Morrow, J. D. (1989). Capabilities, uncertainty, and resolve: a limited information model
   of crisis bargaining. *American Journal of Political Science* 33(4): 941-972.
.. [3] Fearon, J. D. (1994). Domestic political audiences and the escalation of international
   disputes. *American Political Science Review* 88(3): 577-592.
.. [4] Fearon, J. D. (1997). Signaling foreign policy interests: tying hands versus sinking
   costs. *Journal of Conflict Resolution* 41(1): 68-90 (the two technologies; leaders do better
   on average by tying hands, which carries a higher ex ante risk of war).

Examples
--------
>>> s = solve(Params(pi=0.3, d=2.0, a=1.0))
>>> {str(k): round(float(v), 4) for k, v in s.planned.items() if v}
{'status_quo': 0.4, 'compliance': 0.3, 'backdown': 0.15, 'war': 0.15}
>>> round(float(s.strategies["unresolved.threaten"]), 6), float(s.strategies["target.resist"])
(0.428571, 0.5)

A sunk cost instead of an audience cost: the same bluffing, resistance :math:`1 - m`.

>>> s = solve(Params(pi=0.3, d=2.0, a=0.0, m=0.5))
>>> round(float(s.strategies["unresolved.threaten"]), 6), float(s.strategies["target.resist"])
(0.428571, 0.5)
>>> round(float(s.utilities_planned["challenger.resolved"]), 6)
0.5
>>> regime(Params(pi=[0.3, 0.6, 0.3], m=[0.5, 0.5, 1.5], w_resolved=2.0)).tolist()
['semi-separating', 'pooling', 'no threat']
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
from model.types import Certificate, Outcome, Solution, outcome_table

__all__ = ["METHODS", "Params", "regime", "signal_mix", "solve", "tree"]

NAME = "crisis_signalling"
TOLERANCE = 1e-9
METHODS = ("closed_form", "pbe")
#: The selection rule the ``pbe`` method and the contract tests use unless told otherwise.
SELECTION = "challenger_preferred"
# the tree is the game itself (no discretisation): generic and closed-form answers agree exactly
TREE_OPTIONS: dict[str, Any] = {}
TREE_TOLERANCE = 1e-7
#: Labels of :func:`regime`.
REGIMES = ("semi-separating", "pooling", "no threat")


def _first_bad(bad: np.ndarray, *values: Any) -> list[float]:
    """The values of the first point where ``bad`` holds (all broadcast to its shape)."""
    shape = np.broadcast_shapes(bad.shape, *(np.shape(v) for v in values))
    i = np.flatnonzero(np.broadcast_to(bad, shape))[0]
    return [float(np.broadcast_to(v, shape).flat[i]) for v in values]


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
    a: float = param(
        1.0, (0.0, 10.0), "challenger's audience cost of backing down (tying hands; a + m > 0)"
    )
    w_resolved: float = param(
        1.0, (0.0, 10.0), "war payoff of the resolved challenger", open_low=True
    )
    w_unresolved: float = param(-2.0, (-20.0, 0.0), "war payoff of the unresolved challenger")
    m: float = param(
        0.0,
        (0.0, 10.0),
        "challenger's sunk cost of threatening, paid up front by either type (sinking costs; "
        "w_resolved > m)",
    )

    def check(self) -> None:
        """Require ``w_unresolved < -a``, ``w_resolved > m`` and ``a + m > 0`` (see the module)."""
        a, w_u, m = np.asarray(self.a), np.asarray(self.w_unresolved), np.asarray(self.m)
        bad = ~(w_u < -a)
        if np.any(bad):
            w_i, a_i = _first_bad(bad, w_u, a)
            raise ValueError(
                f"w_unresolved = {w_i:g} and a = {a_i:g}: the unresolved challenger must "
                "prefer backing down to war, w_unresolved < -a"
            )
        w_r = np.asarray(self.w_resolved)
        bad = ~(w_r > m)
        if np.any(bad):
            w_i, m_i = _first_bad(bad, w_r, m)
            raise ValueError(
                f"w_resolved = {w_i:g} and m = {m_i:g}: the resolved challenger must prefer war, "
                "sunk cost included, to the status quo, w_resolved > m (otherwise nobody "
                "threatening is a second equilibrium, sustained by the target taking a threat for "
                "a bluff)"
            )
        bad = ~(a + m > 0.0)
        if np.any(bad):
            a_i, m_i = _first_bad(bad, a, m)
            raise ValueError(
                f"a = {a_i:g} and m = {m_i:g}: a threat must carry an audience cost or a sunk "
                "cost, a + m > 0 (without either it is cheap talk and the equilibria form a "
                "continuum)"
            )


def tree(params: Params) -> Game:
    """Build the game as a finite tree (batched over parameter points).

    It is :func:`model.catalog.crisis_signalling` at these parameters (the sunk cost ``m``
    subtracted from the challenger's payoff at every terminal after a threat): information sets
    ``C.resolved``, ``C.unresolved`` (``no_threat``, ``threaten``), ``T.threat`` (``concede``,
    ``resist``), ``C.resolved.resisted``, ``C.unresolved.resisted`` (``back_down``, ``fight``);
    terminals labelled by outcome class.
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be crisis_signalling.Params, got {type(params).__name__}")
    v = params.broadcast()
    return catalog.crisis_signalling(
        pi=v["pi"],
        d=v["d"],
        a=v["a"],
        w_resolved=v["w_resolved"],
        w_unresolved=v["w_unresolved"],
        m=v["m"],
    )


def regime(params: Params) -> np.ndarray:
    """The equilibrium regime the closed form reports at every point (module docstring).

    Returns
    -------
    ndarray of str
        ``"semi-separating"`` (:math:`m < 1`, :math:`\\pi < 1/d`), ``"pooling"`` (:math:`m < 1`,
        :math:`\\pi \\ge 1/d`) or ``"no threat"`` (:math:`m \\ge 1`), with the broadcast shape of
        the parameters.
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be crisis_signalling.Params, got {type(params).__name__}")
    v = params.broadcast()
    threat = v["m"] < 1.0
    code = np.where(threat, np.where(v["pi"] < 1.0 / v["d"], 0, 1), 2)
    return np.asarray(REGIMES)[code]


def _closed_form(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    pi, d, a, m, w_r = v["pi"], v["d"], v["a"], v["m"], v["w_resolved"]
    threatens = m < 1.0  # the resolved type threatens (and the unresolved type at least mixes)
    semi = threatens & (pi < 1.0 / d)
    q_r = np.where(threatens, 1.0, 0.0)
    q = np.where(semi, pi * (d - 1.0) / np.where(semi, 1.0 - pi, 1.0), q_r)
    r = np.where(semi, (1.0 - m) / (1.0 + a), 0.0)
    threat = pi * q_r + (1.0 - pi) * q
    # off the path (no threat) the target believes a threatener resolved and concedes
    mu = np.where(threat > 0.0, pi * q_r / np.where(threat > 0.0, threat, 1.0), 1.0)
    resolved = q_r * (1.0 - m - r * (1.0 - w_r))
    unresolved = q * (1.0 - m - r * (1.0 + a))
    return {
        "q_r": q_r,
        "q": q,
        "r": r,
        "mu": mu,
        Outcome.STATUS_QUO: 1.0 - threat,
        Outcome.COMPLIANCE: threat * (1.0 - r),
        Outcome.WAR: pi * q_r * r,
        Outcome.BACKDOWN: (1.0 - pi) * q * r,
        "challenger": pi * resolved + (1.0 - pi) * unresolved,
        "target": -threat * (1.0 - r) - pi * q_r * r * d,
        "challenger.resolved": resolved,
        "challenger.unresolved": unresolved,
    }


def _profile(q_r: np.ndarray, q: np.ndarray, r: np.ndarray) -> dict[str, np.ndarray]:
    one, zero = np.ones_like(q), np.zeros_like(q)
    return {
        "C.resolved": np.stack([1.0 - q_r, q_r]),
        "C.unresolved": np.stack([1.0 - q, q]),
        "T.threat": np.stack([1.0 - r, r]),
        "C.resolved.resisted": np.stack([zero, one]),
        "C.unresolved.resisted": np.stack([one, zero]),
    }


_UTILITIES = ("challenger", "target", "challenger.resolved", "challenger.unresolved")


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
        equilibrium (on the knife edges ``pi = 1/d`` and ``m = 1`` the limit from above).

    Returns
    -------
    Solution
        Threat and resistance probabilities, the target's posterior, outcome probabilities,
        expected utilities (per player and per challenger type) and the assessment certificate
        on the tree.
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
        profile = _profile(o["q_r"], o["q"], o["r"])
        beliefs = {"T.threat": np.stack([o["mu"], 1.0 - o["mu"]])}
        certificate = assessment_certificate(game, profile, beliefs, tolerance=TOLERANCE)
        method_params: dict[str, Any] = {
            "equilibrium": "challenger-preferred (unique outcome unless pi = 1/d or m = 1; "
            "there, the limit from pi > 1/d or m > 1)"
        }
        converged = np.ones(shape, dtype=bool)
        q_r, q, r, mu = o["q_r"], o["q"], o["r"], o["mu"]
        outcomes: dict[Outcome | str, Any] = {k: o[k] for k in Outcome if k in o}
        utilities = {k: o[k] for k in _UTILITIES}
    else:
        q_r, q, r, mu, outcomes, utilities, certificate, converged = _pbe(game, selection, shape)
        method_params = {"selection": selection}
    planned = outcome_table(outcomes, shape)
    utilities = {
        k: np.broadcast_to(np.asarray(u, dtype=np.float64), shape) for k, u in utilities.items()
    }
    return Solution(
        model=NAME,
        params=params,
        strategies={
            "resolved.threaten": np.broadcast_to(q_r, shape),
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


def signal_mix(
    params: Params,
    size: Any,
    sunk_share: Any,
    *,
    method: str = "closed_form",
    selection: str = SELECTION,
) -> dict[str, np.ndarray]:
    r"""Solve with a signal of total ``size`` split between tying hands and sinking costs.

    The audience cost and the sunk cost of ``params`` are replaced by
    :math:`a = (1 - \lambda)\,s` and :math:`m = \lambda s` (:math:`s` = ``size``,
    :math:`\lambda` = ``sunk_share``); every other parameter is kept. ``sunk_share = 0`` is
    Fearon's (1997) tying hands, ``1`` his sinking costs: the comparison of the module docstring.

    Parameters
    ----------
    params : Params
        The target, the prior and the war payoffs (its ``a`` and ``m`` are not used).
    size : float or array, > 0
        Total cost of the signal, in units of the stake.
    sunk_share : float or array, in [0, 1]
        Share of the signal paid up front.
    method, selection : str
        As for :func:`solve`.

    Returns
    -------
    dict of str to ndarray
        The columns of :meth:`Solution.columns <model.types.Solution.columns>` plus
        ``audience_cost`` and ``sunk_cost`` (the :math:`a` and :math:`m` used), ``threat``
        (probability of a threat), ``success_rate`` (probability that a threat is conceded,
        NaN where nobody threatens) and ``war_given_threat`` (NaN likewise); one value per point
        of the broadcast shape of ``params``, ``size`` and ``sunk_share``, flattened.

    Raises
    ------
    ValueError
        If ``size`` is not positive, ``sunk_share`` is outside [0, 1], or the audience cost
        breaks ``w_unresolved < -a``.

    Examples
    --------
    >>> out = signal_mix(Params(pi=0.2, d=3.0, w_unresolved=-5.0), 0.5, [0.0, 1.0])
    >>> [round(float(x), 4) for x in out["planned_war"]]
    [0.1333, 0.1]
    >>> [round(float(x), 4) for x in out["eu_planned_challenger"]]
    [0.2, 0.1]
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be crisis_signalling.Params, got {type(params).__name__}")
    s = np.asarray(size, dtype=np.float64)
    lam = np.asarray(sunk_share, dtype=np.float64)
    if np.any(~np.isfinite(s) | (s <= 0.0)):
        raise ValueError(f"size = {size!r} is out of range: a signal's size must be > 0")
    if np.any(~np.isfinite(lam) | (lam < 0.0) | (lam > 1.0)):
        raise ValueError(f"sunk_share = {sunk_share!r} is out of range: it must lie in [0, 1]")
    values: dict[str, Any] = {k: v for k, v in params.broadcast().items() if k not in ("a", "m")}
    values["a"], values["m"] = (1.0 - lam) * s, lam * s
    shape = np.broadcast_shapes(*(np.shape(x) for x in values.values()))
    fields: dict[str, Any] = {k: np.broadcast_to(x, shape) for k, x in values.items()}
    mixed = Params(**fields)
    sol = solve(mixed, method=method, selection=selection)
    out = sol.columns()
    threat = 1.0 - out["planned_status_quo"]
    some = threat > 1e-12
    safe = np.where(some, threat, 1.0)
    out["audience_cost"] = np.broadcast_to(values["a"], shape).reshape(-1)
    out["sunk_cost"] = np.broadcast_to(values["m"], shape).reshape(-1)
    out["threat"] = threat
    out["success_rate"] = np.where(some, out["planned_compliance"] / safe, np.nan)
    out["war_given_threat"] = np.where(some, out["planned_war"] / safe, np.nan)
    return out


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
    q_r = take([e.profile["C.resolved"][1] for e in eqs])
    q = take([e.profile["C.unresolved"][1] for e in eqs])
    r = take([e.profile["T.threat"][1] for e in eqs])
    mu = take([e.beliefs["T.threat"][0] for e in eqs])
    outcomes = {o: take([e.outcome_probabilities[str(o)] for e in eqs]) for o in Outcome}
    utilities = {
        p: take([np.asarray(e.payoffs)[k] for e in eqs]) for k, p in enumerate(game.players)
    }
    for k, t in enumerate(res.structure.types):
        utilities[f"challenger.{t}"] = take([np.asarray(e.type_payoffs)[k] for e in eqs])
    max_regret = take([e.certificate.max_regret for e in eqs])
    bayes_gap = take([e.certificate.bayes_gap for e in eqs])
    first = eqs[0].certificate
    certificate = Certificate(
        max_regret=max_regret, bayes_gap=bayes_gap, tolerance=first.tolerance, checks=first.checks
    )
    return q_r, q, r, mu, outcomes, utilities, certificate, np.asarray(res.converged)
