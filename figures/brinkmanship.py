"""Brinkmanship: how often a contest of risk-taking ends in disaster, and who prevails.

What the figure shows
---------------------
Two states escalate in turn (:mod:`model.games.brinkmanship`); the ``k``-th escalation ends in a
disaster nobody chose with probability ``min(1, k s)``, and escalating at the last move is
certain disaster. The challenger's resolve (critical risk) is ``r_A``; the target is resolved
(never backs down) with probability ``pi`` and otherwise has resolve ``r_B``.

* Three line panels, one per resolve pair (the irresolute target less resolved than the
  challenger, about as resolved, more resolved): over the risk increment ``s``, the probability
  of disaster, of the challenger prevailing (the target complies) and of the target prevailing
  (the challenger backs down). The curves jump where a risk ``k s`` crosses a resolve, which
  changes who would win under complete information (the state with the later last acceptable
  move), and where the challenger's first move or the irresolute target's answer switches (the
  prior ``pi`` crosses the challenger's belief threshold); lines are broken there. The
  challenger escalates only if it would win under complete information and the prior of a
  resolved target is below its threshold; then the irresolute target bluffs and the challenger
  presses on only sometimes, so the less resolved target prevails with positive probability
  (Powell 1987). Otherwise it backs down at once.
* The map: the probability of disaster over ``s`` and ``r_B``; dotted lines mark the three
  pairs of the line panels, the dashed line ``r_B = r_A``. The staircase is the critical-risk
  comparison on the grid of risks.

Data
----
Reads the experiment ``brinkmanship_risk``: the closed form of
:mod:`model.games.brinkmanship` (the sequential equilibrium by backward recursion, certified on
the tree); its outcome is unique but for ties at ``pi = m_1``, where the challenger is
indifferent and the equilibrium in which it backs down is reported (no selection rule is
needed). Used columns: ``s``, ``r_A``, ``r_B``, ``pi``, ``n_rounds``, ``planned_war``,
``planned_compliance``, ``planned_backdown``, ``challenger_escalate_1``,
``irresolute_escalate_2`` and ``certified``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "brinkmanship"
#: Experiments whose stored results this figure reads.
REQUIRES = ["brinkmanship_risk"]

_COLUMNS = [
    "s",
    "r_A",
    "r_B",
    "pi",
    "n_rounds",
    "planned_war",
    "planned_compliance",
    "planned_backdown",
    "challenger_escalate_1",
    "irresolute_escalate_2",
    "certified",
]
_PAIRS = (0.3, 0.55, 0.8)  # irresolute target's resolve in the line panels (nearest level used)
_N_MARKERS = 8
_LABEL = {
    "war": "disaster (war)",
    "compliance": "challenger prevails (target complies)",
    "backdown": "target prevails (challenger backs down)",
}


def _edges(x: np.ndarray) -> np.ndarray:
    mid = 0.5 * (x[1:] + x[:-1])
    return np.concatenate([[x[0] - (mid[0] - x[0])], mid, [x[-1] + (x[-1] - mid[-1])]])


def _willing(s: np.ndarray, r: float, n: int, first: int) -> np.ndarray:
    """Number of a state's moves before the brink whose risk it accepts, ``k s < r``."""
    k = np.arange(first, n, 2)[:, None]
    return np.sum(np.minimum(1.0, k * s[None]) < r, axis=0)


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the brinkmanship figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``brinkmanship_risk/part-*.parquet``.
    out_dir : Path
        Where ``brinkmanship.pdf`` and ``brinkmanship.png`` are written.

    Returns
    -------
    list of Path
        The files written (PDF, PNG).
    """
    (name,) = REQUIRES
    table = style.load_results(results_dir, name)
    style.require_columns(table, name, _COLUMNS)
    if not table["certified"].all():
        raise ValueError(f"{name}: some stored equilibria failed their certificate")
    r_a = style.single_value(table, name, "r_A")
    pi = style.single_value(table, name, "pi")
    n = int(style.single_value(table, name, "n_rounds"))
    levels = np.unique(table["r_B"].to_numpy(dtype=np.float64))
    picks = sorted({float(levels[np.argmin(np.abs(levels - p))]) for p in _PAIRS})
    wide = table.pivot_table(index="r_B", columns="s", values="planned_war")

    with style.rc():
        fig = style.new_figure(height=4.8)
        axes = fig.subplots(2, 2).ravel()
        for j, r_b in enumerate(picks[:3]):
            ax = axes[j]
            curve = table[table["r_B"] == r_b].sort_values("s", kind="stable")
            s = curve["s"].to_numpy(dtype=np.float64)
            regime = (
                _willing(s, r_a, n, 1) * 1000
                + _willing(s, r_b, n, 2) * 10
                + 2 * (curve["challenger_escalate_1"].to_numpy() > 0.5)
                + (curve["irresolute_escalate_2"].to_numpy() > 0.0)
            )
            cut = np.flatnonzero(np.diff(regime) != 0) + 1
            every = max(1, (len(s) - 1) // (_N_MARKERS - 1))
            for k, o in enumerate(("war", "compliance", "backdown")):
                y = curve[f"planned_{o}"].to_numpy(dtype=np.float64)
                ax.plot(
                    np.insert(s, cut, np.nan),
                    np.insert(y, cut, np.nan),
                    **style.OUTCOME_STYLE[o].line(),
                    markevery=(k * every // 3, every),
                    label=_LABEL[o],
                )
            relation = "<" if r_b < r_a else (">" if r_b > r_a else "=")
            ax.set_title(
                f"$r_B$ = {style.fmt_number(r_b)} {relation} $r_A$ = {style.fmt_number(r_a)}"
            )
            ax.set_xlabel("risk increment $s$ (step $k$: risk $ks$)")
            ax.set_ylim(-0.03, 1.03)
            ax.set_xlim(0.0, float(s.max()))
            ax.grid(True, axis="y")
            if j % 2 == 0:
                ax.set_ylabel("probability")
        ax_map = axes[3]
        x = wide.columns.to_numpy(dtype=np.float64)
        y = wide.index.to_numpy(dtype=np.float64)
        mesh = ax_map.pcolormesh(
            _edges(x),
            _edges(y),
            wide.to_numpy(),
            cmap=style.SEQUENTIAL_CMAP,
            vmin=0.0,
            vmax=1.0,
            shading="flat",
            rasterized=True,
        )
        for r_b in picks[:3]:
            ax_map.axhline(r_b, color="white", lw=0.8, ls=":")
        ax_map.axhline(r_a, color=style.OKABE_ITO["black"], lw=0.9, ls="--")
        ax_map.annotate(
            "$r_B = r_A$",
            xy=(float(x.max()), r_a),
            xytext=(-3, 3),
            textcoords="offset points",
            ha="right",
            fontsize=7,
            color="white",
        )
        ax_map.set_xlabel("risk increment $s$")
        ax_map.set_ylabel("irresolute target's resolve $r_B$")
        ax_map.set_title(f"probability of disaster ($\\pi$ = {style.fmt_number(pi)}, N = {n})")
        fig.colorbar(mesh, ax=ax_map, label="P(disaster)", shrink=0.9)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=3, columnspacing=2.0)
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
