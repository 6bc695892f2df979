"""Normal forms of trees and their equilibria through nashpy, verified independently."""

import itertools
import warnings

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from known_games import DATA, build, number  # noqa: F401

from model.checks import bimatrix_regret, probabilities_ok, tree_regret
from model.solvers.backward import backward_induction_solve
from model.solvers.normal_form import (
    _clean,
    behaviour_from_mixed,
    eliminate_dominated_strategies,
    nashpy_solve,
    prune_dominated_actions,
    surviving_actions,
    to_normal_form,
)
from model.tree import Chance, Decision, Game, Terminal

METHODS = ("vertex_enumeration", "support_enumeration", "lemke_howson")


def equilibria(case):
    return [
        (np.array([number(v) for v in x]), np.array([number(v) for v in y]))
        for x, y in case["equilibria"]
    ]


def same_set(found, expected, atol=1e-9):
    """Equal as sets of strategy pairs (each found pair matches one expected pair and back)."""

    def close(a, b):
        return np.allclose(a[0], b[0], atol=atol) and np.allclose(a[1], b[1], atol=atol)

    return all(any(close(f, e) for e in expected) for f in found) and all(
        any(close(f, e) for f in found) for e in expected
    )


def subset(found, expected, atol=1e-9):
    return all(
        any(
            np.allclose(f[0], e[0], atol=atol) and np.allclose(f[1], e[1], atol=atol)
            for e in expected
        )
        for f in found
    )


# -- known bimatrix games -----------------------------------------------------------------------
@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in DATA["bimatrix"]])
def test_known_equilibria_vertex_enumeration(case):
    A, B = np.array(case["A"], float), np.array(case["B"], float)
    res = nashpy_solve((A, B))
    assert same_set(res.equilibria, equilibria(case))
    assert res.certificate.all_passed
    assert res.rejected == 0 and res.converged
    assert res.method == "nashpy.vertex_enumeration"
    for (x, y), pay in zip(res.equilibria, res.payoffs, strict=True):
        np.testing.assert_allclose(pay, [x @ A @ y, x @ B @ y])


@pytest.mark.parametrize("method", ["support_enumeration", "lemke_howson"])
@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in DATA["bimatrix"]])
def test_known_equilibria_other_methods(case, method):
    A, B = np.array(case["A"], float), np.array(case["B"], float)
    res = nashpy_solve((A, B), method=method)
    assert res.equilibria and subset(res.equilibria, equilibria(case))
    if method == "support_enumeration" and not case["degenerate"]:
        assert same_set(res.equilibria, equilibria(case))
    assert all(c.all_passed for c in res.certificates)


def test_degenerate_game_warning_is_recorded_not_raised():
    case = next(c for c in DATA["bimatrix"] if c["id"] == "von_stengel_3x2_degenerate")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = nashpy_solve(
            (np.array(case["A"], float), np.array(case["B"], float)), method="support_enumeration"
        )
    assert any("degenerate" in w for w in res.warnings)


def test_lemke_howson_is_bounded():
    case = next(c for c in DATA["bimatrix"] if c["id"] == "von_stengel_3x2")
    A, B = np.array(case["A"], float), np.array(case["B"], float)
    res = nashpy_solve((A, B), method="lemke_howson", max_pivots=1)
    assert not res.converged
    assert res.parameters["max_pivots"] == 1
    assert subset(res.equilibria, equilibria(case))


def test_regret_rejects_non_equilibria():
    A = np.array([[2.0, 0.0], [0.0, 1.0]])
    B = np.array([[1.0, 0.0], [0.0, 2.0]])
    np.testing.assert_allclose(bimatrix_regret(A, B, [1, 0], [0, 1]), [1.0, 1.0])
    np.testing.assert_allclose(bimatrix_regret(A, B, [1, 0], [0.5, 0.5]), [0.0, 0.5])
    np.testing.assert_allclose(bimatrix_regret(A, B, [0, 1], [0.5, 0.5]), [0.5, 1.0])
    np.testing.assert_allclose(
        bimatrix_regret(A, B, [2 / 3, 1 / 3], [1 / 3, 2 / 3]), 0.0, atol=1e-15
    )
    assert probabilities_ok(np.array([0.5, 0.5])) and not probabilities_ok(np.array([0.7, 0.7]))


