"""The deadline game: known answers, Ståhl's shares, screening under a deadline, generic solvers."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.games import deadlines as dl
from model.solvers.backward import backward_induction_solve
from model.solvers.pbe import signalling_structure

DATA = json.loads((Path(__file__).parent / "data" / "deadlines_known.json").read_text())
CASES = DATA["cases"]
OUTCOMES = ("status_quo", "compliance", "settlement", "backdown", "war")


def check_case(s, case, tol):
    assert s.certificate.all_passed, s.summary()
    assert float(s.strategies["challenger.demand"]) == pytest.approx(case["demand"], abs=tol)
    assert bool(s.strategies["challenger.screens"]) == case["screens"]
    for o in OUTCOMES:
        assert float(s.planned[o]) == pytest.approx(case["outcomes"].get(o, 0.0), abs=tol), o
    for player, value in case["utilities"].items():
        assert float(s.utilities_planned[player]) == pytest.approx(value, abs=tol), player


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_known_answers_closed_form(case):
    s = dl.solve(dl.Params(**case["params"]))
    check_case(s, case, 1e-12)
    if "screening_prior" in case:
        assert float(s.cutpoints["screening_prior"]) == pytest.approx(case["screening_prior"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
@pytest.mark.parametrize("method", ["backward", "pbe"])
def test_known_answers_generic_solvers(case, method):
    params = dl.Params(**case["params"])
    if method == "pbe" and params.pi == 1.0:
        with pytest.raises(ValueError, match="pi must lie in"):
            dl.solve(params, method=method)
        return
    check_case(dl.solve(params, method=method, n_offers=5), case, 1e-9)


@pytest.mark.parametrize("case", DATA["shares"]["cases"], ids=lambda c: f"d{c['delta']}T{c['T']}")
def test_stahl_shares_by_hand(case):
    assert float(dl.proposer_share(case["delta"], case["T"])) == pytest.approx(case["share"])


@pytest.mark.parametrize("case", DATA["shares"]["limits"], ids=lambda c: f"d{c['delta']}")
def test_rubinstein_limit(case):
    assert float(dl.open_ended_share(case["delta"])) == pytest.approx(case["share"])
    assert float(dl.proposer_share(case["delta"], 400)) == pytest.approx(case["share"], abs=1e-12)


# -- Ståhl's formula (THEORY.md M12, confirmed here) ---------------------------------------------
deltas = st.floats(0.01, 0.99)
horizons = st.integers(1, dl.MAX_T)


@given(deltas, horizons)
def test_stahl_recursion_and_oscillation(delta, T):
    """s_T = 1 - delta s_(T-1); s_T - 1/(1+delta) = -(-delta)^T/(1+delta): above the limit when
    A has the last word (odd T), below it when B has (even T), the gap shrinking geometrically."""
    s, prev = float(dl.proposer_share(delta, T)), float(dl.proposer_share(delta, T - 1))
    limit = 1.0 / (1.0 + delta)
    assert s == pytest.approx(1.0 - delta * prev, abs=1e-12)
    assert s - limit == pytest.approx(-((-delta) ** T) / (1.0 + delta), abs=1e-12)
    gap, next_gap = s - limit, float(dl.proposer_share(delta, T + 1)) - limit
    if delta**T > 1e-9:
        assert np.sign(gap) == (1.0 if T % 2 else -1.0)
        assert abs(next_gap) == pytest.approx(delta * abs(gap), rel=1e-6)
    assert 1.0 - delta - 1e-12 <= s <= 1.0 + 1e-12


@given(deltas)
def test_odd_shares_fall_and_even_shares_rise_towards_the_limit(delta):
    s = dl.proposer_share(delta, np.arange(1, 41))
    odd, even = s[0::2], s[1::2]
    assert np.all(np.diff(odd) <= 1e-15) and np.all(np.diff(even) >= -1e-15)
    assert np.all(odd >= even.max() - 1e-15)


def test_stahl_by_backward_induction_on_a_plain_grid():
    """Brute force: an evenly spaced grid of 201 offers per round, no reservation offers; the
    tree's subgame-perfect demand converges to the closed form (error at most T grid steps)."""
    n = 201
    for delta in (0.3, 0.9):
        for T in (1, 2, 3, 4, 5):
            params = dl.Params(pi=1.0, delta=delta, T=T)
            game = dl.tree(params, n_offers=n, reservation=False)
            res = backward_induction_solve(game)
            x = float(game.annotations["demands"][res.choice["challenger.round1"]])
            surplus = params.c_A + params.c_B_strong
            expected = params.p - params.c_A + float(dl.proposer_share(delta, T)) * surplus
            assert abs(x - expected) <= T * (params.c_A + params.c_B_weak) / (n - 1) + 1e-12


