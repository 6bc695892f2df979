r"""Explicit equilibrium selection: named, documented rules that pick one equilibrium per point.

Crisis games often have several equilibria, and different solvers reach different ones: a
sequence-form Lemke path ends at one, a logit-QRE trace at another, an enumeration lists them
all. A sweep that reports "the" equilibrium without saying which is not a comparative static. So
every sweep over a game with several equilibria names one of the rules below, and the rule is
recorded with the result.

Rules
-----
``challenger_preferred``
    The equilibrium with the highest expected payoff of the first player (the challenger in the
    crisis models): the equilibrium a proposer would coordinate on.
``target_preferred``
    The highest expected payoff of the second player.
``welfare``
    The highest sum of expected payoffs (utilitarian; war destroys value, so this favours
    peaceful equilibria).
``intuitive``
    Among the equilibria that survive the Intuitive Criterion (Cho and Kreps 1987), the
    challenger-preferred one.
``d1``
    Among the equilibria that survive D1 (Banks and Sobel 1987; Cho and Kreps 1987, sec. V), the
    challenger-preferred one.
``qre_limit``
    The equilibrium closest (largest absolute difference of behaviour probabilities) to the limit
    of the principal branch of the agent logit QRE as :math:`\lambda \to \infty`
    (McKelvey and Palfrey 1998): the selection of Harsanyi-style tracing by noisy play.

Ties are broken by the order in which the solver listed the equilibria (the first wins); where
no candidate qualifies at a point, the selected index is -1.

Candidates
----------
The rules read attributes of the equilibrium objects solvers return: ``payoffs``
(``(n_players, *batch)``), and, where a rule needs them, ``intuitive`` and ``d1`` (bool,
``(*batch)``) and ``profile``; an optional ``exists`` (bool, ``(*batch)``) says at which
parameter points a candidate of a batched enumeration is an equilibrium (default: everywhere).

References
----------
.. [1] Cho, I.-K. and Kreps, D. M. (1987). Signaling games and stable equilibria. *Quarterly
   Journal of Economics* 102(2): 179-221.
.. [2] Banks, J. S. and Sobel, J. (1987). Equilibrium selection in signaling games.
   *Econometrica* 55(3): 647-661.
.. [3] McKelvey, R. D. and Palfrey, T. R. (1998). Quantal response equilibria for extensive form
   games. *Experimental Economics* 1: 9-41.
.. [4] Harsanyi, J. C. and Selten, R. (1988). *A General Theory of Equilibrium Selection in
   Games*. MIT Press.

Examples
--------
>>> from types import SimpleNamespace as E
>>> eqs = [E(payoffs=np.array([1.0, 3.0])), E(payoffs=np.array([2.0, 0.0]))]
>>> int(select(eqs, "challenger_preferred").index), int(select(eqs, "target_preferred").index)
(1, 0)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["RULES", "Selection", "select"]

#: Rule name -> one-line description (recorded with every sweep result).
RULES: dict[str, str] = {
    "challenger_preferred": "highest expected payoff of the first player (ties: solver order)",
    "target_preferred": "highest expected payoff of the second player (ties: solver order)",
    "welfare": "highest sum of expected payoffs (ties: solver order)",
    "intuitive": "challenger-preferred among Intuitive-Criterion survivors (Cho and Kreps 1987)",
    "d1": "challenger-preferred among D1 survivors (Banks and Sobel 1987)",
    "qre_limit": "closest to the limit of the agent logit QRE's principal branch",
}


@dataclass(frozen=True)
class Selection:
    """Which equilibrium a rule picked.

    Attributes
    ----------
    rule : str
        The rule's name (a key of :data:`RULES`).
    description : str
        What the rule does.
    index : ndarray of int
        Index of the selected equilibrium in the list given, per parameter point (-1: none
        qualifies).
    """

    rule: str
    description: str
    index: np.ndarray

    @property
    def found(self) -> np.ndarray:
        """Per point, whether some candidate qualified."""
        return self.index >= 0


def select(
    equilibria: Sequence[Any],
    rule: str,
    *,
    game: Any = None,
    qre_profile: Any = None,
) -> Selection:
    """Apply a named selection rule to a list of equilibria.

    Parameters
    ----------
    equilibria : sequence
        Equilibrium objects of one solver result (see the module docstring for the attributes
        they need).
    rule : str
        A key of :data:`RULES`.
    game : Game, optional
        The game, for ``qre_limit`` when ``qre_profile`` is not given (the agent QRE is traced on
        it).
    qre_profile : mapping, optional
        For ``qre_limit``: the QRE limit profile to compare with.

    Returns
    -------
    Selection

    Raises
    ------
    ValueError
        For an unknown rule, or candidates lacking what the rule needs.
    """
    if not isinstance(rule, str) or rule not in RULES:
        raise ValueError(f"rule = {rule!r} is not a selection rule; valid: {sorted(RULES)}")
    if not equilibria:
        return Selection(rule, RULES[rule], np.asarray(-1))
    payoffs = [np.asarray(e.payoffs, dtype=np.float64) for e in equilibria]
    batch = np.broadcast_shapes(*(p.shape[1:] for p in payoffs))
    valid = np.stack([_flag(e, "exists", batch, default=True) for e in equilibria])
    if rule == "qre_limit":
        score = -_distances(equilibria, game, qre_profile, batch)
    else:
        who = {"target_preferred": 1}.get(rule, 0)
        if rule == "welfare":
            score = np.stack([np.broadcast_to(p.sum(axis=0), batch) for p in payoffs])
        else:
            if any(p.shape[0] <= who for p in payoffs):
                raise ValueError(f"rule {rule!r} needs payoffs of at least {who + 1} players")
            score = np.stack([np.broadcast_to(p[who], batch) for p in payoffs])
        if rule in ("intuitive", "d1"):
            valid = valid & np.stack([_flag(e, rule, batch) for e in equilibria])
    score = np.where(valid, score, -np.inf)
    index = np.argmax(score, axis=0)  # first maximum: solver order breaks ties
    index = np.where(valid.any(axis=0), index, -1)
    return Selection(rule, RULES[rule], np.asarray(index))


def _flag(eq: Any, name: str, batch: tuple[int, ...], *, default: bool | None = None) -> np.ndarray:
    value = getattr(eq, name, None)
    if value is None:
        if default is None:
            raise ValueError(
                f"selection rule {name!r} needs equilibria that record {name!r} (e.g. the "
                "results of model.solvers.pbe.pbe_solve)"
            )
        return np.full(batch, default)
    return np.broadcast_to(np.asarray(value, dtype=bool), batch)


def _distances(
    equilibria: Sequence[Any], game: Any, qre_profile: Any, batch: tuple[int, ...]
) -> np.ndarray:
    if batch:
        raise ValueError("rule 'qre_limit' selects at one parameter point; pass unbatched results")
    if qre_profile is None:
        if game is None:
            raise ValueError("rule 'qre_limit' needs the game (or a QRE limit profile)")
        from model.solvers.qre import qre_trace

        qre_profile = qre_trace(game).profile
    out = []
    for e in equilibria:
        prof = getattr(e, "profile", None)
        if prof is None:
            raise ValueError("rule 'qre_limit' needs equilibria that record a behaviour profile")
        gaps = [
            float(np.max(np.abs(np.asarray(prof[k], float) - np.asarray(v, float))))
            for k, v in qre_profile.items()
        ]
        out.append(max(gaps, default=0.0))
    return np.array(out)