def test_input_errors():
    A = np.zeros((2, 2, 3))
    with pytest.raises(ValueError, match="pass point=index"):
        nashpy_solve((A, A))
    with pytest.raises(ValueError, match="method = 'simplex' is not one of"):
        nashpy_solve((A[..., 0], A[..., 0]), method="simplex")
    with pytest.raises(ValueError, match="prune=True needs a tree"):
        nashpy_solve((A[..., 0], A[..., 0]), prune=True)
    res = nashpy_solve((A, A + np.eye(2)[..., None]), point=1)
    assert res.A.shape == (2, 2) and res.equilibria


BAD_ARGUMENTS = [
    (
        {"point": 3},
        ValueError,
        r"point = 3 does not pick one point of the batch shape \(3,\): "
        r"it needs 1 integer\(s\), with -3 <= i < 3",
    ),
    ({"point": -4}, ValueError, r"point = -4 does not pick one point .* -3 <= i < 3"),
    ({"point": (0, 1)}, ValueError, r"point = \(0, 1\) does not pick one point"),
    ({"point": 1.0}, TypeError, r"point = 1.0 must be an integer"),
    ({"point": 0, "tolerance": -1e-9}, ValueError, r"tolerance = -1e-09 is out of range: .* >= 0"),
    ({"point": 0, "tolerance": np.nan}, ValueError, r"tolerance = nan is out of range"),
    ({"point": 0, "tolerance": "1e-9"}, TypeError, r"tolerance = '1e-9' must be a real number"),
    ({"point": 0, "max_pivots": True}, TypeError, r"max_pivots = True must be an integer >= 1"),
    ({"point": 0, "max_pivots": 0}, ValueError, r"max_pivots = 0 is out of range: .* >= 1"),
    ({"point": 0, "max_pivots": 2.0}, TypeError, r"max_pivots = 2.0 must be an integer >= 1"),
    ({"point": 0, "max_strategies": 0}, ValueError, r"max_strategies = 0 is out of range"),
    ({"point": 0, "eliminate_dominated": "no"}, TypeError, r"eliminate_dominated = 'no' must be"),
    ({"point": 0, "prune": 1}, TypeError, r"prune = 1 must be True or False"),
    ({"point": 0, "method": ["lemke_howson"]}, ValueError, r"method = \['lemke_howson'\] is not"),
]


@pytest.mark.parametrize(("kwargs", "error", "message"), BAD_ARGUMENTS)
def test_bad_arguments_name_the_argument_and_the_valid_range(kwargs, error, message):
    A = np.arange(12.0).reshape(2, 2, 3)
    with pytest.raises(error, match=message):
        nashpy_solve((A, -A), **kwargs)


def test_bad_payoff_matrices():
    with pytest.raises(ValueError, match=r"at least one row and one column; got shape \(0, 2\)"):
        nashpy_solve((np.zeros((0, 2)), np.zeros((0, 2))))
    with pytest.raises(ValueError, match=r"got shape \(2, 0, 3\)"):
        nashpy_solve((np.zeros((2, 0, 3)), np.zeros((2, 0, 3))), point=0)
    with pytest.raises(ValueError, match="payoff matrices .* must be numeric"):
        nashpy_solve(([["a", "b"]], [[1.0, 2.0]]))
    with pytest.raises(ValueError, match=r"point = 0 was given, but the payoffs are not batched"):
        nashpy_solve((np.eye(2), np.eye(2)), point=0)
    with pytest.raises(ValueError, match="payoff matrices must be finite"):
        nashpy_solve((np.array([[np.nan, 0.0]]), np.zeros((1, 2))))


def test_bad_arguments_with_a_tree():
    _, game = chain_store()
    with pytest.raises(ValueError, match="point = 0 was given, but the payoffs are not batched"):
        nashpy_solve(game, point=0)
    with pytest.raises(ValueError, match="point = 2 does not pick one point"):
        nashpy_solve(batched_entry_game(), point=2)
    for kwargs, error, message in [
        ({"max_strategies": 0}, ValueError, r"max_strategies = 0 is out of range: .* >= 1"),
        ({"max_strategies": 2.5}, TypeError, r"max_strategies = 2.5 must be an integer >= 1"),
        ({"dominance_tolerance": -1.0}, ValueError, r"dominance_tolerance = -1.0 is out of range"),
        ({"dominance_tolerance": np.nan}, ValueError, r"dominance_tolerance = nan is out of"),
        ({"prune": None}, TypeError, r"prune = None must be True or False"),
    ]:
        with pytest.raises(error, match=message):
            to_normal_form(game, **kwargs)
    with pytest.raises(ValueError, match=r"tolerance = -1.0 is out of range"):
        surviving_actions(game, tolerance=-1.0)
    with pytest.raises(ValueError, match=r"tolerance = nan is out of range"):
        eliminate_dominated_strategies(np.eye(2), np.eye(2), tolerance=np.nan)


