"""The third-party patron model: known answers, brute force, comparative statics, the tree."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from experiments.config import load_config
from figures import patron_tolerance, style
from model.checks import tree_certificate
from model.games import third_party as tp
from model.solvers.backward import backward_induction_solve

CASES = json.loads((Path(__file__).parent / "data" / "third_party_known.json").read_text())["cases"]
PLAYERS = ("challenger", "target", "patron")


def frac(s):
    return float(Fraction(s))


def thresholds(params):
    """The target's thresholds a_0, a_1 from its payoffs: 1 - x >= 1 - p_j x - c_B."""
    a0 = min(1.0, params.c_B / (1.0 - params.p0))
    a1 = min(1.0, params.c_B / (1.0 - params.p1))
    return a0, a1


def simulate(params, demands, n_types=2000):
    """The challenger's expected utility of each demand, from the players' choices.

    Independent of the module: the patron's types are ``n_types`` midpoints of equal-probability
    bins of its uniform tolerance (one type when it is known); the patron intervenes when that
    pays more than staying out, the target accepts when that pays at least as much as resisting
    (given what the patron will do), and the challenger's payoff is averaged over the types.
    """
    v = params.values()
    p0, p1, c_A, c_B = v["p0"], v["p1"], v["c_A"], v["c_B"]
    lo, hi = v["tolerance"] - v["spread"], v["tolerance"] + v["spread"]
    n = 1 if hi == lo else n_types
    theta = lo + (hi - lo) * (np.arange(n) + 0.5) / n
    x = np.asarray(demands, dtype=np.float64)[:, None]
    join = -p1 * x - (p0 - p1) * theta > -p0 * x
    p = np.where(join, p1, p0)
    accept = 1.0 - x >= 1.0 - p * x - c_B - 1e-12
    payoff = np.where(accept, x, p * x - c_A)
    return payoff.mean(axis=1)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_known_answers_closed_form(case):
    s = tp.solve(tp.Params(**case["params"]))
    assert s.certificate.all_passed
    assert float(s.strategies["challenger.demand"]) == pytest.approx(
        frac(case["demand"]), abs=1e-12
    )
    assert int(s.strategies["regime"]) == case["regime"]
    assert float(s.planned["compliance"]) == pytest.approx(frac(case["compliance"]), abs=1e-12)
    for key in ("war_with_intervention", "war_without_intervention"):
        got = float(s.strategies[key.replace("war_", "war.", 1)])
        assert got == pytest.approx(frac(case[key]), abs=1e-12), key
    war = frac(case["war_with_intervention"]) + frac(case["war_without_intervention"])
    assert float(s.planned["war"]) == pytest.approx(war, abs=1e-12)
    for player, value in case["utilities"].items():
        assert float(s.utilities_planned[player]) == pytest.approx(frac(value), abs=1e-12), player


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_known_answers_by_backward_induction(case):
    """The generic solver on the tree: exact when the known demand is on the grid, and within
    TREE_TOLERANCE on the contract tests' grid."""
    params = tp.Params(**case["params"])
    want = [frac(case["utilities"][p]) for p in PLAYERS]
    exact = tp.tree(params, demands=[frac(case["demand"])], n_demands=5, n_support=5)
    res = backward_induction_solve(exact)
    assert res.certificate.all_passed
    demand = exact.annotations["demands"][res.choice["challenger"]]
    assert float(demand) == pytest.approx(frac(case["demand"]), abs=1e-9)
    np.testing.assert_allclose(res.root_values, want, atol=1e-9)
    s = tp.solve(params, method="backward_induction")
    assert s.certificate.all_passed
    for p, w in zip(PLAYERS, want, strict=True):
        assert float(s.utilities_planned[p]) == pytest.approx(w, abs=tp.TREE_TOLERANCE)
    assert float(s.planned["compliance"]) == pytest.approx(
        frac(case["compliance"]), abs=tp.TREE_TOLERANCE
    )


