"""The shifting-power model: known answers, Powell's war condition, brute force, generic solver."""

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.checks import tree_certificate
from model.games import shifting_power as sp
from model.solvers.backward import backward_induction_solve

CASES = json.loads((Path(__file__).parent / "data" / "shifting_power_known.json").read_text())


def ratio(text):
    """A number written as "a/b" (either part a decimal) or plain."""
    num, _, den = str(text).partition("/")
    return float(num) / float(den or 1.0)


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["id"])
@pytest.mark.parametrize("method", sp.METHODS)
def test_known_answers(case, method):
    s = sp.solve(sp.Params(**case["params"]), method=method, proposer=case["proposer"])
    assert s.certificate.all_passed
    assert float(s.realised["war"]) == case["war"]
    assert float(s.realised["settlement"]) == 1 - case["war"]
    for who in ("A", "B"):
        assert float(s.strategies[f"{who}.starts_war"]) == float(case["starter"] == who), who
    for name, value in case["shares"].items():
        assert float(s.strategies[name]) == pytest.approx(value, abs=1e-12), name
    assert float(s.cutpoints["war_margin"]) == pytest.approx(case["war_margin"], abs=1e-12)
    crit = ratio(case["critical_shift"])
    assert float(s.cutpoints["critical_shift"]) == pytest.approx(crit, abs=1e-12)
    for player, value in case["utilities"].items():
        assert float(s.utilities_planned[player]) == pytest.approx(value, abs=1e-12), player


# -- brute force: the proposer's best period-0 offer over a fine grid ------------------------------
def brute_force(v, proposer, n_grid=20001):
    """War decision and the proposer's value by searching period-0 offers on a grid.

    Uses only the primitives: war values, the stationary continuation max(m_R, 0) after the shift
    and the responder's acceptance rule (accept iff its value of accepting is at least war).
    """
    d, q = v["delta"], v["rearm_prob"]

    def m(p):
        return (
            1.0 - p - v["c_A"] - (1.0 - d) * v["C_A"],
            p - v["c_B"] - (1.0 - d) * v["C_B"],
        )

    ip, ir = (0, 1) if proposer == "declining" else (1, 0)
    m0, m1 = m(v["p0"]), m(v["p1"])
    cont = q * max(m1[ir], 0.0) + (1 - q) * max(m0[ir], 0.0)
    y = np.linspace(0.0, 1.0, n_grid)  # the responder's share today
    accept = (1 - d) * y + d * cont >= m0[ir]
    peace_p = np.where(accept, (1 - d) * (1 - y) + d * (1 - cont), m0[ip])
    best = peace_p.max()
    war = best < m0[ip] or not accept.any()
    return war, max(best, m0[ip])


point = st.fixed_dictionaries(
    {
        "p0": st.floats(0.0, 1.0),
        "shift": st.floats(0.0, 1.0),
        "delta": st.floats(0.05, 0.995),
        "C_A": st.one_of(st.just(0.0), st.floats(0.0, 5.0)),
        "C_B": st.one_of(st.just(0.0), st.floats(0.0, 5.0)),
        "c_A": st.floats(0.0, 0.4),
        "c_B": st.floats(0.01, 0.4),
        "rearm_prob": st.one_of(st.just(1.0), st.floats(0.0, 1.0)),
    }
)


def make(d):
    d = dict(d)
    shift = d.pop("shift")
    return {**d, "p1": d["p0"] + shift * (1.0 - d["p0"])}


@settings(max_examples=60)
@given(point, st.sampled_from(sp.PROPOSERS))
def test_closed_form_equals_brute_force_over_offers(d, proposer):
    v = make(d)
    s = sp.solve(sp.Params(**v), proposer=proposer)
    if abs(float(s.cutpoints["war_margin"])) < 1e-3:
        return  # the grid's resolution cannot decide within a hair of the threshold
    war, value = brute_force(v, proposer)
    assert float(s.realised["war"]) == float(war)
    who = "A" if proposer == "declining" else "B"
    # the proposer's value: the grid rounds the responder's share up by at most one step
    step = (1.0 - v["delta"]) / 20000
    assert float(s.utilities_planned[who]) == pytest.approx(value, abs=step + 1e-12)
    assert float(s.utilities_planned[who]) >= value - 1e-12


