"""The brinkmanship model: known answers, Powell's claims, Monte Carlo and generic solvers.

The game and its closed forms (critical-risk comparison under complete information, belief
thresholds and mixing under incomplete information) are derived in the module docstring of
:mod:`model.games.brinkmanship`.
"""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.checks import assessment_certificate
from model.games import brinkmanship as bk
from model.solvers.api import solve_game
from model.solvers.backward import backward_induction_solve
from model.solvers.sequence_form import lcp_solve

CASES = json.loads((Path(__file__).parent / "data" / "brinkmanship_known.json").read_text())
OUTCOMES = ("compliance", "backdown", "war")


def frac(x: str) -> float:
    return float(Fraction(x))


def random_params(seed: int, n: int, **fixed) -> bk.Params:
    """``n`` points drawn uniformly inside the bounds (``fixed`` overrides fields)."""
    rng = np.random.default_rng(seed)
    values = {
        "r_A": rng.uniform(0.05, 0.95, n),
        "r_B": rng.uniform(0.05, 0.95, n),
        "pi": rng.uniform(0.01, 0.99, n),
        "s": rng.uniform(0.005, 0.5, n),
        "n_rounds": rng.integers(2, bk.MAX_MOVES + 1, n),
        "w_resolved": rng.uniform(0.01, 1.0, n),
    }
    values.update(fixed)
    return bk.Params(**values)


# -- known answers -------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES["incomplete"], ids=lambda c: c["id"])
@pytest.mark.parametrize("method", bk.METHODS)
def test_known_answers(case, method):
    params = bk.Params(**case["params"])
    s = bk.solve(params, method=method)
    assert s.certificate.all_passed and bool(np.all(s.converged))
    assert bk.regime(params).item() == case["regime"]
    for k, value in case["strategies"].items():
        assert float(s.strategies[k]) == pytest.approx(frac(value), abs=1e-9), k
    if method == "closed_form":
        for k, value in case["cutpoints"].items():
            assert float(s.cutpoints[k]) == pytest.approx(frac(value), abs=1e-12), k
    for o, value in case["outcomes"].items():
        assert float(s.planned[o]) == pytest.approx(frac(value), abs=1e-9), o
    for player, value in case["utilities"].items():
        assert float(s.utilities_planned[player]) == pytest.approx(frac(value), abs=1e-9), player


@pytest.mark.parametrize("case", CASES["incomplete"], ids=lambda c: c["id"])
@pytest.mark.parametrize("method", ["vertex", "lcp", "sequential"])
def test_generic_solvers_reach_the_known_outcomes(case, method):
    game = bk.tree(bk.Params(**case["params"]))
    out = solve_game(game, method, select="challenger_preferred")
    eq = out.equilibria[out.selected]
    assert eq.certificate.all_passed
    found = game.outcome_probabilities(eq.profile)
    for o, value in case["outcomes"].items():
        assert float(found[o]) == pytest.approx(frac(value), abs=1e-8), o
    assert float(eq.payoffs[0]) == pytest.approx(frac(case["utilities"]["challenger"]), abs=1e-8)


@pytest.mark.parametrize("case", CASES["complete"], ids=lambda c: c["id"])
def test_complete_information_known_answers(case):
    params = bk.Params(**case["params"])
    out = bk.complete_information(params)
    assert [int(out["last_move_challenger"]), int(out["last_move_target"])] == case["last_moves"]
    res = backward_induction_solve(bk.complete_information_tree(params))
    assert res.certificate.all_passed
    by_tree = bk.complete_information_tree(params).outcome_probabilities(res.profile)
    for o, value in case["outcomes"].items():
        assert float(out[o]) == pytest.approx(frac(value), abs=1e-12), o
        assert float(by_tree[o]) == pytest.approx(frac(value), abs=1e-12), o
    assert float(out["eu_challenger"]) == pytest.approx(float(res.root_values[0]), abs=1e-12)
    assert float(out["eu_target"]) == pytest.approx(float(res.root_values[1]), abs=1e-12)


@pytest.mark.parametrize("case", CASES["critical_risk"], ids=lambda c: c["id"])
def test_critical_risk_known_answers(case):
    value = bk.critical_risk(case["prevail"], case["concede"], case["war"])
    assert float(value) == pytest.approx(frac(case["value"]), abs=1e-15)


