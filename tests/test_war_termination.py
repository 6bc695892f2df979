"""War termination: known answers, brute force, convergence, costs, generic solvers."""

import itertools
import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from model.games import screening as sc
from model.games import war_termination as wt
from model.solvers.api import solve_game
from model.solvers.pbe import ScreeningStructure, pbe_solve, signalling_structure
from model.types import Outcome

CASES = json.loads((Path(__file__).parent / "data" / "war_termination_known.json").read_text())[
    "cases"
]
CLASSES = ("settlement", "compliance", "backdown", "status_quo")


# -- an independent evaluator of the game, from the primitives ------------------------------------
class Primitives:
    """The game at one parameter point, evaluated by plain recursion over types and battles.

    A *plan* maps every battle history ``(t, k)`` (period, battles won by A) to ``"fight"`` or to
    an offer ``x``; talks are held once, a type accepts ``x`` iff ``1 - x`` is at least its value
    of fighting to the end. :meth:`value` returns, per type, the vector (A's payoff, B's payoff,
    P(settlement), P(compliance), P(backdown), P(status quo), expected battles).
    """

    def __init__(self, params: wt.Params) -> None:
        self.p = {k: float(v) for k, v in params.values().items()}
        self.T = int(params.T)
        self._war: dict[tuple[int, int], np.ndarray] = {}

    def q(self, theta: int) -> float:
        return self.p["q_s"] if theta == 0 else self.p["q_w"]

    def _battle(self, theta: int, win: np.ndarray, loss: np.ndarray) -> np.ndarray:
        """Fight one battle; ``win``/``loss``: the next period's vectors after it is indecisive."""
        p, q = self.p, self.q(theta)
        k, d = p["kappa"], p["delta"]

        def carry(v: np.ndarray) -> np.ndarray:
            return np.array([-p["c_A"] + d * v[0], -p["c_B"] + d * v[1], *v[2:6], 1.0 + v[6]])

        a_wins = np.array([1.0 - p["c_A"], -p["c_B"], 0, 1, 0, 0, 1])
        b_wins = np.array([-p["c_A"], 1.0 - p["c_B"], 0, 0, 1, 0, 1])
        return (
            k * q * a_wins
            + k * (1.0 - q) * b_wins
            + (1.0 - k) * (q * carry(win) + (1.0 - q) * carry(loss))
        )

    def stalemate(self) -> np.ndarray:
        x0 = self.p["status_quo"]
        return np.array([x0, 1.0 - x0, 0, 0, 0, 1, 0])

    def war(self, theta: int, t: int) -> np.ndarray:
        """Fighting to the end from period ``t``."""
        if t > self.T:
            return self.stalemate()
        if (theta, t) not in self._war:
            nxt = self.war(theta, t + 1)
            self._war[theta, t] = self._battle(theta, nxt, nxt)
        return self._war[theta, t]

    def top(self, theta: int, t: int) -> float:
        """The most type ``theta`` accepts at talks in period ``t``."""
        return min(1.0, 1.0 - float(self.war(theta, t)[1]))

    def value(self, plan: dict, theta: int, t: int = 1, k: int = 0) -> np.ndarray:
        if t > self.T:
            return self.stalemate()
        act = plan[(t, k)]
        if act == "fight":
            return self._battle(
                theta, self.value(plan, theta, t + 1, k + 1), self.value(plan, theta, t + 1, k)
            )
        w = self.war(theta, t)
        if 1.0 - act >= w[1] - 1e-12:
            return np.array([act, 1.0 - act, 1, 0, 0, 0, 0])
        return w

    def challenger(self, plan: dict) -> float:
        s = self.p["sigma"]
        return s * self.value(plan, 0)[0] + (1.0 - s) * self.value(plan, 1)[0]

    def histories(self) -> list[tuple[int, int]]:
        return [(t, k) for t in range(1, self.T + 1) for k in range(t)]

    def closed_form_plan(self, params: wt.Params) -> dict:
        pol = wt.policy(params)
        plan = {}
        for t, k in self.histories():
            a = int(pol["action"][t - 1, k])
            plan[(t, k)] = "fight" if a == 2 else float(pol["demand"][t - 1, k])
        return plan


