"""The assurance game: known answers, brute force, comparative statics, the tree, bad input."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.games import assurances as asr
from model.solvers.backward import backward_induction_solve
from model.types import Outcome

CASES = json.loads((Path(__file__).parent / "data" / "assurances_known.json").read_text())


# -- an independent statement of the game, for brute force ----------------------------------------
def credibility(p):
    """tau, alpha and P from the module docstring's maps, written out again."""
    s, r = p.power, p.restraint
    tau = p.tau0 + (1.0 - p.tau0) * s
    alpha = p.alpha_max * (1.0 - r) * s**2
    return tau, alpha, p.harm0 * (1.0 + s)


def challenger_eu(p, x, reward):
    """A's expected utility of an offer, averaging the four follow-through branches."""
    tau, alpha, harm = credibility(p)
    cutoff = (tau - alpha) * harm + (1.0 - alpha) * reward - p.k * x**2
    q = np.clip(cutoff / p.theta_hi, 0.0, 1.0)
    comply = (1.0 - alpha) * (x - reward) + alpha * (x - p.c)
    defy = tau * (-p.c)
    return q * comply + (1.0 - q) * defy


def brute_force(p, n_x=401, n_r=201):
    """Best offer on a grid (and the status quo's 0)."""
    x = np.linspace(0.0, 1.0, n_x)[:, None]
    reward = np.linspace(0.0, p.reward_max, n_r)[None, :]
    eu = challenger_eu(p, x, reward)
    i, j = np.unravel_index(np.argmax(eu), eu.shape)
    return float(eu[i, j]), float(x[i, 0]), float(reward[0, j])


unit = st.floats(0.0, 1.0)
params_st = st.builds(
    asr.Params,
    power=unit,
    restraint=unit,
    tau0=unit,
    alpha_max=unit,
    harm0=st.floats(0.01, 2.0),
    k=st.floats(0.1, 4.0),
    theta_hi=st.floats(0.1, 2.0),
    c=unit,
    reward_max=st.floats(0.0, 2.0),
)


# -- known answers --------------------------------------------------------------------------------
@pytest.mark.parametrize("case", CASES["rule"], ids=lambda c: c["id"])
def test_theory_decision_rule(case):
    got = asr.complies(
        case["tau"], case["alpha"], case["harm"], case["cost"], case.get("reward", 0.0)
    )
    assert bool(got) is case["complies"]


@pytest.mark.parametrize("case", CASES["rule_in_game"], ids=lambda c: c["id"])
def test_theory_decision_rule_inside_the_game(case):
    params = asr.Params(**case["params"])
    cred = asr.credibility(params)
    for key in ("tau", "alpha", "harm"):
        assert float(cred[key]) == pytest.approx(case[key], abs=1e-12), key
    out = asr.outcomes_at_offer(params, case["demand"], 0.0)
    assert float(out["cutoff"]) == pytest.approx(case["cutoff"], abs=1e-12)
    assert (case["theta"] <= float(out["cutoff"])) is case["complies"]
    cost = params.k * case["demand"] ** 2 + case["theta"]
    assert bool(asr.complies(cred["tau"], cred["alpha"], cred["harm"], cost)) is case["complies"]
    # the target types below the cutoff are those that comply
    assert float(out["compliance"]) == pytest.approx(case["cutoff"] / params.theta_hi)


def check_case(sol, case, tol):
    assert float(sol.strategies["challenger.demand"]) == pytest.approx(case["demand"], abs=tol)
    assert float(sol.strategies["challenger.reward"]) == pytest.approx(case["reward"], abs=tol)
    assert float(sol.cutpoints["target.comply_cost"]) == pytest.approx(case["cutoff"], abs=tol)
    assert int(sol.strategies["regime"]) == case["regime"]
    for o, value in case["outcomes"].items():
        assert float(sol.planned[o]) == pytest.approx(value, abs=tol), o
    for player, value in case["utilities"].items():
        assert float(sol.utilities_planned[player]) == pytest.approx(value, abs=tol), player
    assert sol.certificate.all_passed


@pytest.mark.parametrize("case", CASES["game"], ids=lambda c: c["id"])
def test_known_optimal_offers(case):
    params = asr.Params(**case["params"])
    check_case(asr.solve(params), case, 1e-12)
    # brute force: no offer on a 401 x 201 grid beats the known answer, and the grid's best is
    # within its resolution of it
    best, _, _ = brute_force(params)
    eu = case["utilities"]["challenger"]
    assert best <= eu + 1e-12
    if case["regime"]:
        assert best >= eu - 1e-4


