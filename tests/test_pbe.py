"""Perfect Bayesian equilibria: known answers, brute force, batching, refinements, screening."""

import json
from fractions import Fraction
from itertools import combinations, product
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from model import catalog
from model.checks import assessment_certificate
from model.solvers import pbe
from model.solvers.pbe import pbe_solve, signalling_structure
from model.tree import Chance, Decision, Game, Terminal

DATA = json.loads((Path(__file__).parent / "data" / "pbe_known.json").read_text())


def num(x):
    return float(Fraction(x))


# -- builders ------------------------------------------------------------------------------------
def signalling_tree(prior, uS, uR, ends):
    """Types t{i} send messages m{j}; R.m{j} answers r{k} unless message j ends the game.

    ``prior`` is ``(T, *batch)``, payoffs ``(T, M, R, *batch)``.
    """
    T, M, R = uS.shape[:3]

    def sender(t):
        acts = {}
        for m in range(M):
            if ends[m]:
                acts[f"m{m}"] = Terminal((uS[t, m, 0], uR[t, m, 0]))
            else:
                acts[f"m{m}"] = Decision(
                    "R",
                    f"R.m{m}",
                    {f"r{r}": Terminal((uS[t, m, r], uR[t, m, r])) for r in range(R)},
                )
        return Decision("S", f"S.t{t}", acts)

    return Game(("S", "R"), Chance({f"t{t}": (prior[t], sender(t)) for t in range(T)}))


@st.composite
def small_games(draw, n_points=None):
    """2-3 types, messages and responses; integer payoffs in [-3, 3] (ties are common)."""
    T, M, R = (draw(st.integers(2, 3)) for _ in range(3))
    ends = [False] + [draw(st.integers(0, 3)) == 0 for _ in range(M - 1)]
    batch = () if n_points is None else (n_points,)
    n = int(np.prod(batch, dtype=int))
    weights = np.array(draw(st.lists(st.integers(1, 4), min_size=T * n, max_size=T * n)))
    prior = weights.reshape((T,) + batch) / weights.reshape((T,) + batch).sum(axis=0)
    size = T * M * R * n
    pay = st.lists(st.integers(-3, 3), min_size=size, max_size=size)
    uS = np.array(draw(pay), dtype=float).reshape((T, M, R) + batch)
    uR = np.array(draw(pay), dtype=float).reshape((T, M, R) + batch)
    return prior, uS, uR, ends


def generic_game(seed):
    """A random game with normal payoffs (no ties, almost surely)."""
    rng = np.random.default_rng(seed)
    T, M, R = rng.integers(2, 4, size=3)
    ends = [False] + list(rng.random(M - 1) < 0.25)
    prior = rng.dirichlet(np.ones(T)) * 0.9 + 0.1 / T
    return prior, rng.normal(size=(T, M, R)), rng.normal(size=(T, M, R)), ends


def label_of(q):
    """The class label a sender strategy ``(T, M)`` should get."""
    if np.any((q > 1e-12) & (q < 1 - 1e-12)):
        return "semi-separating"
    used = len(set(np.argmax(q, axis=1)))
    return "pooling" if used == 1 else "separating" if used == q.shape[0] else "partially pooling"


def brute_force_pure(game, prior, uS, uR, ends, tol):
    """Every pure profile (sender x receiver at every message) that is a PBE with some belief.

    Off-path beliefs come from an LP (one per message and response); all profiles are then
    certified at once by stacking them along a batch axis.
    """
    T, M, R = uS.shape
    witness = {}
    for m, r in product(range(M), range(R)):
        if not ends[m]:
            res = linprog(
                np.zeros(T),
                A_ub=(uR[:, m, :] - uR[:, m, [r]]).T,
                b_ub=np.zeros(R),
                A_eq=np.ones((1, T)),
                b_eq=[1.0],
                bounds=[(0, None)] * T,
                method="highs",
            )
            witness[m, r] = (
                np.maximum(res.x, 0) / np.maximum(res.x, 0).sum() if res.success else None
            )
    rows = []
    answers = [range(1) if ends[m] else range(R) for m in range(M)]
    for s in product(range(M), repeat=T):
        for rho in product(*answers):
            beliefs = {}
            for m in range(M):
                if ends[m]:
                    continue
                w = prior * (np.array(s) == m)
                beliefs[m] = w / w.sum() if w.sum() > 0 else witness[m, rho[m]]
            if all(b is not None for b in beliefs.values()):
                rows.append((s, rho, beliefs))
    profile = {f"S.t{t}": np.eye(M)[[s[t] for s, _, _ in rows]].T for t in range(T)}
    beliefs = {}
    for m in range(M):
        if not ends[m]:
            profile[f"R.m{m}"] = np.eye(R)[[rho[m] for _, rho, _ in rows]].T
            beliefs[f"R.m{m}"] = np.stack([b[m] for _, _, b in rows], axis=1)
    cert = assessment_certificate(game, profile, beliefs, tolerance=tol)
    return [row for row, ok in zip(rows, cert.passed, strict=True) if ok]


