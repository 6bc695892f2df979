r"""Two-type screening: a take-it-or-leave-it demand against a strong or a weak target.

The game (the two-type building block of the screening models of war; Fearon 1995, Powell 1999
ch. 3 and 2004)
-----------------------------------------------------------------------------------------------
The issue is :math:`[0, 1]` and :math:`x` is the challenger's (A's) share. Nature makes the
target (B) *strong* with probability :math:`\sigma`, else *weak*; only B knows which. A wins a
war with probability :math:`p_s` against the strong type and :math:`p_w > p_s` against the weak
one; war costs A :math:`c_A > 0` and B :math:`c_B > 0` (lump sums, in units of the issue).

1. A, not knowing the type, demands :math:`x \in [0, 1]`.
2. B accepts, payoffs :math:`(x, 1 - x)`, or fights, payoffs
   :math:`(p_\theta - c_A,\; 1 - p_\theta - c_B)` for type :math:`\theta \in \{s, w\}`.

Accepting is optimal iff :math:`1 - x \ge 1 - p_\theta - c_B`, i.e. iff
:math:`x \le p_\theta + c_B`; an indifferent type accepts (if it fought, A's best demand would
not exist). Write :math:`\bar x_\theta = \min(1, p_\theta + c_B)` for the most type
:math:`\theta` concedes, so :math:`\bar x_s \le \bar x_w`.

Equilibrium (derived here; the two-type case of the screening logic in the references)
---------------------------------------------------------------------------------------
A's expected payoff :math:`EU_A(x)` rises in :math:`x` on :math:`[0, \bar x_s]` (both types
accept: :math:`x`), rises on :math:`(\bar x_s, \bar x_w]` (only the weak type accepts:
:math:`(1 - \sigma) x + \sigma (p_s - c_A)`) and is flat beyond :math:`\bar x_w` (both fight:
:math:`\sigma (p_s - c_A) + (1 - \sigma)(p_w - c_A)`, less than the previous piece at
:math:`\bar x_w` because :math:`\bar x_w > p_w - c_A`). So A's best demand is one of two:

* **pooling**, :math:`x = \bar x_s`: both types accept, :math:`EU_A = \bar x_s`;
* **screening**, :math:`x = \bar x_w`: the weak type accepts and the strong type fights,
  :math:`EU_A = (1 - \sigma)\bar x_w + \sigma (p_s - c_A)`.

With :math:`\Delta = \bar x_w - \bar x_s` (what screening gains from the weak type) and
:math:`L = \bar x_s - (p_s - c_A)` (what it loses on the strong type), A screens iff
:math:`(1 - \sigma)\Delta > \sigma L`, i.e.

.. math:: \sigma < \sigma^* = \frac{\Delta}{\Delta + L}
          = \frac{p_w - p_s}{p_w - p_s + c_A + c_B} \quad (p_w + c_B \le 1).

The second form is THEORY.md M10 (confirmed here by the derivation above and by brute force:
the tests maximise :math:`EU_A` over fine grids of demands and scan :math:`\sigma`). When
:math:`p_w + c_B > 1` the weak type concedes everything and the screening demand is 1; when
:math:`p_s + c_B \ge 1` both types concede everything, :math:`\sigma^* = 0` and A pools on
:math:`x = 1`. Outcomes:

.. math:: P(\text{war}) = \sigma\,\mathbf 1[\sigma < \sigma^*], \qquad
          EU_A = \max\{\bar x_s,\ (1 - \sigma)\bar x_w + \sigma(p_s - c_A)\},

:math:`EU_B = 1 - \bar x_s` when pooling and :math:`(1 - \sigma)(1 - \bar x_w) + \sigma(1 - p_s
- c_B)` when screening. Screening is war with probability :math:`\sigma`: the strong type,
the one with the better war payoff, fights. :math:`\sigma^*` falls in :math:`c_A + c_B`
(costly war makes the gamble less attractive) and rises in :math:`p_w - p_s`. The strong type
gets a weakly higher payoff and a weakly higher war probability than the weak type (equal when
pooling), as Banks (1990) shows for any crisis bargaining game with one-sided private
information about war payoffs; the tests check it type by type.

**Outcome classes.** As in :mod:`model.games.risk_return` (also a take-it-or-leave-it demand),
an accepted demand is ``compliance`` (the target meets the demand in full, whichever type it is
and whether A pools or screens) and a fight is ``war``. No other class occurs: there is no
status quo (A always demands), no partial deal reached by bargaining (``settlement``) and no
back-down.

**Ties.** At :math:`\sigma = \sigma^*` A is indifferent between the two demands; the closed form
then reports **pooling** (the lower demand, peace), so A screens iff screening pays *strictly*
more. This is what the generic solvers pick under the ``challenger_preferred`` rule too: the
tree lists the demands in increasing order and ties between equilibria go to the first. Away
from the tie the equilibrium outcome is unique (B's strategy is dominant at every demand).

Battles before the demand (after Slantchev 2003)
------------------------------------------------
Optionally the demand comes after A has won ``n_battles`` battles against the target, A winning
each with probability :math:`q_s` against the strong type and :math:`q_w \ge q_s` against the
weak one, independently. The battles are a history, not a choice: they only inform A (their
costs are sunk, the war lottery :math:`p_\theta` is unchanged, and histories with a lost battle
are not modelled). After each won battle Bayes' rule gives
:math:`\sigma' = \sigma q_s / (\sigma q_s + (1 - \sigma) q_w)`, so after :math:`n`

.. math:: \sigma_n = \frac{\sigma q_s^n}{\sigma q_s^n + (1 - \sigma) q_w^n},

and the game above is played with prior :math:`\sigma_n` (every formula with
:math:`\sigma \to \sigma_n`); outcome probabilities and utilities are conditional on that
history. Victories make A think the target weaker, so after enough of them A screens.
With ``n_battles = 0`` (the default) :math:`\sigma_n = \sigma`.

Solution methods
----------------
``closed_form`` evaluates the formulas above. ``pbe`` builds :func:`tree` (batched over all
parameter points) and enumerates its perfect Bayesian equilibria with
:func:`model.solvers.pbe.pbe_solve` (a screening game: A's demand maximises its expected payoff
given the types' backward-induction responses), then picks one per point by a selection rule
(:mod:`model.solvers.selection`). Because the tree's demands include :math:`\bar x_s` and
:math:`\bar x_w`, the two agree exactly. Both certify their profile on the tree with
:func:`model.checks.assessment_certificate` (no profitable deviation to any demand of the tree
or by any type, A's belief equal to the prior), so the closed form is checked by code that
shares nothing with it.

Array convention
----------------
Every parameter may be an array; all broadcast to the solution's ``shape``. In the tree,
demands are ``annotations["demands"]`` of shape ``(n_demands, *shape)``, sorted along axis 0.

References
----------
.. [1] Fearon, J. D. (1995). Rationalist explanations for war. *International Organization*
   49(3): 379-414 (private information about the costs and chances of war, and the risk-return
   trade-off of a demand).
.. [2] Powell, R. (1999). *In the Shadow of Power: States and Strategies in International
   Politics*. Princeton University Press, ch. 3 (bargaining under asymmetric information).
.. [3] Powell, R. (2004). Bargaining and learning while fighting. *American Journal of
   Political Science* 48(2): 344-361 (the uninformed side screens the informed one).
.. [4] Slantchev, B. L. (2003). The principle of convergence in wartime negotiations.
   *American Political Science Review* 97(4): 621-632 (battles reveal information).
.. [5] Banks, J. S. (1990). Equilibrium behavior in crisis bargaining games. *American Journal
   of Political Science* 34(3): 599-614 (monotonicity in the informed side's war payoff).

The two-type closed form, the capped demands, the battle posterior and the tie rule are derived
here (THEORY.md M10 states the uncapped threshold and the one-battle update); the papers study
richer games (continuous types, offers over time) in their own notation.

Examples
--------
>>> s = solve(Params(sigma=0.2, p_s=0.3, p_w=0.6, c_A=0.1, c_B=0.1))
>>> round(float(s.cutpoints["sigma_star"]), 12), round(float(s.strategies["challenger.demand"]), 12)
(0.6, 0.7)
>>> round(float(s.planned["war"]), 12), round(float(s.utilities_planned["challenger"]), 12)
(0.2, 0.6)
>>> float(solve(Params(sigma=0.7, p_s=0.3, p_w=0.6, c_A=0.1, c_B=0.1)).planned["war"])
0.0
>>> s = solve(Params(sigma=0.8, n_battles=2, q_s=0.25, q_w=0.5))  # two victories: sigma_n = 1/2
>>> round(float(s.beliefs["challenger"]), 12), float(s.strategies["challenger.screens"])
(0.5, 1.0)
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

__all__ = ["METHODS", "Params", "posterior_after_battles", "solve", "tree"]

NAME = "screening"
TOLERANCE = 1e-9
METHODS = ("closed_form", "pbe")
#: The selection rule the ``pbe`` method and the contract tests use unless told otherwise.
SELECTION = "challenger_preferred"
#: Evenly spaced demands on [0, 1] in the tree, besides the two critical demands.
N_OFFERS = 9
# The tree holds both candidate demands, so the generic solver's answer is the closed form's up
# to rounding: no discretisation error.
TREE_OPTIONS: dict[str, Any] = {"n_offers": 6}
TREE_TOLERANCE = 1e-9
_TIE = 1e-12  # |accept - fight| below this (rounding of p + c_B) is an exact tie: accept
_BLOCK = 1 << 13  # parameter points per block of the certificate (bounded memory)
TYPES = ("strong", "weak")


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the two-type screening game; each may be an array (broadcast).

    ``q_s`` and ``q_w`` matter only when ``n_battles > 0``.
    """

    sigma: float = param(
        0.2,
        (0.0, 1.0),
        "prior probability that the target is strong",
        open_low=True,
        open_high=True,
    )
    p_s: float = param(0.3, (0.0, 1.0), "challenger's probability of beating a strong target")
    p_w: float = param(0.6, (0.0, 1.0), "challenger's probability of beating a weak target")
    c_A: float = param(0.1, (0.0, 1.0), "challenger's cost of war", open_low=True)
    c_B: float = param(0.1, (0.0, 1.0), "target's cost of war (either type)", open_low=True)
    n_battles: int = param(
        0, (0.0, 10.0), "battles the challenger has won before it demands", integer=True
    )
    q_s: float = param(0.4, (0.01, 0.99), "challenger's chance of winning a battle, strong target")
    q_w: float = param(0.6, (0.01, 0.99), "challenger's chance of winning a battle, weak target")

    def check(self) -> None:
        """Require ``p_s < p_w`` (the strong type fights better) and ``q_s <= q_w``."""
        rules = (
            ("p_s", "p_w", np.less, "<", "A must win a war against the strong target less often"),
            (
                "q_s",
                "q_w",
                np.less_equal,
                "<=",
                "A must win battles against the strong target no more often",
            ),
        )
        for lo, hi, ok, rel, why in rules:
            a, b = np.asarray(getattr(self, lo)), np.asarray(getattr(self, hi))
            bad = ~ok(a, b)
            if np.any(bad):
                shape = np.broadcast_shapes(a.shape, b.shape)
                i = np.flatnonzero(np.broadcast_to(bad, shape))[0]
                raise ValueError(
                    f"{lo} = {np.broadcast_to(a, shape).flat[i]:g} and {hi} = "
                    f"{np.broadcast_to(b, shape).flat[i]:g}: {why} than against the weak one, "
                    f"{lo} {rel} {hi}"
                )


