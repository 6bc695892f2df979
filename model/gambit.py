r"""Read and write Gambit's extensive (.efg) and strategic (.nfg) game files.

The formats are those of the Gambit manual, "Game representation formats" (McKelvey, McLennan
and Turocy, Gambit: Software Tools for Game Theory): ``EFG 2 R`` for extensive games and
``NFG 1 R`` for strategic games, the latter in both its *payoff* and its *outcome* version.

Tokens
------
A file is a sequence of whitespace-separated tokens: braces ``{ }``, commas (allowed between
payoffs), numbers, quoted strings and bare symbols (``EFG``, ``R``, node types ``c p t``).
Numbers are integers, decimals with an optional exponent (``-0.25``, ``1.5e-3``) or rationals
(``1/3``); they are parsed exactly (:class:`fractions.Fraction`), summed exactly and converted to
float64 last. A quoted string may span lines; ``\"`` stands for a quote and ``\\`` for a
backslash, any other backslash is kept as it is. (Gambit's own reader reads ``\"`` the same way
but has no escape for a backslash, so a label that contains one does not travel to Gambit.)

Extensive games (.efg)
----------------------
The prologue ``EFG 2 R "title" { "player 1" ... } ["comment"]`` is followed by the nodes in
pre-order (a node, then the subtrees of its children from first to last), each one of

* ``c "node" event ["event" { "label" prob ... }] outcome [outcome data]``: a chance node;
* ``p "node" player infoset ["infoset" { "action" ... }] outcome [outcome data]``: a decision
  of ``player`` (1-based) at the information set numbered ``infoset`` (numbers are per player);
* ``t "node" outcome [outcome data]``: a terminal node,

where outcome data is ``"name" { payoff payoff ... }`` and outcome 0 is the null outcome. An
information set, chance event or outcome is described at its first appearance; later
appearances may repeat the description (it must match) or omit it. Outcomes may sit at
non-terminal nodes: a player's payoff at a terminal is the sum of the outcomes on the path from
the root to it, which is how :func:`read_efg` builds the terminal payoffs of
:class:`~model.tree.Game`. The game must have perfect recall and distinct player names, as
:class:`~model.tree.Game` requires.

Names. Our information sets are named, uniquely across the game, by the file's information-set
label when no other information set of any player carries the same label, else
``"<player>:<number>"`` (player name and the file's number). Action and chance-outcome labels
that are empty or repeated within their set become ``"<label>_<n>"`` with the first unused
``n = 1, 2, ...`` (so ``""`` becomes ``"_1"``), as in Gambit's reader. A terminal's label is its
node label, else the name of its own outcome; decision and chance nodes keep their node labels.
A non-empty comment goes to ``game.annotations["comment"]``.

:func:`write_efg` writes every information set with its description at each of its nodes
(numbered per player in order of first appearance, labelled by its name), every chance node as
its own event and every terminal with its own outcome named after the terminal's label. Gambit
(16.7) requires node labels to be unique within a game, so a node's label is written only when
no other node carries it; a terminal's label survives in its outcome's name either way, while a
repeated label of a decision or chance node is lost.
Numbers are written exactly: a float ``x`` is written as the simplest fraction ``p/q``
(``q <= 10**6``) that converts back to ``x`` when there is one, else as its shortest decimal.
Chance probabilities that do not sum to exactly one in that exact arithmetic (their sum is
within :data:`model.tree.PROB_TOL` of one) have the difference added to the largest one, as
Gambit requires; that probability may then read back differing in the last bits.

Strategic games (.nfg)
----------------------
``NFG 1 R "title" { "player 1" ... } strategies ["comment"] body``, where ``strategies`` is
either a list of counts ``{ 3 2 }`` or a nested list of labels ``{ { "a" "b" "c" } { "x" "y" }
}`` and the body either lists every profile's payoffs (payoff version) or defines outcomes
``{ { "name" u_1 u_2 ... } ... }`` followed by one outcome number per profile (outcome version;
0 is the null outcome, all zeros). Profiles are listed with the *first* player's strategy
varying fastest. Counts give the strategy labels ``"1", "2", ...``.

Array convention
----------------
``StrategicGame.payoffs`` is ``(n_players, n_1, ..., n_N)`` (see :mod:`model.strategic`); the
file's flat list is read in column-major (Fortran) order over the strategy axes. A batched
:class:`~model.tree.Game` is written at one parameter point, ``point``.

References
----------
.. [1] McKelvey, R. D., McLennan, A. M. and Turocy, T. L. Gambit: Software Tools for Game
   Theory. https://www.gambit-project.org; manual, section "Game representation formats" (the
   extensive game (.efg) format; the strategic game (.nfg) format, payoff and outcome versions).
.. [2] Kuhn, H. W. (1953). Extensive games and the problem of information. In *Contributions to
   the Theory of Games II*, pp. 193-216 (perfect recall).

Examples
--------
>>> text = '''EFG 2 R "Entry" { "entrant" "incumbent" }
... p "" 1 1 "E" { "out" "in" } 0
... t "" 1 "stay out" { 1 5 }
... p "" 2 1 "I" { "fight" "accommodate" } 0
... t "" 2 "" { 0, 0 }
... t "" 3 "" { 2 2 }
... '''
>>> game = read_efg(text)
>>> game.players, list(game.infosets), game.payoffs.tolist()
(('entrant', 'incumbent'), ['E', 'I'], [[1.0, 5.0], [0.0, 0.0], [2.0, 2.0]])
>>> read_efg(write_efg(game)).payoffs.tolist() == game.payoffs.tolist()
True
>>> read_efg('EFG 2 R "x" { "a" } t "" 1 "" { 1 2 }')  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
model.gambit.GambitFormatError: line 1, column 35: expected '}' after the 1 payoff(s) of ...
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from model.strategic import StrategicGame
from model.tree import PROB_TOL, Chance, Decision, Game, Node, Terminal

__all__ = ["GambitFormatError", "read_efg", "read_nfg", "write_efg", "write_nfg"]

Source = str | os.PathLike


class GambitFormatError(ValueError):
    """A malformed or unsupported Gambit file; the message names the place and the problem.

    Attributes
    ----------
    line, column : int or None
        Where the offending token starts (1-based), when the problem is at one token.
    """

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.line = line
        self.column = column


# -- tokens --------------------------------------------------------------------------------------
_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<lbrace>\{) | (?P<rbrace>\}) | (?P<comma>,)
    | (?P<text>"(?:[^"\\]|\\.)*")
    | (?P<open>")
    | (?P<number>[+-]?(?:\d+/\d+|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?=[\s{},"]|\Z))
    | (?P<symbol>[^\s{},"]+)
    """,
    re.VERBOSE | re.DOTALL,
)
_ESCAPE_RE = re.compile(r'\\(["\\])')
_INT_RE = re.compile(r"\d+")