@pytest.mark.parametrize("case", CASES["game"], ids=lambda c: c["id"])
def test_known_optimal_offers_by_backward_induction_on_the_tree(case):
    """On a grid that contains the optimal offer, the generic solver finds exactly it."""
    params = asr.Params(**case["params"])
    sol = asr.solve(params, method="backward", tree_options=case["tree"])
    check_case(sol, case, 1e-9)
    game = asr.tree(params, **case["tree"])
    res = backward_induction_solve(game)
    outcomes = game.outcome_probabilities(res.profile)
    for o, value in case["outcomes"].items():
        assert float(outcomes[o]) == pytest.approx(value, abs=1e-9), o


def test_docstring_regimes_are_all_covered_by_known_answers():
    assert {c["regime"] for c in CASES["game"]} == set(asr.REGIMES)


# -- brute force ----------------------------------------------------------------------------------
@settings(max_examples=60)
@given(params_st)
def test_closed_form_beats_every_offer_on_a_fine_grid(params):
    """The closed form is never beaten on a 401 x 201 grid of offers, and is close to its best."""
    sol = asr.solve(params)
    best, x, reward = brute_force(params)
    eu = float(sol.utilities_planned["challenger"])
    assert eu >= best - 1e-12
    assert eu >= 0.0
    if eu > 0.0:
        assert float(sol.strategies["challenger.coerce"]) == 1.0
        # the grid's step is 1/400 in demand and reward_max/200 in reward
        assert eu - max(best, 0.0) <= 0.01
        offer = challenger_eu(
            params, sol.strategies["challenger.demand"], sol.strategies["challenger.reward"]
        )
        assert float(offer) == pytest.approx(eu, abs=1e-12)
    else:
        assert float(sol.planned["status_quo"]) == 1.0
        assert best <= 1e-12 or best <= eu + 1e-12


@settings(max_examples=40)
@given(params_st)
def test_target_cutoff_is_the_theory_rule(params):
    """Types at the cutoff are indifferent; the rule (tau - alpha) P + (1 - alpha) R >= K holds."""
    sol = asr.solve(params)
    if not sol.strategies["challenger.coerce"]:
        return
    tau, alpha, harm = credibility(params)
    x, reward = sol.strategies["challenger.demand"], sol.strategies["challenger.reward"]
    cut = float(sol.cutpoints["target.comply_cost"])
    for theta in np.linspace(0.0, params.theta_hi, 9):
        cost = params.k * x**2 + theta
        if abs(theta - cut) > 1e-9:
            assert bool(asr.complies(tau, alpha, harm, cost, reward)) is bool(theta < cut)
    q = float(sol.planned["compliance"])
    assert q == pytest.approx(cut / params.theta_hi, abs=1e-12)
    assert float(sol.planned["war"]) == pytest.approx((1 - q) * tau, abs=1e-12)
    assert float(sol.strategies["assurance_failure"]) == pytest.approx(q * alpha, abs=1e-12)


# -- comparative statics (Cebul, Dafoe and Monteiro 2021; derived for this game) -------------------
@given(params_st, unit, unit)
def test_power_raises_threat_credibility_and_assurance_failure(params, s1, s2):
    lo, hi = sorted((s1, s2))
    a = asr.credibility(params.replace(power=lo))
    b = asr.credibility(params.replace(power=hi))
    assert b["tau"] >= a["tau"] and b["harm"] >= a["harm"]
    assert b["alpha"] >= a["alpha"] and b["assurance"] <= a["assurance"]


def pair(params, **values):
    """Solve two points at once: ``values`` maps a field to its two values."""
    return asr.solve(params.replace(**{k: np.array(v) for k, v in values.items()}))


@settings(max_examples=80)
@given(params_st, unit, unit)
def test_restraint_weakly_raises_compliance_and_the_challengers_utility(params, r1, r2):
    sol = pair(params, restraint=sorted((r1, r2)))
    alpha = asr.credibility(sol.params)["alpha"]
    assert alpha[1] <= alpha[0]
    q, eu = sol.planned["compliance"], sol.utilities_planned["challenger"]
    assert q[1] >= q[0] - 1e-12
    assert eu[1] >= eu[0] - 1e-12


@settings(max_examples=60)
@given(params_st, unit, unit)
def test_with_perfect_restraint_power_raises_compliance_while_the_challenger_coerces(
    params, s1, s2
):
    """Without assurance failure only the threat side of power is left."""
    sol = pair(params.replace(restraint=1.0), power=sorted((s1, s2)))
    if np.all(sol.strategies["challenger.coerce"] == 1.0):
        q = sol.planned["compliance"]
        assert q[1] >= q[0] - 1e-12


