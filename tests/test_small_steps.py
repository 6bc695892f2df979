"""Small steps or one big demand: known answers, brute force with the generic solver, theory.

The closed forms are derived in the module docstring of :mod:`model.games.small_steps`; the
known answers (``tests/data/small_steps_known.json``) were derived by hand from them. The
brute-force tests solve the continuation after every first demand of a grid with the generic
perfect Bayesian enumeration and maximise over the grid.
"""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model.games import small_steps as ss
from model.solvers.api import solve_game
from model.solvers.pbe import ScreeningStructure, SignallingStructure, pbe_solve
from model.solvers.selection import select

CASES = json.loads((Path(__file__).parent / "data" / "small_steps_known.json").read_text())["cases"]
BY_ID = {c["id"]: c for c in CASES}


def num(x) -> float:
    return float(Fraction(x)) if isinstance(x, str) else float(x)


# -- known answers -------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
@pytest.mark.parametrize("method", ["closed_form", "pbe"])
def test_known_answers(case, method):
    params = ss.Params(**case["params"])
    s = ss.solve(params, method=method)
    assert s.certificate.all_passed and bool(np.all(s.converged))
    assert ss.regime(params).item() == case["regime"]
    tol = 1e-12 if method == "closed_form" else 1e-5  # pbe solves at first demands nudged by 1e-6
    for key, value in case["strategies"].items():
        if method == "pbe" and key in case.get("off_path", []):
            continue  # off the path the enumeration reports its own supporting response
        assert float(s.strategies[key]) == pytest.approx(num(value), abs=tol), key
    for key, value in case["cutpoints"].items():
        assert float(s.cutpoints[key]) == pytest.approx(num(value), abs=1e-12), key
    for o, value in case["outcomes"].items():
        assert float(s.planned[o]) == pytest.approx(value, abs=tol), o
    for player, value in case["utilities"].items():
        assert float(s.utilities_planned[player]) == pytest.approx(value, abs=tol), player


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_known_comparisons_with_one_big_demand(case):
    out = ss.compare(ss.Params(**case["params"]))
    assert bool(out["certified"][0])
    for key, value in case["compare"].items():
        assert float(out[key][0]) == pytest.approx(value, abs=1e-12), key


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_big_demand_matches_generic_screening_solution(case):
    params = ss.Params(**case["params"])
    game = ss.big_demand_tree(params)
    res = pbe_solve(game)
    assert isinstance(res.structure, ScreeningStructure)
    eq = res.equilibria[int(select(res.equilibria, "challenger_preferred").index)]
    assert float(eq.payoffs[0]) == pytest.approx(case["compare"]["eu_challenger_big"], abs=1e-12)
    assert float(eq.outcome_probabilities["war"]) == pytest.approx(
        case["compare"]["war_big"], abs=1e-12
    )


@pytest.mark.parametrize(
    "case_id", ["separating_small_steps_raise_peace", "ratchet_pooling_no_gain"]
)
def test_challenger_choosing_the_plan_goes_big(case_id):
    """In the game where A chooses (sequence-form sequential equilibrium), it makes one big
    demand: its first small steps, the closed-form optimum among them, are worth less."""
    case = BY_ID[case_id]
    params = ss.Params(**case["params"])
    x_star = float(ss.solve(params).strategies["challenger.first_demand"])
    game = ss.choice_tree(params, first_demands=[0.2, x_star, 0.6], n_offers=0)
    (eq,) = solve_game(game, "sequential").equilibria
    assert eq.certificate.all_passed
    root = dict(zip(game.infosets["challenger"].actions, eq.profile["challenger"], strict=True))
    assert root["big.screen"] == pytest.approx(1.0)
    assert float(eq.payoffs[0]) == pytest.approx(case["compare"]["eu_challenger_big"], abs=1e-9)


def test_tree_is_a_signalling_game_with_the_target_as_sender():
    res = pbe_solve(ss.tree(ss.Params()))
    assert isinstance(res.structure, SignallingStructure)
    assert res.structure.sender == "target" and res.structure.receiver == "challenger"
    assert res.structure.types == ss.TYPES


# -- hypothesis strategies -----------------------------------------------------------------------
def make_params(pi, p, w_share, r_share, c_a, delta):
    c_w = (1.0 - p) * w_share
    return ss.Params(
        pi=pi, p=p, c_A=c_a, c_B_resolute=c_w * r_share, c_B_accommodating=c_w, delta=delta
    )


params_st = st.builds(
    make_params,
    st.floats(0.01, 0.99),
    st.floats(0.0, 0.95),
    st.floats(0.05, 1.0),
    st.floats(0.0, 0.95),
    st.floats(0.01, 1.0),
    st.floats(0.01, 0.99),
)


