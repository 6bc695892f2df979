"""The finite risk-return tree against the closed form, through both generic solvers."""

import numpy as np
import pytest

from model.games import risk_return as rr
from model.solvers.backward import backward_induction_solve
from model.solvers.normal_form import nashpy_solve

# Several parameter points solved at once: one tree shape, payoff arrays over the points. The last
# point has a misperceiving challenger (it believes the target's costs 1.5 times what they are).
POINTS = rr.Params(
    p=np.array([0.5, 0.3, 0.6, 0.4, 0.5]),
    c_A=np.array([0.1, 0.05, 0.2, 0.0, 0.1]),
    c_B_lo=np.array([0.0, 0.1, 0.0, 0.05, 0.0]),
    c_B_hi=np.array([0.4, 0.5, 0.3, 0.6, 0.4]),
    belief_scale=np.array([1.0, 1.0, 1.0, 1.0, 1.5]),
)


def tree_solution(game, res):
    """Demand, planned war probability and challenger utility of a tree profile."""
    demands = game.annotations["demands"]
    choice = res.choice["challenger"]
    demand = np.take_along_axis(demands, np.asarray(choice)[None], axis=0)[0]
    return demand, war_probability(game, res.profile), res.root_values[0]


def war_probability(game, profile):
    reach = game.terminal_reach(profile)
    fight = np.array([game.nodes[z].edge == "fight" for z in game.terminals])
    return reach[fight].sum(axis=0)


@pytest.fixture(scope="module")
def convergence():
    closed = rr.solve(POINTS)
    gaps = []
    for n in (8, 32, 128):
        game = rr.tree(POINTS, n_types=n, n_demands=n)
        res = backward_induction_solve(game)
        assert res.certificate.all_passed
        demand, war, eu = tree_solution(game, res)
        gaps.append(
            {
                "demand": np.abs(demand - closed.strategies["challenger.demand"]).max(),
                "war": np.abs(war - closed.planned["war"]).max(),
                "eu": np.abs(eu - closed.utilities_planned["challenger"]).max(),
                "realised_war": np.abs(
                    rr.outcomes_at_demand(POINTS, demand)["realised_war"] - closed.realised["war"]
                ).max(),
            }
        )
    return gaps


@pytest.mark.parametrize(
    "key, final", [("demand", 5e-3), ("war", 1e-2), ("eu", 2e-3), ("realised_war", 1e-2)]
)
def test_backward_induction_converges_to_the_closed_form(convergence, key, final):
    gaps = [g[key] for g in convergence]
    assert gaps[1] < gaps[0] and gaps[2] < gaps[1], gaps  # refining the grids helps ...
    assert gaps[2] <= final, gaps  # ... and the finest grid is close
    assert gaps[0] <= 0.2, gaps  # the coarsest grid (8 x 8) is within 0.2 everywhere


def test_tree_shape_and_annotations():
    game = rr.tree(rr.Params(), n_types=3, n_demands=4)
    assert game.players == ("challenger", "target")
    assert len(game.nodes) == 1 + 4 * (1 + 3 * 3)
    assert game.is_perfect_information
    assert game.infosets["challenger"].actions == ("d0", "d1", "d2", "d3")
    assert game.infosets["target.d2.c1"].actions == ("accept", "fight")
    # believed types: midpoints of three equal-probability bins of U[0, 0.4]
    np.testing.assert_allclose(game.annotations["costs"], [0.4 / 6, 0.2, 2 / 3 * 0.4 + 0.4 / 6])
    np.testing.assert_allclose(game.annotations["type_probs"], [1 / 3] * 3)
    # demands: evenly spaced on [p + lo, p + hi] = [0.5, 0.9]
    np.testing.assert_allclose(game.annotations["demands"], np.linspace(0.5, 0.9, 4))
    batched = rr.tree(POINTS, n_types=3, n_demands=4)
    assert batched.batch_shape == (5,)
    assert batched.annotations["demands"].shape == (4, 5)
    # the misperceiving challenger's chance node is its belief: costs 1.5 times the truth
    np.testing.assert_allclose(
        batched.annotations["costs"][:, 4], 1.5 * batched.annotations["costs"][:, 0]
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"n_types": 1}, r"n_types = 1 must be an integer >= 2"),
        ({"n_demands": 2.5}, r"n_demands = 2.5 must be an integer >= 2"),
        ({"n_types": True}, r"n_types = True must be an integer >= 2"),
    ],
)
def test_grid_sizes_are_validated(kwargs, message):
    with pytest.raises(ValueError, match=message):
        rr.tree(rr.Params(), **kwargs)


