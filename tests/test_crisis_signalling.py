"""The crisis signalling model: known answers, theory's comparative statics, generic solvers.

Audience costs ``a`` (tying hands) and sunk costs ``m`` (sinking costs) as in Fearon (1994,
1997); the closed forms are derived in the module docstring of
:mod:`model.games.crisis_signalling`.
"""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import catalog
from model.games import crisis_signalling as cs
from model.solvers.api import solve_game
from model.solvers.pbe import pbe_solve

CASES = json.loads((Path(__file__).parent / "data" / "crisis_signalling_known.json").read_text())
BY_ID = {c["id"]: c for c in CASES["cases"]}


def frac(x: str) -> float:
    return float(Fraction(x))


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["id"])
@pytest.mark.parametrize("method", ["closed_form", "pbe"])
def test_known_answers(case, method):
    params = cs.Params(**case["params"])
    s = cs.solve(params, method=method)
    assert s.certificate.all_passed
    assert cs.regime(params).item() == case["regime"]
    assert float(s.strategies["resolved.threaten"]) == pytest.approx(frac(case["q_resolved"]))
    assert float(s.strategies["unresolved.threaten"]) == pytest.approx(frac(case["q"]))
    if method == "closed_form" or case["regime"] != "no threat":  # off the path r is a choice
        assert float(s.strategies["target.resist"]) == pytest.approx(frac(case["r"]))
    for o, value in case["outcomes"].items():
        assert float(s.planned[o]) == pytest.approx(value, abs=1e-12), o
    for player, value in case["utilities"].items():
        assert float(s.utilities_planned[player]) == pytest.approx(value, abs=1e-12), player


@pytest.mark.parametrize("case_id", ["semi_separating_reference", "sunk_cost_only"])
@pytest.mark.parametrize("method", ["lcp", "sequential", "vertex", "qre"])
def test_other_generic_solvers_reach_the_reference_equilibrium(method, case_id):
    case = BY_ID[case_id]
    params = cs.Params(**case["params"])
    out = solve_game(cs.tree(params), method)
    assert all(eq.certificate.all_passed for eq in out.equilibria)
    tol = 1e-2 if method == "qre" else 1e-9  # the QRE limit is approached at finite lambda

    def matches(eq):
        outcomes = cs.tree(params).outcome_probabilities(eq.profile)
        return all(abs(float(outcomes[o]) - v) <= tol for o, v in case["outcomes"].items())

    if method == "vertex":
        # Nash equilibria of the normal form include non-credible ones (both types threaten
        # and the target concedes, kept in line by off-path play after resistance); the
        # sequential one is among them
        assert len(out.equilibria) > 1 and any(matches(eq) for eq in out.equilibria)
    else:
        (eq,) = out.equilibria
        assert matches(eq)


def random_params(draw_pi, d, a, w_gap, gap, m, tying):
    """A valid point: ``w_resolved > m``, ``w_unresolved < -a`` and ``a + m > 0``."""
    a = a if tying else 0.0
    if a + m == 0.0:
        m = 0.5
    return cs.Params(pi=draw_pi, d=d, a=a, m=m, w_resolved=m + w_gap, w_unresolved=-a - gap)


params_st = st.builds(
    random_params,
    st.floats(0.01, 0.99),
    st.floats(1.05, 8.0),
    st.floats(0.05, 5.0),
    st.floats(0.05, 5.0),
    st.floats(0.05, 3.0),
    st.one_of(st.just(0.0), st.floats(0.01, 1.6)),
    st.booleans(),
)


def off_knife_edge(params):
    return abs(params.pi - 1.0 / params.d) > 1e-6 and abs(params.m - 1.0) > 1e-6


