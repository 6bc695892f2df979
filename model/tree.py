"""Finite extensive-form games with chance moves, information sets and batched payoffs.

A game is built from three immutable node values and then frozen into a :class:`Game`, which
flattens the tree into arrays and validates it:

* :class:`Terminal` ``(payoffs)``: one payoff per player;
* :class:`Chance` ``({label: (probability, child)})``: a move of nature;
* :class:`Decision` ``(player, infoset, {action: child})``: a move of ``player`` at the
  information set named ``infoset``; every node carrying that name belongs to one information set.

One tree shape serves many parameter points at once: every terminal payoff and every chance
probability may be an array, and they all broadcast to one common batch shape.

Array convention
----------------
``game.batch_shape`` is the broadcast shape of all terminal payoffs and chance probabilities
(``()`` for a single parameter point). Leading axes index the game's objects, trailing axes are
the batch:

* ``game.payoffs``: ``(n_terminals, n_players, *batch_shape)``, terminals in ``game.terminals``
  order, players in ``game.players`` order;
* a *behaviour profile* maps every information set name to the probabilities of its actions,
  array-like of shape ``(n_actions, *batch)`` (or a mapping ``action -> probability``); its batch
  axes broadcast with ``game.batch_shape``;
* :meth:`Game.reach_probabilities` returns ``(n_nodes, *batch)`` and :meth:`Game.node_values`
  ``(n_nodes, n_players, *batch)``, nodes in ``game.nodes`` (pre-order) order;
* :meth:`Game.expected_payoffs` returns ``(n_players, *batch)``;
* a pure strategy of a player is a row of action indices, one per information set of that player
  in :meth:`Game.infosets_of` order.

All returned arrays are float64 (index arrays int64).

Validation
----------
:class:`Game` raises ``ValueError`` naming the node (by its path from the root, e.g.
``root/d3/fight``) or the information set and the problem when: a chance node's probabilities
leave [0, 1] or do not sum to one at some batch point; a terminal has the wrong number of payoffs
or non-finite ones; the nodes of an information set belong to different players or offer
different actions; a decision names an unknown player; or the game violates *perfect recall*:
every node of an information set must be reached after the same sequence of the owning player's
own (information set, action) pairs (Kuhn 1953; Osborne and Rubinstein 1994, Def. 203.3).

References
----------
.. [1] Kuhn, H. W. (1953). Extensive games and the problem of information. In *Contributions to
   the Theory of Games II*, Annals of Mathematics Studies 28, pp. 193-216.
.. [2] Osborne, M. J. and Rubinstein, A. (1994). *A Course in Game Theory*. MIT Press, ch. 11.
.. [3] von Stengel, B. (1996). Efficient computation of behavior strategies. *Games and Economic
   Behavior* 14: 220-246 (sequences of own moves, used here for perfect recall).

Examples
--------
Selten's entry game: the entrant stays out (0, 2) or enters; the incumbent then fights (-1, -1)
or accommodates (1, 1).

>>> game = Game(
...     ("entrant", "incumbent"),
...     Decision("entrant", "E", {
...         "out": Terminal((0.0, 2.0)),
...         "in": Decision("incumbent", "I", {
...             "fight": Terminal((-1.0, -1.0)),
...             "accommodate": Terminal((1.0, 1.0)),
...         }),
...     }),
... )
>>> game.is_perfect_information, game.num_pure_strategies("incumbent")
(True, 2)
>>> profile = {"E": [0.5, 0.5], "I": [0.0, 1.0]}
>>> game.expected_payoffs(profile).tolist()
[0.5, 1.5]
>>> Game(("a",), Chance({"h": (0.6, Terminal((1.0,))), "t": (0.6, Terminal((0.0,)))}))
Traceback (most recent call last):
...
ValueError: chance node 'root': probabilities sum to 1.2, not 1
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = [
    "PROB_TOL",
    "Chance",
    "Decision",
    "Game",
    "InfoSet",
    "Node",
    "NodeInfo",
    "Terminal",
    "point_index",
    "to_batch",
]

#: Tolerance for probabilities: range [0 - tol, 1 + tol] and ``|sum - 1| <= tol``.
PROB_TOL = 1e-9


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


def _numbers(value: Any, what: str) -> np.ndarray:
    if isinstance(value, bool | str | bytes) or value is None:
        raise ValueError(f"{what} = {value!r} must be a number or an array of numbers")
    try:
        return np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{what} = {value!r} must be a number or an array of numbers") from None


def point_index(batch_shape: tuple[int, ...], index: Any) -> tuple[int, ...]:
    """Check that ``index`` picks one point of ``batch_shape`` and normalise it.

    Parameters
    ----------
    batch_shape : tuple of int
        Shape of the parameter points.
    index : int or tuple of int
        One integer per batch axis (a bare int for one axis); negative entries count from the
        end, as in numpy.

    Returns
    -------
    tuple of int
        One non-negative index per batch axis.

    Raises
    ------
    TypeError
        If ``index`` is not an integer or a tuple of integers.
    ValueError
        If it does not hold one entry per batch axis, or an entry lies outside
        ``-n <= i < n`` for its axis of length ``n``.
    """
    items = index if isinstance(index, tuple) else (index,)
    ranges = ", ".join(f"{-n} <= i < {n}" for n in batch_shape) or "none (only () is valid)"
    for i in items:
        if isinstance(i, bool | np.bool_) or not isinstance(i, int | np.integer):
            raise TypeError(
                f"point = {index!r} must be an integer or a tuple of integers, one per batch "
                f"axis of the batch shape {batch_shape} (valid ranges: {ranges})"
            )
    if len(items) != len(batch_shape) or any(
        not -n <= i < n for i, n in zip(items, batch_shape, strict=True)
    ):
        raise ValueError(
            f"point = {index!r} does not pick one point of the batch shape {batch_shape}: it "
            f"needs {len(batch_shape)} integer(s), with {ranges}"
        )
    return tuple(int(i) % n for i, n in zip(items, batch_shape, strict=True))


def _check_label(label: Any, what: str) -> str:
    if not isinstance(label, str) or not label:
        raise ValueError(f"{what} must be a non-empty string, got {label!r}")
    return label


@dataclass(frozen=True, eq=False)
class Terminal:
    """An end of the game with one payoff per player.

    Parameters
    ----------
    payoffs : sequence or mapping
        One payoff per player, in the game's player order, or a mapping ``player -> payoff``.
        Each payoff is a number or an array over parameter points.
    label : str, optional
        A name shown in error messages and descriptions.
    """

    payoffs: Any
    label: str | None = None

    def __post_init__(self) -> None:
        what = f"payoffs of terminal {self.label!r}" if self.label else "terminal payoffs"
        if isinstance(self.payoffs, Mapping):
            if not self.payoffs:
                raise ValueError(f"{what} must name at least one player")
            vals: Any = {
                _check_label(k, "a player name"): _readonly(_numbers(v, f"{what}[{k!r}]"))
                for k, v in self.payoffs.items()
            }
            vals = MappingProxyType(vals)
        elif isinstance(self.payoffs, Sequence | np.ndarray) and not isinstance(
            self.payoffs, str | bytes
        ):
            if len(self.payoffs) == 0:
                raise ValueError(f"{what} must hold one payoff per player; got none")
            vals = tuple(_readonly(_numbers(v, f"{what}[{i}]")) for i, v in enumerate(self.payoffs))
        else:
            raise ValueError(
                f"{what} = {self.payoffs!r} must be a sequence (one payoff per player) or a "
                "mapping player -> payoff"
            )
        object.__setattr__(self, "payoffs", vals)


@dataclass(frozen=True, eq=False)
class Chance:
    """A move of nature: ``branches`` maps an outcome label to ``(probability, child)``.

    Probabilities may be arrays over parameter points; :class:`Game` checks that they lie in
    [0, 1] and sum to one at every point.
    """

    branches: Mapping[str, tuple[Any, Node]]
    label: str | None = None

    def __post_init__(self) -> None:
        who = f"chance node {self.label!r}" if self.label else "chance node"
        if not isinstance(self.branches, Mapping) or not self.branches:
            raise ValueError(f"{who}: branches must be a non-empty mapping label -> (prob, child)")
        out = {}
        for k, v in self.branches.items():
            _check_label(k, f"{who}: a branch label")
            if not (isinstance(v, tuple | list) and len(v) == 2):
                raise ValueError(f"{who}: branch {k!r} must be a pair (probability, child)")
            prob, child = v
            if not isinstance(child, Terminal | Chance | Decision):
                raise ValueError(f"{who}: branch {k!r} leads to {child!r}, which is not a node")
            out[k] = (_readonly(_numbers(prob, f"{who}: probability of {k!r}")), child)
        object.__setattr__(self, "branches", MappingProxyType(out))


@dataclass(frozen=True, eq=False)
class Decision:
    """A move of ``player`` at the information set named ``infoset``.

    Parameters
    ----------
    player : str
        Who moves; one of the game's players.
    infoset : str
        Name of the information set. Nodes sharing a name form one information set; the name is
        unique across the game (it is the key of behaviour profiles).
    actions : mapping
        ``action label -> child node``; every node of an information set offers the same labels.
    label : str, optional
        A name shown in error messages and descriptions.
    """

    player: str
    infoset: str
    actions: Mapping[str, Node]
    label: str | None = None

    def __post_init__(self) -> None:
        _check_label(self.player, "a decision's player")
        _check_label(self.infoset, f"the information set name of {self.player!r}'s decision")
        who = f"decision at information set {self.infoset!r}"
        if not isinstance(self.actions, Mapping) or not self.actions:
            raise ValueError(f"{who}: actions must be a non-empty mapping action -> child")
        for k, child in self.actions.items():
            _check_label(k, f"{who}: an action label")
            if not isinstance(child, Terminal | Chance | Decision):
                raise ValueError(f"{who}: action {k!r} leads to {child!r}, which is not a node")
        object.__setattr__(self, "actions", MappingProxyType(dict(self.actions)))


Node = Terminal | Chance | Decision


@dataclass(frozen=True)
class NodeInfo:
    """One node of a flattened game.

    Attributes
    ----------
    index : int
        Position in ``game.nodes`` (pre-order: a parent precedes its children).
    name : str
        Path from the root, e.g. ``"root/in/fight"``.
    kind : {"terminal", "chance", "decision"}
    parent : int
        Index of the parent; -1 for the root.
    edge : str
        Label of the action or chance outcome leading here ("" for the root).
    depth : int
        Number of moves from the root.
    children : tuple of int
        Children, in action order of the information set (decisions) or branch order (chance).
    player, infoset : str or None
        Mover and information set of a decision node.
    label : str or None
        The node's own label, if it was given one.
    """

    index: int
    name: str
    kind: str
    parent: int
    edge: str
    depth: int
    children: tuple[int, ...]
    player: str | None
    infoset: str | None
    label: str | None


@dataclass(frozen=True)
class InfoSet:
    """An information set: its owner, its actions and its nodes.

    ``first_slot`` locates its actions in the game's flat table of action slots (slots of one
    information set are contiguous); ``sequence`` is the owner's sequence of own
    ``(infoset, action)`` pairs leading to every node of it (identical by perfect recall).
    """

    name: str
    player: str
    actions: tuple[str, ...]
    nodes: tuple[int, ...]
    first_slot: int
    sequence: tuple[tuple[str, str], ...]

    @property
    def slots(self) -> range:
        """Action slots of this information set."""
        return range(self.first_slot, self.first_slot + len(self.actions))


def _describe(name: str, label: str | None) -> str:
    return f"{name!r} (label {label!r})" if label and label != name else repr(name)


@dataclass(frozen=True, eq=False)
class Game:
    """A finite extensive-form game with perfect recall, flattened and validated.

    Parameters
    ----------
    players : sequence of str
        Player names (unique); terminal payoffs follow this order.
    root : Node
        The root of the tree built from :class:`Terminal`, :class:`Chance` and
        :class:`Decision`.
    title : str
        A one-line description.
    annotations : mapping
        Free, read-only data about the game (e.g. the parameter values behind action labels).

    Attributes
    ----------
    nodes : tuple of NodeInfo
        All nodes in pre-order.
    infosets : mapping str -> InfoSet
        All information sets in order of first appearance.
    terminals : ndarray of int
        Node indices of the terminals (rows of ``payoffs``).
    payoffs : ndarray
        ``(n_terminals, n_players, *batch_shape)``.
    batch_shape : tuple of int
        Common broadcast shape of all payoffs and chance probabilities.
    """

    players: tuple[str, ...]
    root: Node
    title: str = ""
    annotations: Mapping[str, Any] = field(default_factory=dict)

    nodes: tuple[NodeInfo, ...] = field(init=False, repr=False)
    infosets: Mapping[str, InfoSet] = field(init=False, repr=False)
    terminals: np.ndarray = field(init=False, repr=False)
    payoffs: np.ndarray = field(init=False, repr=False)
    batch_shape: tuple[int, ...] = field(init=False, repr=False)
    # flat tables used by the solvers and checks (private: their layout may change)
    _sources: tuple[Node, ...] = field(init=False, repr=False)
    _chance: np.ndarray = field(init=False, repr=False)
    _n_slots: int = field(init=False, repr=False)
    _edge_row: np.ndarray = field(init=False, repr=False)
    _parent: np.ndarray = field(init=False, repr=False)
    _depth: np.ndarray = field(init=False, repr=False)
    _kind: np.ndarray = field(init=False, repr=False)
    _mover: np.ndarray = field(init=False, repr=False)
    _last_seq: np.ndarray = field(init=False, repr=False)
    _slot_infoset: np.ndarray = field(init=False, repr=False)
    _slot_action: np.ndarray = field(init=False, repr=False)
    _slot_player: np.ndarray = field(init=False, repr=False)
    _iset_parent_seq: np.ndarray = field(init=False, repr=False)
    _iset_own_depth: np.ndarray = field(init=False, repr=False)
    _iset_first_slot: np.ndarray = field(init=False, repr=False)
    _iset_player: np.ndarray = field(init=False, repr=False)
    _iset_n_actions: tuple[int, ...] = field(init=False, repr=False)
    _node_infoset: np.ndarray = field(init=False, repr=False)
    _levels: tuple[np.ndarray, ...] = field(init=False, repr=False)
    # per level below the root: its nodes, their parents and edge rows, and the distinct
    # parents with the first position of their children (children are consecutive)
    _steps: tuple[tuple[np.ndarray, ...], ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        players = self.players
        if isinstance(players, str) or not isinstance(players, Sequence) or not players:
            raise ValueError(f"players = {players!r} must be a non-empty sequence of names")
        players = tuple(_check_label(p, "a player name") for p in players)
        if len(set(players)) != len(players):
            raise ValueError(f"players = {players!r} contains a name twice")
        if not isinstance(self.root, Terminal | Chance | Decision):
            raise ValueError(f"root = {self.root!r} is not a Terminal, Chance or Decision node")
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "annotations", MappingProxyType(dict(self.annotations)))
        self._flatten()

    # -- construction ---------------------------------------------------------------------------
    def _flatten(self) -> None:  # noqa: C901 - one pass that builds and checks every table
        players = self.players
        pindex = {p: i for i, p in enumerate(players)}
        n_players = len(players)
        infos: list[dict[str, Any]] = []
        sources: list[Node] = []
        # per node and player: the player's own sequence of (infoset, action) pairs so far
        seqs: list[tuple[tuple[tuple[str, str], ...], ...]] = []
        iset_actions: dict[str, tuple[str, ...]] = {}
        iset_player: dict[str, str] = {}
        iset_nodes: dict[str, list[int]] = {}
        iset_first: dict[str, int] = {}
        stack: list[tuple[Node, int, str]] = [(self.root, -1, "")]
        while stack:
            node, parent, edge = stack.pop()
            idx = len(infos)
            if parent < 0:
                name, depth, seq = "root", 0, tuple(() for _ in players)
            else:
                name = f"{infos[parent]['name']}/{edge}"
                depth = infos[parent]["depth"] + 1
                seq = seqs[parent]
                pnode = sources[parent]
                if isinstance(pnode, Decision):
                    k = pindex[pnode.player]
                    seq = seq[:k] + (seq[k] + ((pnode.infoset, edge),),) + seq[k + 1 :]
                infos[parent]["children"].append(idx)
            info: dict[str, Any] = {
                "name": name,
                "parent": parent,
                "edge": edge,
                "depth": depth,
                "children": [],
                "player": None,
                "infoset": None,
                "label": node.label,
            }
            where = _describe(name, node.label)
            if isinstance(node, Terminal):
                info["kind"] = "terminal"
            elif isinstance(node, Chance):
                info["kind"] = "chance"
                children = list(node.branches.items())
                stack.extend((child, idx, k) for k, (_, child) in reversed(children))
            else:
                info["kind"] = "decision"
                if node.player not in pindex:
                    raise ValueError(
                        f"decision node {where}: player {node.player!r} is not one of the "
                        f"players {players}"
                    )
                iset = node.infoset
                labels = tuple(node.actions)
                if iset not in iset_player:
                    iset_player[iset] = node.player
                    iset_actions[iset] = labels
                    iset_nodes[iset] = []
                    iset_first[iset] = idx
                else:
                    first = _describe(infos[iset_first[iset]]["name"], None)
                    if iset_player[iset] != node.player:
                        raise ValueError(
                            f"information set {iset!r} mixes players: {iset_player[iset]!r} "
                            f"moves at node {first} but {node.player!r} at node {where}"
                        )
                    if set(labels) != set(iset_actions[iset]):
                        raise ValueError(
                            f"information set {iset!r} has different actions at its nodes: "
                            f"{list(iset_actions[iset])} at node {first} but {list(labels)} at "
                            f"node {where}"
                        )
                iset_nodes[iset].append(idx)
                info["player"], info["infoset"] = node.player, iset
                order = iset_actions[iset]
                stack.extend((node.actions[a], idx, a) for a in reversed(order))
            infos.append(info)
            sources.append(node)
            seqs.append(seq)

        # information sets: perfect recall, action slots
        infosets: dict[str, InfoSet] = {}
        slot = 0
        for iset, members in iset_nodes.items():
            k = pindex[iset_player[iset]]
            ref = seqs[members[0]][k]
            for m in members[1:]:
                if seqs[m][k] != ref:
                    raise ValueError(
                        f"imperfect recall at information set {iset!r} of player "
                        f"{iset_player[iset]!r}: node {_describe(infos[members[0]]['name'], None)} "
                        f"is reached after own moves {list(ref)} but node "
                        f"{_describe(infos[m]['name'], None)} after {list(seqs[m][k])}"
                    )
            if any(pair[0] == iset for pair in ref):
                raise ValueError(
                    f"imperfect recall at information set {iset!r} of player "
                    f"{iset_player[iset]!r}: a path passes through it twice (absent-mindedness)"
                )
            infosets[iset] = InfoSet(
                name=iset,
                player=iset_player[iset],
                actions=iset_actions[iset],
                nodes=tuple(members),
                first_slot=slot,
                sequence=ref,
            )
            slot += len(iset_actions[iset])
        n_slots = slot

        # payoffs, chance probabilities and their common batch shape
        batch: tuple[int, ...] = ()
        term_idx, term_vals, chance_rows, chance_nodes = [], [], [], []
        for idx, (node, info) in enumerate(zip(sources, infos, strict=True)):
            where = _describe(info["name"], node.label)
            vals: list[np.ndarray] = []
            if isinstance(node, Terminal):
                pay = node.payoffs
                if isinstance(pay, Mapping):
                    unknown, missing = set(pay) - set(players), set(players) - set(pay)
                    if unknown or missing:
                        raise ValueError(
                            f"terminal node {where}: payoffs name players {sorted(pay)} but the "
                            f"game's players are {list(players)}"
                        )
                    vals = [pay[p] for p in players]
                else:
                    if len(pay) != n_players:
                        raise ValueError(
                            f"terminal node {where}: {len(pay)} payoff(s) given but the game has "
                            f"{n_players} player(s) {players}"
                        )
                    vals = list(pay)
                term_idx.append(idx)
                term_vals.append(vals)
            elif isinstance(node, Chance):
                vals = [prob for prob, _ in node.branches.values()]
                chance_nodes.append(idx)
                chance_rows.extend(vals)
            for v in vals:
                try:
                    batch = np.broadcast_shapes(batch, v.shape)
                except ValueError:
                    raise ValueError(
                        f"node {where}: a value of shape {v.shape} does not broadcast with the "
                        f"batch shape {batch} of the nodes before it"
                    ) from None
        for idx in chance_nodes:
            node = sources[idx]
            assert isinstance(node, Chance)
            where = _describe(infos[idx]["name"], node.label)
            probs = np.stack(np.broadcast_arrays(*(p for p, _ in node.branches.values())))
            _check_distribution(probs, tuple(node.branches), f"chance node {where}")

        n_nodes = len(infos)
        nodes = tuple(
            NodeInfo(
                index=i,
                name=d["name"],
                kind=d["kind"],
                parent=d["parent"],
                edge=d["edge"],
                depth=d["depth"],
                children=tuple(d["children"]),
                player=d["player"],
                infoset=d["infoset"],
                label=d["label"],
            )
            for i, d in enumerate(infos)
        )
        payoffs = np.empty((len(term_idx), n_players) + batch)
        for r, vals in enumerate(term_vals):
            for c, v in enumerate(vals):
                payoffs[r, c] = v
        finite = np.isfinite(payoffs).reshape(len(term_idx) * n_players, -1).all(axis=1)
        if not finite.all():
            r, c = divmod(int(np.flatnonzero(~finite)[0]), n_players)
            where = _describe(infos[term_idx[r]]["name"], sources[term_idx[r]].label)
            raise ValueError(f"terminal node {where}: payoff of {players[c]!r} is not finite")
        chance = np.empty((len(chance_rows),) + batch)
        for r, v in enumerate(chance_rows):
            chance[r] = np.clip(v, 0.0, 1.0)

        # edge table: row of each non-root node in concat(chance probabilities, action slots)
        n_chance = len(chance_rows)
        edge_row = np.full(n_nodes, -1, dtype=np.int64)
        c = 0
        for idx in range(n_nodes):
            info = infos[idx]
            if info["kind"] == "chance":
                for child in info["children"]:
                    edge_row[child] = c
                    c += 1
            elif info["kind"] == "decision":
                first = infosets[info["infoset"]].first_slot
                for j, child in enumerate(info["children"]):
                    edge_row[child] = n_chance + first + j
        # per player, per node: last own sequence as a slot id + 1 (0: the empty sequence)
        slot_of = {
            (iset.name, a): iset.first_slot + j
            for iset in infosets.values()
            for j, a in enumerate(iset.actions)
        }
        last_seq = np.zeros((n_players, n_nodes), dtype=np.int64)
        for idx, s in enumerate(seqs):
            for k in range(n_players):
                if s[k]:
                    last_seq[k, idx] = slot_of[s[k][-1]] + 1
        slot_infoset = np.empty(n_slots, dtype=np.int64)
        slot_action = np.empty(n_slots, dtype=np.int64)
        slot_player = np.empty(n_slots, dtype=np.int64)
        iset_parent_seq = np.empty(len(infosets), dtype=np.int64)
        iset_own_depth = np.empty(len(infosets), dtype=np.int64)
        for j, iset in enumerate(infosets.values()):
            for a in range(len(iset.actions)):
                slot_infoset[iset.first_slot + a] = j
                slot_action[iset.first_slot + a] = a
                slot_player[iset.first_slot + a] = pindex[iset.player]
            iset_parent_seq[j] = slot_of[iset.sequence[-1]] + 1 if iset.sequence else 0
            iset_own_depth[j] = len(iset.sequence)
        iset_first_slot = np.array([i.first_slot for i in infosets.values()], dtype=np.int64)
        iset_mover = np.array([pindex[i.player] for i in infosets.values()], dtype=np.int64)
        iset_of = {name: j for j, name in enumerate(infosets)}
        node_infoset = np.array(
            [iset_of[d["infoset"]] if d["infoset"] is not None else -1 for d in infos],
            dtype=np.int64,
        )
        node_depth = np.array([d["depth"] for d in infos], dtype=np.int64)
        node_parent = np.array([d["parent"] for d in infos], dtype=np.int64)
        levels = tuple(np.flatnonzero(node_depth == d) for d in range(node_depth.max() + 1))
        # within a level (in pre-order) the children of one parent are consecutive: sums over
        # children are np.add.reduceat over the level
        steps = []
        for level in levels[1:]:
            up = node_parent[level]
            heads = np.flatnonzero(np.concatenate([[True], up[1:] != up[:-1]]))
            step = (level.copy(), up, edge_row[level], up[heads], heads)
            steps.append(tuple(_readonly(a) for a in step))
        kind = np.array([{"terminal": 0, "chance": 1, "decision": 2}[d["kind"]] for d in infos])
        mover = np.array([pindex[d["player"]] if d["player"] else -1 for d in infos])

        set_ = object.__setattr__
        set_(self, "nodes", nodes)
        set_(self, "infosets", MappingProxyType(infosets))
        set_(self, "terminals", _readonly(np.array(term_idx, dtype=np.int64)))
        set_(self, "payoffs", _readonly(payoffs))
        set_(self, "batch_shape", tuple(batch))
        set_(self, "_sources", tuple(sources))
        set_(self, "_chance", _readonly(chance))
        set_(self, "_n_slots", n_slots)
        set_(self, "_edge_row", _readonly(edge_row))
        set_(self, "_parent", _readonly(node_parent))
        set_(self, "_depth", _readonly(node_depth))
        set_(self, "_kind", _readonly(kind))
        set_(self, "_mover", _readonly(mover))
        set_(self, "_last_seq", _readonly(last_seq))
        set_(self, "_slot_infoset", _readonly(slot_infoset))
        set_(self, "_slot_action", _readonly(slot_action))
        set_(self, "_slot_player", _readonly(slot_player))
        set_(self, "_iset_parent_seq", _readonly(iset_parent_seq))
        set_(self, "_iset_own_depth", _readonly(iset_own_depth))
        set_(self, "_iset_first_slot", _readonly(iset_first_slot))
        set_(self, "_iset_player", _readonly(iset_mover))
        set_(self, "_iset_n_actions", tuple(len(i.actions) for i in infosets.values()))
        set_(self, "_node_infoset", _readonly(node_infoset))
        set_(self, "_levels", levels)
        set_(self, "_steps", tuple(steps))

    # -- structure ------------------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def n_slots(self) -> int:
        """Total number of actions over all information sets."""
        return self._n_slots

    def player_index(self, player: str) -> int:
        """Return the position of ``player`` in :attr:`players`."""
        try:
            return self.players.index(player)
        except ValueError:
            raise ValueError(f"unknown player {player!r}; players are {self.players}") from None

    def infosets_of(self, player: str) -> tuple[InfoSet, ...]:
        """Return the information sets of ``player``, in order of first appearance."""
        self.player_index(player)
        return tuple(i for i in self.infosets.values() if i.player == player)

    @property
    def is_perfect_information(self) -> bool:
        """Whether every information set is a single node (chance moves are allowed)."""
        return all(len(i.nodes) == 1 for i in self.infosets.values())

    def require_perfect_information(self, who: str, hint: str = "") -> None:
        """Raise unless every information set is a single node.

        Parameters
        ----------
        who : str
            What needs perfect information, to open the error message.
        hint : str, optional
            Advice appended to the error message.

        Raises
        ------
        ValueError
            Naming the first information set that holds several nodes, its player and nodes.
        """
        for iset in self.infosets.values():
            if len(iset.nodes) > 1:
                names = [self.nodes[i].name for i in iset.nodes]
                raise ValueError(
                    f"{who} needs a game of perfect information, but information set "
                    f"{iset.name!r} of player {iset.player!r} holds {len(names)} nodes {names}"
                    + (f"; {hint}" if hint else "")
                )

    @classmethod
    def from_efg(cls, source: Any) -> Game:
        """Read a game in Gambit's ``.efg`` format (text or path): :func:`model.gambit.read_efg`."""
        from model.gambit import read_efg

        return read_efg(source)

    def to_efg(self, *, point: int | tuple[int, ...] | None = None) -> str:
        """Write one parameter point in Gambit's ``.efg`` format: :func:`model.gambit.write_efg`."""
        from model.gambit import write_efg

        return write_efg(self, point=point)

    def source(self, index: int) -> Node:
        """Return the node object (Terminal, Chance or Decision) at ``index``."""
        return self._sources[index]

    def num_pure_strategies(self, player: str) -> int:
        """Count the pure strategies of ``player`` (product of its action counts; exact)."""
        return math.prod(len(i.actions) for i in self.infosets_of(player))

    def pure_strategies(self, player: str, *, limit: int | None = None) -> np.ndarray:
        """Enumerate the pure strategies of ``player`` as rows of action indices.

        Columns follow :meth:`infosets_of`; rows are in lexicographic order (the first
        information set varies slowest).

        Raises
        ------
        ValueError
            If there are more than ``limit`` strategies.
        """
        counts = [len(i.actions) for i in self.infosets_of(player)]
        n = math.prod(counts)
        if limit is not None and n > limit:
            raise ValueError(
                f"player {player!r} has {n} pure strategies, more than the limit {limit}"
            )
        # mixed-radix decoding of 0 .. n-1 (the last information set varies fastest); unlike
        # np.indices this works for any number of information sets
        out = np.empty((n, len(counts)), dtype=np.int64)
        rest = np.arange(n, dtype=np.int64)
        for j in range(len(counts) - 1, -1, -1):
            rest, out[:, j] = np.divmod(rest, counts[j])
        return out

    def describe_strategy(self, player: str, row: Sequence[int] | np.ndarray) -> dict[str, str]:
        """Describe a pure strategy (a row of :meth:`pure_strategies`) as ``infoset -> action``."""
        isets = self.infosets_of(player)
        if len(row) != len(isets):
            raise ValueError(
                f"a pure strategy of {player!r} needs {len(isets)} action indices, got {len(row)}"
            )
        return {i.name: i.actions[int(a)] for i, a in zip(isets, row, strict=True)}

    def __repr__(self) -> str:
        kinds = [n.kind for n in self.nodes]
        return (
            f"Game(players={self.players}, nodes={len(kinds)}, "
            f"terminals={kinds.count('terminal')}, infosets={len(self.infosets)}, "
            f"batch_shape={self.batch_shape}{', title=' + repr(self.title) if self.title else ''})"
        )

    # -- profiles -------------------------------------------------------------------------------
    def behaviour_table(self, profile: Mapping[str, Any]) -> np.ndarray:
        """Validate a behaviour profile; return it as an array ``(n_slots, *batch)``.

        Every information set must be present; probabilities must lie in [0, 1] and sum to one
        per information set and batch point (tolerance :data:`PROB_TOL`).
        """
        if not isinstance(profile, Mapping):
            raise ValueError("a behaviour profile must be a mapping infoset -> probabilities")
        table = self._stacked(profile)
        if table is not None and self._valid_table(table):
            return np.clip(table, 0.0, 1.0, out=table)
        unknown = sorted(set(profile) - set(self.infosets))
        if unknown:
            raise ValueError(f"profile names unknown information set(s) {unknown}")
        missing = [i for i in self.infosets if i not in profile]
        if missing:
            raise ValueError(f"profile gives no probabilities for information set(s) {missing}")
        arrays: list[np.ndarray] = []
        for iset in self.infosets.values():
            value = profile[iset.name]
            if isinstance(value, Mapping):
                extra = sorted(set(value) - set(iset.actions))
                if extra:
                    raise ValueError(
                        f"profile at information set {iset.name!r}: unknown action(s) {extra}; "
                        f"actions are {list(iset.actions)}"
                    )
                value = [value.get(a, 0.0) for a in iset.actions]
            arr = _numbers(value, f"profile[{iset.name!r}]")
            if arr.ndim == 0 or arr.shape[0] != len(iset.actions):
                raise ValueError(
                    f"profile at information set {iset.name!r} has shape {arr.shape}; its first "
                    f"axis must hold the {len(iset.actions)} actions {list(iset.actions)}"
                )
            arrays.append(arr)
        if not arrays:
            return np.ones((0,) + self.batch_shape)
        try:
            batch = np.broadcast_shapes(*(a.shape[1:] for a in arrays))
        except ValueError:
            shapes = sorted({a.shape for a in arrays})
            raise ValueError(f"profile arrays do not broadcast together: shapes {shapes}") from None
        table = np.concatenate([to_batch(a, 1, batch) for a in arrays])
        # one vectorised check of every information set; the slow path names the first offender
        if not self._valid_table(table):
            for iset, arr in zip(self.infosets.values(), arrays, strict=True):
                _check_distribution(arr, iset.actions, f"profile at information set {iset.name!r}")
        return np.clip(table, 0.0, 1.0)

    def _stacked(self, profile: Mapping[str, Any]) -> np.ndarray | None:
        """The common case of a profile, stacked: float arrays of one batch shape, one per set.

        Returns None for anything else (lists, mappings of actions, arrays to broadcast, unknown
        or missing information sets), which :meth:`behaviour_table` converts and checks one
        information set at a time.
        """
        if not self.infosets or len(profile) != len(self.infosets):
            return None
        try:
            values = [profile[name] for name in self.infosets]
            if any(type(v) is not np.ndarray for v in values):
                return None
            if tuple([len(v) for v in values]) != self._iset_n_actions:
                return None
            table = np.concatenate(values)  # fails unless the batch shapes agree
        except (KeyError, TypeError, ValueError):
            return None
        return table if table.dtype == np.float64 else None

    def _valid_table(self, table: np.ndarray) -> bool:
        """Whether every information set's probabilities lie in [0, 1] and sum to one."""
        sums = np.add.reduceat(table, self._iset_first_slot, axis=0)
        in_range = np.isfinite(table) & (table >= -PROB_TOL) & (table <= 1.0 + PROB_TOL)
        return bool(np.all(in_range) and np.all(np.abs(sums - 1.0) <= PROB_TOL))

    def profile_from_table(self, table: np.ndarray) -> dict[str, np.ndarray]:
        """Invert :meth:`behaviour_table`: ``infoset -> (n_actions, *batch)``."""
        return {
            i.name: np.asarray(table[i.first_slot : i.first_slot + len(i.actions)])
            for i in self.infosets.values()
        }

    def uniform_profile(self) -> dict[str, np.ndarray]:
        """Return the profile playing every action of every information set equally likely."""
        return {
            i.name: np.full(len(i.actions), 1.0 / len(i.actions)) for i in self.infosets.values()
        }

    def pure_profile(self, choices: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Build a profile from chosen actions: ``infoset -> action label or index array``."""
        out = {}
        for iset in self.infosets.values():
            if iset.name not in choices:
                raise ValueError(f"no action chosen at information set {iset.name!r}")
            c = choices[iset.name]
            if isinstance(c, str):
                if c not in iset.actions:
                    raise ValueError(
                        f"action {c!r} is not available at {iset.name!r}: {list(iset.actions)}"
                    )
                c = iset.actions.index(c)
            c = np.asarray(c, dtype=np.int64)
            if np.any((c < 0) | (c >= len(iset.actions))):
                raise ValueError(f"action index out of range at information set {iset.name!r}")
            k = np.arange(len(iset.actions)).reshape((-1,) + (1,) * c.ndim)
            out[iset.name] = (k == c).astype(np.float64)
        return out

    def _edge_table(self, table: np.ndarray, exclude: Sequence[str] = ()) -> np.ndarray:
        if exclude:
            table = table.copy()
            for p in exclude:
                table[self._slot_player == self.player_index(p)] = 1.0
        if self._chance.shape[1:] == table.shape[1:]:
            return np.concatenate([self._chance, table])
        shape = np.broadcast_shapes(self._chance.shape[1:], table.shape[1:])
        return np.concatenate([to_batch(self._chance, 1, shape), to_batch(table, 1, shape)])

    def reach_probabilities(
        self, profile: Mapping[str, Any], *, exclude: Sequence[str] = ()
    ) -> np.ndarray:
        """Compute the probability of reaching every node, ``(n_nodes, *batch)``.

        Parameters
        ----------
        profile : mapping
            A behaviour profile (see the module docstring).
        exclude : sequence of str
            Players whose own moves are counted with probability one: the result is then the
            *counterfactual* reach probability used by best responses.
        """
        edges = self._edge_table(self.behaviour_table(profile), exclude)
        return self._reach(edges)

    def _reach(self, edges: np.ndarray) -> np.ndarray:
        reach = np.empty((len(self.nodes),) + edges.shape[1:])
        reach[0] = 1.0
        for level, parents, rows, _, _ in self._steps:
            reach[level] = reach[parents] * edges[rows]
        return reach

    def terminal_reach(self, profile: Mapping[str, Any]) -> np.ndarray:
        """Compute the probability of ending at each terminal, ``(n_terminals, *batch)``."""
        return self.reach_probabilities(profile)[self.terminals]

    def expected_payoffs(self, profile: Mapping[str, Any]) -> np.ndarray:
        """Compute the expected payoff of every player, ``(n_players, *batch)``."""
        reach = self.terminal_reach(profile)
        batch = np.broadcast_shapes(self.batch_shape, reach.shape[1:])
        pay = to_batch(self.payoffs, 2, batch)
        return np.einsum("z...,zp...->p...", to_batch(reach, 1, batch), pay)

    def outcome_probabilities(self, profile: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """Probability of each outcome class under ``profile``, ``label -> (*batch)``.

        Terminals whose ``label`` is the name of an outcome class (``status_quo``,
        ``compliance``, ``settlement``, ``backdown``, ``war``; see :class:`model.types.Outcome`)
        are summed by class, so a model's tree and its closed form can be compared outcome by
        outcome. Classes no terminal carries get zero; unlabelled terminals are ignored.
        """
        from model.types import Outcome

        reach = self.terminal_reach(profile)
        out = {str(o): np.zeros(reach.shape[1:]) for o in Outcome}
        for row, node in enumerate(self.terminals):
            label = self.nodes[node].label
            if label in out:
                out[label] = out[label] + reach[row]
        return out

    def node_values(self, profile: Mapping[str, Any]) -> np.ndarray:
        """Compute expected payoffs from every node on, ``(n_nodes, n_players, *batch)``."""
        edges = self._edge_table(self.behaviour_table(profile))
        return self._values(edges)

    def _values(self, edges: np.ndarray) -> np.ndarray:
        batch = edges.shape[1:]
        values = np.zeros((len(self.nodes), self.n_players) + batch)
        values[self.terminals] = to_batch(self.payoffs, 2, batch)
        for level, _, rows, parents, starts in reversed(self._steps):
            # a parent's value is the sum over its children, all of them on this level
            values[parents] = np.add.reduceat(edges[rows][:, None] * values[level], starts)
        return values

    # -- derived games --------------------------------------------------------------------------
    def point(self, index: int | tuple[int, ...]) -> Game:
        """Return the same tree at one batch point (payoffs and probabilities indexed).

        Parameters
        ----------
        index : int or tuple of int
            The point, checked by :func:`point_index`; ignored when the game is not batched.

        Returns
        -------
        Game
            The game with unbatched payoffs and probabilities.
        """
        if not self.batch_shape:
            return self
        index = point_index(self.batch_shape, index)

        def take(v: np.ndarray) -> float:
            return float(np.broadcast_to(v, self.batch_shape)[index])

        return self._rebuild(take, None)

    def restrict(self, allowed: Mapping[str, Sequence[str]]) -> Game:
        """Return the game in which information set ``I`` offers only ``allowed[I]``.

        Subtrees below removed actions disappear (with any information sets only they held).
        """
        for name, acts in allowed.items():
            if name not in self.infosets:
                raise ValueError(f"restrict: unknown information set {name!r}")
            bad = sorted(set(acts) - set(self.infosets[name].actions))
            if bad or not acts:
                raise ValueError(
                    f"restrict: information set {name!r} must keep a non-empty subset of "
                    f"{list(self.infosets[name].actions)}; got {list(acts)}"
                )
        return self._rebuild(None, {k: tuple(v) for k, v in allowed.items()})

    def _rebuild(self, take: Any, allowed: Mapping[str, tuple[str, ...]] | None) -> Game:
        built: list[Node | None] = [None] * len(self.nodes)
        for info in reversed(self.nodes):
            src = self.source(info.index)
            kids = [built[c] for c in info.children]
            if isinstance(src, Terminal):
                pay = src.payoffs
                if take is None:
                    new: Node = src
                elif isinstance(pay, Mapping):
                    new = Terminal({k: take(v) for k, v in pay.items()}, src.label)
                else:
                    new = Terminal(tuple(take(v) for v in pay), src.label)
            elif isinstance(src, Chance):
                probs = [p for p, _ in src.branches.values()]
                if take is not None:
                    probs = [take(p) for p in probs]
                new = Chance(
                    {k: (p, c) for k, p, c in zip(src.branches, probs, kids, strict=True)},
                    src.label,
                )
            else:
                acts = self.infosets[src.infoset].actions
                keep = allowed.get(src.infoset, acts) if allowed else acts
                new = Decision(
                    src.player,
                    src.infoset,
                    {a: c for a, c in zip(acts, kids, strict=True) if a in keep},
                    src.label,
                )
            built[info.index] = new
        root = built[0]
        assert root is not None
        return Game(self.players, root, self.title, dict(self.annotations))

    def iter_nodes(self, kind: str | None = None) -> Iterator[NodeInfo]:
        """Iterate over the nodes in pre-order, optionally only those of one ``kind``."""
        return (n for n in self.nodes if kind is None or n.kind == kind)


def to_batch(a: np.ndarray, lead: int, batch: tuple[int, ...]) -> np.ndarray:
    """Broadcast ``a`` of shape ``(*lead_axes, *b)`` to ``(*lead_axes, *batch)``.

    The ``lead`` leading axes index objects (nodes, players, actions); the remaining axes are a
    batch shape that broadcasts with ``batch`` by numpy's rules (aligned at the right).
    """
    a = np.asarray(a)
    own = a.shape[lead:]
    if own == batch:
        view = a.view()
        view.flags.writeable = False  # read-only, as a broadcast is
        return view
    pad = len(batch) - len(own)
    if pad < 0:
        raise ValueError(f"batch shape {own} has more axes than the target batch shape {batch}")
    return np.broadcast_to(a.reshape(a.shape[:lead] + (1,) * pad + own), a.shape[:lead] + batch)


def _check_distribution(probs: np.ndarray, labels: tuple[str, ...], where: str) -> None:
    """Require ``probs`` (labels on axis 0, batch after) to be in [0, 1] and sum to one."""
    for k, p in zip(labels, probs, strict=True):
        bad = ~np.isfinite(p) | (p < -PROB_TOL) | (p > 1.0 + PROB_TOL)
        if np.any(bad):
            raise ValueError(f"{where}: probability of {k!r} is {_first(p, bad)}, outside [0, 1]")
    total = probs.sum(axis=0)
    bad = np.abs(total - 1.0) > PROB_TOL
    if np.any(bad):
        raise ValueError(f"{where}: probabilities sum to {_first(total, bad)}, not 1")


def _first(values: np.ndarray, bad: np.ndarray) -> str:
    """Show the first offending value, with its batch index when the value is an array."""
    values = np.broadcast_to(values, bad.shape)
    if bad.ndim == 0:
        return f"{float(values):.12g}"
    i = np.unravel_index(int(np.flatnonzero(bad)[0]), bad.shape)
    return f"{float(values[i]):.12g} at batch point {tuple(int(k) for k in i)}"
