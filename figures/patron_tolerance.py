"""A third-party patron: the challenger's demand and the kinds of war over the patron's tolerance.

What the figure shows
---------------------
A challenger demands a share ``x`` of an issue held by a target whose patron joins a war iff the
demand exceeds its tolerance; the target knows the tolerance, the challenger only that it is
uniform on ``[tolerance - spread, tolerance + spread]`` (the grey band). One column per
probability ``p0`` that the challenger beats the target alone. Top row: the optimal demand
``x*`` against the centre of the patron's tolerance, with the target's thresholds: it concedes
up to ``a1`` even against the coalition and up to ``a0`` when it stands alone. Bottom row: the
probability that the target complies, that war is fought against the target and its patron
(the patron intervenes), and that war is fought against the target alone.

Reading from left to right within a panel: against an intolerant patron the challenger asks only
what the target concedes when backed (``a1``; Yuen 2009: certain intervention deters larger
demands); then it runs a risk, demanding more than some patron types tolerate, and the target
resists exactly when it counts on its patron (war with intervention); a more tolerant patron
lets it demand more at no risk, moderating its demand to the patron's lowest tolerance (Werner
2000: moderation deters intervention); and once the target would resist even alone, the
challenger attacks with aims the patron mostly tolerates, so war is fought without the patron.
The coalition deters an all-out war in this sweep, so the demand rises with the tolerance.

Data
----
Reads the experiment ``third_party_tolerance``: ``model.games.third_party`` solved in closed
form (a subgame-perfect equilibrium; ties go to accepting, staying out and the smaller demand),
certified on the game tree. Used columns: ``tolerance``, ``p0`` and the fixed ``p1``, ``c_A``,
``c_B``, ``spread``; ``challenger_demand``, ``cut_target_accept_alone``,
``cut_target_accept_backed``, ``planned_compliance``, ``war_with_intervention``,
``war_without_intervention`` and ``certified``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "patron_tolerance"
#: Experiments whose stored results this figure reads.
REQUIRES = ["third_party_tolerance"]

_FIXED = ("p1", "c_A", "c_B", "spread")
_COLUMNS = [
    "tolerance",
    "p0",
    *_FIXED,
    "challenger_demand",
    "cut_target_accept_alone",
    "cut_target_accept_backed",
    "planned_compliance",
    "war_with_intervention",
    "war_without_intervention",
    "certified",
]
_DEMAND_COLOR = style.OKABE_ITO["blue"]
_ALONE = style.OutcomeStyle(style.OKABE_ITO["reddish_purple"], "-.", "v", "..")
_N_MARKERS = 9


def _demand_panel(ax: Axes, curve: pd.DataFrame, spread: float, first: bool) -> None:
    tau = curve["tolerance"].to_numpy()
    ax.fill_between(
        tau,
        np.clip(tau - spread, 0.0, 1.0),
        np.clip(tau + spread, 0.0, 1.0),
        color=style.GREY,
        alpha=0.18,
        lw=0,
        label="patron's tolerance",
    )
    a1 = float(curve["cut_target_accept_backed"].iloc[0])
    a0 = float(curve["cut_target_accept_alone"].iloc[0])
    ax.axhline(a0, color=style.GREY, lw=0.8, ls="--", label="$a_0$: target's limit alone")
    ax.axhline(a1, color=style.GREY, lw=0.8, ls=(0, (1, 1.5)), label="$a_1$: its limit when backed")
    ax.plot(tau, curve["challenger_demand"], color=_DEMAND_COLOR, lw=1.6, label="demand $x^*$")
    ax.set_ylim(-0.02, 1.04)
    ax.grid(True, axis="y")
    if first:
        ax.set_ylabel("challenger's demand")


def _outcome_panel(ax: Axes, curve: pd.DataFrame, first: bool) -> None:
    tau = curve["tolerance"].to_numpy()
    every = max(1, (len(tau) - 1) // (_N_MARKERS - 1))
    comply, war = style.OUTCOME_STYLE["compliance"], style.OUTCOME_STYLE["war"]
    ax.plot(
        tau,
        curve["planned_compliance"],
        **comply.line(),
        markevery=every,
        label="target complies",
    )
    ax.plot(
        tau,
        curve["war_with_intervention"],
        **war.line(),
        markevery=(every // 3, every),
        label="war, patron intervenes",
    )
    ax.plot(
        tau,
        curve["war_without_intervention"],
        **_ALONE.line(),
        markevery=(2 * every // 3, every),
        label="war, target fights alone",
    )
    ax.set_ylim(-0.03, 1.03)
    ax.grid(True, axis="y")
    if first:
        ax.set_ylabel("probability")


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the patron-tolerance figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``third_party_tolerance/part-*.parquet``.
    out_dir : Path
        Where ``patron_tolerance.pdf`` and ``patron_tolerance.png`` are written.

    Returns
    -------
    list of Path
        The files written (PDF, PNG).

    Raises
    ------
    ValueError
        If a column is missing, a fixed parameter varies, or some point failed its certificate.
    """
    (name,) = REQUIRES
    table = style.load_results(results_dir, name)
    style.require_columns(table, name, _COLUMNS)
    fixed = {c: style.single_value(table, name, c) for c in _FIXED}
    if not bool(table["certified"].all()):
        raise ValueError(
            f"experiment {name!r}: {int((~table['certified']).sum())} point(s) failed their "
            "certificate; the figure shows certified equilibria only"
        )
    levels = np.unique(table["p0"].to_numpy(dtype=np.float64))

    with style.rc():
        fig = style.new_figure(height=4.4)
        axes = fig.subplots(2, len(levels), sharex=True, sharey="row", squeeze=False)
        for j, p0 in enumerate(levels):
            curve = table[table["p0"] == p0].sort_values("tolerance", kind="stable")
            _demand_panel(axes[0, j], curve, fixed["spread"], first=(j == 0))
            _outcome_panel(axes[1, j], curve, first=(j == 0))
            axes[0, j].set_title(f"challenger beats the target alone\nwith probability {p0:.2g}")
            axes[1, j].set_xlim(0.0, 1.0)
            axes[1, j].set_xticks(np.linspace(0.0, 1.0, 5))
        fig.supxlabel("centre of the patron's tolerance (it joins a war over larger demands)")
        handles, labels = [], []
        for ax in (axes[0, 0], axes[1, 0]):
            h, lab = ax.get_legend_handles_labels()
            handles += h
            labels += lab
        note = (
            f"Against the coalition the challenger wins with probability $p_1$ = "
            f"{style.fmt_number(fixed['p1'])}; costs of war $c_A$ = "
            f"{style.fmt_number(fixed['c_A'])}, $c_B$ = {style.fmt_number(fixed['c_B'])}.\n"
            "The target knows the patron's tolerance; the challenger knows it to within "
            f"$\\pm${style.fmt_number(fixed['spread'])} (grey band)."
        )
        fig.legend(
            handles, labels, loc="outside upper center", ncol=4, columnspacing=1.4, title=note
        )
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
