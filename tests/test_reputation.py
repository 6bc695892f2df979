"""Reputation model: known answers, brute force, the generic solver and the comparative statics."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.distributions import Uniform
from model.games import reputation as rep
from model.games import risk_return as rr
from model.solvers.backward import backward_induction_solve
from model.types import Outcome

CASES = json.loads((Path(__file__).parent / "data" / "reputation_known.json").read_text())["cases"]
IDS = [c["id"] for c in CASES]


def package_eu(x, s, p, c_A, c_B, k, lo, hi):
    """Challenger's expected utility of the package (x, s) under the belief U[lo, hi].

    Written from the game's definition (target accepts iff 1 - x + s - r >= 1 - p - c_B), with
    no use of the net-demand reduction or of any code of the model.
    """
    accept = np.clip((p + c_B - x + s - lo) / (hi - lo), 0.0, 1.0)
    return accept * (x - k * s) + (1.0 - accept) * (p - c_A)


def belief_bounds(params):
    """The challenger's belief U[lo, hi]: the law of kappa r, kappa = belief_scale (1 - gamma p)."""
    v = params.broadcast()
    kappa = v["belief_scale"] * (1.0 - v["goliath"] * v["p"])
    return kappa * v["r_lo"], kappa * v["r_hi"]


# -- known answers ----------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_known_answers(case):
    s = rep.solve(rep.Params(**case["params"]))
    assert s.certificate.all_passed
    got = {
        "cutoff": s.cutpoints["target.accept_reputation_cost"],
        "demand": s.strategies["challenger.demand"],
        "side_payment": s.strategies["challenger.side_payment"],
        "net_demand": s.strategies["challenger.net_demand"],
        "planned_war": s.planned[Outcome.WAR],
        "realised_war": s.realised[Outcome.WAR],
    }
    for key, value in got.items():
        assert float(value) == pytest.approx(case[key], abs=1e-12), key
    for player in ("challenger", "target"):
        assert float(s.utilities_planned[player]) == pytest.approx(
            case["eu_planned"][player], abs=1e-12
        )
        assert float(s.utilities_realised[player]) == pytest.approx(
            case["eu_realised"][player], abs=1e-12
        )
    if "correct_war" in case:
        out = rep.misperception_effects(rep.Params(**case["params"]))
        assert float(out["correct_war"][0]) == pytest.approx(case["correct_war"], abs=1e-12)
        assert float(out["correct_net_demand"][0]) == pytest.approx(
            case["correct_net_demand"], abs=1e-12
        )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_known_answers_by_brute_force_over_packages(case):
    """A fine grid over demands x and side payments s finds the same optimum."""
    params = rep.Params(**case["params"])
    lo, hi = belief_bounds(params)
    x, s = np.meshgrid(np.linspace(0.0, 1.0, 2001), np.linspace(0.0, 0.8, 1601), indexing="ij")
    eu = package_eu(x, s, params.p, params.c_A, params.c_B, params.side_cost, lo, hi)
    best = np.unravel_index(np.argmax(eu), eu.shape)
    assert eu[best] == pytest.approx(case["eu_planned"]["challenger"], abs=1e-12)
    if case["id"] != "war_by_choice":  # there every offer the least costly type refuses ties
        assert x[best] - s[best] == pytest.approx(case["net_demand"], abs=1e-9)


def test_known_answers_by_backward_induction_on_the_tree():
    """The generic solver on the finite game, all cases in one batch, within the grid's error."""
    defaults = rep.Params().values()
    batch = rep.Params(
        **{k: np.array([c["params"].get(k, d) for c in CASES]) for k, d in defaults.items()}
    )
    for n in (9, 33, 81):
        game = rep.tree(batch, n_demands=n)
        res = backward_induction_solve(game)
        assert res.certificate.all_passed
        war = game.outcome_probabilities(res.profile)["war"]
        step = 1.0 / (n - 1)  # the tree's cutoff is within one grid step of the optimum
        expected = np.array([c["planned_war"] for c in CASES])
        assert np.all(np.abs(war - expected) <= step + 1e-12), (n, war - expected)
        for i, player in enumerate(game.players):
            expected = np.array([c["eu_planned"][player] for c in CASES])
            assert np.all(np.abs(res.root_values[i] - expected) <= step), (n, player)


# -- brute force and cross-checks over random points ------------------------------------------
N = 48  # parameter points per hypothesis example, solved in one vectorised call
seeds = st.integers(0, 2**32 - 1)


