"""Preventive war under shifting power: the peace/war phase diagram and the ceasefire reading.

What the figure shows
---------------------
Two states divide a flow each period; B's chance of winning a war rises from ``p0`` to ``p1``
once it has rearmed, and the declining state A makes the offers (Powell 2006; model
``shifting_power``). Left panel: the outcome over the size of the shift ``p1 - p0`` and A's
per-period cost of war ``c_A`` (sure rearmament), with the closed-form boundary
``delta p1 - p0 = c_A + delta c_B`` drawn as a line: above-right of it A fights a preventive war
at once, because what it would have to concede after the shift is worth more than fighting now.
Right panel: the same commitment problem read as mistrust of a ceasefire. A ceasefire lets B
rearm by ``p1 - p0`` with probability ``rearm_prob``; war breaks out when the *expected* shift is
too large for the costs of fighting to absorb, so the boundary is the hyperbola
``rearm_prob * (p1 - p0) = constant`` (drawn from the stored critical shift at each probability).
Colour and hatching tell settlement from war; the boundary line comes from the stored
``cut_critical_shift`` column, not from the figure.

Data
----
Reads the experiment ``shifting_power_phase``: ``model.games.shifting_power`` solved in closed
form (the unique subgame-perfect equilibrium; ties resolved toward peace; no selection rule is
needed) with the declining state proposing, certified on the game tree. Used columns: ``p0``,
``p1``, ``c_A``, ``c_B``, ``delta``, ``rearm_prob``, ``realised_war``, ``cut_critical_shift`` and
``certified``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.patches import Patch

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "preventive_war"
#: Experiments whose stored results this figure reads.
REQUIRES = ["shifting_power_phase"]
#: A's per-period cost of war in the ceasefire panel (the stored level nearest to it is used).
CEASEFIRE_COST = 0.1

_COLUMNS = [
    "p0",
    "p1",
    "c_A",
    "c_B",
    "delta",
    "rearm_prob",
    "realised_war",
    "cut_critical_shift",
    "certified",
]
_PEACE = style.OUTCOME_STYLE["settlement"]
_WAR = style.OUTCOME_STYLE["war"]


def _phase(ax, x: np.ndarray, y: np.ndarray, war: np.ndarray) -> None:
    """Fill the settlement and war regions of a grid ``war[y, x]`` (0 or 1)."""
    ax.contourf(
        x,
        y,
        war,
        levels=[-0.5, 0.5, 1.5],
        colors=[_PEACE.color, _WAR.color],
        hatches=[_PEACE.hatch, _WAR.hatch],
        alpha=0.35,
    )


def _grid(table, xcol: str, ycol: str, value: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pivot a tidy table into ``(x levels, y levels, value[y, x])``."""
    pivot = table.pivot_table(index=ycol, columns=xcol, values=value, aggfunc="first")
    return pivot.columns.to_numpy(float), pivot.index.to_numpy(float), pivot.to_numpy(float)


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the preventive-war figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``shifting_power_phase/part-*.parquet``.
    out_dir : Path
        Where ``preventive_war.pdf`` and ``preventive_war.png`` are written.

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
    p0 = style.single_value(table, name, "p0")
    delta = style.single_value(table, name, "delta")
    c_b = style.single_value(table, name, "c_B")
    table = table.assign(shift=table["p1"] - p0)
    probs = np.unique(table["rearm_prob"].to_numpy(float))
    costs = np.unique(table["c_A"].to_numpy(float))
    sure = table[table["rearm_prob"] == probs.max()]
    c_fixed = costs[np.argmin(np.abs(costs - CEASEFIRE_COST))]
    cease = table[table["c_A"] == c_fixed]

    with style.rc():
        fig = style.new_figure(height=2.9)
        left, right = fig.subplots(1, 2)

        x, y, war = _grid(sure, "shift", "c_A", "realised_war")
        _phase(left, x, y, war)
        edge = sure.groupby("c_A")["cut_critical_shift"].first()
        left.plot(edge.to_numpy(), edge.index.to_numpy(), color="black", lw=1.2)
        left.set_xlabel("power shift $p_1 - p_0$ (B rearms for sure)")
        left.set_ylabel("A's per-period cost of war $c_A$")
        left.set_title("(a) shift against the cost of fighting")
        left.text(
            0.97 * x.max(),
            0.06 * y.max(),
            "preventive war\n(A attacks)",
            ha="right",
            va="bottom",
            fontsize=7,
        )
        left.text(0.03 * x.max(), 0.94 * y.max(), "settlement", ha="left", va="top", fontsize=7)

        x, y, war = _grid(cease, "rearm_prob", "shift", "realised_war")
        _phase(right, x, y, war)
        edge = cease.groupby("rearm_prob")["cut_critical_shift"].first()
        finite = np.isfinite(edge.to_numpy())
        right.plot(edge.index.to_numpy()[finite], edge.to_numpy()[finite], color="black", lw=1.2)
        right.set_xlabel("probability $q$ that the ceasefire lets B rearm")
        right.set_ylabel("B's gain from rearming $p_1 - p_0$")
        right.set_title(f"(b) ceasefire and mistrust ($c_A$ = {style.fmt_number(c_fixed)})")
        for ax in (left, right):
            ax.set_xlim(x.min() if ax is right else 0.0, ax.get_xlim()[1])
        right.set_ylim(y.min(), y.max())

        handles = [
            Patch(facecolor=_PEACE.color, alpha=0.35, hatch=_PEACE.hatch, label="settlement"),
            Patch(facecolor=_WAR.color, alpha=0.35, hatch=_WAR.hatch, label="war"),
            left.lines[0],
        ]
        handles[-1].set_label(
            "closed-form boundary: $\\delta\\,\\bar p_1 - p_0 = c_A + \\delta c_B$, "
            "$\\bar p_1 = p_0 + q\\,(p_1 - p_0)$"
        )
        fig.legend(
            handles=handles,
            loc="outside upper center",
            ncol=3,
            title=(
                f"$p_0$ = {style.fmt_number(p0)}, $\\delta$ = {style.fmt_number(delta)}, "
                f"$c_B$ = {style.fmt_number(c_b)}; declining state proposes; unique "
                "subgame-perfect equilibrium"
            ),
        )
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
