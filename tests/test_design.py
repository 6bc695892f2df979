"""Designs: full grids and Latin hypercubes over named axes, with per-row seeds."""

import itertools

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from experiments.design import (
    MAX_ROWS,
    Axis,
    build,
    check_size,
    grid,
    latin_hypercube,
    row_seeds,
    size_of,
    unit_hypercube,
)


def test_grid_is_full_factorial_first_axis_slowest():
    axes = [
        Axis.range("a", 0.0, 1.0, num=3),
        Axis.levels("b", [10.0, 20.0]),
        Axis.fixed("c", 0.5),
    ]
    d = grid(axes, seed=1)
    assert list(d.columns) == ["row", "a", "b", "c", "seed"]
    assert len(d) == 6 == size_of("grid", axes)
    assert d["row"].tolist() == list(range(6))
    expected = list(itertools.product([0.0, 0.5, 1.0], [10.0, 20.0]))
    assert list(zip(d["a"], d["b"], strict=True)) == expected
    assert (d["c"] == 0.5).all()


def test_grid_without_axes_has_one_row():
    d = grid([], seed=3)
    assert len(d) == 1 and list(d.columns) == ["row", "seed"]


def test_log_grid_is_geometric_and_hits_round_values():
    levels = Axis.range("k", 0.25, 4.0, num=61, space="log").grid_values()
    assert levels[0] == 0.25 and levels[-1] == 4.0
    assert 1.0 in levels.tolist()
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-12)


def test_linear_grid_endpoints_exact():
    levels = Axis.range("x", 0.1, 1.0, num=46).grid_values()
    assert levels[0] == 0.1 and levels[-1] == 1.0 and len(levels) == 46


def test_lhs_size_bounds_and_fixed_columns():
    axes = [
        Axis.range("a", -1.0, 2.0),
        Axis.range("b", 0.5, 8.0, space="log"),
        Axis.levels("c", [1.0, 2.0, 3.0]),
        Axis.fixed("d", 7.0),
    ]
    d = latin_hypercube(axes, 30, seed=5)
    assert len(d) == 30 and list(d.columns) == ["row", "a", "b", "c", "d", "seed"]
    assert d["a"].between(-1.0, 2.0).all() and d["b"].between(0.5, 8.0).all()
    assert (d["d"] == 7.0).all()
    # listed levels are stratified too: each taken equally often
    assert d["c"].value_counts().to_dict() == {1.0: 10, 2.0: 10, 3.0: 10}


def test_lhs_is_deterministic_in_the_seed():
    axes = [Axis.range("a", 0.0, 1.0), Axis.range("b", 0.0, 1.0)]
    a = latin_hypercube(axes, 25, seed=11)
    b = latin_hypercube(axes, 25, seed=11)
    c = latin_hypercube(axes, 25, seed=12)
    assert a.equals(b)
    assert not np.allclose(a["a"], c["a"])


@given(
    n=st.integers(1, 80),
    d=st.integers(1, 4),
    seed=st.integers(0, 2**32),
    low=st.floats(-10, 10),
    width=st.floats(0.01, 100),
    log=st.booleans(),
)
def test_lhs_puts_one_point_in_each_stratum(n, d, seed, low, width, log):
    lo = abs(low) + 0.01 if log else low
    hi = lo + width
    space = "log" if log else "linear"
    axes = [Axis.range(f"x{j}", lo, hi, space=space) for j in range(d)]
    design = latin_hypercube(axes, n, seed=seed)
    for j in range(d):
        x = design[f"x{j}"].to_numpy()
        assert np.all((x >= lo) & (x <= hi))
        if log:
            u = (np.log(x) - np.log(lo)) / (np.log(hi) - np.log(lo))
        else:
            u = (x - lo) / (hi - lo)
        strata = np.clip(np.floor(u * n), 0, n - 1).astype(int)
        assert sorted(strata) == list(range(n))


@given(n=st.integers(1, 200), d=st.integers(1, 5), seed=st.integers(0, 2**40))
def test_unit_hypercube_stratification(n, d, seed):
    u = unit_hypercube(n, d, seed=seed)
    assert u.shape == (n, d)
    for j in range(d):
        assert sorted(np.floor(u[:, j] * n).astype(int)) == list(range(n))


def test_row_seeds_come_from_spawned_children():
    root = 20261122
    children = np.random.SeedSequence(root).spawn(5)
    expected = [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]
    assert row_seeds(root, 5).tolist() == expected


@given(
    n=st.integers(1, 60),
    chunk=st.integers(1, 60),
    seed=st.integers(0, 2**63),
)
def test_row_seeds_do_not_depend_on_chunking(n, chunk, seed):
    whole = row_seeds(seed, n)
    pieces = [row_seeds(seed, min(chunk, n - s), start=s) for s in range(0, n, chunk)]
    assert np.array_equal(whole, np.concatenate(pieces))
    assert (whole >= 0).all() and whole.dtype == np.int64