def _lp_feasible(A_ub, b_ub, A_eq, b_eq, n):
    res = linprog(
        np.zeros(n),
        A_ub=A_ub if len(A_ub) else None,
        b_ub=b_ub if len(A_ub) else None,
        A_eq=A_eq,
        b_eq=b_eq,
        bounds=[(0, None)] * n,
        method="highs",
    )
    return res.status == 0


def brute_force_pure_senders(prior, uS, uR, ends, tol):
    """The PBE definition for pure senders, checked directly (LPs for off-path messages).

    Returns the set of ``(sender messages, receiver responses at the used messages)``: every
    used message gets a pure best reply to its Bayes posterior; no type gains from another used
    message; and every unused message is deterred by some mix over a set S of responses that
    are all best replies to one belief (face S non-empty), found by two LPs.
    """
    T, M, R = uS.shape
    faces = [S for z in range(1, R + 1) for S in combinations(range(R), z)]
    nonempty = {}
    for m, S in product(range(M), faces):
        if not ends[m]:
            rows = uR[:, m, :].T - uR[:, m, S[0]]  # (R, T)
            eq = np.vstack([rows[list(S[1:])], np.ones((1, T))])
            out = [r for r in range(R) if r not in S]
            nonempty[m, S] = _lp_feasible(
                rows[out], np.full(len(out), tol), eq, np.r_[np.zeros(len(S) - 1), 1.0], T
            )
    found = set()
    for s in product(range(M), repeat=T):
        used = sorted(set(s))
        choices = [range(1) if ends[m] else range(R) for m in used]
        for rho in product(*choices):
            resp = dict(zip(used, rho, strict=True))
            ok = True
            for m in used:
                w = prior * (np.array(s) == m)
                eu = w @ uR[:, m, :] / w.sum()
                ok &= ends[m] or eu[resp[m]] >= eu.max() - tol
            U = np.array([uS[t, s[t], resp[s[t]]] for t in range(T)])
            for m in used:
                ok &= bool(np.all(uS[:, m, resp[m]] <= U + tol))
            for m in sorted(set(range(M)) - set(used)):
                if not ok:
                    break
                if ends[m]:
                    ok &= bool(np.all(uS[:, m, 0] <= U + tol))
                    continue
                ok &= any(
                    nonempty[m, S]
                    and _lp_feasible(uS[:, m, S], U + tol, np.ones((1, len(S))), [1.0], len(S))
                    for S in faces
                )
            if ok:
                found.add((s, rho))
    return found


# -- known answers -------------------------------------------------------------------------------
def _dist(labels, spec):
    return np.array([num(spec.get(a, "0")) for a in labels])


