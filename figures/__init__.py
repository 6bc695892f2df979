"""Figures of the paper: one module per figure, each reading stored results and drawing.

Every figure module defines

* ``REQUIRES``: the names of the experiments whose stored results it reads (run them with
  ``crisis sweep NAME``);
* ``draw(results_dir, out_dir) -> list[Path]``: read ``results_dir/NAME/`` for each required
  experiment, draw the figure at its final size and write it to ``out_dir`` as vector PDF plus a
  PNG preview; return the paths written.

Figure modules never compute equilibria: all numbers come from the stored results. The shared
look, the default paths and the results reader live in :mod:`figures.style`. Adding a figure is
adding one module to this package; :func:`discover` finds it with :mod:`pkgutil`.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

__all__ = ["HELPERS", "discover", "draw_all"]

#: Modules of this package that are not figures.
HELPERS = frozenset({"style"})


def discover() -> dict[str, ModuleType]:
    """Every figure module of the package, by name (helpers and private modules excluded)."""
    found = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name in HELPERS:
            continue
        found[info.name] = importlib.import_module(f"{__name__}.{info.name}")
    return found


def draw_all(results_dir: Path | str, out_dir: Path | str) -> dict[str, list[Path]]:
    """Draw every figure from the results in ``results_dir`` into ``out_dir``.

    Returns figure name -> paths written. A missing experiment raises
    :class:`figures.style.ResultsNotFoundError` naming the command that creates it.
    """
    return {name: mod.draw(Path(results_dir), Path(out_dir)) for name, mod in discover().items()}
