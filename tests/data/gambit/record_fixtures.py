"""Record pygambit's equilibria of the games in this folder into ``pygambit_fixtures.json``.

How to rerun
------------
From the repository root, with a Python that has pygambit (16.x) and this project's
dependencies (numpy, scipy)::

    python -m venv gvenv
    gvenv/bin/pip install pygambit
    gvenv/bin/pip install -e .          # optional: the script puts the repository on sys.path
    gvenv/bin/python tests/data/gambit/record_fixtures.py

The script

1. writes the games of :mod:`model.catalog` listed in ``CATALOG`` into this folder as
   ``catalog_<id>.efg`` (:func:`model.gambit.write_efg`) or ``catalog_<id>.nfg``
   (:func:`model.gambit.write_nfg`), so that the fixtures stay tied to the files they were
   computed on;
2. reads every game of ``FILES`` and ``CATALOG`` with pygambit and with :mod:`model.gambit`;
3. records with pygambit: ``pygambit.nash.lcp_solve`` (the tree, behaviour strategies; the table
   for strategic games), ``pygambit.nash.enummixed_solve`` (the strategic form; every extreme
   equilibrium of a two-player game; for trees converted to behaviour strategies with
   ``MixedStrategyProfile.as_behavior``), ``pygambit.nash.logit_solve`` (the limit of the
   principal branch of the logit QRE correspondence) and ``pygambit.qre.logit_solve_lambda`` at
   the precisions in ``LAMBDAS`` (for trees the QRE in behaviour strategies, one logit response
   per information set);
4. writes ``pygambit_fixtures.json`` (format in its ``"about"`` field).

Profiles are mapped to this project's names through the tree: an information set of ours is
matched with the Gambit information set at the same node (found by following child positions
from the root), and actions by position. ``LogitQREMixedBehaviorProfile.profile`` raises in
pygambit 16.7, so behaviour QRE profiles are read by flat index, in Gambit's order (players,
their information sets, their actions).

Nothing here runs on import (the test-suite collects this folder for doctests).
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
OUT = HERE / "pygambit_fixtures.json"
LAMBDAS = (0.5, 1.0, 2.0, 5.0)
#: enummixed in exact arithmetic up to this many strategy profiles, in floating point above (the
#: 36 x 8 reduced strategic form of crisis_demands(2, 3) takes 16 s in floating point and far
#: longer in rationals).
RATIONAL_CELLS = 100

#: Game files written by hand from the published format: (id, file, source).
FILES = (
    (
        "one_card_poker_file",
        "one_card_poker.efg",
        "Myerson (1991), Game Theory: Analysis of Conflict, sec. 2.1; unique equilibrium: raise "
        "with red, raise with black w.p. 1/3, meet w.p. 2/3, value 1/3 to player 1",
    ),
    (
        "selten_horse_file",
        "selten_horse.efg",
        "Selten (1975), IJGT 4: 25-55; payoffs of Osborne and Rubinstein (1994), Fig. 225.1",
    ),
    (
        "beer_quiche_file",
        "beer_quiche.efg",
        "Cho and Kreps (1987), QJE 102: 179-221; prior 9/10 strong; stage payoffs at "
        "non-terminal nodes",
    ),
    (
        "von_stengel_degenerate",
        "von_stengel_degenerate.nfg",
        "von Stengel (2007), ch. 3 of Nisan et al. (eds.), Algorithmic Game Theory: the "
        "degenerate 3x2 example (payoff version of .nfg)",
    ),
    (
        "rock_paper_scissors",
        "rock_paper_scissors.nfg",
        "Rock, paper, scissors (outcome version of .nfg, draws are the null outcome)",
    ),
)

#: Games of model.catalog: (id, function, arguments, source).
CATALOG = (
    ("matching_pennies", "matching_pennies", (), "von Neumann and Morgenstern (1944)"),
    ("battle_of_the_sexes", "battle_of_the_sexes", (), "Luce and Raiffa (1957), ch. 5"),
    ("entry_deterrence", "entry_deterrence", (), "Selten (1978), the chain store stage game"),
    ("selten_horse", "selten_horse", (), "Selten (1975); Osborne and Rubinstein (1994)"),
    ("one_card_poker", "one_card_poker", (), "Myerson (1991), sec. 2.1"),
    ("beer_quiche", "beer_quiche", (), "Cho and Kreps (1987), prior 0.9"),
    (
        "crisis_signalling",
        "crisis_signalling",
        (0.3, 2.0, 1.0),
        "Banks (1990); Morrow (1989); at pi=0.3, d=2, a=1",
    ),
    ("crisis_demands", "crisis_demands", (2, 3), "2 challenger types and 3 demand sizes"),
)

ABOUT = (
    "Answers of pygambit (version in 'pygambit_version') for the game files in this folder, "
    "recorded by record_fixtures.py (see its docstring to rerun). 'games' lists one entry per "
    "game: 'id', 'file' (in this folder; read it with model.gambit.read_efg or read_nfg), 'form' "
    "('extensive' or 'strategic'), 'source', 'players', and 'infosets' {infoset: [actions]} "
    "(extensive) or 'strategies' {player: [strategies]} (strategic), all in OUR names (those "
    "model.gambit gives the file). 'methods' maps a method to {'call': the pygambit call, "
    "'equilibria': [{'profile': ..., 'payoffs': {player: expected payoff}}]}; for 'qre' "
    "instead 'points': [{'lambda_requested', 'lambda' (as pygambit returned it), 'profile'}]. "
    "A profile of a tree is a behaviour profile {infoset: {action: probability}}; of a "
    "strategic game a mixed profile {player: {strategy: probability}}. Methods: 'lcp' = "
    "pygambit.nash.lcp_solve(game, rational=True) (sequence form on trees, Lemke-Howson on "
    "tables; two players), 'enummixed' = pygambit.nash.enummixed_solve(game, rational=...) "
    "(all extreme equilibria of the strategic form; two players; on trees converted with "
    "as_behavior; in floating point when the strategic form has more than 100 cells, as its "
    "'call' says), 'logit' = pygambit.nash.logit_solve(game) (approximate limit of the logit "
    "QRE principal branch, regret below 1e-8 times the payoff range), 'qre' = "
    "pygambit.qre.logit_solve_lambda(game, lambdas) (on trees one logit response per "
    "information set, with conditional action values). Rational answers are stored as floats. "
    "The probabilities of an information set are null where pygambit left them undefined "
    "(as_behavior gives all zeros at an information set its owner's own moves never reach; any "
    "completion, e.g. uniform, keeps the profile an equilibrium)."
)


def _number(x) -> float | None:
    value = float(x)
    return None if math.isnan(value) else value


def _paths(game):
    """Child positions from the root to every node of our game."""
    paths = {0: ()}
    for node in game.nodes[1:]:
        position = game.nodes[node.parent].children.index(node.index)
        paths[node.index] = paths[node.parent] + (position,)
    return paths


def _gambit_node(ggame, path):
    node = ggame.root
    for k in path:
        node = list(node.children)[k]
    return node


def _infoset_map(game, ggame):
    """Our infoset name -> (Gambit infoset, our actions, Gambit actions)."""
    paths = _paths(game)
    out = {}
    for iset in game.infosets.values():
        node = _gambit_node(ggame, paths[iset.nodes[0]])
        gacts = list(node.infoset.actions)
        assert len(gacts) == len(iset.actions), iset.name
        out[iset.name] = (node.infoset, iset.actions, gacts)
    return out


def _behaviour(profile, isets):
    out = {}
    for name, (_, acts, gacts) in isets.items():
        probs = [_number(profile[g]) for g in gacts]
        if None in probs or abs(sum(probs) - 1.0) > 1e-9:
            probs = [None] * len(probs)  # as_behavior leaves zeros where the owner never goes
        out[name] = dict(zip(acts, probs, strict=True))
    return out


def _flat_behaviour(qre, ggame, isets):
    """Read a behaviour QRE profile by flat index, in Gambit's order."""
    index = {}
    for player in ggame.players:
        for infoset in player.infosets:
            for action in infoset.actions:
                index[action] = len(index)
    assert len(index) == len(qre), (len(index), len(qre))
    return {
        name: {a: _number(qre[index[g]]) for a, g in zip(acts, gacts, strict=True)}
        for name, (_, acts, gacts) in isets.items()
    }