@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in DATA["signalling"]])
def test_known_signalling_equilibria(case):
    game = getattr(catalog, case["catalog"])(**{k: num(v) for k, v in case["args"].items()})
    res = pbe_solve(game)
    assert res.method == "pbe_enumeration" and res.certificate.all_passed and res.converged
    structure = res.structure
    if case["complete"]:
        assert len(res.equilibria) == len(case["equilibria"])
    for want in case["equilibria"]:
        q = np.stack([_dist(structure.messages, want["sender"][t]) for t in structure.types])
        found = [e for e in res.equilibria if np.allclose(e.sender_strategy, q, atol=1e-12)]
        assert len(found) == 1, want
        e = found[0]
        assert e.label == want["label"] == label_of(e.sender_strategy)
        for msg, spec in want["receiver"].items():
            m = structure.messages.index(msg)
            sigma = e.receiver_strategy[m, : len(structure.responses[m])]
            np.testing.assert_allclose(sigma, _dist(structure.responses[m], spec), atol=1e-12)
        np.testing.assert_allclose(
            e.type_payoffs, [num(want["type_payoffs"][t]) for t in structure.types], atol=1e-12
        )
        np.testing.assert_allclose(e.payoffs, [num(v) for v in want["payoffs"]], atol=1e-12)
        for k, v in want.get("outcomes", {}).items():
            assert float(e.outcome_probabilities[k]) == pytest.approx(num(v), abs=1e-12)
        assert set(e.off_path) == set(want["off_path"])
        for msg, spans in want["off_path"].items():
            got = e.off_path[msg].intervals_at()
            np.testing.assert_allclose(got, [(num(lo), num(hi)) for lo, hi in spans], atol=1e-12)
        assert bool(e.intuitive) is want["intuitive"] and bool(e.d1) is want["d1"]
        assert e.intuitive_types() == {k: tuple(v) for k, v in want["eliminated"].items()}
        assert e.certificate.all_passed


def test_beer_quiche_regions_and_refinements_in_detail():
    # Cho and Kreps (1987): pooling on quiche needs mu(weak | beer) >= 1/2 and fails both tests
    res = pbe_solve(catalog.beer_quiche(0.9))
    beer, quiche = res.equilibria
    region = quiche.off_path["beer"]
    assert region.faces == ((0,), (1,), (0, 1)) and region.responses == ("duel", "no_duel")
    assert region.supporting.tolist() == [True, False, True]  # duel, or a mix at mu = 1/2
    np.testing.assert_allclose(region.intervals[[0, 2]], [[0, 0.5], [0.5, 0.5]])
    for mu_strong, inside in [(0.0, True), (0.5, True), (0.5 + 1e-6, False), (0.9, False)]:
        assert bool(region.contains([mu_strong, 1 - mu_strong])) is inside
    # the representative belief lies in the region; the deterrent is a best reply to it and
    # leaves no type better off drinking beer
    mu = quiche.beliefs["R.beer"]
    assert bool(region.contains(mu))
    m = res.structure.messages.index("beer")
    eu = mu @ res.structure.u_receiver[:, m, :2]
    sigma = quiche.receiver_strategy[m, :2]
    assert sigma @ eu >= eu.max() - 1e-12
    assert np.all(res.structure.u_sender[:, m, :2] @ sigma <= quiche.type_payoffs + 1e-12)
    assert quiche.d1_types() == {"beer": ("weak",)}
    assert beer.d1_types() == {"quiche": ("strong",)}
    eq, ub = region.constraints((0,))
    assert eq.shape[0] == 0 and ub.tolist() == [[1.0, -1.0]]  # mu(strong) - mu(weak) <= 0
    with pytest.raises(ValueError, match=r"face = \(2,\) is not one of"):
        region.constraints((2,))


def screening_tree(case, *, nature_first=True):
    par = case["parameters"]
    p, c_A = num(par["p"]), num(par["c_A"])
    prior_low = num(par["prior_low_cost"])
    costs = {k: num(v) for k, v in par["costs"].items()}
    demands = [num(x) for x in par["demands"]]
    prior = {"low_cost": prior_low, "high_cost": 1.0 - prior_low}

    def respond(kind, j, x):
        war = Terminal((p - c_A, 1.0 - p - costs[kind]), label="war")
        ok = Terminal((x, 1.0 - x), label="compliance")
        return Decision("B", f"B.{kind}.{j}", {"accept": ok, "fight": war})

    if nature_first:

        def offer(kind):
            return Decision(
                "A", "A", {par["demands"][j]: respond(kind, j, x) for j, x in enumerate(demands)}
            )

        return Game(("A", "B"), Chance({k: (prior[k], offer(k)) for k in costs}))
    return Game(
        ("A", "B"),
        Decision(
            "A",
            "A",
            {
                par["demands"][j]: Chance({k: (prior[k], respond(k, j, x)) for k in costs})
                for j, x in enumerate(demands)
            },
        ),
    )


