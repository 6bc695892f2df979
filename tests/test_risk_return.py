"""Risk-return model: known answers, brute force, and the comparative statics the theory proves."""

import tomllib
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from model.distributions import Beta, Discrete, TwoPoint, Uniform
from model.games import risk_return as rr
from model.types import Outcome

KNOWN = tomllib.loads((Path(__file__).parent / "data" / "risk_return_known.toml").read_text())[
    "case"
]


def brute_force_demand(p, c_A, belief, n=200_001):
    """Grid search over demands in [0, 1] (independent of every solver code path)."""
    x = np.linspace(0.0, 1.0, n)
    eu = rr.expected_utility(x, p, c_A, belief)
    i = int(np.argmax(eu))
    return x[i], eu[i]


@pytest.mark.parametrize("case", KNOWN, ids=[c["id"] for c in KNOWN])
def test_known_answers(case):
    sol = rr.solve(rr.Params(**case["params"]))
    assert float(sol.strategies["challenger.demand"]) == pytest.approx(case["demand"], abs=1e-12)
    assert float(sol.realised[Outcome.WAR]) == pytest.approx(case["war"], abs=1e-12)
    assert float(sol.utilities_realised["challenger"]) == pytest.approx(
        case["eu_challenger"], abs=1e-12
    )
    if "planned_war" in case:
        assert float(sol.planned[Outcome.WAR]) == pytest.approx(case["planned_war"], abs=1e-12)
    assert sol.certificate.all_passed


@pytest.mark.parametrize("case", KNOWN, ids=[c["id"] for c in KNOWN])
def test_known_answers_by_brute_force(case):
    params = rr.Params(**case["params"])
    belief = Uniform(params.c_B_lo, params.c_B_hi).scaled(params.belief_scale)
    x, _ = brute_force_demand(params.p, params.c_A, belief)
    assert x == pytest.approx(case["demand"], abs=1e-5)


def test_numeric_method_reproduces_known_answers():
    for case in KNOWN:
        sol = rr.solve(rr.Params(**case["params"]), method="numeric")
        assert float(sol.strategies["challenger.demand"]) == pytest.approx(case["demand"], abs=1e-7)
        assert bool(sol.converged)


unit = st.floats(0.0, 1.0, allow_nan=False)


@st.composite
def uniform_points(draw):
    p = draw(unit)
    c_A = draw(st.floats(0.0, 0.5))
    lo = draw(st.floats(0.0, 0.5))
    hi = draw(st.floats(lo + 0.01, 1.0))
    k = draw(st.floats(0.2, 5.0))
    return rr.Params(p=p, c_A=c_A, c_B_lo=lo, c_B_hi=hi, belief_scale=k)


@given(uniform_points())
def test_no_profitable_deviation_against_brute_force(params):
    sol = rr.solve(params)
    belief = sol.beliefs["challenger"]
    _, eu_best = brute_force_demand(params.p, params.c_A, belief)
    assert float(sol.utilities_planned["challenger"]) >= eu_best - 1e-9
    assert sol.certificate.all_passed


@given(uniform_points())
def test_probabilities_sum_to_one(params):
    sol = rr.solve(params)
    for table in (sol.planned, sol.realised):
        total = sum(np.asarray(v) for v in table.values())
        assert total == pytest.approx(1.0)
        assert all(0.0 <= float(v) <= 1.0 for v in table.values())


@given(uniform_points())
@example(rr.Params(p=0.0, c_A=0.0, c_B_lo=0.2243257119989262, c_B_hi=0.44921875))  # optimum
def test_numeric_agrees_with_closed_form(params):  # within one grid step of the support's end
    a = rr.solve(params)
    b = rr.solve(params, method="numeric")
    eu_a = float(a.utilities_planned["challenger"])
    eu_b = float(b.utilities_planned["challenger"])
    assert eu_b == pytest.approx(eu_a, abs=1e-9)


@given(st.floats(0.0, 0.45), st.floats(0.0, 0.45), st.floats(0.05, 0.5), st.floats(0.0, 0.3))
def test_war_probability_does_not_depend_on_p(p1, p2, c_bar, c_A):
    # With c_B ~ U[0, c_bar] and no cap at x = 1, P(war) = (c_bar - c_A)/(2 c_bar) is free of p
    # (the demand moves one for one with p).
    assume(max(p1, p2) + max(0.0, (c_bar - c_A) / 2) <= 1.0)
    w1 = rr.solve(rr.Params(p=p1, c_A=c_A, c_B_lo=0.0, c_B_hi=c_bar)).realised[Outcome.WAR]
    w2 = rr.solve(rr.Params(p=p2, c_A=c_A, c_B_lo=0.0, c_B_hi=c_bar)).realised[Outcome.WAR]
    assert float(w1) == pytest.approx(float(w2), abs=1e-12)
    assert float(w1) == pytest.approx(max(0.0, (c_bar - c_A) / (2 * c_bar)), abs=1e-12)


