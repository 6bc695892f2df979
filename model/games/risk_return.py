"""Risk-return tradeoff: a take-it-or-leave-it demand against a target of private resolve.

The game (Fearon 1995, section "War due to private information and incentives to misrepresent",
in its textbook form: one take-it-or-leave-it offer, risk-neutral states, lump-sum costs)
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

Closed form for a uniform belief :math:`G = U[\\underline g, \\bar g]`. On the support
:math:`EU_A = [(\\bar g - t)(p + t) + (t - \\underline g)(p - c_A)] / (\\bar g - \\underline g)`
with :math:`t = x - p`, a concave quadratic whose derivative
:math:`(\\bar g - 2t - c_A)/(\\bar g - \\underline g)` vanishes at :math:`t = (\\bar g - c_A)/2`;
below the support every type accepts and :math:`EU_A = x` rises, above it every type fights.
Clipping the vertex to the support and the demand to :math:`x \\le 1` gives

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
each player best-responds to what it believes, and outcomes are evaluated under the truth (a
misspecified prior about the opponent's type; compare the non-common priors of Smith & Stam
2004).

Solution methods
----------------
``closed_form`` (uniform belief), ``enumeration`` (discrete belief: the optimal cutpoint is one
of the types' costs :math:`v_k`, or the corner :math:`x = 1`), ``numeric`` (any continuous
belief: a vectorised grid search brackets the global maximum, then
``scipy.optimize.elementwise.find_minimum`` refines it).

Certificate: the challenger's regret, evaluated under its belief with
:func:`expected_utility`, against deviations: for a uniform belief the demands
:math:`x^* \\pm 10^{-4}`, which certify the global optimum because :math:`EU_A` is concave
where the optimum can lie; for any other belief an evenly spaced grid of demands, the support's
corners and small perturbations of :math:`x^*`. The target's strategy is dominant.

References
----------
.. [1] Fearon, J. D. (1995). Rationalist Explanations for War. *International Organization*
   49(3): 379-414.
.. [2] Banks, J. S. (1990). Equilibrium Behavior in Crisis Bargaining Games. *American Journal of
   Political Science* 34(3): 599-614 (monotonicity of war in the target's war payoff).
.. [3] Smith, A. and Stam, A. C. (2004). Bargaining and the Nature of War. *Journal of Conflict
   Resolution* 48(6): 783-813 (bargaining under non-common priors).

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
MIN_WIDTH = 1e-6  # narrowest support of the uniform prior: the closed form divides by its width
_GRID = 257  # grid of the numeric method
_CHECK_GRID = 33  # demands on the certificate's grid of deviations
_PERTURB = (1e-6, 1e-3, 1e-2)
_HALVINGS = 48  # bracket search towards an end of the numeric method's grid
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
        (0.01, 10.0),
        "challenger's belief: the target's war costs are this multiple of the truth (1 = correct)",
    )

    def check(self) -> None:
        """Check that the uniform prior has a support at least :data:`MIN_WIDTH` wide."""
        lo, hi = np.asarray(self.c_B_lo), np.asarray(self.c_B_hi)
        bad = hi - lo < MIN_WIDTH
        if np.any(bad):
            i = np.flatnonzero(bad)[0]
            show_lo = np.broadcast_to(lo, bad.shape).flat[i]
            show_hi = np.broadcast_to(hi, bad.shape).flat[i]
            raise ValueError(
                f"c_B_lo = {show_lo:g} and c_B_hi = {show_hi:g}: the target's prior "
                f"U[c_B_lo, c_B_hi] needs c_B_hi - c_B_lo >= {MIN_WIDTH:g}"
            )


def _challenger_eu(x: np.ndarray, war: np.ndarray, stake: np.ndarray) -> np.ndarray:
    """``(1 - war) x + war (p - c_A)``, with ``stake = p - c_A`` the challenger's war payoff."""
    return x + war * (stake - x)


def _target_eu(x: np.ndarray, p: np.ndarray, war: np.ndarray, partial: np.ndarray) -> np.ndarray:
    """``E[(1 - x) 1{accept} + (1 - p - c_B) 1{war}]`` with ``partial = E[c_B 1{war}]``."""
    return (1.0 - war) * (1.0 - x) + war * (1.0 - p) - partial