@pytest.mark.parametrize("nature_first", [True, False], ids=["nature_first", "offer_first"])
@pytest.mark.parametrize("case", [pytest.param(c, id=c["id"]) for c in DATA["screening"]])
def test_known_screening_equilibria(case, nature_first):
    game = screening_tree(case, nature_first=nature_first)
    res = pbe_solve(game)
    assert res.structure.kind == "screening" and res.structure.informed == "B"
    assert res.certificate.all_passed
    assert [e.offer for e in res.equilibria] == [w["offer"] for w in case["equilibria"]]
    for e, want in zip(res.equilibria, case["equilibria"], strict=True):
        assert e.label == want["label"] and e.support[2] == tuple(want["responses"].values())
        np.testing.assert_allclose(e.payoffs, [num(v) for v in want["payoffs"]], atol=1e-12)
        types = res.structure.types
        np.testing.assert_allclose(
            e.type_payoffs, [num(want["type_payoffs"][t]) for t in types], atol=1e-12
        )
        fought = [t for t, r in want["responses"].items() if r == "fight"]
        prior_low = num(case["parameters"]["prior_low_cost"])
        war = sum(prior_low if t == "low_cost" else 1 - prior_low for t in fought)
        assert float(e.outcome_probabilities["war"]) == pytest.approx(war, abs=1e-12)
        assert bool(e.intuitive) and bool(e.d1) and e.off_path == {}
    assert bool(res.ties["A"]) is (len(case["equilibria"]) > 1)


def test_screening_batched_over_the_prior():
    case = DATA["screening"][0]
    par = dict(case["parameters"], prior_low_cost="1/2")
    game = screening_tree(dict(case, parameters=par))
    lows = np.array([0.5, 0.6, 0.7])
    batched = Game(
        game.players,
        Chance(
            {
                "low_cost": (lows, game.source(game.nodes[0].children[0])),
                "high_cost": (1 - lows, game.source(game.nodes[0].children[1])),
            }
        ),
    )
    res = pbe_solve(batched)
    offers = {e.offer: e.exists.tolist() for e in res.equilibria}
    assert offers == {"3/5": [False, True, True], "9/10": [True, True, False]}
    assert res.ties["A"].tolist() == [False, True, False] and res.count.tolist() == [1, 2, 1]


# -- random games: brute force, labels, certificates ---------------------------------------------
@given(small_games())
def test_every_pure_pbe_is_found_and_every_reported_one_is_certified(data):
    prior, uS, uR, ends = data
    game = signalling_tree(prior, uS, uR, ends)
    res = pbe_solve(game)
    tol = res.parameters["tolerance"] * res.parameters["scale"]
    assert res.certificate.all_passed and bool(res.converged)
    for e in res.equilibria:
        assert e.certificate.all_passed and bool(e.exists)
        assert e.label == label_of(e.sender_strategy)
        assert e.is_pure == (e.label != "semi-separating")
        for region in e.off_path.values():  # the representative belief is in the region
            assert bool(region.contains(e.beliefs[region.infoset]))
    pure = {}
    for e in res.equilibria:
        if e.is_pure:
            s = tuple(int(np.argmax(q)) for q in e.sender_strategy)
            on = tuple(int(np.argmax(e.receiver_strategy[m])) for m in sorted(set(s)))
            pure[s, on] = e
    assert set(pure) == brute_force_pure_senders(prior, uS, uR, ends, tol)
    for s, rho, beliefs in brute_force_pure(game, prior, uS, uR, ends, tol):
        e = pure.get((s, tuple(rho[m] for m in sorted(set(s)))))
        assert e is not None, (s, rho)
        for m, mu in beliefs.items():
            if m not in s:
                assert bool(e.off_path[f"m{m}"].contains(mu)), (s, rho, m)


