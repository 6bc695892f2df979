"""Selection rules pick one equilibrium per point, by a documented criterion."""

from types import SimpleNamespace as Eq

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from model.solvers.selection import RULES, select


def test_rules_by_hand():
    eqs = [
        Eq(payoffs=np.array([1.0, 3.0]), intuitive=False, d1=False),
        Eq(payoffs=np.array([2.0, 0.0]), intuitive=True, d1=False),
        Eq(payoffs=np.array([0.5, 2.0]), intuitive=True, d1=True),
    ]
    assert int(select(eqs, "challenger_preferred").index) == 1
    assert int(select(eqs, "target_preferred").index) == 0
    assert int(select(eqs, "welfare").index) == 0
    assert int(select(eqs, "intuitive").index) == 1
    assert int(select(eqs, "d1").index) == 2
    sel = select(eqs, "challenger_preferred")
    assert sel.rule == "challenger_preferred" and sel.description == RULES[sel.rule]


def test_ties_go_to_the_first_listed_and_none_gives_minus_one():
    eqs = [Eq(payoffs=np.array([1.0, 0.0]), d1=False), Eq(payoffs=np.array([1.0, 5.0]), d1=False)]
    assert int(select(eqs, "challenger_preferred").index) == 0
    sel = select(eqs, "d1")
    assert int(sel.index) == -1 and not sel.found
    assert int(select([], "welfare").index) == -1


def test_batched_candidates_with_existence_masks():
    eqs = [
        Eq(payoffs=np.array([[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]), exists=[True, False, True]),
        Eq(payoffs=np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), exists=[True, True, False]),
    ]
    np.testing.assert_array_equal(select(eqs, "challenger_preferred").index, [0, 1, 0])


def test_qre_limit_picks_the_closest_profile():
    eqs = [
        Eq(payoffs=np.zeros(2), profile={"I": np.array([1.0, 0.0])}),
        Eq(payoffs=np.zeros(2), profile={"I": np.array([0.4, 0.6])}),
    ]
    sel = select(eqs, "qre_limit", qre_profile={"I": np.array([0.5, 0.5])})
    assert int(sel.index) == 1


@pytest.mark.parametrize(
    "eqs, rule, message",
    [
        ([Eq(payoffs=np.zeros(2))], "best", "is not a selection rule"),
        ([Eq(payoffs=np.zeros(2))], "intuitive", "needs equilibria that record 'intuitive'"),
        ([Eq(payoffs=np.zeros(1))], "target_preferred", "at least 2 players"),
        ([Eq(payoffs=np.zeros(2), profile={})], "qre_limit", "needs the game"),
    ],
)
def test_errors_name_the_problem(eqs, rule, message):
    with pytest.raises(ValueError, match=message):
        select(eqs, rule)


PAYOFF_RULES = ["challenger_preferred", "target_preferred", "welfare"]


@given(arrays(np.float64, (4, 2, 5), elements=st.floats(-10, 10)), st.sampled_from(PAYOFF_RULES))
def test_selected_equilibrium_is_best_by_its_rule(pay, rule):
    eqs = [Eq(payoffs=p) for p in pay]
    index = select(eqs, rule).index
    score = {"challenger_preferred": pay[:, 0], "target_preferred": pay[:, 1]}.get(
        rule, pay.sum(axis=1)
    )
    for point in range(5):
        assert score[index[point], point] == score[:, point].max()
        assert np.all(score[: index[point], point] < score[index[point], point])
