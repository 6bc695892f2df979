"""Reproduce everything: run every bundled sweep, then draw every figure.

Figure modules
--------------
Every module of the :mod:`figures` package is a figure script, except modules whose name starts
with ``_`` and the shared ``style`` module. A figure module defines

``REQUIRES: list[str]``
    Names of the experiments (bundled configs) whose results it reads.
``draw(results_dir: Path, out_dir: Path) -> list[Path]``
    Read results from ``results_dir / <experiment name>`` (e.g. with
    :func:`experiments.results.load`), draw into ``out_dir``, and return the files written.

Modules are found with :mod:`pkgutil`, so adding a figure is adding one file. They are imported
and their ``REQUIRES`` checked against the bundled configs *before* any sweep runs, so a typo
fails in a second, not after an hour.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from experiments import paths
from experiments.backends import Backend
from experiments.config import ConfigError, bundled, load_config
from experiments.runner import SweepResult, run_sweep

__all__ = ["FIGURES_PACKAGE", "SKIP_MODULES", "Reproduction", "figure_modules", "reproduce"]

#: The package holding one module per figure.
FIGURES_PACKAGE = "figures"
#: Modules of the figures package that are not figures (besides those starting with ``_``).
SKIP_MODULES = ("style",)


class FigureModuleError(TypeError):
    """A figures module that does not follow the interface (``REQUIRES`` and ``draw``)."""


def figure_modules(package: str | None = None) -> list[ModuleType]:
    """Import every figure module of ``package`` (default :data:`FIGURES_PACKAGE`), by name.

    Raises
    ------
    FigureModuleError
        If a module lacks ``REQUIRES`` (a list of experiment names) or a callable ``draw``.
    """
    package = package or FIGURES_PACKAGE
    pkg = importlib.import_module(package)
    found = []
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_") or info.name in SKIP_MODULES:
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        requires = getattr(module, "REQUIRES", None)
        if not isinstance(requires, list | tuple) or not all(isinstance(r, str) for r in requires):
            raise FigureModuleError(
                f"figure module {module.__name__} must define REQUIRES, a list of experiment "
                f"names; got {requires!r}"
            )
        if not callable(getattr(module, "draw", None)):
            raise FigureModuleError(
                f"figure module {module.__name__} must define draw(results_dir, out_dir) -> "
                "list[Path]"
            )
        found.append(module)
    return found


@dataclass(frozen=True)
class Reproduction:
    """What :func:`reproduce` ran and drew."""

    results_dir: Path
    figures_dir: Path
    sweeps: list[SweepResult]
    figures: dict[str, list[Path]]


def reproduce(
    *,
    smoke: bool = False,
    backend: Backend | None = None,
    resume: bool = False,
    results_dir: str | Path | None = None,
    figures_dir: str | Path | None = None,
    package: str | None = None,
    progress: bool = True,
    report: Callable[[str], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Reproduction:
    """Run every bundled sweep, then draw every figure.

    Parameters
    ----------
    smoke : bool
        Use each config's ``[smoke]`` overrides; outputs default to the ``smoke`` subfolders of
        the results and figures folders, apart from the full-size ones.
    backend : Backend, optional
        Where chunks run (default serial).
    resume : bool
        Reuse finished shards of unchanged configs.
    results_dir, figures_dir : path, optional
        Roots for results and figures; defaults from :mod:`experiments.paths`.
    package : str, optional
        The figures package (default :data:`FIGURES_PACKAGE`).
    progress : bool
        Show progress bars.
    report : callable, optional
        Called with one line of text per finished step (e.g. ``print``).
    warn : callable, optional
        Called with warnings of the sweeps (see :func:`experiments.runner.run_sweep`).
    """
    say = report or (lambda _line: None)
    configs = [load_config(path, smoke=smoke) for path in bundled().values()]
    names = {c.name for c in configs}
    modules = figure_modules(package)
    for module in modules:
        missing = [r for r in module.REQUIRES if r not in names]
        if missing:
            raise ConfigError(
                f"figure module {module.__name__} requires experiment(s) {', '.join(missing)}, "
                f"which no bundled config provides; bundled: {', '.join(sorted(names))}"
            )
    res_root = Path(results_dir) if results_dir is not None else paths.results_dir()
    fig_root = Path(figures_dir) if figures_dir is not None else paths.figures_dir()
    if smoke:
        res_root = res_root if results_dir is not None else paths.smoke_dir(res_root)
        fig_root = fig_root if figures_dir is not None else paths.smoke_dir(fig_root)

    sweeps = []
    for config in configs:
        result = run_sweep(
            config, out=res_root, backend=backend, resume=resume, progress=progress, warn=warn
        )
        say(f"sweep {config.name}: {result}")
        sweeps.append(result)

    fig_root.mkdir(parents=True, exist_ok=True)
    drawn: dict[str, list[Path]] = {}
    for module in modules:
        files = [Path(f) for f in (module.draw(res_root, fig_root) or [])]
        drawn[module.__name__] = files
        for f in files:
            say(f"figure {module.__name__}: {f}")
    return Reproduction(res_root, fig_root, sweeps, drawn)
