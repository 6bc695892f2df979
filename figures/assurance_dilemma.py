"""The assurance dilemma: power makes threats credible and assurances incredible.

What the figure shows
---------------------
A challenger of power ``s`` demands part of an issue from a target of private resolve and may
promise a reward for compliance (:mod:`model.games.assurances`). Power raises the probability
``tau`` that defiance is punished and the harm punishment does, but also the probability
``alpha`` that a compliant target is punished anyway; a reputation for restraint ``r`` scales
``alpha`` down by ``1 - r``. One line per reputation for restraint, power on the horizontal
axis:

1. credibility: of the threat (``tau``, the same for every ``r``; solid black) and of the
   assurance (``1 - alpha``; dashed, one per ``r``);
2. the probability that the target complies in equilibrium;
3. the challenger's expected utility.

Where the challenger makes no demand (its best offer is worth less than the status quo) the
lines continue dotted at 0; an arrow marks the first such power.

Without restraint compliance first rises with power (threats become credible) and then falls
(assurances collapse), and the challenger may give up coercing altogether; with a full
reputation for restraint power only helps. Restraint never lowers compliance or the challenger's
utility (Cebul, Dafoe and Monteiro 2021).

Data
----
Reads the experiment ``assurances_power_restraint``: ``model.games.assurances.solve`` (closed
form; the unique subgame-perfect equilibrium, ties broken towards no demand and towards
compliance, certified on a finite game) over a grid of ``power`` and ``restraint``, the other
parameters fixed. Used columns: ``power``, ``restraint``, ``challenger_punish_defiance``,
``challenger_punish_compliance``, ``planned_compliance``, ``eu_planned_challenger``,
``challenger_coerce``, ``certified`` and the fixed parameters ``tau0``, ``alpha_max``,
``harm0``, ``k``, ``theta_hi``, ``c`` and ``reward_max``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "assurance_dilemma"
#: Experiments whose stored results this figure reads.
REQUIRES = ["assurances_power_restraint"]

_FIXED = ("tau0", "alpha_max", "harm0", "k", "theta_hi", "c", "reward_max")
_COLUMNS = [
    "power",
    "restraint",
    "challenger_punish_defiance",
    "challenger_punish_compliance",
    "planned_compliance",
    "eu_planned_challenger",
    "challenger_coerce",
    "certified",
    *_FIXED,
]
_COLOURS = ("vermillion", "orange", "reddish_purple", "sky_blue", "blue")
_MARKERS = ("o", "s", "^", "D", "v")
_N_MARKERS = 6


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the assurance-dilemma figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``assurances_power_restraint/part-*.parquet``.
    out_dir : Path
        Where ``assurance_dilemma.pdf`` and ``assurance_dilemma.png`` are written.

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
    fixed = {col: style.single_value(table, name, col) for col in _FIXED}
    levels = np.unique(table["restraint"].to_numpy(dtype=np.float64))
    if levels.size > len(_COLOURS):
        raise ValueError(
            f"experiment {name!r}: this figure draws at most {len(_COLOURS)} levels of "
            f"restraint; found {levels.size}"
        )

    with style.rc():
        fig = style.new_figure(height=2.75)
        ax_cred, ax_comply, ax_eu = fig.subplots(1, 3)
        tau_drawn = quit_marked = False
        for j, r in enumerate(levels):
            curve = table[table["restraint"] == r].sort_values("power", kind="stable")
            s = curve["power"].to_numpy()
            every = max(1, (len(s) - 1) // (_N_MARKERS - 1))
            look = {
                "color": style.OKABE_ITO[_COLOURS[j]],
                "marker": _MARKERS[j],
                "markevery": (j * every // len(levels), every),
            }
            if not tau_drawn:
                ax_cred.plot(
                    s,
                    curve["challenger_punish_defiance"],
                    color=style.OKABE_ITO["black"],
                    lw=1.6,
                    label="threat: $\\tau$",
                )
                tau_drawn = True
            ax_cred.plot(s, 1.0 - curve["challenger_punish_compliance"], ls="--", **look)
            # where the challenger makes no demand the lines continue thin and dotted, broken
            # at the switch (a discontinuity, not a steep slope)
            made = curve["challenger_coerce"].to_numpy() == 1.0
            for ax, column in ((ax_comply, "planned_compliance"), (ax_eu, "eu_planned_challenger")):
                y = curve[column].to_numpy()
                label = f"restraint $r$ = {style.fmt_number(r)}" if ax is ax_comply else None
                ax.plot(s, np.where(made, y, np.nan), label=label, **look)
                if not made.all():
                    ax.plot(s, np.where(made, np.nan, y), ls=":", lw=1.0, color=look["color"])
            if not made.all() and not quit_marked:
                first = float(s[np.flatnonzero(~made)[0]])
                ax_comply.annotate(
                    "no demand",
                    xy=(first, 0.0),
                    xytext=(-4, 18),
                    textcoords="offset points",
                    ha="right",
                    fontsize=7,
                    color=style.GREY,
                    arrowprops={"arrowstyle": "->", "color": style.GREY, "lw": 0.6},
                )
                quit_marked = True
        ax_cred.plot([], [], ls="--", color=style.GREY, label="assurance: $1 - \\alpha$")
        ax_cred.legend(loc="lower left", handlelength=2.2)
        ax_cred.set_title("credibility")
        ax_cred.set_ylabel("probability")
        ax_comply.set_title("target complies")
        ax_eu.set_title("challenger's expected utility")
        ax_eu.axhline(0.0, color=style.GREY, lw=0.6, zorder=1)
        for ax in (ax_cred, ax_comply):
            ax.set_ylim(-0.03, 1.03)
        for ax in (ax_cred, ax_comply, ax_eu):
            ax.set_xlim(0.0, 1.0)
            ax.set_xticks([0.0, 0.25, 0.5, 0.75, 1.0], ["0", "", "0.5", "", "1"])
            ax.grid(True, axis="y")
        fig.supxlabel("challenger's power $s$")
        shown = ", ".join(
            f"{sym} = {style.fmt_number(fixed[col])}"
            for sym, col in (
                ("$\\tau_0$", "tau0"),
                ("$\\bar\\alpha$", "alpha_max"),
                ("$P_0$", "harm0"),
                ("$k$", "k"),
                ("$\\bar\\theta$", "theta_hi"),
                ("$c$", "c"),
                ("$\\bar R$", "reward_max"),
            )
        )
        handles, labels = ax_comply.get_legend_handles_labels()
        fig.legend(
            handles,
            labels,
            loc="outside upper center",
            ncol=len(levels),
            columnspacing=1.4,
            title=f"subgame-perfect equilibrium; {shown}",
        )
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