# -- brute force ---------------------------------------------------------------------------------
def test_four_move_mixing_is_the_grid_minimum_of_regret():
    """Search every (bluff, press-on) pair on a 201 x 201 grid for the least regret.

    The challenger escalates at move 1 and quits at the brink; the irresolute target bluffs with
    probability b at move 2, the challenger presses on with probability a at move 3, with the
    Bayes belief. The closed form's (1/3, 25/58) must be the grid's minimiser, up to a step.
    """
    case = next(c for c in CASES["incomplete"] if c["id"] == "four_moves_bluffing")
    params = bk.Params(**case["params"])
    grid = np.linspace(0.0, 1.0, 201)
    b, a = (x.ravel() for x in np.meshgrid(grid, grid, indexing="ij"))
    game = bk.tree(params)
    one, zero = np.ones_like(a), np.zeros_like(a)
    profile = {
        "A.1": np.stack([zero, one]),
        "B.irresolute.2": np.stack([1.0 - b, b]),
        "A.3": np.stack([1.0 - a, a]),
        "B.irresolute.4": np.stack([one, zero]),
    }
    pi = params.pi
    mu3 = pi / (pi + (1.0 - pi) * b)
    beliefs = {"A.1": np.array([pi, 1.0 - pi]), "A.3": np.stack([mu3, 1.0 - mu3])}
    regret = assessment_certificate(game, profile, beliefs).max_regret
    best = int(np.argmin(regret))
    assert abs(b[best] - 1.0 / 3.0) <= 0.005 and abs(a[best] - 25.0 / 58.0) <= 0.005
    exact = bk.solve(params)
    assert float(exact.certificate.max_regret) <= 1e-12 < float(regret[best])


def test_two_move_threshold_by_brute_force():
    """The challenger's payoffs from escalating and quitting on a fine grid of priors cross at
    m_1 = (r_A - s)/(1 - s)."""
    pi = np.linspace(0.001, 0.999, 999)
    params = bk.Params(r_A=0.6, r_B=0.4, pi=pi, s=0.1, n_rounds=2)
    game = bk.tree(params)
    one, zero = np.ones_like(pi), np.zeros_like(pi)
    value = {
        act: game.expected_payoffs({"A.1": np.stack(p), "B.irresolute.2": np.stack([one, zero])})[0]
        for act, p in (("quit", (one, zero)), ("escalate", (zero, one)))
    }
    escalates = value["escalate"] > value["quit"]
    assert np.array_equal(escalates, pi < 5.0 / 9.0)
    chosen = bk.solve(params).strategies["challenger.escalate_1"]
    assert np.array_equal(chosen == 1.0, escalates)


@settings(max_examples=10)
@given(seed=st.integers(0, 2**32 - 1))
def test_complete_information_is_backward_induction(seed):
    """The last-willing-move rule equals batched backward induction on the perfect-information
    tree, on random points (each n_rounds separately: one tree shape per batch)."""
    for n in range(2, bk.MAX_MOVES + 1):
        params = random_params(seed + n, 200, n_rounds=n)
        res = backward_induction_solve(bk.complete_information_tree(params))
        assert res.certificate.all_passed
        by_tree = bk.complete_information_tree(params).outcome_probabilities(res.profile)
        out = bk.complete_information(params)
        for o in OUTCOMES:
            np.testing.assert_allclose(out[o], by_tree[o], atol=1e-12, err_msg=o)


# -- Monte Carlo ---------------------------------------------------------------------------------
def simulate(params: bk.Params, sol, n: int, seed: int) -> dict[str, np.ndarray]:
    """Play ``n`` crises with the equilibrium strategies; outcome frequencies and escalations."""
    rng = np.random.default_rng(seed)
    h = bk.hazards(params)
    resolved = rng.random(n) < params.pi
    alive = np.ones(n, dtype=bool)
    out = {o: np.zeros(n, dtype=bool) for o in OUTCOMES}
    steps = np.zeros(n)
    for k in range(1, params.n_rounds + 1):
        if k % 2 == 1:
            p = float(sol.strategies[f"challenger.escalate_{k}"])
            escalates = rng.random(n) < p
        else:
            p = float(sol.strategies[f"irresolute.escalate_{k}"])
            escalates = resolved | (rng.random(n) < p)
        quits = alive & ~escalates
        out["backdown" if k % 2 == 1 else "compliance"] |= quits
        moving = alive & escalates
        steps += moving
        disaster = moving & (rng.random(n) < h[k - 1])
        out["war"] |= disaster
        alive = moving & ~disaster
    assert not alive.any()
    return {**{o: v.mean() for o, v in out.items()}, "escalations": steps}