def _mixed(profile, ggame, players, strategies):
    out = {}
    for p, gp in zip(players, ggame.players, strict=True):
        gs = list(gp.strategies)
        out[p] = {s: _number(profile[g]) for s, g in zip(strategies[p], gs, strict=True)}
    return out


def _payoffs(profile, ggame, players):
    return {p: float(profile.payoff(gp)) for p, gp in zip(players, ggame.players, strict=True)}


def _write_catalog_files() -> list[tuple[str, str, str]]:
    from model import catalog
    from model.gambit import write_efg, write_nfg
    from model.strategic import StrategicGame

    out = []
    for ident, function, args, source in CATALOG:
        made = getattr(catalog, function)(*args)
        call = f"{function}({', '.join(map(repr, args))})"
        if isinstance(made, tuple):
            game = StrategicGame.from_bimatrix(*made, title=f"{ident} (model.catalog.{call})")
            name, text = f"catalog_{ident}.nfg", write_nfg(game)
        else:
            name, text = f"catalog_{ident}.efg", write_efg(made)
        (HERE / name).write_text(text, encoding="utf-8")
        out.append((f"catalog_{ident}", name, f"model.catalog.{call}: {source}"))
    return out


def _record_tree(gbt, ident, name, source):
    from model.gambit import read_efg

    game = read_efg(HERE / name)
    ggame = gbt.read_efg(str(HERE / name))
    isets = _infoset_map(game, ggame)
    players = list(game.players)
    entry = {
        "id": ident,
        "file": name,
        "form": "extensive",
        "source": source,
        "players": players,
        "infosets": {k: list(v.actions) for k, v in game.infosets.items()},
        "methods": {},
    }
    methods = entry["methods"]

    def eqs(result, convert):
        return [
            {"profile": convert(e), "payoffs": _payoffs(e, ggame, players)}
            for e in result.equilibria
        ]

    if len(players) == 2:
        res = gbt.nash.lcp_solve(ggame, rational=True)
        methods["lcp"] = {
            "call": "pygambit.nash.lcp_solve(game, rational=True)",
            "equilibria": eqs(res, lambda e: _behaviour(e, isets)),
        }
        rational = math.prod(len(p.strategies) for p in ggame.players) <= RATIONAL_CELLS
        res = gbt.nash.enummixed_solve(ggame, rational=rational)
        methods["enummixed"] = {
            "call": f"pygambit.nash.enummixed_solve(game, rational={rational}); as_behavior()",
            "equilibria": [
                {
                    "profile": _behaviour(e.as_behavior(), isets),
                    "payoffs": _payoffs(e, ggame, players),
                }
                for e in res.equilibria
            ],
        }
    res = gbt.nash.logit_solve(ggame)
    methods["logit"] = {
        "call": "pygambit.nash.logit_solve(game)",
        "equilibria": eqs(res, lambda e: _behaviour(e, isets)),
    }
    points = gbt.qre.logit_solve_lambda(ggame, list(LAMBDAS))
    methods["qre"] = {
        "call": f"pygambit.qre.logit_solve_lambda(game, {list(LAMBDAS)})",
        "points": [
            {
                "lambda_requested": lam,
                "lambda": float(q.lam),
                "profile": _flat_behaviour(q, ggame, isets),
            }
            for lam, q in zip(LAMBDAS, points, strict=True)
        ],
    }
    return entry


