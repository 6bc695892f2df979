r"""Independent verifiers: regret of every player, at every information set, and probabilities.

Solvers certify what they return with these functions, and tests use them to check solvers; the
code here shares nothing with the solvers beyond the game representation of :mod:`model.tree`.

Best responses in a tree with perfect recall
---------------------------------------------
Fix a behaviour profile :math:`\pi` and a player :math:`i`. For a terminal :math:`z` let
:math:`w(z) = \rho_{-i}(z)\, u_i(z)`, where :math:`\rho_{-i}(z)` is the product of the chance and
*other* players' probabilities on the path to :math:`z` (the counterfactual reach). By perfect
recall, the player's own moves on the path to every node of an information set :math:`J` form one
sequence :math:`\sigma(J)`, so the player's sequences form a tree (von Stengel 1996). Processing
the player's information sets bottom-up over that tree,

.. math:: W(J, a) = \sum_{z:\ \text{last own move of } z \text{ is } (J, a)} w(z)
          + \sum_{K:\ \sigma(K) \text{ ends with } (J, a)} \max_b W(K, b),

and the best-response value is :math:`BR_i = \sum_{z:\ \text{no own move}} w(z) +
\sum_{K:\ \sigma(K) = \emptyset} \max_b W(K, b)`. The *regret* of player :math:`i` is
:math:`BR_i - u_i(\pi) \ge 0`: zero for every player iff :math:`\pi` is a Nash equilibrium.

At an information set :math:`J` reached with positive probability, the conditional regret

.. math:: r(J) = \frac{\max_a W(J, a) - \sum_{h \in J} \rho_{-i}(h)\, v_i(h)}
                      {\sum_{h \in J} \rho_{-i}(h)},

with :math:`v_i(h)` the expected payoff from :math:`h` on under :math:`\pi`, is the gain from the
best continuation at :math:`J` under the beliefs Bayes' rule gives (sequential rationality on the
path). In a perfect-information game every node roots a subgame, and :func:`subgame_regret`
checks every decision node, on the path or not (subgame perfection, Selten 1965).

Assessments: beliefs off the path
----------------------------------
A *belief system* :math:`\mu` gives every information set :math:`J` a distribution over its
nodes; with a profile it forms an *assessment* (Kreps and Wilson 1982). The assessment is
*sequentially rational* when, at every information set, on the path or not, the owner's
continuation maximises its expected payoff given :math:`\mu_J` and the others' strategies:

.. math:: r_\mu(J) = \max_{\text{own continuations}} \sum_{h \in J} \mu_J(h)\,
          \mathbb{E}[u_i \mid h] \;-\; \sum_{h \in J} \mu_J(h)\, v_i(h) \;\ge\; 0,

computed like :math:`W` above but with the counterfactual weight of a node below :math:`J`
started at :math:`\mu_J(h)` instead of at the root (:func:`sequential_regret`). *Bayes
consistency* on the path requires :math:`\mu_J(h) = \rho(h) / \sum_{h' \in J} \rho(h')`
wherever the denominator is positive (:func:`bayes_beliefs`). A weak perfect Bayesian equilibrium
(Mas-Colell, Whinston and Green 1995, Def. 9.C.3) is an assessment with zero sequential regret
everywhere and zero Bayes gap; :func:`assessment_certificate` measures both. (Sequential
equilibrium asks more of off-path beliefs: they must be limits of Bayes beliefs of completely
mixed profiles. The solvers that claim it say how their beliefs arise.)

Array convention
----------------
As in :mod:`model.tree`: object axes first, batch axes last. Bimatrix payoffs are
``(n_row, n_col, *batch)``, mixed strategies ``(n_actions, *batch)``. Every function returns
float64 arrays over the batch; regrets are clipped at zero (they are non-negative in exact
arithmetic).

References
----------
.. [1] von Stengel, B. (1996). Efficient computation of behavior strategies. *Games and Economic
   Behavior* 14: 220-246.
.. [2] Selten, R. (1965). Spieltheoretische Behandlung eines Oligopolmodells mit
   Nachfragetraegheit. *Zeitschrift fuer die gesamte Staatswissenschaft* 121: 301-324.
.. [3] Kreps, D. M. and Wilson, R. (1982). Sequential equilibria. *Econometrica* 50(4): 863-894.
.. [4] Mas-Colell, A., Whinston, M. D. and Green, J. R. (1995). *Microeconomic Theory*. Oxford
   University Press, sec. 9.C (weak perfect Bayesian equilibrium).

Examples
--------
Matching pennies: the uniform profile has no regret, a pure profile does.

>>> import numpy as np
>>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
>>> bimatrix_regret(A, -A, [0.5, 0.5], [0.5, 0.5]).tolist()
[0.0, 0.0]
>>> bimatrix_regret(A, -A, [1.0, 0.0], [1.0, 0.0]).tolist()
[0.0, 2.0]
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np

from model.tree import PROB_TOL, Game, to_batch
from model.types import Certificate

__all__ = [
    "TOLERANCE",
    "assessment_certificate",
    "bayes_beliefs",
    "bimatrix_certificate",
    "bimatrix_regret",
    "infoset_regret",
    "probabilities_ok",
    "probability_gap",
    "require_count",
    "require_flag",
    "require_tolerance",
    "sequential_regret",
    "subgame_regret",
    "tree_certificate",
    "tree_regret",
]

#: Default tolerance below which a regret counts as zero.
TOLERANCE = 1e-9


# -- arguments -----------------------------------------------------------------------------------
def require_tolerance(name: str, value: Any) -> float:
    """Check that the argument ``name`` is a finite real number ``>= 0`` and return it.

    Raises
    ------
    TypeError
        If ``value`` is not a real number (booleans are refused).
    ValueError
        If it is negative, NaN or infinite.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | float | np.number):
        raise TypeError(
            f"{name} = {value!r} must be a real number in [0, inf), not {type(value).__name__}"
        )
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} = {value!r} is out of range: it must be a finite number >= 0")
    return float(value)