def check_against_primitives(params: wt.Params, sol) -> None:
    """The closed form's plan, evaluated from the primitives, gives the solution's numbers."""
    g = Primitives(params)
    plan = g.closed_form_plan(params)
    s = g.p["sigma"]
    per_type = [g.value(plan, 0), g.value(plan, 1)]
    mix = s * per_type[0] + (1.0 - s) * per_type[1]
    assert float(sol.utilities_planned["challenger"]) == pytest.approx(mix[0], abs=1e-10)
    assert float(sol.utilities_planned["target.strong"]) == pytest.approx(per_type[0][1], abs=1e-10)
    assert float(sol.utilities_planned["target.weak"]) == pytest.approx(per_type[1][1], abs=1e-10)
    for i, cls in enumerate(CLASSES):
        assert float(sol.planned[cls]) == pytest.approx(mix[2 + i], abs=1e-10), cls
    assert float(sol.strategies["war.expected_battles"]) == pytest.approx(mix[6], abs=1e-10)


# -- known answers ---------------------------------------------------------------------------------
def check_case(s, case):
    assert s.certificate.all_passed, s.summary()
    assert bool(np.all(s.converged))
    st_ = s.strategies
    assert float(st_["challenger.fights_first"]) == float(case["fights_first"])
    assert float(st_["challenger.screens_first"]) == float(case["screens_first"])
    if case["first_demand"] is None:
        assert np.isnan(st_["challenger.first_demand"])
    else:
        assert float(st_["challenger.first_demand"]) == pytest.approx(
            case["first_demand"], abs=1e-9
        )
    assert float(s.cutpoints["sigma_star"]) == pytest.approx(case["sigma_star"], abs=1e-9)
    for name, value in case["accepts_up_to"].items():
        assert float(s.cutpoints[f"{name}.accepts_up_to"]) == pytest.approx(value, abs=1e-9)
    for o, value in case["outcomes"].items():
        assert float(s.planned[o]) == pytest.approx(value, abs=1e-9), o
    assert float(s.planned[Outcome.WAR]) == 0.0
    assert float(st_["war.expected_battles"]) == pytest.approx(case["battles"], abs=1e-9)
    assert float(st_["war.talks"]) == pytest.approx(case["talks"], abs=1e-9)
    for who, value in case["utilities"].items():
        assert float(s.utilities_planned[who]) == pytest.approx(value, abs=1e-9), who


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
@pytest.mark.parametrize("method", wt.METHODS)
def test_known_answers(case, method):
    check_case(wt.solve(wt.Params(**case["params"]), method=method), case)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_known_answers_from_the_primitives(case):
    params = wt.Params(**case["params"])
    check_against_primitives(params, wt.solve(params))


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["id"])
def test_known_answers_by_the_sequential_solver_on_the_whole_tree(case):
    """Every period built out; the critical offers shaded by 1e-7 so that types accept them
    strictly (the solver returns one equilibrium and does not break a type's ties for A)."""
    params = wt.Params(**case["params"])
    game = wt.tree(params, horizon=int(params.T), n_offers=3, margin=1e-7)
    (eq,) = solve_game(game, "sequential").equilibria
    assert eq.certificate.all_passed
    outcomes = game.outcome_probabilities(eq.profile)
    for o, value in case["outcomes"].items():
        assert float(outcomes[o]) == pytest.approx(value, abs=1e-6), o
    assert float(eq.payoffs[0]) == pytest.approx(case["utilities"]["challenger"], abs=1e-6)
    assert float(eq.payoffs[1]) == pytest.approx(case["utilities"]["target"], abs=1e-6)