# -- brute force of the incomplete-information game ----------------------------------------------
def brute_force(p, c_a, c_s, c_w, pi, delta, T, n=2001):
    """A's best demand over a grid of ``n`` demands, with continuation values computed by grid
    backward induction of the complete-information rounds (the proposer picks the best of ``n``
    shares of the surplus, accepted iff the responder's share covers its value of rejecting)."""
    grid = np.linspace(0.0, 1.0, n)
    v = 0.0  # value of proposing with 0 rounds left: war, no surplus
    for _ in range(1, T):  # the proposer's share with 1, 2, ..., T - 1 rounds left
        accepted = 1.0 - grid >= delta * v - 1e-12
        v = max(grid[accepted].max(), delta * (1.0 - v))
    w_a = p - c_a
    reject = []  # (A's payoff, B's payoff) after a rejection in round 1, per type
    for c in (c_s, c_w):
        surplus, w_b = c_a + c, 1.0 - p - c
        if T == 1:
            reject.append((w_a, w_b))
        else:  # B proposes first in the (T - 1)-round game, delta-discounted gains
            reject.append((w_a + delta * (1.0 - v) * surplus, w_b + delta * v * surplus))
    x = w_a + (c_a + c_w) * np.linspace(0.0, 1.0, n)
    eu = np.zeros_like(x)
    for prob, (u_a, u_b) in zip((pi, 1.0 - pi), reject, strict=True):
        accept = 1.0 - x >= u_b - 1e-12
        eu += prob * np.where(accept, x, u_a)
    return eu.max()


valid_params = st.builds(
    lambda p, a, w, s, pi, d, T: dl.Params(
        p=p, c_A=a * p, c_B_weak=w * (1 - p), c_B_strong=s * w * (1 - p), pi=pi, delta=d, T=T
    ),
    st.floats(0.05, 0.95),
    st.floats(0.0, 1.0),
    st.floats(0.05, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.01, 0.99),
    st.floats(0.05, 0.95),
    st.integers(1, 8),
)


@settings(max_examples=30)
@given(valid_params)
def test_brute_force_over_offer_grids(params):
    """The closed form's expected payoff of A equals the best over 2001 demands, with
    continuation values from a grid backward induction (error of order T / 2000)."""
    s = dl.solve(params)
    v = params.values()
    best = brute_force(
        v["p"], v["c_A"], v["c_B_strong"], v["c_B_weak"], v["pi"], v["delta"], v["T"]
    )
    assert float(s.utilities_planned["challenger"]) == pytest.approx(best, abs=3e-3)


def test_brute_force_known_cases():
    for case in CASES:
        v = case["params"]
        best = brute_force(
            v["p"], v["c_A"], v["c_B_strong"], v["c_B_weak"], v["pi"], v["delta"], v["T"], n=4001
        )
        assert best == pytest.approx(case["utilities"]["challenger"], abs=1e-3), case["id"]


# -- screening under a deadline (derived in the module docstring) --------------------------------
@given(valid_params)
def test_war_only_under_an_explicit_ultimatum(params):
    """War has probability pi when pi < pi_hat_1 with an ultimatum and zero with any later
    deadline, which replaces it by settlement after a counter-offer (delay)."""
    s = dl.solve(params)
    ultimatum = dl.solve(params.replace(T=1))
    pi = params.pi
    screens_1 = pi < float(ultimatum.cutpoints["screening_prior"]) - 1e-9
    if params.T >= 2:
        assert float(s.planned["war"]) == 0.0
    if screens_1:
        assert float(ultimatum.planned["war"]) == pytest.approx(pi)
    elif pi > float(ultimatum.cutpoints["screening_prior"]) + 1e-9:
        assert float(ultimatum.planned["war"]) == 0.0
    assert float(ultimatum.planned["war"]) >= float(s.planned["war"])


