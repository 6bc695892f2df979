r"""Two-player trees through their normal form, solved with nashpy and verified independently.

Normal form
-----------
A pure strategy of a player picks one action at each of its information sets. Strategy
:math:`s_i` is *consistent* with terminal :math:`z` when it takes every own action on the path
to :math:`z`; with :math:`C_i \in \{0, 1\}^{S_i \times Z}` those indicators and :math:`\rho(z)` the
product of chance probabilities on the path, the payoff matrices are

.. math:: A_{rc} = \sum_z C_1[r, z]\, C_2[c, z]\, \rho(z)\, u_1(z), \qquad
          B_{rc} = \sum_z C_1[r, z]\, C_2[c, z]\, \rho(z)\, u_2(z),

one ``einsum`` for all strategy pairs and parameter points (no loop over pairs). The number of
pure strategies grows exponentially with the number of information sets, so
:func:`to_normal_form` refuses more than ``max_strategies`` per player.

Reductions
----------
* ``eliminate_dominated=True``: iterated elimination of strategies *strictly* dominated by another
  pure strategy (at every parameter point, with a margin ``dominance_tolerance``). It preserves
  every Nash equilibrium and its result does not depend on the order of elimination (Gilboa, Kalai
  and Zemel 1990). In many trees it removes little: a strategy that errs only at an information
  set some opponent strategy avoids is never *strictly* dominated.
* ``prune=True`` (:func:`prune_dominated_actions`): before enumeration, iterated removal of
  *conditionally* dominated actions in the tree (Shimoji and Watson 1998): action :math:`a` at
  information set :math:`J` goes when some action :math:`b` at :math:`J` gives the mover more at
  every node of :math:`J` whatever happens next (the most :math:`a` can give is below the least
  :math:`b` can give). No sequential (or, with perfect information, subgame-perfect) equilibrium
  plays such an action, and every Nash equilibrium of the pruned game is one of the original (a
  switch from :math:`a` to :math:`b` is always profitable); Nash equilibria that rely on
  conditionally dominated off-path threats disappear. This is what makes the normal form of a
  bargaining tree small. Because removal is iterated, a removed action is dominated only given
  the removals before it; so behaviour below removed actions (needed to certify the profile on
  the original tree) is restricted to actions that survive (:func:`surviving_actions`).

Solving with nashpy
-------------------
:func:`nashpy_solve` solves one parameter point with nashpy's vertex enumeration (default;
Algorithm 3.5 of Nisan et al. 2007), support enumeration (Algorithm 3.4) or Lemke-Howson
(Algorithm 3.6) started from every label. Every candidate is verified, never trusted:

* probabilities within ``1e-9`` of zero are set to zero (nashpy returns e.g. ``-1e-17``); a
  candidate whose entries are then non-negative and sum to one within ``1e-6`` is divided by its
  sum (this removes round-off only: the verification below is of the renormalised vector), and
  any other candidate is rejected;
* its regret (:func:`model.checks.bimatrix_regret`) must be at most ``tolerance`` times the payoff
  scale ``max(1, max|A|, max|B|)``; candidates failing it are counted in ``rejected``;
* equal equilibria (within ``1e-9``) are reported once.

Known nashpy defects are not inherited. nashpy's support enumeration misses equilibria whose
computed zero probabilities come out slightly negative (its indifference step requires
``prob >= 0`` exactly); with floating-point payoffs this is common (about one random game in ten,
of sizes 2x2 to 4x4, loses an equilibrium). ``method="support_enumeration"`` therefore runs our
own, tolerance-aware support enumeration (Algorithm 3.4 of Nisan et al. 2007): for every pair of
supports of equal size it solves both indifference systems for all pairs of one size in one
batched ``numpy.linalg.solve``, accepts entries down to ``-1e-9`` as zero, and leaves the decision
to the regret check below. It finds every equilibrium of a non-degenerate game; in a degenerate
game (supports of unequal size; a warning says when one is met) use vertex enumeration, the
default. nashpy's Lemke-Howson has no iteration bound; here the same
pivoting (nashpy's lexicographic tableaux) runs under a bound ``max_pivots`` per starting label,
and a run that hits the bound, or fails inside nashpy (its lexicographic tableau raises
``KeyError`` on some degenerate games), is reported (``converged=False``). Warnings nashpy emits
(e.g. about degenerate games) are recorded in the result. Payoffs are shifted to be positive
before they reach nashpy, which leaves equilibria unchanged and keeps the best-response polytopes
bounded. A player with a single strategy is handled directly (the other's pure best responses),
as qhull, behind nashpy's vertex enumeration, cannot handle that case.

A mixed equilibrium of the normal form is mapped back to a behaviour profile of the tree by Kuhn's
theorem (Kuhn 1953): at information set :math:`J`, action :math:`a` gets the probability of the
pure strategies that play :math:`a` at :math:`J` among those consistent with the player's own
sequence leading to :math:`J` (the marginal, if that sequence has probability zero). The profile is
certified on the tree with :func:`model.checks.tree_certificate`.

Array convention
----------------
``A, B``: ``(n_row, n_col, *batch)``; a mixed strategy: ``(n_strategies,)``; a pure strategy: a
row of action indices, one per information set of the player (see :mod:`model.tree`).

References
----------
.. [1] Nisan, N., Roughgarden, T., Tardos, E. and Vazirani, V. (eds.) (2007). *Algorithmic Game
   Theory*, ch. 3 (von Stengel, Equilibrium computation for two-player games in strategic and
   extensive form), Algorithms 3.4-3.6.
.. [2] Knight, V. and Campbell, J. (2018). Nashpy: A Python library for the computation of Nash
   equilibria. *Journal of Open Source Software* 3(30): 904.
.. [3] Kuhn, H. W. (1953). Extensive games and the problem of information. *Contributions to the
   Theory of Games II*, pp. 193-216.
.. [4] Gilboa, I., Kalai, E. and Zemel, E. (1990). On the order of eliminating dominated strategies.
   *Operations Research Letters* 9(2): 85-89.
.. [5] Shimoji, M. and Watson, J. (1998). Conditional dominance, rationalizability, and game
   forms. *Journal of Economic Theory* 83(2): 161-195.

Examples
--------
Battle of the sexes has two pure equilibria and one mixed one.

>>> import numpy as np
>>> A = np.array([[2.0, 0.0], [0.0, 1.0]]); B = np.array([[1.0, 0.0], [0.0, 2.0]])
>>> res = nashpy_solve((A, B))
>>> sorted((round(float(x[0]), 4), round(float(y[0]), 4)) for x, y in res.equilibria)
[(0.0, 0.0), (0.6667, 0.3333), (1.0, 1.0)]
>>> res.certificate.all_passed
True
"""

