"""Logit QRE: known answers, independent logit equations, statistical backward induction."""

import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from known_games import build, number
from scipy.optimize import brentq

from model import catalog
from model.checks import subgame_regret, tree_regret
from model.solvers.qre import FORMS, qre_residual, qre_solve, qre_trace
from model.tree import Chance, Decision, Game, Terminal

QRE = json.loads((Path(__file__).parent / "data" / "qre_known.json").read_text())
BIMATRIX = {c["id"]: c for c in QRE["bimatrix"]}
TREES = {c["id"]: c for c in QRE["trees"]}
CATALOG = {c["id"]: c for c in QRE["catalog"]}


def matrices(case):
    return np.array(case["A"], dtype=float), np.array(case["B"], dtype=float)


def known_tree(case):
    return Game(tuple(case["players"]), build(case["root"]), title=case["id"])


def fractions(rows):
    return [np.array([number(x) for x in row]) for row in rows]


# -- independent versions of the logit equations ------------------------------------------------
def softmax(x):
    e = np.exp(x - np.max(x))
    return e / e.sum()


def strategic_response(payoffs, sigmas, lam):
    """Logit response of every player to the others in a strategic game (einsum per player)."""
    n = len(payoffs)
    out = []
    for i, u in enumerate(payoffs):
        args = [u, list(range(n))]
        for j in range(n):
            if j != i:
                args += [sigmas[j], [j]]
        out.append(softmax(lam * np.einsum(*args, [i])))
    return out


def agent_response(game, profile, lam):
    """Logit response of every agent, with Game's own reach probabilities and node values."""
    reach = game.reach_probabilities(profile)
    values = game.node_values(profile)
    out = {}
    for name, iset in game.infosets.items():
        k = game.player_index(iset.player)
        mu = reach[list(iset.nodes)] / reach[list(iset.nodes)].sum()
        U = [
            sum(
                m * values[game.nodes[h].children[a], k]
                for m, h in zip(mu, iset.nodes, strict=True)
            )
            for a in range(len(iset.actions))
        ]
        out[name] = softmax(lam * np.array(U))
    return out


def statistical_backward_induction(game, lam):
    """Logit choice at every node given the logit continuation below: a direct recursion."""
    profile = {}

    def value(node):
        src = game.source(node)
        kids = game.nodes[node].children
        if isinstance(src, Terminal):
            return game.payoffs[list(game.terminals).index(node)]
        if isinstance(src, Chance):
            probs = [float(p) for p, _ in src.branches.values()]
            return sum(p * value(c) for p, c in zip(probs, kids, strict=True))
        vals = [value(c) for c in kids]
        mover = game.player_index(src.player)
        probs = softmax(lam * np.array([v[mover] for v in vals]))
        profile[src.infoset] = probs
        return sum(p * v for p, v in zip(probs, vals, strict=True))

    value(0)
    return profile


# -- random games --------------------------------------------------------------------------------
@st.composite
def trees(draw, n_players=2, perfect=False, batch=()):
    """Random trees with chance moves and (unless ``perfect``) imperfect information.

    Every mover sees all its own earlier moves and, once and for all, either sees or does not
    see each other mover's move at a given depth: perfect recall holds by construction.
    """
    players = [f"p{k}" for k in range(n_players)]
    depth = draw(st.integers(1, 3))
    movers = [draw(st.sampled_from(players + ["chance"])) for _ in range(depth)]
    widths = [draw(st.integers(2, 3)) for _ in range(depth)]
    sees = [[perfect or draw(st.booleans()) for _ in players] for _ in range(depth)]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def name(t, history):
        me = players.index(movers[t])
        seen = [
            str(a) if movers[s] == movers[t] or sees[s][me] else "?" for s, a in enumerate(history)
        ]
        return f"{movers[t]}.{t}.{''.join(seen)}"

    def node(history):
        t = len(history)
        if t == depth:
            return Terminal(tuple(rng.normal(size=batch) * 2.0 for _ in players))
        kids = {f"a{j}": node(history + [j]) for j in range(widths[t])}
        if movers[t] == "chance":
            probs = np.moveaxis(rng.dirichlet(np.ones(widths[t]), size=batch), -1, 0)
            return Chance({k: (probs[j], c) for j, (k, c) in enumerate(kids.items())})
        return Decision(movers[t], name(t, history), kids)

    return Game(tuple(players), node([]))