# -- Powell's inequality and the comparative statics it implies -----------------------------------
@given(point)
def test_war_iff_powell_inequality(d):
    """Declining proposer, sure shift: war iff M_A(0) + delta M_B(1) > 1/(1 - delta) (Powell 2006),
    written in Powell's undiscounted totals with lump costs C + c/(1 - delta)."""
    v = {**make(d), "rearm_prob": 1.0}
    delta = v["delta"]
    lump_a = v["C_A"] + v["c_A"] / (1 - delta)
    lump_b = v["C_B"] + v["c_B"] / (1 - delta)
    big_m_a = (1 - v["p0"]) / (1 - delta) - lump_a
    big_m_b = v["p1"] / (1 - delta) - lump_b
    slack = 1 / (1 - delta) - big_m_a - delta * big_m_b
    if abs(slack) < 1e-7:
        return
    s = sp.solve(sp.Params(**v))
    assert float(s.realised["war"]) == float(slack < 0)
    if big_m_b < 0:  # B would not fight after the shift: margin 1 - m_A(p0) > 0 (the kink)
        assert float(s.cutpoints["war_margin"]) >= 0  # zero: p0 = 0 and A's war costs nothing
        return
    assert float(s.cutpoints["war_margin"]) == pytest.approx((1 - delta) * slack, abs=1e-9)
    shift_form = (
        delta * v["p1"]
        - v["p0"]
        - (v["c_A"] + delta * v["c_B"] + (1 - delta) * (v["C_A"] + delta * v["C_B"]))
    )
    assert float(s.cutpoints["war_margin"]) == pytest.approx(-shift_form, abs=1e-9)


@given(point, st.sampled_from(sp.PROPOSERS))
def test_war_iff_shift_exceeds_critical_shift(d, proposer):
    v = make(d)
    s = sp.solve(sp.Params(**v), proposer=proposer)
    gap = (v["p1"] - v["p0"]) - float(s.cutpoints["critical_shift"])
    if abs(gap) < 1e-9 or abs(float(s.cutpoints["war_margin"])) <= 1e-12:
        return  # at the threshold, or within the tie tolerance (resolved toward peace)
    assert float(s.realised["war"]) == float(gap > 0)
    assert float(s.cutpoints["critical_shift"]) >= 0.0
    assert float(s.realised["war"]) == float(float(s.cutpoints["war_margin"]) < 0)


GRID = np.linspace(0.0, 1.0, 41)


@given(point, st.sampled_from(sp.PROPOSERS))
def test_larger_shifts_and_more_mistrust_weakly_raise_war(d, proposer):
    """Powell (2006): large, rapid shifts of power cause war; an agreement that lets B rearm
    with a higher probability is a larger expected shift."""
    v = make(d)
    p1 = v["p0"] + GRID * (1.0 - v["p0"])
    war = sp.solve(sp.Params(**{**v, "p1": p1}), proposer=proposer).realised["war"]
    assert np.all(np.diff(war) >= 0)
    war = sp.solve(sp.Params(**{**v, "rearm_prob": GRID}), proposer=proposer).realised["war"]
    assert np.all(np.diff(war) >= 0)


@given(point, st.sampled_from(sp.PROPOSERS), st.sampled_from(["C_A", "C_B", "c_A", "c_B"]))
def test_higher_costs_weakly_lower_war(d, proposer, cost):
    v = make(d)
    top = 5.0 if cost.isupper() else 1.0
    values = v[cost] + GRID * (top - v[cost])
    war = sp.solve(sp.Params(**{**v, cost: values}), proposer=proposer).realised["war"]
    assert np.all(np.diff(war) <= 0)