def test_compliance_is_hump_shaped_in_power_without_restraint():
    """Power first adds threat credibility, then destroys assurance credibility."""
    power = np.linspace(0.0, 1.0, 201)
    q = asr.solve(asr.Params(power=power, restraint=0.0)).planned["compliance"]
    peak = int(np.argmax(q))
    assert 0.2 < power[peak] < 0.8
    assert q[peak] - q[0] > 0.15 and q[peak] - q[-1] > 0.3
    assert np.all(np.diff(q[: peak + 1]) >= -1e-12) and np.all(np.diff(q[peak:]) <= 1e-12)
    # with a full reputation for restraint the same power only helps
    q_restrained = asr.solve(asr.Params(power=power, restraint=1.0)).planned["compliance"]
    assert np.all(np.diff(q_restrained) >= -1e-12) and q_restrained[-1] > q[-1] + 0.5


@settings(max_examples=80)
@given(params_st, st.floats(0.0, 0.5))
def test_rewards_substitute_for_threats(params, extra_harm):
    """More threat leverage: a weakly smaller reward and a weakly higher cutoff.

    Rewards substitute for threats, but only partially: the cutoff still rises.
    """
    tau, alpha, _ = credibility(params)
    if tau < alpha:  # a larger harm would then lower the net threat leverage
        return
    sol = pair(params, harm0=[params.harm0, min(2.0, params.harm0 + extra_harm)])
    if np.all(sol.strategies["challenger.coerce"] == 1.0):
        reward, cut = sol.strategies["challenger.reward"], sol.cutpoints["target.comply_cost"]
        assert reward[1] <= reward[0] + 1e-12
        assert cut[1] >= cut[0] - 1e-12


@settings(max_examples=60)
@given(params_st)
def test_rewards_are_used_exactly_when_threat_leverage_falls_short(params):
    """While some types defy, the reward is positive iff Lambda < x_hat + k x_hat^2 + mu.

    (When no reward can be promised, ``reward_max = 0``, there is nothing to choose.)
    """
    sol = asr.solve(params)
    cred = asr.credibility(params)
    if float(cred["reward_value_max"]) <= 1e-9:
        return
    x_hat = min(1.0, 0.5 / params.k)
    threshold = x_hat + params.k * x_hat**2 + float(cred["mu"])
    regime = int(sol.strategies["regime"])
    if regime == 1:
        assert float(cred["leverage"]) >= threshold - 1e-12
    elif regime in (2, 3):
        assert float(cred["leverage"]) < threshold + 1e-12
        assert float(sol.strategies["challenger.reward"]) > 0.0


def test_a_reward_makes_up_half_of_lost_threat_leverage():
    """Inside the threat-and-reward regime dS*/dLambda = -1/2 and dt*/dLambda = +1/2."""
    case = next(c for c in CASES["game"] if c["id"] == "threat_and_reward")
    harm0 = case["params"]["harm0"] + np.array([0.0, 0.01, 0.02])
    sol = asr.solve(asr.Params(**{**case["params"], "harm0": harm0}))
    assert np.all(sol.strategies["regime"] == 2)
    lev = asr.credibility(sol.params)["leverage"]
    reward = sol.strategies["challenger.reward"]  # alpha = 0: the reward is its expected value
    np.testing.assert_allclose(np.diff(reward) / np.diff(lev), -0.5, rtol=1e-9)
    np.testing.assert_allclose(
        np.diff(sol.cutpoints["target.comply_cost"]) / np.diff(lev), 0.5, rtol=1e-9
    )
    np.testing.assert_allclose(sol.strategies["challenger.demand"], 0.5)


@given(params_st)
def test_the_expected_reward_never_exceeds_what_assurances_make_credible(params):
    sol = asr.solve(params)
    cred = asr.credibility(params)
    expected = cred["assurance"] * sol.strategies["challenger.reward"]
    assert float(expected) <= float(cred["reward_value_max"]) + 1e-12


