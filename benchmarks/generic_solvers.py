"""Closed form vs generic solvers on the discretised risk-return tree, time per game.

The risk-return game at ``p = 0.5, c_A = 0.1``, target's cost of war uniform on ``[0, 0.4]``, is
solved

* by the closed form (``risk_return.solve`` on scalar ``Params``);
* by backward induction (``model.solvers.backward.backward_induction_solve``) on
  ``risk_return.tree(params, n_types=4, n_demands=6)``, one game at a time and as a batch of many
  parameter points sharing the tree's shape (the time per game of the batch is reported);
* through the normal form with nashpy (``model.solvers.normal_form.nashpy_solve``): on the same
  tree after removing conditionally dominated actions (``prune=True``), and, because pruning
  leaves the target a single strategy (so the reduced game needs no enumeration), also on the
  *full* normal form of smaller trees, where nashpy's vertex and support enumeration do the work.
  The full normal form has ``2 ** (n_types * n_demands)`` target strategies, so only very small
  trees are feasible; its many Nash equilibria include non-credible threats.

Every case is timed end to end from the ``Params`` (building the tree is part of the cost of the
generic solvers) and reports the challenger's demand it finds; the discretised tree's demand
differs from the closed form by the grid error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np

from benchmarks import Row, best_of_interleaved
from model.games import risk_return
from model.solvers.backward import backward_induction_solve
from model.solvers.normal_form import nashpy_solve, to_normal_form

__all__ = ["run"]

GROUP = "closed form vs generic solvers"
POINT = {"p": 0.5, "c_A": 0.1, "c_B_lo": 0.0, "c_B_hi": 0.4}


def _demand_from_profile(game: Any, behaviour: dict[str, np.ndarray]) -> float:
    """Expected demand of a behaviour profile (the challenger's mixture over the demand grid)."""
    probs = np.asarray(behaviour["challenger"], dtype=np.float64)
    return float(probs @ np.asarray(game.annotations["demands"], dtype=np.float64))


def run(
    n_types: int = 4, n_demands: int = 6, batch: int = 10_000, repeat: int = 5, slow: bool = True
) -> list[Row]:
    """Measure every case; ``slow=False`` skips the seconds-long support enumeration."""
    params = risk_return.Params(**POINT)
    shape = f"n_types={n_types}, n_demands={n_demands}"

    rng = np.random.default_rng(0)
    many = risk_return.Params(
        p=rng.uniform(0.0, 1.0, batch),
        c_A=rng.uniform(0.0, 0.5, batch),
        c_B_lo=0.0,
        c_B_hi=rng.uniform(0.1, 1.0, batch),
    )

    def closed_form() -> Any:
        return risk_return.solve(risk_return.Params(**POINT))

    def backward() -> Any:
        game = risk_return.tree(risk_return.Params(**POINT), n_types=n_types, n_demands=n_demands)
        return game, backward_induction_solve(game)

    def pruned() -> Any:
        game = risk_return.tree(risk_return.Params(**POINT), n_types=n_types, n_demands=n_demands)
        return nashpy_solve(game, method="vertex_enumeration", prune=True)

    def backward_batch() -> Any:
        return backward_induction_solve(
            risk_return.tree(many, n_types=n_types, n_demands=n_demands)
        )

    t = best_of_interleaved({"cf": closed_form, "bi": backward, "nf": pruned}, 4 * repeat)
    t |= best_of_interleaved(
        {"cfb": lambda: risk_return.solve(many), "bib": backward_batch}, max(1, repeat // 2)
    )

    x_cf = float(closed_form().strategies["challenger.demand"])
    game, res = backward()
    res_nf = pruned()
    if not (res.certificate.all_passed and backward_batch().certificate.all_passed):
        raise AssertionError("backward induction's certificate failed")
    x_bi = float(game.annotations["demands"][res.choice["challenger"]])
    x_nf = _demand_from_profile(res_nf.normal_form.source, res_nf.profiles[0])
    nf_shape = "x".join(map(str, res_nf.A.shape))
    t_cf = t["cf"]
    rows = [
        Row(
            GROUP, "closed form (scalar solve)", t_cf, 1, "game", "reference", f"demand {x_cf:.4f}"
        ),
        Row(
            GROUP,
            f"backward induction, tree {shape}",
            t["bi"],
            1,
            "game",
            f"{t['bi'] / t_cf:,.0f}x the closed form's time",
            f"demand {x_bi:.4f} (grid error); tree built and solved, subgame perfection certified",
        ),
        Row(
            GROUP,
            f"nashpy_solve, pruned normal form, tree {shape}",
            t["nf"],
            1,
            "game",
            f"{t['nf'] / t_cf:,.0f}x the closed form's time",
            f"{nf_shape} bimatrix after pruning (one target strategy: solved without "
            f"enumeration); {_count(len(res_nf.equilibria))}, demand {x_nf:.4f}",
        ),
        Row(
            GROUP,
            f"closed form, batch of {batch:,} points",
            t["cfb"],
            batch,
            "game",
            f"{t_cf / (t['cfb'] / batch):,.0f}x faster per game than scalar",
            "vectorised solve over random parameter points",
        ),
        Row(
            GROUP,
            f"backward induction, batch of {batch:,}, {shape}",
            t["bib"],
            batch,
            "game",
            f"{t['bib'] / t['cfb']:,.0f}x the batched closed form's time",
            "one tree shape with payoff arrays over the same points; tree built and solved",
        ),
    ]

    cases = [(2, 2, "vertex_enumeration", repeat), (2, 3, "vertex_enumeration", 1)]
    if slow:
        cases.append((2, 2, "support_enumeration", 1))
    for nt, nd, method, rep in cases:
        small = risk_return.tree(params, n_types=nt, n_demands=nd)
        n_row, n_col = to_normal_form(small).shape
        t, out = _timed(lambda s=small, m=method: nashpy_solve(s, method=m), rep)
        label = method.replace("_", " ")
        rows.append(
            Row(
                GROUP,
                f"nashpy {label}, full normal form, tree n_types={nt}, n_demands={nd}",
                t,
                1,
                "game",
                f"{t / t_cf:,.0f}x the closed form's time",
                f"{n_row}x{n_col} bimatrix, {_count(len(out.equilibria))} found; "
                + (f"best of {rep} runs" if rep > 1 else "one run"),
            )
        )
    return rows


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Best time of ``repeat`` calls (no warm-up for a single call) and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return best, out


def _count(n: int) -> str:
    return f"{n} equilibrium" if n == 1 else f"{n} equilibria"
