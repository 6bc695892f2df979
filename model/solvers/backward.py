"""Backward induction: the subgame-perfect equilibrium of a perfect-information game, batched.

In a finite game of perfect information (every information set a single node; chance moves
allowed) backward induction computes a subgame-perfect equilibrium in pure strategies (Kuhn 1953;
Selten 1965): working from the terminals up, a chance node is worth the probability-weighted
average of its children, and a decision node is worth the child that maximises the mover's value.

All parameter points are solved at once: the values are arrays ``(n_nodes, n_players, *batch)``
and every choice is an index array over the batch. The loops run over the levels of the tree
(depth from the root) and, within a level, over its decision nodes to gather their children;
they never run over parameter points, which every array operation handles together.

Ties
----
A mover is indifferent between actions whose values lie within ``tie_tolerance`` of its best
value; it then takes the **first** such action in the information set's action order (so a model
states its tie rule by ordering actions, e.g. ``("accept", "fight")`` for a target that accepts
when indifferent). Where a tie occurred, ``BackwardInductionResult.ties`` says so per information
set and point; other tie-breaks give other subgame-perfect equilibria.

Array convention
----------------
As in :mod:`model.tree`: object axes first, batch axes last. ``choice[infoset]`` is an int array
of the batch shape; ``profile[infoset]`` the pure behaviour ``(n_actions, *batch)``.

References
----------
.. [1] Kuhn, H. W. (1953). Extensive games and the problem of information. *Contributions to the
   Theory of Games II*, pp. 193-216 (existence of pure equilibria in perfect-information games).
.. [2] Selten, R. (1965). Spieltheoretische Behandlung eines Oligopolmodells mit
   Nachfragetraegheit. *Zeitschrift fuer die gesamte Staatswissenschaft* 121: 301-324.
.. [3] Osborne, M. J. and Rubinstein, A. (1994). *A Course in Game Theory*, Prop. 99.2
   (Kuhn's theorem) and Lemma 98.2 (one-deviation property).

Examples
--------
Selten's chain-store stage game: the only subgame-perfect equilibrium is (in, accommodate).

>>> from model.tree import Decision, Game, Terminal
>>> game = Game(("entrant", "incumbent"), Decision("entrant", "E", {
...     "out": Terminal((0.0, 2.0)),
...     "in": Decision("incumbent", "I", {"fight": Terminal((-1.0, -1.0)),
...                                      "accommodate": Terminal((1.0, 1.0))}),
... }))
>>> res = backward_induction_solve(game)
>>> res.actions("E"), res.actions("I"), res.root_values.tolist()
('in', 'accommodate', [1.0, 1.0])
>>> res.certificate.all_passed
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from model.checks import TOLERANCE, require_tolerance, tree_certificate
from model.tree import Game
from model.types import Certificate

__all__ = ["BackwardInductionResult", "backward_induction_solve"]

METHOD = "backward_induction"


@dataclass(frozen=True, eq=False)
class BackwardInductionResult:
    """A subgame-perfect equilibrium found by backward induction, and how it was found.

    Attributes
    ----------
    method : str
        ``"backward_induction"``.
    parameters : dict
        The method's settings: ``tie_tolerance``, ``tie_rule`` and the certificate ``tolerance``.
    game : Game
        The game that was solved.
    profile : dict[str, ndarray]
        Pure behaviour profile, ``infoset -> (n_actions, *batch)`` of zeros and ones.
    choice : dict[str, ndarray]
        Index of the chosen action, ``infoset -> (*batch)`` int.
    ties : dict[str, ndarray]
        ``infoset -> (*batch)`` bool: was the mover indifferent between several best actions?
    values : ndarray
        Every player's equilibrium value at every node, ``(n_nodes, n_players, *batch)``.
    converged : ndarray of bool
        Per point; backward induction is exact, so always ``True``.
    certificate : Certificate
        Nash regret, regret at every information set on the path and regret in every subgame
        (:func:`model.checks.tree_certificate` with ``subgame_perfect=True``).
    """

    method: str
    parameters: dict[str, Any]
    game: Game
    profile: dict[str, np.ndarray]
    choice: dict[str, np.ndarray]
    ties: dict[str, np.ndarray]
    values: np.ndarray
    converged: np.ndarray
    certificate: Certificate

    @property
    def root_values(self) -> np.ndarray:
        """Equilibrium expected payoffs, ``(n_players, *batch)``."""
        return self.values[0]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the parameter points solved."""
        return self.values.shape[2:]

    def actions(self, infoset: str) -> Any:
        """Return the chosen action's label at ``infoset`` (an object array over the batch)."""
        if infoset not in self.choice:
            raise ValueError(f"unknown information set {infoset!r}")
        labels = np.array(self.game.infosets[infoset].actions, dtype=object)
        picked = labels[self.choice[infoset]]
        return picked if np.ndim(picked) else str(picked)

    @property
    def any_ties(self) -> bool:
        """Whether some mover was indifferent somewhere (the equilibrium may not be unique)."""
        return any(bool(np.any(t)) for t in self.ties.values())