def _beliefs(
    params: Params, prior: Distribution | None, belief: Distribution | None
) -> tuple[Distribution, Distribution]:
    """The true prior and the challenger's belief, validated (see :func:`solve`)."""
    truth = prior if prior is not None else Uniform(params.c_B_lo, params.c_B_hi)
    kappa = np.asarray(params.belief_scale, dtype=np.float64)
    if belief is None:
        belief = truth if np.all(kappa == 1.0) else truth.scaled(kappa)
    elif np.any(kappa != 1.0):
        raise ValueError(
            "belief_scale applies only when no belief is given: pass belief=... or "
            f"belief_scale = {_show(kappa)}, not both"
        )
    for name, d in (("prior", truth), ("belief", belief)):
        if not isinstance(d, Distribution):
            raise TypeError(
                f"{name} must be a model.distributions.Distribution, got {type(d).__name__}"
            )
        if np.any(np.asarray(d.low) < 0):
            raise ValueError(f"{name} {d} puts weight on negative costs of war; costs must be >= 0")
    return truth, belief


def _show(a: np.ndarray) -> str:
    return f"{a.item():g}" if a.ndim == 0 else f"array{a.shape}"


def expected_utility(x: Any, p: Any, c_A: Any, belief: Distribution) -> np.ndarray:
    """Return the challenger's expected utility of demanding ``x`` if it believes ``belief``.

    ``EU_A(x) = [1 - G(x - p)] x + G(x - p) (p - c_A)`` with ``G(t) = P(c_B < t)``.
    """
    x = np.asarray(x, dtype=np.float64)
    return _challenger_eu(x, belief.prob_below(x - p), np.asarray(p) - c_A)


def outcomes_at_demand(params: Params, demand: Any) -> dict[str, np.ndarray]:
    """Return what happens if the challenger demands ``demand`` (not necessarily optimal).

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
    x = np.asarray(demand, dtype=np.float64)
    if np.any(~np.isfinite(x) | (x < 0) | (x > 1)):
        raise ValueError(f"demand = {demand!r} is out of range: a demand must lie in [0, 1]")
    sol = solve(params)
    belief, truth = sol.beliefs["challenger"], sol.beliefs["truth"]
    p, c_A = np.asarray(params.p, dtype=np.float64), np.asarray(params.c_A, dtype=np.float64)
    shape = np.broadcast_shapes(x.shape, sol.shape)
    out: dict[str, np.ndarray] = {"demand": np.broadcast_to(x, shape)}
    for label, d in (("planned", belief), ("realised", truth)):
        war = d.prob_below(x - p)
        out[f"{label}_compliance"] = np.broadcast_to(1.0 - war, shape)
        out[f"{label}_war"] = np.broadcast_to(war, shape)
        out[f"eu_{label}_challenger"] = np.broadcast_to(_challenger_eu(x, war, p - c_A), shape)
    out["optimal_demand"] = np.broadcast_to(sol.strategies["challenger.demand"], shape)
    return out


def _uniform_cutpoint(p: np.ndarray, c_A: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Closed form under a uniform belief ``U[lo, hi]``.

    ``t* = min(1 - p, max(lo, (hi - c_A)/2))``.
    """
    return np.minimum(1.0 - p, np.maximum(lo, 0.5 * (hi - c_A)))


def _enumerate(p: np.ndarray, c_A: np.ndarray, belief: Discrete) -> np.ndarray:
    """Optimal cutpoint under a discrete belief, by enumerating the candidates.

    ``EU`` is piecewise linear and increasing between the types' thresholds, so the optimum is
    a type's own cost ``v_k`` (that type is indifferent and accepts) or the corner ``x = 1``
    (cutpoint ``1 - p``). Acceptance compares atoms with the candidate cutpoint itself, never
    with ``(p + v_k) - p``, which rounding can push above ``v_k``.
    """
    cap = (1.0 - p)[..., None]
    cand = np.concatenate([np.minimum(belief.values, cap), cap], axis=-1)
    war = np.sum(belief.probs[..., None, :] * (belief.values[..., None, :] < cand[..., None]), -1)
    x = np.minimum(1.0, p[..., None] + cand)
    eu = _challenger_eu(x, war, (p - c_A)[..., None])
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
    # a best grid point at an end of the grid: halve the first grid step towards that end until
    # its midpoint brackets a minimum; no bracket after _HALVINGS steps means the optimum is the
    # end itself (within 2**-_HALVINGS grid steps)
    edge = np.flatnonzero(~ok & ((i == 0) | (i == _GRID - 1)))
    if edge.size:
        a = grid[edge, i[edge]]
        b = grid[edge, np.where(i[edge] == 0, 1, _GRID - 2)]
        fa = f_x[edge]
        fb = f_grid[edge, np.where(i[edge] == 0, 1, _GRID - 2)]
        found = np.zeros(edge.size, dtype=bool)
        for _ in range(_HALVINGS):
            live = ~found & (a != b)
            if not live.any():
                break
            m = 0.5 * (a + b)
            fmid = neg_eu(m, pf[edge], cf[edge], *(arr[edge] for arr in bf))
            hit = live & (fmid <= fa) & (fmid <= fb)
            xl[edge[hit]] = np.minimum(a, b)[hit]
            xr[edge[hit]] = np.maximum(a, b)[hit]
            xm[edge[hit]], fm[edge[hit]] = m[hit], fmid[hit]
            found |= hit
            shrink = live & ~hit
            b, fb = np.where(shrink, m, b), np.where(shrink, fmid, fb)
        ok[edge[found]] = True
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