@st.composite
def strategic_games(draw, batch=()):
    n = draw(st.integers(2, 3))
    shape = tuple(draw(st.integers(2, 3)) for _ in range(n)) if n == 2 else (2, 2, 2)
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return tuple(rng.normal(size=shape + batch) * 2.0 for _ in range(n))


lambdas = st.floats(0.0, 20.0)


# -- known answers ------------------------------------------------------------------------------
def test_lambda_zero_is_uniform_play():
    A, B = matrices(BIMATRIX["loopback"])
    poker = known_tree(TREES["one_card_poker"])
    res = qre_solve(poker, 0.0)
    for name, iset in poker.infosets.items():
        np.testing.assert_allclose(res.profile[name], 1.0 / len(iset.actions), atol=1e-15)
    cube = np.stack([A, B])  # a three-player game, 2 x 2 x 2
    np.testing.assert_allclose(qre_solve((cube, -cube, cube), 0.0).profile[2], 0.5, atol=1e-15)
    trace = qre_trace((A, B), max_lambda=1.0)
    assert trace.lam[0] == 0.0
    np.testing.assert_allclose(trace.path[0][:, 0], 0.5, atol=1e-15)
    assert res.residual == 0.0 and bool(res.converged)


def test_matching_pennies_is_uniform_for_every_lambda():
    case = BIMATRIX["matching_pennies"]
    expected = fractions(case["qre"])
    res = qre_solve(matrices(case), np.array(case["lambdas"], dtype=float))
    for got, want in zip(res.profile, expected, strict=True):
        np.testing.assert_allclose(got, want[:, None] + 0.0 * got, atol=1e-12)
    trace = qre_trace(matrices(case), max_lambda=max(case["lambdas"]))
    assert trace.converged and trace.final_lambda == max(case["lambdas"])
    for path in trace.path:
        np.testing.assert_allclose(path, 0.5, atol=1e-9)


@pytest.mark.parametrize("lam", BIMATRIX["asymmetric_pennies"]["lambdas"])
def test_two_by_two_meets_the_closed_form_logit_equations(lam):
    A, B = matrices(BIMATRIX["asymmetric_pennies"])

    def row(q):  # P(row 1) given P(column 1) = q
        return 1.0 / (1.0 + math.exp(-lam * (A[0] @ [q, 1 - q] - A[1] @ [q, 1 - q])))

    def gap(q):  # q minus the column player's logit response to row(q)
        p = row(q)
        return q - 1.0 / (1.0 + math.exp(-lam * ((B[:, 0] - B[:, 1]) @ [p, 1 - p])))

    q = brentq(gap, 0.0, 1.0, xtol=1e-15)  # independent root of the reduced equation
    res = qre_solve((A, B), lam)
    (x, y) = res.profile
    np.testing.assert_allclose([x[0], y[0]], [row(q), q], atol=1e-10)
    # the closed-form equations of the case, in log-odds
    p, qq = x[0], y[0]
    assert abs(math.log(p / (1 - p)) - lam * (10 * qq - 1)) < 1e-9
    assert abs(math.log(qq / (1 - qq)) - lam * (1 - 2 * p)) < 1e-9


def test_two_by_two_approaches_its_mixed_equilibrium():
    case = BIMATRIX["asymmetric_pennies"]
    trace = qre_trace(matrices(case), max_lambda=1e3)
    for got, want in zip(trace.profile, fractions(case["nash"]), strict=True):
        np.testing.assert_allclose(got, want, atol=5e-3)
    assert trace.certificate.all_passed


