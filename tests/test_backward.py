"""Backward induction: known answers, batching, certificates, random perfect-information trees."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from known_games import DATA, build, number  # noqa: F401

from model.checks import infoset_regret, subgame_regret, tree_certificate, tree_regret
from model.solvers.backward import backward_induction_solve
from model.tree import Chance, Decision, Game, Terminal


def known_tree(case):
    return Game(tuple(case["players"]), build(case["root"]), title=case["id"])


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in DATA["trees"]])
def test_known_subgame_perfect_equilibria(case):
    game = known_tree(case)
    res = backward_induction_solve(game)
    assert {k: res.actions(k) for k in case["spe"]} == case["spe"]
    np.testing.assert_allclose(res.root_values, [number(v) for v in case["values"]], atol=1e-12)
    assert res.certificate.all_passed
    assert not res.any_ties
    assert res.method == "backward_induction" and bool(res.converged)


def test_chain_store_threat_is_nash_but_not_subgame_perfect():
    game = known_tree(DATA["trees"][0])
    threat = game.pure_profile({"competitor": "out", "chain_store": "aggressive"})
    assert np.all(tree_regret(game, threat) == 0.0)  # a Nash equilibrium ...
    assert subgame_regret(game, threat).max() == 2.0  # ... resting on a non-credible threat
    assert not tree_certificate(game, threat, subgame_perfect=True).all_passed


def test_imperfect_information_is_rejected():
    game = Game(
        ("a", "b"),
        Decision(
            "a",
            "A",
            {
                "l": Decision("b", "B", {"x": Terminal((1, 0)), "y": Terminal((0, 1))}),
                "r": Decision("b", "B", {"x": Terminal((0, 1)), "y": Terminal((1, 0))}),
            },
        ),
    )
    with pytest.raises(
        ValueError,
        match=r"^backward induction needs a game of perfect information, but information "
        r"set 'B' of player 'b' holds 2 nodes \['root/l', 'root/r'\]; use "
        r"model.solvers.normal_form for games with imperfect information$",
    ):
        backward_induction_solve(game)


def test_ties_take_the_first_action_and_are_recorded():
    # b is indifferent at point 0 only; a's choice then follows b's tie-break
    u = np.array([1.0, 2.0])
    game = Game(
        ("a", "b"),
        Decision(
            "a",
            "A",
            {
                "safe": Terminal((0.5, 0.0)),
                "go": Decision("b", "B", {"x": Terminal((1.0, 1.0)), "y": Terminal((0.0, u))}),
            },
        ),
    )
    res = backward_induction_solve(game)
    assert res.choice["B"].tolist() == [0, 1]
    assert res.ties["B"].tolist() == [True, False]
    assert res.choice["A"].tolist() == [1, 0]
    assert res.any_ties and res.certificate.all_passed
    assert list(res.actions("A")) == ["go", "safe"]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"tie_tolerance": -1.0}, ValueError, r"tie_tolerance = -1.0 is out of range: .* >= 0"),
        ({"tie_tolerance": np.nan}, ValueError, r"tie_tolerance = nan is out of range"),
        ({"tie_tolerance": np.inf}, ValueError, r"tie_tolerance = inf is out of range"),
        ({"tie_tolerance": "0"}, TypeError, r"tie_tolerance = '0' must be a real number"),
        ({"tolerance": -1e-9}, ValueError, r"tolerance = -1e-09 is out of range: .* >= 0"),
        ({"tolerance": np.nan}, ValueError, r"tolerance = nan is out of range"),
        ({"tolerance": None}, TypeError, r"tolerance = None must be a real number in \[0, inf\)"),
        ({"tolerance": True}, TypeError, r"tolerance = True must be a real number"),
    ],
)
def test_tolerances_validated(kwargs, error, message):
    with pytest.raises(error, match=message):
        backward_induction_solve(known_tree(DATA["trees"][0]), **kwargs)


def test_profile_is_the_pure_profile_of_the_choices():
    game = known_tree(DATA["trees"][0])
    res = backward_induction_solve(game, tie_tolerance=0, tolerance=np.float32(1e-6))
    expected = game.pure_profile({k: res.actions(k) for k in res.choice})
    assert res.profile.keys() == expected.keys()
    for k, p in expected.items():
        np.testing.assert_array_equal(res.profile[k], p)


# -- random perfect-information trees -----------------------------------------------------------
@st.composite
def perfect_information_games(draw, batch=()):
    """Random trees of uneven shape with chance nodes; every decision node its own set."""
    n_players = draw(st.integers(1, 3))
    players = tuple(f"p{i}" for i in range(n_players))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    integer = draw(st.booleans())  # integer payoffs make ties common
    counter = iter(range(10_000))

    def payoff():
        if integer:
            return rng.integers(-2, 3, size=batch).astype(float)
        return rng.normal(size=batch)

    def node(depth):
        kind = rng.choice(["terminal", "chance", "decision", "decision"])
        if depth == 0 or (kind == "terminal" and depth < 3):
            return Terminal(tuple(payoff() for _ in players))
        width = int(rng.integers(1, 4))
        kids = [node(depth - 1) for _ in range(width)]
        if kind == "chance":
            probs = np.moveaxis(rng.dirichlet(np.ones(width), size=batch), -1, 0)
            return Chance({f"c{j}": (probs[j], k) for j, k in enumerate(kids)})
        mover = players[int(rng.integers(n_players))]
        return Decision(mover, f"n{next(counter)}", {f"a{j}": k for j, k in enumerate(kids)})

    depth = draw(st.integers(1, 4))
    return Game(players, node(depth))


@given(perfect_information_games(batch=(4,)))
def test_backward_induction_has_zero_regret_everywhere(game):
    res = backward_induction_solve(game)
    assert res.values.shape == (len(game.nodes), game.n_players, 4)
    np.testing.assert_allclose(tree_regret(game, res.profile), 0.0, atol=1e-12)
    np.testing.assert_allclose(subgame_regret(game, res.profile), 0.0, atol=1e-12)
    assert res.certificate.all_passed
    # the values backward induction reports are the values of the profile it reports
    np.testing.assert_allclose(res.root_values, game.expected_payoffs(res.profile), atol=1e-12)


@given(perfect_information_games(batch=(2, 2)))
def test_batched_solution_equals_point_by_point(game):
    res = backward_induction_solve(game)
    for i in np.ndindex(2, 2):
        one = backward_induction_solve(game.point(i))
        for name in game.infosets:
            assert one.choice[name] == res.choice[name][i]
            assert one.ties[name] == res.ties[name][i]
        np.testing.assert_allclose(
            one.values, res.values[(slice(None), slice(None)) + i], atol=1e-12
        )


@given(perfect_information_games(), st.data())
def test_a_strictly_worse_choice_is_caught(game, data):
    res = backward_induction_solve(game)
    # switch one mover, on the path or off it, to an action strictly worse for it
    candidates = []
    for name, iset in game.infosets.items():
        node = game.nodes[iset.nodes[0]]
        k = game.player_index(iset.player)
        own = res.values[list(node.children), k]
        best = own[res.choice[name]]
        candidates += [(name, j) for j in range(len(own)) if own[j] < best - 1e-9]
    if not candidates:
        return
    name, j = data.draw(st.sampled_from(candidates))
    bad = dict(res.profile)
    bad[name] = np.eye(len(game.infosets[name].actions))[j]
    assert subgame_regret(game, bad).max() > 1e-9
    assert not tree_certificate(game, bad, subgame_perfect=True).all_passed


@given(perfect_information_games(), st.integers(0, 2**32 - 1))
def test_conditional_regret_on_the_path_equals_subgame_regret(game, seed):
    """With perfect information, two independent computations of regret at a node agree."""
    rng = np.random.default_rng(seed)
    prof = {name: rng.dirichlet(np.ones(len(i.actions))) for name, i in game.infosets.items()}
    reach = game.reach_probabilities(prof)
    by_node = subgame_regret(game, prof)
    for name, r in infoset_regret(game, prof).items():
        h = game.infosets[name].nodes[0]
        assert reach[h] > 0  # fully mixed: every node is on the path
        assert r == pytest.approx(by_node[h], abs=1e-9)
