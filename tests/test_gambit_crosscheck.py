"""Our equilibrium solvers against pygambit's: its recorded answers, and live where installed.

Recorded answers: tests/data/gambit/pygambit_fixtures.json, pygambit 16.7's answers for the
game files in that folder (recorded by record_fixtures.py there; format in its "about" field).
test_gambit_io.py certifies those answers with our checker; here OUR SOLVERS are compared with
them:

* logit QRE points: ``qre_solve`` (agent form on trees, normal form on strategic games) gives
  pygambit's ``logit_solve_lambda`` profile at the lambda pygambit returned;
* strategic games: our vertex enumeration (nashpy, verified) lists the same extreme equilibria
  as pygambit's ``enummixed_solve``;
* two-player trees: pygambit's sequence-form ``lcp_solve`` equilibrium pays what some equilibrium
  of ours pays (vertex enumeration of the reduced normal form, or ``pbe`` on signalling trees);
  our ``lcp_solve`` equilibrium pays what one of pygambit's extreme equilibria pays; our extreme
  equilibria, as behaviour, are pygambit's (where pygambit defines behaviour); where the
  equilibrium is unique (one-card poker; the perfect Bayesian equilibrium of crisis signalling)
  the profiles agree on the path;
* the end of our agent QRE trace is pygambit's ``logit_solve`` limit on the path.

Live tests (``pytest.importorskip("pygambit")`` inside each test, so the recorded ones run
without it) repeat the comparisons on random bimatrix games and random two-player trees with
chance moves and imperfect information, passed to pygambit through our .efg writer.

Array convention: profiles map information sets (trees) or players (strategic games) to
float64 probability vectors in action / strategy order; payoffs are vectors in player order.

References
----------
.. [1] McKelvey, R. D., McLennan, A. M. and Turocy, T. L. Gambit: Software Tools for Game
   Theory, version 16.7 (pygambit: ``nash.lcp_solve``, ``nash.enummixed_solve``,
   ``nash.logit_solve``, ``qre.logit_solve_lambda``). https://www.gambit-project.org
.. [2] McKelvey, R. D. and Palfrey, T. R. (1995). Quantal response equilibria for normal form
   games. *Games and Economic Behavior* 10: 6-38 (the principal branch is unique in generic
   games only; battle of the sexes below is not generic).
.. [3] Koller, D., Megiddo, N. and von Stengel, B. (1996). Efficient computation of equilibria
   for extensive two-person games. *Games and Economic Behavior* 14: 247-259 (the sequence form
   both ``lcp_solve``s use).
"""

import io
import json
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.checks import tree_certificate
from model.gambit import read_efg, read_nfg, write_efg
from model.solvers.api import solve_game
from model.solvers.normal_form import nashpy_solve
from model.solvers.pbe import signalling_structure
from model.solvers.qre import qre_residual, qre_solve, qre_trace
from model.solvers.sequence_form import lcp_solve
from model.tree import Chance, Decision, Game, Terminal

DATA = Path(__file__).parent / "data" / "gambit"
FIXTURES = json.loads((DATA / "pygambit_fixtures.json").read_text(encoding="utf-8"))
GAMES = FIXTURES["games"]
EXACT = 1e-9  # pygambit's exact (rational) answers, stored as floats

#: Battle of the sexes is symmetric (swap the players and relabel their strategies), so its
#: logit QRE correspondence is not generic: the symmetric branch from the uniform profile meets a
#: pitchfork where ``3 lam x (1 - x) = 1`` on it (x = row's probability of its first strategy;
#: lam ~ 1.3722, x ~ 0.5841). Past it the principal branch is not unique: two asymmetric branches
#: lead to the pure equilibria, the symmetric one to the mixed equilibrium. pygambit's tracer
#: steps onto an asymmetric branch (its limit is the pure equilibrium (1, 1)), ours stays on the
#: symmetric one. Both are QREs; they are not comparable past the pitchfork.
PITCHFORK = "catalog_battle_of_the_sexes"


def entries(form=None, method=None, ids=None):
    return [
        pytest.param(e, id=e["id"])
        for e in GAMES
        if (form is None or e["form"] == form)
        and (method is None or method in e["methods"])
        and (ids is None or e["id"] in ids)
    ]


def load(entry):
    return (read_efg if entry["form"] == "extensive" else read_nfg)(DATA / entry["file"])


def is_signalling(game):
    try:
        signalling_structure(game)
    except ValueError:
        return False
    return True