_BLOCK = 1 << 15  # points per block of the uniform path: temporaries stay in cache


def _outcomes(
    t: np.ndarray, p: np.ndarray, c_A: np.ndarray, belief: Distribution, truth: Distribution
) -> dict[str, np.ndarray]:
    """Demand, war probabilities and expected utilities of cutpoint ``t``, shared by all methods.

    Keys ``x``, ``war_g``, ``eu_a_g``, ``eu_b_g`` (under the belief) and ``war_f``, ``eu_a_f``,
    ``eu_b_f`` (under the truth; absent when the belief *is* the truth).
    """
    x = np.minimum(1.0, p + t)
    stake = p - c_A
    out = {"x": x}
    for tag, d in (("g", belief),) if truth is belief else (("g", belief), ("f", truth)):
        war = d.prob_below(t)
        out[f"war_{tag}"] = war
        out[f"eu_a_{tag}"] = _challenger_eu(x, war, stake)
        out[f"eu_b_{tag}"] = _target_eu(x, p, war, d.partial_mean(t))
    return out


def _solve_uniform(
    p: np.ndarray, c_A: np.ndarray, belief: Uniform, truth: Uniform
) -> dict[str, np.ndarray]:
    """Closed form, outcomes and certificate for a uniform belief and a uniform truth.

    Points are flattened and processed in blocks of :data:`_BLOCK` so the chain of temporaries
    stays in cache.

    Certificate: on ``[0, min(1, p + g_hi)]`` the expected utility is concave (slope one up to
    ``p + g_lo``, then a concave quadratic), and beyond ``p + g_hi`` it is constant at its value
    there. For a concave function, no gain at ``x* - h`` and at ``x* + h`` for one ``h > 0``
    implies no gain anywhere, so two deviations, evaluated with :func:`expected_utility`,
    certify the global optimum.
    """
    shape = p.shape
    same = truth is belief

    def flat(a: Any) -> np.ndarray:
        return np.ascontiguousarray(np.broadcast_to(a, shape)).reshape(-1)

    pf, cf = flat(p), flat(c_A)
    g = (flat(belief.low), flat(belief.high))
    f = g if same else (flat(truth.low), flat(truth.high))
    n = pf.shape[0]
    names = ["x", "t", "war_g", "eu_a_g", "eu_b_g", "regret"]
    names += [] if same else ["war_f", "eu_a_f", "eu_b_f"]
    out = {k: np.empty(n) for k in names}
    h = 1e-4
    for s in range(0, n, _BLOCK):
        sl = slice(s, s + _BLOCK)
        pp, cc = pf[sl], cf[sl]
        gb = Uniform(g[0][sl], g[1][sl])
        fb = gb if same else Uniform(f[0][sl], f[1][sl])
        t = _uniform_cutpoint(pp, cc, gb.low, gb.high)
        block = _outcomes(t, pp, cc, gb, fb)
        x = block["x"]
        top = np.minimum(1.0, pp + gb.high)
        regret = np.zeros_like(x)
        for d in (np.maximum(x - h, 0.0), np.minimum(x + h, top)):
            np.maximum(regret, expected_utility(d, pp, cc, gb) - block["eu_a_g"], out=regret)
        block["t"], block["regret"] = t, regret
        for k, v in block.items():
            out[k][sl] = v
    return {k: v.reshape(shape) for k, v in out.items()}


def _grid_regret(
    x: np.ndarray, p: np.ndarray, c_A: np.ndarray, belief: Distribution, eu_star: np.ndarray
) -> np.ndarray:
    """Largest gain, under the belief, among a deviation set for any belief.

    Deviations: an evenly spaced grid of demands, the corners of the belief's support and
    small perturbations of ``x*``.
    """
    lo = np.minimum(1.0, p + belief.low)
    hi = np.minimum(1.0, p + belief.high)
    devs = [np.broadcast_to(v, x.shape) for v in np.linspace(0.0, 1.0, _CHECK_GRID)]
    devs += [lo, hi]
    for h in _PERTURB:
        devs += [np.clip(x - h, 0.0, 1.0), np.clip(x + h, 0.0, 1.0)]
    regret = np.zeros(x.shape)
    for d in devs:
        np.maximum(regret, expected_utility(d, p, c_A, belief) - eu_star, out=regret)
    return regret