from __future__ import annotations

import warnings
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import nashpy
import numpy as np
from nashpy.linalg import create_col_tableau, create_row_tableau
from scipy.spatial import QhullError

from model.checks import (
    TOLERANCE,
    bimatrix_certificate,
    bimatrix_regret,
    require_count,
    require_flag,
    require_tolerance,
    tree_certificate,
)
from model.tree import Game, point_index
from model.types import Certificate

__all__ = [
    "METHODS",
    "NashResult",
    "NormalForm",
    "behaviour_from_mixed",
    "eliminate_dominated_strategies",
    "nashpy_solve",
    "prune_dominated_actions",
    "support_enumeration",
    "surviving_actions",
    "to_normal_form",
]

#: nashpy methods :func:`nashpy_solve` accepts.
METHODS = ("vertex_enumeration", "support_enumeration", "lemke_howson")
MAX_STRATEGIES = 20_000
MAX_CELLS = 50_000_000
_ZERO = 1e-9  # probabilities this close to zero are zero; equilibria this close are equal
_SUM_TOL = 1e-6  # a candidate whose probabilities sum to one within this is renormalised


# -- normal form --------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class NormalForm:
    """The normal form of a two-player tree, and how it was obtained.

    Attributes
    ----------
    A, B : ndarray
        Payoffs of ``players[0]`` (rows) and ``players[1]`` (columns), ``(n_row, n_col, *batch)``.
    strategies : tuple of two ndarrays
        The surviving pure strategies of each player, rows of action indices over
        ``infosets[k]``.
    infosets : tuple of two tuples of str
        Each player's information sets in ``game`` (the columns of ``strategies``).
    game : Game
        The tree whose strategies were enumerated (``source`` after pruning).
    source : Game
        The tree that was given.
    method : str
        ``"normal_form"``.
    parameters : dict
        ``eliminate_dominated``, ``prune``, ``max_strategies``, ``dominance_tolerance`` and what
        the reductions did: ``pruned_actions`` (actions removed from the tree),
        ``strategies_before`` (strategy counts after pruning, before elimination) and
        ``elimination_rounds``.
    surviving : mapping or None
        With pruning, the surviving actions of every information set of ``source``.
    """

    A: np.ndarray
    B: np.ndarray
    strategies: tuple[np.ndarray, np.ndarray]
    infosets: tuple[tuple[str, ...], tuple[str, ...]]
    game: Game
    source: Game
    surviving: Mapping[str, tuple[str, ...]] | None = None
    method: str = "normal_form"
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def players(self) -> tuple[str, ...]:
        """Row player, column player."""
        return self.game.players

    @property
    def shape(self) -> tuple[int, int]:
        """Numbers of (row, column) strategies."""
        return self.A.shape[0], self.A.shape[1]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the parameter points."""
        return self.A.shape[2:]

    def describe(self, k: int, row: int) -> dict[str, str]:
        """Describe strategy ``row`` of player ``k`` (0: rows, 1: columns) as infoset -> action."""
        return self.game.describe_strategy(self.players[k], self.strategies[k][row])

    def behaviour_profile(self, sigma_row: Any, sigma_col: Any) -> dict[str, np.ndarray]:
        """Map mixed strategies over ``strategies`` to a behaviour profile of ``source`` (Kuhn).

        Removed actions get probability zero. Information sets that pruning cut off (they lie
        below removed actions) play their surviving actions uniformly: any play that avoids
        conditionally dominated actions there keeps deviations into the cut-off subtrees
        unprofitable.
        """
        prof: dict[str, np.ndarray] = {}
        for k, sigma in enumerate((sigma_row, sigma_col)):
            prof.update(behaviour_from_mixed(self.game, self.players[k], self.strategies[k], sigma))
        out: dict[str, np.ndarray] = {}
        for iset in self.source.infosets.values():
            if iset.name not in prof:
                keep = self.surviving[iset.name] if self.surviving else iset.actions
                out[iset.name] = np.array([float(a in keep) / len(keep) for a in iset.actions])
                continue
            kept = self.game.infosets[iset.name].actions
            p = prof[iset.name]
            full = np.zeros((len(iset.actions),) + p.shape[1:])
            for j, a in enumerate(kept):
                full[iset.actions.index(a)] = p[j]
            out[iset.name] = full
        return out


def behaviour_from_mixed(
    game: Game, player: str, strategies: np.ndarray, sigma: Any
) -> dict[str, np.ndarray]:
    """Turn a mixed strategy over pure strategies into behaviour at each information set (Kuhn).

    Parameters
    ----------
    game : Game
        The tree.
    player : str
        Whose strategy.
    strategies : ndarray, ``(n, m)``
        Pure strategies (action indices over ``game.infosets_of(player)``).
    sigma : array-like, ``(n, *batch)``
        Probabilities of those strategies.

    Returns
    -------
    dict
        ``infoset -> (n_actions, *batch)``: the probability of each action among the pure
        strategies consistent with the player's own sequence leading to the information set, or
        the marginal where that sequence has probability zero.
    """
    isets = game.infosets_of(player)
    strategies = np.asarray(strategies, dtype=np.int64)
    sigma = np.asarray(sigma, dtype=np.float64)
    if strategies.shape != (sigma.shape[0], len(isets)):
        raise ValueError(
            f"{sigma.shape[0]} probabilities for strategies of shape {strategies.shape}; expected "
            f"(n, {len(isets)}) for player {player!r}"
        )
    col = {i.name: j for j, i in enumerate(isets)}
    out = {}
    for j, iset in enumerate(isets):
        consistent = np.ones(strategies.shape[0], dtype=bool)
        for name, action in iset.sequence:
            consistent &= strategies[:, col[name]] == game.infosets[name].actions.index(action)
        plays = strategies[:, j][None, :] == np.arange(len(iset.actions))[:, None]  # (k, n)
        cond = np.einsum("kn,n...->k...", (plays & consistent).astype(float), sigma)
        marg = np.einsum("kn,n...->k...", plays.astype(float), sigma)
        mass = cond.sum(axis=0)
        safe = np.where(mass > 0, mass, 1.0)
        out[iset.name] = np.where(mass > 0, cond / safe, marg / marg.sum(axis=0))
    return out


def surviving_actions(game: Game, *, tolerance: float = 0.0) -> dict[str, tuple[str, ...]]:
    """Find the actions that survive iterated conditional dominance, at every information set.

    Action ``a`` at information set ``J`` is removed when another remaining action ``b`` at ``J``
    satisfies ``max payoff after (h, a) < min payoff after (h, b) - tolerance`` for the mover at
    every node ``h`` of ``J`` and every parameter point (so one tree shape serves the whole
    batch). Payoff ranges run over the terminals reachable through remaining actions, whatever
    the probabilities; removal repeats until nothing changes. Information sets below removed
    actions are reduced too, so behaviour there can be restricted to surviving actions.

    Returns
    -------
    dict
        ``infoset -> surviving actions`` (in action order) for every information set.
    """
    tolerance = require_tolerance("tolerance", tolerance)
    allowed = _surviving_slots(game, tolerance).tolist()
    return {
        iset.name: tuple(a for a, s in zip(iset.actions, iset.slots, strict=True) if allowed[s])
        for iset in game.infosets.values()
    }


class _Rivals(NamedTuple):
    """Where the actions of each information set lead, for the dominance test.

    Information sets of one node (``single_*``): an action is dominated when its largest
    payoff is below the largest least payoff of the set's remaining actions, a comparison per
    action. Larger sets (``groups``, one per number of nodes and actions): every pair of
    actions at every node, as in the definition.
    """

    single_slots: np.ndarray  # the slots of the one-node sets, set after set
    single_child: np.ndarray  # the child each of them leads to
    single_mover: np.ndarray  # the set's mover
    single_starts: np.ndarray  # first entry of each set
    single_sizes: np.ndarray  # entries (actions) of each set
    groups: tuple[tuple[np.ndarray, np.ndarray, np.ndarray], ...]  # (children, movers, slots)


_RIVALS: weakref.WeakKeyDictionary[Game, _Rivals] = weakref.WeakKeyDictionary()


def _rivals(game: Game) -> _Rivals:
    """The :class:`_Rivals` of ``game``, built once per game.

    ``groups`` hold, for ``G`` sets of ``m`` nodes and ``n`` actions, the children
    ``(G, m, n)`` (node ``i`` of set ``g`` after its action ``a``), the movers ``(G, 1, 1)`` and
    the slots ``(G, n)``.
    """
    rivals = _RIVALS.get(game)
    if rivals is not None:
        return rivals
    n_chance = game._chance.shape[0]
    # the children of the decision nodes, node after node in action order: the child after
    # action a of node h is kids[kid_start[h] + a]
    below = np.flatnonzero(game._edge_row >= n_chance)
    up = game._parent[below]
    kids = below[np.lexsort((game._slot_action[game._edge_row[below] - n_chance], up))]
    kid_count = np.bincount(up, minlength=len(game.nodes))
    kid_start = kid_count.cumsum() - kid_count
    dec = np.flatnonzero(game._node_infoset >= 0)
    node_iset = game._node_infoset[dec]
    dec = dec[np.argsort(node_iset, kind="stable")]  # nodes set after set, in pre-order
    n_nodes = np.bincount(node_iset, minlength=len(game.infosets))
    node_start = n_nodes.cumsum() - n_nodes
    n_act = np.array(game._iset_n_actions, dtype=np.int64)
    first = game._iset_first_slot
    # one-node sets: one entry per action
    one = np.flatnonzero(n_nodes == 1)
    sizes = n_act[one]
    starts = sizes.cumsum() - sizes
    pos = np.arange(sizes.sum()) - starts.repeat(sizes)  # the action of each entry
    at = dec[node_start[one]].repeat(sizes)  # the set's node
    groups = []
    many: dict[tuple[int, int], list[int]] = {}
    for j in np.flatnonzero(n_nodes > 1).tolist():
        many.setdefault((int(n_nodes[j]), int(n_act[j])), []).append(j)
    for (m, n), js in many.items():
        J = np.array(js, dtype=np.int64)
        nodes = dec[node_start[J][:, None] + np.arange(m)]  # (G, m)
        groups.append(
            (
                kids[kid_start[nodes][:, :, None] + np.arange(n)],
                game._iset_player[J][:, None, None],
                first[J][:, None] + np.arange(n),
            )
        )
    rivals = _Rivals(
        single_slots=first[one].repeat(sizes) + pos,
        single_child=kids[kid_start[at] + pos],
        single_mover=game._iset_player[one].repeat(sizes),
        single_starts=starts,
        single_sizes=sizes,
        groups=tuple(groups),
    )
    _RIVALS[game] = rivals
    return rivals


def _surviving_slots(game: Game, tolerance: float) -> np.ndarray:
    """The action slots :func:`surviving_actions` keeps, as a boolean array ``(n_slots,)``.

    Each round removes, all at once, every remaining action that some remaining action of its
    information set dominates at every node of the set, at every parameter point (each point
    may name another dominating action), with payoff ranges from the start of the round.
    """
    allowed = np.ones(game.n_slots, dtype=bool)
    if not game.infosets:
        return allowed
    rivals = _rivals(game)
    batch = game.batch_shape
    flat = (-1,) + (1,) * len(batch)
    slots, child, mover = rivals.single_slots, rivals.single_child, rivals.single_mover
    while True:
        lo, hi = _payoff_ranges(game, allowed)
        gone = np.zeros(game.n_slots, dtype=bool)
        if slots.size:
            # one node: b beats a iff the most a can give is below the least b can give, so a
            # is dominated iff that holds for the remaining action whose least is largest
            ok = allowed[slots]
            least = np.where(ok.reshape(flat), lo[child, mover], -np.inf)
            best = np.maximum.reduceat(least, rivals.single_starts, axis=0)
            beaten = hi[child, mover] < best.repeat(rivals.single_sizes, axis=0) - tolerance
            gone[slots] = beaten.reshape(slots.size, -1).all(axis=1) & ok
        for kids, movers, group_slots in rivals.groups:
            top, bottom = hi[kids, movers], lo[kids, movers]  # (G, |J|, n_a, *batch)
            # dom[g, a, b]: b beats a at every node of information set g
            dom = np.all(top[:, :, :, None] < bottom[:, :, None, :] - tolerance, axis=1)
            ok = allowed[group_slots]  # (G, n_a)
            dom &= ok[:, None, :].reshape(ok.shape[:1] + (1, ok.shape[1]) + (1,) * len(batch))
            gone[group_slots] = dom.any(axis=2).reshape(ok.shape + (-1,)).all(axis=2) & ok
        if not gone.any():
            return allowed
        allowed[gone] = False


def prune_dominated_actions(game: Game, *, tolerance: float = 0.0) -> Game:
    """Remove conditionally dominated actions from the tree, repeatedly.

    The game keeps the actions :func:`surviving_actions` returns; subtrees below removed actions
    disappear. See the module docstring for which equilibria this keeps.
    """
    return _pruned(game, tolerance)[0]


def _pruned(game: Game, tolerance: float) -> tuple[Game, dict[str, tuple[str, ...]]]:
    """Restrict ``game`` to the actions :func:`surviving_actions` keeps; return both."""
    keep = surviving_actions(game, tolerance=tolerance)
    cut = {k: v for k, v in keep.items() if len(v) < len(game.infosets[k].actions)}
    return (game.restrict(cut) if cut else game), keep


def _payoff_ranges(game: Game, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Least and largest payoff of every player below every node, through allowed actions."""
    # the least payoffs and the negated largest ones: one minimum over the children does both
    ext = np.full((len(game.nodes), 2, game.n_players) + game.batch_shape, np.inf)
    ext[game.terminals, 0] = game.payoffs
    ext[game.terminals, 1] = -game.payoffs
    # edge rows are chance outcomes, then action slots: which edges may be taken
    open_edge = np.concatenate([np.ones(game._chance.shape[0], dtype=bool), allowed])
    flat = (-1,) + (1,) * (ext.ndim - 1)
    for level, _, rows, parents, starts in reversed(game._steps):
        ok = open_edge[rows].reshape(flat)
        # a parent's children are consecutive on their level; closed edges count as none
        ext[parents] = np.minimum.reduceat(np.where(ok, ext[level], np.inf), starts)
    return ext[:, 0], -ext[:, 1]


