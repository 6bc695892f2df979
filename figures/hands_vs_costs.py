"""Tying hands versus sinking costs (Fearon 1997): war, success and payoffs by signal size.

What the figure shows
---------------------
A challenger of private resolve threatens a target or not; the target concedes or resists; a
resisted challenger fights (if resolved) or backs down. A threat carries a costly signal of size
``s`` (horizontal axis, in units of the stake), either as an audience cost paid only by a
challenger that backs down (*tying hands*: ``a = s, m = 0``) or as a cost paid up front by any
challenger that threatens (*sinking costs*: ``a = 0, m = s``), for the same target (``d``) and
prior of resolve (``pi < 1/d``). Left: the ex ante probability of war. Middle: the probability
that a threat succeeds (the target complies). Right: the challenger's expected payoff, on
average (solid) and for each type (resolved: dashed; unresolved: dotted).

What it shows, and how it compares with Fearon (1997)
-----------------------------------------------------
In this binary-type game both of Fearon's comparative claims come out, for every size below the
stake. Tying hands carries the higher ex ante risk of war, ``pi/(1 + s)`` against
``pi (1 - s)``. It still gives the challenger the higher expected payoff: the resolved type gets
``(s + w_R)/(1 + s)`` against ``(1 - s) w_R``, because an audience cost is paid only by
challengers that back down, which resolved challengers never do, while a sunk cost is paid by
every challenger that threatens. The unresolved type gets 0 under both technologies (it bluffs
just often enough to be indifferent), so the average follows the resolved type. Sinking costs
give the higher success rate, ``s`` against ``s/(1 + s)``, but they buy it with the resolved
type's payoff. Both technologies leave the threat probability (``pi d``) and the target's payoff
(``-pi d``) unchanged. Fearon's other claim, that signallers never bluff, is *not* reproduced:
here the size of the signal is fixed, not chosen, and for ``s < 1`` the unresolved type bluffs
under either technology. A sunk cost of at least the stake (``s >= 1``, dotted vertical line)
deters every threat, resolved or not, so war and the challenger's payoffs drop to 0 and the
success rate is undefined; tying hands keeps working at any size.

Data
----
Reads the experiments ``crisis_signalling_tying_hands`` (a grid of audience costs ``a`` with
``m = 0``) and ``crisis_signalling_sinking_costs`` (the same grid of sunk costs ``m`` with
``a = 0``), both ``model.games.crisis_signalling`` with ``pi``, ``d``, ``w_resolved`` and
``w_unresolved`` fixed and equal across the two, solved by enumerating every perfect Bayesian
equilibrium of the tree and selecting, per point, the challenger-preferred survivor of the
Intuitive Criterion (the configs' ``[options]``). Used columns: ``a``, ``m``, ``pi``, ``d``,
``w_resolved``, ``certified``, ``planned_war``, ``planned_compliance``, ``planned_status_quo``,
``eu_planned_challenger``, ``eu_planned_challenger_resolved`` and
``eu_planned_challenger_unresolved``; the success rate is ``planned_compliance`` over the
probability of a threat, ``1 - planned_status_quo`` (undefined where nobody threatens).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "hands_vs_costs"
#: Experiments whose stored results this figure reads.
REQUIRES = ["crisis_signalling_tying_hands", "crisis_signalling_sinking_costs"]

_COLUMNS = [
    "a",
    "m",
    "pi",
    "d",
    "w_resolved",
    "certified",
    "planned_war",
    "planned_compliance",
    "planned_status_quo",
    "eu_planned_challenger",
    "eu_planned_challenger_resolved",
    "eu_planned_challenger_unresolved",
]
_SHARED = ("pi", "d", "w_resolved")
#: experiment -> (the signal's column, the other cost's column, label, colour, marker)
_TECHNOLOGY = {
    REQUIRES[0]: ("a", "m", "tying hands ($a = s$, $m = 0$)", style.OKABE_ITO["blue"], "o"),
    REQUIRES[1]: ("m", "a", "sinking costs ($a = 0$, $m = s$)", style.OKABE_ITO["vermillion"], "s"),
}
_PAYOFFS = (
    ("eu_planned_challenger", "-", "average"),
    ("eu_planned_challenger_resolved", "--", "resolved type"),
    ("eu_planned_challenger_unresolved", ":", "unresolved type"),
)
_N_MARKERS = 7


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the tying-hands-versus-sinking-costs figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``crisis_signalling_hands_vs_costs/part-*.parquet``.
    out_dir : Path
        Where ``hands_vs_costs.pdf`` and ``hands_vs_costs.png`` are written.

    Returns
    -------
    list of Path
        The files written (PDF, PNG).
    """
    curves, fixed = {}, {}
    for name, (signal, other, *_) in _TECHNOLOGY.items():
        table = style.load_results(results_dir, name)
        style.require_columns(table, name, _COLUMNS)
        if not table["certified"].all():
            raise ValueError(f"{name}: some stored equilibria failed their certificate")
        if style.single_value(table, name, other) != 0.0:
            raise ValueError(f"{name}: this figure needs {other} = 0 (one technology at a time)")
        values = {k: style.single_value(table, name, k) for k in _SHARED}
        if fixed and values != fixed:
            raise ValueError(
                f"{' and '.join(REQUIRES)} must share {', '.join(_SHARED)}; found {fixed} and "
                f"{values}"
            )
        fixed = values
        curve = table.sort_values(signal, kind="stable")
        threat = 1.0 - curve["planned_status_quo"].to_numpy()
        with np.errstate(invalid="ignore", divide="ignore"):
            success = np.where(threat > 1e-12, curve["planned_compliance"] / threat, np.nan)
        curves[name] = curve.assign(size=curve[signal], success_rate=success)
    pi, d, w_r = (fixed[k] for k in _SHARED)
    s_max = max(float(c["size"].max()) for c in curves.values())

    with style.rc():
        fig = style.new_figure(height=2.9)
        ax_war, ax_success, ax_eu = fig.subplots(1, 3)
        for k, (name, curve) in enumerate(curves.items()):
            *_, label, color, marker = _TECHNOLOGY[name]
            x = curve["size"].to_numpy()
            every = max(1, (len(x) - 1) // (_N_MARKERS - 1))
            offset = (every // 2) if k else 0
            common = {"color": color, "marker": marker, "markevery": (offset, every)}
            ax_war.plot(x, curve["planned_war"], **common, label=label)
            ax_success.plot(x, curve["success_rate"], **common)
            for column, ls, _ in _PAYOFFS:
                ax_eu.plot(x, curve[column], **common, linestyle=ls)
        for ax in (ax_war, ax_success, ax_eu):
            if s_max > 1.0:
                ax.axvline(1.0, color=style.GREY, lw=0.8, ls=":", zorder=1)
            ax.set_xlim(0.0, s_max)
            ax.grid(True, axis="y")
        if s_max > 1.0:
            ax_success.annotate(
                "$m \\geq 1$: no\nthreats at all",
                xy=(1.0, 0.05),
                xytext=(3, 0),
                textcoords="offset points",
                ha="left",
                va="bottom",
                fontsize=7,
                color=style.GREY,
            )
        ax_war.set_title("ex ante probability of war")
        ax_war.set_ylim(bottom=0.0)
        ax_success.set_title("P(target complies | threat)")
        ax_success.set_ylim(-0.03, 1.03)
        ax_eu.set_title("challenger's expected payoff")
        ax_eu.axhline(0.0, color=style.GREY, lw=0.6, zorder=1)
        handles, labels = ax_war.get_legend_handles_labels()
        for _, ls, what in _PAYOFFS:
            (line,) = ax_eu.plot([], [], color=style.GREY, linestyle=ls)
            handles.append(line)
            labels.append(f"payoff: {what}")
        fig.supxlabel("size of the signal, $s$ (units of the stake)")
        fig.legend(
            handles,
            labels,
            loc="outside upper center",
            ncol=3,
            columnspacing=1.8,
            title=f"prior of resolve $\\pi$ = {style.fmt_number(pi)}, target's cost of war "
            f"$d$ = {style.fmt_number(d)}, resolved type's war payoff $w_R$ = "
            f"{style.fmt_number(w_r)}\nperfect Bayesian equilibrium surviving the Intuitive "
            "Criterion",
        )
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