def test_candidates_are_renormalised_only_within_round_off():
    np.testing.assert_array_equal(_clean([0.5, 0.5], 2), [0.5, 0.5])
    x = _clean([0.5 + 4e-7, 0.5, -1e-12], 3)
    assert x is not None and x[2] == 0.0 and abs(x.sum() - 1.0) < 1e-15
    assert _clean([0.5 + 2e-6, 0.5], 2) is None  # not a probability vector: rejected
    assert _clean([1.0 + 1e-3, -1e-3], 2) is None  # negative beyond 1e-9
    assert _clean([1.0, 0.0], 3) is None  # wrong length
    assert _clean([np.nan, 1.0], 2) is None


def test_dominance_elimination():
    pd = next(c for c in DATA["bimatrix"] if c["id"] == "prisoners_dilemma")
    rows, cols, rounds = eliminate_dominated_strategies(pd["A"], pd["B"])
    assert rows.tolist() == [1] and cols.tolist() == [1] and rounds == 1
    # three rounds: column 2 is dominated, then row 1, then column 0
    A = np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 2.0]])
    B = np.array([[0.0, 2.0, 1.0], [3.0, 1.0, 0.0]])
    rows, cols, rounds = eliminate_dominated_strategies(A, B)
    assert (rows.tolist(), cols.tolist(), rounds) == ([0], [1], 3)
    # a batch: removed only if dominated at every point
    A2 = np.stack([A, A[::-1]], axis=-1)
    B2 = np.stack([B, B[::-1]], axis=-1)
    rows, cols, _ = eliminate_dominated_strategies(A2, B2)
    assert rows.tolist() == [0, 1]


# -- trees through their normal form ------------------------------------------------------------
def chain_store():
    case = DATA["trees"][0]
    return case, Game(tuple(case["players"]), build(case["root"]))


def test_known_tree_normal_form_and_equilibria():
    case, game = chain_store()
    nf = to_normal_form(game)
    np.testing.assert_allclose(nf.A, case["normal_form"]["A"])
    np.testing.assert_allclose(nf.B, case["normal_form"]["B"])
    assert nf.describe(0, 1) == {"competitor": "in"}
    res = nashpy_solve(game)
    assert same_set(res.equilibria, equilibria(case["normal_form"]))
    assert all(c.all_passed for c in res.certificates)  # certified on the tree itself
    # the subgame-perfect equilibrium is among them, in behaviour strategies
    spe = backward_induction_solve(game).profile
    assert any(all(np.allclose(p[k], spe[k]) for k in spe) for p in res.profiles)
    # pruning the conditionally dominated threat leaves only the subgame-perfect equilibrium
    pruned = nashpy_solve(game, prune=True)
    assert len(pruned.equilibria) == 1
    assert all(np.allclose(pruned.profiles[0][k], spe[k]) for k in spe)
    assert pruned.normal_form.parameters["pruned_actions"] == 2  # 'aggressive', then 'out'


def batched_entry_game():
    """Entry game whose fight payoff to the incumbent is -1 at point 0 and 2 at point 1."""
    fight = Terminal((-1.0, np.array([-1.0, 2.0])))
    incumbent = Decision("incumbent", "I", {"fight": fight, "accommodate": Terminal((1.0, 0.5))})
    return Game(
        ("entrant", "incumbent"),
        Decision("entrant", "E", {"out": Terminal((0.0, 1.0)), "in": incumbent}),
    )


def batched_simultaneous_game():
    """Prisoner's dilemma at point 0 and battle of the sexes at point 1, as a tree.

    The column player moves second without seeing the row player's move.
    """
    pay = {
        ("u", "l"): ([3.0, 2.0], [3.0, 1.0]),
        ("u", "r"): ([0.0, 0.0], [5.0, 0.0]),
        ("d", "l"): ([5.0, 0.0], [0.0, 0.0]),
        ("d", "r"): ([1.0, 1.0], [1.0, 2.0]),
    }

    def column(a):
        kids = {b: Terminal(tuple(np.array(v) for v in pay[a, b])) for b in ("l", "r")}
        return Decision("col", "C", kids)

    return Game(("row", "col"), Decision("row", "R", {a: column(a) for a in ("u", "d")}))