def eliminate_dominated_strategies(
    A: Any, B: Any, *, tolerance: float = 0.0
) -> tuple[np.ndarray, np.ndarray, int]:
    """Remove pure strategies strictly dominated by pure strategies, repeatedly.

    A strategy goes when another surviving one gives strictly more (by more than ``tolerance``)
    against every surviving opponent strategy at every parameter point. Returns the indices of
    the surviving rows and columns and the number of rounds that removed something.
    """
    tolerance = require_tolerance("tolerance", tolerance)
    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    if A.ndim < 2 or A.shape != B.shape:
        raise ValueError(
            f"A and B must share a shape (n_row, n_col, *batch); got {A.shape}, {B.shape}"
        )
    rows, cols = np.arange(A.shape[0]), np.arange(A.shape[1])
    rounds = 0
    while True:
        sub_a = A[np.ix_(rows, cols)].reshape(len(rows), -1)
        sub_b = np.moveaxis(B[np.ix_(rows, cols)], 1, 0).reshape(len(cols), -1)
        keep_r = _undominated(sub_a, tolerance)
        keep_c = _undominated(sub_b, tolerance)
        if keep_r.all() and keep_c.all():
            return rows, cols, rounds
        rows, cols = rows[keep_r], cols[keep_c]
        rounds += 1