@dataclass(frozen=True)
class _Token:
    kind: str  # lbrace, rbrace, comma, text, number, symbol, eof
    text: str  # unescaped content of a string, the literal otherwise
    line: int
    column: int

    def describe(self) -> str:
        if self.kind == "eof":
            return "end of file"
        if self.kind == "text":
            shown = self.text if len(self.text) <= 40 else self.text[:37] + "..."
            return f"the string {shown!r}"
        return self.text if self.kind == "number" else repr(self.text)


def _tokens(text: str, where: str) -> Iterator[_Token]:
    line, line_start, pos = 1, 0, 0
    for m in _TOKEN_RE.finditer(text):
        kind, raw = m.lastgroup, m.group()
        column = m.start() - line_start + 1
        if kind == "open":
            raise GambitFormatError(
                f"{where}line {line}, column {column}: a quoted string is not closed before the "
                "end of the file",
                line,
                column,
            )
        if kind != "space":
            value = _ESCAPE_RE.sub(r"\1", raw[1:-1]) if kind == "text" else raw
            yield _Token(str(kind), value, line, column)
        newlines = raw.count("\n")
        if newlines:
            line += newlines
            line_start = m.start() + raw.rfind("\n") + 1
        pos = m.end()
    yield _Token("eof", "", line, pos - line_start + 1)