def test_compliance_falls_as_the_demand_grows():
    # George's "the greater the demand, the lower the chances the adversary may comply".
    x = np.linspace(0.0, 1.0, 1001)
    for prior in (None, Beta(2.0, 3.0, 0.0, 0.6), TwoPoint(0.1, 0.4, 0.3)):
        params = rr.Params()
        out = (
            rr.outcomes_at_demand(params, x)
            if prior is None
            else {"realised_compliance": 1.0 - prior.prob_below(x - params.p)}
        )
        comply = out["realised_compliance"]
        assert np.all(np.diff(comply) <= 1e-15)
        assert comply[0] == 1.0 and comply[-1] < 1.0


@given(st.floats(0.0, 0.5), st.floats(0.05, 0.6), st.floats(0.0, 0.3), st.floats(0.0, 0.3))
def test_war_falls_in_challenger_cost_and_rises_with_uncertainty(p, c_bar, c1, c2):
    lo_c, hi_c = sorted((c1, c2))
    w = lambda c_A, hi: float(rr.solve(rr.Params(p=p, c_A=c_A, c_B_hi=hi)).realised[Outcome.WAR])  # noqa: E731
    assert w(hi_c, c_bar) <= w(lo_c, c_bar) + 1e-12
    assume(p + c_bar <= 1.0)
    assert w(lo_c, c_bar) <= w(lo_c, min(1.0, c_bar * 1.5)) + 1e-12


@given(uniform_points(), st.floats(1.0, 5.0))
def test_underestimating_resolve_makes_realised_war_exceed_planned(params, k):
    # A challenger who thinks the target's costs k >= 1 times the truth plans less war than it gets.
    sol = rr.solve(params.replace(belief_scale=k))
    assert float(sol.realised[Outcome.WAR]) >= float(sol.planned[Outcome.WAR]) - 1e-12


@given(uniform_points())
def test_correct_beliefs_mean_planned_equals_realised(params):
    sol = rr.solve(params.replace(belief_scale=1.0))
    for o in Outcome:
        assert float(sol.planned[o]) == float(sol.realised[o])
    assert float(sol.utilities_planned["challenger"]) == float(sol.utilities_realised["challenger"])


@given(uniform_points(), st.floats(0.0, 1.0), st.floats(0.0, 1.0))
def test_banks_monotonicity(params, c1, c2):
    # Banks (1990): a type with a higher war payoff (lower cost) fights weakly more often; in this
    # game-form every type that settles gets the same 1 - x, so settlement payoffs tie.
    sol = rr.solve(params)
    cut = float(sol.cutpoints["target.accept_cost"])
    lo_c, hi_c = sorted((c1, c2))
    assert (lo_c < cut) >= (hi_c < cut)


@pytest.mark.parametrize(
    "prior",
    [Beta(2.0, 2.0, 0.0, 0.4), Beta(1.0, 3.0, 0.05, 0.5), Beta(4.0, 1.5, 0.0, 0.8)],
    ids=["beta22", "beta13", "beta41"],
)
def test_numeric_optimum_on_beta_priors(prior):
    params = rr.Params()
    sol = rr.solve(params, prior=prior)
    assert sol.method == "numeric"
    x_bf, eu_bf = brute_force_demand(params.p, params.c_A, prior)
    assert float(sol.strategies["challenger.demand"]) == pytest.approx(x_bf, abs=2e-5)
    assert float(sol.utilities_planned["challenger"]) >= eu_bf - 1e-12
    # hazard-rate first-order condition at an interior optimum: g/(1-G) = 1/(x - p + c_A)
    t = float(sol.cutpoints["target.accept_cost"])
    g, big_g = float(prior.pdf(t)), float(prior.cdf(t))
    assert g / (1.0 - big_g) == pytest.approx(1.0 / (t + params.c_A), rel=1e-5)


def test_discrete_prior_is_solved_by_enumeration_and_matches_brute_force():
    prior = Discrete([0.02, 0.1, 0.25, 0.4], [0.1, 0.4, 0.3, 0.2])
    params = rr.Params(p=0.45, c_A=0.05)
    sol = rr.solve(params, prior=prior)
    assert sol.method == "enumeration"
    _, eu_bf = brute_force_demand(params.p, params.c_A, prior, n=1_000_001)
    assert float(sol.utilities_planned["challenger"]) >= eu_bf - 1e-12
    # by hand: cutpoints 0.02, 0.1, 0.25, 0.4 give EU 0.47, 0.535, 0.55, 0.49; at the optimum
    # the type with cost 0.25 is indifferent and accepts
    assert float(sol.cutpoints["target.accept_cost"]) == pytest.approx(0.25)
    assert float(sol.utilities_planned["challenger"]) == pytest.approx(0.55)
    assert float(sol.realised[Outcome.WAR]) == pytest.approx(0.5)