@pytest.mark.parametrize(
    "values",
    [
        {"r_A": 0.6, "r_B": 0.4, "pi": 0.2, "s": 0.1, "n_rounds": 4},
        {"r_A": 0.9, "r_B": 0.7, "pi": 0.1, "s": 0.05, "n_rounds": 8},
        {"r_A": 0.8, "r_B": 0.15, "pi": 0.3, "s": 0.08, "n_rounds": 7},
    ],
)
def test_monte_carlo_matches_closed_form(values):
    params = bk.Params(**values)
    sol = bk.solve(params)
    n = 200_000
    sim = simulate(params, sol, n, seed=20261201)
    for o in OUTCOMES:
        p = float(sol.planned[o])
        se = np.sqrt(max(p * (1.0 - p), 1e-12) / n)
        assert abs(sim[o] - p) <= 5.0 * se + 1e-12, o
    steps = sim["escalations"]
    assert abs(steps.mean() - float(sol.strategies["escalations"])) <= 5.0 * steps.std() / np.sqrt(
        n
    )


# -- generic solvers on random points ------------------------------------------------------------
def generic_points(seed: int, n: int, margin: float = 0.01) -> bk.Params:
    """``n`` random points at least ``margin`` away from every tie (a risk h_k equal to a
    resolve, or the prior equal to the challenger's first threshold): the perturbed
    sequence-form solver can miss the best reply of a state that is nearly indifferent."""
    params = random_params(seed, 40 * n)
    h = bk.hazards(params)
    m1 = bk.solve(params).cutpoints["belief_threshold_1"]
    far = (
        np.all(np.abs(h - params.r_A) > margin, axis=0)
        & np.all(np.abs(h - params.r_B) > margin, axis=0)
        & (np.abs(params.pi - m1) > margin)
    )
    keep = np.flatnonzero(far)[:n]
    assert keep.size == n
    return bk.Params(**{k: np.asarray(v)[keep] for k, v in params.broadcast().items()})


@settings(max_examples=5)
@given(seed=st.integers(0, 2**32 - 1))
def test_sequential_equilibrium_of_the_tree_is_the_closed_form(seed):
    params = generic_points(seed, 8)
    a, b = bk.solve(params).columns(), bk.solve(params, method="sequential").columns()
    assert b["certified"].all() and b["converged"].all()
    for key, value in a.items():
        if not key.startswith("cut_"):
            np.testing.assert_allclose(b[key], value, atol=1e-7, err_msg=key)


@settings(max_examples=5)
@given(seed=st.integers(0, 2**32 - 1))
def test_lemke_on_the_sequence_form_reaches_the_closed_form(seed):
    params = generic_points(seed, 1).point(0)
    game = bk.tree(params)
    res = lcp_solve(game)
    assert res.certificate.all_passed
    found = game.outcome_probabilities(res.profile)
    sol = bk.solve(params)
    for o in OUTCOMES:
        assert float(found[o]) == pytest.approx(float(sol.planned[o]), abs=1e-7), o


# -- Powell's claims and comparative statics -----------------------------------------------------
def _same_segment(params_lo: bk.Params, params_hi: bk.Params, field: str) -> np.ndarray:
    """Points where no risk h_k lies between the two values of ``field`` (regimes unchanged)."""
    h = bk.hazards(params_lo)
    lo, hi = getattr(params_lo, field), getattr(params_hi, field)
    between = (h >= np.minimum(lo, hi)) & (h <= np.maximum(lo, hi))
    return ~between.any(axis=0)


@given(seed=st.integers(0, 2**32 - 1))
def test_weakest_resolve_sometimes_prevails(seed):
    """Powell (1987): where the irresolute target is less resolved than the challenger and bluffs,
    it prevails with positive probability (under complete information it would concede)."""
    params = random_params(seed, 4000)
    sol = bk.solve(params)
    weaker = (params.r_B < params.r_A) & (bk.regime(params) == "target bluffs")
    assert weaker.any()
    assert np.all(sol.strategies["irresolute.prevails"][weaker] > 0.0)
    full = bk.complete_information(params)
    assert np.all(full["compliance"][weaker] > 0.0)  # with complete information it concedes