def recorded_profile(profile):
    """A recorded profile as ``name -> array`` (NaN where pygambit left behaviour undefined)."""
    return {
        k: np.array([np.nan if v is None else v for v in probs.values()], dtype=float)
        for k, probs in profile.items()
    }


def recorded_payoffs(entry, method):
    eqs = entry["methods"][method]["equilibria"]
    return np.array([[e["payoffs"][p] for p in entry["players"]] for e in eqs])


def own_reach(game, profile, name):
    """Probability that the owner of information set ``name`` takes its own moves to it.

    Undefined (NaN) behaviour counts as zero: it lies where this probability is already zero.
    """
    return math.prod(
        float(np.nan_to_num(profile[j][game.infosets[j].actions.index(a)]))
        for j, a in game.infosets[name].sequence
    )


def complete(game, profile):
    """Fill behaviour pygambit left undefined (NaN, or all zeros) with the uniform distribution.

    That is allowed only where the owner's own moves never lead (any choice is payoff-equivalent
    there); everywhere else the probabilities must sum to one as they are.
    """
    out = {}
    for name, iset in game.infosets.items():
        p = np.asarray(profile[name], dtype=float)
        if not abs(np.sum(p) - 1.0) <= EXACT:
            assert own_reach(game, profile, name) == 0.0, (name, profile[name])
            p = np.full(len(iset.actions), 1.0 / len(iset.actions))
        out[name] = p
    return out


def defined_part(game, profile):
    """Behaviour where the owner's own moves reach the information set, None elsewhere."""
    return {
        name: None if own_reach(game, profile, name) == 0.0 else np.asarray(profile[name])
        for name in game.infosets
    }


def same_defined(a, b, tol):
    return all(
        (a[k] is None) == (b[k] is None) and (a[k] is None or np.max(np.abs(a[k] - b[k])) <= tol)
        for k in a
    )


def on_path(game, profile, threshold=0.0):
    """Information sets the profile reaches with probability above ``threshold``."""
    reach = game.reach_probabilities(profile)
    return [k for k, i in game.infosets.items() if reach[list(i.nodes)].sum() > threshold]


def rows_match(ours, theirs, tol):
    """Every row of ``theirs`` is within ``tol`` of some row of ``ours`` (max norm)."""
    ours, theirs = np.atleast_2d(ours), np.atleast_2d(theirs)
    return all(np.any(np.max(np.abs(ours - row), axis=1) <= tol) for row in theirs)


def pairing(ours, theirs, same):
    """Pair every item of ``theirs`` with its own item of ``ours`` by ``same(o, t)``.

    Returns the index into ``ours`` of each item of ``theirs``, or None if the lists do not pair
    up one to one.
    """
    free, out = list(range(len(ours))), []
    for t in theirs:
        hit = next((i for i in free if same(ours[i], t)), None)
        if hit is None:
            return None
        free.remove(hit)
        out.append(hit)
    return None if free else out


def close(tol):
    return lambda a, b: float(np.max(np.abs(a - b))) <= tol


# -- recorded: logit QRE at given precisions -----------------------------------------------------
def qre_cases():
    return [
        pytest.param(e, k, id=f"{e['id']}-lam{p['lambda_requested']:g}")
        for e in GAMES
        for k, p in enumerate(e["methods"]["qre"]["points"])
    ]


def symmetric_branch_explains(game, ours, theirs, lam):
    """Check the pitchfork account of battle of the sexes (see PITCHFORK) at one point."""
    payoffs = tuple(game.payoffs)
    x = float(ours[0][0])
    assert np.allclose(ours[0], ours[1][::-1], atol=1e-9)  # ours: on the symmetric branch
    assert 3.0 * lam * x * (1.0 - x) > 1.0  # ... and past the pitchfork on it
    assert float(qre_residual(payoffs, theirs, lam, form="normal")) < 1e-9  # theirs: a QRE
    assert not np.allclose(theirs[0], theirs[1][::-1], atol=1e-3)  # ... off the symmetric one