class _Parser:
    """Token stream with recursive-descent primitives; errors name line, column and need."""

    def __init__(self, text: str, where: str):
        self.where = where
        self._tokens = _tokens(text, where)
        self.tok = next(self._tokens)

    def error(self, message: str, tok: _Token | None = None) -> GambitFormatError:
        tok = tok or self.tok
        return GambitFormatError(
            f"{self.where}line {tok.line}, column {tok.column}: {message}", tok.line, tok.column
        )

    def advance(self) -> _Token:
        tok = self.tok
        if tok.kind != "eof":
            self.tok = next(self._tokens)
        return tok

    def expect(self, kind: str, what: str) -> _Token:
        if self.tok.kind != kind:
            raise self.error(f"expected {what}, found {self.tok.describe()}")
        return self.advance()

    def symbol(self, allowed: tuple[str, ...], what: str) -> str:
        if self.tok.kind not in ("symbol", "number") or self.tok.text not in allowed:
            raise self.error(f"expected {what}, found {self.tok.describe()}")
        return self.advance().text

    def text(self, what: str) -> str:
        return self.expect("text", f"{what} (a quoted string)").text

    def number(self, what: str) -> Fraction:
        tok = self.expect("number", f"{what} (a number such as 2, -0.5 or 1/3)")
        try:
            value = Fraction(tok.text)
        except ZeroDivisionError:
            raise self.error(f"{what} {tok.text} divides by zero", tok) from None
        return value

    def integer(self, what: str, low: int = 0) -> int:
        tok = self.tok
        if tok.kind != "number" or not _INT_RE.fullmatch(tok.text) or int(tok.text) < low:
            kind = "a positive integer" if low > 0 else "a non-negative integer"
            raise self.error(f"expected {what} ({kind}), found {tok.describe()}")
        self.advance()
        return int(tok.text)

    def text_list(self, what: str, one: str) -> list[str]:
        self.expect("lbrace", f"'{{' opening the list of {what}")
        out = []
        while self.tok.kind == "text":
            out.append(self.advance().text)
        self.expect("rbrace", f"'}}' closing the list of {what} (or another quoted {one})")
        return out

    def payoffs(self, n: int, what: str) -> tuple[Fraction, ...]:
        """``{ u_1 [,] u_2 ... }`` with exactly ``n`` numbers (commas between them allowed)."""
        self.expect("lbrace", f"'{{' opening the payoffs of {what}")
        out = []
        for k in range(n):
            out.append(self.number(f"the payoff of player {k + 1} in {what}"))
            if self.tok.kind == "comma":
                self.advance()
        self.expect("rbrace", f"'}}' after the {n} payoff(s) of {what} (one per player)")
        return tuple(out)


def _read_source(source: Any, marker: str) -> tuple[str, str]:
    """Return ``(text, where)``: the game text and an error-message prefix naming the file."""
    if isinstance(source, str) and source.lstrip().startswith(("EFG", "NFG")):
        return source, ""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise FileNotFoundError(
                f"source = {str(source)[:80]!r} is neither the text of a game (which starts with "
                f"{marker!r}) nor an existing file"
            )
        with open(path, encoding="utf-8", newline="") as f:  # keep line breaks as written
            return f.read(), f"{path}: "
    raise TypeError(
        f"source = {source!r} must be the text of a game or a path (str or os.PathLike), not "
        f"{type(source).__name__}"
    )


