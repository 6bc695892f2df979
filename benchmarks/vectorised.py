"""Vectorised risk-return solve vs a per-point loop vs plain numpy on the same closed form.

The parameter points are drawn uniformly within the model's bounds: ``p`` and ``c_A`` on
``[0, 1]``, the target's prior ``U[c_B_lo, c_B_hi]`` with ``c_B_lo`` on ``[0, 0.5]`` and
``c_B_hi`` on ``[c_B_lo + MIN_WIDTH, 1]``. Two settings are measured: correct beliefs
(``belief_scale = 1``) and misperception (``belief_scale`` log-uniform on ``[1/4, 4]``, so planned
and realised outcomes differ).

Cases
-----
* ``solve``: ``risk_return.solve(params)`` on one :class:`~model.games.risk_return.Params` with
  array fields (validation of the parameters is timed separately).
* ``Params + solve``: the same, including building and validating ``Params``.
* ``plain numpy``: the closed form written directly as numpy expressions on the same arrays:
  ``x* = min(1, p + max(g_lo, (g_hi - c_A)/2))`` for the belief ``U[g_lo, g_hi]``, the war
  probability ``clip((x* - p - lo)/(hi - lo), 0, 1)`` under belief and truth, and the challenger's
  expected utility. It computes less than ``solve`` (no target utilities, no certificate, no
  validation), so it bounds what a vectorised closed form can achieve.
* ``scalar loop``: a Python loop calling ``solve(Params(...))`` once per point. It is timed on a
  subsample and extrapolated to the full number of points (stated in the output).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks import Row, best_of, best_of_interleaved
from model.games import risk_return

__all__ = ["draw_points", "plain_numpy", "run"]

GROUP = "vectorised solve"


def draw_points(n: int, seed: int, misperception: bool) -> dict[str, np.ndarray]:
    """Uniform random parameter points within the model's bounds (see the module docstring)."""
    rng = np.random.default_rng(seed)
    lo = rng.uniform(0.0, 0.5, n)
    return {
        "p": rng.uniform(0.0, 1.0, n),
        "c_A": rng.uniform(0.0, 1.0, n),
        "c_B_lo": lo,
        # at least MIN_WIDTH above c_B_lo, as the model requires
        "c_B_hi": lo + risk_return.MIN_WIDTH + (1.0 - lo - risk_return.MIN_WIDTH) * rng.random(n),
        "belief_scale": (
            np.exp(rng.uniform(np.log(0.25), np.log(4.0), n)) if misperception else np.ones(n)
        ),
    }


def plain_numpy(v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The closed form as direct numpy expressions: demand, war probabilities, utilities."""
    p, c_A, lo, hi, k = v["p"], v["c_A"], v["c_B_lo"], v["c_B_hi"], v["belief_scale"]
    g_lo, g_hi = k * lo, k * hi
    x = np.minimum(1.0, p + np.maximum(g_lo, (g_hi - c_A) / 2.0))
    t = x - p
    war_planned = np.clip((t - g_lo) / (g_hi - g_lo), 0.0, 1.0)
    war_realised = np.clip((t - lo) / (hi - lo), 0.0, 1.0)
    return {
        "x": x,
        "war_planned": war_planned,
        "war_realised": war_realised,
        "eu_planned": x + war_planned * (p - c_A - x),
        "eu_realised": x + war_realised * (p - c_A - x),
    }


def _ours(sol: Any) -> dict[str, np.ndarray]:
    return {
        "x": sol.strategies["challenger.demand"],
        "war_planned": sol.planned["war"],
        "war_realised": sol.realised["war"],
        "eu_planned": sol.utilities_planned["challenger"],
        "eu_realised": sol.utilities_realised["challenger"],
    }


def _loop(v: dict[str, np.ndarray], idx: np.ndarray) -> None:
    for i in idx:
        risk_return.solve(risk_return.Params(**{k: float(a[i]) for k, a in v.items()}))


def run(
    n_points: int = 10**6, loop_points: int = 2000, repeat: int = 5, seed: int = 0
) -> list[Row]:
    """Measure every case for both settings; returns the table rows."""
    settings = {"correct beliefs": False, "misperceived beliefs": True}
    data, params, errors = {}, {}, {}
    for setting, misperception in settings.items():
        v = draw_points(n_points, seed, misperception)
        par = risk_return.Params(**v)
        sol = risk_return.solve(par)
        ours, plain = _ours(sol), plain_numpy(v)
        err = max(float(np.max(np.abs(ours[k] - plain[k]))) for k in plain)
        if err > 1e-9:
            raise AssertionError(f"solve and the plain numpy closed form differ by {err:.3g}")
        if not sol.certificate.all_passed:
            raise AssertionError("the certificate of the vectorised solve failed")
        data[setting], params[setting], errors[setting] = v, par, err

    cases: dict[str, Callable[[], Any]] = {}
    for setting in settings:
        v, par = data[setting], params[setting]
        cases[f"plain|{setting}"] = lambda v=v: plain_numpy(v)
        cases[f"solve|{setting}"] = lambda par=par: risk_return.solve(par)
        cases[f"full|{setting}"] = lambda v=v: risk_return.solve(risk_return.Params(**v))
    t = best_of_interleaved(cases, repeat)

    rows: list[Row] = []
    sub = np.random.default_rng(seed + 1).choice(n_points, size=loop_points, replace=False)
    for setting in settings:
        v = data[setting]
        t_plain, t_solve, t_full = (t[f"{c}|{setting}"] for c in ("plain", "solve", "full"))
        t_loop_sub = best_of(lambda v=v: _loop(v, sub), max(1, repeat // 2))
        t_loop = t_loop_sub * n_points / loop_points
        rows += [
            Row(
                GROUP,
                f"plain numpy, {setting}",
                t_plain,
                n_points,
                "point",
                "reference",
                "closed form only: demand, war probabilities, challenger's utility",
            ),
            Row(
                GROUP,
                f"solve, {setting}",
                t_solve,
                n_points,
                "point",
                f"{t_plain / t_solve:.2f}x the speed of plain numpy",
                f"max |solve - plain numpy| = {errors[setting]:.1e}; solve also computes the "
                "target's utilities and the certificate",
            ),
            Row(
                GROUP,
                f"Params + solve, {setting}",
                t_full,
                n_points,
                "point",
                f"{t_plain / t_full:.2f}x the speed of plain numpy",
                "including building and validating Params from the arrays",
            ),
            Row(
                GROUP,
                f"scalar loop, {setting}",
                t_loop,
                n_points,
                "point",
                f"Params + solve is {t_loop / t_full:,.0f}x faster",
                f"Params + solve per point; extrapolated from {loop_points} random points "
                f"timed ({t_loop_sub:.3f} s)",
            ),
        ]
    return rows
