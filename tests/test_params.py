"""Parameter declaration and validation (model/params.py)."""

from dataclasses import dataclass

import numpy as np
import pytest

from model.params import ParamSet, param, param_specs


@dataclass(frozen=True)
class Demo(ParamSet):
    p: float = param(0.5, (0.0, 1.0), "probability of winning")
    k: float = param(1.0, (0.0, 10.0), "a positive scale", open_low=True)
    n: int = param(3, (1, 100), "how many types", integer=True)


def test_defaults_and_specs():
    d = Demo()
    assert d.values() == {"p": 0.5, "k": 1.0, "n": 3}
    specs = param_specs(Demo)
    assert list(specs) == ["p", "k", "n"]
    assert str(specs["k"].bounds) == "(0, 10]"
    assert specs["n"].integer


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"p": 1.01}, r"p = 1\.01 is out of range: p must lie in \[0, 1\]"),
        ({"k": 0.0}, r"k = 0 is out of range: k must lie in \(0, 10\]"),
        ({"n": 2.5}, r"n = 2\.5 .* whole number in \[1, 100\]"),
        ({"p": "high"}, r"p = 'high' has the wrong type"),
        ({"p": None}, r"p = None has the wrong type"),
        ({"p": True}, r"p = True has the wrong type"),
        ({"p": float("nan")}, r"p = nan is out of range"),
        ({"p": [0.2, 1.4, 0.3]}, r"p = array is out of range \(1 of 3 values, e\.g\. 1\.4\)"),
        ({"p": []}, r"p is an empty array"),
    ],
)
def test_bad_values_name_field_value_and_range(kwargs, pattern):
    with pytest.raises(ValueError, match=pattern):
        Demo(**kwargs)


def test_arrays_are_read_only_and_broadcast():
    d = Demo(p=np.array([0.1, 0.2]), k=np.array([[1.0], [2.0], [3.0]]))
    assert d.shape == (3, 2)
    with pytest.raises(ValueError):
        d.p[0] = 0.5
    assert d.point((2, 1)).values() == {"p": 0.2, "k": 3.0, "n": 3}
    with pytest.raises(ValueError, match="do not broadcast"):
        Demo(p=np.zeros(2), k=np.ones(3))


def test_from_mapping_rejects_unknown_names():
    assert Demo.from_mapping({"p": 0.3}).p == 0.3
    with pytest.raises(ValueError, match="unknown parameter"):
        Demo.from_mapping({"q": 0.3})


def test_bad_default_is_caught_at_declaration():
    with pytest.raises(ValueError, match="default"):
        param(2.0, (0.0, 1.0), "oops")