def _record_table(gbt, ident, name, source):
    from model.gambit import read_nfg

    game = read_nfg(HERE / name)
    ggame = gbt.read_nfg(str(HERE / name))
    players = list(game.players)
    strategies = dict(zip(players, map(list, game.strategies), strict=True))
    entry = {
        "id": ident,
        "file": name,
        "form": "strategic",
        "source": source,
        "players": players,
        "strategies": strategies,
        "methods": {},
    }
    methods = entry["methods"]

    def eqs(result):
        return [
            {
                "profile": _mixed(e, ggame, players, strategies),
                "payoffs": _payoffs(e, ggame, players),
            }
            for e in result.equilibria
        ]

    if len(players) == 2:
        methods["lcp"] = {
            "call": "pygambit.nash.lcp_solve(game, rational=True)",
            "equilibria": eqs(gbt.nash.lcp_solve(ggame, rational=True)),
        }
        methods["enummixed"] = {
            "call": "pygambit.nash.enummixed_solve(game, rational=True)",
            "equilibria": eqs(gbt.nash.enummixed_solve(ggame, rational=True)),
        }
    methods["logit"] = {
        "call": "pygambit.nash.logit_solve(game)",
        "equilibria": eqs(gbt.nash.logit_solve(ggame)),
    }
    points = gbt.qre.logit_solve_lambda(ggame, list(LAMBDAS))
    methods["qre"] = {
        "call": f"pygambit.qre.logit_solve_lambda(game, {list(LAMBDAS)})",
        "points": [
            {
                "lambda_requested": lam,
                "lambda": float(q.lam),
                "profile": _mixed(q.profile, ggame, players, strategies),
            }
            for lam, q in zip(LAMBDAS, points, strict=True)
        ],
    }
    return entry


def main() -> None:
    """Write the catalog files, run pygambit on every game and write the JSON."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import pygambit as gbt

    games = list(FILES) + _write_catalog_files()
    entries = []
    for ident, name, source in games:
        record = _record_tree if name.endswith(".efg") else _record_table
        entries.append(record(gbt, ident, name, source))
        print(f"recorded {ident} ({name})")
    data = {"about": ABOUT, "pygambit_version": gbt.__version__, "games": entries}
    OUT.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