def thresholds(params):
    """pibar and pi_low from the primitives (module docstring), written out independently."""
    pibar = (params.c_B_accommodating - params.c_B_resolute) / (
        params.c_B_accommodating + params.c_A
    )
    d = params.delta
    if d < 0.5:
        low = d * pibar**2 / ((1 - d) * (1 - pibar) + d * pibar)
    else:
        low = pibar**2
    return pibar, low


def off_knife_edges(params, eps=1e-6):
    pibar, low = thresholds(params)
    return (
        abs(params.pi - pibar) > eps
        and abs(params.pi - low) > eps
        and abs(params.delta - 0.5) > eps
        and pibar > eps
    )


# -- brute force with the generic solver ---------------------------------------------------------
GRID = np.linspace(0.0, 1.0, 41)


def generic_continuations(params, first_demands):
    """Challenger-preferred PBE of the continuation after each first demand (one batch)."""
    fields = {k: np.full(first_demands.shape, v) for k, v in params.values().items()}
    game = ss.tree(ss.Params(**fields), first_demand=first_demands, n_offers=2)
    res = pbe_solve(game)
    pick = select(res.equilibria, "challenger_preferred").index
    assert np.all(pick >= 0)

    def take(values):
        stacked = np.stack([np.broadcast_to(v, first_demands.shape) for v in values])
        return np.take_along_axis(stacked, pick[None], axis=0)[0]

    eqs = res.equilibria
    return res, {
        "eu_challenger": take([e.payoffs[0] for e in eqs]),
        "eu_target": take([e.payoffs[1] for e in eqs]),
        "war": take([e.outcome_probabilities["war"] for e in eqs]),
        "resolute_accepts": take([e.profile["target.resolute"][0] for e in eqs]),
        "accommodating_accepts": take([e.profile["target.accommodating"][0] for e in eqs]),
    }


@settings(max_examples=12)
@given(params_st)
def test_continuation_closed_form_equals_generic_enumeration_on_a_grid(params):
    """After every first demand of a grid, the closed-form continuation is the
    challenger-preferred perfect Bayesian equilibrium the generic enumeration finds.

    The first demand r_W itself is left out: there the accommodating type is indifferent at
    both steps and the semi-separating equilibria form a continuum that the enumeration, which
    lists generic equilibria only, does not return (module docstring)."""
    assume(off_knife_edges(params))
    grid = GRID[np.abs(GRID - (params.p + params.c_B_accommodating)) > 1e-9]
    _, generic = generic_continuations(params, grid)
    closed = ss.continuation(params, grid)
    for key, value in generic.items():
        np.testing.assert_allclose(closed[key], value, atol=1e-9, err_msg=key)


@settings(max_examples=12)
@given(params_st)
def test_optimal_first_demand_by_brute_force(params):
    """A's value is the maximum, over a grid of first demands and the (nudged) closed-form
    optimum, of the generic solver's continuation values; no grid demand does better."""
    assume(off_knife_edges(params))
    x_star = float(ss.solve(params).strategies["challenger.first_demand"])
    nudged = float(ss.tree(params).annotations["demands"][0])
    assert 0.0 <= x_star - nudged <= ss.NUDGE + ss.NUDGE_GAP / (1.0 - params.delta) + 1e-12
    demands = np.append(GRID, nudged)
    _, generic = generic_continuations(params, demands)
    value = float(ss.solve(params).utilities_planned["challenger"])
    assert generic["eu_challenger"].max() <= value + 1e-9
    assert generic["eu_challenger"][-1] == pytest.approx(value, abs=1e-5)
    # and on a fine grid of the closed-form continuation the supremum is reached
    fine = ss.continuation(params, np.linspace(0.0, 1.0, 20001))["eu_challenger"]
    assert value - 1e-4 <= fine.max() <= value + 1e-12


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_known_answers_by_brute_force_over_first_demands(case):
    """The known value is the best, over a grid of first demands and the nudged optimum, of the
    generic solver's continuation values; the best grid demand lies in the case's regime."""
    params = ss.Params(**case["params"])
    nudged = float(ss.tree(params).annotations["demands"][0])
    demands = np.append(np.linspace(0.0, 1.0, 201), nudged)
    _, generic = generic_continuations(params, demands)
    value = case["utilities"]["challenger"]
    assert generic["eu_challenger"].max() == pytest.approx(value, abs=1e-5)
    assert generic["eu_challenger"][:-1].max() <= value + 1e-12
    best = int(np.argmax(generic["eu_challenger"][:-1]))
    war = case["outcomes"]["war"]
    assert generic["war"][best] == pytest.approx(war, abs=0.02)  # the grid's best is nearby


