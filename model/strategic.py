r"""Finite games in strategic (normal) form with any number of players.

A strategic game lists its players, each player's pure strategies and every player's payoff at
every pure strategy profile :math:`s = (s_1, \dots, s_N)`:
:math:`u_i(s)`, :math:`i = 1, \dots, N`. Mixed strategies and their expected payoffs follow by
multilinearity (von Neumann and Morgenstern 1944; Osborne and Rubinstein 1994, ch. 2-3).

Array convention
----------------
``payoffs`` has shape ``(n_players, n_1, ..., n_N)``: axis 0 is the player who receives the
payoff, axis ``1 + j`` the strategy of player ``j`` (players in ``players`` order, strategies in
``strategies[j]`` order). Payoffs are float64, finite, and read-only. A two-player game is a
*bimatrix game* ``(A, B)`` with ``A = payoffs[0]``, ``B = payoffs[1]``, both ``(n_row, n_col)``:
the row player is player 0.

References
----------
.. [1] von Neumann, J. and Morgenstern, O. (1944). *Theory of Games and Economic Behavior*.
   Princeton University Press.
.. [2] Osborne, M. J. and Rubinstein, A. (1994). *A Course in Game Theory*. MIT Press, ch. 2-3.

Examples
--------
Battle of the sexes (Luce and Raiffa 1957, ch. 5):

>>> game = StrategicGame.from_bimatrix(
...     [[2, 0], [0, 1]], [[1, 0], [0, 2]], strategies=(("opera", "fight"), ("opera", "fight"))
... )
>>> game.shape, game.players
((2, 2), ('row', 'column'))
>>> A, B = game.bimatrix()
>>> B.tolist()
[[1.0, 0.0], [0.0, 2.0]]
>>> StrategicGame(("a", "a"), (("x",), ("y",)), [[[0.0]], [[0.0]]])
Traceback (most recent call last):
...
ValueError: players = ('a', 'a') must be distinct non-empty strings
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["StrategicGame"]


def _labels(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence) or not value:
        raise ValueError(f"{what} = {value!r} must be a non-empty sequence of strings")
    out = tuple(value)
    if not all(isinstance(v, str) and v for v in out) or len(set(out)) != len(out):
        raise ValueError(f"{what} = {out!r} must be distinct non-empty strings")
    return out


@dataclass(frozen=True, eq=False)
class StrategicGame:
    """A finite game in strategic form.

    Parameters
    ----------
    players : sequence of str
        Distinct, non-empty player names.
    strategies : sequence of sequences of str
        For every player, its distinct, non-empty strategy labels (at least one).
    payoffs : array-like, ``(n_players, n_1, ..., n_N)``
        ``payoffs[i, s_1, ..., s_N]`` is player ``i``'s payoff at the profile ``s``; finite.
    title : str
        A one-line description.

    Raises
    ------
    ValueError
        If a name is empty or repeated, or ``payoffs`` has the wrong shape or a non-finite entry.
    """

    players: tuple[str, ...]
    strategies: tuple[tuple[str, ...], ...]
    payoffs: np.ndarray
    title: str = ""

    def __post_init__(self) -> None:
        players = _labels(self.players, "players")
        if isinstance(self.strategies, str) or not isinstance(self.strategies, Sequence):
            raise ValueError(f"strategies = {self.strategies!r} must hold one sequence per player")
        if len(self.strategies) != len(players):
            raise ValueError(
                f"strategies holds {len(self.strategies)} list(s) but there are {len(players)} "
                f"players {players}"
            )
        strategies = tuple(
            _labels(s, f"strategies of {p!r}")
            for p, s in zip(players, self.strategies, strict=True)
        )
        try:
            pay = np.array(self.payoffs, dtype=np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"payoffs = {self.payoffs!r} must be an array of numbers") from None
        shape = (len(players),) + tuple(len(s) for s in strategies)
        if pay.shape != shape:
            raise ValueError(
                f"payoffs has shape {pay.shape}; with players {players} and "
                f"{[len(s) for s in strategies]} strategies it must be (n_players, n_1, ..., "
                f"n_N) = {shape}"
            )
        if not np.all(np.isfinite(pay)):
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(pay))[0])
            raise ValueError(f"payoffs{list(bad)} = {pay[bad]} is not finite")
        if not isinstance(self.title, str):
            raise ValueError(f"title = {self.title!r} must be a string")
        pay.flags.writeable = False
        object.__setattr__(self, "players", players)
        object.__setattr__(self, "strategies", strategies)
        object.__setattr__(self, "payoffs", pay)

    @property
    def n_players(self) -> int:
        """Number of players."""
        return len(self.players)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of strategies of each player, ``(n_1, ..., n_N)``."""
        return self.payoffs.shape[1:]

    @classmethod
    def from_bimatrix(
        cls,
        A: Any,
        B: Any,
        *,
        players: Sequence[str] = ("row", "column"),
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> StrategicGame:
        """Build a two-player game from the payoff matrices of the row and column player.

        Parameters
        ----------
        A, B : array-like, ``(n_row, n_col)``
            Payoffs of the row player and of the column player.
        players : pair of str
            Names of the row and the column player.
        strategies : pair of sequences of str, optional
            Strategy labels; by default ``"1", "2", ...`` for each player.
        title : str
            A one-line description.
        """
        A, B = np.asarray(A, dtype=np.float64), np.asarray(B, dtype=np.float64)
        if A.ndim != 2 or A.shape != B.shape:
            raise ValueError(
                f"A and B must be matrices of one shape (n_row, n_col); got shapes {A.shape} "
                f"and {B.shape}"
            )
        if strategies is None:
            strategies = tuple(tuple(str(k + 1) for k in range(n)) for n in A.shape)
        return cls(tuple(players), tuple(map(tuple, strategies)), np.stack([A, B]), title)

    def bimatrix(self) -> tuple[np.ndarray, np.ndarray]:
        """Return ``(A, B)``, the payoff matrices of a two-player game (copies).

        Raises
        ------
        ValueError
            If the game does not have exactly two players.
        """
        if self.n_players != 2:
            raise ValueError(
                f"bimatrix() needs a two-player game; this one has {self.n_players} players "
                f"{self.players}"
            )
        return self.payoffs[0].copy(), self.payoffs[1].copy()