@pytest.mark.parametrize("eliminate", [False, True])
@pytest.mark.parametrize("point", [0, 1, -1])
def test_batched_normal_form_solves_like_the_tree(point, eliminate):
    game = batched_simultaneous_game()
    nf = to_normal_form(game)
    assert nf.batch_shape == (2,)
    from_nf = nashpy_solve(nf, point=point, eliminate_dominated=eliminate)
    from_tree = nashpy_solve(game, point=point, eliminate_dominated=eliminate)
    assert from_nf.normal_form.batch_shape == ()
    assert from_nf.normal_form.game.batch_shape == ()
    assert from_nf.normal_form.source.batch_shape == ()
    np.testing.assert_array_equal(from_nf.A, from_tree.A)
    for k in range(2):
        np.testing.assert_array_equal(
            from_nf.normal_form.strategies[k], from_tree.normal_form.strategies[k]
        )
    assert same_set(from_nf.equilibria, from_tree.equilibria)
    assert all(c.all_passed for c in from_nf.certificates)
    # the prisoner's dilemma has one equilibrium, the battle of the sexes three
    assert len(from_nf.equilibria) == (1 if point == 0 else 3)
    if eliminate and point == 0:  # only the dominant strategies survive
        assert from_nf.A.shape == (1, 1)
        assert from_nf.normal_form.describe(0, 0) == {"R": "d"}
        assert from_nf.normal_form.describe(1, 0) == {"C": "r"}
    else:
        assert from_nf.A.shape == (2, 2)


def test_strategy_guard():
    # 15 binary information sets of one player: 32768 strategies
    kids = {
        f"c{j}": (
            1 / 15,
            Decision("b", f"B{j}", {"x": Terminal((1.0, 0.0)), "y": Terminal((0.0, 1.0))}),
        )
        for j in range(15)
    }
    game = Game(("a", "b"), Decision("a", "A", {"go": Chance(kids), "stop": Terminal((0.5, 0.5))}))
    with pytest.raises(
        ValueError,
        match=r"player 'b' has 32768 pure strategies, more than "
        r"max_strategies=20000: the normal form is too large; pass prune=True",
    ):
        to_normal_form(game)
    nf = to_normal_form(game, prune=True)  # b never plays x, so a stops
    assert nf.shape == (1, 1)


def test_three_players_rejected():
    game = Game(("a", "b", "c"), Decision("a", "A", {"x": Terminal((1, 2, 3))}))
    with pytest.raises(ValueError, match="two-player games; this game has 3 players"):
        to_normal_form(game)


# random two-player trees with imperfect information (perfect recall by construction)
@st.composite
def two_player_games(draw, batch=()):
    depth = draw(st.integers(1, 3))
    movers = [draw(st.sampled_from(["p0", "p1", "chance"])) for _ in range(depth)]
    widths = [draw(st.integers(2, 3)) if m == "chance" else 2 for m in movers]
    sees = [[draw(st.booleans()) for _ in range(2)] for _ in range(depth)]
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
            return Terminal(tuple(rng.normal(size=batch) for _ in range(2)))
        kids = {f"a{j}": node(history + [j]) for j in range(widths[t])}
        if movers[t] == "chance":
            probs = np.moveaxis(rng.dirichlet(np.ones(widths[t]), size=batch), -1, 0)
            return Chance({k: (probs[j], c) for j, (k, c) in enumerate(kids.items())})
        return Decision(movers[t], key(t, history), kids)

    return Game(("p0", "p1"), node([]))


@given(two_player_games(batch=(2,)))
def test_normal_form_entries_are_payoffs_of_pure_profiles(game):
    nf = to_normal_form(game)
    assert nf.A.shape[2:] == (2,)
    for r in range(nf.shape[0]):
        for c in range(nf.shape[1]):
            choice = {**nf.describe(0, r), **nf.describe(1, c)}
            v = game.expected_payoffs(game.pure_profile(choice))
            np.testing.assert_allclose([nf.A[r, c], nf.B[r, c]], v, atol=1e-12)


@settings(max_examples=40)
@given(two_player_games(), st.sampled_from(METHODS))
def test_tree_equilibria_map_to_certified_behaviour_profiles(game, method):
    nf = to_normal_form(game)
    if nf.shape[0] * nf.shape[1] > (64 if method == "lemke_howson" else 16):
        return  # keep the test fast: enumeration grows exponentially with the strategies
    res = nashpy_solve(game, method=method)
    assert res.equilibria or method != "vertex_enumeration"
    for (x, y), prof, cert in zip(res.equilibria, res.profiles, res.certificates, strict=True):
        np.testing.assert_allclose(tree_regret(game, prof), 0.0, atol=1e-8)
        assert cert.all_passed
        # Kuhn: the behaviour profile is payoff-equivalent to the mixed profile
        np.testing.assert_allclose(
            game.expected_payoffs(prof), [x @ nf.A @ y, x @ nf.B @ y], atol=1e-9
        )