@st.composite
def params_st(draw, known=None):
    p0 = draw(st.floats(0.02, 0.98))
    p1 = p0 * draw(st.floats(0.0, 0.98))
    spread = 0.0 if known else draw(st.one_of(st.just(0.0), st.floats(0.01, 0.5)))
    return tp.Params(
        p0=p0,
        p1=p1,
        c_A=draw(st.floats(0.0, 1.0)),
        c_B=draw(st.floats(0.01, 1.0)),
        tolerance=draw(st.floats(0.0, 1.0)),
        spread=spread,
    )


def coalition_deters(params):
    """p1 - c_A <= a1: the challenger prefers the backed target's concession to all-out war."""
    return params.p1 - params.c_A <= thresholds(params)[1]


@settings(max_examples=25)
@given(params_st())
def test_closed_form_beats_every_demand_on_a_grid(params):
    """Brute force: no demand on a fine grid does better, and the grid gets close."""
    s = tp.solve(params)
    x_star = float(s.strategies["challenger.demand"])
    grid = np.linspace(0.0, 1.0, 1001)
    values = simulate(params, np.append(grid, x_star))
    best = float(s.utilities_planned["challenger"])
    assert values[-1] == pytest.approx(best, abs=2e-3)  # the closed form's own evaluation
    assert values[:-1].max() <= best + 2e-3
    assert values[:-1].max() >= best - 2e-3 - 0.001 * 2.0  # one grid step at slope <= 2
    exact = tp.outcomes_at_demand(params, grid)["eu_challenger"]
    assert exact.max() <= best + 1e-12


@settings(max_examples=25)
@given(params_st())
def test_patron_intervenes_for_sure_only_against_the_all_out_demand(params):
    """Derived here: F(x*) = 1 with x* > a1 implies x* = 1 (below 1, p1 x - c_A still rises)."""
    s = tp.solve(params)
    x = float(s.strategies["challenger.demand"])
    if float(s.strategies["war.with_intervention"]) >= 1.0 - 1e-12:
        assert x == 1.0


@settings(max_examples=25)
@given(params_st(), st.floats(0.0, 1.0))
def test_challenger_gains_from_a_more_tolerant_patron(params, shift):
    """Derived here: the intervention risk F falls pointwise, so the challenger's value rises."""
    more = params.replace(tolerance=params.tolerance + shift * (1.0 - params.tolerance))
    assert (
        float(tp.solve(more).utilities_planned["challenger"])
        >= float(tp.solve(params).utilities_planned["challenger"]) - 1e-12
    )


@settings(max_examples=30)
@given(params_st(), st.floats(0.0, 1.0))
def test_more_tolerant_patron_raises_the_demand_under_coalition_deterrence(params, shift):
    """A more tolerant patron raises the challenger's demand (the brief's comparative static,
    in the spirit of Werner 2000) and, derived here, lowers the target's equilibrium utility,
    whenever the coalition deters an all-out war (counterexample without it:
    all_out_war_against_both in the known answers)."""
    assume(coalition_deters(params))
    more = params.replace(tolerance=params.tolerance + shift * (1.0 - params.tolerance))
    lo, hi = tp.solve(params), tp.solve(more)
    assert (
        float(hi.strategies["challenger.demand"])
        >= float(lo.strategies["challenger.demand"]) - 1e-12
    )
    assert float(hi.utilities_planned["target"]) <= float(lo.utilities_planned["target"]) + 1e-12


@settings(max_examples=30)
@given(params_st(known=True))
def test_certain_intervention_deters_larger_demands(params):
    """Yuen (2009): with certain intervention the target still concedes, to a smaller demand,
    and is at least as well off as without a patron; war is no more likely. Holds whenever the
    coalition deters an all-out war."""
    assume(coalition_deters(params))
    a0, a1 = thresholds(params)
    certain = tp.solve(params.replace(tolerance=0.0))
    none = tp.solve(params.replace(tolerance=1.0))
    assert float(certain.strategies["challenger.demand"]) == pytest.approx(a1, abs=1e-12)
    assert float(certain.planned["compliance"]) == 1.0
    assert float(certain.utilities_planned["target"]) >= float(none.utilities_planned["target"])
    assert float(certain.planned["war"]) <= float(none.planned["war"])
    assert float(none.strategies["challenger.demand"]) in (pytest.approx(a0, abs=1e-12), 1.0)


