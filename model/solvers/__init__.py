"""Generic equilibrium solvers for the finite games of :mod:`model.tree`.

Each solver is a free function named for its method that returns a frozen result saying how it
was obtained (method, parameters, convergence and a certificate from :mod:`model.checks`):

* :func:`model.solvers.backward.backward_induction_solve`: subgame perfection in
  perfect-information games, batched over parameter points;
* :func:`model.solvers.normal_form.to_normal_form` and
  :func:`model.solvers.normal_form.nashpy_solve`: two-player games through their normal form,
  solved with nashpy (vertex or support enumeration, bounded Lemke-Howson).
"""

from model.solvers.backward import BackwardInductionResult, backward_induction_solve
from model.solvers.normal_form import NashResult, NormalForm, nashpy_solve, to_normal_form

__all__ = [
    "BackwardInductionResult",
    "NashResult",
    "NormalForm",
    "backward_induction_solve",
    "nashpy_solve",
    "to_normal_form",
]
