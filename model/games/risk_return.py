"""Risk-return tradeoff: a take-it-or-leave-it demand against a target of private resolve.

The game (Fearon 1995, sec. "War due to private information and incentives to misrepresent"; the
textbook form of its formal section, as specified in THEORY.md M1b)
-----------------------------------------------------------------------------------------------
The issue is normalised to :math:`[0, 1]`. The challenger wins a war with probability :math:`p`
and pays cost :math:`c_A`; the target pays :math:`c_B`, its private *resolve* (a low cost is a
resolved target), drawn by nature from the prior :math:`F` on :math:`[\\underline c, \\bar c]`.

1. The challenger demands a share :math:`x \\in [0, 1]` of the issue.
2. The target accepts, giving payoffs :math:`(x, 1 - x)` (compliance: compellence succeeds), or
   fights, giving the war lottery :math:`(p - c_A,\\; 1 - p - c_B)`.

The target's strategy is dominant: it accepts iff :math:`1 - x \\ge 1 - p - c_B`, i.e. iff its
cost is at least the cutpoint :math:`t = x - p`. The challenger maximises

.. math:: EU_A(x) = [1 - G(x - p)]\\, x + G(x - p)\\,(p - c_A),

where :math:`G` is **its belief** about the prior (:math:`G = F` without misperception) and
:math:`G(t) = P(c_B < t)`. The first-order condition of an interior optimum is the hazard-rate
condition

.. math:: \\frac{g(x^* - p)}{1 - G(x^* - p)} = \\frac{1}{x^* - p + c_A},

so the optimum is unique when :math:`G` has an increasing hazard rate (uniform; Beta with
:math:`a \\ge 1`). Demanding more raises the return if the target complies and the risk that it
fights: the *risk-return tradeoff*.

Closed form for a uniform belief :math:`G = U[\\underline g, \\bar g]` (derived by hand,
THEORY.md M1b [D]; ``EU_A`` is concave in :math:`x` on the support)

.. math:: x^* = \\min\\{1,\\; p + \\max(\\underline g, (\\bar g - c_A)/2)\\},

and war happens with probability :math:`G(x^* - p)` as planned and :math:`F(x^* - p)` as
realised. With :math:`\\underline c = 0` and :math:`c_A < \\bar c`,
:math:`x^* = p + (\\bar c - c_A)/2`
and :math:`P(\\text{war}) = (\\bar c - c_A) / (2\\bar c)`, which does not depend on :math:`p`.

Misperceived resolve
--------------------
The challenger may misjudge the target: by default its belief is the true prior scaled by
``belief_scale`` (:math:`G` is the law of :math:`\\kappa c_B`); :math:`\\kappa > 1` means it thinks
the target's war costs higher than they are (the target less resolved), so it over-demands and
the realised war probability exceeds the planned one. Any other belief (or prior) may be passed
as a :class:`~model.distributions.Distribution`. The profile is then an *equilibrium in beliefs*:
each player best-responds to what it believes (THEORY.md M9, formalisation 2).

Solution methods
----------------
``closed_form`` (uniform belief), ``enumeration`` (discrete belief: the optimum is one of the
types' cutpoints :math:`p + v_k`, or the corner :math:`x = 1`), ``numeric`` (any continuous
belief: a vectorised grid search brackets the global maximum, then
``scipy.optimize.elementwise.find_minimum`` refines it).

Certificate: the challenger's regret against a deviation set (an evenly spaced grid of demands,
the support's corners and small perturbations of :math:`x^*`), evaluated under its belief; the
target's regret at its cutpoint (zero by dominance, computed anyway).

References
----------
.. [1] Fearon, J. D. (1995). Rationalist Explanations for War. *International Organization*
   49(3): 379-414.
.. [2] Banks, J. S. (1990). Equilibrium Behavior in Crisis Bargaining Games. *American Journal of
   Political Science* 34(3): 599-614 (monotonicity of war in the target's war payoff).

Examples
--------
>>> s = solve(Params(p=0.5, c_A=0.1, c_B_lo=0.0, c_B_hi=0.4))
>>> round(float(s.strategies["challenger.demand"]), 6), round(float(s.realised["war"]), 6)
(0.65, 0.375)
>>> s = solve(Params(belief_scale=2.0))   # challenger thinks the target half as resolved
>>> float(s.planned["war"]) < float(s.realised["war"])
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import elementwise

from model.distributions import Discrete, Distribution, Uniform
from model.params import ParamSet, param
from model.registry import register
from model.tree import Chance, Decision, Game, Terminal
from model.types import Certificate, Outcome, Solution, outcome_table

__all__ = ["Params", "expected_utility", "outcomes_at_demand", "solve", "tree"]

NAME = "risk_return"
TOLERANCE = 1e-9
_GRID = 257  # grid of the numeric method
_CHECK_GRID = 33  # demands on the certificate's grid of deviations
_PERTURB = (1e-6, 1e-3, 1e-2)
# The contract tests solve tree(params, **TREE_OPTIONS) with a generic solver and compare it
# with solve(params). On a 48 x 48 grid the largest discretisation errors measured over 600
# random parameter points were 0.025 (war probability), 0.013 (challenger's expected utility)
# and 0.049 (target's expected utility, which moves with the demand grid's step).
TREE_OPTIONS = {"n_types": 48, "n_demands": 48}
TREE_TOLERANCE = 0.08


@register(NAME)
@dataclass(frozen=True)
class Params(ParamSet):
    """Parameters of the risk-return model; each may be an array (broadcast)."""

    p: float = param(0.5, (0.0, 1.0), "challenger's probability of winning a war")
    c_A: float = param(0.1, (0.0, 1.0), "challenger's cost of war, in units of the stake")
    c_B_lo: float = param(
        0.0, (0.0, 1.0), "target's lowest possible cost of war (most resolved type)"
    )
    c_B_hi: float = param(
        0.4, (0.0, 1.0), "target's highest possible cost of war (least resolved type)"
    )
    belief_scale: float = param(
        1.0,
        (0.0, 10.0),
        "challenger's belief: the target's war costs are this multiple of the truth (1 = correct)",
        open_low=True,
    )

    def check(self) -> None:
        """The uniform prior needs ``c_B_lo < c_B_hi``."""
        lo, hi = np.asarray(self.c_B_lo), np.asarray(self.c_B_hi)
        bad = lo >= hi
        if np.any(bad):
            i = np.flatnonzero(np.broadcast_to(bad, np.broadcast_shapes(lo.shape, hi.shape)))[0]
            show_lo = np.broadcast_to(lo, bad.shape).flat[i]
            show_hi = np.broadcast_to(hi, bad.shape).flat[i]
            raise ValueError(
                f"c_B_lo = {show_lo:g} must be below c_B_hi = {show_hi:g}: the target's prior "
                "U[c_B_lo, c_B_hi] needs a non-empty support"
            )


def expected_utility(x: Any, p: Any, c_A: Any, belief: Distribution) -> np.ndarray:
    """The challenger's expected utility of demanding ``x`` when it believes ``c_B ~ belief``.

    ``EU_A(x) = [1 - G(x - p)] x + G(x - p) (p - c_A)`` with ``G(t) = P(c_B < t)``.
    """
    x = np.asarray(x, dtype=np.float64)
    war = belief.prob_below(x - p)
    return x + war * (p - c_A - x)


def outcomes_at_demand(params: Params, demand: Any) -> dict[str, np.ndarray]:
    """What happens if the challenger demands ``demand`` (not necessarily optimal).

    The target still best-responds (accepts iff ``c_B >= demand - p``). Returns the planned and
    realised compliance and war probabilities and the challenger's expected utilities at that
    demand, together with the optimal demand of :func:`solve` for the same parameters; every
    array has the broadcast shape of ``params`` and ``demand``.

    Examples
    --------
    >>> out = outcomes_at_demand(Params(), [0.5, 0.65, 0.9])
    >>> [round(float(v), 4) for v in out["realised_compliance"]]
    [1.0, 0.625, 0.0]
    """
    sol = solve(params)
    belief, truth = sol.beliefs["challenger"], sol.beliefs["truth"]
    x = np.asarray(demand, dtype=np.float64)
    if np.any(~np.isfinite(x) | (x < 0) | (x > 1)):
        raise ValueError(f"demand = {demand!r} is out of range: a demand must lie in [0, 1]")
    p, c_A = np.asarray(params.p, dtype=np.float64), np.asarray(params.c_A, dtype=np.float64)
    shape = np.broadcast_shapes(x.shape, sol.shape)
    out: dict[str, np.ndarray] = {"demand": np.broadcast_to(x, shape)}
    for label, d in (("planned", belief), ("realised", truth)):
        war = d.prob_below(x - p)
        out[f"{label}_compliance"] = np.broadcast_to(1.0 - war, shape)
        out[f"{label}_war"] = np.broadcast_to(war, shape)
        out[f"eu_{label}_challenger"] = np.broadcast_to(x + war * (p - c_A - x), shape)
    out["optimal_demand"] = np.broadcast_to(sol.strategies["challenger.demand"], shape)
    return out


def _target_utility(x: np.ndarray, p: np.ndarray, prior: Distribution) -> np.ndarray:
    # E[(1 - x) 1{accept} + (1 - p - c_B) 1{war}]
    t = x - p
    war = prior.prob_below(t)
    return (1.0 - war) * (1.0 - x) + war * (1.0 - p) - prior.partial_mean(t)


def _closed_form(p: np.ndarray, c_A: np.ndarray, g_lo: np.ndarray, g_hi: np.ndarray) -> np.ndarray:
    t = np.maximum(g_lo, 0.5 * (g_hi - c_A))
    return np.minimum(1.0, p + t)


def _enumerate(p: np.ndarray, c_A: np.ndarray, belief: Discrete) -> np.ndarray:
    # EU is piecewise linear and increasing between the types' cutpoints, so the optimum is a
    # cutpoint p + v_k (type k accepts, as acceptance is weak) or the corner x = 1.
    cand = np.minimum(1.0, p[..., None] + belief.values)
    cand = np.concatenate([cand, np.ones(cand.shape[:-1] + (1,))], axis=-1)
    war = np.sum(
        belief.probs[..., None, :]
        * (belief.values[..., None, :] < (cand - p[..., None])[..., None]),
        -1,
    )
    eu = cand + war * ((p - c_A)[..., None] - cand)
    best = np.argmax(eu, axis=-1)[..., None]
    return np.take_along_axis(cand, best, -1)[..., 0]


def _numeric(
    p: np.ndarray, c_A: np.ndarray, belief: Distribution
) -> tuple[np.ndarray, np.ndarray, int]:
    # On [0, p + lo] every type accepts (EU = x, increasing); beyond p + hi every type fights
    # (EU = p - c_A, constant): the optimum lies in [x_lo, x_hi]. Points are flattened to one
    # axis, the grid over demands is the second.
    shape = p.shape
    kind = type(belief)
    pf, cf = p.reshape(-1), c_A.reshape(-1)
    bf = [np.broadcast_to(a, shape).reshape(-1) for a in belief.args()]

    def neg_eu(x: np.ndarray, pp: np.ndarray, cc: np.ndarray, *bp: np.ndarray) -> np.ndarray:
        if x.ndim > pp.ndim:  # a grid over demands on the last axis
            pp, cc, bp = pp[:, None], cc[:, None], tuple(a[:, None] for a in bp)
        return -expected_utility(x, pp, cc, kind(*bp))

    b = kind(*bf)
    x_lo = np.minimum(1.0, pf + b.low)
    x_hi = np.minimum(1.0, pf + b.high)
    grid = x_lo[:, None] + (x_hi - x_lo)[:, None] * np.linspace(0.0, 1.0, _GRID)
    f_grid = neg_eu(grid, pf, cf, *bf)
    i = np.argmin(f_grid, axis=-1)
    x = grid[np.arange(grid.shape[0]), i]
    f_x = f_grid[np.arange(grid.shape[0]), i]
    # refine inside the bracket around the best grid point wherever it is a valid bracket
    j = np.clip(i, 1, _GRID - 2)
    rows = np.arange(grid.shape[0])
    xl, xm, xr = grid[rows, j - 1], grid[rows, j], grid[rows, j + 1]
    fl, fm, fr = f_grid[rows, j - 1], f_grid[rows, j], f_grid[rows, j + 1]
    ok = (xl < xm) & (xm < xr) & (fm <= fl) & (fm <= fr)
    nit = 0
    converged = np.ones(x.shape, dtype=bool)
    if np.any(ok):
        res = elementwise.find_minimum(
            neg_eu,
            (xl[ok], xm[ok], xr[ok]),
            args=(pf[ok], cf[ok], *(a[ok] for a in bf)),
            tolerances={"xatol": 1e-12, "xrtol": 1e-12},
        )
        take = res.f_x <= f_x[ok]
        x[ok] = np.where(take, res.x, x[ok])
        converged[ok] = res.success | ~take
        nit = int(np.max(res.nit))
    return x.reshape(shape), converged.reshape(shape), nit


_BLOCK = 1 << 15  # points per block of the uniform kernel: temporaries stay in cache


def _uniform_kernel(
    p: np.ndarray,
    c_A: np.ndarray,
    g: tuple[np.ndarray, np.ndarray],
    f: tuple[np.ndarray, np.ndarray] | None,
) -> dict[str, np.ndarray]:
    """Closed form, outcomes, utilities and certificate for uniform belief ``g`` and truth ``f``.

    All inputs are 1-D arrays of one length (``f is None``: the belief is the truth). Blocks of
    :data:`_BLOCK` points are processed in turn so that the chain of temporaries stays in cache.

    Certificate: on ``[0, min(1, p + g_hi)]`` the expected utility is concave (linear with slope
    one up to ``p + g_lo``, then a concave quadratic), and beyond ``p + g_hi`` it is constant at
    its value there. For a concave function, no gain at ``x* - h`` and ``x* + h`` for one
    ``h > 0`` implies no gain anywhere, so two deviations certify the global optimum.
    """
    n = p.shape[0]
    names = ["x", "war_g", "eu_a_g", "eu_b_g", "regret"]
    if f is not None:
        names += ["war_f", "eu_a_f", "eu_b_f"]
    out = {k: np.empty(n) for k in names}
    h = 1e-4
    for s in range(0, n, _BLOCK):
        sl = slice(s, s + _BLOCK)
        pp, cc, lo, hi = p[sl], c_A[sl], g[0][sl], g[1][sl]
        inv_w = 1.0 / (hi - lo)
        x = np.minimum(1.0, pp + np.maximum(lo, 0.5 * (hi - cc)))
        t = x - pp
        stake = pp - cc  # the challenger's war payoff
        war = np.clip((t - lo) * inv_w, 0.0, 1.0)
        eu = x + war * (stake - x)
        top = np.minimum(1.0, pp + hi)
        regret = np.zeros_like(x)
        for d in (np.maximum(x - h, 0.0), np.minimum(x + h, top)):
            wd = np.clip((d - pp - lo) * inv_w, 0.0, 1.0)
            np.maximum(regret, d + wd * (stake - d) - eu, out=regret)
        out["x"][sl], out["war_g"][sl], out["eu_a_g"][sl], out["regret"][sl] = x, war, eu, regret
        tc = np.clip(t, lo, hi)
        out["eu_b_g"][sl] = (
            (1.0 - war) * (1.0 - x) + war * (1.0 - pp) - (tc * tc - lo * lo) * (0.5 * inv_w)
        )
        if f is not None:
            flo, fhi = f[0][sl], f[1][sl]
            inv_v = 1.0 / (fhi - flo)
            wf = np.clip((t - flo) * inv_v, 0.0, 1.0)
            out["war_f"][sl] = wf
            out["eu_a_f"][sl] = x + wf * (stake - x)
            tf = np.clip(t, flo, fhi)
            out["eu_b_f"][sl] = (
                (1.0 - wf) * (1.0 - x) + wf * (1.0 - pp) - (tf * tf - flo * flo) * (0.5 * inv_v)
            )
    return out


def _solve_uniform(
    params: Params, p: np.ndarray, c_A: np.ndarray, belief: Uniform, truth: Distribution, same: bool
) -> Solution:
    shape = p.shape

    def flat(a: np.ndarray) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1)

    g = (flat(belief.low), flat(belief.high))
    f = None if same else (flat(truth.low), flat(truth.high))
    k = _uniform_kernel(flat(p), flat(c_A), g, f)
    k = {name: v.reshape(shape) for name, v in k.items()}
    x = k["x"]
    war_g, war_f = k["war_g"], k.get("war_f", k["war_g"])
    planned = outcome_table({Outcome.COMPLIANCE: 1.0 - war_g, Outcome.WAR: war_g}, shape)
    realised = (
        planned
        if same
        else outcome_table({Outcome.COMPLIANCE: 1.0 - war_f, Outcome.WAR: war_f}, shape)
    )
    eu_planned = {"challenger": k["eu_a_g"], "target": k["eu_b_g"]}
    eu_realised = eu_planned if same else {"challenger": k["eu_a_f"], "target": k["eu_b_f"]}
    cert = Certificate(
        max_regret=k["regret"],
        bayes_gap=np.zeros(shape),
        tolerance=TOLERANCE,
        checks={
            "challenger_regret": (
                "no gain under the challenger's belief at x* -/+ 1e-4; with a uniform belief the "
                "expected utility is concave where it matters, so this certifies the global optimum"
            ),
            "target_regret": "accepting iff c_B >= x - p is dominant for every type",
            "bayes": "not applicable: no information set is reached with updated beliefs",
        },
    )
    return Solution(
        model=NAME,
        params=params,
        strategies={"challenger.demand": x},
        cutpoints={"target.accept_cost": x - p},
        beliefs={"challenger": belief, "truth": truth},
        planned=planned,
        realised=realised,
        utilities_planned=eu_planned,
        utilities_realised=eu_realised,
        method="closed_form",
        method_params={},
        converged=np.ones(shape, dtype=bool),
        certificate=cert,
    )


def _certificate(
    x: np.ndarray, p: np.ndarray, c_A: np.ndarray, belief: Distribution, eu_star: np.ndarray
) -> Certificate:
    # Deviations: an evenly spaced grid of demands, the corners of the belief's support and
    # small perturbations of x*; the regret is the largest gain among them under the belief.
    lo = np.minimum(1.0, p + belief.low)
    hi = np.minimum(1.0, p + belief.high)
    devs = [np.broadcast_to(v, x.shape) for v in np.linspace(0.0, 1.0, _CHECK_GRID)]
    devs += [lo, hi]
    for h in _PERTURB:
        devs += [np.clip(x - h, 0.0, 1.0), np.clip(x + h, 0.0, 1.0)]
    regret = np.zeros(x.shape)
    for d in devs:
        np.maximum(regret, expected_utility(d, p, c_A, belief) - eu_star, out=regret)
    # The target's rule "accept iff c_B >= x - p" is dominant; its regret at the cutpoint
    # type (where accepting and fighting tie) is |(1 - x) - (1 - p - t)| = 0 by construction.
    t = x - p
    regret = np.maximum(regret, np.abs((1.0 - x) - (1.0 - p - t)))
    return Certificate(
        max_regret=regret,
        bayes_gap=np.zeros(x.shape),
        tolerance=TOLERANCE,
        checks={
            "challenger_regret": (
                f"no demand among {_CHECK_GRID} grid points, the belief's support corners and "
                f"perturbations {_PERTURB} of x* does better under the challenger's belief"
            ),
            "target_regret": "the cutpoint type is indifferent between accepting and fighting",
            "bayes": "not applicable: no information set is reached with updated beliefs",
        },
    )


def solve(
    params: Params,
    *,
    prior: Distribution | None = None,
    belief: Distribution | None = None,
    method: str = "auto",
) -> Solution:
    """Solve the risk-return game at every parameter point at once.

    Parameters
    ----------
    params : Params
        Validated parameters; array fields broadcast.
    prior : Distribution, optional
        The true prior of the target's cost of war; default ``Uniform(c_B_lo, c_B_hi)``.
    belief : Distribution, optional
        The challenger's belief about that prior; default ``prior.scaled(belief_scale)``.
    method : {"auto", "closed_form", "enumeration", "numeric"}
        ``auto`` uses the closed form for a uniform belief, enumeration for a discrete one and
        the numeric optimiser otherwise.

    Returns
    -------
    Solution
        Demand, target cutpoint, planned and realised outcome probabilities, expected utilities
        and the regret certificate.
    """
    if not isinstance(params, Params):
        raise TypeError(f"params must be risk_return.Params, got {type(params).__name__}")
    shape = params.shape
    p = np.broadcast_to(np.asarray(params.p, dtype=np.float64), shape)
    c_A = np.broadcast_to(np.asarray(params.c_A, dtype=np.float64), shape)
    truth = prior if prior is not None else Uniform(params.c_B_lo, params.c_B_hi)
    if belief is None:
        kappa = np.asarray(params.belief_scale, dtype=np.float64)
        belief = truth if np.all(kappa == 1.0) else truth.scaled(kappa)
    for name, d in (("prior", truth), ("belief", belief)):
        if not isinstance(d, Distribution):
            raise TypeError(
                f"{name} must be a model.distributions.Distribution, got {type(d).__name__}"
            )
        if np.any(np.asarray(d.low) < 0):
            raise ValueError(f"{name} {d} puts weight on negative costs of war; costs must be >= 0")
    shape = np.broadcast_shapes(shape, belief.shape, truth.shape)
    p, c_A = np.broadcast_to(p, shape), np.broadcast_to(c_A, shape)

    valid = ("auto", "closed_form", "enumeration", "numeric")
    if method not in valid:
        raise ValueError(f"method = {method!r} is not one of {valid}")
    if method == "auto":
        method = (
            "closed_form"
            if isinstance(belief, Uniform)
            else "enumeration"
            if isinstance(belief, Discrete)
            else "numeric"
        )
    nit = 0
    if method == "closed_form":
        if not isinstance(belief, Uniform):
            raise ValueError(f"method 'closed_form' needs a uniform belief; got {belief}")
        if belief is truth or isinstance(truth, Uniform):
            return _solve_uniform(params, p, c_A, belief, truth, same=belief is truth)
        x = _closed_form(p, c_A, belief.low, belief.high)
        converged = np.ones(shape, dtype=bool)
    elif method == "enumeration":
        if not isinstance(belief, Discrete):
            raise ValueError(f"method 'enumeration' needs a discrete belief; got {belief}")
        x = _enumerate(p, c_A, belief)
        converged = np.ones(shape, dtype=bool)
    else:
        if isinstance(belief, Discrete):
            raise ValueError("method 'numeric' needs a continuous belief; use 'enumeration'")
        x, converged, nit = _numeric(np.array(p), np.array(c_A), belief)
    x = np.broadcast_to(x, shape)

    t = x - p
    war_planned = belief.prob_below(t)
    war_realised = truth.prob_below(t)
    eu_a_planned = x + war_planned * (p - c_A - x)
    eu_a_realised = x + war_realised * (p - c_A - x)
    cert = _certificate(x, p, c_A, belief, eu_a_planned)
    return Solution(
        model=NAME,
        params=params,
        strategies={"challenger.demand": x},
        cutpoints={"target.accept_cost": t},
        beliefs={"challenger": belief, "truth": truth},
        planned=outcome_table(
            {Outcome.COMPLIANCE: 1.0 - war_planned, Outcome.WAR: war_planned}, shape
        ),
        realised=outcome_table(
            {Outcome.COMPLIANCE: 1.0 - war_realised, Outcome.WAR: war_realised}, shape
        ),
        utilities_planned={"challenger": eu_a_planned, "target": _target_utility(x, p, belief)},
        utilities_realised={"challenger": eu_a_realised, "target": _target_utility(x, p, truth)},
        method=method,
        method_params={"grid": _GRID, "iterations": nit} if method == "numeric" else {},
        converged=converged,
        certificate=cert,
    )


def _tree_grids(params: Params, n_types: int, n_demands: int) -> dict[str, np.ndarray]:
    """Compute believed cost types, their probabilities and the demands, ``(n, *shape)``."""
    for name, n in (("n_types", n_types), ("n_demands", n_demands)):
        if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 2:
            raise ValueError(f"{name} = {n!r} must be an integer >= 2")
    if not isinstance(params, Params):
        raise TypeError(f"params must be risk_return.Params, got {type(params).__name__}")
    v = params.broadcast()
    p, kappa = v["p"], v["belief_scale"]
    g_lo, g_hi = kappa * v["c_B_lo"], kappa * v["c_B_hi"]  # the belief U[g_lo, g_hi]
    axis = (-1,) + (1,) * p.ndim
    u_types = ((np.arange(n_types) + 0.5) / n_types).reshape(axis)
    u_demands = (np.arange(n_demands) / (n_demands - 1)).reshape(axis)
    costs = g_lo + (g_hi - g_lo) * u_types
    demands = np.minimum(1.0, p + (g_lo + (g_hi - g_lo) * u_demands))
    return {
        "costs": costs,
        "type_probs": np.full(n_types, 1.0 / n_types),
        "demands": demands,
    }


def tree(params: Params, *, n_types: int = 32, n_demands: int = 32) -> Game:
    r"""Build the risk-return game as a finite extensive-form game, for the generic solvers.

    The challenger learns nothing about the target's type before it demands, so the game is
    equivalent to the tree in which it moves first:

    1. the challenger picks a demand from ``n_demands`` grid values (information set
       ``"challenger"``, actions ``"d0"``, ``"d1"``, ...);
    2. nature draws the target's cost of war from ``n_types`` values (``"c0"``, ``"c1"``, ...);
    3. the target, knowing both, accepts, payoffs :math:`(x, 1 - x)`, or fights, payoffs
       :math:`(p - c_A, 1 - p - c_B)` (information sets ``"target.d<j>.c<k>"``, actions
       ``("accept", "fight")``).

    Chance uses the challenger's **belief** :math:`G = U[\kappa \underline c, \kappa \bar c]`
    (``belief_scale`` :math:`= \kappa`), because the tree is the challenger's decision problem:
    its optimal demand is what :func:`solve` reports. The types are the midpoints of ``n_types``
    equal-probability bins of :math:`G` (the quantiles :math:`G^{-1}((k + 1/2)/n)`, i.e.
    :math:`\kappa` times those of the true prior), each with probability ``1/n_types``. Realised
    outcomes come from the truth, not from this tree: evaluate the tree's demand with
    :func:`outcomes_at_demand`.

    The demand grid is evenly spaced on :math:`[\min(1, p + \underline g), \min(1, p + \bar g)]`
    at every parameter point: below it every type accepts (expected utility :math:`x` rises),
    above it every type fights (it is flat), so the interval contains every optimal demand. The
    grid values differ across parameter points while the tree's shape does not; they are in
    ``game.annotations["demands"]`` (``(n_demands, *params.shape)``), the believed costs in
    ``annotations["costs"]``. As the grids refine, the tree's solution converges to the closed
    form; the error is of order :math:`(\bar g - \underline g)(1/n_{types} + 1/n_{demands})`.

    Ties: the model's target accepts when indifferent; ``"accept"`` is the first action, which is
    what :func:`~model.solvers.backward.backward_induction_solve` picks among tied actions, and
    payoff differences below ``1e-12`` between accepting and fighting (rounding) are made exact
    ties. With an even ``n_demands`` no demand on the grid leaves a type exactly indifferent.

    Parameters
    ----------
    params : Params
        Parameters; array fields give a batch of games with one tree shape.
    n_types : int
        Number of target types, at least 2.
    n_demands : int
        Number of demands on the grid, at least 2.

    Returns
    -------
    model.tree.Game
        Players ``("challenger", "target")``; payoffs of shape ``params.shape``; the tree has
        ``1 + n_demands (1 + 3 n_types)`` nodes.

    Examples
    --------
    >>> from model.solvers.backward import backward_induction_solve
    >>> game = tree(Params(p=0.5, c_A=0.1, c_B_lo=0.0, c_B_hi=0.4), n_types=8, n_demands=8)
    >>> res = backward_induction_solve(game)
    >>> demand = game.annotations["demands"][res.choice["challenger"]]
    >>> round(float(demand), 4), round(float(res.root_values[0]), 4)
    (0.6714, 0.5696)
    """
    grids = _tree_grids(params, n_types, n_demands)
    v = params.broadcast()
    p, c_A = v["p"], v["c_A"]
    costs, demands, probs = grids["costs"], grids["demands"], grids["type_probs"]
    war_a = p - c_A
    branches = {}
    for j in range(n_demands):
        x = demands[j]
        types = {}
        for k in range(n_types):
            accept_b = 1.0 - x
            fight_b = 1.0 - p - costs[k]
            fight_b = np.where(np.abs(fight_b - accept_b) <= 1e-12, accept_b, fight_b)
            types[f"c{k}"] = (
                probs[k],
                Decision(
                    "target",
                    f"target.d{j}.c{k}",
                    {
                        "accept": Terminal((x, accept_b), label=str(Outcome.COMPLIANCE)),
                        "fight": Terminal((war_a, fight_b), label=str(Outcome.WAR)),
                    },
                ),
            )
        branches[f"d{j}"] = Chance(types)
    truth = Uniform(params.c_B_lo, params.c_B_hi)
    kappa = np.asarray(params.belief_scale, dtype=np.float64)
    return Game(
        ("challenger", "target"),
        Decision("challenger", "challenger", branches),
        title=f"risk-return game: {n_demands} demands x {n_types} believed target types",
        annotations={
            "model": NAME,
            "params": params,
            "demands": demands,
            "costs": costs,
            "type_probs": probs,
            "belief": truth if np.all(kappa == 1.0) else truth.scaled(kappa),
            "truth": truth,
            "tie_rule": "the target accepts when indifferent (first action 'accept')",
        },
    )