@settings(max_examples=30)
@given(params_st(known=True))
def test_known_tolerance_demand_is_moderate_or_all_out(params):
    """Werner (2000) with a known tolerance theta: the challenger asks what the backed target
    concedes, moderates its demand (or its war aims) to theta, asks what the target alone
    concedes, or goes all out; only the all-out demand meets the patron in war."""
    a0, a1 = thresholds(params)
    theta = params.tolerance
    s = tp.solve(params)
    x = float(s.strategies["challenger.demand"])
    allowed = [a1, a0, 1.0] + ([theta] if theta > a1 else [])
    assert min(abs(x - c) for c in allowed) <= 1e-12
    if float(s.strategies["war.with_intervention"]) > 0.0:
        assert x == 1.0 and theta < 1.0


def test_moderated_war_aims_keep_the_patron_out():
    """Werner (2000): once the target resists even alone, the challenger attacks with aims the
    patron tolerates; with a known tolerance the patron stays out of the war."""
    theta = np.linspace(0.45, 0.95, 11)  # 0.8 theta - 0.1 > a0 = 0.25 and > p1 - c_A = 0.1
    s = tp.solve(tp.Params(p0=0.8, p1=0.2, c_A=0.1, c_B=0.05, tolerance=theta, spread=0.0))
    np.testing.assert_allclose(s.strategies["challenger.demand"], theta, atol=1e-12)
    np.testing.assert_allclose(s.strategies["war.without_intervention"], 1.0)
    assert np.all(s.strategies["regime"] == 3)
    # a less tolerant patron (0.8 theta - 0.1 < 0.25): the target alone concedes a0 instead
    s = tp.solve(tp.Params(p0=0.8, p1=0.2, c_A=0.1, c_B=0.05, tolerance=0.4, spread=0.0))
    assert float(s.strategies["challenger.demand"]) == pytest.approx(0.25, abs=1e-12)
    assert float(s.planned["compliance"]) == 1.0


@settings(max_examples=5)
@given(params_st())
def test_backward_induction_method_agrees_with_closed_form(params):
    exact = tp.solve(params)
    tree = tp.solve(params, method="backward_induction")
    assert tree.certificate.all_passed
    for p in PLAYERS:
        assert float(tree.utilities_planned[p]) == pytest.approx(
            float(exact.utilities_planned[p]), abs=tp.TREE_TOLERANCE
        )
    for key in ("war.with_intervention", "war.without_intervention"):
        assert float(tree.strategies[key]) == pytest.approx(
            float(exact.strategies[key]), abs=tp.TREE_TOLERANCE
        )


def test_tree_with_midpoint_types_converges_at_rate_one_over_n():
    params = tp.Params()
    want = np.array([float(tp.solve(params).utilities_planned[p]) for p in PLAYERS])
    errors = []
    for n in (4, 16, 64):
        res = backward_induction_solve(tp.tree(params, n_types=n, n_demands=9, n_support=17))
        assert res.certificate.all_passed
        errors.append(float(np.max(np.abs(res.root_values - want))))
    assert errors[-1] < 0.02
    for n, err in zip((4, 16, 64), errors, strict=True):
        assert err <= 1.0 / n, (n, err)


def test_certificate_rejects_a_wrong_demand():
    """The tree certificate is not a formality: a suboptimal demand is caught."""
    params = tp.Params()
    v = params.broadcast()
    o = tp._closed_form(v)
    assert float(tp._certify(v, o)) <= tp.TOLERANCE
    wrong = dict(o, demand=o["a1"])  # the safe demand: worse than the risky optimum 1/2
    assert float(tp._certify(v, wrong)) > 0.02


