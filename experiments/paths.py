"""Where things live: the one module that knows the project's paths.

``RESULTS_DIR``
    Root of stored sweep results, one folder per experiment: ``<root>/results`` unless the
    environment variable ``CRISIS_RESULTS`` names another folder.
``FIGURES_DIR``
    Where figures are drawn: ``<root>/figures/out`` unless ``CRISIS_FIGURES`` says otherwise.
``CONFIG_DIR``
    The bundled sweep configs, ``experiments/configs``.
``ROOT``
    The project root: the folder holding the ``experiments`` package when it is a source checkout
    (it has a ``pyproject.toml``), else the current working directory.

``RESULTS_DIR`` and ``FIGURES_DIR`` are read from the environment each time they are looked up
(``paths.RESULTS_DIR``), so a changed environment variable takes effect without re-importing.
"""

from __future__ import annotations

import os
from pathlib import Path

# RESULTS_DIR and FIGURES_DIR are module attributes computed on access (see __getattr__).
__all__ = [
    "CONFIG_DIR",
    "PACKAGE_DIR",
    "ROOT",
    "figures_dir",
    "results_dir",
    "smoke_dir",
]

PACKAGE_DIR = Path(__file__).resolve().parent
CONFIG_DIR = PACKAGE_DIR / "configs"


def _root() -> Path:
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").is_file():
        return candidate
    return Path.cwd()


ROOT = _root()


def results_dir() -> Path:
    """Root folder of stored results (``CRISIS_RESULTS`` or ``<root>/results``)."""
    env = os.environ.get("CRISIS_RESULTS")
    return Path(env).expanduser() if env else ROOT / "results"


def figures_dir() -> Path:
    """Folder figures are drawn into (``CRISIS_FIGURES`` or ``<root>/figures/out``)."""
    env = os.environ.get("CRISIS_FIGURES")
    return Path(env).expanduser() if env else ROOT / "figures" / "out"


def smoke_dir(base: Path) -> Path:
    """Where a ``--smoke`` run keeps its outputs under ``base``, apart from the full-size ones."""
    return base / "smoke"


def __getattr__(name: str) -> Path:
    if name == "RESULTS_DIR":
        return results_dir()
    if name == "FIGURES_DIR":
        return figures_dir()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
