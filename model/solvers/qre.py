r"""Logit quantal response equilibrium (QRE), in normal and agent form, traced in lambda.

Normal form
-----------
In a finite strategic game with payoffs :math:`u_i`, a profile :math:`\sigma` of mixed strategies
is a *logit QRE* with precision :math:`\lambda \ge 0` when every player logit-responds to the
others (McKelvey and Palfrey 1995, the logit specification of QRE):

.. math:: \sigma_i(s) = \frac{\exp(\lambda\, u_i(s, \sigma_{-i}))}
                             {\sum_t \exp(\lambda\, u_i(t, \sigma_{-i}))}.

At :math:`\lambda = 0` play is uniform; as :math:`\lambda \to \infty` every limit point is a Nash
equilibrium (McKelvey and Palfrey 1995, Theorem 2).

Agent form
----------
In a tree (any number of players, chance moves, imperfect information) every information set
:math:`J` is a separate *agent* of its owner :math:`i` that logit-responds to its expected
continuation payoffs (McKelvey and Palfrey 1998, logit-AQRE):

.. math:: U(J, a) = \sum_{h \in J} \mu_J(h)\, v_i(h a), \qquad
          \sigma(J, a) = \frac{\exp(\lambda U(J, a))}{\sum_b \exp(\lambda U(J, b))},

where :math:`v_i(h a)` is the owner's expected payoff after action :math:`a` at node :math:`h` under
the profile and :math:`\mu_J(h) \propto \rho(h)` is the Bayes belief from the reach probabilities
:math:`\rho`. At finite :math:`\lambda` every action has positive probability, so every
information set whose nodes are not all cut off by a zero-probability chance move is reached and
the belief is well defined. Where a chance move has probability zero, the belief is the limit of
Bayes' rule as those chance probabilities tend to zero together: among the nodes of :math:`J`
behind the fewest zero-probability chance moves, in proportion to the product of the remaining
probabilities. Limits of logit-AQRE as :math:`\lambda \to \infty` are sequential equilibria
(McKelvey and Palfrey 1998; Turocy 2010). A strategic game is the special case of one information
set per player, so :func:`qre_solve` and :func:`qre_trace` solve payoff arrays by writing them as
a tree in which no player sees another's move.

Equations and derivatives
-------------------------
Both forms are solved in log-probabilities :math:`z = \log \sigma` (one entry per action slot),
which keeps tiny probabilities accurate at large :math:`\lambda` (Turocy 2005, 2010):

.. math:: H(z, \lambda) = z - \log \operatorname{softmax}_J(\lambda U(e^z)) = 0.

All quantities come from one pass down the tree (log reach probabilities) and one pass up
(node values), with the tree's flat tables. The Jacobian is exact: with
:math:`G_{rs} = \partial U_r / \partial z_s`,

.. math:: G_{rs} = \sum_{h \in J} \mu_J(h) \Big[ (A_{hs} - \bar A_{Js})\,(v_i(h a) - U_r)
          + \sum_{k \succ h a:\ \text{edge } s \text{ into } k} \rho(ha \to k)\, v_i(k) \Big],

where :math:`r = (J, a)`, :math:`A_{hs} = 1` when slot :math:`s` lies on the path to :math:`h`,
:math:`\bar A_{Js} = \sum_h \mu_J(h) A_{hs}`, and :math:`\rho(ha \to k)` is the probability of
reaching :math:`k` from :math:`ha`; then :math:`\partial H / \partial z = I - \lambda (G -
\mathbf 1_J \sigma_J^\top G)` and :math:`\partial H / \partial \lambda = -(U - \sigma_J^\top
U)`.

Path following
--------------
The solutions form a curve starting at the uniform profile at :math:`\lambda = 0`; its *principal
branch* leads to a unique Nash (normal form) or sequential (agent form) equilibrium in generic
games (McKelvey and Palfrey 1995, 1998). It may bend backwards in :math:`\lambda` (e.g.
McKelvey's game in Gambit's sample ``loopback.nfg``), so it is followed by arc length: a
predictor along the unit tangent :math:`t` (the kernel of :math:`[H_z\ H_\lambda]`, oriented to
keep its direction) and a Newton corrector on the augmented system :math:`[H_z\ H_\lambda;\
t^\top]\,\delta = [-H;\ 0]` (Allgower and Georg 1990, ch. 2 and 6; Turocy 2005).

A step is rejected, and halved, when a Newton correction is longer than 0.1 (in log-probability
and :math:`\lambda` units), two successive corrections shrink by less than a factor 0.6, the
corrector has not converged in ``max_corrector`` iterations, or the tangent turns by more than
about 25 degrees. After an accepted step of length :math:`h` the next is :math:`h / \delta` with
:math:`\delta = \min(\max(\kappa a, 1/a), a)`, :math:`a` = ``max_accel`` and :math:`\kappa` the
larger of :math:`\sqrt{\text{correction} / 0.1}` and :math:`\sqrt{\text{contraction} / 0.6}`
seen by the corrector (steplength adaptation, Allgower and Georg 1990, ch. 6). The bound 0.1 on
a correction is tighter than usual: it keeps steps short enough not to jump from one branch to
another across a tight bend (with a bound of 0.4 and ``max_accel = 1.5``, steps cross the bend of
``loopback.nfg``).

The step that would pass the target :math:`\lambda` is shortened to end on it and corrected at
fixed :math:`\lambda`, so :func:`qre_solve` returns the *first* crossing of the target on the
principal branch. :func:`qre_trace` follows one parameter point and records the path;
:func:`qre_solve` runs the same continuation for every parameter point at once (arrays over the
batch; the linear systems are solved with numpy's batched LAPACK, as ``scipy.linalg`` has no
compiled batched solver; the Jacobian is assembled with a ``scipy.sparse`` matrix).

Distance from equilibrium
-------------------------
An agent that logit-responds loses, against its best action, at most
:math:`\sum_a d_a e^{-\lambda d_a} \le (k - 1)/(e \lambda)` (:math:`k` actions, :math:`d_a` the
payoff shortfall of action :math:`a`). By the one-deviation decomposition of a best response over
the player's own information sets (each weighted by a counterfactual reach at most one), a
player's regret in an exact logit QRE is at most :math:`R(\lambda) = \sum_{J \text{ of } i} (k_J -
1)/(e \lambda)` (in a strategic game :math:`(n_i - 1)/(e\lambda)`), and so is its conditional
regret at any information set. Regret thus falls like :math:`1/\lambda`; certificates use the
tolerance :math:`\max_i R(\lambda) + 10^{-9} \max(1, \max|u|)` at the smallest
:math:`\lambda` of a batch (:attr:`QREResult.regret_bound` gives :math:`\max_i R(\lambda)` per
point). Mixed equilibria are approached at a rate of order :math:`1/\lambda` in the
probabilities, strict ones exponentially fast.

Array convention
----------------
Object axes first, batch axes last, as in :mod:`model.tree`. Agent-form profiles map information
set names to arrays ``(n_actions, *batch)``; strategic-form profiles are tuples with one array
``(n_i, *batch)`` per player. Payoff arrays of a strategic game are a sequence, one per player,
each ``(n_1, ..., n_N, *batch)`` (a bimatrix game is ``(A, B)``). Along a traced path the path
axis plays the role of the batch: ``trace.path[J]`` is ``(n_actions, n_points)``. All returned
arrays are float64.

References
----------
.. [1] McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form
   games. *Games and Economic Behavior* 10: 6-38 (the logit QRE; Theorem 2: its limits are Nash
   equilibria; the unique selection by the principal branch in generic games).
.. [2] McKelvey, R. D. and Palfrey, T. R. (1998). Quantal response equilibria for extensive form
   games. *Experimental Economics* 1: 9-41 (the logit agent QRE and its selection of a
   sequential equilibrium).
.. [3] Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic quantal response
   equilibrium correspondence. *Games and Economic Behavior* 51: 243-263.
.. [4] Turocy, T. L. (2010). Computing sequential equilibria using agent quantal response
   equilibria. *Economic Theory* 42(1): 255-269 (limits of agent QRE are sequential equilibria;
   path following in log-probabilities).
.. [5] Allgower, E. L. and Georg, K. (1990). *Numerical Continuation Methods: An Introduction*.
   Springer (predictor-corrector path following, ch. 2 and 6).

Examples
--------
Matching pennies: the QRE is uniform for every precision.

>>> import numpy as np
>>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
>>> res = qre_solve((A, -A), 5.0)
>>> [p.round(6).tolist() for p in res.profile], bool(res.converged)
([[0.5, 0.5], [0.5, 0.5]], True)

Selten's entry game: along the principal branch the incumbent's fighting dies out, and the end of
the trace is close to the subgame-perfect equilibrium (in, accommodate).

>>> from model.tree import Decision, Game, Terminal
>>> game = Game(("entrant", "incumbent"), Decision("entrant", "E", {
...     "out": Terminal((0.0, 2.0)),
...     "in": Decision("incumbent", "I", {"fight": Terminal((-1.0, -1.0)),
...                                      "accommodate": Terminal((1.0, 1.0))}),
... }))
>>> trace = qre_trace(game, max_lambda=100.0)
>>> bool(trace.converged), float(trace.lam[-1])
(True, 100.0)
>>> {k: v.round(4).tolist() for k, v in trace.profile.items()}
{'E': [0.0, 1.0], 'I': [0.0, 1.0]}
>>> trace.certificate.all_passed
True

Many parameter points at once (here a batch of precisions):

>>> res = qre_solve(game, np.array([0.0, 1.0, 10.0]))
>>> res.profile["I"][0].round(4).tolist(), res.converged.tolist()
([0.5, 0.1192, 0.0], [True, True, True])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse

from model.checks import (
    bimatrix_certificate,
    require_count,
    require_flag,
    require_tolerance,
    tree_certificate,
)
from model.solvers.normal_form import NormalForm, to_normal_form
from model.tree import Decision, Game, Terminal, point_index, to_batch
from model.types import Certificate

__all__ = ["FORMS", "QREResult", "QRETrace", "qre_residual", "qre_solve", "qre_trace"]

#: The two forms of the logit QRE.
FORMS = ("agent", "normal")

_CONTRACTION = 0.6  # largest accepted ratio of successive Newton corrections
_MAX_DIST = 0.1  # largest accepted Newton correction (log-probability and lam units)
_ETA = 1e-6  # corrections this small never count as failing to contract (round-off)
_MIN_COS = 0.9  # smallest accepted cosine between successive tangents (about 25 degrees)
_MIN_STEP = 1e-12  # a point whose step falls below this (relative) fails
_FLOOR = 1e-15  # precision floor of the residual: see _floor
_BUDGET = 30_000_000  # floats held at once by the batched solver (chunks of points)


# -- the compiled tree ---------------------------------------------------------------------------
class _Groups:
    """Sums and maxima over groups of consecutive rows (a sparse sum matrix, a padded table).

    ``group`` gives the group of every row and must be non-decreasing; numpy's ``reduceat`` does
    the same job but is an order of magnitude slower along a leading axis.
    """

    def __init__(self, group: np.ndarray, n_groups: int):
        group = np.asarray(group, dtype=np.int64)
        n = group.size
        assert np.all(np.diff(group) >= 0), "rows of a group must be consecutive"
        self.sum_matrix = scipy.sparse.csr_matrix(
            (np.ones(n), (group, np.arange(n))), shape=(n_groups, n)
        )
        counts = np.bincount(group, minlength=n_groups)
        first = np.concatenate([[0], np.cumsum(counts)[:-1]])
        width = int(counts.max()) if n else 0
        self.pad = np.minimum(first[:, None] + np.arange(width), (first + counts - 1)[:, None])

    def sum(self, x: np.ndarray) -> np.ndarray:
        """Group sums of ``x`` ``(n, *rest)``: ``(n_groups, *rest)``."""
        out = self.sum_matrix @ x.reshape(x.shape[0], -1)
        return np.asarray(out).reshape((self.sum_matrix.shape[0],) + x.shape[1:])

    def max(self, x: np.ndarray) -> np.ndarray:
        """Group maxima of ``x`` ``(n, *rest)``: ``(n_groups, *rest)``."""
        if self.pad.shape[1] == 0:
            return np.full(self.pad.shape[:1] + x.shape[1:], -np.inf)
        return np.max(x[self.pad], axis=1)


class _Agent:
    """Index tables of one tree shape for the logit equations and their exact Jacobian."""

    def __init__(self, game: Game):
        g = game
        self.game = g
        S, N, P = g.n_slots, len(g.nodes), g.n_players
        n_chance = g._chance.shape[0]
        self.S, self.N, self.P, self.n_chance = S, N, P, n_chance
        isets = list(g.infosets.values())
        self.n_isets = len(isets)
        self.iset_size = np.array([len(i.actions) for i in isets], dtype=np.int64)
        self.slot_iset = np.asarray(g._slot_infoset, dtype=np.int64)
        self.terminals = np.asarray(g.terminals)
        parent, edge_row, kind = g._parent, g._edge_row, g._kind
        node_slot = np.full(N, -1, dtype=np.int64)
        for k in range(1, N):
            if kind[parent[k]] == 2:
                node_slot[k] = edge_row[k] - n_chance
        self.node_slot = node_slot
        # passes down (reach) and up (values), level by level
        self.down = [(lv, parent[lv], edge_row[lv]) for lv in g._levels[1:]]
        self.up = []
        for lv in reversed(g._levels[1:]):
            par = parent[lv]
            parents, local = np.unique(par, return_inverse=True)
            self.up.append((lv, edge_row[lv], parents, _Groups(local, parents.size)))
        # decision nodes grouped by information set (beliefs)
        dnodes = [h for i in isets for h in i.nodes]
        self.dnodes = np.array(dnodes, dtype=np.int64)
        sizes = np.array([len(i.nodes) for i in isets], dtype=np.int64)
        self.dgroup = np.repeat(np.arange(len(isets)), sizes)
        self.by_node = _Groups(self.dgroup, len(isets))
        self.by_slot = _Groups(self.slot_iset, len(isets))
        dpos = {h: j for j, h in enumerate(dnodes)}
        owner = [g.player_index(i.player) for i in isets]
        # cells (slot r = (J, a), node h of J, child c = h a), slot-major
        cells = []
        for j, iset in enumerate(isets):
            for a in range(len(iset.actions)):
                for h in iset.nodes:
                    cells.append((iset.first_slot + a, dpos[h], g.nodes[h].children[a], owner[j]))
        cell = np.array(cells, dtype=np.int64).reshape(-1, 4)
        self.cell_slot, self.cell_dpos, self.cell_child, self.cell_owner = cell.T
        self.by_cell = _Groups(self.cell_slot, S)
        # ancestors (slots on the path) and subtree extents
        anc: list[frozenset[int]] = [frozenset()] * N
        for k in range(1, N):
            s = node_slot[k]
            anc[k] = anc[parent[k]] | {int(s)} if s >= 0 else anc[parent[k]]
        size = np.ones(N, dtype=np.int64)
        for k in range(N - 1, 0, -1):
            size[parent[k]] += size[k]
        # Jacobian entries: beliefs (e1) and values below the child (e2)
        e1_cell, e1_to, e2_cell, e2_node, e2_to = [], [], [], [], []
        relevant = []
        for iset in isets:
            sets = [anc[h] for h in iset.nodes]
            relevant.append(frozenset.union(*sets) - frozenset.intersection(*sets))
        for q, (r, dp, c, _) in enumerate(cells):
            j = self.slot_iset[r]
            h = dnodes[dp]
            for s in sorted(anc[h] & relevant[j]):
                e1_cell.append(q)
                e1_to.append(r * S + s)
            below = np.arange(c + 1, c + size[c])
            below = below[node_slot[below] >= 0]
            e2_cell.extend([q] * below.size)
            e2_node.extend(below.tolist())
            e2_to.extend((r * S + node_slot[below]).tolist())
        self.e1_cell = np.array(e1_cell, dtype=np.int64)
        self.e2_cell = np.array(e2_cell, dtype=np.int64)
        self.e2_node = np.array(e2_node, dtype=np.int64)
        self.e2_child = self.cell_child[self.e2_cell]
        self.e2_owner = self.cell_owner[self.e2_cell]
        to = np.array(e1_to + e2_to, dtype=np.int64)
        self.n_entries = to.size
        self.assemble = scipy.sparse.csr_matrix(
            (np.ones(to.size), (to, np.arange(to.size))), shape=(S * S, to.size)
        )
        # regret bound of an exact QRE: max over players of sum_J (k_J - 1) / e
        per_player = np.zeros(P)
        for j, iset in enumerate(isets):
            per_player[owner[j]] += len(iset.actions) - 1
        self.regret_constant = float(per_player.max() / math.e) if P else 0.0

    def floats_per_point(self) -> int:
        """Rough number of floats the solver holds per parameter point."""
        S = self.S
        return (
            6 * S * S
            + 3 * (S + 1) ** 2
            + self.n_isets * S
            + self.n_entries
            + 6 * self.N * self.P
            + 8 * len(self.cell_slot)
            + 16 * S
        )

    # -- data of a chunk of points --------------------------------------------------------------
    def data(self, payoffs: np.ndarray, chance: np.ndarray) -> dict[str, np.ndarray]:
        """Per-point constants: payoffs, chance, logs and zero-probability counts per node."""
        B = payoffs.shape[-1]
        pos = chance > 0.0
        logc = np.log(np.where(pos, chance, 1.0))
        zero_edge = np.concatenate([~pos, np.zeros((self.S, B), dtype=bool)]).astype(np.int64)
        zc = np.zeros((self.N, B), dtype=np.int64)
        for lv, par, er in self.down:
            zc[lv] = zc[par] + zero_edge[er]
        # beliefs go to the nodes of an information set behind the fewest zero-probability moves
        zd = zc[self.dnodes]
        fewest = zd == -self.by_node.max(-zd)[self.dgroup]
        scale = np.max(np.abs(payoffs), axis=(0, 1)) if payoffs.size else np.zeros(B)
        return {
            "pay": payoffs,
            "chance": chance,
            "logc": logc,
            "zc": zc,
            "fewest": fewest,
            "scale": scale,
        }

    # -- the equations ----------------------------------------------------------------------------
    def evaluate(
        self, z: np.ndarray, lam: np.ndarray, d: Mapping[str, np.ndarray], jac: bool
    ) -> dict[str, np.ndarray]:
        """Residual ``H`` (and ``Jz``, ``Jlam`` with ``jac``) at log-profile ``z`` ``(S, B)``."""
        S, B = self.S, z.shape[1]
        p = np.exp(z)
        edges = np.concatenate([d["chance"], p])
        logedges = np.concatenate([d["logc"], z])
        lr = np.zeros((self.N, B))
        for lv, par, er in self.down:
            lr[lv] = lr[par] + logedges[er]
        v = np.zeros((self.N, self.P, B))
        v[self.terminals] = d["pay"]
        for lv, er, parents, groups in self.up:
            v[parents] = groups.sum(edges[er][:, None, :] * v[lv])
        # beliefs: Bayes (limit Bayes behind zero-probability chance moves)
        ok = d["fewest"]
        lrd = np.where(ok, lr[self.dnodes], -np.inf)
        top = self.by_node.max(lrd)[self.dgroup]
        w = np.exp(np.where(ok, lrd - top, -np.inf))
        mu = w / self.by_node.sum(w)[self.dgroup]
        cm = mu[self.cell_dpos]
        cv = v[self.cell_child, self.cell_owner]
        U = self.by_cell.sum(cm * cv)
        x = lam * U
        xmax = self.by_slot.max(x)[self.slot_iset]
        ex = np.exp(x - xmax)
        Z = self.by_slot.sum(ex)[self.slot_iset]
        H = z - (x - xmax - np.log(Z))
        out = {"H": H, "U": U}
        if not jac:
            return out
        sigma = ex / Z
        same = d["zc"][self.e2_node] == d["zc"][self.e2_child]
        gap = np.where(same, lr[self.e2_node] - lr[self.e2_child], -np.inf)
        vals = np.concatenate(
            [
                cm[self.e1_cell] * (cv[self.e1_cell] - U[self.cell_slot[self.e1_cell]]),
                cm[self.e2_cell] * np.exp(gap) * v[self.e2_node, self.e2_owner],
            ]
        )
        G = np.asarray(self.assemble @ vals).reshape(S, S, B)
        sG = self.by_slot.sum(sigma[:, None, :] * G)[self.slot_iset]
        Jz = np.eye(S)[:, :, None] - lam * (G - sG)
        Ubar = self.by_slot.sum(sigma * U)[self.slot_iset]
        out["Jz"] = Jz
        out["Jlam"] = -(U - Ubar)
        return out

    def normalise(self, z: np.ndarray) -> np.ndarray:
        """Shift ``z`` per information set so that the probabilities sum to one."""
        top = self.by_slot.max(z)
        lse = top + np.log(self.by_slot.sum(np.exp(z - top[self.slot_iset])))
        return z - lse[self.slot_iset]

    def uniform(self, B: int) -> np.ndarray:
        """Log-probabilities of uniform play, ``(S, B)``."""
        return np.repeat(-np.log(self.iset_size[self.slot_iset].astype(float))[:, None], B, 1)

    # -- continuation -----------------------------------------------------------------------------
    def follow(
        self,
        d: Mapping[str, np.ndarray],
        target: np.ndarray,
        *,
        tolerance: float,
        step_tolerance: float,
        initial_step: float,
        max_step: float,
        max_accel: float,
        max_steps: int,
        max_corrector: int,
        record: bool = False,
    ) -> dict[str, Any]:
        """Follow the principal branch of every point from lam = 0 to its ``target``.

        Arc-length predictor-corrector, vectorised over the points ``(B,)``; see the module
        docstring. Returns the log-profiles, lam reached, residual, status and counts; with
        ``record`` (one point) also the accepted path.
        """
        S, B = self.S, target.size
        if S == 0:
            zero = np.zeros(B, dtype=np.int64)
            empty: dict[str, Any] = {"z": np.zeros((0, B)), "lam": target.copy()}
            empty.update(residual=np.zeros(B), converged=np.ones(B, bool))
            empty.update(steps=zero, rejected=zero, newton=zero)
            if record:
                empty.update(path_lam=np.array([0.0]), path_z=np.zeros((0, 1)), turns=0)
            return empty
        z = self.uniform(B)
        lam = np.zeros(B)
        e = self.evaluate(z, lam, d, jac=True)
        tan = _tangent(e["Jz"], e["Jlam"], _unit(S + 1, B))
        h = np.full(B, initial_step)
        done = target <= 0.0
        fail = np.zeros(B, dtype=bool)
        steps = np.zeros(B, dtype=np.int64)
        rejected = np.zeros(B, dtype=np.int64)
        newton = np.zeros(B, dtype=np.int64)
        path_lam, path_z, turns = [0.0], [z[:, 0].copy()] if record else [], 0
        for _ in range(max_steps):
            act = np.flatnonzero(~done & ~fail)
            if act.size == 0:
                break
            da = {k: v[..., act] for k, v in d.items()}
            la, ta, ha, tg = lam[act], tan[:, act], h[act], target[act]
            t_lam = ta[-1]
            # a step that would pass the target is shortened to end on it
            final = (t_lam > 0.0) & (la + ha * t_lam >= tg)
            h_eff = np.where(final, (tg - la) / np.where(final, t_lam, 1.0), ha)
            y = np.concatenate([z[:, act], la[None]]) + h_eff * ta
            y[-1] = np.where(final, tg, y[-1])
            row = np.where(final, _unit(S + 1, act.size), ta)
            tol = np.where(final, tolerance, step_tolerance) + _floor(y[:-1], y[-1], da["scale"])
            res = self._correct(y, row, da, tol, max_corrector)
            ok = res["ok"]
            newton[act] += res["iterations"]
            # the new tangent, and the angle check, where a continuing step converged
            new_tan = ta.copy()
            cont = np.flatnonzero(ok & ~final)
            if cont.size:
                t_new = _tangent(res["Jz"][:, :, cont], res["Jlam"][:, cont], ta[:, cont])
                new_tan[:, cont] = t_new
                ok[cont] = np.einsum("i...,i...->...", t_new, ta[:, cont]) >= _MIN_COS
            acc, rej = act[ok], act[~ok]
            z[:, acc] = res["y"][:-1, ok]
            lam[acc] = res["y"][-1, ok]
            if record and acc.size:
                if np.sign(new_tan[-1, ok][0]) != np.sign(tan[-1, acc][0]) and not final[ok][0]:
                    turns += 1
                path_lam.append(float(lam[acc][0]))
                path_z.append(z[:, acc[0]].copy())
            tan[:, acc] = new_tan[:, ok]
            done[acc[final[ok]]] = True
            steps[acc] += 1
            # steplength adaptation (Allgower and Georg 1990, ch. 6)
            decel = np.clip(res["strain"][ok] * max_accel, 1.0 / max_accel, max_accel)
            h[acc] = np.minimum(np.abs(ha[ok]) / decel, max_step)
            rejected[rej] += 1
            h[rej] = 0.5 * np.abs(h_eff[~ok])
            fail[rej[h[rej] < _MIN_STEP * (1.0 + lam[rej])]] = True
        # final residual at the points reached
        H = self.evaluate(z, lam, d, jac=False)["H"] if S else np.zeros((0, B))
        residual = np.max(np.abs(H), axis=0) if S else np.zeros(B)
        converged = done & (residual <= tolerance + _floor(z, lam, d["scale"]))
        out: dict[str, Any] = {
            "z": z,
            "lam": lam,
            "residual": residual,
            "converged": converged,
            "steps": steps,
            "rejected": rejected,
            "newton": newton,
        }
        if record:
            out["path_lam"] = np.array(path_lam)
            out["path_z"] = np.array(path_z).T.reshape(S, -1)
            out["turns"] = turns
        return out

    def _correct(
        self,
        y: np.ndarray,
        row: np.ndarray,
        d: Mapping[str, np.ndarray],
        tol: np.ndarray,
        max_corrector: int,
    ) -> dict[str, Any]:
        """Newton on ``H(y) = 0, row . (y - y0) = 0`` from every column ``y0`` of ``y``.

        ``y`` is ``(S + 1, n)`` (the last row is lam). A column is rejected when a correction
        exceeds ``_MAX_DIST``, two successive corrections contract by less than
        ``_CONTRACTION``, or it has not converged after ``max_corrector`` corrections. Returns,
        per column, the point, the Jacobian there, and the largest ``sqrt(distance /
        _MAX_DIST)`` and ``sqrt(contraction / _CONTRACTION)`` seen (``strain``), which set the
        next step.
        """
        S, n = self.S, y.shape[1]
        y = y.copy()
        y[:-1] = self.normalise(y[:-1])
        ok = np.zeros(n, dtype=bool)
        live = np.ones(n, dtype=bool)
        iterations = np.zeros(n, dtype=np.int64)
        prev = np.zeros(n)
        strain = np.zeros(n)
        Jz = np.zeros((S, S, n))
        Jlam = np.zeros((S, n))
        for it in range(max_corrector + 1):
            idx = np.flatnonzero(live)
            if idx.size == 0:
                break
            di = {k: v[..., idx] for k, v in d.items()}
            e = self.evaluate(y[:-1, idx], y[-1, idx], di, jac=True)
            conv = np.max(np.abs(e["H"]), axis=0) <= tol[idx]
            good = idx[conv]
            ok[good] = True
            live[good] = False
            Jz[:, :, good] = e["Jz"][:, :, conv]
            Jlam[:, good] = e["Jlam"][:, conv]
            rest = ~conv
            if it == max_corrector or not rest.any():
                live[idx[rest]] = False
                break
            ri = idx[rest]
            M = _augmented(e["Jz"][:, :, rest], e["Jlam"][:, rest], row[:, ri])
            rhs = np.zeros((ri.size, S + 1))
            rhs[:, :S] = -e["H"][:, rest].T
            step = _solve(M, rhs).T
            size = np.sqrt(np.sum(step * step, axis=0))
            contr = np.where(it > 0, size / (prev[ri] + _ETA), 0.0)
            strain[ri] = np.maximum(
                strain[ri],
                np.maximum(np.sqrt(size / _MAX_DIST), np.sqrt(contr / _CONTRACTION)),
            )
            bad = ~np.isfinite(size) | (size > _MAX_DIST) | (contr > _CONTRACTION)
            live[ri[bad]] = False
            moving = ri[~bad]
            new = y[:, moving] + step[:, ~bad]
            new[:-1] = self.normalise(new[:-1])
            y[:, moving] = new
            prev[moving] = size[~bad]
            iterations[moving] += 1
        return {
            "ok": ok,
            "y": y,
            "Jz": Jz,
            "Jlam": Jlam,
            "iterations": iterations,
            "strain": strain,
        }


def _floor(z: np.ndarray, lam: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Round-off floor of the residual: ``1e-15 (1 + lam max|u|) (1 + max|z|)`` per point.

    ``lam * u`` carries round-off of order ``eps lam max|u|``, and beliefs that compare nodes
    reached with log-probabilities of order ``-max|z|`` inherit an error ``eps max|z|`` in the
    difference, which ``lam`` amplifies again.
    """
    top = np.max(np.abs(z), axis=0) if z.shape[0] else 0.0
    return _FLOOR * (1.0 + np.abs(lam) * scale) * (1.0 + top)


