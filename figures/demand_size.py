"""The risk-return tradeoff: how the size of a demand moves compliance, war and its value.

What the figure shows
---------------------
A challenger makes a take-it-or-leave-it demand ``x`` (its share of the stake) of a target whose
cost of war is private and uniform on ``[c_B_lo, c_B_hi]``. One column per level of uncertainty
about the target's resolve (``c_B_hi``). Top row: the probability that the target complies and
the probability of war, as functions of the demand. Bottom row: the challenger's expected utility
of the demand, between the value of the stake it gets if the target complies (``x``) and its value
of war (``p - c_A``). A vertical line marks the optimal demand ``x*``, with the war probability
the challenger accepts there: asking for more raises the return if the target gives in and the
risk that it fights instead. The more uncertain the target's resolve, the larger the optimal
demand and the larger the war risk knowingly run.

Data
----
Reads the experiment ``risk_return_demand_curve`` (``model.games.risk_return.outcomes_at_demand``
over a grid of ``c_B_hi`` and ``demand`` with ``p``, ``c_A``, ``c_B_lo`` and ``belief_scale``
fixed). Used columns: ``c_B_hi``, ``demand``, ``realised_compliance``, ``realised_war``,
``eu_realised_challenger``, ``optimal_demand`` and the fixed parameters. With ``belief_scale = 1``
the challenger's beliefs are correct, so planned and realised coincide; the figure shows the
realised (true) values.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "demand_size"
#: Experiments whose stored results this figure reads.
REQUIRES = ["risk_return_demand_curve"]

_COLUMNS = [
    "p",
    "c_A",
    "c_B_lo",
    "c_B_hi",
    "belief_scale",
    "demand",
    "realised_compliance",
    "realised_war",
    "eu_realised_challenger",
    "optimal_demand",
]
_EU_COLOR = style.OKABE_ITO["blue"]
_N_MARKERS = 7  # markers per curve (the curves are dense; markers only tell them apart)


def _at(x: np.ndarray, y: np.ndarray, x0: float) -> float:
    return float(np.interp(x0, x, y))


def _panel_pair(
    top: Axes, bottom: Axes, curve: pd.DataFrame, value_of_war: float, show_labels: bool
) -> None:
    x = curve["demand"].to_numpy()
    every = max(1, (len(x) - 1) // (_N_MARKERS - 1))
    x_star = float(curve["optimal_demand"].iloc[0])
    comply, war = style.OUTCOME_STYLE["compliance"], style.OUTCOME_STYLE["war"]

    top.plot(
        x,
        curve["realised_compliance"],
        **comply.line(),
        markevery=every,
        label="target complies",
    )
    top.plot(
        x,
        curve["realised_war"],
        **war.line(),
        markevery=(every // 2, every),
        label="war (the target fights)",
    )
    war_star = _at(x, curve["realised_war"].to_numpy(), x_star)
    top.plot([x_star], [war_star], "o", ms=5.5, mfc="white", mec=war.color, mew=1.2, zorder=5)
    top.annotate(
        f"P(war) = {war_star:.2f}",
        xy=(x_star, war_star),
        xytext=(-5, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=7,
        color=war.color,
    )

    eu = curve["eu_realised_challenger"].to_numpy()
    bottom.plot(
        x,
        x,
        color=style.GREY,
        lw=0.8,
        ls=(0, (1, 1.5)),
        label="its share if the target complies ($x$)",
    )
    bottom.axhline(
        value_of_war, color=style.GREY, lw=0.8, ls="--", label="its value of war ($p - c_A$)"
    )
    bottom.plot(x, eu, color=_EU_COLOR, lw=1.6, label="challenger's expected utility")
    eu_star = _at(x, eu, x_star)
    bottom.plot([x_star], [eu_star], "o", ms=5.5, mfc="white", mec=_EU_COLOR, mew=1.2, zorder=5)
    bottom.annotate(
        f"$x^*$ = {x_star:.2f}",
        xy=(x_star, eu_star),
        xytext=(4, 4),
        textcoords="offset points",
        ha="left",
        va="bottom",
        fontsize=7,
        color=_EU_COLOR,
    )

    for ax in (top, bottom):
        ax.axvline(
            x_star,
            color=style.OKABE_ITO["black"],
            lw=0.7,
            ls="-.",
            zorder=1,
            label="optimal demand $x^*$" if show_labels else None,
        )
        ax.set_xlim(0.0, 1.0)
        ax.grid(True, axis="y")


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the demand-size figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``risk_return_demand_curve/part-*.parquet``.
    out_dir : Path
        Where ``demand_size.pdf`` and ``demand_size.png`` are written.

    Returns
    -------
    list of Path
        The files written (PDF, PNG).
    """
    (name,) = REQUIRES
    table = style.load_results(results_dir, name)
    style.require_columns(table, name, _COLUMNS)
    fixed = {c: style.single_value(table, name, c) for c in ("p", "c_A", "c_B_lo", "belief_scale")}
    levels = np.unique(table["c_B_hi"].to_numpy(dtype=np.float64))
    value_of_war = fixed["p"] - fixed["c_A"]

    with style.rc():
        fig = style.new_figure(height=4.3)
        axes = fig.subplots(2, len(levels), sharex=True, sharey="row", squeeze=False)
        for j, hi in enumerate(levels):
            curve = table[table["c_B_hi"] == hi].sort_values("demand", kind="stable")
            _panel_pair(axes[0, j], axes[1, j], curve, value_of_war, show_labels=(j == 0))
            lo = style.fmt_number(fixed["c_B_lo"])
            axes[0, j].set_title(f"target's cost of war\nuniform on [{lo}, {style.fmt_number(hi)}]")
        axes[0, 0].set_ylim(-0.03, 1.03)
        axes[0, 0].set_ylabel("probability")
        axes[1, 0].set_ylabel("challenger's expected utility")
        for ax in axes[1]:
            ax.set_xticks(np.linspace(0.0, 1.0, 5))

        fig.supxlabel("demand $x$ (challenger's share of the stake)")
        handles, labels = [], []
        for ax in (axes[0, 0], axes[1, 0]):
            h, lab = ax.get_legend_handles_labels()
            for hh, ll in zip(h, lab, strict=True):
                if ll not in labels:
                    handles.append(hh)
                    labels.append(ll)
        belief = (
            "its beliefs about the target are correct"
            if fixed["belief_scale"] == 1.0
            else "it believes the target's costs are "
            f"{style.fmt_number(fixed['belief_scale'])} times the truth"
        )
        note = (
            f"The challenger wins a war with probability $p$ = {style.fmt_number(fixed['p'])} and "
            f"pays $c_A$ = {style.fmt_number(fixed['c_A'])}; {belief}.\nUncertainty about the "
            "target's resolve grows from left to right."
        )
        fig.legend(
            handles, labels, loc="outside upper center", ncol=3, columnspacing=1.8, title=note
        )
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
