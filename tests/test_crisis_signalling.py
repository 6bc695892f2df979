"""The crisis signalling model: known answers, theory's comparative statics, generic solvers."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.games import crisis_signalling as cs
from model.solvers.api import solve_game

CASES = json.loads((Path(__file__).parent / "data" / "crisis_signalling_known.json").read_text())


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["id"])
@pytest.mark.parametrize("method", ["closed_form", "pbe"])
def test_known_answers(case, method):
    s = cs.solve(cs.Params(**case["params"]), method=method)
    assert s.certificate.all_passed
    assert float(s.strategies["unresolved.threaten"]) == pytest.approx(float(Fraction(case["q"])))
    assert float(s.strategies["target.resist"]) == pytest.approx(float(Fraction(case["r"])))
    for o, value in case["outcomes"].items():
        assert float(s.planned[o]) == pytest.approx(value, abs=1e-12), o
    for player, value in case["utilities"].items():
        assert float(s.utilities_planned[player]) == pytest.approx(value, abs=1e-12), player


@pytest.mark.parametrize("method", ["lcp", "sequential", "vertex", "qre"])
def test_other_generic_solvers_reach_the_reference_equilibrium(method):
    case = CASES["cases"][0]
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


def random_params(draw_pi, d, a, w_r, gap):
    return cs.Params(pi=draw_pi, d=d, a=a, w_resolved=w_r, w_unresolved=-a - gap)


params_st = st.builds(
    random_params,
    st.floats(0.01, 0.99),
    st.floats(1.05, 8.0),
    st.floats(0.05, 5.0),
    st.floats(0.05, 5.0),
    st.floats(0.05, 3.0),
)


@settings(max_examples=60)
@given(params_st)
def test_closed_form_equals_every_pbe_selection(params):
    """Away from pi = 1/d the equilibrium is unique, so every selection rule returns it."""
    if abs(params.pi - 1.0 / params.d) < 1e-6:
        return
    ref = cs.solve(params)
    for rule in ("challenger_preferred", "intuitive", "d1", "welfare"):
        got = cs.solve(params, method="pbe", selection=rule)
        assert got.certificate.all_passed
        for o in ref.planned:
            assert float(got.planned[o]) == pytest.approx(float(ref.planned[o]), abs=1e-9)
        for p in ref.utilities_planned:
            assert float(got.utilities_planned[p]) == pytest.approx(
                float(ref.utilities_planned[p]), abs=1e-9
            )


@given(params_st)
def test_success_rate_given_a_threat_depends_on_audience_cost_only(params):
    s = cs.solve(params)
    threat = 1.0 - float(s.planned["status_quo"])
    success = float(s.planned["compliance"]) / threat
    if params.pi < 1.0 / params.d:
        assert success == pytest.approx(params.a / (1.0 + params.a))
        assert threat == pytest.approx(params.pi * params.d)
    else:
        assert success == pytest.approx(1.0)


def test_comparative_statics_in_audience_costs():
    """Higher audience costs raise the success of threats and lower war (pi < 1/d)."""
    a = np.linspace(0.1, 5.0, 50)
    s = cs.solve(cs.Params(pi=0.2, d=3.0, a=a, w_unresolved=-6.0))
    assert np.all(np.diff(s.planned["war"]) < 0)
    assert np.all(np.diff(s.planned["compliance"]) > 0)
    assert s.certificate.all_passed


def test_batched_pbe_equals_points():
    pi = np.array([0.1, 0.3, 0.45, 0.7])
    batch = cs.solve(cs.Params(pi=pi), method="pbe", selection="intuitive")
    for i, x in enumerate(pi):
        one = cs.solve(cs.Params(pi=x), method="pbe", selection="intuitive")
        for o in one.planned:
            assert float(one.planned[o]) == pytest.approx(float(batch.planned[o][i]), abs=1e-12)
    assert batch.method_params == {"selection": "intuitive"}


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="w_unresolved < -a"):
        cs.Params(a=3.0, w_unresolved=-2.0)
    with pytest.raises(ValueError, match="method = 'lcp' is not one of"):
        cs.solve(cs.Params(), method="lcp")
    with pytest.raises(ValueError, match="selection = 'best' is not one of"):
        cs.solve(cs.Params(), method="pbe", selection="best")
