"""Known games kept as data (tests/data/known_games.json, with sources) and their builder."""

import json
from fractions import Fraction
from pathlib import Path

from model.tree import Chance, Decision, Terminal

DATA = json.loads((Path(__file__).parent / "data" / "known_games.json").read_text())


def number(x):
    """A payoff or probability: a number, or a fraction written as a string ("1/3")."""
    return float(Fraction(x)) if isinstance(x, str) else float(x)


def build(spec):
    """A node from its description in known_games.json."""
    if "payoffs" in spec:
        return Terminal(tuple(number(v) for v in spec["payoffs"]))
    if "chance" in spec:
        return Chance({k: (number(p), build(c)) for k, (p, c) in spec["chance"].items()})
    acts = {a: build(c) for a, c in spec["actions"].items()}
    return Decision(spec["player"], spec["infoset"], acts)