@pytest.mark.parametrize(("entry", "index"), qre_cases())
def test_qre_matches_pygambit_at_its_lambda(entry, index):
    point = entry["methods"]["qre"]["points"][index]
    lam = point["lambda"]
    game = load(entry)
    theirs = recorded_profile(point["profile"])
    if entry["form"] == "extensive":
        res = qre_solve(game, lam, form="agent")
        ours = res.profile
    else:
        res = qre_solve(tuple(game.payoffs), lam, form="normal")
        ours = dict(zip(game.players, res.profile, strict=True))
    assert bool(res.converged)
    gap = max(float(np.max(np.abs(ours[k] - theirs[k]))) for k in theirs)
    if entry["id"] == PITCHFORK and gap > 1e-6:
        symmetric_branch_explains(game, res.profile, tuple(theirs.values()), lam)
        pytest.skip(
            f"battle of the sexes at lam={lam:g}: past the pitchfork of its symmetric branch "
            f"(lam ~ 1.372) pygambit follows an asymmetric branch and we the symmetric one; "
            f"both are QREs (profiles differ by {gap:.3f})"
        )
    assert gap < 1e-6, (ours, theirs)


# -- recorded: all extreme equilibria of strategic games ----------------------------------------
@pytest.mark.parametrize("entry", entries("strategic", "enummixed"))
def test_vertex_enumeration_is_enummixed(entry):
    A, B = load(entry).bimatrix()
    res = nashpy_solve((A, B), method="vertex_enumeration")
    ours = [np.concatenate(eq) for eq in res.equilibria]
    theirs = [
        np.concatenate([list(eq["profile"][p].values()) for p in entry["players"]])
        for eq in entry["methods"]["enummixed"]["equilibria"]
    ]
    pairs = pairing(ours, theirs, close(EXACT))
    assert pairs is not None, (ours, theirs)
    np.testing.assert_allclose(res.payoffs[pairs], recorded_payoffs(entry, "enummixed"), atol=EXACT)


# -- recorded: two-player trees ------------------------------------------------------------------
def our_equilibrium_payoffs(game):
    """Payoffs of the equilibria we enumerate: all PBE of a signalling game, else every extreme
    Nash equilibrium of the reduced normal form."""
    if is_signalling(game):
        return np.array([e.payoffs for e in solve_game(game, "pbe").equilibria])
    return nashpy_solve(game).payoffs


@pytest.mark.parametrize("entry", entries("extensive", "lcp"))
def test_pygambit_lcp_pays_what_one_of_our_equilibria_pays(entry):
    game = load(entry)
    theirs = recorded_payoffs(entry, "lcp")
    assert len(theirs) == 1
    assert rows_match(our_equilibrium_payoffs(game), theirs, EXACT), theirs


@pytest.mark.parametrize("entry", entries("extensive", "enummixed"))
def test_our_lcp_pays_what_an_enummixed_equilibrium_pays(entry):
    """Payoffs, since two behaviour profiles of one equilibrium may differ off the path."""
    res = lcp_solve(load(entry))
    assert res.converged and res.certificate.all_passed
    assert rows_match(recorded_payoffs(entry, "enummixed"), res.payoffs, EXACT), res.payoffs


@pytest.mark.parametrize("entry", entries("extensive", "enummixed"))
def test_our_extreme_equilibria_are_enummixed_as_behaviour(entry):
    """Vertex enumeration of our reduced normal form and pygambit's enummixed find the same
    extreme equilibria: as behaviour where the owner's own moves reach an information set
    (pygambit's ``as_behavior`` leaves the rest undefined), with the same payoffs."""
    game = load(entry)
    res = nashpy_solve(game)
    assert res.certificate.all_passed
    recorded = entry["methods"]["enummixed"]["equilibria"]
    theirs = [recorded_profile(e["profile"]) for e in recorded]
    ours = [defined_part(game, p) for p in res.profiles]
    theirs = [{k: None if np.isnan(v).any() else v for k, v in t.items()} for t in theirs]
    pairs = pairing(ours, theirs, lambda a, b: same_defined(a, b, EXACT))
    assert pairs is not None, (ours, theirs)
    np.testing.assert_allclose(res.payoffs[pairs], recorded_payoffs(entry, "enummixed"), atol=EXACT)


#: Games with one equilibrium of the kind named: one-card poker has a unique Nash equilibrium
#: (Myerson 1991, sec. 2.1); crisis signalling at pi = 0.3 a unique perfect Bayesian one (the
#: other Nash equilibria pool on a threat the unresolved challenger would not carry out).
UNIQUE = {
    "one_card_poker_file": "nash",
    "catalog_one_card_poker": "nash",
    "catalog_crisis_signalling": "pbe",
}