# -- brute force -----------------------------------------------------------------------------------
def best_plan_value(g: Primitives, options: dict) -> float:
    """Largest value of the challenger over every plan (``options[(t, k)]``: its choices)."""
    keys = g.histories()
    return max(
        g.challenger(dict(zip(keys, choice, strict=True)))
        for choice in itertools.product(*(options[h] for h in keys))
    )


@pytest.mark.parametrize("case", [c for c in CASES if c["params"]["T"] == 2], ids=lambda c: c["id"])
def test_every_plan_with_a_grid_of_offers(case):
    """All plans over fighting and 11 offers plus both critical offers at the three histories."""
    params = wt.Params(**case["params"])
    g = Primitives(params)
    options = {
        (t, k): ["fight", *np.linspace(0.0, 1.0, 11), g.top(0, t), g.top(1, t)]
        for t, k in g.histories()
    }
    assert best_plan_value(g, options) == pytest.approx(case["utilities"]["challenger"], abs=1e-12)


def three_options(g: Primitives) -> dict:
    return {(t, k): ["fight", g.top(0, t), g.top(1, t)] for t, k in g.histories()}


def test_every_plan_of_a_three_period_war_with_learning():
    params = wt.Params(T=3, sigma=0.6, q_s=0.1, q_w=0.9, kappa=0.3, c_A=0.02, c_B=0.03, delta=1.0)
    sol = wt.solve(params)
    assert float(sol.strategies["challenger.fights_first"]) == 1.0
    g = Primitives(params)
    best = best_plan_value(g, three_options(g))
    assert float(sol.utilities_planned["challenger"]) == pytest.approx(best, abs=1e-12)
    check_against_primitives(params, sol)


params_st = st.builds(
    dict,
    sigma=st.floats(0.02, 0.98),
    q_s=st.floats(0.01, 0.6),
    gap=st.floats(0.0, 0.38),
    kappa=st.floats(0.02, 1.0),
    c_A=st.floats(1e-3, 0.3),
    c_B=st.floats(1e-3, 0.3),
    delta=st.floats(0.5, 1.0),
    status_quo=st.floats(0.0, 1.0),
    T=st.integers(1, 20),
)


def make(d: dict, **change) -> wt.Params:
    d = {**d, **change}
    gap = d.pop("gap")
    return wt.Params(q_w=d["q_s"] + gap, **d)


@settings(max_examples=40)
@given(d=params_st)
def test_plans_of_short_wars_by_brute_force(d):
    """T = 2: every plan over fighting, pooling and screening; the best is the closed form's."""
    params = make(d, T=2)
    sol = wt.solve(params, n_offers=0)
    g = Primitives(params)
    best = best_plan_value(g, three_options(g))
    assert float(sol.utilities_planned["challenger"]) == pytest.approx(best, abs=1e-12)
    check_against_primitives(params, sol)


@settings(max_examples=40)
@given(d=params_st)
def test_acceptance_thresholds_over_a_grid_of_offers(d):
    """The most each type accepts in period 1, from a fine grid and the primitives."""
    params = make(d)
    sol = wt.solve(params, n_offers=0)
    g = Primitives(params)
    x = np.linspace(0.0, 1.0, 100_001)
    for theta, name in enumerate(wt.TYPES):
        w_b = float(g.war(theta, 1)[1])
        accepted = x[1.0 - x >= w_b]
        top = float(sol.cutpoints[f"{name}.accepts_up_to"])
        assert top == pytest.approx(min(1.0, 1.0 - w_b), abs=1e-12)
        assert accepted.max() == pytest.approx(top, abs=1e-5)


