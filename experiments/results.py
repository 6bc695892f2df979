"""Load stored sweep results: one tidy table per experiment, and its manifest.

A results folder (see :mod:`experiments.runner`) holds ``manifest.json`` and Parquet shards
``part-*.parquet``. :func:`load` concatenates the shards into one :class:`pandas.DataFrame`, one
row per design point, sorted by ``row``: design columns (``row``, parameters, inputs, ``seed``),
then output columns. Figures and analyses read results only through this module.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from experiments import paths
from experiments.config import bundled
from experiments.runner import MANIFEST

__all__ = ["IncompleteResultsError", "load", "load_manifest", "locate", "resume_command"]


class IncompleteResultsError(RuntimeError):
    """A results folder whose sweep has not finished (or whose shards are missing)."""


def locate(name_or_path: str | Path, results_dir: str | Path | None = None) -> Path:
    """Find the results folder of ``name_or_path``: a folder, or an experiment name.

    Parameters
    ----------
    name_or_path : str or Path
        A folder holding ``manifest.json``, or an experiment name looked up in ``results_dir``.
    results_dir : path, optional
        Where named experiments live; default :func:`experiments.paths.results_dir`.
    """
    path = Path(name_or_path)
    if (path / MANIFEST).is_file():
        return path
    base = Path(results_dir) if results_dir is not None else paths.results_dir()
    named = base / str(name_or_path)
    if (named / MANIFEST).is_file():
        return named
    have = sorted(p.parent.name for p in base.glob(f"*/{MANIFEST}")) if base.is_dir() else []
    raise FileNotFoundError(
        f"no results for {str(name_or_path)!r}: neither it nor {named} holds a {MANIFEST}; "
        f"results in {base}: {', '.join(have) or '(none)'}; run `crisis sweep CONFIG` first"
    )


def resume_command(folder: Path, manifest: dict[str, Any]) -> str:
    """The ``crisis sweep`` command that finishes the sweep stored in ``folder``.

    It names the bundled config by name, or else the config file the sweep was run from (as the
    manifest records it, ``source``), and repeats ``--smoke`` and ``--out`` when the stored run
    used them (``--out`` whenever ``folder`` is not where the command writes by default).
    """
    name = str(manifest.get("name") or folder.name)
    source = manifest.get("source")
    found = bundled().get(name)
    config = name if source is None or (found is not None and found.name == source) else source
    argv = ["crisis", "sweep", str(config), "--resume"]
    smoke = bool(manifest.get("smoke"))
    if smoke:
        argv.append("--smoke")
    base = paths.results_dir()
    default = paths.smoke_dir(base) if smoke else base
    if Path(folder).resolve().parent != default.resolve():
        argv += ["--out", str(Path(folder).parent)]
    return shlex.join(argv)


def load_manifest(
    name_or_path: str | Path, results_dir: str | Path | None = None
) -> dict[str, Any]:
    """Read the manifest of a stored sweep (config, hash, versions, git revision, chunks)."""
    folder = locate(name_or_path, results_dir)
    return json.loads((folder / MANIFEST).read_text(encoding="utf-8"))


def load(
    name_or_path: str | Path,
    results_dir: str | Path | None = None,
    *,
    columns: list[str] | None = None,
    allow_partial: bool = False,
) -> pd.DataFrame:
    """All rows of a stored sweep as one tidy table, sorted by ``row``.

    Parameters
    ----------
    name_or_path : str or Path
        An experiment name (looked up in ``results_dir``) or a results folder.
    results_dir : path, optional
        Where named experiments live; default :func:`experiments.paths.results_dir`.
    columns : list of str, optional
        Read only these columns (``row`` is always included).
    allow_partial : bool
        Return the finished chunks of an unfinished sweep instead of raising.

    Raises
    ------
    IncompleteResultsError
        The sweep has not finished, or a finished chunk's shard is missing.
    """
    folder = locate(name_or_path, results_dir)
    manifest = load_manifest(folder)
    files = sorted(folder.glob("part-*.parquet"))
    listed = [c["file"] for c in manifest.get("chunks", [])]
    missing = [f for f in listed if not (folder / f).is_file()]
    if not allow_partial and (not manifest.get("complete") or missing):
        done = len(listed) - len(missing)
        raise IncompleteResultsError(
            f"{folder} is incomplete: {done} of {manifest.get('n_chunks')} chunks are stored "
            f"(status {manifest.get('status')!r}); finish it with "
            f"`{resume_command(folder, manifest)}`, or pass allow_partial=True"
        )
    if not allow_partial:
        files = [folder / f for f in listed]
    read_cols = None if columns is None else list(dict.fromkeys(["row", *columns]))
    if not files:
        design_cols = (manifest.get("columns") or {}).get("design", [])
        return pd.DataFrame(columns=read_cols or design_cols)
    frames = [pq.read_table(f, columns=read_cols).to_pandas() for f in files]
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values("row", kind="stable").reset_index(drop=True)
