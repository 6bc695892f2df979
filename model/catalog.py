r"""Canonical games with their sources: fixtures, tutorial examples and baselines at once.

Every function returns a validated :class:`~model.tree.Game` (or, for the classic strategic-form
games, a bimatrix pair ``(A, B)``); every numeric argument may be an array over parameter points,
and the game is then batched (see :mod:`model.tree`). The known answers the test-suite freezes
for these games are kept, with their sources, under ``tests/data/``.

Games
-----
* :func:`matching_pennies`, :func:`battle_of_the_sexes`: bimatrix games (von Neumann and
  Morgenstern 1944; Luce and Raiffa 1957); :func:`bimatrix_tree` writes any bimatrix game as a
  tree in which the column player does not see the row player's move.
* :func:`entry_deterrence`: the stage game of Selten's (1978) chain store. Out gives
  ``(1, 5)``; after entry the incumbent fights ``(0, 0)`` or accommodates ``(2, 2)``. The only
  subgame-perfect equilibrium is (in, accommodate).
* :func:`selten_horse`: Selten's (1975) three-player "horse" with the payoffs of Osborne and
  Rubinstein (1994, Fig. 225.1): player 1 plays C or D; after C player 2 plays c, ending
  ``(1, 1, 1)``, or d; player 3, not knowing whether D or (C, d) happened, plays L or R:
  ``D,L = (3, 3, 2)``, ``D,R = (0, 0, 0)``, ``C,d,L = (4, 4, 0)``, ``C,d,R = (0, 0, 1)``.
  Nash equilibria with outcome D exist (player 3 plays L, player 2's threat c is never tested),
  but every sequential equilibrium plays (C, c), with player 3 playing L with probability at
  most 1/4 and believing D with probability at most 1/3.
* :func:`one_card_poker`: Myerson's (1991, sec. 2.1) card game. Each player antes 1; player 1
  sees a red or black card (probability 1/2 each) and raises (1 more) or folds; player 2 then
  meets or passes. The unique equilibrium: raise with red, bluff with black with probability
  1/3; player 2 meets with probability 2/3; the value to player 1 is 1/3.
* :func:`beer_quiche`: Cho and Kreps's (1987) signalling game. The sender is strong (prior
  0.9) or weak; it has beer or quiche (the strong prefer beer, the weak quiche: 1 for the
  preferred breakfast) and gains 2 if the receiver does not duel. The receiver gains 1 for
  duelling a weak sender or leaving a strong one alone, else 0. Both pooling outcomes are
  perfect Bayesian equilibria; only pooling on beer survives the Intuitive Criterion.
* :func:`crisis_signalling`: the standard crisis signalling game of coercion with one-sided
  private resolve (Banks 1990; Morrow 1989), parameterised for closed forms (see below).
* :func:`crisis_demands`: a crisis with ``k`` challenger types and ``m`` demand sizes, the
  scalable tree used by the benchmarks.

The crisis signalling game
--------------------------
Nature makes the challenger *resolved* with probability :math:`\pi`, else *unresolved*; only the
challenger knows which. It makes no threat (status quo: :math:`(0, 0)`) or threatens. The target
concedes (compliance: :math:`(1, -1)`) or resists; the challenger then fights (war:
:math:`(w_\theta, -d)`) or backs down (:math:`(-a, 0)`, :math:`a \ge 0` the audience cost).
With :math:`w_R > -a > w_U` the resolved type fights and the unresolved type backs down, and the
target resists iff its posterior :math:`\mu = P(R \mid \text{threat}) \le 1/d`. For
:math:`d > 1` and :math:`\pi < 1/d` the perfect Bayesian equilibrium is semi-separating: the
resolved type always threatens, the unresolved one with probability
:math:`q^* = \pi(d-1)/(1-\pi)` (so that :math:`\mu = 1/d`), and the target resists with
probability :math:`r^* = 1/(1+a)` (so that the unresolved type is indifferent:
:math:`(1-r) - ra = 0`). Then :math:`P(\text{threat}) = \pi d`, :math:`P(\text{compliance}) =
\pi d\, a/(1+a)`, :math:`P(\text{war}) = \pi/(1+a)`, :math:`P(\text{backdown}) =
\pi(d-1)/(1+a)` and :math:`P(\text{status quo}) = 1 - \pi d`; at :math:`\pi = 0.3, d = 2,
a = 1`: 0.4, 0.3, 0.15, 0.15 (status quo, compliance, war, back-down). For :math:`\pi > 1/d`
both types threaten and the target concedes. These formulas are derived for this
parameterisation from the indifference conditions above; the game is of the family of Banks
(1990) and Morrow (1989), whose notation differs. The keyword ``m`` adds a sunk cost of
threatening (Fearon 1997's sinking costs, paid at every terminal after a threat); with it the
target resists with probability :math:`(1-m)/(1+a)` and :math:`m \ge 1` deters every threat
(:mod:`model.games.crisis_signalling`).

References
----------
.. [1] Banks, J. S. (1990). Equilibrium behavior in crisis bargaining games. *American Journal of
   Political Science* 34(3): 599-614.
.. [2] Cho, I.-K. and Kreps, D. M. (1987). Signaling games and stable equilibria. *Quarterly
   Journal of Economics* 102(2): 179-221.
.. [3] Luce, R. D. and Raiffa, H. (1957). *Games and Decisions*. Wiley, ch. 5.
.. [4] Morrow, J. D. (1989). Capabilities, uncertainty, and resolve: a limited information model
   of crisis bargaining. *American Journal of Political Science* 33(4): 941-972.
.. [5] Myerson, R. B. (1991). *Game Theory: Analysis of Conflict*. Harvard University Press,
   sec. 2.1 and 4.4.
.. [6] Osborne, M. J. and Rubinstein, A. (1994). *A Course in Game Theory*. MIT Press, Fig. 225.1.
.. [7] Selten, R. (1975). Reexamination of the perfectness concept for equilibrium points in
   extensive games. *International Journal of Game Theory* 4(1): 25-55.
.. [8] Selten, R. (1978). The chain store paradox. *Theory and Decision* 9: 127-159.
.. [9] von Neumann, J. and Morgenstern, O. (1944). *Theory of Games and Economic Behavior*.
   Princeton University Press.

Examples
--------
>>> game = crisis_signalling(pi=0.3, d=2.0, a=1.0)
>>> q = 0.3 * (2.0 - 1.0) / 0.7
>>> profile = {
...     "C.resolved": [0.0, 1.0], "C.unresolved": [1.0 - q, q],
...     "T.threat": [0.5, 0.5],
...     "C.resolved.resisted": [0.0, 1.0], "C.unresolved.resisted": [1.0, 0.0],
... }
>>> {k: round(float(v), 6) for k, v in game.outcome_probabilities(profile).items() if v}
{'status_quo': 0.4, 'compliance': 0.3, 'backdown': 0.15, 'war': 0.15}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from model.params import Bounds, ParamSpec, check_value
from model.tree import Chance, Decision, Game, Terminal

__all__ = [
    "battle_of_the_sexes",
    "beer_quiche",
    "bimatrix_tree",
    "crisis_demands",
    "crisis_signalling",
    "entry_deterrence",
    "matching_pennies",
    "one_card_poker",
    "selten_horse",
]

_REAL = Bounds()
_PROB = Bounds(0.0, 1.0)


def _value(name: str, value: Any, bounds: Bounds, doc: str) -> Any:
    return check_value(name, value, ParamSpec(name, 0.0, bounds, doc))


# -- strategic-form classics --------------------------------------------------------------------
def matching_pennies() -> tuple[np.ndarray, np.ndarray]:
    """Return matching pennies ``(A, B)``: the row player wins 1 on a match, loses 1 otherwise."""
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    return A, -A


def battle_of_the_sexes() -> tuple[np.ndarray, np.ndarray]:
    """Return the battle of the sexes ``(A, B)``: pure equilibria (0, 0), (1, 1) and one mixed."""
    return np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 0.0], [0.0, 2.0]])


def bimatrix_tree(
    A: Any,
    B: Any,
    *,
    players: Sequence[str] = ("row", "column"),
    actions: Sequence[Sequence[str]] | None = None,
) -> Game:
    """Write the bimatrix game ``(A, B)`` as a tree: the column player does not see the row.

    Parameters
    ----------
    A, B : array-like, ``(n_row, n_col, *batch)``
        Payoffs of the row and the column player.
    players : pair of str
        Player names; also the names of their information sets.
    actions : pair of sequences of str, optional
        Action labels; default ``r0, r1, ...`` and ``c0, c1, ...``.
    """
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    if A.ndim < 2 or A.shape[:2] != B.shape[:2]:
        raise ValueError(
            f"A and B must have one shape (n_row, n_col, *batch); got {A.shape} and {B.shape}"
        )
    n, m = A.shape[:2]
    rows, cols = (
        actions
        if actions is not None
        else (
            [f"r{i}" for i in range(n)],
            [f"c{j}" for j in range(m)],
        )
    )
    if len(rows) != n or len(cols) != m:
        raise ValueError(f"actions must hold {n} row and {m} column labels")
    row, col = players
    return Game(
        (row, col),
        Decision(
            row,
            row,
            {
                rows[i]: Decision(
                    col, col, {cols[j]: Terminal((A[i, j], B[i, j])) for j in range(m)}
                )
                for i in range(n)
            },
        ),
        title=f"bimatrix game {n}x{m}",
    )


# -- trees ----------------------------------------------------------------------------------------
def entry_deterrence() -> Game:
    """Return the stage game of Selten's (1978) chain store (players entrant, incumbent)."""
    return Game(
        ("entrant", "incumbent"),
        Decision(
            "entrant",
            "E",
            {
                "out": Terminal((1.0, 5.0)),
                "in": Decision(
                    "incumbent",
                    "I",
                    {"fight": Terminal((0.0, 0.0)), "accommodate": Terminal((2.0, 2.0))},
                ),
            },
        ),
        title="entry deterrence (Selten 1978)",
    )