def test_loopback_branch_bends_back_and_ends_at_the_strict_equilibrium():
    case = BIMATRIX["loopback"]
    A, B = matrices(case)

    def roots(lam):  # solutions of the reduced equation in q, on a fine grid
        q = np.linspace(1e-9, 1 - 1e-9, 400_001)
        p = 1.0 / (1.0 + np.exp(lam * (6.32 * q - 5.0)))
        g = q - 1.0 / (1.0 + np.exp(-2.0 * lam * (1.0 - p)))
        return q[np.flatnonzero(np.sign(g[1:]) != np.sign(g[:-1]))]

    fold = case["fold"]
    assert len(roots(fold["single_below"])) == len(roots(fold["single_above"])) == 1
    assert len(roots(fold["three_at"])) == 3
    trace = qre_trace((A, B), max_lambda=1e3)
    assert trace.converged and trace.turning_points >= 2
    top = np.argmax(trace.lam > fold["single_above"])  # the first point past the fold
    assert np.any(np.diff(trace.lam[:top]) < 0.0)  # lam decreased along the way
    for got, want in zip(trace.profile, fractions(case["limit"]), strict=True):
        np.testing.assert_allclose(got, want, atol=1e-3)
    assert trace.certificate.all_passed
    # where the correspondence is single-valued the batched solver finds the same point
    unique = case["unique_at"]
    (x, y) = qre_solve((A, B), unique["lam"]).profile
    np.testing.assert_allclose([y[0], x[0]], [unique["q"], unique["p"]], atol=1e-3)
    (q,) = roots(unique["lam"])
    assert abs(y[0] - q) < 1e-5


def test_entry_deterrence_trace_approaches_the_subgame_perfect_equilibrium():
    case = TREES["entry_deterrence"]
    game = known_tree(case)
    trace = qre_trace(game, max_lambda=1e3)
    assert trace.converged and trace.turning_points == 0
    for name, want in case["limit"].items():
        np.testing.assert_allclose(trace.profile[name], [number(x) for x in want], atol=1e-6)
    # a logit QRE's regret is at most sum_J (k_J - 1) / (e lam): here 1 / (e lam) per player
    bound = 1.0 / (math.e * trace.final_lambda)
    assert np.all(tree_regret(game, trace.profile) <= bound)
    assert np.all(subgame_regret(game, trace.profile) <= bound)
    assert trace.certificate.all_passed and trace.certificate.tolerance < 2 * bound


def test_one_card_poker_trace_approaches_bluffing_one_third_and_calling_two_thirds():
    case = TREES["one_card_poker"]
    game = known_tree(case)
    trace = qre_trace(game, max_lambda=1e3)
    assert trace.converged
    for name, want in case["limit"].items():
        np.testing.assert_allclose(trace.profile[name], [number(x) for x in want], atol=2e-3)
    assert trace.certificate.all_passed
    # the batched solver at the end of the trace lands on the same point
    res = qre_solve(game, trace.final_lambda)
    for name in game.infosets:
        np.testing.assert_allclose(res.profile[name], trace.profile[name], atol=1e-8)


def test_crisis_signalling_trace_approaches_the_semi_separating_equilibrium():
    case = CATALOG["crisis_signalling"]
    game = getattr(catalog, case["builder"])(**case["arguments"])
    trace = qre_trace(game, max_lambda=1e3)
    assert trace.converged and trace.certificate.all_passed
    for name, want in case["limit"].items():
        np.testing.assert_allclose(trace.profile[name], [number(x) for x in want], atol=2e-3)


def test_batched_crisis_signalling_solves_every_point_on_its_branch():
    rng = np.random.default_rng(11)
    n = 200
    game = catalog.crisis_signalling(
        pi=rng.uniform(0.05, 0.95, n),
        d=rng.uniform(0.5, 4.0, n),
        a=rng.uniform(0.0, 2.0, n),
        w_resolved=rng.uniform(0.0, 2.0, n),
        w_unresolved=rng.uniform(-3.0, -0.5, n),
    )
    lam = rng.uniform(0.0, 30.0, n)
    res = qre_solve(game, lam)
    assert res.converged.all() and np.all(res.residual <= 1e-9)
    assert np.all(res.certificate.max_regret <= res.regret_bound + 1e-9)
    for b in (0, 1, 2):  # a few points against one-point solves and traces
        trace = qre_trace(game, max_lambda=lam[b], point=b)
        one = qre_solve(game.point(b), lam[b])
        for name in game.infosets:
            np.testing.assert_allclose(res.profile[name][:, b], one.profile[name], atol=1e-10)
            np.testing.assert_allclose(res.profile[name][:, b], trace.profile[name], atol=1e-7)