def random_points(seed, n=N, **fixed):
    """``n`` random points (one array-valued Params); ``fixed`` overrides fields."""
    rng = np.random.default_rng(seed)
    lo = rng.uniform(0.0, 0.6, n) * (rng.uniform(size=n) > 0.25)  # a quarter with r_lo = 0
    values = {
        "p": rng.uniform(0.0, 1.0, n),
        "c_A": rng.uniform(0.0, 1.0, n),
        "c_B": rng.uniform(0.0, 1.0, n),
        "r_lo": lo,
        "r_hi": rng.uniform(lo + 0.05, 1.0),
        "side_cost": np.exp(rng.uniform(np.log(0.5), np.log(10.0), n)),
        "belief_scale": np.exp(rng.uniform(np.log(0.2), np.log(3.0), n)),
        "goliath": rng.uniform(0.0, 0.9, n),
    }
    values.update(fixed)
    return rep.Params(**values)


def flat(params):
    return {k: np.asarray(a, dtype=np.float64).reshape(-1) for k, a in params.broadcast().items()}


@settings(max_examples=10)
@given(seeds)
def test_no_package_on_a_grid_beats_the_closed_form(seed):
    """Over a grid of packages (x, s), and over a fine grid of cutoffs (both ends of the split)."""
    params = random_points(seed)
    sol = rep.solve(params)
    assert sol.certificate.all_passed
    eu_star = sol.utilities_planned["challenger"]
    lo, hi = belief_bounds(params)
    v = flat(params)
    args = [a[:, None] for a in (v["p"], v["c_A"], v["c_B"], v["side_cost"], lo, hi)]
    for i in range(N):
        x, s = np.meshgrid(np.linspace(0.0, 1.0, 201), np.linspace(0.0, hi[i] + 1.0, 401))
        one = [a[i, 0] for a in args]
        assert package_eu(x, s, *one).max() <= eu_star[i] + 1e-12
    # a fine grid of cutoffs rho = p + c_B - (x - s), each as the issue-first and the
    # whole-issue-plus-payment split
    floor = v["p"] + v["c_B"] - 1.0
    top = np.maximum(hi, floor) + 0.5
    rho = floor[:, None] + (top - floor)[:, None] * np.linspace(0.0, 1.0, 40_001)
    m = (v["p"] + v["c_B"])[:, None] - rho
    issue = package_eu(np.maximum(m, 0.0), np.maximum(-m, 0.0), *args)
    pay = package_eu(np.ones_like(m), 1.0 - m, *args)
    best = np.maximum(issue.max(axis=1), pay.max(axis=1))
    assert np.all(best <= eu_star + 1e-12)
    assert np.all(best >= eu_star - 2e-4)  # the grid's own error


@settings(max_examples=10)
@given(seeds)
def test_equals_risk_return_with_the_effective_cost_of_war(seed):
    """With k = 1 the model is risk-return with the effective war cost c_B - r (docstring)."""
    rng = np.random.default_rng(seed)
    r_hi = rng.uniform(0.05, 0.5, N)
    kappa = rng.uniform(0.2, np.minimum(10.0, 1.0 / r_hi))  # believed costs stay below 1
    c_B = rng.uniform(np.maximum(r_hi, kappa * r_hi), 1.0)
    r_lo = r_hi * rng.uniform(0.0, 0.9, N)
    params = random_points(
        seed, r_lo=r_lo, r_hi=r_hi, c_B=c_B, side_cost=1.0, belief_scale=kappa, goliath=0.0
    )
    lo, hi = belief_bounds(params)
    ours = rep.solve(params)
    theirs = rr.solve(
        rr.Params(p=params.p, c_A=params.c_A),
        prior=Uniform(c_B - r_hi, c_B - r_lo),
        belief=Uniform(c_B - hi, c_B - lo),
    )
    np.testing.assert_allclose(
        ours.strategies["challenger.net_demand"], theirs.strategies["challenger.demand"], atol=1e-12
    )
    mean_r = {"planned": 0.5 * (lo + hi), "realised": 0.5 * (r_lo + r_hi)}
    for table in ("planned", "realised"):
        np.testing.assert_allclose(
            getattr(ours, table)[Outcome.WAR], getattr(theirs, table)[Outcome.WAR], atol=1e-12
        )
        a, b = getattr(ours, f"utilities_{table}"), getattr(theirs, f"utilities_{table}")
        np.testing.assert_allclose(a["challenger"], b["challenger"], atol=1e-12)
        # the target pays r on conceding here, while in risk-return its war payoff is higher by r
        np.testing.assert_allclose(a["target"], b["target"] - mean_r[table], atol=1e-12)


