"""Extensive-form games: construction, validation, reach probabilities, strategies."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.checks import infoset_regret, subgame_regret, tree_certificate, tree_regret
from model.tree import Chance, Decision, Game, Terminal, point_index


def entry_game(fight=(-1.0, -1.0)):
    return Game(
        ("entrant", "incumbent"),
        Decision(
            "entrant",
            "E",
            {
                "out": Terminal((0.0, 2.0)),
                "in": Decision(
                    "incumbent",
                    "I",
                    {"fight": Terminal(fight), "accommodate": Terminal((1.0, 1.0))},
                ),
            },
        ),
    )


def simultaneous_game():
    """Matching pennies in extensive form: the second mover does not see the first move."""

    def second(a):
        return Decision(
            "two",
            "T",
            {
                "h": Terminal((1.0, -1.0) if a == "h" else (-1.0, 1.0)),
                "t": Terminal((-1.0, 1.0) if a == "h" else (1.0, -1.0)),
            },
        )

    return Game(("one", "two"), Decision("one", "O", {"h": second("h"), "t": second("t")}))


# -- structure --------------------------------------------------------------------------------
def test_flattening_and_structure():
    g = entry_game()
    assert g.players == ("entrant", "incumbent")
    assert len(g.nodes) == 5
    assert [n.name for n in g.nodes] == [
        "root",
        "root/out",
        "root/in",
        "root/in/fight",
        "root/in/accommodate",
    ]
    assert [n.kind for n in g.nodes] == ["decision", "terminal", "decision", "terminal", "terminal"]
    assert g.terminals.tolist() == [1, 3, 4]
    assert g.payoffs.shape == (3, 2)
    assert g.batch_shape == ()
    assert g.infosets["I"].actions == ("fight", "accommodate")
    assert g.infosets["I"].sequence == ()
    assert g.is_perfect_information
    assert not simultaneous_game().is_perfect_information
    assert g.nodes[2].parent == 0 and g.nodes[2].children == (3, 4)


def test_payoffs_by_player_name_and_batch_shape():
    pay = np.array([0.0, 0.5, 1.0])
    g = Game(
        ("a", "b"),
        Chance(
            {
                "x": (np.array([0.2, 0.5, 1.0]), Terminal({"b": pay, "a": 1.0})),
                "y": (1.0 - np.array([0.2, 0.5, 1.0]), Terminal((2.0, 3.0))),
            }
        ),
    )
    assert g.batch_shape == (3,)
    assert g.payoffs.shape == (2, 2, 3)
    np.testing.assert_allclose(g.payoffs[0, 1], pay)
    np.testing.assert_allclose(g.expected_payoffs({}), [[1.8, 1.5, 1.0], [2.4, 1.75, 1.0]])


def test_infoset_actions_are_matched_by_label_not_order():
    g = Game(
        ("a", "b"),
        Decision(
            "a",
            "A",
            {
                "l": Decision("b", "B", {"x": Terminal((1, 0)), "y": Terminal((2, 0))}),
                "r": Decision("b", "B", {"y": Terminal((3, 0)), "x": Terminal((4, 0))}),
            },
        ),
    )
    assert g.infosets["B"].actions == ("x", "y")
    # the right node's children follow the information set's order (x, y)
    right = g.nodes[g.infosets["B"].nodes[1]]
    assert [g.nodes[c].edge for c in right.children] == ["x", "y"]
    v = g.expected_payoffs({"A": [0.0, 1.0], "B": [1.0, 0.0]})
    assert v[0] == 4.0


# -- validation ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "build, message",
    [
        pytest.param(
            lambda: Game(("a",), Chance({"h": (0.5, Terminal((1,))), "t": (0.4, Terminal((0,)))})),
            r"chance node 'root': probabilities sum to 0.9, not 1",
            id="chance-sum",
        ),
        pytest.param(
            lambda: Game(("a",), Chance({"h": (1.5, Terminal((1,))), "t": (-0.5, Terminal((0,)))})),
            r"chance node 'root': probability of 'h' is 1.5, outside \[0, 1\]",
            id="chance-range",
        ),
        pytest.param(
            lambda: Game(
                ("a",),
                Chance(
                    {
                        "h": (np.array([0.5, 0.7]), Terminal((1,))),
                        "t": (np.array([0.5, 0.2]), Terminal((0,))),
                    },
                    label="nature",
                ),
            ),
            r"'root' \(label 'nature'\): probabilities sum to 0.9 at batch point \(1,\)",
            id="chance-sum-batched",
        ),
        pytest.param(
            lambda: Game(
                ("a", "b"),
                Decision(
                    "a",
                    "A",
                    {
                        "l": Decision("b", "X", {"u": Terminal((1, 0)), "v": Terminal((0, 1))}),
                        "r": Decision("a", "X", {"u": Terminal((1, 0)), "v": Terminal((0, 1))}),
                    },
                ),
            ),
            r"information set 'X' mixes players: 'b' moves at node 'root/l' but 'a' at node "
            r"'root/r'",
            id="infoset-players",
        ),
        pytest.param(
            lambda: Game(
                ("a", "b"),
                Decision(
                    "a",
                    "A",
                    {
                        "l": Decision("b", "X", {"u": Terminal((1, 0)), "v": Terminal((0, 1))}),
                        "r": Decision("b", "X", {"u": Terminal((1, 0)), "w": Terminal((0, 1))}),
                    },
                ),
            ),
            r"information set 'X' has different actions at its nodes: \['u', 'v'\] at node "
            r"'root/l' but \['u', 'w'\] at node 'root/r'",
            id="infoset-actions",
        ),
        pytest.param(
            lambda: Game(
                ("a",),
                Decision(
                    "a",
                    "A",
                    {
                        "l": Decision("a", "B", {"u": Terminal((1,)), "v": Terminal((0,))}),
                        "r": Decision("a", "B", {"u": Terminal((0,)), "v": Terminal((1,))}),
                    },
                ),
            ),
            r"imperfect recall at information set 'B' of player 'a': node 'root/l' is reached "
            r"after own moves \[\('A', 'l'\)\] but node 'root/r' after \[\('A', 'r'\)\]",
            id="forgets-own-move",
        ),
        pytest.param(
            lambda: Game(
                ("a", "b"),
                Decision(
                    "a",
                    "A",
                    {
                        "l": Decision(
                            "b",
                            "B1",
                            {
                                "u": Decision(
                                    "a", "C", {"x": Terminal((1, 0)), "y": Terminal((0, 0))}
                                ),
                                "v": Terminal((0, 0)),
                            },
                        ),
                        "r": Decision("a", "C", {"x": Terminal((1, 0)), "y": Terminal((0, 0))}),
                    },
                ),
            ),
            r"imperfect recall at information set 'C'",
            id="forgets-what-it-did",
        ),
        pytest.param(
            lambda: Game(("a", "b", "c"), Terminal((1.0, 2.0))),
            r"terminal node 'root': 2 payoff\(s\) given but the game has 3 player\(s\)",
            id="payoff-count",
        ),
        pytest.param(
            lambda: Game(("a", "b"), Terminal({"a": 1.0, "z": 2.0})),
            r"payoffs name players \['a', 'z'\] but the game's players are \['a', 'b'\]",
            id="payoff-names",
        ),
        pytest.param(
            lambda: Game(("a",), Decision("a", "A", {"x": Terminal((np.inf,), label="boom")})),
            r"terminal node 'root/x' \(label 'boom'\): payoff of 'a' is not finite",
            id="payoff-finite",
        ),
        pytest.param(
            lambda: Game(("a",), Decision("b", "A", {"x": Terminal((1,))})),
            r"decision node 'root': player 'b' is not one of the players \('a',\)",
            id="unknown-player",
        ),
        pytest.param(
            lambda: Game(
                ("a",),
                Decision("a", "A", {"x": Terminal((np.zeros(2),)), "y": Terminal((np.zeros(3),))}),
            ),
            r"node 'root/y': a value of shape \(3,\) does not broadcast with the batch shape "
            r"\(2,\)",
            id="batch-shapes",
        ),
        pytest.param(
            lambda: Decision("a", "A", {}),
            r"decision at information set 'A': actions must be a non-empty mapping",
            id="no-actions",
        ),
        pytest.param(
            lambda: Terminal("12"),
            r"must be a sequence \(one payoff per player\) or a mapping",
            id="payoffs-type",
        ),
        pytest.param(
            lambda: Game(("a", "a"), Terminal((1, 2))),
            r"contains a name twice",
            id="duplicate-player",
        ),
    ],
)
def test_validation_errors_name_the_node_and_the_problem(build, message):
    with pytest.raises(ValueError, match=message):
        build()


def test_profile_validation():
    g = entry_game()
    with pytest.raises(ValueError, match=r"no probabilities for information set\(s\) \['I'\]"):
        g.reach_probabilities({"E": [1.0, 0.0]})
    with pytest.raises(ValueError, match=r"unknown information set\(s\) \['Z'\]"):
        g.reach_probabilities({"E": [1, 0], "I": [1, 0], "Z": [1]})
    with pytest.raises(ValueError, match=r"'E': probabilities sum to 0.8, not 1"):
        g.reach_probabilities({"E": [0.4, 0.4], "I": [1, 0]})
    with pytest.raises(ValueError, match=r"'I': probability of 'fight' is 1.5, outside \[0, 1\]"):
        g.reach_probabilities({"E": [1, 0], "I": [1.5, -0.5]})
    with pytest.raises(ValueError, match=r"first axis must hold the 2 actions"):
        g.reach_probabilities({"E": [1, 0, 0], "I": [1, 0]})
    with pytest.raises(ValueError, match=r"unknown action\(s\) \['run'\]"):
        g.reach_probabilities({"E": {"run": 1.0}, "I": [1, 0]})


# -- reach probabilities and values -------------------------------------------------------------
def test_reach_probabilities_by_hand():
    g = entry_game()
    reach = g.reach_probabilities({"E": {"in": 0.25, "out": 0.75}, "I": [0.5, 0.5]})
    np.testing.assert_allclose(reach, [1.0, 0.75, 0.25, 0.125, 0.125])
    counter = g.reach_probabilities({"E": [0.75, 0.25], "I": [0.5, 0.5]}, exclude=("incumbent",))
    np.testing.assert_allclose(counter, [1.0, 0.75, 0.25, 0.25, 0.25])
    np.testing.assert_allclose(g.expected_payoffs({"E": [0.75, 0.25], "I": [0.5, 0.5]}), [0.0, 1.5])


def test_profile_batch_broadcasts_with_game_batch():
    g = entry_game(fight=(np.array([-1.0, 0.0, 3.0]), -1.0))
    q = np.array([[0.0], [0.5], [1.0], [0.2]])  # (4, 1) points of the entrant's profile
    prof = {"E": np.stack([1 - q, q]), "I": [1.0, 0.0]}  # always fight
    v = g.expected_payoffs(prof)
    assert v.shape == (2, 4, 3)
    np.testing.assert_allclose(v[0], q * np.array([-1.0, 0.0, 3.0]))
    assert g.reach_probabilities(prof).shape == (5, 4, 3)


def test_pure_strategies_and_descriptions():
    g = simultaneous_game()
    assert g.num_pure_strategies("one") == 2
    assert g.pure_strategies("two").tolist() == [[0], [1]]
    tree = Game(
        ("a",),
        Decision(
            "a",
            "A",
            {
                "l": Decision("a", "B", {"x": Terminal((1,)), "y": Terminal((0,))}),
                "r": Decision(
                    "a", "C", {"u": Terminal((1,)), "v": Terminal((0,)), "w": Terminal((2,))}
                ),
            },
        ),
    )
    s = tree.pure_strategies("a")
    assert s.shape == (12, 3) and tree.num_pure_strategies("a") == 12
    assert len({tuple(r) for r in s}) == 12
    assert s[0].tolist() == [0, 0, 0] and s[-1].tolist() == [1, 1, 2]
    assert tree.describe_strategy("a", s[-1]) == {"A": "r", "B": "y", "C": "w"}
    with pytest.raises(ValueError, match="12 pure strategies, more than the limit 5"):
        tree.pure_strategies("a", limit=5)


def test_point_and_restrict():
    g = entry_game(fight=(np.array([-1.0, 2.0]), -1.0))
    p1 = g.point(1)
    assert p1.batch_shape == ()
    np.testing.assert_allclose(p1.payoffs, g.payoffs[..., 1])
    with pytest.raises(ValueError, match="does not pick one point"):
        g.point(5)
    r = g.restrict({"I": ["accommodate"]})
    assert r.infosets["I"].actions == ("accommodate",)
    assert len(r.nodes) == 4 and r.batch_shape == ()
    assert g.restrict({"E": ["out"]}).infosets.keys() == {"E"}
    with pytest.raises(ValueError, match="must keep a non-empty subset"):
        g.restrict({"I": []})


def test_point_index_normalises_and_names_the_valid_range():
    assert point_index((3,), 1) == (1,)
    assert point_index((3,), -1) == (2,)
    assert point_index((2, 4), (np.int64(1), -4)) == (1, 0)
    assert point_index((), ()) == ()
    with pytest.raises(ValueError, match=r"only \(\) is valid"):
        point_index((), 0)
    for bad, error, message in [
        (
            3,
            ValueError,
            r"point = 3 does not pick one point of the batch shape \(2, 4\): it needs "
            r"2 integer\(s\), with -2 <= i < 2, -4 <= i < 4",
        ),
        ((1, 4), ValueError, r"-4 <= i < 4"),
        ((1, -5), ValueError, r"-4 <= i < 4"),
        ((1, 2, 0), ValueError, "does not pick one point"),
        ((1.0, 2), TypeError, r"point = \(1.0, 2\) must be an integer or a tuple of integers"),
        ((True, 2), TypeError, "must be an integer"),
        ("1", TypeError, "must be an integer"),
    ]:
        with pytest.raises(error, match=message):
            point_index((2, 4), bad)
    g = entry_game(fight=(np.array([-1.0, 2.0, 3.0]), -1.0))
    np.testing.assert_allclose(g.point(-1).payoffs, g.payoffs[..., 2])
    with pytest.raises(TypeError, match="must be an integer"):
        g.point(0.5)


def test_require_perfect_information():
    entry_game().require_perfect_information("this solver")
    with pytest.raises(
        ValueError,
        match=r"^this solver needs a game of perfect information, but information set 'T' of "
        r"player 'two' holds 2 nodes \['root/h', 'root/t'\]; try another solver$",
    ):
        simultaneous_game().require_perfect_information("this solver", hint="try another solver")
    with pytest.raises(ValueError, match=r"^subgame_regret needs a game of perfect information"):
        subgame_regret(simultaneous_game(), simultaneous_game().uniform_profile())


def test_pure_profile():
    g = entry_game()
    prof = g.pure_profile({"E": "in", "I": np.array([0, 1])})
    np.testing.assert_allclose(prof["E"], [0.0, 1.0])
    np.testing.assert_allclose(prof["I"], [[1.0, 0.0], [0.0, 1.0]])
    np.testing.assert_allclose(g.expected_payoffs(prof), [[-1.0, 1.0], [-1.0, 1.0]])


# -- random trees -------------------------------------------------------------------------------
@st.composite
def layered_games(draw, batch=()):
    """Random games with chance and imperfect information, perfect recall by construction.

    Layer ``t`` has one mover (a player or chance) and a fixed number of actions; each player
    either observes the move of each layer or not, once and for all, and always sees its own
    moves, so it never forgets what it knew.
    """
    n_players = draw(st.integers(1, 3))
    depth = draw(st.integers(1, 3))
    players = tuple(f"p{i}" for i in range(n_players))
    movers = [draw(st.sampled_from(players + ("chance",))) for _ in range(depth)]
    widths = [draw(st.integers(1, 3)) for _ in range(depth)]
    sees = [[draw(st.booleans()) for _ in players] for _ in range(depth)]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def key(t, history):
        me = players.index(movers[t])
        seen = [
            f"{s}={a}" if (movers[s] == movers[t] or sees[s][me]) else "?"
            for s, a in enumerate(history)
        ]
        return f"{movers[t]}@{t}[{','.join(seen)}]"

    def build(history):
        t = len(history)
        if t == depth:
            return Terminal(tuple(rng.integers(-3, 4, size=batch).astype(float) for _ in players))
        kids = {f"a{j}": build(history + [j]) for j in range(widths[t])}
        if movers[t] == "chance":
            probs = rng.dirichlet(np.ones(widths[t]), size=batch)
            probs = np.moveaxis(probs, -1, 0)
            return Chance({k: (probs[j], kids[k]) for j, k in enumerate(kids)})
        return Decision(movers[t], key(t, history), kids)

    return Game(players, build([]))


def random_profile(game, rng, batch=()):
    return {
        name: np.moveaxis(rng.dirichlet(np.ones(len(i.actions)), size=batch), -1, 0)
        for name, i in game.infosets.items()
    }


def naive_terminal_reach(node, profile, prob=1.0):
    """Walk the node objects recursively: an independent computation of terminal reach."""
    if isinstance(node, Terminal):
        return [prob]
    if isinstance(node, Chance):
        return list(
            itertools.chain.from_iterable(
                naive_terminal_reach(c, profile, prob * p) for p, c in node.branches.values()
            )
        )
    out = []
    probs = profile[node.infoset]
    for j, child in enumerate(node.actions.values()):  # every node lists a0, a1, ... in order
        out += naive_terminal_reach(child, profile, prob * probs[j])
    return out


@given(layered_games(), st.integers(0, 2**32 - 1))
def test_random_trees_reach_probabilities_sum_to_one(game, seed):
    rng = np.random.default_rng(seed)
    prof = random_profile(game, rng)
    reach = game.terminal_reach(prof)
    assert np.isclose(reach.sum(), 1.0)
    np.testing.assert_allclose(reach, naive_terminal_reach(game.root, prof), atol=1e-12)
    values = game.node_values(prof)
    np.testing.assert_allclose(values[0], game.expected_payoffs(prof), atol=1e-12)
    # every node's reach is the sum over the terminals below it
    all_reach = game.reach_probabilities(prof)
    for n in game.nodes:
        if n.children:
            assert np.isclose(all_reach[n.index], all_reach[list(n.children)].sum())


@given(layered_games(batch=(3,)), st.integers(0, 2**32 - 1))
def test_random_batched_trees_reach_sums_to_one_at_every_point(game, seed):
    rng = np.random.default_rng(seed)
    prof = random_profile(game, rng, batch=(3,))
    reach = game.terminal_reach(prof)
    assert reach.shape[1:] == (3,)
    np.testing.assert_allclose(reach.sum(axis=0), np.ones(3))
    for i in range(3):
        point_prof = {k: v[:, i] for k, v in prof.items()}
        np.testing.assert_allclose(game.point(i).terminal_reach(point_prof), reach[:, i])


@given(layered_games())
def test_random_trees_enumerate_every_pure_strategy(game):
    for p in game.players:
        s = game.pure_strategies(p)
        assert s.shape == (game.num_pure_strategies(p), len(game.infosets_of(p)))
        assert len({tuple(r) for r in s}) == s.shape[0]


# -- regret of a profile (model.checks), against brute force --------------------------------------
def test_regret_by_hand():
    g = entry_game()
    prof = {"E": [0.5, 0.5], "I": [1.0, 0.0]}  # entrant mixes, incumbent fights
    # entrant: out 0, in -1, mixing -0.5: best response gains 0.5; incumbent: fighting costs it
    # 2 at I, reached with probability 1/2: gains 1
    np.testing.assert_allclose(tree_regret(g, prof), [0.5, 1.0])
    regret = infoset_regret(g, prof)
    assert regret["E"] == 0.5 and regret["I"] == 2.0  # conditional on reaching I
    off_path = infoset_regret(g, {"E": [1.0, 0.0], "I": [1.0, 0.0]})
    assert off_path["I"] == 0.0  # not reached: Nash does not constrain it
    # a later own information set reached after an own mix: regret is conditional on reaching it
    solo = Game(
        ("a",),
        Decision(
            "a",
            "A",
            {
                "l": Decision("a", "B", {"x": Terminal((1.0,)), "y": Terminal((0.0,))}),
                "r": Terminal((0.5,)),
            },
        ),
    )
    regret = infoset_regret(solo, {"A": [0.5, 0.5], "B": [0.5, 0.5]})
    assert regret["B"] == 0.5 and regret["A"] == 0.5
    np.testing.assert_allclose(tree_regret(solo, {"A": [0.5, 0.5], "B": [0.5, 0.5]}), [0.5])
    pennies = simultaneous_game()
    np.testing.assert_allclose(tree_regret(pennies, {"O": [1, 0], "T": [1, 0]}), [0.0, 2.0])
    np.testing.assert_allclose(tree_regret(pennies, {"O": [0.5, 0.5], "T": [0.5, 0.5]}), 0.0)
    cert = tree_certificate(pennies, {"O": [1, 0], "T": [1, 0]})
    assert not cert.all_passed and float(cert.max_regret) == 2.0


@given(layered_games(), st.integers(0, 2**32 - 1))
def test_best_response_regret_equals_brute_force(game, seed):
    """Regret from the bottom-up best response equals the best pure deviation, enumerated."""
    rng = np.random.default_rng(seed)
    prof = random_profile(game, rng)
    regret = tree_regret(game, prof)
    current = game.expected_payoffs(prof)
    for k, player in enumerate(game.players):
        if game.num_pure_strategies(player) > 256:
            continue  # enumeration is the slow oracle; keep it small
        best = -np.inf
        for row in game.pure_strategies(player):
            dev = dict(prof)
            for iset, a in zip(game.infosets_of(player), row, strict=True):
                dev[iset.name] = np.eye(len(iset.actions))[a]
            best = max(best, float(game.expected_payoffs(dev)[k]))
        assert regret[k] == pytest.approx(max(best - current[k], 0.0), abs=1e-9)