def posterior_after_battles(sigma: Any, q_s: Any, q_w: Any, n_battles: Any) -> np.ndarray:
    r"""Return the probability that the target is strong after the challenger won ``n`` battles.

    :math:`\sigma_n = \sigma q_s^n / (\sigma q_s^n + (1 - \sigma) q_w^n)`, Bayes' rule applied
    once per won battle; exactly ``sigma`` where ``n_battles == 0``. Arguments broadcast.

    Examples
    --------
    >>> round(float(posterior_after_battles(0.8, 0.25, 0.5, 2)), 12)
    0.5
    """
    sigma, q_s, q_w, n = (np.asarray(a, dtype=np.float64) for a in (sigma, q_s, q_w, n_battles))
    r = (q_s / q_w) ** n
    return np.where(n == 0, sigma, sigma * r / (sigma * r + (1.0 - sigma)))


def _closed_form(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    s = posterior_after_battles(v["sigma"], v["q_s"], v["q_w"], v["n_battles"])
    p_s, c_A, c_B = v["p_s"], v["c_A"], v["c_B"]
    x_s = np.minimum(1.0, p_s + c_B)
    x_w = np.minimum(1.0, v["p_w"] + c_B)
    war_a = p_s - c_A  # A's payoff from fighting the strong type
    eu_pool = x_s
    eu_screen = (1.0 - s) * x_w + s * war_a
    screen = eu_screen > eu_pool  # ties: pool
    gain, loss = x_w - x_s, x_s - war_a
    strong_b = np.where(screen, 1.0 - p_s - c_B, 1.0 - x_s)
    weak_b = np.where(screen, 1.0 - x_w, 1.0 - x_s)
    war = np.where(screen, s, 0.0)
    return {
        "sigma_n": s,
        "x_s": x_s,
        "x_w": x_w,
        "sigma_star": gain / (gain + loss),
        "screen": screen,
        "demand": np.where(screen, x_w, x_s),
        Outcome.COMPLIANCE: 1.0 - war,
        Outcome.WAR: war,
        "challenger": np.maximum(eu_pool, eu_screen),
        "target": s * strong_b + (1.0 - s) * weak_b,
        "target.strong": strong_b,
        "target.weak": weak_b,
    }


def _game(v: dict[str, np.ndarray], n_offers: int) -> Game:
    """The tree at broadcast parameter arrays ``v`` (all of one shape)."""
    s = posterior_after_battles(v["sigma"], v["q_s"], v["q_w"], v["n_battles"])
    p = {"strong": v["p_s"], "weak": v["p_w"]}
    c_A, c_B = v["c_A"], v["c_B"]
    shape = s.shape
    grid = np.broadcast_to(
        np.linspace(0.0, 1.0, n_offers).reshape((-1,) + (1,) * len(shape)), (n_offers, *shape)
    )
    crit = np.stack([np.minimum(1.0, p[t] + c_B) for t in TYPES])
    demands = np.sort(np.concatenate([grid, crit]), axis=0)
    branches = {}
    for t, prob in zip(TYPES, (s, 1.0 - s), strict=True):
        fight = (p[t] - c_A, 1.0 - p[t] - c_B)
        offers = {}
        for j, x in enumerate(demands):
            accept_b = 1.0 - x
            fight_b = np.where(np.abs(fight[1] - accept_b) <= _TIE, accept_b, fight[1])
            offers[f"d{j}"] = Decision(
                "target",
                f"target.{t}.d{j}",
                {
                    "accept": Terminal((x, accept_b), label=str(Outcome.COMPLIANCE)),
                    "fight": Terminal((fight[0], fight_b), label=str(Outcome.WAR)),
                },
            )
        branches[t] = (prob, Decision("challenger", "challenger", offers))
    return Game(
        ("challenger", "target"),
        Chance(branches),
        title=f"two-type screening: {len(demands)} demands",
        annotations={
            "model": NAME,
            "demands": demands,
            "prior_strong": s,
            "tie_rule": "the target accepts when indifferent (first action 'accept')",
        },
    )


def tree(params: Params, *, n_offers: int = N_OFFERS) -> Game:
    r"""Build the screening game as a finite tree (batched over parameter points).

    1. Nature draws the target's type, ``"strong"`` with probability :math:`\sigma_n` (the
       prior after ``n_battles`` won battles; :math:`\sigma` without battles) or ``"weak"``;
    2. the challenger, not knowing it (one information set ``"challenger"`` holding both type
       nodes), picks a demand ``"d0"``, ``"d1"``, ...;
    3. the target accepts, :math:`(x, 1 - x)`, terminal label ``compliance``, or fights,
       :math:`(p_\theta - c_A, 1 - p_\theta - c_B)`, label ``war`` (information sets
       ``"target.<type>.d<j>"``, actions ``("accept", "fight")``).

    The demands are ``n_offers`` evenly spaced values on :math:`[0, 1]` together with the two
    critical demands :math:`\min(1, p_s + c_B)` and :math:`\min(1, p_w + c_B)`, sorted
    increasingly at every point (``annotations["demands"]``, ``(n_offers + 2, *shape)``); so
    the tree contains the closed form's demand and a generic solver reproduces it exactly.
    Accept is the first action, and payoff differences below ``1e-12`` between accepting and
    fighting (rounding of :math:`p_\theta + c_B`) are made exact ties, so an indifferent target
    accepts, as in the model.

    Parameters
    ----------
    params : Params
        Parameters; array fields give a batch of games with one tree shape.
    n_offers : int
        Number of evenly spaced demands besides the two critical ones, at least 0.

    Returns
    -------
    model.tree.Game
        Players ``("challenger", "target")``; ``3 + 6 (n_offers + 2)`` nodes.

    Examples
    --------
    >>> from model.solvers.pbe import pbe_solve
    >>> game = tree(Params(sigma=0.2, p_s=0.3, p_w=0.6, c_A=0.1, c_B=0.1), n_offers=3)
    >>> [round(float(x), 2) for x in game.annotations["demands"]]
    [0.0, 0.4, 0.5, 0.7, 1.0]
    >>> (eq,) = pbe_solve(game).equilibria
    >>> eq.offer, round(float(eq.payoffs[0]), 12), round(float(eq.outcome_probabilities["war"]), 12)
    ('d3', 0.6, 0.2)
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be screening.Params, got {type(params).__name__}")
    n_offers = require_count("n_offers", n_offers, low=0)
    return _game(params.broadcast(), n_offers)


def _certify(
    v: dict[str, np.ndarray], demand: np.ndarray, n_offers: int, shape: tuple[int, ...]
) -> Certificate:
    """Assessment certificate of the closed-form profile on the tree, in blocks of points.

    The challenger plays the first tree demand equal to ``demand``; each type accepts a demand
    iff it is at most :math:`p_\\theta + c_B` (up to the tree's tie tolerance); the
    challenger's belief is the prior.
    """
    n = int(np.prod(shape, dtype=np.int64))
    flat = {k: np.ascontiguousarray(a).reshape(-1) for k, a in v.items()}
    d_flat = np.ascontiguousarray(np.broadcast_to(demand, shape)).reshape(-1)
    regret, gap = np.empty(n), np.empty(n)
    checks: dict[str, str] = {}
    for start in range(0, n, _BLOCK):
        sl = slice(start, start + _BLOCK)
        vb = {k: a[sl] for k, a in flat.items()}
        game = _game(vb, n_offers)
        demands = game.annotations["demands"]  # (O, m)
        hit = demands == d_flat[sl]
        first = np.argmax(hit, axis=0)
        profile = {"challenger": (np.arange(len(demands))[:, None] == first).astype(float)}
        for t, p in (("strong", vb["p_s"]), ("weak", vb["p_w"])):
            accept = demands <= p + vb["c_B"] + _TIE
            for j in range(len(demands)):
                profile[f"target.{t}.d{j}"] = np.stack([accept[j], ~accept[j]]).astype(float)
        s = game.annotations["prior_strong"]
        cert = assessment_certificate(
            game, profile, {"challenger": np.stack([s, 1.0 - s])}, tolerance=TOLERANCE
        )
        # a demand missing from the tree would be an error of this module, not of the profile
        regret[sl] = np.where(hit.any(axis=0), cert.max_regret, np.inf)
        gap[sl] = cert.bayes_gap
        checks = dict(cert.checks)
    checks["demands"] = (
        f"deviations to {n_offers} evenly spaced demands on [0, 1] and to both critical demands"
    )
    return Certificate(
        max_regret=regret.reshape(shape),
        bayes_gap=gap.reshape(shape),
        tolerance=TOLERANCE,
        checks=checks,
    )


def solve(
    params: Params,
    *,
    method: str = "closed_form",
    selection: str = SELECTION,
    n_offers: int = N_OFFERS,
) -> Solution:
    """Solve the two-type screening game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form", "pbe"}
        The formulas of the module docstring, or every perfect Bayesian equilibrium of
        :func:`tree` followed by a selection rule.
    selection : str
        For ``method="pbe"``: the rule that picks one equilibrium per point (a key of
        :data:`model.solvers.selection.RULES`). Equilibria differ only at the tie
        ``sigma_n = sigma*``, where ``challenger_preferred`` picks pooling like the closed form.
    n_offers : int
        Evenly spaced demands of the tree (besides the two critical ones) on which the profile
        is certified, and which ``pbe`` searches.

    Returns
    -------
    Solution
        Strategies ``challenger.demand`` and ``challenger.screens`` (1 screening, 0 pooling);
        cutpoints ``sigma_star`` (A screens iff the prior of a strong target is below it) and
        ``strong.accepts_up_to``/``weak.accepts_up_to`` (the largest demand each type accepts);
        beliefs ``challenger`` (probability of a strong target at the demand); outcome
        probabilities (``compliance`` and ``war``); utilities of ``challenger`` and ``target``
        and the type-conditional ``target.strong`` and ``target.weak``; the certificate on the
        tree.
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be screening.Params, got {type(params).__name__}")
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    from model.solvers.selection import RULES

    if selection not in RULES:
        raise ValueError(f"selection = {selection!r} is not one of {sorted(RULES)}")
    n_offers = require_count("n_offers", n_offers, low=0)
    v = params.broadcast()
    shape = params.shape
    o = _closed_form(v)
    if method == "closed_form":
        demand, screens = o["demand"], o["screen"].astype(float)
        outcomes: dict[Outcome | str, Any] = {
            Outcome.COMPLIANCE: o[Outcome.COMPLIANCE],
            Outcome.WAR: o[Outcome.WAR],
        }
        utilities = {k: o[k] for k in ("challenger", "target", "target.strong", "target.weak")}
        certificate = _certify(v, demand, n_offers, shape)
        method_params: dict[str, Any] = {
            "equilibrium": "unique outside sigma_n = sigma*; pooling at the tie",
            "n_offers": n_offers,
        }
        converged = np.ones(shape, dtype=bool)
    else:
        demand, screens, outcomes, utilities, certificate, converged = _pbe(
            _game(v, n_offers), selection, shape
        )
        method_params = {"selection": selection, "n_offers": n_offers}
    planned = outcome_table(outcomes, shape)
    return Solution(
        model=NAME,
        params=params,
        strategies={
            "challenger.demand": np.broadcast_to(demand, shape),
            "challenger.screens": np.broadcast_to(screens, shape),
        },
        cutpoints={
            "sigma_star": o["sigma_star"],
            "strong.accepts_up_to": v["p_s"] + v["c_B"],
            "weak.accepts_up_to": v["p_w"] + v["c_B"],
        },
        beliefs={"challenger": o["sigma_n"]},
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
    eqs = res.equilibria
    pick = select(eqs, selection, game=game if not shape else None).index
    if np.any(pick < 0):
        raise ValueError(
            f"selection rule {selection!r} finds no qualifying equilibrium at "
            f"{int(np.sum(pick < 0))} parameter point(s)"
        )

    def take(values: list[Any]) -> np.ndarray:
        stacked = np.stack([np.broadcast_to(np.asarray(x, dtype=float), shape) for x in values])
        return np.take_along_axis(stacked, pick[None], axis=0)[0]

    demands = game.annotations["demands"]
    offer = [game.infosets["challenger"].actions.index(str(e.offer)) for e in eqs]
    demand = take([demands[j] for j in offer])
    # screening: the strong type fights the demand and the weak type accepts it
    screens = take([float(e.support[2] == ("fight", "accept")) for e in eqs])
    outcomes = {o: take([e.outcome_probabilities[str(o)] for e in eqs]) for o in Outcome}
    utilities = {p: take([e.payoffs[k] for e in eqs]) for k, p in enumerate(game.players)}
    for k, t in enumerate(TYPES):
        utilities[f"target.{t}"] = take([e.type_payoffs[k] for e in eqs])
    first = eqs[0].certificate
    certificate = Certificate(
        max_regret=take([e.certificate.max_regret for e in eqs]),
        bayes_gap=take([e.certificate.bayes_gap for e in eqs]),
        tolerance=first.tolerance,
        checks=first.checks,
    )
    return demand, screens, outcomes, utilities, certificate, np.asarray(res.converged)
