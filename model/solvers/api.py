"""One entry point for every solver: ``solve_game(game, method)``, used by ``crisis solve --game``.

The solvers of :mod:`model.solvers` return results of different shapes (one equilibrium, all of
them, a path of QREs). :func:`solve_game` runs one of them by name on one parameter point and
reports what it found in one form: a list of :class:`Equilibrium` records (behaviour profile,
expected payoffs, certificate, beliefs where the method has them, and the method's own labels
such as the class of a perfect Bayesian equilibrium or whether it survives the Intuitive
Criterion), optionally with one of them picked by a named selection rule
(:mod:`model.solvers.selection`).

Methods
-------
=================  ==========================================================================
``backward``       subgame-perfect equilibrium by backward induction (perfect information)
``pbe``            all perfect Bayesian equilibria of a signalling or screening game (pure with
                   their off-path belief regions, and semi-separating), with Intuitive
                   Criterion and D1 verdicts
``lcp``            one Nash equilibrium of a two-player tree: Lemke on the sequence form
``sequential``     one sequential equilibrium of a two-player tree (an assessment)
``qre``            the limit of the principal branch of the agent logit QRE (any tree)
``qre-normal``     the same for the normal-form logit QRE (trees of two players, or strategic
                   games)
``vertex``         every extreme Nash equilibrium of the reduced normal form (nashpy's vertex
                   enumeration; two players)
``support``        Nash equilibria by tolerance-aware support enumeration (two players)
``lemke-howson``   Nash equilibria by bounded Lemke-Howson from every label (two players)
=================  ==========================================================================

``auto`` picks ``backward`` for a perfect-information tree, ``pbe`` for a signalling or
screening game, ``sequential`` for another two-player tree, ``qre`` for a tree with more
players, and ``vertex`` (two players) or ``qre-normal`` for a strategic game.

Examples
--------
>>> from model import catalog
>>> out = solve_game(catalog.one_card_poker(), "lcp")
>>> [round(float(p), 4) for p in out.equilibria[0].profile["1.black"]]
[0.3333, 0.6667]
>>> out.equilibria[0].certificate.all_passed
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from model.strategic import StrategicGame
from model.tree import Game
from model.types import Certificate

__all__ = ["METHODS", "Equilibrium", "GameSolution", "solve_game"]

#: Method name -> one-line description.
METHODS: dict[str, str] = {
    "auto": "backward with perfect information, pbe for signalling or screening games, "
    "sequential for other two-player trees, qre otherwise; vertex for two-player strategic "
    "games, else qre-normal (the default)",
    "backward": "subgame-perfect equilibrium by backward induction (perfect information)",
    "pbe": "all perfect Bayesian equilibria of a signalling or screening game, with refinements",
    "lcp": "one Nash equilibrium: Lemke's algorithm on the sequence form (two players)",
    "sequential": "one sequential equilibrium with its beliefs (two players)",
    "qre": "limit of the agent logit QRE's principal branch (any tree)",
    "qre-normal": "limit of the normal-form logit QRE's principal branch",
    "vertex": "all extreme Nash equilibria of the reduced normal form (nashpy vertex enumeration)",
    "support": "Nash equilibria by tolerance-aware support enumeration (two players)",
    "lemke-howson": "Nash equilibria by bounded Lemke-Howson from every label (two players)",
}


@dataclass(frozen=True, eq=False)
class Equilibrium:
    """One equilibrium, in the common form of :func:`solve_game`.

    Attributes
    ----------
    profile : dict
        Behaviour ``infoset -> probabilities over its actions`` (trees) or mixed strategies
        ``player -> probabilities over its strategies`` (strategic games).
    payoffs : ndarray
        Expected payoff of every player, ``(n_players,)``.
    certificate : Certificate
        The solver's verification of this equilibrium.
    label : str
        What kind of equilibrium it is (e.g. ``"pooling"``, ``"Nash"``, ``"sequential"``).
    beliefs : dict or None
        ``infoset -> probabilities over its nodes`` where the method computes beliefs.
    intuitive, d1 : bool or None
        Verdicts of the Intuitive Criterion and D1 (``pbe`` only).
    details : dict
        Anything else the method reports (off-path belief regions, the final lambda, ...).
    """

    profile: dict[str, Any]
    payoffs: np.ndarray
    certificate: Certificate
    label: str
    beliefs: dict[str, Any] | None = None
    intuitive: bool | None = None
    d1: bool | None = None
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class GameSolution:
    """What :func:`solve_game` found.

    Attributes
    ----------
    method : str
        The method run (``auto`` resolved).
    solver : str
        The solver's own method name (e.g. ``"sequence_form_lcp"``).
    parameters : dict
        The solver's settings.
    players : tuple of str
    equilibria : tuple of Equilibrium
    selected : int or None
        Index of the equilibrium the selection rule picked (None: no rule, or none qualified).
    rule : str or None
        The selection rule applied.
    converged : bool
    result : object
        The solver's own result, for everything not summarised here.
    """

    method: str
    solver: str
    parameters: dict[str, Any]
    players: tuple[str, ...]
    equilibria: tuple[Equilibrium, ...]
    selected: int | None
    rule: str | None
    converged: bool
    result: Any

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready description (arrays as lists)."""
        return _plain(
            {
                "method": self.method,
                "solver": self.solver,
                "parameters": self.parameters,
                "players": list(self.players),
                "converged": self.converged,
                "selection": {"rule": self.rule, "selected": self.selected},
                "equilibria": [
                    {
                        "label": e.label,
                        "payoffs": dict(zip(self.players, e.payoffs, strict=True)),
                        "profile": e.profile,
                        "beliefs": e.beliefs,
                        "intuitive": e.intuitive,
                        "d1": e.d1,
                        "certificate": {
                            "passed": e.certificate.all_passed,
                            "max_regret": e.certificate.max_regret,
                            "bayes_gap": e.certificate.bayes_gap,
                            "tolerance": e.certificate.tolerance,
                            "checks": e.certificate.checks,
                        },
                        "details": e.details,
                    }
                    for e in self.equilibria
                ],
            }
        )