@settings(max_examples=60)
@given(params_st)
def test_closed_form_equals_every_pbe_selection(params):
    """Away from pi = 1/d and m = 1 the equilibrium outcome is unique (given w_resolved > m),
    so every selection rule returns it."""
    if not off_knife_edge(params):
        return
    ref = cs.solve(params)
    for rule in ("challenger_preferred", "target_preferred", "intuitive", "d1", "welfare"):
        got = cs.solve(params, method="pbe", selection=rule)
        assert got.certificate.all_passed
        for o in ref.planned:
            assert float(got.planned[o]) == pytest.approx(float(ref.planned[o]), abs=1e-9)
        for p in ref.utilities_planned:
            assert float(got.utilities_planned[p]) == pytest.approx(
                float(ref.utilities_planned[p]), abs=1e-9
            )


@given(params_st)
def test_success_rate_given_a_threat_is_one_minus_resistance(params):
    """Success | threat = 1 - r* = (a + m)/(1 + a) below pi = 1/d, whatever pi and d."""
    s = cs.solve(params)
    threat = 1.0 - float(s.planned["status_quo"])
    r = float(s.strategies["target.resist"])
    if params.m >= 1.0:
        assert threat == 0.0
        return
    success = float(s.planned["compliance"]) / threat
    assert success == pytest.approx(1.0 - r)
    if params.pi < 1.0 / params.d:
        assert r == pytest.approx((1.0 - params.m) / (1.0 + params.a))
        assert success == pytest.approx((params.a + params.m) / (1.0 + params.a))
        assert threat == pytest.approx(params.pi * params.d)
        assert float(s.planned["war"]) / threat == pytest.approx(r / params.d)
    else:
        assert success == pytest.approx(1.0)


@given(params_st, st.floats(0.01, 2.0), st.floats(0.01, 0.5))
def test_resistance_falls_with_audience_and_sunk_costs(params, da, dm):
    """r* = (1 - m)/(1 + a) falls in a and in m; so does war; the unresolved type keeps 0."""
    if not (params.pi < 1.0 / params.d and params.m + dm < 1.0):
        return
    base = cs.solve(params)
    more_a = cs.solve(params.replace(a=params.a + da, w_unresolved=params.w_unresolved - da))
    more_m = cs.solve(params.replace(m=params.m + dm, w_resolved=params.w_resolved + dm))
    for other in (more_a, more_m):
        assert float(other.strategies["target.resist"]) < float(base.strategies["target.resist"])
        assert float(other.planned["war"]) < float(base.planned["war"])
        assert float(other.planned["compliance"]) > float(base.planned["compliance"])
        assert float(other.utilities_planned["challenger.unresolved"]) == pytest.approx(0.0)
    # bluffing does not depend on the cost of the signal
    q = float(base.strategies["unresolved.threaten"])
    assert float(more_a.strategies["unresolved.threaten"]) == pytest.approx(q)
    assert float(more_m.strategies["unresolved.threaten"]) == pytest.approx(q)


def test_comparative_statics_in_audience_costs():
    """Higher audience costs raise the success of threats and lower war (pi < 1/d)."""
    a = np.linspace(0.1, 5.0, 50)
    s = cs.solve(cs.Params(pi=0.2, d=3.0, a=a, w_unresolved=-6.0))
    assert np.all(np.diff(s.planned["war"]) < 0)
    assert np.all(np.diff(s.planned["compliance"]) > 0)
    assert s.certificate.all_passed


def test_sunk_costs_of_one_or_more_stop_every_bluff():
    """m >= 1: the unresolved type never threatens (no bluffing); above 1 nobody threatens,
    since a conceded threat is worth 1 - m < 0 to the resolved type too."""
    m = np.array([1.0, 1.2, 2.0, 5.0])
    params = cs.Params(pi=0.3, d=2.0, a=0.5, m=m, w_resolved=m + 1.0, w_unresolved=-3.0)
    for method in ("closed_form", "pbe"):
        s = cs.solve(params, method=method)
        assert s.certificate.all_passed
        np.testing.assert_array_equal(s.strategies["unresolved.threaten"], 0.0)
        np.testing.assert_allclose(s.planned["status_quo"], 1.0)
    # every perfect Bayesian equilibrium above m = 1 is threat-free
    res = pbe_solve(cs.tree(params.point(2)))
    assert res.equilibria
    for eq in res.equilibria:
        assert float(eq.outcome_probabilities["status_quo"]) == pytest.approx(1.0)