_BAYES = "not applicable: no information set is reached with updated beliefs"
_TARGET = "accepting iff c_B >= x - p is dominant for every type of the target"


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
        The true prior of the target's cost of war. Default ``Uniform(c_B_lo, c_B_hi)``; when a
        prior is given, ``c_B_lo`` and ``c_B_hi`` are not used.
    belief : Distribution, optional
        The challenger's belief about that prior. Default ``prior.scaled(belief_scale)``; a
        given belief requires ``belief_scale = 1``.
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
    truth, belief = _beliefs(params, prior, belief)
    shape = np.broadcast_shapes(params.shape, belief.shape, truth.shape)
    p = np.broadcast_to(np.asarray(params.p, dtype=np.float64), shape)
    c_A = np.broadcast_to(np.asarray(params.c_A, dtype=np.float64), shape)

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
    needs = {"closed_form": Uniform, "enumeration": Discrete}
    if method in needs and not isinstance(belief, needs[method]):
        raise ValueError(
            f"method {method!r} needs a {needs[method].__name__.lower()} belief; got {belief}"
        )
    if method == "numeric" and isinstance(belief, Discrete):
        raise ValueError("method 'numeric' needs a continuous belief; use 'enumeration'")

    converged = np.ones(shape, dtype=bool)
    method_params: dict[str, Any] = {}
    if method == "closed_form" and isinstance(truth, Uniform):
        o = _solve_uniform(p, c_A, belief, truth)  # type: ignore[arg-type]
        t, regret = o["t"], o["regret"]
        check = (
            "no gain under the challenger's belief at x* -/+ 1e-4; with a uniform belief the "
            "expected utility is concave where it matters, so this certifies the global optimum"
        )
    else:
        if method == "closed_form":
            t = _uniform_cutpoint(p, c_A, belief.low, belief.high)
        elif method == "enumeration":
            t = _enumerate(p, c_A, belief)  # type: ignore[arg-type]
        else:
            x, converged, nit = _numeric(np.array(p), np.array(c_A), belief)
            t = x - p
            method_params = {"grid": _GRID, "iterations": nit}
        t = np.broadcast_to(t, shape)
        o = _outcomes(t, p, c_A, belief, truth)
        regret = _grid_regret(o["x"], p, c_A, belief, o["eu_a_g"])
        check = (
            f"no demand among {_CHECK_GRID} grid points, the belief's support corners and "
            f"perturbations {_PERTURB} of x* does better under the challenger's belief"
        )
    g = ("war_g", "eu_a_g", "eu_b_g")
    war_f, eu_a_f, eu_b_f = (o.get(k.replace("_g", "_f"), o[k]) for k in g)
    planned = outcome_table({Outcome.COMPLIANCE: 1.0 - o["war_g"], Outcome.WAR: o["war_g"]}, shape)
    realised = (
        planned
        if truth is belief
        else outcome_table({Outcome.COMPLIANCE: 1.0 - war_f, Outcome.WAR: war_f}, shape)
    )
    return Solution(
        model=NAME,
        params=params,
        strategies={"challenger.demand": o["x"]},
        cutpoints={"target.accept_cost": t},
        beliefs={"challenger": belief, "truth": truth},
        planned=planned,
        realised=realised,
        utilities_planned={"challenger": o["eu_a_g"], "target": o["eu_b_g"]},
        utilities_realised={"challenger": eu_a_f, "target": eu_b_f},
        method=method,
        method_params=method_params,
        converged=converged,
        certificate=Certificate(
            max_regret=regret,
            bayes_gap=np.zeros(shape),
            tolerance=TOLERANCE,
            checks={"challenger_regret": check, "target_regret": _TARGET, "bayes": _BAYES},
        ),
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
    # spaced over the belief's support, then capped at x = 1: the grid step matches the spacing
    # of the types, which keeps the discrete optimum close to the continuous one
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

    The demands are :math:`\min(1, p + \underline g + (\bar g - \underline g) j/(n - 1))`,
    :math:`j = 0, \dots, n - 1`: evenly spaced over the belief's support shifted by :math:`p`
    (below it every type accepts and expected utility :math:`x` rises, above it every type fights
    and it is flat, so the interval contains every optimal demand), then capped at :math:`x = 1`.
    Where :math:`p + \bar g > 1` several grid points coincide at the corner :math:`x = 1`; the
    step is tied to the spacing of the types because a demand grid out of step with the
    types converges more slowly (the discrete expected utility is a sawtooth). The grid values
    differ across parameter points while the tree's shape does not; they are in
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
    truth, belief = _beliefs(params, None, None)
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
            "belief": belief,
            "truth": truth,
            "tie_rule": "the target accepts when indifferent (first action 'accept')",
        },
    )