def selten_horse() -> Game:
    """Return Selten's horse (Osborne and Rubinstein 1994, Fig. 225.1); three players."""
    return Game(
        ("one", "two", "three"),
        Decision(
            "one",
            "1",
            {
                "C": Decision(
                    "two",
                    "2",
                    {
                        "c": Terminal((1.0, 1.0, 1.0)),
                        "d": Decision(
                            "three",
                            "3",
                            {"L": Terminal((4.0, 4.0, 0.0)), "R": Terminal((0.0, 0.0, 1.0))},
                        ),
                    },
                ),
                "D": Decision(
                    "three",
                    "3",
                    {"L": Terminal((3.0, 3.0, 2.0)), "R": Terminal((0.0, 0.0, 0.0))},
                ),
            },
        ),
        title="Selten's horse",
    )


def one_card_poker() -> Game:
    """Return Myerson's (1991, sec. 2.1) one-card poker; zero-sum, players "1" and "2"."""

    def after_raise(win: float) -> Decision:
        return Decision(
            "2", "2", {"meet": Terminal((2.0 * win, -2.0 * win)), "pass": Terminal((1.0, -1.0))}
        )

    def card(win: float, colour: str) -> Decision:
        return Decision(
            "1", f"1.{colour}", {"raise": after_raise(win), "fold": Terminal((win, -win))}
        )

    return Game(
        ("1", "2"),
        Chance({"red": (0.5, card(1.0, "red")), "black": (0.5, card(-1.0, "black"))}),
        title="one-card poker (Myerson 1991)",
    )