@pytest.mark.parametrize("pi", [0.3, 0.6])
def test_separating_equilibrium_only_on_the_knife_edge_m_equal_one(pi):
    """At m = 1 the enumeration holds a fully separating equilibrium (the resolved type
    threatens, the unresolved does not, the target concedes) and every equilibrium gives both
    types 0; just below or above m = 1 there is no separating equilibrium."""
    labels = {}
    for m in (0.9, 1.0, 1.1):
        game = catalog.crisis_signalling(pi, 2.0, 1.0, 2.0, -3.0, m=m)
        res = pbe_solve(game)
        labels[m] = {eq.label for eq in res.equilibria}
        if m == 1.0:
            for eq in res.equilibria:
                np.testing.assert_allclose(np.asarray(eq.type_payoffs, float), 0.0, atol=1e-12)
            (sep,) = [eq for eq in res.equilibria if eq.label == "separating"]
            assert float(sep.profile["C.resolved"][1]) == 1.0
            assert float(sep.profile["C.unresolved"][1]) == 0.0
            assert float(sep.outcome_probabilities["compliance"]) == pytest.approx(pi)
    assert "separating" in labels[1.0]
    assert "separating" not in labels[0.9] | labels[1.1]
    # the closed form reports the limit from above: no threat
    s = cs.solve(cs.Params(pi=pi, d=2.0, a=1.0, m=1.0, w_resolved=2.0, w_unresolved=-3.0))
    assert float(s.planned["status_quo"]) == 1.0 and s.certificate.all_passed


def test_weak_resolved_type_admits_a_second_equilibrium_hence_the_check():
    """With w_resolved <= m < 1 nobody threatening is also an equilibrium (the target would take
    a threat for a bluff): the reason Params requires w_resolved > m."""
    game = catalog.crisis_signalling(0.3, 2.0, 1.0, 0.4, -3.0, m=0.5)
    eqs = pbe_solve(game).equilibria
    outcomes = [float(eq.outcome_probabilities["status_quo"]) for eq in eqs]
    assert sorted(outcomes) == pytest.approx([1.0 - 0.3 * 2.0, 1.0])
    (quiet,) = [eq for eq, o in zip(eqs, outcomes, strict=True) if o == pytest.approx(1.0)]
    assert bool(quiet.intuitive) and not bool(quiet.d1)  # D1 rules it out, the Intuitive not
    ok = pbe_solve(catalog.crisis_signalling(0.3, 2.0, 1.0, 0.6, -3.0, m=0.5)).equilibria
    assert [float(eq.outcome_probabilities["status_quo"]) for eq in ok] == pytest.approx([0.4])


@given(
    st.floats(0.01, 0.99),
    st.floats(1.05, 8.0),
    st.floats(0.02, 0.98),
    st.floats(0.05, 3.0),
)
def test_tying_hands_beats_sinking_costs_but_risks_more_war(pi, d, size, w_gap):
    """Fearon (1997): for a signal of the same size s < 1, tying hands (a = s) carries a higher
    ex ante risk of war than sinking costs (m = s) and gives the challenger more on average;
    sinking costs succeed more often given a threat. Strict below pi = 1/d, equal war above."""
    w_r = size + w_gap
    base = cs.Params(pi=pi, d=d, w_resolved=w_r, w_unresolved=-size - 1.0)
    hands = cs.solve(base.replace(a=size, m=0.0))
    costs = cs.solve(base.replace(a=0.0, m=size))
    war_h, war_c = float(hands.planned["war"]), float(costs.planned["war"])
    eu = {
        k: (float(hands.utilities_planned[k]), float(costs.utilities_planned[k]))
        for k in ("challenger", "target", "challenger.resolved", "challenger.unresolved")
    }
    if pi < 1.0 / d:
        assert war_h == pytest.approx(pi / (1.0 + size)) and war_c == pytest.approx(pi * (1 - size))
        assert war_h > war_c
        gain = size * (1.0 + size * w_r) / (1.0 + size)
        assert eu["challenger.resolved"][0] - eu["challenger.resolved"][1] == pytest.approx(gain)
        assert eu["challenger"][0] > eu["challenger"][1]
        assert eu["challenger.unresolved"] == pytest.approx((0.0, 0.0), abs=1e-12)
        assert eu["target"][0] == pytest.approx(eu["target"][1])
        succ_h = float(hands.planned["compliance"]) / (1.0 - float(hands.planned["status_quo"]))
        succ_c = float(costs.planned["compliance"]) / (1.0 - float(costs.planned["status_quo"]))
        assert succ_c == pytest.approx(size) and succ_h == pytest.approx(size / (1.0 + size))
    else:
        assert war_h == war_c == 0.0
        assert eu["challenger"] == pytest.approx((1.0, 1.0 - size))