@given(two_player_games(), st.integers(0, 2**32 - 1))
def test_kuhn_mapping_preserves_the_outcome_of_any_mixed_profile(game, seed):
    nf = to_normal_form(game)
    rng = np.random.default_rng(seed)
    x, y = rng.dirichlet(np.ones(nf.shape[0])), rng.dirichlet(np.ones(nf.shape[1]))
    prof = nf.behaviour_profile(x, y)
    np.testing.assert_allclose(
        game.expected_payoffs(prof), [x @ nf.A @ y, x @ nf.B @ y], atol=1e-12
    )
    one = behaviour_from_mixed(game, "p0", nf.strategies[0], x)
    assert set(one) == {i.name for i in game.infosets_of("p0")}


@given(two_player_games())
def test_pruning_keeps_the_subgame_perfect_play_of_perfect_information_games(game):
    if not game.is_perfect_information:
        return
    spe = backward_induction_solve(game)  # generic payoffs: no ties, a unique SPE
    keep = surviving_actions(game)
    for name, iset in game.infosets.items():
        assert iset.actions[int(spe.choice[name])] in keep[name]
    pruned = prune_dominated_actions(game)
    assert backward_induction_solve(pruned).root_values.tolist() == pytest.approx(
        spe.root_values.tolist()
    )


# -- random bimatrix games ----------------------------------------------------------------------
def as_set(eqs):
    return [(np.asarray(x, float), np.asarray(y, float)) for x, y in eqs]


@st.composite
def generic_games(draw):
    """Continuous random payoffs: non-degenerate with probability one."""
    n, m = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.normal(size=(n, m)), rng.normal(size=(n, m))


@st.composite
def integer_games(draw):
    n, m = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    cells = st.integers(-3, 3)
    A = draw(st.lists(st.lists(cells, min_size=m, max_size=m), min_size=n, max_size=n))
    B = draw(st.lists(st.lists(cells, min_size=m, max_size=m), min_size=n, max_size=n))
    return np.array(A, float), np.array(B, float)


def reference_equilibria(A, B, tol=1e-9):
    """Support enumeration written out for the test (non-degenerate games: equal supports).

    For supports I, J of size k it solves the indifference conditions on the k x k subgames
    (von Stengel 2007, sec. 3.4) and keeps solutions with non-negative probabilities and no
    profitable pure deviation. Independent of nashpy and of the code under test.
    """
    n, m = A.shape
    found = []
    for k in range(1, min(n, m) + 1):
        for rows in itertools.combinations(range(n), k):
            for cols in itertools.combinations(range(m), k):
                sub_a, sub_b = A[np.ix_(rows, cols)], B[np.ix_(rows, cols)]
                lhs_y = np.block([[sub_a, -np.ones((k, 1))], [np.ones((1, k)), np.zeros((1, 1))]])
                lhs_x = np.block([[sub_b.T, -np.ones((k, 1))], [np.ones((1, k)), np.zeros((1, 1))]])
                rhs = np.r_[np.zeros(k), 1.0]
                try:
                    y_s = np.linalg.solve(lhs_y, rhs)[:k]
                    x_s = np.linalg.solve(lhs_x, rhs)[:k]
                except np.linalg.LinAlgError:
                    continue
                if x_s.min() < -tol or y_s.min() < -tol:
                    continue
                x, y = np.zeros(n), np.zeros(m)
                x[list(rows)], y[list(cols)] = x_s, y_s
                if (A @ y).max() - x @ A @ y <= tol and (x @ B).max() - x @ B @ y <= tol:
                    if not subset([(x, y)], found):
                        found.append((x, y))
    return found