def _prologue(p: _Parser, marker: str, version: str) -> tuple[str, list[str]]:
    other = {"EFG": "read_nfg", "NFG": "read_efg"}[marker]
    if p.tok.text in ("EFG", "NFG") and p.tok.text != marker:
        raise p.error(f"expected {marker!r}, found {p.tok.text!r}: this is a file for {other}")
    p.symbol((marker,), f"the file type {marker!r}")
    p.symbol((version,), f"the version number {version} ({marker} {version} R)")
    p.symbol(("R", "D"), "the number type 'R' (or 'D')")
    title = p.text("the game's title")
    where = p.tok
    players = p.text_list("players", "player name")
    if not players:
        raise p.error("the game must have at least one player", where)
    for k, name in enumerate(players):
        if not name:
            raise p.error(f"player {k + 1} has an empty name; players need names", where)
        if players.index(name) != k:
            raise p.error(f"player name {name!r} appears twice; player names must differ", where)
    return title, players


def _normalise_labels(labels: list[str]) -> tuple[str, ...]:
    """Make labels distinct and non-empty: repeated or empty ones become ``label_n``."""
    used = set(labels)
    counts = Counter(labels)
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        if lab and counts[lab] == 1:
            out.append(lab)
            continue
        while True:
            seen[lab] = seen.get(lab, 0) + 1
            candidate = f"{lab}_{seen[lab]}"
            if candidate not in used:
                break
        used.add(candidate)
        out.append(candidate)
    return tuple(out)


# -- extensive form: reading ----------------------------------------------------------------------
@dataclass
class _Record:
    kind: str  # "c", "p" or "t"
    label: str
    line: int
    parent: int
    key: tuple[int, int] = (0, 0)  # (player, infoset) of a decision, (0, event) of a chance node
    outcome: int = 0
    pending: int = 0  # children still to be read


def _outcome(p: _Parser, outcomes: dict, n_players: int) -> int:
    """``outcome ["name" { payoffs }]``: define or reuse an outcome; return its number."""
    tok = p.tok
    number = p.integer("the outcome number (0 for none)")
    if p.tok.kind != "text":
        if number and number not in outcomes:
            raise p.error(f"outcome {number} is used before its name and payoffs are given", tok)
        return number
    if number == 0:
        raise p.error("the null outcome 0 must not have a name or payoffs", tok)
    name = p.advance().text
    pays = p.payoffs(n_players, f"outcome {number}")
    if number in outcomes and outcomes[number][:2] != (name, pays):
        raise p.error(
            f"outcome {number} is described differently from its first description on line "
            f"{outcomes[number][2]}",
            tok,
        )
    outcomes.setdefault(number, (name, pays, tok.line))
    return number


def _move(p: _Parser, sets: dict, key: tuple[int, int], what: str, chance: bool) -> int:
    """An information set or chance event: its optional description; return its action count."""
    tok = p.tok
    if p.tok.kind != "text":
        if key not in sets:
            raise p.error(f"{what} is used before its actions are given", tok)
        return len(sets[key]["labels"])
    label = p.advance().text
    p.expect("lbrace", f"'{{' opening the actions of {what}")
    labels: list[str] = []
    probs: list[Fraction] = []
    while p.tok.kind != "rbrace" or not labels:
        labels.append(p.text(f"an action label of {what}"))
        if chance:
            probs.append(p.number(f"the probability of {labels[-1]!r} at {what}"))
    p.advance()
    desc = {"label": label, "labels": labels, "probs": probs, "line": tok.line}
    if key in sets:
        first = sets[key]
        if (first["label"], first["labels"], first["probs"]) != (label, labels, probs):
            raise p.error(
                f"{what} is described differently from its first description on line "
                f"{first['line']}",
                tok,
            )
    else:
        if chance:
            for lab, pr in zip(labels, probs, strict=True):
                if not 0 <= pr <= 1:
                    raise p.error(
                        f"the probability of {lab!r} at {what} is {pr}, outside [0, 1]", tok
                    )
            total = sum(probs)
            if abs(float(total) - 1.0) > PROB_TOL:
                raise p.error(f"the probabilities at {what} sum to {float(total):.12g}, not 1", tok)
        sets[key] = desc
    return len(labels)


