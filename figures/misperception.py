"""War due to misperception: planned against realised war when the challenger misjudges resolve.

What the figure shows
---------------------
The challenger of the risk-return model believes the target's cost of war is ``belief_scale``
times what it really is. Above 1 it thinks the target less resolved than it is and demands too
much; below 1 it thinks the target more resolved and demands too little. The top row maps, over
that misperception (log scale; 1 = correct beliefs) and the true uncertainty about the target's
resolve (``c_B_hi``, the highest possible cost of war of the target, whose cost is uniform on
``[c_B_lo, c_B_hi]``):

1. the war probability the challenger *plans* for (under its belief),
2. the war probability that is *realised* (under the truth),
3. their difference, realised minus planned: war due to misperception (a diverging map centred at
   zero; red means more war than the challenger expected).

The bottom row cuts the maps at three levels of uncertainty (marked A, B, C on the maps) and
draws planned (dashed) and realised (solid) war probabilities as curves; the shaded gap is war
due to misperception (red: more war than planned; blue: less).

Data
----
Reads the experiment ``risk_return_misperception`` (``model.games.risk_return.solve`` over a grid
of ``belief_scale`` and ``c_B_hi`` with ``p``, ``c_A`` and ``c_B_lo`` fixed). Used columns:
``belief_scale``, ``c_B_hi``, ``planned_war``, ``realised_war`` and the fixed parameters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.figure import SubFigure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "misperception"
#: Experiments whose stored results this figure reads.
REQUIRES = ["risk_return_misperception"]

_COLUMNS = ["p", "c_A", "c_B_lo", "c_B_hi", "belief_scale", "planned_war", "realised_war"]
#: Levels of uncertainty (``c_B_hi``) cut out for the line panel (nearest stored values).
CUT_LEVELS = (0.2, 0.5, 1.0)
_CUT_NAMES = "ABC"
_MORE_WAR = style.OKABE_ITO["vermillion"]
_LESS_WAR = style.OKABE_ITO["blue"]
_PLANNED = style.OKABE_ITO["black"]
_X_LABEL = "challenger's estimate of the target's cost of war, as a multiple of the truth"
_HALO = [patheffects.withStroke(linewidth=1.8, foreground="white")]


def _edges(centres: np.ndarray, log: bool) -> np.ndarray:
    """Cell edges around sorted cell centres (midpoints; geometric midpoints on a log axis)."""
    c = np.log(centres) if log else np.asarray(centres, dtype=np.float64)
    if c.size == 1:
        half = 0.1 if log else 0.05
        e = np.array([c[0] - half, c[0] + half])
    else:
        mid = 0.5 * (c[1:] + c[:-1])
        e = np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])
    return np.exp(e) if log else e


def _grid(table: pd.DataFrame, name: str, column: str) -> pd.DataFrame:
    try:
        return table.pivot(index="c_B_hi", columns="belief_scale", values=column).sort_index()
    except ValueError:
        raise ValueError(
            f"experiment {name!r}: expected one row per (belief_scale, c_B_hi) pair; found "
            "repeated pairs"
        ) from None


def _fraction(x: float) -> str:
    if x >= 1.0 or x <= 0.0:
        return f"{x:g}"
    inv = 1.0 / x
    return f"1/{inv:g}" if abs(inv - round(inv)) < 1e-9 else f"{x:g}"


def _log_scale_axis(ax: Axes, lo: float, hi: float) -> None:
    ax.set_xscale("log")
    ax.set_xlim(lo, hi)
    powers = 2.0 ** np.arange(np.ceil(np.log2(lo) - 1e-9), np.floor(np.log2(hi) + 1e-9) + 1)
    ax.xaxis.set_major_locator(FixedLocator(powers))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: _fraction(v)))
    ax.xaxis.set_minor_locator(NullLocator())


def _cut_levels(levels: np.ndarray) -> list[float]:
    chosen: list[float] = []
    for target in CUT_LEVELS:
        v = float(levels[np.argmin(np.abs(levels - target))])
        if v not in chosen:
            chosen.append(v)
    return chosen


def _maps(
    top: SubFigure,
    grids: tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame],
    edges: tuple[np.ndarray, np.ndarray],
    cuts: list[float],
) -> None:
    planned, realised, gap = grids
    x_edges, y_edges = edges
    scales = planned.columns.to_numpy(dtype=np.float64)
    levels = planned.index.to_numpy(dtype=np.float64)
    axes = top.subplots(1, 3, sharey=True)
    prob = {"cmap": style.SEQUENTIAL_CMAP, "vmin": 0.0, "vmax": 1.0}
    vmin, vmax = style.symmetric_limits(gap.to_numpy(dtype=np.float64))
    diff = {"cmap": style.DIVERGING_CMAP, "vmin": vmin, "vmax": vmax}
    panels = (
        (
            planned,
            "planned war probability\n(what the challenger expects)",
            prob,
            (0.25, 0.5, 0.75),
        ),
        (realised, "realised war probability\n(what actually happens)", prob, (0.25, 0.5, 0.75)),
        (gap, "war due to misperception\n(realised − planned)", diff, (-0.5, -0.25, 0.25, 0.5)),
    )
    meshes = []
    for ax, (grid, title, kw, contours) in zip(axes, panels, strict=True):
        z = np.ma.masked_invalid(grid.to_numpy(dtype=np.float64))
        meshes.append(ax.pcolormesh(x_edges, y_edges, z, shading="flat", rasterized=True, **kw))
        ax.set_title(title)
        _log_scale_axis(ax, float(x_edges[0]), float(x_edges[-1]))
        ax.set_ylim(y_edges[0], y_edges[-1])
        ax.spines[["top", "right"]].set_visible(True)
        ax.axvline(1.0, color="white" if kw is prob else style.GREY, lw=0.9, ls="--")
        if min(z.shape) >= 2:
            cs = ax.contour(
                scales, levels, z, levels=contours, colors="white", linewidths=0.5, alpha=0.9
            )
            ax.clabel(cs, fontsize=5.5, fmt="%.2g", inline_spacing=2)
        for letter, cut in zip(_CUT_NAMES, cuts, strict=False):
            ax.axhline(cut, xmin=0.0, xmax=0.05, color="black", lw=1.2, path_effects=_HALO)
            ax.annotate(
                letter,
                xy=(0.06, cut),
                xycoords=("axes fraction", "data"),
                va="center",
                ha="left",
                fontsize=6.5,
                fontweight="bold",
                path_effects=_HALO,
            )
    axes[0].set_ylabel("uncertainty about the target's resolve\n(highest possible cost of war)")
    cb_kw = {"shrink": 0.9, "aspect": 25, "pad": 0.02}
    top.colorbar(meshes[1], ax=list(axes[:2]), label="probability of war", **cb_kw)
    top.colorbar(meshes[2], ax=axes[2], label="difference in probability", **cb_kw)
    top.supxlabel(_X_LABEL)


def _cuts(
    bottom: SubFigure, planned: pd.DataFrame, realised: pd.DataFrame, cuts: list[float], xlim: tuple
) -> None:
    scales = planned.columns.to_numpy(dtype=np.float64)
    axes = bottom.subplots(1, 3, sharey=True, squeeze=False)[0]
    war = style.OUTCOME_STYLE["war"]
    every = max(1, (scales.size - 1) // 6)
    for j, (ax, letter, cut) in enumerate(zip(axes, _CUT_NAMES, cuts, strict=False)):
        p_line = planned.loc[cut].to_numpy(dtype=np.float64)
        r_line = realised.loc[cut].to_numpy(dtype=np.float64)
        more = r_line >= p_line
        ax.fill_between(
            scales,
            p_line,
            r_line,
            where=more,
            interpolate=True,
            color=_MORE_WAR,
            alpha=0.22,
            lw=0,
            label="more war than planned",
        )
        ax.fill_between(
            scales,
            p_line,
            r_line,
            where=~more,
            interpolate=True,
            color=_LESS_WAR,
            alpha=0.22,
            lw=0,
            label="less war than planned",
        )
        ax.plot(
            scales,
            r_line,
            color=war.color,
            ls="-",
            marker=war.marker,
            markevery=every,
            label="realised",
        )
        ax.plot(
            scales,
            p_line,
            color=_PLANNED,
            ls="--",
            marker="o",
            mfc="white",
            ms=3.5,
            markevery=(every // 2, every),
            label="planned",
        )
        ax.axvline(1.0, color=style.GREY, lw=0.8, ls=":", zorder=0)
        _log_scale_axis(ax, *xlim)
        ax.set_ylim(-0.02, 1.02)
        ax.grid(True, axis="y")
        ax.set_title(f"{letter}: highest possible cost of war {style.fmt_number(cut)}", loc="left")
        if j == 0:
            ax.set_ylabel("probability of war")
            ax.text(
                0.03,
                0.97,
                "← thinks the target\n    more resolved",
                ha="left",
                va="top",
                fontsize=6.5,
                color=style.GREY,
                transform=ax.transAxes,
            )
            ax.text(
                0.97,
                0.03,
                "thinks the target →\nless resolved",
                ha="right",
                va="bottom",
                fontsize=6.5,
                color=style.GREY,
                transform=ax.transAxes,
            )
    for ax in axes[len(cuts) :]:
        ax.set_visible(False)
    handles, labels = axes[0].get_legend_handles_labels()
    order = [
        labels.index(k)
        for k in ("realised", "planned", "more war than planned", "less war than planned")
    ]
    bottom.legend(
        [handles[i] for i in order],
        [labels[i] for i in order],
        loc="outside upper center",
        ncol=4,
        columnspacing=1.8,
    )
    bottom.supxlabel(_X_LABEL + " (log scale; 1 = correct)")


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the misperception figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``risk_return_misperception/part-*.parquet``.
    out_dir : Path
        Where ``misperception.pdf`` and ``misperception.png`` are written.

    Returns
    -------
    list of Path
        The files written (PDF, PNG).
    """
    (name,) = REQUIRES
    table = style.load_results(results_dir, name)
    style.require_columns(table, name, _COLUMNS)
    fixed = {c: style.single_value(table, name, c) for c in ("p", "c_A", "c_B_lo")}
    planned = _grid(table, name, "planned_war")
    realised = _grid(table, name, "realised_war")
    gap = realised - planned
    scales = planned.columns.to_numpy(dtype=np.float64)
    levels = planned.index.to_numpy(dtype=np.float64)
    x_edges, y_edges = _edges(scales, log=True), _edges(levels, log=False)
    cuts = _cut_levels(levels)

    with style.rc():
        fig = style.new_figure(height=6.0)
        fig.suptitle(
            f"The challenger wins a war with probability $p$ = {style.fmt_number(fixed['p'])} "
            f"and pays $c_A$ = {style.fmt_number(fixed['c_A'])}.\nThe target's cost of war is "
            f"uniform from {style.fmt_number(fixed['c_B_lo'])} to its highest possible value "
            "(the uncertainty about its resolve).",
            fontsize=7,
        )
        top, bottom = fig.subfigures(2, 1, height_ratios=[1.1, 1.0], hspace=0.03)
        _maps(top, (planned, realised, gap), (x_edges, y_edges), cuts)
        _cuts(bottom, planned, realised, cuts, (float(x_edges[0]), float(x_edges[-1])))
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
