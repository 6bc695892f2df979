"""Audience costs and the credibility of threats: crisis outcomes over the prior of resolve.

What the figure shows
---------------------
A challenger of private resolve threatens a target or not; the target concedes or resists; a
resisted challenger fights (if resolved) or backs down at an audience cost ``a``. One panel per
audience cost, the prior probability ``pi`` that the challenger is resolved on the horizontal
axis, and the probabilities of the four ends of the crisis: no threat (status quo), the target
complies (coercion succeeds), the challenger backs down, war. Below ``pi = 1/d`` unresolved
challengers bluff just often enough to leave the target indifferent, the target resists with
probability ``1/(1 + a)``, and war has probability ``pi / (1 + a)``: higher audience costs make
threats more credible, so coercion succeeds more often and war is rarer. Above ``1/d`` every
challenger threatens and the target gives in. A dotted vertical line marks ``pi = 1/d``.

Data
----
Reads the experiment ``crisis_signalling_audience_costs``: ``model.games.crisis_signalling``
solved by enumerating every perfect Bayesian equilibrium of the tree and selecting, per point,
the challenger-preferred survivor of the Intuitive Criterion (the config's ``[options]``). Used
columns: ``pi``, ``a``, ``d``, ``planned_<outcome>`` for the four outcomes, and ``certified``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from figures import style

__all__ = ["NAME", "REQUIRES", "draw"]

#: Output file stem.
NAME = "audience_costs"
#: Experiments whose stored results this figure reads.
REQUIRES = ["crisis_signalling_audience_costs"]

_OUTCOMES = ("status_quo", "compliance", "backdown", "war")
_LABEL = {
    "status_quo": "no threat (status quo)",
    "compliance": "target complies (coercion succeeds)",
    "backdown": "challenger backs down",
    "war": "war",
}
_COLUMNS = ["pi", "a", "d", "certified", *(f"planned_{o}" for o in _OUTCOMES)]
_N_MARKERS = 8


def draw(results_dir: Path, out_dir: Path) -> list[Path]:
    """Draw the audience-cost figure from stored results.

    Parameters
    ----------
    results_dir : Path
        Results root holding ``crisis_signalling_audience_costs/part-*.parquet``.
    out_dir : Path
        Where ``audience_costs.pdf`` and ``audience_costs.png`` are written.

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
    d = style.single_value(table, name, "d")
    levels = np.unique(table["a"].to_numpy(dtype=np.float64))

    with style.rc():
        fig = style.new_figure(height=2.7)
        axes = fig.subplots(1, len(levels), sharey=True, squeeze=False)[0]
        for j, (ax, a) in enumerate(zip(axes, levels, strict=True)):
            curve = table[table["a"] == a].sort_values("pi", kind="stable")
            x = curve["pi"].to_numpy()
            every = max(1, (len(x) - 1) // (_N_MARKERS - 1))
            for k, o in enumerate(_OUTCOMES):
                ax.plot(
                    x,
                    curve[f"planned_{o}"],
                    **style.OUTCOME_STYLE[o].line(),
                    markevery=(k * every // len(_OUTCOMES), every),
                    label=_LABEL[o] if j == 0 else None,
                )
            ax.axvline(1.0 / d, color=style.GREY, lw=0.8, ls=":", zorder=1)
            ax.annotate(
                "$\\pi = 1/d$",
                xy=(1.0 / d, 0.6),
                xytext=(3, -2),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=7,
                color=style.GREY,
            )
            ax.set_title(f"audience cost $a$ = {style.fmt_number(a)}")
            ax.set_xlim(0.0, 1.0)
            ax.set_ylim(-0.03, 1.03)
            ax.grid(True, axis="y")
        axes[0].set_ylabel("probability")
        fig.supxlabel("prior probability that the challenger is resolved, $\\pi$")
        fig.legend(
            loc="outside upper center",
            ncol=2,
            columnspacing=1.8,
            title=f"target's cost of war $d$ = {style.fmt_number(d)}; perfect Bayesian "
            "equilibrium surviving the Intuitive Criterion",
        )
        return style.save(fig, out_dir, NAME)


if __name__ == "__main__":
    from experiments import paths  # the project's one module of paths (and their env overrides)

    print("\n".join(map(str, draw(paths.results_dir(), paths.figures_dir()))))
