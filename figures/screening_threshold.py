"""Screening or pooling: when an uninformed challenger risks war to find out who it faces.

What the figure shows
---------------------
A challenger makes a take-it-or-leave-it demand to a target that is strong (prior ``sigma``;
the challenger wins a war with ``p_s``) or weak (``p_w > p_s``). It either *pools*, demanding
what the strong type accepts (peace), or *screens*, demanding what only the weak type accepts
(the strong type fights: war with probability ``sigma``).

* Left: the phase diagram over the prior ``sigma`` (horizontal) and the total cost of war
  ``c_A + c_B`` (vertical), coloured by the probability of war; the line is the stored
  threshold ``sigma* = (p_w - p_s)/(p_w - p_s + c_A + c_B)`` at each cost. War happens only to
  its left (screening), and the screening region shrinks as war gets costlier.
* Right: one cost level (the one nearest ``c_A + c_B = 0.2``): the probability of war, which
  rises with ``sigma`` up to ``sigma*`` and then drops to zero, and the challenger's expected
  payoff, which falls with ``sigma`` while screening and is flat (the pooling demand) after;
  a dotted line marks ``sigma*``.

Data
----
Reads the experiment ``screening_threshold``: :mod:`model.games.screening` solved in closed
form (certified on the game tree). The equilibrium is unique except at ``sigma = sigma*``,
where the challenger is indifferent and the tie rule reports pooling (also what the generic
solver picks under the ``challenger_preferred`` rule). Used columns: ``sigma``, ``c_A``,
``c_B``, ``p_s``, ``p_w``, ``planned_war``, ``eu_planned_challenger``, ``cut_sigma_star``,
``challenger_screens`` and ``certified``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "screening_threshold"
#: Experiments whose stored results this figure reads.
REQUIRES = ["screening_threshold"]

_COLUMNS = [
    "sigma",
    "c_A",
    "c_B",
    "p_s",
    "p_w",
    "planned_war",
    "eu_planned_challenger",
    "cut_sigma_star",
    "challenger_screens",
    "certified",
]
_SLICE_COST = 0.2  # total cost of war of the right panel (the nearest level is used)
_N_MARKERS = 9


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the screening-threshold figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``screening_threshold/part-*.parquet``.
    out_dir : Path
        Where ``screening_threshold.pdf`` and ``screening_threshold.png`` are written.

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
    p_s = style.single_value(table, name, "p_s")
    p_w = style.single_value(table, name, "p_w")
    table = table.assign(cost=table["c_A"] + table["c_B"])
    wide = table.pivot_table(index="cost", columns="sigma", values="planned_war")
    sigma = wide.columns.to_numpy(dtype=np.float64)
    cost = wide.index.to_numpy(dtype=np.float64)
    star = table.groupby("cost")["cut_sigma_star"].first().reindex(cost).to_numpy()
    level = cost[np.argmin(np.abs(cost - _SLICE_COST))]
    curve = table[table["cost"] == level].sort_values("sigma", kind="stable")
    level_star = float(curve["cut_sigma_star"].iloc[0])

    # break the war curve where the regime switches (war jumps from sigma* to 0)
    x = curve["sigma"].to_numpy(dtype=np.float64)
    war = curve["planned_war"].to_numpy(dtype=np.float64)
    jump = np.flatnonzero(np.diff(curve["challenger_screens"].to_numpy()) != 0) + 1
    x_war, war = np.insert(x, jump, np.nan), np.insert(war, jump, np.nan)

    with style.rc():
        fig = style.new_figure(height=3.0)
        ax_map, ax_cut = fig.subplots(1, 2)

        mesh = ax_map.pcolormesh(
            _edges(sigma),
            _edges(cost),
            wide.to_numpy(),
            cmap=style.SEQUENTIAL_CMAP,
            vmin=0.0,
            vmax=1.0,
            shading="flat",
            rasterized=True,
        )
        ax_map.plot(star, cost, color="white", lw=2.2, zorder=3)
        ax_map.plot(
            star,
            cost,
            color=style.OKABE_ITO["black"],
            lw=1.0,
            ls="--",
            zorder=4,
            label="threshold $\\sigma^* = (p_w - p_s)/(p_w - p_s + c_A + c_B)$",
        )
        ax_map.axhline(level, color=style.GREY, lw=0.6, ls=":", zorder=2)
        span = float(np.ptp(cost)) or 1.0
        ax_map.text(
            0.04,
            cost.min() + 0.02 * span,
            "screening:\nwar iff strong",
            color="white",
            fontsize=7,
            va="bottom",
        )
        ax_map.text(
            0.97,
            cost.max() - 0.03 * span,
            "pooling:\npeace",
            color="white",
            fontsize=7,
            ha="right",
            va="top",
        )
        ax_map.set_xlim(0.0, 1.0)
        ax_map.set_xlabel("prior that the target is strong, $\\sigma$")
        ax_map.set_ylabel("total cost of war, $c_A + c_B$")
        ax_map.set_title("probability of war (colour)")
        fig.colorbar(mesh, ax=ax_map, label="P(war)", shrink=0.9)

        every = max(1, (len(x) - 1) // (_N_MARKERS - 1))
        ax_cut.plot(
            x_war,
            war,
            **style.OUTCOME_STYLE["war"].line(),
            markevery=(0, every),
            label="probability of war",
        )
        ax_cut.plot(
            x,
            curve["eu_planned_challenger"],
            color=style.OKABE_ITO["blue"],
            ls="-",
            marker="o",
            markevery=(every // 2, every),
            label="challenger's expected payoff",
        )
        ax_cut.axvline(level_star, color=style.GREY, lw=0.8, ls=":", zorder=1)
        ax_cut.annotate(
            f"$\\sigma^*$ = {style.fmt_number(level_star)}",
            xy=(level_star, 0.97),
            xytext=(3, 0),
            textcoords="offset points",
            ha="left",
            va="top",
            fontsize=7,
            color=style.GREY,
        )
        ax_cut.set_xlim(0.0, 1.0)
        ax_cut.set_ylim(-0.03, 1.03)
        ax_cut.grid(True, axis="y")
        ax_cut.set_xlabel("prior that the target is strong, $\\sigma$")
        ax_cut.set_ylabel("probability; payoff (share of the issue)")
        ax_cut.set_title(f"at $c_A + c_B$ = {style.fmt_number(level)} (dotted line, left)")
        fig.legend(
            loc="outside upper center",
            ncol=3,
            columnspacing=1.6,
            title=f"take-it-or-leave-it demand to a strong or weak target, $p_s$ = "
            f"{style.fmt_number(p_s)}, $p_w$ = {style.fmt_number(p_w)}; at $\\sigma = "
            "\\sigma^*$ the challenger pools",
        )
        return style.save(fig, out_dir, NAME)


def _edges(centres: np.ndarray) -> np.ndarray:
    """Cell edges around sorted grid centres (midpoints; the ends mirror the first step)."""
    if centres.size == 1:
        return np.array([centres[0] - 0.5, centres[0] + 0.5])
    mid = 0.5 * (centres[1:] + centres[:-1])
    return np.concatenate([[2 * centres[0] - mid[0]], mid, [2 * centres[-1] - mid[-1]]])


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