@given(seed=st.integers(0, 2**32 - 1), step=st.floats(1e-4, 0.02))
def test_more_resolve_lowers_the_targets_chance_of_prevailing(seed, step):
    """Powell (1988), here one-sided: a more resolved irresolute type bluffs no more, is met by
    more pressing, and prevails less often, as does the target as a whole; strictly where it
    bluffs and the challenger presses on with probability below one."""
    lo = random_params(seed, 3000)
    hi = lo.replace(r_B=np.minimum(lo.r_B + step, 0.95))
    same = _same_segment(lo, hi, "r_B")
    a, b = bk.solve(lo), bk.solve(hi)
    prevails_lo, prevails_hi = (
        a.strategies["irresolute.prevails"],
        b.strategies["irresolute.prevails"],
    )
    assert np.all(prevails_hi[same] <= prevails_lo[same] + 1e-12)
    assert np.all(b.planned["backdown"][same] <= a.planned["backdown"][same] + 1e-12)
    bluffs = same & (bk.regime(lo) == "target bluffs") & (hi.r_B > lo.r_B)
    assert bluffs.any()
    assert np.all(prevails_hi[bluffs] < prevails_lo[bluffs])
    assert np.all(b.planned["backdown"][bluffs] < a.planned["backdown"][bluffs])
    # the payoff claim is not reproduced: the irresolute type's payoff does not fall
    assert np.all(
        b.utilities_planned["target.irresolute"][same]
        >= a.utilities_planned["target.irresolute"][same] - 1e-12
    )


@given(seed=st.integers(0, 2**32 - 1), step=st.floats(1e-4, 0.02))
def test_challenger_presses_more_against_a_more_resolved_target(seed, step):
    """Powell (1987): some states are more likely to escalate the greater their adversary's
    resolve. The challenger's mixing keeps the bluffer indifferent, so it rises with r_B."""
    lo = random_params(seed, 3000)
    hi = lo.replace(r_B=np.minimum(lo.r_B + step, 0.95))
    same = _same_segment(lo, hi, "r_B") & (hi.r_B > lo.r_B)
    a, b = bk.solve(lo), bk.solve(hi)
    mixing = same & (bk.regime(lo) == "target bluffs")
    assert mixing.any()
    before, after = a.strategies["challenger.escalate_3"], b.strategies["challenger.escalate_3"]
    assert np.all(after[mixing] > before[mixing])
    assert np.all(after[mixing] < 1.0)


@given(seed=st.integers(0, 2**32 - 1), step=st.floats(1e-4, 0.05))
def test_challenger_resolve_has_no_paradox(seed, step):
    """The challenger, whose resolve is known, prevails no less often and gains no less when more
    resolved (module docstring), whether or not a risk lies between the two values."""
    lo = random_params(seed, 3000)
    hi = lo.replace(r_A=np.minimum(lo.r_A + step, 0.95))
    a, b = bk.solve(lo), bk.solve(hi)
    assert np.all(b.planned["compliance"] >= a.planned["compliance"] - 1e-12)
    assert np.all(b.utilities_planned["challenger"] >= a.utilities_planned["challenger"] - 1e-12)


@given(seed=st.integers(0, 2**32 - 1))
def test_lower_critical_risk_concedes_at_once(seed):
    """Complete information: if a risk on the grid separates the two resolves at a move of the
    more resolved state, the less resolved state concedes at its first move."""
    params = random_params(seed, 4000)
    out = bk.complete_information(params)
    h = bk.hazards(params)
    n = params.n_rounds
    k = np.arange(1, bk.MAX_MOVES + 1)[:, None]
    before = np.vstack([np.zeros((1, h.shape[1])), h[:-1]])  # h_{k-1}, h_0 = 0
    usable = k < n
    r_a, r_b = params.r_A, params.r_B
    b_sep = usable & (k % 2 == 0) & (before >= r_a) & (h < r_b)
    a_sep = usable & (k % 2 == 1) & (before >= r_b) & (h < r_a)
    target_wins = (r_a < r_b) & b_sep.any(axis=0)
    challenger_wins = (r_b < r_a) & a_sep.any(axis=0)
    assert target_wins.any() and challenger_wins.any()
    assert np.all(out["backdown"][target_wins] == 1.0)
    assert np.all(out["compliance"][challenger_wins] == 1.0 - h[0][challenger_wins])


