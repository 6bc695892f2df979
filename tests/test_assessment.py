"""Assessments (profile + beliefs): sequential regret, Bayes consistency and their certificate."""

import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_tree import layered_games, random_profile

from model import catalog
from model.checks import (
    assessment_certificate,
    bayes_beliefs,
    infoset_regret,
    sequential_regret,
    tree_regret,
)

DATA = json.loads((Path(__file__).parent / "data" / "assessment_known.json").read_text())


def numbers(values):
    return np.array([float(Fraction(v)) if isinstance(v, str) else float(v) for v in values])


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: c["id"])
def test_known_assessments(case):
    game = getattr(catalog, case["game"])()
    profile = {k: numbers(v) for k, v in case["profile"].items()}
    beliefs = {k: numbers(v) for k, v in case["beliefs"].items()}
    nash = tree_regret(game, profile).max() <= 1e-12
    assert nash == case["nash"]
    cert = assessment_certificate(game, profile, beliefs)
    assert float(cert.bayes_gap) == pytest.approx(case["bayes_gap"], abs=1e-12)
    assert (float(cert.max_regret) <= 1e-12) == case["sequential"]
    regret = sequential_regret(game, profile, beliefs)
    for name, value in case.get("sequential_regret", {}).items():
        assert float(regret[name]) == pytest.approx(value, abs=1e-12)


def test_bayes_beliefs_on_and_off_the_path():
    game = catalog.selten_horse()
    beliefs, reached = bayes_beliefs(game, {"1": [0.5, 0.5], "2": [0.5, 0.5], "3": [1.0, 0.0]})
    # nodes of "3": after (C, d) with probability 1/4, after D with probability 1/2
    np.testing.assert_allclose(beliefs["3"], [1 / 3, 2 / 3])
    assert reached["3"]
    beliefs, reached = bayes_beliefs(game, {"1": [1.0, 0.0], "2": [1.0, 0.0], "3": [1.0, 0.0]})
    np.testing.assert_allclose(beliefs["3"], [0.5, 0.5])  # unreached: uniform
    assert not reached["3"]


def test_batched_assessment_matches_points():
    pi = np.array([0.1, 0.3, 0.45])
    game = catalog.crisis_signalling(pi=pi, d=2.0, a=1.0)
    q = pi / (1 - pi)
    profile = {
        "C.resolved": [0.0, 1.0],
        "C.unresolved": np.stack([1 - q, q]),
        "T.threat": [0.5, 0.5],
        "C.resolved.resisted": [0.0, 1.0],
        "C.unresolved.resisted": [1.0, 0.0],
    }
    cert = assessment_certificate(game, profile, {"T.threat": [0.5, 0.5]})
    assert cert.max_regret.shape == (3,) and cert.all_passed
    off = assessment_certificate(game, profile, {"T.threat": [0.9, 0.1]})
    np.testing.assert_allclose(off.bayes_gap, 0.4)
    for i in range(3):
        point = {k: np.asarray(v)[..., i] if np.ndim(v) > 1 else v for k, v in profile.items()}
        one = assessment_certificate(game.point(i), point, {"T.threat": [0.9, 0.1]})
        assert float(one.max_regret) == pytest.approx(off.max_regret[i], abs=1e-12)


@pytest.mark.parametrize(
    "beliefs, message",
    [
        ({}, "give nothing at information set 'T.threat'"),
        ({"T.threat": [0.5, 0.6]}, "not a probability vector"),
        ({"T.threat": [1.0]}, "must hold its 2 nodes"),
        ({"nowhere": [1.0]}, "unknown information set"),
    ],
)
def test_bad_beliefs_are_named(beliefs, message):
    game = catalog.crisis_signalling()
    profile = game.uniform_profile()
    with pytest.raises(ValueError, match=message):
        assessment_certificate(game, profile, beliefs)


@given(layered_games(), st.integers(0, 2**32 - 1))
def test_sequential_regret_with_bayes_beliefs_equals_infoset_regret(game, seed):
    """Two independent routes: on the path, Bayes beliefs make both conditional regrets equal."""
    prof = random_profile(game, np.random.default_rng(seed))  # completely mixed: all reached
    beliefs, reached = bayes_beliefs(game, prof)
    assert all(bool(r) for r in reached.values())
    seq = sequential_regret(game, prof, beliefs)
    on_path = infoset_regret(game, prof)
    for name in game.infosets:
        assert float(seq[name]) == pytest.approx(float(on_path[name]), abs=1e-9)


@given(layered_games(), st.integers(0, 2**32 - 1))
def test_sequential_regret_equals_brute_force_under_any_beliefs(game, seed):
    """The best continuation at an information set, by enumerating the owner's pure strategies."""
    rng = np.random.default_rng(seed)
    prof = random_profile(game, rng)
    beliefs = {n: rng.dirichlet(np.ones(len(i.nodes))) for n, i in game.infosets.items()}
    regret = sequential_regret(game, prof, beliefs)
    values = game.node_values(prof)
    for name, iset in game.infosets.items():
        k = game.player_index(iset.player)
        nodes = list(iset.nodes)
        if game.num_pure_strategies(iset.player) > 256:
            continue
        current = beliefs[name] @ values[nodes, k]
        best = -np.inf
        for row in game.pure_strategies(iset.player):
            dev = dict(prof)
            for own, a in zip(game.infosets_of(iset.player), row, strict=True):
                dev[own.name] = np.eye(len(own.actions))[a]
            best = max(best, float(beliefs[name] @ game.node_values(dev)[nodes, k]))
        assert float(regret[name]) == pytest.approx(max(best - current, 0.0), abs=1e-9)
