r"""Reputation and demand size: a take-it-or-leave-it demand to a target that fears for its name.

The game (a reduced form of Sechser 2010, built on the risk-return model of
:mod:`model.games.risk_return`)
-----------------------------------------------------------------------------------------------
The issue is normalised to :math:`[0, 1]` and :math:`x` is the challenger's share. A war gives
the lottery :math:`(p - c_A,\; 1 - p - c_B)`; :math:`p`, :math:`c_A` and :math:`c_B` are common
knowledge. A target that gives in also pays a **reputation cost** :math:`r \ge 0`, because
conceding invites future demands. The cost is the target's private information, drawn by nature
from :math:`F = U[\underline r, \bar r]`.

1. The challenger offers a package :math:`(x, s)`: it demands the share :math:`x \in [0, 1]` and
   promises a side payment :math:`s \ge 0`, paid if the target gives in. Each unit of side
   payment costs the challenger :math:`k` (``side_cost``).
2. The target accepts, with payoffs :math:`(x - k s,\; 1 - x + s - r)` (compliance), or fights,
   with the war lottery.

The target's strategy is dominant. It accepts iff :math:`1 - x + s - r \ge 1 - p - c_B`, that is
iff :math:`r \le \rho`, where :math:`\rho = p + c_B - m` is its *cutoff* and :math:`m = x - s` is
the *net demand*. Accepting when indifferent is the tie rule.

Demands and side payments are substitutes
-----------------------------------------
The target looks only at the net demand :math:`m`. The challenger gets :math:`x - ks =
m + (1 - k)s` from a package with net demand :math:`m`. The split is feasible iff :math:`s \in
[\max(0, -m),\, 1 - m]`, and the payoff is linear in :math:`s`, so the best split is an end of
that interval and the value of a net demand is

.. math:: V(m) = \begin{cases} m & k = 1, \\
          m \text{ if } m \ge 0,\; k m \text{ if } m < 0 & k > 1, \\
          1 - k + k m & k < 1. \end{cases}

* :math:`k = 1` (a transfer costs the challenger what it is worth to the target): demands and
  side payments are **perfect substitutes**. Only :math:`m` matters and every split is optimal.
  The reported split pays a side payment only when the net demand is negative,
  :math:`s = \max(0, -m)`.
* :math:`k > 1` (side payments dearer): the challenger pays only to concede more than the whole
  issue (:math:`m < 0`). This is a weak challenger with a costly war, buying peace.
* :math:`k < 1` (side payments cheaper): side payments crowd out concessions. The challenger
  demands the whole issue and buys acceptance, :math:`x = 1`, :math:`s = 1 - m`.

The challenger's problem: a risk-return tradeoff in the cutoff
---------------------------------------------------------------
The challenger believes :math:`r \sim G = U[\ell, u]` (below). Whatever the side payment, the
whole issue caps the net demand at :math:`m \le 1`, so the cutoffs it can set are :math:`\rho
\ge \rho_{\min} = p + c_B - 1`. With :math:`w = p - c_A` and :math:`h(\rho) = V(p + c_B - \rho)
- w` (what acceptance is worth over war),

.. math:: EU_A(\rho) = G(\rho)\, V(p + c_B - \rho) + [1 - G(\rho)]\, w
          = w + \frac{(\rho - \ell)\, h(\rho)}{u - \ell}\quad (\ell \le \rho \le u).

Below the support every type fights and :math:`EU_A = w`. Above it every type accepts and
:math:`EU_A = V` falls. :math:`V` is concave and piecewise linear in :math:`m`, with slopes 1 and
then :math:`k \ge 1` as :math:`m` falls, or the single slope :math:`k < 1`. So :math:`h` is
concave and decreasing in :math:`\rho`. Then :math:`f = (\rho - \ell) h` is concave on
:math:`[\ell, \infty)`: on each piece it is a concave quadratic, and at the kink
:math:`\rho = p + c_B` its slope drops by :math:`(k - 1)(\rho - \ell) \ge 0`. On a piece with
:math:`h = \alpha - \beta \rho`, the vertex is :math:`(\ell + \alpha/\beta)/2`. That is halfway
between the most resolved believed type :math:`\ell` and the cutoff :math:`\alpha/\beta` at
which acceptance is worth no more than war. The vertices are

.. math:: v_A = \tfrac12(\ell + c_A + c_B), \quad
          v_B = \tfrac12\bigl(\ell + p + c_B + (c_A - p)/k\bigr), \quad
          v_C = \tfrac12\bigl(\ell + p + c_B - 1 + (1 - p + c_A)/k\bigr)

for: the issue only (:math:`m \ge 0`), the whole issue plus payments when :math:`k > 1`, and
:math:`k < 1`. The unconstrained maximiser is :math:`\rho_u = v_C` if :math:`k < 1`, else
:math:`v_A` if :math:`v_A \le p + c_B`, else :math:`\max(p + c_B, v_B)`. Clipping it to the
support and to the feasible cutoffs gives

.. math:: \rho^* = \max\bigl\{\rho_{\min},\; \min\{u,\; \max(\ell, \rho_u)\}\bigr\},
          \qquad m^* = p + c_B - \rho^*,

and the package :math:`(x^*, s^*)` above. War has probability :math:`1 - G(\rho^*)` as planned
and :math:`1 - F(\rho^*)` as realised. With :math:`k = 1` and an interior optimum,

.. math:: x^* - s^* = p + \frac{c_B - c_A - \ell}{2}, \qquad
          P(\text{war}) = 1 - \frac{c_A + c_B - \ell}{2 (u - \ell)}.

So with :math:`\underline r = 0` the interior net demand does not depend on the reputation
cost, while war becomes more likely as :math:`\bar r` rises. This is the risk-return model with
the effective cost of war :math:`c_B - r`. For :math:`k = 1` and :math:`c_B \ge \bar r`, the
demand and war probabilities are those of :mod:`model.games.risk_return` with :math:`c_B \sim
U[c_B - \bar r, c_B - \underline r]`. The target's payoffs are lower by :math:`E[r]`.

Regimes (each a case of the one formula):

* **war by choice**, :math:`\rho_u \le \ell`: even the most accommodating believed type costs more
  than war is worth. Every cutoff :math:`\le \ell` is optimal, and :math:`\rho^* = \ell` is
  reported, the most generous of these offers.
* **risk-return**, :math:`\ell < \rho^* < u`: part of the targets are bought off.
* **full compensation**, :math:`\rho^* = u`: "offset them with side payments or smaller demands"
  (Sechser 2010, abstract). Every believed type acquiesces.
* **whole issue**, :math:`\rho^* = \rho_{\min}`: the challenger demands everything.

Misperception and the Goliath hypothesis
----------------------------------------
The challenger believes the reputation cost is :math:`\kappa r` with

.. math:: \kappa = \text{belief\_scale} \cdot (1 - \beta(p)), \qquad \beta(p) = \gamma p,

so :math:`G = U[\kappa \underline r, \kappa \bar r]`. The linear :math:`\beta` with slope
:math:`\gamma` (``goliath``) is a *library choice*, not Sechser's equation. It turns his claim
that military strength makes challengers "more likely to underestimate their targets'
reputation costs" into a knob that can be swept. :math:`\kappa < 1` is underestimation. The
profile is an *equilibrium in beliefs*: each side best-responds to what it believes, and the
realised outcomes are evaluated under :math:`F`. The tree's solution and the certificate concern
the challenger's believed problem.

Comparative statics (derived here from the closed form, and checked by the property tests)
-----------------------------------------------------------------------------------------
1. *Reputation costs*: :math:`\rho^*` is non-decreasing in :math:`\ell` and :math:`u`. A higher
   :math:`\bar r`, or an upward shift of :math:`[\underline r, \bar r]`, gives a weakly smaller
   net demand and weakly more planned war. With correct beliefs, realised war is planned war.
   Under misperception, realised war can fall, because the truth moves with the belief. With
   :math:`\underline r = 0` the interior demand is flat and only war rises.
2. *Underestimation* :math:`\kappa \le 1`: :math:`G(\rho) = F(\rho/\kappa) \ge F(\rho)` for
   :math:`\rho \ge 0`, so realised war :math:`\ge` planned war. :math:`\rho^*` is non-decreasing
   in :math:`\kappa`, so the challenger over-demands relative to correct beliefs, and realised war
   exceeds the war it would have had with them.
3. *Goliath's curse* (:math:`\gamma > 0`, ``belief_scale`` = 1, and the issue cap slack:
   :math:`p + c_B \le 1`). For :math:`k = 1`, :math:`\rho^*` depends on :math:`p` only through
   :math:`\kappa`, so realised war rises with :math:`p`. For :math:`k \ge 1` and
   :math:`\underline r = 0`, :math:`\rho_u` is non-decreasing in :math:`p`. Then the
   over-demand :math:`\max(0, \min(\bar r, \rho_u) - \kappa \bar r)`, the war due to
   misperception and the surprise (realised minus planned war) all rise with :math:`p`. This can
   fail where the whole issue is demanded (a challenger cannot over-demand beyond everything),
   for :math:`k < 1` (where :math:`\rho_u` falls in :math:`p`), and for :math:`k > 1` with
   :math:`\underline r > 0` near the kink.
4. *Side payments raise acceptance*: :math:`\rho^*` is non-increasing in :math:`k`, so cheaper
   side payments give weakly more acceptance. Where :math:`s^* > 0`, acceptance is higher than
   with the best offer that pays nothing.

Status of these statements: the claims quoted from Sechser are from his abstract. The game, the
closed form, the regimes and the comparative statics are derived here (THEORY.md, M7, [D]) and
checked against brute force over a grid of packages :math:`(x, s)` in the tests. Sechser's own
model (pp. 630-640) was not available for checking, so its notation and its exact results may
differ.

Solution methods and certificate
--------------------------------
``closed_form`` evaluates the formulas above. The certificate is computed **on a finite game**
built by the same code as :func:`tree`, with a set of the challenger's cutoffs: :math:`\rho^*`,
:math:`\rho^* \pm 10^{-4}(u - \ell)`, :math:`\rho^* \pm 10^{-2}(u - \ell)`, :math:`\ell`,
:math:`u` and the corner :math:`x = 1`. :math:`\rho^*` is offered as both packages (issue
first; whole issue plus side payment), the two candidate best splits. Every other cutoff is
offered as the package that the side cost makes best, because the split that is best at one net
demand is best at all. On this tree the target's types are the cells that the cutoffs cut the
belief into, each cell represented by its conditional mean. The target's payoff is linear in
:math:`r`, so this *lumping is exact*: every offer's expected utilities equal the continuous ones.
:func:`model.checks.tree_certificate` (with ``subgame_perfect=True``) then checks the
closed-form profile. The closed-form profile is the package at :math:`\rho^*`, and a target that
accepts iff its type is at most the cutoff. The check covers every player's regret and the
target's choice at every node. The believed :math:`EU_A` is concave in the cutoff on the
support, so no gain at :math:`\rho^* \pm h` certifies the optimum within the support. The other
deviations guard the rest.

Array convention
----------------
Every parameter may be an array; they broadcast together. Every returned array is float64 of
the broadcast shape. In :func:`tree`, per-offer and per-type data are stacked on a leading axis:
``(n, *shape)``.

References
----------
.. [1] Sechser, T. S. (2010). Goliath's Curse: Coercive Threats and Asymmetric Power.
   *International Organization* 64(4): 627-660 (abstract: reputation costs of appeasement,
   offsetting them with side payments or smaller demands, strong challengers underestimating
   them).
.. [2] Fearon, J. D. (1995). Rationalist Explanations for War. *International Organization*
   49(3): 379-414 (the risk-return tradeoff of a take-it-or-leave-it demand).
.. [3] Smith, A. and Stam, A. C. (2004). Bargaining and the Nature of War. *Journal of Conflict
   Resolution* 48(6): 783-813 (bargaining when beliefs differ from the truth).

Examples
--------
>>> s = solve(Params(p=0.5, c_A=0.1, c_B=0.1, r_lo=0.0, r_hi=0.4))
>>> round(float(s.strategies["challenger.net_demand"]), 6), round(float(s.realised["war"]), 6)
(0.5, 0.75)

A strong challenger that underestimates the reputation cost under-compensates. It plans for
peace and gets war with probability :math:`\gamma p`:

>>> s = solve(Params(p=0.5, c_A=0.2, c_B=0.2, r_hi=0.2, goliath=0.5))
>>> float(s.planned["war"]), round(float(s.realised["war"]), 6)
(0.0, 0.25)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.checks import tree_certificate
from model.distributions import Uniform
from model.params import ParamSet, param
from model.registry import register
from model.tree import Chance, Decision, Game, Terminal
from model.types import Certificate, Outcome, Solution, outcome_table

__all__ = ["METHODS", "Params", "misperception_effects", "solve", "tree"]

NAME = "reputation"
METHODS = ("closed_form",)
TOLERANCE = 1e-9
MIN_WIDTH = 1e-6  # narrowest support of the uniform prior: the closed form divides by its width
#: The target has a dominant strategy and the challenger's optimum is unique (up to the split of
#: a net demand when side_cost = 1), so no equilibrium selection is needed; named for the contract.
SELECTION = "challenger_preferred"
# The contract tests solve tree(params, **TREE_OPTIONS) by backward induction and compare it with
# solve(params). Types are lumped exactly, so the error comes from the grid of offers alone: the
# tree's cutoff is within one grid step of rho*, so outcome probabilities are off by at most
# 1/(n_demands - 1) = 0.0323. Over 6000 random parameter points the largest gaps measured were
# 0.0299 (outcome probabilities), 0.0155 (challenger's and target's expected utilities).
TREE_OPTIONS = {"n_demands": 32}
TREE_TOLERANCE = 0.04
_BLOCK = 8192  # parameter points per certificate tree: bounds the memory of one block
_REL_STEPS = (1e-4, 1e-2)  # certificate deviations, as fractions of the belief's width


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the reputation model; each may be an array (broadcast)."""

    p: float = param(0.5, (0.0, 1.0), "challenger's probability of winning a war")
    c_A: float = param(0.1, (0.0, 1.0), "challenger's cost of war, in units of the stake")
    c_B: float = param(0.1, (0.0, 1.0), "target's cost of war, in units of the stake (known)")
    r_lo: float = param(
        0.0, (0.0, 1.0), "target's lowest possible reputation cost of conceding (private)"
    )
    r_hi: float = param(
        0.4, (0.0, 1.0), "target's highest possible reputation cost of conceding (private)"
    )
    side_cost: float = param(
        1.0,
        (0.5, 10.0),
        "challenger's cost of one unit of side payment to the target (1 = a pure transfer)",
    )
    belief_scale: float = param(
        1.0,
        (0.01, 10.0),
        "challenger's belief: reputation costs are this multiple of the truth (1 = correct)",
    )
    goliath: float = param(
        0.0,
        (0.0, 0.9),
        "slope gamma of the challenger's underestimation beta(p) = gamma p (0 = no Goliath effect)",
    )

    def check(self) -> None:
        """Check that the uniform prior has a support at least :data:`MIN_WIDTH` wide."""
        lo, hi = np.asarray(self.r_lo), np.asarray(self.r_hi)
        bad = hi - lo < MIN_WIDTH
        if np.any(bad):
            i = np.flatnonzero(bad)[0]
            show_lo = np.broadcast_to(lo, bad.shape).flat[i]
            show_hi = np.broadcast_to(hi, bad.shape).flat[i]
            raise ValueError(
                f"r_lo = {show_lo:g} and r_hi = {show_hi:g}: the target's prior U[r_lo, r_hi] "
                f"needs r_hi - r_lo >= {MIN_WIDTH:g}"
            )