# -- the screening game ----------------------------------------------------------------------------
@settings(max_examples=40)
@given(d=params_st)
def test_one_period_is_the_screening_game(d):
    """T = 1 is screening with p = kappa q + (1 - kappa) delta x0 and
    c_B' = c_B + (1 - kappa)(1 - delta)."""
    assume(d["gap"] > 1e-6)
    params = make(d, T=1)
    k, dl, x0 = params.kappa, params.delta, params.status_quo
    cb = params.c_B + (1.0 - k) * (1.0 - dl)
    assume(cb <= 1.0)
    ref = sc.solve(
        sc.Params(
            sigma=params.sigma,
            p_s=k * params.q_s + (1.0 - k) * dl * x0,
            p_w=k * params.q_w + (1.0 - k) * dl * x0,
            c_A=params.c_A,
            c_B=cb,
        )
    )
    sol = wt.solve(params, n_offers=0)
    for who in ("challenger", "target", "target.strong", "target.weak"):
        assert float(sol.utilities_planned[who]) == pytest.approx(
            float(ref.utilities_planned[who]), abs=1e-12
        )
    assert 1.0 - float(sol.planned["settlement"]) == pytest.approx(float(ref.planned["war"]))
    assert float(sol.strategies["challenger.first_demand"]) == pytest.approx(
        float(ref.strategies["challenger.demand"]), abs=1e-12
    )
    assert float(sol.cutpoints["sigma_star"]) == pytest.approx(
        float(ref.cutpoints["sigma_star"]), abs=1e-9
    )


@settings(max_examples=40)
@given(d=params_st)
def test_talks_are_the_screening_game_with_the_closed_form_war_values(d):
    """Period-1 talks: screening with p = A_t(1) + c_A S_n, c_A' = c_A S_n and
    c_B' = c_B S_n + 1 - kappa S_n - beta^n (module docstring), S_n = sum_{j < T} beta^j."""
    assume(d["gap"] > 1e-6)
    params = make(d)
    k, T = params.kappa, int(params.T)
    beta = (1.0 - k) * params.delta
    s_n = sum(beta**j for j in range(T))
    a = {
        q: (k * q - params.c_A) * s_n + beta**T * params.status_quo
        for q in (params.q_s, params.q_w)
    }
    c_a, c_b = params.c_A * s_n, params.c_B * s_n + 1.0 - k * s_n - beta**T
    assume(0.0 < c_a <= 1.0 and 0.0 < c_b <= 1.0)
    p = {q: a[q] + c_a for q in a}
    assume(all(0.0 <= v <= 1.0 for v in p.values()))
    ref = sc.solve(sc.Params(sigma=0.5, p_s=p[params.q_s], p_w=p[params.q_w], c_A=c_a, c_B=c_b))
    sol = wt.solve(params, n_offers=0)
    for key in ("strong.accepts_up_to", "weak.accepts_up_to"):
        top = min(1.0, float(ref.cutpoints[key]))  # screening reports p + c_B uncapped
        assert float(sol.cutpoints[key]) == pytest.approx(top, abs=1e-12), key
    assert float(sol.cutpoints["sigma_star"]) == pytest.approx(
        float(ref.cutpoints["sigma_star"]), abs=1e-9
    )


# -- convergence, rising offers, the strong type's value, costs ----------------------------------
@settings(max_examples=40)
@given(d=params_st)
def test_uninformative_battles_mean_talks_at_once(d):
    """Slantchev's convergence: with q_s = q_w fighting teaches nothing and A never fights."""
    params = make(d, gap=0.0)
    sol = wt.solve(params, n_offers=0)
    assert float(sol.strategies["challenger.fights_first"]) == 0.0
    assert float(sol.planned["settlement"]) == pytest.approx(1.0, abs=1e-12)
    assert float(sol.strategies["war.expected_battles"]) == pytest.approx(0.0, abs=1e-12)
    actions = wt.policy(params)["action"]
    assert not np.any(actions == 2)