def test_normal_form_of_a_tree_is_solved_over_pure_strategies():
    game = known_tree(TREES["one_card_poker"])
    res = qre_solve(game, 2.0, form="normal")
    nf = res.normal_form
    assert res.method == "logit_qre.normal" and nf is not None
    expected = strategic_response((nf.A, nf.B), res.profile, 2.0)
    for got, want in zip(res.profile, expected, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-10)
    behaviour = res.behaviour
    assert set(behaviour) == set(game.infosets)
    trace = qre_trace(game, form="normal", max_lambda=1e3)
    assert trace.converged and trace.certificate.all_passed
    limit = trace.behaviour  # the normal-form limit, as behaviour: the same unique equilibrium
    for name, want in TREES["one_card_poker"]["limit"].items():
        np.testing.assert_allclose(limit[name], [number(x) for x in want], atol=2e-3)
    x, y = res.profile
    np.testing.assert_allclose(
        game.expected_payoffs(behaviour), [x @ nf.A @ y, x @ nf.B @ y], atol=1e-12
    )


def test_zero_probability_chance_gives_limit_bayes_beliefs():
    # the second player's information set lies behind a chance move of probability zero
    def game(eps):
        inner = Decision("b", "B", {"l": Terminal((0.0, 1.0)), "r": Terminal((1.0, 0.0))})
        other = Decision("b", "B", {"l": Terminal((1.0, -1.0)), "r": Terminal((0.0, 2.0))})
        return Game(
            ("a", "b"),
            Chance(
                {
                    "x": (1.0 - eps, Decision("a", "A", {"u": Terminal((1.0, 1.0)), "d": inner})),
                    "y": (eps, Decision("a", "A2", {"u": Terminal((0.0, 0.0)), "d": other})),
                }
            ),
        )

    exact = qre_solve(game(0.0), 3.0)
    near = qre_solve(game(1e-12), 3.0)
    assert bool(exact.converged)
    for name in ("A", "A2", "B"):
        np.testing.assert_allclose(exact.profile[name], near.profile[name], atol=1e-9)


# -- properties ---------------------------------------------------------------------------------
@settings(max_examples=30)
@given(trees(perfect=True, n_players=3), st.floats(0.0, 10.0))
def test_agent_qre_of_perfect_information_is_statistical_backward_induction(game, lam):
    res = qre_solve(game, lam)
    expected = statistical_backward_induction(game, lam)
    assert bool(res.converged)
    for name, probs in expected.items():
        np.testing.assert_allclose(res.profile[name], probs, atol=1e-9)


@settings(max_examples=30)
@given(trees(), lambdas)
def test_agent_qre_is_a_fixed_point_of_the_logit_response(game, lam):
    res = qre_solve(game, lam)
    assert bool(res.converged) and res.residual <= 1e-9
    response = agent_response(game, res.profile, lam)
    for name, probs in res.profile.items():
        assert abs(probs.sum() - 1.0) < 1e-12 and np.all(probs > 0.0)
        np.testing.assert_allclose(probs, response[name], rtol=1e-8, atol=1e-12)
    assert res.certificate.all_passed  # regret within sum_J (k_J - 1) / (e lam)
    assert np.all(tree_regret(game, res.profile) <= res.regret_bound + 1e-9)