def _require_params(params: Any) -> Params:
    if not isinstance(params, Params):
        raise TypeError(f"params must be reputation.Params, got {type(params).__name__}")
    return params


def _belief_scale(v: dict[str, np.ndarray]) -> np.ndarray:
    """``kappa = belief_scale (1 - goliath p)``: the belief is the law of ``kappa r``."""
    return v["belief_scale"] * (1.0 - v["goliath"] * v["p"])


def _package(m: np.ndarray, k: np.ndarray, pay: np.ndarray | bool) -> tuple[np.ndarray, ...]:
    """Demand, side payment and challenger's payoff on acceptance of a package with net demand m.

    ``pay=False``: the issue first (``s = max(0, -m)``); ``pay=True``: the whole issue and a side
    payment (``x = 1``, ``s = 1 - m``). Requires ``m <= 1``.
    """
    x = np.where(pay, 1.0, np.maximum(m, 0.0))
    s = np.where(pay, 1.0 - m, np.maximum(-m, 0.0))
    return x, s, x - k * s


def _optimal_cutoff(
    p: np.ndarray, c_A: np.ndarray, c_B: np.ndarray, k: np.ndarray, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Compute the closed-form cutoff ``rho*`` under the belief ``U[lo, hi]`` (module docstring)."""
    kink = p + c_B
    v_a = 0.5 * (lo + c_A + c_B)
    v_b = 0.5 * (lo + kink + (c_A - p) / k)
    v_c = 0.5 * (lo + kink - 1.0 + (1.0 - p + c_A) / k)
    rho_u = np.where(k < 1.0, v_c, np.where(v_a <= kink, v_a, np.maximum(kink, v_b)))
    return np.maximum(kink - 1.0, np.minimum(hi, np.maximum(lo, rho_u)))


def _evaluate(
    rho: np.ndarray, v: dict[str, np.ndarray], dists: dict[str, Uniform]
) -> dict[str, np.ndarray]:
    """Compute the package, outcome probabilities and expected utilities of cutoff ``rho``."""
    p, c_A, c_B, k = v["p"], v["c_A"], v["c_B"], v["side_cost"]
    m = p + c_B - rho
    x, s, value = _package(m, k, k < 1.0)
    out = {"rho": rho, "m": m, "x": x, "s": s}
    for tag, d in dists.items():
        accept = d.cdf(rho)
        out[f"war_{tag}"] = 1.0 - accept
        out[f"eu_a_{tag}"] = accept * value + (1.0 - accept) * (p - c_A)
        out[f"eu_b_{tag}"] = (
            accept * (1.0 - m) - d.partial_mean(rho) + (1.0 - accept) * (1.0 - p - c_B)
        )
    return out


def _cells(cutoffs: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Cut ``U[lo, hi]`` at the cutoffs: cell probabilities and conditional means, ``(n+1, ...)``.

    Every cutoff is a cell boundary, so each cell lies wholly on one side of every cutoff, and
    its conditional mean (the midpoint) stands in for it exactly in the target's linear payoff.
    """
    inner = np.sort(np.clip(cutoffs, lo, hi), axis=0)
    edges = np.concatenate([lo[None], inner, hi[None]], axis=0)
    probs = np.diff(edges, axis=0) / (hi - lo)
    means = 0.5 * (edges[1:] + edges[:-1])
    return probs, means


def _game(
    v: dict[str, np.ndarray],
    cutoffs: np.ndarray,
    offers: list[tuple[str, int, Any]],
    lo: np.ndarray,
    hi: np.ndarray,
    title: str,
) -> Game:
    """The challenger's believed problem with the given offers.

    ``v`` holds the broadcast parameters; ``cutoffs`` is ``(n, *shape)`` and every cutoff must be
    at least ``p + c_B - 1`` (net demand at most 1). Each offer is ``(label, j, pay)``: the net
    demand of cutoff ``j`` as the package ``pay`` of :func:`_package` (a bool or a bool array).
    """
    p, c_A, c_B, k = v["p"], v["c_A"], v["c_B"], v["side_cost"]
    probs, means = _cells(cutoffs, lo, hi)
    war = (p - c_A, 1.0 - p - c_B)
    branches = {}
    demands, payments = [], []
    for label, j, pay in offers:
        x, s, value = _package(p + c_B - cutoffs[j], k, pay)
        demands.append(x)
        payments.append(s)
        types = {}
        for i in range(probs.shape[0]):
            accept_b = 1.0 - x + s - means[i]
            fight_b = np.where(np.abs(war[1] - accept_b) <= 1e-12, accept_b, war[1])
            types[f"r{i}"] = (
                probs[i],
                Decision(
                    "target",
                    f"target.{label}.r{i}",
                    {
                        "accept": Terminal((value, accept_b), label=str(Outcome.COMPLIANCE)),
                        "fight": Terminal((war[0], fight_b), label=str(Outcome.WAR)),
                    },
                ),
            )
        branches[label] = Chance(types)
    return Game(
        ("challenger", "target"),
        Decision("challenger", "challenger", branches),
        title=title,
        annotations={
            "model": NAME,
            "offers": tuple(label for label, _, _ in offers),
            "cutoffs": np.stack([cutoffs[j] for _, j, _ in offers]),
            "demands": np.stack(demands),
            "side_payments": np.stack(payments),
            "types": means,
            "type_probs": probs,
            "tie_rule": "the target accepts when indifferent (first action 'accept')",
        },
    )


def _certify(v: dict[str, np.ndarray], rho: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> Any:
    """Certificate of the closed-form profile on a finite game of deviations (flat arrays).

    Offers: ``rho`` as both packages (the choice of split), then every deviation cutoff as the
    package the side cost makes best at every net demand (issue first for ``k >= 1``, the whole
    issue plus a payment for ``k < 1``): the split that is best at one net demand is best at all.
    """
    k, floor = v["side_cost"], v["p"] + v["c_B"] - 1.0
    width = hi - lo
    devs = [rho]
    for h in _REL_STEPS:
        devs += [rho - h * width, rho + h * width]
    devs += [lo, hi]
    cutoffs = np.maximum(np.stack(devs), floor)
    cheap = k < 1.0
    offers: list[tuple[str, int, Any]] = [("d0.issue", 0, False), ("d0.pay", 0, True)]
    offers += [(f"d{j}", j, cheap) for j in range(1, cutoffs.shape[0])]
    game = _game(v, cutoffs, offers, lo, hi, "certificate tree")
    # the challenger: the package at rho* that its side cost makes best
    profile = {"challenger": np.eye(len(offers))[:, np.where(cheap, 1, 0)]}
    types = game.annotations["types"]
    for label, j, _ in offers:
        accept = (types <= cutoffs[j]).astype(np.float64)
        for i in range(types.shape[0]):
            profile[f"target.{label}.r{i}"] = np.stack([accept[i], 1.0 - accept[i]])
    return tree_certificate(game, profile, tolerance=TOLERANCE, subgame_perfect=True)


def _solve_block(v: dict[str, np.ndarray]) -> dict[str, Any]:
    """Closed form, outcomes and certificate for flat parameter arrays."""
    kappa = _belief_scale(v)
    lo, hi = kappa * v["r_lo"], kappa * v["r_hi"]
    belief, truth = Uniform(lo, hi), Uniform(v["r_lo"], v["r_hi"])
    rho = _optimal_cutoff(v["p"], v["c_A"], v["c_B"], v["side_cost"], lo, hi)
    out = _evaluate(rho, v, {"g": belief, "f": truth})
    cert = _certify(v, rho, lo, hi)
    out["regret"], out["checks"] = cert.max_regret, cert.checks
    out["lo"], out["hi"] = lo, hi
    return out


def solve(params: Params, *, method: str = "closed_form") -> Solution:
    """Solve the reputation game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    method : {"closed_form"}
        The formulas of the module docstring (the only method; the generic route is
        :func:`tree` with a solver of :mod:`model.solvers`).

    Returns
    -------
    Solution
        The package (demand, side payment, net demand), the target's cutoff in reputation cost,
        planned and realised outcome probabilities, expected utilities and the certificate
        computed on the finite game.
    """
    params = _require_params(params)
    if method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    v = params.broadcast()
    shape = params.shape
    flat = {key: np.ascontiguousarray(a).reshape(-1) for key, a in v.items()}
    n = flat["p"].shape[0]
    blocks = [
        _solve_block({key: a[s : s + _BLOCK] for key, a in flat.items()})
        for s in range(0, n, _BLOCK)
    ]
    o = {
        key: np.concatenate([b[key] for b in blocks]).reshape(shape)
        for key in blocks[0]
        if key != "checks"
    }
    checks = dict(blocks[0]["checks"])
    checks["deviations"] = (
        "the challenger's cutoffs rho* -/+ (1e-4, 1e-2) x width of its belief, the belief's "
        "ends and the corner x = 1 (rho* as both packages, issue first and whole issue plus "
        "side payment), on a tree whose target types are exact cells of the belief"
    )
    belief = Uniform(o["lo"], o["hi"])
    truth = Uniform(v["r_lo"], v["r_hi"])
    planned = outcome_table({Outcome.COMPLIANCE: 1.0 - o["war_g"], Outcome.WAR: o["war_g"]}, shape)
    realised = outcome_table({Outcome.COMPLIANCE: 1.0 - o["war_f"], Outcome.WAR: o["war_f"]}, shape)
    return Solution(
        model=NAME,
        params=params,
        strategies={
            "challenger.demand": o["x"],
            "challenger.side_payment": o["s"],
            "challenger.net_demand": o["m"],
        },
        cutpoints={"target.accept_reputation_cost": o["rho"]},
        beliefs={"challenger": belief, "truth": truth},
        planned=planned,
        realised=realised,
        utilities_planned={"challenger": o["eu_a_g"], "target": o["eu_b_g"]},
        utilities_realised={"challenger": o["eu_a_f"], "target": o["eu_b_f"]},
        method=method,
        method_params={
            "split": "side_cost = 1: any split of the net demand is optimal; the side payment "
            "reported is max(0, -net demand)",
            "war_by_choice": "when every cutoff up to the belief's lowest cost is optimal, the "
            "most generous of them (the belief's lowest cost) is reported",
        },
        converged=np.ones(shape, dtype=bool),
        certificate=Certificate(
            max_regret=o["regret"],
            bayes_gap=np.zeros(shape),
            tolerance=TOLERANCE,
            checks=checks,
        ),
    )


def misperception_effects(params: Params) -> dict[str, np.ndarray]:
    """Compare the solution with what the challenger would do with correct beliefs.

    Returns the columns of ``solve(params).columns()`` together with

    * ``belief_factor``: the challenger's :math:`\\kappa` (belief = law of :math:`\\kappa r`);
    * ``correct_net_demand``, ``correct_war``: the net demand and war probability with
      :math:`\\kappa = 1` (planned = realised);
    * ``over_demand``: net demand minus ``correct_net_demand`` (positive: the challenger asks
      for more than it would if it judged the target's reputation cost correctly);
    * ``war_due_to_misperception``: realised war minus ``correct_war``;
    * ``war_surprise``: realised minus planned war.

    Every array is flat (one entry per parameter point), as for a sweep.

    Examples
    --------
    >>> out = misperception_effects(Params(p=0.5, c_A=0.2, c_B=0.2, r_hi=0.2, goliath=0.5))
    >>> [round(float(out[k][0]), 6) for k in ("over_demand", "war_due_to_misperception")]
    [0.05, 0.25]
    """
    params = _require_params(params)
    sol = solve(params)
    cols = sol.columns()
    v = {key: a.reshape(-1) for key, a in params.broadcast().items()}
    rho = _optimal_cutoff(v["p"], v["c_A"], v["c_B"], v["side_cost"], v["r_lo"], v["r_hi"])
    correct = _evaluate(rho, v, {"f": Uniform(v["r_lo"], v["r_hi"])})
    cols["belief_factor"] = _belief_scale(v)
    cols["correct_net_demand"] = correct["m"]
    cols["correct_war"] = correct["war_f"]
    cols["over_demand"] = cols["challenger_net_demand"] - correct["m"]
    cols["war_due_to_misperception"] = cols["realised_war"] - correct["war_f"]
    cols["war_surprise"] = cols["realised_war"] - cols["planned_war"]
    return cols


def tree(params: Params, *, n_demands: int = 32) -> Game:
    r"""Build the challenger's believed problem as a finite game, for the generic solvers.

    1. The challenger picks an offer (information set ``"challenger"``): one of ``n_demands``
       net demands, each as two packages, ``"d<j>.issue"`` (the issue first, :math:`x =
       \max(m, 0)`, :math:`s = \max(0, -m)`) and ``"d<j>.pay"`` (the whole issue plus a side
       payment, :math:`x = 1`, :math:`s = 1 - m`). The challenger's payoff is linear in the split,
       so the best split of a net demand is one of these two ends.
    2. Nature draws the target's reputation cost (``"r0"``, ``"r1"``, ...).
    3. The target accepts, with payoffs :math:`(x - ks,\; 1 - x + s - r)`, or fights, with the
       war lottery (information sets ``"target.d<j>.<package>.r<i>"``).

    The net demands are :math:`m_j = p + c_B - \rho_j`. Their cutoffs :math:`\rho_j` are evenly
    spaced from :math:`\max(\ell, \rho_{\min})` to :math:`\max(u, \rho_{\min})`. Below that range
    every believed type fights, and above it every type accepts and the challenger only gives
    more away, so the range holds every optimal cutoff. Where the issue cap binds, the grid
    collapses to the corner :math:`x = 1`. Chance uses the challenger's **belief**
    :math:`U[\ell, u]`, because the tree is the challenger's decision problem. Its types are the
    cells the cutoffs cut the belief into, each at its conditional mean and with its belief
    probability. The target's payoff is linear in :math:`r`, and each cell lies on one side of
    every cutoff, so this lumping is **exact**: an offer's expected utilities in the tree equal
    the continuous ones. The only error is the grid of offers. The cutoff error is at most one
    grid step, so outcome probabilities are off by at most :math:`1/(n-1)`.

    Ties: ``"accept"`` is the target's first action, so
    :func:`~model.solvers.backward.backward_induction_solve` makes an indifferent target accept.
    Payoff differences below ``1e-12`` are made exact ties.

    Parameters
    ----------
    params : Params
        Parameters; array fields give a batch of games with one tree shape.
    n_demands : int
        Number of net demands on the grid, at least 2.

    Returns
    -------
    model.tree.Game
        Players ``("challenger", "target")``, with payoffs of shape ``params.shape``.
        ``annotations`` holds the offers' labels (``"offers"``, in action order) and, per offer,
        ``"cutoffs"``, ``"demands"`` and ``"side_payments"``, of shape
        ``(2 n_demands, *shape)``. The tree has ``1 + 2 n_demands (1 + 3 (n_demands + 1))``
        nodes.

    Examples
    --------
    >>> from model.solvers.backward import backward_induction_solve
    >>> game = tree(Params(p=0.5, c_A=0.1, c_B=0.1, r_hi=0.4), n_demands=5)
    >>> res = backward_induction_solve(game)
    >>> i = int(res.choice["challenger"])
    >>> game.annotations["offers"][i], round(float(game.annotations["demands"][i]), 6)
    ('d1.issue', 0.5)
    """
    params = _require_params(params)
    if isinstance(n_demands, bool) or not isinstance(n_demands, int | np.integer) or n_demands < 2:
        raise ValueError(f"n_demands = {n_demands!r} must be an integer >= 2")
    v = params.broadcast()
    kappa = _belief_scale(v)
    lo, hi = kappa * v["r_lo"], kappa * v["r_hi"]
    floor = v["p"] + v["c_B"] - 1.0
    first, last = np.maximum(lo, floor), np.maximum(hi, floor)
    steps = (np.arange(n_demands) / (n_demands - 1)).reshape((-1,) + (1,) * lo.ndim)
    cutoffs = first + (last - first) * steps
    offers: list[tuple[str, int, Any]] = [
        (f"d{j}.{q}", j, q == "pay") for j in range(n_demands) for q in ("issue", "pay")
    ]
    return _game(
        v,
        cutoffs,
        offers,
        lo,
        hi,
        f"reputation game: {n_demands} net demands x 2 packages, {n_demands + 1} believed types",
    )