def _undominated(u: np.ndarray, tolerance: float) -> np.ndarray:
    """Rows of ``u`` (strategies x (opponent strategies, points)) not strictly dominated."""
    keep = np.ones(u.shape[0], dtype=bool)
    for i in range(u.shape[0]):
        beats = np.all(u > u[i] + tolerance, axis=1)
        keep[i] = not beats.any()
    return keep


def to_normal_form(
    game: Game,
    *,
    eliminate_dominated: bool = False,
    prune: bool = False,
    max_strategies: int = MAX_STRATEGIES,
    dominance_tolerance: float = 0.0,
    reduced: bool = True,
) -> NormalForm:
    """Compute the (batched) normal form of a two-player tree.

    Parameters
    ----------
    game : Game
        A two-player game (chance nodes allowed).
    eliminate_dominated : bool
        Iteratively remove pure strategies strictly dominated by pure strategies (at every
        parameter point); keeps every Nash equilibrium.
    prune : bool
        First remove conditionally dominated actions from the tree
        (:func:`prune_dominated_actions`); keeps every sequential equilibrium.
    max_strategies : int
        Refuse to enumerate more pure strategies than this for one player (at least one).
    dominance_tolerance : float
        Margin for both reductions, finite and ``>= 0``.
    reduced : bool
        Return the *reduced* normal form (default): pure strategies that differ only at
        information sets their own earlier moves exclude reach the same terminals against every
        opponent strategy, so they are payoff-equivalent; one representative of each class is
        kept (the first in :meth:`~model.tree.Game.pure_strategies` order). Without this the
        matrix repeats rows and columns and is degenerate whenever a player moves twice.

    Returns
    -------
    NormalForm

    Raises
    ------
    TypeError
        If ``game`` is not a :class:`~model.tree.Game`, or an argument has the wrong type.
    ValueError
        If the game does not have two players, or a player has more than ``max_strategies``
        pure strategies, or the payoff arrays would exceed 5e7 cells, or ``max_strategies`` is
        below one or ``dominance_tolerance`` is negative, NaN or infinite.
    """
    if not isinstance(game, Game):
        raise TypeError(f"game must be a model.tree.Game, got {type(game).__name__}")
    eliminate_dominated = require_flag("eliminate_dominated", eliminate_dominated)
    prune = require_flag("prune", prune)
    reduced = require_flag("reduced", reduced)
    max_strategies = require_count("max_strategies", max_strategies)
    dominance_tolerance = require_tolerance("dominance_tolerance", dominance_tolerance)
    if game.n_players != 2:
        raise ValueError(
            f"the normal form here is for two-player games; this game has {game.n_players} "
            f"players {game.players}"
        )
    source = game
    pruned_actions = 0
    surviving = None
    if prune:
        game, surviving = _pruned(source, dominance_tolerance)
        pruned_actions = source.n_slots - sum(len(v) for v in surviving.values())
    counts = [game.num_pure_strategies(p) for p in game.players]
    for p, n in zip(game.players, counts, strict=True):
        if n > max_strategies:
            ways = ["use backward_induction_solve for a perfect-information game"]
            if not prune:
                ways.insert(0, "pass prune=True to remove conditionally dominated actions first")
            raise ValueError(
                f"player {p!r} has {n} pure strategies, more than max_strategies="
                f"{max_strategies}: the normal form is too large; " + ", or ".join(ways)
            )
    cells = counts[0] * counts[1] * int(np.prod(game.batch_shape, dtype=np.int64))
    if cells > MAX_CELLS:
        raise ValueError(
            f"the payoff matrices would hold {cells} numbers ({counts[0]} x {counts[1]} strategies "
            f"x {int(np.prod(game.batch_shape))} points), more than {MAX_CELLS}; solve fewer "
            "parameter points at once or pass prune=True"
        )
    strategies = [game.pure_strategies(p) for p in game.players]
    C = [_consistency(game, k, strategies[k]) for k in range(2)]
    if reduced:
        for k in range(2):
            keep = np.sort(np.unique(C[k], axis=0, return_index=True)[1])
            strategies[k], C[k] = strategies[k][keep], C[k][keep]
    n_slots = game.n_slots
    chance_reach = game._reach(game._edge_table(np.ones((n_slots,))))[game.terminals]
    weights = chance_reach[:, None] * game.payoffs  # (n_z, 2, *batch)
    A = np.einsum("rz,cz,z...->rc...", C[0], C[1], weights[:, 0], optimize=True)
    B = np.einsum("rz,cz,z...->rc...", C[0], C[1], weights[:, 1], optimize=True)
    rounds = 0
    if eliminate_dominated:
        rows, cols, rounds = eliminate_dominated_strategies(A, B, tolerance=dominance_tolerance)
        A, B = A[np.ix_(rows, cols)], B[np.ix_(rows, cols)]
        strategies = [strategies[0][rows], strategies[1][cols]]
    for arr in (A, B, *strategies):
        arr.flags.writeable = False
    return NormalForm(
        A=A,
        B=B,
        strategies=(strategies[0], strategies[1]),
        infosets=tuple(  # type: ignore[arg-type]
            tuple(i.name for i in game.infosets_of(p)) for p in game.players
        ),
        game=game,
        source=source,
        surviving=surviving,
        parameters={
            "eliminate_dominated": eliminate_dominated,
            "prune": prune,
            "reduced": reduced,
            "max_strategies": max_strategies,
            "dominance_tolerance": dominance_tolerance,
            "pruned_actions": pruned_actions,
            "elimination_rounds": rounds,
            "strategies_before": tuple(counts),
        },
    )