@settings(max_examples=10)
@given(seeds)
def test_the_certificate_rejects_a_wrong_cutoff(seed):
    """Moving the cutoff off the optimum, into the belief's support, is caught on the tree."""
    params = random_points(seed)
    v = flat(params)
    lo, hi = belief_bounds(params)
    rho = rep.solve(params).cutpoints["target.accept_reputation_cost"]
    wrong = rho + 0.05 * (hi - lo) * np.where(rho < 0.5 * (lo + hi), 1.0, -1.0)
    eu = []
    for cut in (rho, wrong):
        m = v["p"] + v["c_B"] - cut
        cheap = v["side_cost"] < 1.0
        x = np.where(cheap, 1.0, np.maximum(m, 0.0))
        s = np.where(cheap, 1.0 - m, np.maximum(-m, 0.0))
        eu.append(package_eu(x, s, v["p"], v["c_A"], v["c_B"], v["side_cost"], lo, hi))
    worse = (wrong >= v["p"] + v["c_B"] - 1.0) & (eu[0] - eu[1] > 1e-7)
    assert np.any(worse) and rep._certify(v, rho, lo, hi).passed.all()
    cert = rep._certify(v, wrong, lo, hi)
    assert not np.any(cert.passed[worse])


# -- comparative statics (module docstring, derived here) --------------------------------------
def net_demand(params):
    return rep.solve(params).strategies["challenger.net_demand"]


@settings(max_examples=10)
@given(seeds, st.floats(0.01, 0.5))
def test_higher_reputation_costs_mean_smaller_demands_or_more_war(seed, delta):
    """Statement 1: a higher top cost, or a shift of the whole range, lowers the net demand
    weakly and raises planned war weakly (realised too with correct beliefs)."""
    params = random_points(seed)
    base = rep.solve(params)
    shift = np.minimum(delta, 1.0 - params.r_hi)
    for more in (
        params.replace(r_hi=np.minimum(1.0, params.r_hi + delta)),
        params.replace(r_lo=params.r_lo + shift, r_hi=params.r_hi + shift),
    ):
        got = rep.solve(more)
        assert np.all(
            got.strategies["challenger.net_demand"]
            <= base.strategies["challenger.net_demand"] + 1e-12
        )
        assert np.all(got.planned[Outcome.WAR] >= base.planned[Outcome.WAR] - 1e-12)
    correct = params.replace(belief_scale=1.0, goliath=0.0)
    more = correct.replace(r_hi=np.minimum(1.0, params.r_hi + delta))
    assert np.all(
        rep.solve(more).realised[Outcome.WAR] >= rep.solve(correct).realised[Outcome.WAR] - 1e-12
    )


@settings(max_examples=10)
@given(seeds)
def test_underestimation_means_more_war_than_planned_and_over_demand(seed):
    """Statement 2: kappa <= 1 gives realised >= planned war, over-demand >= 0 and war due to
    misperception >= 0."""
    rng = np.random.default_rng(seed)
    out = rep.misperception_effects(random_points(seed, belief_scale=rng.uniform(0.01, 1.0, N)))
    for key in ("war_surprise", "over_demand", "war_due_to_misperception"):
        assert np.all(out[key] >= -1e-12), key


@settings(max_examples=10)
@given(seeds)
def test_correct_beliefs_plan_what_happens(seed):
    sol = rep.solve(random_points(seed, belief_scale=1.0, goliath=0.0))
    for o in Outcome:
        np.testing.assert_array_equal(sol.planned[o], sol.realised[o])


def along_p(params, n=41):
    """Every point at n values of p in [0, 1 - c_B] (the whole issue never binds): ``(N, n)``."""
    v = {k: a[:, None] for k, a in flat(params).items()}
    v["p"] = (1.0 - v["c_B"]) * np.linspace(0.0, 1.0, n)
    out = rep.misperception_effects(rep.Params(**v))
    return {k: a.reshape(-1, n) for k, a in out.items()}


@settings(max_examples=10)
@given(seeds)
def test_goliath_stronger_challengers_get_more_war_with_pure_transfers(seed):
    """Statement 3, k = 1: rho* depends on p only through kappa = 1 - gamma p, so realised war,
    the over-demand and the war due to misperception all rise with the challenger's power."""
    out = along_p(random_points(seed, side_cost=1.0, belief_scale=1.0))
    for key in ("realised_war", "over_demand", "war_due_to_misperception", "war_surprise"):
        assert np.all(np.diff(out[key], axis=1) >= -1e-12), key