def _parse_efg(p: _Parser) -> tuple[str, list[str], str, list[_Record], dict, dict, dict]:
    title, players = _prologue(p, "EFG", "2")
    comment = p.advance().text if p.tok.kind == "text" else ""
    records: list[_Record] = []
    infosets: dict[tuple[int, int], dict] = {}
    events: dict[tuple[int, int], dict] = {}
    outcomes: dict[int, tuple] = {}
    open_: list[int] = []  # records that still wait for children
    n = len(players)
    while True:
        tok = p.tok
        if tok.kind == "eof" and open_:
            waiting = records[open_[-1]]
            raise p.error(
                f"the file ends, but the node on line {waiting.line} still needs "
                f"{waiting.pending} more child node(s)"
            )
        kind = p.symbol(
            ("c", "p", "t"),
            "a node: 'c' (chance), 'p' (personal) or 't' (terminal)"
            if records
            else "the root node: 'c' (chance), 'p' (personal) or 't' (terminal)",
        )
        label = p.text("the node's name")
        rec = _Record(kind, label, tok.line, open_[-1] if open_ else -1)
        if kind == "c":
            number = p.integer("the chance event number", low=1)
            rec.key = (0, number)
            rec.pending = _move(p, events, rec.key, f"chance event {number}", chance=True)
        elif kind == "p":
            ptok = p.tok
            player = p.integer("the player number", low=1)
            if player > n:
                raise p.error(f"player number {player} is not between 1 and {n}", ptok)
            number = p.integer(f"the information set number of player {player}", low=1)
            rec.key = (player, number)
            what = f"information set {number} of player {player} ({players[player - 1]!r})"
            rec.pending = _move(p, infosets, rec.key, what, chance=False)
        rec.outcome = _outcome(p, outcomes, n)
        if open_:
            records[open_[-1]].pending -= 1
            if records[open_[-1]].pending == 0:
                open_.pop()
        idx = len(records)
        records.append(rec)
        if rec.pending:
            open_.append(idx)
        if not open_:
            break
    if p.tok.kind != "eof":
        raise p.error(
            "expected the end of the file after the last node of the tree, found "
            f"{p.tok.describe()}"
        )
    return title, players, comment, records, infosets, events, outcomes


def _infoset_names(infosets: dict, players: list[str]) -> dict[tuple[int, int], str]:
    labels = [d["label"] for d in infosets.values()]
    named = {
        k: d["label"] for k, d in infosets.items() if d["label"] and labels.count(d["label"]) == 1
    }
    numbered = {k: f"{players[k[0] - 1]}:{k[1]}" for k in infosets if k not in named}
    while True:  # a label may coincide with another set's "<player>:<number>"
        clash = [k for k, name in named.items() if name in numbered.values()]
        if not clash:
            break
        for k in clash:
            del named[k]
            numbered[k] = f"{players[k[0] - 1]}:{k[1]}"
    return named | numbered