def beer_quiche(prior_strong: Any = 0.9) -> Game:
    """Return Cho and Kreps's (1987) beer-quiche game (players sender, receiver).

    Parameters
    ----------
    prior_strong : float or array, in [0, 1]
        Prior probability that the sender is strong.
    """
    prior = _value("prior_strong", prior_strong, _PROB, "prior probability of a strong sender")

    def breakfast(kind: str) -> Decision:
        likes = "beer" if kind == "strong" else "quiche"

        def reply(food: str) -> Decision:
            taste = 1.0 if food == likes else 0.0
            duel_r = 1.0 if kind == "weak" else 0.0
            return Decision(
                "receiver",
                f"R.{food}",
                {
                    "duel": Terminal((taste, duel_r)),
                    "no_duel": Terminal((taste + 2.0, 1.0 - duel_r)),
                },
            )

        return Decision("sender", f"S.{kind}", {"beer": reply("beer"), "quiche": reply("quiche")})

    return Game(
        ("sender", "receiver"),
        Chance({"strong": (prior, breakfast("strong")), "weak": (1.0 - prior, breakfast("weak"))}),
        title="beer-quiche (Cho and Kreps 1987)",
        annotations={"prior_strong": prior},
    )


def crisis_signalling(
    pi: Any = 0.3,
    d: Any = 2.0,
    a: Any = 1.0,
    w_resolved: Any = 1.0,
    w_unresolved: Any = -2.0,
    *,
    m: Any = 0.0,
) -> Game:
    r"""Return the crisis signalling game with one-sided private resolve (module docstring).

    Parameters
    ----------
    pi : float or array, in [0, 1]
        Prior probability that the challenger is resolved.
    d : float or array, > 0
        The target's cost of war (it prefers conceding, payoff -1, to war iff ``d > 1``).
    a : float or array, >= 0
        The challenger's audience cost of backing down (tying hands: paid only on backing down).
    w_resolved, w_unresolved : float or array
        War payoffs of the resolved and the unresolved challenger.
    m : float or array, >= 0
        The challenger's sunk cost of threatening (sinking costs, e.g. mobilisation; Fearon
        1997): paid up front by a challenger of either type that threatens, so it is subtracted
        from the challenger's payoff at every terminal after a threat (compliance
        :math:`1 - m`, war :math:`w_\theta - m`, back-down :math:`-a - m`). The default 0 gives
        the game without sunk costs, payoff for payoff.
    """
    pi = _value("pi", pi, _PROB, "prior probability of a resolved challenger")
    d = _value("d", d, Bounds(0.0, np.inf, low_open=True), "the target's cost of war")
    a = _value("a", a, Bounds(0.0, np.inf), "the challenger's audience cost of backing down")
    m = _value("m", m, Bounds(0.0, np.inf), "the challenger's sunk cost of threatening")
    w = {
        "resolved": _value("w_resolved", w_resolved, _REAL, "war payoff of a resolved type"),
        "unresolved": _value("w_unresolved", w_unresolved, _REAL, "war payoff, unresolved"),
    }

    def challenger(kind: str) -> Decision:
        resisted = Decision(
            "challenger",
            f"C.{kind}.resisted",
            {
                "back_down": Terminal((-a - m, 0.0), label="backdown"),
                "fight": Terminal((w[kind] - m, -d), label="war"),
            },
        )
        threat = Decision(
            "target",
            "T.threat",
            {"concede": Terminal((1.0 - m, -1.0), label="compliance"), "resist": resisted},
        )
        return Decision(
            "challenger",
            f"C.{kind}",
            {"no_threat": Terminal((0.0, 0.0), label="status_quo"), "threaten": threat},
        )

    return Game(
        ("challenger", "target"),
        Chance(
            {
                "resolved": (pi, challenger("resolved")),
                "unresolved": (1.0 - pi, challenger("unresolved")),
            }
        ),
        title="crisis signalling with private resolve",
        annotations={"pi": pi, "d": d, "a": a, "m": m, **{f"w_{k}": v for k, v in w.items()}},
    )


