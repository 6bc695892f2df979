"""Priors: agreement with scipy.stats, validation, and the functionals the solvers use."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

from model.distributions import Beta, Discrete, TwoPoint, Uniform


@given(st.floats(0, 0.5), st.floats(0.01, 0.5), st.floats(-0.2, 1.2))
def test_uniform_matches_scipy(lo, width, t):
    u = Uniform(lo, lo + width)
    assert float(u.cdf(t)) == pytest.approx(stats.uniform(lo, width).cdf(t), abs=1e-12)
    ref = integrate.quad(lambda c: c / width, lo, min(max(t, lo), lo + width))[0]
    assert float(u.partial_mean(t)) == pytest.approx(ref, abs=1e-10)


@given(
    st.floats(1, 5),
    st.floats(1, 5),
    st.floats(0, 0.3),
    st.floats(0.05, 1),
    st.floats(0, 1, allow_subnormal=False).filter(lambda z: z == 0 or z > 1e-300),
)
def test_beta_matches_scipy(a, b, lo, width, z):
    d = Beta(a, b, lo, lo + width)
    ref = stats.beta(a, b, loc=lo, scale=width)
    t = lo + z * width
    assert float(d.cdf(t)) == pytest.approx(ref.cdf(t), abs=1e-10)
    by_quad = integrate.quad(lambda s: (lo + width * s) * stats.beta.pdf(s, a, b), 0, z, limit=200)[
        0
    ]
    assert float(d.partial_mean(t)) == pytest.approx(by_quad, abs=1e-7)
    assert float(d.mean()) == pytest.approx(ref.mean(), rel=1e-10)


@given(st.floats(0.5, 5), st.floats(0.5, 5), st.floats(0, 1, allow_subnormal=False))
def test_beta_density_matches_scipy(a, b, z):
    d = Beta(a, b, 0.1, 0.6)
    t = 0.1 + 0.5 * z
    ref = stats.beta(a, b, loc=0.1, scale=0.5).pdf(t) if z > 1e-300 else float(d.pdf(t))
    assert float(d.pdf(t)) == pytest.approx(ref, rel=1e-9, abs=1e-12)
    assert float(d.pdf(0.05)) == 0.0 and float(d.pdf(0.7)) == 0.0


def test_discrete_strict_and_weak_cdf():
    d = Discrete([0.1, 0.2, 0.3], [0.2, 0.5, 0.3])
    assert float(d.prob_below(0.2)) == pytest.approx(0.2)
    assert float(d.cdf(0.2)) == pytest.approx(0.7)
    assert float(d.partial_mean(0.25)) == pytest.approx(0.02 + 0.1)
    assert float(d.mean()) == pytest.approx(0.02 + 0.1 + 0.09)
    assert d.dist.pmf(1) == pytest.approx(0.5)


def test_scaled_is_the_law_of_k_times_x():
    rng = np.random.default_rng(0)
    for d in (Uniform(0.1, 0.4), Beta(2, 3, 0, 0.5), TwoPoint(0.1, 0.3, 0.4)):
        s = d.scaled(2.5)
        x = 2.5 * d.sample(rng, 200_000)
        for t in (0.3, 0.5, 0.8):
            assert float(s.prob_below(t)) == pytest.approx(np.mean(x < t), abs=5e-3)


def test_arrays_broadcast():
    u = Uniform(np.zeros(3), np.array([0.2, 0.4, 0.8]))
    np.testing.assert_allclose(u.cdf(0.2), [1.0, 0.5, 0.25])
    d = TwoPoint(0.1, np.array([0.2, 0.3]), 0.5)
    assert d.shape == (2,)
    np.testing.assert_allclose(d.prob_below(0.25), [1.0, 0.5])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Uniform(0.4, 0.4), "low < high"),
        (lambda: Uniform(0.0, np.inf), "finite"),
        (lambda: Uniform("a", 1), "not a number"),
        (lambda: Beta(0, 1), "a > 0"),
        (lambda: Beta(1, 1, 0.5, 0.1), "low < high"),
        (lambda: Discrete([0.1, 0.2], [0.5, 0.6]), "sum to 1"),
        (lambda: Discrete([0.1, 0.2], [1.2, -0.2]), ">= 0"),
        (lambda: Discrete(0.1, 1.0), "last axis"),
        (lambda: TwoPoint(0.1, 0.2, 1.5), "p_high"),
        (lambda: Uniform(0, 1).scaled(0.0), "scale factor"),
    ],
)
def test_bad_priors_get_clear_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_priors_are_immutable():
    u = Uniform(0, 1)
    with pytest.raises(AttributeError):
        u.low_ = 3