def read_efg(source: Source) -> Game:
    """Read an extensive game in Gambit's .efg format (version 2).

    Parameters
    ----------
    source : str or os.PathLike
        The text of the file, or a path to it. A ``str`` whose first non-blank characters are
        ``EFG`` (or ``NFG``) is taken as text, any other ``str`` as a path.

    Returns
    -------
    Game
        The tree, with payoffs summed from all outcomes on each path and information sets named
        as the module docstring describes.

    Raises
    ------
    GambitFormatError
        If the file is malformed (the message names the line, column and what was expected),
        a player name is empty or repeated, chance probabilities are invalid, or the game lacks
        perfect recall.
    FileNotFoundError
        If ``source`` is neither game text nor an existing file.
    """
    text, where = _read_source(source, "EFG")
    p = _Parser(text, where)
    title, players, comment, records, infosets, events, outcomes = _parse_efg(p)
    names = _infoset_names(infosets, players)
    actions = {k: _normalise_labels(d["labels"]) for k, d in infosets.items()}
    branches = {k: _normalise_labels(d["labels"]) for k, d in events.items()}
    n = len(players)
    zero = (Fraction(0),) * n
    # payoffs accumulate from the root: the sum of the outcomes on the path
    totals: list[tuple[Fraction, ...]] = []
    kids: list[list[int]] = [[] for _ in records]
    for i, rec in enumerate(records):
        base = totals[rec.parent] if rec.parent >= 0 else zero
        own = outcomes[rec.outcome][1] if rec.outcome else zero
        totals.append(tuple(a + b for a, b in zip(base, own, strict=True)))
        if rec.parent >= 0:
            kids[rec.parent].append(i)
    built: dict[int, Node] = {}
    for i in range(len(records) - 1, -1, -1):
        rec = records[i]
        label = rec.label or None
        children = [built[c] for c in kids[i]]
        if rec.kind == "t":
            if label is None and rec.outcome:
                label = outcomes[rec.outcome][0] or None
            built[i] = Terminal(tuple(float(v) for v in totals[i]), label)
        elif rec.kind == "c":
            probs = events[rec.key]["probs"]
            built[i] = Chance(
                {
                    b: (float(pr), c)
                    for b, pr, c in zip(branches[rec.key], probs, children, strict=True)
                },
                label,
            )
        else:
            built[i] = Decision(
                players[rec.key[0] - 1],
                names[rec.key],
                dict(zip(actions[rec.key], children, strict=True)),
                label,
            )
    try:
        return Game(tuple(players), built[0], title, {"comment": comment} if comment else {})
    except ValueError as exc:
        raise GambitFormatError(
            f"{where}the game in the file cannot be represented (model.tree.Game needs perfect "
            f"recall and valid probabilities): {exc}"
        ) from None


# -- numbers and strings for writing ------------------------------------------------------------
def _exact(x: float) -> Fraction:
    """The simplest exact value that converts back to the float ``x``."""
    if not math.isfinite(x):
        raise ValueError(f"cannot write the non-finite number {x!r}")
    if float(x).is_integer():
        return Fraction(int(x))
    simple = Fraction(x).limit_denominator(10**6)
    return simple if float(simple) == x else Fraction(repr(float(x)))


def _format(value: Fraction) -> str:
    if value.denominator == 1:
        return str(value.numerator)
    d, twos, fives = value.denominator, 0, 0
    while d % 2 == 0:
        d, twos = d // 2, twos + 1
    while d % 5 == 0:
        d, fives = d // 5, fives + 1
    if d != 1:
        return f"{value.numerator}/{value.denominator}"
    digits = max(twos, fives)
    scaled = abs(value.numerator) * 10**digits // value.denominator
    whole, frac = divmod(scaled, 10**digits)
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{frac:0{digits}d}".rstrip("0")


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _probabilities(probs: list[float]) -> list[str]:
    exact = [_exact(p) for p in probs]
    gap = 1 - sum(exact)
    if gap:
        k = max(range(len(exact)), key=lambda j: exact[j])
        exact[k] += gap
    return [_format(v) for v in exact]