@settings(max_examples=10)
@given(seeds)
def test_goliath_over_demand_rises_with_power(seed):
    """Statement 3, k >= 1 and r_lo = 0: over-demand, war due to misperception and the surprise
    (realised minus planned war) are non-decreasing in p; no Goliath effect, no over-demand."""
    rng = np.random.default_rng(seed)
    k = np.exp(rng.uniform(0.0, np.log(10.0), N))
    gamma = rng.uniform(0.0, 0.9, N) * (rng.uniform(size=N) > 0.2)
    out = along_p(random_points(seed, side_cost=k, r_lo=0.0, belief_scale=1.0, goliath=gamma))
    for key in ("over_demand", "war_due_to_misperception", "war_surprise"):
        assert np.all(np.diff(out[key], axis=1) >= -1e-12), key
    assert np.all(out["over_demand"][gamma == 0.0] == 0.0)


@settings(max_examples=10)
@given(seeds, st.floats(1.01, 4.0))
def test_cheaper_side_payments_raise_acceptance(seed, factor):
    """Statement 4: compliance (planned and realised) is non-increasing in the side cost."""
    params = random_points(seed)
    a = rep.solve(params)
    b = rep.solve(params.replace(side_cost=np.minimum(10.0, params.side_cost * factor)))
    for table in ("planned", "realised"):
        assert np.all(
            getattr(a, table)[Outcome.COMPLIANCE] >= getattr(b, table)[Outcome.COMPLIANCE] - 1e-12
        )


@settings(max_examples=10)
@given(seeds)
def test_side_payments_buy_acceptance_no_demand_can(seed):
    """Where the closed form pays (s* > 0), the best offer without side payments (brute force
    over demands) is accepted less often. Weak challengers with costly wars pay."""
    rng = np.random.default_rng(seed)
    params = random_points(seed, p=rng.uniform(0.0, 0.3, N), c_A=rng.uniform(0.3, 1.0, N))
    sol = rep.solve(params)
    pays = sol.strategies["challenger.side_payment"] > 1e-6
    v = flat(params)
    lo, hi = belief_bounds(params)
    args = [a[pays, None] for a in (v["p"], v["c_A"], v["c_B"], v["side_cost"], lo, hi)]
    x = np.linspace(0.0, 1.0, 20_001)
    eu = package_eu(x, 0.0, *args)
    accept = np.clip((args[0] + args[2] - x - args[4]) / (args[5] - args[4]), 0.0, 1.0)
    best = np.where(eu >= eu.max(axis=1, keepdims=True) - 1e-12, accept, -np.inf).max(axis=1)
    assert np.all(best < sol.planned[Outcome.COMPLIANCE][pays] + 1e-12)
    assert np.all(sol.utilities_planned["challenger"][pays] >= eu.max(axis=1) - 1e-12)


def test_goliath_curse_in_the_full_compensation_regime():
    """With r_hi <= (c_A + c_B)/2 correct beliefs buy off every type; with beta(p) = gamma p
    the challenger plans peace but gets war with probability gamma p (known answer family)."""
    p = np.linspace(0.0, 0.8, 9)
    out = rep.misperception_effects(rep.Params(p=p, c_A=0.2, c_B=0.2, r_hi=0.2, goliath=0.5))
    np.testing.assert_allclose(out["planned_war"], 0.0, atol=1e-15)
    np.testing.assert_allclose(out["realised_war"], 0.5 * p, atol=1e-12)
    np.testing.assert_allclose(out["correct_war"], 0.0, atol=1e-15)


def test_demand_and_side_payment_are_substitutes_at_unit_cost():
    """At k = 1 both packages of a net demand give the same payoffs on the tree."""
    game = rep.tree(rep.Params(p=0.2, c_A=0.7), n_demands=6)
    issue = backward_induction_solve(game)
    values = issue.values
    for j in range(6):
        kids = [game.nodes[0].children[2 * j], game.nodes[0].children[2 * j + 1]]
        np.testing.assert_allclose(values[kids[0]], values[kids[1]], atol=1e-15)


# -- bad input ---------------------------------------------------------------------------------
def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"r_lo = 0.5 and r_hi = 0.2"):
        rep.Params(r_lo=0.5, r_hi=0.2)
    with pytest.raises(ValueError, match="side_cost = 0.2 is out of range"):
        rep.Params(side_cost=0.2)
    with pytest.raises(ValueError, match="method = 'numeric' is not one of"):
        rep.solve(rep.Params(), method="numeric")
    with pytest.raises(TypeError, match="params must be reputation.Params"):
        rep.solve(rr.Params())
    with pytest.raises(TypeError, match="params must be reputation.Params"):
        rep.misperception_effects(rr.Params())
    for bad in (1, True, 2.5):
        with pytest.raises(ValueError, match="n_demands = .* must be an integer >= 2"):
            rep.tree(rep.Params(), n_demands=bad)