def test_certificate_on_tree_of_the_target_and_patron_rules():
    """Deviating from the target's or the patron's rule at some node shows as regret."""
    params = tp.Params()
    game = tp.tree(params, demands=[0.5], n_demands=5, n_support=5)
    res = backward_induction_solve(game)
    profile = dict(res.profile)
    assert tree_certificate(game, profile, subgame_perfect=True).all_passed
    name = "target.d0.tolerant"  # facing 1/2 alone (a0 = 3/5) the target should accept
    assert game.infosets[name].actions[int(np.argmax(profile[name]))] == "accept"
    profile[name] = np.array([0.0, 1.0])
    assert not tree_certificate(game, profile, subgame_perfect=True).all_passed


def test_batch_columns_and_regimes():
    tol = np.linspace(0.0, 1.0, 9)
    s = tp.solve(tp.Params(tolerance=tol))
    cols = s.columns()
    assert {"challenger_demand", "war_with_intervention", "war_without_intervention"} <= set(cols)
    assert set(np.unique(s.strategies["regime"])) <= set(tp.REGIMES)
    total = s.planned["compliance"] + s.planned["war"]
    np.testing.assert_allclose(total, 1.0)
    np.testing.assert_allclose(
        s.planned["war"],
        s.strategies["war.with_intervention"] + s.strategies["war.without_intervention"],
    )


def test_bad_input_is_named():
    with pytest.raises(ValueError, match=r"p1 = 0.6 and p0 = 0.5: .* p1 < p0"):
        tp.Params(p0=0.5, p1=0.6)
    with pytest.raises(ValueError, match=r"p1 = 0.5 and p0 = 0.5"):
        tp.Params(p0=np.array([0.7, 0.5]), p1=0.5)
    with pytest.raises(ValueError, match="method = 'pbe' is not one of"):
        tp.solve(tp.Params(), method="pbe")
    with pytest.raises(TypeError, match="params must be third_party.Params"):
        tp.solve({"p0": 0.5})
    with pytest.raises(ValueError, match="n_demands"):
        tp.tree(tp.Params(), n_demands=1)
    with pytest.raises(ValueError, match="n_types"):
        tp.tree(tp.Params(), n_types=0)
    with pytest.raises(ValueError, match=r"demands = .* must lie in \[0, 1\]"):
        tp.tree(tp.Params(), demands=[1.5])
    with pytest.raises(ValueError, match=r"demands has shape"):
        tp.tree(tp.Params(tolerance=np.array([0.2, 0.4])), demands=np.zeros((1, 3)))
    with pytest.raises(ValueError, match=r"demand = .* a demand must lie in \[0, 1\]"):
        tp.outcomes_at_demand(tp.Params(), -0.1)


def test_config_and_figure(tmp_path):
    """The bundled sweep solves and the figure draws from its stored form."""
    config = load_config("third_party_tolerance", smoke=True)
    assert config.model == "third_party" and config.n_rows <= 200
    tau, p0 = (a.ravel() for a in np.meshgrid(np.linspace(0, 1, 21), [0.5, 0.7, 0.9]))
    params = tp.Params(p0=p0, p1=0.1, c_A=0.05, c_B=0.1, tolerance=tau, spread=0.25)
    sol = tp.solve(params)
    cols = {k: np.broadcast_to(v, tau.shape) for k, v in params.values().items()}
    table = pd.DataFrame({**cols, **sol.columns()})
    where = tmp_path / "results" / "third_party_tolerance"
    where.mkdir(parents=True)
    table.assign(row=np.arange(len(table))).to_parquet(where / "part-00000.parquet")
    paths = patron_tolerance.draw(tmp_path / "results", tmp_path / "out")
    assert sorted(p.suffix for p in paths) == [".pdf", ".png"]
    assert all(p.stat().st_size > 1000 for p in paths)
    with pytest.raises(style.ResultsNotFoundError, match="crisis sweep third_party_tolerance"):
        patron_tolerance.draw(tmp_path / "none", tmp_path / "out2")
    table.assign(certified=False).to_parquet(where / "part-00000.parquet")
    with pytest.raises(ValueError, match="failed their certificate"):
        patron_tolerance.draw(tmp_path / "results", tmp_path / "out3")