def write_efg(game: Game, *, point: int | tuple[int, ...] | None = None) -> str:
    """Write ``game`` in Gambit's .efg format (version 2).

    Parameters
    ----------
    game : Game
        The game. Its information-set names become the information-set labels, so
        :func:`read_efg` gives them back.
    point : int or tuple of int, optional
        The parameter point to write when the game is batched (see
        :meth:`~model.tree.Game.point`); required then, ignored otherwise.

    Returns
    -------
    str
        The file's text.

    Raises
    ------
    ValueError
        If the game is batched and ``point`` is missing or does not pick one point.
    """
    if not isinstance(game, Game):
        raise TypeError(f"game = {game!r} must be a model.tree.Game")
    if game.batch_shape and point is None:
        raise ValueError(
            f"the game is batched (batch shape {game.batch_shape}); pass point= to choose the "
            "parameter point to write"
        )
    if point is not None:
        game = game.point(point)
    players = {p: k + 1 for k, p in enumerate(game.players)}
    numbers: dict[str, int] = {}
    per_player = dict.fromkeys(game.players, 0)
    for iset in game.infosets.values():
        per_player[iset.player] += 1
        numbers[iset.name] = per_player[iset.player]
    rows = {int(t): r for r, t in enumerate(game.terminals)}
    lines = [f"EFG 2 R {_quote(game.title)} {{ {' '.join(_quote(p) for p in game.players)} }}"]
    comment = game.annotations.get("comment")
    if isinstance(comment, str) and comment:
        lines.append(_quote(comment))
    lines.append("")
    events = outcomes = 0
    counts = Counter(node.label for node in game.nodes if node.label)
    for node in game.nodes:
        src = game.source(node.index)
        label = _quote(node.label if node.label and counts[node.label] == 1 else "")
        if node.kind == "terminal":
            outcomes += 1
            pays = " ".join(_format(_exact(float(v))) for v in game.payoffs[rows[node.index]])
            lines.append(f"t {label} {outcomes} {_quote(node.label or '')} {{ {pays} }}")
        elif node.kind == "chance":
            assert isinstance(src, Chance)
            events += 1
            probs = _probabilities([float(p) for p, _ in src.branches.values()])
            body = " ".join(f"{_quote(b)} {p}" for b, p in zip(src.branches, probs, strict=True))
            lines.append(f'c {label} {events} "" {{ {body} }} 0')
        else:
            assert node.infoset is not None
            iset = game.infosets[node.infoset]
            acts = " ".join(_quote(a) for a in iset.actions)
            lines.append(
                f"p {label} {players[iset.player]} {numbers[iset.name]} {_quote(iset.name)} "
                f"{{ {acts} }} 0"
            )
    return "\n".join(lines) + "\n"


