"""Contract tests every registered model inherits: a new file in model/games/ is tested here."""

import inspect
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model import registry
from model.types import Outcome, Solution

MODELS = registry.available()


def random_point(spec, rng, tries=500):
    """One valid parameter point drawn uniformly inside every field's bounds.

    Draws that break a cross-field rule (e.g. ``c_B_lo < c_B_hi``) are drawn again.
    """
    for _ in range(tries):
        values = {}
        for name, ps in spec.param_specs.items():
            lo = ps.bounds.low if math.isfinite(ps.bounds.low) else ps.default - 10.0
            hi = ps.bounds.high if math.isfinite(ps.bounds.high) else ps.default + 10.0
            if ps.integer:
                values[name] = int(rng.integers(int(math.ceil(lo)), int(math.floor(hi)) + 1))
            else:
                span = hi - lo
                values[name] = float(rng.uniform(lo + 1e-6 * span, hi - 1e-6 * span))
        try:
            return spec.params(**values)
        except ValueError:
            continue
    raise AssertionError(f"could not draw valid parameters for {spec.name}")


def random_params(spec, rng, n=None):
    """``n`` valid points as one array-valued Params (or one scalar point when ``n`` is None)."""
    if n is None:
        return random_point(spec, rng)
    points = [random_point(spec, rng).values() for _ in range(n)]
    return spec.params(**{k: np.array([pt[k] for pt in points]) for k in points[0]})


@pytest.fixture(params=MODELS)
def spec(request):
    return registry.get(request.param)


def test_registry_is_not_empty():
    assert "risk_return" in MODELS


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown model 'nope'; available models: "):
        registry.get("nope")


def test_module_documents_game_source_and_math(spec):
    doc = spec.doc
    assert "References" in doc, "the module docstring must cite its source"
    assert "math::" in doc or ":math:" in doc, "the module docstring must state the math"
    for name, ps in spec.param_specs.items():
        assert ps.doc, f"parameter {name} needs a one-line meaning"
    assert inspect.signature(spec.solve).parameters, "solve(params, ...) takes the parameters"


def test_defaults_solve_with_a_passing_certificate(spec):
    sol = spec.solve(spec.params())
    assert isinstance(sol, Solution)
    assert sol.model == spec.name
    assert sol.shape == ()
    assert sol.certificate.all_passed, sol.summary()
    assert bool(np.all(sol.converged))
    assert sol.method


def test_bounds_are_enforced_with_clear_errors(spec):
    for name, ps in spec.param_specs.items():
        outside = []
        if math.isfinite(ps.bounds.low):
            outside.append(ps.bounds.low - 1.0 if not ps.bounds.low_open else ps.bounds.low)
        if math.isfinite(ps.bounds.high):
            outside.append(ps.bounds.high + 1.0 if not ps.bounds.high_open else ps.bounds.high)
        for value in outside:
            with pytest.raises(ValueError) as err:
                spec.params(**{name: value})
            msg = str(err.value)
            assert name in msg and str(ps.bounds) in msg, msg
        with pytest.raises(ValueError, match=f"{name} = 'x' has the wrong type"):
            spec.params(**{name: "x"})


@pytest.mark.parametrize("name", MODELS)
@given(seed=st.integers(0, 2**32 - 1))
def test_outcome_probabilities_are_probabilities(name, seed):
    spec = registry.get(name)
    sol = spec.solve(random_params(spec, np.random.default_rng(seed)))
    for table in (sol.planned, sol.realised):
        assert set(table) == set(Outcome)
        values = np.array([float(table[o]) for o in Outcome])
        assert np.all(values >= -1e-12) and np.all(values <= 1 + 1e-12)
        assert values.sum() == pytest.approx(1.0, abs=1e-9)
    assert sol.certificate.all_passed, sol.summary()