def require_count(name: str, value: Any, *, low: int = 1) -> int:
    """Check that the argument ``name`` is an integer ``>= low`` and return it.

    Raises
    ------
    TypeError
        If ``value`` is not an integer (booleans are refused).
    ValueError
        If it is below ``low``.
    """
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise TypeError(
            f"{name} = {value!r} must be an integer >= {low}, not {type(value).__name__}"
        )
    if value < low:
        raise ValueError(f"{name} = {value!r} is out of range: it must be an integer >= {low}")
    return int(value)


def require_flag(name: str, value: Any) -> bool:
    """Check that the argument ``name`` is a boolean and return it.

    Raises
    ------
    TypeError
        If ``value`` is not ``True`` or ``False``.
    """
    if not isinstance(value, bool | np.bool_):
        raise TypeError(f"{name} = {value!r} must be True or False, not {type(value).__name__}")
    return bool(value)


# -- probabilities -------------------------------------------------------------------------------
def probability_gap(probs: Any, *, axis: int = 0) -> np.ndarray:
    """Measure how far ``probs`` is from a probability vector along ``axis``.

    Returns, per remaining index, the largest of: the most negative entry's magnitude, the
    largest excess over one, and ``|sum - 1|``; ``inf`` where an entry is not finite.
    """
    p = np.asarray(probs, dtype=np.float64)
    if p.ndim == 0:
        raise ValueError("probabilities need an axis of outcomes; got a scalar")
    neg = np.max(np.maximum(-p, 0.0), axis=axis)
    over = np.max(np.maximum(p - 1.0, 0.0), axis=axis)
    total = np.abs(np.sum(p, axis=axis) - 1.0)
    gap = np.maximum(np.maximum(neg, over), total)
    return np.where(np.all(np.isfinite(p), axis=axis), gap, np.inf)


def probabilities_ok(probs: Any, *, axis: int = 0, tol: float = PROB_TOL) -> np.ndarray:
    """Check, per remaining index, that ``probs`` lie in [0, 1] and sum to one along ``axis``."""
    return probability_gap(probs, axis=axis) <= tol