@given(valid_params)
def test_screening_cutpoint(params):
    """A screens iff pi < pi_hat_T; pi_hat_T >= pi_hat_1 with equality at T = 2."""
    s = dl.solve(params)
    cut = float(s.cutpoints["screening_prior"])
    if abs(params.pi - cut) > 1e-9:
        assert bool(s.strategies["challenger.screens"]) == (params.pi < cut)
    one = float(dl.screening_threshold(params.replace(T=1)))
    two = float(dl.screening_threshold(params.replace(T=2)))
    assert cut >= one - 1e-12
    assert two == pytest.approx(one, abs=1e-12)
    c_w, c_s, c_a = params.c_B_weak, params.c_B_strong, params.c_A
    if c_w + c_a > 0:
        assert one == pytest.approx((c_w - c_s) / (c_w + c_a), abs=1e-12)


@given(valid_params)
def test_what_the_deadline_is_worth_to_the_challenger(params):
    """Complete information: the ultimatum pays A the most. Two rounds: A's gain over war is
    exactly (1 - delta) times its gain under the ultimatum, whatever pi (B has the last word)."""
    w_a = params.p - params.c_A
    full = dl.solve(params.replace(pi=1.0, T=np.arange(1, 21))).utilities_planned["challenger"]
    assert np.all(full <= full[0] + 1e-12)
    one = float(dl.solve(params.replace(T=1)).utilities_planned["challenger"])
    two = float(dl.solve(params.replace(T=2)).utilities_planned["challenger"])
    assert two - w_a == pytest.approx((1.0 - params.delta) * (one - w_a), abs=1e-12)


def test_a_longer_deadline_can_pay_more_than_an_ultimatum():
    """Example of the module docstring: near pi_hat_1 the ultimatum's screening costs a war, a
    three-round deadline's only a delayed settlement (by hand: 0.5 and 0.546875)."""
    params = dl.Params(p=0.5, c_A=0.5, c_B_strong=0.0, c_B_weak=0.5, pi=0.5, delta=0.75)
    eu = dl.solve(params.replace(T=np.array([1, 3]))).utilities_planned["challenger"]
    np.testing.assert_allclose(eu, [0.5, 0.546875], atol=1e-12)


@given(valid_params)
def test_welfare_loss_is_war_or_delay(params):
    """Payoffs add up to 1 minus the surplus lost: pi S_s by war (T = 1) or pi (1 - delta) S_s
    by the strong type's delay (T >= 2) when A screens."""
    s = dl.solve(params)
    total = float(s.utilities_planned["challenger"] + s.utilities_planned["target"])
    lost = (params.c_A + params.c_B_strong) * (
        float(s.planned["war"]) + (1.0 - params.delta) * float(s.planned["settlement"])
    )
    assert total == pytest.approx(1.0 - lost, abs=1e-12)


@given(valid_params)
def test_complete_information_is_stahl(params):
    s = dl.solve(params.replace(pi=1.0))
    surplus = params.c_A + params.c_B_strong
    share = float(dl.proposer_share(params.delta, params.T))
    assert float(s.strategies["challenger.demand"]) == pytest.approx(
        params.p - params.c_A + share * surplus, abs=1e-12
    )
    assert float(s.utilities_planned["target"]) == pytest.approx(
        1.0 - params.p - params.c_B_strong + (1.0 - share) * surplus, abs=1e-12
    )
    assert float(s.planned["compliance"]) == 1.0


# -- generic solvers on the tree -----------------------------------------------------------------
@settings(max_examples=20)
@given(valid_params)
def test_generic_solvers_reproduce_the_closed_form(params):
    ref = dl.solve(params)
    for method in ("backward", "pbe"):
        if method == "pbe" and not 0.0 < params.pi < 1.0:
            continue
        got = dl.solve(params, method=method, n_offers=4)
        assert got.certificate.all_passed
        if abs(params.pi - float(ref.cutpoints["screening_prior"])) < 1e-9:
            continue  # A is indifferent: the tie rules may differ in rounding
        for o in OUTCOMES:
            assert float(got.planned[o]) == pytest.approx(float(ref.planned[o]), abs=1e-9), o
        for k in ("challenger", "target"):
            assert float(got.utilities_planned[k]) == pytest.approx(
                float(ref.utilities_planned[k]), abs=1e-9
            )