# -- the finite game ------------------------------------------------------------------------------
def test_tree_on_a_batch_agrees_with_the_closed_form():
    rng = np.random.default_rng(20261201)
    values = {
        "power": rng.uniform(0, 1, 12),
        "restraint": rng.uniform(0, 1, 12),
        "tau0": rng.uniform(0, 1, 12),
        "alpha_max": rng.uniform(0, 1, 12),
        "harm0": rng.uniform(0.05, 2, 12),
        "k": rng.uniform(0.1, 4, 12),
        "theta_hi": rng.uniform(0.1, 2, 12),
        "c": rng.uniform(0, 1, 12),
        "reward_max": rng.uniform(0, 2, 12),
    }
    params = asr.Params(**values)
    ref = asr.solve(params)
    got = asr.solve(params, method="backward")
    assert got.certificate.all_passed
    for o in Outcome:
        np.testing.assert_allclose(got.planned[o], ref.planned[o], atol=asr.TREE_TOLERANCE)
    for player in ("challenger", "target"):
        np.testing.assert_allclose(
            got.utilities_planned[player], ref.utilities_planned[player], atol=asr.TREE_TOLERANCE
        )
    # the grid can only do worse than the continuum
    eu_grid, eu_closed = (s.utilities_planned["challenger"] for s in (got, ref))
    assert np.all(eu_grid <= eu_closed + 1e-12)


@pytest.mark.parametrize("case", [CASES["game"][i] for i in (0, 1, 5)], ids=lambda c: c["id"])
def test_tree_with_type_cells_independent_of_the_cutoff_converges(case):
    """Types fixed in advance (midpoints of 16 equal-probability cells) approximate the continuum.

    The compliance probability moves in steps of 1/16 and the offer grid is coarse, so the
    tolerances are those of the discretisation: 0.1 in probability, 0.025 in utility.
    """
    params = asr.Params(**case["params"])
    game = asr.tree(params, n_demands=12, n_rewards=6, n_types=16, aligned=False)
    res = backward_induction_solve(game)
    assert res.certificate.all_passed
    outcomes = game.outcome_probabilities(res.profile)
    for o, value in case["outcomes"].items():
        assert float(outcomes[o]) == pytest.approx(value, abs=0.1), o
    assert float(res.root_values[0]) == pytest.approx(case["utilities"]["challenger"], abs=0.025)


def test_tree_shape_and_tie_rules():
    game = asr.tree(asr.Params(), n_demands=3, n_rewards=2)
    root = game.infosets["challenger"]
    assert root.actions[0] == "no_demand" and len(root.actions) == 1 + 3 * 2
    assert game.infosets["target.d0.r0.low0"].actions == ("comply", "defy")
    assert game.is_perfect_information
    assert game.annotations["demands"].shape == (6,)
    labels = {game.nodes[t].label for t in game.terminals}
    assert labels == {"status_quo", "compliance", "war", "backdown"}


def test_certificate_catches_a_suboptimal_offer():
    case = next(c for c in CASES["game"] if c["id"] == "threat_and_reward")
    v = asr.Params(**case["params"]).broadcast()
    right = asr._certificate(v, np.array(0.5), np.array(0.325), np.array(True))
    wrong = asr._certificate(v, np.array(0.45), np.array(0.325), np.array(True))
    quits = asr._certificate(v, np.array(0.5), np.array(0.325), np.array(False))
    assert right.all_passed
    assert not wrong.all_passed and float(wrong.max_regret) > 1e-4
    assert not quits.all_passed  # giving up a profitable offer is a deviation too


# -- bad input ------------------------------------------------------------------------------------
def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"power = 1.5 is out of range.*\[0, 1\]"):
        asr.Params(power=1.5)
    with pytest.raises(ValueError, match=r"theta_hi = 0.05 is out of range"):
        asr.Params(theta_hi=0.05)
    with pytest.raises(ValueError, match="method = 'pbe' is not one of"):
        asr.solve(asr.Params(), method="pbe")
    with pytest.raises(ValueError, match="tree_options applies only"):
        asr.solve(asr.Params(), tree_options={"n_demands": 3})
    with pytest.raises(TypeError, match="params must be assurances.Params"):
        asr.solve({"power": 0.5})
    with pytest.raises(ValueError, match=r"alpha = 1.2 is out of range"):
        asr.complies(0.5, 1.2, 1.0, 0.3)
    with pytest.raises(ValueError, match=r"reward = -0.1 is out of range"):
        asr.complies(0.5, 0.2, 1.0, 0.3, reward=-0.1)
    with pytest.raises(ValueError, match=r"demand = 1.2 is out of range"):
        asr.outcomes_at_offer(asr.Params(), 1.2)
    with pytest.raises(ValueError, match=r"reward = 0.9 is out of range.*reward_max = 0.5"):
        asr.outcomes_at_offer(asr.Params(), 0.5, 0.9)
    with pytest.raises(ValueError, match="n_demands"):
        asr.tree(asr.Params(), n_demands=1)
    with pytest.raises(TypeError, match="aligned"):
        asr.tree(asr.Params(), aligned="yes")