@given(
    st.floats(0.0, 1.0),
    st.floats(0.0, 1.0),
    st.floats(0.0, 0.5),
    st.floats(0.001, 0.5),
    st.floats(0.0, 100.0),
)
def test_patient_limit_shift_exceeds_sum_of_per_period_costs(p0, u, c_a, c_b, lump):
    """As delta -> 1 (declining proposer, sure shift): war iff p1 - p0 > c_A + c_B, whatever
    the lump-sum costs."""
    p1 = p0 + u * (1 - p0)
    if abs((p1 - p0) - (c_a + c_b)) < 1e-4:
        return
    s = sp.solve(sp.Params(p0=p0, p1=p1, delta=1 - 1e-8, C_A=lump, C_B=lump, c_A=c_a, c_B=c_b))
    assert float(s.realised["war"]) == float(p1 - p0 > c_a + c_b)


@given(point)
def test_proposer_matters_only_beyond_the_necessary_condition(d):
    """The inequality is necessary for peace under either protocol (war whenever it fails) and
    sufficient when the declining state proposes; the rising proposer fights on a larger set."""
    v = make(d)
    declining = sp.solve(sp.Params(**v))
    rising = sp.solve(sp.Params(**v), proposer="rising")
    assert float(rising.realised["war"]) >= float(declining.realised["war"])
    assert float(rising.cutpoints["critical_shift"]) <= float(declining.cutpoints["critical_shift"])


@given(point, st.sampled_from(sp.PROPOSERS))
def test_values_respect_war_values_and_add_up(d, proposer):
    v = make(d)
    s = sp.solve(sp.Params(**v), proposer=proposer)
    m_a = 1 - v["p0"] - v["c_A"] - (1 - v["delta"]) * v["C_A"]
    m_b = v["p0"] - v["c_B"] - (1 - v["delta"]) * v["C_B"]
    u_a, u_b = float(s.utilities_planned["A"]), float(s.utilities_planned["B"])
    assert u_a >= m_a - 1e-12 and u_b >= m_b - 1e-12
    total = 1.0 if float(s.realised["war"]) == 0 else m_a + m_b
    assert u_a + u_b == pytest.approx(total, abs=1e-12)
    assert float(s.strategies["B.starts_war"]) == 0.0  # the rising state never starts a war
    assert float(s.strategies["A.starts_war"]) == float(s.realised["war"])


# -- the tree and the generic solver ------------------------------------------------------------
def random_batch(rng, n):
    p0 = rng.uniform(0, 1, n)
    return sp.Params(
        p0=p0,
        p1=p0 + rng.uniform(0, 1, n) * (1 - p0),
        delta=rng.uniform(0.05, 0.99, n),
        C_A=rng.uniform(0, 3, n),
        C_B=rng.uniform(0, 3, n),
        c_A=rng.uniform(0, 0.2, n),
        c_B=rng.uniform(0.01, 0.2, n),
        rearm_prob=rng.uniform(0, 1, n),
    )


@pytest.mark.parametrize("proposer", sp.PROPOSERS)
def test_backward_induction_on_the_tree_reproduces_the_closed_form(proposer):
    params = random_batch(np.random.default_rng(7), 64)
    cf = sp.solve(params, proposer=proposer).columns()
    bi = sp.solve(params, proposer=proposer, method="backward_induction", n_offers=6).columns()
    for key in cf:
        if key != "max_regret":
            np.testing.assert_allclose(bi[key], cf[key], atol=1e-12, err_msg=key)


