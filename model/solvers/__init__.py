"""Generic equilibrium solvers for the finite games of :mod:`model.tree`.

Each solver is a free function named for its method that returns a frozen result saying how it
was obtained (method, parameters, convergence and a certificate from :mod:`model.checks`):

* :func:`~model.solvers.backward.backward_induction_solve`: subgame perfection in
  perfect-information games, batched over parameter points;
* :func:`~model.solvers.pbe.pbe_solve`: perfect Bayesian equilibria of signalling and
  screening games (pure, with their off-path belief regions, and semi-separating), with the
  Intuitive Criterion and D1, batched over parameter points;
* :func:`~model.solvers.sequence_form.lcp_solve`: a Nash equilibrium of a two-player tree by
  Lemke's algorithm on the sequence form; :func:`~model.solvers.sequence_form.sequential_solve`:
  a sequential equilibrium (an assessment with consistent beliefs);
* :func:`~model.solvers.qre.qre_trace` and :func:`~model.solvers.qre.qre_solve`: logit quantal
  response equilibria (normal and agent form), traced in lambda or batched at given lambdas;
* :func:`~model.solvers.normal_form.to_normal_form` and
  :func:`~model.solvers.normal_form.nashpy_solve`: two-player games through their reduced
  normal form, solved with nashpy (vertex enumeration), our tolerance-aware support enumeration
  or bounded Lemke-Howson;
* :func:`~model.solvers.selection.select`: named equilibrium selection rules;
* :func:`~model.solvers.api.solve_game`: one entry point that runs any of them by name (used by
  ``crisis solve --game``).
"""

from model.solvers.api import METHODS, Equilibrium, GameSolution, solve_game
from model.solvers.backward import BackwardInductionResult, backward_induction_solve
from model.solvers.normal_form import (
    NashResult,
    NormalForm,
    nashpy_solve,
    support_enumeration,
    to_normal_form,
)
from model.solvers.pbe import PBEquilibrium, PBEResult, pbe_solve, signalling_structure
from model.solvers.qre import QREResult, QRETrace, qre_residual, qre_solve, qre_trace
from model.solvers.selection import RULES, Selection, select
from model.solvers.sequence_form import (
    LCPResult,
    SequenceForm,
    SequentialResult,
    lcp_solve,
    sequence_form,
    sequential_solve,
)

__all__ = [
    "METHODS",
    "RULES",
    "BackwardInductionResult",
    "Equilibrium",
    "GameSolution",
    "LCPResult",
    "NashResult",
    "NormalForm",
    "PBEResult",
    "PBEquilibrium",
    "QREResult",
    "QRETrace",
    "Selection",
    "SequenceForm",
    "SequentialResult",
    "backward_induction_solve",
    "lcp_solve",
    "nashpy_solve",
    "pbe_solve",
    "qre_residual",
    "qre_solve",
    "qre_trace",
    "select",
    "sequence_form",
    "sequential_solve",
    "signalling_structure",
    "solve_game",
    "support_enumeration",
    "to_normal_form",
]
