"""Gambit .efg/.nfg reading and writing, and pygambit's recorded answers checked independently.

Known answers: tests/data/gambit/known_answers.json (hand-derived, sources named there).
pygambit's answers: tests/data/gambit/pygambit_fixtures.json (recorded by record_fixtures.py in
the same folder); every recorded equilibrium is certified by model.checks on OUR reading of the
same file, and every QRE point is checked against the logit equations computed here.
"""

import io
import itertools
import json
import math
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from model import catalog
from model.checks import bimatrix_certificate, tree_certificate
from model.gambit import (
    GambitFormatError,
    _exact,
    _format,
    read_efg,
    read_nfg,
    write_efg,
    write_nfg,
)
from model.strategic import StrategicGame
from model.tree import Chance, Decision, Game, Terminal

DATA = Path(__file__).parent / "data" / "gambit"
KNOWN = json.loads((DATA / "known_answers.json").read_text(encoding="utf-8"))
FIXTURES = json.loads((DATA / "pygambit_fixtures.json").read_text(encoding="utf-8"))


def frac(x):
    return float(Fraction(x)) if isinstance(x, str) else float(x)


def chance_probabilities(game):
    return [
        [float(p) for p, _ in game.source(n.index).branches.values()]
        for n in game.nodes
        if n.kind == "chance"
    ]


def assert_same_game(a, b, *, prob_atol=0.0):
    """Structure, labels, payoffs and chance probabilities of two games agree."""
    assert a.players == b.players
    assert a.title == b.title

    def shape(g):
        return [
            (n.kind, n.parent, n.edge, n.children, n.player, n.infoset, n.label) for n in g.nodes
        ]

    assert shape(a) == shape(b)
    assert {k: (v.player, v.actions, v.nodes) for k, v in a.infosets.items()} == {
        k: (v.player, v.actions, v.nodes) for k, v in b.infosets.items()
    }
    np.testing.assert_array_equal(a.payoffs, b.payoffs)
    for pa, pb in zip(chance_probabilities(a), chance_probabilities(b), strict=True):
        np.testing.assert_allclose(pa, pb, rtol=0, atol=prob_atol)


# -- the hand-written sample files ---------------------------------------------------------------
@pytest.mark.parametrize("case", KNOWN["efg"], ids=lambda c: c["file"])
def test_sample_efg_files_read_as_published(case):
    game = read_efg(DATA / case["file"])
    assert list(game.players) == case["players"]
    assert {k: list(v.actions) for k, v in game.infosets.items()} == case["infosets"]
    expected = [[frac(p) for p in node] for node in case["chance"]]
    assert chance_probabilities(game) == expected
    np.testing.assert_array_equal(game.payoffs, np.array(case["terminal_payoffs"], dtype=float))
    assert [game.nodes[t].label for t in game.terminals] == case["terminal_labels"]
    profile = {k: [frac(p) for p in v] for k, v in case["equilibrium"].items()}
    assert tree_certificate(game, profile).all_passed
    np.testing.assert_allclose(
        game.expected_payoffs(profile), [frac(v) for v in case["equilibrium_payoffs"]], atol=1e-12
    )


@pytest.mark.parametrize("case", KNOWN["nfg"], ids=lambda c: c["file"])
def test_sample_nfg_files_read_as_published(case):
    game = read_nfg(DATA / case["file"])
    assert list(game.players) == case["players"]
    assert [list(s) for s in game.strategies] == case["strategies"]
    A, B = game.bimatrix()
    np.testing.assert_array_equal(A, np.array(case["A"], dtype=float))
    np.testing.assert_array_equal(B, np.array(case["B"], dtype=float))
    for x, y in case["equilibria"]:
        assert bimatrix_certificate(A, B, [frac(v) for v in x], [frac(v) for v in y]).all_passed


