"""Explicit ultimatum or open-ended bargaining: what a deadline does to coercion.

What the figure shows
---------------------
Challenger A and target B bargain over an issue in alternating offers, A first; after ``T``
rejected offers there is war (:mod:`model.games.deadlines`).

* Left, complete information (``pi = 1``): the share of the surplus over war that A's first
  demand takes, Ståhl's :math:`s_T = (1 - (-\\delta)^T)/(1 + \\delta)`, over the deadline
  ``T`` for three discount factors; the dashed lines are the stored open-ended shares
  :math:`1/(1 + \\delta)` (Rubinstein). An explicit ultimatum (``T = 1``) takes the whole
  surplus; as the deadline recedes the share oscillates (A gains when it has the last word, odd
  ``T``) towards the open-ended share.
* Middle and right, a target of private resolve (strong with prior ``pi``, weak otherwise): the
  outcome probabilities over ``pi`` under an explicit ultimatum (``T = 1``) and under a
  two-round deadline (``T = 2``). Below the stored threshold
  :math:`\\hat\\pi_1 = (c_w - c_s)/(c_w + c_A)` (dotted line) A screens: it demands what only
  the weak type accepts. Under the ultimatum the strong type's rejection means war; under the
  two-round deadline it means a counter-offer and a settlement one round later, so the same
  screening costs delay instead of war (:math:`\\hat\\pi_2 = \\hat\\pi_1`).

Data
----
Reads the experiment ``deadlines_ultimatum``: the closed form of
:mod:`model.games.deadlines`, certified on the game's rounds. The equilibrium is subgame
perfect and unique except at ``pi = screening_prior``, where A is indifferent and the tie rule
reports the soft demand (also the generic solvers' choice under ``challenger_preferred``). The
middle and right panels use the rows with ``delta = 0.8`` (their outcomes do not depend on
``delta``). Used columns: ``delta``, ``T``, ``pi``, ``proposer_share``, ``open_ended_share``,
``planned_compliance``, ``planned_settlement``, ``planned_war``, ``cut_screening_prior`` and
``certified``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.lines import Line2D

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "deadlines"
#: Experiments whose stored results this figure reads.
REQUIRES = ["deadlines_ultimatum"]

_COLUMNS = [
    "delta",
    "T",
    "pi",
    "proposer_share",
    "open_ended_share",
    "planned_compliance",
    "planned_settlement",
    "planned_war",
    "cut_screening_prior",
    "certified",
]
_DELTA = 0.8  # discount factor of the middle and right panels (the nearest level is used)
_MARKERS = ("o", "s", "^", "D", "v")
_N_MARKERS = 8
_LABEL = {
    "compliance": "B accepts A's demand (compliance)",
    "settlement": "A accepts B's counter-offer (delayed settlement)",
    "war": "war",
}


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the deadline figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``deadlines_ultimatum/part-*.parquet``.
    out_dir : Path
        Where ``deadlines.pdf`` and ``deadlines.png`` are written.

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
    deltas = np.unique(table["delta"].to_numpy(dtype=np.float64))
    horizons = set(np.unique(table["T"].to_numpy(dtype=np.float64)).tolist())
    if not {1.0, 2.0} <= horizons:
        raise ValueError(f"{name}: the figure needs the deadlines T = 1 and T = 2")
    delta = float(deltas[np.argmin(np.abs(deltas - _DELTA))])
    full_info = table[table["pi"] == table["pi"].max()]

    with style.rc():
        fig = style.new_figure(height=2.9)
        axes = fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.15, 1.0, 1.0]})
        ax = axes[0]
        colours = style.RC["axes.prop_cycle"].by_key()["color"]
        t_max = float(full_info["T"].max())
        for k, d in enumerate(deltas):
            curve = full_info[full_info["delta"] == d].sort_values("T", kind="stable")
            colour, marker = colours[k % len(colours)], _MARKERS[k % len(_MARKERS)]
            T = curve["T"].to_numpy()
            share = curve["proposer_share"].to_numpy()
            for last_word, fill in ((1, colour), (0, "white")):  # odd T: A has the last word
                pick = T % 2 == last_word
                ax.plot(
                    T[pick],
                    share[pick],
                    color=colour,
                    marker=marker,
                    markerfacecolor=fill,
                    markersize=3.2,
                    lw=1.0,
                )
            limit = float(curve["open_ended_share"].iloc[0])
            ax.axhline(limit, color=colour, lw=0.8, ls=":", zorder=1)
            ax.annotate(
                f"$\\delta$ = {style.fmt_number(d)}",
                xy=(t_max, limit),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
                color=colour,
            )
        ax.set_xlabel("deadline $T$ (rounds of offers before war)")
        ax.set_ylabel("A's share of the surplus, $s_T$")
        ax.set_title("complete information")
        ax.set_ylim(0.0, 1.05)
        ax.set_xlim(0.0, t_max + 1.0)
        ax.grid(True, axis="y")
        grey = style.GREY
        key = [
            Line2D([], [], color=grey, marker="o", markersize=3.2, lw=1.0),
            Line2D([], [], color=grey, marker="o", markerfacecolor="white", markersize=3.2, lw=1.0),
            Line2D([], [], color=grey, lw=0.8, ls=":"),
        ]
        key_labels = [
            "A has the last word (odd $T$)",
            "B has the last word (even $T$)",
            "no deadline, $1/(1+\\delta)$",
        ]

        rows = table[table["delta"] == delta]
        for ax, T, title in (
            (axes[1], 1.0, "explicit ultimatum ($T$ = 1)"),
            (axes[2], 2.0, "two-round deadline ($T$ = 2)"),
        ):
            curve = rows[rows["T"] == T].sort_values("pi", kind="stable")
            x = curve["pi"].to_numpy()
            every = max(1, (len(x) - 1) // (_N_MARKERS - 1))
            for j, o in enumerate(("compliance", "settlement", "war")):
                y = curve[f"planned_{o}"].to_numpy()
                if (T == 1.0 and o == "settlement") or (T == 2.0 and o == "war"):
                    continue  # identically zero under this deadline
                ax.plot(
                    x,
                    y,
                    **style.OUTCOME_STYLE[o].line(),
                    markevery=(j * every // 3, every),
                    label=_LABEL[o],
                )
            cut = float(np.unique(curve["cut_screening_prior"])[0])
            ax.axvline(cut, color=style.GREY, lw=0.8, ls=":", zorder=1)
            ax.annotate(
                "$\\hat\\pi_1$",
                xy=(cut, 0.55),
                xytext=(3, 0),
                textcoords="offset points",
                fontsize=7,
                color=style.GREY,
            )
            ax.set_title(title)
            ax.set_xlabel("prior of a strong target, $\\pi$")
            ax.set_xlim(-0.02, 1.02)
            ax.set_ylim(-0.03, 1.03)
            ax.grid(True, axis="y")
        axes[1].set_ylabel("probability")
        axes[2].sharey(axes[1])
        axes[2].tick_params(labelleft=False)
        handles, labels = list(key), list(key_labels)
        for a in axes[1:]:
            for h, lab in zip(*a.get_legend_handles_labels(), strict=True):
                if lab not in labels:
                    handles.append(h)
                    labels.append(lab)
        fig.legend(handles, labels, loc="outside lower center", ncol=2, columnspacing=3.0)
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