def _plain(x: Any) -> Any:
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return _plain(x.tolist())
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, float) and not np.isfinite(x):
        return str(x)
    return x


def _auto(game: Game | StrategicGame) -> str:
    if isinstance(game, StrategicGame):
        return "vertex" if game.n_players == 2 else "qre-normal"
    if game.is_perfect_information:
        return "backward"
    from model.solvers.pbe import signalling_structure

    try:
        signalling_structure(game)
        return "pbe"
    except ValueError:
        pass
    return "sequential" if game.n_players == 2 else "qre"


def solve_game(
    game: Game | StrategicGame,
    method: str = "auto",
    *,
    point: int | tuple[int, ...] | None = None,
    select: str | None = None,
    **options: Any,
) -> GameSolution:
    """Solve one parameter point of a game with a named method.

    Parameters
    ----------
    game : Game or StrategicGame
        A tree (possibly batched over parameter points) or a strategic-form game.
    method : str
        A key of :data:`METHODS`.
    point : int or tuple of int, optional
        The parameter point of a batched game (required then).
    select : str, optional
        A selection rule of :data:`model.solvers.selection.RULES`.
    **options
        Passed to the solver (e.g. ``max_lambda`` for ``qre``, ``mixed`` for ``pbe``).

    Returns
    -------
    GameSolution

    Raises
    ------
    ValueError
        For an unknown method or rule, or a method that does not apply to the game (the message
        says which methods do).
    """
    if not isinstance(game, Game | StrategicGame):
        raise TypeError(f"game must be a Game or a StrategicGame, got {type(game).__name__}")
    if not isinstance(method, str) or method not in METHODS:
        raise ValueError(f"method = {method!r} is not one of {sorted(METHODS)}")
    if method == "auto":
        method = _auto(game)
    if isinstance(game, Game) and game.batch_shape:
        if point is None:
            raise ValueError(
                f"the game is batched over {game.batch_shape} parameter points: pass point=..."
            )
        game = game.point(point)
    elif point not in (None, ()):
        raise ValueError(f"point = {point!r} was given, but the game is not batched")
    if isinstance(game, StrategicGame):
        solver, params, eqs, converged, result = _strategic(game, method, options)
        players = game.players
    else:
        solver, params, eqs, converged, result = _tree(game, method, options)
        players = game.players
    selected = None
    if select is not None:
        from model.solvers.selection import select as apply_rule

        chosen = int(apply_rule(eqs, select, game=game if isinstance(game, Game) else None).index)
        selected = chosen if chosen >= 0 else None
    return GameSolution(
        method=method,
        solver=solver,
        parameters=params,
        players=tuple(players),
        equilibria=tuple(eqs),
        selected=selected,
        rule=select,
        converged=bool(converged),
        result=result,
    )


_TWO = ("lcp", "sequential", "vertex", "support", "lemke-howson")