@settings(max_examples=30)
@given(trees(n_players=3), st.floats(0.0, 5.0), st.integers(0, 2**32 - 1))
def test_exact_jacobian_matches_central_differences(game, lam, seed):
    from model.solvers.qre import _Agent  # the path follower's equations, tested directly

    agent = _Agent(game)
    if agent.S == 0:
        return
    d = agent.data(game.payoffs[..., None], game._chance.reshape(-1, 1))
    z = agent.normalise(np.random.default_rng(seed).normal(size=(agent.S, 1)))
    at = np.array([lam])
    e = agent.evaluate(z, at, d, jac=True)
    eps = 1e-6

    def H(zz, ll):
        return agent.evaluate(zz, np.array([ll]), d, jac=False)["H"][:, 0]

    for s in range(agent.S):
        step = np.zeros_like(z)
        step[s] = eps
        numeric = (H(z + step, lam) - H(z - step, lam)) / (2 * eps)
        np.testing.assert_allclose(e["Jz"][:, s, 0], numeric, atol=1e-6)
    numeric = (H(z, lam + eps) - H(z, lam - eps)) / (2 * eps)
    np.testing.assert_allclose(e["Jlam"][:, 0], numeric, atol=1e-6)


@settings(max_examples=30)
@given(strategic_games(), lambdas)
def test_normal_form_qre_meets_the_logit_equations(payoffs, lam):
    res = qre_solve(payoffs, lam)
    assert bool(res.converged)
    response = strategic_response(payoffs, res.profile, lam)
    for got, want in zip(res.profile, response, strict=True):
        assert abs(got.sum() - 1.0) < 1e-12
        np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-12)
    assert res.certificate.all_passed
    np.testing.assert_allclose(qre_residual(payoffs, res.profile, lam), res.residual, atol=1e-9)


@settings(max_examples=20)
@given(strategic_games(batch=(3,)), st.lists(lambdas, min_size=3, max_size=3))
def test_batched_strategic_games_equal_one_point_solves(payoffs, lams):
    lam = np.array(lams)
    res = qre_solve(payoffs, lam)
    assert res.batch_shape == (3,) and res.residual.shape == (3,)
    for b in range(3):
        one = qre_solve(tuple(u[..., b] for u in payoffs), lam[b])
        for got, want in zip(res.profile, one.profile, strict=True):
            np.testing.assert_allclose(got[:, b], want, atol=1e-10)
        assert bool(one.converged) == bool(res.converged[b])


@settings(max_examples=20)
@given(trees(batch=(2,)), st.floats(0.1, 10.0))
def test_batched_trees_equal_one_point_solves(game, lam):
    res = qre_solve(game, lam, chunk=1)  # chunking must not change the answer either
    whole = qre_solve(game, lam)
    for b in range(2):
        one = qre_solve(game.point(b), lam)
        for name in game.infosets:
            np.testing.assert_allclose(whole.profile[name][:, b], one.profile[name], atol=1e-10)
            np.testing.assert_allclose(res.profile[name][:, b], one.profile[name], atol=1e-10)


def test_trace_and_batched_solve_agree_on_a_batched_tree():
    rng = np.random.default_rng(3)
    game = Game(
        ("s", "r"),
        Chance(
            {
                t: (
                    np.array([0.3, 0.6])[None] if t == "h" else np.array([0.7, 0.4])[None],
                    Decision(
                        "s",
                        f"S.{t}",
                        {
                            m: Decision(
                                "r",
                                f"R.{m}",
                                {
                                    a: Terminal(tuple(rng.normal(size=(2, 1, 2))))
                                    for a in ("x", "y")
                                },
                            )
                            for m in ("m0", "m1")
                        },
                    ),
                )
                for t in ("h", "l")
            }
        ),
    )
    res = qre_solve(game, 50.0)
    assert res.batch_shape == (1, 2) and res.converged.all()
    for j in range(2):
        trace = qre_trace(game, max_lambda=50.0, point=(0, j))
        for name in game.infosets:
            np.testing.assert_allclose(res.profile[name][:, 0, j], trace.profile[name], atol=1e-7)