def crisis_demands(
    n_types: int,
    n_demands: int,
    *,
    p: Any = 0.5,
    target_cost: Any = 0.2,
    audience_cost: Any = 0.1,
    cost_range: tuple[float, float] = (0.05, 0.8),
) -> Game:
    r"""Return a crisis with ``n_types`` challenger types and ``n_demands`` demand sizes.

    Nature draws the challenger's war cost :math:`c_t` (types equally likely, costs evenly
    spaced over ``cost_range``); the challenger, knowing it, demands :math:`x_j = j/m`,
    :math:`j = 1, \dots, m` of the issue; the target, seeing the demand but not the type,
    concedes (:math:`(x_j, 1 - x_j)`, compliance) or resists; the challenger then fights
    (:math:`(p - c_t, 1 - p - c_T)`, war) or backs down (:math:`(-a, 1)`, back-down). Fearon's
    (1995) war payoffs with Fearon's (1994) audience cost; a screening-and-signalling tree whose
    size grows as :math:`3km` terminals, used to time the solvers.

    Parameters
    ----------
    n_types, n_demands : int, >= 1
        Numbers of challenger types and demand sizes.
    p : float or array, in [0, 1]
        The challenger's probability of winning a war.
    target_cost, audience_cost : float or array, >= 0
        The target's cost of war and the challenger's cost of backing down.
    cost_range : pair of float
        Lowest and highest challenger war cost.
    """
    from model.checks import require_count

    k = require_count("n_types", n_types)
    m = require_count("n_demands", n_demands)
    p = _value("p", p, _PROB, "challenger's probability of winning a war")
    c_T = _value("target_cost", target_cost, Bounds(0.0, np.inf), "target's cost of war")
    a = _value("audience_cost", audience_cost, Bounds(0.0, np.inf), "cost of backing down")
    lo, hi = (float(c) for c in cost_range)
    if not (np.isfinite(lo) and np.isfinite(hi) and 0.0 <= lo <= hi):
        raise ValueError(f"cost_range = {cost_range!r} must be (low, high) with 0 <= low <= high")
    costs = np.linspace(lo, hi, k) if k > 1 else np.array([lo])
    demands = np.arange(1, m + 1) / m

    def challenger(t: int) -> Decision:
        moves = {}
        for j, x in enumerate(demands, start=1):
            resisted = Decision(
                "challenger",
                f"C.t{t}.demand_{j}",
                {
                    "back_down": Terminal((-a, 1.0), label="backdown"),
                    "fight": Terminal((p - costs[t - 1], 1.0 - p - c_T), label="war"),
                },
            )
            moves[f"demand_{j}"] = Decision(
                "target",
                f"T.demand_{j}",
                {"concede": Terminal((x, 1.0 - x), label="compliance"), "resist": resisted},
            )
        return Decision("challenger", f"C.t{t}", moves)

    return Game(
        ("challenger", "target"),
        Chance({f"t{t}": (1.0 / k, challenger(t)) for t in range(1, k + 1)}),
        title=f"crisis with {k} challenger types and {m} demands",
        annotations={"costs": costs, "demands": demands},
    )