@settings(max_examples=8)
@given(params_st.filter(lambda p: p.delta > 0.5 + 1e-6))
def test_ratchet_no_first_demand_separates_when_the_future_weighs_more(params):
    """delta > 1/2: the generic enumeration finds no separating equilibrium after any first
    demand above r_R (the accommodating type would hide); below 1/2 it finds one just above."""
    r_r = params.p + params.c_B_resolute
    demands = GRID[GRID > r_r + 1e-6]
    if demands.size == 0:
        return
    res, _ = generic_continuations(params, demands)
    for e in res.equilibria:
        if e.label == "separating":
            assert not np.any(e.exists), e.messages(int(np.argmax(e.exists)))
    low = params.replace(delta=1.0 - params.delta)
    x_hat = float(ss.solve(low).cutpoints["separating_demand"])
    probe = np.array([r_r + 0.5 * (x_hat - r_r)])
    res, generic = generic_continuations(low, probe)
    assert generic["resolute_accepts"][0] == 0.0 and generic["accommodating_accepts"][0] == 1.0


@settings(max_examples=15)
@given(params_st)
def test_generic_method_reproduces_the_closed_form(params):
    """Up to the nudge of the first demand (bound in the module docstring)."""
    assume(off_knife_edges(params))
    a = ss.solve(params)
    b = ss.solve(params, method="pbe")
    assert b.certificate.all_passed
    gap = params.c_B_accommodating - params.c_B_resolute
    tol = 1e-5 + params.pi * ss.NUDGE_GAP / (params.delta * gap)
    for o in a.planned:
        assert float(b.planned[o]) == pytest.approx(float(a.planned[o]), abs=tol), o
    for u in a.utilities_planned:
        assert float(b.utilities_planned[u]) == pytest.approx(
            float(a.utilities_planned[u]), abs=tol
        ), u


# -- the theory's comparative statics ------------------------------------------------------------
@settings(max_examples=40)
@given(params_st)
def test_small_steps_raise_peace_iff_delta_below_half_and_prior_in_middle_range(params):
    """Module docstring: gradualism raises P(peace) (from 1 - pi to 1) iff delta < 1/2 and
    pi_low(delta) <= pi < pibar; it never lowers it."""
    if not off_knife_edges(params):
        return
    pibar, low = thresholds(params)
    out = ss.compare(params)
    helps = params.delta < 0.5 and low <= params.pi < pibar
    assert bool(out["gradualism_raises_peace"][0]) == helps
    assert out["peace_small"][0] >= out["peace_big"][0] - 1e-12
    if helps:
        assert out["peace_small"][0] == pytest.approx(1.0)
        assert out["peace_big"][0] == pytest.approx(1.0 - params.pi)
        assert out["fighting_small"][0] == pytest.approx(params.pi * (1.0 - params.delta))


@settings(max_examples=40)
@given(params_st)
def test_regimes_follow_the_thresholds(params):
    if not off_knife_edges(params):
        return
    pibar, low = thresholds(params)
    if params.pi >= pibar:
        expected = "pooling-safe"
    elif params.pi < low:
        expected = "semi-separating"
    else:
        expected = "separating" if params.delta < 0.5 else "pooling-screen"
    assert ss.regime(params).item() == expected
    out = ss.compare(params)
    if expected == "semi-separating":  # squeezing the accommodating type: more fighting
        assert out["fighting_small"][0] > out["fighting_big"][0]
        assert out["war_small"][0] == pytest.approx(params.pi)
    if expected == "pooling-screen":  # the same war, later
        assert out["war_small"][0] == pytest.approx(params.pi)
        assert out["fighting_small"][0] == pytest.approx(params.pi * params.delta)


@settings(max_examples=40)
@given(params_st)
def test_challenger_never_gains_from_starting_small(params):
    """A challenger able to commit to one demand does not haggle (Riley and Zeckhauser 1983):
    its value from small steps is at most that of one big demand, equal iff pi >= pibar."""
    out = ss.compare(params)
    assert out["eu_challenger_small"][0] <= out["eu_challenger_big"][0] + 1e-12
    assert out["challenger_prefers_small"][0] == 0.0
    if off_knife_edges(params):
        pibar, _ = thresholds(params)
        equal = out["eu_challenger_small"][0] == pytest.approx(out["eu_challenger_big"][0])
        assert equal == (params.pi >= pibar)