# -- bimatrix games -----------------------------------------------------------------------------
def bimatrix_regret(A: Any, B: Any, sigma_row: Any, sigma_col: Any) -> np.ndarray:
    """Compute each player's gain from its best pure deviation in a bimatrix game.

    Parameters
    ----------
    A, B : array-like, ``(n_row, n_col, *batch)``
        Payoffs of the row and the column player.
    sigma_row, sigma_col : array-like, ``(n_row, *batch)`` and ``(n_col, *batch)``
        Mixed strategies.

    Returns
    -------
    ndarray, ``(2, *batch)``
        Row player's regret, then the column player's.
    """
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    x, y = np.asarray(sigma_row, dtype=np.float64), np.asarray(sigma_col, dtype=np.float64)
    if A.ndim < 2 or A.shape != B.shape:
        raise ValueError(
            f"A and B must have one shape (n_row, n_col, *batch); got {A.shape}, {B.shape}"
        )
    if x.shape[:1] != A.shape[:1] or y.shape[:1] != A.shape[1:2]:
        raise ValueError(
            f"strategies of lengths {x.shape[:1]} and {y.shape[:1]} do not fit a game of shape "
            f"{A.shape[:2]}"
        )
    batch = np.broadcast_shapes(A.shape[2:], x.shape[1:], y.shape[1:])
    A, B = to_batch(A, 2, batch), to_batch(B, 2, batch)
    x, y = to_batch(x, 1, batch), to_batch(y, 1, batch)
    row = np.einsum("ij...,j...->i...", A, y)
    col = np.einsum("ij...,i...->j...", B, x)
    r_row = np.max(row, axis=0) - np.einsum("i...,i...->...", x, row)
    r_col = np.max(col, axis=0) - np.einsum("j...,j...->...", y, col)
    return np.maximum(np.stack([r_row, r_col]), 0.0)


def bimatrix_certificate(
    A: Any, B: Any, sigma_row: Any, sigma_col: Any, *, tolerance: float = TOLERANCE
) -> Certificate:
    """Certify a mixed profile of a bimatrix game (regret and probability checks)."""
    regret = bimatrix_regret(A, B, sigma_row, sigma_col).max(axis=0)
    gap = np.maximum(probability_gap(sigma_row), probability_gap(sigma_col))
    batch = np.broadcast_shapes(regret.shape, gap.shape)
    return Certificate(
        max_regret=np.broadcast_to(np.maximum(regret, gap), batch).copy(),
        bayes_gap=np.zeros(batch),
        tolerance=tolerance,
        checks={
            "nash_regret": "no pure strategy of either player does better against the other's",
            "probabilities": "both strategies lie in [0, 1] and sum to one (gap in max_regret)",
            "bayes": "not applicable: a normal-form game has no beliefs",
        },
    )


# -- trees --------------------------------------------------------------------------------------
class _Player(NamedTuple):
    """Index tables of one player's best responses in one game (see :func:`_player_tables`)."""

    terminal_rows: np.ndarray  # row in W (last own slot + 1, 0: no own move) of each terminal
    levels: tuple[tuple[np.ndarray, ...], ...]  # (sets, their W rows, starts, parent rows)
    isets: np.ndarray  # the player's information sets
    nodes: np.ndarray  # their nodes, set after set (pre-order within a set)
    node_starts: np.ndarray  # first entry of each set in nodes


_TABLES: weakref.WeakKeyDictionary[Game, tuple[_Player, ...]] = weakref.WeakKeyDictionary()


def _player_tables(game: Game) -> tuple[_Player, ...]:
    """Index tables of every player's best responses, built once per game.

    ``levels`` holds the player's information sets by own depth, deepest first: the sets, the
    rows of their sequences in ``W`` (set after set), where each set starts among those rows,
    and the row of each set's parent sequence.
    """
    tables = _TABLES.get(game)
    if tables is not None:
        return tables
    n_actions = np.array(game._iset_n_actions, dtype=np.int64)
    depth = game._iset_own_depth
    dec = np.flatnonzero(game._node_infoset >= 0)
    out = []
    for k in range(game.n_players):
        own = np.flatnonzero(game._iset_player == k)
        levels = []
        for d in np.unique(depth[own])[::-1]:
            js = own[depth[own] == d]
            sizes = n_actions[js]
            starts = np.cumsum(sizes) - sizes
            rows = np.repeat(game._iset_first_slot[js] + 1 - starts, sizes) + np.arange(sizes.sum())
            levels.append((js, rows, starts, game._iset_parent_seq[js]))
        hs = dec[game._mover[dec] == k]
        order = np.argsort(game._node_infoset[hs], kind="stable")
        counts = np.bincount(game._node_infoset[hs], minlength=len(game.infosets))[own]
        out.append(
            _Player(
                terminal_rows=game._last_seq[k, game.terminals],
                levels=tuple(levels),
                isets=own,
                nodes=hs[order],
                node_starts=np.cumsum(counts) - counts,
            )
        )
    _TABLES[game] = tables = tuple(out)
    return tables