@settings(max_examples=25)
@given(small_games(n_points=3))
def test_batched_enumeration_equals_per_point_enumeration(data):
    prior, uS, uR, ends = data
    game = signalling_tree(prior, uS, uR, ends)
    res = pbe_solve(game)
    assert res.batch_shape == (3,) and res.certificate.all_passed
    for i in range(3):
        one = pbe_solve(game.point(i))
        here = {e.support: e for e in res.at(i)}
        assert set(here) == {e.support for e in one.equilibria}
        assert res.count[i] == len(one.equilibria)
        for e in one.equilibria:
            b = here[e.support]
            np.testing.assert_allclose(b.sender_strategy, e.sender_strategy, atol=1e-9)
            np.testing.assert_allclose(b.receiver_strategy, e.receiver_strategy, atol=1e-9)
            np.testing.assert_allclose(b.payoffs, e.payoffs, atol=1e-9)
            assert (bool(b.intuitive), bool(b.d1)) == (bool(e.intuitive), bool(e.d1))
            assert b.intuitive_types() == e.intuitive_types() and b.d1_types() == e.d1_types()
            for m, region in e.off_path.items():
                assert b.off_path[m].supporting.tolist() == region.supporting.tolist()


@given(st.integers(0, 2**32 - 1))
def test_generic_games_have_an_equilibrium_and_d1_implies_the_intuitive_criterion(seed):
    prior, uS, uR, ends = generic_game(seed)
    res = pbe_solve(signalling_tree(prior, uS, uR, ends))
    assert len(res.equilibria) >= 1 and res.certificate.all_passed
    for e in res.equilibria:
        assert not (bool(e.d1) and not bool(e.intuitive))
        for m in e.off_path:  # equilibrium-dominated types are D1-eliminated too
            J, E = e.intuitive_eliminated[m], e.d1_eliminated[m]
            assert J.all() or not np.any(J & ~E)


def deterrable(us, ur, U, mu, tol):
    """Direct definition: some mix over the best replies to ``mu`` gives no type more than U."""
    eu = mu @ ur
    best = np.flatnonzero(eu >= eu.max() - tol)
    n = best.size
    if n == 1:
        return bool(np.all(us[:, best[0]] <= U + tol))
    res = linprog(  # minimise z subject to u_t . sigma - U_t <= z
        np.r_[np.zeros(n), 1.0],
        A_ub=np.c_[us[:, best], -np.ones(len(U))],
        b_ub=U,
        A_eq=np.r_[np.ones(n), 0.0][None],
        b_eq=[1.0],
        bounds=[(0, None)] * n + [(None, None)],
        method="highs",
    )
    return res.fun <= tol


@settings(max_examples=30)
@given(st.integers(0, 2**32 - 1))
def test_off_path_region_is_exactly_the_set_of_supporting_beliefs(seed):
    prior, uS, uR, ends = generic_game(seed)
    T = len(prior)
    res = pbe_solve(signalling_tree(prior, uS, uR, ends))
    k = 40 if T == 2 else 12
    grid = np.array([c for c in product(range(k + 1), repeat=T) if sum(c) == k]) / k
    for e in res.equilibria:
        for name, region in e.off_path.items():
            m = int(name[1:])
            inside = region.contains(grid.T)
            for mu, got in zip(grid, inside, strict=True):
                want = deterrable(uS[:, m], uR[:, m], e.type_payoffs, mu, 1e-9)
                assert bool(got) == want, (name, mu)
            # face by face (mixed faces have measure zero on the grid): two independent LPs
            for S, supports in zip(region.faces, region.supporting, strict=True):
                rows = uR[:, m, :].T - uR[:, m, S[0]]
                out = [r for r in range(uR.shape[2]) if r not in S]
                eq = np.vstack([rows[list(S[1:])], np.ones((1, T))])
                face = _lp_feasible(
                    rows[out], np.zeros(len(out)), eq, np.r_[np.zeros(len(S) - 1), 1], T
                )
                deter = _lp_feasible(uS[:, m, S], e.type_payoffs, np.ones((1, len(S))), [1], len(S))
                assert bool(supports) == (face and deter), (name, S)