# -- strategic form ----------------------------------------------------------------------------
def read_nfg(source: Source) -> StrategicGame:
    """Read a strategic game in Gambit's .nfg format (version 1, payoff or outcome version).

    Parameters
    ----------
    source : str or os.PathLike
        The text of the file, or a path to it. A ``str`` whose first non-blank characters are
        ``NFG`` (or ``EFG``) is taken as text, any other ``str`` as a path.

    Returns
    -------
    StrategicGame
        Strategy labels from the file (``"1", "2", ...`` when it gives counts); empty or
        repeated labels are made distinct as in :func:`read_efg`.

    Raises
    ------
    GambitFormatError
        If the file is malformed (the message names the line, column and what was expected) or
        a player name is empty or repeated.
    FileNotFoundError
        If ``source`` is neither game text nor an existing file.
    """
    text, where = _read_source(source, "NFG")
    p = _Parser(text, where)
    title, players = _prologue(p, "NFG", "1")
    n = len(players)
    p.expect("lbrace", "'{' opening the strategies (a list of counts or of label lists)")
    strategies: list[tuple[str, ...]] = []
    for k in range(n):
        who = f"player {k + 1} ({players[k]!r})"
        if p.tok.kind == "lbrace":
            labels = p.text_list(f"strategies of {who}", "strategy label")
            if not labels:
                raise p.error(f"{who} has no strategies")
            strategies.append(_normalise_labels(labels))
        else:
            count = p.integer(f"the number of strategies of {who}", low=1)
            strategies.append(tuple(str(j + 1) for j in range(count)))
    p.expect("rbrace", f"'}}' closing the strategies of the {n} player(s)")
    if p.tok.kind == "text":
        p.advance()  # the optional comment
    shape = tuple(len(s) for s in strategies)
    cells = math.prod(shape)
    flat: list[tuple[Fraction, ...]] = []
    if p.tok.kind == "lbrace":  # outcome version
        p.advance()
        table: list[tuple[Fraction, ...]] = []
        while p.tok.kind == "lbrace":
            p.advance()
            p.text(f"the name of outcome {len(table) + 1}")
            what = f"outcome {len(table) + 1}"
            out = []
            for k in range(n):
                out.append(p.number(f"the payoff of player {k + 1} in {what}"))
                if p.tok.kind == "comma":
                    p.advance()
            p.expect("rbrace", f"'}}' after the {n} payoff(s) of {what} (one per player)")
            table.append(tuple(out))
        p.expect("rbrace", "'}' closing the list of outcomes (or '{' opening another outcome)")
        for c in range(cells):
            tok = p.tok
            k = p.integer(f"the outcome number of profile {c + 1} of {cells}")
            if k > len(table):
                raise p.error(f"outcome {k} is not defined: there are {len(table)} outcomes", tok)
            flat.append(table[k - 1] if k else (Fraction(0),) * n)
    elif p.tok.kind == "number":  # payoff version
        for c in range(cells):
            flat.append(
                tuple(
                    p.number(f"the payoff of player {k + 1} at profile {c + 1} of {cells}")
                    for k in range(n)
                )
            )
    else:
        raise p.error(
            f"expected the payoffs (numbers) or '{{' opening the list of outcomes, found "
            f"{p.tok.describe()}"
        )
    if p.tok.kind != "eof":
        raise p.error(
            f"expected the end of the file after the {cells} profile(s), found {p.tok.describe()}"
        )
    values = np.array([[float(v) for v in row] for row in flat]).reshape(cells, n)
    payoffs = np.stack([values[:, k].reshape(shape, order="F") for k in range(n)])
    try:
        return StrategicGame(tuple(players), tuple(strategies), payoffs, title)
    except ValueError as exc:  # pragma: no cover - the reader checks what the class checks
        raise GambitFormatError(f"{where}{exc}") from None


def write_nfg(game: StrategicGame, *, form: str = "payoff") -> str:
    """Write ``game`` in Gambit's .nfg format (version 1).

    Parameters
    ----------
    game : StrategicGame
        The game.
    form : {"payoff", "outcome"}
        ``"payoff"``: the payoff version (strategy counts when the labels are ``"1", "2",
        ...``, else the nested list of labels); ``"outcome"``: the outcome version, one
        outcome per distinct payoff vector.

    Returns
    -------
    str
        The file's text.
    """
    if not isinstance(game, StrategicGame):
        raise TypeError(f"game = {game!r} must be a model.strategic.StrategicGame")
    if form not in ("payoff", "outcome"):
        raise ValueError(f"form = {form!r} must be 'payoff' or 'outcome'")
    players = " ".join(_quote(p) for p in game.players)
    default = all(s == tuple(str(j + 1) for j in range(len(s))) for s in game.strategies)
    if form == "payoff" and default:
        strategies = "{ " + " ".join(str(len(s)) for s in game.strategies) + " }"
    else:
        strategies = (
            "{\n"
            + "".join("{ " + " ".join(_quote(x) for x in s) + " }\n" for s in game.strategies)
            + "}"
        )
    lines = [f"NFG 1 R {_quote(game.title)} {{ {players} }}", strategies, ""]
    n = game.n_players
    flat = np.stack([game.payoffs[k].reshape(-1, order="F") for k in range(n)], axis=1)
    rows = [tuple(_format(_exact(float(v))) for v in row) for row in flat]
    if form == "payoff":
        lines.extend(" ".join(row) for row in rows)
    else:
        index: dict[tuple[str, ...], int] = {}
        for row in rows:
            index.setdefault(row, len(index) + 1)
        lines.append("{")
        lines.extend(f'{{ "" {", ".join(row)} }}' for row in index)
        lines.append("}")
        lines.append(" ".join(str(index[row]) for row in rows))
    return "\n".join(lines) + "\n"