def _consistency(game: Game, k: int, strategies: np.ndarray) -> np.ndarray:
    """``C[s, z] = 1.0`` iff pure strategy ``s`` of player ``k`` takes every own move to ``z``."""
    player = game.players[k]
    local = {i.name: j for j, i in enumerate(game.infosets_of(player))}
    names = list(game.infosets)
    col_of = np.array([local.get(n, -1) for n in names], dtype=np.int64)
    n_z = len(game.terminals)
    req = np.full((strategies.shape[1], n_z), -1, dtype=np.int64)
    cur = game._last_seq[k, game.terminals].copy()
    while np.any(cur > 0):
        on = np.flatnonzero(cur > 0)
        slot = cur[on] - 1
        j = game._slot_infoset[slot]
        req[col_of[j], on] = game._slot_action[slot]
        cur[on] = game._iset_parent_seq[j]
    C = np.ones((strategies.shape[0], n_z), dtype=bool)
    for c in range(strategies.shape[1]):
        r = req[c]
        C &= (r[None, :] < 0) | (strategies[:, c][:, None] == r[None, :])
    return C.astype(np.float64)


# -- nashpy -------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class NashResult:
    """Verified Nash equilibria of one parameter point, and how they were found.

    Attributes
    ----------
    method : str
        ``"nashpy.<method>"``.
    parameters : dict
        The settings: ``point``, ``tolerance``, ``eliminate_dominated``, ``prune``,
        ``max_pivots`` (Lemke-Howson) and the payoff ``scale`` of the tolerance.
    A, B : ndarray
        The bimatrix game solved, ``(n_row, n_col)``.
    equilibria : tuple of (ndarray, ndarray)
        Distinct verified equilibria, as mixed strategies over the rows and columns of ``A``.
    payoffs : ndarray
        Expected payoffs ``(n_equilibria, 2)``.
    regrets : ndarray
        Largest bimatrix regret of each equilibrium ``(n_equilibria,)``.
    normal_form : NormalForm or None
        Where the matrices came from, when a game was given.
    profiles : tuple of dict
        Behaviour profiles of the tree (Kuhn), one per equilibrium, when a game was given.
    certificates : tuple of Certificate
        Per equilibrium: :func:`model.checks.tree_certificate` on the tree when a game was given,
        else :func:`model.checks.bimatrix_certificate`.
    rejected : int
        Candidates nashpy returned that failed verification.
    duplicates : int
        Candidates equal to one already kept.
    warnings : tuple of str
        Warnings nashpy emitted, and Lemke-Howson runs that failed or hit the pivot bound.
    converged : bool
        False when a Lemke-Howson run hit ``max_pivots`` or failed inside nashpy.
    """

    method: str
    parameters: dict[str, Any]
    A: np.ndarray
    B: np.ndarray
    equilibria: tuple[tuple[np.ndarray, np.ndarray], ...]
    payoffs: np.ndarray
    regrets: np.ndarray
    normal_form: NormalForm | None
    profiles: tuple[dict[str, np.ndarray], ...]
    certificates: tuple[Certificate, ...]
    rejected: int
    duplicates: int
    warnings: tuple[str, ...]
    converged: bool

    @property
    def certificate(self) -> Certificate:
        """One certificate for all equilibria: the largest regret among them (inf if none)."""
        worst = max((float(c.max_regret) for c in self.certificates), default=np.inf)
        tol = self.parameters["tolerance"] * self.parameters["scale"]
        checks = dict(self.certificates[0].checks) if self.certificates else {}
        checks["all_equilibria"] = (
            f"the largest regret among the {len(self.equilibria)} equilibria found"
            if self.equilibria
            else "no equilibrium was found (max_regret = inf)"
        )
        return Certificate(
            max_regret=np.asarray(worst), bayes_gap=np.asarray(0.0), tolerance=tol, checks=checks
        )