def test_degenerate_nfg_is_the_known_games_entry():
    known = json.loads((DATA.parent / "known_games.json").read_text(encoding="utf-8"))
    entry = next(c for c in known["bimatrix"] if c["id"] == "von_stengel_3x2_degenerate")
    A, B = read_nfg(DATA / "von_stengel_degenerate.nfg").bimatrix()
    np.testing.assert_array_equal(A, entry["A"])
    np.testing.assert_array_equal(B, entry["B"])


def pure_payoff_table(game, infoset_order):
    """Expected payoffs of every pure profile, information sets taken in ``infoset_order``."""
    sizes = [len(game.infosets[i].actions) for i in infoset_order]
    rows = []
    for choice in itertools.product(*map(range, sizes)):
        profile = game.pure_profile(dict(zip(infoset_order, choice, strict=True)))
        rows.append(game.expected_payoffs(profile))
    return np.array(rows)


@pytest.mark.parametrize(
    ("file", "build", "mapping"),
    [
        (
            "one_card_poker.efg",
            catalog.one_card_poker,
            {"Player 1:1": "1.red", "Player 1:2": "1.black", "raised": "2"},
        ),
        (
            "selten_horse.efg",
            catalog.selten_horse,
            {"Player 1:1": "1", "Player 2:1": "2", "Player 3:1": "3"},
        ),
        (
            "beer_quiche.efg",
            catalog.beer_quiche,
            {"strong": "S.strong", "weak": "S.weak", "beer": "R.beer", "quiche": "R.quiche"},
        ),
    ],
)
def test_sample_files_are_the_catalog_games(file, build, mapping):
    """Files written by hand from the sources and the catalog's trees agree profile by profile."""
    ours, theirs = read_efg(DATA / file), build()
    np.testing.assert_allclose(
        pure_payoff_table(ours, list(mapping)),
        pure_payoff_table(theirs, list(mapping.values())),
        atol=1e-12,
    )


# -- tokens, numbers, names ------------------------------------------------------------------------
def test_strings_numbers_and_commas():
    text = (
        'EFG 2 R "a \\"quoted\\" title\nover two lines" { "x" "y" } "back\\\\slash \\q"\n'
        'c "" 1 "" { "h" .25 "t" 3/4 } 0\n'
        't "" 1 "" { -1.5e1, +2 }\n'
        't "" 2 "" { 1e-3 -.5 }\n'
    )
    game = read_efg(text)
    assert game.title == 'a "quoted" title\nover two lines'
    assert game.annotations["comment"] == "back\\slash \\q"
    assert chance_probabilities(game) == [[0.25, 0.75]]
    np.testing.assert_array_equal(game.payoffs, [[-15.0, 2.0], [0.001, -0.5]])


def test_infoset_names_fall_back_to_player_and_number():
    text = """EFG 2 R "" { "A" "B" }
    c "" 1 "" { "l" 1/2 "r" 1/2 } 0
    p "" 1 1 "x" { "" "" "u_1" "u" "u" } 0
    t "" 0 t "" 0 t "" 0 t "" 0 t "" 0
    p "" 2 7 "x" { "a" } 0
    p "" 1 2 "B:7" { "b" } 0
    p "" 2 3 "unique" { "c" } 0
    t "" 0
    """
    game = read_efg(text)
    # "x" is used twice; "B:7" would clash with the generated name of B's set 7
    assert list(game.infosets) == ["A:1", "B:7", "A:2", "unique"]
    # empty and repeated actions are made distinct, skipping labels already in use
    assert game.infosets["A:1"].actions == ("_1", "_2", "u_1", "u_2", "u_3")


def test_outcomes_at_non_terminal_nodes_accumulate_and_may_be_shared():
    text = """EFG 2 R "stages" { "one" "two" }
    p "" 1 1 "first" { "a" "b" } 1 "stage" { 1/10 -1 }
    c "" 1 "" { "x" 0.5 "y" 0.5 } 1
    t "" 1
    t "" 2 "end" { 0.2 0.5 }
    t "" 2 "end" { 0.2, 0.5 }
    """
    game = read_efg(text)
    # sums are exact before the conversion to floats (in floats 0.1 + 0.2 != 0.3)
    assert game.payoffs.tolist() == [[0.3, -3.0], [0.4, -1.5], [0.3, -0.5]]
    assert [game.nodes[t].label for t in game.terminals] == ["stage", "end", "end"]


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_numbers_are_written_exactly(x):
    text = _format(_exact(x))
    assert float(Fraction(text)) == x