@pytest.mark.parametrize("proposer", sp.PROPOSERS)
def test_pure_grid_tree_converges_to_the_closed_form(proposer):
    """Without the equilibrium offers, the tree's optimum is within two grid steps of a period's
    flow of the closed form, and war or peace agrees away from the threshold."""
    params = random_batch(np.random.default_rng(11), 16)
    n = 41
    game = sp.tree(params, n_offers=n, proposer=proposer, exact_offers=False)
    res = backward_induction_solve(game)
    assert res.certificate.all_passed
    sol = sp.solve(params, proposer=proposer)
    step = 2.0 * (1.0 - params.delta) / (n - 1)
    for i, who in enumerate(game.players):
        np.testing.assert_array_less(np.abs(res.root_values[i] - sol.utilities_planned[who]), step)
    far = np.abs(sol.cutpoints["war_margin"]) > step
    war = game.outcome_probabilities(res.profile)["war"]
    np.testing.assert_array_equal(war[far], sol.realised["war"][far])


def test_certificate_rejects_wrong_answers():
    """Tree certificate of deliberately wrong profiles: keeping the peace in a preventive-war
    case, and a post-shift offer that is not the stationary one."""
    v = sp.Params(C_A=1.0, C_B=1.0).broadcast()  # war (lump_costs_war)
    cf = sp._closed_form(v, "declining")
    game = sp._build(v, n_offers=3, proposer="declining", exact_offers=True, cf=cf)
    good = sp._profile(game, v, cf)
    assert tree_certificate(game, good, subgame_perfect=True).all_passed
    peace = dict(good, **{"A.t0": game.pure_profile({**_first(game), "A.t0": "exact"})["A.t0"]})
    assert not tree_certificate(game, peace, subgame_perfect=True).all_passed
    v = sp.Params(C_A=1.5, C_B=1.5).broadcast()  # peace (lump_costs_peace)
    cf = sp._closed_form(v, "declining")
    game = sp._build(v, n_offers=3, proposer="declining", exact_offers=True, cf=cf)
    good = sp._profile(game, v, cf)
    bad = dict(good)
    bad["A.t1.exact.rearm"] = game.pure_profile({**_first(game), "A.t1.exact.rearm": "o2"})[
        "A.t1.exact.rearm"
    ]
    cert = tree_certificate(game, bad, subgame_perfect=True)
    assert not cert.all_passed and float(cert.max_regret) > 1e-3


def _first(game):
    return {name: 0 for name in game.infosets}


def test_tree_shape_and_labels():
    game = sp.tree(sp.Params(), n_offers=4)
    k = 5  # four grid offers and the equilibrium offer
    assert len(game.nodes) == 2 + k * (3 + 2 * (2 + 3 * k))
    assert game.is_perfect_information
    assert game.infosets["A.t0"].actions == ("o0", "o1", "o2", "o3", "exact", "attack")
    assert game.infosets["B.t0.o1"].actions == ("accept", "fight")
    labels = {game.nodes[t].label for t in game.terminals}
    assert labels == {"settlement", "war"}
    rising = sp.tree(sp.Params(), n_offers=2, proposer="rising")
    assert rising.infosets["B.t0"].player == "B" and rising.infosets["A.t0.o0"].player == "A"


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"p0 = 0.5 and p1 = 0.4: .*p1 >= p0"):
        sp.Params(p0=0.5, p1=0.4)
    with pytest.raises(ValueError, match="C_A \\+ C_B \\+ c_A \\+ c_B > 0"):
        sp.Params(C_A=0.0, C_B=0.0)
    with pytest.raises(ValueError, match="method = 'lcp' is not one of"):
        sp.solve(sp.Params(), method="lcp")
    with pytest.raises(ValueError, match="proposer = 'both' is not one of"):
        sp.solve(sp.Params(), proposer="both")
    with pytest.raises(ValueError, match="n_offers = 1 is out of range"):
        sp.tree(sp.Params(), n_offers=1)
    with pytest.raises(TypeError, match="n_offers = 2.5 must be an integer"):
        sp.solve(sp.Params(), method="backward_induction", n_offers=2.5)
    with pytest.raises(TypeError, match="exact_offers"):
        sp.tree(sp.Params(), exact_offers="yes")
    with pytest.raises(TypeError, match="params must be shifting_power.Params"):
        sp.tree({"p0": 0.3})
