r"""Perfect Bayesian equilibria of finite signalling and screening games, batched.

Signalling games
----------------
Nature draws the sender's type :math:`t \in \Theta = \{0, \dots, T-1\}` with prior
:math:`\pi_t > 0`. The sender, knowing :math:`t`, sends a message :math:`m \in M`; the receiver
sees :math:`m` but not :math:`t` and responds with :math:`r \in R_m`; whatever follows is of
perfect information and is solved by backward induction (see *Trees* below), so each triple has
payoffs :math:`u_S(t, m, r)` and :math:`u_R(t, m, r)`. A message that ends the game (or leads to
a perfect-information continuation without a receiver information set) has one dummy response.

An assessment -- sender behaviour :math:`q_t \in \Delta(M)`, receiver behaviour
:math:`\sigma_m \in \Delta(R_m)`, beliefs :math:`\mu_m \in \Delta(\Theta)` -- is a perfect
Bayesian equilibrium (Fudenberg and Tirole 1991, sec. 8.2, for signalling games) iff

1. every message a type sends maximises :math:`V_t(m) = \sum_r \sigma_m(r)\, u_S(t, m, r)`;
2. :math:`\sigma_m` is supported on :math:`B(\mu_m) = \arg\max_r \sum_t \mu_m(t) u_R(t, m, r)`;
3. :math:`\mu_m(t) = \pi_t q_t(m) / \sum_s \pi_s q_s(m)` where the denominator is positive.

Off-path beliefs
----------------
At a message :math:`m` no type sends, any belief is allowed. With :math:`U^*_t` the types'
equilibrium payoffs, the *supporting region* is the set of beliefs :math:`\mu` for which some
:math:`\sigma \in \Delta(B(\mu))` deters every type, :math:`\sum_r \sigma(r) u_S(t, m, r) \le
U^*_t`. For a set of responses :math:`S` let :math:`P_S = \{\mu \in \Delta(\Theta) : S \subseteq
B(\mu)\}`, a polytope (:math:`S` tied, every other response no better). The region is exactly the
union of :math:`P_S` over the *supporting faces*: the :math:`S` with :math:`P_S \neq \emptyset`
and a deterring :math:`\sigma \in \Delta(S)` (if :math:`\sigma \in \Delta(B(\mu))` deters, then
:math:`S = B(\mu)` supports; conversely :math:`S \subseteq B(\mu)` for :math:`\mu \in P_S`).
:class:`OffPathRegion` stores, per face and parameter point, whether it supports, a belief in
:math:`P_S` and a deterring response; with two types also :math:`P_S` as an interval of
:math:`\mu(\text{type } 0)`. The equilibrium's profile uses the first supporting face (pure
responses first) and the centre of its vertices as the representative belief.

Pure-strategy equilibria
------------------------
Every sender pure strategy :math:`s: \Theta \to M` is tried. At each message it uses, Bayes'
rule gives the posterior; every pure best response is tried there; a candidate survives where
no type gains by switching to another used message and every unused message is deterred (its
supporting region is non-empty; a message that ends the game is deterred iff its payoff is no
better). All parameter points are handled at once: a candidate carries a mask over the batch.
Labels: *pooling* (one message used), *separating* (types send distinct messages), *partially
pooling* (neither).

Semi-separating equilibria
--------------------------
Supports are enumerated: a message support :math:`A_t` per type (some type mixing) and a response
support :math:`B_m` at every used message, with :math:`\sum_t (|A_t| - 1) = \sum_m (|B_m| - 1)`
so that the two systems below are square. The receiver's indifference over :math:`B_m` is linear
in the weights :math:`\pi_t q_t(m)`; with :math:`\sum_m q_t(m) = 1` it fixes :math:`q`. The
types' indifference over :math:`A_t` is linear in :math:`\sigma`; with
:math:`\sum_r \sigma_m(r) = 1` it fixes :math:`\sigma`. Both are solved at every point at once
(batched; Cramer's rule up to 3x3); solutions must be positive on their supports, optimal for
both players, and deter unused messages as above. Equilibria whose systems are not square are
not enumerated: they exist only in non-generic games (e.g. a receiver mixing at a message that
pure senders make it indifferent at), where they come in continua. Label: *semi-separating*.

The receiver's supports are chosen first (per message: unused, or a set of responses), then the
types' supports that fit them; a support is skipped without solving when it cannot succeed at
any point:

* type :math:`t`'s payoff from :math:`m` lies between the least and the most it gets from
  :math:`B_m` (strictly inside where the receiver mixes), and these ranges must meet over
  :math:`A_t`;
* the system is singular whatever the payoffs: type :math:`t`'s :math:`|A_t| - 1` equations and
  the normalisations at its messages involve only :math:`\sum_{m \in A_t} |B_m|` unknowns, so
  :math:`|A_t| - 1 \le \sum_{m \in A_t} (|B_m| - 1)`; the receiver's :math:`|B_m| - 1`
  equations at :math:`m` and the normalisations of the types sending only :math:`m` involve only
  the weights of :math:`m`'s senders, so :math:`|B_m| - 1` of them must mix;
* no belief on the types sending :math:`m` makes all of :math:`B_m` best replies
  (:math:`P_{B_m} \cap \Delta(\{t : m \in A_t\}) = \emptyset`).

The last two only get easier as types are added, so partial assignments are pruned too.

Refinements
-----------
Both are tests at every unused message :math:`m` that leads to a receiver information set. Let
:math:`BR(\Theta', m)` be the pure responses that are best replies to some belief on
:math:`\Theta' \subseteq \Theta` and :math:`MBR(\Theta, m) = \bigcup_\mu \Delta(B(\mu))` the mixed
ones.

* **Intuitive Criterion** (Cho and Kreps 1987): :math:`J(m) = \{t : U^*_t >
  \max_{r \in BR(\Theta, m)} u_S(t, m, r)\}` are the types for which :math:`m` is
  equilibrium-dominated. The equilibrium fails at :math:`m` if some type :math:`t'` has
  :math:`\min_{r \in BR(\Theta \setminus J(m), m)} u_S(t', m, r) > U^*_{t'}`. If
  :math:`J(m) = \Theta` there is no test. ``intuitive_eliminated`` records :math:`J(m)`.
* **D1** (Cho and Kreps 1987, sec. V; Banks and Sobel 1987): with :math:`D_t(m)` and
  :math:`D^0_t(m)` the responses in :math:`MBR(\Theta, m)` that give type :math:`t` more than,
  and exactly, :math:`U^*_t`, type :math:`t` is eliminated at :math:`m` if
  :math:`D_t(m) \cup D^0_t(m) \subseteq D_{t'}(m)` for some other type :math:`t'` (one round,
  beliefs on all types; if every type would go, none does). The equilibrium passes if its
  supporting region meets :math:`\Delta(\Theta \setminus E(m))`, :math:`E(m)` the eliminated
  types, at every unused message. As :math:`MBR` is the union of the faces
  :math:`\Delta(S)`, :math:`P_S \neq \emptyset`, containment fails iff some face holds a
  :math:`\sigma` with :math:`u_S(t, m, \sigma) \ge U^*_t` and :math:`u_S(t', m, \sigma) \le
  U^*_{t'}`: one linear feasibility problem per face.

Feasibility problems
--------------------
Every test above asks whether :math:`\{x \in \Delta_n : G_E x = h_E,\ G_I x \le h_I\}` is
non-empty (beliefs over types or responses over a face). A non-empty polytope has a vertex, the
unique solution of :math:`n` linearly independent active constraints, one of which can be
:math:`\sum x = 1` (Bertsimas and Tsitsiklis 1997, Thm. 2.3): so all vertices come from choosing
a support :math:`Z` and :math:`|Z| - 1` rows of :math:`G` held tight. These small systems are
solved for all points at once; the centre of the feasible vertices is the witness. When a
problem has more than ``MAX_VERTEX_SYSTEMS`` such systems it is solved instead by
``scipy.optimize.linprog`` (HiGHS) point by point: this, and nothing else, loops over parameter
points. Payoff comparisons use ``tolerance`` times the payoff scale ``max(1, max |u|)``.

Batching
--------
Payoffs and the prior may vary over parameter points (one tree shape). The enumeration loops
over sender strategies and supports, never over points: each candidate carries a mask of the
points where it is an equilibrium, and a candidate is dropped only if it fails everywhere.
Regions, refinements and certificates are then computed for all candidates at once, the
(candidate, point) pairs where a candidate is an equilibrium forming one long batch (in chunks
of bounded size); the assessments of a chunk go through
:func:`model.checks.assessment_certificate` together, on the tree taken at the chunk's points.
Every point is computed on its own, so a feasibility problem or linear system is solved only at
the points whose answer matters (and a result never depends on the other points of a batch).
Only the HiGHS fallback above works point by point.

Screening games
---------------
If the uninformed player moves first -- a chance node over types whose children all lie in one
information set of the uninformed player, or the uninformed player's move followed by a chance
node over types after each action -- and everything after its move is of perfect information
(the informed types respond at single-node information sets), the game is solved without
off-path beliefs: backward induction gives each type's response to each offer, and every offer
that maximises the uninformed player's expected payoff under the prior is an equilibrium (all
pure offers are tried; ties among offers and in the continuation are recorded). Labels follow the
informed types' first responses to the offer.

Trees
-----
:func:`signalling_structure` recognises a signalling tree: the root is a chance node over types;
each child is a single-node information set of one sender with the same message labels; after a
message either all types' nodes form one information set of the receiver (its nodes are the
types' nodes, in any order; one information set per message) or every information set below is a
single node; below the receiver's move every information set is a single node. Continuations are
solved by backward induction at every point at once; a mover within ``tolerance`` of its best
takes the first best action and the tie is recorded in ``ties``. Every type needs a positive
prior at every point. Anything else raises ``ValueError`` naming the node or information set.

Array convention
----------------
As in :mod:`model.tree`, object axes first and batch axes last: ``prior`` ``(T, *batch)``,
``u_sender`` and ``u_receiver`` ``(T, M, R, *batch)`` with ``R`` the largest number of responses
(``response_mask`` ``(M, R)`` marks the real ones), ``sender_strategy`` ``(T, M, *batch)``,
``receiver_strategy`` ``(M, R, *batch)``, beliefs over an information set's nodes in
``game.infosets[name].nodes`` order. Every equilibrium carries ``exists`` ``(*batch)``: where it
is an equilibrium; its other entries are meaningful only there.

References
----------
.. [1] Cho, I.-K. and Kreps, D. M. (1987). Signaling games and stable equilibria. *Quarterly
   Journal of Economics* 102(2): 179-221 (beer-quiche, the Intuitive Criterion; D1 in sec. V).
.. [2] Banks, J. S. and Sobel, J. (1987). Equilibrium selection in signaling games.
   *Econometrica* 55(3): 647-661.
.. [3] Fudenberg, D. and Tirole, J. (1991). *Game Theory*. MIT Press, sec. 8.2 and 11.2.
.. [4] Bertsimas, D. and Tsitsiklis, J. N. (1997). *Introduction to Linear Optimization*. Athena
   Scientific, Thm. 2.3 (vertices are basic feasible solutions).
.. [5] Huangfu, Q. and Hall, J. A. J. (2018). Parallelizing the dual revised simplex method.
   *Mathematical Programming Computation* 10: 119-142 (HiGHS).

Examples
--------
Beer-quiche (Cho and Kreps 1987): both pooling outcomes are equilibria; pooling on quiche needs
the receiver to think a beer drinker weak and fails the Intuitive Criterion.

>>> from model.catalog import beer_quiche
>>> res = pbe_solve(beer_quiche(0.9))
>>> [(e.label, e.messages(), bool(e.intuitive), bool(e.d1)) for e in res.equilibria]
[('pooling', {'strong': 'beer', 'weak': 'beer'}, True, True),
 ('pooling', {'strong': 'quiche', 'weak': 'quiche'}, False, False)]
>>> res.equilibria[0].off_path["quiche"].intervals_at()  # mu(strong | quiche)
[(0.0, 0.5)]
>>> res.equilibria[1].intuitive_types()
{'beer': ('weak',)}
>>> res.certificate.all_passed
True
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations, product
from typing import Any

import numpy as np
from scipy.optimize import linprog

from model.checks import TOLERANCE, assessment_certificate, require_flag, require_tolerance
from model.tree import Chance, Decision, Game, Terminal, point_index, to_batch
from model.types import Certificate, Outcome

__all__ = [
    "CLASSES",
    "MAX_PURE_CANDIDATES",
    "MAX_SUPPORTS",
    "MAX_VERTEX_SYSTEMS",
    "OffPathRegion",
    "PBEResult",
    "PBEquilibrium",
    "ScreeningStructure",
    "SignallingStructure",
    "pbe_solve",
    "signalling_structure",
]

METHOD = "pbe_enumeration"
#: Class labels of equilibria.
CLASSES = ("separating", "pooling", "partially pooling", "semi-separating")
#: Largest number of sender pure strategies (``M ** T``) the pure enumeration accepts.
MAX_PURE_CANDIDATES = 1_000_000
#: Largest number of receiver support profiles (``prod_m 2 ** R_m``) the mixed enumeration accepts.
MAX_SUPPORTS = 200_000
#: Feasibility problems with more vertex systems than this go to HiGHS point by point.
MAX_VERTEX_SYSTEMS = 4096
_X_TOL = 1e-10  # vertex coordinates this far below zero still count as non-negative
_SINGULAR = 1e-12  # |det| below this times the product of row norms: singular system
_HIGHS = {"primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}
_SYSTEM_ENTRIES = 4_000_000  # largest stack of small systems (matrix entries) solved at once
_CHUNK = 20_000  # (candidate, point) pairs handled at once when finishing equilibria
_CERT_CHUNK = 10_000  # (candidate, point) pairs certified at once


# -- results -------------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class SignallingStructure:
    """A signalling tree collapsed to payoff tensors.

    Attributes
    ----------
    sender, receiver : str
        The informed player and the one who responds to messages.
    types : tuple of str
        Labels of the chance outcomes at the root.
    type_infosets : tuple of str
        The sender's information set for each type.
    prior : ndarray, ``(T, *batch)``
    messages : tuple of str
        The sender's actions (the first type's order).
    receiver_infosets : tuple of (str or None)
        Per message, the receiver's information set, or ``None`` if the message ends the game
        (or leads to a perfect-information continuation).
    responses : tuple of tuple of str
        Per message, the receiver's actions (empty if ``receiver_infosets[m]`` is ``None``; the
        message then has one dummy response).
    node_position : tuple of tuple of int
        ``node_position[m][t]``: position of type ``t``'s node in the receiver's information set
        after message ``m`` (empty for messages without one).
    u_sender, u_receiver : ndarray, ``(T, M, R, *batch)``
        Payoffs after backward induction of the continuations; entries outside
        ``response_mask`` are zero.
    response_mask : ndarray of bool, ``(M, R)``
    continuation : dict[str, ndarray]
        Backward-induction choice (action index, ``(*batch)``) at every other information set.
    ties : dict[str, ndarray]
        Where the mover of a continuation information set was indifferent (``(*batch)``).
    batch_shape : tuple of int
    """

    sender: str
    receiver: str
    types: tuple[str, ...]
    type_infosets: tuple[str, ...]
    prior: np.ndarray
    messages: tuple[str, ...]
    receiver_infosets: tuple[str | None, ...]
    responses: tuple[tuple[str, ...], ...]
    node_position: tuple[tuple[int, ...], ...]
    u_sender: np.ndarray
    u_receiver: np.ndarray
    response_mask: np.ndarray
    continuation: dict[str, np.ndarray]
    ties: dict[str, np.ndarray]
    batch_shape: tuple[int, ...]
    kind: str = "signalling"

    @property
    def n_responses(self) -> tuple[int, ...]:
        """Number of responses per message (1 for a message without a receiver move)."""
        return tuple(max(1, len(r)) for r in self.responses)


@dataclass(frozen=True, eq=False)
class ScreeningStructure:
    """A screening tree: the uninformed player offers, the informed types respond.

    Attributes
    ----------
    uninformed : str
        The player who moves first without knowing the type.
    offer_infoset : str
        Its information set (the types' nodes, or the root).
    offers : tuple of str
        Its actions.
    types : tuple of str
        Labels of the chance outcomes.
    prior : ndarray, ``(T, O, *batch)``
        Probability of each type after each offer (the same for every offer when nature moves
        first).
    type_nodes : tuple of tuple of int
        ``type_nodes[t][o]``: the node reached by type ``t`` after offer ``o``.
    u_uninformed, u_informed : ndarray, ``(T, O, *batch)``
        Payoffs of the uninformed player and of the player moving at the types' nodes (the other
        player if none moves there) after backward induction.
    informed : str
        That player.
    continuation, ties : dict[str, ndarray]
        As in :class:`SignallingStructure`.
    batch_shape : tuple of int
    """

    uninformed: str
    informed: str
    offer_infoset: str
    offers: tuple[str, ...]
    types: tuple[str, ...]
    prior: np.ndarray
    type_nodes: tuple[tuple[int, ...], ...]
    u_uninformed: np.ndarray
    u_informed: np.ndarray
    continuation: dict[str, np.ndarray]
    ties: dict[str, np.ndarray]
    batch_shape: tuple[int, ...]
    kind: str = "screening"


@dataclass(frozen=True, eq=False)
class OffPathRegion:
    r"""The beliefs that support an equilibrium at a message no type sends.

    The region is the union of the polytopes :math:`P_S = \{\mu \in \Delta(\Theta):` every
    response in ``S`` is a best reply :math:`\}` over the faces ``S`` marked ``supporting``.

    Attributes
    ----------
    message, infoset : str
        The unused message and the receiver's information set after it.
    types, responses : tuple of str
    faces : tuple of tuple of int
        All non-empty sets of response indices, singletons first.
    supporting : ndarray of bool, ``(F, *batch)``
        Face ``S`` is non-empty and some response mixing over ``S`` deters every type.
    beliefs : ndarray, ``(F, T, *batch)``
        A belief in :math:`P_S` (centre of its vertices), NaN where ``S`` does not support.
    deterrents : ndarray, ``(F, R, *batch)``
        A deterring response in :math:`\Delta(S)`, NaN where ``S`` does not support.
    intervals : ndarray or None, ``(F, 2, *batch)``
        With two types: :math:`P_S` as ``[low, high]`` of the belief in ``types[0]``; NaN where
        ``S`` does not support.
    u_receiver : ndarray, ``(T, R, *batch)``
        The receiver's payoffs after the message (they define :math:`P_S`).
    tolerance : float
        The absolute tolerance used for ties.
    """

    message: str
    infoset: str
    types: tuple[str, ...]
    responses: tuple[str, ...]
    faces: tuple[tuple[int, ...], ...]
    supporting: np.ndarray
    beliefs: np.ndarray
    deterrents: np.ndarray
    intervals: np.ndarray | None
    u_receiver: np.ndarray
    tolerance: float

    @property
    def nonempty(self) -> np.ndarray:
        """Per point, whether some belief supports the equilibrium."""
        return np.any(self.supporting, axis=0)

    def constraints(self, face: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
        r"""Describe :math:`P_S` exactly: ``(A_eq, A_ub)`` with ``A_eq mu = 0, A_ub mu <= 0``.

        Rows are ``u_R(., r) - u_R(., r0)`` for ``r`` in the face (equalities) and outside it
        (inequalities), ``r0`` the face's first response; shapes ``(k, T, *batch)``; ``mu`` also
        lies in the simplex.
        """
        face = tuple(int(r) for r in face)
        if face not in self.faces:
            raise ValueError(f"face = {face!r} is not one of {self.faces}")
        u = self.u_receiver
        eq = [u[:, r] - u[:, face[0]] for r in face[1:]]
        ub = [u[:, r] - u[:, face[0]] for r in range(u.shape[1]) if r not in face]
        empty = np.zeros((0,) + u.shape[:1] + u.shape[2:])
        return (np.stack(eq) if eq else empty), (np.stack(ub) if ub else empty)

    def contains(self, mu: Any) -> np.ndarray:
        """Whether the belief ``mu`` ``(T, *batch)`` lies in the region (within ``tolerance``)."""
        mu = np.asarray(mu, dtype=np.float64)
        inside = np.zeros(np.broadcast_shapes(self.supporting.shape[1:], mu.shape[1:]), bool)
        for i, face in enumerate(self.faces):
            eq, ub = self.constraints(face)
            ok = self.supporting[i]
            if eq.shape[0]:
                ok = ok & np.all(np.abs(np.einsum("kt...,t...->k...", eq, mu)) <= self.tolerance, 0)
            if ub.shape[0]:
                ok = ok & np.all(np.einsum("kt...,t...->k...", ub, mu) <= self.tolerance, axis=0)
            inside |= ok
        return inside

    def intervals_at(self, point: int | tuple[int, ...] = ()) -> list[tuple[float, float]]:
        """With two types: the region at one point as merged intervals of ``mu(types[0])``."""
        if self.intervals is None:
            raise ValueError(f"intervals need two types; this game has {len(self.types)}")
        idx = _point(self.supporting.shape[1:], point)
        spans = sorted(
            (float(self.intervals[(i, 0) + idx]), float(self.intervals[(i, 1) + idx]))
            for i in range(len(self.faces))
            if self.supporting[(i,) + idx]
        )
        merged: list[tuple[float, float]] = []
        for lo, hi in spans:
            if merged and lo <= merged[-1][1] + self.tolerance:
                merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
            else:
                merged.append((lo, hi))
        return merged


@dataclass(frozen=True, eq=False)
class PBEquilibrium:
    """One perfect Bayesian equilibrium (over the points where ``exists``).

    Attributes
    ----------
    label : str
        One of :data:`CLASSES`.
    support : tuple
        What identifies it: ``(("pure" | "mixed"), sender supports per type (message labels),
        receiver supports per used message (response labels))``; for screening games
        ``("offer", offer)``.
    exists : ndarray of bool, ``(*batch)``
    sender_strategy : ndarray or None, ``(T, M, *batch)``
        Message probabilities per type (signalling games).
    receiver_strategy : ndarray or None, ``(M, R, *batch)``
        Response probabilities per message: the equilibrium's at used messages, the
        representative deterrent at unused ones (signalling games).
    offer : str or None
        The uninformed player's offer (screening games).
    profile : dict[str, ndarray]
        Behaviour at every information set of the tree, ``(n_actions, *batch)``.
    beliefs : dict[str, ndarray]
        At every information set with several nodes, ``(n_nodes, *batch)``: Bayes' rule on the
        path, the representative belief off it.
    off_path : dict[str, OffPathRegion]
        Per unused message with a receiver move, its supporting region.
    type_payoffs : ndarray, ``(T, *batch)``
        Each type's equilibrium payoff (in screening games, the informed player's).
    payoffs : ndarray, ``(n_players, *batch)``
        Expected payoffs; NaN where the equilibrium does not exist (as are the outcome
        probabilities and the certificate's entries).
    outcome_probabilities : dict[str, ndarray]
        :meth:`model.tree.Game.outcome_probabilities` of the profile.
    intuitive, d1 : ndarray of bool, ``(*batch)``
        Whether it passes the Intuitive Criterion and D1 (False where it does not exist).
    intuitive_eliminated, d1_eliminated : dict[str, ndarray]
        Per unused message, ``(T, *batch)`` bool: the types each criterion eliminates.
    certificate : Certificate
        :func:`model.checks.assessment_certificate` of ``profile`` and ``beliefs`` where the
        equilibrium exists (``passed`` is False elsewhere).
    types : tuple of str
    message_labels : tuple of str
        Message (or offer) labels.
    """

    label: str
    support: tuple[Any, ...]
    exists: np.ndarray
    sender_strategy: np.ndarray | None
    receiver_strategy: np.ndarray | None
    offer: str | None
    profile: dict[str, np.ndarray]
    beliefs: dict[str, np.ndarray]
    off_path: dict[str, OffPathRegion]
    type_payoffs: np.ndarray
    payoffs: np.ndarray
    outcome_probabilities: dict[str, np.ndarray]
    intuitive: np.ndarray
    d1: np.ndarray
    intuitive_eliminated: dict[str, np.ndarray]
    d1_eliminated: dict[str, np.ndarray]
    certificate: Certificate
    types: tuple[str, ...]
    message_labels: tuple[str, ...]

    @property
    def is_pure(self) -> bool:
        """Whether the sender (or the uninformed player) plays a pure strategy."""
        return self.support[0] in ("pure", "offer")

    def messages(self, point: int | tuple[int, ...] = ()) -> dict[str, Any]:
        """Type -> message sent (pure) or message -> probability (mixed) at one point."""
        if self.sender_strategy is None:
            raise ValueError("a screening equilibrium has no messages; see `offer`")
        idx = _point(self.exists.shape, point)
        out: dict[str, Any] = {}
        for t, name in enumerate(self.types):
            q = self.sender_strategy[(t, slice(None)) + idx]
            if self.is_pure:
                out[name] = self.message_labels[int(np.argmax(q))]
            else:
                out[name] = {
                    m: float(p) for m, p in zip(self.message_labels, q, strict=True) if p > 0
                }
        return out

    def intuitive_types(self, point: int | tuple[int, ...] = ()) -> dict[str, tuple[str, ...]]:
        """Message -> types the Intuitive Criterion eliminates there, at one point."""
        return self._eliminated(self.intuitive_eliminated, point)

    def d1_types(self, point: int | tuple[int, ...] = ()) -> dict[str, tuple[str, ...]]:
        """Message -> types D1 eliminates there, at one point."""
        return self._eliminated(self.d1_eliminated, point)

    def _eliminated(self, table: dict[str, np.ndarray], point: Any) -> dict[str, tuple[str, ...]]:
        idx = _point(self.exists.shape, point)
        return {
            m: tuple(t for i, t in enumerate(self.types) if e[(i,) + idx]) for m, e in table.items()
        }


@dataclass(frozen=True, eq=False)
class PBEResult:
    """All perfect Bayesian equilibria found, and how they were found.

    Attributes
    ----------
    method : str
        ``"pbe_enumeration"``.
    parameters : dict
        ``mixed``, ``tolerance`` (relative), ``scale`` (payoff scale), ``point``, the numbers of
        candidates and supports tried and of feasibility problems sent to HiGHS.
    game : Game
        The game solved (one point of the given game if ``point`` was given).
    structure : SignallingStructure or ScreeningStructure
    equilibria : tuple of PBEquilibrium
        Each exists at some point; see its ``exists``.
    ties : dict[str, ndarray]
        Where some mover was indifferent in a continuation (or, in screening games, among the
        best offers, key ``offer_infoset``).
    converged : ndarray of bool, ``(*batch)``
        False where a HiGHS problem failed (neither optimal nor infeasible).
    certificate : Certificate
        Per point, the worst certificate among the equilibria that exist there.
    """

    method: str
    parameters: dict[str, Any]
    game: Game
    structure: SignallingStructure | ScreeningStructure
    equilibria: tuple[PBEquilibrium, ...]
    ties: dict[str, np.ndarray]
    converged: np.ndarray
    certificate: Certificate

    @property
    def batch_shape(self) -> tuple[int, ...]:
        """Shape of the parameter points."""
        return tuple(self.converged.shape)

    @property
    def count(self) -> np.ndarray:
        """Number of equilibria found at each point."""
        n = np.zeros(self.batch_shape, dtype=np.int64)
        for e in self.equilibria:
            n = n + e.exists
        return n

    def at(self, point: int | tuple[int, ...]) -> tuple[PBEquilibrium, ...]:
        """The equilibria existing at one point, with their arrays taken at that point."""
        idx = _point(self.batch_shape, point)
        return tuple(_take_equilibrium(e, idx) for e in self.equilibria if e.exists[idx])

    def __iter__(self) -> Iterator[PBEquilibrium]:
        return iter(self.equilibria)

    def __len__(self) -> int:
        return len(self.equilibria)


def _point(batch: tuple[int, ...], point: Any) -> tuple[int, ...]:
    if point == () and batch == ():
        return ()
    return point_index(tuple(batch), point)


def _take(x: Any, idx: tuple[int, ...], lead: int) -> Any:
    if x is None or not idx:
        return x
    x = np.asarray(x)
    return x[(slice(None),) * lead + idx]


def _take_region(r: OffPathRegion, idx: tuple[int, ...]) -> OffPathRegion:
    return replace(
        r,
        supporting=_take(r.supporting, idx, 1),
        beliefs=_take(r.beliefs, idx, 2),
        deterrents=_take(r.deterrents, idx, 2),
        intervals=_take(r.intervals, idx, 2),
        u_receiver=_take(r.u_receiver, idx, 2),
    )


def _take_equilibrium(e: PBEquilibrium, idx: tuple[int, ...]) -> PBEquilibrium:
    if not idx:
        return e
    c = e.certificate
    return replace(
        e,
        exists=_take(e.exists, idx, 0),
        sender_strategy=_take(e.sender_strategy, idx, 2),
        receiver_strategy=_take(e.receiver_strategy, idx, 2),
        profile={k: _take(v, idx, 1) for k, v in e.profile.items()},
        beliefs={k: _take(v, idx, 1) for k, v in e.beliefs.items()},
        off_path={k: _take_region(v, idx) for k, v in e.off_path.items()},
        type_payoffs=_take(e.type_payoffs, idx, 1),
        payoffs=_take(e.payoffs, idx, 1),
        outcome_probabilities={k: _take(v, idx, 0) for k, v in e.outcome_probabilities.items()},
        intuitive=_take(e.intuitive, idx, 0),
        d1=_take(e.d1, idx, 0),
        intuitive_eliminated={k: _take(v, idx, 1) for k, v in e.intuitive_eliminated.items()},
        d1_eliminated={k: _take(v, idx, 1) for k, v in e.d1_eliminated.items()},
        certificate=Certificate(
            max_regret=_take(c.max_regret, idx, 0),
            bayes_gap=_take(c.bayes_gap, idx, 0),
            tolerance=c.tolerance,
            checks=dict(c.checks),
        ),
    )


# -- recognising the tree ------------------------------------------------------------------------
def _flat(a: np.ndarray, lead: int, batch: tuple[int, ...]) -> np.ndarray:
    """``(*lead_axes, *b)`` -> ``(*lead_axes, N)`` with the batch flattened (N >= 1)."""
    a = to_batch(np.asarray(a, dtype=np.float64), lead, batch)
    return a.reshape(a.shape[:lead] + (math.prod(batch),))


def _at(a: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``a[..., cols]`` (entries at the points ``cols``, last axis), C-contiguous and fast."""
    return np.take(a, cols, axis=-1)


def _put_at(out: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
    """``out[..., cols] = values``, row by row (faster than one fancy assignment)."""
    for row in np.ndindex(out.shape[:-1]):
        out[row][cols] = values[row]


def _unflat(a: np.ndarray, batch: tuple[int, ...]) -> np.ndarray:
    return np.asarray(a).reshape(a.shape[:-1] + batch)


def _continuations(
    game: Game, roots: Sequence[int], tol: float
) -> tuple[np.ndarray, dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Backward induction below ``roots``: values ``(n_nodes, n_players, N)``, choices, ties.

    Raises ``ValueError`` if an information set below the roots holds several nodes.
    """
    batch = game.batch_shape
    n = len(game.nodes)
    inside = np.zeros(n, dtype=bool)
    inside[list(roots)] = True
    for i in range(1, n):  # pre-order: a parent comes before its children
        inside[i] |= inside[game._parent[i]]
    values = np.zeros((n, game.n_players, math.prod(batch)))
    values[game.terminals] = _flat(game.payoffs, 2, batch)
    chance = _flat(game._chance, 1, batch)
    choice: dict[str, np.ndarray] = {}
    ties: dict[str, np.ndarray] = {}
    for h in range(n - 1, -1, -1):
        info = game.nodes[h]
        if not inside[h] or info.kind == "terminal":
            continue
        kids = list(info.children)
        if info.kind == "chance":
            w = chance[game._edge_row[kids]]
            values[h] = np.einsum("cN,cpN->pN", w, values[kids])
            continue
        assert info.infoset is not None
        iset = game.infosets[info.infoset]
        if len(iset.nodes) > 1:
            names = [game.nodes[i].name for i in iset.nodes]
            raise ValueError(
                f"information set {iset.name!r} of player {iset.player!r} holds {len(names)} "
                f"nodes {names}, but it lies where play must be of perfect information (after "
                "the receiver's move, after a message without a receiver move, or after the "
                "uninformed player's offer)"
            )
        own = values[kids, game._mover[h]]  # (c, N)
        near = own >= own.max(axis=0) - tol
        pick = np.argmax(near, axis=0)
        values[h] = np.take_along_axis(values[kids], pick[None, None, :], axis=0)[0]
        choice[iset.name] = pick
        ties[iset.name] = near.sum(axis=0) > 1
    return values, choice, ties


def signalling_structure(
    game: Game, *, tolerance: float = TOLERANCE
) -> SignallingStructure | ScreeningStructure:
    """Recognise a signalling or screening tree and collapse it to payoff tensors.

    Parameters
    ----------
    game : Game
    tolerance : float
        Relative tolerance (times the payoff scale) for ties in the continuations.

    Returns
    -------
    SignallingStructure or ScreeningStructure

    Raises
    ------
    TypeError
        If ``game`` is not a :class:`~model.tree.Game`.
    ValueError
        Naming the node or information set where the tree departs from the shapes described in
        the module docstring, or the type with a zero prior.
    """
    if not isinstance(game, Game):
        raise TypeError(f"game must be a model.tree.Game, got {type(game).__name__}")
    tol = require_tolerance("tolerance", tolerance) * _scale(game)
    root = game.nodes[0]
    if root.kind == "decision":
        return _screening_offer_first(game, tol)
    if root.kind != "chance":
        raise ValueError(
            "node 'root' is a terminal; a signalling game starts with a chance node over the "
            "sender's types"
        )
    kids = root.children
    if len(kids) < 2:
        raise ValueError(
            f"chance node 'root' has {len(kids)} branch; a signalling or screening game needs at "
            "least two types"
        )
    for c in kids:
        info = game.nodes[c]
        if info.kind != "decision":
            raise ValueError(
                f"node {info.name!r} (type {info.edge!r}) is a {info.kind} node; in a signalling "
                "game every type moves (sends a message) right after nature draws it"
            )
    names = [game.nodes[c].infoset for c in kids]
    if len(set(names)) == 1:
        return _screening_nature_first(game, tol)
    if len(set(names)) != len(names):
        raise ValueError(
            f"the types' nodes {[game.nodes[c].name for c in kids]} share some information sets "
            f"{names}; in a signalling game each type has its own, in a screening game all share "
            "one"
        )
    return _signalling(game, tol)


def _scale(game: Game) -> float:
    return max(1.0, float(np.max(np.abs(game.payoffs))) if game.payoffs.size else 1.0)


def _signalling(game: Game, tol: float) -> SignallingStructure:
    batch = game.batch_shape
    kids = game.nodes[0].children
    types = tuple(game.nodes[c].edge for c in kids)
    T = len(types)
    senders = {game.nodes[c].player for c in kids}
    if len(senders) != 1:
        raise ValueError(
            f"the types' nodes are moved by different players {sorted(s or '' for s in senders)}; "
            "a signalling game has one sender"
        )
    sender = game.nodes[kids[0]].player
    assert sender is not None
    type_isets = []
    for c in kids:
        iset = game.infosets[game.nodes[c].infoset or ""]
        if len(iset.nodes) != 1:
            raise ValueError(
                f"information set {iset.name!r} of the sender holds {len(iset.nodes)} nodes; each "
                "type's information set must be its single node"
            )
        type_isets.append(iset)
    messages = type_isets[0].actions
    for iset in type_isets[1:]:
        if set(iset.actions) != set(messages):
            raise ValueError(
                f"information set {iset.name!r} offers messages {list(iset.actions)} but "
                f"{type_isets[0].name!r} offers {list(messages)}; every type needs the same "
                "message labels"
            )
    prior = _flat(game._chance[game._edge_row[list(kids)]], 1, batch)
    bad = prior <= 0.0
    if np.any(bad):
        t, i = np.argwhere(bad)[0]
        where = np.unravel_index(int(i), batch) if batch else ()
        raise ValueError(
            f"the prior of type {types[t]!r} is {float(prior[t, i]):.6g} at batch point "
            f"{tuple(int(k) for k in where)}; perfect Bayesian equilibria are computed here only "
            "for types of positive probability (drop the type or keep its prior positive)"
        )
    receiver: str | None = None
    recv_isets: list[str | None] = []
    responses: list[tuple[str, ...]] = []
    positions: list[tuple[int, ...]] = []
    cont_roots: list[int] = []
    after: list[list[int]] = []  # per message, the node reached by each type
    for m in messages:
        hs = [game.nodes[c].children[type_isets[t].actions.index(m)] for t, c in enumerate(kids)]
        after.append(hs)
        multi = [
            h
            for h in hs
            if game.nodes[h].kind == "decision"
            and len(game.infosets[game.nodes[h].infoset or ""].nodes) > 1
        ]
        if not multi:
            recv_isets.append(None)
            responses.append(())
            positions.append(())
            cont_roots.extend(hs)
            continue
        iset = game.infosets[game.nodes[multi[0]].infoset or ""]
        if set(iset.nodes) != set(hs):
            names = [game.nodes[i].name for i in iset.nodes]
            raise ValueError(
                f"after message {m!r}, information set {iset.name!r} holds nodes {names}, but "
                f"the types reach {[game.nodes[h].name for h in hs]}; the receiver's information "
                "set after a message must hold exactly the types' nodes"
            )
        if receiver is None:
            receiver = iset.player
        elif iset.player != receiver:
            raise ValueError(
                f"information set {iset.name!r} after message {m!r} belongs to {iset.player!r}, "
                f"but earlier messages lead to {receiver!r}; a signalling game has one receiver"
            )
        recv_isets.append(iset.name)
        responses.append(iset.actions)
        positions.append(tuple(iset.nodes.index(h) for h in hs))
        for h in hs:
            cont_roots.extend(game.nodes[h].children)
    if receiver is None:
        raise ValueError(
            "no message leads to an information set of another player holding the types' nodes: "
            "the game is of perfect information after nature's move; use "
            "model.solvers.backward.backward_induction_solve"
        )
    values, choice, ties = _continuations(game, cont_roots, tol)
    kS, kR = game.player_index(sender), game.player_index(receiver)
    M = len(messages)
    R = max(max(1, len(r)) for r in responses)
    N = math.prod(batch)
    uS = np.zeros((T, M, R, N))
    uR = np.zeros((T, M, R, N))
    mask = np.zeros((M, R), dtype=bool)
    for j, hs in enumerate(after):
        for t, h in enumerate(hs):
            if recv_isets[j] is None:
                uS[t, j, 0], uR[t, j, 0] = values[h, kS], values[h, kR]
            else:
                ch = list(game.nodes[h].children)
                uS[t, j, : len(ch)], uR[t, j, : len(ch)] = values[ch, kS], values[ch, kR]
        mask[j, : max(1, len(responses[j]))] = True
    return SignallingStructure(
        sender=sender,
        receiver=receiver,
        types=types,
        type_infosets=tuple(i.name for i in type_isets),
        prior=_unflat(prior, batch),
        messages=messages,
        receiver_infosets=tuple(recv_isets),
        responses=tuple(responses),
        node_position=tuple(positions),
        u_sender=_unflat(uS, batch),
        u_receiver=_unflat(uR, batch),
        response_mask=mask,
        continuation={k: _unflat(v, batch) for k, v in choice.items()},
        ties={k: _unflat(v, batch) for k, v in ties.items()},
        batch_shape=batch,
    )


def _screening(
    game: Game,
    tol: float,
    uninformed: str,
    offer_iset: str,
    offers: tuple[str, ...],
    types: tuple[str, ...],
    prior: np.ndarray,
    nodes: list[list[int]],
) -> ScreeningStructure:
    batch = game.batch_shape
    flat = [h for row in nodes for h in row]
    values, choice, ties = _continuations(game, flat, tol)
    movers = {p for h in flat if (p := game.nodes[h].player) is not None}
    movers.discard(uninformed)
    others = [p for p in game.players if p != uninformed]
    informed = sorted(movers)[0] if movers else (others[0] if others else uninformed)
    kU, kI = game.player_index(uninformed), game.player_index(informed)
    idx = np.array(nodes)  # (T, O)
    return ScreeningStructure(
        uninformed=uninformed,
        informed=informed,
        offer_infoset=offer_iset,
        offers=offers,
        types=types,
        prior=_unflat(prior, batch),
        type_nodes=tuple(tuple(int(h) for h in row) for row in nodes),
        u_uninformed=_unflat(values[idx, kU], batch),
        u_informed=_unflat(values[idx, kI], batch),
        continuation={k: _unflat(v, batch) for k, v in choice.items()},
        ties={k: _unflat(v, batch) for k, v in ties.items()},
        batch_shape=batch,
    )


def _screening_nature_first(game: Game, tol: float) -> ScreeningStructure:
    batch = game.batch_shape
    kids = game.nodes[0].children
    iset = game.infosets[game.nodes[kids[0]].infoset or ""]
    if set(iset.nodes) != set(kids):
        names = [game.nodes[i].name for i in iset.nodes]
        raise ValueError(
            f"information set {iset.name!r} holds nodes {names}, not just the types' nodes "
            f"{[game.nodes[c].name for c in kids]}; in a screening game the uninformed player's "
            "information set is the set of types"
        )
    types = tuple(game.nodes[c].edge for c in kids)
    prior = _flat(game._chance[game._edge_row[list(kids)]], 1, batch)
    O = len(iset.actions)  # noqa: E741
    prior = np.repeat(prior[:, None], O, axis=1)
    nodes = [list(game.nodes[c].children) for c in kids]
    return _screening(game, tol, iset.player, iset.name, iset.actions, types, prior, nodes)


def _screening_offer_first(game: Game, tol: float) -> ScreeningStructure:
    batch = game.batch_shape
    root = game.nodes[0]
    assert root.infoset is not None and root.player is not None
    labels: tuple[str, ...] | None = None
    rows: list[list[int]] = []
    probs = []
    for o, c in zip(game.infosets[root.infoset].actions, root.children, strict=True):
        info = game.nodes[c]
        if info.kind != "chance":
            raise ValueError(
                f"the root is a move of {root.player!r} (information set {root.infoset!r}), but "
                f"node {info.name!r} after its action {o!r} is a {info.kind} node; a tree that "
                "starts with a move is solved here only as a screening game, in which nature "
                "draws the informed player's type after every offer (a signalling game starts "
                "with nature)"
            )
        here = tuple(game.nodes[k].edge for k in info.children)
        if labels is None:
            labels = here
        elif set(here) != set(labels):
            raise ValueError(
                f"chance node {info.name!r} draws types {list(here)} but the first offer's draws "
                f"{list(labels)}; the types must be the same after every offer"
            )
        order = [info.children[here.index(t)] for t in labels]
        rows.append(order)
        probs.append(_flat(game._chance[game._edge_row[order]], 1, batch))
    assert labels is not None
    if len(labels) < 2:
        raise ValueError(
            f"the chance nodes after the offers draw {len(labels)} type; a screening game needs "
            "at least two"
        )
    prior = np.stack(probs, axis=1)  # (T, O, N)
    nodes = [list(col) for col in zip(*rows, strict=True)]  # (T, O)
    return _screening(
        game,
        tol,
        root.player,
        root.infoset,
        game.infosets[root.infoset].actions,
        labels,
        prior,
        nodes,
    )


# -- linear feasibility over a simplex -----------------------------------------------------------
def _solve_batch(A: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve small systems ``A x = b`` over a batch; ``(x, nonsingular)``.

    ``A`` is ``(n, n, *batch)`` and ``b`` ``(n, *batch)`` (batch last); ``x`` is ``(n, *batch)``.
    A system is singular where ``|det A|`` is at most ``_SINGULAR`` times the product of its row
    norms. Up to 3 x 3 by Cramer's rule over whole arrays (far faster than LAPACK on many tiny
    systems), larger ones by LAPACK, one matrix at a time.
    """
    n = A.shape[0]
    rows = [[A[i, j] for j in range(n)] for i in range(n)]
    if n <= 3:
        return _cramer(rows, list(b), b.shape[1:])
    stacked = np.moveaxis(A, (0, 1), (-2, -1))  # (*batch, n, n), as LAPACK wants them
    # with 8 or more terms numpy sums pairwise: keep its numbers there
    norms = _norms(rows) if n < 8 else np.prod(np.sqrt(np.sum(stacked * stacked, -1)), -1)
    det = np.linalg.det(stacked)
    good = np.abs(det) > _SINGULAR * norms
    safe = np.where(good[..., None, None], stacked, np.eye(n))
    x = np.linalg.solve(safe, np.moveaxis(b, 0, -1)[..., None])[..., 0]
    return np.moveaxis(x, -1, 0), good


def _norms(A: Sequence[Sequence[Any]]) -> Any:
    """The product of the row norms of ``A`` (``A[i][j]`` arrays over the batch, or numbers).

    The squares of a row are added in order, then the norms multiplied in order.
    """
    norms: Any = 1.0
    for i in range(len(A)):
        row = A[i][0] * A[i][0]
        for j in range(1, len(A)):
            row = row + A[i][j] * A[i][j]
        norms = np.sqrt(row) if i == 0 else norms * np.sqrt(row)
    return norms


def _det(A: Sequence[Sequence[Any]]) -> Any:
    """Determinant of a 1 x 1, 2 x 2 or 3 x 3 matrix ``A[i][j]`` (arrays over the batch)."""
    if len(A) == 1:
        return A[0][0]
    if len(A) == 2:
        return A[0][0] * A[1][1] - A[0][1] * A[1][0]
    return (
        A[0][0] * (A[1][1] * A[2][2] - A[1][2] * A[2][1])
        - A[0][1] * (A[1][0] * A[2][2] - A[1][2] * A[2][0])
        + A[0][2] * (A[1][0] * A[2][1] - A[1][1] * A[2][0])
    )


def _cramer(
    A: Sequence[Sequence[Any]], b: Sequence[Any], shape: tuple[int, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Solve systems ``A x = b`` of size 1, 2 or 3 over a batch of ``shape`` by Cramer's rule.

    ``A[i][j]`` and ``b[i]`` are arrays of ``shape`` or numbers (batch last, so every operation
    runs over whole arrays). Returns ``x`` ``(z, *shape)`` and where the system is nonsingular
    (the test of :func:`_solve_batch`), ``shape``.
    """
    z = len(b)
    det = _det(A)
    good = np.broadcast_to(np.abs(det) > _SINGULAR * _norms(A), shape)
    safe = np.where(good, det, 1.0)
    x = np.empty((z,) + shape)
    for j in range(z):
        x[j] = _det([[b[i] if c == j else A[i][c] for c in range(z)] for i in range(z)]) / safe
    return x, good


class _Feasibility:
    """``{x in simplex_n : G[:n_eq] x = h[:n_eq], G[n_eq:] x <= h[n_eq:]}`` at every point."""

    def __init__(self, tol: float, n_points: int):
        self.tol = tol
        self.n_lp = 0
        self.failed = np.zeros(n_points, dtype=bool)

    def __call__(
        self,
        G: np.ndarray,
        h: np.ndarray,
        n_eq: int,
        allowed: np.ndarray | None = None,
        cols: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return ``ok (N,)`` and a witness ``(n, N)`` (NaN where empty).

        ``G`` is ``(k, n, N)``, ``h`` ``(k, N)``; ``allowed`` ``(n, N)`` bool restricts the support;
        ``cols`` maps the N points to parameter points (for reporting HiGHS failures). Each point
        is solved on its own (``N`` may be zero), so callers pass only the points they need.
        """
        k, n, N = G.shape
        if N == 0:
            return np.zeros(0, dtype=bool), np.zeros((n, 0))
        if n == 1:
            ok = np.all(np.abs(G[:n_eq, 0] - h[:n_eq]) <= self.tol, axis=0)
            ok &= np.all(G[n_eq:, 0] <= h[n_eq:] + self.tol, axis=0)
            if allowed is not None:
                ok &= allowed[0]
            return ok, np.where(ok, 1.0, np.nan)[None]
        combos = sum(math.comb(n, z) * math.comb(k, z - 1) for z in range(1, min(n, k + 1) + 1))
        if combos > MAX_VERTEX_SYSTEMS:
            return self._highs(G, h, n_eq, allowed, np.arange(N) if cols is None else cols)
        total = np.zeros((n, N))
        count = np.zeros(N)
        for z in range(1, min(n, k + 1) + 1):
            pairs = [
                (Z, rows)
                for Z in combinations(range(n), z)
                for rows in combinations(range(k), z - 1)
            ]
            step = max(1, _SYSTEM_ENTRIES // (N * (z * z + n + k)))
            for i in range(0, len(pairs), step):
                self._vertices(G, h, n_eq, allowed, pairs[i : i + step], total, count)
        ok = count > 0
        x = np.maximum(total / np.maximum(count, 1), 0.0)  # as _normalise, column by column
        total_x = x.sum(axis=0)
        return ok, np.where(ok, x / np.where(ok, total_x, 1.0), np.nan)

    def _vertices(
        self,
        G: np.ndarray,
        h: np.ndarray,
        n_eq: int,
        allowed: np.ndarray | None,
        pairs: list[tuple[tuple[int, ...], tuple[int, ...]]],
        total: np.ndarray,
        count: np.ndarray,
    ) -> None:
        """Add the feasible vertices among ``pairs`` (support, tight rows) to ``total``."""
        k, n, N = G.shape
        z = len(pairs[0][0])
        C = len(pairs)
        Zs = np.array([p[0] for p in pairs], dtype=np.int64).reshape(C, z).T  # (z, C)
        Rs = np.array([p[1] for p in pairs], dtype=np.int64).reshape(C, z - 1).T  # (z - 1, C)
        # the systems, batch last: row 0 is sum(x) = 1, row i > 0 holds row Rs[i - 1] of G tight
        A: list[list[Any]] = [[1.0] * z] + [
            [G[Rs[i], Zs[j]] for j in range(z)] for i in range(z - 1)
        ]
        b: list[Any] = [1.0] + [h[Rs[i]] for i in range(z - 1)]
        if z <= 3:
            x, good = _cramer(A, b, (C, N))  # (z, C, N), (C, N)
        else:
            full_A = np.stack([[np.broadcast_to(a, (C, N)) for a in row] for row in A])
            x, good = _solve_batch(full_A, np.stack([np.broadcast_to(a, (C, N)) for a in b]))
        feas = good & np.all(x >= -_X_TOL, axis=0)
        # every row of G at the vertex (columns off the support hold zero)
        Gz = G[:, Zs]  # (k, z, C, N)
        resid = Gz[:, 0] * x[0]
        for j in range(1, z):
            resid = resid + Gz[:, j] * x[j]
        resid -= h[:, None]
        if n_eq:
            feas &= np.all(np.abs(resid[:n_eq]) <= self.tol, axis=0)
        if k > n_eq:
            feas &= np.all(resid[n_eq:] <= self.tol, axis=0)
        if allowed is not None:
            feas &= np.all(allowed[Zs], axis=0)
        full = np.zeros((n, C, N))
        for j in range(z):
            full[Zs[j], np.arange(C)] = x[j]
        total += np.sum(full * feas, axis=1)
        count += feas.sum(axis=0)

    def _highs(
        self,
        G: np.ndarray,
        h: np.ndarray,
        n_eq: int,
        allowed: np.ndarray | None,
        cols: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray]:
        k, n, N = G.shape
        ok = np.zeros(N, dtype=bool)
        out = np.full((n, N), np.nan)
        n_ub = k - n_eq
        # maximise the slack s of the inequalities (s <= 1): the witness then sits inside the
        # polytope where it can; the polytope (within tolerance) is non-empty iff s >= -tol
        cost = np.zeros(n + 1)
        cost[-1] = -1.0
        a_ub = np.zeros((n_ub, n + 1))
        a_ub[:, -1] = 1.0
        for i in range(N):  # point-specific: only for problems too large to enumerate
            bounds = [(0.0, None if allowed is None or allowed[j, i] else 0.0) for j in range(n)]
            a_ub[:, :n] = G[n_eq:, :, i]
            a_eq = np.zeros((n_eq + 1, n + 1))
            a_eq[:n_eq, :n] = G[:n_eq, :, i]
            a_eq[n_eq, :n] = 1.0
            res = linprog(
                cost,
                A_ub=a_ub if n_ub else None,
                b_ub=h[n_eq:, i] if n_ub else None,
                A_eq=a_eq,
                b_eq=np.concatenate([h[:n_eq, i], [1.0]]),
                bounds=bounds + [(None, 1.0)],
                method="highs",
                options=_HIGHS,
            )
            self.n_lp += 1
            if res.status == 0 and res.x[-1] >= -self.tol:
                ok[i] = True
                out[:, i] = _normalise(np.maximum(res.x[:n], 0.0)[:, None])[:, 0]
            elif res.status not in (0, 2):
                self.failed[cols[i]] = True
        return ok, out


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.maximum(x, 0.0)
    return x / x.sum(axis=0, keepdims=True)


def _subsets(n: int, max_size: int | None = None) -> list[tuple[int, ...]]:
    """Non-empty subsets of ``range(n)``, by size then lexicographically."""
    top = n if max_size is None else min(n, max_size)
    return [S for z in range(1, top + 1) for S in combinations(range(n), z)]


@dataclass
class _Candidate:
    """A raw equilibrium over the flattened batch, before regions and certificates."""

    kind: str  # "pure" or "mixed"
    q: np.ndarray  # (T, M, N)
    sigma: np.ndarray  # (M, R, N), used messages filled
    on: np.ndarray  # (M,) bool
    valid: np.ndarray  # (N,)
    U: np.ndarray  # (T, N)
    supports: tuple[tuple[int, ...], ...]  # per type, messages
    responses: tuple[tuple[int, ...], ...]  # per used message (in order), responses


class _Signalling:
    """Enumeration of the equilibria of a collapsed signalling game, over N flattened points."""

    def __init__(self, st: SignallingStructure, tol: float):
        b = st.batch_shape
        self.st = st
        self.tol = tol
        self.pi = _flat(st.prior, 1, b)
        self.uS = _flat(st.u_sender, 3, b)
        self.uR = _flat(st.u_receiver, 3, b)
        self.T, self.M, self.R, self.N = self.uS.shape
        self.nR = st.n_responses
        self.recv = [i is not None for i in st.receiver_infosets]
        self.feasible = _Feasibility(tol, self.N)
        self._faces: dict[tuple[int, tuple[int, ...]], tuple[np.ndarray, np.ndarray]] = {}
        self._br: dict[tuple[int, tuple[int, ...]], np.ndarray] = {}
        self._recv_ok: dict[tuple[int, tuple[int, ...], tuple[int, ...]], bool] = {}
        self._spans: dict[tuple[int, int, tuple[int, ...]], tuple[np.ndarray, np.ndarray]] = {}
        self.n_pure = 0
        self.n_systems = 0

    # -- building blocks ------------------------------------------------------------------------
    def faces(self, m: int) -> list[tuple[int, ...]]:
        return _subsets(self.nR[m])

    def face_rows(self, m: int, S: tuple[int, ...], types: Sequence[int]) -> np.ndarray:
        """Rows of P_S over ``types``: equalities for S[1:], then inequalities for r not in S."""
        u = self.uR[list(types), m]  # (n, R, N)
        rows = [u[:, r] - u[:, S[0]] for r in S[1:]]
        rows += [u[:, r] - u[:, S[0]] for r in range(self.nR[m]) if r not in S]
        if not rows:
            return np.zeros((0, len(types), self.N))
        return np.stack(rows)

    def face(self, m: int, S: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        """Whether ``P_S`` is non-empty at each point, and a belief in it (cached)."""
        key = (m, S)
        if key not in self._faces:
            G = self.face_rows(m, S, range(self.T))
            self._faces[key] = self.feasible(G, np.zeros(G.shape[::2]), len(S) - 1)
        return self._faces[key]

    def deter(
        self, m: int, S: tuple[int, ...], U: np.ndarray, cols: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Some response in Delta(S) gives no type more than ``U``; witness ``(|S|, n)``.

        ``U`` ``(T, n)`` holds the types' payoffs at the parameter points ``cols``.
        """
        G = _at(self.uS[:, m][:, list(S)], cols)  # (T, |S|, n)
        if len(S) == 1:
            ok = np.all(G[:, 0] <= U + self.tol, axis=0)
            return ok, np.where(ok, 1.0, np.nan)[None]
        return self.feasible(G, U, 0, None, cols)

    def deterred(self, m: int, U: np.ndarray, active: np.ndarray) -> np.ndarray:
        """Where (among ``active``) an unused message ``m`` is deterred."""
        if not self.recv[m]:
            return active & np.all(self.uS[:, m, 0] <= U + self.tol, axis=0)
        done = np.zeros(self.N, dtype=bool)
        for S in self.faces(m):
            fo, _ = self.face(m, S)
            pts = np.flatnonzero(fo & active & ~done)  # only where the face is still needed
            if pts.size:
                ok, _ = self.deter(m, S, _at(U, pts), pts)
                done[pts[ok]] = True
        return done

    def best_replies(self, m: int, senders: tuple[int, ...]) -> np.ndarray:
        """Pure best replies ``(R_m, N)`` to the Bayes posterior of a pure sender set."""
        key = (m, senders)
        if key not in self._br:
            w = self.pi[list(senders)]  # (n, N)
            eu = np.einsum("tN,trN->rN", w, self.uR[list(senders), m, : self.nR[m]])
            eu /= w.sum(axis=0)
            self._br[key] = eu >= eu.max(axis=0) - self.tol
        return self._br[key]

    def receiver_can_mix(self, m: int, senders: tuple[int, ...], B: tuple[int, ...]) -> bool:
        """Whether some belief on ``senders`` makes every response in B a best reply somewhere."""
        key = (m, senders, B)
        if key not in self._recv_ok:
            if len(B) == 1:
                self._recv_ok[key] = True
            else:
                G = self.face_rows(m, B, senders)
                ok, _ = self.feasible(G, np.zeros(G.shape[::2]), len(B) - 1)
                self._recv_ok[key] = bool(ok.any())
        return self._recv_ok[key]

    # -- pure strategies ------------------------------------------------------------------------
    def pure(self) -> list[_Candidate]:
        T, M, N, tol = self.T, self.M, self.N, self.tol
        if M**T > MAX_PURE_CANDIDATES:
            raise ValueError(
                f"the sender has {M}**{T} = {M**T} pure strategies, more than "
                f"MAX_PURE_CANDIDATES = {MAX_PURE_CANDIDATES}"
            )
        out: list[_Candidate] = []
        for s in product(range(M), repeat=T):
            self.n_pure += 1
            on = sorted(set(s))
            brs = [self.best_replies(m, tuple(t for t in range(T) if s[t] == m)) for m in on]
            # depth-first over the receiver's pure best replies at the used messages
            stack: list[tuple[tuple[int, ...], np.ndarray]] = [((), np.ones(N, dtype=bool))]
            while stack:
                chosen, mask = stack.pop()
                i = len(chosen)
                if i < len(on):
                    for r in range(self.nR[on[i]] - 1, -1, -1):
                        new = mask & brs[i][r]
                        if new.any():
                            stack.append((chosen + (r,), new))
                    continue
                resp = dict(zip(on, chosen, strict=True))
                U = np.stack([self.uS[t, s[t], resp[s[t]]] for t in range(T)])
                for m in on:
                    mask = mask & np.all(self.uS[:, m, resp[m]] <= U + tol, axis=0)
                for m in range(M):
                    if m not in resp and mask.any():
                        mask = self.deterred(m, U, mask)
                if not mask.any():
                    continue
                q = np.zeros((T, M, N))
                q[np.arange(T), list(s)] = 1.0
                sigma = np.zeros((M, self.R, N))
                for m, r in resp.items():
                    sigma[m, r] = 1.0
                on_mask = np.zeros(M, dtype=bool)
                on_mask[on] = True
                out.append(
                    _Candidate(
                        "pure",
                        q,
                        sigma,
                        on_mask,
                        mask,
                        U,
                        tuple((m,) for m in s),
                        tuple((resp[m],) for m in on),
                    )
                )
        return out

    # -- semi-separating ------------------------------------------------------------------------
    def mixed(self) -> list[_Candidate]:
        T, M = self.T, self.M
        statuses: list[list[tuple[int, ...] | None]] = [
            [None, *_subsets(self.nR[m])] for m in range(M)
        ]
        n_status = math.prod(len(s) for s in statuses)
        if n_status > MAX_SUPPORTS:
            raise ValueError(
                f"the receiver has {n_status} support profiles (unused, or a set of responses, per "
                f"message), more than MAX_SUPPORTS = {MAX_SUPPORTS}; use mixed=False"
            )
        out: list[_Candidate] = []
        # receiver supports first (None: unused message), then the types' supports that fit
        for status in product(*statuses):
            B = {m: b for m, b in enumerate(status) if b is not None}
            on = sorted(B)
            extra = sum(len(b) - 1 for b in B.values())
            if extra == 0 or any(len(B[m]) > T for m in on):
                continue
            per_type = [self._type_supports(t, on, B) for t in range(T)]
            for A in self._fitting(per_type, extra, on, B):
                senders = {m: tuple(t for t in range(T) if m in A[t]) for m in on}
                cand = self._solve_support(A, on, senders, tuple(B[m] for m in on))
                if cand is not None:
                    out.append(cand)
        return out

    def _type_supports(
        self, t: int, on: list[int], B: dict[int, tuple[int, ...]]
    ) -> list[tuple[int, ...]]:
        """Message sets of ``on`` over which type ``t`` can be indifferent at some point.

        Its payoff from message ``m`` lies between the least and the most it gets from a
        response in ``B[m]``, strictly inside (by twice the tolerance) if the receiver mixes
        there; those ranges must meet somewhere. Its ``|A| - 1`` indifference
        equations and the ``|A|`` normalisations of the receiver's mixing at those messages
        involve ``sum |B[m]|`` unknowns: with more equations than that, the system is singular.
        """
        out: list[tuple[int, ...]] = []
        stack: list[tuple[tuple[int, ...], np.ndarray, np.ndarray]] = []
        for i in range(len(on) - 1, -1, -1):
            lo, hi = self._span(t, on[i], B[on[i]])
            stack.append(((i,), lo, hi))
        while stack:
            idx, lo, hi = stack.pop()
            if len(idx) - 1 <= sum(len(B[on[i]]) - 1 for i in idx):
                out.append(tuple(on[i] for i in idx))
            for j in range(len(on) - 1, idx[-1], -1):
                lo2, hi2 = self._span(t, on[j], B[on[j]])
                lo2, hi2 = np.maximum(lo, lo2), np.minimum(hi, hi2)
                if np.any(lo2 <= hi2 + self.tol):
                    stack.append((idx + (j,), lo2, hi2))
        return out

    def _fitting(
        self,
        per_type: list[list[tuple[int, ...]]],
        extra: int,
        on: list[int],
        B: dict[int, tuple[int, ...]],
    ) -> Iterator[tuple[tuple[int, ...], ...]]:
        """Choose one support per type that can fit the receiver's supports ``B``.

        Together the supports hold ``extra`` messages beyond one each and cover ``on``; at every
        message where the receiver mixes, the senders must be able to make it indifferent.

        At message ``m`` the receiver's ``|B_m| - 1`` equations and the normalisations of the
        pure senders involve only the senders' weights, so ``m`` needs ``|B_m| - 1`` mixing
        senders; and some belief on the senders must make ``B_m`` best replies. Both only get
        easier as senders are added, so partial assignments are pruned with every later type
        counted as a possible (mixing) sender.
        """
        T = len(per_type)
        mix = [m for m in on if len(B[m]) > 1]
        can = [{m for a in opts for m in a} for opts in per_type]
        can_mix = [{m for a in opts if len(a) > 1 for m in a} for opts in per_type]
        target = frozenset(on)

        def hopeful(t: int, senders: dict[int, tuple[int, ...]], n_mix: dict[int, int]) -> bool:
            for m in mix:
                later = tuple(u for u in range(t, T) if m in can[u])
                if n_mix[m] + sum(m in can_mix[u] for u in later) < len(B[m]) - 1:
                    return False
                if not self.receiver_can_mix(m, senders[m] + later, B[m]):
                    return False
            return True

        def rec(
            t: int,
            left: int,
            covered: frozenset[int],
            senders: dict[int, tuple[int, ...]],
            n_mix: dict[int, int],
        ) -> Iterator[tuple[tuple[int, ...], ...]]:
            if not hopeful(t, senders, n_mix):
                return
            if t == T:
                if left == 0 and covered == target:
                    yield ()
                return
            if not target - covered <= set().union(*can[t:]):
                return
            for a in per_type[t]:
                if len(a) - 1 > left:
                    continue
                s2 = {m: v + (t,) if m in a else v for m, v in senders.items()}
                n2 = {m: v + (m in a and len(a) > 1) for m, v in n_mix.items()}
                for tail in rec(t + 1, left - len(a) + 1, covered | set(a), s2, n2):
                    yield (a,) + tail

        return rec(0, extra, frozenset(), {m: () for m in on}, {m: 0 for m in on})

    def _span(self, t: int, m: int, B: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
        key = (t, m, B)
        if key not in self._spans:
            v = self.uS[t, m][list(B)]
            lo, hi = v.min(axis=0), v.max(axis=0)
            wide = hi - lo > 4.0 * self.tol  # every response has weight: stay off the ends
            lo, hi = (
                np.where(wide, lo + 2.0 * self.tol, lo),
                np.where(wide, hi - 2.0 * self.tol, hi),
            )
            self._spans[key] = (lo, hi)
        return self._spans[key]

    def _solve_support(
        self,
        A: tuple[tuple[int, ...], ...],
        on: list[int],
        senders: dict[int, tuple[int, ...]],
        Bs: tuple[tuple[int, ...], ...],
    ) -> _Candidate | None:
        T, M, N, R, tol = self.T, self.M, self.N, self.R, self.tol
        self.n_systems += 1
        B = dict(zip(on, Bs, strict=True))
        # receiver's indifference: linear in the weights pi_t q_tm (systems batch last)
        qi = {(t, m): j for j, (t, m) in enumerate((t, m) for t in range(T) for m in A[t])}
        n_q = len(qi)
        Aq = np.zeros((n_q, n_q, N))
        bq = np.zeros((n_q, N))
        row = 0
        for t in range(T):
            for m in A[t]:
                Aq[row, qi[t, m]] = 1.0
            bq[row] = 1.0
            row += 1
        for m in on:
            r0 = B[m][0]
            for r in B[m][1:]:
                for t in senders[m]:
                    Aq[row, qi[t, m]] = self.pi[t] * (self.uR[t, m, r] - self.uR[t, m, r0])
                row += 1
        xq, okq = _solve_batch(Aq, bq)
        valid = okq & np.all(xq > tol, axis=0)
        if not valid.any():  # the senders cannot make the receiver indifferent anywhere
            return None
        # senders' indifference: linear in the receiver's mixing
        si = {(m, r): j for j, (m, r) in enumerate((m, r) for m in on for r in B[m])}
        n_s = len(si)
        As = np.zeros((n_s, n_s, N))
        bs = np.zeros((n_s, N))
        row = 0
        for m in on:
            for r in B[m]:
                As[row, si[m, r]] = 1.0
            bs[row] = 1.0
            row += 1
        for t in range(T):
            m0 = A[t][0]
            for m in A[t][1:]:
                for r in B[m]:
                    As[row, si[m, r]] += self.uS[t, m, r]
                for r in B[m0]:
                    As[row, si[m0, r]] -= self.uS[t, m0, r]
                row += 1
        # solved first where the senders' weights work; elsewhere only for a candidate that
        # survives, whose type payoffs are reported at every point (each point on its own)
        xs = np.zeros((n_s, N))
        pts = np.flatnonzero(valid)
        sub, oks = _solve_batch(_at(As, pts), _at(bs, pts))
        xs[:, pts] = sub
        valid[pts] &= oks & np.all(sub > tol, axis=0)
        if not valid.any():
            return None
        others = np.ones(N, dtype=bool)
        others[pts] = False
        rest = np.flatnonzero(others)
        if rest.size:
            xs[:, rest] = _solve_batch(_at(As, rest), _at(bs, rest))[0]
        q = np.zeros((T, M, N))
        for (t, m), j in qi.items():
            q[t, m] = xq[j]
        sigma = np.zeros((M, R, N))
        for (m, r), j in si.items():
            sigma[m, r] = xs[j]
        # receiver optimality at every used message (Bayes posterior)
        for m in on:
            w = self.pi[:, None] * q[:, m][:, None]  # (T, 1, N)
            mass = np.sum(w[:, 0], axis=0)
            eu = np.sum(w * self.uR[:, m, : self.nR[m]], axis=0)
            eu = np.divide(eu, mass, out=np.zeros_like(eu), where=mass > 0)
            best = eu.max(axis=0)
            valid &= np.all(eu[list(B[m])] >= best - tol, axis=0)
        # senders: no used message does better than a type's own
        V = np.einsum("mrN,tmrN->tmN", sigma, self.uS)
        U = np.stack([V[t, A[t][0]] for t in range(T)])
        for m in on:
            valid &= np.all(V[:, m] <= U + tol, axis=0)
        for m in range(M):
            if m not in B and valid.any():
                valid = self.deterred(m, U, valid)
        if not valid.any():
            return None
        on_mask = np.zeros(M, dtype=bool)
        on_mask[on] = True
        # away from valid points keep valid distributions: uniform on the supports
        for t in range(T):
            q[t, :, ~valid] = 0.0
            for m in A[t]:
                q[t, m, ~valid] = 1.0 / len(A[t])
        for m in on:
            sigma[m, :, ~valid] = 0.0
            for r in B[m]:
                sigma[m, r, ~valid] = 1.0 / len(B[m])
        return _Candidate("mixed", q, sigma, on_mask, valid, U, A, Bs)


class _MessageView:
    """An unused message over extended points: (candidate, parameter point) pairs.

    ``cols`` maps each extended point to its parameter point; ``U`` ``(T, N')`` and ``valid``
    ``(N',)`` are the candidates' type payoffs and where they are equilibria. Feasibility
    problems are solved only at the extended points whose answer can matter; every point's
    answer is its own, so this changes nothing.
    """

    def __init__(self, sv: _Signalling, m: int, cols: np.ndarray):
        self.sv, self.m, self.cols = sv, m, cols
        self.T, self.Rm, self.N = sv.T, sv.nR[m], cols.size
        self.us = _at(sv.uS[:, m, : self.Rm], cols)  # (T, R, N')
        self.ur = _at(sv.uR[:, m, : self.Rm], cols)
        self.tol = sv.tol
        self.faces = sv.faces(m)
        self.open = {S: tuple(_at(a, cols) for a in sv.face(m, S)) for S in self.faces}

    def face_rows(self, S: tuple[int, ...]) -> np.ndarray:
        """:meth:`_Signalling.face_rows` over all types at the extended points."""
        u = self.ur
        rows = [u[:, r] - u[:, S[0]] for r in S[1:]]
        rows += [u[:, r] - u[:, S[0]] for r in range(self.Rm) if r not in S]
        if not rows:
            return np.zeros((0, self.T, self.N))
        return np.stack(rows)

    def face(self, S: tuple[int, ...], allowed: np.ndarray, where: np.ndarray) -> np.ndarray:
        """Is ``P_S`` restricted to the ``allowed`` ``(T, N')`` types non-empty (at ``where``).

        Where every type is allowed, that is ``P_S`` itself (already known); False off ``where``.
        """
        ok = self.open[S][0] & where
        pts = np.flatnonzero(where & ~np.all(allowed, axis=0))
        if pts.size:
            G = _at(self.face_rows(S), pts)
            ok[pts], _ = self.sv.feasible(
                G, np.zeros(G.shape[::2]), len(S) - 1, _at(allowed, pts), self.cols[pts]
            )
        return ok

    def region(self, U: np.ndarray, valid: np.ndarray) -> dict[str, Any]:
        F, T, N, Rm = len(self.faces), self.T, self.N, self.Rm
        supporting = np.zeros((F, N), dtype=bool)
        beliefs = np.full((F, T, N), np.nan)
        deterrents = np.full((F, Rm, N), np.nan)
        for i, S in enumerate(self.faces):
            fo, mu = self.open[S]
            pts = np.flatnonzero(fo & valid)  # deterring matters only where P_S is non-empty
            G = _at(self.us[:, list(S)], pts)  # (T, |S|, n)
            ok, sig = self.sv.feasible(G, _at(U, pts), 0, None, self.cols[pts])
            sup = pts[ok]
            supporting[i, sup] = True
            beliefs[i][:, sup] = _at(mu, sup)
            full = np.zeros((Rm, sup.size))
            full[list(S)] = sig[:, ok]
            deterrents[i][:, sup] = full
        return {
            "supporting": supporting,
            "beliefs": beliefs,
            "deterrents": deterrents,
            "intervals": self._intervals(supporting) if T == 2 else None,
        }

    def _intervals(self, supporting: np.ndarray) -> np.ndarray:
        """``P_S`` as ``[low, high]`` of mu(type 0) for two types (exact bounds, clipped)."""
        tol = self.tol
        out = np.full((len(self.faces), 2, self.N), np.nan)
        for i, S in enumerate(self.faces):
            sup = np.flatnonzero(supporting[i])
            rows = _at(self.face_rows(S), sup)
            c, d = rows[:, 0] - rows[:, 1], rows[:, 1]  # row value c x + d, x = mu(type 0)
            lo, hi = np.zeros(sup.size), np.ones(sup.size)
            steep = np.abs(c) > tol
            root = np.divide(-d, c, out=np.zeros_like(d), where=steep)
            for j in range(rows.shape[0]):
                if j < len(S) - 1:  # equality: x is pinned where the line is steep
                    lo = np.where(steep[j], np.maximum(lo, root[j]), lo)
                    hi = np.where(steep[j], np.minimum(hi, root[j]), hi)
                else:
                    hi = np.where(steep[j] & (c[j] > 0), np.minimum(hi, root[j]), hi)
                    lo = np.where(steep[j] & (c[j] < 0), np.maximum(lo, root[j]), lo)
            lo, hi = np.clip(lo, 0.0, 1.0), np.clip(hi, 0.0, 1.0)
            hi = np.maximum(hi, lo)
            out[i, 0, sup], out[i, 1, sup] = lo, hi
        return out

    def refine(
        self, U: np.ndarray, valid: np.ndarray, supporting: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Intuitive Criterion and D1: ``(passes_ic, J, passes_d1, E)`` over the points."""
        T, N, tol, u = self.T, self.N, self.tol, self.us
        # Intuitive Criterion
        best = np.full((T, N), -np.inf)
        for r in range(self.Rm):
            best = np.maximum(best, np.where(self.open[(r,)][0], u[:, r], -np.inf))
        J = U > best + tol
        keep = ~J | np.all(J, axis=0)[None]
        worst = np.full((T, N), np.inf)
        for r in range(self.Rm):
            rest = self.face((r,), keep, valid)
            worst = np.minimum(worst, np.where(rest, u[:, r], np.inf))
        ic = valid & ~np.any(worst > U + tol, axis=0)
        # D1: type t goes if D_t u D0_t lies inside D_t' for some other type t'
        E = np.zeros((T, N), dtype=bool)
        for t in range(T):
            for t2 in range(T):
                if t2 == t:
                    continue
                inside = valid.copy()
                for S in self.faces:
                    pts = np.flatnonzero(self.open[S][0] & inside)
                    if not pts.size:
                        continue
                    cols = list(S)
                    G = _at(np.stack([-u[t, cols], u[t2, cols]]), pts)  # (2, |S|, n)
                    h = _at(np.stack([-U[t], U[t2]]), pts)
                    hit, _ = self.sv.feasible(G, h, 0, None, self.cols[pts])
                    inside[pts[hit]] = False
                E[t] |= inside
        E &= ~np.all(E, axis=0)[None]
        d1 = np.zeros(N, dtype=bool)
        for i, S in enumerate(self.faces):
            if supporting[i].any():
                d1 |= self.face(S, ~E, supporting[i])
        return ic, J & valid, d1 & valid, E & valid


# -- assembling equilibria -----------------------------------------------------------------------
def _one_hot(choice: np.ndarray, n: int) -> np.ndarray:
    return (np.arange(n).reshape((n,) + (1,) * choice.ndim) == choice[None]).astype(np.float64)


def _continuation_profile(game: Game, choice: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {k: _one_hot(np.asarray(v), len(game.infosets[k].actions)) for k, v in choice.items()}


def _label(on: np.ndarray, n_types: int, mixed: bool) -> str:
    if mixed:
        return "semi-separating"
    used = int(on.sum())
    if used == 1:
        return "pooling"
    return "separating" if used == n_types else "partially pooling"


def _gathered(game: Game, cols: np.ndarray) -> Game:
    """The same tree with payoffs and probabilities taken at the flat batch indices ``cols``."""
    batch = game.batch_shape

    def take(v: Any) -> Any:
        v = np.asarray(v, dtype=np.float64)
        if v.ndim == 0:  # the same at every point: it broadcasts
            return v
        return np.take(np.broadcast_to(v, batch).reshape(-1), cols)

    built: list[Any] = [None] * len(game.nodes)
    for info in reversed(game.nodes):
        src = game.source(info.index)
        kids = [built[c] for c in info.children]
        if isinstance(src, Terminal):
            pay = src.payoffs
            if isinstance(pay, Mapping):
                built[info.index] = Terminal({k: take(v) for k, v in pay.items()}, src.label)
            else:
                built[info.index] = Terminal(tuple(take(v) for v in pay), src.label)
        elif isinstance(src, Chance):
            branches = zip(src.branches.items(), kids, strict=True)
            built[info.index] = Chance({k: (take(p), c) for (k, (p, _)), c in branches}, src.label)
        else:
            acts = game.infosets[src.infoset].actions  # children follow the set's action order
            built[info.index] = Decision(
                src.player, src.infoset, dict(zip(acts, kids, strict=True)), src.label
            )
    return Game(game.players, built[0], game.title)


def _finish(
    game: Game,
    profile: dict[str, np.ndarray],
    beliefs: dict[str, np.ndarray],
    tol: float,
) -> tuple[Certificate, dict[str, np.ndarray], np.ndarray]:
    """Certificate, outcome probabilities and expected payoffs of one assessment."""
    cert = assessment_certificate(game, profile, beliefs, tolerance=tol)
    # as Game.outcome_probabilities and Game.expected_payoffs, from one reach computation on the
    # profile the certificate has just validated (clipped to [0, 1] as Game.behaviour_table does)
    arrays = [np.asarray(profile[name], dtype=np.float64) for name in game.infosets]
    shape = np.broadcast_shapes(*(a.shape[1:] for a in arrays))
    table = np.clip(np.concatenate([to_batch(a, 1, shape) for a in arrays]), 0.0, 1.0)
    reach = game._reach(game._edge_table(table))[game.terminals]
    outcomes = {str(o): np.zeros(reach.shape[1:]) for o in Outcome}
    for row, node in enumerate(game.terminals):
        label = game.nodes[node].label
        if label in outcomes:
            outcomes[label] = outcomes[label] + reach[row]
    batch = np.broadcast_shapes(game.batch_shape, reach.shape[1:])
    pay = to_batch(game.payoffs, 2, batch)
    payoffs = np.einsum("z...,zp...->p...", to_batch(reach, 1, batch), pay)
    return cert, outcomes, payoffs


def _chunks(n_items: int, size: int = _CHUNK) -> list[slice]:
    """Split ``range(n_items)`` into consecutive slices of at most ``size`` items."""
    return [slice(i, min(n_items, i + size)) for i in range(0, n_items, size)]


def _blocks(rows: np.ndarray, n_rows: int) -> list[slice]:
    """Where each of ``range(n_rows)`` runs in the sorted ``rows`` (``np.nonzero`` order)."""
    bounds = np.searchsorted(rows, np.arange(n_rows + 1))
    return [slice(int(a), int(b)) for a, b in zip(bounds[:-1], bounds[1:], strict=True)]


def _pairs(a: np.ndarray, cs: np.ndarray, ps: np.ndarray) -> np.ndarray:
    """``a[cs, :, ps].T`` for ``a`` ``(C, n, N)``: ``(n, pairs)``, C-contiguous."""
    C, n, N = a.shape
    return np.take(a, (cs * n + np.arange(n)[:, None]) * N + ps)


def _signalling_equilibria(
    game: Game, sv: _Signalling, cands: list[_Candidate]
) -> list[PBEquilibrium]:
    """Regions, refinements, profiles and certificates of all candidates, batched across them.

    Work is done only at the (candidate, point) pairs where a candidate is an equilibrium, in
    chunks of pairs; the results are then spread over every candidate's full batch. The
    candidates' own arrays (``q``, ``sigma``) become the equilibria's; every other array of the
    equilibria is a view of one array over all candidates (``(C, ..., N)``).
    """
    st, batch, tol = sv.st, sv.st.batch_shape, sv.tol
    T, M, N, C = sv.T, sv.M, sv.N, len(cands)
    if C == 0:
        return []
    valid = np.stack([c.valid for c in cands])  # (C, N)
    U = np.stack([c.U for c in cands])  # (C, T, N)
    on = np.stack([c.on for c in cands])  # (C, M)
    ic, d1 = valid.copy(), valid.copy()
    beliefs: dict[str, np.ndarray] = {}  # receiver set -> (C, T, N), its nodes' order
    off_path: list[dict[str, OffPathRegion]] = [{} for _ in cands]
    elim_ic: list[dict[str, np.ndarray]] = [{} for _ in cands]
    elim_d1: list[dict[str, np.ndarray]] = [{} for _ in cands]
    for m in range(M):
        Rm, name, rset = sv.nR[m], st.messages[m], st.receiver_infosets[m]
        unused = np.flatnonzero(~on[:, m])
        if rset is None:
            for ci in unused:
                cands[ci].sigma[m, 0] = 1.0
            continue
        pos = np.argsort(st.node_position[m])  # node order -> type
        mu = beliefs[rset] = np.empty((C, T, N))
        for ci in np.flatnonzero(on[:, m]):  # Bayes' rule
            w = sv.pi * cands[ci].q[:, m]  # (T, N)
            mu[ci] = (w / w.sum(axis=0, keepdims=True))[pos]
        # regions and refinements at the (candidate, point) pairs where it is an equilibrium
        F = len(sv.faces(m))
        rows_all, pts_all = np.nonzero(valid[unused])  # pairs, candidate after candidate
        P = rows_all.size
        sup = np.zeros((F, P), dtype=bool)
        bel = np.full((F, T, P), np.nan)
        det = np.full((F, Rm, P), np.nan)
        spans = np.full((F, 2, P), np.nan) if T == 2 else None
        J = np.zeros((T, P), dtype=bool)
        E = np.zeros((T, P), dtype=bool)
        ok_ic = np.zeros(P, dtype=bool)
        ok_d1 = np.zeros(P, dtype=bool)
        for part in _chunks(P):
            pts = pts_all[part]
            view = _MessageView(sv, m, pts)
            Ue = _pairs(U, unused[rows_all[part]], pts)  # (T, pairs)
            yes = np.ones(pts.size, dtype=bool)
            reg = view.region(Ue, yes)
            ok_ic[part], J[:, part], ok_d1[part], E[:, part] = view.refine(
                Ue, yes, reg["supporting"]
            )
            sup[:, part], bel[..., part], det[..., part] = (
                reg["supporting"],
                reg["beliefs"],
                reg["deterrents"],
            )
            if spans is not None:
                spans[..., part] = reg["intervals"]
        # the representative belief and deterrent: the first supporting face (pure ones first)
        first, has, pick = np.argmax(sup, axis=0), sup.any(axis=0), np.arange(P)
        rep_mu = np.where(has, bel[first, :, pick].T, 1.0 / T)[pos]  # (T, P), node order
        rep_sigma = np.where(has, det[first, :, pick].T, 1.0 / Rm)  # (Rm, P)
        cands_all = unused[rows_all]
        ic[cands_all[~ok_ic], pts_all[~ok_ic]] = False
        d1[cands_all[~ok_d1], pts_all[~ok_d1]] = False
        # spread over the full batch: (unused candidate, ..., N), pair values and fill
        n_unused = unused.size
        spread = {
            "supporting": (sup, np.zeros((n_unused, F, N), dtype=bool)),
            "beliefs": (bel, np.full((n_unused, F, T, N), np.nan)),
            "deterrents": (det, np.full((n_unused, F, Rm, N), np.nan)),
            "J": (J, np.zeros((n_unused, T, N), dtype=bool)),
            "E": (E, np.zeros((n_unused, T, N), dtype=bool)),
        }
        if spans is not None:
            spread["intervals"] = (spans, np.full((n_unused, F, 2, N), np.nan))
        mu[unused] = 1.0 / T
        for j, (ci, block) in enumerate(zip(unused, _blocks(rows_all, n_unused), strict=True)):
            pts = pts_all[block]
            for pair_values, full in spread.values():
                _put_at(full[j], pts, pair_values[..., block])
            _put_at(mu[ci], pts, rep_mu[:, block])
            cands[ci].sigma[m, :Rm] = 1.0 / Rm
            _put_at(cands[ci].sigma[m, :Rm], pts, rep_sigma[:, block])
            mine = {key: _unflat(full[j], batch) for key, (_, full) in spread.items()}
            off_path[ci][name] = OffPathRegion(
                message=name,
                infoset=rset,
                types=st.types,
                responses=st.responses[m],
                faces=tuple(sv.faces(m)),
                supporting=mine["supporting"],
                beliefs=mine["beliefs"],
                deterrents=mine["deterrents"],
                intervals=mine.get("intervals"),
                u_receiver=_unflat(sv.uR[:, m, :Rm], batch),
                tolerance=tol,
            )
            elim_ic[ci][name] = mine["J"]
            elim_d1[ci][name] = mine["E"]
    # the profiles, (C, n_actions, N): continuation (the same for every candidate), then per
    # type and per receiver set
    profile: dict[str, np.ndarray] = {
        k: np.broadcast_to(_flat(v, 1, batch), (C, len(v), N)).copy()
        for k, v in _continuation_profile(game, st.continuation).items()
    }
    for t, iset in enumerate(st.type_infosets):
        order = [st.messages.index(a) for a in game.infosets[iset].actions]
        profile[iset] = np.empty((C, M, N))
        for i, cand in enumerate(cands):
            np.take(cand.q[t], order, axis=0, out=profile[iset][i])
    for m, rset in enumerate(st.receiver_infosets):
        if rset is not None:
            profile[rset] = np.empty((C, sv.nR[m], N))
            for i, cand in enumerate(cands):
                profile[rset][i] = cand.sigma[m, : sv.nR[m]]
    # certificates, payoffs and outcomes where each candidate is an equilibrium
    regret = np.full((C, N), np.nan)
    gap = np.full((C, N), np.nan)
    payoffs = np.full((game.n_players, C, N), np.nan)
    outcomes: dict[str, np.ndarray] = {}
    checks: dict[str, str] = {}
    cs_all, ps_all = np.nonzero(valid)
    for part in _chunks(cs_all.size, _CERT_CHUNK):
        cs, ps = cs_all[part], ps_all[part]
        prof = {k: _pairs(v, cs, ps) for k, v in profile.items()}
        chunk_beliefs = {k: _pairs(v, cs, ps) for k, v in beliefs.items()}
        cert, out, pay = _finish(_gathered(game, ps), prof, chunk_beliefs, tol)
        flat = cs * N + ps  # the pairs in (C, N) arrays
        regret.reshape(-1)[flat], gap.reshape(-1)[flat] = cert.max_regret, cert.bayes_gap
        _put_at(payoffs.reshape(-1, C * N), flat, pay)
        checks = cert.checks
        for k, v in out.items():
            outcomes.setdefault(k, np.full((C, N), np.nan)).reshape(-1)[flat] = v
    result = []
    for i, c in enumerate(cands):
        used_msgs = [m for m in range(M) if c.on[m]]
        support = (
            c.kind,
            tuple(tuple(st.messages[m] for m in a) for a in c.supports),
            tuple(
                (st.messages[m], tuple(st.responses[m][r] for r in B) if st.responses[m] else ())
                for m, B in zip(used_msgs, c.responses, strict=True)
            ),
        )
        result.append(
            PBEquilibrium(
                label=_label(c.on, T, c.kind == "mixed"),
                support=support,
                exists=_unflat(c.valid, batch),
                sender_strategy=_unflat(c.q, batch),
                receiver_strategy=_unflat(c.sigma, batch),
                offer=None,
                profile={k: _unflat(v[i], batch) for k, v in profile.items()},
                beliefs={k: _unflat(v[i], batch) for k, v in beliefs.items()},
                off_path=off_path[i],
                type_payoffs=_unflat(c.U, batch),
                payoffs=_unflat(payoffs[:, i], batch),
                outcome_probabilities={k: _unflat(v[i], batch) for k, v in outcomes.items()},
                intuitive=_unflat(ic[i], batch),
                d1=_unflat(d1[i], batch),
                intuitive_eliminated=elim_ic[i],
                d1_eliminated=elim_d1[i],
                certificate=Certificate(
                    max_regret=_unflat(regret[i], batch),
                    bayes_gap=_unflat(gap[i], batch),
                    tolerance=tol,
                    checks=dict(checks),
                ),
                types=st.types,
                message_labels=st.messages,
            )
        )
    return result


def _screening_equilibria(
    game: Game, st: ScreeningStructure, tol: float
) -> tuple[list[PBEquilibrium], np.ndarray]:
    batch = st.batch_shape
    T, O = len(st.types), len(st.offers)  # noqa: E741
    N = math.prod(batch)
    prior = _flat(st.prior, 2, batch)
    uU = _flat(st.u_uninformed, 2, batch)
    uI = _flat(st.u_informed, 2, batch)
    eu = np.einsum("toN,toN->oN", prior, uU)
    best = eu >= eu.max(axis=0) - tol
    cont = {k: _flat(v, 0, batch) for k, v in st.continuation.items()}
    iset = game.infosets[st.offer_infoset]
    out = []
    for o, offer in enumerate(st.offers):
        if not best[o].any():
            continue
        # the informed types' first responses to the offer, per point
        first = []
        for t in range(T):
            info = game.nodes[st.type_nodes[t][o]]
            if info.kind == "decision" and info.infoset in cont:
                acts = np.array(game.infosets[info.infoset].actions, dtype=object)
                first.append(acts[cont[info.infoset].astype(np.int64)])
            else:
                first.append(np.full(N, "", dtype=object))
        pattern = np.stack(first)  # (T, N)
        seen = []
        for i in np.flatnonzero(best[o]):
            key = tuple(pattern[:, i])
            if key not in seen:
                seen.append(key)
        for key in seen:
            valid = best[o] & np.all(pattern == np.array(key, dtype=object)[:, None], axis=0)
            profile = _continuation_profile(game, st.continuation)
            profile[iset.name] = _unflat(
                np.repeat((np.arange(O) == o).astype(float)[:, None], N, axis=1), batch
            )
            beliefs = {}
            if len(iset.nodes) > 1:
                mu = np.zeros((len(iset.nodes), N))
                for t in range(T):
                    parent = game.nodes[st.type_nodes[t][o]].parent
                    mu[iset.nodes.index(parent)] = prior[t, o]
                beliefs[iset.name] = _unflat(mu, batch)
            cert, outcomes, payoffs = _finish(game, profile, beliefs, tol)
            yes = _unflat(valid, batch)
            cert = Certificate(
                max_regret=np.where(yes, cert.max_regret, np.nan),
                bayes_gap=np.where(yes, cert.bayes_gap, np.nan),
                tolerance=cert.tolerance,
                checks=cert.checks,
            )
            outcomes = {k: np.where(yes, v, np.nan) for k, v in outcomes.items()}
            payoffs = np.where(yes, payoffs, np.nan)
            distinct = len(set(key))
            label = (
                "pooling"
                if distinct == 1
                else "separating"
                if distinct == T
                else "partially pooling"
            )
            out.append(
                PBEquilibrium(
                    label=label,
                    support=("offer", offer, key),
                    exists=yes,
                    sender_strategy=None,
                    receiver_strategy=None,
                    offer=offer,
                    profile=profile,
                    beliefs=beliefs,
                    off_path={},
                    type_payoffs=_unflat(uI[:, o], batch),
                    payoffs=payoffs,
                    outcome_probabilities=outcomes,
                    intuitive=yes.copy(),
                    d1=yes.copy(),
                    intuitive_eliminated={},
                    d1_eliminated={},
                    certificate=cert,
                    types=st.types,
                    message_labels=st.offers,
                )
            )
    return out, _unflat(best.sum(axis=0) > 1, batch)


def _combined(
    equilibria: Sequence[PBEquilibrium], batch: tuple[int, ...], tol: float
) -> Certificate:
    regret = np.zeros(batch)
    gap = np.zeros(batch)
    checks: dict[str, str] = {}
    for e in equilibria:
        regret = np.maximum(regret, np.where(e.exists, e.certificate.max_regret, 0.0))
        gap = np.maximum(gap, np.where(e.exists, e.certificate.bayes_gap, 0.0))
        checks = dict(e.certificate.checks)
    checks["scope"] = "worst over the equilibria that exist at each point"
    return Certificate(max_regret=regret, bayes_gap=gap, tolerance=tol, checks=checks)


def pbe_solve(
    game: Game,
    *,
    mixed: bool = True,
    tolerance: float = TOLERANCE,
    point: int | tuple[int, ...] | None = None,
) -> PBEResult:
    """Enumerate the perfect Bayesian equilibria of a signalling or screening game.

    Parameters
    ----------
    game : Game
        A signalling or screening tree (module docstring), possibly batched.
    mixed : bool
        Also enumerate semi-separating equilibria (supports with some type mixing).
    tolerance : float
        Relative tolerance: payoff comparisons, ties and the certificates use ``tolerance``
        times the payoff scale ``max(1, max |payoff|)``.
    point : int or tuple of int, optional
        Solve only this parameter point of a batched game (``game.point(point)``).

    Returns
    -------
    PBEResult

    Raises
    ------
    TypeError
        If ``game`` is not a :class:`~model.tree.Game`, ``mixed`` is not a bool or
        ``tolerance`` is not a real number.
    ValueError
        If the tree is neither a signalling nor a screening game (the message names the node or
        information set), a type has zero prior, ``tolerance`` is negative or not finite,
        ``point`` does not pick a point, or the enumeration exceeds :data:`MAX_PURE_CANDIDATES`
        or :data:`MAX_SUPPORTS`.
    """
    if not isinstance(game, Game):
        raise TypeError(f"game must be a model.tree.Game, got {type(game).__name__}")
    mixed = require_flag("mixed", mixed)
    tolerance = require_tolerance("tolerance", tolerance)
    if point is not None:
        point_index(game.batch_shape, point)
        game = game.point(point)
    scale = _scale(game)
    tol = tolerance * scale
    st = signalling_structure(game, tolerance=tolerance)
    batch = st.batch_shape
    parameters: dict[str, Any] = {
        "mixed": mixed,
        "tolerance": tolerance,
        "scale": scale,
        "point": point,
        "tie_rule": "continuations: the first action within tolerance of the best",
    }
    if isinstance(st, ScreeningStructure):
        equilibria, offer_ties = _screening_equilibria(game, st, tol)
        ties = dict(st.ties)
        ties[st.offer_infoset] = offer_ties
        converged = np.ones(batch, dtype=bool)
        parameters.update(kind="screening", offers_tried=len(st.offers))
    else:
        sv = _Signalling(st, tol)
        cands = sv.pure()
        if mixed:
            cands += sv.mixed()
        equilibria = _signalling_equilibria(game, sv, cands)
        ties = dict(st.ties)
        converged = _unflat(~sv.feasible.failed, batch)
        parameters.update(
            kind="signalling",
            sender_strategies_tried=sv.n_pure,
            support_systems_solved=sv.n_systems,
            highs_problems=sv.feasible.n_lp,
        )
    return PBEResult(
        method=METHOD,
        parameters=parameters,
        game=game,
        structure=st,
        equilibria=tuple(equilibria),
        ties=ties,
        converged=np.asarray(converged),
        certificate=_combined(equilibria, batch, tol),
    )