# -- round trips -------------------------------------------------------------------------------
CATALOG_TREES = {
    "entry_deterrence": catalog.entry_deterrence,
    "selten_horse": catalog.selten_horse,
    "one_card_poker": catalog.one_card_poker,
    "beer_quiche": catalog.beer_quiche,
    "crisis_signalling": lambda: catalog.crisis_signalling(0.3, 2.0, 1.0),
    "crisis_demands": lambda: catalog.crisis_demands(2, 3),
    "bimatrix_tree": lambda: catalog.bimatrix_tree(*catalog.battle_of_the_sexes()),
}


@pytest.mark.parametrize("name", CATALOG_TREES)
def test_catalog_trees_round_trip(name):
    game = CATALOG_TREES[name]()
    assert_same_game(read_efg(write_efg(game)), game)


def test_batched_game_is_written_at_a_point():
    game = catalog.crisis_signalling(pi=[0.1, 0.3, 0.45], d=2.0, a=1.0)
    with pytest.raises(ValueError, match="batch shape \\(3,\\)\\); pass point="):
        write_efg(game)
    back = read_efg(write_efg(game, point=1))
    assert_same_game(back, catalog.crisis_signalling(pi=0.3, d=2.0, a=1.0))


def test_paths_and_os_pathlike_are_read(tmp_path):
    game = catalog.one_card_poker()
    path = tmp_path / "poker.efg"
    path.write_text(write_efg(game), encoding="utf-8")
    assert_same_game(read_efg(path), game)
    assert_same_game(read_efg(str(path)), game)
    assert_same_game(read_efg("\n  " + write_efg(game)), game)


@pytest.mark.parametrize(
    "pair", [catalog.matching_pennies(), catalog.battle_of_the_sexes()], ids=["mp", "bos"]
)
@pytest.mark.parametrize("form", ["payoff", "outcome"])
def test_catalog_bimatrix_games_round_trip(pair, form):
    game = StrategicGame.from_bimatrix(*pair, title="t")
    back = read_nfg(write_nfg(game, form=form))
    assert (back.players, back.strategies, back.title) == (game.players, game.strategies, "t")
    np.testing.assert_array_equal(back.payoffs, game.payoffs)


# a label is any short text, quotes, backslashes, braces and line breaks included
labels = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=5)
# what Gambit (16.7) accepts as a label: printable ASCII without leading, trailing or double
# spaces; and no backslash, for which its reader has no escape
gambit_labels = st.text(
    st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters="\\"),
    min_size=1,
    max_size=5,
).filter(lambda s: s == s.strip() and "  " not in s)
numbers = st.one_of(
    st.integers(-20, 20).map(float),
    st.fractions(min_value=-10, max_value=10, max_denominator=12).map(float),
    st.floats(-1e6, 1e6, allow_nan=False),
)


