"""Crisis bargaining models, solvers and certificates (depends on numpy, scipy and nashpy only).

The most used names are importable from here:

* games: :class:`~model.tree.Game` with :class:`~model.tree.Terminal`,
  :class:`~model.tree.Chance` and :class:`~model.tree.Decision`;
  :class:`~model.strategic.StrategicGame`; Gambit files with :func:`~model.gambit.read_efg`,
  :func:`~model.gambit.write_efg`, :func:`~model.gambit.read_nfg`, :func:`~model.gambit.write_nfg`;
* solvers (see :mod:`model.solvers`): :func:`solve_game` and the solvers it dispatches to;
  :func:`select` for equilibrium selection;
* certificates (see :mod:`model.checks`): :func:`tree_certificate`,
  :func:`assessment_certificate`, :func:`bimatrix_certificate`;
* the model registry: :mod:`model.registry` (``registry.get(name).solve(params)``) and the
  catalogue of canonical games, :mod:`model.catalog`.
"""

from model.checks import assessment_certificate, bimatrix_certificate, tree_certificate
from model.gambit import GambitFormatError, read_efg, read_nfg, write_efg, write_nfg
from model.solvers import (
    RULES,
    backward_induction_solve,
    lcp_solve,
    nashpy_solve,
    pbe_solve,
    qre_solve,
    qre_trace,
    select,
    sequential_solve,
    solve_game,
    to_normal_form,
)
from model.strategic import StrategicGame
from model.tree import Chance, Decision, Game, Terminal
from model.types import Certificate, Outcome, Solution

__all__ = [
    "RULES",
    "Certificate",
    "Chance",
    "Decision",
    "GambitFormatError",
    "Game",
    "Outcome",
    "Solution",
    "StrategicGame",
    "Terminal",
    "assessment_certificate",
    "backward_induction_solve",
    "bimatrix_certificate",
    "lcp_solve",
    "nashpy_solve",
    "pbe_solve",
    "qre_solve",
    "qre_trace",
    "read_efg",
    "read_nfg",
    "select",
    "sequential_solve",
    "solve_game",
    "to_normal_form",
    "tree_certificate",
    "write_efg",
    "write_nfg",
]