# -- the crisis signalling game ------------------------------------------------------------------
@given(
    st.floats(0.02, 0.98),  # pi as a fraction of 1/d
    st.floats(1.05, 10.0),
    st.floats(0.05, 10.0),
)
def test_crisis_semi_separating_closed_form(frac, d, a):
    # w_R = 1 > -a > w_U = -a - 1: the resolved type fights, the unresolved one backs down
    pi = frac / d
    res = pbe_solve(catalog.crisis_signalling(pi, d, a, w_unresolved=-a - 1.0))
    (e,) = res.equilibria
    s = res.structure
    assert e.label == "semi-separating" and e.certificate.all_passed
    T, U = s.types.index("resolved"), s.types.index("unresolved")
    threat = s.messages.index("threaten")
    resist = s.responses[threat].index("resist")
    assert e.sender_strategy[T, threat] == pytest.approx(1.0, abs=1e-12)
    assert e.sender_strategy[U, threat] == pytest.approx(pi * (d - 1) / (1 - pi), abs=1e-9)
    assert e.receiver_strategy[threat, resist] == pytest.approx(1 / (1 + a), abs=1e-9)
    out = e.outcome_probabilities  # THEORY.md M5, outcome table
    assert float(out["war"]) == pytest.approx(pi / (1 + a), abs=1e-9)
    assert float(out["backdown"]) == pytest.approx(pi * (d - 1) / (1 + a), abs=1e-9)
    assert float(out["compliance"]) == pytest.approx(pi * d * a / (1 + a), abs=1e-9)
    assert float(out["status_quo"]) == pytest.approx(1 - pi * d, abs=1e-9)


def test_crisis_batched_over_both_regimes():
    rng = np.random.default_rng(2024)
    n = 200
    d = 1.05 + 5 * rng.random(n)
    a = 0.05 + 1.85 * rng.random(n)
    frac = np.where(rng.random(n) < 0.5, 0.02 + 0.96 * rng.random(n), 1.02 + rng.random(n))
    pi = np.minimum(frac / d, 0.98)
    res = pbe_solve(catalog.crisis_signalling(pi, d, a))
    assert res.count.tolist() == [1] * n and res.certificate.all_passed
    semi = {e.label: e for e in res.equilibria}["semi-separating"]
    pool = {e.label: e for e in res.equilibria}["pooling"]
    low = pi < 1 / d
    assert semi.exists.tolist() == low.tolist() and pool.exists.tolist() == (~low).tolist()
    np.testing.assert_allclose(semi.sender_strategy[1, 1, low], (pi * (d - 1) / (1 - pi))[low])
    np.testing.assert_allclose(semi.receiver_strategy[1, 1, low], 1 / (1 + a[low]))
    np.testing.assert_allclose(pool.outcome_probabilities["compliance"][~low], 1.0)
    assert pbe_solve(catalog.crisis_signalling(pi, d, a), point=7).count.tolist() == 1


def test_continuation_ties_are_recorded():
    # w_unresolved = -a: the unresolved challenger is indifferent after resistance
    res = pbe_solve(catalog.crisis_signalling(0.3, 2.0, 1.0, w_unresolved=-1.0))
    assert bool(res.ties["C.unresolved.resisted"]) and not bool(res.ties["C.resolved.resisted"])
    assert res.structure.continuation["C.unresolved.resisted"] == 0  # first action: back down
    assert res.certificate.all_passed


def test_demand_game_collapses_to_tensors():
    game = catalog.crisis_demands(3, 2)
    s = signalling_structure(game)
    assert s.sender == "challenger" and s.receiver == "target"
    assert s.types == ("t1", "t2", "t3") and s.messages == ("demand_1", "demand_2")
    assert s.receiver_infosets == ("T.demand_1", "T.demand_2")
    costs, x = game.annotations["costs"], game.annotations["demands"]
    war = np.maximum(0.5 - costs, -0.1)  # fight or back down, whichever is better
    np.testing.assert_allclose(s.u_sender[:, :, 0], np.broadcast_to(x, (3, 2)))
    np.testing.assert_allclose(s.u_sender[:, :, 1], np.repeat(war[:, None], 2, axis=1))
    res = pbe_solve(game)
    assert res.certificate.all_passed and len(res.equilibria) >= 1