@settings(max_examples=40)
@given(d=params_st)
def test_near_certain_beliefs_mean_talks_with_the_complete_information_offer(d):
    """As the belief tends to 0 (1), A talks at once and asks what the weak (strong) type would
    concede under complete information."""
    weak = wt.solve(make(d, sigma=1e-9), n_offers=0)
    assert float(weak.strategies["challenger.fights_first"]) == 0.0
    assert float(weak.strategies["challenger.first_demand"]) == pytest.approx(
        float(weak.cutpoints["weak.accepts_up_to"]), abs=1e-12
    )
    strong = wt.solve(make(d, sigma=1.0 - 1e-9), n_offers=0)
    assert float(strong.strategies["challenger.fights_first"]) == 0.0
    assert float(strong.strategies["challenger.screens_first"]) == 0.0
    assert float(strong.strategies["challenger.first_demand"]) == pytest.approx(
        float(strong.cutpoints["strong.accepts_up_to"]), abs=1e-12
    )


@settings(max_examples=40)
@given(d=params_st)
def test_offers_rise_after_lost_battles(d):
    """At a given period, talks after fewer won battles never demand more (screening is a
    threshold in the belief), and every demand is one of the two critical offers."""
    pol = wt.policy(make(d))
    demand, action = pol["demand"], pol["action"]
    for t in range(demand.shape[0]):
        talks = (action[t, : t + 1] == 0) | (action[t, : t + 1] == 1)
        x = demand[t, : t + 1][talks]
        assert np.all(np.diff(x) >= -1e-12), x


def war_values(params: wt.Params, theta: int) -> list[float]:
    """W_theta(t), t = 1..T, from the closed form of the module docstring."""
    k, T = params.kappa, int(params.T)
    beta = (1.0 - k) * params.delta
    q = params.q_s if theta == 0 else params.q_w
    out = []
    for t in range(1, T + 1):
        n = T - t + 1
        s_n = sum(beta**j for j in range(n))
        out.append((k * (1.0 - q) - params.c_B) * s_n + beta**n * (1.0 - params.status_quo))
    return out


@settings(max_examples=40)
@given(d=params_st)
def test_the_strong_type_gets_its_war_value(d):
    params = make(d)
    w = war_values(params, 0)
    assume(min(w) >= 0.0)  # no demand on the strong type is capped
    sol = wt.solve(params, n_offers=0)
    assert float(sol.utilities_planned["target.strong"]) == pytest.approx(w[0], abs=1e-12)


@settings(max_examples=40)
@given(d=params_st, more=st.floats(1e-3, 0.5))
def test_higher_costs_never_lengthen_the_war(d, more):
    """delta = 1: revealed preference over A's plans (module docstring), for c_A always and for
    c_B when no demand on either type is capped."""
    base = make(d, delta=1.0)
    before = float(wt.solve(base, n_offers=0).strategies["war.expected_battles"])
    dearer_a = make(d, delta=1.0, c_A=min(1.0, d["c_A"] + more))
    after = float(wt.solve(dearer_a, n_offers=0).strategies["war.expected_battles"])
    assert after <= before + 1e-9
    dearer_b = make(d, delta=1.0, c_B=min(1.0, d["c_B"] + more))
    assume(min(war_values(dearer_b, 1)) >= 0.0)
    after = float(wt.solve(dearer_b, n_offers=0).strategies["war.expected_battles"])
    assert after <= before + 1e-9


# -- methods, trees, policy ------------------------------------------------------------------------
@settings(max_examples=8)
@given(d=params_st)
def test_generic_stagewise_solver_matches_the_closed_form(d):
    params = make(d, T=min(d["T"], 8))
    a, b = wt.solve(params, n_offers=2), wt.solve(params, method="pbe", n_offers=2)
    assert b.certificate.all_passed and bool(np.all(b.converged))
    ca, cb = a.columns(), b.columns()
    for key, value in ca.items():
        np.testing.assert_allclose(cb[key], value, atol=1e-9, err_msg=key)