# -- arguments and bounds -------------------------------------------------------------------------
BAD = [
    ({"lam": -1.0}, ValueError, r"lam contains -1.0; every precision must be finite and >= 0"),
    ({"lam": np.nan}, ValueError, "every precision must be finite"),
    ({"lam": True}, TypeError, "lam = True must be a number"),
    ({"form": "extensive"}, ValueError, r"form = 'extensive' is not one of \('agent', 'normal'\)"),
    ({"tolerance": 0.0}, ValueError, r"tolerance = 0.0 is out of range: it must be > 0"),
    ({"max_accel": 1.0}, ValueError, r"max_accel = 1.0 is out of range: it must be > 1"),
    ({"max_steps": 0}, ValueError, r"max_steps = 0 is out of range"),
    ({"certify": 1}, TypeError, "certify = 1 must be True or False"),
    ({"initial_step": 1.0, "max_step": 0.5}, ValueError, "max_step = 0.5 must be at least"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD)
def test_bad_arguments_are_named(kwargs, error, message):
    game = known_tree(TREES["entry_deterrence"])
    args = {"lam": 1.0, **kwargs}
    with pytest.raises(error, match=message):
        qre_solve(game, args.pop("lam"), **args)


def test_bad_games_and_points_are_named():
    A, B = matrices(BIMATRIX["loopback"])
    with pytest.raises(ValueError, match=r"must share one shape; got \[\(2, 2\), \(2, 3\)\]"):
        qre_solve((A, np.zeros((2, 3))), 1.0)
    with pytest.raises(ValueError, match=r"do not fit 3 players"):
        qre_solve((A, B, A), 1.0)
    with pytest.raises(TypeError, match="game must be a model.tree.Game"):
        qre_solve("game", 1.0)
    with pytest.raises(ValueError, match="payoff arrays must be finite"):
        qre_solve((A, B * np.inf), 1.0)
    with pytest.raises(ValueError, match=r"batch shape \(2,\): pass point=index"):
        qre_trace(np.stack([A, B])[..., None].repeat(2, axis=-1))
    with pytest.raises(ValueError, match="point = 0 was given, but the payoffs are not batched"):
        qre_trace((A, B), point=0)
    with pytest.raises(ValueError, match=r"max_lambda = -2.0 is out of range"):
        qre_trace((A, B), max_lambda=-2.0)
    with pytest.raises(ValueError, match="two-player games; this game has 3 players"):
        qre_solve(Game(("a", "b", "c"), Terminal((0.0, 0.0, 0.0))), 1.0, form="normal")
    assert FORMS == ("agent", "normal")


def test_step_bounds_report_non_convergence_instead_of_hanging():
    A, B = matrices(BIMATRIX["loopback"])
    trace = qre_trace((A, B), max_lambda=1e3, max_steps=5)
    assert not trace.converged and trace.steps + trace.rejected_steps <= 5
    assert trace.final_lambda < 1e3
    res = qre_solve((A, B), np.array([0.0, 1e3]), max_steps=3)
    assert res.converged.tolist() == [True, False]
    assert res.lam_reached[1] < 1e3 and np.all(res.steps <= 3)
    for p in res.profile:  # a valid profile (the last accepted point) either way
        np.testing.assert_allclose(p.sum(axis=0), 1.0, atol=1e-12)


def test_agent_qre_limit_on_seltens_horse_is_the_sequential_equilibrium():
    """Selten's horse (Osborne and Rubinstein 1994, Ex. 225.1): the Nash equilibria with outcome D
    rest on player 2's non-credible c; every sequential equilibrium plays (C, c) with player 3's
    L at most 1/4 (tests/data/assessment_known.json). The agent QRE's limit must be one."""
    from model.catalog import selten_horse
    from model.checks import assessment_certificate, bayes_beliefs

    game = selten_horse()
    # lambda = 200: large enough to be near the limit, small enough that player 3's set is
    # still reached in floating point (its probability falls like exp(-lambda))
    trace = qre_trace(game, max_lambda=200.0)
    assert trace.converged
    prof = trace.profile
    assert prof["1"][0] > 0.999 and prof["2"][0] > 0.999 and prof["3"][0] <= 0.25
    beliefs, reached = bayes_beliefs(game, prof)  # at finite lambda every set is reached
    assert all(bool(r) for r in reached.values())
    assert beliefs["3"][1] <= 1.0 / 3.0  # belief in D: the limit beliefs are consistent
    cert = assessment_certificate(game, prof, beliefs, tolerance=1e-3)
    assert cert.all_passed, float(cert.max_regret)