def nashpy_solve(
    game: Game | NormalForm | Sequence[Any],
    *,
    method: str = "vertex_enumeration",
    point: int | tuple[int, ...] | None = None,
    eliminate_dominated: bool = False,
    prune: bool = False,
    tolerance: float = TOLERANCE,
    max_pivots: int = 10_000,
    max_strategies: int = MAX_STRATEGIES,
) -> NashResult:
    """Find and verify the Nash equilibria of one parameter point with nashpy.

    Parameters
    ----------
    game : Game, NormalForm or (A, B)
        A two-player tree, its normal form, or payoff matrices ``(n_row, n_col[, *batch])``.
    method : {"vertex_enumeration", "support_enumeration", "lemke_howson"}
        The nashpy algorithm. Enumeration methods aim at all equilibria (of a non-degenerate
        game); Lemke-Howson, started from every label, finds some.
    point : int or tuple of int, optional
        Which parameter point to solve when the payoffs are batched: one index per batch axis,
        ``-n <= i < n`` (see :func:`model.tree.point_index`). Required with batched payoffs;
        with unbatched payoffs it must be None (or ``()``).
    eliminate_dominated, prune : bool
        Reductions before solving (see :func:`to_normal_form`); ``prune`` needs a tree.
    tolerance : float
        Largest accepted regret, relative to the payoff scale ``max(1, max|A|, max|B|)``; finite
        and ``>= 0``.
    max_pivots : int
        Bound on the pivots of one Lemke-Howson run, at least one.
    max_strategies : int
        Passed to :func:`to_normal_form`, at least one.

    Returns
    -------
    NashResult

    Raises
    ------
    TypeError
        If an argument has the wrong type (e.g. ``max_pivots=True``, a float ``point``).
    ValueError
        If an argument is out of range (an unknown ``method``, a negative or NaN ``tolerance``,
        ``max_pivots < 1``, a ``point`` outside the batch), or the payoff matrices are empty, not
        finite or of mismatched shapes; the message names the argument and the valid range.
    """
    if not (isinstance(method, str) and method in METHODS):
        raise ValueError(f"method = {method!r} is not one of {METHODS}")
    eliminate_dominated = require_flag("eliminate_dominated", eliminate_dominated)
    prune = require_flag("prune", prune)
    tolerance = require_tolerance("tolerance", tolerance)
    max_pivots = require_count("max_pivots", max_pivots)
    max_strategies = require_count("max_strategies", max_strategies)
    nf: NormalForm | None = None
    tree: Game | None = None
    if isinstance(game, Game):
        tree = _at_point(game, point)
        nf = to_normal_form(
            tree,
            eliminate_dominated=eliminate_dominated,
            prune=prune,
            max_strategies=max_strategies,
        )
        A, B = nf.A, nf.B
    elif isinstance(game, NormalForm):
        if prune:
            raise ValueError("prune=True needs the tree; pass the Game instead of its NormalForm")
        A, B = _matrices_at(game.A, game.B, point)
        rows, cols, A, B = _reduce(A, B, eliminate_dominated)
        nf = game
        if eliminate_dominated or nf.batch_shape:
            nf = NormalForm(
                A=A,
                B=B,
                strategies=(nf.strategies[0][rows], nf.strategies[1][cols]),
                infosets=nf.infosets,
                game=_at_point(nf.game, point),
                source=_at_point(nf.source, point),
                surviving=nf.surviving,
                parameters=dict(nf.parameters),
            )
        tree = nf.source
    else:
        if prune:
            raise ValueError("prune=True needs a tree (a Game), not payoff matrices")
        if not (isinstance(game, Sequence) and len(game) == 2):
            raise ValueError("game must be a Game, a NormalForm or a pair (A, B) of matrices")
        try:
            A, B = (np.asarray(m, dtype=np.float64) for m in game)
        except (TypeError, ValueError) as err:
            raise ValueError(f"game: the payoff matrices (A, B) must be numeric ({err})") from None
        A, B = _matrices_at(A, B, point)
        _, _, A, B = _reduce(A, B, eliminate_dominated)
    if not (np.all(np.isfinite(A)) and np.all(np.isfinite(B))):
        raise ValueError("payoff matrices must be finite")

    scale = max(1.0, float(np.max(np.abs(A))), float(np.max(np.abs(B))))
    shifted_a = A - A.min() + 1.0
    shifted_b = B - B.min() + 1.0
    converged = True
    failures: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if min(A.shape) == 1:
            raw = _one_strategy_equilibria(A, B)
        elif method == "lemke_howson":
            raw = []
            for label in range(sum(A.shape)):
                try:
                    eq = _lemke_howson_bounded(shifted_a, shifted_b, label, max_pivots)
                except (KeyError, IndexError, ValueError, ZeroDivisionError) as err:
                    failures.append(
                        f"Lemke-Howson from label {label} failed in nashpy: "
                        f"{type(err).__name__}: {err}"
                    )
                    converged = False
                    continue
                if eq is None:
                    failures.append(f"Lemke-Howson from label {label} hit max_pivots={max_pivots}")
                    converged = False
                else:
                    raw.append(eq)
        else:
            try:
                raw = (
                    list(nashpy.Game(shifted_a, shifted_b).vertex_enumeration())
                    if method == "vertex_enumeration"
                    else support_enumeration(A, B)
                )
            except QhullError as err:
                first = str(err).strip().splitlines()[0] if str(err).strip() else "QhullError"
                raise ValueError(
                    f"nashpy's vertex enumeration failed inside qhull ({first}); the game is "
                    "probably degenerate: try method='lemke_howson', or eliminate_dominated=True "
                    "or prune=True"
                ) from err
    messages = tuple(dict.fromkeys(" ".join(str(w.message).split()) for w in caught))
    messages += tuple(failures)

    kept: list[tuple[np.ndarray, np.ndarray]] = []
    rejected = duplicates = 0
    for x, y in raw:
        xy = _clean(x, A.shape[0]), _clean(y, A.shape[1])
        if xy[0] is None or xy[1] is None:
            rejected += 1
            continue
        x, y = xy
        if float(bimatrix_regret(A, B, x, y).max()) > tolerance * scale:
            rejected += 1
            continue
        if any(np.max(np.abs(x - a)) <= _ZERO and np.max(np.abs(y - b)) <= _ZERO for a, b in kept):
            duplicates += 1
            continue
        kept.append((x, y))
    for x, y in kept:
        x.flags.writeable = False
        y.flags.writeable = False
    payoffs = np.array([[x @ A @ y, x @ B @ y] for x, y in kept]).reshape(len(kept), 2)
    regrets = np.array([bimatrix_regret(A, B, x, y).max() for x, y in kept])
    if nf is not None and tree is not None:
        profiles = tuple(nf.behaviour_profile(x, y) for x, y in kept)
        certs = tuple(
            tree_certificate(tree, prof, tolerance=tolerance * scale) for prof in profiles
        )
    else:
        profiles = ()
        certs = tuple(
            bimatrix_certificate(A, B, x, y, tolerance=tolerance * scale) for x, y in kept
        )
    return NashResult(
        method=f"nashpy.{method}",
        parameters={
            "point": point,
            "tolerance": tolerance,
            "scale": scale,
            "eliminate_dominated": eliminate_dominated,
            "prune": prune,
            "max_pivots": max_pivots if method == "lemke_howson" else None,
            "nashpy_version": getattr(nashpy, "__version__", "unknown"),
        },
        A=A,
        B=B,
        equilibria=tuple(kept),
        payoffs=payoffs,
        regrets=regrets,
        normal_form=nf,
        profiles=profiles,
        certificates=certs,
        rejected=rejected,
        duplicates=duplicates,
        warnings=messages,
        converged=converged,
    )