def test_the_first_period_tree_is_a_screening_game_solved_like_the_closed_form():
    params = wt.Params(sigma=[0.3, 0.5, 0.7], T=[1, 6, 12])
    game = wt.tree(params, n_offers=4)
    assert isinstance(signalling_structure(game), ScreeningStructure)
    res = pbe_solve(game)
    best = np.nanmax(np.stack([e.payoffs[0] for e in res.equilibria]), axis=0)
    np.testing.assert_allclose(best, wt.solve(params).utilities_planned["challenger"], atol=1e-12)


def test_whole_tree_with_learning_by_the_sequential_solver():
    params = wt.Params(T=3, sigma=0.6, q_s=0.1, q_w=0.9, kappa=0.3, c_A=0.02, c_B=0.03, delta=1.0)
    sol = wt.solve(params)
    game = wt.tree(params, horizon=3, n_offers=2, margin=1e-7)
    (eq,) = solve_game(game, "sequential").equilibria
    assert eq.certificate.all_passed
    assert float(eq.profile["challenger"][-1]) == 1.0  # A fights first
    outcomes = game.outcome_probabilities(eq.profile)
    for o in Outcome:
        assert float(outcomes[str(o)]) == pytest.approx(float(sol.planned[o]), abs=1e-6), o
    assert float(eq.payoffs[0]) == pytest.approx(
        float(sol.utilities_planned["challenger"]), abs=1e-6
    )


def test_policy_agrees_with_the_solution():
    params = wt.Params()
    pol, sol = wt.policy(params), wt.solve(params)
    assert pol["reach"][0, 0] == 1.0 and pol["belief"][0, 0] == params.sigma
    talks = (pol["action"] == 0) | (pol["action"] == 1)
    fights = pol["action"] == 2
    assert pol["reach"][talks].sum() == pytest.approx(float(sol.strategies["war.talks"]))
    assert pol["reach"][fights].sum() == pytest.approx(
        float(sol.strategies["war.battles_before_talks"])
    )


def test_informativeness_spreads_the_battle_probabilities():
    params = wt.Params()
    out = wt.informativeness(params, [0.0, 0.2, 0.6])
    ref = wt.solve(wt.Params(q_s=[0.5, 0.4, 0.2], q_w=[0.5, 0.6, 0.8])).columns()
    for key, value in ref.items():
        np.testing.assert_allclose(out[key], value, err_msg=key)
    np.testing.assert_allclose(out["q_w_used"] - out["q_s_used"], [0.0, 0.2, 0.6], atol=1e-12)


# -- bad input -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: wt.Params(q_s=0.6, q_w=0.4),
            ValueError,
            r"q_s = 0.6 and q_w = 0.4: .* q_s <= q_w",
        ),
        (lambda: wt.solve(wt.Params(), method="nope"), ValueError, r"method = 'nope' is not one"),
        (lambda: wt.solve(wt.Params(), n_offers=-1), ValueError, r"n_offers"),
        (lambda: wt.solve({"sigma": 0.5}), TypeError, r"params must be war_termination.Params"),
        (lambda: wt.tree(wt.Params(), horizon=0), ValueError, r"horizon"),
        (
            lambda: wt.tree(wt.Params(T=[2, 3]), horizon=2),
            ValueError,
            r"T must be the same at every point \(found \[2, 3\]\)",
        ),
        (lambda: wt.tree(wt.Params(), margin=1.0), ValueError, r"margin = 1.0 must be"),
        (lambda: wt.tree(wt.Params(), margin=True), ValueError, r"margin = True must be"),
        (lambda: wt.informativeness(wt.Params(), -0.1), ValueError, r"gap = -0.1 is out of range"),
        (lambda: wt.informativeness(wt.Params(), 0.99), ValueError, r"gap = 0.99 is out of range"),
    ],
)
def test_bad_input_is_a_clear_error(call, error, match):
    with pytest.raises(error, match=match):
        call()