@settings(max_examples=40)
@given(params_st, st.floats(0.0, 1.0))
def test_banks_monotonicity_for_the_informed_side(params, first_demand):
    """After any first demand, the resolute type (higher war payoff) gets at least as much as the
    accommodating type and is the only one that ever goes to war; at the optimum it gets
    exactly its war payoff."""
    at_optimum = ss.continuation(params, ss.solve(params).strategies["challenger.first_demand"])
    for out in (ss.continuation(params, first_demand), at_optimum):
        assert out["eu_target_resolute"] >= out["eu_target_accommodating"] - 1e-12
        assert out["war"] <= params.pi + 1e-12  # P(war | accommodating) = 0
    war_payoff = 1.0 - params.p - params.c_B_resolute
    assert at_optimum["eu_target_resolute"] == pytest.approx(war_payoff, abs=1e-12)


@settings(max_examples=40)
@given(params_st, st.floats(0.01, 0.49), st.floats(0.01, 0.49))
def test_helping_region_shrinks_as_the_first_step_gets_smaller(params, d1, d2):
    """pi_low rises with delta (below 1/2) and stays below pibar^2: a smaller first step
    (larger delta) helps for fewer priors."""
    lo, hi = sorted((d1, d2))
    a = ss.solve(params.replace(delta=lo)).cutpoints["semi_separating_below"]
    b = ss.solve(params.replace(delta=hi)).cutpoints["semi_separating_below"]
    pibar = float(ss.solve(params).cutpoints["screening_prior"])
    assert float(a) <= float(b) + 1e-15 <= pibar**2 + 1e-12
    if bool(ss.compare(params.replace(delta=hi))["gradualism_raises_peace"][0]):
        assert bool(ss.compare(params.replace(delta=lo))["gradualism_raises_peace"][0])


@settings(max_examples=40)
@given(params_st)
def test_one_big_demand_is_the_limit_of_a_first_step_that_settles_everything(params):
    small = ss.compare(params.replace(delta=1e-9))
    assert small["eu_challenger_small"][0] == pytest.approx(small["eu_challenger_big"][0], abs=1e-7)
    assert small["fighting_small"][0] == pytest.approx(small["fighting_big"][0], abs=1e-7)


@settings(max_examples=40)
@given(params_st)
def test_outcomes_are_probabilities_and_welfare_is_one_minus_war_costs(params):
    """Settlement splits the whole issue, so joint payoffs fall only through fighting."""
    out = ss.compare(params)
    assert out["peace_small"][0] + out["war_small"][0] == pytest.approx(1.0)
    assert out["peace_big"][0] + out["war_big"][0] == pytest.approx(1.0)
    assert 0.0 <= out["fighting_small"][0] <= 1.0
    cost_r = params.c_A + params.c_B_resolute
    assert out["welfare_big"][0] == pytest.approx(1.0 - out["war_big"][0] * cost_r)
    if ss.regime(params).item() != "semi-separating":  # only the resolute type ever fights
        assert out["welfare_small"][0] == pytest.approx(1.0 - out["fighting_small"][0] * cost_r)


# -- bad input -----------------------------------------------------------------------------------
def test_cross_parameter_rules_name_the_values():
    with pytest.raises(ValueError, match=r"c_B_resolute = 0.3 and c_B_accommodating = 0.2"):
        ss.Params(c_B_resolute=0.3, c_B_accommodating=0.2)
    with pytest.raises(ValueError, match=r"p = 0.8 and c_B_accommodating = 0.3: .*<= 1"):
        ss.Params(p=0.8)


def test_bad_arguments_are_clear_errors():
    params = ss.Params()
    with pytest.raises(TypeError, match="small_steps.Params"):
        ss.solve(object())
    with pytest.raises(ValueError, match="method = 'nope'"):
        ss.solve(params, method="nope")
    with pytest.raises(ValueError, match="selection = 'nope'"):
        ss.solve(params, selection="nope")
    with pytest.raises(ValueError, match=r"first_demand = 1.5 is out of range"):
        ss.continuation(params, 1.5)
    with pytest.raises(ValueError, match="does not broadcast"):
        ss.continuation(ss.Params(pi=[0.2, 0.4]), [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="n_offers"):
        ss.tree(params, n_offers=-1)
    with pytest.raises(ValueError, match=r"nudge = 0.7 is out of range"):
        ss.tree(params, nudge=0.7)
    with pytest.raises(TypeError, match="nudge"):
        ss.tree(params, nudge="small")
    with pytest.raises(ValueError, match="first_demands must be a sequence"):
        ss.choice_tree(params, first_demands=[[0.1, 0.2]])