@st.composite
def random_games(draw, gambit_safe=False):
    """Trees with chance nodes and multi-node information sets that keep perfect recall.

    A "block" is a chance node or a decision of one player whose children all belong to one
    fresh information set of another player, who thus does not see that move.
    """
    text = gambit_labels if gambit_safe else labels
    n = draw(st.integers(1, 3))
    players = tuple(draw(st.lists(text, min_size=n, max_size=n, unique=True)))
    fresh = itertools.count()

    def infoset():
        return f"{draw(text)}#{next(fresh)}"

    def probabilities(k):
        weights = draw(st.lists(st.integers(0, 5), min_size=k, max_size=k).filter(any))
        return [w / sum(weights) for w in weights]

    def terminal():
        label = draw(st.one_of(st.none(), st.sampled_from(["war", "peace"]), text))
        return Terminal(tuple(draw(numbers) for _ in players), label)

    def subtree(depth):
        kinds = ["terminal"] if depth <= 0 else ["terminal", "chance", "decision", "block"]
        kind = draw(st.sampled_from(kinds))
        if kind == "terminal":
            return terminal()
        acts = draw(st.lists(text, min_size=1, max_size=3, unique=True))
        if kind == "chance":
            probs = probabilities(len(acts))
            return Chance({a: (p, subtree(depth - 1)) for a, p in zip(acts, probs, strict=True)})
        if kind == "decision":
            player = draw(st.sampled_from(players))
            return Decision(player, infoset(), {a: subtree(depth - 1) for a in acts})
        # block: the mover is chance or a player other than the one who moves next
        second = draw(st.sampled_from(players))
        others = [p for p in players if p != second]
        mover = draw(st.sampled_from([None, *others]))
        shared, inner = infoset(), draw(st.lists(text, min_size=1, max_size=2, unique=True))

        def blind():
            return Decision(second, shared, {b: subtree(depth - 2) for b in inner})

        if mover is None:
            probs = probabilities(len(acts))
            return Chance({a: (p, blind()) for a, p in zip(acts, probs, strict=True)})
        return Decision(mover, infoset(), {a: blind() for a in acts})

    title = draw(st.one_of(st.just(""), text))
    return Game(players, subtree(draw(st.integers(0, 4))), title=title)


@given(random_games())
def test_random_trees_round_trip(game):
    back = read_efg(write_efg(game))
    assert_same_game(back, game, prob_atol=1e-15)


@given(
    st.lists(st.integers(1, 3), min_size=1, max_size=3).flatmap(
        lambda shape: st.tuples(
            st.just(tuple(shape)),
            st.lists(
                numbers,
                min_size=len(shape) * math.prod(shape),
                max_size=len(shape) * math.prod(shape),
            ),
            st.lists(labels, min_size=max(shape), max_size=max(shape), unique=True),
        )
    ),
    st.sampled_from(["payoff", "outcome"]),
)
def test_random_strategic_games_round_trip(spec, form):
    shape, values, names = spec
    players = tuple(f"player {k}" for k in range(len(shape)))
    strategies = tuple(tuple(names[:n]) for n in shape)
    game = StrategicGame(players, strategies, np.reshape(values, (len(shape), *shape)), "g")
    back = read_nfg(write_nfg(game, form=form))
    assert (back.players, back.strategies) == (game.players, game.strategies)
    np.testing.assert_array_equal(back.payoffs, game.payoffs)


def test_nfg_profiles_run_with_the_first_player_fastest():
    text = 'NFG 1 R "" { "a" "b" "c" } { 2 1 2 }\n' + " ".join(
        f"{i} {10 + i} {20 + i}" for i in range(4)
    )
    game = read_nfg(text)
    # profile k = i + 2 * j3 (player 1 fastest): payoff of player 1 is k
    assert game.payoffs[0, :, 0, :].tolist() == [[0.0, 2.0], [1.0, 3.0]]
    assert game.payoffs[2, 1, 0, 1] == 23.0


