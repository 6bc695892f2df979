"""Equilibrium solvers for crisis trees against pygambit and nashpy, in the same run.

Two questions, on the trees of :mod:`model.catalog`:

* **one game**: a crisis with ``k`` challenger types and ``m`` demands
  (:func:`model.catalog.crisis_demands`, ``3km`` terminals). Our sequence-form Lemke solver
  (:func:`model.solvers.sequence_form.lcp_solve`, pruning, pivoting, mapping back to the tree and
  the certificate all included) against pygambit's ``lcp_solve`` on the same game in floating
  point (``rational=False``; its default exact arithmetic is slower still), and our agent-QRE
  trace (:func:`model.solvers.qre.qre_trace`) against pygambit's ``logit_solve``. nashpy needs
  the normal form, whose size explodes with ``k`` and ``m`` (the challenger has ``m ** k``
  pure strategies), so it runs on the smallest tree only.
* **a sweep of one tree shape**: the crisis signalling game
  (:func:`model.catalog.crisis_signalling`) at many random parameter points. Our batched
  perfect Bayesian enumeration (:func:`model.solvers.pbe.pbe_solve`: every pure and
  semi-separating equilibrium with certificates, then the Intuitive-Criterion selection rule)
  solves all points in one call; the batched logit QRE (:func:`model.solvers.qre.qre_solve`) at
  a fixed precision likewise; pygambit and nashpy solve point by point in a loop.

pygambit is optional: ``pip install -e '.[bench]'`` installs it (it builds from source, which
takes minutes); without it the pygambit rows say so. pygambit reads each game from the ``.efg``
text our writer produces (:func:`model.gambit.write_efg`), prepared before the clock starts.
"""

from __future__ import annotations

import io
import time
import warnings
from typing import Any

import nashpy
import numpy as np

from benchmarks import Row, best_of
from model.catalog import crisis_demands, crisis_signalling
from model.gambit import write_efg
from model.solvers.normal_form import to_normal_form
from model.solvers.pbe import pbe_solve
from model.solvers.qre import qre_solve, qre_trace
from model.solvers.selection import select
from model.solvers.sequence_form import lcp_solve

__all__ = ["run"]

GROUP_ONE = "one crisis game: ours vs pygambit and nashpy"
GROUP_SWEEP = "sweep of one tree shape"


def _pygambit() -> Any:
    try:
        import pygambit
    except ImportError:
        return None
    return pygambit