def test_batched_generic_solvers_equal_points():
    params = dl.Params(pi=np.array([0.1, 0.4, 0.6, 0.9]), T=np.array([1, 2, 3, 7]))
    for method in ("backward", "pbe"):
        batch = dl.solve(params, method=method, n_offers=4)
        for i in range(4):
            one = dl.solve(params.point(i), method=method, n_offers=4)
            for o in OUTCOMES:
                assert float(one.planned[o]) == pytest.approx(float(batch.planned[o][i]))
            assert float(one.strategies["challenger.demand"]) == pytest.approx(
                float(batch.strategies["challenger.demand"][i])
            )


def test_tree_is_a_screening_game_of_perfect_information():
    game = dl.tree(dl.Params(), n_offers=4)
    assert game.is_perfect_information
    structure = signalling_structure(game)
    assert structure.kind == "screening" and structure.types == ("strong", "weak")


@pytest.mark.parametrize("T", [1, 2, 3, 4])
@pytest.mark.parametrize("pi", [0.2, 0.7, 1.0])
def test_collapsed_rounds_equal_the_full_tree(T, pi):
    """Solving every round once and attaching its outcome lottery is backward induction of the
    full tree, in which every rejection starts its own copy of the later rounds."""
    params = dl.Params(T=T, pi=pi, delta=0.8)
    small, full = dl.tree(params, n_offers=3), dl.tree(params, n_offers=3, collapse=False)
    assert len(full.nodes) > len(small.nodes) or T == 1
    a, b = backward_induction_solve(small), backward_induction_solve(full)
    np.testing.assert_allclose(a.root_values, b.root_values, atol=1e-12)
    oa, ob = small.outcome_probabilities(a.profile), full.outcome_probabilities(b.profile)
    for o in OUTCOMES:
        assert float(oa[o]) == pytest.approx(float(ob[o]), abs=1e-12)


def test_certificate_rejects_a_wrong_closed_form():
    """The certificate is independent evidence: perturbed strategies fail it."""
    params = dl.Params(pi=0.3, T=np.arange(1, 6))
    cf = dl._closed_form(params.broadcast())
    assert dl._certify(params, cf).all_passed
    for key, eps in (("demand", 1e-3), ("demand", -1e-3), ("accept_strong", 1e-3)):
        wrong = dict(cf)
        wrong[key] = cf[key] + eps
        assert not np.any(dl._certify(params, wrong).passed), key
    wrong = dict(cf)
    wrong["next_offer"] = cf["next_offer"] + 1e-3
    passed = dl._certify(params, wrong).passed
    assert passed[0] and not np.any(passed[1:])  # no counter-offer under an ultimatum


# -- bad input -----------------------------------------------------------------------------------
def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"c_A <= p"):
        dl.Params(p=0.2, c_A=0.3)
    with pytest.raises(ValueError, match=r"c_B_strong <= c_B_weak"):
        dl.Params(c_B_strong=0.3, c_B_weak=0.2)
    with pytest.raises(ValueError, match=r"c_B_weak <= 1 - p"):
        dl.Params(p=0.8, c_B_strong=0.1, c_B_weak=0.3)
    with pytest.raises(ValueError, match=r"T = 2.5 is out of range.*whole number"):
        dl.Params(T=2.5)
    with pytest.raises(ValueError, match="method = 'lcp' is not one of"):
        dl.solve(dl.Params(), method="lcp")
    with pytest.raises(ValueError, match="selection = 'best' is not one of"):
        dl.solve(dl.Params(), method="pbe", selection="best")
    with pytest.raises(ValueError, match="n_offers = 1 must be an integer >= 2"):
        dl.tree(dl.Params(), n_offers=1)
    with pytest.raises(ValueError, match=r"demands = .* must be shares of the issue"):
        dl.tree(dl.Params(), demands=[1.5])
    with pytest.raises(ValueError, match="T must be the same everywhere"):
        dl.tree(dl.Params(T=np.array([1, 2])), collapse=False)
    with pytest.raises(ValueError, match="nodes"):
        dl.tree(dl.Params(T=40), collapse=False)
    with pytest.raises(TypeError, match="params must be deadlines.Params"):
        dl.solve({"p": 0.5})