def test_highs_fallback_agrees_with_vertex_enumeration(monkeypatch):
    seed = next(s for s in range(100) if len(generic_game(s)[0]) == 3)  # three types
    game = signalling_tree(*generic_game(seed))
    exact = pbe_solve(game)
    monkeypatch.setattr(pbe, "MAX_VERTEX_SYSTEMS", 0)
    lp = pbe_solve(game)
    assert lp.parameters["highs_problems"] > 0 and lp.certificate.all_passed
    assert [e.support for e in lp.equilibria] == [e.support for e in exact.equilibria]
    for a, b in zip(exact.equilibria, lp.equilibria, strict=True):
        assert (bool(a.intuitive), bool(a.d1)) == (bool(b.intuitive), bool(b.d1))
        for m in a.off_path:
            assert a.off_path[m].supporting.tolist() == b.off_path[m].supporting.tolist()


# -- recognising trees and checking arguments ----------------------------------------------------
def _leaf():
    return Terminal((0.0, 0.0))


def _two_types(s0, s1, prior=0.5):
    return Game(("S", "R"), Chance({"a": (prior, s0), "b": (1 - prior, s1)}))


def _reply(iset="R.x"):
    return Decision("R", iset, {"u": _leaf(), "v": _leaf()})


@pytest.mark.parametrize(
    ("game", "match"),
    [
        (Game(("S", "R"), _leaf()), r"node 'root' is a terminal"),
        (catalog.entry_deterrence(), r"the root is a move of 'entrant'"),
        (
            _two_types(Decision("S", "S.a", {"x": _reply()}), _leaf()),
            r"node 'root/b' \(type 'b'\) is a terminal node",
        ),
        (
            _two_types(
                Decision("S", "S.a", {"x": _reply(), "y": _leaf()}),
                Decision("S", "S.b", {"x": _reply(), "z": _leaf()}),
            ),
            r"information set 'S.b' offers messages \['x', 'z'\] but 'S.a' offers",
        ),
        (
            _two_types(
                Decision("S", "S.a", {"x": _reply(), "y": _reply()}),
                Decision("S", "S.b", {"x": _reply(), "y": _reply()}),
            ),
            r"after message 'x', information set 'R.x' holds nodes .* must hold exactly",
        ),
        (
            _two_types(
                Decision("S", "S.a", {"x": Decision("R", "R", {"u": _reply("N")})}),
                Decision("S", "S.b", {"x": Decision("R", "R", {"u": _reply("N")})}),
            ),
            r"information set 'N' of player 'R' holds 2 nodes .* perfect information",
        ),
        (
            _two_types(Decision("S", "S.a", {"x": _leaf()}), Decision("S", "S.b", {"x": _leaf()})),
            r"no message leads to an information set of another player",
        ),
        (
            _two_types(
                Decision("S", "S.a", {"x": _reply()}), Decision("S", "S.b", {"x": _reply()}), 0.0
            ),
            r"the prior of type 'a' is 0 at batch point \(\); .* positive probability",
        ),
    ],
    ids=[
        "terminal_root",
        "root_is_a_move",
        "type_without_move",
        "different_messages",
        "receiver_set_spans_messages",
        "imperfect_continuation",
        "no_receiver",
        "zero_prior",
    ],
)
def test_trees_that_are_not_signalling_games_are_rejected_by_name(game, match):
    with pytest.raises(ValueError, match=match):
        pbe_solve(game)


def test_arguments_are_checked():
    game = catalog.beer_quiche(np.array([0.8, 0.9]))
    with pytest.raises(TypeError, match="game must be a model.tree.Game"):
        pbe_solve("beer-quiche")
    with pytest.raises(TypeError, match=r"mixed = 'yes' must be True or False"):
        pbe_solve(game, mixed="yes")
    with pytest.raises(ValueError, match=r"tolerance = -1 is out of range"):
        pbe_solve(game, tolerance=-1)
    with pytest.raises(ValueError, match=r"point = 2 does not pick one point"):
        pbe_solve(game, point=2)
    one = pbe_solve(game, point=1)
    assert one.batch_shape == () and one.parameters["point"] == 1
    assert [e.support for e in one.equilibria] == [e.support for e in pbe_solve(game).at(1)]
    assert pbe_solve(game, mixed=False).parameters["support_systems_solved"] == 0
