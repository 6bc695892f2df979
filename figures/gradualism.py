"""Small steps or one big demand: when starting small raises the chance of a peaceful settlement.

What the figure shows
---------------------
A challenger coerces a target that is resolute (prior ``pi``) or accommodating, either with one
take-it-or-leave-it demand for the whole issue or in small steps: a limited first step (a
ceasefire, a prisoner exchange) worth a share ``1 - delta`` of the issue, then the final demand.

* Left: the regimes of the small-steps equilibrium over the prior ``pi`` (horizontal) and
  ``delta`` (vertical): pooling (both types accept the first step; nothing is learned) with a
  safe or a screening final demand, separating (the accommodating type accepts, the resolute
  type refuses and is then offered what it accepts) and semi-separating (the first step is
  used to squeeze the accommodating type). Hatched: small steps raise P(peace) above that of
  one big demand, which happens only for ``delta < 1/2`` (dotted line; above it the
  accommodating type would hide its type: the ratchet) and priors between the dashed curve
  ``pi_low(delta)`` and the dash-dotted line ``pibar`` (above ``pibar`` both plans are
  peaceful).
* Middle and right: at two values of ``delta`` (grey lines, left), the probability of peace
  (settlement or compliance) and the expected fighting (present-value share of the horizon at
  war) under small steps (solid) and one big demand (dashed). Shaded: small steps raise P(peace);
  where the first step squeezes (small ``pi``) they add fighting instead.

Data
----
Reads the experiment ``small_steps_gradualism``: :func:`model.games.small_steps.compare` in
closed form, both plans certified on their trees. Selection: the challenger-preferred perfect
Bayesian equilibrium (ties between first demands go to the lower demand; the big demand is
unique except at ``pi = pibar``, where it is safe). Used columns: ``pi``, ``delta``, ``p``,
``c_A``, ``c_B_resolute``, ``c_B_accommodating``, ``regime_index``, ``peace_small``,
``peace_big``, ``fighting_small``, ``fighting_big``, ``gradualism_raises_peace``,
``cut_screening_prior``, ``cut_semi_separating_below`` and ``certified``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.colors import BoundaryNorm, ListedColormap
from matplotlib.patches import Patch

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "gradualism"
#: Experiments whose stored results this figure reads.
REQUIRES = ["small_steps_gradualism"]

_COLUMNS = [
    "pi",
    "delta",
    "p",
    "c_A",
    "c_B_resolute",
    "c_B_accommodating",
    "regime_index",
    "peace_small",
    "peace_big",
    "fighting_small",
    "fighting_big",
    "gradualism_raises_peace",
    "cut_screening_prior",
    "cut_semi_separating_below",
    "certified",
]
# labels and colours of model.games.small_steps.REGIMES, in order
_REGIMES = ("pooling, safe", "pooling, screening", "separating", "semi-separating")
_REGIME_COLOURS = ("#E8E8E8", "#C9C9C9", style.OKABE_ITO["sky_blue"], style.OKABE_ITO["orange"])
_SLICES = (0.25, 0.7)  # delta of the middle and right panels (the nearest stored levels)
_N_MARKERS = 8


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the gradualism figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``small_steps_gradualism/part-*.parquet``.
    out_dir : Path
        Where ``gradualism.pdf`` and ``gradualism.png`` are written.

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
    fixed = {c: style.single_value(table, name, c) for c in _COLUMNS[2:6]}
    regimes = table.pivot_table(index="delta", columns="pi", values="regime_index")
    helps = table.pivot_table(index="delta", columns="pi", values="gradualism_raises_peace")
    pi = regimes.columns.to_numpy(dtype=np.float64)
    delta = regimes.index.to_numpy(dtype=np.float64)
    pibar = float(table["cut_screening_prior"].iloc[0])
    low = table.groupby("delta")["cut_semi_separating_below"].first().reindex(delta).to_numpy()
    levels = sorted({float(delta[np.argmin(np.abs(delta - d))]) for d in _SLICES})

    with style.rc():
        fig = style.new_figure(height=3.1)
        axes = fig.subplots(1, 1 + len(levels), width_ratios=[1.25] + [1.0] * len(levels))
        ax_map = axes[0]
        cmap = ListedColormap(_REGIME_COLOURS)
        ax_map.pcolormesh(
            _edges(pi),
            _edges(delta),
            regimes.to_numpy(),
            cmap=cmap,
            norm=BoundaryNorm(np.arange(-0.5, len(_REGIMES)), cmap.N),
            shading="flat",
            rasterized=True,
        )
        if np.any(helps.to_numpy() > 0.5):
            ax_map.contourf(
                pi,
                delta,
                helps.to_numpy(),
                levels=[0.5, 1.5],
                colors="none",
                hatches=["////"],
            )
        ax_map.axvline(pibar, color=style.OKABE_ITO["black"], lw=0.9, ls="-.")
        half = delta < 0.5
        ax_map.plot(low[half], delta[half], color=style.OKABE_ITO["black"], lw=0.9, ls="--")
        ax_map.axhline(0.5, color=style.OKABE_ITO["black"], lw=0.8, ls=":")
        for d in levels:
            ax_map.axhline(d, color=style.GREY, lw=0.8, ls=(0, (1, 2)))
        ax_map.set_xlim(pi.min(), pi.max())
        ax_map.set_ylim(delta.min(), delta.max())
        ax_map.set_ylabel("weight of the final settlement, $\\delta$")
        ax_map.set_title("small-steps regime; hatched: raises P(peace)")
        handles = [
            Patch(facecolor=c, edgecolor=style.GREY, lw=0.4, label=lab)
            for c, lab in zip(_REGIME_COLOURS, _REGIMES, strict=True)
        ]
        handles.append(Patch(facecolor="none", edgecolor="black", hatch="////", label="helps"))
        ax_map.legend(
            handles=handles,
            loc="upper right",
            fontsize=6,
            handlelength=1.4,
            frameon=True,
            framealpha=0.9,
            edgecolor="none",
        )

        for ax, d in zip(axes[1:], levels, strict=True):
            curve = table[table["delta"] == d].sort_values("pi", kind="stable")
            x = curve["pi"].to_numpy(dtype=np.float64)
            # break the lines where the regime (and with it the outcome) jumps
            jump = np.flatnonzero(np.diff(curve["regime_index"].to_numpy()) != 0) + 1
            x_broken = np.insert(x, jump, np.nan)
            every = max(1, (len(x) - 1) // (_N_MARKERS - 1))
            gain = curve["gradualism_raises_peace"].to_numpy() > 0.5
            if gain.any():
                ax.fill_between(
                    x,
                    0.0,
                    1.0,
                    where=gain,
                    color=style.OKABE_ITO["sky_blue"],
                    alpha=0.25,
                    lw=0,
                    transform=ax.get_xaxis_transform(),
                    label="small steps raise P(peace)",
                )
            series = (
                ("peace_small", "blue", "-", "o", "P(peace), small steps"),
                ("peace_big", "blue", "--", "s", "P(peace), one big demand"),
                ("fighting_small", "vermillion", "-", "X", "expected fighting, small steps"),
                ("fighting_big", "vermillion", "--", "^", "expected fighting, one big demand"),
            )
            for k, (col, colour, ls, marker, label) in enumerate(series):
                ax.plot(
                    x_broken,
                    np.insert(curve[col].to_numpy(dtype=np.float64), jump, np.nan),
                    color=style.OKABE_ITO[colour],
                    ls=ls,
                    marker=marker,
                    markevery=(k * every // len(series), every),
                    label=label if d == levels[0] else None,
                )
            ax.axvline(pibar, color=style.GREY, lw=0.8, ls="-.", zorder=1)
            ax.set_xlim(0.0, 1.0)
            ax.set_ylim(-0.03, 1.03)
            ax.grid(True, axis="y")
            ax.set_title(f"$\\delta$ = {style.fmt_number(d)}")
        axes[1].set_ylabel("probability; share of the horizon")
        fig.supxlabel("prior probability that the target is resolute, $\\pi$")
        fig.legend(
            loc="outside upper center",
            ncol=3,
            columnspacing=1.4,
            title=f"p = {style.fmt_number(fixed['p'])}, $c_A$ = {style.fmt_number(fixed['c_A'])}"
            f", $c_R$ = {style.fmt_number(fixed['c_B_resolute'])}, $c_W$ = "
            f"{style.fmt_number(fixed['c_B_accommodating'])}; challenger-preferred perfect "
            "Bayesian equilibrium; dash-dotted: $\\bar\\pi$, dashed: $\\pi_\\ell(\\delta)$",
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