def test_vectorised_equals_pointwise():
    rng = np.random.default_rng(7)
    n = 50
    lo = rng.uniform(0, 0.4, n)
    params = rr.Params(
        p=rng.uniform(0, 1, n),
        c_A=rng.uniform(0, 0.5, n),
        c_B_lo=lo,
        c_B_hi=lo + rng.uniform(0.01, 0.5, n),
        belief_scale=rng.uniform(0.3, 3, n),
    )
    for method in ("closed_form", "numeric"):
        vec = rr.solve(params, method=method)
        for i in range(n):
            one = rr.solve(params.point(i), method=method)
            assert float(one.strategies["challenger.demand"]) == pytest.approx(
                vec.strategies["challenger.demand"][i], abs=1e-9
            )
            assert float(one.realised[Outcome.WAR]) == pytest.approx(
                vec.realised[Outcome.WAR][i], abs=1e-7
            )


def test_broadcasting_over_a_grid():
    params = rr.Params(p=np.linspace(0, 1, 4)[:, None], c_B_hi=np.array([0.2, 0.5, 0.9]))
    sol = rr.solve(params)
    assert sol.shape == (4, 3)
    assert sol.columns()["realised_war"].shape == (12,)


def test_distribution_arguments_are_validated():
    with pytest.raises(TypeError, match="prior must be"):
        rr.solve(rr.Params(), prior=(0.0, 0.4))
    with pytest.raises(ValueError, match="negative costs"):
        rr.solve(rr.Params(), prior=Uniform(-0.1, 0.4))
    with pytest.raises(ValueError, match="method"):
        rr.solve(rr.Params(), method="newton")
    with pytest.raises(ValueError, match="closed_form"):
        rr.solve(rr.Params(), prior=Beta(2, 2, 0, 0.4), method="closed_form")
    with pytest.raises(ValueError, match="demand"):
        rr.outcomes_at_demand(rr.Params(), 1.5)


def test_target_expected_utility_matches_monte_carlo():
    params = rr.Params(belief_scale=1.7)
    sol = rr.solve(params)
    x = float(sol.strategies["challenger.demand"])
    c = np.random.default_rng(3).uniform(params.c_B_lo, params.c_B_hi, 400_000)
    fights = c < x - params.p
    u = np.where(fights, 1 - params.p - c, 1 - x)
    assert float(sol.utilities_realised["target"]) == pytest.approx(u.mean(), abs=2e-3)
    assert float(sol.realised[Outcome.WAR]) == pytest.approx(fights.mean(), abs=3e-3)


def test_indifferent_type_accepts_despite_rounding():
    # (p + v) - p rounds above v for these values; the indifferent type must still accept.
    # By hand: demanding x = 0.3 (cutpoint 0.2) is accepted by the type with cost 0.2
    # (probability 0.9): EU = 0.9 * 0.3 + 0.1 * (0.1 - 0.1) = 0.27 > 0.1 (demand p, no war).
    sol = rr.solve(rr.Params(p=0.1, c_A=0.1), prior=TwoPoint(0.0, 0.2, p_high=0.9))
    assert float(sol.strategies["challenger.demand"]) == pytest.approx(0.3)
    assert float(sol.realised[Outcome.WAR]) == pytest.approx(0.1)
    assert float(sol.utilities_realised["challenger"]) == pytest.approx(0.27)
    assert sol.certificate.all_passed


@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 0.5),
    st.lists(st.floats(0.0, 0.6), min_size=1, max_size=5, unique=True),
    st.lists(st.floats(0.05, 1.0), min_size=5, max_size=5),
)
def test_discrete_priors_against_enumeration_by_hand(p, c_A, values, weights):
    w = np.array(weights[: len(values)])
    prior = Discrete(values, w / w.sum())
    sol = rr.solve(rr.Params(p=p, c_A=c_A), prior=prior)
    # by hand: every candidate cutpoint, acceptance decided by comparing costs with cutpoints
    v = np.array(values)
    cands = np.append(np.minimum(v, 1 - p), 1 - p)
    best = max(
        min(1.0, p + t) * (1 - prior.probs[v < t].sum()) + prior.probs[v < t].sum() * (p - c_A)
        for t in cands
    )
    assert float(sol.utilities_planned["challenger"]) == pytest.approx(best, abs=1e-12)
    assert sol.certificate.all_passed


def test_belief_and_belief_scale_are_exclusive_and_tiny_supports_rejected():
    with pytest.raises(ValueError, match="belief_scale applies only when no belief is given"):
        rr.solve(rr.Params(belief_scale=2.0), belief=Uniform(0.0, 0.5))
    with pytest.raises(ValueError, match=r"c_B_hi - c_B_lo >= 1e-06"):
        rr.Params(c_B_lo=0.2, c_B_hi=0.2 + 1e-9)
    with pytest.raises(ValueError, match=r"belief_scale = 0.001 is out of range"):
        rr.Params(belief_scale=1e-3)