def support_enumeration(A: Any, B: Any, *, slack: float = 1e-9) -> list[tuple[np.ndarray, ...]]:
    """Enumerate candidate equilibria of ``(A, B)`` on supports of equal size, tolerance-aware.

    For supports ``I`` (rows) and ``J`` (columns) with ``|I| = |J|``, the column strategy ``y``
    on ``J`` must make every row of ``I`` equally good and sum to one, and the row strategy ``x``
    on ``I`` likewise for the columns of ``J``. All support pairs of one size are solved in one
    batched linear solve; singular systems (degenerate supports) are skipped. Candidates whose
    entries are at least ``-slack`` and that beat every row outside ``I`` and every column
    outside ``J`` by no more than ``slack`` times the payoff scale are returned, *unverified*:
    :func:`nashpy_solve` cleans, verifies and de-duplicates them.

    Returns
    -------
    list of (ndarray, ndarray)
        Candidate ``(x, y)`` pairs.
    """
    from itertools import combinations

    A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
    n, m = A.shape
    scale = max(1.0, float(np.max(np.abs(A))), float(np.max(np.abs(B))))
    out: list[tuple[np.ndarray, ...]] = []
    degenerate = False
    for size in range(1, min(n, m) + 1):
        rows = np.array(list(combinations(range(n), size)), dtype=np.int64)
        cols = np.array(list(combinations(range(m), size)), dtype=np.int64)
        ri = np.repeat(np.arange(len(rows)), len(cols))
        ci = np.tile(np.arange(len(cols)), len(rows))
        rs, cs = rows[ri], cols[ci]  # (n_pairs, size)
        y, ok_y = _indifference(A[rs[:, :, None], cs[:, None, :]])
        x, ok_x = _indifference(np.swapaxes(B[rs[:, :, None], cs[:, None, :]], 1, 2))
        ok = ok_x & ok_y & (x.min(axis=1) >= -slack) & (y.min(axis=1) >= -slack)
        for p in np.flatnonzero(ok):
            fx, fy = np.zeros(n), np.zeros(m)
            fx[rs[p]], fy[cs[p]] = x[p], y[p]
            if float(bimatrix_regret(A, B, fx, fy).max()) <= slack * scale:
                out.append((fx, fy))
                row_best, col_best = A @ fy, fx @ B
                n_row = int(np.sum(row_best >= row_best.max() - slack * scale))
                n_col = int(np.sum(col_best >= col_best.max() - slack * scale))
                degenerate = degenerate or n_row > size or n_col > size
    if degenerate:
        warnings.warn(
            "the game is degenerate (a mixed strategy has more pure best responses than the size "
            "of its support): support enumeration over supports of equal size may miss "
            "equilibria; use method='vertex_enumeration'",
            UserWarning,
            stacklevel=2,
        )
    return out