def _once(fn: Any) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def run(
    sizes: tuple[tuple[int, int], ...] = ((2, 3), (8, 9), (16, 9)),
    sweep_points: int = 100_000,
    loop_points: int = 200,
    repeat: int = 5,
    slow: bool = True,
) -> list[Row]:
    """Measure every case; ``slow=False`` skips pygambit runs that take many seconds."""
    gbt = _pygambit()
    rows: list[Row] = []
    missing = "pygambit not installed (pip install -e '.[bench]')"
    for k, m in sizes:
        game = crisis_demands(k, m)
        res = lcp_solve(game)
        if not res.certificate.all_passed:
            raise AssertionError(f"lcp_solve's certificate failed on crisis_demands({k}, {m})")
        ours = best_of(lambda g=game: lcp_solve(g), repeat)
        theirs = None
        note = f"tree of {len(game.terminals)} terminals; {res.pivots} pivots; certified"
        if gbt is not None and (slow or k * m <= 24):
            gg = gbt.read_efg(io.StringIO(write_efg(game)))
            theirs = min(
                _once(lambda g=gg: gbt.nash.lcp_solve(g, rational=False))
                for _ in range(1 if k * m > 24 else repeat)
            )
        rows.append(
            Row(
                GROUP_ONE,
                f"lcp_solve, crisis_demands({k}, {m})",
                ours,
                1,
                "game",
                "reference",
                note,
            )
        )
        if gbt is not None and theirs is not None:
            rows.append(
                Row(
                    GROUP_ONE,
                    f"pygambit lcp_solve (float), ({k}, {m})",
                    theirs,
                    1,
                    "game",
                    f"{theirs / ours:,.0f}x our time",
                    "the same game read from our .efg text",
                )
            )
        elif k * m <= 24 or slow:
            rows.append(
                Row(GROUP_ONE, f"pygambit lcp_solve, ({k}, {m})", np.nan, 1, "game", "", missing)
            )

    small = crisis_demands(2, 3)
    trace = qre_trace(small)
    ours = best_of(lambda: qre_trace(small), max(1, repeat // 2))
    rows.append(
        Row(
            GROUP_ONE,
            "qre_trace (agent), crisis_demands(2, 3)",
            ours,
            1,
            "game",
            "",
            f"principal branch to lambda {trace.final_lambda:g}, {trace.steps} steps",
        )
    )
    if gbt is not None:
        gg = gbt.read_efg(io.StringIO(write_efg(small)))
        theirs = _once(lambda: gbt.nash.logit_solve(gg))
        rows.append(
            Row(
                GROUP_ONE,
                "pygambit logit_solve, (2, 3)",
                theirs,
                1,
                "game",
                f"{theirs / ours:,.0f}x our time",
                "",
            )
        )
    nf = to_normal_form(small)
    A, B = nf.A, nf.B

    def nashpy_vertex() -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return list(nashpy.Game(A, B).vertex_enumeration())

    t_nf = best_of(lambda: to_normal_form(small), repeat)
    t_vx = best_of(nashpy_vertex, max(1, repeat // 2))
    n_eq = len(nashpy_vertex())
    rows.append(
        Row(
            GROUP_ONE,
            "nashpy vertex enumeration, (2, 3)",
            t_nf + t_vx,
            1,
            "game",
            f"{(t_nf + t_vx) / best_of(lambda: lcp_solve(small), repeat):,.3g}x our lcp_solve",
            f"reduced normal form {A.shape[0]}x{A.shape[1]} ({t_nf * 1e3:.2g} ms to build); "
            f"all {n_eq} extreme equilibria",
        )
    )

    # -- sweeps ---------------------------------------------------------------------------
    rng = np.random.default_rng(0)
    n = sweep_points
    pi, d, a = rng.uniform(0.05, 0.95, n), rng.uniform(1.1, 4.0, n), rng.uniform(0.1, 2.0, n)
    p, c_t, a_c = rng.uniform(0.2, 0.8, n), rng.uniform(0.05, 0.5, n), rng.uniform(0.0, 0.5, n)
    shapes = {
        "crisis_signalling": lambda idx: crisis_signalling(pi=pi[idx], d=d[idx], a=a[idx]),
        "crisis_demands(2, 3)": lambda idx: crisis_demands(
            2, 3, p=p[idx], target_cost=c_t[idx], audience_cost=a_c[idx]
        ),
    }
    loop = min(loop_points, n)
    for name, build in shapes.items():
        rows += _sweep(GROUP_SWEEP + f": {name}", build, n, loop, repeat, gbt, missing)
    return rows


def _sweep(
    group: str, build: Any, n: int, loop: int, repeat: int, gbt: Any, missing: str
) -> list[Row]:
    """Batched PBE and QRE over ``n`` points of one tree shape vs peers point by point."""
    rows: list[Row] = []
    everything = slice(None)

    def batched_pbe() -> Any:
        res = pbe_solve(build(everything))
        return res, select(res.equilibria, "intuitive")

    res, chosen = batched_pbe()
    t_pbe = best_of(batched_pbe, max(1, repeat // 2))
    rows.append(
        Row(
            group,
            f"pbe_solve batched, {n:,} points",
            t_pbe,
            n,
            "point",
            "reference",
            f"every PBE (mean {float(np.mean(res.count)):.2g} per point) with certificates "
            f"(all passed: {res.certificate.all_passed}), then rule 'intuitive' (selects one "
            f"at {float(np.mean(chosen.found)):.1%} of points); tree built inside the timing",
        )
    )
    m_qre = min(n, 20_000)
    game_q = build(slice(0, m_qre))
    t_q = best_of(lambda: qre_solve(game_q, 5.0), 1)
    rows.append(
        Row(
            group,
            f"qre_solve batched (lambda = 5), {m_qre:,} points",
            t_q,
            m_qre,
            "point",
            f"{(t_q / m_qre) / (t_pbe / n):,.3g}x the PBE time per point",
            "",
        )
    )
    if gbt is not None:
        texts = [write_efg(build(i)) for i in range(loop)]

        def gambit_loop() -> None:
            for text in texts:
                gbt.nash.lcp_solve(gbt.read_efg(io.StringIO(text)), rational=False)

        t_g = _once(gambit_loop)
        rows.append(
            Row(
                group,
                f"pygambit lcp_solve in a loop, {loop} points",
                t_g,
                loop,
                "point",
                f"{(t_g / loop) / (t_pbe / n):,.3g}x the PBE time per point",
                "one Nash equilibrium per point; each game read from .efg text",
            )
        )
    else:
        rows.append(Row(group, "pygambit lcp_solve in a loop", np.nan, 1, "point", "", missing))
    mats = [to_normal_form(build(i)) for i in range(min(loop, 50))]

    def nashpy_loop() -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for f in mats:
                list(nashpy.Game(f.A, f.B).vertex_enumeration())

    t_n = _once(nashpy_loop)
    rows.append(
        Row(
            group,
            f"nashpy vertex enumeration in a loop, {len(mats)} points",
            t_n,
            len(mats),
            "point",
            f"{(t_n / len(mats)) / (t_pbe / n):,.3g}x the PBE time per point",
            "all extreme equilibria of the reduced normal form (built beforehand, not timed)",
        )
    )
    return rows