# -- errors ----------------------------------------------------------------------------------------
HEAD = 'EFG 2 R "t" { "A" "B" }\n'
EFG_ERRORS = [
    ('NFG 1 R "t" { "A" } { 1 } 0', 1, "this is a file for read_nfg"),
    ('EFG 3 R "t" { "A" }', 1, "expected the version number 2"),
    ('EFG 2 R { "A" }', 1, "expected the game's title"),
    ('EFG 2 R "t" { "A" "A" } t "" 0', 1, "player name 'A' appears twice"),
    ('EFG 2 R "t" { "" } t "" 0', 1, "player 1 has an empty name"),
    (HEAD + 'x "" 0', 2, "expected the root node: 'c' (chance), 'p' (personal) or 't'"),
    (HEAD + 'p "" 3 1 "I" { "a" } 0\nt "" 0', 2, "player number 3 is not between 1 and 2"),
    (HEAD + 'p "" 1 1 0\nt "" 0', 2, "information set 1 of player 1 ('A') is used before"),
    (
        HEAD + 'c "" 1 "" { "a" 1/2 "b" 1/2 } 0\np "" 1 1 "I" { "x" } 0\nt "" 0\n'
        'p "" 1 1 "I" { "y" } 0\nt "" 0',
        5,
        "described differently from its first description on line 3",
    ),
    (HEAD + 't "" 4', 2, "outcome 4 is used before its name and payoffs are given"),
    (HEAD + 't "" 0 "o" { 1 2 }', 2, "the null outcome 0 must not have a name or payoffs"),
    (HEAD + 't "" 1 "o" { 1 }', 2, "expected the payoff of player 2 in outcome 1"),
    (HEAD + 't "" 1 "o" { 1 x }', 2, "found 'x'"),
    (HEAD + 'p "" 1 1 "I" { "a" "b" } 0\nt "" 0', 3, "node on line 2 still needs 1 more child"),
    (HEAD + 't "" 0\nt "" 0', 3, "expected the end of the file after the last node"),
    (HEAD + 't "unterminated 0', 2, "a quoted string is not closed"),
    (HEAD + 'c "" 1 "" { "a" 0.3 "b" 0.6 } 0\nt "" 0\nt "" 0', 2, "sum to 0.9, not 1"),
    (HEAD + 'c "" 1 "" { "a" -1/2 "b" 3/2 } 0\nt "" 0\nt "" 0', 2, "is -1/2, outside [0, 1]"),
    (HEAD + 'c "" 1 "" { "a" 1/0 } 0\nt "" 0', 2, "divides by zero"),
    (HEAD + 'p "" 1 0 "I" { "a" } 0', 2, "expected the information set number of player 1 (a po"),
]


@pytest.mark.parametrize(("text", "line", "message"), EFG_ERRORS)
def test_malformed_efg_names_line_and_need(text, line, message):
    with pytest.raises(GambitFormatError, match=f"^line {line}, column \\d+: .*") as info:
        read_efg(text)
    assert message in str(info.value)
    assert info.value.line == line


def test_imperfect_recall_is_refused():
    # player A forgets its own first move
    text = HEAD + (
        'p "" 1 1 "first" { "l" "r" } 0\n'
        'p "" 1 2 "second" { "x" } 0\nt "" 0\n'
        'p "" 1 2 "second" { "x" } 0\nt "" 0\n'
    )
    with pytest.raises(GambitFormatError, match="perfect recall.*imperfect recall at information"):
        read_efg(text)


def test_file_errors_name_the_file(tmp_path):
    path = tmp_path / "bad.efg"
    path.write_text(HEAD + "t", encoding="utf-8")
    with pytest.raises(
        GambitFormatError, match=f"^{re.escape(str(path))}: line 2, column 2: expected the node"
    ):
        read_efg(path)
    with pytest.raises(FileNotFoundError, match="neither the text of a game"):
        read_efg(str(tmp_path / "missing.efg"))
    with pytest.raises(TypeError, match="must be the text of a game or a path"):
        read_efg(42)


NFG_ERRORS = [
    ('EFG 2 R "t" { "A" } t "" 0', 1, "this is a file for read_efg"),
    ('NFG 1 R "t" { "A" "B" } { 2 0 } 1 2', 1, "the number of strategies of player 2 ('B')"),
    ('NFG 1 R "t" { "A" "B" } { 2 1 }\n1 2 3', 2, "expected the payoff of player 2 at profile 2"),
    ('NFG 1 R "t" { "A" } { 1 }\n1 2', 2, "expected the end of the file after the 1 profile"),
    ('NFG 1 R "t" { "A" } { { "x" "y" } }\n{ { "" 1 } }\n1 2', 3, "outcome 2 is not defined"),
    ('NFG 1 R "t" { "A" } { { } }\n', 1, "player 1 ('A') has no strategies"),
    ('NFG 1 R "t" { "A" } { 1 }\n"c" "d"', 2, "expected the payoffs (numbers) or '{'"),
]