def _tree(game: Game, method: str, options: dict[str, Any]) -> tuple[Any, ...]:
    if method in _TWO and game.n_players != 2:
        raise ValueError(
            f"method {method!r} needs a two-player game; this one has {game.n_players} players "
            "(use 'qre', or 'backward' with perfect information)"
        )
    if method == "backward":
        from model.solvers.backward import backward_induction_solve

        r = backward_induction_solve(game, **options)
        eq = Equilibrium(r.profile, r.root_values, r.certificate, "subgame perfect")
        return r.method, r.parameters, [eq], True, r
    if method == "pbe":
        from model.solvers.pbe import pbe_solve

        r = pbe_solve(game, **options)
        eqs = [_pbe_record(e) for e in r.equilibria if bool(np.all(e.exists))]
        return r.method, r.parameters, eqs, bool(np.all(r.converged)), r
    if method == "lcp":
        from model.solvers.sequence_form import lcp_solve

        r = lcp_solve(game, **options)
        eq = Equilibrium(r.profile, r.payoffs, r.certificate, "Nash", details={"pivots": r.pivots})
        return r.method, r.parameters, [eq], r.converged, r
    if method == "sequential":
        from model.solvers.sequence_form import sequential_solve

        r = sequential_solve(game, **options)
        eq = Equilibrium(
            r.profile,
            r.payoffs,
            r.certificate,
            "sequential",
            beliefs=r.beliefs,
            details={"epsilon": r.epsilon},
        )
        return r.method, r.parameters, [eq], r.converged, r
    if method in ("qre", "qre-normal"):
        from model.solvers.qre import qre_trace

        form = "agent" if method == "qre" else "normal"
        t = qre_trace(game, form=form, **options)
        prof = t.behaviour
        eq = Equilibrium(
            prof,
            game.expected_payoffs(prof),
            t.certificate,
            f"logit QRE limit ({form} form)",
            details={"lambda": t.final_lambda, "turning_points": t.turning_points},
        )
        return t.method, t.parameters, [eq], t.converged, t
    from model.solvers.normal_form import nashpy_solve

    r = nashpy_solve(game, method=_NASHPY[method], **options)
    eqs = [
        Equilibrium(prof, pay, cert, "Nash")
        for prof, pay, cert in zip(r.profiles, r.payoffs, r.certificates, strict=True)
    ]
    return r.method, r.parameters, eqs, r.converged, r


_NASHPY = {
    "vertex": "vertex_enumeration",
    "support": "support_enumeration",
    "lemke-howson": "lemke_howson",
}


def _pbe_record(e: Any) -> Equilibrium:
    regions: dict[str, Any] = {}
    for message, region in e.off_path.items():
        if region.intervals is not None:
            regions[message] = {
                "belief_in": region.types[0],
                "intervals": region.intervals_at(),
            }
        else:
            regions[message] = {"supported": bool(np.all(region.nonempty))}
    return Equilibrium(
        profile=e.profile,
        payoffs=np.asarray(e.payoffs),
        certificate=e.certificate,
        label=e.label,
        beliefs=e.beliefs,
        intuitive=bool(e.intuitive),
        d1=bool(e.d1),
        details={
            "off_path_beliefs": regions,
            "outcomes": {k: float(v) for k, v in e.outcome_probabilities.items() if v},
        },
    )


def _strategic(game: StrategicGame, method: str, options: dict[str, Any]) -> tuple[Any, ...]:
    if method == "qre-normal" or (method == "qre" and game.n_players != 2):
        from model.solvers.qre import qre_trace

        t = qre_trace(tuple(game.payoffs), form="normal", **options)
        prof = {p: np.asarray(s) for p, s in zip(game.players, t.profile, strict=True)}
        pay = _strategic_payoffs(game, list(prof.values()))
        eq = Equilibrium(
            prof, pay, t.certificate, "logit QRE limit", details={"lambda": t.final_lambda}
        )
        return t.method, t.parameters, [eq], t.converged, t
    if method not in _NASHPY:
        raise ValueError(
            f"method {method!r} needs a tree; a strategic game is solved with "
            f"{sorted(_NASHPY)} (two players) or 'qre-normal'"
        )
    if game.n_players != 2:
        raise ValueError(
            f"method {method!r} needs two players; this game has {game.n_players} "
            "(use 'qre-normal')"
        )
    from model.solvers.normal_form import nashpy_solve

    r = nashpy_solve(game.bimatrix(), method=_NASHPY[method], **options)
    eqs = [
        Equilibrium(dict(zip(game.players, (x, y), strict=True)), pay, cert, "Nash")
        for (x, y), pay, cert in zip(r.equilibria, r.payoffs, r.certificates, strict=True)
    ]
    return r.method, r.parameters, eqs, r.converged, r


def _strategic_payoffs(game: StrategicGame, sigma: list[np.ndarray]) -> np.ndarray:
    out = []
    for k in range(game.n_players):
        u = game.payoffs[k]
        for s in sigma:
            u = np.tensordot(s, u, axes=(0, 0))
        out.append(float(u))
    return np.array(out)
