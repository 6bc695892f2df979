"""Goliath's curse: a strong challenger that underestimates reputation costs plans peace, gets war.

What the figure shows
---------------------
A challenger demands a share of the issue from a target that pays a private reputation cost
``r ~ U[0, r_hi]`` if it gives in (``model.games.reputation``). The challenger believes the cost
is ``1 - goliath * p`` times its true value, so the stronger it is (higher ``p``, its probability
of winning a war), the more it underestimates. This is the Goliath hypothesis as a library
choice (linear ``beta(p) = goliath * p``). There is one column per level of the reputation cost
``r_hi``, and the challenger's power ``p`` is on the horizontal axis.

* Top row: the war probability the challenger *plans* for (dashed), the war that is *realised*
  (solid), and the war it would have had with correct beliefs (dotted). The shaded gap is war
  due to misperception. Where ``r_hi`` is small, correct beliefs would buy off every target, and
  the challenger that underestimates plans peace but gets war with probability ``goliath * p``.
  Where ``r_hi`` is large, the challenger accepts a risk of war anyway. It then expects less war
  the stronger it is, while the realised war stays where it was.
* Bottom row: the over-demand, i.e. the net demand ``x - s`` the challenger makes minus the one
  it would make with correct beliefs.

Shaded grey columns mark where the challenger demands the whole issue (``x = 1``). There it
cannot over-demand any further. The whole issue is then less than its power would let it ask:
the target's cutoff ``p + c_B - 1`` rises with ``p``, so war falls.

Equilibrium: the model's closed form, an equilibrium in beliefs (the target's strategy is
dominant and the challenger's optimum under its belief is unique), so no selection rule is
involved. Outcomes are evaluated under the truth.

Data
----
Reads the experiment ``reputation_goliath``
(``model.games.reputation.misperception_effects`` over a grid of ``p`` and ``r_hi``, with the
other parameters fixed). Used columns: ``p``, ``r_hi``, ``r_lo``, ``c_A``, ``c_B``, ``goliath``,
``side_cost``, ``belief_scale``, ``planned_war``, ``realised_war``, ``correct_war``,
``over_demand``, ``challenger_demand`` and ``certified``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "goliath"
#: Experiments whose stored results this figure reads.
REQUIRES = ["reputation_goliath"]

_FIXED = ("r_lo", "c_A", "c_B", "goliath", "side_cost", "belief_scale")
_COLUMNS = [
    "p",
    "r_hi",
    *_FIXED,
    "planned_war",
    "realised_war",
    "correct_war",
    "over_demand",
    "challenger_demand",
    "certified",
]
_CURVES = ("planned_war", "realised_war", "correct_war", "over_demand", "challenger_demand")
_MORE = style.OKABE_ITO["vermillion"]
_CORRECT = style.OKABE_ITO["bluish_green"]
_PLANNED = style.OKABE_ITO["black"]
_N_MARKERS = 6


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the Goliath's-curse figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``reputation_goliath/part-*.parquet``.
    out_dir : Path
        Where ``goliath.pdf`` and ``goliath.png`` are written.

    Returns
    -------
    list of Path
        The files written (PDF, PNG).
    """
    (name,) = REQUIRES
    table = style.load_results(results_dir, name)
    style.require_columns(table, name, _COLUMNS)
    if not table["certified"].all():
        raise ValueError(f"{name}: some stored solutions failed their certificate")
    fixed = {c: style.single_value(table, name, c) for c in _FIXED}
    levels = np.unique(table["r_hi"].to_numpy(dtype=np.float64))
    war = style.OUTCOME_STYLE["war"]
    fmt = style.fmt_number

    with style.rc():
        fig = style.new_figure(height=4.3)
        axes = fig.subplots(2, len(levels), sharex=True, sharey="row", squeeze=False)
        for j, r_hi in enumerate(levels):
            curve = table[table["r_hi"] == r_hi].sort_values("p", kind="stable")
            p = curve["p"].to_numpy(dtype=np.float64)
            every = max(1, (len(p) - 1) // (_N_MARKERS - 1))
            col = {c: curve[c].to_numpy(dtype=np.float64) for c in _CURVES}

            top = axes[0, j]
            top.fill_between(
                p,
                col["correct_war"],
                col["realised_war"],
                where=col["realised_war"] >= col["correct_war"],
                interpolate=True,
                color=_MORE,
                alpha=0.2,
                lw=0,
                label="war due to misperception",
            )
            top.plot(
                p,
                col["realised_war"],
                color=war.color,
                ls="-",
                marker=war.marker,
                markevery=every,
                label="realised war",
            )
            top.plot(
                p,
                col["planned_war"],
                color=_PLANNED,
                ls="--",
                marker="o",
                mfc="white",
                ms=3.5,
                markevery=(every // 2, every),
                label="planned war (challenger's belief)",
            )
            top.plot(
                p,
                col["correct_war"],
                color=_CORRECT,
                ls=":",
                lw=1.6,
                label="war with correct beliefs",
            )
            top.set_ylim(-0.02, 1.02)
            top.grid(True, axis="y")
            top.set_title(f"$r \\sim U[{fmt(fixed['r_lo'])}, {fmt(r_hi)}]$")
            whole = p[col["challenger_demand"] >= 1.0 - 1e-12]
            if whole.size:  # an interval [p0, 1]: the challenger demands the whole issue
                for ax in axes[:, j]:
                    ax.axvspan(
                        float(whole.min()),
                        float(p.max()),
                        color=style.GREY,
                        alpha=0.1,
                        lw=0,
                        zorder=0,
                        label="whole issue demanded" if ax is top else None,
                    )

            bottom = axes[1, j]
            bottom.fill_between(p, 0.0, col["over_demand"], color=style.GREY, alpha=0.25, lw=0)
            bottom.plot(p, col["over_demand"], color=_PLANNED, ls="-")
            bottom.grid(True, axis="y")
            bottom.set_xlim(float(p.min()), float(p.max()))
            bottom.set_xlabel("challenger's power $p$")
        axes[0, 0].set_ylabel("probability of war")
        axes[1, 0].set_ylabel("over-demand: net demand\nminus correct-belief one")
        axes[1, 0].set_ylim(bottom=-0.002)
        handles, labels = axes[0, 0].get_legend_handles_labels()
        order = [
            labels.index(k)
            for k in (
                "realised war",
                "planned war (challenger's belief)",
                "war with correct beliefs",
                "war due to misperception",
                "whole issue demanded",
            )
            if k in labels
        ]
        axes[0, 0].legend(
            [handles[i] for i in order], [labels[i] for i in order], loc="upper left", fontsize=6
        )
        fig.suptitle(
            "Goliath's curse: the challenger believes the target's reputation cost $r$ is "
            f"$(1 - {fmt(fixed['goliath'])}\\,p)$ times the truth\n"
            f"($c_A$ = {fmt(fixed['c_A'])}, $c_B$ = {fmt(fixed['c_B'])}; a side payment costs "
            f"the challenger {fmt(fixed['side_cost'])} per unit it is worth to the target)",
            fontsize=7,
        )
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
