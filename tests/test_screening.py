"""Two-type screening: known answers, brute force, comparative statics, generic solvers, figure."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model.games import screening as sc
from model.solvers.api import solve_game
from model.solvers.pbe import pbe_solve
from model.types import Outcome

CASES = json.loads((Path(__file__).parent / "data" / "screening_known.json").read_text())["cases"]


def brute_eu(x, sigma, p_s, p_w, c_A, c_B):
    """The challenger's expected payoff of demand ``x``, from the primitives alone.

    Type t accepts iff ``x <= p_t + c_B``; otherwise it fights, giving A ``p_t - c_A``.
    """
    strong = np.where(x <= p_s + c_B, x, p_s - c_A)
    weak = np.where(x <= p_w + c_B, x, p_w - c_A)
    return sigma * strong + (1.0 - sigma) * weak


def check_case(s, case):
    assert s.certificate.all_passed, s.summary()
    assert float(s.cutpoints["sigma_star"]) == pytest.approx(case["sigma_star"], abs=1e-12)
    assert float(s.strategies["challenger.demand"]) == pytest.approx(case["demand"], abs=1e-12)
    assert float(s.strategies["challenger.screens"]) == float(case["screens"])
    if "sigma_n" in case:
        assert float(s.beliefs["challenger"]) == pytest.approx(float(Fraction(case["sigma_n"])))
    for o, value in case["outcomes"].items():
        assert float(s.planned[o]) == pytest.approx(value, abs=1e-12), o
    for who, value in case["utilities"].items():
        assert float(s.utilities_planned[who]) == pytest.approx(value, abs=1e-12), who


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
@pytest.mark.parametrize("method", sc.METHODS)
def test_known_answers(case, method):
    check_case(sc.solve(sc.Params(**case["params"]), method=method), case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_known_answers_by_brute_force(case):
    """Grid search over demands (the grid holds the answer's demand), from the primitives."""
    params = sc.Params(**case["params"])
    sigma = float(Fraction(case.get("sigma_n", str(params.sigma))))
    x = np.union1d(np.linspace(0.0, 1.0, 100_001), [case["demand"]])
    eu = brute_eu(x, sigma, params.p_s, params.p_w, params.c_A, params.c_B)
    best = x[np.flatnonzero(eu >= eu.max() - 1e-12)[0]]  # lowest optimal demand: ties pool
    assert best == pytest.approx(case["demand"], abs=1e-12)
    assert eu.max() == pytest.approx(case["utilities"]["challenger"], abs=1e-12)


UNIQUE = [c for c in CASES if c["id"] != "tie_pools"]


@pytest.mark.parametrize("method", ["lcp", "sequential"])
@pytest.mark.parametrize("case", UNIQUE, ids=lambda c: c["id"])
def test_sequence_form_solvers_reach_the_closed_form(case, method):
    game = sc.tree(sc.Params(**case["params"]), n_offers=4)
    (eq,) = solve_game(game, method).equilibria
    assert eq.certificate.all_passed
    outcomes = game.outcome_probabilities(eq.profile)
    for o, value in case["outcomes"].items():
        assert float(outcomes[o]) == pytest.approx(value, abs=1e-9), o
    assert float(eq.payoffs[0]) == pytest.approx(case["utilities"]["challenger"], abs=1e-9)
    assert float(eq.payoffs[1]) == pytest.approx(case["utilities"]["target"], abs=1e-9)


@pytest.mark.parametrize("method", ["lcp", "sequential"])
def test_sequence_form_solvers_at_the_tie_find_one_of_the_two_equilibria(method):
    """At sigma = sigma* pooling and screening are both equilibria; a solver that returns one
    equilibrium may return either, always with the challenger's payoff 0.375."""
    game = sc.tree(sc.Params(**next(c for c in CASES if c["id"] == "tie_pools")["params"]))
    (eq,) = solve_game(game, method).equilibria
    assert eq.certificate.all_passed
    assert float(eq.payoffs[0]) == pytest.approx(0.375, abs=1e-9)
    assert float(game.outcome_probabilities(eq.profile)["war"]) in (
        pytest.approx(0.0, abs=1e-9),
        pytest.approx(0.5, abs=1e-9),
    )


# -- random parameter points ------------------------------------------------------------------
@st.composite
def points(draw, capped=True, battles=False):
    p_s = draw(st.floats(0.0, 0.9))
    p_w = draw(st.floats(p_s + 0.01, 1.0 if capped else 0.98))
    c_B = draw(st.floats(0.01, 1.0 if capped else 1.0 - p_w))
    extra = {}
    if battles:
        q_s = draw(st.floats(0.01, 0.99))
        extra = {
            "n_battles": draw(st.integers(0, 10)),
            "q_s": q_s,
            "q_w": draw(st.floats(q_s, 0.99)),
        }
    return sc.Params(
        sigma=draw(st.floats(0.01, 0.99)),
        p_s=p_s,
        p_w=p_w,
        c_A=draw(st.floats(0.01, 1.0)),
        c_B=c_B,
        **extra,
    )


@given(points(battles=True))
def test_closed_form_beats_every_demand_on_a_fine_grid(params):
    """No demand does better; a fine grid gets within its step of the optimum."""
    s = sc.solve(params)
    sigma = float(s.beliefs["challenger"])
    x = np.linspace(0.0, 1.0, 20_001)
    eu = brute_eu(x, sigma, params.p_s, params.p_w, params.c_A, params.c_B)
    eu_star = float(s.utilities_planned["challenger"])
    assert eu.max() <= eu_star + 1e-12
    assert eu.max() >= eu_star - 1.0 / 20_000 - 1e-12
    demand = float(s.strategies["challenger.demand"])
    assert brute_eu(demand, sigma, params.p_s, params.p_w, params.c_A, params.c_B) == (
        pytest.approx(eu_star, abs=1e-12)
    )
    assert s.certificate.all_passed


@settings(max_examples=30)
@given(points(capped=False))
def test_threshold_matches_a_brute_force_scan_of_the_prior(params):
    """THEORY.md M10: A screens iff sigma < (p_w - p_s)/(p_w - p_s + c_A + c_B)."""
    p_s, p_w, c_A, c_B = params.p_s, params.p_w, params.c_A, params.c_B
    sigma_star = (p_w - p_s) / (p_w - p_s + c_A + c_B)
    sigmas = np.linspace(0.005, 0.995, 199)
    x = np.linspace(0.0, 1.0, 8001)
    eu = brute_eu(x[None, :], sigmas[:, None], p_s, p_w, c_A, c_B)
    screens = x[np.argmax(eu, axis=1)] > p_s + c_B  # the best grid demand is refused by s
    # the payoff gap between the two demands is at least 0.01 (p_w - p_s + c_A + c_B) >= 3e-4
    # at 0.01 from sigma*, more than the grid's error of at most one step (1.25e-4)
    far = np.abs(sigmas - sigma_star) > 0.01
    np.testing.assert_array_equal(screens[far], (sigmas < sigma_star)[far])
    got = sc.solve(params.replace(sigma=sigmas))
    np.testing.assert_allclose(got.cutpoints["sigma_star"], sigma_star, rtol=1e-12)
    np.testing.assert_array_equal(got.strategies["challenger.screens"][far], screens[far])


@given(points(battles=True))
def test_war_probability_is_the_posterior_when_screening_and_zero_when_pooling(params):
    s = sc.solve(params)
    war, sigma_n = float(s.planned[Outcome.WAR]), float(s.beliefs["challenger"])
    screens = bool(s.strategies["challenger.screens"])
    assert war == (sigma_n if screens else 0.0)
    sigma_star = float(s.cutpoints["sigma_star"])
    if abs(sigma_n - sigma_star) > 1e-12:  # away from the tie, where rounding decides
        assert screens == (sigma_n < sigma_star)
    assert float(s.planned[Outcome.COMPLIANCE]) + war == pytest.approx(1.0, abs=1e-15)


@given(points(capped=False), st.floats(0.01, 0.5))
def test_threshold_falls_in_the_costs_of_war(params, extra):
    """Costlier war makes the screening gamble less attractive (derived; THEORY.md M10)."""
    more = params.replace(c_A=min(1.0, params.c_A + extra))
    # a rise of at least 1e-3 moves sigma* by at least 0.01 * 1e-3 / 3**2 ~ 1e-6, far above rounding
    assume(more.c_A > params.c_A + 1e-3)
    low, high = sc.solve(params), sc.solve(more)
    assert float(high.cutpoints["sigma_star"]) < float(low.cutpoints["sigma_star"])
    # so a prior between the two thresholds is screened at low costs, pooled at high costs
    mid = 0.5 * (float(high.cutpoints["sigma_star"]) + float(low.cutpoints["sigma_star"]))
    assert bool(sc.solve(params.replace(sigma=mid)).strategies["challenger.screens"])
    assert not bool(sc.solve(more.replace(sigma=mid)).strategies["challenger.screens"])


@given(points(capped=True), st.floats(0.01, 0.5))
def test_threshold_weakly_falls_in_the_targets_cost_even_with_capped_demands(params, extra):
    more = params.replace(c_B=min(1.0, params.c_B + extra))
    low, high = sc.solve(params), sc.solve(more)
    assert float(high.cutpoints["sigma_star"]) <= float(low.cutpoints["sigma_star"]) + 1e-15


@given(points(capped=False), st.floats(0.0, 1.0))
def test_threshold_rises_in_the_gap_in_war_chances(params, u):
    wider = params.replace(p_w=params.p_w + u * (1.0 - params.c_B - params.p_w))
    assume(wider.p_w > params.p_w + 1e-9)  # a change the threshold's rounding can resolve
    assert float(sc.solve(wider).cutpoints["sigma_star"]) > float(
        sc.solve(params).cutpoints["sigma_star"]
    )


@given(points(battles=True))
def test_banks_monotonicity(params):
    """Banks (1990): the type with the higher war payoff (strong) gets a weakly higher payoff
    and a weakly higher war probability; checked on the generic solver's equilibrium."""
    s = sc.solve(params)
    assert (
        float(s.utilities_planned["target.strong"])
        >= float(s.utilities_planned["target.weak"]) - 1e-15
    )
    game = sc.tree(params, n_offers=3)
    res = pbe_solve(game)
    eq = max(res.equilibria, key=lambda e: float(e.payoffs[0]))
    j = game.infosets["challenger"].actions.index(eq.offer)
    war = {t: float(eq.profile[f"target.{t}.d{j}"][1]) for t in sc.TYPES}
    assert war["strong"] >= war["weak"]
    strong, weak = (float(u) for u in eq.type_payoffs)
    assert strong >= weak - 1e-12
    assert war["strong"] == float(s.strategies["challenger.screens"])
    assert (strong, weak) == (
        pytest.approx(float(s.utilities_planned["target.strong"]), abs=1e-12),
        pytest.approx(float(s.utilities_planned["target.weak"]), abs=1e-12),
    )


@given(points(capped=False))
def test_challengers_payoff_falls_and_is_convex_in_the_prior(params):
    """EU_A = max(pooling, screening) of two functions of sigma, constant and falling."""
    sigmas = np.linspace(0.01, 0.99, 99)
    eu = sc.solve(params.replace(sigma=sigmas)).utilities_planned["challenger"]
    assert np.all(np.diff(eu) <= 1e-15)
    assert np.all(np.diff(eu, 2) >= -1e-12)


# -- battles ---------------------------------------------------------------------------------
@given(st.floats(0.01, 0.99), st.floats(0.01, 0.99), st.floats(0.0, 1.0), st.integers(0, 10))
def test_battle_posterior_is_bayes_rule_applied_once_per_victory(sigma, q_s, u, n):
    q_w = q_s + u * (0.99 - q_s)
    belief = Fraction(sigma)
    for _ in range(n):  # exact rational arithmetic, one won battle at a time
        belief = belief * Fraction(q_s) / (belief * Fraction(q_s) + (1 - belief) * Fraction(q_w))
    got = sc.posterior_after_battles(sigma, q_s, q_w, n)
    assert float(got) == pytest.approx(float(belief), rel=1e-12, abs=1e-300)
    s = sc.solve(sc.Params(sigma=sigma, n_battles=n, q_s=q_s, q_w=q_w))
    assert float(s.beliefs["challenger"]) == float(got)


@given(points(capped=False), st.floats(0.01, 0.9), st.floats(0.05, 0.5))
def test_victories_make_the_challenger_screen(params, q_s, gap):
    """Each won battle lowers the posterior on the strong type; screening, once chosen, stays."""
    q_w = min(0.99, q_s + gap)
    n = np.arange(11)
    s = sc.solve(params.replace(n_battles=n, q_s=q_s, q_w=q_w))
    sigma_n = s.beliefs["challenger"]
    assert np.all(np.diff(sigma_n) < 0)
    screens = s.strategies["challenger.screens"]
    assert np.all(np.diff(screens) >= 0)
    war = s.planned[Outcome.WAR]
    np.testing.assert_array_equal(war, np.where(screens == 1.0, sigma_n, 0.0))


# -- solvers agree ---------------------------------------------------------------------------
@settings(max_examples=20)
@given(st.integers(0, 2**32 - 1))
def test_batched_pbe_equals_closed_form(seed):
    rng = np.random.default_rng(seed)
    n = 64
    p_s = rng.uniform(0.0, 0.9, n)
    params = sc.Params(
        sigma=rng.uniform(0.01, 0.99, n),
        p_s=p_s,
        p_w=p_s + rng.uniform(0.01, 1.0 - p_s),
        c_A=rng.uniform(0.01, 1.0, n),
        c_B=rng.uniform(0.01, 1.0, n),
        n_battles=rng.integers(0, 4, n),
        q_s=0.3,
        q_w=0.6,
    )
    ref = sc.solve(params)
    got = sc.solve(params, method="pbe", n_offers=3)
    assert got.certificate.all_passed and ref.certificate.all_passed
    for k in ref.strategies:
        np.testing.assert_allclose(got.strategies[k], ref.strategies[k], atol=1e-12, err_msg=k)
    for o in Outcome:
        np.testing.assert_allclose(got.planned[o], ref.planned[o], atol=1e-12, err_msg=str(o))
    for k in ref.utilities_planned:
        np.testing.assert_allclose(
            got.utilities_planned[k], ref.utilities_planned[k], atol=1e-12, err_msg=k
        )


def test_selection_rules_agree_away_from_the_tie():
    params = sc.Params(sigma=np.array([0.1, 0.3, 0.59, 0.61, 0.9]))
    ref = sc.solve(params)
    for rule in ("challenger_preferred", "target_preferred", "welfare", "intuitive", "d1"):
        got = sc.solve(params, method="pbe", selection=rule)
        np.testing.assert_allclose(got.planned[Outcome.WAR], ref.planned[Outcome.WAR])
        assert got.method_params["selection"] == rule


def test_both_equilibria_at_the_tie_and_every_rule_picks_pooling():
    """At sigma = sigma* pooling and screening are both equilibria (the challenger is
    indifferent); the target and welfare prefer pooling too, so every rule reports it."""
    tie = sc.Params(**CASES[2]["params"])
    res = pbe_solve(sc.tree(tie, n_offers=0))
    assert [(e.offer, e.support[2]) for e in res.equilibria] == [
        ("d0", ("accept", "accept")),
        ("d1", ("fight", "accept")),
    ]
    for rule in ("challenger_preferred", "target_preferred", "welfare", "intuitive", "d1"):
        got = sc.solve(tie, method="pbe", selection=rule)
        assert float(got.planned[Outcome.WAR]) == 0.0, rule
        assert float(got.strategies["challenger.demand"]) == 0.375, rule


def test_tree_holds_both_critical_demands_sorted():
    game = sc.tree(sc.Params(p_s=0.25, p_w=0.875, c_B=0.25), n_offers=5)
    demands = game.annotations["demands"]
    assert demands.tolist() == [0.0, 0.25, 0.5, 0.5, 0.75, 1.0, 1.0]
    assert game.players == ("challenger", "target")
    assert len(game.nodes) == 3 + 6 * 7
    assert game.infosets["challenger"].actions == tuple(f"d{j}" for j in range(7))


# -- bad input -------------------------------------------------------------------------------
def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"p_s = 0.6 and p_w = 0.6: .* p_s < p_w"):
        sc.Params(p_s=0.6, p_w=0.6)
    with pytest.raises(ValueError, match=r"q_s = 0.7 and q_w = 0.5: .* q_s <= q_w"):
        sc.Params(q_s=0.7, q_w=0.5)
    with pytest.raises(ValueError, match=r"p_s = 0.5 and p_w = 0.4"):
        sc.Params(p_s=np.array([0.1, 0.5]), p_w=np.array([0.9, 0.4]))
    with pytest.raises(ValueError, match=r"n_battles = 1.5 is out of range"):
        sc.Params(n_battles=1.5)
    with pytest.raises(ValueError, match="method = 'lcp' is not one of"):
        sc.solve(sc.Params(), method="lcp")
    with pytest.raises(ValueError, match="selection = 'best' is not one of"):
        sc.solve(sc.Params(), method="pbe", selection="best")
    with pytest.raises(ValueError, match="n_offers = -1 is out of range"):
        sc.tree(sc.Params(), n_offers=-1)
    with pytest.raises(TypeError, match="n_offers = True must be an integer"):
        sc.solve(sc.Params(), n_offers=True)
    with pytest.raises(TypeError, match="params must be screening.Params"):
        sc.solve({"sigma": 0.2})


# -- figure ----------------------------------------------------------------------------------
def test_figure_draws_from_results_of_the_real_model(tmp_path):
    from experiments.config import load_config
    from figures import screening_threshold, style

    config = load_config("screening_threshold", smoke=True)
    design = config.design()
    params = sc.Params(**{k: design[k].to_numpy() for k in config.parameter_names})
    table = pd.concat([design, pd.DataFrame(sc.solve(params).columns())], axis=1)
    where = tmp_path / "results" / "screening_threshold"
    where.mkdir(parents=True)
    table.to_parquet(where / "part-00000.parquet", engine="pyarrow")
    paths = screening_threshold.draw(tmp_path / "results", tmp_path / "out")
    assert sorted(p.suffix for p in paths) == [".pdf", ".png"]
    assert all(p.stat().st_size > 1000 for p in paths)
    table.assign(certified=False).to_parquet(where / "part-00000.parquet", engine="pyarrow")
    with pytest.raises(ValueError, match="failed their certificate"):
        screening_threshold.draw(tmp_path / "results", tmp_path / "out")
    with pytest.raises(style.ResultsNotFoundError, match="crisis sweep screening_threshold"):
        screening_threshold.draw(tmp_path / "nothing", tmp_path / "out")
