"""How wars end and how long they last when battles reveal the balance of power.

What the figure shows
---------------------
A war is under way between a challenger A and a target B that is strong (prior ``sigma``) or
weak. Every battle is won by A with probability ``0.5 - gap/2`` against the strong type and
``0.5 + gap/2`` against the weak one (``gap`` = how informative a battle is about the type) and
decides the war with probability ``kappa``; A updates its belief after every battle and chooses
when to hold one round of take-it-or-leave-it talks (:mod:`model.games.war_termination`).

* Left: the expected number of battles over ``gap`` (horizontal) and the prior ``sigma``
  (vertical). With uninformative battles (small ``gap``) A talks at once and there is no war
  (Slantchev's principle of convergence: fighting is useless when it teaches nothing), except at
  low priors where A screens and the strong type fights on. The dotted lines mark the priors of
  the right panel.
* Middle: at ``sigma`` nearest 0.5, how the war ends (stacked): talks succeed (settlement), A
  wins a decisive battle, B wins one, or stalemate at the status quo ante after ``T`` battles.
* Right: the expected number of battles (solid) and the part fought before talks, to learn
  (dotted), over ``gap`` for three priors. The duration jumps where A switches between talking
  at once (pooling or screening) and fighting to learn; within a stretch where A fights to
  learn, less informative battles make the war longer.

Data
----
Reads the experiment ``war_termination_informativeness`` (closed form, certified on the stage
game of every battle history). The equilibrium is unique up to the challenger's ties, which the
module resolves in favour of talks (pooling before screening); the generic solver with the
``challenger_preferred`` rule picks the same. Used columns: ``sigma``, ``gap``, ``kappa``,
``T``, ``planned_settlement``, ``planned_compliance``, ``planned_backdown``,
``planned_status_quo``, ``war_expected_battles``, ``war_battles_before_talks`` and
``certified``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.lines import Line2D

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "war_termination"
#: Experiments whose stored results this figure reads.
REQUIRES = ["war_termination_informativeness"]

_COLUMNS = [
    "sigma",
    "gap",
    "kappa",
    "T",
    "planned_settlement",
    "planned_compliance",
    "planned_backdown",
    "planned_status_quo",
    "war_expected_battles",
    "war_battles_before_talks",
    "certified",
]
_PRIORS = (0.3, 0.5, 0.7)  # priors of the right panel (nearest stored values)
_STACK = (
    ("planned_settlement", "settlement", "settlement (talks)"),
    ("planned_compliance", "compliance", "A wins the war"),
    ("planned_backdown", "backdown", "B wins the war"),
    ("planned_status_quo", "status_quo", "stalemate"),
)
_LINE_COLOURS = ("blue", "vermillion", "bluish_green")
_MARKERS = ("o", "s", "^")


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the war-termination figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``war_termination_informativeness/part-*.parquet``.
    out_dir : Path
        Where ``war_termination.pdf`` and ``war_termination.png`` are written.

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
    kappa = style.single_value(table, name, "kappa")
    horizon = style.single_value(table, name, "T")
    priors = np.unique(table["sigma"].to_numpy(dtype=np.float64))
    chosen = [float(priors[np.argmin(np.abs(priors - s))]) for s in _PRIORS]
    middle = chosen[len(chosen) // 2]
    wide = table.pivot_table(index="sigma", columns="gap", values="war_expected_battles")
    gaps = wide.columns.to_numpy(dtype=np.float64)

    with style.rc():
        fig = style.new_figure(height=3.4)
        ax_map, ax_end, ax_len = fig.subplots(1, 3)

        mesh = ax_map.pcolormesh(
            _edges(gaps),
            _edges(wide.index.to_numpy(dtype=np.float64)),
            wide.to_numpy(),
            cmap=style.SEQUENTIAL_CMAP,
            vmin=0.0,
            shading="flat",
            rasterized=True,
        )
        for s in chosen:
            ax_map.axhline(s, color="white", lw=0.8, ls=":")
        ax_map.set_xlabel("informativeness $q_w - q_s$")
        ax_map.set_ylabel("prior that the target is strong, $\\sigma$")
        ax_map.set_title("expected number of battles")
        fig.colorbar(mesh, ax=ax_map, label="battles", shrink=0.9)

        curve = table[table["sigma"] == middle].sort_values("gap", kind="stable")
        x = curve["gap"].to_numpy(dtype=np.float64)
        shares = [curve[col].to_numpy(dtype=np.float64) for col, _, _ in _STACK]
        bottom = np.zeros_like(x)
        for share, (_, cls, label) in zip(shares, _STACK, strict=True):
            look = style.OUTCOME_STYLE[cls]
            ax_end.fill_between(
                x,
                bottom,
                bottom + share,
                facecolor=look.color,
                edgecolor="white",
                hatch=look.hatch,
                lw=0.0,
                alpha=0.85,
                label=label,
                step="mid",
            )
            bottom = bottom + share
        ax_end.set_xlim(x.min(), x.max())
        ax_end.set_ylim(0.0, 1.0)
        ax_end.set_xlabel("informativeness $q_w - q_s$")
        ax_end.set_ylabel("probability")
        ax_end.set_title(f"how the war ends, $\\sigma$ = {style.fmt_number(middle)}")

        for s, colour, marker in zip(chosen, _LINE_COLOURS, _MARKERS, strict=True):
            rows = table[table["sigma"] == s].sort_values("gap", kind="stable")
            gx = rows["gap"].to_numpy(dtype=np.float64)
            every = max(1, len(gx) // 8)
            ax_len.plot(
                gx,
                rows["war_expected_battles"],
                color=style.OKABE_ITO[colour],
                marker=marker,
                markevery=(0, every),
                drawstyle="steps-mid",
            )
            ax_len.plot(
                gx,
                rows["war_battles_before_talks"],
                color=style.OKABE_ITO[colour],
                ls=":",
                drawstyle="steps-mid",
            )
        ax_len.set_xlim(gaps.min(), gaps.max())
        ax_len.set_ylim(bottom=0.0)
        ax_len.grid(True, axis="y")
        ax_len.set_xlabel("informativeness $q_w - q_s$")
        ax_len.set_ylabel("expected number of battles")
        ax_len.set_title("how long the war lasts")
        handles, labels = ax_end.get_legend_handles_labels()
        for s, colour, marker in zip(chosen, _LINE_COLOURS, _MARKERS, strict=True):
            handles.append(Line2D([], [], color=style.OKABE_ITO[colour], marker=marker))
            labels.append(f"$\\sigma$ = {style.fmt_number(s)}")
        handles += [Line2D([], [], color=style.GREY), Line2D([], [], color=style.GREY, ls=":")]
        labels += ["all battles", "before talks"]
        fig.legend(
            handles,
            labels,
            loc="outside lower center",
            ncol=5,
            columnspacing=0.9,
            handlelength=1.8,
            title=f"a battle decides the war with probability $\\kappa$ = "
            f"{style.fmt_number(kappa)}; stalemate after T = {int(horizon)} battles",
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