@pytest.mark.parametrize("name", MODELS)
@given(seed=st.integers(0, 2**32 - 1))
def test_scalar_and_vectorised_calls_agree(name, seed):
    spec = registry.get(name)
    rng = np.random.default_rng(seed)
    batch = random_params(spec, rng, n=6)
    vec = spec.solve(batch).columns()
    for i in range(6):
        one = spec.solve(batch.point(i)).columns()
        assert set(one) == set(vec)
        for key, value in one.items():
            np.testing.assert_allclose(value[0], vec[key][i], rtol=1e-7, atol=1e-9, err_msg=key)


def solve_tree(game, selection="challenger_preferred"):
    """The generic route: backward induction where it applies; else every equilibrium the
    method for the tree's structure finds (perfect Bayesian enumeration for signalling games,
    the normal form otherwise), narrowed to one by the model's selection rule."""
    from model.solvers.api import solve_game
    from model.solvers.backward import backward_induction_solve

    if game.is_perfect_information:
        res = backward_induction_solve(game)
        return res.profile, res.root_values, res.certificate
    out = solve_game(game, "auto" if game.n_players != 2 else _method(game), select=selection)
    assert out.selected is not None, "the selection rule picks no equilibrium"
    eq = out.equilibria[out.selected]
    return eq.profile, eq.payoffs, eq.certificate


def _method(game):
    from model.solvers.pbe import signalling_structure

    try:
        signalling_structure(game)
    except ValueError:
        return "vertex"
    return "pbe"


@pytest.mark.parametrize("name", MODELS)
@settings(max_examples=25)
@given(seed=st.integers(0, 2**32 - 1))
def test_closed_form_agrees_with_generic_solver_on_tree(name, seed):
    """``tree(params)`` solved by a generic solver reproduces ``solve(params)``.

    A model's module sets ``TREE_OPTIONS`` (keyword arguments of its ``tree``) and
    ``TREE_TOLERANCE`` (the discretisation error allowed in outcome probabilities and expected
    utilities at those options) and, optionally, ``tree_decisive(params, tolerance)``: a bool
    array of the points where the closed form's regime is worth more than ``tolerance`` over
    the next best, so that the tree must choose it; outcome probabilities are compared there
    (utilities everywhere).
    """
    spec = registry.get(name)
    params = random_params(spec, np.random.default_rng(seed), n=4)
    options = getattr(spec.module, "TREE_OPTIONS", {})
    tol = getattr(spec.module, "TREE_TOLERANCE", 1e-6)
    game = spec.tree(params, **options)
    if not game.is_perfect_information:  # the normal-form route solves one point at a time
        params = params.point(0)
        game = spec.tree(params, **options)
    profile, values, certificate = solve_tree(
        game, getattr(spec.module, "SELECTION", "challenger_preferred")
    )
    assert certificate.all_passed
    sol = spec.solve(params)
    for i, player in enumerate(game.players):
        np.testing.assert_allclose(
            values[i], sol.utilities_planned[player], atol=tol, err_msg=player
        )
    # a discretised tree may choose another regime where the closed form's choice is worth less
    # than the grid's error; a model that knows where says so with ``tree_decisive``
    decisive = getattr(spec.module, "tree_decisive", None)
    where = np.ones(np.shape(values[0]), dtype=bool)
    if decisive is not None:
        where = np.broadcast_to(decisive(params, tol), where.shape)
        assert np.any(where) or where.size < 4, "tree_decisive excludes every point"
    tree_outcomes = game.outcome_probabilities(profile)
    for o in Outcome:
        np.testing.assert_allclose(
            np.broadcast_to(tree_outcomes[str(o)], where.shape)[where],
            np.broadcast_to(sol.planned[o], where.shape)[where],
            atol=tol,
            err_msg=str(o),
        )


def test_columns_are_tidy(spec):
    cols = spec.solve(spec.params()).columns()
    lengths = {len(v) for v in cols.values()}
    assert lengths == {1}
    for o in Outcome:
        assert f"planned_{o}" in cols and f"realised_{o}" in cols
    assert {"max_regret", "bayes_gap", "certified", "converged"} <= set(cols)