def test_signal_mix_is_solve_at_the_split_costs():
    params = cs.Params(pi=0.2, d=3.0, w_resolved=2.0, w_unresolved=-5.0)
    size = np.array([0.3, 0.3, 0.3, 1.5])
    share = np.array([0.0, 0.5, 1.0, 1.0])
    out = cs.signal_mix(params, size, share)
    np.testing.assert_allclose(out["audience_cost"], [0.3, 0.15, 0.0, 0.0])
    np.testing.assert_allclose(out["sunk_cost"], [0.0, 0.15, 0.3, 1.5])
    ref = cs.solve(
        params.replace(a=out["audience_cost"], m=out["sunk_cost"], w_resolved=np.full(4, 2.0))
    ).columns()
    for k, v in ref.items():
        np.testing.assert_allclose(out[k], v, err_msg=k)
    np.testing.assert_allclose(out["success_rate"][:3], 1.0 - out["target_resist"][:3])
    assert np.isnan(out["success_rate"][3]) and np.isnan(out["war_given_threat"][3])
    pbe = cs.signal_mix(params, size, share, method="pbe", selection="intuitive")
    np.testing.assert_allclose(pbe["planned_war"], out["planned_war"], atol=1e-12)
    assert pbe["certified"].all()


def regret_on_grid(v, q_r, q, r):
    """Largest gain from a unilateral deviation at every (q_r, q, r) of a grid, computed from the
    game's payoffs alone (target's belief by Bayes' rule; 1 off the path)."""
    pi, d, a, m, w_r = (v[k] for k in ("pi", "d", "a", "m", "w_resolved"))
    value_r = (1.0 - r) * (1.0 - m) + r * (w_r - m)  # the resolved type fights
    value_u = (1.0 - r) * (1.0 - m) + r * (-a - m)  # the unresolved type backs down
    regret_r = np.maximum(value_r, 0.0) - q_r * value_r
    regret_u = np.maximum(value_u, 0.0) - q * value_u
    threat = pi * q_r + (1.0 - pi) * q
    mu = np.where(threat > 0, pi * q_r / np.where(threat > 0, threat, 1.0), 1.0)
    regret_t = np.maximum(-mu * d, -1.0) - ((1.0 - r) * -1.0 + r * -mu * d)
    return np.maximum(np.maximum(regret_r, regret_u), regret_t)