@pytest.mark.parametrize(("text", "line", "message"), NFG_ERRORS)
def test_malformed_nfg_names_line_and_need(text, line, message):
    with pytest.raises(GambitFormatError, match=f"^line {line}, column \\d+: ") as info:
        read_nfg(text)
    assert message in str(info.value)


def test_writers_check_their_arguments():
    with pytest.raises(TypeError, match="must be a model.tree.Game"):
        write_efg(StrategicGame.from_bimatrix([[1.0]], [[1.0]]))
    with pytest.raises(TypeError, match="must be a model.strategic.StrategicGame"):
        write_nfg(catalog.entry_deterrence())
    with pytest.raises(ValueError, match="form = 'table' must be 'payoff' or 'outcome'"):
        write_nfg(StrategicGame.from_bimatrix([[1.0]], [[1.0]]), form="table")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"strategies": (("a",), ("b",), ("c",))}, "strategies holds 3 list"),
        ({"strategies": (("a", "a"), ("b",))}, "must be distinct non-empty strings"),
        ({"payoffs": np.zeros((2, 2, 1))}, "payoffs has shape \\(2, 2, 1\\)"),
        ({"payoffs": [[[np.inf]], [[0.0]]]}, "payoffs\\[0, 0, 0\\] = inf is not finite"),
        ({"players": "ab"}, "players = 'ab' must be a non-empty sequence"),
    ],
)
def test_strategic_game_validation(kwargs, message):
    args = {"players": ("x", "y"), "strategies": (("a",), ("b",)), "payoffs": [[[0.0]], [[0.0]]]}
    with pytest.raises(ValueError, match=message):
        StrategicGame(**(args | kwargs))


def test_bimatrix_needs_two_players():
    game = StrategicGame(("a",), (("x", "y"),), [[1.0, 2.0]])
    with pytest.raises(ValueError, match="needs a two-player game; this one has 1 players"):
        game.bimatrix()


# -- pygambit's recorded answers, checked with our own certificates -------------------------------
def fixture_cases(methods):
    return [
        pytest.param(entry, method, id=f"{entry['id']}-{method}")
        for entry in FIXTURES["games"]
        for method in methods
        if method in entry["methods"]
    ]


def complete(game, profile):
    """Fill undefined (null) probabilities with the uniform distribution."""
    out = {}
    for name, probs in profile.items():
        values = list(probs.values())
        out[name] = [1.0 / len(values)] * len(values) if any(v is None for v in values) else values
    return out


def test_fixtures_cover_the_games_asked_for():
    ids = {e["id"] for e in FIXTURES["games"]}
    for name in [
        "matching_pennies",
        "battle_of_the_sexes",
        "entry_deterrence",
        "one_card_poker",
        "beer_quiche",
        "crisis_signalling",
        "crisis_demands",
        "selten_horse",
    ]:
        assert f"catalog_{name}" in ids
    assert "von_stengel_degenerate" in ids
    for entry in FIXTURES["games"]:
        assert (DATA / entry["file"]).is_file()
        assert entry["methods"]["logit"]["equilibria"]


@pytest.mark.parametrize(
    ("name", "build"),
    [(k, CATALOG_TREES[k]) for k in CATALOG_TREES if k != "bimatrix_tree"]
    + [
        ("matching_pennies", catalog.matching_pennies),
        ("battle_of_the_sexes", catalog.battle_of_the_sexes),
    ],
)
def test_catalog_files_are_todays_catalog(name, build):
    """If this fails, the catalog changed: rerun tests/data/gambit/record_fixtures.py."""
    made = build()
    if isinstance(made, tuple):
        A, B = read_nfg(DATA / f"catalog_{name}.nfg").bimatrix()
        np.testing.assert_array_equal(A, made[0])
        np.testing.assert_array_equal(B, made[1])
    else:
        assert_same_game(read_efg(DATA / f"catalog_{name}.efg"), made)