@given(seed=st.integers(0, 2**32 - 1))
def test_vanishing_uncertainty_gives_the_complete_information_outcome(seed):
    """As pi -> 0 the outcome tends to the complete-information one: the bluffing
    beta_j = pi (1 - m)/((1 - pi) m) vanishes, so the gap is at most of order pi / m."""
    params = random_params(seed, 2000, pi=1e-9)
    sol, full = bk.solve(params), bk.complete_information(params)
    m = np.stack([sol.cutpoints[f"belief_threshold_{k}"] for k in range(1, bk.MAX_MOVES, 2)])
    bound = (
        4.0
        * params.pi
        * (1.0 + np.sum(np.where(m > 0.0, 1.0 / np.where(m > 0.0, m, 1.0), 0.0), axis=0))
    )
    tie = np.abs(params.pi - m[0]) < 1e-8
    for o in OUTCOMES:
        gap = np.abs(sol.planned[o] - full[o])
        assert np.all(gap[~tie] <= bound[~tie] + 1e-12), o


@given(seed=st.integers(0, 2**32 - 1))
def test_thresholds_rise_and_escalation_is_monotone(seed):
    """A's belief threshold at a move lies below the posterior the target's next move targets,
    m_k < M_{k+2} (1 if the irresolute type folds at move k + 1, else m_{k+2}); A escalates at
    move 1 iff pi < m_1, and m_1 > 0 iff it would prevail under complete information."""
    params = random_params(seed, 3000)
    sol = bk.solve(params)
    h = bk.hazards(params)
    m = np.stack([sol.cutpoints[f"belief_threshold_{k}"] for k in range(1, bk.MAX_MOVES, 2)])
    folds = np.stack([h[k] >= params.r_B for k in range(1, bk.MAX_MOVES, 2)])  # move k + 1
    nxt = np.vstack([m[1:], np.ones((1, m.shape[1]))])
    target = np.where(folds, 1.0, nxt)
    positive = m > 0.0
    assert np.all(m[positive] < target[positive])
    m1 = m[0]
    assert np.array_equal(sol.strategies["challenger.escalate_1"] == 1.0, params.pi < m1)
    full = bk.complete_information(params)
    assert np.array_equal(m1 > 0.0, full["challenger_escalates"] == 1.0)


def test_disaster_risk_over_the_increment():
    """With a resolved target all but impossible and a challenger that would win at every s
    (K_A > K_B), disaster comes only from the challenger's one escalation: P(war) = h_1 = s."""
    s = np.linspace(0.01, 0.3, 30)
    params = bk.Params(r_A=0.9, r_B=0.2, pi=1e-9, s=s, n_rounds=6)
    np.testing.assert_allclose(bk.solve(params).planned["war"], s, atol=1e-7)


# -- bad input -----------------------------------------------------------------------------------
def test_bad_input_errors():
    with pytest.raises(ValueError, match=r"r_A = 1\.2 is out of range"):
        bk.Params(r_A=1.2)
    with pytest.raises(ValueError, match=r"n_rounds = 2\.5 is out of range.*whole number"):
        bk.Params(n_rounds=2.5)
    with pytest.raises(ValueError, match=r"n_rounds = 9 is out of range"):
        bk.Params(n_rounds=9)
    with pytest.raises(ValueError, match=r"pi = 0 is out of range"):
        bk.Params(pi=0.0)
    with pytest.raises(ValueError, match="method = 'lp' is not one of"):
        bk.solve(bk.Params(), method="lp")
    with pytest.raises(TypeError, match="params must be brinkmanship.Params"):
        bk.solve({"r_A": 0.5})
    with pytest.raises(TypeError, match="params must be brinkmanship.Params"):
        bk.tree(None)
    with pytest.raises(ValueError, match="needs prevail > war"):
        bk.critical_risk(1.0, 0.0, 2.0)


def test_batched_tree_spans_every_horizon():
    """One tree serves points of different horizons: moves past a point's brink are never
    reached, and the certificate holds there too."""
    params = bk.Params(n_rounds=np.array([2, 5, 8]), pi=0.1)
    game = bk.tree(params)
    assert game.batch_shape == (3,)
    sol = bk.solve(params)
    assert sol.certificate.all_passed
    for i in range(3):
        one = bk.solve(params.point(i))
        for o in OUTCOMES:
            assert float(one.planned[o]) == pytest.approx(float(sol.planned[o][i]), abs=1e-12)