def test_params_type_is_checked():
    with pytest.raises(TypeError, match="params must be risk_return.Params"):
        rr.tree({"p": 0.5})


def test_indifferent_target_accepts():
    # n_demands - 1 = 4 and n_types = 2: demands 1 and 3 leave a type exactly indifferent
    game = rr.tree(rr.Params(), n_types=2, n_demands=5)
    res = backward_induction_solve(game)
    assert res.ties["target.d1.c0"] and res.actions("target.d1.c0") == "accept"
    assert res.ties["target.d3.c1"] and res.actions("target.d3.c1") == "accept"
    assert res.certificate.all_passed


def test_batched_equals_point_by_point():
    game = rr.tree(POINTS, n_types=6, n_demands=10)
    res = backward_induction_solve(game)
    for i in range(5):
        one = backward_induction_solve(rr.tree(POINTS.point(i), n_types=6, n_demands=10))
        assert one.choice["challenger"] == res.choice["challenger"][i]
        np.testing.assert_allclose(one.root_values, res.root_values[:, i], atol=1e-12)


def test_misperception_tree_matches_closed_form_demand():
    params = rr.Params(belief_scale=1.5)
    closed = rr.solve(params)
    game = rr.tree(params, n_types=64, n_demands=64)
    res = backward_induction_solve(game)
    demand, war, eu = tree_solution(game, res)
    assert abs(float(demand) - float(closed.strategies["challenger.demand"])) < 1e-2
    assert abs(float(war) - float(closed.planned["war"])) < 2e-2
    # the truth differs from the belief: realised war exceeds planned war, as in the closed form
    realised = rr.outcomes_at_demand(params, demand)["realised_war"]
    assert float(realised) > float(war)
    assert abs(float(realised) - float(closed.realised["war"])) < 2e-2


def test_nashpy_route_with_reductions_matches_backward_induction():
    params = rr.Params(p=0.4, c_A=0.05, c_B_lo=0.05, c_B_hi=0.5)
    game = rr.tree(params, n_types=5, n_demands=8)
    bi = backward_induction_solve(game)
    res = nashpy_solve(game, prune=True, eliminate_dominated=True)
    assert res.equilibria and res.certificate.all_passed and res.converged
    # pruning leaves the target one strategy (no ties with an even n_demands): 2**40 before
    assert res.normal_form.parameters["strategies_before"][1] == 1
    assert game.num_pure_strategies("target") == 2**40
    for prof, pay in zip(res.profiles, res.payoffs, strict=True):
        np.testing.assert_allclose(prof["challenger"], bi.profile["challenger"], atol=1e-9)
        np.testing.assert_allclose(pay, bi.root_values, atol=1e-9)
        np.testing.assert_allclose(war_probability(game, prof), war_probability(game, bi.profile))


def test_nashpy_route_batched_points():
    game = rr.tree(POINTS, n_types=4, n_demands=6)
    bi = backward_induction_solve(game)
    for i in range(5):
        res = nashpy_solve(game, point=i, prune=True, eliminate_dominated=True)
        assert res.certificate.all_passed
        challenger = [p["challenger"] for p in res.profiles]
        assert any(np.allclose(c, bi.profile["challenger"][:, i]) for c in challenger)
        np.testing.assert_allclose(res.payoffs[:, 0].max(), bi.root_values[0, i], atol=1e-9)


def test_tiny_tree_without_reductions():
    # 3 demands x 2 types: a 3 x 64 normal form with many Nash equilibria, some resting on
    # threats to fight that the target would not carry out; the subgame-perfect one is among them
    game = rr.tree(rr.Params(), n_types=2, n_demands=3)
    bi = backward_induction_solve(game)
    res = nashpy_solve(game, method="vertex_enumeration")
    assert res.normal_form.shape == (3, 64)
    assert res.rejected == 0 and res.equilibria
    assert all(c.all_passed for c in res.certificates)
    spe = [
        k
        for k, prof in enumerate(res.profiles)
        if np.allclose(prof["challenger"], bi.profile["challenger"])
        and np.allclose(res.payoffs[k], bi.root_values)
    ]
    assert spe
    # no Nash equilibrium gives the challenger more than the subgame-perfect demand does
    assert res.payoffs[:, 0].max() == pytest.approx(float(bi.root_values[0]), abs=1e-9)