@pytest.mark.parametrize(("entry", "method"), fixture_cases(["lcp", "enummixed", "logit"]))
def test_recorded_equilibria_pass_our_certificates(entry, method):
    exact = method != "logit"
    tolerance = 1e-9 if exact else 1e-6
    equilibria = entry["methods"][method]["equilibria"]
    assert equilibria
    if entry["form"] == "extensive":
        game = read_efg(DATA / entry["file"])
        assert {k: list(v.actions) for k, v in game.infosets.items()} == entry["infosets"]
        assert list(game.players) == entry["players"]
        for eq in equilibria:
            profile = complete(game, eq["profile"])
            cert = tree_certificate(game, profile, tolerance=tolerance)
            assert cert.all_passed, (eq, float(cert.max_regret))
            np.testing.assert_allclose(
                game.expected_payoffs(profile),
                [eq["payoffs"][p] for p in game.players],
                atol=tolerance,
            )
    else:
        game = read_nfg(DATA / entry["file"])
        assert [list(s) for s in game.strategies] == [entry["strategies"][p] for p in game.players]
        A, B = game.bimatrix()
        for eq in equilibria:
            x, y = (list(eq["profile"][p].values()) for p in game.players)
            cert = bimatrix_certificate(A, B, x, y, tolerance=tolerance)
            assert cert.all_passed, (eq, float(cert.max_regret))
            np.testing.assert_allclose(
                [x @ A @ y, x @ B @ y],
                [eq["payoffs"][p] for p in game.players],
                atol=tolerance,
            )


def test_recorded_extreme_equilibria_of_known_bimatrix_games():
    """enummixed found exactly the extreme equilibria known from the sources."""
    for case in KNOWN["nfg"]:
        entry = next(e for e in FIXTURES["games"] if e["file"] == case["file"])
        found = sorted(
            tuple(round(v, 9) for p in entry["players"] for v in eq["profile"][p].values())
            for eq in entry["methods"]["enummixed"]["equilibria"]
        )
        known = sorted(
            tuple(round(frac(v), 9) for part in eq for v in part) for eq in case["equilibria"]
        )
        assert found == known


def softmax(values, lam):
    z = np.exp(lam * (values - values.max()))
    return z / z.sum()


def tree_qre_residual(game, profile, lam):
    """Largest gap between a behaviour profile and the logit response to it, per infoset.

    The value of action a at information set I of player k is the expected payoff of k after
    a, averaged over the nodes of I in proportion to their reach probabilities.
    """
    reach = game.reach_probabilities(profile)
    values = game.node_values(profile)
    table = game.behaviour_table(profile)
    gap = 0.0
    for iset in game.infosets.values():
        k = game.player_index(iset.player)
        weights = reach[list(iset.nodes)]
        children = np.array([game.nodes[h].children for h in iset.nodes])
        action_values = weights @ values[children, k] / weights.sum()
        response = softmax(action_values, lam)
        gap = max(gap, float(np.abs(table[list(iset.slots)] - response).max()))
    return gap


@pytest.mark.parametrize(("entry", "method"), fixture_cases(["qre"]))
def test_recorded_qre_points_solve_the_logit_equations(entry, method):
    points = entry["methods"][method]["points"]
    assert [p["lambda_requested"] for p in points] == [0.5, 1.0, 2.0, 5.0]
    for point in points:
        lam = point["lambda"]
        assert lam == pytest.approx(point["lambda_requested"], rel=1e-6)
        if entry["form"] == "extensive":
            game = read_efg(DATA / entry["file"])
            gap = tree_qre_residual(game, complete(game, point["profile"]), lam)
        else:
            game = read_nfg(DATA / entry["file"])
            A, B = game.bimatrix()
            x, y = (np.array(list(point["profile"][p].values())) for p in game.players)
            gap = max(
                np.abs(x - softmax(A @ y, lam)).max(), np.abs(y - softmax(B.T @ x, lam)).max()
            )
        assert gap < 1e-6, (point, gap)