@pytest.mark.parametrize("entry", entries("extensive", "lcp", ids=UNIQUE))
def test_unique_equilibrium_agrees_on_the_path(entry):
    game = load(entry)
    if UNIQUE[entry["id"]] == "nash":
        assert len(entry["methods"]["enummixed"]["equilibria"]) == 1
        (unique,) = nashpy_solve(game).profiles
    else:
        (eq,) = solve_game(game, "pbe").equilibria
        unique = eq.profile
    theirs = complete(game, recorded_profile(entry["methods"]["lcp"]["equilibria"][0]["profile"]))
    ours = lcp_solve(game).profile
    path = on_path(game, theirs)
    assert path == on_path(game, ours) == on_path(game, unique)
    for name in path:
        np.testing.assert_allclose(ours[name], theirs[name], atol=EXACT, err_msg=name)
        np.testing.assert_allclose(unique[name], theirs[name], atol=EXACT, err_msg=name)


# -- recorded: the limit of the logit QRE ----------------------------------------------------------
@pytest.mark.parametrize("entry", entries(method="logit"))
def test_qre_trace_ends_at_pygambit_logit_limit(entry):
    """pygambit stops where regret is below 1e-8 of the payoff range; a mixed limit is approached
    like 1 / lam, so the trace goes to lam = 1e5 to come within 1e-3."""
    game = load(entry)
    theirs = recorded_profile(entry["methods"]["logit"]["equilibria"][0]["profile"])
    if entry["form"] == "extensive":
        trace = qre_trace(game, max_lambda=1e5)
        ours = trace.profile
        names = on_path(game, theirs, threshold=1e-6)
    else:
        trace = qre_trace(tuple(game.payoffs), form="normal", max_lambda=1e5)
        ours = dict(zip(game.players, trace.profile, strict=True))
        names = list(game.players)
    assert trace.converged
    gap = max(float(np.max(np.abs(ours[k] - theirs[k]))) for k in names)
    if entry["id"] == PITCHFORK and gap > 1e-3:
        assert np.allclose(ours["row"], [2 / 3, 1 / 3], atol=1e-3)  # the mixed equilibrium
        assert np.allclose(theirs["row"], [1.0, 0.0], atol=1e-6)  # a pure one
        pytest.skip("battle of the sexes: the branches part at a pitchfork (see PITCHFORK)")
    assert gap < 1e-3, (ours, theirs)


# -- live: random games through pygambit ----------------------------------------------------------
@st.composite
def bimatrix_games(draw):
    m, n = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    return rng.uniform(-5.0, 5.0, (m, n)), rng.uniform(-5.0, 5.0, (m, n))


@st.composite
def layered_trees(draw, players=("p0", "p1")):
    """Random trees with chance moves and imperfect information, perfect recall by construction.

    Layer ``t`` has one mover (a player or chance) and a fixed number of actions; each player
    sees the move of each layer or not, once and for all, and always sees its own moves. Every
    player moves somewhere. Payoffs are uniform floats (generic), chance probabilities positive.
    """
    layers = list(players) + ([] if draw(st.booleans()) else ["chance"])
    extra = st.sampled_from(players + ("chance",))
    layers += draw(st.lists(extra, min_size=max(0, 2 - len(layers)), max_size=4 - len(layers)))
    movers = draw(st.permutations(layers))
    depth = len(movers)
    widths = [draw(st.integers(2, 3)) for _ in range(depth)]
    sees = [[draw(st.booleans()) for _ in players] for _ in range(depth)]
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))

    def infoset(t, history):
        me = players.index(movers[t])
        seen = [
            str(a) if movers[s] == movers[t] or sees[s][me] else "?" for s, a in enumerate(history)
        ]
        return f"{movers[t]}.{t}.{''.join(seen)}"

    def build(history):
        t = len(history)
        if t == depth:
            return Terminal(tuple(rng.uniform(-5.0, 5.0, len(players))))
        kids = {f"a{j}": build(history + [j]) for j in range(widths[t])}
        if movers[t] == "chance":
            weights = rng.integers(1, 5, widths[t])
            return Chance(
                {k: (w / weights.sum(), c) for w, (k, c) in zip(weights, kids.items(), strict=True)}
            )
        return Decision(movers[t], infoset(t, history), kids)

    return Game(players, build([]))


def gambit_infosets(game, ggame):
    """Our information set name -> pygambit's, by label (write_efg labels them by name)."""
    out = {i.label: i for i in ggame.infosets}
    assert set(out) == set(game.infosets)
    for name, gi in out.items():
        assert [a.label for a in gi.actions] == list(game.infosets[name].actions)
    return out