@pytest.mark.parametrize(
    "point",
    [
        {"pi": 0.3, "d": 2.0, "a": 1.0, "m": 0.0, "w_resolved": 1.0},
        {"pi": 0.2, "d": 3.0, "a": 0.0, "m": 0.6, "w_resolved": 0.8},
        {"pi": 0.15, "d": 4.0, "a": 0.7, "m": 0.3, "w_resolved": 2.0},
        {"pi": 0.6, "d": 2.5, "a": 0.0, "m": 0.4, "w_resolved": 1.0},
        {"pi": 0.25, "d": 2.0, "a": 2.0, "m": 1.4, "w_resolved": 3.0},
    ],
)
def test_closed_form_is_the_brute_force_equilibrium_on_a_grid(point):
    """Over a 401 x 401 grid of (q, r) and both pure choices of the resolved type, the profile
    closest to an equilibrium lies within a grid step of the closed form, which has no regret."""
    params = cs.Params(**point, w_unresolved=-point["a"] - 1.0)
    v = {k: float(x) for k, x in params.values().items()}
    grid = np.linspace(0.0, 1.0, 401)
    q_r, q, r = np.meshgrid([0.0, 1.0], grid, grid, indexing="ij")
    regret = regret_on_grid(v, q_r, q, r)
    best = np.unravel_index(np.argmin(regret), regret.shape)
    s = cs.solve(params)
    closed = [float(s.strategies[k]) for k in ("resolved.threaten", "unresolved.threaten")]
    closed.append(float(s.strategies["target.resist"]))
    assert regret_on_grid(v, *(np.array(x) for x in closed)) <= 1e-12
    found = [q_r[best], q[best], r[best]]
    assert found[0] == closed[0]
    np.testing.assert_allclose(found[1:], closed[1:], atol=1.0 / 400)


def test_catalog_tree_subtracts_the_sunk_cost_after_every_threat():
    base = catalog.crisis_signalling(0.3, 2.0, 1.0, 1.5, -2.0)
    sunk = catalog.crisis_signalling(0.3, 2.0, 1.0, 1.5, -2.0, m=0.25)
    labels = [base.nodes[t].label for t in base.terminals]
    shift = np.where(np.array(labels) == "status_quo", 0.0, 0.25)
    np.testing.assert_array_equal(sunk.payoffs[:, 0], base.payoffs[:, 0] - shift)
    np.testing.assert_array_equal(sunk.payoffs[:, 1], base.payoffs[:, 1])
    table = {(lab, tuple(p)) for lab, p in zip(labels, base.payoffs.tolist(), strict=True)}
    assert table == {
        ("status_quo", (0.0, 0.0)),
        ("compliance", (1.0, -1.0)),
        ("war", (1.5, -2.0)),
        ("war", (-2.0, -2.0)),
        ("backdown", (-1.0, 0.0)),
    }
    with pytest.raises(ValueError, match="m = -0.1 is out of range"):
        catalog.crisis_signalling(m=-0.1)


def test_batched_pbe_equals_points():
    pi = np.array([0.1, 0.3, 0.45, 0.7])
    m = np.array([0.0, 0.5, 0.2, 1.3])
    params = cs.Params(pi=pi, m=m, w_resolved=m + 1.0)
    batch = cs.solve(params, method="pbe", selection="intuitive")
    for i in range(len(pi)):
        one = cs.solve(params.point(i), method="pbe", selection="intuitive")
        for o in one.planned:
            assert float(one.planned[o]) == pytest.approx(float(batch.planned[o][i]), abs=1e-12)
    assert batch.method_params == {"selection": "intuitive"}


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="w_unresolved < -a"):
        cs.Params(a=3.0, w_unresolved=-2.0)
    with pytest.raises(ValueError, match=r"w_resolved = 0.5 and m = 0.7: .* w_resolved > m"):
        cs.Params(m=np.array([0.2, 0.7]), w_resolved=0.5)
    with pytest.raises(ValueError, match=r"a = 0 and m = 0: .* a \+ m > 0"):
        cs.Params(a=0.0)
    with pytest.raises(ValueError, match=r"m = -1 is out of range"):
        cs.Params(m=-1.0)
    with pytest.raises(ValueError, match="method = 'lcp' is not one of"):
        cs.solve(cs.Params(), method="lcp")
    with pytest.raises(ValueError, match="selection = 'best' is not one of"):
        cs.solve(cs.Params(), method="pbe", selection="best")
    with pytest.raises(ValueError, match="size = 0.0 is out of range"):
        cs.signal_mix(cs.Params(), 0.0, 1.0)
    with pytest.raises(ValueError, match="sunk_share = 1.5 is out of range"):
        cs.signal_mix(cs.Params(), 0.5, 1.5)
    with pytest.raises(TypeError, match="params must be crisis_signalling.Params"):
        cs.regime({"pi": 0.3})