def backward_induction_solve(
    game: Game, *, tie_tolerance: float = 1e-12, tolerance: float = TOLERANCE
) -> BackwardInductionResult:
    """Solve a perfect-information game by backward induction at every parameter point at once.

    Parameters
    ----------
    game : Game
        A game whose information sets are all single nodes; chance nodes are allowed.
    tie_tolerance : float
        Actions within this distance of the mover's best value count as ties; the first of them
        in action order is chosen.
    tolerance : float
        Tolerance of the certificate.

    Returns
    -------
    BackwardInductionResult

    Raises
    ------
    TypeError
        If ``game`` is not a :class:`~model.tree.Game`, or a tolerance is not a real number.
    ValueError
        If an information set holds more than one node (backward induction needs perfect
        information), or ``tie_tolerance`` or ``tolerance`` is negative, NaN or infinite.
    """
    if not isinstance(game, Game):
        raise TypeError(f"game must be a model.tree.Game, got {type(game).__name__}")
    tie_tolerance = require_tolerance("tie_tolerance", tie_tolerance)
    tolerance = require_tolerance("tolerance", tolerance)
    game.require_perfect_information(
        "backward induction",
        hint="use model.solvers.normal_form for games with imperfect information",
    )

    batch = game.batch_shape
    n_nodes, n_players = len(game.nodes), game.n_players
    values = np.zeros((n_nodes, n_players) + batch)
    values[game.terminals] = game.payoffs
    chance = game._chance
    choice_by_node: dict[int, np.ndarray] = {}
    tie_by_node: dict[int, np.ndarray] = {}
    for depth in range(len(game._levels) - 2, -1, -1):
        level = game._levels[depth]
        kind = game._kind[level]
        # chance nodes: probability-weighted average of the children (one level below)
        below = game._levels[depth + 1]
        below = below[game._kind[game._parent[below]] == 1]
        if below.size:
            w = chance[game._edge_row[below]]
            np.add.at(values, game._parent[below], w[:, None] * values[below])
        # decision nodes, all of this level at once: pad children to a rectangle
        dec = level[kind == 2]
        if dec.size == 0:
            continue
        width = max(len(game.nodes[h].children) for h in dec)
        kids = np.zeros((dec.size, width), dtype=np.int64)
        valid = np.zeros((dec.size, width), dtype=bool)
        for r, h in enumerate(dec):
            c = game.nodes[h].children
            kids[r, : len(c)] = c
            valid[r, : len(c)] = True
        movers = game._mover[dec]
        own = values[kids, movers[:, None]]  # (n_dec, width, *batch)
        mask = valid.reshape(valid.shape + (1,) * len(batch))
        own = np.where(mask, own, -np.inf)
        best = own.max(axis=1, keepdims=True)
        near = mask & (own >= best - tie_tolerance)
        pick = np.argmax(near, axis=1)  # first action within the tolerance of the best
        chosen = np.take_along_axis(
            kids.reshape(kids.shape + (1,) * len(batch)), pick[:, None], axis=1
        )[:, 0]
        # values[chosen] has shape (n_dec, *batch, n_players, *batch): pick the diagonal
        values[dec] = _gather(values, chosen)
        ties = near.sum(axis=1) > 1
        for r, h in enumerate(dec):
            choice_by_node[int(h)] = pick[r]
            tie_by_node[int(h)] = ties[r]

    choice = {
        iset.name: np.asarray(choice_by_node[iset.nodes[0]], dtype=np.int64)
        for iset in game.infosets.values()
    }
    tie = {iset.name: np.asarray(tie_by_node[iset.nodes[0]]) for iset in game.infosets.values()}
    profile = game.pure_profile(choice)
    certificate = tree_certificate(game, profile, tolerance=tolerance, subgame_perfect=True)
    return BackwardInductionResult(
        method=METHOD,
        parameters={
            "tie_tolerance": tie_tolerance,
            "tie_rule": "first action in order among those within tie_tolerance of the best",
            "tolerance": tolerance,
        },
        game=game,
        profile=profile,
        choice=choice,
        ties=tie,
        values=values,
        converged=np.ones(batch, dtype=bool),
        certificate=certificate,
    )


def _gather(values: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Return ``out[r, p, *b] = values[chosen[r, *b], p, *b]`` for node indices ``chosen``."""
    n_rows = chosen.shape[0]
    batch = values.shape[2:]
    if not batch:
        return values[chosen]
    moved = np.moveaxis(values, 1, -1)  # (n_nodes, *batch, n_players)
    grid = np.indices(batch, sparse=True)
    picked = moved[(chosen,) + tuple(g[None] for g in grid)]  # (n_rows, *batch, n_players)
    assert picked.shape[0] == n_rows
    return np.moveaxis(picked, -1, 1)