class _Analysis:
    """Reach probabilities, node values and best-response tables of one profile."""

    def __init__(self, game: Game, profile: Mapping[str, Any]):
        self.game = game
        self.table = game.behaviour_table(profile)
        edges = game._edge_table(self.table)
        self.batch = edges.shape[1:]
        self.reach = game._reach(edges)
        self.values = game._values(edges)
        self.payoffs = to_batch(game.payoffs, 2, self.batch)
        self._best: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def best_response(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """BR value, per-infoset best value ``max_a W(J, a)`` and counterfactual reach."""
        if k in self._best:
            return self._best[k]
        g = self.game
        tables = _player_tables(g)[k]
        reach_minus = g._reach(g._edge_table(self.table, exclude=(g.players[k],)))
        w = reach_minus[g.terminals] * self.payoffs[:, k]
        W = np.zeros((1 + g.n_slots,) + self.batch)
        np.add.at(W, tables.terminal_rows, w)
        best = np.zeros((len(g.infosets),) + self.batch)
        for js, rows, starts, parents in tables.levels:
            best[js] = np.maximum.reduceat(W[rows], starts, axis=0)
            np.add.at(W, parents, best[js])
        self._best[k] = W[0], best, reach_minus
        return self._best[k]


def tree_regret(game: Game, profile: Mapping[str, Any]) -> np.ndarray:
    """Compute each player's gain from a best response, ``(n_players, *batch)``.

    Valid for any finite game with perfect recall (which :class:`~model.tree.Game` enforces).
    Zero for every player iff the profile is a Nash equilibrium.
    """
    return _tree_regret(_Analysis(game, profile))


def _tree_regret(an: _Analysis) -> np.ndarray:
    g = an.game
    current = np.einsum("z...,zp...->p...", an.reach[g.terminals], an.payoffs)
    br = np.stack([an.best_response(k)[0] for k in range(g.n_players)])
    return np.maximum(br - current, 0.0)


def infoset_regret(game: Game, profile: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """Compute the conditional regret at every information set reached with positive probability.

    Returns ``infoset -> (*batch)``: the gain of the owner from its best continuation at the
    information set, under the beliefs Bayes' rule derives from the profile; zero at batch
    points where the information set is not reached.
    """
    regret = _infoset_regret(_Analysis(game, profile))
    return {name: regret[j] for j, name in enumerate(game.infosets)}


def _infoset_regret(an: _Analysis) -> np.ndarray:
    """Conditional regret of every information set, ``(n_infosets, *batch)``."""
    g = an.game
    out = np.zeros((len(g.infosets),) + an.batch)
    for k, tables in enumerate(_player_tables(g)):
        if not tables.isets.size:
            continue
        hs, starts, own = tables.nodes, tables.node_starts, tables.isets
        _, best, reach_minus = an.best_response(k)
        on = np.add.reduceat(an.reach[hs], starts, axis=0)
        mass = np.add.reduceat(reach_minus[hs], starts, axis=0)
        cf = np.add.reduceat(reach_minus[hs] * an.values[hs, k], starts, axis=0)
        ok = (on > 0.0) & (mass > 0.0)
        gap = np.divide(best[own] - cf, mass, out=np.zeros_like(cf), where=ok)
        out[own] = np.maximum(gap, 0.0)
    return out


def subgame_regret(game: Game, profile: Mapping[str, Any]) -> np.ndarray:
    """Compute, at every node of a perfect-information game, the mover's gain in its subgame.

    Returns ``(n_nodes, *batch)``: at a decision node, the mover's best continuation value in the
    subgame rooted there minus its value under the profile; zero at other nodes. The profile is
    subgame perfect iff every entry is zero.

    Raises
    ------
    ValueError
        If some information set holds more than one node.
    """
    game.require_perfect_information("subgame_regret")
    return _subgame_regret(_Analysis(game, profile))


def _subgame_regret(an: _Analysis) -> np.ndarray:
    game = an.game
    edges = game._edge_table(an.table)
    n, P = len(game.nodes), game.n_players
    best = np.zeros((n, P) + an.batch)
    best[game.terminals] = an.payoffs
    decision = game._kind == 2
    for level in reversed(game._levels[1:]):
        parents = game._parent[level]
        np.add.at(best, parents, edges[game._edge_row[level]][:, None] * best[level])
        # the mover of a decision parent takes its best child instead of the average
        dec = decision[parents]
        if np.any(dec):
            ps, cs = parents[dec], level[dec]
            movers = game._mover[ps]
            top = np.full((n,) + an.batch, -np.inf)
            np.maximum.at(top, ps, best[cs, movers])
            uniq = np.unique(ps)
            best[uniq, game._mover[uniq]] = top[uniq]
    regret = np.zeros((n,) + an.batch)
    idx = np.flatnonzero(decision)
    regret[idx] = best[idx, game._mover[idx]] - an.values[idx, game._mover[idx]]
    return np.maximum(regret, 0.0)


def tree_certificate(
    game: Game,
    profile: Mapping[str, Any],
    *,
    tolerance: float = TOLERANCE,
    subgame_perfect: bool = False,
) -> Certificate:
    """Certify a behaviour profile of a tree.

    ``max_regret`` is the largest of: every player's Nash regret (:func:`tree_regret`), the
    conditional regret at every information set on the path (:func:`infoset_regret`) and, with
    ``subgame_perfect=True`` (perfect-information games), the regret in every subgame
    (:func:`subgame_regret`). The profile's probabilities are validated on the way (an invalid
    profile raises ``ValueError``). Beliefs are those Bayes' rule derives from the profile, so
    ``bayes_gap`` is zero.
    """
    if subgame_perfect:
        game.require_perfect_information("tree_certificate(subgame_perfect=True)")
    an = _Analysis(game, profile)
    regret = _tree_regret(an).max(axis=0)
    checks = {
        "nash_regret": "no player gains by a best response (bottom-up over its own sequences)",
        "infoset_regret": "no player gains by deviating at an information set on the path",
        "probabilities": "the profile's probabilities lie in [0, 1] and sum to one",
        "bayes": "beliefs on the path are the Bayes posteriors of the profile by construction",
    }
    if game.infosets:
        regret = np.maximum(regret, _infoset_regret(an).max(axis=0))
    if subgame_perfect:
        regret = np.maximum(regret, _subgame_regret(an).max(axis=0))
        checks["subgame_regret"] = "no mover gains by deviating in any subgame"
    return Certificate(
        max_regret=np.asarray(regret, dtype=np.float64),
        bayes_gap=np.zeros(np.shape(regret)),
        tolerance=tolerance,
        checks=checks,
    )


# -- assessments ---------------------------------------------------------------------------------
def bayes_beliefs(
    game: Game, profile: Mapping[str, Any]
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Compute the beliefs Bayes' rule gives at every information set.

    Returns
    -------
    beliefs : dict
        ``infoset -> (n_nodes, *batch)``, nodes in ``game.infosets[name].nodes`` order: the
        posterior where the information set is reached with positive probability, uniform where
        it is not (Bayes' rule is silent there).
    reached : dict
        ``infoset -> (*batch)`` bool: where the information set is reached.
    """
    an = _Analysis(game, profile)
    return _bayes(an)


def _bayes(an: _Analysis) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    beliefs, reached = {}, {}
    for name, iset in an.game.infosets.items():
        r = an.reach[list(iset.nodes)]
        total = r.sum(axis=0)
        hit = total > 0.0
        uniform = np.full_like(r, 1.0 / len(iset.nodes))
        beliefs[name] = np.where(hit, r / np.where(hit, total, 1.0), uniform)
        reached[name] = hit
    return beliefs, reached


def _check_beliefs(game: Game, beliefs: Mapping[str, Any]) -> dict[str, np.ndarray]:
    if not isinstance(beliefs, Mapping):
        raise ValueError("beliefs must be a mapping infoset -> probabilities over its nodes")
    unknown = sorted(set(beliefs) - set(game.infosets))
    if unknown:
        raise ValueError(f"beliefs name unknown information set(s) {unknown}")
    out = {}
    for name, iset in game.infosets.items():
        if name not in beliefs:
            if len(iset.nodes) == 1:
                out[name] = np.ones(1)
                continue
            raise ValueError(
                f"beliefs give nothing at information set {name!r}, which holds "
                f"{len(iset.nodes)} nodes"
            )
        mu = np.asarray(beliefs[name], dtype=np.float64)
        if mu.ndim == 0 or mu.shape[0] != len(iset.nodes):
            raise ValueError(
                f"beliefs at information set {name!r} have shape {mu.shape}; the first axis must "
                f"hold its {len(iset.nodes)} nodes"
            )
        bad = probability_gap(mu) > PROB_TOL
        if np.any(bad):
            raise ValueError(
                f"beliefs at information set {name!r} are not a probability vector (entries in "
                f"[0, 1] summing to one); gap {float(np.max(probability_gap(mu))):.3g}"
            )
        out[name] = mu
    return out


def _sequential_regret(an: _Analysis, beliefs: Mapping[str, np.ndarray]) -> np.ndarray:
    """Regret of every information set's owner under ``beliefs``, ``(n_infosets, *batch)``."""
    g = an.game
    isets = list(g.infosets.values())
    out = np.zeros((len(isets),) + an.batch)
    n = len(g.nodes)
    for k, player in enumerate(g.players):
        own = [j for j, i in enumerate(isets) if i.player == player]
        if not own:
            continue
        edges = g._edge_table(an.table, exclude=(player,))
        edges = to_batch(edges, 1, an.batch)
        u = an.payoffs[:, k]
        depth = g._iset_own_depth
        for j in own:
            iset = isets[j]
            mu = to_batch(beliefs[iset.name], 1, an.batch)
            w = np.zeros((n,) + an.batch)
            start = np.zeros(n, dtype=bool)
            start[list(iset.nodes)] = True
            w[list(iset.nodes)] = mu
            top = min(g.nodes[h].depth for h in iset.nodes)
            for level in g._levels[top + 1 :]:
                keep = ~start[level]
                lv = level[keep]
                w[lv] = w[g._parent[lv]] * edges[g._edge_row[lv]]
            W = np.zeros((1 + g.n_slots,) + an.batch)
            np.add.at(W, g._last_seq[k, g.terminals], w[g.terminals] * u)
            below = [m for m in own if depth[m] > depth[j]]
            for d in sorted({int(depth[m]) for m in below}, reverse=True):
                for m in (m for m in below if depth[m] == d):
                    rows = np.arange(len(isets[m].actions)) + isets[m].first_slot + 1
                    W[g._iset_parent_seq[m]] += W[rows].max(axis=0)
            rows = np.arange(len(iset.actions)) + iset.first_slot + 1
            best = W[rows].max(axis=0)
            current = np.einsum("h...,h...->...", mu, an.values[list(iset.nodes), k])
            out[j] = np.maximum(best - current, 0.0)
    return out


def sequential_regret(
    game: Game, profile: Mapping[str, Any], beliefs: Mapping[str, Any]
) -> dict[str, np.ndarray]:
    r"""Compute the owner's gain from its best continuation at every information set.

    Parameters
    ----------
    game : Game
    profile : mapping
        A behaviour profile.
    beliefs : mapping
        ``infoset -> (n_nodes, *batch)``, a distribution over the nodes of each information set
        (nodes in ``game.infosets[name].nodes`` order); may be omitted for single-node sets.

    Returns
    -------
    dict
        ``infoset -> (*batch)``: :math:`r_\mu(J)` of the module docstring, at every information
        set whether or not the profile reaches it. All zero iff the assessment is sequentially
        rational.
    """
    an = _Analysis(game, profile)
    regret = _sequential_regret(an, _check_beliefs(game, beliefs))
    return {name: regret[j] for j, name in enumerate(game.infosets)}


def assessment_certificate(
    game: Game,
    profile: Mapping[str, Any],
    beliefs: Mapping[str, Any],
    *,
    tolerance: float = TOLERANCE,
) -> Certificate:
    """Certify an assessment (profile and beliefs) as a weak perfect Bayesian equilibrium.

    ``max_regret`` is the larger of every player's Nash regret (:func:`tree_regret`) and the
    sequential regret at every information set under ``beliefs`` (:func:`sequential_regret`);
    ``bayes_gap`` is the largest ``|belief - Bayes posterior|`` over the information sets the
    profile reaches (:func:`bayes_beliefs`).

    Raises
    ------
    ValueError
        If the profile or the beliefs are not probability vectors, or do not fit the game.
    """
    require_tolerance("tolerance", tolerance)
    mu = _check_beliefs(game, beliefs)
    an = _Analysis(game, profile)
    regret = _tree_regret(an).max(axis=0)
    gap = np.zeros(an.batch)
    if game.infosets:
        regret = np.maximum(regret, _sequential_regret(an, mu).max(axis=0))
        bayes, reached = _bayes(an)
        for name in game.infosets:
            diff = np.abs(to_batch(mu[name], 1, an.batch) - bayes[name]).max(axis=0)
            gap = np.maximum(gap, np.where(reached[name], diff, 0.0))
    return Certificate(
        max_regret=np.asarray(regret, dtype=np.float64),
        bayes_gap=np.asarray(gap, dtype=np.float64),
        tolerance=tolerance,
        checks={
            "nash_regret": "no player gains by a best response (bottom-up over its own sequences)",
            "sequential_regret": (
                "at every information set, on the path or off it, no continuation does better "
                "under the stated beliefs"
            ),
            "probabilities": "the profile and the beliefs are probability vectors",
            "bayes": "beliefs equal the Bayes posteriors wherever the profile reaches them",
        },
    )
