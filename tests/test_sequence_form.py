"""Sequence form, Lemke's algorithm and sequential equilibria of two-player trees."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import nnls

from model import catalog
from model.checks import assessment_certificate, bayes_beliefs, tree_certificate, tree_regret
from model.solvers.backward import backward_induction_solve
from model.solvers.normal_form import nashpy_solve
from model.solvers.sequence_form import (
    EPSILONS,
    lcp_solve,
    sequence_form,
    sequential_solve,
)
from model.tree import Chance, Decision, Game, Terminal

DATA = json.loads((Path(__file__).parent / "data" / "sequence_form_known.json").read_text())
CASES = [pytest.param(c, id=c["id"]) for c in DATA["cases"]]


def number(x):
    return float(Fraction(x)) if isinstance(x, str) else float(x)


def vector(v):
    return np.array([number(x) for x in v])


def build(spec):
    if "catalog" in spec:
        return getattr(catalog, spec["catalog"])(**spec["kwargs"])
    A, B = (np.array(spec["bimatrix"][k], dtype=float) for k in ("A", "B"))
    return catalog.bimatrix_tree(A, B)


def in_hull(point, vertices, atol=1e-7):
    """Is ``point`` a convex combination of ``vertices``? (non-negative least squares)."""
    V = np.array([vector(v) for v in vertices])
    M = np.vstack([V.T, np.ones(len(V))])
    _, residual = nnls(M, np.append(point, 1.0))
    return residual <= atol


def in_component(component, profile, beliefs=None, payoffs=None):
    ok = all(in_hull(profile[k], vs) for k, vs in component["profile"].items())
    if beliefs is not None:
        ok &= all(in_hull(beliefs[k], vs) for k, vs in component["beliefs"].items())
    if payoffs is not None and "payoffs" in component:
        ok &= np.allclose(payoffs, vector(component["payoffs"]), atol=1e-9)
    return ok


# -- known answers --------------------------------------------------------------------------------
@pytest.mark.parametrize("prune", [True, False])
@pytest.mark.parametrize("case", CASES)
def test_known_nash_equilibria(case, prune):
    game = build(case["game"])
    res = lcp_solve(game, prune=prune)
    assert res.method == "sequence_form_lcp" and res.converged
    assert res.certificate.all_passed
    components = case.get("nash_pruned", case["nash"]) if prune else case["nash"]
    assert any(in_component(c, res.profile, payoffs=res.payoffs) for c in components)
    np.testing.assert_allclose(res.payoffs, game.expected_payoffs(res.profile), atol=1e-12)


@pytest.mark.parametrize("case", [c for c in CASES if "sequential" in c.values[0]])
def test_known_sequential_equilibria(case):
    game = build(case["game"])
    res = sequential_solve(game)
    assert res.converged and res.epsilon in EPSILONS
    assert res.certificate.all_passed and res.certificate.bayes_gap <= 1e-9
    assert any(in_component(c, res.profile, res.beliefs, res.payoffs) for c in case["sequential"])
    # the certificate is reproduced by the independent checker
    again = assessment_certificate(game, res.profile, res.beliefs)
    assert again.all_passed


def test_known_sequence_form_matrices():
    case = next(c for c in DATA["cases"] if c["id"] == "one_card_poker")
    known = case["sequence_form"]
    sf = sequence_form(build(case["game"]))
    as_pairs = [tuple(s) if s else None for s in known["sequences_1"]]
    assert list(sf.sequences[0]) == as_pairs
    assert list(sf.sequences[1]) == [tuple(s) if s else None for s in known["sequences_2"]]
    A = np.array([[number(v) for v in row] for row in known["A"]])
    np.testing.assert_allclose(sf.A, A, atol=1e-15)
    np.testing.assert_allclose(sf.B, -A, atol=1e-15)
    # realisation-plan constraints: x_empty = 1, x_empty = x(J, raise) + x(J, fold) for each J
    np.testing.assert_array_equal(sf.E, [[1, 0, 0, 0, 0], [-1, 1, 1, 0, 0], [-1, 0, 0, 1, 1]])
    np.testing.assert_array_equal(sf.F, [[1, 0, 0], [-1, 1, 1]])
    assert sf.infosets == (("1.red", "1.black"), ("2",))
    np.testing.assert_array_equal(sf.e, [1, 0, 0])


def test_three_players_are_refused():
    with pytest.raises(ValueError, match="two-player games; this game has 3 players"):
        lcp_solve(catalog.selten_horse())
    with pytest.raises(ValueError, match="two-player"):
        sequential_solve(catalog.selten_horse())
    with pytest.raises(ValueError, match="two-player"):
        sequence_form(catalog.selten_horse())


# -- arguments ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"tolerance": -1.0}, ValueError, "tolerance = -1.0 is out of range"),
        ({"tolerance": "small"}, TypeError, "tolerance = 'small' must be a real number"),
        ({"max_pivots": 0}, ValueError, "max_pivots = 0 is out of range"),
        ({"max_pivots": 2.5}, TypeError, "max_pivots = 2.5 must be an integer"),
        ({"prune": "yes"}, TypeError, "prune = 'yes' must be True or False"),
        ({"point": 0}, ValueError, "point = 0 was given, but the game is not batched"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, error, message):
    with pytest.raises(error, match=message):
        lcp_solve(catalog.entry_deterrence(), **kwargs)


@pytest.mark.parametrize(
    ("epsilons", "error", "message"),
    [
        ((), ValueError, "must be a non-empty sequence"),
        ("0.01", ValueError, "must be a non-empty sequence"),
        ((0.0,), ValueError, r"epsilons\[0\] = 0.0 is out of range: it must lie in \(0, 0.5\]"),
        ((0.01, 0.6), ValueError, r"epsilons\[1\] = 0.6 is out of range"),
        ((float("nan"),), ValueError, r"epsilons\[0\] = nan is out of range"),
        ((True,), TypeError, r"epsilons\[0\] = True must be a real number"),
    ],
)
def test_bad_perturbations(epsilons, error, message):
    with pytest.raises(error, match=message):
        sequential_solve(catalog.entry_deterrence(), epsilons=epsilons)


def test_not_a_game():
    with pytest.raises(TypeError, match="game must be a model.tree.Game"):
        lcp_solve(catalog.matching_pennies())
    with pytest.raises(TypeError, match="game must be a model.tree.Game"):
        sequence_form("tree")


def test_batched_games_need_a_point():
    game = catalog.crisis_signalling(pi=np.array([0.2, 0.3, 0.8]))
    with pytest.raises(ValueError, match=r"batch shape \(3,\): pass point=index"):
        lcp_solve(game)
    with pytest.raises(ValueError, match="does not pick one point"):
        lcp_solve(game, point=3)
    with pytest.raises(TypeError, match="must be an integer or a tuple of integers"):
        sequential_solve(game, point=1.0)


def test_pivot_bound_is_reported_not_hidden():
    game = catalog.crisis_demands(3, 4)
    full = lcp_solve(game, prune=False)
    assert full.converged and full.pivots > 1
    cut = lcp_solve(game, prune=False, max_pivots=1)
    assert not cut.converged and cut.pivots == 1
    assert "max_pivots=1" in cut.parameters["termination"]
    seq = sequential_solve(game, max_pivots=1)
    assert not seq.converged and seq.epsilon is None
    assert [a["epsilon"] for a in seq.attempts] == list(EPSILONS)
    assert not any(a["passed"] for a in seq.attempts)


# -- random trees ---------------------------------------------------------------------------------
@st.composite
def trees(draw, batch=(), integer=None, players_only=False, max_depth=4):
    """Two-player trees with chance moves and information sets, perfect recall by construction.

    Each level has one mover; a player always recalls its own earlier moves and sees some of
    the others' (a fixed choice per level and player), so its information sets respect perfect
    recall. ``integer`` payoffs (small integers) make ties and degenerate games common.
    """
    depth = draw(st.integers(1, max_depth))
    kinds = ["p0", "p1"] if players_only else ["p0", "p1", "chance"]
    movers = [draw(st.sampled_from(kinds)) for _ in range(depth)]
    widths = [draw(st.integers(2, 3)) for _ in range(depth)]
    sees = [[draw(st.booleans()) for _ in range(2)] for _ in range(depth)]
    integer = draw(st.booleans()) if integer is None else integer
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def key(t, history):
        me = int(movers[t][1])
        seen = [
            f"{s}={a}" if (movers[s] == movers[t] or sees[s][me]) else "?"
            for s, a in enumerate(history)
        ]
        return f"{movers[t]}@{t}[{','.join(seen)}]"

    def node(history):
        t = len(history)
        if t == depth:
            if integer:
                return Terminal(tuple(rng.integers(-2, 3, size=(2,) + batch).astype(float)))
            return Terminal(tuple(rng.normal(size=batch) for _ in range(2)))
        kids = {f"a{j}": node(history + [j]) for j in range(widths[t])}
        if movers[t] == "chance":
            probs = np.moveaxis(rng.dirichlet(np.ones(widths[t]), size=batch), -1, 0)
            return Chance({k: (probs[j], c) for j, (k, c) in enumerate(kids.items())})
        return Decision(movers[t], key(t, history), kids)

    return Game(("p0", "p1"), node([]))


@given(trees(), st.booleans())
def test_lcp_returns_a_certified_equilibrium(game, prune):
    res = lcp_solve(game, prune=prune)
    assert res.converged
    assert res.certificate.all_passed
    # independent checks: regret, the payoffs, and the realisation plans
    assert float(tree_regret(game, res.profile).max()) <= 1e-9 * res.parameters["scale"]
    sf = sequence_form(game)
    x, y = res.realisation
    np.testing.assert_allclose(sf.E @ x, sf.e, atol=1e-12)
    np.testing.assert_allclose(sf.F @ y, sf.f, atol=1e-12)
    assert x.min() >= 0 and y.min() >= 0
    np.testing.assert_allclose(sf.payoffs(x, y), res.payoffs, atol=1e-12)
    np.testing.assert_allclose(game.expected_payoffs(res.profile), res.payoffs, atol=1e-12)


@settings(max_examples=25)
@given(trees(integer=False, max_depth=3), st.booleans())
def test_lcp_payoffs_are_those_of_an_equilibrium_nashpy_finds(game, prune):
    """Generic payoffs: finitely many equilibrium outcomes (Kreps and Wilson 1982, Thm. 2).

    Each component of equilibria has one outcome, and vertex enumeration returns a vertex of
    every component, so the LCP's payoffs are those of one of nashpy's equilibria.
    """
    sizes = [game.num_pure_strategies(p) for p in game.players]
    assume(sizes[0] * sizes[1] <= 36)
    try:
        ref = nashpy_solve(game)
    except ValueError:  # qhull fails on some degenerate normal forms: nothing to compare
        assume(False)
    assume(ref.equilibria)
    res = lcp_solve(game, prune=prune)
    assert res.certificate.all_passed
    gaps = np.abs(ref.payoffs - res.payoffs).max(axis=1)
    assert gaps.min() <= 1e-7


@st.composite
def bimatrix_games(draw):
    n, m = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.normal(size=(n, m)), rng.normal(size=(n, m))


@settings(max_examples=40)
@given(bimatrix_games(), st.booleans())
def test_bimatrix_trees_agree_with_vertex_enumeration(games, prune):
    """Generic bimatrix games are nondegenerate: equilibria are isolated, nashpy finds all."""
    A, B = games
    ref = nashpy_solve((A, B))
    res = lcp_solve(catalog.bimatrix_tree(A, B), prune=prune)
    assert res.converged and res.certificate.all_passed
    x, y = res.profile["row"], res.profile["column"]
    assert any(
        np.allclose(x, a, atol=1e-8) and np.allclose(y, b, atol=1e-8) for a, b in ref.equilibria
    )


@settings(max_examples=40)
@given(trees())
def test_sequential_solve_returns_a_certified_assessment(game):
    res = sequential_solve(game)
    assert res.converged and res.epsilon is not None
    assert res.attempts[-1]["passed"] and res.attempts[-1]["stable"]
    cert = assessment_certificate(game, res.profile, res.beliefs)
    assert cert.all_passed
    # beliefs are Bayes' posteriors wherever the profile reaches the information set
    bayes, reached = bayes_beliefs(game, res.profile)
    for name in game.infosets:
        if reached[name]:
            np.testing.assert_allclose(res.beliefs[name], bayes[name], atol=1e-9)
    assert tree_certificate(game, res.profile).all_passed


@settings(max_examples=30)
@given(trees(integer=False, players_only=False))
def test_sequential_equilibrium_of_perfect_information_games_is_backward_induction(game):
    """With perfect information and generic payoffs the sequential equilibrium is the unique
    subgame-perfect one, found independently by backward induction."""
    assume(game.is_perfect_information)
    spe = backward_induction_solve(game)
    assume(not spe.any_ties)
    res = sequential_solve(game)
    assert res.converged
    for name, probs in spe.profile.items():
        np.testing.assert_allclose(res.profile[name], probs, atol=1e-9)


@given(trees(batch=(3,)), st.integers(0, 2**32 - 1))
def test_sequence_form_payoffs_match_the_tree(game, seed):
    rng = np.random.default_rng(seed)
    profile = {
        name: rng.dirichlet(np.ones(len(iset.actions)), size=3).T
        for name, iset in game.infosets.items()
    }
    sf = sequence_form(game)
    assert sf.A.shape[2:] == (3,) and sf.shape == (sf.E.shape[1], sf.F.shape[1])
    x, y = sf.realisation_plans(profile)
    np.testing.assert_allclose(sf.payoffs(x, y), game.expected_payoffs(profile), atol=1e-12)
    np.testing.assert_allclose(
        np.einsum("rs,s...->r...", sf.E, x), np.repeat(sf.e[:, None], 3, axis=1), atol=1e-12
    )
    # one point at a time gives the same matrices, and plans map back to the profile
    for i in range(3):
        one = sequence_form(game, point=i)
        np.testing.assert_allclose(one.A, sf.A[..., i])
        np.testing.assert_allclose(one.B, sf.B[..., i])
        back = one.behaviour_profile(x[:, i], y[:, i])
        for name in game.infosets:
            np.testing.assert_allclose(back[name], profile[name][:, i], atol=1e-12)


def test_plans_with_unreached_information_sets_map_to_uniform_behaviour():
    game = catalog.crisis_signalling()
    sf = sequence_form(game)
    at = [{seq: i for i, seq in enumerate(seqs)} for seqs in sf.sequences]
    x, y = np.zeros(sf.shape[0]), np.zeros(sf.shape[1])
    # the challenger never threatens, so its sets after resistance are never reached
    x[[at[0][None], at[0][("C.resolved", "no_threat")], at[0][("C.unresolved", "no_threat")]]] = 1
    y[at[1][None]], y[at[1][("T.threat", "concede")]], y[at[1][("T.threat", "resist")]] = (
        1,
        0.25,
        0.75,
    )
    profile = sf.behaviour_profile(x, y)
    assert profile["C.resolved"].tolist() == [1.0, 0.0]
    assert profile["C.unresolved.resisted"].tolist() == [0.5, 0.5]
    assert profile["T.threat"].tolist() == [0.25, 0.75]
    bad = x.copy()
    bad[at[0][("C.resolved", "no_threat")]] = 0.5
    with pytest.raises(ValueError, match="x is not a realisation plan"):
        sf.behaviour_profile(bad, y)
    with pytest.raises(ValueError, match=r"y has shape \(2,\); expected \(3,\)"):
        sf.behaviour_profile(x, y[:2])


def test_batched_game_is_solved_at_the_chosen_point():
    game = catalog.crisis_signalling(pi=np.array([0.2, 0.3, 0.8]))
    for i in range(3):
        res = lcp_solve(game, point=i)
        alone = lcp_solve(game.point(i))
        assert res.certificate.all_passed and res.parameters["point"] == i
        for name in game.infosets:
            np.testing.assert_allclose(res.profile[name], alone.profile[name])
        seq = sequential_solve(game, point=i)
        assert seq.converged and seq.game.batch_shape == ()


def test_pruning_shrinks_the_benchmark_tree():
    game = catalog.crisis_demands(8, 9)
    pruned, full = lcp_solve(game), lcp_solve(game, prune=False)
    assert pruned.certificate.all_passed and full.certificate.all_passed
    assert pruned.parameters["pruned_actions"] > 0
    n_pruned = sum(pruned.parameters["sizes"]["sequences"])
    assert n_pruned < sum(full.parameters["sizes"]["sequences"])
    # sequence counts of the full tree: 1 + 8 * 9 + 8 * 9 * 2 and 1 + 9 * 2
    assert full.parameters["sizes"]["sequences"] == (217, 19)