# -- live comparison with pygambit (where it is installed) -------------------------------------
def compare_with_pygambit(game, ggame):
    """Walk our tree and pygambit's in parallel: structure, probabilities, payoffs, infosets."""
    assert [p.label for p in ggame.players] == list(game.players)
    ours: dict[str, set] = {}
    theirs: dict[object, set] = {}
    stack = [(0, ggame.root, (), np.zeros(game.n_players))]
    rows = {int(t): r for r, t in enumerate(game.terminals)}
    while stack:
        index, gnode, path, acc = stack.pop()
        node = game.nodes[index]
        if gnode.outcome:  # a proxy, false when the node has no outcome
            acc = acc + [float(gnode.outcome[p]) for p in ggame.players]
        if node.kind == "terminal":
            assert gnode.is_terminal
            np.testing.assert_allclose(acc, game.payoffs[rows[index]], rtol=0, atol=1e-12)
            continue
        gactions = list(gnode.infoset.actions)
        if node.kind == "chance":
            assert gnode.player.is_chance
            src = game.source(index)
            assert [a.label for a in gactions] == list(src.branches)
            np.testing.assert_allclose(
                [float(a.prob) for a in gactions],
                [float(p) for p, _ in src.branches.values()],
                rtol=0,
                atol=1e-12,
            )
        else:
            assert gnode.player.label == node.player
            assert [a.label for a in gactions] == list(game.infosets[node.infoset].actions)
            ours.setdefault(node.infoset, set()).add(path)
            theirs.setdefault(gnode.infoset, set()).add(path)
        gchildren = list(gnode.children)
        assert len(gchildren) == len(node.children)
        for k, (child, gchild) in enumerate(zip(node.children, gchildren, strict=True)):
            stack.append((child, gchild, path + (k,), acc))
    assert {frozenset(v) for v in ours.values()} == {frozenset(v) for v in theirs.values()}


@pytest.mark.parametrize("file", sorted(p.name for p in DATA.glob("*.efg")))
def test_pygambit_reads_the_efg_files_as_we_do(file):
    gbt = pytest.importorskip("pygambit")
    compare_with_pygambit(read_efg(DATA / file), gbt.read_efg(str(DATA / file)))


@pytest.mark.parametrize("file", sorted(p.name for p in DATA.glob("*.nfg")))
def test_pygambit_reads_the_nfg_files_as_we_do(file):
    gbt = pytest.importorskip("pygambit")
    game, ggame = read_nfg(DATA / file), gbt.read_nfg(str(DATA / file))
    assert [p.label for p in ggame.players] == list(game.players)
    gstrategies = [list(p.strategies) for p in ggame.players]
    assert [[s.label for s in ss] for ss in gstrategies] == [list(s) for s in game.strategies]
    for cell in itertools.product(*(range(n) for n in game.shape)):
        outcome = ggame[tuple(ss[i] for ss, i in zip(gstrategies, cell, strict=True))]
        pays = (
            [0.0] * game.n_players
            if outcome is None
            else [float(outcome[p]) for p in ggame.players]
        )
        np.testing.assert_array_equal(pays, game.payoffs[(slice(None), *cell)])


def test_pygambit_reads_what_we_write():
    gbt = pytest.importorskip("pygambit")

    @given(random_games(gambit_safe=True))
    def check(game):
        compare_with_pygambit(game, gbt.read_efg(io.StringIO(write_efg(game))))

    check()


def test_game_named_constructors_use_the_gambit_reader_and_writer():
    from model import catalog
    from model.tree import Game

    game = catalog.one_card_poker()
    text = game.to_efg()
    assert text == write_efg(game)
    again = Game.from_efg(text)
    assert again.players == game.players and set(again.infosets) == set(game.infosets)
    np.testing.assert_allclose(again.payoffs, game.payoffs)