def scale(game):
    return max(1.0, float(np.max(np.abs(game.payoffs))))


def test_live_vertex_enumeration_is_enummixed():
    gbt = pytest.importorskip("pygambit")

    @settings(max_examples=25)
    @given(bimatrix_games())
    def check(pair):
        A, B = pair
        ggame = gbt.Game.from_arrays(A, B)
        strategies = [list(p.strategies) for p in ggame.players]
        theirs = [
            np.array([float(eq[s]) for ss in strategies for s in ss])
            for eq in gbt.nash.enummixed_solve(ggame, rational=False).equilibria
        ]
        ours = [np.concatenate(eq) for eq in nashpy_solve((A, B)).equilibria]
        assert pairing(ours, theirs, close(EXACT)) is not None, (A, B, ours, theirs)

    check()


def test_live_pygambit_lcp_equilibria_pass_our_certificate():
    gbt = pytest.importorskip("pygambit")

    @settings(max_examples=25)
    @given(layered_trees())
    def check(game):
        ggame = gbt.read_efg(io.StringIO(write_efg(game)))
        isets = gambit_infosets(game, ggame)
        found = gbt.nash.lcp_solve(ggame, rational=False).equilibria
        assert found
        for eq in found:
            raw = {k: np.array([float(eq[a]) for a in gi.actions]) for k, gi in isets.items()}
            cert = tree_certificate(game, complete(game, raw), tolerance=1e-8 * scale(game))
            assert cert.all_passed, (raw, float(cert.max_regret))

    check()


def reduced_strategies(game, player):
    """Number of pure strategies of ``player`` in the reduced normal form (plans over its
    sequence tree: one action per information set its own earlier moves do not exclude)."""
    isets = game.infosets_of(player)

    def plans(seq):
        return math.prod(
            sum(plans(seq + ((i.name, a),)) for a in i.actions) for i in isets if i.sequence == seq
        )

    return plans(())


#: pygambit 16.7's ``MixedBehaviorProfile.max_regret`` goes through the reduced normal form and
#: its time grows faster than the number of reduced strategies (about 10 s at 3**8 of them).
MAX_REDUCED = 100


def test_live_our_lcp_equilibrium_has_no_regret_in_pygambit():
    gbt = pytest.importorskip("pygambit")
    small = layered_trees().filter(
        lambda g: max(reduced_strategies(g, p) for p in g.players) <= MAX_REDUCED
    )

    @settings(max_examples=25)
    @given(small)
    def check(game):
        ggame = gbt.read_efg(io.StringIO(write_efg(game)))
        ours = lcp_solve(game)
        assert ours.converged
        profile = ggame.mixed_behavior_profile(rational=False)
        for name, gi in gambit_infosets(game, ggame).items():
            for a, p in zip(gi.actions, ours.profile[name], strict=True):
                profile[a] = float(p)
        tol = 1e-8 * scale(game)
        assert float(profile.max_regret()) <= tol, ours.profile
        np.testing.assert_allclose(
            [float(profile.payoff(p)) for p in ggame.players], ours.payoffs, atol=tol
        )

    check()


def test_live_agent_qre_at_lambda_one():
    gbt = pytest.importorskip("pygambit")

    @settings(max_examples=25)
    @given(st.integers(1, 3).flatmap(lambda n: layered_trees(tuple(f"p{k}" for k in range(n)))))
    def check(game):
        ggame = gbt.read_efg(io.StringIO(write_efg(game)))
        isets = gambit_infosets(game, ggame)
        (qre,) = gbt.qre.logit_solve_lambda(ggame, [1.0])
        # the profile is read by flat index, in pygambit's order (players, their information
        # sets, their actions): LogitQREMixedBehaviorProfile.profile raises in pygambit 16.7
        flat = [a for p in ggame.players for i in p.infosets for a in i.actions]
        assert len(flat) == len(qre)
        index = {a: j for j, a in enumerate(flat)}
        theirs = {k: np.array([qre[index[a]] for a in gi.actions]) for k, gi in isets.items()}
        res = qre_solve(game, float(qre.lam), form="agent")
        assert bool(res.converged)
        for name in game.infosets:
            np.testing.assert_allclose(res.profile[name], theirs[name], atol=1e-6, err_msg=name)

    check()
