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
started at :math:`\mu_J(h)` instead of at the root (:func:`sequential_regret`). The information
sets of one player at one own depth are evaluated together: none lies below another (it would
follow that one's move), so their subtrees are disjoint and share one such pass. *Bayes
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

import math
import weakref
from collections.abc import Mapping, Sequence
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
#: Batches of at most this many points reduce segments with ``ufunc.reduceat``; wider ones round
#: by round (``reduceat`` along the first axis is slow on wide arrays).
_REDUCEAT_POINTS = 128


class _Segments:
    """Rows of an array grouped into segments, to be reduced along the first axis (:func:`_reduce`).

    Segment ``i`` holds the rows ``rows[starts[i]:starts[i + 1]]``, in that order (``starts``
    increases strictly); ``rows=None`` stands for the rows ``0, 1, ..., size - 1``. For wide
    batches :attr:`rounds` (built on first use) gives each segment's first row, then per round
    ``r`` the segments longer than ``r`` (``None``: all of them) with their ``r``-th row.
    """

    __slots__ = ("_rounds", "rows", "size", "starts")

    def __init__(self, rows: np.ndarray | None, starts: np.ndarray, size: int = 0):
        self.rows = rows
        self.starts = starts
        self.size = rows.size if rows is not None else size
        self._rounds: tuple[np.ndarray, tuple[tuple[np.ndarray | None, np.ndarray], ...]] | None
        self._rounds = None

    @property
    def rounds(self) -> tuple[np.ndarray, tuple[tuple[np.ndarray | None, np.ndarray], ...]]:
        if self._rounds is None:
            every = np.arange(self.size) if self.rows is None else self.rows
            sizes = np.diff(np.append(self.starts, self.size))
            rounds = []
            for r in range(1, int(sizes.max(initial=1))):
                which = np.flatnonzero(sizes > r)
                rows = every[self.starts[which] + r]
                rounds.append((None if which.size == sizes.size else which, rows))
            self._rounds = every[self.starts], tuple(rounds)
        return self._rounds


def _grouped(keys: np.ndarray) -> tuple[_Segments, np.ndarray]:
    """Positions in ``keys`` grouped by key, stably: their segments and the distinct keys.

    Adding over these segments gives, for each distinct key, the sum of the entries with that key
    in their original order, as ``np.add.at`` into a zeroed array does.
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    starts = np.flatnonzero(np.concatenate([[True], ordered[1:] != ordered[:-1]]))
    return _Segments(order, starts), ordered[starts]


class _Sums:
    """Rows ``keys`` of ``W`` receiving entries of ``x`` (:meth:`add_into`)."""

    __slots__ = ("_grouped", "keys")

    def __init__(self, keys: np.ndarray):
        self.keys = keys
        self._grouped: tuple[_Segments, np.ndarray] | None = None

    def add_into(self, W: np.ndarray, x: np.ndarray) -> None:
        """``W[keys[i]] += x[i]`` for every ``i`` in order, as ``np.add.at`` does."""
        if W.size <= _REDUCEAT_POINTS * len(W):
            np.add.at(W, self.keys, x)
            return
        if self._grouped is None:  # wide batches: sum each key's entries first (_grouped)
            self._grouped = _grouped(self.keys)
        segments, distinct = self._grouped
        W[distinct] += _reduce(np.add, x, segments)


def _reduce(ufunc: np.ufunc, x: np.ndarray, seg: _Segments) -> np.ndarray:
    """Reduce the rows of ``x`` over every segment with ``ufunc``: ``(n_segments, *rest)``."""
    if x.size <= _REDUCEAT_POINTS * len(x):
        return ufunc.reduceat(x if seg.rows is None else x[seg.rows], seg.starts, axis=0)
    first, rounds = seg.rounds
    out = x[first]
    for which, rows in rounds:
        if which is None:
            ufunc(out, x[rows], out=out)
        else:
            out[which] = ufunc(out[which], x[rows])
    return out


def _rounds(keys: np.ndarray) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """Split positions into rounds in which no key repeats: ``((positions, keys), ...)``.

    Round ``r`` holds the ``r``-th occurrence of every key, so ``W[keys] += x[positions]`` round
    after round adds into each row in the original order, as ``np.add.at`` does.
    """
    segments, _ = _grouped(keys)
    sizes = np.diff(np.append(segments.starts, keys.size))
    rank = np.empty(keys.size, dtype=np.int64)  # the occurrence number of each key
    rank[segments.rows] = np.arange(keys.size) - np.repeat(segments.starts, sizes)
    return tuple(
        (pos, keys[pos])
        for pos in (np.flatnonzero(rank == r) for r in range(int(rank.max(initial=-1)) + 1))
    )


class _Level:
    """A player's information sets at one own depth (see :func:`_player_tables`)."""

    __slots__ = ("_rounds", "actions", "isets", "parents")

    def __init__(self, isets: np.ndarray, actions: _Segments, parents: np.ndarray):
        self.isets = isets  # the sets
        self.actions = actions  # the rows of their actions in W, one segment per set
        self.parents = parents  # the row in W of each set's parent sequence
        self._rounds: tuple[tuple[np.ndarray, np.ndarray], ...] | None = None

    def add_to_parents(self, W: np.ndarray, best: np.ndarray) -> None:
        """``W[parent of J] += best[J]`` for the sets ``J`` in order, as ``np.add.at`` does."""
        if W.size <= _REDUCEAT_POINTS * len(W):
            np.add.at(W, self.parents, best[self.isets])
            return
        if self._rounds is None:  # wide batches: rounds of distinct parents (_rounds)
            self._rounds = tuple((self.isets[i], rows) for i, rows in _rounds(self.parents))
        for js, rows in self._rounds:
            W[rows] += best[js]


class _Player(NamedTuple):
    """Index tables of one player's best responses in one game (see :func:`_player_tables`)."""

    terminals: _Sums  # the W row of each terminal (of its last own move)
    levels: tuple[_Level, ...]  # the player's information sets by own depth, deepest first
    isets: np.ndarray  # the player's information sets
    nodes: _Segments  # their nodes, one segment per set (node order within a set)
    node_positions: _Segments  # the same segments of positions 0, 1, ... in nodes.rows


_TABLES: weakref.WeakKeyDictionary[Game, tuple[_Player, ...]] = weakref.WeakKeyDictionary()


def _player_tables(game: Game) -> tuple[_Player, ...]:
    """Index tables of every player's best responses, built once per game.

    ``W`` (:meth:`_Analysis.best_response`) has one row per sequence of a player: row 0 for the
    empty sequence, row ``s + 1`` for the sequence ending with action slot ``s``. A player's
    ``terminals`` holds the row of each terminal's last own move (where the terminal weight
    ``w(z)`` of the module docstring goes); ``levels`` holds its information sets by own
    depth, deepest first, with the rows of their actions and the row of each set's parent
    sequence (where ``max_b W(K, b)`` goes).
    """
    tables = _TABLES.get(game)
    if tables is not None:
        return tables
    n_actions = np.array(game._iset_n_actions, dtype=np.int64)
    depth = game._iset_own_depth
    dec = np.flatnonzero(game._node_infoset >= 0)
    players = []
    for k in range(game.n_players):
        own = np.flatnonzero(game._iset_player == k)
        levels = []
        for d in np.unique(depth[own])[::-1]:
            js = own[depth[own] == d]
            sizes = n_actions[js]
            starts = np.cumsum(sizes) - sizes
            rows = np.repeat(game._iset_first_slot[js] + 1 - starts, sizes) + np.arange(sizes.sum())
            levels.append(_Level(js, _Segments(rows, starts), game._iset_parent_seq[js]))
        hs = dec[game._mover[dec] == k]
        order = np.argsort(game._node_infoset[hs], kind="stable")
        counts = np.bincount(game._node_infoset[hs], minlength=len(game.infosets))[own]
        node_starts = np.cumsum(counts) - counts
        players.append(
            _Player(
                terminals=_Sums(game._last_seq[k, game.terminals]),
                levels=tuple(levels),
                isets=own,
                nodes=_Segments(hs[order], node_starts),
                node_positions=_Segments(None, node_starts, hs.size),
            )
        )
    _TABLES[game] = tables = tuple(players)
    return tables


def _best_values(W: np.ndarray, levels: Sequence[_Level], best: np.ndarray) -> None:
    """Process ``levels`` bottom-up: ``best[J] = max_a W(J, a)``, added to its parent's row."""
    for level in levels:
        best[level.isets] = _reduce(np.maximum, W, level.actions)
        level.add_to_parents(W, best)


_STEPS: weakref.WeakKeyDictionary[Game, tuple[tuple[Any, ...], ...]] = weakref.WeakKeyDictionary()


def _node_values(game: Game, edges: np.ndarray) -> np.ndarray:
    """Expected payoffs from every node on, ``(n_nodes, n_players, *batch)``.

    A node's value is the sum over its children of edge probability times child value, level by
    level from the bottom (:meth:`model.tree.Game.node_values`, which narrow batches use).
    """
    batch = edges.shape[1:]
    if math.prod(batch) * game.n_players <= _REDUCEAT_POINTS:
        return game._values(edges)
    steps = _STEPS.get(game)
    if steps is None:  # per level from the bottom: nodes, edge rows, parents, their children
        steps = tuple(
            (level, rows, parents, _Segments(None, heads, level.size))
            for level, _, rows, parents, heads in reversed(game._steps)
        )
        _STEPS[game] = steps
    values = np.zeros((len(game.nodes), game.n_players) + batch)
    values[game.terminals] = to_batch(game.payoffs, 2, batch)
    for level, rows, parents, children in steps:
        values[parents] = _reduce(np.add, edges[rows][:, None] * values[level], children)
    return values


class _Analysis:
    """Reach probabilities, node values and best-response tables of one profile."""

    def __init__(self, game: Game, profile: Mapping[str, Any]):
        self.game = game
        self.table = game.behaviour_table(profile)
        edges = game._edge_table(self.table)
        self.batch = edges.shape[1:]
        self.reach = game._reach(edges)
        self.values = _node_values(game, edges)
        self.payoffs = to_batch(game.payoffs, 2, self.batch)
        self._minus: dict[int, np.ndarray] = {}
        self._best: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    def edges_minus(self, k: int) -> np.ndarray:
        """Edge probabilities with player ``k``'s own moves counted as one, ``(rows, *batch)``."""
        if k not in self._minus:
            g = self.game
            self._minus[k] = g._edge_table(self.table, exclude=(g.players[k],))
        return self._minus[k]

    def best_response(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """BR value, per-infoset best value ``max_a W(J, a)`` and counterfactual reach."""
        if k in self._best:
            return self._best[k]
        g = self.game
        tables = _player_tables(g)[k]
        reach_minus = g._reach(self.edges_minus(k))
        w = reach_minus[g.terminals] * self.payoffs[:, k]
        W = np.zeros((1 + g.n_slots,) + self.batch)
        tables.terminals.add_into(W, w)
        best = np.zeros((len(g.infosets),) + self.batch)
        _best_values(W, tables.levels, best)
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
        _, best, reach_minus = an.best_response(k)
        on = _reduce(np.add, an.reach, tables.nodes)
        mass = _reduce(np.add, reach_minus, tables.nodes)
        hs = tables.nodes.rows
        cf = _reduce(np.add, reach_minus[hs] * an.values[hs, k], tables.node_positions)
        ok = (on > 0.0) & (mass > 0.0)
        gap = np.divide(best[tables.isets] - cf, mass, out=np.zeros_like(cf), where=ok)
        out[tables.isets] = np.maximum(gap, 0.0)
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
    post, hit = _bayes_table(an)
    starts = _assessment_tables(an.game).set_nodes.starts
    return (
        {
            name: post[i : i + len(iset.nodes)]
            for name, i, iset in zip(
                an.game.infosets, starts, an.game.infosets.values(), strict=True
            )
        },
        {name: hit[j] for j, name in enumerate(an.game.infosets)},
    )


def _bayes_table(an: _Analysis) -> tuple[np.ndarray, np.ndarray]:
    """Bayes posteriors as a belief table (:func:`_belief_table`) and where each set is reached.

    Uniform where a set is not reached, as :func:`bayes_beliefs` says.
    """
    nodes = _assessment_tables(an.game).set_nodes
    sizes = np.diff(np.append(nodes.starts, nodes.size))
    total = _reduce(np.add, an.reach, nodes)  # (n_infosets, *batch)
    hit = total > 0.0
    which = np.repeat(np.arange(sizes.size), sizes)
    post = an.reach[nodes.rows if nodes.rows is not None else slice(None)]
    post = post / np.where(hit, total, 1.0)[which]
    uniform = to_batch((1.0 / sizes)[which], 1, an.batch)
    return np.where(hit[which], post, uniform), hit


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


class _Pass(NamedTuple):
    """A player's information sets at one own depth, whose sequential regrets share one pass.

    No node of a set at own depth ``d`` lies below a node of another set at depth ``d`` (it
    would follow that set's move), so the subtrees below the sets' nodes are disjoint and one
    array of weights ``w`` serves all of them: ``w(h) = mu_J(h)`` at the sets' nodes, and below
    them ``w`` grows by the others' (and chance's) probabilities only. The rows of ``W`` for the
    sequences after a set then collect only that set's subtree, as in the module docstring.
    """

    level: _Level  # the sets at one own depth
    below: tuple[_Level, ...]  # the player's deeper sets, deepest first
    nodes: np.ndarray  # the sets' nodes, set after set, in each set's node order
    entries: np.ndarray  # their rows in a belief table (:func:`_belief_table`)
    per_set: _Segments  # positions 0, 1, ... in nodes, one segment per set
    steps: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]  # per tree level, top down:
    # the nodes below the sets' nodes (the sets' own nodes excluded), their parents, edge rows
    terminal_nodes: np.ndarray  # the terminals below the sets' nodes
    terminal_payoffs: np.ndarray  # their rows in game.payoffs
    terminals: _Sums  # the W row of each of them


class _Assessment(NamedTuple):
    """Index tables of assessments in one game (see :func:`_assessment_tables`)."""

    set_nodes: _Segments  # every set's nodes, set after set in each set's node order: the
    # rows of a belief table (:func:`_belief_table`)
    set_entries: _Segments  # the same sets as positions 0, 1, ... of a belief table
    passes: tuple[tuple[_Pass, ...], ...]  # per player, one pass per own depth


_ASSESSMENT: weakref.WeakKeyDictionary[Game, _Assessment] = weakref.WeakKeyDictionary()


def _assessment_tables(game: Game) -> _Assessment:
    """Belief-table layout and, per player, one :class:`_Pass` per own depth (built once)."""
    tables = _ASSESSMENT.get(game)
    if tables is not None:
        return tables
    sets = list(game.infosets.values())
    sizes = np.array([len(i.nodes) for i in sets], dtype=np.int64)
    set_starts = np.cumsum(sizes) - sizes
    flat_all = np.array([h for i in sets for h in i.nodes], dtype=np.int64)
    out = []
    for k, player in enumerate(_player_tables(game)):
        mine = []
        for i, level in enumerate(player.levels):
            flat = np.array([h for j in level.isets for h in sets[j].nodes], dtype=np.int64)
            counts = sizes[level.isets]
            entries = np.repeat(set_starts[level.isets] - (np.cumsum(counts) - counts), counts)
            entries += np.arange(flat.size)
            start = np.zeros(len(game.nodes), dtype=bool)
            start[flat] = True
            under = start.copy()  # the sets' nodes and every node below them
            for lv in game._levels[1:]:
                under[lv] |= under[game._parent[lv]]
            below = under & ~start
            steps = []
            for lv in game._levels[int(game._depth[flat].min()) + 1 :]:
                hs = lv[below[lv]]
                if hs.size:
                    steps.append((hs, game._parent[hs], game._edge_row[hs]))
            inside = np.flatnonzero(under[game.terminals])
            mine.append(
                _Pass(
                    level=level,
                    below=player.levels[:i],
                    nodes=flat,
                    entries=entries,
                    per_set=_Segments(None, np.cumsum(counts) - counts, flat.size),
                    steps=tuple(steps),
                    terminal_nodes=game.terminals[inside],
                    terminal_payoffs=inside,
                    terminals=_Sums(game._last_seq[k, game.terminals[inside]]),
                )
            )
        out.append(tuple(mine))
    tables = _Assessment(
        set_nodes=_Segments(flat_all, set_starts),
        set_entries=_Segments(None, set_starts, flat_all.size),
        passes=tuple(out),
    )
    _ASSESSMENT[game] = tables
    return tables


def _belief_table(
    game: Game, beliefs: Mapping[str, np.ndarray], batch: tuple[int, ...]
) -> np.ndarray:
    """Checked beliefs as one array ``(n_entries, *batch)``: ``_Assessment.set_nodes`` order."""
    if not game.infosets:
        return np.zeros((0,) + batch)
    return np.concatenate([to_batch(beliefs[name], 1, batch) for name in game.infosets])


def _sequential_regret(an: _Analysis, mu: np.ndarray) -> np.ndarray:
    """Regret of every information set's owner under beliefs ``mu``, ``(n_infosets, *batch)``.

    ``mu`` is the belief table of :func:`_belief_table`. One :class:`_Pass` per player and own
    depth: the weights ``w`` start at the beliefs on the sets' nodes and grow down the tree by
    the others' probabilities; ``W`` collects ``w u_i`` at the terminals below, then the best
    values of the deeper sets bottom-up, as in :meth:`_Analysis.best_response`.
    """
    g = an.game
    n_sets = len(g.infosets)
    out = np.zeros((n_sets,) + an.batch)
    w = np.empty((len(g.nodes),) + an.batch)
    best = np.empty((n_sets,) + an.batch)
    for k, passes in enumerate(_assessment_tables(g).passes):
        if not passes:
            continue
        edges = an.edges_minus(k)
        u = an.payoffs[:, k]
        for ps in passes:
            start = mu[ps.entries]
            w[ps.nodes] = start
            for hs, parents, rows in ps.steps:
                w[hs] = w[parents] * edges[rows]
            W = np.zeros((1 + g.n_slots,) + an.batch)
            if ps.terminal_nodes.size:
                contrib = w[ps.terminal_nodes] * u[ps.terminal_payoffs]
                ps.terminals.add_into(W, contrib)
            _best_values(W, ps.below, best)
            top = _reduce(np.maximum, W, ps.level.actions)
            current = _reduce(np.add, start * an.values[ps.nodes, k], ps.per_set)
            out[ps.level.isets] = np.maximum(top - current, 0.0)
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
    regret = _sequential_regret(an, _belief_table(game, _check_beliefs(game, beliefs), an.batch))
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
    checked = _check_beliefs(game, beliefs)
    an = _Analysis(game, profile)
    regret = _tree_regret(an).max(axis=0)
    gap = np.zeros(an.batch)
    if game.infosets:
        mu = _belief_table(game, checked, an.batch)
        regret = np.maximum(regret, _sequential_regret(an, mu).max(axis=0))
        bayes, reached = _bayes_table(an)
        diff = _reduce(np.maximum, np.abs(mu - bayes), _assessment_tables(game).set_entries)
        gap = np.where(reached, diff, 0.0).max(axis=0)
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
