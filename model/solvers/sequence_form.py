r"""Two-player trees in sequence form: Nash equilibria by Lemke's algorithm, and sequential ones.

Sequence form
-------------
A *sequence* of player :math:`i` is the empty sequence :math:`\emptyset` or a pair
:math:`(J, a)` of one of its information sets and an action there; by perfect recall the
player's own moves before :math:`J` form one sequence :math:`\sigma(J)`, the *parent* of
:math:`J`. A *realisation plan* :math:`x \ge 0` gives every sequence the probability that the
player's own moves along it are taken; it satisfies

.. math:: x_\emptyset = 1, \qquad x_{\sigma(J)} = \sum_a x_{(J, a)} \quad \text{for every } J,

written :math:`Ex = e` for player 1 and :math:`Fy = f` for player 2 (row 0 is the empty sequence,
row :math:`J` the information set). A behaviour strategy gives the plan
:math:`x_{(J, a)} = x_{\sigma(J)}\,\beta(a \mid J)`, and back, :math:`\beta(a \mid J) =
x_{(J, a)} / x_{\sigma(J)}` (uniform where :math:`x_{\sigma(J)} = 0`; any choice is
payoff-equivalent there). With :math:`\rho(z)` the product of chance probabilities on the path to
terminal :math:`z` and :math:`\sigma_i(z)` player :math:`i`'s last sequence before it,

.. math:: A_{\sigma\tau} = \sum_{z:\ \sigma_1(z) = \sigma,\ \sigma_2(z) = \tau} \rho(z)\,u_1(z),
          \qquad B_{\sigma\tau} = \sum_{z:\ \dots} \rho(z)\,u_2(z),

so that the expected payoffs are :math:`x^\top A y` and :math:`x^\top B y`: the sizes are linear in
the tree, unlike the normal form (von Stengel 1996).

The LCP and Lemke's algorithm
-----------------------------
:math:`(x, y)` is a Nash equilibrium iff, with free dual variables :math:`u, v` (Koller, Megiddo
and von Stengel 1996),

.. math:: Ex = e,\ Fy = f,\quad w_x = E^\top u - A y \ge 0 \perp x \ge 0,\quad
          w_y = F^\top v - B^\top x \ge 0 \perp y \ge 0.

It is solved by Lemke's algorithm with the covering vector of a pair of completely mixed
*starting plans* :math:`(\bar x, \bar y)`, which adds one variable :math:`z_0 \ge 0`:

.. math:: Ex + e z_0 = e,\quad Fy + f z_0 = f,\quad
          E^\top u - A y - (A\bar y) z_0 \ge 0 \perp x,\quad
          F^\top v - B^\top x - (B^\top \bar x) z_0 \ge 0 \perp y

(von Stengel, van den Elzen and Talman 2002; Nisan et al. 2007, sec. 3.11). Player 1
best-responds to the realisation plan :math:`y + z_0 \bar y`: :math:`z_0` is the weight left on
the starting plan. The path starts at :math:`z_0 = 1, x = y = 0` with the basis made of each
player's pure best response to the other's starting plan (found bottom-up, at level zero), the
slacks of the other sequences and the free variables, which stay basic; its tableau is computed
by substitution along the sequence trees, without a matrix factorisation. Lemke's algorithm
pivots complementarily (the first entering variable is player 1's empty sequence) until
:math:`z_0` leaves the basis; then :math:`(x, y)` is an equilibrium.

*Degeneracy and termination.* The minimum-ratio test is lexicographic with respect to the
columns of the starting basis (the right-hand side perturbed by :math:`B_0 (\delta, \delta^2,
\dots)`), which makes every ratio test unique, so the path never cycles; it is also cut off
after ``max_pivots`` pivots. Along the path :math:`x, y` are :math:`(1 - z_0)` times a plan, so
only the free variables and slacks can grow without bound, and an unbounded edge (a ray) needs
:math:`E^\top \Delta u \ge 0` with :math:`x^\top E^\top \Delta u = (1 - z_0)\Delta u_\emptyset =
0`; testing with :math:`\bar x > 0` shows that it can only leave the face :math:`z_0 = 1` of the
start. The starting plans play near-uniform but generic behaviour (weights
:math:`1 + \operatorname{frac}(i\varphi)/2` for sequence :math:`i`, :math:`\varphi` the golden
ratio), so that the best responses to them are unique unless actions are payoff-equivalent; if a
run nevertheless ends in a ray, it is repeated from other generic starting plans (up to
:data:`STARTS` runs). A run that ends without :math:`z_0` leaving is reported as not converged.

*Payoff shift.* Koller et al. state the LCP for negative payoffs, :math:`A, B < 0`: each player's
payoffs are mapped to :math:`[-2, -1]` by :math:`u \mapsto (u - \max u) / (\max u - \min u) - 1`
(a positive affine map per player). Since :math:`x^\top C y = 1` for the chance-weighted incidence
matrix :math:`C` and all plans, the map changes :math:`A` to :math:`aA + bC` and leaves best
responses, equilibria and, as the free :math:`u` absorbs :math:`bC y`, Lemke's path unchanged; it
only fixes the numerical scale.

*Pruning* (``prune=True``, default). Conditionally dominated actions are removed first
(:func:`model.solvers.normal_form.surviving_actions`, Shimoji and Watson 1998), and information
sets left with one action are merged into their parent sequence (the two realisation
probabilities are equal). Every equilibrium of the pruned tree is one of the original; the
returned profile is of the original tree: removed actions get probability zero and information
sets below them play their surviving actions uniformly, as in
:meth:`model.solvers.normal_form.NormalForm.behaviour_profile`. The profile is certified on the
original tree (:func:`model.checks.tree_certificate`).

Sequential equilibrium
----------------------
:func:`sequential_solve` follows Miltersen and Sorensen (2010) on the whole tree (no pruning;
one-action sets are merged as above, which changes nothing): in the perturbed game
:math:`G(\varepsilon)` every sequence :math:`\sigma \ne \emptyset` must have
:math:`x_\sigma \ge \varepsilon^{|\sigma|}` (:math:`|\sigma|` = number of own moves); limits of
Nash equilibria of :math:`G(\varepsilon)` as :math:`\varepsilon \to 0` are quasi-perfect, hence
sequential (van Damme 1984). With :math:`l(\varepsilon)` these bounds, :math:`x = x' + l`, and the
homotopy above is run on :math:`x', y' \ge 0`: player 1 faces
:math:`y' + (1 - z_0) l_y + z_0 \bar y` and :math:`Ex' + (e - El_x) z_0 = e - E l_x`.
Here :math:`\varepsilon` is *numeric* (not symbolic as in Miltersen and Sorensen): for each
:math:`\varepsilon` of a decreasing schedule Lemke's algorithm is run, and its final basis
:math:`B` (which does not involve :math:`\varepsilon`) gives the equilibria
:math:`B^{-1} q(\varepsilon) = \sum_k \varepsilon^k B^{-1} q_k` of :math:`G(\varepsilon)` as
polynomials in :math:`\varepsilon`, exactly. If every basic variable's lowest-order nonzero
coefficient is positive, the basis is feasible for all small :math:`\varepsilon > 0`, and the
limit step is exact: behaviour :math:`\beta(a \mid J) = \lim x_{(J,a)}(\varepsilon) /
x_{\sigma(J)}(\varepsilon)` (ratio of the lowest-order coefficients, on and off the path) and
beliefs :math:`\mu(h) = \lim \rho(h) y_{\sigma_2(h)}(\varepsilon) / \sum_{h' \in J} \rho(h')
y_{\sigma_2(h')}(\varepsilon)` at player 1's sets (symmetrically for player 2): the limit of
the Bayes beliefs of completely mixed profiles, so the assessment is *consistent* (Kreps and
Wilson 1982). It is certified with :func:`model.checks.assessment_certificate` (regret at every
information set under these beliefs, and the Bayes gap). If the basis test or the certificate
fails, the next smaller :math:`\varepsilon` is tried; every attempt is reported. Information sets
reached only through chance branches of probability zero carry no weight in the sequence form:
they get uniform beliefs and behaviour that need not be optimal there, which the certificate then
reports (``converged=False``).

Array convention
----------------
Sequences of player :math:`k` are indexed ``0`` (empty) and then one per action slot of its
information sets, in :meth:`model.tree.Game.infosets_of` and action order. ``E`` is
``(1 + n_infosets_1, n_seq_1)``, ``A`` and ``B`` are ``(n_seq_1, n_seq_2, *batch)``, realisation
plans ``(n_seq, *batch)``; behaviour profiles and beliefs follow :mod:`model.tree` and
:mod:`model.checks`. Solvers work at one parameter point and return unbatched float64 arrays.

References
----------
.. [1] Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria for
   extensive two-person games. *Games and Economic Behavior* 14: 247-259.
.. [2] von Stengel, B. (1996). Efficient computation of behavior strategies. *Games and Economic
   Behavior* 14: 220-246.
.. [3] von Stengel, B., van den Elzen, A. and Talman, D. (2002). Computing normal form perfect
   equilibria for extensive two-person games. *Econometrica* 70(2): 693-715.
.. [4] Nisan, N., Roughgarden, T., Tardos, E. and Vazirani, V. (eds.) (2007). *Algorithmic Game
   Theory*, ch. 3 (von Stengel), sec. 3.10-3.11.
.. [5] Miltersen, P. B. and Sorensen, T. B. (2010). Computing a quasi-perfect equilibrium of a
   two-player game. *Economic Theory* 42: 175-192.
.. [6] Kreps, D. M. and Wilson, R. (1982). Sequential equilibria. *Econometrica* 50(4): 863-894.
.. [7] van Damme, E. (1984). A relation between perfect equilibria in extensive form games and
   proper equilibria in normal form games. *International Journal of Game Theory* 13: 1-13.
.. [8] Shimoji, M. and Watson, J. (1998). Conditional dominance, rationalizability, and game
   forms. *Journal of Economic Theory* 83(2): 161-195.

Examples
--------
Matching pennies with the second mover not seeing the first move: one mixed equilibrium.

>>> from model.tree import Decision, Game, Terminal
>>> def pennies(a, b):
...     return Terminal((1.0, -1.0) if a == b else (-1.0, 1.0))
>>> game = Game(("p1", "p2"), Decision("p1", "P1", {
...     a: Decision("p2", "P2", {b: pennies(a, b) for b in ("h", "t")}) for a in ("h", "t")}))
>>> sf = sequence_form(game)
>>> sf.shape, sf.E.tolist()
((3, 3), [[1.0, 0.0, 0.0], [-1.0, 1.0, 1.0]])
>>> res = lcp_solve(game)
>>> res.profile["P1"].tolist(), res.payoffs.tolist(), res.certificate.all_passed
([0.5, 0.5], [0.0, 0.0], True)
>>> seq = sequential_solve(game)
>>> seq.profile["P2"].tolist(), seq.beliefs["P2"].tolist(), seq.certificate.all_passed
([0.5, 0.5], [0.5, 0.5], True)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, NamedTuple

import numpy as np

from model.checks import (
    TOLERANCE,
    assessment_certificate,
    require_count,
    require_flag,
    require_tolerance,
    tree_certificate,
)
from model.solvers.normal_form import _surviving_slots
from model.tree import Game, point_index
from model.types import Certificate

__all__ = [
    "EPSILONS",
    "STARTS",
    "LCPResult",
    "SequenceForm",
    "SequentialResult",
    "lcp_solve",
    "sequence_form",
    "sequential_solve",
]

METHOD = "sequence_form_lcp"
SEQUENTIAL_METHOD = "sequence_form_lcp.perturbed"
#: Default schedule of perturbations tried by :func:`sequential_solve`, largest first.
EPSILONS = (1e-2, 1e-3, 1e-4, 1e-5)
_PIVOT_TOL = 1e-11  # entering-column entries at most this are not pivot candidates
_TIE_TOL = 1e-12  # ratios this close (relative) count as ties, broken lexicographically
_ZERO = 1e-12  # realisation probabilities and solution values this small are zero
_COEF_TOL = 1e-9  # polynomial coefficients this small are zero (limit step)
_PHI = (np.sqrt(5.0) - 1.0) / 2.0
#: Starting strategies tried before a run that ends in a ray is reported as not converged.
STARTS = 3


# -- one player's sequences -----------------------------------------------------------------------
class _Level(NamedTuple):
    """The information sets (rows) of one own depth and their sequences."""

    rows: np.ndarray  # row indices (into _Seqs.rows)
    cols: np.ndarray  # their sequences, row after row
    col_parent: np.ndarray  # parent sequence of each entry of cols
    col_group: np.ndarray  # position of each entry's row within this level
    offsets: np.ndarray  # start of each row's block in cols
    by_parent: _Groups  # the rows grouped by parent sequence


class _Groups(NamedTuple):
    """A grouping of rows by a key, for sums over groups with ``np.add.reduceat``."""

    order: np.ndarray  # rows sorted by key
    keys: np.ndarray  # distinct keys, ascending
    starts: np.ndarray  # first position of each key in order

    @classmethod
    def of(cls, key: np.ndarray) -> _Groups:
        order = key.argsort(kind="stable")
        ordered = key[order]
        starts = (ordered[1:] != ordered[:-1]).nonzero()[0] + 1
        starts = np.concatenate([[0], starts]) if key.size else starts
        return cls(order, ordered[starts], starts)

    def add_to(self, out: np.ndarray, values: np.ndarray) -> None:
        """``out[key[i]] += values[i]`` for every row ``i`` (``values`` may be 2-D)."""
        if self.order.size:
            out[self.keys] += np.add.reduceat(values[self.order], self.starts, axis=0)


@dataclass(frozen=True, eq=False)
class _Seqs:
    """One player's sequences in a (possibly pruned and merged) sequence form.

    Sequence 0 is the empty one. ``rep[s]`` is the sequence whose probability equals that of
    action slot ``s`` of the game (-1: another player's slot, a removed action, or below one);
    ``rows`` are the information sets with a row in ``E`` (in topological order), each with
    ``size`` consecutive sequences from ``start`` and a ``parent`` sequence.
    """

    k: int
    n: int
    rep: np.ndarray
    rows: np.ndarray
    start: np.ndarray
    size: np.ndarray
    parent: np.ndarray
    length: np.ndarray  # (n,) number of own moves in each sequence
    slot_of: np.ndarray  # (n,) game slot of each sequence (-1 for the empty one)
    cols: np.ndarray  # sequences of all rows, row after row
    col_row: np.ndarray  # the row of each entry of cols
    levels: tuple[_Level, ...]  # rows by own depth, top-down

    @property
    def E(self) -> np.ndarray:
        """Constraint matrix ``(1 + n_rows, n)``: row 0 the empty sequence, then the rows."""
        E = np.zeros((1 + self.rows.size, self.n))
        E[0, 0] = 1.0
        E[1 + self.col_row, self.cols] = 1.0
        E[1 + np.arange(self.rows.size), self.parent] = -1.0
        return E


def _sequences(game: Game, k: int, allowed: np.ndarray, merge: bool) -> _Seqs:
    """Build player ``k``'s sequences over ``allowed`` slots; ``merge`` one-action sets.

    An information set whose parent sequence involves a removed action is *dead*: it gets no
    row and its slots no sequence. With ``merge``, a live set with one allowed action gets no
    row either, and its slot shares the parent's sequence.
    """
    slot_iset = game._slot_infoset
    n_isets = len(game.infosets)
    par = game._iset_parent_seq
    depth = game._iset_own_depth
    mine = game._slot_player == k
    own = game._iset_player == k
    n_allowed = (
        np.add.reduceat(allowed.astype(np.int64), game._iset_first_slot)
        if n_isets
        else np.zeros(0, dtype=np.int64)
    )
    keep_row = own & (n_allowed >= (2 if merge else 1))
    alive_iset = np.zeros(n_isets, dtype=bool)
    alive_slot = np.zeros(game.n_slots, dtype=bool)
    rep = np.full(game.n_slots, -1, dtype=np.int64)
    numbered = mine & allowed & keep_row[slot_iset]
    seq_id = numbered.cumsum()  # provisional numbers
    slot_depth = depth[slot_iset]
    for d in np.unique(depth[own]):
        js = (own & (depth == d)).nonzero()[0]
        p = par[js]
        alive_iset[js] = (p == 0) | alive_slot[np.maximum(p - 1, 0)] & (p > 0)
        ss = (mine & (slot_depth == d)).nonzero()[0]
        jj = slot_iset[ss]
        live = allowed[ss] & alive_iset[jj]
        alive_slot[ss] = live
        ps = par[jj]
        parent_rep = np.where(ps == 0, 0, rep[np.maximum(ps - 1, 0)])
        rep[ss] = np.where(live, np.where(keep_row[jj], seq_id[ss], parent_rep), -1)
    rows = (keep_row & alive_iset).nonzero()[0]
    sizes = n_allowed[rows]
    n = 1 + int(sizes.sum())
    live_slots = (numbered & alive_slot).nonzero()[0]
    if live_slots.size < (int(seq_id[-1]) if seq_id.size else 0):
        # slots below removed actions were numbered too: renumber the live ones
        renum = np.zeros(int(seq_id[-1]) + 1, dtype=np.int64)
        renum[seq_id[live_slots]] = 1 + np.arange(live_slots.size)
        rep = np.where(rep > 0, renum[np.maximum(rep, 0)], rep)
    ends = sizes.cumsum()
    start = 1 + ends - sizes
    parent = np.where(par[rows] == 0, 0, rep[np.maximum(par[rows] - 1, 0)])
    cols = np.arange(1, n)  # the rows' sequences are numbered row after row
    col_row = np.arange(rows.size).repeat(sizes)
    slot_of = np.full(n, -1, dtype=np.int64)
    slot_of[rep[live_slots]] = live_slots
    length = np.zeros(n, dtype=np.int64)
    length[1:] = depth[slot_iset[slot_of[1:]]] + 1
    row_depth = depth[rows]
    levels = []
    for d in np.unique(row_depth):
        r = (row_depth == d).nonzero()[0]
        size = sizes[r]
        offsets = size.cumsum() - size
        group = np.arange(r.size).repeat(size)
        levels.append(
            _Level(
                rows=r,
                cols=start[r].repeat(size) + np.arange(offsets[-1] + size[-1]) - offsets[group],
                col_parent=parent[r].repeat(size),
                col_group=group,
                offsets=offsets,
                by_parent=_Groups.of(parent[r]),
            )
        )
    return _Seqs(
        k=k,
        n=n,
        rep=rep,
        rows=rows,
        start=start,
        size=sizes,
        parent=parent,
        length=length,
        slot_of=slot_of,
        cols=cols,
        col_row=col_row,
        levels=tuple(levels),
    )


def _rep(s: _Seqs, last: np.ndarray) -> np.ndarray:
    """Sequences in ``s`` of ``last`` (a game slot + 1, 0 for the empty sequence)."""
    if not s.rep.size:
        return np.zeros_like(last)
    return np.where(last == 0, 0, s.rep[np.maximum(last - 1, 0)])


def _terminal_sequences(game: Game, seqs: tuple[_Seqs, _Seqs]) -> tuple[np.ndarray, np.ndarray]:
    """Each terminal's pair of last sequences (-1 where an action on its path was removed)."""
    a, b = (_rep(s, game._last_seq[s.k, game.terminals]) for s in seqs)
    return a, b


def _chance_reach(game: Game) -> np.ndarray:
    """Product of chance probabilities on the path to every node, ``(n_nodes, *batch)``."""
    moves = np.ones((game.n_slots,) + game._chance.shape[1:])  # every action counts as one
    return game._reach(np.concatenate([game._chance, moves]))


def _prior(s: _Seqs, attempt: int) -> np.ndarray:
    """Realisation plan of a completely mixed starting strategy.

    Attempt 0 plays every row's actions with weights ``1 + frac(i * phi) / 2`` (``i`` the
    sequence's index, ``phi`` the golden ratio): close to uniform, but generic, so that the
    best response to it is unique unless actions are payoff-equivalent. Later attempts shift
    the sequence of weights.
    """
    weight = 1.0 + 0.5 * np.modf((np.arange(s.n) + 7.0 * attempt) * _PHI)[0]
    x = np.zeros(s.n)
    x[0] = 1.0
    for lv in s.levels:
        w = weight[lv.cols]
        x[lv.cols] = x[lv.col_parent] * w / np.add.reduceat(w, lv.offsets)[lv.col_group]
    return x


def _plan_from_table(s: _Seqs, table: np.ndarray) -> np.ndarray:
    """Realisation plan ``(n, *batch)`` of behaviour ``table`` ``(n_slots, *batch)``."""
    x = np.zeros((s.n,) + table.shape[1:])
    x[0] = 1.0
    for lv in s.levels:
        x[lv.cols] = x[lv.col_parent] * table[s.slot_of[lv.cols]]
    return x


def _best_response(s: _Seqs, w: np.ndarray) -> np.ndarray:
    """A pure best response to sequence values ``w`` (``(n,)``), bottom-up over the rows.

    Returns the chosen sequence of every row (reached or not): the first best one.
    """
    w = w.copy()
    choice = np.empty(s.rows.size, dtype=np.int64)
    for lv in reversed(s.levels):
        vals = w[lv.cols]
        best = np.maximum.reduceat(vals, lv.offsets)
        hit = np.flatnonzero(vals >= best[lv.col_group])
        pick = np.full(lv.rows.size, vals.size, dtype=np.int64)
        np.minimum.at(pick, lv.col_group[hit], hit)
        choice[lv.rows] = lv.cols[pick]
        np.add.at(w, s.parent[lv.rows], best)
    return choice


def _row_shares(s: _Seqs, x: np.ndarray, fallback: float) -> tuple[np.ndarray, np.ndarray]:
    """``x[sigma] / sum of x over sigma's row`` for ``s.cols``; ``fallback`` where it is zero."""
    mass = np.add.reduceat(x[s.cols], np.cumsum(s.size) - s.size)[s.col_row]
    ok = mass > _ZERO
    return s.slot_of[s.cols], np.where(
        ok, np.divide(x[s.cols], mass, out=np.zeros_like(mass), where=ok), fallback
    )


def _profile_from_table(game: Game, table: np.ndarray) -> dict[str, np.ndarray]:
    """``infoset -> its slots of table`` (views of one copy of ``table``)."""
    table = table.copy()
    starts = game._iset_first_slot.tolist()
    stops = starts[1:] + [game.n_slots] if starts else []
    return {name: table[a:b] for name, a, b in zip(game.infosets, starts, stops, strict=True)}


# -- the public sequence form ---------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SequenceForm:
    """The sequence form of a two-player tree (see the module docstring).

    Attributes
    ----------
    game : Game
        The tree.
    players : tuple of str
        Player 1 (rows of ``A``) and player 2 (columns).
    sequences : tuple of two tuples
        Each player's sequences: ``None`` for the empty one, then ``(infoset, action)``.
    infosets : tuple of two tuples of str
        The information sets of rows ``1, 2, ...`` of ``E`` and ``F``.
    E, F : ndarray
        Constraint matrices ``(1 + n_infosets, n_sequences)``.
    e, f : ndarray
        Right-hand sides (unit vectors on the empty sequence's row).
    A, B : ndarray
        Payoffs ``(n_seq_1, n_seq_2, *batch)``; unbatched when a ``point`` was chosen.
    point : tuple of int or None
        The parameter point picked from a batched game, if any.
    """

    game: Game
    players: tuple[str, str]
    sequences: tuple[tuple[tuple[str, str] | None, ...], tuple[tuple[str, str] | None, ...]]
    infosets: tuple[tuple[str, ...], tuple[str, ...]]
    E: np.ndarray
    e: np.ndarray
    F: np.ndarray
    f: np.ndarray
    A: np.ndarray
    B: np.ndarray
    point: tuple[int, ...] | None = None
    _seqs: tuple[_Seqs, _Seqs] | None = field(default=None, repr=False)

    @property
    def shape(self) -> tuple[int, int]:
        """Numbers of sequences of the two players."""
        return self.A.shape[0], self.A.shape[1]

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the parameter points of ``A`` and ``B``."""
        return self.A.shape[2:]

    def _players_seqs(self) -> tuple[_Seqs, _Seqs]:
        if self._seqs is None:
            allowed = np.ones(self.game.n_slots, dtype=bool)
            return (
                _sequences(self.game, 0, allowed, False),
                _sequences(self.game, 1, allowed, False),
            )
        return self._seqs

    def realisation_plans(self, profile: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
        """Realisation plans ``(x, y)`` of a behaviour profile, each ``(n_seq, *batch)``."""
        table = self.game.behaviour_table(profile)
        sx, sy = self._players_seqs()
        return _plan_from_table(sx, table), _plan_from_table(sy, table)

    def behaviour_profile(self, x: Any, y: Any) -> dict[str, np.ndarray]:
        """Behaviour profile of realisation plans ``x`` and ``y`` (each ``(n_seq,)``).

        ``beta(a | J) = x[(J, a)] / x[parent(J)]``, uniform where the parent has probability
        at most ``1e-12``.

        Raises
        ------
        ValueError
            If a plan has the wrong length, a negative entry or violates its constraints by
            more than ``1e-9``.
        """
        table = np.zeros(self.game.n_slots)
        for name, s, plan, C, c in zip(
            ("x", "y"),
            self._players_seqs(),
            (x, y),
            (self.E, self.F),
            (self.e, self.f),
            strict=True,
        ):
            plan = np.asarray(plan, dtype=np.float64)
            if plan.shape != (s.n,):
                raise ValueError(f"{name} has shape {plan.shape}; expected ({s.n},)")
            if not np.all(np.isfinite(plan)):
                raise ValueError(f"{name} is not a realisation plan: it has non-finite entries")
            gap = float(np.max(np.abs(C @ plan - c), initial=0.0))
            if plan.min() < -1e-9 or gap > 1e-9:
                raise ValueError(
                    f"{name} is not a realisation plan: entries must be >= 0 and satisfy the "
                    f"constraints (largest violation {gap:.3g}, least entry {plan.min():.3g})"
                )
            slots, shares = _row_shares(s, np.maximum(plan, 0.0), 0.0)
            table[slots] = shares
        tot = np.bincount(self.game._slot_infoset, weights=table, minlength=len(self.game.infosets))
        table = np.where(tot[self.game._slot_infoset] > 0, table, 1.0)
        tot = np.bincount(self.game._slot_infoset, weights=table, minlength=len(self.game.infosets))
        return _profile_from_table(self.game, table / tot[self.game._slot_infoset])

    def payoffs(self, x: Any, y: Any) -> np.ndarray:
        """Expected payoffs ``(2, *batch)`` of realisation plans ``x`` and ``y``."""
        x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        return np.stack(
            [
                np.einsum("i...,ij...,j...->...", x, self.A, y),
                np.einsum("i...,ij...,j...->...", x, self.B, y),
            ]
        )


def sequence_form(game: Game, *, point: int | tuple[int, ...] | None = None) -> SequenceForm:
    """Compute the sequence form of a two-player tree.

    Parameters
    ----------
    game : Game
        A two-player game with perfect recall (chance moves allowed).
    point : int or tuple of int, optional
        Pick one parameter point of a batched game (see :func:`model.tree.point_index`); with
        None, ``A`` and ``B`` carry the game's batch axes.

    Returns
    -------
    SequenceForm

    Raises
    ------
    TypeError
        If ``game`` is not a :class:`~model.tree.Game` or ``point`` is not an index.
    ValueError
        If the game does not have two players, or ``point`` is not a point of the batch.
    """
    _check_game(game)
    index = None if point is None else point_index(game.batch_shape, point)
    allowed = np.ones(game.n_slots, dtype=bool)
    seqs = (_sequences(game, 0, allowed, False), _sequences(game, 1, allowed, False))
    s1, s2 = _terminal_sequences(game, seqs)
    reach = _chance_reach(game)[game.terminals]
    batch = game.batch_shape
    weights = reach[:, None] * game.payoffs  # (n_z, 2, *batch): reach has the game's batch
    if index is not None:
        weights = weights[(slice(None), slice(None)) + index]
        batch = ()
    A = np.zeros((seqs[0].n, seqs[1].n) + batch)
    B = np.zeros_like(A)
    np.add.at(A, (s1, s2), weights[:, 0])
    np.add.at(B, (s1, s2), weights[:, 1])
    names = list(game.infosets)
    labels = []
    for s in seqs:
        lab: list[tuple[str, str] | None] = [None]
        for slot in s.slot_of[1:]:
            iset = game.infosets[names[int(game._slot_infoset[slot])]]
            lab.append((iset.name, iset.actions[int(game._slot_action[slot])]))
        labels.append(tuple(lab))
    E, F = seqs[0].E, seqs[1].E
    e, f = np.zeros(E.shape[0]), np.zeros(F.shape[0])
    e[0] = f[0] = 1.0
    for arr in (A, B, E, F, e, f):
        arr.flags.writeable = False
    return SequenceForm(
        game=game,
        players=(game.players[0], game.players[1]),
        sequences=(labels[0], labels[1]),
        infosets=(
            tuple(names[j] for j in seqs[0].rows),
            tuple(names[j] for j in seqs[1].rows),
        ),
        E=E,
        e=e,
        F=F,
        f=f,
        A=A,
        B=B,
        point=index,
        _seqs=seqs,
    )


def _check_game(game: Any) -> None:
    if not isinstance(game, Game):
        raise TypeError(f"game must be a model.tree.Game, got {type(game).__name__}")
    if game.n_players != 2:
        raise ValueError(
            f"the sequence form here is for two-player games; this game has {game.n_players} "
            f"players {game.players}"
        )


def _at_point(game: Game, point: Any) -> Game:
    """The unbatched game to solve: ``game`` itself, or its ``point`` (required if batched)."""
    if not game.batch_shape:
        if point is None or (isinstance(point, tuple) and not point):
            return game
        raise ValueError(
            f"point = {point!r} was given, but the game is not batched: pass point=None"
        )
    if point is None:
        raise ValueError(
            f"the game has batch shape {game.batch_shape}: pass point=index to choose the "
            "parameter point to solve"
        )
    return game.point(point_index(game.batch_shape, point))


# -- the LCP of one parameter point ---------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class _LCP:
    """Reduced sequence form of an unbatched tree; ``A, B`` normalised to [-2, -1] per player."""

    seqs: tuple[_Seqs, _Seqs]
    A: np.ndarray
    B: np.ndarray


def _reduced(game: Game, allowed: np.ndarray, reach: np.ndarray | None = None) -> _LCP:
    """The LCP over the ``allowed`` slots; ``reach``: chance reach of the terminals, if known."""
    seqs = (_sequences(game, 0, allowed, True), _sequences(game, 1, allowed, True))
    s1, s2 = _terminal_sequences(game, seqs)
    live = (s1 >= 0) & (s2 >= 0)
    if reach is None:
        reach = _chance_reach(game)[game.terminals]
    reach = reach[live]
    pay = game.payoffs
    lo, hi = pay.min(axis=0), pay.max(axis=0)
    span = np.where(hi - lo > 0, hi - lo, 1.0)
    norm = (pay[live] - hi) / span - 1.0  # in [-2, -1]
    A = np.zeros((seqs[0].n, seqs[1].n))
    B = np.zeros_like(A)
    np.add.at(A, (s1[live], s2[live]), reach * norm[:, 0])
    np.add.at(B, (s1[live], s2[live]), reach * norm[:, 1])
    return _LCP(seqs=seqs, A=A, B=B)


@dataclass(frozen=True, eq=False)
class _Path:
    """The end of one run of Lemke's algorithm."""

    converged: bool
    pivots: int
    reason: str
    values: np.ndarray  # (2n + 1,): x', y', w_x, w_y, z0
    coefficients: np.ndarray  # (2n + 1, D + 1): the same as polynomials in epsilon


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Matrix product by ``einsum``: for these sizes, faster than threaded BLAS on busy CPUs."""
    return np.einsum("ij,j...->i...", a, b)


def _lemke(lcp: _LCP, eps: float, degree: int, max_pivots: int, attempt: int = 0) -> _Path:
    """Run Lemke's algorithm on the sequence-form LCP, perturbed by ``eps`` if positive.

    The tableau holds the basic variables other than the free ``u, v`` (which never leave the
    basis) in dictionary form: its columns are those of the ``n + 1`` non-basic variables among
    ``x' | y' | w_x | w_y | z0``, then ``rhs(eps) | rhs_0 .. rhs_degree`` and a column of zeros.
    The minimum-ratio test breaks ties lexicographically (:func:`_lex_min`) only when the plain
    minimum is tied.
    """
    sx, sy = lcp.seqs
    A, B = lcp.A, lcp.B
    n1, n2 = sx.n, sy.n
    n = n1 + n2
    D = degree
    xbar, ybar = _prior(sx, attempt), _prior(sy, attempt)
    BT = B.T
    Ay, Bx = _dot(A, ybar), _dot(BT, xbar)
    z0 = 2 * n
    # starting basis: z0 = 1; each player's pure best response to the other's starting plan
    # (at level zero); the slacks of the other sequences; u and v are eliminated
    p = _best_response(sx, Ay)
    q = _best_response(sy, Bx)
    in_p = np.zeros(n1, dtype=bool)
    in_q = np.zeros(n2, dtype=bool)
    in_p[p] = in_p[0] = True
    in_q[q] = in_q[0] = True
    qs = np.flatnonzero(in_q)
    ps = np.flatnonzero(in_p)
    not_p, not_q = np.flatnonzero(~in_p), np.flatnonzero(~in_q)
    basis = np.concatenate([[z0], p, n1 + qs, n + not_p, n + n1 + not_q]).astype(np.int64)
    # dictionary form: the tableau keeps only the columns of the n + 1 non-basic variables,
    # x'[empty, not p] | y'[not q] | w_x[empty, p] | w_y[empty, q] (a basic variable's column
    # is a unit vector), then the right-hand sides rhs(eps), rhs_0 .. rhs_D
    nx = np.concatenate([[0], not_p]).astype(np.int64)
    nonbasic = np.concatenate([nx, n1 + not_q, n + ps, n + n1 + qs])
    c1, c2, c3 = nx.size, nx.size + not_q.size, nx.size + not_q.size + ps.size
    b = nonbasic.size  # column of the right-hand side
    C = b + 3 + D  # and a last column of zeros (see _lex_min)
    Ex, Fy = sx.E, sy.E
    bE = np.zeros((Ex.shape[0], C))
    bF = np.zeros((Fy.shape[0], C))
    bX = np.zeros((n1, C))
    bY = np.zeros((n2, C))
    bE[:, :c1] = Ex[:, nx]
    bF[:, c1:c2] = Fy[:, not_q]
    bX[:, c1:c2] = -A[:, not_q]
    bX[ps, c2 + np.arange(ps.size)] = -1.0
    bY[:, :c1] = -BT[:, nx]
    bY[qs, c3 + np.arange(qs.size)] = -1.0
    # the column of z0 (basic at the start) and the right-hand sides
    if D:
        # lower bounds l(eps) = sum_k eps^k l_k, l_k = indicator of sequences of k >= 1 own
        # moves
        lx = np.stack([(sx.length == k) & (k > 0) for k in range(D + 1)]).astype(float)
        ly = np.stack([(sy.length == k) & (k > 0) for k in range(D + 1)]).astype(float)
        pw = eps ** np.arange(D + 1)
        lxe, lye = pw @ lx, pw @ ly
        bE[:, b] = -_dot(Ex, lxe)
        bF[:, b] = -_dot(Fy, lye)
        bX[:, b] = _dot(A, lye)
        bY[:, b] = _dot(BT, lxe)
        bE[:, b + 1 : b + 2 + D] = -_dot(Ex, lx.T)
        bF[:, b + 1 : b + 2 + D] = -_dot(Fy, ly.T)
        bX[:, b + 1 : b + 2 + D] = _dot(A, ly.T)
        bY[:, b + 1 : b + 2 + D] = _dot(BT, lx.T)
        zE, zF = -_dot(Ex, lxe), -_dot(Fy, lye)
        zX, zY = -_dot(A, ybar - lye), -_dot(BT, xbar - lxe)
    else:  # no lower bounds: only e and f on the right, and z0's column is (e, f, -Ay, -Bx)
        zE, zF = np.zeros(Ex.shape[0]), np.zeros(Fy.shape[0])
        zX, zY = -Ay, -Bx
    bE[0, b : b + 2] += 1.0
    bF[0, b : b + 2] += 1.0
    zE[0] += 1.0
    zF[0] += 1.0
    T = _start_tableau(lcp, p, q, qs, not_p, not_q, (bE, bF, bX, bY), (zE, zF, zX, zY))
    at = np.full(z0 + 1, -1, dtype=np.int64)  # position of a non-basic variable in T
    at[nonbasic] = np.arange(nonbasic.size)
    # the starting basis orders the lexicographic perturbation: its variables in order, and
    # the position of each variable in it (-1 if not in it)
    lex = (basis.copy(), np.full(z0 + 1, -1, dtype=np.int64))
    lex[1][basis] = np.arange(basis.size)
    entering = 0  # x'_empty: player 1's empty sequence is the missing label
    pivots = 0
    while True:
        if pivots >= max_pivots:
            return _end(T[:, b:-1], basis, n, D, pivots, False, f"hit max_pivots={max_pivots}")
        j = int(at[entering])
        col = T[:, j].copy()
        cand = (col > _PIVOT_TOL).nonzero()[0]
        if cand.size == 0:
            return _end(T[:, b:-1], basis, n, D, pivots, False, "ray termination")
        ratios = np.maximum(T[:, b].take(cand), 0.0) / col.take(cand)
        low = float(ratios.min())
        tie = cand[ratios <= low + _TIE_TOL * max(1.0, low)]
        if tie.size > 1:
            at_z0 = tie[basis[tie] == z0]
            tie = at_z0 if at_z0.size else _lex_min(T, col, tie, basis, lex, at)
        r = int(tie[0])
        piv = col[r]
        row = T[r] / piv
        # multiply, then subtract: a fused multiply-add (BLAS ger) would round differently,
        # which can move a near-tie of a degenerate problem across the tie tolerance
        T -= col[:, None] * row
        T[r] = row
        # the leaving variable takes the entering one's column
        col /= -piv
        col[r] = 1.0 / piv
        T[:, j] = col
        pivots += 1
        leaving = int(basis[r])
        basis[r] = entering
        at[leaving], at[entering] = j, -1
        if leaving == z0:
            return _end(T[:, b:-1], basis, n, D, pivots, True, "z0 left the basis")
        entering = leaving + n if leaving < n else leaving - n


def _solve(lcp: _LCP, eps: float, degree: int, max_pivots: int) -> tuple[_Path, int]:
    """Run :func:`_lemke` from up to :data:`STARTS` starting strategies until no ray ends it.

    Returns the last run (its ``pivots`` counting all runs) and the number of runs.
    """
    total = 0
    for attempt in range(STARTS):
        path = _lemke(lcp, eps, degree, max_pivots, attempt)
        total += path.pivots
        if path.reason != "ray termination":
            break
    return replace(path, pivots=total), attempt + 1


def _forward(s: _Seqs, choice: np.ndarray, R: np.ndarray, top: np.ndarray) -> np.ndarray:
    """Solve ``x[choice[r]] - x[parent[r]] = R[r]`` for every row ``r``, with ``x[0] = top``.

    Other sequences are zero: ``E`` restricted to the empty sequence and ``choice`` is
    triangular, so this is forward substitution down the player's sequence tree.
    """
    X = np.zeros((s.n,) + R.shape[1:])
    X[0] = top
    for lv in s.levels:
        X[choice[lv.rows]] = R[lv.rows] + X[s.parent[lv.rows]]
    return X


def _backward(s: _Seqs, choice: np.ndarray, G: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve ``(E^T u)_sigma = G_sigma`` for ``sigma`` the empty sequence and every ``choice``.

    ``(E^T u)_(J, a) = u_J - S_(J, a)``, with ``S_sigma`` the sum of ``u_K`` over the rows
    ``K`` whose parent is ``sigma``: back substitution up the sequence tree. Returns ``u`` and
    ``S`` (for every sequence).
    """
    S = np.zeros_like(G)
    u = np.zeros((1 + s.rows.size,) + G.shape[1:])
    for lv in reversed(s.levels):
        c = choice[lv.rows]
        u[1 + lv.rows] = G[c] + S[c]
        lv.by_parent.add_to(S, u[1 + lv.rows])
    u[0] = G[0] + S[0]
    return u, S


def _slacks(s: _Seqs, choice: np.ndarray, G: np.ndarray, at: np.ndarray) -> np.ndarray:
    """``E^T u - G`` at the non-empty sequences ``at``, with ``u`` from :func:`_backward`."""
    u, S = _backward(s, choice, G)
    # sequences 1 .. n-1 are the rows' sequences in order: s.col_row[sigma - 1] is sigma's row
    return u[1 + s.col_row[at - 1]] - S[at] - G[at]


def _start_tableau(
    lcp: _LCP,
    p: np.ndarray,
    q: np.ndarray,
    qs: np.ndarray,
    not_p: np.ndarray,
    not_q: np.ndarray,
    blocks: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    z0_column: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
) -> np.ndarray:
    """The tableau ``B0^{-1} b`` of the starting basis, by substitution along the sequence trees.

    The basis is ``u, v, z0, x'[p], y'[empty, q], w_x[not p], w_y[not q]``; the rows of ``u``
    and ``v`` are dropped. ``blocks`` are the rows of ``E``, ``F`` and of the two slack
    definitions (for the columns kept in the tableau), ``z0_column`` their coefficients of
    ``z0``. The empty sequence's row of ``E`` gives ``z0``, the other rows of ``E`` (``F``)
    give ``x'`` (``y'``) top-down, the best-response sequences' rows give ``u`` (``v``)
    bottom-up, and the remaining rows the slacks. No dense factorisation is needed.
    """
    bE, bF, bX, bY = blocks
    zE, zF, zX, zY = (c[:, None] for c in z0_column)
    sx, sy = lcp.seqs
    z0 = bE[0]  # x'_empty is non-basic, the coefficient of z0 is one
    X = _forward(sx, p, bE[1:] - zE[1:] * z0, np.zeros_like(z0))
    Y = _forward(sy, q, bF[1:] - zF[1:] * z0, bF[0] - zF[0] * z0)
    G1 = bX + _dot(lcp.A[:, qs], Y[qs]) - zX * z0
    ps = np.concatenate([[0], p]).astype(np.int64)
    G2 = bY + _dot(lcp.B.T[:, ps], X[ps]) - zY * z0
    return np.concatenate(
        [z0[None], X[p], Y[qs], _slacks(sx, p, G1, not_p), _slacks(sy, q, G2, not_q)]
    )


def _lex_min(
    T: np.ndarray,
    col: np.ndarray,
    tie: np.ndarray,
    basis: np.ndarray,
    lex: tuple[np.ndarray, np.ndarray],
    at: np.ndarray,
) -> np.ndarray:
    """Rows among ``tie`` with the lexicographically least ``(B^-1 B0)[r] / col[r]``.

    Column ``c`` of ``B^-1 B0`` is the tableau column of the starting basis's ``c``-th
    variable (``lex[0]`` lists them; ``lex[1]`` maps a variable to its position or -1):
    stored in ``T`` if it is non-basic now, a unit vector if it is basic. The columns are
    compared in order, each only among the rows still tied; entries within ``_TIE_TOL`` of
    each other (relative to the column's largest entry, or absolute below one) are equal.
    """
    order, place = lex
    # the position -1 of a basic variable picks T's last column, which is zero
    L = T.take(tie, axis=0).take(at.take(order), axis=1)
    mine = place.take(basis.take(tie))
    hit = (mine >= 0).nonzero()[0]
    L[hit, mine[hit]] = 1.0
    L /= col.take(tie)[:, None]
    lo, hi = L.min(axis=0), L.max(axis=0)
    tol = _TIE_TOL * np.maximum(np.maximum(hi, -lo), 1.0)
    # only the (few) columns in which the tied rows differ can decide; a subset of the rows
    # differs in no other column
    cols = (hi - lo > tol).nonzero()[0]
    rows = L[:, cols].tolist()
    keep = list(range(tie.size))
    for c, t in enumerate(tol[cols].tolist()):
        vals = [rows[i][c] for i in keep]
        least = min(vals)
        if max(vals) - least > t:
            keep = [i for i, v in zip(keep, vals, strict=True) if v <= least + t]
            if len(keep) == 1:
                break
    return tie[keep]


def _end(
    R: np.ndarray, basis: np.ndarray, n: int, D: int, pivots: int, ok: bool, reason: str
) -> _Path:
    """Read the basic solution off the right-hand side columns ``R`` (``rhs, rhs_0..rhs_D``)."""
    values = np.zeros(2 * n + 1)
    coef = np.zeros((2 * n + 1, D + 1))
    values[basis] = R[:, 0]
    coef[basis] = R[:, 1:]
    return _Path(ok, pivots, reason, values, coef)


# -- from the LCP back to the tree ----------------------------------------------------------------
def _behaviour(
    game: Game, lcp: _LCP, plans: tuple[np.ndarray, np.ndarray], allowed: np.ndarray
) -> np.ndarray:
    """Behaviour ``(n_slots,)`` of ``game`` from reduced plans (see the module docstring)."""
    val = allowed.astype(float)  # removed actions 0; dead and one-action sets: uniform over kept
    for s, x in zip(lcp.seqs, plans, strict=True):
        if s.rows.size:
            slots, shares = _row_shares(s, x, 1.0)
            val[slots] = shares
    tot = np.bincount(game._slot_infoset, weights=val, minlength=len(game.infosets))
    return val / tot[game._slot_infoset]


def _summary(
    game: Game, table: np.ndarray, reach: np.ndarray | None = None
) -> tuple[tuple[np.ndarray, np.ndarray], np.ndarray]:
    """Realisation plans over :func:`sequence_form`'s sequences, and expected payoffs ``(2,)``.

    The plan of player ``k`` has the empty sequence first and then one entry per own action
    slot, in slot order: ``x[(J, a)] = x[parent(J)] * table[(J, a)]``, top-down. ``reach`` is
    the chance reach of the terminals, if known.
    """
    slot_iset = game._slot_infoset
    par = game._iset_parent_seq[slot_iset]
    depth = game._iset_own_depth[slot_iset]
    plans = []
    weight = _chance_reach(game)[game.terminals] if reach is None else reach
    for k in range(2):
        mine = game._slot_player == k
        idx = mine.cumsum()  # sequence of each own slot
        parent = np.where(par == 0, 0, idx[np.maximum(par - 1, 0)]) if par.size else par
        x = np.zeros(1 + int(idx[-1]) if idx.size else 1)
        x[0] = 1.0
        for d in np.unique(depth[mine]):
            ss = (mine & (depth == d)).nonzero()[0]
            x[idx[ss]] = x[parent[ss]] * table[ss]
        plans.append(x)
        last = game._last_seq[k, game.terminals]
        seq = np.where(last == 0, 0, idx[np.maximum(last - 1, 0)]) if idx.size else last
        weight = weight * x[seq]
    return (plans[0], plans[1]), weight @ game.payoffs


def _allowed_slots(game: Game, prune: bool) -> np.ndarray:
    if not prune:
        return np.ones(game.n_slots, dtype=bool)
    return _surviving_slots(game, 0.0)  # the slots surviving_actions(game) keeps


def _scale(game: Game) -> float:
    return max(1.0, float(np.max(np.abs(game.payoffs), initial=0.0)))


# -- Nash equilibrium -----------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class LCPResult:
    """A Nash equilibrium of a two-player tree from the sequence-form LCP.

    Attributes
    ----------
    method : str
        ``"sequence_form_lcp"``.
    parameters : dict
        ``point``, ``tolerance`` and its payoff ``scale``, ``max_pivots``, ``prune``,
        ``pruned_actions``, ``sizes`` (sequences and constraint rows of each player in the LCP
        that was solved), ``starts`` (runs of Lemke's algorithm, one unless a run ended in a
        ray) and ``termination`` (why the last run stopped).
    game : Game
        The (unbatched) tree whose profile is returned.
    profile : dict[str, ndarray]
        Behaviour profile ``infoset -> (n_actions,)`` of ``game``.
    realisation : tuple of two ndarrays
        The players' realisation plans over the sequences of :func:`sequence_form` of ``game``.
    payoffs : ndarray
        Expected payoffs ``(2,)`` of the profile.
    pivots : int
        Pivots of Lemke's algorithm (over all runs).
    converged : bool
        Whether the last run ended with ``z0`` leaving the basis within ``max_pivots``.
    certificate : Certificate
        :func:`model.checks.tree_certificate` of ``profile`` on ``game``.
    """

    method: str
    parameters: dict[str, Any]
    game: Game
    profile: dict[str, np.ndarray]
    realisation: tuple[np.ndarray, np.ndarray]
    payoffs: np.ndarray
    pivots: int
    converged: bool
    certificate: Certificate


def lcp_solve(
    game: Game,
    *,
    point: int | tuple[int, ...] | None = None,
    tolerance: float = TOLERANCE,
    max_pivots: int = 10_000,
    prune: bool = True,
) -> LCPResult:
    """Find one Nash equilibrium of a two-player tree with Lemke's algorithm on the sequence form.

    Parameters
    ----------
    game : Game
        A two-player game with perfect recall; chance moves and imperfect information allowed.
    point : int or tuple of int, optional
        The parameter point to solve: required when the game is batched (one index per batch
        axis, see :func:`model.tree.point_index`), None otherwise.
    tolerance : float
        Largest accepted regret, relative to the payoff scale ``max(1, max|payoff|)``; finite
        and ``>= 0``.
    max_pivots : int
        Bound on the pivots, at least one; the result says ``converged=False`` if it is hit.
    prune : bool
        Remove conditionally dominated actions first (see the module docstring).

    Returns
    -------
    LCPResult

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If the game does not have two players, or an argument is out of range (the message
        names the argument and its valid range).
    """
    _check_game(game)
    tolerance = require_tolerance("tolerance", tolerance)
    max_pivots = require_count("max_pivots", max_pivots)
    prune = require_flag("prune", prune)
    tree = _at_point(game, point)
    allowed = _allowed_slots(tree, prune)
    reach = _chance_reach(tree)[tree.terminals]
    lcp = _reduced(tree, allowed, reach)
    path, starts = _solve(lcp, 0.0, 0, max_pivots)
    n1, n = lcp.seqs[0].n, lcp.seqs[0].n + lcp.seqs[1].n
    vals = np.where(path.values > _ZERO, path.values, 0.0)
    table = _behaviour(tree, lcp, (vals[:n1], vals[n1:n]), allowed)
    profile = _profile_from_table(tree, table)
    scale = _scale(tree)
    plans, payoffs = _summary(tree, table, reach)
    return LCPResult(
        method=METHOD,
        parameters={
            "point": point,
            "tolerance": tolerance,
            "scale": scale,
            "max_pivots": max_pivots,
            "prune": prune,
            "pruned_actions": int(tree.n_slots - allowed.sum()),
            "sizes": {
                "sequences": (lcp.seqs[0].n, lcp.seqs[1].n),
                "constraints": (1 + lcp.seqs[0].rows.size, 1 + lcp.seqs[1].rows.size),
            },
            "starts": starts,
            "termination": path.reason,
        },
        game=tree,
        profile=profile,
        realisation=plans,
        payoffs=payoffs,
        pivots=path.pivots,
        converged=path.converged,
        certificate=tree_certificate(tree, profile, tolerance=tolerance * scale),
    )


# -- sequential equilibrium -----------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SequentialResult:
    """A sequential equilibrium (an assessment) of a two-player tree, and how it was found.

    Attributes
    ----------
    method : str
        ``"sequence_form_lcp.perturbed"``.
    parameters : dict
        ``point``, ``tolerance`` and its payoff ``scale``, ``epsilons`` (the schedule),
        ``max_pivots`` and ``perturbation`` (its description).
    game : Game
        The (unbatched) tree.
    profile : dict[str, ndarray]
        The limit behaviour profile ``infoset -> (n_actions,)``.
    beliefs : dict[str, ndarray]
        The limit beliefs ``infoset -> (n_nodes,)``, nodes in ``game.infosets[name].nodes``
        order.
    realisation : tuple of two ndarrays
        Realisation plans of ``profile`` over the sequences of :func:`sequence_form`.
    payoffs : ndarray
        Expected payoffs ``(2,)``.
    epsilon : float or None
        The perturbation whose final basis gave the returned assessment; None if no attempt
        was certified.
    attempts : tuple of dict
        One per perturbation tried, in order: ``epsilon``, ``pivots``, ``converged``,
        ``termination``, ``starts``, ``stable`` (the final basis is feasible for every small
        epsilon),
        ``max_regret``, ``bayes_gap`` and ``passed``.
    pivots : int
        Pivots over all attempts.
    converged : bool
        Whether some attempt gave a certified assessment.
    certificate : Certificate
        :func:`model.checks.assessment_certificate` of the returned assessment (that of the
        last attempt when none passed).
    """

    method: str
    parameters: dict[str, Any]
    game: Game
    profile: dict[str, np.ndarray]
    beliefs: dict[str, np.ndarray]
    realisation: tuple[np.ndarray, np.ndarray]
    payoffs: np.ndarray
    epsilon: float | None
    attempts: tuple[dict[str, Any], ...]
    pivots: int
    converged: bool
    certificate: Certificate


def _grouped_limit(poly: np.ndarray, group: np.ndarray, n_groups: int) -> np.ndarray:
    """Limits of ``poly[i](eps) / sum of poly over i's group`` as ``eps -> 0``.

    ``poly`` holds non-negative polynomials as coefficient rows ``(n, D + 1)``; the limit is
    the ratio of the coefficients of the group's lowest order present. Groups whose
    polynomials all vanish get uniform shares.
    """
    present = np.zeros((n_groups, poly.shape[1]), dtype=bool)
    np.logical_or.at(present, group, np.abs(poly) > _COEF_TOL)
    order = np.where(present.any(axis=1), np.argmax(present, axis=1), -1)[group]
    val = np.where(order >= 0, poly[np.arange(poly.shape[0]), np.maximum(order, 0)], 1.0)
    val = np.maximum(val, 0.0)
    tot = np.bincount(group, weights=val, minlength=n_groups)[group]
    # a group whose leading coefficients are all negative (an unstable basis): uniform
    val = np.where(tot > 0, val, 1.0)
    tot = np.bincount(group, weights=val, minlength=n_groups)[group]
    return val / tot


def _limit_assessment(
    game: Game, lcp: _LCP, coef: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Limit behaviour ``(n_slots,)`` and beliefs of the polynomial equilibria ``coef``."""
    n1, n = lcp.seqs[0].n, lcp.seqs[0].n + lcp.seqs[1].n
    D1 = coef.shape[1]
    polys = []
    for s, c in zip(lcp.seqs, (coef[:n1], coef[n1:n]), strict=True):
        poly = c.copy()
        poly[np.arange(1, s.n), s.length[1:]] += 1.0  # x = x' + l(eps)
        poly[0] = 0.0
        poly[0, 0] = 1.0
        polys.append(poly)
    n_isets = len(game.infosets)
    slot_iset = game._slot_infoset
    table = np.ones(game.n_slots)  # one-action sets (merged) play their action
    for s, poly in zip(lcp.seqs, polys, strict=True):
        if s.rows.size:
            slots = s.slot_of[s.cols]
            table[slots] = _grouped_limit(poly[s.cols], slot_iset[slots], n_isets)
    # beliefs at a set of player i: chance reach times the other player's plan at each node
    reach = _chance_reach(game)
    dec = np.flatnonzero(game._kind == 2)
    iset_index = {name: j for j, name in enumerate(game.infosets)}
    node_iset = np.array([iset_index[str(game.nodes[h].infoset)] for h in dec], dtype=np.int64)
    weight = np.zeros((dec.size, D1))
    for k, s in enumerate(lcp.seqs):
        theirs = game._mover[dec] == 1 - k
        seq = _rep(s, game._last_seq[k, dec[theirs]])
        weight[theirs] = reach[dec[theirs], None] * polys[k][seq]
    belief = _grouped_limit(weight, node_iset, n_isets)
    # decision nodes are in pre-order, as are the nodes of every information set
    beliefs = {name: belief[node_iset == j] for j, name in enumerate(game.infosets)}
    return table, beliefs


def sequential_solve(
    game: Game,
    *,
    point: int | tuple[int, ...] | None = None,
    epsilons: Sequence[float] = EPSILONS,
    tolerance: float = TOLERANCE,
    max_pivots: int = 10_000,
) -> SequentialResult:
    """Find a sequential equilibrium of a two-player tree (see the module docstring).

    Parameters
    ----------
    game : Game
        A two-player game with perfect recall; chance moves and imperfect information allowed.
    point : int or tuple of int, optional
        The parameter point to solve: required when the game is batched, None otherwise.
    epsilons : sequence of float
        Perturbations to try, in order; each in ``(0, 1 / max_actions]`` with ``max_actions``
        the largest number of actions at an information set (larger ones leave no strategy
        satisfying the bounds).
    tolerance : float
        Largest accepted regret and Bayes gap, in units of the payoff scale
        ``max(1, max|payoff|)``; finite and ``>= 0``.
    max_pivots : int
        Bound on the pivots of each run, at least one.

    Returns
    -------
    SequentialResult

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If the game does not have two players, or an argument is out of range.
    """
    _check_game(game)
    tolerance = require_tolerance("tolerance", tolerance)
    max_pivots = require_count("max_pivots", max_pivots)
    if isinstance(epsilons, str | bytes) or not isinstance(epsilons, Sequence) or not epsilons:
        raise ValueError(f"epsilons = {epsilons!r} must be a non-empty sequence of numbers")
    tree = _at_point(game, point)
    top = 1.0 / max((len(i.actions) for i in tree.infosets.values()), default=1)
    schedule = []
    for i, eps in enumerate(epsilons):
        eps = require_tolerance(f"epsilons[{i}]", eps)
        if not 0.0 < eps <= top:
            raise ValueError(
                f"epsilons[{i}] = {eps!r} is out of range: it must lie in (0, {top:.6g}], one "
                "over the largest number of actions at an information set"
            )
        schedule.append(eps)
    lcp = _reduced(tree, np.ones(tree.n_slots, dtype=bool))
    D = int(max(lcp.seqs[0].length.max(), lcp.seqs[1].length.max()))
    n = lcp.seqs[0].n + lcp.seqs[1].n
    scale = _scale(tree)
    attempts: list[dict[str, Any]] = []
    pivots = 0
    found: tuple[float | None, np.ndarray, dict, dict, Certificate] | None = None
    for eps in schedule:
        path, starts = _solve(lcp, eps, D, max_pivots)
        pivots += path.pivots
        coef = np.where(np.abs(path.coefficients) > _COEF_TOL, path.coefficients, 0.0)
        nz = coef != 0.0
        leading = coef[np.arange(coef.shape[0]), np.argmax(nz, axis=1)]
        info: dict[str, Any] = {
            "epsilon": eps,
            "pivots": path.pivots,
            "converged": path.converged,
            "termination": path.reason,
            "starts": starts,
            "stable": bool(path.converged and np.all(leading >= 0.0)),
        }
        attempts.append(info)
        if not path.converged:
            info.update(max_regret=np.inf, bayes_gap=np.inf, passed=False)
            continue
        table, beliefs = _limit_assessment(tree, lcp, coef[:n])
        profile = _profile_from_table(tree, table)
        cert = assessment_certificate(tree, profile, beliefs, tolerance=tolerance * scale)
        passed = info["stable"] and bool(cert.all_passed)
        info.update(
            max_regret=float(cert.max_regret), bayes_gap=float(cert.bayes_gap), passed=passed
        )
        found = (eps, table, profile, beliefs, cert)
        if passed:
            break
    if found is None:  # no run converged: report the uniform assessment, certified as it is
        table = np.ones(tree.n_slots)
        table /= np.bincount(tree._slot_infoset, minlength=len(tree.infosets))[tree._slot_infoset]
        profile = _profile_from_table(tree, table)
        beliefs = {i.name: np.full(len(i.nodes), 1 / len(i.nodes)) for i in tree.infosets.values()}
        cert = assessment_certificate(tree, profile, beliefs, tolerance=tolerance * scale)
        found = (None, table, profile, beliefs, cert)
    used, table, profile, beliefs, cert = found
    passed = bool(attempts and attempts[-1]["passed"])
    plans, payoffs = _summary(tree, table)
    return SequentialResult(
        method=SEQUENTIAL_METHOD,
        parameters={
            "point": point,
            "tolerance": tolerance,
            "scale": scale,
            "epsilons": tuple(schedule),
            "max_pivots": max_pivots,
            "perturbation": "x[sigma] >= epsilon ** (own moves in sigma), Miltersen-Sorensen",
        },
        game=tree,
        profile=profile,
        beliefs=beliefs,
        realisation=plans,
        payoffs=payoffs,
        epsilon=used if passed else None,
        attempts=tuple(attempts),
        pivots=pivots,
        converged=passed,
        certificate=cert,
    )