@settings(max_examples=40)
@given(generic_games())
def test_generic_games_methods_agree(games):
    A, B = games
    vertex = nashpy_solve((A, B))
    support = nashpy_solve((A, B), method="support_enumeration")
    lemke = nashpy_solve((A, B), method="lemke_howson")
    assert vertex.equilibria and vertex.certificate.all_passed
    assert len(vertex.equilibria) % 2 == 1  # non-degenerate games have an odd number
    assert same_set(vertex.equilibria, reference_equilibria(A, B), atol=1e-7)
    # our tolerance-aware support enumeration finds all of them (nashpy's may miss some)
    assert same_set(support.equilibria, vertex.equilibria, atol=1e-7)
    assert lemke.equilibria and subset(lemke.equilibria, vertex.equilibria, atol=1e-7)
    # and with nashpy's own vertex enumeration, run directly
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = as_set(nashpy.Game(A, B).vertex_enumeration())
    assert same_set(vertex.equilibria, raw, atol=1e-7)
    # eliminating strictly dominated strategies keeps every equilibrium
    rows, cols, _ = eliminate_dominated_strategies(A, B)
    reduced = nashpy_solve((A[np.ix_(rows, cols)], B[np.ix_(rows, cols)]))
    lifted = []
    for x, y in reduced.equilibria:
        fx, fy = np.zeros(A.shape[0]), np.zeros(A.shape[1])
        fx[rows], fy[cols] = x, y
        lifted.append((fx, fy))
    assert same_set(lifted, vertex.equilibria, atol=1e-7)


@settings(max_examples=40)
@given(integer_games(), st.sampled_from(METHODS))
def test_every_returned_equilibrium_passes_regret(games, method):
    A, B = games
    res = nashpy_solve((A, B), method=method)
    for x, y in res.equilibria:
        assert probabilities_ok(x) and probabilities_ok(y)
        assert bimatrix_regret(A, B, x, y).max() <= 1e-9 * max(
            1.0, np.abs(A).max(), np.abs(B).max()
        )
        assert np.all(x >= 0) and np.all(y >= 0)
    # no two reported equilibria are equal
    for i, (x, y) in enumerate(res.equilibria):
        for u, v in res.equilibria[i + 1 :]:
            assert max(np.abs(x - u).max(), np.abs(y - v).max()) > 1e-9
    if method == "vertex_enumeration":
        assert res.equilibria  # every finite game has one (Nash 1951)


def test_normal_form_of_a_tree_with_many_information_sets():
    # 1 + 32 * 32 information sets: more axes than numpy arrays may have; after pruning each
    # target information set keeps one action, and dominated demands are dropped too
    from model.games import risk_return as rr

    game = rr.tree(rr.Params(), n_types=32, n_demands=32)
    nf = to_normal_form(game, prune=True)
    assert nf.A.shape[1] == 1 and 2 <= nf.A.shape[0] <= 32
    result = nashpy_solve(game, prune=True)
    assert result.certificate.all_passed
    spe = backward_induction_solve(game)
    value = game.expected_payoffs(result.profiles[0])[0]
    assert float(value) == pytest.approx(float(spe.root_values[0]), abs=1e-12)


def test_support_enumeration_keeps_equilibria_nashpy_loses():
    """A 4x2 float game (rounded normal draws) on which nashpy's support enumeration returns
    nothing: its indifference step rejects a probability computed as a tiny negative number."""
    A = np.array([[-0.523, -0.413], [-2.441, 1.8], [1.144, -0.325], [0.774, 0.281]])
    B = np.array([[-0.554, 0.978], [-0.311, -0.329], [-0.792, 0.455], [-0.099, 0.545]])
    ours = nashpy_solve((A, B), method="support_enumeration")
    vertex = nashpy_solve((A, B))
    assert len(vertex.equilibria) == 1 and ours.certificate.all_passed
    assert same_set(ours.equilibria, vertex.equilibria, atol=1e-9)


def test_reduced_normal_form_merges_equivalent_strategies():
    """In the four-move centipede, player one's strategies that take at once differ only at a
    node they never reach: the reduced normal form keeps 3 of 4 strategies per player."""
    case = next(c for c in DATA["trees"] if c["id"] == "centipede_four_move")
    game = Game(tuple(case["players"]), build(case["root"]))
    full = to_normal_form(game, reduced=False)
    red = to_normal_form(game)
    assert full.shape == (4, 4) and red.shape == (3, 3)
    assert red.parameters["reduced"] and not full.parameters["reduced"]
    # the full matrix has two equal rows and two equal columns; the reduced one has none
    assert len({tuple(r) for r in full.A.round(12)}) == 3
    assert len({tuple(r) for r in red.A.round(12)}) == 3
    values_full = {tuple(np.round(p, 9)) for p in nashpy_solve(full).payoffs}
    values_red = {tuple(np.round(p, 9)) for p in nashpy_solve(red).payoffs}
    assert values_full == values_red == {(0.4, 0.1)}