def _unit(m: int, n: int) -> np.ndarray:
    """The direction of lam, ``(m, n)``."""
    out = np.zeros((m, n))
    out[-1] = 1.0
    return out


def _solve(M: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    """Solve ``M x = rhs`` for a stack of systems; singular ones give NaN (and are rejected)."""
    try:
        return np.linalg.solve(M, rhs[..., None])[..., 0]
    except np.linalg.LinAlgError:
        out = np.full(rhs.shape, np.nan)
        cond = np.linalg.cond(M)
        fine = np.isfinite(cond) & (cond < 1e14)
        if np.any(fine):
            out[fine] = np.linalg.solve(M[fine], rhs[fine][..., None])[..., 0]
        return out


def _augmented(Jz: np.ndarray, Jlam: np.ndarray, row: np.ndarray) -> np.ndarray:
    """Stack ``[Jz Jlam; row^T]`` per point: ``(n, S + 1, S + 1)`` from ``(S, S, n)``."""
    S, n = Jlam.shape
    M = np.empty((n, S + 1, S + 1))
    M[:, :S, :S] = np.moveaxis(Jz, -1, 0)
    M[:, :S, S] = Jlam.T
    M[:, S, :] = row.T
    return M


def _tangent(Jz: np.ndarray, Jlam: np.ndarray, previous: np.ndarray) -> np.ndarray:
    """Unit tangent of the solution curve, ``(S + 1, n)``, oriented along ``previous``.

    Solves ``[Jz Jlam; previous^T] t = [0; 1]`` and normalises: ``t`` spans the kernel of
    ``[Jz Jlam]`` and ``previous . t > 0``. Where the system is singular, ``previous`` is kept.
    """
    S, n = Jlam.shape
    rhs = np.zeros((n, S + 1))
    rhs[:, S] = 1.0
    t = _solve(_augmented(Jz, Jlam, previous), rhs).T
    with np.errstate(invalid="ignore", divide="ignore"):
        t = t / np.sqrt(np.sum(t * t, axis=0))
    return np.where(np.all(np.isfinite(t), axis=0), t, previous)


# -- inputs --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Problem:
    """A game prepared for the solver: the tree to solve and how to report the profile."""

    form: str
    tree: Game
    game: Game | None
    normal_form: NormalForm | None
    payoffs: tuple[np.ndarray, ...] | None


def _strategic_tree(payoffs: Sequence[np.ndarray], players: Sequence[str]) -> Game:
    """Write a strategic game as a tree in which no player sees another's move."""
    n = len(payoffs)
    shape = payoffs[0].shape[:n]

    def node(k: int, prefix: tuple[int, ...]) -> Any:
        if k == n:
            return Terminal(tuple(u[prefix] for u in payoffs))
        moves = {str(j): node(k + 1, prefix + (j,)) for j in range(shape[k])}
        return Decision(players[k], players[k], moves)

    return Game(tuple(players), node(0, ()), title="strategic game")


def _payoff_arrays(game: Any) -> tuple[np.ndarray, ...]:
    if isinstance(game, str | bytes) or not isinstance(game, Sequence | np.ndarray):
        raise TypeError(
            "game must be a model.tree.Game, a NormalForm or a sequence of payoff arrays (one per "
            f"player, each (n_1, ..., n_N, *batch)); got {type(game).__name__}"
        )
    n = len(game)
    if n < 1:
        raise ValueError("game: the sequence of payoff arrays is empty; it needs one per player")
    try:
        arrays = tuple(np.asarray(u, dtype=np.float64) for u in game)
    except (TypeError, ValueError) as err:
        raise ValueError(f"game: payoff arrays must be numeric ({err})") from None
    shapes = {u.shape for u in arrays}
    if len(shapes) != 1:
        raise ValueError(f"game: the {n} payoff arrays must share one shape; got {sorted(shapes)}")
    shape = arrays[0].shape
    if len(shape) < n or min(shape[:n], default=1) < 1:
        raise ValueError(
            f"game: payoff arrays of shape {shape} do not fit {n} players: each must be "
            "(n_1, ..., n_N, *batch) with every n_i >= 1"
        )
    if not all(np.all(np.isfinite(u)) for u in arrays):
        raise ValueError("game: payoff arrays must be finite")
    return arrays


def _problem(game: Any, form: Any, max_strategies: int) -> _Problem:
    if not (isinstance(form, str) and form in FORMS):
        raise ValueError(f"form = {form!r} is not one of {FORMS}")
    if isinstance(game, Game):
        if form == "agent":
            return _Problem("agent", game, game, None, None)
        nf = to_normal_form(game, max_strategies=max_strategies)
        pair = (np.asarray(nf.A), np.asarray(nf.B))
        return _Problem("normal", _strategic_tree(pair, nf.players), game, nf, pair)
    if isinstance(game, NormalForm):
        pair = (np.asarray(game.A), np.asarray(game.B))
        return _Problem("normal", _strategic_tree(pair, game.players), game.source, game, pair)
    pays = _payoff_arrays(game)
    players = tuple(f"player {k + 1}" for k in range(len(pays)))
    return _Problem("normal", _strategic_tree(pays, players), None, None, pays)


def _report(problem: _Problem, table: np.ndarray) -> Any:
    """The profile of a log/probability table ``(S, *batch)`` in the problem's own form."""
    prof = problem.tree.profile_from_table(table)
    if problem.form == "agent":
        return prof
    return tuple(prof[p] for p in problem.tree.players)


def _regret_bound(agent: _Agent, lam: np.ndarray) -> np.ndarray:
    """``max_i sum_J (k_J - 1) / (e lam)`` per point (``inf`` at ``lam = 0`` unless it is 0)."""
    lam = np.asarray(lam, dtype=np.float64)
    if agent.regret_constant == 0.0:
        return np.zeros(lam.shape)
    out = np.full(lam.shape, np.inf)
    with np.errstate(over="ignore"):  # a tiny lam gives an infinite bound
        np.divide(agent.regret_constant, lam, out=out, where=lam > 0.0)
    return out


def _certify(problem: _Problem, table: np.ndarray, lam: np.ndarray, agent: _Agent) -> Certificate:
    """Regret certificate of a profile table ``(S, *batch)`` at precisions ``lam``."""
    scale = float(np.max(np.abs(problem.tree.payoffs))) if problem.tree.payoffs.size else 0.0
    lowest = np.min(lam) if np.size(lam) else np.inf
    tol = float(_regret_bound(agent, lowest)) + 1e-9 * max(1.0, scale)
    if problem.form == "agent":
        cert = tree_certificate(problem.tree, problem.tree.profile_from_table(table), tolerance=tol)
    else:
        prof = _report(problem, table)
        if len(prof) == 2:
            A, B = problem.payoffs  # type: ignore[misc]
            cert = bimatrix_certificate(A, B, prof[0], prof[1], tolerance=tol)
        else:
            cert = tree_certificate(
                problem.tree, problem.tree.profile_from_table(table), tolerance=tol
            )
    checks = dict(cert.checks)
    checks["qre_tolerance"] = (
        "tolerance = max over players of sum over own information sets of (k_J - 1) / (e lam), at "
        "the smallest lam, plus 1e-9 * max(1, max|payoff|): the regret bound of an exact logit "
        "QRE, which falls like 1/lam"
    )
    return Certificate(
        max_regret=cert.max_regret, bayes_gap=cert.bayes_gap, tolerance=tol, checks=checks
    )


def _settings(
    tolerance: Any,
    step_tolerance: Any,
    initial_step: Any,
    max_step: Any,
    max_accel: Any,
    max_steps: Any,
    max_corrector: Any,
) -> dict[str, Any]:
    out = {
        "tolerance": require_tolerance("tolerance", tolerance),
        "step_tolerance": require_tolerance("step_tolerance", step_tolerance),
        "initial_step": require_tolerance("initial_step", initial_step),
        "max_step": require_tolerance("max_step", max_step),
        "max_accel": require_tolerance("max_accel", max_accel),
        "max_steps": require_count("max_steps", max_steps),
        "max_corrector": require_count("max_corrector", max_corrector),
    }
    for name in ("tolerance", "step_tolerance", "initial_step", "max_step"):
        if out[name] <= 0.0:
            raise ValueError(f"{name} = {out[name]!r} is out of range: it must be > 0")
    if out["max_accel"] <= 1.0:
        raise ValueError(f"max_accel = {out['max_accel']!r} is out of range: it must be > 1")
    if out["max_step"] < out["initial_step"]:
        raise ValueError(
            f"max_step = {out['max_step']!r} must be at least initial_step = "
            f"{out['initial_step']!r}"
        )
    return out


# -- results -------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class QREResult:
    """Logit QREs at given precisions, for one or many parameter points, and how they were found.

    Attributes
    ----------
    method : str
        ``"logit_qre.agent"`` or ``"logit_qre.normal"``.
    parameters : dict
        The settings (tolerances, step bounds, the batch ``chunk`` size).
    form : str
        ``"agent"`` or ``"normal"``.
    game : Game or None
        The tree that was given (None for payoff arrays).
    normal_form : NormalForm or None
        The normal form solved, when ``form="normal"`` was asked of a tree.
    lam : ndarray
        The precision of every point, ``(*batch)``.
    profile : dict or tuple
        Agent form: ``infoset -> (n_actions, *batch)``; normal form: one ``(n_i, *batch)`` array
        per player (over the rows of ``normal_form.strategies`` when a tree was given).
    log_profile : dict or tuple
        The same, as log-probabilities (accurate where probabilities underflow).
    residual : ndarray
        ``max |log sigma - log logit_response(sigma)|`` over all actions, ``(*batch)``: the
        largest relative error of any probability in the fixed point.
    lam_reached : ndarray
        The precision the continuation reached (``lam`` where it converged).
    converged : ndarray of bool
        Per point: the target was reached and ``residual <= tolerance`` plus a round-off floor
        ``1e-15 (1 + lam max|u|) (1 + max|log sigma|)`` (negligible unless ``lam`` is large).
    steps, rejected_steps, newton_iterations : ndarray of int
        Per point: accepted continuation steps, rejected steps and Newton iterations.
    regret_bound : ndarray
        Per point, the most regret an exact logit QRE at its ``lam`` can leave to any player:
        ``max_i sum_J (k_J - 1) / (e lam)`` (``inf`` at ``lam = 0``; module docstring).
    certificate : Certificate or None
        Regret of the profile as a Nash equilibrium (:func:`model.checks.tree_certificate` or
        :func:`model.checks.bimatrix_certificate`) with the tolerance of the module docstring,
        which uses the bound at the smallest ``lam`` of the batch (compare ``max_regret`` with
        ``regret_bound`` for a per-point check); None when ``certify=False``.
    """

    method: str
    parameters: dict[str, Any]
    form: str
    game: Game | None
    normal_form: NormalForm | None
    lam: np.ndarray
    profile: Any
    log_profile: Any
    residual: np.ndarray
    lam_reached: np.ndarray
    converged: np.ndarray
    steps: np.ndarray
    rejected_steps: np.ndarray
    newton_iterations: np.ndarray
    regret_bound: np.ndarray
    certificate: Certificate | None

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the parameter points."""
        return self.lam.shape

    @property
    def behaviour(self) -> dict[str, np.ndarray] | None:
        """The profile as behaviour of the tree (Kuhn), when a tree was given; else None."""
        if self.form == "agent":
            return self.profile
        if self.normal_form is None:
            return None
        return self.normal_form.behaviour_profile(*self.profile)


@dataclass(frozen=True, eq=False)
class QRETrace:
    """The principal branch of the logit QRE correspondence of one parameter point.

    Attributes
    ----------
    method : str
        ``"logit_qre_trace.agent"`` or ``"logit_qre_trace.normal"``.
    parameters : dict
        The settings, including ``max_lambda`` and ``point``.
    form : str
        ``"agent"`` or ``"normal"``.
    game : Game or None
        The tree that was given (at ``point``), None for payoff arrays.
    normal_form : NormalForm or None
        The normal form traced, when ``form="normal"`` was asked of a tree.
    lam : ndarray
        Precision at every accepted point of the path, ``(n_points,)``, from 0; it need not be
        monotone (the branch may bend back).
    path : dict or tuple
        Profiles along the path: ``infoset -> (n_actions, n_points)`` or one ``(n_i, n_points)``
        array per player.
    log_path : dict or tuple
        The same as log-probabilities.
    profile : dict or tuple
        The profile at the end of the path (at ``max_lambda`` when converged): the approximation
        of the limit equilibrium.
    residual : float
        Fixed-point residual of ``profile`` (see :class:`QREResult`).
    converged : bool
        Whether the path reached ``max_lambda`` with a residual within the tolerance.
    steps, rejected_steps, newton_iterations : int
        Accepted and rejected predictor-corrector steps, and Newton iterations.
    turning_points : int
        How often lam changed direction along the path (backward bends).
    certificate : Certificate
        Regret of ``profile`` as a Nash equilibrium, with tolerance :math:`\\max_i R(\\lambda) +
        10^{-9}\\max(1, \\max|u|)` at the final lam (module docstring): regret of a logit QRE
        falls like ``1 / lam``.
    """

    method: str
    parameters: dict[str, Any]
    form: str
    game: Game | None
    normal_form: NormalForm | None
    lam: np.ndarray
    path: Any
    log_path: Any
    profile: Any
    residual: float
    converged: bool
    steps: int
    rejected_steps: int
    newton_iterations: int
    turning_points: int
    certificate: Certificate

    @property
    def final_lambda(self) -> float:
        """The precision at the end of the path."""
        return float(self.lam[-1])

    @property
    def behaviour(self) -> dict[str, np.ndarray] | None:
        """The end profile as behaviour of the tree (Kuhn), when a tree was given; else None."""
        if self.form == "agent":
            return self.profile
        if self.normal_form is None:
            return None
        return self.normal_form.behaviour_profile(*self.profile)


# -- public functions ----------------------------------------------------------------------------
def qre_residual(game: Any, profile: Any, lam: Any, *, form: str = "agent") -> np.ndarray:
    """Measure how far a profile is from the logit QRE at precision ``lam``.

    Parameters
    ----------
    game : Game, NormalForm or sequence of payoff arrays
        As for :func:`qre_solve`.
    profile : mapping or sequence
        Agent form: ``infoset -> (n_actions, *batch)``; normal form: one ``(n_i, *batch)`` array
        per player. Probabilities must be positive.
    lam : float or array
        Precision(s), finite and ``>= 0``; broadcast with the batch.
    form : {"agent", "normal"}

    Returns
    -------
    ndarray
        ``max |log sigma - log logit_response(sigma)|`` over all actions, per point.
    """
    problem = _problem(game, form, 20_000)
    lam = _lambdas(lam)
    tree = problem.tree
    if problem.form == "normal":
        if isinstance(profile, Mapping) or len(profile) != tree.n_players:
            raise ValueError(
                f"profile must hold one mixed strategy per player ({tree.n_players} arrays)"
            )
        profile = dict(zip(tree.players, profile, strict=True))
    table = tree.behaviour_table(profile)
    if np.any(table <= 0.0):
        raise ValueError("profile: every probability must be positive for the logit equations")
    batch = np.broadcast_shapes(tree.batch_shape, table.shape[1:], lam.shape)
    agent = _Agent(tree)
    n = math.prod(batch)
    pay = to_batch(tree.payoffs, 2, batch).reshape(tree.payoffs.shape[:2] + (n,))
    chance = to_batch(tree._chance, 1, batch).reshape(tree._chance.shape[:1] + (n,))
    z = np.log(to_batch(table, 1, batch).reshape(agent.S, n))
    d = agent.data(pay, chance)
    H = agent.evaluate(z, np.broadcast_to(lam, batch).reshape(n), d, jac=False)["H"]
    return np.max(np.abs(H), axis=0).reshape(batch) if agent.S else np.zeros(batch)


def _lambdas(lam: Any) -> np.ndarray:
    if isinstance(lam, bool | np.bool_) or isinstance(lam, str | bytes):
        raise TypeError(f"lam = {lam!r} must be a number or an array of numbers >= 0")
    try:
        arr = np.asarray(lam, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"lam = {lam!r} must be a number or an array of numbers >= 0") from None
    if not np.all(np.isfinite(arr)) or np.any(arr < 0.0):
        bad = float(arr[~(np.isfinite(arr) & (arr >= 0.0))].reshape(-1)[0])
        raise ValueError(f"lam contains {bad!r}; every precision must be finite and >= 0")
    return arr


def qre_solve(
    game: Any,
    lam: Any,
    *,
    form: str = "agent",
    tolerance: float = 1e-10,
    step_tolerance: float = 1e-4,
    initial_step: float = 0.25,
    max_step: float = 1e4,
    max_accel: float = 1.5,
    max_steps: int = 2_000,
    max_corrector: int = 8,
    max_strategies: int = 20_000,
    certify: bool = True,
    chunk: int | None = None,
) -> QREResult:
    """Solve the logit QRE at precision(s) ``lam`` for every parameter point at once.

    Every point follows its principal branch from the uniform profile at ``lam = 0`` by
    arc-length continuation (module docstring) and stops at the first crossing of its target;
    all points are advanced together (no loop over points), in chunks of ``chunk`` points.

    Parameters
    ----------
    game : Game, NormalForm or sequence of payoff arrays
        A tree (any number of players; payoffs and chance probabilities may be batched), the
        normal form of a two-player tree, or one payoff array per player, each
        ``(n_1, ..., n_N, *batch)``.
    lam : float or array
        Precision(s), finite and ``>= 0``; broadcast with the game's batch shape.
    form : {"agent", "normal"}
        ``"agent"``: logit-AQRE of the tree; ``"normal"``: logit QRE of its normal form
        (:func:`model.solvers.normal_form.to_normal_form`; two players). For payoff arrays both
        mean the strategic-form QRE.
    tolerance : float
        Largest accepted residual (``max |log sigma - log response|``) at the target, > 0.
    step_tolerance : float
        Corrector tolerance at intermediate points of the path, > 0.
    initial_step, max_step : float
        First and largest arc-length step, > 0.
    max_accel : float
        Largest factor by which a step may grow (or shrink) after an accepted step, > 1.
    max_steps : int
        Bound on predictor-corrector attempts (accepted or rejected) per point; a point that
        has not reached its target by then is reported with ``converged=False``.
    max_corrector : int
        Bound on Newton iterations per attempt.
    max_strategies : int
        Passed to :func:`~model.solvers.normal_form.to_normal_form` with ``form="normal"``.
    certify : bool
        Compute the regret certificate (skip it for speed in estimation loops).
    chunk : int, optional
        Points solved at once; default from a memory budget of about 240 MB.

    Returns
    -------
    QREResult

    Raises
    ------
    TypeError
        If ``game`` is not a Game, a NormalForm or a sequence of arrays, or an argument has the
        wrong type.
    ValueError
        If ``form`` is unknown, ``lam`` is negative or not finite, payoff arrays do not fit, or
        a setting is out of range (the message names it and its valid range).
    """
    settings = _settings(
        tolerance, step_tolerance, initial_step, max_step, max_accel, max_steps, max_corrector
    )
    certify = require_flag("certify", certify)
    max_strategies = require_count("max_strategies", max_strategies)
    problem = _problem(game, form, max_strategies)
    lam = _lambdas(lam)
    tree = problem.tree
    batch = np.broadcast_shapes(tree.batch_shape, lam.shape)
    n = math.prod(batch)
    agent = _Agent(tree)
    if chunk is None:
        chunk = max(1, _BUDGET // agent.floats_per_point())
    chunk = require_count("chunk", chunk)
    pay = to_batch(tree.payoffs, 2, batch).reshape(tree.payoffs.shape[:2] + (n,))
    chance = to_batch(tree._chance, 1, batch).reshape(tree._chance.shape[:1] + (n,))
    target = np.broadcast_to(lam, batch).reshape(n)
    keys = ("z", "lam", "residual", "converged", "steps", "rejected", "newton")
    parts: dict[str, list[np.ndarray]] = {k: [] for k in keys}
    for lo in range(0, n, chunk):
        sl = slice(lo, min(n, lo + chunk))
        d = agent.data(np.ascontiguousarray(pay[..., sl]), np.ascontiguousarray(chance[..., sl]))
        out = agent.follow(
            d,
            target[sl],
            tolerance=settings["tolerance"],
            step_tolerance=settings["step_tolerance"],
            initial_step=settings["initial_step"],
            max_step=settings["max_step"],
            max_accel=settings["max_accel"],
            max_steps=settings["max_steps"],
            max_corrector=settings["max_corrector"],
        )
        for k in keys:
            parts[k].append(out[k])
    merged = {k: np.concatenate(v, axis=-1) for k, v in parts.items()}
    z = merged["z"].reshape((agent.S,) + batch)
    table = np.exp(z)
    certificate = _certify(problem, table, lam, agent) if certify else None
    return QREResult(
        method=f"logit_qre.{problem.form}",
        parameters={**settings, "max_strategies": max_strategies, "chunk": chunk},
        form=problem.form,
        game=problem.game,
        normal_form=problem.normal_form,
        lam=np.broadcast_to(lam, batch).astype(np.float64),
        profile=_report(problem, table),
        log_profile=_report(problem, z),
        residual=merged["residual"].reshape(batch),
        lam_reached=merged["lam"].reshape(batch),
        converged=merged["converged"].reshape(batch),
        steps=merged["steps"].reshape(batch),
        rejected_steps=merged["rejected"].reshape(batch),
        newton_iterations=merged["newton"].reshape(batch),
        regret_bound=_regret_bound(agent, np.broadcast_to(lam, batch)),
        certificate=certificate,
    )


def qre_trace(
    game: Any,
    *,
    form: str = "agent",
    max_lambda: float = 1e3,
    point: int | tuple[int, ...] | None = None,
    tolerance: float = 1e-10,
    step_tolerance: float = 1e-8,
    initial_step: float = 0.1,
    max_step: float = 1e4,
    max_accel: float = 1.2,
    max_steps: int = 5_000,
    max_corrector: int = 8,
    max_strategies: int = 20_000,
) -> QRETrace:
    r"""Trace the principal branch of the logit QRE correspondence from lam = 0 to ``max_lambda``.

    Parameters
    ----------
    game : Game, NormalForm or sequence of payoff arrays
        As for :func:`qre_solve`.
    form : {"agent", "normal"}
        As for :func:`qre_solve`.
    max_lambda : float
        Where the path ends, > 0. A logit QRE's regret is at most :math:`\max_i \sum_{J \text{
        of } i} (k_J - 1) / (e \lambda)` (module docstring): it falls like ``1 / lam``.
    point : int or tuple of int, optional
        The parameter point to trace when the payoffs are batched (see
        :func:`model.tree.point_index`); must be None otherwise.
    tolerance, step_tolerance, initial_step, max_step, max_accel, max_corrector, max_strategies
        As for :func:`qre_solve` (the defaults take smaller steps and keep the intermediate
        points of the path accurate).
    max_steps : int
        Bound on predictor-corrector attempts (accepted or rejected); when it is reached the
        trace ends where it got to, with ``converged=False``.

    Returns
    -------
    QRETrace

    Raises
    ------
    TypeError, ValueError
        As for :func:`qre_solve`; also if ``point`` is missing for batched payoffs or given for
        unbatched ones.
    """
    settings = _settings(
        tolerance, step_tolerance, initial_step, max_step, max_accel, max_steps, max_corrector
    )
    max_lambda = require_tolerance("max_lambda", max_lambda)
    if max_lambda <= 0.0:
        raise ValueError(f"max_lambda = {max_lambda!r} is out of range: it must be > 0")
    max_strategies = require_count("max_strategies", max_strategies)
    problem = _problem(game, form, max_strategies)
    problem = _at_point(problem, point)
    tree = problem.tree
    agent = _Agent(tree)
    pay = tree.payoffs.reshape(tree.payoffs.shape[:2] + (1,))
    chance = tree._chance.reshape(tree._chance.shape[:1] + (1,))
    out = agent.follow(
        agent.data(pay, chance),
        np.array([max_lambda]),
        tolerance=settings["tolerance"],
        step_tolerance=settings["step_tolerance"],
        initial_step=settings["initial_step"],
        max_step=settings["max_step"],
        max_accel=settings["max_accel"],
        max_steps=settings["max_steps"],
        max_corrector=settings["max_corrector"],
        record=True,
    )
    log_path = out["path_z"]
    z = out["z"][:, 0]
    final_lam = float(out["lam"][0])
    table = np.exp(z)
    return QRETrace(
        method=f"logit_qre_trace.{problem.form}",
        parameters={
            **settings,
            "max_lambda": max_lambda,
            "point": point,
            "max_strategies": max_strategies,
        },
        form=problem.form,
        game=problem.game,
        normal_form=problem.normal_form,
        lam=out["path_lam"],
        path=_report(problem, np.exp(log_path)),
        log_path=_report(problem, log_path),
        profile=_report(problem, table),
        residual=float(out["residual"][0]),
        converged=bool(out["converged"][0]),
        steps=int(out["steps"][0]),
        rejected_steps=int(out["rejected"][0]),
        newton_iterations=int(out["newton"][0]),
        turning_points=int(out["turns"]),
        certificate=_certify(problem, table, np.array(final_lam), agent),
    )


def _at_point(problem: _Problem, point: Any) -> _Problem:
    """Restrict a problem to one parameter point (checked like ``nashpy_solve``'s ``point``)."""
    batch = problem.tree.batch_shape
    if not batch:
        if point is None or (isinstance(point, tuple) and not point):
            return problem
        raise ValueError(f"point = {point!r} was given, but the payoffs are not batched: pass None")
    if point is None:
        raise ValueError(
            f"the payoffs have batch shape {batch}: pass point=index to choose the parameter "
            "point to trace"
        )
    index = point_index(batch, point)
    pays = None
    at: tuple[Any, ...] = (Ellipsis, *index)
    if problem.payoffs is not None:
        pays = tuple(
            np.asarray(to_batch(u, len(problem.payoffs), batch)[at]) for u in problem.payoffs
        )
    nf = problem.normal_form
    if nf is not None:
        nf = NormalForm(
            A=pays[0],  # type: ignore[index]
            B=pays[1],  # type: ignore[index]
            strategies=nf.strategies,
            infosets=nf.infosets,
            game=nf.game.point(index),
            source=nf.source.point(index),
            surviving=nf.surviving,
            parameters=dict(nf.parameters),
        )
    return _Problem(
        problem.form,
        problem.tree.point(index),
        problem.game.point(index) if problem.game is not None else None,
        nf,
        pays,
    )