def _indifference(M: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``M z = v 1, sum z = 1`` for a batch of square ``M``; flag singular systems."""
    k, size = M.shape[0], M.shape[1]
    system = np.zeros((k, size + 1, size + 1))
    system[:, :size, :size] = M
    system[:, :size, size] = -1.0
    system[:, size, :size] = 1.0
    rhs = np.zeros((k, size + 1))
    rhs[:, size] = 1.0
    cond = np.linalg.cond(system) if k else np.zeros(0)
    ok = np.isfinite(cond) & (cond < 1e12)
    z = np.zeros((k, size + 1))
    if np.any(ok):
        z[ok] = np.linalg.solve(system[ok], rhs[ok][..., None])[..., 0]
    return z[:, :size], ok


def _point(batch_shape: tuple[int, ...], point: Any) -> tuple[int, ...]:
    """Check the ``point`` argument of :func:`nashpy_solve` against the payoffs' batch shape."""
    if not batch_shape:
        if point is None or (isinstance(point, tuple) and not point):
            return ()
        raise ValueError(
            f"point = {point!r} was given, but the payoffs are not batched: pass point=None"
        )
    if point is None:
        raise ValueError(
            f"the payoffs have batch shape {batch_shape}: pass point=index to choose the "
            "parameter point to solve"
        )
    return point_index(batch_shape, point)


def _at_point(game: Game, point: Any) -> Game:
    index = _point(game.batch_shape, point)
    return game.point(index) if index else game


def _matrices_at(A: np.ndarray, B: np.ndarray, point: Any) -> tuple[np.ndarray, np.ndarray]:
    if A.shape != B.shape or A.ndim < 2:
        raise ValueError(
            f"A and B must share a shape (n_row, n_col, *batch); got {A.shape}, {B.shape}"
        )
    if A.shape[0] == 0 or A.shape[1] == 0:
        raise ValueError(
            f"the payoff matrices need at least one row and one column; got shape {A.shape}"
        )
    idx = (slice(None), slice(None)) + _point(A.shape[2:], point)
    return A[idx], B[idx]


def _reduce(
    A: np.ndarray, B: np.ndarray, eliminate_dominated: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Surviving rows and columns (all of them unless ``eliminate_dominated``) and the matrices."""
    if not eliminate_dominated:
        return np.arange(A.shape[0]), np.arange(A.shape[1]), A, B
    rows, cols, _ = eliminate_dominated_strategies(A, B)
    return rows, cols, A[np.ix_(rows, cols)], B[np.ix_(rows, cols)]


def _one_strategy_equilibria(A: np.ndarray, B: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """Equilibria when a player has a single strategy: the other's pure best responses.

    The equilibrium set is every mixture of those best responses; its vertices are returned
    (qhull, which nashpy's vertex enumeration uses, cannot handle a one-dimensional polytope).
    """
    n, m = A.shape
    if n == 1:
        best = np.flatnonzero(B[0] >= B[0].max() - _ZERO)
        return [(np.ones(1), np.eye(m)[j]) for j in best]
    best = np.flatnonzero(A[:, 0] >= A[:, 0].max() - _ZERO)
    return [(np.eye(n)[i], np.ones(1)) for i in best]


def _clean(x: Any, n: int) -> np.ndarray | None:
    """Turn a candidate of nashpy into a probability vector, or reject it.

    Entries within ``_ZERO`` of zero become zero; a vector of ``n`` finite entries that are then
    non-negative and sum to one within ``_SUM_TOL`` is divided by its sum (round-off only).

    Returns
    -------
    ndarray or None
        The probability vector, or None if the candidate is not one within those tolerances.
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    if x.shape != (n,) or not np.all(np.isfinite(x)) or np.any(x < -_ZERO):
        return None
    x = np.where(np.abs(x) <= _ZERO, 0.0, x)
    total = x.sum()
    if abs(total - 1.0) > _SUM_TOL:
        return None
    return x / total


def _lemke_howson_bounded(
    A: np.ndarray, B: np.ndarray, label: int, max_pivots: int
) -> tuple[np.ndarray, np.ndarray] | None:
    """Lemke-Howson (Algorithm 3.6 of Nisan et al. 2007) on nashpy's lexicographic tableaux.

    Complementary pivoting alternates between the two tableaux until the union of their basic
    labels is complete; returns ``None`` if that takes more than ``max_pivots`` pivots.
    """
    col = create_col_tableau(A, True)
    row = create_row_tableau(B, True)
    tableaux = (row, col) if label in row.non_basic_variables else (col, row)
    full = col.labels
    entering = label
    for step in range(max_pivots):
        entering = tableaux[step % 2].pivot_and_drop_label(entering)
        if col.non_basic_variables | row.non_basic_variables == full:
            x = row.to_strategy(col.non_basic_variables)
            y = col.to_strategy(row.non_basic_variables)
            return np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return None