def spawned(seed, rows):
    """Seeds of ``rows`` straight from numpy's SeedSequence, one child at a time."""
    return [
        int(np.random.SeedSequence(seed, spawn_key=(int(i),)).generate_state(1, np.uint64)[0] >> 1)
        for i in rows
    ]


@given(
    seed=st.one_of(st.integers(0, 2**32), st.integers(0, 2**300)),
    start=st.one_of(
        st.integers(0, 10**8), st.integers(2**32 - 8, 2**32 + 8), st.integers(0, 2**62)
    ),
    n=st.integers(0, 12),
)
def test_row_seeds_equal_seed_sequence_children(seed, start, n):
    # root seeds of one to many 32-bit words; row indices of one and two words
    assert row_seeds(seed, n, start=start).tolist() == spawned(seed, range(start, start + n))


def test_row_seeds_of_a_million_rows():
    seeds = row_seeds(20261122, 10**6)
    assert seeds.shape == (10**6,) and seeds.dtype == np.int64
    assert seeds[[0, 999_999]].tolist() == spawned(20261122, [0, 999_999])


def test_row_seeds_reject_bad_arguments():
    with pytest.raises(ValueError, match="non-negative integer root seed"):
        row_seeds(-1, 3)
    with pytest.raises(ValueError, match="n >= 0 and start >= 0"):
        row_seeds(1, -1)


def test_designs_without_seeds():
    axes = [Axis.range("a", 0.0, 1.0, num=3)]
    d = build("grid", axes, seed=9, seeds=False)
    assert list(d.columns) == ["row", "a"]
    assert list(build("lhs", axes, seed=9, size=4, seeds=False).columns) == ["row", "a"]
    assert d.equals(grid(axes, seed=9).drop(columns="seed"))


def test_size_is_counted_and_bounded_before_building():
    big = [Axis.range(name, 0.0, 1.0, num=100_000) for name in ("a", "b", "c")]
    assert big[0].n_levels == 100_000 and Axis.levels("x", [1.0, 2.0]).n_levels == 2
    assert size_of("grid", big) == 10**15  # counted, not built: building would need 7 PiB
    with pytest.raises(ValueError, match=r"1e\+15 rows, more than the limit of 100000000 \(a: "):
        grid(big, seed=0)
    with pytest.raises(ValueError, match=r"\(size = 100000001\)"):
        latin_hypercube(big, MAX_ROWS + 1, seed=0)
    fixed = [Axis.fixed("f", 1.0), Axis.levels("b", [1.0, 2.0]), *big[:1]]
    with pytest.raises(ValueError, match=r"\(b: 2 values x a: num = 100000 x d: num = 1001\)"):
        check_size("grid", [*fixed, Axis.range("d", 0.0, 1.0, num=1001)])
    assert check_size("grid", fixed) == 200_000


def test_design_seed_column_matches_row_seeds():
    axes = [Axis.range("a", 0.0, 1.0, num=7)]
    assert np.array_equal(grid(axes, seed=9)["seed"], row_seeds(9, 7))
    assert np.array_equal(latin_hypercube(axes, 7, seed=9)["seed"], row_seeds(9, 7))
    assert len(np.unique(row_seeds(9, 1000))) == 1000


def test_build_dispatches_and_checks_kind():
    axes = [Axis.range("a", 0.0, 1.0, num=4)]
    assert len(build("grid", axes, seed=0)) == 4
    assert len(build("lhs", axes, seed=0, size=6)) == 6
    with pytest.raises(ValueError, match="'sobol' is not one of"):
        build("sobol", axes, seed=0)
    with pytest.raises(ValueError, match="needs a size"):
        build("lhs", axes, seed=0)


@pytest.mark.parametrize(
    ("make", "match"),
    [
        (lambda: Axis.range("a", 1.0, 1.0, num=3), "needs low < high"),
        (lambda: Axis.range("a", 0.0, 1.0, space="log"), "positive lower end"),
        (lambda: Axis.range("a", 0.0, 1.0, num=1), "at least 2"),
        (lambda: Axis.range("a", 0.0, 1.0, space="cubic"), "not one of"),
        (lambda: Axis.levels("a", []), "at least one level"),
        (lambda: Axis.range("a", 0.0, 1.0).grid_values(), "needs num"),
    ],
)
def test_axis_validation(make, match):
    with pytest.raises(ValueError, match=match):
        make()


def test_reserved_and_duplicate_axis_names():
    with pytest.raises(ValueError, match="reserved"):
        grid([Axis.fixed("seed", 1.0)], seed=0)
    with pytest.raises(ValueError, match="more than once"):
        grid([Axis.fixed("a", 1.0), Axis.fixed("a", 2.0)], seed=0)
